package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/store"
)

// "Assist" mode: a staff member opens a coop's space as its mandataire sees
// it, to help on the phone, at /ad/coops/:coop/assistance/… . Every GET page
// of the mandataire's space is mounted there with the same handler, given
// the coop's scope made read-only (store.CoopScope.AsReadOnly: every write
// of the store fails with fault.ErrReadOnly), and the page carries the
// assist banner. Any other method is refused before reaching a handler.
// Every access is written to the audit log. The mandataire's pages link to
// /coop/…: the links of an assist page are rewritten to stay in assist.

const ctxAssist = "assist"

// mountAssist registers, under the assist group, the GET routes of the
// mandataire's space (those of routes whose path starts with /coop), and
// the refusal of every other request. A route's handler is the last of its
// chain (gin.RouteInfo.HandlerFunc, already wrapped by handle): the
// mandataire's routes carry no middleware of their own, their group's
// (login, mandataire scope) being replaced here by requireAssist.
func (a *Handler) mountAssist(g *gin.RouterGroup, routes gin.RoutesInfo) {
	for _, rt := range routes {
		if rt.Method != http.MethodGet || (rt.Path != "/coop" && !strings.HasPrefix(rt.Path, "/coop/")) {
			continue
		}
		g.GET(strings.TrimPrefix(rt.Path, "/coop"), rt.HandlerFunc)
	}
	g.POST("/*path", a.handle(a.refuseAssistWrite))
}

// requireAssist resolves the coop through the staff's AD (another AD's
// coop is a 404), hands the handlers its read-only scope, logs the access
// and rewrites the page's links.
func (a *Handler) requireAssist(c *gin.Context) {
	cs, err := a.staffCoop(c)
	if err != nil {
		a.fail(c, err)
		c.Abort()
		return
	}
	if c.Request.Method != http.MethodGet {
		c.Next() // refuseAssistWrite answers
		return
	}
	id := cs.ID()
	if err := adScope(c).Audit(c.Request.Context(), &id, store.ActionAssist, map[string]any{"page": c.Request.URL.Path}); err != nil {
		a.fail(c, err)
		c.Abort()
		return
	}
	c.Set(ctxCoop, cs.AsReadOnly())
	c.Set(ctxAssist, id)
	w := &assistWriter{ResponseWriter: c.Writer, prefix: assistBase(id), status: http.StatusOK}
	c.Writer = w
	defer func() {
		// On a panic, the recovery (base) answers on the real writer.
		c.Writer = w.ResponseWriter
		if p := recover(); p != nil {
			panic(p)
		}
	}()
	c.Next()
	w.finish()
}

// refuseAssistWrite refuses every write attempted in assist mode.
func (a *Handler) refuseAssistWrite(c *gin.Context) error { return fault.ErrReadOnly }

// assistBase is the address of a coop's space in assist mode.
func assistBase(coopID int64) string {
	return "/ad/coops/" + strconv.FormatInt(coopID, 10) + "/assistance"
}

// assistCoop returns the id of the coop viewed in assist mode, if any.
func assistCoop(c *gin.Context) (int64, bool) {
	v, ok := c.Get(ctxAssist)
	if !ok {
		return 0, false
	}
	id, ok := v.(int64)
	return id, ok
}

// coopLink finds the mandataire's links in a page: "/coop" right after a
// quote and followed by the end of the path, a slash, a query or an anchor.
var coopLink = regexp.MustCompile(`(["'])/coop(["/?#])`)

// assistWriter holds an HTML response to rewrite its links, and the
// redirects' targets; other responses (documents, exports) pass through.
type assistWriter struct {
	gin.ResponseWriter
	prefix      string
	status      int
	buf         bytes.Buffer
	decided     bool
	passthrough bool
}

func (w *assistWriter) rewrite(s string) string {
	return coopLink.ReplaceAllString(s, "${1}"+w.prefix+"${2}")
}

func (w *assistWriter) WriteHeader(code int) {
	if code > 0 && !w.decided {
		w.status = code
	}
}

func (w *assistWriter) WriteHeaderNow() {}

func (w *assistWriter) Status() int { return w.status }

func (w *assistWriter) Written() bool { return w.decided }

func (w *assistWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.passthrough {
		return w.ResponseWriter.Write(b)
	}
	return w.buf.Write(b)
}

func (w *assistWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// decide rewrites the redirect headers and chooses, from the content type,
// whether the body is held for rewriting.
func (w *assistWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	for _, k := range []string{"Location", "HX-Redirect"} {
		if v := h.Get(k); strings.HasPrefix(v, "/coop") {
			h.Set(k, strings.TrimSuffix(w.rewrite(`"` + v + `"`)[1:], `"`))
		}
	}
	w.passthrough = !strings.HasPrefix(h.Get("Content-Type"), "text/html")
	if w.passthrough {
		w.ResponseWriter.WriteHeader(w.status)
	}
}

// finish writes the held response, its links rewritten.
func (w *assistWriter) finish() {
	w.decide()
	if w.passthrough {
		return
	}
	body := w.rewrite(w.buf.String())
	if w.Header().Get("Content-Length") != "" {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.WriteString(body)
}
