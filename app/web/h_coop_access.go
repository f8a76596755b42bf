package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/auth"
	"retkoop/app/fault"
	"retkoop/app/fr"
	mailpkg "retkoop/app/mail"
	"retkoop/app/report"
	"retkoop/app/store"
	"retkoop/app/worker"
	"retkoop/workflow"
)

// A coop's access for its mandataire, managed by the AD: a new password
// printed in a letter (one coop, or every coop of a selection in one PDF),
// an e-mail with a link to choose one, and the change of mandataire.

// accessMail is the mail carrying a link to choose a password
// (templates/mail/acces.*), valid accessLinkTTL.
const (
	accessMail    = "acces"
	accessLinkTTL = 7 * 24 * time.Hour
)

// coopAccessView is what the staff coop page shows about the mandataire's
// access: the history of mandataires and whether an e-mail can be sent.
type coopAccessView struct {
	History []mandataireChange
	Notice  string
}

type mandataireChange struct {
	At                 time.Time
	Before, After      string
	BeforeMail, Reason string
}

var accessNotices = map[string]string{
	"courriel":   "Un lien pour choisir un mot de passe (valable 7 jours) a été mis dans la file des courriels du mandataire.",
	"mandataire": "Nouveau mandataire enregistré : l'ancien n'a plus accès. Émettez un mot de passe pour le nouveau (courrier ou courriel).",
}

// loadCoopAccess prepares the access section of a coop's staff page.
func (a *Handler) loadCoopAccess(ctx context.Context, ad *store.ADScope, coopID int64, ok string) (*coopAccessView, error) {
	rows, err := ad.CoopAudit(ctx, coopID, []string{store.ActionMandataire}, 50)
	if err != nil {
		return nil, err
	}
	v := &coopAccessView{Notice: accessNotices[ok]}
	for _, r := range rows {
		var d struct {
			Avant      string `json:"avant"`
			AvantEmail string `json:"avant_email"`
			Apres      string `json:"apres"`
			Motif      string `json:"motif"`
		}
		_ = json.Unmarshal([]byte(r.Detail), &d) // written by ChangeMandataire
		v.History = append(v.History, mandataireChange{At: r.At, Before: d.Avant, BeforeMail: d.AvantEmail, After: d.Apres, Reason: d.Motif})
	}
	return v, nil
}

// issueLetters gives each coop's mandataire a new random password (the
// old one stops working, sessions end) and returns the letters to print.
func (a *Handler) issueLetters(ctx context.Context, c *gin.Context, coops []*store.CoopScope) ([]report.Letter, error) {
	ad := adScope(c)
	info, err := ad.AD(ctx)
	if err != nil {
		return nil, err
	}
	deadline, err := a.letterDeadline(ctx, ad)
	if err != nil {
		return nil, err
	}
	letters := make([]report.Letter, 0, len(coops))
	for _, cs := range coops {
		co, err := cs.Coop(ctx)
		if err != nil {
			return nil, err
		}
		pw, hash, err := auth.Issue(a.HashParams)
		if err != nil {
			return nil, err
		}
		u, err := ad.SetCoopPassword(ctx, co.ID, hash, true)
		if err != nil {
			return nil, err
		}
		letters = append(letters, report.Letter{ADName: info.Name, CoopName: co.Name, UAI: co.UAI, Identifier: u.Login,
			Password: pw, SiteURL: a.Cfg.BaseURL.String(), Deadline: deadline})
	}
	return letters, nil
}

// letterDeadline is the deadline a letter announces: the campaign being
// collected, or, once its deadline has passed, the next one.
func (a *Handler) letterDeadline(ctx context.Context, ad *store.ADScope) (time.Time, error) {
	now := a.Now()
	for _, ex := range []string{worker.CampaignExercice(now), a.exerciceInProgress()} {
		camp, err := ad.Campaign(ctx, ex)
		if err != nil {
			return time.Time{}, err
		}
		wc, err := camp.Workflow()
		if err != nil {
			return time.Time{}, err
		}
		if !workflow.Late(workflow.NewDossier(0, 0, true), wc, now) {
			return camp.DeadlineTime(), nil
		}
	}
	return time.Time{}, nil
}

