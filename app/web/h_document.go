package web

import (
	"fmt"
	"mime"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/store"
)

func (a *Handler) showCoopDocument(c *gin.Context) error { return a.serveDocument(c, coopScope(c)) }

func (a *Handler) showStaffDocument(c *gin.Context) error {
	cs, err := a.staffCoop(c)
	if err != nil {
		return err
	}
	return a.serveDocument(c, cs)
}

// serveDocument streams a stored document of the scope's coop with its
// real type, nosniff, and inline disposition (for the in-page viewer) or
// attachment with ?telecharger=1. Another coop's id is a 404.
func (a *Handler) serveDocument(c *gin.Context, cs *store.CoopScope) error {
	id, ok := paramID(c, "doc")
	if !ok {
		return fault.ErrNotFound
	}
	doc, err := cs.Document(c.Request.Context(), id)
	if err != nil {
		return err
	}
	f, err := a.Docs().Open(doc.SHA256)
	if err != nil {
		return fmt.Errorf("serve document %d: %w", id, err)
	}
	defer f.Close()
	disp := "inline"
	if c.Query("telecharger") == "1" {
		disp = "attachment"
	}
	c.Header("Content-Type", doc.MIME)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": path.Base(doc.Name)}))
	c.Header("Cache-Control", "private, max-age=3600")
	// A document is never a page. Images get a CSP that forbids everything;
	// PDFs get none, because Chromium refuses to show a PDF in a sandboxed
	// document, and the type was verified from the bytes at upload.
	if doc.MIME == "application/pdf" {
		c.Writer.Header().Del("Content-Security-Policy")
	} else {
		c.Header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	}
	http.ServeContent(c.Writer, c.Request, "", doc.CreatedAt, f)
	return nil
}
