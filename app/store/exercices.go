package store

import (
	"context"
	"errors"
	"fmt"

	"retkoop/app/fault"
	"retkoop/app/money"
)

// Exercices lists the coop's exercices, most recent first.
func (c *CoopScope) Exercices(ctx context.Context) ([]Exercice, error) {
	var out []Exercice
	if err := c.sel(&out).Order("e.name DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list exercices: %w", err)
	}
	return out, nil
}

// Exercice returns the coop's exercice of that name.
func (c *CoopScope) Exercice(ctx context.Context, name string) (*Exercice, error) {
	var e Exercice
	if err := c.sel(&e).Where("e.name = ?", name).Scan(ctx); err != nil {
		return nil, fmt.Errorf("exercice %s: %w", name, notFound(err))
	}
	return &e, nil
}

// SetOpening creates the exercice if needed and sets its opening balances.
// A closed exercice is refused.
func (c *CoopScope) SetOpening(ctx context.Context, name string, bank, cash money.Money) error {
	if err := c.writable(); err != nil {
		return err
	}
	e, err := c.Exercice(ctx, name)
	if err != nil && !isNotFound(err) {
		return err
	}
	if e == nil {
		e = &Exercice{CoopID: c.id, Name: name, OpeningBank: bank, OpeningCash: cash, State: ExerciceOpen, CreatedAt: c.s.now().UTC()}
		if _, err := c.ins(e).Exec(ctx); err != nil {
			return fmt.Errorf("create exercice: %w", err)
		}
		return c.Audit(ctx, "exercice.create", map[string]any{"exercice": name, "banque": bank, "caisse": cash})
	}
	if e.State == ExerciceClosed {
		return fault.Invalidf("L'exercice %s est clôturé : ses soldes d'ouverture ne peuvent plus changer.", name)
	}
	if e.OpeningBank == bank && e.OpeningCash == cash {
		return nil
	}
	if _, err := c.upd((*Exercice)(nil)).Set("opening_bank = ?", bank).Set("opening_cash = ?", cash).
		Where("e.id = ?", e.ID).Exec(ctx); err != nil {
		return fmt.Errorf("set opening: %w", err)
	}
	return c.Audit(ctx, "exercice.opening", map[string]any{"exercice": name, "banque": bank, "caisse": cash,
		"avant_banque": e.OpeningBank, "avant_caisse": e.OpeningCash})
}

func isNotFound(err error) bool { return errors.Is(err, fault.ErrNotFound) }
