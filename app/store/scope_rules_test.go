package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The store's tenant scoping is by construction (style guide, "Tenant
// scoping"): every query of a CoopScope, ADScope or MailIn method
// starts in one of the scope helpers (sel/upd/del/ins/adSel/own of
// CoopScope; adSel/adUpd/adDel/adIns/adCoops/coopSel/own of ADScope),
// which add the tenant filter or check the tenant column. This test reads
// the package's own non-test files with go/parser, type-checks them with
// go/types, and fails on any of:
//
//   - db: a method of a database handle (bun.IDB, *bun.DB, bun.Tx,
//     bun.Conn, *sql.DB, *sql.Tx, *sql.Conn, *sql.Stmt: NewSelect,
//     NewInsert, NewRaw, ExecContext, QueryContext, RunInTx, Dialect…) or
//     a bun/sql constructor (bun.NewDB, bun.New*Query, sql.Open…), called
//     or taken as a value;
//   - tenant: a scope's tenant id (CoopScope.id, CoopScope.adID,
//     ADScope.id) in the arguments of a bun query method (Where, Join,
//     Set, …): a tenant filter written by hand;
//   - escape: a CoopScope/ADScope/MailIn method that reaches the pool
//     (the DB.db field: outside the scope's transaction) or the
//     cross-tenant handles (System(), Auth());
//   - mint: a CoopScope or ADScope composite literal, which chooses a
//     tenant id without the check of ForCoop/ForAD/ADScope.Coop;
//
// outside the functions of scopeAllowList, the only places that may. (A
// tenant id first copied to a variable, or passed as a parameter to
// another function of the package, is not followed: shared code takes the
// caller's scoped query builders, not an id and a handle.) A
// "Type.*" entry covers every method of the type (only the cross-tenant
// System and Auth handles have one). An entry that excuses nothing fails
// the test too, so that the list stays exact.
var scopeAllowList = []struct{ fn, why string }{
	// The scope helpers themselves.
	{"CoopScope.sel", "the coop helper: SELECT filtered by coop_id"},
	{"CoopScope.upd", "the coop helper: UPDATE filtered by coop_id"},
	{"CoopScope.del", "the coop helper: DELETE filtered by coop_id"},
	{"CoopScope.ins", "the coop helper: INSERT whose rows' coop_id is checked"},
	{"CoopScope.adSel", "the coop helper for its AD's tables: SELECT filtered by the coop's ad_id"},
	{"CoopScope.adIns", "the coop helper for its AD's tables: INSERT whose rows' ad_id is checked"},
	{"CoopScope.own", "the coop helper for its own row of coops (coops.id is the tenant)"},
	{"CoopScope.Tx", "opens the transaction the scope's queries then run in"},
	{"ADScope.adSel", "the AD helper: SELECT filtered by ad_id"},
	{"ADScope.adUpd", "the AD helper: UPDATE filtered by ad_id"},
	{"ADScope.adDel", "the AD helper: DELETE filtered by ad_id"},
	{"ADScope.adIns", "the AD helper: INSERT whose rows' ad_id is checked"},
	{"ADScope.adCoops", "the AD helper: FROM coops AS c WHERE c.ad_id = the AD"},
	{"ADScope.coopSel", "the AD helper for coop-owned tables: JOIN coops AS c ON c.id = x.coop_id AND c.ad_id = the AD"},
	{"ADScope.own", "the AD helper for its own row of ads (ads.id is the tenant)"},
	{"ADScope.Tx", "opens the transaction the scope's queries then run in"},
	{"ADScope.coopOf", "makes the scope of a coop the caller has just read or created through the AD's helpers (Coop checks first)"},

	// Where scopes are made.
	{"DB.ForCoop", "makes a coop scope: reads which AD the coop belongs to (fault.ErrNotFound if none)"},
	{"DB.ForAD", "makes an AD scope: checks the AD exists"},

	// Scope methods that read one row outside the tenant tables.
	{"CoopScope.AD", "reads the row of the coop's own AD (ads has no ad_id: its id is the tenant)"},
	{"CoopScope.requireStaffActor", "reads the acting user's row by id, to check it is staff of the coop's AD"},

	// Rows that belong to a user or to everyone, written for a caller
	// that found the user or the tenant through its own handle.
	{"DB.audit", "appends one audit row; the actor and tenant ids come from the calling handle"},
	{"endSessions", "sessions have no tenant column: they belong to a user the caller found through its scope"},
	{"endAccess", "password_resets have no tenant column: they belong to a user the caller found through its scope"},
	{"insertResetToken", "password_resets have no tenant column: a token belongs to a user the caller found through its handle"},
	{"takenLogins", "a login is unique across ADs: an import asks which of its new UAIs are taken (yes/no per login asked)"},

	// The cross-tenant handles and the pool itself.
	{"System.*", "the cross-tenant handle (mail-in poller, schedulers, seeding, backups, leases): git grep System() lists its callers"},
	{"Auth.*", "logins, sessions and reset links cross tenants by nature (a login names its tenant)"},
	{"Open", "opens the pool (sql.Open, bun.NewDB, ping)"},
	{"DB.Close", "closes the pool"},
	{"DB.Migrate", "schema migrations"},
	{"DB.applyMigration", "schema migrations"},
}

