package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/store"
)

const SessionCookie = "retkoop_session"

// Context keys set by the middleware.
const (
	ctxUser    = "user"
	ctxSession = "session"
	ctxCoop    = "coop"
	ctxAD      = "ad"
	ctxReqID   = "request_id"
)

// csp forbids inline script and style; htmx is configured (meta
// htmx-config) not to inject its indicator style.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"object-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

// base sets a request id, logs the request once, recovers panics into a
// French 500 page and sets the security headers.
func (a *Handler) base(c *gin.Context) {
	start := time.Now()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	rid := hex.EncodeToString(b)
	c.Set(ctxReqID, rid)
	h := c.Writer.Header()
	h.Set("X-Request-Id", rid)
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if a.Cfg.SecureCookies() {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	defer func() {
		if p := recover(); p != nil {
			a.Log.Error("panic", "request_id", rid, "path", c.Request.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			c.Abort()
			a.renderError(c, http.StatusInternalServerError, "")
		}
		lvl := a.Log.Info
		if c.Writer.Status() >= 500 {
			lvl = a.Log.Error
		}
		if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
			args := []any{"request_id", rid, "method", c.Request.Method, "path", c.Request.URL.Path,
				"status", c.Writer.Status(), "duration_ms", float64(time.Since(start).Microseconds()) / 1000}
			if len(c.Errors) > 0 {
				args = append(args, "error", c.Errors.String())
			}
			lvl("request", args...)
		}
	}()
	c.Next()
}

// loadSession attaches the logged-in user, if the cookie names a live
// session.
func (a *Handler) loadSession(c *gin.Context) {
	token, err := c.Cookie(SessionCookie)
	if err == nil && token != "" {
		sess, u, err := a.DB.Auth().Session(c.Request.Context(), token, a.sessionTTL)
		if err == nil {
			c.Set(ctxUser, u)
			c.Set(ctxSession, sess)
		} else if !errors.Is(err, fault.ErrNotFound) {
			a.fail(c, err)
			c.Abort()
			return
		}
	}
	c.Next()
}

func currentUser(c *gin.Context) *store.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*store.User)
	}
	return nil
}

func currentSession(c *gin.Context) *store.Session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*store.Session)
	}
	return nil
}

// requireLogin sends anonymous visitors to the login page, and users who
// must change their password to the password page.
func (a *Handler) requireLogin(c *gin.Context) {
	u := currentUser(c)
	if u == nil {
		next := c.Request.URL.RequestURI()
		target := "/connexion"
		if c.Request.Method == http.MethodGet && next != "/" {
			target += "?suite=" + url.QueryEscape(next)
		}
		a.redirect(c, target)
		c.Abort()
		return
	}
	if u.MustChange && c.FullPath() != "/mot-de-passe" && c.FullPath() != "/deconnexion" {
		a.redirect(c, "/mot-de-passe")
		c.Abort()
		return
	}
	c.Next()
}

// csrf checks the per-session token on every state-changing request: in the
// form field "csrf" or the X-CSRF-Token header that htmx sends from
// <body hx-headers>. Cross-origin protection already wraps the router; the
// token is the second lock.
func (a *Handler) csrf(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	// Bound every request body before anything parses it (the token check
	// below parses forms): an upload larger than the attachment limit is cut
	// off instead of being buffered to memory or disk.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, a.Cfg.MaxAttachment+1<<20)
	sess := currentSession(c)
	if sess == nil {
		c.Next()
		return
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" {
		if err := parseForm(c.Request); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.renderError(c, http.StatusUnprocessableEntity, (&docstore.TooLargeError{Max: a.Cfg.MaxAttachment}).Error())
				c.Abort()
				return
			}
		}
		got = c.PostForm("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		a.renderError(c, http.StatusForbidden, "Le formulaire a expiré ou ne provient pas de cette page. Rechargez la page et recommencez.")
		c.Abort()
		return
	}
	c.Next()
}

// requireMandataire gives the handler the scope of the user's coop; any
// other role gets a 404 (no oracle about what exists).
func (a *Handler) requireMandataire(c *gin.Context) {
	u := currentUser(c)
	if u == nil || u.Role != store.RoleMandataire || u.CoopID == nil {
		a.fail(c, fault.ErrNotFound)
		c.Abort()
		return
	}
	scope, err := a.DB.ForCoop(c.Request.Context(), *u.CoopID, &u.ID)
	if err != nil {
		a.fail(c, err)
		c.Abort()
		return
	}
	c.Set(ctxCoop, scope)
	c.Next()
}

// requireStaff gives the handler the scope of the user's AD.
func (a *Handler) requireStaff(c *gin.Context) {
	u := currentUser(c)
	if u == nil || !u.IsStaff() || u.ADID == nil {
		a.fail(c, fault.ErrNotFound)
		c.Abort()
		return
	}
	scope, err := a.DB.ForAD(c.Request.Context(), *u.ADID, &u.ID)
	if err != nil {
		a.fail(c, err)
		c.Abort()
		return
	}
	c.Set(ctxAD, scope)
	c.Next()
}

// requireAdmin lets only AD admins through.
func (a *Handler) requireAdmin(c *gin.Context) {
	if u := currentUser(c); u == nil || u.Role != store.RoleAdmin {
		a.fail(c, fault.ErrNotFound)
		c.Abort()
		return
	}
	c.Next()
}

func coopScope(c *gin.Context) *store.CoopScope { return c.MustGet(ctxCoop).(*store.CoopScope) }
func adScope(c *gin.Context) *store.ADScope     { return c.MustGet(ctxAD).(*store.ADScope) }

// staffCoop resolves the :coop parameter through the AD scope: a coop of
// another AD, or a malformed id, is fault.ErrNotFound (a 404).
func (a *Handler) staffCoop(c *gin.Context) (*store.CoopScope, error) {
	id, ok := paramID(c, "coop")
	if !ok {
		return nil, fault.ErrNotFound
	}
	return adScope(c).Coop(c.Request.Context(), id)
}

// redirect after a POST: HX-Redirect for htmx, 303 See Other otherwise.
func (a *Handler) redirect(c *gin.Context, target string) {
	if c.GetHeader("HX-Request") == "true" {
		c.Header("HX-Redirect", target)
		c.Status(http.StatusOK)
		return
	}
	code := http.StatusSeeOther
	if c.Request.Method == http.MethodGet {
		code = http.StatusFound
	}
	c.Redirect(code, target)
}

func (a *Handler) setSessionCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: a.Cfg.SecureCookies(), SameSite: http.SameSiteLaxMode, MaxAge: int(a.sessionTTL.Seconds()),
	})
}

func (a *Handler) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: a.Cfg.SecureCookies(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// parseForm parses a urlencoded or multipart body (files above 1 MiB spill
// to temporary files) so that its errors, a body over the limit above all,
// are seen here rather than silently ignored.
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}
