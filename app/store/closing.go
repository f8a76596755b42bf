package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
)

// ExerciceEvent is one row of an exercice's history: a closing of its book
// or a reopening by the AD, with who, when and why. Rows are never changed
// or deleted: a reopening stays visible forever.
type ExerciceEvent struct {
	bun.BaseModel `bun:"table:exercice_history,alias:xh"`

	ID         int64     `bun:"id,pk,autoincrement"`
	CoopID     int64     `bun:"coop_id"`
	ExerciceID int64     `bun:"exercice_id"`
	At         time.Time `bun:"at"`
	ByUser     *int64    `bun:"by_user"`
	By         string    `bun:"by_label"`
	Action     string    `bun:"action"`
	Reason     string    `bun:"reason"`
	Detail     string    `bun:"detail"`
}

// Actions of an exercice's history.
const (
	ExerciceClosing   = "cloture"
	ExerciceReopening = "reouverture"
)

// Closing is what the app hands the store once every closing check passed.
type Closing struct {
	Exercice string
	// Balances are the book's balances at the end of the exercice: they
	// become the next exercice's opening balances (report à nouveau).
	Balances ledger.Treasuries
	// By names the person closing, for the history.
	By string
	// OpenItems are the compte courant's operations not yet on a bank
	// statement at the end of the exercice: they stay to be ticked in the
	// next one, and the history keeps their list.
	OpenItems []ledger.Operation
}

// CloseExercice closes the book of an exercice kept in the app: the
// exercice becomes read-only (every write of the book checks ExerciceOpen),
// the next exercice opens (or is updated while still open) with the
// closing balances as its opening balances, its CRF is kept as a draft to
// validate, and the history records the closing. The app runs the closing
// checks in the same transaction (pass the tx scope) before calling it.
func (c *CoopScope) CloseExercice(ctx context.Context, in Closing) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, in.Exercice)
		if err != nil {
			return err
		}
		if ex.State == ExerciceClosed {
			return fault.Invalidf("Le cahier de l'exercice %s est déjà clôturé.", ex.Name)
		}
		co, err := tx.Coop(ctx)
		if err != nil {
			return err
		}
		if co.BookMode != BookKept {
			return fault.Invalidf("Votre coopérative saisit directement son compte-rendu financier : elle n'a pas de cahier à clôturer.")
		}
		now := tx.s.now().UTC()
		if _, err := tx.upd((*Exercice)(nil)).Set("state = ?", ExerciceClosed).Set("closed_at = ?", now).
			Where("e.id = ?", ex.ID).Exec(ctx); err != nil {
			return fmt.Errorf("close exercice: %w", err)
		}
		next, err := tx.openNext(ctx, ex, in.Balances)
		if err != nil {
			return err
		}
		items := make([]map[string]any, len(in.OpenItems))
		for i, op := range in.OpenItems {
			items[i] = map[string]any{"id": op.ID, "date": op.Date.Format(dayLayout), "piece": op.Piece,
				"libelle": op.Libelle, "montant": op.Delta(ledger.Banque)}
		}
		detail := map[string]any{"banque": in.Balances.Banque, "caisse": in.Balances.Caisse,
			"exercice_suivant": next, "non_pointees": items}
		if err := tx.addHistory(ctx, ex, ExerciceClosing, in.By, "", detail); err != nil {
			return err
		}
		crf := &CRFState{CoopID: tx.id, ExerciceID: ex.ID, Source: BookKept, Status: CRFDraft, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.ins(crf).On("CONFLICT (coop_id, exercice_id) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("close exercice: crf: %w", err)
		}
		return tx.Audit(ctx, "exercice.cloture", map[string]any{"exercice": ex.Name, "banque": in.Balances.Banque,
			"caisse": in.Balances.Caisse, "exercice_suivant": next, "non_pointees": len(items)})
	})
}

// openNext opens the exercice that follows ex with the given balances as
// its opening balances, or updates them while it is still open; a next
// exercice already closed with other balances is refused (the AD must
// reopen it first). It returns the next exercice's name.
func (c *CoopScope) openNext(ctx context.Context, ex *Exercice, bal ledger.Treasuries) (string, error) {
	lex, err := ledger.ParseExercice(ex.Name)
	if err != nil {
		return "", fmt.Errorf("open next exercice: %w", err)
	}
	name := lex.Next().String()
	next, err := c.Exercice(ctx, name)
	switch {
	case isNotFound(err):
	case err != nil:
		return "", err
	case next.State == ExerciceClosed:
		if next.OpeningBank == bal.Banque && next.OpeningCash == bal.Caisse {
			return name, nil
		}
		return "", fault.Invalidf("L'exercice suivant (%s) est déjà clôturé avec d'autres soldes d'ouverture (banque %s, caisse %s) : "+
			"demandez à votre AD de le rouvrir.", name, next.OpeningBank, next.OpeningCash)
	}
	return name, c.SetOpening(ctx, name, bal.Banque, bal.Caisse)
}