func TestQueriesGoThroughTheScopeHelpers(t *testing.T) {
	p := loadStore(t)
	found, err := p.check(nil)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, f := range found {
		if entry := allowed(f.fn); entry != "" {
			used[entry] = true
			continue
		}
		t.Errorf("%s: %s in %s, outside the scope helpers: %s", f.pos, f.rule, f.fn, f.what)
	}
	for _, e := range scopeAllowList {
		if !used[e.fn] {
			t.Errorf("allow-list entry %q excuses nothing any more: remove it", e.fn)
		}
		if strings.HasSuffix(e.fn, ".*") && e.fn != "System.*" && e.fn != "Auth.*" {
			t.Errorf("allow-list entry %q: only the System and Auth handles are allowed as a whole", e.fn)
		}
		if strings.TrimSpace(e.why) == "" {
			t.Errorf("allow-list entry %q has no reason", e.fn)
		}
	}
}

// TestScopeRulesCatchViolations proves the check above can fail: each
// function of this extra file (type-checked with the package) breaks one
// rule and must be reported, and only for that rule.
func TestScopeRulesCatchViolations(t *testing.T) {
	const src = `package store

import (
	"context"

	"github.com/uptrace/bun"
)

func (a *ADScope) badDB(ctx context.Context) (int64, error) {
	return a.db.NewSelect().Table("coops").Count(ctx)
}

func (c *CoopScope) badDBValue() func() *bun.InsertQuery { return c.db.NewInsert }

func (a *ADScope) badTenant() *bun.SelectQuery {
	return a.adCoops().Join("JOIN exercices AS e ON e.coop_id = c.id AND c.ad_id = ?", a.id)
}

func (c *CoopScope) badCoopTenant(ctx context.Context) error {
	_, err := c.adSel((*Campaign)(nil)).Where("cp.ad_id = ? AND cp.id IN (?)", c.adID, bun.In([]int64{c.id})).Exec(ctx)
	return err
}

func (m *MailIn) badEscape() *System { return m.ad.s.System() }

func (c *CoopScope) badPool() bun.IDB { return c.s.db }

func (a *ADScope) badMint(id int64) *CoopScope { return &CoopScope{s: a.s, db: a.db, id: id} }

func looseHelper(ctx context.Context, db bun.IDB) error {
	_, err := db.ExecContext(ctx, "DELETE FROM sessions")
	return err
}
`
	p := loadStore(t)
	found, err := p.check(map[string]string{"violations_synthetic.go": src})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range found {
		if strings.HasSuffix(f.pos.Filename, "violations_synthetic.go") {
			got[f.fn] = append(got[f.fn], f.rule)
		}
	}
	want := map[string][]string{
		"ADScope.badDB":           {"db"},
		"CoopScope.badDBValue":    {"db"},
		"ADScope.badTenant":       {"tenant"},
		"CoopScope.badCoopTenant": {"tenant", "tenant"},
		"MailIn.badEscape":        {"escape"},
		"CoopScope.badPool":       {"escape"},
		"ADScope.badMint":         {"mint"},
		"looseHelper":             {"db"},
	}
	for fn, rules := range want {
		if strings.Join(got[fn], ",") != strings.Join(rules, ",") {
			t.Errorf("%s: reported %v, want %v", fn, got[fn], rules)
		}
	}
	for fn := range got {
		if want[fn] == nil {
			t.Errorf("%s reported, not expected: %v", fn, got[fn])
		}
	}
}

