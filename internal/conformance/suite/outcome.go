package suite

import (
	"fmt"
	"time"
)

// Outcome is what became of a case.
type Outcome uint8

// The outcomes of a case.
const (
	Pass Outcome = iota + 1
	Fail
	Skip
)

var outcomeNames = [...]string{Pass: "pass", Fail: "fail", Skip: "skip"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) && outcomeNames[o] != "" {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText writes the outcome's name, for JSON reports.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// SkipKind says why a case was skipped.
type SkipKind uint8

// The kinds of skip reasons.
const (
	// SkipDependency: a dependency of the case does not hold for gopsa,
	// such as !PSA_WANT_KEY_TYPE_AES (gopsa implements AES keys) or a
	// vendor limit comparison that is false.
	SkipDependency SkipKind = iota + 1
	// SkipNotImplemented: the case needs a mechanism or an API that gopsa
	// does not implement (yet), such as a binary elliptic curve.
	SkipNotImplemented
	// SkipCOnly: the case tests a concern of the C implementation only
	// (build options, memory management, test drivers, internals).
	SkipCOnly
	// SkipNotYet: the test function has no Go port yet.
	SkipNotYet
	// SkipExtension: the case tests an Mbed TLS extension of the PSA API.
	SkipExtension
)

var skipKindNames = [...]string{
	SkipDependency:     "dependency not met",
	SkipNotImplemented: "mechanism not implemented by gopsa",
	SkipCOnly:          "C-only concern",
	SkipNotYet:         "test function not implemented yet",
	SkipExtension:      "Mbed TLS extension",
}

var skipKindRemedies = [...]string{
	SkipDependency: "run the case on a build without the mechanism it wants absent (`!PSA_WANT_X`: " +
		"a driver-only build of that family, as -tags gopsa_no_builtin_ecc does for ECC), " +
		"or give gopsa the Mbed TLS option it names",
	SkipNotImplemented: "implement the mechanism in a driver (each reason names what is missing and why)",
	SkipCOnly: "nothing in Go: the case tests C mechanics (output buffer sizes, initialization order, " +
		"memory, Mbed TLS internals) or a behaviour gopsa chose differently, as its reason says",
	SkipNotYet:    "port the test function to internal/conformance/mbedtls",
	SkipExtension: "implement the Mbed TLS extension (interruptible operations, psa_util), which the PSA Crypto API does not define",
}

// Remedy says what it would take to run the cases skipped for this kind
// of reason.
func (k SkipKind) Remedy() string {
	if int(k) < len(skipKindRemedies) {
		return skipKindRemedies[k]
	}
	return ""
}

// SkipKinds lists the skip kinds in the order reports use.
var SkipKinds = []SkipKind{SkipNotImplemented, SkipNotYet, SkipDependency, SkipCOnly, SkipExtension}

func (k SkipKind) String() string {
	if int(k) < len(skipKindNames) && skipKindNames[k] != "" {
		return skipKindNames[k]
	}
	return fmt.Sprintf("SkipKind(%d)", uint8(k))
}

// MarshalText writes the kind's name, for JSON reports.
func (k SkipKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Result is the outcome of one case.
type Result struct {
	File string `json:"file"` // the .data file's base name
	Line int    `json:"line"` // the line of the case's name
	Name string `json:"name"`
	Func string `json:"function"`
	// Outcome is pass, fail or skip.
	Outcome Outcome `json:"outcome"`
	// Kind is the kind of skip reason; zero unless Outcome is Skip.
	Kind SkipKind `json:"skip_kind,omitempty"`
	// Message is the skip reason or the failure's message; empty for a
	// pass.
	Message string        `json:"message,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Pos returns "file:line" of the case.
func (r *Result) Pos() string { return fmt.Sprintf("%s:%d", r.File, r.Line) }
