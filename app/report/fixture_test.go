package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// fixtureCRF is a balanced CRF of a coop whose name has accents, with
// amounts above 1 000 € so thousands separators show.
func fixtureCRF() ledger.CRF {
	charges := []ledger.AccountLine{
		{Compte: "60600008", Libelle: "Achats de fournitures et petit matériel pour les activités", Montant: money.MustParse("1 234,56")},
		{Compte: "61681008", Libelle: "Assurances versées à l'OCCE", Montant: money.MustParse("37,50")},
		{Compte: "62510008", Libelle: "Sorties et voyages (entrées, visites, hébergement)", Montant: money.MustParse("2 890,00")},
		{Compte: "62810008", Libelle: "Cotisations versées à l'OCCE", Montant: money.MustParse("412,00")},
	}
	produits := []ledger.AccountLine{
		{Compte: "70800008", Libelle: "Participation des familles aux activités (sorties, voyages)", Montant: money.MustParse("1 950,00")},
		{Compte: "74400008", Libelle: "Subventions de la Commune ou de l'intercommunalité", Montant: money.MustParse("1 500,00")},
		{Compte: "75600008", Libelle: "Participations volontaires des familles", Montant: money.MustParse("1 325,00")},
	}
	crf := ledger.CRF{
		UAI: "0310036W", Nom: "École élémentaire Jules-Ferry", Exercice: "2025-2026",
		Debut: "2025-09-01", Fin: "2026-08-31", Source: "cahier",
		Charges: charges, Produits: produits,
		TresorerieDebut: ledger.Treasuries{Banque: money.MustParse("3 100,20"), Caisse: money.MustParse("85,30")},
		Subventions: []ledger.Subsidy{
			{Date: "2025-11-12", Compte: "74400008", Financeur: "Mairie de Saint-Gaudens", Montant: money.MustParse("1 000,00")},
			{Date: "2026-03-02", Compte: "74400008", Financeur: "Communauté de communes Cœur et Coteaux du Comminges", Montant: money.MustParse("500,00")},
		},
		Equilibre: true, Statut: "valide",
	}
	for _, l := range charges {
		crf.TotalCharges += l.Montant
	}
	for _, l := range produits {
		crf.TotalProduits += l.Montant
	}
	crf.Resultat = crf.TotalProduits - crf.TotalCharges
	crf.TresorerieDebut.Total = crf.TresorerieDebut.Banque + crf.TresorerieDebut.Caisse
	crf.TresorerieFin.Caisse = money.MustParse("42,10")
	crf.TresorerieFin.Total = crf.TresorerieDebut.Total + crf.Resultat
	crf.TresorerieFin.Banque = crf.TresorerieFin.Total - crf.TresorerieFin.Caisse
	return crf
}

// fixtureExtras gives a reconciliation with no gap and a cash count that
// matches the book, both consistent with crf.
func fixtureExtras(crf ledger.CRF) CRFExtras {
	unticked := []Item{
		{Date: day(2026, 8, 28), Piece: "D112", Libelle: "Chèque 1234567 — librairie Privat", Montant: money.MustParse("-98,40")},
		{Date: day(2026, 8, 30), Piece: "R045", Libelle: "Remise de chèques kermesse", Montant: money.MustParse("150,00")},
	}
	livre := crf.TresorerieFin.Banque
	return CRFExtras{
		AD: "OCCE 31", Adresse: "12 rue de l'Église", Commune: "31800 Saint-Gaudens",
		Mandataire: "Hélène Dupré",
		Rapprochement: &RapprochementInfo{
			Date: day(2026, 8, 31), SoldeReleve: livre - unticked[0].Montant - unticked[1].Montant,
			NonPointees: unticked, SoldeLivre: livre,
		},
		CashCount:   &CashInfo{Date: day(2026, 8, 31), Counted: crf.TresorerieFin.Caisse, Book: crf.TresorerieFin.Caisse},
		GeneratedAt: time.Date(2026, 9, 14, 10, 30, 0, 0, time.UTC),
	}
}

// requireTool returns the path of a poppler tool, skipping the test when
// it is missing unless RETKOOP_TEST_REQUIRE=1 (CI), where it fails.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " introuvable : installez poppler-utils (apt-get install -y poppler-utils)"
		if os.Getenv("RETKOOP_TEST_REQUIRE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// pdfText extracts the text of a PDF with pdftotext -layout, with the
// no-break spaces folded to plain spaces so assertions read naturally.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := requireTool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return normSpace(out.String())
}

// normSpace folds the no-break spaces (U+00A0, U+202F) to plain spaces.
func normSpace(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