func allowed(fn string) string {
	for _, e := range scopeAllowList {
		if e.fn == fn {
			return e.fn
		}
		if typ, ok := strings.CutSuffix(e.fn, ".*"); ok && strings.HasPrefix(fn, typ+".") {
			return e.fn
		}
	}
	return ""
}

// storePackage is the store's non-test source with the export data of its
// imports.
type storePackage struct {
	fset    *token.FileSet
	files   []*ast.File
	exports map[string]string // import path → export data file
}

func loadStore(t *testing.T) *storePackage {
	t.Helper()
	// go test puts its own go first on PATH. -export builds (or finds in
	// the build cache) the export data of every dependency.
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Export,Dir,GoFiles,CgoFiles", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	p := &storePackage{fset: token.NewFileSet(), exports: map[string]string{}}
	var self struct {
		ImportPath, Dir   string
		GoFiles, CgoFiles []string
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var pk struct {
			ImportPath, Export, Dir string
			GoFiles, CgoFiles       []string
		}
		if err := dec.Decode(&pk); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		p.exports[pk.ImportPath] = pk.Export
		self.ImportPath, self.Dir, self.GoFiles, self.CgoFiles = pk.ImportPath, pk.Dir, pk.GoFiles, pk.CgoFiles // the package itself comes last
	}
	if self.ImportPath != "retkoop/app/store" || len(self.CgoFiles) > 0 {
		t.Fatalf("go list: last package %q (cgo files %v), want retkoop/app/store without cgo", self.ImportPath, self.CgoFiles)
	}
	for _, name := range self.GoFiles {
		f, err := parser.ParseFile(p.fset, filepath.Join(self.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		p.files = append(p.files, f)
	}
	return p
}

// finding is one breach of a rule, in function fn ("Type.Method" or
// "func"; "" at package level, which nothing allows).
type finding struct {
	pos      token.Position
	fn, rule string
	what     string
}

// check type-checks the package (with extra source files, by name) and
// returns every place a rule is broken, allowed or not.
func (p *storePackage) check(extra map[string]string) ([]finding, error) {
	files := append([]*ast.File(nil), p.files...)
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := parser.ParseFile(p.fset, name, extra[name], parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := p.exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	}
	conf := types.Config{Importer: importer.ForCompiler(p.fset, "gc", lookup)}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	if _, err := conf.Check("retkoop/app/store", p.fset, files, info); err != nil {
		return nil, fmt.Errorf("type-check the store: %w", err)
	}
	var out []finding
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, recv := "", ""
			if fd, ok := decl.(*ast.FuncDecl); ok {
				fn = fd.Name.Name
				if fd.Recv != nil && len(fd.Recv.List) == 1 {
					recv = recvName(fd.Recv.List[0].Type)
					fn = recv + "." + fn
				}
			}
			r := ruleWalker{p: p, info: info, fn: fn, scopeMethod: recv == "CoopScope" || recv == "ADScope" || recv == "MailIn"}
			r.walk(decl)
			out = append(out, r.found...)
		}
	}
	return out, nil
}

func recvName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

type ruleWalker struct {
	p           *storePackage
	info        *types.Info
	fn          string
	scopeMethod bool
	stack       []ast.Node
	found       []finding
}

func (r *ruleWalker) report(n ast.Node, rule, format string, args ...any) {
	r.found = append(r.found, finding{pos: r.p.fset.Position(n.Pos()), fn: r.fn, rule: rule, what: fmt.Sprintf(format, args...)})
}

