package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Row counts the outcomes of the cases of one test function in one file.
type Row struct {
	File, Func     string
	Passed, Failed int
	Skipped        int
	SkippedByKind  map[SkipKind]int
	Elapsed        time.Duration
}

// Summary is the rows of a run, in the order of the results, and their
// totals.
type Summary struct {
	Rows  []Row
	Total Row
}

// Summarize counts results per file and test function.
func Summarize(results []Result) Summary {
	var sum Summary
	index := make(map[[2]string]int)
	sum.Total.SkippedByKind = make(map[SkipKind]int)
	for i := range results {
		r := &results[i]
		key := [2]string{r.File, r.Func}
		j, ok := index[key]
		if !ok {
			j = len(sum.Rows)
			index[key] = j
			sum.Rows = append(sum.Rows, Row{File: r.File, Func: r.Func, SkippedByKind: make(map[SkipKind]int)})
		}
		for _, row := range []*Row{&sum.Rows[j], &sum.Total} {
			row.Elapsed += r.Elapsed
			switch r.Outcome {
			case Pass:
				row.Passed++
			case Fail:
				row.Failed++
			case Skip:
				row.Skipped++
				row.SkippedByKind[r.Kind]++
			}
		}
	}
	return sum
}

// TotalLine returns "N passed, N failed, N skipped".
func (s Summary) TotalLine() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", s.Total.Passed, s.Total.Failed, s.Total.Skipped)
}

// WriteTable writes a text table of the outcomes per file and test
// function, ending with the line "N passed, N failed, N skipped".
func WriteTable(w io.Writer, results []Result) error {
	sum := Summarize(results)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tfunction\tpassed\tfailed\tskipped\t")
	for _, r := range sum.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\n", trimFile(r.File), r.Func, r.Passed, r.Failed, r.Skipped)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, sum.TotalLine())
	return err
}

// WriteFailures writes every failed case with its position and full
// message.
func WriteFailures(w io.Writer, results []Result) error {
	for i := range results {
		r := &results[i]
		if r.Outcome != Fail {
			continue
		}
		msg := strings.ReplaceAll(r.Message, "\n", "\n\t")
		if _, err := fmt.Fprintf(w, "FAIL %s: %s (%s)\n\t%s\n", r.Pos(), r.Name, r.Func, msg); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the results as a JSON array, one object per case.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if results == nil {
		results = []Result{}
	}
	return enc.Encode(results)
}

// SkipReason is one skip reason and how many cases it skipped.
type SkipReason struct {
	Kind   SkipKind
	Reason string
	Count  int
}

// SkipReasons groups the skipped cases by kind and reason, most frequent
// first within each kind, kinds in the order of SkipKinds.
func SkipReasons(results []Result) []SkipReason {
	count := make(map[SkipReason]int)
	for i := range results {
		if r := &results[i]; r.Outcome == Skip {
			count[SkipReason{Kind: r.Kind, Reason: r.Message}]++
		}
	}
	out := make([]SkipReason, 0, len(count))
	for k, n := range count {
		k.Count = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return rank(a.Kind) < rank(b.Kind)
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Reason < b.Reason
	})
	return out
}

// MarkdownOptions are the parts of a Markdown report that the runner does
// not know.
type MarkdownOptions struct {
	Title    string
	Preamble string        // Markdown text after the title
	Elapsed  time.Duration // wall time of the run, 0 to leave it out
}

// WriteMarkdown writes a Markdown report: the totals, the table per file
// and test function, and every skip reason grouped by kind and counted.
func WriteMarkdown(w io.Writer, results []Result, opts MarkdownOptions) error {
	sum := Summarize(results)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", opts.Title)
	if opts.Preamble != "" {
		b.WriteString(strings.TrimSpace(opts.Preamble) + "\n\n")
	}
	fmt.Fprintf(&b, "**%s** (%d cases", sum.TotalLine(), len(results))
	if opts.Elapsed > 0 {
		fmt.Fprintf(&b, ", run in %.1f s", opts.Elapsed.Seconds())
	}
	b.WriteString(").\n\n")
	b.WriteString("Skipped cases by kind of reason, and what it would take to run them:\n\n| kind | cases | to run them |\n|---|---:|---|\n")
	for _, k := range SkipKinds {
		fmt.Fprintf(&b, "| %s | %d | %s |\n", k, sum.Total.SkippedByKind[k], k.Remedy())
	}
	b.WriteString("\n## Results per file and test function\n\n")
	b.WriteString("| file | function | passed | failed | skipped |\n|---|---|---:|---:|---:|\n")
	for _, r := range sum.Rows {
		fmt.Fprintf(&b, "| %s | `%s` | %d | %d | %d |\n", trimFile(r.File), r.Func, r.Passed, r.Failed, r.Skipped)
	}
	fmt.Fprintf(&b, "| **total** | | **%d** | **%d** | **%d** |\n", sum.Total.Passed, sum.Total.Failed, sum.Total.Skipped)
	if sum.Total.Failed > 0 {
		b.WriteString("\n## Failures\n\n")
		for i := range results {
			if r := &results[i]; r.Outcome == Fail {
				fmt.Fprintf(&b, "- `%s` %s (`%s`): %s\n", r.Pos(), mdEscape(r.Name), r.Func, mdEscape(firstLine(r.Message)))
			}
		}
	}
	b.WriteString("\n## Skip reasons\n")
	var kind SkipKind
	for _, s := range SkipReasons(results) {
		if s.Kind != kind {
			kind = s.Kind
			fmt.Fprintf(&b, "\n### %s (%d cases)\n\n| cases | reason |\n|---:|---|\n", kind, sum.Total.SkippedByKind[kind])
		}
		fmt.Fprintf(&b, "| %d | %s |\n", s.Count, mdEscape(s.Reason))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func trimFile(f string) string {
	return strings.TrimSuffix(strings.TrimPrefix(f, "test_suite_"), ".data")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
