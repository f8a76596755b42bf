package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
)

// lineAction runs an action on the bank line named by :line, then shows
// the line again: its row alone for htmx, which swaps it in place, or the
// page the form came from for a plain post.
func (a *Handler) lineAction(c *gin.Context, notice string, act func(cs *store.CoopScope, id int64) error) error {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "line")
	if !ok {
		return fault.ErrNotFound
	}
	if _, err := cs.BankLine(ctx, id); err != nil {
		return err
	}
	if err := act(cs, id); err != nil {
		return err
	}
	back := safeBack(spaceOf(c), c.PostForm("retour"), "/banque")
	if !isFragment(c.Request) {
		a.redirect(c, fmt.Sprintf("%s#bank-line-%d", back, id))
		return nil
	}
	l, err := cs.BankLine(ctx, id)
	if err != nil {
		return err
	}
	vs, err := bankLineViews(ctx, spaceOf(c), cs, csrfToken(c), back, []store.BankLine{*l})
	if err != nil {
		return err
	}
	vs[0].Notice = notice
	a.render.Partial(c, http.StatusOK, "bank_line", vs[0])
	return nil
}

// createLineConfirmation confirms the proposal of a line (or the
// alternative the mandataire chose): the operations are ticked.
func (a *Handler) createLineConfirmation(c *gin.Context) error {
	choice, _ := strconv.Atoi(c.PostForm("choix"))
	return a.lineAction(c, "Rapprochement confirmé : les opérations sont pointées.", func(cs *store.CoopScope, id int64) error {
		return service.ConfirmProposal(c.Request.Context(), cs, id, max(choice, 0))
	})
}

// createLineRejection rejects the proposal of a line.
func (a *Handler) createLineRejection(c *gin.Context) error {
	return a.lineAction(c, "Proposition rejetée.", func(cs *store.CoopScope, id int64) error {
		return cs.RejectBankProposal(c.Request.Context(), id)
	})
}

// deleteLineTick undoes the pairing of a line (an automatic tick the
// mandataire disagrees with): its operations are no longer ticked.
func (a *Handler) deleteLineTick(c *gin.Context) error {
	return a.lineAction(c, "Pointage annulé.", func(cs *store.CoopScope, id int64) error {
		_, err := cs.UnlinkBankLine(c.Request.Context(), id)
		return err
	})
}

// createLineOperation turns an unmatched line into an operation of the
// book, pre-filled from the line, and ticks it.
func (a *Handler) createLineOperation(c *gin.Context) error {
	in := service.LineOperation{Libelle: c.PostForm("libelle"), Account: c.PostForm("compte"), Piece: c.PostForm("piece")}
	return a.lineAction(c, "Opération créée dans le cahier et pointée.", func(cs *store.CoopScope, id int64) error {
		_, _, err := service.CreateLineOperation(c.Request.Context(), cs, id, in)
		return err
	})
}
