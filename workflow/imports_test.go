package workflow

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the package free of dependencies: every
// import of a non-test file must be from the standard library, whose paths
// have no dot in their first element.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") || first == "retkoop" {
				t.Errorf("%s imports %s: workflow uses the standard library only", f, path)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("checked only %d files; is the test running in the package directory?", checked)
	}
}

// TestPureImportGraph keeps the domain packages pure: neither they nor
// anything they import, directly or not, may use the database (bun), HTTP
// (gin) or spreadsheet (excelize) libraries, which belong to the adapters
// around them (store, the HTTP handlers, report). It reads the graph the
// build sees, so an import hidden behind another package is caught too.
func TestPureImportGraph(t *testing.T) {
	pure := []string{"retkoop/app/ledger", "retkoop/app/bank", "retkoop/workflow"}
	forbidden := []string{"github.com/uptrace/bun", "github.com/gin-gonic/gin", "github.com/xuri/excelize"}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command lists the import graph: %v", err)
	}
	for _, pkg := range pure {
		cmd := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", pkg)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr.String())
		}
		imports := map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			imports[f[0]] = f[1:]
		}
		if _, ok := imports[pkg]; !ok || len(imports) < 10 {
			t.Fatalf("go list -deps %s listed %d packages, not the package itself: %q", pkg, len(imports), out)
		}
		for _, bad := range forbidden {
			isBad := func(dep string) bool { return dep == bad || strings.HasPrefix(dep, bad+"/") }
			for dep := range imports {
				if isBad(dep) {
					chain := importChain(imports, pkg, isBad)
					if chain == nil {
						chain = []string{pkg, "…", dep}
					}
					t.Errorf("%s depends on %s: %s", pkg, bad, strings.Join(chain, " → "))
					break
				}
			}
		}
	}
}

// importChain is a shortest chain of imports from a package to one that
// matches, nil when none does: where a dependency comes from.
func importChain(graph map[string][]string, from string, match func(string) bool) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if match(p) {
			var chain []string
			for ; p != ""; p = prev[p] {
				chain = append([]string{p}, chain...)
			}
			return chain
		}
		for _, next := range graph[p] {
			if _, seen := prev[next]; !seen {
				prev[next] = p
				queue = append(queue, next)
			}
		}
	}
	return nil
}
