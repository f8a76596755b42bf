package apptest

import (
	"os"
	"path/filepath"
	"retkoop/app/service"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDossierUpload: a mandataire opens "Mon dossier" from the
// navigation, uploads the signed quitus and sees the item turn "Reçu" in
// place (htmx) with the score updated; a web page renamed .pdf is refused
// with the reason shown on the page.
func TestBrowserDossierUpload(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	ctx := newBrowser(t)
	dir := t.TempDir()
	quitus := filepath.Join(dir, "quitus-signé.pdf")
	fake := filepath.Join(dir, "releve.pdf")
	if err := os.WriteFile(quitus, service.NotePDF("Commission de contrôle des comptes", []string{"École Alpha", "Quitus donné."}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, htmlBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, w, "0310036W", w.pw["0310036W"])
	browse(t, ctx, "open Mon dossier",
		chromedp.WaitVisible(chromedp.ID("coop-params")),
		chromedp.Click(chromedp.CSS(`nav a[href="/coop/dossier"]`)),
		chromedp.WaitVisible(chromedp.ID("checklist")),
		chromedp.WaitVisible(chromedp.CSS(`#dossier-item-quitus[data-status="manquant"]`)),
	)
	browse(t, ctx, "upload the quitus",
		chromedp.SetUploadFiles(chromedp.ID("fichier-quitus"), []string{quitus}),
		chromedp.Click(chromedp.CSS(`#dossier-item-quitus form.upload button`)),
		chromedp.WaitVisible(chromedp.CSS(`#dossier-item-quitus[data-status="recu"]`)),
	)
	if got := textOf(t, ctx, "#dossier-item-quitus .badge"); got != "Reçu" {
		t.Fatalf("quitus status shown as %q", got)
	}
	if got := textOf(t, ctx, "#dossier-item-quitus .notice"); !strings.Contains(got, "quitus-signé.pdf") {
		t.Fatalf("upload notice %q", got)
	}
	if got := textOf(t, ctx, "#dossier-score-value"); got != "14" {
		t.Fatalf("score shown %q after the first document", got)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/coop/dossier/2025-2026") {
		t.Fatalf("upload left the page: %s %v", loc, err)
	}
	browse(t, ctx, "refused upload",
		chromedp.SetUploadFiles(chromedp.ID("fichier-releve"), []string{fake}),
		chromedp.Click(chromedp.CSS(`#dossier-item-releve form.upload button`)),
		chromedp.WaitVisible(chromedp.CSS(`#alerts [role="alert"]`)),
	)
	if got := textOf(t, ctx, "#alerts"); !strings.Contains(got, "n'est pas un PDF ni une image") {
		t.Fatalf("refusal shown as %q", got)
	}
	if got := textOf(t, ctx, "#dossier-item-releve .badge"); got != "Manquant" {
		t.Fatalf("refused upload changed the item: %q", got)
	}
}
