package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/store"
)

// showHealth answers the load balancer's probe.
func (a *Handler) showHealth(c *gin.Context) error {
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
	return nil
}

// showHome sends each role to its own home.
func (a *Handler) showHome(c *gin.Context) error {
	u := currentUser(c)
	switch {
	case u.Role == store.RoleMandataire:
		c.Redirect(http.StatusFound, string(mandataireSpace))
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
