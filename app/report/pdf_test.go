package report

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"retkoop/app/money"
)

// assertContains fails for every wanted fragment missing from text.
func assertContains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("extracted text:\n%s", text)
	}
}

// pageCount reads "Page n / N" from the footer of the last page.
func pageCount(t *testing.T, text string) string {
	t.Helper()
	m := regexp.MustCompile(`Page (\d+) / (\d+)`).FindAllStringSubmatch(text, -1)
	if len(m) == 0 {
		t.Fatal("no page number in the footer")
	}
	last := m[len(m)-1]
	if last[1] != last[2] {
		t.Fatalf("last footer says page %s of %s", last[1], last[2])
	}
	return last[2]
}

func TestCRFPDFText(t *testing.T) {
	crf := fixtureCRF()
	var buf bytes.Buffer
	if err := CRFPDF(&buf, crf, fixtureExtras(crf)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	text := pdfText(t, buf.Bytes())
	assertContains(t, text,
		"École élémentaire Jules-Ferry", "0310036W", "12 rue de l'Église", "Hélène Dupré",
		"Exercice 2025-2026", "du 01/09/2025 au 31/08/2026",
		"1. Compte de fonctionnement", "2. Bilan simplifié", "3. État de rapprochement",
		"4. Arrêté de caisse", "5. Tableau des subventions",
		"Achats de fournitures et petit matériel", "1 234,56 €", // a charge with its thousands separator
		"Total des charges", "4 574,06 €", "Total des produits", "4 775,00 €",
		"Résultat de l'exercice (excédent)", "200,94 €",
		"3 185,50 €", "3 344,34 €", "42,10 €", "3 386,44 €", // treasuries
		"Équilibre : Oui",
		"3 292,74 €", "28/08/2026", "D112", "Chèque 1234567", "− 98,40 €", "+ 150,00 €", // reconciliation
		"Mairie de Saint-Gaudens", "12/11/2025", "Cœur et Coteaux du Comminges", "1 500,00 €",
		"Validé par le mandataire",
	)
	pageCount(t, text)
}

func TestCRFPDFMissingSectionsAndDraft(t *testing.T) {
	crf := fixtureCRF()
	crf.Statut = "brouillon"
	crf.Equilibre = false
	crf.TresorerieFin.Caisse += money.MustParse("10")
	crf.TresorerieFin.Total += money.MustParse("10")
	crf.Subventions = nil
	// Enough accounts to push the document over several pages, to see the
	// draft banner and the page count on each.
	for i := range 40 {
		crf.Charges = append(crf.Charges, crf.Charges[i%4])
	}
	var buf bytes.Buffer
	if err := CRFPDF(&buf, crf, CRFExtras{GeneratedAt: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	assertContains(t, text,
		"Brouillon (non validé)", "BROUILLON — document non validé",
		"Non — écart de 10,00 €", // the imbalance is named with its amount
		"Non fourni : aucun relevé bancaire", "Non fourni : aucun comptage de caisse",
		"Aucune subvention reçue sur l'exercice",
	)
	if n := pageCount(t, text); n == "1" {
		t.Fatalf("a long CRF fits on %s page: the test no longer exercises page breaks", n)
	}
}

func TestQuitusPDFText(t *testing.T) {
	crf := fixtureCRF()
	var buf bytes.Buffer
	err := QuitusPDF(&buf, crf, QuitusInfo{
		AD: "OCCE 31", Adresse: "12 rue de l'Église", Commune: "31800 Saint-Gaudens",
		Mandataires: []string{"Hélène Dupré", "Loïc Garçon"},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	// pdftotext -layout may break the attestation anywhere: compare it with
	// white space folded.
	flat := strings.Join(strings.Fields(text), " ")
	assertContains(t, flat,
		"Commission de contrôle des comptes", "École élémentaire Jules-Ferry", "0310036W",
		"12 rue de l'Église", "31800 Saint-Gaudens", "Exercice 2025-2026",
		"Soldes au 31/08/2026", "3 344,34 €", "42,10 €", "3 386,44 €",
		"Les vérificateurs aux comptes soussignés attestent avoir examiné les comptes et les pièces justificatives de l'exercice 2025-2026",
		"et donnent quitus au mandataire pour sa gestion.",
		"dont au moins un parent", "Parent", "Enseignant", "Signature",
		"Hélène Dupré", "Loïc Garçon", "Fait à", ", le",
		NewQRPayload(crf, TypeQuitus).String(), // printed in clear under the code
	)
	if strings.Count(flat, "Enseignant") < 2 {
		t.Errorf("fewer than two vérificateur lines")
	}
	if n := pageCount(t, text); n != "1" {
		t.Errorf("the quitus takes %s pages, want 1", n)
	}
}

func TestPasswordLetterPDF(t *testing.T) {
	letters := []Letter{
		{ADName: "OCCE 31", CoopName: "École élémentaire Jules-Ferry", UAI: "0310036W",
			Password: "kX7-p2Qm-9Lz", SiteURL: "https://retkoop.example.org",
			Deadline: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)},
		{ADName: "OCCE 31", CoopName: "École maternelle Les Câlins", UAI: "0310037X",
			Identifier: "coop-37", Password: "Zq4-Wt8e-Ny2", SiteURL: "https://retkoop.example.org"},
	}
	var buf bytes.Buffer
	if err := PasswordLetterPDF(&buf, letters); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	flat := strings.Join(strings.Fields(text), " ")
	assertContains(t, flat,
		"École élémentaire Jules-Ferry", "0310036W", "kX7-p2Qm-9Lz",
		"École maternelle Les Câlins", "coop-37", "Zq4-Wt8e-Ny2",
		"https://retkoop.example.org", "Changez votre mot de passe à la première connexion",
		"Avant le 30 septembre 2026", "Avant l'échéance fixée par votre AD",
		"clôturer le cahier", "valider le compte-rendu financier (CRF) et le tableau des subventions",
		"compte-rendu d'activité (CRA)", "quitus", "relevé bancaire au 31 août", "justificatifs des subventions",
	)
	if n := pageCount(t, text); n != "2" {
		t.Errorf("%s pages for 2 letters, want one page per coop", n)
	}
	// Each password sits on its own coop's page.
	pages := strings.Split(text, "\f")
	if !strings.Contains(pages[0], "kX7-p2Qm-9Lz") || !strings.Contains(pages[1], "Zq4-Wt8e-Ny2") {
		t.Error("passwords are not on their coop's page")
	}
}

func TestPasswordLetterPDFRefusesUnusableLetters(t *testing.T) {
	if err := PasswordLetterPDF(&bytes.Buffer{}, nil); !errors.Is(err, ErrNoLetter) {
		t.Errorf("no letters: %v, want ErrNoLetter", err)
	}
	err := PasswordLetterPDF(&bytes.Buffer{}, []Letter{{CoopName: "École Sans-Mot", UAI: "0310036W"}})
	if err == nil || !strings.Contains(err.Error(), "École Sans-Mot") {
		t.Errorf("letter without password: %v, want an error naming the coop", err)
	}
}

func TestFrLongDate(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC): "30 septembre 2026",
		time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC):  "1er août 2026",
	} {
		if got := frLongDate(in); got != want {
			t.Errorf("frLongDate(%v) = %q, want %q", in, got, want)
		}
	}
}