func (r *ruleWalker) walk(root ast.Node) {
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			r.stack = r.stack[:len(r.stack)-1]
			return false
		}
		r.stack = append(r.stack, n)
		switch x := n.(type) {
		case *ast.SelectorExpr:
			r.selector(x)
		case *ast.CompositeLit:
			if name, ok := storeNamed(r.info.Types[x].Type); ok && (name == "CoopScope" || name == "ADScope") {
				r.report(x, "mint", "a literal of %s", name)
			}
		}
		return true
	})
}

func (r *ruleWalker) selector(x *ast.SelectorExpr) {
	sel := r.info.Selections[x]
	if sel == nil { // a qualified identifier: pkg.Name
		obj, ok := r.info.Uses[x.Sel].(*types.Func)
		if ok && obj.Pkg() != nil && isConstructor(obj.Pkg().Path(), obj.Name()) {
			r.report(x, "db", "%s.%s opens or builds on a database", obj.Pkg().Name(), obj.Name())
		}
		return
	}
	recv := sel.Recv()
	switch sel.Kind() {
	case types.MethodVal, types.MethodExpr:
		if h, ok := dbHandle(recv); ok {
			r.report(x, "db", "%s on %s", x.Sel.Name, h)
		}
		if r.scopeMethod && (x.Sel.Name == "System" || x.Sel.Name == "Auth") {
			if name, ok := storeNamed(recv); ok && name == "DB" {
				r.report(x, "escape", "a scope method calls %s()", x.Sel.Name)
			}
		}
	case types.FieldVal:
		name, ok := storeNamed(recv)
		switch {
		case !ok:
		case r.scopeMethod && name == "DB" && x.Sel.Name == "db":
			r.report(x, "escape", "a scope method uses the pool (DB.db), outside the scope's transaction")
		case (name == "CoopScope" && (x.Sel.Name == "id" || x.Sel.Name == "adID")) || (name == "ADScope" && x.Sel.Name == "id"):
			if call := r.queryCallAround(x); call != "" {
				r.report(x, "tenant", "%s.%s passed to %s: a tenant filter written by hand", name, x.Sel.Name, call)
			}
		}
	}
}

// queryCallAround returns the name of the innermost bun query method call
// whose arguments contain the node on top of the stack, if any.
func (r *ruleWalker) queryCallAround(n ast.Node) string {
	for i := len(r.stack) - 2; i >= 0; i-- {
		call, ok := r.stack[i].(*ast.CallExpr)
		if !ok {
			continue
		}
		inArgs := false
		for _, a := range call.Args {
			if a.Pos() <= n.Pos() && n.End() <= a.End() {
				inArgs = true
			}
		}
		if !inArgs {
			continue
		}
		fun, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			continue
		}
		if sel := r.info.Selections[fun]; sel != nil && isBunQuery(sel.Recv()) {
			return fun.Sel.Name
		}
	}
	return ""
}

// dbHandle reports whether t is a database handle type.
func dbHandle(t types.Type) (string, bool) {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", false
	}
	name := n.Obj().Name()
	switch n.Obj().Pkg().Path() {
	case "github.com/uptrace/bun":
		switch name {
		case "DB", "Tx", "Conn", "IDB", "IConn":
			return "bun." + name, true
		}
	case "database/sql":
		switch name {
		case "DB", "Tx", "Conn", "Stmt":
			return "sql." + name, true
		}
	}
	return "", false
}

func isBunQuery(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "github.com/uptrace/bun" && strings.HasSuffix(n.Obj().Name(), "Query")
}

func isConstructor(pkg, name string) bool {
	switch pkg {
	case "github.com/uptrace/bun":
		return strings.HasPrefix(name, "New")
	case "database/sql":
		return name == "Open" || name == "OpenDB"
	case "github.com/uptrace/bun/driver/pgdriver":
		return strings.HasPrefix(name, "New")
	}
	return false
}

// storeNamed returns the name of t (or of what it points to) when it is a
// type of this package.
func storeNamed(t types.Type) (string, bool) {
	if t == nil {
		return "", false
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "retkoop/app/store" {
		return "", false
	}
	return n.Obj().Name(), true
}
