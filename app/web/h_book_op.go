package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/store"
)

// operationPage is the page of one operation: its form, its pièce and the
// delete button.
type operationPage struct {
	Frame bookFrame
	Form  *entryForm
}

// operationOf resolves the :op parameter in the user's coop, with the book
// of its exercice. Another coop's id is a 404.
func (a *Handler) operationOf(c *gin.Context) (*store.OperationRecord, *store.Book, error) {
	cs, ctx := coopScope(c), c.Request.Context()
	id, ok := paramID(c, "op")
	if !ok {
		return nil, nil, fault.ErrNotFound
	}
	rec, err := cs.Operation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	b, err := cs.Book(ctx, rec.Exercice)
	if err != nil {
		return nil, nil, err
	}
	return rec, b, nil
}

func (a *Handler) showOperation(c *gin.Context) error {
	rec, b, err := a.operationOf(c)
	if err != nil {
		return err
	}
	return a.renderOperation(c, http.StatusOK, coopScope(c), b, editForm(spaceOf(c), csrfToken(c), b, rec))
}

// renderOperation renders the page of one operation with its form.
func (a *Handler) renderOperation(c *gin.Context, status int, cs *store.CoopScope, b *store.Book, f *entryForm) error {
	co, err := cs.Coop(c.Request.Context())
	if err != nil {
		return err
	}
	fr := newFrame(spaceOf(c), co, b.Exercice, "cahier", "Opération "+f.Piece)
	a.render.HTML(c, status, "book_operation", a.page(c, fr.Title, &operationPage{Frame: fr, Form: f}))
	return nil
}

// updateOperation saves the edit form; the change is audited by the store
// with the previous version.
func (a *Handler) updateOperation(c *gin.Context) error {
	rec, b, err := a.operationOf(c)
	if err != nil {
		return err
	}
	cs := coopScope(c)
	f := editForm(spaceOf(c), csrfToken(c), b, rec)
	op, err := bindEntry(c, f)
	var docID int64
	if err == nil {
		docID, err = a.attachment(c, cs)
	}
	if err == nil {
		op.ID = rec.Op.ID
		err = cs.UpdateOperation(c.Request.Context(), &op, docID)
	}
	if err != nil {
		return a.entryFailed(c, cs, b, f, err)
	}
	a.redirect(c, savedURL(spaceOf(c), b.Exercice.Name, f.View, op.ID))
	return nil
}

func (a *Handler) deleteOperation(c *gin.Context) error {
	rec, b, err := a.operationOf(c)
	if err != nil {
		return err
	}
	if err := coopScope(c).DeleteOperation(c.Request.Context(), rec.Op.ID); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).book(b.Exercice.Name, "")+"?supprimee="+rec.Op.Piece)
	return nil
}

// attachment stores the pièce justificative sent with the form, if any:
// its type is sniffed, its size limited, its bytes kept content-addressed
// outside the web root. It returns 0 when no file was sent.
func (a *Handler) attachment(c *gin.Context, cs *store.CoopScope) (int64, error) {
	fh, err := c.FormFile("piece_jointe")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return 0, nil
	}
	if err != nil {
		return 0, fault.Invalidf("Le fichier joint n'a pas pu être lu : renvoyez-le.")
	}
	if fh.Size == 0 {
		return 0, nil
	}
	f, err := fh.Open()
	if err != nil {
		return 0, fmt.Errorf("attachment: %w", err)
	}
	defer f.Close()
	st, err := a.Docs().Put(f)
	if err != nil {
		var tooLarge *docstore.TooLargeError
		var badType *docstore.TypeError
		if errors.As(err, &tooLarge) || errors.As(err, &badType) {
			return 0, fault.User(err)
		}
		return 0, fmt.Errorf("attachment: %w", err)
	}
	doc, _, err := cs.AddDocument(c.Request.Context(), st, fh.Filename, "web")
	if err != nil {
		return 0, err
	}
	return doc.ID, nil
}
