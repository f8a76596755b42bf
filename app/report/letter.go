package report

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Letter is the password letter of one coop, printed by staff and handed
// or posted to the mandataire.
type Letter struct {
	ADName     string // e.g. "OCCE 31"
	CoopName   string
	UAI        string
	Identifier string // login identifier; the UAI when empty
	Password   string // one-time password, changed at first login
	SiteURL    string
	Deadline   time.Time // zero: "avant l'échéance fixée par votre AD"
}

// ErrNoLetter is returned when there is no letter to print: a PDF without
// pages is not a document.
var ErrNoLetter = errors.New("aucun courrier à imprimer")

// letterTasks is what the mandataire must do before the deadline, in the
// order of the year's end (domain.md, "The exercice and calendar").
var letterTasks = []string{
	"clôturer le cahier de comptabilité de l'exercice (si vous le tenez dans retkoop) ;",
	"vérifier et valider le compte-rendu financier (CRF) et le tableau des subventions ;",
	"remplir le compte-rendu d'activité (CRA) ;",
	"envoyer la page « Commission de contrôle des comptes » (quitus) signée par au moins deux vérificateurs, dont un parent, et par le mandataire ;",
	"envoyer le relevé bancaire au 31 août ;",
	"envoyer les justificatifs des subventions reçues (lettre d'attribution ou ligne du relevé bancaire).",
}

// PasswordLetterPDF writes one page per coop with its identifier, one-time
// password, the site's address and what to do before the deadline. Every
// letter needs a password: a letter without one would send a teacher to a
// login that cannot work.
func PasswordLetterPDF(w io.Writer, letters []Letter) error {
	if len(letters) == 0 {
		return fmt.Errorf("password letter pdf: %w", ErrNoLetter)
	}
	for i, l := range letters {
		if l.Password == "" || (l.Identifier == "" && l.UAI == "") {
			return fmt.Errorf("password letter pdf: courrier %d (%s) : identifiant ou mot de passe manquant", i+1, l.CoopName)
		}
	}
	d := newDoc("Identifiants retkoop", "Document confidentiel — à détruire après votre première connexion", time.Now())
	for _, l := range letters {
		letterPage(d, l)
	}
	if err := d.output(w); err != nil {
		return fmt.Errorf("password letter pdf: %w", err)
	}
	return nil
}

func letterPage(d *doc, l Letter) {
	f := d.f
	f.AddPage()
	d.font("B", 12)
	ad := l.ADName
	if ad == "" {
		ad = "OCCE"
	}
	f.CellFormat(contentWidth, 6, ad, "", 1, "L", false, 0, "")
	d.font("", 9)
	f.CellFormat(contentWidth, 5, "Office Central de la Coopération à l'École", "", 1, "L", false, 0, "")
	f.Ln(6)

	// Recipient block on the right, where a window envelope shows it.
	const recipientX = 110.0
	f.SetX(recipientX)
	d.font("", 10)
	f.MultiCell(contentWidth-(recipientX-marginLeft), 5, "À l'attention du mandataire de la coopérative scolaire", "", "L", false)
	f.SetX(recipientX)
	d.font("B", 11)
	f.MultiCell(contentWidth-(recipientX-marginLeft), 5.5, l.CoopName, "", "L", false)
	f.SetX(recipientX)
	d.font("", 10)
	f.CellFormat(0, 5, "UAI "+l.UAI, "", 1, "L", false, 0, "")
	f.Ln(12)

	d.font("B", 15)
	f.CellFormat(contentWidth, 8, "Vos identifiants retkoop", "", 1, "L", false, 0, "")
	f.Ln(2)
	d.paragraph("", 10, "Madame, Monsieur,\n\nVoici les identifiants qui vous permettent de tenir la comptabilité "+
		"de la coopérative, d'établir le compte-rendu financier et de transmettre les documents de fin d'exercice "+
		"à votre association départementale ("+ad+").")
	f.Ln(4)

	ident := l.Identifier
	if ident == "" {
		ident = l.UAI
	}
	top := f.GetY()
	f.SetLineWidth(0.4)
	f.SetFillColor(245, 247, 250)
	f.Rect(marginLeft, top, contentWidth, 40, "FD")
	f.SetLineWidth(0.2)
	f.SetXY(marginLeft+5, top+4)
	credential := func(label, value string, size float64) {
		f.SetX(marginLeft + 5)
		d.font("", 10)
		f.CellFormat(55, 10, label, "", 0, "L", false, 0, "")
		d.mono(size)
		f.CellFormat(contentWidth-65, 10, value, "", 1, "L", false, 0, "")
	}
	credential("Adresse du site", l.SiteURL, 11)
	credential("Identifiant", ident, 15)
	credential("Mot de passe provisoire", l.Password, 15)
	f.SetY(top + 44)

	d.paragraph("B", 10.5, "Changez votre mot de passe à la première connexion : le site vous le demandera. "+
		"Ce mot de passe provisoire ne sert qu'une fois.")
	f.Ln(1)
	d.paragraph("", 9.5, "Ne le communiquez à personne : l'OCCE ne vous le demandera jamais, ni par téléphone ni par e-mail.")
	f.Ln(6)

	when := "Avant l'échéance fixée par votre AD"
	if !l.Deadline.IsZero() {
		when = "Avant le " + frLongDate(l.Deadline)
	}
	d.font("B", 11)
	f.CellFormat(contentWidth, 7, when+", dans retkoop :", "", 1, "L", false, 0, "")
	for i, task := range letterTasks {
		d.font("", 10)
		f.CellFormat(8, 5.5, fmt.Sprintf("%d.", i+1), "", 0, "R", false, 0, "")
		f.MultiCell(contentWidth-8, 5.5, task, "", "L", false)
		f.Ln(0.8)
	}
	f.Ln(4)
	d.paragraph("", 9.5, "Les documents signés peuvent être déposés dans retkoop ou envoyés par e-mail (scan ou photo). "+
		"Le quitus imprimé depuis retkoop porte un code QR : laissez-le visible pour qu'il soit classé automatiquement.")
}
