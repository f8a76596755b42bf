package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/fr"
	"retkoop/app/store"
	"retkoop/workflow"
)

// octNow is after the 2025-2026 deadline (30 September 2026).
var octNow = time.Date(2026, 10, 5, 10, 0, 0, 0, fr.Paris)

// completeDossier brings a coop's dossier to "transmis": every step done,
// the quitus and the statement received.
func (w *world) completeDossier(co *store.Coop) {
	w.t.Helper()
	ctx := context.Background()
	cs := w.coopScope(co)
	st := workflow.Stamp{At: septNow, By: "M. " + co.Name + " (mandataire)"}
	evs := []workflow.Event{}
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF, workflow.Subventions} {
		evs = append(evs, workflow.StepCompleted{Stamp: st, Item: k})
	}
	for i, k := range []workflow.ItemKey{workflow.Quitus, workflow.Releve} {
		stored, err := w.app.Docs().Put(strings.NewReader("%PDF-1.4\n% " + co.UAI + string(k) + "\n%%EOF\n"))
		if err != nil {
			w.t.Fatal(err)
		}
		doc, _, err := cs.AddDocument(ctx, stored, string(k)+".pdf", "web")
		if err != nil {
			w.t.Fatal(err)
		}
		_ = i
		evs = append(evs, workflow.DocumentReceived{Stamp: st, Item: k, Source: workflow.SourceWeb, DocumentID: doc.ID})
	}
	for _, ev := range evs {
		if _, _, err := cs.ApplyDossier(ctx, ex25, ev, nil); err != nil {
			w.t.Fatal(err)
		}
	}
}

func queueDoc(t *testing.T, c *client, query string, headers ...string) *goquery.Document {
	t.Helper()
	res := c.get("/ad/dossiers?exercice=2025-2026&"+query, headers...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("queue %s: %d %.300s", query, res.StatusCode, body(t, res))
	}
	return c.doc(res)
}

func tabCount(doc *goquery.Document, tab string) string {
	return strings.TrimSpace(doc.Find("#tab-" + tab + " .count").Text())
}

func TestQueueTabsSearchAndUnread(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	mand := w.login("0310036W")
	if res := mand.upload("/coop/dossier/2025-2026/elements/quitus/documents", "quitus.pdf", pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	staff := w.login("staff@a.example")
	doc := queueDoc(t, staff, "")
	for tab, want := range map[string]string{"a_traiter": "1", "incomplets": "2", "a_corriger": "0", "en_retard": "0", "valides": "0", "tous": "2"} {
		if got := tabCount(doc, tab); got != want {
			t.Errorf("tab %s counts %q, want %q", tab, got, want)
		}
	}
	if cur, _ := doc.Find("#tab-a_traiter").Attr("aria-current"); cur != "page" {
		t.Error("à traiter is not the current tab")
	}
	rowA := doc.Find("#queue-coop-" + itoa(w.coopA.ID))
	if rowA.Length() != 1 || doc.Find("#queue-coop-"+itoa(w.coopA2.ID)).Length() != 0 {
		t.Fatalf("à traiter lists: %s", doc.Find("#queue-table tbody").Text())
	}
	if !strings.Contains(rowA.Text(), "nouveau") || !strings.Contains(rowA.Text(), "1 à examiner") {
		t.Errorf("row of A: %q", rowA.Text())
	}
	if m := rowA.Find(".marks li.mark-recu").Length(); m != 1 {
		t.Errorf("A shows %d received marks, want 1 (the quitus)", m)
	}
	if href, _ := rowA.Find("a").First().Attr("href"); href != "/ad/coops/"+itoa(w.coopA.ID)+"/dossier/2025-2026" {
		t.Errorf("row links to %q", href)
	}

	// Every tab, search and filter; a foreign coop never shows.
	doc = queueDoc(t, staff, "onglet=tous&q=MUR")
	if rows := doc.Find("#queue-table tbody tr[id]"); rows.Length() != 1 || !strings.Contains(rows.Text(), "Alpha-Deux") {
		t.Errorf("search « MUR » lists %q", rows.Text())
	}
	if !strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA2.ID)).Text(), "Non commencé") {
		t.Error("a coop that never opened its dossier shows as not started")
	}
	doc = queueDoc(t, staff, "onglet=tous&q=ecole+alpha")
	if doc.Find("#queue-table tbody tr[id]").Length() != 2 {
		t.Error("search without accents must find both « École Alpha »")
	}
	doc = queueDoc(t, staff, "onglet=tous&manquant=quitus")
	if doc.Find("#queue-table tbody tr[id]").Length() != 1 || doc.Find("#queue-coop-"+itoa(w.coopA2.ID)).Length() != 1 {
		t.Error("missing quitus: only A2")
	}
	if got := tabCount(doc, "tous"); got != "1" {
		t.Errorf("tab counts follow the filter: tous = %q", got)
	}
	if body := doc.Text(); strings.Contains(body, "Victime") || strings.Contains(body, "0700001L") {
		t.Error("AD B's coop in the queue")
	}
	res := staff.get("/ad/dossiers?exercice=2025-2026&onglet=tous", "HX-Request", "true")
	if b := body(t, res); strings.Contains(b, "<html") || !strings.Contains(b, "queue-table") || res.Header.Get("Vary") != "HX-Request" {
		t.Error("htmx gets the content only")
	}

	// After the deadline both are late; the sort links keep the filter.
	w.app.Now = func() time.Time { return octNow }
	doc = queueDoc(t, staff, "onglet=en_retard")
	if tabCount(doc, "en_retard") != "2" || !strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA.ID)).Text(), "J+5") {
		t.Errorf("late tab: %q", doc.Find("#queue-table tbody").Text())
	}
	href, _ := doc.Find(`th a[href*="tri=score"]`).Attr("href")
	if !strings.Contains(href, "onglet=en_retard") || !strings.Contains(href, "ordre=desc") {
		t.Errorf("score heading links to %q", href)
	}

	// Opening the dossier clears "nouveau"; a new document brings it back.
	if res := staff.get("/ad/coops/" + itoa(w.coopA.ID) + "/dossier/2025-2026"); res.StatusCode != http.StatusOK {
		t.Fatalf("dossier page: %d", res.StatusCode)
	}
	doc = queueDoc(t, staff, "onglet=tous")
	if strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA.ID)).Text(), "nouveau") || doc.Find("#queue-unread").Length() != 0 {
		t.Error("the dossier was opened: not new any more")
	}
	if doc := queueDoc(t, w.login("admin@a.example"), "onglet=tous"); !strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA.ID)).Text(), "nouveau") {
		t.Error("another staff member has not seen it yet")
	}
	mand.upload("/coop/dossier/2025-2026/elements/releve/documents", "releve.pdf", pdfBytes2)
	doc = queueDoc(t, staff, "onglet=tous")
	if !strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA.ID)).Text(), "nouveau") || doc.Find("#queue-unread").Length() != 1 {
		t.Error("a new document makes the dossier new again")
	}
}

