package apptest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"retkoop/app/ledger"
)

// victimSnapshotSkip lists the tables with a coop_id or ad_id column whose
// victim rows may change while AD A's users walk the routes, with why. A
// table listed here is not checked at all: keep it short.
//
// It is empty: nothing AD A's users do may add or change a row that names
// AD B or one of its coops. Not listed, on purpose: audit_log (an attacker's
// refused requests are not logged, and an action logged with AD B's coop_id
// means it reached AD B), staff_seen (AD A's staff must not open AD B's
// dossiers), outbox (no mail may be queued for AD B by AD A's users). The
// tables that do change whoever acts have no tenant column and are outside
// the snapshot anyway: leases (untenantedTables) and the sessions of AD A's
// users (only AD B's users' sessions are read, through users).
var victimSnapshotSkip = map[string]string{}

// untenantedTables are the tables with no coop_id or ad_id column and no
// foreign key to a victim row: the snapshot cannot say which of their rows
// are AD B's. A new table must either carry coop_id/ad_id (the rule) or be
// listed here with why it holds no tenant data; otherwise the isolation test
// fails, so that no table escapes the snapshot unnoticed.
var untenantedTables = map[string]string{
	"leases":            "scheduler and poller locks: a name, a holder process and an expiry, nobody's data",
	"schema_migrations": "the migrations applied to the database",
	"sqlite_sequence":   "SQLite's AUTOINCREMENT counters, shared by every tenant (a row inserted by AD A moves them)",
}

// victimTable is one table's share of the snapshot: AD B's rows, read in
// the order of all their columns, each as "col=value col=value…", and the
// SHA-256 of the table name and those rows.
type victimTable struct {
	rows []string
	sum  [sha256.Size]byte
}

// victimRows is the snapshot of AD B's data, by table.
type victimRows map[string]victimTable

