package apptest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-pdf/fpdf"

	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/store/storetest"
	"retkoop/mailin"
	"retkoop/workflow"
)

// TestMailinRecognisesPrintedQuitus prints a coop's quitus with the app's
// QR code, scans page 1 as a scanner would (pdftoppm, 150 dpi, JPEG) and
// mails it back from an unknown address with nothing else to go on, once as
// the JPEG and once as a PDF made of that image: both are filed as the
// quitus of that coop's 2025-2026 dossier.
func TestMailinRecognisesPrintedQuitus(t *testing.T) {
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		storetest.Require(t, "pdftoppm (poppler-utils) is not installed: QR test skipped")
	}
	f := newMailFixture(t, storetest.SQLite(t))
	crf := ledger.CRF{UAI: "0310999T", Nom: "École des Tilleuls", Exercice: "2025-2026", Debut: "2025-09-01", Fin: "2026-08-31",
		Source: "cahier", Statut: "verrouille", Equilibre: true}
	var quitus bytes.Buffer
	if err := report.QuitusPDF(&quitus, crf, report.QuitusInfo{AD: "OCCE 31", Commune: "Colomiers", Mandataires: []string{"Sophie Bernard"}}); err != nil {
		t.Fatal(err)
	}
	scan := rasterise(t, tool, quitus.Bytes())
	scanPDF := imagePDF(t, scan)

	from := "Secrétariat <secretariat.ecole@example.net>"
	f.appendMail(
		buildMail(from, "documents@occe31.test", "Envoi", "<scan-1@example.net>", "Bonjour, ci-joint.", filePart{"IMG_2041.jpg", "image/jpeg", scan}),
		buildMail(from, "documents@occe31.test", "Envoi", "<scan-2@example.net>", "Bonjour, ci-joint.", filePart{"numerisation.pdf", "application/pdf", scanPDF}))
	res, err := f.pass(nil)
	if err != nil || len(res) != 2 {
		t.Fatalf("pass = %+v, %v", res, err)
	}
	for _, r := range res {
		if r.UAI != "0310999T" || r.Type != mailin.TypeQuitus || r.Issue != mailin.IssueStored || r.Documents != 1 {
			t.Errorf("result %s, want 0310999T quitus stored", r.JSON())
		}
	}
	for _, e := range f.ledger() {
		if e.MatchedBy != "qr" || e.Exercice != "2025-2026" || e.DocType != "quitus" {
			t.Errorf("ledger uid %d: matched by %q, exercice %q, type %q; want qr 2025-2026 quitus", e.UID, e.MatchedBy, e.Exercice, e.DocType)
		}
	}
	it := f.item("0310999T", workflow.Quitus)
	if it.Status != workflow.ItemRecu || len(it.Documents) != 2 {
		t.Fatalf("quitus item = %+v, want reçu with the JPEG and the PDF", it)
	}
	cs, _ := f.db.ForCoop(context.Background(), f.coops["0310999T"].ID, nil)
	for _, d := range it.Documents {
		doc, err := cs.Document(context.Background(), d.ID)
		if err != nil || doc.Source != "mail" {
			t.Errorf("document %d = %+v, %v", d.ID, doc, err)
		}
	}
}

// rasterise renders page 1 of a PDF as a 150 dpi JPEG.
func rasterise(t *testing.T, tool string, pdf []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	if b, err := exec.Command(tool, "-r", "150", "-jpeg", "-f", "1", "-l", "1", "-singlefile", in, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	jpg, err := os.ReadFile(out + ".jpg")
	if err != nil {
		t.Fatal(err)
	}
	return jpg
}

// imagePDF wraps a JPEG scan in a one-page A4 PDF, as scanners do.
func imagePDF(t *testing.T, jpg []byte) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	opt := fpdf.ImageOptions{ImageType: "JPG"}
	p.RegisterImageOptionsReader("scan", opt, bytes.NewReader(jpg))
	p.ImageOptions("scan", 0, 0, 210, 297, false, opt, 0, "")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
