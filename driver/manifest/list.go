package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gopsa/psa/values"
)

// ParseList parses a driver list: a JSON array of driver description file
// names, in dispatch order, each relative to the directory of the list
// file (file, which also names the list in error messages). It returns the
// names joined to that directory; absolute names are kept as they are.
// Errors are as for Parse.
func ParseList(data []byte, file string) ([]string, error) {
	l := &errorList{file: file}
	root, err := decodeJSON(data)
	if err != nil {
		l.add("", "%v", err)
		return nil, errors.Join(l.errs...)
	}
	if root.kind != kArray {
		l.add("", "a driver list must be a JSON array of file names, got %s", root.kind)
		return nil, errors.Join(l.errs...)
	}
	dir := filepath.Dir(file)
	seen := map[string]bool{}
	var out []string
	for i, e := range root.elems {
		path := fmt.Sprintf("[%d]", i)
		switch {
		case e.kind != kString:
			l.add(path, "want a file name (a string), got %s", e.kind)
			continue
		case e.text == "":
			l.add(path, "empty file name (want the name of a driver description)")
			continue
		case seen[e.text]:
			l.add(path, "%q is listed twice (each driver is listed once, in dispatch order)", e.text)
			continue
		}
		seen[e.text] = true
		name := filepath.FromSlash(e.text)
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		out = append(out, name)
	}
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return out, nil
}

// LoadList reads the driver list at path, then each description it names,
// and validates each description and the list as a whole (ValidateList).
// It reports the problems of every file at once. A file that cannot be
// read gives an error that wraps values.ErrDoesNotExist if it does not
// exist, values.ErrStorageFailure otherwise, and the error of package os.
func LoadList(path string) ([]*Driver, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	files, err := ParseList(data, path)
	if err != nil {
		return nil, err
	}
	var errs []error
	var drivers []*Driver
	for _, f := range files {
		data, err := readFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d, err := Parse(data, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		drivers = append(drivers, d)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := ValidateList(drivers); err != nil {
		return nil, err
	}
	return drivers, nil
}

func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		status := values.ErrStorageFailure
		if errors.Is(err, fs.ErrNotExist) {
			status = values.ErrDoesNotExist
		}
		return nil, fmt.Errorf("read driver description: %w (%w)", err, status)
	}
	return data, nil
}
