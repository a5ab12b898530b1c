package manifest

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopsa/psa/values"
)

func TestParseList(t *testing.T) {
	got, err := ParseList([]byte(`["a.json", "sub/b.json", "/abs/c.json"]`), "drivers/list.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join("drivers", "a.json"), filepath.Join("drivers", "sub", "b.json"), filepath.FromSlash("/abs/c.json")}
	if !slices.Equal(got, want) {
		t.Errorf("ParseList = %q, want %q", got, want)
	}
}

func TestLoadListErrors(t *testing.T) {
	tests := []struct {
		list   string
		status values.Status
		want   []string
	}{
		{"dup_location.json", values.ErrInvalidArgument,
			[]string{"se_b.json: location: location 0x800001 is already the location of opaque driver \"se_a\"", "se_a.json"}},
		{"dup_prefix.json", values.ErrInvalidArgument,
			[]string{"accel_b.json: prefix: prefix \"accel\" is already used by the transparent driver of", "accel_a.json"}},
		{"missing_file.json", values.ErrDoesNotExist,
			[]string{"no_such_driver.json"}},
		{"invalid_members.json", values.ErrInvalidArgument,
			[]string{"fallback_opaque.json: capabilities[0].fallback", "bad_type.json: type: unknown driver type"}},
		{"listed_twice.json", values.ErrInvalidArgument,
			[]string{"listed_twice.json: [1]: \"accel_a.json\" is listed twice"}},
		{"not_array.json", values.ErrInvalidArgument,
			[]string{"not_array.json: a driver list must be a JSON array of file names, got object"}},
		{"bad_names.json", values.ErrInvalidArgument,
			[]string{"bad_names.json: [1]: want a file name (a string), got number", "bad_names.json: [2]: empty file name"}},
		{"no_such_list.json", values.ErrDoesNotExist,
			[]string{"no_such_list.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			drivers, err := LoadList(filepath.Join("testdata/lists", tt.list))
			if err == nil {
				t.Fatalf("LoadList accepted an invalid list: %d drivers", len(drivers))
			}
			if !errors.Is(err, tt.status) {
				t.Errorf("error does not wrap %v: %v", tt.status, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestValidateListSharedPrefix: a transparent and an opaque driver may
// share a prefix (driver interface §4.9), as the reference list does.
func TestValidateListSharedPrefix(t *testing.T) {
	a := mustParse(t, `{"prefix": "acme", "type": "transparent", "capabilities": [{"entry_points": ["sign_hash"]}]}`)
	b := mustParse(t, `{"prefix": "acme", "type": "opaque", "location": 1, "capabilities": [{"entry_points": ["sign_hash"]}]}`)
	if err := ValidateList([]*Driver{a, b}); err != nil {
		t.Errorf("ValidateList: %v", err)
	}
	c := mustParse(t, `{"prefix": "acme", "type": "opaque", "location": 2, "capabilities": [{"entry_points": ["sign_hash"]}]}`)
	if err := ValidateList([]*Driver{a, b, c}); err == nil {
		t.Error("ValidateList accepted two opaque drivers with one prefix")
	}
}
