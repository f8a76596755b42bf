package apptest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
	"retkoop/workflow"
)

// assistWorld is a world on a SQLite file the test can read directly, with
// coop A holding one object of every kind a mandataire route names.
type assistWorld struct {
	*world
	path string
	ids  map[string]string // route parameter → coop A's object
}

func newAssistWorld(t *testing.T) *assistWorld {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "retkoop.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := &assistWorld{world: newWorldOn(t, db), path: path}
	w.app.Now = func() time.Time { return septNow }
	cs := w.coopScopeOf(w.coopA)
	op := w.addOp(w.coopA, tOp(ledger.Recette, "15/09/2025", "R1", ledger.Banque, "500"))
	mand := w.login("0310036W")
	if res := mand.upload("/coop/dossier/2025-2026/elements/quitus/documents", "quitus.pdf", pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	staff := w.login("staff@a.example")
	if res := staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/dossier/2025-2026/elements/quitus/corriger", url.Values{"motif": {"signature manquante"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.StatusCode)
	}
	docs, err := cs.DossierDocuments(ctx, w.dossierID(w.coopA))
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v %v", docs, err)
	}
	b := money.MustParse("1000")
	st, _, err := cs.AddBankStatement(ctx, store.NewBankStatement{FileName: "aout.ofx", SHA256: "assist",
		Statement: bank.Statement{OpeningBalance: &b, ClosingBalance: &b}, Start: tday("01/08/2026"), End: tday("31/08/2026")})
	if err != nil {
		t.Fatal(err)
	}
	w.ids = map[string]string{"ex": ex25, "op": itoa(op), "doc": itoa(docs[0].DocumentID), "stmt": itoa(st.ID), "line": "1",
		"item": "quitus", "correction": "1", "path": "cahier"}
	return w
}

func (w *world) dossierID(co *store.Coop) int64 {
	w.t.Helper()
	row, err := w.coopScope(co).FindDossier(context.Background(), ex25)
	if err != nil {
		w.t.Fatal(err)
	}
	return row.ID
}

