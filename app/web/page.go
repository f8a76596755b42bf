package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/store"
)

// Page is what every page template receives.
type Page struct {
	Title  string
	User   *store.User
	CSRF   string
	Assist bool
	// AssistCoop is the coop whose space a staff member views in assist
	// mode (assist.go).
	AssistCoop int64
	Data       any
}

func (a *Handler) page(c *gin.Context, title string, data any) Page {
	p := Page{Title: title, User: currentUser(c), Data: data}
	if s := currentSession(c); s != nil {
		p.CSRF = s.CSRF
	}
	if id, ok := assistCoop(c); ok {
		p.Assist, p.AssistCoop = true, id
	}
	return p
}

func (a *Handler) showHealth(c *gin.Context) error {
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
	return nil
}

// showHome sends each role to its own home.
func (a *Handler) showHome(c *gin.Context) error {
	u := currentUser(c)
	switch {
	case u.Role == store.RoleMandataire:
		c.Redirect(http.StatusFound, "/coop")
	case u.IsStaff():
		c.Redirect(http.StatusFound, "/ad")
	default:
		ads, err := a.DB.System().ADs(c.Request.Context())
		if err != nil {
			return err
		}
		a.render.HTML(c, http.StatusOK, "national", a.page(c, "Administration nationale", ads))
	}
	return nil
}

// pageLinks returns the links to the previous and next pages of a
// paginated list, "" at either end.
func pageLinks(page, last int, link func(page int) string) (prev, next string) {
	if page > 1 {
		prev = link(page - 1)
	}
	if page < last {
		next = link(page + 1)
	}
	return prev, next
}
