package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"retkoop/app/ledger"
	"retkoop/app/money"
)

// utf8BOM makes Excel open the file as UTF-8 instead of Windows-1252,
// which would garble every accent.
const utf8BOM = "\ufeff"

// CSV section keys. They are stable: operators' scripts filter on them.
const (
	SectionCharge          = "charge"
	SectionTotalCharges    = "total_charges"
	SectionProduit         = "produit"
	SectionTotalProduits   = "total_produits"
	SectionResultat        = "resultat"
	SectionTresorerieDebut = "tresorerie_debut"
	SectionTresorerieFin   = "tresorerie_fin"
	SectionSubvention      = "subvention"
	SectionSubventionType  = "subvention_type"
	SectionCouverture      = "couverture"
	SectionExclue          = "exclue"
)

// CRFCSVHeader is the header row of CRFCSV. uai and exercice are repeated
// on every row so that files of many coops can simply be concatenated.
var CRFCSVHeader = []string{"uai", "exercice", "section", "compte", "libelle", "date", "montant"}

// newCSV starts a ';'-separated, CRLF-terminated writer (what a French
// Excel expects) after the BOM.
func newCSV(w io.Writer) (*csv.Writer, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return cw, nil
}

// treasuryRows lists bank, cash and total with "banque", "caisse", "total"
// in the account column; when starts with its preposition ("au 31/08/2026").
func treasuryRows(when string, t ledger.Treasuries) [][3]string {
	return [][3]string{
		{"banque", "Compte courant " + when, t.Banque.Plain()},
		{"caisse", "Caisse " + when, t.Caisse.Plain()},
		{"total", "Trésorerie " + when, t.Total.Plain()},
	}
}

// CRFCSV writes the CRF as CSV (UTF-8 with BOM, ';', French amounts
// "1234,56" that money.Parse reads back), one row per figure, with the
// columns of CRFCSVHeader. Dates are JJ/MM/AAAA; only subsidies have one.
func CRFCSV(w io.Writer, crf ledger.CRF) error {
	cw, err := newCSV(w)
	if err != nil {
		return fmt.Errorf("crf csv: %w", err)
	}
	put := func(section, compte, libelle, date string, m money.Money) {
		_ = cw.Write([]string{crf.UAI, crf.Exercice, section, compte, libelle, date, m.Plain()})
	}
	_ = cw.Write(CRFCSVHeader)
	for _, l := range crf.Charges {
		put(SectionCharge, l.Compte, l.Libelle, "", l.Montant)
	}
	put(SectionTotalCharges, "", "Total des charges", "", crf.TotalCharges)
	for _, l := range crf.Produits {
		put(SectionProduit, l.Compte, l.Libelle, "", l.Montant)
	}
	put(SectionTotalProduits, "", "Total des produits", "", crf.TotalProduits)
	put(SectionResultat, "", resultatLabel(crf.Resultat), "", crf.Resultat)
	for _, r := range treasuryRows("au "+frDate(crf.Debut), crf.TresorerieDebut) {
		_ = cw.Write([]string{crf.UAI, crf.Exercice, SectionTresorerieDebut, r[0], r[1], "", r[2]})
	}
	for _, r := range treasuryRows("au "+frDate(crf.Fin), crf.TresorerieFin) {
		_ = cw.Write([]string{crf.UAI, crf.Exercice, SectionTresorerieFin, r[0], r[1], "", r[2]})
	}
	for _, s := range crf.Subventions {
		put(SectionSubvention, s.Compte, s.Financeur, frDate(s.Date), s.Montant)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("crf csv: %w", err)
	}
	return nil
}

// ConsolidatedCSVHeader is the header row of ConsolidatedCSV.
var ConsolidatedCSVHeader = []string{"ad", "exercice", "section", "code", "libelle", "valeur"}

// ConsolidatedCSV writes the AD's aggregated accounts as CSV with the
// columns of ConsolidatedCSVHeader. "code" is an account code, "banque" /
// "caisse" / "total" for treasury, "coops" / "coops_inclus" for coverage
// (valeur is then a count) or a UAI for an excluded coop (libelle holds
// its name and valeur the reason). Amounts are French ("1234,56").
func ConsolidatedCSV(w io.Writer, c ledger.Consolidated) error {
	cw, err := newCSV(w)
	if err != nil {
		return fmt.Errorf("consolidated csv: %w", err)
	}
	put := func(section, code, libelle, valeur string) {
		_ = cw.Write([]string{c.AD, c.Exercice, section, code, libelle, valeur})
	}
	_ = cw.Write(ConsolidatedCSVHeader)
	put(SectionCouverture, "coops", "Coopératives de l'AD", strconv.Itoa(c.Coops))
	put(SectionCouverture, "coops_inclus", "Coopératives incluses (CRF validé ou verrouillé) : "+coverage(c),
		strconv.Itoa(c.CoopsInclus))
	for _, l := range c.Charges {
		put(SectionCharge, l.Compte, l.Libelle, l.Montant.Plain())
	}
	put(SectionTotalCharges, "", "Total des charges", c.TotalCharges.Plain())
	for _, l := range c.Produits {
		put(SectionProduit, l.Compte, l.Libelle, l.Montant.Plain())
	}
	put(SectionTotalProduits, "", "Total des produits", c.TotalProduits.Plain())
	put(SectionResultat, "", resultatLabel(c.Resultat), c.Resultat.Plain())
	for _, r := range treasuryRows("en début d'exercice", c.TresorerieDebut) {
		put(SectionTresorerieDebut, r[0], r[1], r[2])
	}
	for _, r := range treasuryRows("en fin d'exercice", c.TresorerieFin) {
		put(SectionTresorerieFin, r[0], r[1], r[2])
	}
	for _, l := range c.SubventionsParType {
		put(SectionSubventionType, l.Compte, l.Libelle, l.Montant.Plain())
	}
	for _, e := range c.Exclus {
		put(SectionExclue, e.UAI, e.Nom, e.Raison)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("consolidated csv: %w", err)
	}
	return nil
}
