package web

import (
	"net/http"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/worker"
	"retkoop/workflow"
)

// The campaign's reminders for the staff: its rules and deadline (edited
// by admins), the dates they give, the history of what was sent to whom,
// and the AD's sender identity (h_reminder_preview.go has one coop's
// reminder).

type remindersPage struct {
	Exercice string
	Campaign *store.Campaign
	Rules    string
	Deadline string
	Schedule []workflow.Occurrence
	History  []store.Reminder
	Identity store.ADMail
	Mailbox  string // the Reply-To mailbox in effect
	Admin    bool
	Saved    bool
	Errors   []string
	IDErrors []string
	SMTP     bool
}

// staffExercice is the campaign the staff look at: ?exercice= or the one
// being collected now.
func (a *Handler) staffExercice(c *gin.Context) (string, error) {
	ex := strings.TrimSpace(c.Query("exercice"))
	if ex == "" {
		ex = strings.TrimSpace(c.PostForm("exercice"))
	}
	if ex == "" {
		return worker.CampaignExercice(a.Now()), nil
	}
	if _, err := workflow.ParseExercice(ex); err != nil {
		return "", fault.User(err)
	}
	return ex, nil
}

// loadReminders prepares the reminders page of the campaign the staff look at.
func (a *Handler) loadReminders(c *gin.Context) (*remindersPage, error) {
	ctx := c.Request.Context()
	ex, err := a.staffExercice(c)
	if err != nil {
		return nil, err
	}
	ad := adScope(c)
	camp, err := ad.Campaign(ctx, ex)
	if err != nil {
		return nil, err
	}
	v := &remindersPage{Exercice: ex, Campaign: camp, Rules: camp.Rules, Deadline: camp.Deadline,
		Admin: currentUser(c).Role == store.RoleAdmin, Saved: c.Query("ok") == "1", SMTP: a.SMTPConfigured()}
	if wc, err := camp.Workflow(); err == nil {
		v.Schedule = workflow.Schedule(wc, wc.Deadline.AddDate(0, 2, 0))
	}
	if v.History, err = ad.CampaignReminders(ctx, camp.ID, 300); err != nil {
		return nil, err
	}
	if v.Identity, err = ad.MailSettings(ctx); err != nil {
		return nil, err
	}
	_, s, err := a.MailerFor(ctx, ad.ID())
	if err != nil {
		return nil, err
	}
	v.Mailbox = s.Mailbox()
	return v, nil
}

func (a *Handler) showReminders(c *gin.Context) error {
	v, err := a.loadReminders(c)
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_reminders", a.page(c, "Relances "+v.Exercice, v))
	return nil
}

// updateReminderRules saves the campaign's deadline and rules (admins).
func (a *Handler) updateReminderRules(c *gin.Context) error {
	v, err := a.loadReminders(c)
	if err != nil {
		return err
	}
	v.Rules, v.Deadline = c.PostForm("regles"), strings.TrimSpace(c.PostForm("echeance"))
	rules, err := workflow.ParseRules(v.Rules)
	if err != nil {
		v.Errors = append(v.Errors, err.Error())
	}
	deadline, derr := time.ParseInLocation("2006-01-02", v.Deadline, workflow.Paris())
	if derr != nil {
		v.Errors = append(v.Errors, "L'échéance doit être une date (JJ/MM/AAAA).")
	}
	if len(v.Errors) == 0 {
		err = adScope(c).SetCampaign(c.Request.Context(), v.Exercice, deadline, rules)
		if msg, ok := fault.Message(err); ok {
			v.Errors = append(v.Errors, msg)
		} else if err != nil {
			return err
		}
	}
	if len(v.Errors) > 0 {
		a.render.HTML(c, http.StatusUnprocessableEntity, "staff_reminders", a.page(c, "Relances "+v.Exercice, v))
		return nil
	}
	a.redirect(c, "/ad/relances?ok=1&exercice="+v.Exercice)
	return nil
}

// updateMailIdentity saves the AD's sender identity (admins): From
// address, signature, and the mailbox that replies go to.
func (a *Handler) updateMailIdentity(c *gin.Context) error {
	v, err := a.loadReminders(c)
	if err != nil {
		return err
	}
	id := store.ADMail{From: strings.TrimSpace(c.PostForm("expediteur")), Signature: strings.TrimSpace(c.PostForm("signature")),
		Mailbox: strings.ToLower(strings.TrimSpace(c.PostForm("boite")))}
	if id.From != "" {
		if _, err := netmail.ParseAddress(id.From); err != nil {
			v.IDErrors = append(v.IDErrors, "L'expéditeur doit être une adresse, par exemple « OCCE 31 <contact@occe31.example> ».")
		}
	}
	if id.Mailbox != "" {
		if addr, err := netmail.ParseAddress(id.Mailbox); err != nil || addr.Address != id.Mailbox || addr.Name != "" {
			v.IDErrors = append(v.IDErrors, "La boîte de réception des documents doit être une adresse seule, par exemple documents@occe31.example.")
		}
	}
	if len(v.IDErrors) > 0 {
		v.Identity = id
		a.render.HTML(c, http.StatusUnprocessableEntity, "staff_reminders", a.page(c, "Relances "+v.Exercice, v))
		return nil
	}
	if err := adScope(c).SetMailSettings(c.Request.Context(), id); err != nil {
		return err
	}
	a.redirect(c, "/ad/relances?ok=1&exercice="+v.Exercice)
	return nil
}