// ReopenExercice reopens a closed exercice for the mandataire, with a
// reason kept in its history: only the AD's staff may do it (or the
// system, with no actor), never the mandataire. The CRF goes back to a
// draft, its validation and the subsidies' are lifted: the book may
// change. The next exercice keeps its opening balances until the book is
// closed again.
func (c *CoopScope) ReopenExercice(ctx context.Context, exercice, reason, by string) error {
	if err := c.writable(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Invalidf("Le motif de la réouverture est obligatoire : il reste dans l'historique de l'exercice.")
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		if err := tx.requireStaffActor(ctx); err != nil {
			return err
		}
		ex, err := tx.lockExercice(ctx, exercice)
		if err != nil {
			return err
		}
		if ex.State != ExerciceClosed {
			return fault.Invalidf("L'exercice %s n'est pas clôturé : il n'y a rien à rouvrir.", ex.Name)
		}
		if _, err := tx.upd((*Exercice)(nil)).Set("state = ?", ExerciceOpen).Set("closed_at = NULL").
			Where("e.id = ?", ex.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reopen exercice: %w", err)
		}
		if err := tx.resetCRF(ctx, ex.ID, true); err != nil {
			return err
		}
		if err := tx.addHistory(ctx, ex, ExerciceReopening, by, reason, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, "exercice.reouverture", map[string]any{"exercice": ex.Name, "motif": reason})
	})
}

// requireStaffActor refuses a scope acting for anyone but the coop's AD
// staff (or the system).
func (c *CoopScope) requireStaffActor(ctx context.Context) error {
	if c.actor == nil {
		return nil
	}
	var u User
	if err := c.db.NewSelect().Model(&u).Column("role", "ad_id").Where("u.id = ?", *c.actor).Scan(ctx); err != nil {
		return fmt.Errorf("reopen: actor: %w", notFound(err))
	}
	if !u.IsStaff() || u.ADID == nil || *u.ADID != c.adID {
		return fault.Invalidf("Seule votre AD peut rouvrir un exercice clôturé.")
	}
	return nil
}

// addHistory appends a row to the exercice's history.
func (c *CoopScope) addHistory(ctx context.Context, ex *Exercice, action, by, reason string, detail any) error {
	var d string
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("exercice history: %w", err)
		}
		d = string(b)
	}
	if strings.TrimSpace(by) == "" {
		by = "retkoop"
	}
	row := &ExerciceEvent{CoopID: c.id, ExerciceID: ex.ID, At: c.s.now().UTC(), ByUser: c.actor, By: by,
		Action: action, Reason: reason, Detail: d}
	if _, err := c.ins(row).Exec(ctx); err != nil {
		return fmt.Errorf("exercice history: %w", err)
	}
	return nil
}

// ExerciceHistory lists the closings and reopenings of an exercice, oldest
// first.
func (c *CoopScope) ExerciceHistory(ctx context.Context, exercice string) ([]ExerciceEvent, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	var out []ExerciceEvent
	if err := c.sel(&out).Where("xh.exercice_id = ?", ex.ID).Order("xh.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("exercice history: %w", err)
	}
	return out, nil
}

// CarriedItem is an operation of the compte courant still to be ticked on
// a statement when its exercice was closed, as the history recorded it.
type CarriedItem struct {
	ID      int64       `json:"id"`
	Date    string      `json:"date"`
	Piece   string      `json:"piece"`
	Libelle string      `json:"libelle"`
	Montant money.Money `json:"montant"`
}

// CarriedItems returns the open reconciliation items recorded by the last
// closing of an event's history (nil for a reopening).
func (e *ExerciceEvent) CarriedItems() []CarriedItem {
	var d struct {
		Items []CarriedItem `json:"non_pointees"`
	}
	if e.Action != ExerciceClosing || json.Unmarshal([]byte(e.Detail), &d) != nil {
		return nil
	}
	return d.Items
}

// ExerciceOfCampaign returns the exercice of one of the coop's AD's
// campaigns (a dossier names its campaign, effects need the exercice).
func (c *CoopScope) ExerciceOfCampaign(ctx context.Context, campaignID int64) (string, error) {
	var name string
	if err := c.adSel((*Campaign)(nil)).Column("exercice").
		Where("cp.id = ?", campaignID).Scan(ctx, &name); err != nil {
		return "", fmt.Errorf("campaign %d: %w", campaignID, notFound(err))
	}
	return name, nil
}

// AD returns the row of the coop's AD (its name is printed on the CRF and
// the quitus).
func (c *CoopScope) AD(ctx context.Context) (*AD, error) {
	var ad AD
	if err := c.db.NewSelect().Model(&ad).Where("ad.id = ?", c.adID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("coop ad: %w", notFound(err))
	}
	return &ad, nil
}

// Day returns the item's date (zero when unreadable).
func (i CarriedItem) Day() time.Time {
	d, _ := time.Parse(dayLayout, i.Date)
	return d
}
