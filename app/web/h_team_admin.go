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
func (a *Handler) staffMember(c *gin.Context) (*store.User, error) {
	id, ok := paramID(c, "user")
	if !ok {
		return nil, fault.ErrNotFound
	}
	return adScope(c).StaffMember(c.Request.Context(), id)
}

func (a *Handler) disableStaff(c *gin.Context) error { return a.setStaffDisabled(c, true) }

func (a *Handler) enableStaff(c *gin.Context) error { return a.setStaffDisabled(c, false) }

func (a *Handler) setStaffDisabled(c *gin.Context, disabled bool) error {
	u, err := a.staffMember(c)
	if err != nil {
		return err
	}
	if err := adScope(c).SetStaffDisabled(c.Request.Context(), u.ID, disabled); err != nil {
		return err
	}
	a.redirect(c, "/ad/admin/equipe")
	return nil
}

// createStaffPassword issues a new random password for a team member,
// shown once; they must change it at their next login.
func (a *Handler) createStaffPassword(c *gin.Context) error {
	ctx := c.Request.Context()
	u, err := a.staffMember(c)
	if err != nil {
		return err
	}
	pw, hash, err := auth.Issue(a.HashParams)
	if err != nil {
		return err
	}
	if _, err := adScope(c).SetStaffPassword(ctx, u.ID, hash, true); err != nil {
		return err
	}
	staff, err := adScope(c).Staff(ctx)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_team", a.page(c, "Équipe de l'AD", team{Staff: staff, Created: u.Login, Password: pw, Reissued: true}))
	return nil
}
