package report

import (
	"fmt"
	"io"
	"time"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// CRFExtras carries what the printed CRF shows beyond the ledger.CRF
// figures: the coop's address, the reconciliation and the last cash count.
// Nil sections are printed as "non fourni" rather than left out, so a
// reader sees what is missing.
type CRFExtras struct {
	Adresse       string
	Commune       string
	Mandataire    string
	AD            string // e.g. "OCCE 31"
	Rapprochement *RapprochementInfo
	CashCount     *CashInfo
	// GeneratedAt is printed in the footer and written as the PDF's
	// creation date; zero means now.
	GeneratedAt time.Time
}

// RapprochementInfo is the état de rapprochement of the compte courant at
// a date, shaped like bank.Rapprochement so the caller copies it field by
// field.
type RapprochementInfo struct {
	Date        time.Time
	SoldeReleve money.Money
	SoldeLivre  money.Money
	NonPointees []Item
	// Ecart = SoldeLivre − (SoldeReleve + Σ NonPointees); zero when the
	// unticked lines explain the whole difference.
	Ecart money.Money
}

// Item is one book line not yet on the bank statement; Montant is signed
// (+ recette, − dépense).
type Item struct {
	Date    time.Time
	Piece   string
	Libelle string
	Montant money.Money
}

// CashInfo is the last arrêté de caisse: what was counted and what the book
// said on that date (ledger.CashCheck without its derived gap).
type CashInfo struct {
	Date    time.Time
	Counted money.Money
	Book    money.Money
}

// CRFPDF writes the compte-rendu financier laid out like the OCCE's paper
// form: header, the five numbered sections, the mandataire's signature,
// a QR code (type "crf") on the first page and page numbers.
func CRFPDF(w io.Writer, crf ledger.CRF, extra CRFExtras) error {
	generated := extra.GeneratedAt
	if generated.IsZero() {
		generated = time.Now()
	}
	footer := fmt.Sprintf("retkoop · Compte-rendu financier %s · %s · %s · édité le %s",
		crf.Exercice, crf.UAI, statusLabel(crf.Statut), generated.Format("02/01/2006 à 15:04"))
	d := newDoc("Compte-rendu financier "+crf.Exercice+" — "+crf.Nom, footer, generated)
	if crf.Statut == "brouillon" {
		// A draft printed and left on a desk must not pass for the real thing.
		d.f.SetHeaderFunc(func() {
			if d.f.PageNo() == 1 {
				return
			}
			d.font("B", 8)
			d.f.SetTextColor(170, 0, 0)
			d.f.CellFormat(contentWidth, 4, "BROUILLON — document non validé", "", 1, "R", false, 0, "")
			d.f.SetTextColor(0, 0, 0)
		})
	}
	d.f.AddPage()
	if err := crfHeader(d, crf, extra); err != nil {
		return fmt.Errorf("crf pdf: %w", err)
	}
	crfFonctionnement(d, crf)
	crfBilan(d, crf)
	crfRapprochement(d, crf, extra.Rapprochement)
	crfCaisse(d, crf, extra.CashCount)
	crfSubventions(d, crf)
	crfSignature(d, extra)
	if err := d.output(w); err != nil {
		return fmt.Errorf("crf pdf: %w", err)
	}
	return nil
}

// crfQRSize is smaller than the quitus's code: the CRF is read on screen
// or printed whole, rarely scanned back.
const crfQRSize = 26.0

func crfHeader(d *doc, crf ledger.CRF, extra CRFExtras) error {
	f := d.f
	top := f.GetY()
	qrX := marginLeft + contentWidth - crfQRSize
	if err := d.qr(NewQRPayload(crf, TypeCRF), qrX, top, crfQRSize); err != nil {
		return err
	}
	textW := contentWidth - crfQRSize - 6
	if extra.AD != "" {
		d.font("", 9)
		f.CellFormat(textW, 5, "Office Central de la Coopération à l'École — "+extra.AD, "", 1, "L", false, 0, "")
	}
	d.font("B", 16)
	f.CellFormat(textW, 8, "Compte-rendu financier", "", 1, "L", false, 0, "")
	d.font("", 11)
	f.CellFormat(textW, 6, fmt.Sprintf("Exercice %s — du %s au %s",
		crf.Exercice, frDate(crf.Debut), frDate(crf.Fin)), "", 1, "L", false, 0, "")
	f.Ln(2)
	d.font("B", 12)
	f.MultiCell(textW, 6, crf.Nom, "", "L", false)
	f.Ln(1)
	const lw = 34
	d.field("UAI", crf.UAI, lw)
	if addr := joinNonEmpty(" — ", extra.Adresse, extra.Commune); addr != "" {
		d.field("Adresse", addr, lw)
	}
	if extra.Mandataire != "" {
		d.field("Mandataire", extra.Mandataire, lw)
	}
	d.field("Statut", statusLabel(crf.Statut), lw)
	d.field("Origine", "CRF "+sourceLabel(crf.Source), lw)
	if y := top + crfQRSize + 2; f.GetY() < y {
		f.SetY(y)
	}
	return nil
}

func crfFonctionnement(d *doc, crf ledger.CRF) {
	d.heading("1. Compte de fonctionnement du " + frDate(crf.Debut) + " au " + frDate(crf.Fin))
	cols := []column{
		{"Compte", 24, "L"},
		{"Libellé", contentWidth - 24 - 34, "L"},
		{"Montant", 34, "R"},
	}
	lines := func(ls []ledger.AccountLine, empty, totalLabel string, total money.Money) []row {
		rows := make([]row, 0, len(ls)+2)
		for _, l := range ls {
			rows = append(rows, row{cells: []string{l.Compte, l.Libelle, l.Montant.String()}})
		}
		if len(ls) == 0 {
			rows = append(rows, row{cells: []string{"", empty, ""}})
		}
		return append(rows, row{cells: []string{"", totalLabel, total.String()}, total: true})
	}
	d.font("B", 10)
	d.f.CellFormat(contentWidth, 6, "Charges (dépenses, comptes 6)", "", 1, "L", false, 0, "")
	d.table(cols, lines(crf.Charges, "Aucune charge", "Total des charges", crf.TotalCharges))
	d.f.Ln(3)
	d.font("B", 10)
	d.ensureSpace(20)
	d.f.CellFormat(contentWidth, 6, "Produits (recettes, comptes 7)", "", 1, "L", false, 0, "")
	d.table(cols, lines(crf.Produits, "Aucun produit", "Total des produits", crf.TotalProduits))
	d.f.Ln(3)
	d.ensureSpace(26) // keep the three result lines together
	d.table([]column{{"Résultat = produits − charges", contentWidth - 34, "L"}, {"Montant", 34, "R"}}, []row{
		{cells: []string{"Total des produits", crf.TotalProduits.String()}},
		{cells: []string{"Total des charges", crf.TotalCharges.String()}},
		{cells: []string{resultatLabel(crf.Resultat), crf.Resultat.String()}, total: true},
	})
}

func crfBilan(d *doc, crf ledger.CRF) {
	d.heading("2. Bilan simplifié")
	cols := []column{
		{"", contentWidth - 3*32, "L"},
		{"Compte courant", 32, "R"},
		{"Caisse", 32, "R"},
		{"Total", 32, "R"},
	}
	deb, fin := crf.TresorerieDebut, crf.TresorerieFin
	d.table(cols, []row{
		{cells: []string{"Trésorerie au " + frDate(crf.Debut) + " (report à nouveau)",
			deb.Banque.String(), deb.Caisse.String(), deb.Total.String()}},
		{cells: []string{"Trésorerie au " + frDate(crf.Fin),
			fin.Banque.String(), fin.Caisse.String(), fin.Total.String()}, total: true},
	})
	d.f.Ln(3)
	expected := deb.Total + crf.Resultat
	equi := "Oui ✓ — report à nouveau ± résultat = trésorerie de fin d'exercice"
	if !crf.Equilibre {
		equi = "Non — écart de " + (fin.Total - expected).String() + " à expliquer"
	}
	d.table([]column{{"Contrôle d'équilibre", contentWidth - 40, "L"}, {"Montant", 40, "R"}}, []row{
		{cells: []string{"Report à nouveau au " + frDate(crf.Debut), deb.Total.String()}},
		{cells: []string{resultatLabel(crf.Resultat), signed(crf.Resultat)}},
		{cells: []string{"= Report à nouveau ± résultat", expected.String()}, total: true},
		{cells: []string{"Compte courant + caisse au " + frDate(crf.Fin), fin.Total.String()}, total: true},
	})
	d.f.Ln(1)
	d.font("B", 9.5)
	d.f.MultiCell(contentWidth, 5, "Équilibre : "+equi, "", "L", false)
}

func crfRapprochement(d *doc, crf ledger.CRF, r *RapprochementInfo) {
	d.heading("3. État de rapprochement du compte courant")
	if r == nil {
		d.paragraph("", 9.5, "Non fourni : aucun relevé bancaire au "+frDate(crf.Fin)+
			" n'a été rapproché du cahier dans l'application. Joignez l'état de rapprochement établi par ailleurs.")
		return
	}
	d.field("Date", frTime(r.Date), 60)
	d.field("Solde du relevé bancaire", r.SoldeReleve.String(), 60)
	d.f.Ln(1)
	cols := []column{
		{"Date", 22, "L"},
		{"Pièce", 20, "L"},
		{"Libellé", contentWidth - 22 - 20 - 34, "L"},
		{"Montant", 34, "R"},
	}
	rows := make([]row, 0, len(r.NonPointees)+1)
	var sum money.Money
	for _, it := range r.NonPointees {
		sum += it.Montant
		rows = append(rows, row{cells: []string{frTime(it.Date), it.Piece, it.Libelle, signed(it.Montant)}})
	}
	if len(r.NonPointees) == 0 {
		rows = append(rows, row{cells: []string{"", "", "Toutes les opérations du cahier figurent sur le relevé", ""}})
	}
	rows = append(rows, row{cells: []string{"", "", "Total des opérations non pointées", signed(sum)}, total: true})
	d.font("B", 9.5)
	d.f.CellFormat(contentWidth, 6, "Opérations du cahier non encore passées sur le relevé", "", 1, "L", false, 0, "")
	d.table(cols, rows)
	d.f.Ln(2)
	d.table([]column{{"Rapprochement", contentWidth - 40, "L"}, {"Montant", 40, "R"}}, []row{
		{cells: []string{"Solde du relevé", r.SoldeReleve.String()}},
		{cells: []string{"± opérations non pointées", signed(sum)}},
		{cells: []string{"= Solde attendu du cahier", (r.SoldeReleve + sum).String()}, total: true},
		{cells: []string{"Solde du cahier (compte courant)", r.SoldeLivre.String()}, total: true},
		{cells: []string{"Écart", r.Ecart.String()}, total: true},
	})
	d.f.Ln(1)
	d.font("B", 9.5)
	d.f.MultiCell(contentWidth, 5, gapLabel(r.Ecart), "", "L", false)
}

func crfCaisse(d *doc, crf ledger.CRF, c *CashInfo) {
	d.heading("4. Arrêté de caisse")
	if c == nil {
		d.paragraph("", 9.5, "Non fourni : aucun comptage de caisse n'est enregistré. Solde de la caisse au "+
			frDate(crf.Fin)+" selon le cahier : "+crf.TresorerieFin.Caisse.String()+".")
		return
	}
	d.table([]column{{"Dernier comptage du " + frTime(c.Date), contentWidth - 40, "L"}, {"Montant", 40, "R"}}, []row{
		{cells: []string{"Total compté (billets et pièces)", c.Counted.String()}},
		{cells: []string{"Solde de la caisse selon le cahier à cette date", c.Book.String()}},
		{cells: []string{"Écart (compté − cahier)", (c.Counted - c.Book).String()}, total: true},
	})
	d.f.Ln(1)
	d.font("B", 9.5)
	d.f.MultiCell(contentWidth, 5, gapLabel(c.Counted-c.Book), "", "L", false)
}

func crfSubventions(d *doc, crf ledger.CRF) {
	d.heading("5. Tableau des subventions")
	cols := []column{
		{"Date", 24, "L"},
		{"Compte", 24, "L"},
		{"Financeur", contentWidth - 24 - 24 - 34, "L"},
		{"Montant", 34, "R"},
	}
	rows := make([]row, 0, len(crf.Subventions)+1)
	var total money.Money
	for _, s := range crf.Subventions {
		total += s.Montant
		rows = append(rows, row{cells: []string{frDate(s.Date), s.Compte, s.Financeur, s.Montant.String()}})
	}
	if len(crf.Subventions) == 0 {
		rows = append(rows, row{cells: []string{"", "", "Aucune subvention reçue sur l'exercice", ""}})
	}
	rows = append(rows, row{cells: []string{"", "", "Total des subventions", total.String()}, total: true})
	d.table(cols, rows)
}

func crfSignature(d *doc, extra CRFExtras) {
	d.f.Ln(6)
	d.ensureSpace(30)
	d.font("", 9.5)
	name := extra.Mandataire
	if name == "" {
		name = "……………………………………"
	}
	d.f.MultiCell(contentWidth, 5, "Certifié exact par le mandataire, "+name+
		".\nFait à ……………………………, le ……………………    Signature :", "", "L", false)
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
