package nobuiltin

import (
	"testing"

	"github.com/gopsa/psa/internal/dispatch/dispatchtest"
)

func TestGeneratedIsCurrent(t *testing.T) {
	dispatchtest.CheckGenerated(t, "gen.go", "internal/dispatch/testbuild/nobuiltin")
}
