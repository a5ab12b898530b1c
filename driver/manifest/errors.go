package manifest

import (
	"fmt"

	"github.com/gopsa/psa/values"
)

// Error is a problem in a driver description or a driver list.
//
// Its message reads "file: path: what is wrong (what is accepted)", for
// example
//
//	p256.json: capabilities[2].entry_points[0]: unknown entry point "sign_hsh"; did you mean "sign_hash"? (want ...)
//
// Every Error wraps values.ErrInvalidArgument, so that
// errors.Is(err, values.ErrInvalidArgument) holds.
type Error struct {
	// File is the file name given to Parse or ParseList.
	File string
	// Path locates the offending JSON value, such as
	// "capabilities[2].entry_points[0]"; empty for the whole document.
	Path string
	// Msg says what is wrong and what is accepted.
	Msg string
}

func (e *Error) Error() string {
	s := e.File
	if s == "" {
		s = "driver description"
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}

// Unwrap returns values.ErrInvalidArgument.
func (e *Error) Unwrap() error { return values.ErrInvalidArgument }

// errorList collects the problems of one document, so that a description
// with several mistakes is fixed in one round.
type errorList struct {
	file string
	errs []error
}

// maxErrors bounds the errors reported for one document: past a few dozen,
// more lines do not help, and a hostile input must not make Parse slow.
const maxErrors = 50

func (l *errorList) add(path, format string, args ...any) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &Error{File: l.file, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
}

func (l *errorList) full() bool { return len(l.errs) >= maxErrors }
