package apptest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"retkoop/app/store"
)

// TestBrowserClosingJourney: a mandataire whose bank statement does not
// explain the whole gap sees the check fail in words; once the right
// statement is in, every check passes, the mandataire closes the year,
// lands on the CRF, validates it, then the tableau des subventions, and
// finds the next exercice opened with the closing balances.
func TestBrowserClosingJourney(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	w.closingYear()
	w.countCash()
	w.statementAt("990")
	ctx := newBrowser(t)
	browserLogin(t, ctx, w, "0310036W", w.pw["0310036W"])
	browse(t, ctx, "open the closing from the home page",
		chromedp.WaitVisible(chromedp.ID("exercices")),
		chromedp.Click(chromedp.CSS(`#exercices a[href="/coop/cahier/2025-2026/cloture"]`)),
		chromedp.WaitVisible(chromedp.ID("checks")),
	)
	if got := textOf(t, ctx, "#checks li.check-ko"); !strings.Contains(got, "écart de 10,00") {
		t.Fatalf("failed check shown as %q", got)
	}
	if got := textOf(t, ctx, "#closing-blocked"); !strings.Contains(got, "Corrigez d'abord") {
		t.Fatalf("blocked closing shown as %q", got)
	}

	w.statementAt("1000")
	browse(t, ctx, "close the book",
		chromedp.Navigate(w.srv.URL+"/coop/cahier/2025-2026/cloture"),
		chromedp.WaitVisible(chromedp.ID("closing-form")),
		chromedp.Click(chromedp.ID("closing-submit")),
		chromedp.WaitVisible(chromedp.ID("crf-notice")),
	)
	for sel, want := range map[string]string{"#crf-total-produits": "842,00", "#crf-resultat": "526,50", "#rap-ecart": "0,00",
		"#crf-statut": "Brouillon"} {
		if got := textOf(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	browse(t, ctx, "validate the CRF",
		chromedp.Click(chromedp.ID("crf-validate")),
		chromedp.WaitVisible(chromedp.ID("subsidies-validate")),
	)
	if got := textOf(t, ctx, "#crf-statut"); got != "Validé par le mandataire" {
		t.Fatalf("status after validation: %q", got)
	}
	browse(t, ctx, "validate the subsidies",
		chromedp.Click(chromedp.ID("subsidies-validate")),
		chromedp.WaitNotPresent(chromedp.ID("subsidies-validate")),
	)
	if got := textOf(t, ctx, "#step-subventions"); !strings.Contains(got, "Tableau des subventions validé") {
		t.Fatalf("subsidies step: %q", got)
	}
	browse(t, ctx, "the home page shows the next exercice",
		chromedp.Navigate(w.srv.URL+"/coop"),
		chromedp.WaitVisible(chromedp.ID("exercices")),
	)
	if got := plainText(textOf(t, ctx, "#exercices tbody")); !strings.Contains(got, "2026-2027") || !strings.Contains(got, "1 540,00") {
		t.Fatalf("exercices = %q", got)
	}
	if st, _ := w.coopScopeOf(w.coopA).CRFState(context.Background(), ex25); st.Status != store.CRFValid || !st.SubsidiesValidated() {
		t.Fatalf("stored state = %+v", st)
	}
}

// TestBrowserSaisieAndCRA: a coop that keeps its books on paper enters its
// CRF (an unbalanced entry is explained, then corrected), validates it, and
// fills in the compte-rendu d'activité: a missing answer is pointed out
// next to its question, then the CRA is submitted.
func TestBrowserSaisieAndCRA(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	ad, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	if err := ad.UpdateCoop(context.Background(), w.coopA2.ID, store.CoopParams{Name: w.coopA2.Name, Commune: w.coopA2.Commune,
		Status: "active", BookMode: store.BookEntered}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	browserLogin(t, ctx, w, "0310100R", w.pw["0310100R"])
	set := func(id, v string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.ID(id), v)
	}
	browse(t, ctx, "enter unbalanced figures",
		chromedp.WaitVisible(chromedp.ID("exercices")),
		chromedp.Click(chromedp.CSS(`#exercices a[href="/coop/crf/2025-2026/saisie"]`)),
		chromedp.WaitVisible(chromedp.ID("entry-submit")), // the whole form is there
		set("e-compte_60600008", "200"),
		set("e-compte_74400008", "300"),
		set("e-fin_banque", "1090"),
		set("e-fin_caisse", "20"),
		set("s-date-0", "2025-11-12"),
		set("s-compte-0", "74400008"),
		set("s-fin-0", "Mairie de Muret"),
		set("s-mt-0", "300"),
		chromedp.Click(chromedp.ID("entry-submit")),
		chromedp.WaitVisible(chromedp.ID("entry-saved")),
	)
	if got := textOf(t, ctx, "#entry-problems"); !strings.Contains(got, "ne s'équilibrent pas") || !strings.Contains(got, "écart de -10,00") {
		t.Fatalf("problems shown: %q", got)
	}
	browse(t, ctx, "correct and validate",
		set("e-fin_banque", "1100"),
		chromedp.Click(chromedp.ID("entry-submit")),
		chromedp.WaitVisible(chromedp.ID("entry-saved")),
		chromedp.Click(chromedp.CSS(`#entry-saved a`)),
		chromedp.WaitVisible(chromedp.ID("crf-validate")),
		chromedp.Click(chromedp.ID("crf-validate")),
		chromedp.WaitVisible(chromedp.ID("subsidies-validate")),
	)
	if got := textOf(t, ctx, "#crf-head"); !strings.Contains(got, "saisi directement") || !strings.Contains(got, "Validé par le mandataire") {
		t.Fatalf("CRF head: %q", got)
	}
	if got := textOf(t, ctx, "#crf-resultat"); !strings.Contains(got, "100,00") {
		t.Fatalf("résultat %q", got)
	}

	browse(t, ctx, "submit an incomplete CRA",
		chromedp.Click(chromedp.CSS(`#crf-head a[href="/coop/cra/2025-2026"]`)),
		chromedp.WaitVisible(chromedp.ID("cra-submit")),
		set("q-classes", "3"),
		set("q-eleves", "71"),
		set("q-adultes", "5"),
		set("q-conseils", "6"),
		chromedp.Click(chromedp.ID("q-bureau-1")),
		set("q-projets", "Correspondance avec une école du Québec"),
		chromedp.Click(chromedp.ID("cra-submit")),
		chromedp.WaitVisible(chromedp.ID("q-parents-err")),
	)
	if got := textOf(t, ctx, "#q-parents-err"); got != "Cette question est obligatoire." {
		t.Fatalf("missing answer shown as %q", got)
	}
	browse(t, ctx, "submit the CRA",
		chromedp.Click(chromedp.ID("q-parents-2")),
		chromedp.Click(chromedp.ID("cra-submit")),
		chromedp.WaitVisible(chromedp.ID("cra-submitted")),
	)
	if got := textOf(t, ctx, "#q-projets-answer"); got != "Correspondance avec une école du Québec" {
		t.Fatalf("answer shown as %q", got)
	}
	if got := textOf(t, ctx, "#q-parents-answer"); got != "Occasionnelle" {
		t.Fatalf("choice shown as %q", got)
	}
}
