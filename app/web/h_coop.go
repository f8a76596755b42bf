package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/store"
)

// coopHome is the mandataire's home: the coop's pre-installed parameters
// and its exercices.
type coopHome struct {
	Coop       *store.Coop
	MaskedIBAN string
	Exercices  []store.Exercice
}

func (a *Handler) loadCoopHome(c *gin.Context, cs *store.CoopScope) (*coopHome, error) {
	ctx := c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, err
	}
	ex, err := cs.Exercices(ctx)
	if err != nil {
		return nil, err
	}
	return &coopHome{Coop: co, MaskedIBAN: store.MaskIBAN(co.IBAN), Exercices: ex}, nil
}

func (a *Handler) showCoopHome(c *gin.Context) error {
	h, err := a.loadCoopHome(c, coopScope(c))
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "coop_home", a.page(c, h.Coop.Name, h))
	return nil
}