// victimSnapshot reads every row of AD B in every table, found from the
// schema at run time so that a new table is covered without editing the
// test: the ads row of AD B; in every table with an ad_id or coop_id
// column, the rows of AD B or of one of AD B's coops (coops included, by
// its ad_id); in a table with neither, the rows whose single-column foreign
// key points at such a row (the sessions and password resets of AD B's
// users). It fails the test when a table is none of these and is not in
// untenantedTables, and when it finds none of the victim's basic rows (a
// snapshot that sees nothing would prove nothing).
func (w *isolationWorld) victimSnapshot() victimRows {
	w.t.Helper()
	ctx := context.Background()
	tables := w.schemaTables(ctx)
	adB := strconv.FormatInt(w.adB.ID, 10)
	victimCoops := `SELECT "id" FROM "coops" WHERE "ad_id" = ` + adB
	filters := map[string]string{} // table → WHERE clause selecting AD B's rows
	for name, cols := range tables {
		var or []string
		if name == "ads" {
			or = append(or, `"id" = `+adB)
		}
		if slices.Contains(cols, "ad_id") {
			or = append(or, `"ad_id" = `+adB)
		}
		if slices.Contains(cols, "coop_id") {
			or = append(or, `"coop_id" IN (`+victimCoops+`)`)
		}
		if len(or) > 0 {
			filters[name] = strings.Join(or, " OR ")
		}
	}
	// One step further, through foreign keys, for the tables with neither column.
	byFK := map[string][]string{}
	for _, fk := range w.schemaForeignKeys(ctx) {
		parent, ok := filters[fk.parent]
		if _, own := filters[fk.table]; own || !ok {
			continue
		}
		byFK[fk.table] = append(byFK[fk.table], fmt.Sprintf(`%s IN (SELECT %s FROM %s WHERE %s)`,
			ident(fk.col), ident(fk.parentCol), ident(fk.parent), parent))
	}
	for name, or := range byFK {
		slices.Sort(or)
		filters[name] = strings.Join(or, " OR ")
	}
	snap := victimRows{}
	for name, cols := range tables {
		where, ok := filters[name]
		_, skip := victimSnapshotSkip[name]
		_, untenanted := untenantedTables[name]
		switch {
		case skip:
			continue
		case !ok && untenanted:
			continue
		case !ok:
			w.t.Fatalf("table %s has no coop_id or ad_id column and no foreign key to a tenant row, so the isolation test "+
				"cannot check it: give it coop_id (tenant tables carry coop_id NOT NULL) or list it in untenantedTables "+
				"with why it holds no tenant data", name)
		}
		order := make([]string, len(cols))
		for i, c := range cols {
			order[i] = ident(c)
		}
		snap[name] = w.readVictimTable(ctx, name, fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %[1]s`,
			strings.Join(order, ", "), ident(name), where))
	}
	for _, name := range []string{"ads", "coops", "users", "exercices", "documents", "operations"} {
		if len(snap[name].rows) == 0 {
			w.t.Fatalf("victim snapshot: no row of AD B in %s (schema discovery or the filter is broken)", name)
		}
	}
	return snap
}

func (w *isolationWorld) readVictimTable(ctx context.Context, name, query string) victimTable {
	w.t.Helper()
	rows, err := w.raw.QueryContext(ctx, query)
	if err != nil {
		w.t.Fatalf("victim snapshot of %s: %v\n%s", name, err, query)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		w.t.Fatal(err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", name)
	var tab victimTable
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			w.t.Fatalf("victim snapshot of %s: %v", name, err)
		}
		fields := make([]string, len(cols))
		for i, v := range vals {
			fields[i] = cols[i] + "=" + sqlValue(v)
		}
		line := strings.Join(fields, " ")
		tab.rows = append(tab.rows, line)
		fmt.Fprintf(h, "%s\n", line)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatalf("victim snapshot of %s: %v", name, err)
	}
	h.Sum(tab.sum[:0])
	return tab
}

// ident quotes a table or column name for SQLite and PostgreSQL alike.
func ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// sqlValue renders a scanned value; strings are quoted so that a value
// cannot pass for the next column.
func sqlValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return strconv.Quote(string(v))
	case string:
		return strconv.Quote(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}

// changes names every table whose AD B rows differ between s (before) and
// after, with the rows that went away (-) and those that appeared (+).
func (s victimRows) changes(after victimRows) []string {
	var names []string
	for name := range s {
		names = append(names, name)
	}
	for name := range after {
		if _, ok := s[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out []string
	for _, name := range names {
		b, a := s[name], after[name]
		if b.sum == a.sum {
			continue
		}
		var msg strings.Builder
		fmt.Fprintf(&msg, "table %s changed (%d rows of AD B before, %d after)", name, len(b.rows), len(a.rows))
		writeRows(&msg, "-", without(b.rows, a.rows))
		writeRows(&msg, "+", without(a.rows, b.rows))
		out = append(out, msg.String())
	}
	return out
}

// without returns the rows of a that are not in b (as multisets).
func without(a, b []string) []string {
	left := map[string]int{}
	for _, r := range b {
		left[r]++
	}
	var out []string
	for _, r := range a {
		if left[r] > 0 {
			left[r]--
			continue
		}
		out = append(out, r)
	}
	return out
}

func writeRows(b *strings.Builder, sign string, rows []string) {
	const most = 5
	for i, r := range rows {
		if i == most {
			fmt.Fprintf(b, "\n  %s … %d more", sign, len(rows)-most)
			return
		}
		fmt.Fprintf(b, "\n  %s %.400s", sign, r)
	}
}

// schemaTables returns every base table of the database with its columns
// in declaration order.
func (w *isolationWorld) schemaTables(ctx context.Context) map[string][]string {
	w.t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' ORDER BY m.name, p.cid`
	if w.postgres {
		q = `SELECT c.table_name, c.column_name FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
			ORDER BY c.table_name, c.ordinal_position`
	}
	tables := map[string][]string{}
	w.scanText(ctx, q, 2, func(f []string) { tables[f[0]] = append(tables[f[0]], f[1]) })
	if len(tables) == 0 {
		w.t.Fatal("victim snapshot: no table found in the schema")
	}
	return tables
}

// foreignKey is a single-column foreign key: table.col → parent.parentCol.
type foreignKey struct{ table, col, parent, parentCol string }

// schemaForeignKeys returns the single-column foreign keys of the schema
// (composite ones, which pair an id with coop_id or ad_id, are only found
// in tables that have those columns anyway).
func (w *isolationWorld) schemaForeignKeys(ctx context.Context) []foreignKey {
	w.t.Helper()
	// SQLite leaves "to" NULL for REFERENCES parent without a column: the
	// parent's primary key, which is "id" in this schema.
	q := `SELECT m.name, f."from", f."table", COALESCE(f."to", 'id') FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND (SELECT count(*) FROM pragma_foreign_key_list(m.name) g WHERE g.id = f.id) = 1`
	if w.postgres {
		q = `SELECT cl.relname, a.attname, fcl.relname, fa.attname FROM pg_constraint c
			JOIN pg_class cl ON cl.oid = c.conrelid
			JOIN pg_class fcl ON fcl.oid = c.confrelid
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
			WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND cl.relnamespace = current_schema()::regnamespace`
	}
	var fks []foreignKey
	w.scanText(ctx, q, 4, func(f []string) { fks = append(fks, foreignKey{f[0], f[1], f[2], f[3]}) })
	return fks
}

// scanText runs q, whose n columns are all text, and calls fn with each row.
func (w *isolationWorld) scanText(ctx context.Context, q string, n int, fn func([]string)) {
	w.t.Helper()
	rows, err := w.raw.QueryContext(ctx, q)
	if err != nil {
		w.t.Fatalf("victim snapshot schema: %v\n%s", err, q)
	}
	defer rows.Close()
	f := make([]string, n)
	ptrs := make([]any, n)
	for i := range f {
		ptrs[i] = &f[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			w.t.Fatalf("victim snapshot schema: %v", err)
		}
		fn(slices.Clone(f))
	}
	if err := rows.Err(); err != nil {
		w.t.Fatalf("victim snapshot schema: %v", err)
	}
}

// TestIsolationSnapshotNamesTheChangedTable proves the snapshot can fail:
// AD A's writes leave it unchanged; an operation added to AD B's coop, a
// login of its mandataire (a session, reached only through users' foreign
// key) are each reported under their table.
func TestIsolationSnapshotNamesTheChangedTable(t *testing.T) {
	eachIsolationWorld(t, func(t *testing.T, w *isolationWorld) {
		w.seedVictimObjects()
		before := w.victimSnapshot()
		w.addOp(w.coopA, tOp(ledger.Recette, "15/09/2025", "A1", ledger.Banque, "12"))
		w.login("0310036W")
		if c := before.changes(w.victimSnapshot()); len(c) != 0 {
			t.Fatalf("AD A's writes changed AD B's snapshot: %v", c)
		}
		w.addOp(w.coopB, tOp(ledger.Recette, "15/09/2025", "B1", ledger.Banque, "12"))
		w.login("0700001L")
		got := strings.Join(before.changes(w.victimSnapshot()), "\n")
		for _, table := range []string{"operations", "operation_lines", "sessions"} {
			if !strings.Contains(got, "table "+table+" changed") {
				t.Errorf("change of %s not reported:\n%s", table, got)
			}
		}
	})
}
