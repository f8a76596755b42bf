package apptest

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/fr"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/web"
	"retkoop/workflow"
)

// A fixed moment of the 2025-2026 campaign, before its deadline.
var septNow = time.Date(2026, 9, 18, 10, 2, 11, 0, fr.Paris)

var (
	pdfBytes  = []byte("%PDF-1.4\n% quitus signé École Alpha\n%%EOF\n")
	pdfBytes2 = []byte("%PDF-1.4\n% relevé d'août École Alpha\n%%EOF\n")
	htmlBytes = []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
	elfBytes  = append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), bytes.Repeat([]byte{0}, 64)...)
)

// upload posts a multipart form with one file (none when name is empty).
// A plain post carries the CSRF token as the first field, as a browser
// sends the hidden input before the file; with "HX-Request", "true" in
// headers it goes in the X-CSRF-Token header, as htmx sends it.
func (c *client) upload(path, name string, content []byte, headers ...string) *http.Response {
	c.w.t.Helper()
	htmx := false
	for i := 0; i+1 < len(headers); i += 2 {
		htmx = htmx || headers[i] == "HX-Request"
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if !htmx {
		_ = mw.WriteField("csrf", c.csrf)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("fichier", name)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.w.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if htmx {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// follow GETs the Location of a redirect.
func (c *client) follow(res *http.Response) *goquery.Document {
	c.w.t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		c.w.t.Fatalf("status %d, want a redirect: %.300s", res.StatusCode, body(c.w.t, res))
	}
	return c.doc(c.get(res.Header.Get("Location")))
}

// htmlText is the text of an HTML page or fragment, entities decoded.
func htmlText(t *testing.T, b string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Text()
}

func itemStatus(doc *goquery.Document, key string) string {
	v, _ := doc.Find("#" + web.ItemDOMID(workflow.ItemKey(key))).Attr("data-status")
	return v
}

func (w *world) coopScope(coop *store.Coop) *store.CoopScope {
	w.t.Helper()
	cs, err := w.db.ForCoop(context.Background(), coop.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return cs
}

// history returns the coop's dossier history for 2025-2026.
func (w *world) history(coop *store.Coop) []store.HistoryEntry {
	w.t.Helper()
	cs := w.coopScope(coop)
	row, _, err := cs.Dossier(context.Background(), "2025-2026")
	if err != nil {
		w.t.Fatal(err)
	}
	h, err := cs.DossierHistory(context.Background(), row.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return h
}

// seedDossierVictims gives AD B's coop an exercice that AD A's coops do not
// have (2024-2025) with a dossier holding a document and a correction, so
// that /coop/dossier/:ex, :item and :correction name objects of AD B.
func (w *world) seedDossierVictims() {
	ctx := context.Background()
	cs, err := w.db.ForCoop(ctx, w.coopB.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := cs.SetOpening(ctx, "2024-2025", 0, 0); err != nil {
		w.t.Fatal(err)
	}
	doc, err := cs.Document(ctx, w.victimDocument())
	if err != nil {
		w.t.Fatal(err)
	}
	stamp := workflow.Stamp{At: septNow.AddDate(-1, 0, 0), By: "victime"}
	for _, ev := range []workflow.Event{
		workflow.DocumentReceived{Stamp: stamp, Item: workflow.Quitus, Source: workflow.SourceWeb, DocumentID: doc.ID},
		workflow.CorrectionRequested{Stamp: stamp, Item: workflow.Quitus, Reason: "Victime Bêta : signature manquante"},
	} {
		if _, _, err := cs.ApplyDossier(ctx, "2024-2025", ev, nil); err != nil {
			w.t.Fatal(err)
		}
	}
	w.extraVictims["ex"] = "2024-2025"
	w.extraVictims["item"] = string(workflow.Quitus)
	w.extraVictims["correction"] = "1"
}

func TestDossierChecklistAndUploads(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	m := w.login("0310036W")
	res := m.get("/coop/dossier")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/coop/dossier/2025-2026" {
		t.Fatalf("current dossier: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	doc := m.doc(m.get("/coop/dossier/2025-2026"))
	if n := doc.Find("#checklist > li").Length(); n != 7 {
		t.Fatalf("checklist has %d items, want 7", n)
	}
	if st, _ := doc.Find("#dossier-status").Attr("data-status"); st != "incomplet" || itemStatus(doc, "quitus") != "manquant" {
		t.Fatalf("new dossier: status %q, quitus %q", st, itemStatus(doc, "quitus"))
	}
	if doc.Find("#dossier-item-cloture form.upload").Length() != 0 || doc.Find(`#dossier-item-cloture a[href="/coop/cahier/2025-2026/cloture"]`).Length() != 1 {
		t.Fatal("a step item offers an upload or lacks its link")
	}
	if got := doc.Find("#dossier-deadline").Text(); got != "30/09/2026" {
		t.Fatalf("deadline %q", got)
	}

	// A plain form post: redirected to the page, the item is received.
	doc = m.follow(m.upload("/coop/dossier/2025-2026/elements/quitus/documents", "quitus signé.pdf", pdfBytes))
	quitus := doc.Find("#dossier-item-quitus")
	if itemStatus(doc, "quitus") != "recu" || !strings.Contains(quitus.Find(".notice").Text(), "Document reçu : « quitus signé.pdf »") {
		t.Fatalf("after upload: %q / %q", itemStatus(doc, "quitus"), quitus.Text())
	}
	href, _ := quitus.Find(".docs a").First().Attr("href")
	if src, _ := quitus.Find("iframe.viewer").Attr("src"); src != href || !strings.HasPrefix(href, "/coop/documents/") {
		t.Fatalf("viewer %q for document %q", src, href)
	}
	if res := m.get(href); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Disposition"), "quitus") {
		t.Fatalf("document served %d %v", res.StatusCode, res.Header)
	}

	// An htmx upload: the item comes back alone, with the summary out of band.
	res = m.upload("/coop/dossier/2025-2026/elements/releve/documents", "releve.pdf", pdfBytes2, "HX-Request", "true")
	frag := m.doc(res)
	if res.StatusCode != http.StatusOK || frag.Find("header.top").Length() != 0 {
		t.Fatalf("htmx upload: %d", res.StatusCode)
	}
	if itemStatus(frag, "releve") != "recu" || frag.Find("#dossier-item-quitus").Length() != 0 {
		t.Fatalf("htmx upload returned %q", frag.Text())
	}
	if oob, _ := frag.Find("#dossier-summary").Attr("hx-swap-oob"); oob != "true" || frag.Find("#dossier-score-value").Text() != "28" {
		t.Fatalf("summary not swapped out of band (score %q)", frag.Find("#dossier-score-value").Text())
	}

	// The same file again, for any item: reported, not stored twice, no
	// second history entry.
	for _, hx := range [][]string{nil, {"HX-Request", "true"}} {
		res = m.upload("/coop/dossier/2025-2026/elements/quitus/documents", "encore.pdf", pdfBytes2, hx...)
		var text string
		if hx == nil {
			text = m.follow(res).Find("#dossier-item-releve .notice").Text()
		} else {
			text = m.doc(res).Find("#dossier-item-releve .notice").Text()
			if got := res.Header.Get("HX-Retarget"); got != "#dossier-item-releve" {
				t.Fatalf("duplicate of the statement swapped into %q", got)
			}
		}
		if !strings.Contains(text, "déjà été reçu le 18/09/2026 à 10:02") || !strings.Contains(text, "releve.pdf") {
			t.Fatalf("duplicate (%v) reported as %q", hx, text)
		}
	}
	h := w.history(w.coopA)
	if len(h) != 2 || h[0].Kind != "document_recu" || h[0].By != "M. École Alpha (mandataire)" || h[0].ByUser == nil {
		t.Fatalf("history = %+v", h)
	}
	if n, _ := w.db.System().AuditCount(context.Background(), w.coopA.ID, "document.add"); n != 2 {
		t.Fatalf("%d documents recorded, want 2", n)
	}
	// The page lists the history, newest first.
	doc = m.doc(m.get("/coop/dossier/2025-2026"))
	if rows := doc.Find("#dossier-history tbody tr"); rows.Length() != 2 || !strings.Contains(rows.First().Text(), "Relevé bancaire") {
		t.Fatalf("history shown: %q", doc.Find("#dossier-history").Text())
	}
	// Fragment variant of the page.
	b := body(t, m.get("/coop/dossier/2025-2026", "HX-Request", "true"))
	if strings.Contains(b, "<html") || !strings.Contains(b, `id="checklist"`) {
		t.Fatalf("fragment page: %.200s", b)
	}
}

func TestDossierUploadRefusals(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.app.Cfg.MaxAttachment = 2048
	m := w.login("0310036W")
	url := "/coop/dossier/2025-2026/elements/quitus/documents"
	cases := []struct {
		name    string
		file    string
		content []byte
		status  int
		message string
	}{
		{"html renamed pdf", "quitus.pdf", htmlBytes, 422, "n'est pas un PDF ni une image"},
		{"executable renamed pdf", "quitus.pdf", elfBytes, 422, "n'est pas un PDF ni une image"},
		{"oversized", "gros.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 4096)...), 422, "dépasse la taille maximale autorisée (2 Ko)"},
		{"far oversized", "enorme.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 3<<20)...), 422, "dépasse la taille maximale autorisée (2 Ko)"},
		{"empty", "vide.pdf", nil, 422, "vide"},
		{"no file", "", nil, 422, "Choisissez le fichier"},
	}
	for _, tc := range cases {
		for _, hx := range [][]string{nil, {"HX-Request", "true"}} {
			res := m.upload(url, tc.file, tc.content, hx...)
			b := body(t, res)
			if res.StatusCode != tc.status || !strings.Contains(htmlText(t, b), tc.message) {
				t.Errorf("%s (htmx %v): %d %.300s", tc.name, hx != nil, res.StatusCode, b)
			}
			if hx != nil && (strings.Contains(b, "<html") || res.Header.Get("HX-Retarget") != "#alerts") {
				t.Errorf("%s: htmx refusal not retargeted to #alerts", tc.name)
			}
		}
	}
	// A step item is done in the app; an unknown item does not exist.
	if res := m.upload("/coop/dossier/2025-2026/elements/cloture/documents", "c.pdf", pdfBytes); res.StatusCode != 422 ||
		!strings.Contains(htmlText(t, body(t, res)), "se fait dans l'application") {
		t.Errorf("upload for a step: %d", res.StatusCode)
	}
	if res := m.upload("/coop/dossier/2025-2026/elements/photo/documents", "c.pdf", pdfBytes); res.StatusCode != 404 {
		t.Errorf("upload for an unknown item: %d", res.StatusCode)
	}
	// Nothing was stored: no file on disk, no document, no history.
	var files []string
	_ = filepath.WalkDir(w.app.Cfg.DataDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, "documents") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("refused files left on disk: %v", files)
	}
	if n, _ := w.db.System().AuditCount(context.Background(), w.coopA.ID, "document.add"); n != 0 {
		t.Errorf("%d documents recorded", n)
	}
	if h := w.history(w.coopA); len(h) != 0 {
		t.Errorf("history after refusals: %+v", h)
	}
}

func TestDossierForeignIDsAre404(t *testing.T) {
	w := newWorld(t)
	w.seedVictimObjects()
	victimDoc := w.extraVictims["doc"]
	m := w.login("0310036W")
	for _, path := range []string{"/coop/dossier/2024-2025", "/coop/documents/" + victimDoc} {
		if res := m.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("mandataire of A → %s: %d", path, res.StatusCode)
		}
	}
	if res := m.upload("/coop/dossier/2024-2025/elements/quitus/documents", "q.pdf", pdfBytes); res.StatusCode != http.StatusNotFound {
		t.Errorf("upload into B's exercice: %d", res.StatusCode)
	}
	if res := m.post("/coop/dossier/2025-2026/corrections/1", url.Values{"reponse": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("answer to a correction A does not have: %d", res.StatusCode)
	}
	s := w.login("staff@a.example")
	for _, path := range []string{"/ad/coops/" + itoa(w.coopB.ID) + "/dossier/2025-2026",
		"/ad/coops/" + itoa(w.coopA.ID) + "/documents/" + victimDoc, "/ad/coops/" + itoa(w.coopA.ID) + "/dossier/2024-2025"} {
		if res := s.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("staff of A → %s: %d", path, res.StatusCode)
		}
	}
	if res := s.post("/ad/coops/"+itoa(w.coopB.ID)+"/dossier/2024-2025/elements/quitus/accepter", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff of A accepts B's item: %d", res.StatusCode)
	}
	// Nothing of it reached B's dossier.
	if h := w.history(w.coopB); len(h) != 0 {
		t.Errorf("B's 2025-2026 history: %+v", h)
	}
	// B's own staff see B's dossier and its document.
	sb := w.login("staff@b.example")
	doc := sb.doc(sb.get("/ad/coops/" + itoa(w.coopB.ID) + "/dossier/2024-2025"))
	if !strings.Contains(doc.Find("#dossier-item-quitus .correction").Text(), "signature manquante") {
		t.Errorf("B's staff do not see B's correction: %q", doc.Find("#dossier-item-quitus").Text())
	}
}

func TestSubmissionExercice(t *testing.T) {
	deadline := time.Date(2026, 9, 30, 0, 0, 0, 0, fr.Paris)
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, fr.Paris) }
	for _, tc := range []struct {
		name                     string
		now                      time.Time
		validated, hasLast, next bool
		want                     string
	}{
		{"before the deadline", at(9, 18, 10), false, true, true, "2025-2026"},
		{"validated, deadline not passed", at(9, 29, 10), true, true, true, "2025-2026"},
		{"the deadline day counts", at(9, 30, 23), true, true, true, "2025-2026"},
		{"late and not validated", at(11, 26, 10), false, true, true, "2025-2026"},
		{"validated, deadline passed", at(10, 1, 0), true, true, true, "2026-2027"},
		{"validated but no next exercice", at(11, 26, 10), true, true, false, "2025-2026"},
		{"new coop with the current exercice only", at(9, 18, 10), false, false, true, "2026-2027"},
	} {
		if got := service.SubmissionExercice(tc.now, "2025-2026", "2026-2027", deadline, tc.validated, tc.hasLast, tc.next); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestDossierCorrectionCycle(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	ctx := context.Background()
	m := w.login("0310036W")
	s := w.login("staff@a.example")
	staffPage := "/ad/coops/" + itoa(w.coopA.ID) + "/dossier/2025-2026"
	m.follow(m.upload("/coop/dossier/2025-2026/elements/quitus/documents", "quitus.pdf", pdfBytes))

	if b := body(t, s.get(staffPage, "HX-Request", "true")); strings.Contains(b, "<html") || !strings.Contains(b, `id="checklist"`) {
		t.Fatalf("staff fragment: %.200s", b)
	}
	doc := s.doc(s.get(staffPage))
	quitus := doc.Find("#dossier-item-quitus")
	if quitus.Find(`form[action$="/elements/quitus/accepter"]`).Length() != 1 || quitus.Find(`form[action$="/elements/quitus/corriger"]`).Length() != 1 {
		t.Fatalf("staff actions on a received item: %q", quitus.Text())
	}
	if doc.Find("#dossier-item-releve form[action$='/accepter']").Length() != 0 || doc.Find("#validate-dossier").Length() != 0 {
		t.Fatal("staff offered to accept a missing item or validate an incomplete dossier")
	}
	if src, _ := quitus.Find("iframe.viewer").Attr("src"); !strings.HasPrefix(src, "/ad/coops/"+itoa(w.coopA.ID)+"/documents/") {
		t.Fatalf("staff viewer points at %q", src)
	}
	// A correction needs a reason.
	if res := s.post(staffPage+"/elements/quitus/corriger", url.Values{"motif": {"  "}}); res.StatusCode != 422 ||
		!strings.Contains(htmlText(t, body(t, res)), "le motif de la correction est obligatoire") {
		t.Fatalf("correction without reason: %d", res.StatusCode)
	}
	reason := "Il manque la signature d'un parent vérificateur."
	doc = s.follow(s.post(staffPage+"/elements/quitus/corriger", url.Values{"motif": {reason}}))
	if doc.Find("#notice").Text() != "Demande de correction envoyée à la coopérative." || itemStatus(doc, "quitus") != "a_corriger" {
		t.Fatalf("after correction: %q %q", doc.Find("#notice").Text(), itemStatus(doc, "quitus"))
	}

	// The mandataire sees the reason and answers in place (htmx).
	doc = m.doc(m.get("/coop/dossier/2025-2026"))
	if st, _ := doc.Find("#dossier-status").Attr("data-status"); st != "a_corriger" ||
		!strings.Contains(doc.Find("#dossier-item-quitus .correction .reason").Text(), reason) {
		t.Fatalf("mandataire sees %q / %q", st, doc.Find("#dossier-item-quitus").Text())
	}
	action, _ := doc.Find("#dossier-item-quitus .correction form").Attr("action")
	if res := m.post(action, url.Values{"reponse": {""}}, "HX-Request", "true"); res.StatusCode != 422 {
		t.Fatalf("empty answer: %d", res.StatusCode)
	}
	res := m.post(action, url.Values{"reponse": {"La signature a été ajoutée : voir le courrier."}}, "HX-Request", "true")
	frag := m.doc(res)
	if res.StatusCode != http.StatusOK || itemStatus(frag, "quitus") != "recu" || frag.Find(".correction").Length() != 0 ||
		!strings.Contains(frag.Find(".answered").Text(), "La signature a été ajoutée") {
		t.Fatalf("answer: %d %q", res.StatusCode, frag.Text())
	}
	// A second answer to the same correction is refused.
	if res := m.post(action, url.Values{"reponse": {"encore"}}); res.StatusCode != 422 {
		t.Fatalf("second answer: %d", res.StatusCode)
	}

	// The steps come from the closing pages; a subsidy proof is waived;
	// the statement arrives by post without a scan.
	cs := w.coopScope(w.coopA)
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF} {
		if _, err := w.app.CompleteStep(ctx, cs, "2025-2026", k, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.app.CompleteStep(ctx, cs, "2025-2026", workflow.Subventions, []workflow.Subsidy{{Ref: "op-12", Label: "Mairie — 300,00 €"}}); err != nil {
		t.Fatal(err)
	}
	doc = s.follow(s.post(staffPage+"/elements/releve/courrier", nil))
	if doc.Find("#notice").Text() != "Document reçu par courrier enregistré." || itemStatus(doc, "releve") != "recu" ||
		!strings.Contains(doc.Find("#dossier-item-releve .docs").Text(), "reçu par courrier") {
		t.Fatalf("postal receipt: %q", doc.Find("#dossier-item-releve").Text())
	}
	if doc.Find("#waive-proof option[value='op-12']").Length() != 1 {
		t.Fatal("the subsidy proof cannot be waived")
	}
	doc = s.follow(s.post(staffPage+"/dispenser", url.Values{"subvention": {"op-12"}, "motif": {"Versée sur le relevé"}}))
	if st, _ := doc.Find("#dossier-status").Attr("data-status"); st != "transmis" || doc.Find("#validate-dossier").Length() != 1 {
		t.Fatalf("after waiver: %q", st)
	}
	// A scan sent by post for the quitus, then validation and reopening.
	doc = s.follow(s.upload(staffPage+"/elements/quitus/courrier", "scan-quitus.pdf", []byte("%PDF-1.4\n% scan\n%%EOF\n")))
	if !strings.Contains(doc.Find("#dossier-item-quitus .docs").Text(), "scan-quitus.pdf") {
		t.Fatalf("postal scan: %q", doc.Find("#dossier-item-quitus").Text())
	}
	doc = s.follow(s.post(staffPage+"/valider", nil))
	if st, _ := doc.Find("#dossier-status").Attr("data-status"); st != "valide" || itemStatus(doc, "releve") != "accepte" {
		t.Fatalf("after validation: %q", st)
	}
	if res := s.post(staffPage+"/rouvrir", url.Values{"motif": {""}}); res.StatusCode != 422 {
		t.Fatalf("reopen without reason: %d", res.StatusCode)
	}
	doc = s.follow(s.post(staffPage+"/rouvrir", url.Values{"motif": {"Relevé illisible"}, "cles": {"releve"}}))
	if st, _ := doc.Find("#dossier-status").Attr("data-status"); st != "a_corriger" || itemStatus(doc, "releve") != "a_corriger" {
		t.Fatalf("after reopening: %q", st)
	}
	// Every action is in the history, with who and why.
	h := w.history(w.coopA)
	kinds := make([]string, len(h))
	for i, e := range h {
		kinds[i] = e.Kind
	}
	want := "document_recu correction_demandee correction_repondue etape_terminee etape_terminee etape_terminee etape_terminee " +
		"document_recu justificatif_dispense document_recu dossier_valide dossier_rouvert"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("history kinds:\n%s\nwant\n%s", strings.Join(kinds, " "), want)
	}
	if h[1].By != "Agent staff@a.example (AD)" || h[1].Why != reason || h[11].Why != "Relevé illisible" ||
		!strings.Contains(h[11].Effects, "UnlockCRF") {
		t.Fatalf("history rows: %+v / %+v", h[1], h[11])
	}
	if rows := doc.Find("#dossier-history tbody tr"); rows.Length() != len(h) || !strings.Contains(rows.First().Text(), "Relevé illisible") {
		t.Fatalf("staff page history: %d rows", rows.Length())
	}
}