// sendLetters answers the printable PDF of the letters.
func (a *Handler) sendLetters(c *gin.Context, name string, letters []report.Letter) error {
	var b bytes.Buffer
	if err := report.PasswordLetterPDF(&b, letters); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", b.Bytes())
	return nil
}

// createPasswordLetter issues a new password for the coop's mandataire and
// answers the letter to print (PDF).
func (a *Handler) createPasswordLetter(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	letters, err := a.issueLetters(c.Request.Context(), c, []*store.CoopScope{cs})
	if err != nil {
		return err
	}
	return a.sendLetters(c, "mot-de-passe-"+letters[0].UAI+".pdf", letters)
}

// createPasswordLetters issues a password for every selected coop (e.g.
// the coops an import just created) and answers one PDF, a page per coop.
func (a *Handler) createPasswordLetters(c *gin.Context) error {
	ctx, ad := c.Request.Context(), adScope(c)
	var coops []*store.CoopScope
	for _, s := range c.PostFormArray("coop") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fault.ErrNotFound
		}
		cs, err := ad.Coop(ctx, id)
		if err != nil {
			return err
		}
		coops = append(coops, cs)
	}
	if len(coops) == 0 {
		return fault.Invalidf("Aucune coopérative sélectionnée : cochez-en au moins une.")
	}
	letters, err := a.issueLetters(ctx, c, coops)
	if err != nil {
		return err
	}
	return a.sendLetters(c, "mots-de-passe-"+a.Now().In(fr.Paris).Format("2006-01-02")+".pdf", letters)
}

// createAccessMail puts in the outbox, for the coop's mandataire, a link to
// choose a password (valid 7 days, single use): a password never travels
// by e-mail.
func (a *Handler) createAccessMail(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	if err := a.queueAccessMail(ctx, adScope(c), cs, co); err != nil {
		return err
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d?acces=courriel", co.ID))
	return nil
}

func (a *Handler) queueAccessMail(ctx context.Context, ad *store.ADScope, cs *store.CoopScope, co *store.Coop) error {
	u, err := ad.CoopMandataire(ctx, co.ID)
	if err != nil {
		return err
	}
	if u.Email == "" {
		return fault.Invalidf("La coopérative n'a pas d'adresse e-mail de mandataire : imprimez un courrier.")
	}
	m, s, err := a.MailerFor(ctx, co.ADID)
	if err != nil {
		return err
	}
	err = ad.CreateCoopPasswordReset(ctx, co.ID, accessLinkTTL, func(token string) (store.OutboxMail, error) {
		out, err := m.Compose(s, accessMail, mailpkg.ResetView{Name: u.Name, Login: u.Login,
			Path: "/reinitialiser/" + token, Validity: "7 jours"})
		out.Kind, out.To = store.MailPasswordReset, u.Email
		out.Detail = "Lien d'accès à retkoop (" + u.Login + ")"
		return out, err
	})
	if err != nil {
		return err
	}
	return cs.Audit(ctx, "coop.acces_courriel", map[string]any{"a": u.Email})
}

// updateMandataire records a change of mandataire (the old one loses
// access); with "courriel", the new one gets the access link at once.
func (a *Handler) updateMandataire(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	if email != "" {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
			return fault.Invalidf("L'adresse e-mail « %s » est invalide.", email)
		}
	}
	if err := adScope(c).ChangeMandataire(ctx, cs.ID(), c.PostForm("nom"), email, c.PostForm("motif")); err != nil {
		return err
	}
	if c.PostForm("courriel") == "1" && email != "" {
		co, err := cs.Coop(ctx)
		if err == nil {
			err = a.queueAccessMail(ctx, adScope(c), cs, co)
		}
		if err != nil {
			return err
		}
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d?acces=mandataire", cs.ID()))
	return nil
}