func TestQueueBatchActions(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return octNow }
	ctx := context.Background()
	w.completeDossier(w.coopA)
	staff := w.login("staff@a.example")
	doc := queueDoc(t, staff, "onglet=tous")
	nonce, _ := doc.Find(`#queue-batch input[name="cle"]`).Attr("value")
	form := func(extra url.Values) url.Values {
		v := url.Values{"exercice": {ex25}, "onglet": {"tous"}, "cle": {nonce}}
		for k, vals := range extra {
			v[k] = vals
		}
		return v
	}
	adA, _ := w.db.ForAD(ctx, w.adA.ID, nil)
	outbox := func() int {
		_, n, err := adA.Outbox(ctx, store.OutboxFilter{Kind: store.MailReminder})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// A foreign coop in the selection: 404, nothing queued.
	if res := staff.post("/ad/dossiers/relances", form(url.Values{"coop": {itoa(w.coopA2.ID), itoa(w.coopB.ID)}})); res.StatusCode != http.StatusNotFound || outbox() != 0 {
		t.Fatalf("foreign coop: %d, %d mails", res.StatusCode, outbox())
	}
	if res := staff.post("/ad/dossiers/relances", form(nil)); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty selection: %d", res.StatusCode)
	}
	// Reminders: A is complete (skipped), A2 owes everything; a double
	// click queues one mail.
	res := staff.post("/ad/dossiers/relances", form(url.Values{"coop": {itoa(w.coopA.ID), itoa(w.coopA2.ID)}}))
	done := staff.follow(res)
	if got := done.Find("#queue-notice").Text(); !strings.Contains(got, "1 relance mise dans la file") || !strings.Contains(got, "1 coopérative ignorée") {
		t.Errorf("notice %q", got)
	}
	staff.post("/ad/dossiers/relances", form(url.Values{"coop": {itoa(w.coopA2.ID)}}))
	if n := outbox(); n != 1 {
		t.Fatalf("%d reminders queued, want 1", n)
	}
	mails, _, _ := adA.Outbox(ctx, store.OutboxFilter{Kind: store.MailReminder})
	if mails[0].To != "0310100r@ecole.example" || !strings.Contains(mails[0].Text, "Quitus") {
		t.Errorf("reminder to %s: %.200s", mails[0].To, mails[0].Text)
	}

	// Validation: only the complete dossier; its CRF lock follows.
	res = staff.post("/ad/dossiers/validations", form(url.Values{"tout": {"1"}}))
	done = staff.follow(res)
	if got := done.Find("#queue-notice").Text(); !strings.Contains(got, "1 dossier validé") || !strings.Contains(got, "1 dossier non validé") {
		t.Errorf("notice %q", got)
	}
	if row, err := w.coopScope(w.coopA).FindDossier(ctx, ex25); err != nil || row.Status != string(workflow.DossierValide) {
		t.Fatalf("A: %+v %v", row, err)
	}
	if _, err := w.coopScope(w.coopA2).FindDossier(ctx, ex25); err == nil {
		t.Error("A2's dossier was opened by the batch")
	}
	doc = queueDoc(t, staff, "onglet=valides")
	if tabCount(doc, "valides") != "1" || strings.Contains(doc.Find("#queue-coop-"+itoa(w.coopA.ID)).Text(), "nouveau") {
		t.Errorf("validated tab: %q", doc.Find("#queue-table tbody").Text())
	}

	// Export: the ticked coops, or the whole view.
	res = staff.post("/ad/dossiers/export", form(url.Values{"coop": {itoa(w.coopA2.ID)}}))
	csv := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv, "0310100R;École Alpha-Deux;Muret;cahier;incomplet;0;cloture,cra,crf,subventions,quitus,releve,justificatifs_subventions;0;0;5;") ||
		strings.Contains(csv, "0310036W") {
		t.Errorf("export of A2: %d\n%s", res.StatusCode, csv)
	}
	res = staff.post("/ad/dossiers/export", form(url.Values{"tout": {"1"}}))
	csv = body(t, res)
	if !strings.Contains(csv, "0310036W;École Alpha;Toulouse;cahier;valide;100;") || !strings.Contains(csv, "0310100R") || strings.Contains(csv, "0700001L") {
		t.Errorf("export of the view:\n%s", csv)
	}
}
