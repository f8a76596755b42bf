package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/cra"
	"retkoop/workflow"
)

// craAnswers is a complete CRA of the default questionnaire.
func craAnswers() cra.Answers {
	return cra.Answers{"classes": {"5"}, "eleves": {"118"}, "adultes": {"9"}, "conseils": {"14"}, "bureau": {"oui"},
		"projets": {"Classe de découverte"}, "parents": {"Occasionnelle"}}
}

func TestCRAFormDraftAndSubmit(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	m := w.login("0310036W")
	res := m.get("/coop/cra/2025-2026")
	wantStatus(t, res, http.StatusOK)
	doc := m.doc(res)
	if n := doc.Find("#cra-form fieldset[id^=cra-section]").Length(); n != 4 {
		t.Fatalf("sections = %d", n)
	}
	// Every field has a label: its own <label for>, or its choice's.
	doc.Find("#cra-form input:not([type=hidden]), #cra-form textarea").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("field %q has no label", id)
		}
	})
	if max, _ := doc.Find("#q-eleves").Attr("max"); max != "2000" {
		t.Errorf("max of eleves = %q", max)
	}

	// A partial draft is kept.
	wantStatus(t, m.post("/coop/cra/2025-2026", url.Values{"action": {"brouillon"}, "classes": {"5"}, "projets": {"Jardin"}}), http.StatusSeeOther)
	doc = m.doc(m.get("/coop/cra/2025-2026?enregistre=1"))
	if v, _ := doc.Find("#q-classes").Attr("value"); v != "5" || text(doc, "#q-projets") != "Jardin" || doc.Find("#cra-notice").Length() != 1 {
		t.Fatalf("draft not shown back: classes %q, projets %q", v, text(doc, "#q-projets"))
	}

	// Submitting an incomplete or wrong form says what to fix, next to
	// each question, and saves nothing.
	res = m.post("/coop/cra/2025-2026", url.Values{"action": {"transmettre"}, "classes": {"5"}, "eleves": {"beaucoup"}, "projets": {"Jardin potager"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = m.doc(res)
	if got := text(doc, "#q-eleves-err"); got != "Indiquez un nombre entier." {
		t.Errorf("eleves error = %q", got)
	}
	if inv, _ := doc.Find("#q-eleves").Attr("aria-invalid"); inv != "true" {
		t.Error("the wrong field is not marked invalid")
	}
	if desc, _ := doc.Find("#q-eleves").Attr("aria-describedby"); !strings.Contains(desc, "q-eleves-err") {
		t.Errorf("the error is not tied to its field: %q", desc)
	}
	if got := text(doc, "#q-bureau-err"); got != "Cette question est obligatoire." {
		t.Errorf("bureau error = %q", got)
	}
	if v, _ := doc.Find("#q-eleves").Attr("value"); v != "beaucoup" {
		t.Errorf("typed value lost: %q", v)
	}
	ctx := context.Background()
	cs := w.coopScopeOf(w.coopA)
	if r, _ := cs.CRA(ctx, ex25); r.Answers["projets"][0] != "Jardin" {
		t.Fatalf("a refused submission changed the draft: %v", r.Answers)
	}

	form := url.Values{"action": {"transmettre"}}
	for k, v := range craAnswers() {
		form[k] = v
	}
	form["actions_occe"] = []string{"Agenda coopératif", "Arts visuels"}
	wantStatus(t, m.post("/coop/cra/2025-2026", form), http.StatusSeeOther)
	doc = m.doc(m.get("/coop/cra/2025-2026?transmis=1"))
	if doc.Find("#cra-form").Length() != 0 || doc.Find("#cra-submitted").Length() != 1 {
		t.Fatal("a submitted CRA is still editable")
	}
	if got := text(doc, "#q-actions_occe-answer"); got != "Arts visuels, Agenda coopératif" {
		t.Errorf("answer shown = %q", got)
	}
	if got := text(doc, "#q-bureau-answer"); got != "Oui" {
		t.Errorf("yes/no shown = %q", got)
	}
	_, d, _ := cs.Dossier(ctx, ex25)
	if it, _ := d.Item(workflow.CRA); it.Status != workflow.ItemRecu {
		t.Fatalf("dossier item cra = %s", it.Status)
	}
	res = m.post("/coop/cra/2025-2026", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(body(t, res), "transmis à votre AD") {
		t.Error("a second submission is not explained")
	}
	// The staff read the answers.
	s := w.login("staff@a.example")
	doc = s.doc(s.get("/ad/coops/" + itoa(w.coopA.ID) + "/exercices/2025-2026"))
	if got := text(doc, "#q-eleves-answer"); got != "118" {
		t.Errorf("staff sees eleves %q", got)
	}
}
