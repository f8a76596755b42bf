package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/docstore"
)

// Document is a stored file of a coop (a pièce of the book or a scan sent
// for the submission). The bytes live in the docstore under SHA256.
type Document struct {
	bun.BaseModel `bun:"table:documents,alias:d"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CoopID    int64     `bun:"coop_id"`
	SHA256    string    `bun:"sha256"`
	Name      string    `bun:"name"`
	MIME      string    `bun:"mime"`
	Size      int64     `bun:"size"`
	Source    string    `bun:"source"` // web, mail, poste
	CreatedAt time.Time `bun:"created_at"`
	CreatedBy *int64    `bun:"created_by"`
}

// AddDocument records a stored file for the coop. The same bytes sent
// twice give the same row back with existed = true.
func (c *CoopScope) AddDocument(ctx context.Context, st docstore.Stored, name, source string) (doc *Document, existed bool, err error) {
	if err := c.writable(); err != nil {
		return nil, false, err
	}
	var d Document
	err = c.sel(&d).Where("d.sha256 = ?", st.SHA256).Scan(ctx)
	if err == nil {
		return &d, true, nil
	}
	if !isNotFound(notFound(err)) {
		return nil, false, fmt.Errorf("add document: %w", err)
	}
	d = Document{CoopID: c.id, SHA256: st.SHA256, Name: name, MIME: st.MIME, Size: st.Size, Source: source,
		CreatedAt: c.s.now().UTC(), CreatedBy: c.actor}
	if _, err := c.ins(&d).Exec(ctx); err != nil {
		return nil, false, fmt.Errorf("add document: %w", err)
	}
	if err := c.Audit(ctx, "document.add", map[string]any{"id": d.ID, "nom": name, "sha256": st.SHA256, "source": source}); err != nil {
		return nil, false, err
	}
	return &d, false, nil
}

// Document returns one of the coop's documents; another coop's id is
// fault.ErrNotFound.
func (c *CoopScope) Document(ctx context.Context, id int64) (*Document, error) {
	var d Document
	if err := c.sel(&d).Where("d.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("document %d: %w", id, notFound(err))
	}
	return &d, nil
}
