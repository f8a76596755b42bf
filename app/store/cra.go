package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/cra"
	"retkoop/app/fault"
)

// CRA statuses.
const (
	CRADraft     = "brouillon"
	CRASubmitted = "transmis"
)

// craFormRow is an AD's questionnaire for one exercice.
type craFormRow struct {
	bun.BaseModel `bun:"table:cra_forms,alias:cf"`

	ID         int64     `bun:"id,pk,autoincrement"`
	ADID       int64     `bun:"ad_id"`
	Exercice   string    `bun:"exercice"`
	Definition string    `bun:"definition"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// craRow is a coop's compte-rendu d'activité for one exercice, with the
// questionnaire it answers (copied, so that a later change of the AD's
// form never garbles answers already given).
type craRow struct {
	bun.BaseModel `bun:"table:cra_answers,alias:ca"`

	ID          int64     `bun:"id,pk,autoincrement"`
	CoopID      int64     `bun:"coop_id"`
	ExerciceID  int64     `bun:"exercice_id"`
	Definition  string    `bun:"definition"`
	Answers     string    `bun:"answers"`
	Status      string    `bun:"status"`
	SubmittedAt time.Time `bun:"submitted_at,nullzero"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// CRA is a coop's compte-rendu d'activité: the questionnaire, the answers
// saved so far and whether they were submitted to the AD.
type CRA struct {
	Definition  cra.Definition
	Answers     cra.Answers
	Status      string
	SubmittedAt time.Time
	UpdatedAt   time.Time // zero while nothing was saved
}

// Submitted reports whether the CRA was sent to the AD.
func (r *CRA) Submitted() bool { return r.Status == CRASubmitted }

// SetCRADefinition sets the AD's questionnaire for an exercice (checked
// first). Coops that already answered keep the questionnaire they answered.
func (a *ADScope) SetCRADefinition(ctx context.Context, exercice string, d cra.Definition) error {
	if err := d.Check(); err != nil {
		return fault.User(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("set cra definition: %w", err)
	}
	now := a.s.now().UTC()
	row := &craFormRow{ADID: a.id, Exercice: exercice, Definition: string(b), CreatedAt: now, UpdatedAt: now}
	if _, err := a.adIns(row).
		On("CONFLICT (ad_id, exercice) DO UPDATE").Set("definition = EXCLUDED.definition").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("set cra definition: %w", err)
	}
	return a.Audit(ctx, nil, "cra.questionnaire", map[string]any{"exercice": exercice})
}

// CRADefinition returns the questionnaire of the coop's AD for an
// exercice, or the one the app ships with.
func (c *CoopScope) CRADefinition(ctx context.Context, exercice string) (cra.Definition, error) {
	var rows []craFormRow
	if err := c.adSel(&rows).Where("cf.exercice = ?", exercice).Scan(ctx); err != nil {
		return cra.Definition{}, fmt.Errorf("cra definition: %w", err)
	}
	if len(rows) == 0 {
		return cra.Default(), nil
	}
	d, err := cra.Parse([]byte(rows[0].Definition))
	if err != nil {
		return cra.Definition{}, fmt.Errorf("cra definition of ad %d: %w", c.adID, err)
	}
	return d, nil
}

// CRA returns the coop's compte-rendu d'activité for an exercice: what was
// saved, or an empty draft of the AD's questionnaire.
func (c *CoopScope) CRA(ctx context.Context, exercice string) (*CRA, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	row, err := c.craOf(ctx, ex.ID)
	if err != nil {
		return nil, err
	}
	if row == nil {
		d, err := c.CRADefinition(ctx, exercice)
		if err != nil {
			return nil, err
		}
		return &CRA{Definition: d, Answers: cra.Answers{}, Status: CRADraft}, nil
	}
	return row.decode()
}

func (c *CoopScope) craOf(ctx context.Context, exerciceID int64) (*craRow, error) {
	var rows []craRow
	if err := c.sel(&rows).Where("ca.exercice_id = ?", exerciceID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("cra: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

func (r *craRow) decode() (*CRA, error) {
	d, err := cra.Parse([]byte(r.Definition))
	if err != nil {
		return nil, fmt.Errorf("cra %d: %w", r.ID, err)
	}
	a := cra.Answers{}
	if err := json.Unmarshal([]byte(r.Answers), &a); err != nil {
		return nil, fmt.Errorf("cra %d answers: %w", r.ID, err)
	}
	return &CRA{Definition: d, Answers: a, Status: r.Status, SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt}, nil
}

// SaveCRA keeps the answers of the coop's CRA, as a draft or, with submit,
// sent to the AD (every required question answered). The answers are
// checked again against the questionnaire; a submitted CRA no longer
// changes until the AD asks for a correction (ReopenCRA). Call it in the
// transaction of the dossier's step when submitting.
func (c *CoopScope) SaveCRA(ctx context.Context, exercice string, answers cra.Answers, submit bool) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, exercice)
		if err != nil {
			return err
		}
		row, err := tx.craOf(ctx, ex.ID)
		if err != nil {
			return err
		}
		var def cra.Definition
		if row == nil {
			def, err = tx.CRADefinition(ctx, exercice)
		} else {
			if row.Status == CRASubmitted {
				return fault.Invalidf("Le compte-rendu d'activité %s a été transmis à votre AD : il ne se modifie plus, sauf si elle vous demande une correction.", ex.Name)
			}
			var cur *CRA
			if cur, err = row.decode(); err == nil {
				def = cur.Definition
			}
		}
		if err != nil {
			return err
		}
		if errs := cra.Check(def, answers, submit); errs != nil {
			return fault.Invalidf("Le compte-rendu d'activité n'est pas complet : %s.", errs.Error())
		}
		defJSON, err := json.Marshal(def)
		if err != nil {
			return fmt.Errorf("save cra: %w", err)
		}
		ansJSON, err := json.Marshal(answers)
		if err != nil {
			return fmt.Errorf("save cra: %w", err)
		}
		now := tx.s.now().UTC()
		status, submitted := CRADraft, time.Time{}
		if submit {
			status, submitted = CRASubmitted, now
		}
		if row == nil {
			row = &craRow{CoopID: tx.id, ExerciceID: ex.ID, Definition: string(defJSON), Answers: string(ansJSON),
				Status: status, SubmittedAt: submitted, UpdatedAt: now}
			if _, err := tx.ins(row).Exec(ctx); err != nil {
				return fmt.Errorf("save cra: %w", err)
			}
		} else {
			row.Answers, row.Status, row.SubmittedAt, row.UpdatedAt = string(ansJSON), status, submitted, now
			if _, err := tx.upd(row).Column("answers", "status", "submitted_at", "updated_at").
				Where("ca.id = ?", row.ID).Exec(ctx); err != nil {
				return fmt.Errorf("save cra: %w", err)
			}
		}
		action := "cra.brouillon"
		if submit {
			action = "cra.transmission"
		}
		return tx.Audit(ctx, action, map[string]any{"exercice": ex.Name})
	})
}

// ReopenCRA makes a submitted CRA editable again (the AD asked for a
// correction); the answers stay.
func (c *CoopScope) ReopenCRA(ctx context.Context, exercice string) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil {
			return err
		}
		if _, err := tx.upd((*craRow)(nil)).Set("status = ?", CRADraft).Set("submitted_at = NULL").
			Set("updated_at = ?", tx.s.now().UTC()).Where("ca.exercice_id = ?", ex.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reopen cra: %w", err)
		}
		return tx.Audit(ctx, "cra.reouverture", map[string]any{"exercice": exercice})
	})
}
