package web

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"retkoop/app/auth"
	"retkoop/app/fault"
)

type loginForm struct {
	Identifiant string
	Suite       string
	Error       string
}

// safeNext keeps only local paths as the post-login destination.
func safeNext(s string) string {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.Contains(s, "\\") {
		return s
	}
	return "/"
}

func (a *Handler) showLogin(c *gin.Context) error {
	if currentUser(c) != nil {
		c.Redirect(http.StatusFound, "/")
		return nil
	}
	a.render.HTML(c, http.StatusOK, "login", a.page(c, "Connexion", loginForm{Suite: c.Query("suite")}))
	return nil
}

// dummyHash is verified when the login does not exist, so that a wrong
// identifier takes as long as a wrong password. It is computed on the first
// login attempt, not at start: commands that never log anyone in should not
// pay for an argon2 hash.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashWith("retkoop-dummy-password", auth.DefaultParams)
	return h
})

func (a *Handler) createSession(c *gin.Context) error {
	ctx := c.Request.Context()
	form := loginForm{Identifiant: c.PostForm("identifiant"), Suite: c.PostForm("suite")}
	login := auth.NormalizeLogin(form.Identifiant)
	password := c.PostForm("mot_de_passe")
	now := a.Now()
	ip := c.ClientIP()
	fail := func(status int, msg string) {
		form.Error = msg
		a.render.HTML(c, status, "login", a.page(c, "Connexion", form))
	}
	if login == "" || password == "" {
		fail(http.StatusUnprocessableEntity, "Saisissez votre identifiant et votre mot de passe.")
		return nil
	}
	for _, k := range []struct {
		th  *auth.Throttle
		key string
	}{{a.idThrottle, "id:" + login}, {a.ipThrottle, "ip:" + ip}} {
		if blocked, until := k.th.Blocked(k.key, now); blocked {
			fail(http.StatusTooManyRequests, auth.WaitMessage(until, now))
			return nil
		}
	}
	u, err := a.DB.Auth().UserByLogin(ctx, login)
	if err != nil && !errors.Is(err, fault.ErrNotFound) {
		return err
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != "" && !u.Disabled {
		hash = u.PasswordHash
	}
	if err := auth.Verify(hash, password); err != nil || u == nil || u.PasswordHash == "" || u.Disabled {
		a.idThrottle.Fail("id:"+login, now)
		a.ipThrottle.Fail("ip:"+ip, now)
		if u != nil {
			_ = a.DB.Auth().LoginAudit(ctx, u, "login.failed", ip)
		}
		fail(http.StatusUnprocessableEntity, "Identifiant ou mot de passe incorrect.")
		return nil
	}
	a.idThrottle.Reset("id:" + login)
	token, _, err := a.DB.Auth().CreateSession(ctx, u.ID, a.sessionTTL)
	if err != nil {
		return err
	}
	_ = a.DB.Auth().LoginAudit(ctx, u, "login", ip)
	a.setSessionCookie(c, token)
	if u.MustChange {
		a.redirect(c, "/mot-de-passe")
		return nil
	}
	a.redirect(c, safeNext(form.Suite))
	return nil
}

func (a *Handler) deleteSession(c *gin.Context) error {
	if token, err := c.Cookie(SessionCookie); err == nil {
		if err := a.DB.Auth().DeleteSession(c.Request.Context(), token); err != nil {
			return err
		}
	}
	a.clearSessionCookie(c)
	a.redirect(c, "/connexion")
	return nil
}

type passwordForm struct {
	Forced bool
	Error  string
}

func (a *Handler) showPassword(c *gin.Context) error {
	u := currentUser(c)
	a.render.HTML(c, http.StatusOK, "password", a.page(c, "Changer de mot de passe", passwordForm{Forced: u.MustChange}))
	return nil
}

// updatePassword checks the current password, sets the new one, ends every
// session of the user (other devices are logged out) and opens a new one.
func (a *Handler) updatePassword(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	form := passwordForm{Forced: u.MustChange}
	fail := func(msg string) {
		form.Error = msg
		a.render.HTML(c, http.StatusUnprocessableEntity, "password", a.page(c, "Changer de mot de passe", form))
	}
	current, next, confirm := c.PostForm("actuel"), c.PostForm("nouveau"), c.PostForm("confirmation")
	if err := auth.Verify(u.PasswordHash, current); err != nil {
		fail("Le mot de passe actuel est incorrect.")
		return nil
	}
	if err := auth.CheckNew(next, u.Login); err != nil {
		fail(err.Error())
		return nil
	}
	if next != confirm {
		fail("Les deux saisies du nouveau mot de passe ne sont pas identiques.")
		return nil
	}
	if next == current {
		fail("Choisissez un mot de passe différent de l'actuel.")
		return nil
	}
	hash, err := auth.HashWith(next, a.HashParams)
	if err != nil {
		return err
	}
	if err := a.DB.Auth().SetPassword(ctx, u.ID, hash, false, &u.ID); err != nil {
		return err
	}
	token, _, err := a.DB.Auth().CreateSession(ctx, u.ID, a.sessionTTL)
	if err != nil {
		return err
	}
	a.setSessionCookie(c, token)
	a.redirect(c, "/")
	return nil
}
