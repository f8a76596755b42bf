package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/auth"
	"retkoop/app/fault"
	"retkoop/app/mail"
	"retkoop/app/store"
)

// Self-service password reset ("mot de passe oublié"): a single-use link,
// valid one hour, mailed through the outbox to the address on file. The
// answer to a request is the same whether the identifier exists or not.
const resetTTL = time.Hour

// resetAnswerFloor is the least time a reset request takes, so that
// queueing a mail for an existing account does not show in the timing.
const resetAnswerFloor = 100 * time.Millisecond

type forgotForm struct {
	Identifiant string
	Sent        bool
	Error       string
}

type resetForm struct {
	Token   string
	Login   string
	Invalid bool
	Done    bool
	Error   string
}

func (a *Handler) showForgotPassword(c *gin.Context) error {
	a.render.HTML(c, http.StatusOK, "password_forgot", a.page(c, "Mot de passe oublié", forgotForm{}))
	return nil
}

// createPasswordReset queues a reset link for the identifier, if it names
// an enabled account with an e-mail address; the visitor is told the same
// thing in every case. Requests are throttled per identifier and per
// address.
func (a *Handler) createPasswordReset(c *gin.Context) error {
	form := forgotForm{Identifiant: strings.TrimSpace(c.PostForm("identifiant"))}
	login := auth.NormalizeLogin(form.Identifiant)
	if login == "" {
		form.Error = "Saisissez votre identifiant (UAI de l'école ou adresse e-mail)."
		a.render.HTML(c, http.StatusUnprocessableEntity, "password_forgot", a.page(c, "Mot de passe oublié", form))
		return nil
	}
	now, ip := a.Now(), c.ClientIP()
	for _, k := range []struct {
		th  *auth.Throttle
		key string
	}{{a.idThrottle, "reset-id:" + login}, {a.ipThrottle, "reset-ip:" + ip}} {
		if blocked, until := k.th.Blocked(k.key, now); blocked {
			form.Error = strings.Replace(auth.WaitMessage(until, now), "tentatives de connexion", "demandes", 1)
			a.render.HTML(c, http.StatusTooManyRequests, "password_forgot", a.page(c, "Mot de passe oublié", form))
			return nil
		}
		k.th.Fail(k.key, now)
	}
	start := time.Now()
	if err := a.queuePasswordReset(c.Request.Context(), login); err != nil {
		// Logged, not shown: the answer must not tell whether the account exists.
		a.Log.Error("password reset", "request_id", c.GetString(ctxReqID), "error", err)
	}
	select {
	case <-time.After(resetAnswerFloor - time.Since(start)):
	case <-c.Request.Context().Done():
	}
	form.Sent = true
	a.render.HTML(c, http.StatusOK, "password_forgot", a.page(c, "Mot de passe oublié", form))
	return nil
}

// queuePasswordReset stores a token for login and queues its mail, when
// login names an enabled account of an AD or a coop with an address.
func (a *Handler) queuePasswordReset(ctx context.Context, login string) error {
	u, err := a.DB.Auth().UserByLogin(ctx, login)
	if errors.Is(err, fault.ErrNotFound) {
		return nil
	}
	if err != nil || u.Disabled || u.Email == "" {
		return err
	}
	adID, _, ok, err := a.DB.Auth().MailTenant(ctx, u)
	if err != nil || !ok {
		return err // a national admin has no AD to write from: `retkoop user password`
	}
	m, s, err := a.MailerFor(ctx, adID)
	if err != nil {
		return err
	}
	return a.DB.Auth().CreatePasswordReset(ctx, u, resetTTL, func(token string) (store.OutboxMail, error) {
		out, err := m.Compose(s, mail.PasswordReset, mail.ResetView{Name: u.Name, Login: u.Login,
			Path: "/reinitialiser/" + token, Validity: "1 heure"})
		out.Kind, out.To = store.MailPasswordReset, u.Email
		out.Detail = "Lien de réinitialisation du mot de passe (" + u.Login + ")"
		return out, err
	})
}

// showPasswordReset shows the new-password form of a valid link, or says
// the link is no longer valid (410).
func (a *Handler) showPasswordReset(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	token := c.Param("token")
	u, err := a.DB.Auth().PasswordResetUser(c.Request.Context(), token)
	if err != nil {
		return a.resetInvalid(c, err)
	}
	a.render.HTML(c, http.StatusOK, "password_reset", a.page(c, "Nouveau mot de passe", resetForm{Token: token, Login: u.Login}))
	return nil
}

// updatePasswordReset sets the new password through the link, once: the
// token is used up, every session of the account ends.
func (a *Handler) updatePasswordReset(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	ctx := c.Request.Context()
	token := c.Param("token")
	u, err := a.DB.Auth().PasswordResetUser(ctx, token)
	if err != nil {
		return a.resetInvalid(c, err)
	}
	form := resetForm{Token: token, Login: u.Login}
	next, confirm := c.PostForm("nouveau"), c.PostForm("confirmation")
	if err := auth.CheckNew(next, u.Login); err != nil {
		form.Error = err.Error()
	} else if next != confirm {
		form.Error = "Les deux saisies du nouveau mot de passe ne sont pas identiques."
	}
	if form.Error != "" {
		a.render.HTML(c, http.StatusUnprocessableEntity, "password_reset", a.page(c, "Nouveau mot de passe", form))
		return nil
	}
	hash, err := auth.HashWith(next, a.HashParams)
	if err != nil {
		return err
	}
	if _, err := a.DB.Auth().RedeemPasswordReset(ctx, token, hash); err != nil {
		return a.resetInvalid(c, err)
	}
	a.idThrottle.Reset("id:" + u.Login)
	form.Done = true
	a.render.HTML(c, http.StatusOK, "password_reset", a.page(c, "Mot de passe changé", form))
	return nil
}

// resetInvalid answers a link that is unknown, used or expired with 410
// (tokens are 256-bit random: guessing one is hopeless, so it is not
// throttled); any other error is returned, for a 500.
func (a *Handler) resetInvalid(c *gin.Context, err error) error {
	if !errors.Is(err, fault.ErrNotFound) {
		return err
	}
	a.render.HTML(c, http.StatusGone, "password_reset", a.page(c, "Lien expiré", resetForm{Invalid: true}))
	return nil
}
