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

func (a *Handler) showStaffHome(c *gin.Context) { c.Redirect(http.StatusFound, "/ad/coops") }

func (a *Handler) showStaffCoops(c *gin.Context) {
	ctx := c.Request.Context()
	ad := adScope(c)
	q := strings.TrimSpace(c.Query("q"))
	pg, _ := strconv.Atoi(c.Query("page"))
	if pg < 1 {
		pg = 1
	}
	coops, total, err := ad.Coops(ctx, store.CoopFilter{Q: q, Limit: coopsPerPage, Offset: (pg - 1) * coopsPerPage})
	if err != nil {
		a.fail(c, err)
		return
	}
	info, err := ad.AD(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	v := staffCoops{AD: info, Coops: coops, Q: q, Total: total, Page: pg, Last: (total + coopsPerPage - 1) / coopsPerPage}
	link := func(p int) string { return "/ad/coops?" + url.Values{"q": {q}, "page": {strconv.Itoa(p)}}.Encode() }
	v.PrevURL, v.NextURL = pageLinks(pg, v.Last, link)
	a.render.HTML(c, http.StatusOK, "staff_coops", a.page(c, "Coopératives de "+info.Name, v))
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

func (a *Handler) loadStaffCoop(c *gin.Context) (*store.CoopScope, *staffCoop, bool) {
	cs, ok := a.staffCoop(c)
	if !ok {
		return nil, nil, false
	}
	co, err := cs.Coop(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return nil, nil, false
	}
	ex, err := cs.Exercices(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return nil, nil, false
	}
	access, err := a.loadCoopAccess(c.Request.Context(), adScope(c), cs.ID(), c.Query("acces"))
	if err != nil {
		a.fail(c, err)
		return nil, nil, false
	}
	return cs, &staffCoop{Coop: co, Exercices: ex, Saved: c.Query("ok") == "1", Access: access}, true
}

func (a *Handler) showStaffCoop(c *gin.Context) {
	_, v, ok := a.loadStaffCoop(c)
	if !ok {
		return
	}
	a.render.HTML(c, http.StatusOK, "staff_coop", a.page(c, v.Coop.Name, v))
}

// updateStaffCoop saves a coop's parameters (audited with before/after).
func (a *Handler) updateStaffCoop(c *gin.Context) {
	cs, v, ok := a.loadStaffCoop(c)
	if !ok {
		return
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
		return
	}
	if err := adScope(c).UpdateCoop(c.Request.Context(), cs.ID(), p); err != nil {
		a.fail(c, err)
		return
	}
	a.redirect(c, fmt.Sprintf("/ad/coops/%d?ok=1", cs.ID()))
}

// createCoopPassword issues a new random password for the coop's
// mandataire login, shown once; the mandataire must change it at first login
// and every existing session of that login ends.
func (a *Handler) createCoopPassword(c *gin.Context) {
	ctx := c.Request.Context()
	cs, v, ok := a.loadStaffCoop(c)
	if !ok {
		return
	}
	u, err := a.DB.Auth().UserByLogin(ctx, v.Coop.UAI)
	if err != nil || u.CoopID == nil || *u.CoopID != cs.ID() {
		a.fail(c, fault.Invalidf("Cette coopérative n'a pas de compte mandataire."))
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
	v.Password, v.Login = pw, u.Login
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, http.StatusOK, "staff_coop", a.page(c, v.Coop.Name, v))
}

type team struct {
	Staff    []store.User
	Error    string
	Created  string
	Password string
	Reissued bool // Password is a new one for an existing account (h_team_admin.go)
}

func (a *Handler) showTeam(c *gin.Context) {
	staff, err := adScope(c).Staff(c.Request.Context())
	if err != nil {
		a.fail(c, err)
		return
	}
	a.render.HTML(c, http.StatusOK, "staff_team", a.page(c, "Équipe de l'AD", team{Staff: staff}))
}

// createStaff creates a staff (or admin) account with a random password
// shown once.
func (a *Handler) createStaff(c *gin.Context) {
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
		pw := auth.Generate(12)
		hash, err := auth.HashWith(pw, a.HashParams)
		if err != nil {
			a.fail(c, err)
			return
		}
		err = ad.CreateStaff(ctx, &store.User{Role: role, Login: email, Email: email, Name: name, PasswordHash: hash, MustChange: true})
		if msg, ok := fault.Message(err); ok {
			v.Error = msg
		} else if err != nil {
			a.fail(c, err)
			return
		} else {
			v.Created, v.Password = email, pw
		}
	}
	staff, err := ad.Staff(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	v.Staff = staff
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	c.Header("Cache-Control", "no-store")
	a.render.HTML(c, status, "staff_team", a.page(c, "Équipe de l'AD", v))
}
