package web

import (
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/auth"
	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
)

const coopsPerPage = 50

type staffCoops struct {
	AD         *store.AD
	Coops      []store.Coop
	Q          string
	Total      int
	Page, Last int
	PrevURL    string
	NextURL    string
}

func (a *Handler) showStaffHome(c *gin.Context) error {
	c.Redirect(http.StatusFound, "/ad/coops")
	return nil
}

func (a *Handler) showStaffCoops(c *gin.Context) error {
	ctx := c.Request.Context()
	ad := adScope(c)
	q := strings.TrimSpace(c.Query("q"))
	pg, _ := strconv.Atoi(c.Query("page"))
	if pg < 1 {
		pg = 1
	}
	coops, total, err := ad.Coops(ctx, store.CoopFilter{Q: q, Limit: coopsPerPage, Offset: (pg - 1) * coopsPerPage})
	if err != nil {
		return err
	}
	info, err := ad.AD(ctx)
	if err != nil {
		return err
	}
	v := staffCoops{AD: info, Coops: coops, Q: q, Total: total, Page: pg, Last: (total + coopsPerPage - 1) / coopsPerPage}
	link := func(p int) string { return "/ad/coops?" + url.Values{"q": {q}, "page": {strconv.Itoa(p)}}.Encode() }
	v.PrevURL, v.NextURL = pageLinks(pg, v.Last, link)
	a.render.HTML(c, http.StatusOK, "staff_coops", a.page(c, "Coopératives de "+info.Name, v))
	return nil
}

type staffCoop struct {
	Coop      *store.Coop
	Exercices []store.Exercice
	Errors    []string
	Saved     bool
	Password  string // shown once after issuing
	Login     string
	Access    *coopAccessView // h_coop_access.go
}

// loadStaffCoop loads the coop named by :coop (in the staff's AD) with
// what its staff page shows.
func (a *Handler) loadStaffCoop(c *gin.Context) (*store.CoopScope, *staffCoop, error) {
	ctx := c.Request.Context()
	cs, err := a.staffCoop(c)
	if err != nil {
		return nil, nil, err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, nil, err
	}
	ex, err := cs.Exercices(ctx)
	if err != nil {
		return nil, nil, err
	}
	access, err := a.loadCoopAccess(ctx, adScope(c), cs.ID(), c.Query("acces"))
	if err != nil {
		return nil, nil, err
	}
	return cs, &staffCoop{Coop: co, Exercices: ex, Saved: c.Query("ok") == "1", Access: access}, nil
}

func (a *Handler) showStaffCoop(c *gin.Context) error {
	_, v, err := a.loadStaffCoop(c)
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_coop", a.page(c, v.Coop.Name, v))
	return nil
}

// updateStaffCoop saves a coop's parameters (audited with before/after).
func (a *Handler) updateStaffCoop(c *gin.Context) error {
	cs, v, err := a.loadStaffCoop(c)
	if err != nil {
		return err
	}
	f := service.CoopFields{Name: c.PostForm("nom"), Address: c.PostForm("adresse"), PostalCode: c.PostForm("code_postal"),
		Commune: c.PostForm("commune"), IBAN: c.PostForm("iban"), MandataireName: c.PostForm("mandataire"),
		MandataireEmail: c.PostForm("email"), Status: c.PostForm("statut"), BookMode: c.PostForm("tenue")}
	p, errs := f.Validate()
	if len(errs) > 0 {
		v.Errors = errs
		// Show what was typed, not the stored values.
		v.Coop.Name, v.Coop.Address, v.Coop.PostalCode, v.Coop.Commune = f.Name, f.Address, f.PostalCode, f.Commune
		v.Coop.IBAN, v.Coop.MandataireName, v.Coop.MandataireEmail = f.IBAN, f.MandataireName, f.MandataireEmail
		a.render.HTML(c, http.StatusUnprocessableEntity, "staff_coop", a.page(c, v.Coop.Name, v))
		return nil
	}
	if err := adScope(c).UpdateCoop(c.Request.Context(), cs.ID(), p); err != nil {
		return err
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d?ok=1", cs.ID()))
	return nil
}

// createCoopPassword issues a new random password for the coop's
// mandataire login, shown once; the mandataire must change it at first login
// and every existing session of that login ends.
func (a *Handler) createCoopPassword(c *gin.Context) error {
	ctx := c.Request.Context()
	cs, v, err := a.loadStaffCoop(c)
	if err != nil {
		return err
	}
	pw, hash, err := auth.Issue(a.HashParams)
	if err != nil {
		return err
	}
	u, err := adScope(c).SetCoopPassword(ctx, cs.ID(), hash, true)
	if err != nil {
		return err
	}
	v.Password, v.Login = pw, u.Login
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_coop", a.page(c, v.Coop.Name, v))
	return nil
}

type team struct {
	Staff    []store.User
	Error    string
	Created  string
	Password string
	Reissued bool // Password is a new one for an existing account (h_team_admin.go)
}

func (a *Handler) showTeam(c *gin.Context) error {
	staff, err := adScope(c).Staff(c.Request.Context())
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "staff_team", a.page(c, "Équipe de l'AD", team{Staff: staff}))
	return nil
}

// createStaff creates a staff (or admin) account with a random password
// shown once.
func (a *Handler) createStaff(c *gin.Context) error {
	ctx := c.Request.Context()
	ad := adScope(c)
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	name := strings.TrimSpace(c.PostForm("nom"))
	role := c.PostForm("role")
	var v team
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		v.Error = "L'adresse e-mail « " + email + " » est invalide."
	} else if name == "" {
		v.Error = "Le nom est obligatoire."
	} else if role != store.RoleStaff && role != store.RoleAdmin {
		v.Error = "Rôle inconnu."
	}
	if v.Error == "" {
		pw, hash, err := auth.Issue(a.HashParams)
		if err != nil {
			return err
		}
		err = ad.CreateStaff(ctx, &store.User{Role: role, Login: email, Email: email, Name: name, PasswordHash: hash, MustChange: true})
		if msg, ok := fault.Message(err); ok {
			v.Error = msg
		} else if err != nil {
			return err
		} else {
			v.Created, v.Password = email, pw
		}
	}
	staff, err := ad.Staff(ctx)
	if err != nil {
		return err
	}
	v.Staff = staff
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, status, "staff_team", a.page(c, "Équipe de l'AD", v))
	return nil
}
