package dispatchtest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// CheckGenerated runs, in the current directory, the psa-drivergen command
// of the //go:generate line of genFile with the output sent to memory, and
// fails t if the result differs from the committed file that the line
// names with -o. pkg is the package's directory relative to the module
// root, for the message ("run go generate ./internal/dispatch").
func CheckGenerated(t testing.TB, genFile, pkg string) {
	t.Helper()
	args, out := generateCommand(t, genFile)
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run the generator: %v", err)
	}
	cmd := exec.Command(goTool, append([]string{"run"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	committed, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), committed) {
		t.Errorf("%s is stale: run go generate ./%s", filepath.Join(pkg, out), pkg)
	}
}

// generateCommand returns the arguments of "go run" in genFile's
// psa-drivergen //go:generate line, with "-o FILE" replaced by "-o -",
// and FILE.
func generateCommand(t testing.TB, genFile string) (args []string, out string) {
	t.Helper()
	f, err := os.Open(genFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		rest, ok := strings.CutPrefix(s.Text(), "//go:generate go run ")
		if !ok || !strings.Contains(rest, "psa-drivergen") {
			continue
		}
		args = strings.Fields(rest)
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-o" {
				out = args[i+1]
				args[i+1] = "-"
			}
		}
		if out == "" {
			t.Fatalf("%s: the psa-drivergen line has no -o FILE", genFile)
		}
		return args, out
	}
	t.Fatalf("%s: no //go:generate go run ...psa-drivergen line", genFile)
	return nil, ""
}
