package web

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/service"
	"retkoop/app/store"
)

// crfPage is the compte-rendu financier laid out like the OCCE's paper
// form (its five sections), with the mandataire's two validations, the
// downloads and the quitus page.
type crfPage struct {
	Rec           *store.CRFRecord
	CRF           ledger.CRF
	Debut, Fin    string // "01/09/2025"
	Rapprochement *report.RapprochementInfo
	Cash          *report.CashInfo
	KeepsBook     bool
	Subsidies     []crfSubsidyRow // the tableau des subventions, dates in French
	Links         crfLinks
	// CanValidate: a draft with nothing left to fix; CanValidateSubsidies:
	// the CRF is validated, the subsidies not yet.
	CanValidate, CanValidateSubsidies, QuitusReady bool
	Notice                                         string
}

// crfSubsidyRow is a row of the tableau des subventions as shown.
type crfSubsidyRow struct {
	ledger.Subsidy
	Date string
}

// crfLinks are the addresses the CRF page points to.
type crfLinks struct {
	Base, Book, Closing, Entry, CRA string
}

func newCRFLinks(s coopSpace, exercice string) crfLinks {
	return crfLinks{Base: s.crf(exercice, ""), Book: s.book(exercice, ""), Closing: s.book(exercice, "cloture"),
		Entry: s.crf(exercice, "saisie"), CRA: s.cra(exercice)}
}

// crfNotices are the messages shown after a redirect.
var crfNotices = map[string]string{
	"cloture":     "Le cahier est clôturé : l'exercice suivant est ouvert avec les soldes de clôture. Vérifiez le compte-rendu financier puis validez-le.",
	"valide":      "Compte-rendu financier validé : il est transmis à votre AD et ne change plus.",
	"subventions": "Tableau des subventions validé : envoyez maintenant le justificatif de chaque subvention.",
	"saisie":      "Chiffres enregistrés.",
}

func (a *Handler) showCRF(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	r, err := cs.CRF(ctx, c.Param("ex"))
	if err != nil {
		return err
	}
	p, err := a.loadCRFPage(ctx, spaceOf(c), cs, r)
	if err != nil {
		return err
	}
	for k, msg := range crfNotices {
		if c.Query(k) == "1" {
			p.Notice = msg
		}
	}
	a.render.HTML(c, http.StatusOK, "crf", a.page(c, "Compte-rendu financier "+r.Exercice.Name, p))
	return nil
}

// loadCRFPage prepares the five sections of a CRF and what may be done
// with it.
func (a *Handler) loadCRFPage(ctx context.Context, s coopSpace, cs *store.CoopScope, r *store.CRFRecord) (*crfPage, error) {
	p := &crfPage{Rec: r, CRF: r.CRF, KeepsBook: r.State.Source == store.BookKept, Links: newCRFLinks(s, r.Exercice.Name)}
	if lex, err := ledger.ParseExercice(r.Exercice.Name); err == nil {
		p.Debut, p.Fin = lex.Debut().Format("02/01/2006"), lex.Fin().Format("02/01/2006")
	}
	if p.KeepsBook {
		var err error
		if p.Rapprochement, err = a.CRFRapprochement(ctx, cs, r); err != nil {
			return nil, err
		}
		if p.Cash, err = service.CRFCashCount(ctx, cs, r.Exercice); err != nil {
			return nil, err
		}
	}
	for _, sub := range r.CRF.Subventions {
		row := crfSubsidyRow{Subsidy: sub, Date: sub.Date}
		if d, err := time.Parse("2006-01-02", sub.Date); err == nil {
			row.Date = d.Format("02/01/2006")
		}
		p.Subsidies = append(p.Subsidies, row)
	}
	p.CanValidate = r.State.Status == store.CRFDraft && len(r.Problems) == 0
	p.CanValidateSubsidies = r.State.Frozen() && !r.State.SubsidiesValidated()
	p.QuitusReady = service.QuitusReady(r) == nil
	return p, nil
}

// createCRFValidation is the mandataire validating the CRF.
func (a *Handler) createCRFValidation(c *gin.Context) error {
	ex := c.Param("ex")
	if err := a.ValidateCRF(c.Request.Context(), coopScope(c), ex); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).crf(ex, "")+"?valide=1")
	return nil
}

// createSubsidiesValidation is the mandataire validating the tableau des
// subventions.
func (a *Handler) createSubsidiesValidation(c *gin.Context) error {
	ex := c.Param("ex")
	if err := a.ValidateSubsidies(c.Request.Context(), coopScope(c), ex); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).crf(ex, "")+"?subventions=1#subventions")
	return nil
}

// exportCRF downloads the CRF as ?format=pdf|xlsx|csv|json.
func (a *Handler) exportCRF(c *gin.Context) error {
	return a.sendCRF(c, coopScope(c))
}

// sendCRF answers the CRF of :ex in the format asked, as a download.
func (a *Handler) sendCRF(c *gin.Context, cs *store.CoopScope) error {
	ctx := c.Request.Context()
	format := c.DefaultQuery("format", "pdf")
	ctype, ok := service.CRFFormats[format]
	if !ok {
		return fault.Invalidf("Format « %s » inconnu : pdf, xlsx, csv ou json.", format)
	}
	r, err := cs.CRF(ctx, c.Param("ex"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := a.WriteCRF(ctx, cs, r, format, &buf); err != nil {
		return err
	}
	a.sendFile(c, ctype, service.CRFFileName("crf", r.Coop.UAI, r.Exercice.Name, format), buf.Bytes())
	return nil
}

// showQuitusPDF downloads the pre-filled "Commission de contrôle des
// comptes" page.
func (a *Handler) showQuitusPDF(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	r, err := cs.CRF(ctx, c.Param("ex"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := a.WriteQuitus(ctx, cs, r, &buf); err != nil {
		return err
	}
	a.sendFile(c, "application/pdf", service.CRFFileName("quitus", r.Coop.UAI, r.Exercice.Name, "pdf"), buf.Bytes())
	return nil
}

// sendFile answers a generated document as an attachment that is never
// cached by a shared cache.
func (a *Handler) sendFile(c *gin.Context, ctype, name string, b []byte) {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, ctype, b)
}