// fingerprint is every row of every table but the audit log and the
// sessions (which a page view touches by design).
func (w *assistWorld) fingerprint() string {
	w.t.Helper()
	db, err := sql.Open("sqlite", "file:"+w.path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sessions', 'sqlite_sequence') ORDER BY name`)
	if err != nil {
		w.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, t := range tables {
		r, err := db.Query("SELECT * FROM " + t)
		if err != nil {
			w.t.Fatal(err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			_ = r.Scan(ptrs...)
			lines = append(lines, fmt.Sprint(vals...))
		}
		r.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s:%d:%s\n", t, len(lines), strings.Join(lines, "|"))
	}
	return b.String()
}

// TestAssistModeShowsTheCoopReadOnly: a staff member opens every page of
// coop A's space in assist mode — same pages as the mandataire, the banner,
// links kept in assist, every access in the audit log, nothing written —
// and every write route of the mandataire's space, replayed in assist
// mode, is refused without changing anything.
func TestAssistModeShowsTheCoopReadOnly(t *testing.T) {
	w := newAssistWorld(t)
	ctx := context.Background()
	staff := w.login("staff@a.example")
	base := "/ad/coops/" + itoa(w.coopA.ID) + "/assistance"
	before := w.fingerprint()
	audits0, _ := w.db.System().AuditCount(ctx, w.coopA.ID, store.ActionAssist)

	res := staff.get(base)
	page := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Mode assistance") || !strings.Contains(page, "École Alpha") {
		t.Fatalf("assist home: %d\n%.500s", res.StatusCode, page)
	}
	if strings.Contains(page, `href="/coop`) || strings.Contains(page, `action="/coop`) || !strings.Contains(page, `href="`+base+`/cahier"`) {
		t.Error("the links of an assist page must stay in assist mode")
	}
	res = staff.get(base + "/dossier")
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, base+"/dossier/") {
		t.Errorf("redirect in assist mode to %q", loc)
	}
	doc := staff.doc(staff.get(base + "/dossier/2025-2026"))
	if !strings.Contains(doc.Text(), "signature manquante") || doc.Find(".assist-banner").Length() != 1 {
		t.Error("the dossier in assist mode shows the correction the mandataire sees, under the banner")
	}

	// Every GET page of the mandataire's space, with coop A's objects.
	must200 := map[string]bool{"": true, "/cahier/:ex": true, "/dossier/:ex": true, "/crf/:ex": true, "/banque": true,
		"/operations/:op": true, "/cra/:ex": true, "/documents/:doc": true, "/banque/releves/:stmt": true}
	views := 3
	for _, rt := range w.app.Web.Router().Routes() {
		if rt.Method != http.MethodGet || !strings.HasPrefix(rt.Path, base[:0]+"/ad/coops/:coop/assistance") {
			continue
		}
		sub := strings.TrimPrefix(rt.Path, "/ad/coops/:coop/assistance")
		path := base + w.fill(t, sub)
		res := staff.get(path)
		views++
		b := body(t, res)
		if res.StatusCode >= 500 || (must200[sub] && res.StatusCode != http.StatusOK) {
			t.Errorf("GET %s: %d %.300s", path, res.StatusCode, b)
		}
		// Every link, form and htmx request of the page stays in assist.
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			if m := mandataireLink.FindString(b); m != "" {
				t.Errorf("GET %s: a link leaves assist mode: %s", path, m)
			}
		}
		if loc := res.Header.Get("Location"); loc != "" && !strings.HasPrefix(loc, base) {
			t.Errorf("GET %s: redirect out of assist mode to %s", path, loc)
		}
	}
	if views < 25 {
		t.Fatalf("only %d assist pages mounted", views)
	}
	if after := w.fingerprint(); after != before {
		t.Errorf("assist pages changed the database:\n%s", diffLines(before, after))
	}
	if n, _ := w.db.System().AuditCount(ctx, w.coopA.ID, store.ActionAssist); n != audits0+views {
		t.Errorf("%d assist accesses logged, want %d", n-audits0, views)
	}

	// Every write of the mandataire's space is refused in assist mode.
	writes := 0
	for _, rt := range w.app.Web.Router().Routes() {
		if rt.Method != http.MethodPost || !strings.HasPrefix(rt.Path, "/coop/") {
			continue
		}
		path := base + w.fill(t, strings.TrimPrefix(rt.Path, "/coop"))
		form := url.Values{"date": {"20/09/2025"}, "piece": {"X9"}, "libelle": {"intrusion"}, "montant": {"10"}, "motif": {"x"},
			"reponse": {"x"}, "nom": {"x"}, "action": {"transmettre"}}
		for _, headers := range [][]string{nil, {"HX-Request", "true"}} {
			res := staff.post(path, form, headers...)
			b := body(t, res)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "lecture seule") {
				t.Errorf("POST %s in assist mode: %d %.200s", path, res.StatusCode, b)
			}
		}
		writes++
	}
	if res := staff.upload(base+"/dossier/2025-2026/elements/releve/documents", "releve.pdf", pdfBytes2); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("upload in assist mode: %d", res.StatusCode)
	}
	if writes < 20 {
		t.Fatalf("only %d write routes replayed", writes)
	}
	if after := w.fingerprint(); after != before {
		t.Errorf("a write went through in assist mode:\n%s", diffLines(before, after))
	}

	// The scope itself refuses writes, whatever the route.
	ro := w.coopScope(w.coopA).AsReadOnly()
	if _, _, err := ro.ApplyDossier(ctx, ex25, workflow.ItemAccepted{Stamp: workflow.Stamp{At: septNow, By: "x"}, Item: workflow.Quitus}, nil); !errors.Is(err, fault.ErrReadOnly) {
		t.Errorf("read-only ApplyDossier: %v", err)
	}
	// Another coop's object through coop A's assist view is a 404.
	other := w.addOp(w.coopA2, tOp(ledger.Recette, "16/09/2025", "R1", ledger.Banque, "10"))
	if res := staff.get(base + "/operations/" + itoa(other)); res.StatusCode != http.StatusNotFound {
		t.Errorf("coop A2's operation through A's assist view: %d", res.StatusCode)
	}
	// The mandataire cannot use the assist routes.
	if res := w.login("0310036W").get(base); res.StatusCode != http.StatusNotFound {
		t.Errorf("mandataire on the assist route: %d", res.StatusCode)
	}
}

// mandataireLink is an address of the mandataire's own space in a page
// (an attribute value or a URL in text starting with /coop).
var mandataireLink = regexp.MustCompile(`(?:href|action|hx-get|hx-post|hx-target|src|value)="/coop[/?#"][^"]*"|'/coop[/?#']`)

// fill puts coop A's objects in a route's parameters.
func (w *assistWorld) fill(t *testing.T, path string) string {
	t.Helper()
	for _, p := range paramRE.FindAllString(path, -1) {
		id, ok := w.ids[p[1:]]
		if !ok {
			t.Fatalf("no object of coop A for %s in %s", p, path)
		}
		path = strings.Replace(path, p, id, 1)
	}
	return path
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			out = append(out, fmt.Sprintf("- %.300s\n+ %.300s", al[i], bl[i]))
		}
	}
	return strings.Join(out, "\n")
}
