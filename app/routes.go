package app

import (
	"github.com/gin-gonic/gin"
)

// Router is the route table: it reads like a table of contents, grouped by
// middleware stack. Route parameters are named after what they designate
// (:coop, :op, :doc, …) so that the isolation test can substitute another
// tenant's ids for every one of them.
func (a *App) Router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = false
	r.Use(a.base, a.loadSession, a.csrf)
	r.NoRoute(func(c *gin.Context) { a.renderError(c, 404, "") })

	// Public.
	r.GET("/static/*file", a.render.serveStatic)
	r.GET("/healthz", a.showHealth)
	r.GET("/connexion", a.showLogin)
	r.POST("/connexion", a.createSession)
	// — public: password reset —

	// Any logged-in user.
	in := r.Group("/", a.requireLogin)
	in.GET("/", a.showHome)
	in.POST("/deconnexion", a.deleteSession)
	in.GET("/mot-de-passe", a.showPassword)
	in.POST("/mot-de-passe", a.updatePassword)

	// Mandataire: everything is scoped to the user's own coop.
	m := r.Group("/coop", a.requireLogin, a.requireMandataire)
	m.GET("", a.showCoopHome)
	m.GET("/documents/:doc", a.showCoopDocument)
	// — book (cahier de comptabilité) —
	// — bank (relevés, pointage, rapprochement) —
	// — closing (clôture, CRF, CRA, quitus) —
	// — dossier (checklist, envoi des documents) —

	// AD staff (and admins): scoped to the user's AD.
	s := r.Group("/ad", a.requireLogin, a.requireStaff)
	s.GET("", a.showStaffHome)
	s.GET("/coops", a.showStaffCoops)
	s.GET("/coops/:coop", a.showStaffCoop)
	s.POST("/coops/:coop", a.updateStaffCoop)
	s.POST("/coops/:coop/mot-de-passe", a.createCoopPassword)
	s.GET("/coops/:coop/documents/:doc", a.showStaffDocument)
	// — staff: dossier review, queue, consolidation —
	// — staff: mail-in triage and ledger —
	// — staff: outbox and reminders —

	// AD admins.
	ad := s.Group("/admin", a.requireAdmin)
	ad.GET("/equipe", a.showTeam)
	ad.POST("/equipe", a.createStaff)

	return r
}
