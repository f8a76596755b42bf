package web

import (
	"github.com/gin-gonic/gin"
)

// Router is the route table: it reads like a table of contents, grouped by
// middleware stack. Route parameters are named after what they designate
// (:coop, :op, :doc, …) so that the isolation test can substitute another
// tenant's ids for every one of them. Each handler returns its error and is
// registered through a.handle (errors.go), which answers it with fail.
func (a *Handler) Router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = false
	// Multipart files above 1 MiB go to temporary files, not memory.
	r.MaxMultipartMemory = 1 << 20
	r.Use(a.base, a.loadSession, a.csrf)
	r.NoRoute(func(c *gin.Context) { a.renderError(c, 404, "") })

	// Public.
	r.GET("/static/*file", a.render.serveStatic)
	r.GET("/healthz", a.handle(a.showHealth))
	r.GET("/connexion", a.handle(a.showLogin))
	r.POST("/connexion", a.handle(a.createSession))
	// — public: password reset —
	r.GET("/mot-de-passe-oublie", a.handle(a.showForgotPassword))
	r.POST("/mot-de-passe-oublie", a.handle(a.createPasswordReset))
	r.GET("/reinitialiser/:token", a.handle(a.showPasswordReset))
	r.POST("/reinitialiser/:token", a.handle(a.updatePasswordReset))

	// Any logged-in user.
	in := r.Group("/", a.requireLogin)
	in.GET("/", a.handle(a.showHome))
	in.POST("/deconnexion", a.handle(a.deleteSession))
	in.GET("/mot-de-passe", a.handle(a.showPassword))
	in.POST("/mot-de-passe", a.handle(a.updatePassword))

	// Mandataire: everything is scoped to the user's own coop.
	m := r.Group("/coop", a.requireLogin, a.requireMandataire)
	m.GET("", a.handle(a.showCoopHome))
	m.GET("/documents/:doc", a.handle(a.showCoopDocument))
	// — book (cahier de comptabilité) —
	m.GET("/cahier", a.handle(a.showBookHome))
	m.GET("/cahier/:ex", a.handle(a.showBook))
	m.POST("/cahier/:ex/operations", a.handle(a.createOperation))
	m.POST("/cahier/:ex/formulaire", a.handle(a.refreshEntryForm))
	m.GET("/operations/:op", a.handle(a.showOperation))
	m.POST("/operations/:op", a.handle(a.updateOperation))
	m.POST("/operations/:op/supprimer", a.handle(a.deleteOperation))
	m.GET("/cahier/:ex/caisse", a.handle(a.showCashCounts))
	m.POST("/cahier/:ex/caisse", a.handle(a.createCashCount))
	m.GET("/cahier/:ex/subventions", a.handle(a.showSubsidies))
	m.POST("/cahier/:ex/subventions/:op", a.handle(a.updateSubsidy))
	m.GET("/cahier/:ex/inventaire", a.handle(a.showInventory))
	m.POST("/cahier/:ex/inventaire", a.handle(a.createInventoryItem))
	m.POST("/cahier/:ex/inventaire/modifier", a.handle(a.updateInventoryItem))
	m.GET("/cahier/:ex/projets", a.handle(a.showProjects))
	m.GET("/cahier/:ex/regies", a.handle(a.showRegies))
	m.POST("/cahier/:ex/regies", a.handle(a.createRegie))
	m.GET("/cahier/:ex/import", a.handle(a.showImport))
	m.POST("/cahier/:ex/import", a.handle(a.createImport))
	m.GET("/cahier/:ex/export.csv", a.handle(a.exportBookCSV))
	m.GET("/cahier/:ex/export.xlsx", a.handle(a.exportBookXLSX))
	// — bank (relevés, pointage, rapprochement) —
	m.GET("/banque", a.handle(a.showBank))
	m.GET("/banque/import", a.handle(a.showBankImport))
	m.POST("/banque/import", a.handle(a.createBankImport))
	m.POST("/banque/rapprocher", a.handle(a.createBankRematch))
	m.GET("/banque/releves/:stmt", a.handle(a.showBankStatement))
	m.POST("/banque/releves/:stmt/solde", a.handle(a.updateStatementClosing))
	m.POST("/banque/lignes/:line/confirmer", a.handle(a.createLineConfirmation))
	m.POST("/banque/lignes/:line/rejeter", a.handle(a.createLineRejection))
	m.POST("/banque/lignes/:line/annuler", a.handle(a.deleteLineTick))
	m.POST("/banque/lignes/:line/operation", a.handle(a.createLineOperation))
	m.GET("/banque/pointage", a.handle(a.showPointage))
	m.POST("/banque/operations/:op/pointer", a.handle(a.createOperationTick))
	m.POST("/banque/operations/:op/depointer", a.handle(a.deleteOperationTick))
	m.GET("/banque/rapprochement", a.handle(a.showRapprochement))
	// — closing (clôture, CRF, CRA, quitus) —
	m.GET("/cahier/:ex/cloture", a.handle(a.showClosing))
	m.POST("/cahier/:ex/cloture", a.handle(a.createClosing))
	m.GET("/crf/:ex", a.handle(a.showCRF))
	m.POST("/crf/:ex/valider", a.handle(a.createCRFValidation))
	m.POST("/crf/:ex/subventions", a.handle(a.createSubsidiesValidation))
	m.GET("/crf/:ex/export", a.handle(a.exportCRF))
	m.GET("/crf/:ex/quitus.pdf", a.handle(a.showQuitusPDF))
	m.GET("/crf/:ex/saisie", a.handle(a.showCRFEntry))
	m.POST("/crf/:ex/saisie", a.handle(a.updateCRFEntry))
	m.GET("/cra/:ex", a.handle(a.showCRA))
	m.POST("/cra/:ex", a.handle(a.updateCRA))
	// — dossier (checklist, envoi des documents) —
	m.GET("/dossier", a.handle(a.showCoopDossierCurrent))
	m.GET("/dossier/:ex", a.handle(a.showCoopDossier))
	m.POST("/dossier/:ex/elements/:item/documents", a.handle(a.createDossierDocument))
	m.POST("/dossier/:ex/corrections/:correction", a.handle(a.createCorrectionAnswer))

	// AD staff (and admins): scoped to the user's AD.
	s := r.Group("/ad", a.requireLogin, a.requireStaff)
	s.GET("", a.handle(a.showStaffHome))
	s.GET("/coops", a.handle(a.showStaffCoops))
	s.GET("/coops/:coop", a.handle(a.showStaffCoop))
	s.POST("/coops/:coop", a.handle(a.updateStaffCoop))
	s.POST("/coops/:coop/mot-de-passe", a.handle(a.createCoopPassword))
	s.GET("/coops/:coop/documents/:doc", a.handle(a.showStaffDocument))
	// — staff: dossier review, queue, consolidation —
	s.GET("/coops/:coop/exercices/:ex", a.handle(a.showStaffExercice))
	s.POST("/coops/:coop/exercices/:ex/rouvrir", a.handle(a.reopenStaffExercice))
	s.GET("/coops/:coop/exercices/:ex/crf", a.handle(a.exportStaffCRF))
	s.GET("/coops/:coop/dossier/:ex", a.handle(a.showStaffDossier))
	s.POST("/coops/:coop/dossier/:ex/elements/:item/accepter", a.handle(a.acceptDossierItem))
	s.POST("/coops/:coop/dossier/:ex/elements/:item/corriger", a.handle(a.requestDossierCorrection))
	s.POST("/coops/:coop/dossier/:ex/elements/:item/courrier", a.handle(a.createPostalDocument))
	s.POST("/coops/:coop/dossier/:ex/dispenser", a.handle(a.waiveDossierProof))
	s.POST("/coops/:coop/dossier/:ex/valider", a.handle(a.validateDossier))
	s.POST("/coops/:coop/dossier/:ex/rouvrir", a.handle(a.reopenDossier))
	s.GET("/dossiers", a.handle(a.showQueue))
	s.POST("/dossiers/relances", a.handle(a.createQueueReminders))
	s.POST("/dossiers/validations", a.handle(a.createQueueValidations))
	s.POST("/dossiers/export", a.handle(a.exportQueue))
	s.GET("/consolidation", a.handle(a.showConsolidation))
	s.GET("/consolidation/export", a.handle(a.exportConsolidation))
	s.GET("/consolidation/avancement.svg", a.handle(a.showProgressChart))
	s.POST("/coops/:coop/mot-de-passe/courrier", a.handle(a.createPasswordLetter))
	s.POST("/coops/:coop/mot-de-passe/courriel", a.handle(a.createAccessMail))
	s.POST("/coops/:coop/mandataire", a.handle(a.updateMandataire))
	// Assist: the mandataire's GET pages, read-only (assist.go).
	a.mountAssist(s.Group("/coops/:coop/assistance", a.requireAssist), r.Routes())
	// — staff: mail-in triage and ledger —
	s.GET("/courrier", a.handle(a.showMailTriage))
	s.GET("/courrier/journal", a.handle(a.showMailLedger))
	s.GET("/courrier/messages/:message", a.handle(a.showMailMessage))
	s.POST("/courrier/messages/:message/reessayer", a.handle(a.createMailRetry))
	s.GET("/courrier/pieces/:piece", a.handle(a.showMailFile))
	s.POST("/courrier/pieces/:piece/classer", a.handle(a.createMailAssignment))
	s.POST("/courrier/pieces/:piece/ecarter", a.handle(a.createMailDismissal))
	s.GET("/courrier/boite", a.requireAdmin, a.handle(a.showMailbox))
	s.POST("/courrier/boite", a.requireAdmin, a.handle(a.updateMailbox))
	// — staff: outbox and reminders —
	s.GET("/courriels", a.handle(a.showOutbox))
	s.GET("/courriels/:mail", a.handle(a.showOutboxMail))
	s.GET("/coops/:coop/courriels", a.handle(a.showCoopMails))
	s.GET("/coops/:coop/relance", a.handle(a.showReminderPreview))
	s.POST("/coops/:coop/relance", a.handle(a.createManualReminder))
	s.GET("/relances", a.handle(a.showReminders))
	s.POST("/relances", a.requireAdmin, a.handle(a.updateReminderRules))
	s.POST("/relances/identite", a.requireAdmin, a.handle(a.updateMailIdentity))

	// AD admins.
	ad := s.Group("/admin", a.requireAdmin)
	ad.GET("/equipe", a.handle(a.showTeam))
	ad.POST("/equipe", a.handle(a.createStaff))
	ad.POST("/equipe/:user/desactiver", a.handle(a.disableStaff))
	ad.POST("/equipe/:user/activer", a.handle(a.enableStaff))
	ad.POST("/equipe/:user/mot-de-passe", a.handle(a.createStaffPassword))
	ad.GET("/coops/import", a.handle(a.showCoopsImport))
	ad.POST("/coops/import", a.handle(a.createCoopsImport))
	ad.POST("/coops/courriers", a.handle(a.createPasswordLetters))

	return r
}
