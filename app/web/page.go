package web

import (
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
	// Space is the coop space of the mandataire's pages ({{$.Space}}/…).
	Space coopSpace
	Data  any
}

func (a *Handler) page(c *gin.Context, title string, data any) Page {
	p := Page{Title: title, User: currentUser(c), Data: data, Space: spaceOf(c)}
	if s := currentSession(c); s != nil {
		p.CSRF = s.CSRF
	}
	if id, ok := assistCoop(c); ok {
		p.Assist, p.AssistCoop = true, id
	}
	return p
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
