package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
)

// handleFunc is a handler that returns its error instead of answering it:
// every route's handler has this type and is registered through handle, so
// that a failure is turned into a page by fail and nowhere else.
type handleFunc func(c *gin.Context) error

// handle adapts a handler to gin: a non-nil error is answered by fail. A
// handler that has already answered (a form re-shown with its messages, a
// redirect) returns nil; one that fails after starting its answer (a
// document cut mid-stream) can no longer get an error page: the error is
// logged, the answer is left as it is.
func (a *Handler) handle(f handleFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := f(c)
		switch {
		case err == nil:
		case c.Writer.Written():
			_ = c.Error(err)
			a.Log.Error("request failed after its answer started", "request_id", c.GetString(ctxReqID), "path", c.Request.URL.Path, "error", err)
		default:
			a.fail(c, err)
		}
	}
}

// fail maps an error to HTTP in exactly one place: not found → 404, a user
// error (validation, invalid transition, read-only) → 422 with its French
// message, anything else → 500, logged once with the request id.
func (a *Handler) fail(c *gin.Context, err error) {
	if errors.Is(err, fault.ErrNotFound) {
		a.renderError(c, http.StatusNotFound, "")
		return
	}
	if msg, ok := fault.Message(err); ok {
		a.renderError(c, http.StatusUnprocessableEntity, msg)
		return
	}
	_ = c.Error(err)
	a.Log.Error("request failed", "request_id", c.GetString(ctxReqID), "path", c.Request.URL.Path, "error", err)
	a.renderError(c, http.StatusInternalServerError, "")
}

// renderError shows the French error page (or its content for htmx).
func (a *Handler) renderError(c *gin.Context, status int, msg string) {
	title := map[int]string{
		http.StatusNotFound:            "Page introuvable",
		http.StatusForbidden:           "Action refusée",
		http.StatusUnprocessableEntity: "Impossible d'enregistrer",
		http.StatusInternalServerError: "Erreur interne",
	}[status]
	if msg == "" {
		switch status {
		case http.StatusNotFound:
			msg = "Cette page n'existe pas ou vous n'y avez pas accès."
		default:
			msg = "Une erreur imprévue s'est produite. Elle a été enregistrée ; réessayez dans un instant."
		}
	}
	if isFragment(c.Request) {
		// htmx swaps only 2xx by default: retarget the message to the
		// page's alert region so the user sees it.
		c.Header("HX-Retarget", "#alerts")
		c.Header("HX-Reswap", "innerHTML")
	}
	a.render.HTML(c, status, "error", a.page(c, title, map[string]any{"Status": status, "Message": msg}))
}

// paramID reads a positive integer route parameter.
func paramID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	return id, err == nil && id > 0
}
