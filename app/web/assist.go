package web

import (
	"net/http"
	"net/url"
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
// Every access is written to the audit log. The mandataire's pages build
// every link, form action and redirect from the request's coopSpace, which
// is the assist address here: a staff member stays in assist mode.

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
// coop is a 404), hands the handlers its read-only scope and logs the
// access; the pages then build their links from spaceOf(c).
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
	c.Next()
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

// coopSpace is the address of the coop space a request is in: "/coop" for
// the mandataire, /ad/coops/ID/assistance for a staff member helping the
// coop in assist mode. The mandataire's handlers, views and templates build
// every address of the space from it ({{$.Space}}/banque in a page,
// .Space in a partial's data).
type coopSpace string

// mandataireSpace is the mandataire's own space.
const mandataireSpace coopSpace = "/coop"

// spaceOf is the coop space of the request.
func spaceOf(c *gin.Context) coopSpace {
	if id, ok := assistCoop(c); ok {
		return coopSpace(assistBase(id))
	}
	return mandataireSpace
}

// To is the address of path (starting with "/", or "") in the space.
func (s coopSpace) To(path string) string { return string(s) + path }

// book is the address of an exercice's book page, or of one of its
// sub-pages (sub: "caisse", "regies"…).
func (s coopSpace) book(exercice, sub string) string {
	u := s.To("/cahier/" + url.PathEscape(exercice))
	if sub != "" {
		u += "/" + sub
	}
	return u
}

// crf is the address of an exercice's CRF page or of one of its sub-pages.
func (s coopSpace) crf(exercice, sub string) string {
	u := s.To("/crf/" + url.PathEscape(exercice))
	if sub != "" {
		u += "/" + sub
	}
	return u
}

// cra is the address of an exercice's CRA.
func (s coopSpace) cra(exercice string) string { return s.To("/cra/" + url.PathEscape(exercice)) }
