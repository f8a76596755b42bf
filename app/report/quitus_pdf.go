package report

import (
	"fmt"
	"io"
	"time"

	"retkoop/app/ledger"
)

// QuitusInfo is what the quitus page shows beyond the CRF figures.
type QuitusInfo struct {
	AD          string // e.g. "OCCE 31"; the page says where to send it
	Adresse     string
	Commune     string
	Mandataires []string // mandataire then co-signataire(s), pre-filled on the signature lines
	// GeneratedAt is printed in the footer and written as the PDF's
	// creation date; zero means now.
	GeneratedAt time.Time
}

// quitusQRSize keeps the code at least 30 mm wide so a phone photo or a
// 150 dpi scan of the signed page still decodes.
const quitusQRSize = 36.0

// minVerificateurs is the number of lines printed for vérificateurs: the
// rule asks for two, a third line saves a reprint when three come.
const minVerificateurs = 3

// QuitusPDF writes the one-page "Commission de contrôle des comptes" form,
// pre-filled with the coop, the exercice and the balances at the end of the
// exercice, with a QR code (type "quitus") that lets mail-in file the signed
// scan by itself.
func QuitusPDF(w io.Writer, crf ledger.CRF, info QuitusInfo) error {
	generated := info.GeneratedAt
	if generated.IsZero() {
		generated = time.Now()
	}
	payload := NewQRPayload(crf, TypeQuitus)
	footer := fmt.Sprintf("retkoop · Quitus %s · %s · édité le %s",
		crf.Exercice, crf.UAI, generated.Format("02/01/2006 à 15:04"))
	d := newDoc("Commission de contrôle des comptes "+crf.Exercice+" — "+crf.Nom, footer, generated)
	f := d.f
	f.AddPage()

	top := f.GetY()
	qrX := marginLeft + contentWidth - quitusQRSize
	if err := d.qr(payload, qrX, top, quitusQRSize); err != nil {
		return fmt.Errorf("quitus pdf: %w", err)
	}
	// The payload in clear lets staff type it when a scan is too damaged.
	d.mono(5.5)
	f.SetXY(marginLeft, top+quitusQRSize+1)
	f.CellFormat(contentWidth, 3, payload.String(), "", 1, "R", false, 0, "")
	f.SetXY(marginLeft, top)

	textW := contentWidth - quitusQRSize - 6
	d.font("", 9)
	ad := "Office Central de la Coopération à l'École"
	if info.AD != "" {
		ad += " — " + info.AD
	}
	f.CellFormat(textW, 5, ad, "", 1, "L", false, 0, "")
	d.font("B", 16)
	f.CellFormat(textW, 8, "Commission de contrôle des comptes", "", 1, "L", false, 0, "")
	d.font("", 10.5)
	f.MultiCell(textW, 5.5, "Procès-verbal de vérification des comptes et quitus au mandataire", "", "L", false)
	d.font("B", 11)
	f.CellFormat(textW, 6, fmt.Sprintf("Exercice %s — du %s au %s",
		crf.Exercice, frDate(crf.Debut), frDate(crf.Fin)), "", 1, "L", false, 0, "")
	f.Ln(2)

	const lw = 30
	d.f.SetRightMargin(marginRight + quitusQRSize + 6) // keep fields clear of the QR quiet zone
	d.field("Coopérative", crf.Nom, lw)
	d.field("UAI", crf.UAI, lw)
	if info.Adresse != "" {
		d.field("Adresse", info.Adresse, lw)
	}
	if info.Commune != "" {
		d.field("Commune", info.Commune, lw)
	}
	f.SetRightMargin(marginRight)
	if y := top + quitusQRSize + 5; f.GetY() < y {
		f.SetY(y)
	}

	d.heading("Soldes au " + frDate(crf.Fin))
	fin := crf.TresorerieFin
	third := contentWidth / 3
	d.table([]column{{"Compte courant (banque)", third, "R"}, {"Caisse", third, "R"}, {"Total", third, "R"}},
		[]row{{cells: []string{fin.Banque.String(), fin.Caisse.String(), fin.Total.String()}, total: true}})
	f.Ln(3)
	d.paragraph("", 10, "Les vérificateurs aux comptes soussignés attestent avoir examiné les comptes et les "+
		"pièces justificatives de l'exercice "+crf.Exercice+" de la coopérative scolaire "+crf.Nom+
		" et donnent quitus au mandataire pour sa gestion.")
	f.Ln(2)
	d.font("", 9.5)
	f.CellFormat(contentWidth, 5, "Observations :", "", 1, "L", false, 0, "")
	for range 2 {
		f.CellFormat(contentWidth, 6, "", "B", 1, "L", false, 0, "")
	}

	d.heading("Vérificateurs aux comptes")
	d.paragraph("", 8.5, "Au moins deux vérificateurs, dont au moins un parent d'élève. Le mandataire ne peut pas "+
		"être vérificateur ; un enseignant qui n'a pas tenu les comptes peut l'être. Cochez la qualité de chacun.")
	f.Ln(1.5)
	quitusSignatures(d, []column{
		{"Nom et prénom", 62, "L"},
		{"Qualité", 58, "L"},
		{"Signature", contentWidth - 62 - 58, "L"},
	}, make([]string, minVerificateurs), true)

	d.heading("Mandataire(s)")
	names := info.Mandataires
	for len(names) < 2 {
		names = append(names, "")
	}
	quitusSignatures(d, []column{
		{"Nom et prénom", 62, "L"},
		{"Signature", contentWidth - 62, "L"},
	}, names, false)

	f.Ln(5)
	d.font("", 10.5)
	f.CellFormat(contentWidth, 6, "Fait à ……………………………………, le ……………………………", "", 1, "L", false, 0, "")
	f.Ln(3)
	sendTo := "à votre association départementale"
	if info.AD != "" {
		sendTo = "à l'" + info.AD
	}
	d.paragraph("", 8, "Envoyez cette page signée "+sendTo+" (scan ou photo par e-mail, dépôt dans retkoop ou courrier). "+
		"Ne masquez pas le code QR : il permet de classer le document automatiquement.")

	if err := d.output(w); err != nil {
		return fmt.Errorf("quitus pdf: %w", err)
	}
	return nil
}

// quitusSignatures draws a signature table: one tall row per name. With
// quality set, the second column holds the parent / enseignant boxes.
func quitusSignatures(d *doc, cols []column, names []string, quality bool) {
	f := d.f
	const h = 13.0
	d.ensureSpace(6 + h*float64(len(names)))
	d.font("B", 8.5)
	f.SetFillColor(225, 233, 243)
	for _, c := range cols {
		f.CellFormat(c.width, 6, c.title, "1", 0, "C", true, 0, "")
	}
	f.Ln(-1)
	for _, name := range names {
		x, y := marginLeft, f.GetY()
		for _, c := range cols {
			f.Rect(x, y, c.width, h, "D")
			x += c.width
		}
		d.font("", 10)
		f.SetXY(marginLeft, y+h/2-2.5)
		f.MultiCell(cols[0].width, 5, name, "", "L", false)
		if quality {
			qx := marginLeft + cols[0].width + 3
			d.font("", 9.5)
			for _, q := range []string{"Parent", "Enseignant"} {
				d.checkbox(qx, y+h/2-1.75, 3.5)
				f.SetXY(qx+4.5, y+h/2-2.5)
				f.CellFormat(20, 5, q, "", 0, "L", false, 0, "")
				qx += 26
			}
		}
		f.SetXY(marginLeft, y+h)
	}
}
