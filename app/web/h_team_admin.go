package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/auth"
	"retkoop/app/fault"
	"retkoop/app/store"
)

// AD admins manage their team beyond creating accounts (h_staff.go):
// disable an account (its sessions end), enable it again, issue a new
// password shown once.

// staffMember resolves the :user parameter among the AD's staff: anyone
// else is a 404.
func (a *Handler) staffMember(c *gin.Context) (*store.User, bool) {
	id, ok := paramID(c, "user")
	if !ok {
		a.fail(c, fault.ErrNotFound)
		return nil, false
	}
	u, err := adScope(c).StaffMember(c.Request.Context(), id)
	if err != nil {
		a.fail(c, err)
		return nil, false
	}
	return u, true
}

func (a *Handler) disableStaff(c *gin.Context) { a.setStaffDisabled(c, true) }

func (a *Handler) enableStaff(c *gin.Context) { a.setStaffDisabled(c, false) }

func (a *Handler) setStaffDisabled(c *gin.Context, disabled bool) {
	u, ok := a.staffMember(c)
	if !ok {
		return
	}
	if err := adScope(c).SetStaffDisabled(c.Request.Context(), u.ID, disabled); err != nil {
		a.fail(c, err)
		return
	}
	a.redirect(c, "/ad/admin/equipe")
}

// createStaffPassword issues a new random password for a team member,
// shown once; they must change it at their next login.
func (a *Handler) createStaffPassword(c *gin.Context) {
	ctx := c.Request.Context()
	u, ok := a.staffMember(c)
	if !ok {
		return
	}
	pw := auth.Generate(12)
	hash, err := auth.HashWith(pw, a.HashParams)
	if err != nil {
		a.fail(c, err)
		return
	}
	actor := currentUser(c).ID
	if err := a.DB.Auth().SetPassword(ctx, u.ID, hash, true, &actor); err != nil {
		a.fail(c, err)
		return
	}
	staff, err := adScope(c).Staff(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_team", a.page(c, "Équipe de l'AD", team{Staff: staff, Created: u.Login, Password: pw, Reissued: true}))
}
