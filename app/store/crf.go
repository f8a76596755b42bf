package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
	"retkoop/app/ledger"
)

// CRF statuses (the contract's "statut").
const (
	CRFDraft  = "brouillon"
	CRFValid  = "valide"     // validated by the mandataire: frozen
	CRFLocked = "verrouille" // locked by the AD
)

// CRFState is the compte-rendu financier's state for one coop and
// exercice: its source, its status, the figures frozen when the mandataire
// validated it, the figures entered directly (source "saisie") and the
// validation of the tableau des subventions. A coop without a row has a
// draft CRF computed from its book.
type CRFState struct {
	bun.BaseModel `bun:"table:crfs,alias:cr"`

	ID          int64     `bun:"id,pk,autoincrement"`
	CoopID      int64     `bun:"coop_id"`
	ExerciceID  int64     `bun:"exercice_id"`
	Source      string    `bun:"source"` // BookKept or BookEntered
	Status      string    `bun:"status"`
	Figures     string    `bun:"figures"` // JSON ledger.CRF, once validated
	Entered     string    `bun:"entered"` // JSON ledger.Entered (source "saisie")
	ValidatedAt time.Time `bun:"validated_at,nullzero"`
	ValidatedBy *int64    `bun:"validated_by"`
	// Subsidies is the tableau des subventions as validated (JSON
	// []ledger.Subsidy), empty until then.
	Subsidies            string    `bun:"subsidies"`
	SubsidiesValidatedAt time.Time `bun:"subsidies_validated_at,nullzero"`
	LockedAt             time.Time `bun:"locked_at,nullzero"`
	CreatedAt            time.Time `bun:"created_at"`
	UpdatedAt            time.Time `bun:"updated_at"`
}

// Frozen reports whether the mandataire validated the CRF (and the AD
// may have locked it): its figures no longer follow the book.
func (s *CRFState) Frozen() bool { return s.Status == CRFValid || s.Status == CRFLocked }

// SubsidiesValidated reports whether the tableau des subventions is
// validated.
func (s *CRFState) SubsidiesValidated() bool { return !s.SubsidiesValidatedAt.IsZero() }

// Snapshot returns the validated figures.
func (s *CRFState) Snapshot() (ledger.CRF, error) {
	var c ledger.CRF
	if err := json.Unmarshal([]byte(s.Figures), &c); err != nil {
		return c, fmt.Errorf("crf %d figures: %w", s.ID, err)
	}
	c.Statut = s.Status
	return c, nil
}

// EnteredFigures returns the figures entered directly (zero when none).
func (s *CRFState) EnteredFigures() (ledger.Entered, error) {
	var e ledger.Entered
	if s.Entered == "" {
		return e, nil
	}
	if err := json.Unmarshal([]byte(s.Entered), &e); err != nil {
		return e, fmt.Errorf("crf %d entered: %w", s.ID, err)
	}
	return e, nil
}

// ValidatedSubsidies returns the tableau des subventions as validated.
func (s *CRFState) ValidatedSubsidies() ([]ledger.Subsidy, error) {
	var out []ledger.Subsidy
	if s.Subsidies == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s.Subsidies), &out); err != nil {
		return nil, fmt.Errorf("crf %d subsidies: %w", s.ID, err)
	}
	return out, nil
}

// CRFState returns the coop's CRF state for an exercice; without a row, an
// unsaved draft (ID 0) whose source is the coop's book mode.
func (c *CoopScope) CRFState(ctx context.Context, exercice string) (*CRFState, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	return c.crfStateOf(ctx, ex)
}

func (c *CoopScope) crfStateOf(ctx context.Context, ex *Exercice) (*CRFState, error) {
	var s CRFState
	err := c.sel(&s).Where("cr.exercice_id = ?", ex.ID).Scan(ctx)
	if err == nil {
		return &s, nil
	}
	if !isNotFound(notFound(err)) {
		return nil, fmt.Errorf("crf state: %w", err)
	}
	co, err := c.Coop(ctx)
	if err != nil {
		return nil, err
	}
	return &CRFState{CoopID: c.id, ExerciceID: ex.ID, Source: co.BookMode, Status: CRFDraft}, nil
}

// CRFRecord is everything known about one coop's CRF for an exercice: its
// figures (frozen once validated, else computed from the book or the
// entered figures), its state and what still prevents its validation.
type CRFRecord struct {
	Coop     *Coop
	Exercice *Exercice
	State    *CRFState
	CRF      ledger.CRF
	// Entered is the figures entered directly (source "saisie").
	Entered ledger.Entered
	// Previous is the closing of the exercice before, when the app knows
	// it: a CRF entered directly must open with it.
	Previous *ledger.Treasuries
	// Problems prevent the validation (none once validated).
	Problems []ledger.Problem
}

// CRF computes the coop's compte-rendu financier for an exercice: the
// validated snapshot once the mandataire validated it, otherwise a draft
// generated from the book (never typed) or from the figures entered
// directly, with what prevents its validation.
func (c *CoopScope) CRF(ctx context.Context, exercice string) (*CRFRecord, error) {
	ex, err := c.Exercice(ctx, exercice)
	if err != nil {
		return nil, err
	}
	return c.crfOf(ctx, ex)
}

func (c *CoopScope) crfOf(ctx context.Context, ex *Exercice) (*CRFRecord, error) {
	co, err := c.Coop(ctx)
	if err != nil {
		return nil, err
	}
	st, err := c.crfStateOf(ctx, ex)
	if err != nil {
		return nil, err
	}
	lex, err := ledger.ParseExercice(ex.Name)
	if err != nil {
		return nil, fmt.Errorf("crf: %w", err)
	}
	r := &CRFRecord{Coop: co, Exercice: ex, State: st}
	if r.Entered, err = st.EnteredFigures(); err != nil {
		return nil, err
	}
	if st.Frozen() {
		r.CRF, err = st.Snapshot()
		return r, err
	}
	meta := ledger.CRFMeta{UAI: co.UAI, Nom: co.Name, Exercice: lex, Statut: CRFDraft}
	chart, err := c.Chart(ctx)
	if err != nil {
		return nil, err
	}
	if st.Source == BookEntered {
		if st.Entered == "" {
			r.Entered.Debut = ledger.Treasuries{Banque: ex.OpeningBank, Caisse: ex.OpeningCash}
		}
		if r.Previous, err = c.previousClosing(ctx, lex); err != nil {
			return nil, err
		}
		r.CRF = ledger.CRFFromEntered(meta, r.Entered, chart)
		if st.Entered == "" {
			r.Problems = append(r.Problems, ledger.Problem{Code: ledger.ProblemSaisie, Message: "les chiffres du compte-rendu financier n'ont pas encore été saisis"})
		}
		r.Problems = append(r.Problems, ledger.CheckEntered(lex, r.Entered, chart, r.Previous)...)
		return r, nil
	}
	ops, _, err := c.bookOps(ctx, ex.ID)
	if err != nil {
		return nil, err
	}
	funders, err := c.Funders(ctx)
	if err != nil {
		return nil, err
	}
	r.CRF = ledger.ComputeCRF(meta, ledger.Treasuries{Banque: ex.OpeningBank, Caisse: ex.OpeningCash}, ops, chart, funders)
	if ex.State != ExerciceClosed {
		r.Problems = append(r.Problems, ledger.Problem{Code: ledger.ProblemCloture, Message: "le cahier n'est pas encore clôturé : le compte-rendu financier se valide après la clôture"})
	}
	if !r.CRF.Equilibre {
		r.Problems = append(r.Problems, ledger.Problem{Code: ledger.ProblemIdentite, Message: "le compte-rendu financier ne s'équilibre pas"})
	}
	return r, nil
}

// previousClosing returns the closing balances of the exercice before lex
// when the app knows them: from its validated CRF, or from its closed book.
func (c *CoopScope) previousClosing(ctx context.Context, lex ledger.Exercice) (*ledger.Treasuries, error) {
	prev, err := c.Exercice(ctx, lex.Prev().String())
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := c.crfStateOf(ctx, prev)
	if err != nil {
		return nil, err
	}
	if !st.Frozen() && !(st.Source == BookKept && prev.State == ExerciceClosed) {
		return nil, nil
	}
	r, err := c.crfOf(ctx, prev)
	if err != nil {
		return nil, err
	}
	t := r.CRF.TresorerieFin
	return &t, nil
}

// SaveEnteredCRF keeps the figures of a CRF entered directly, as a draft
// (they may not balance yet). Only coops that keep their books elsewhere
// enter their CRF; a validated CRF no longer changes.
func (c *CoopScope) SaveEnteredCRF(ctx context.Context, exercice string, e ledger.Entered) error {
	if err := c.writable(); err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("save entered crf: %w", err)
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, exercice)
		if err != nil {
			return err
		}
		st, err := tx.crfStateOf(ctx, ex)
		if err != nil {
			return err
		}
		if st.Source != BookEntered {
			return fault.Invalidf("Votre compte-rendu financier est calculé à partir du cahier de comptabilité : il ne se saisit pas.")
		}
		if st.Frozen() {
			return fault.Invalidf("Le compte-rendu financier %s est validé : il ne peut plus être modifié.", ex.Name)
		}
		now := tx.s.now().UTC()
		st.Entered, st.UpdatedAt = string(b), now
		if st.ID == 0 {
			st.CreatedAt = now
			if _, err := tx.ins(st).Exec(ctx); err != nil {
				return fmt.Errorf("save entered crf: %w", err)
			}
		} else if _, err := tx.upd(st).Column("entered", "updated_at").Where("cr.id = ?", st.ID).Exec(ctx); err != nil {
			return fmt.Errorf("save entered crf: %w", err)
		}
		return tx.Audit(ctx, "crf.saisie", map[string]any{"exercice": ex.Name, "chiffres": e})
	})
}

// ValidateCRF freezes the coop's CRF as the mandataire validates it: it is
// computed again inside the transaction and refused while anything
// prevents it (book not closed, figures that do not balance…). A CRF
// entered directly opens the next exercice with its closing balances, as
// the closing of a book does. Call it in the transaction of the dossier's
// step. It returns the validated CRF.
func (c *CoopScope) ValidateCRF(ctx context.Context, exercice string) (ledger.CRF, error) {
	if err := c.writable(); err != nil {
		return ledger.CRF{}, err
	}
	var out ledger.CRF
	err := c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, exercice)
		if err != nil {
			return err
		}
		r, err := tx.crfOf(ctx, ex)
		if err != nil {
			return err
		}
		switch st := r.State; {
		case st.Status == CRFLocked:
			return fault.Invalidf("Le compte-rendu financier %s est verrouillé par votre AD.", ex.Name)
		case st.Status == CRFValid:
			return fault.Invalidf("Le compte-rendu financier %s est déjà validé.", ex.Name)
		case len(r.Problems) > 0:
			return fault.Invalidf("Le compte-rendu financier ne peut pas encore être validé : %s.", r.Problems[0].Message)
		}
		now := tx.s.now().UTC()
		st := r.State
		r.CRF.Statut = CRFValid
		b, err := json.Marshal(r.CRF)
		if err != nil {
			return fmt.Errorf("validate crf: %w", err)
		}
		st.Status, st.Figures, st.ValidatedAt, st.ValidatedBy, st.UpdatedAt = CRFValid, string(b), now, tx.actor, now
		// A tableau des subventions validated before the figures changed
		// must be validated again.
		if prev, err := st.ValidatedSubsidies(); err != nil || !sameSubsidies(prev, r.CRF.Subventions) {
			st.Subsidies, st.SubsidiesValidatedAt = "", time.Time{}
		}
		if st.ID == 0 {
			st.CreatedAt = now
			if _, err := tx.ins(st).Exec(ctx); err != nil {
				return fmt.Errorf("validate crf: %w", err)
			}
		} else if _, err := tx.upd(st).Column("status", "figures", "validated_at", "validated_by", "subsidies",
			"subsidies_validated_at", "updated_at").Where("cr.id = ?", st.ID).Exec(ctx); err != nil {
			return fmt.Errorf("validate crf: %w", err)
		}
		if st.Source == BookEntered {
			if _, err := tx.openNext(ctx, ex, r.CRF.TresorerieFin); err != nil {
				return err
			}
		}
		out = r.CRF
		return tx.Audit(ctx, "crf.validation", map[string]any{"exercice": ex.Name, "resultat": r.CRF.Resultat,
			"tresorerie_fin": r.CRF.TresorerieFin})
	})
	return out, err
}

func sameSubsidies(a, b []ledger.Subsidy) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// ValidateSubsidies validates the tableau des subventions of a validated
// CRF (the list can no longer change) and returns it.
func (c *CoopScope) ValidateSubsidies(ctx context.Context, exercice string) ([]ledger.Subsidy, error) {
	if err := c.writable(); err != nil {
		return nil, err
	}
	var out []ledger.Subsidy
	err := c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.lockExercice(ctx, exercice)
		if err != nil {
			return err
		}
		st, err := tx.crfStateOf(ctx, ex)
		if err != nil {
			return err
		}
		switch {
		case !st.Frozen():
			return fault.Invalidf("Validez d'abord le compte-rendu financier : la liste des subventions en est tirée.")
		case st.SubsidiesValidated():
			return fault.Invalidf("Le tableau des subventions %s est déjà validé.", ex.Name)
		}
		crf, err := st.Snapshot()
		if err != nil {
			return err
		}
		out = crf.Subventions
		b, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("validate subsidies: %w", err)
		}
		now := tx.s.now().UTC()
		if _, err := tx.upd((*CRFState)(nil)).Set("subsidies = ?", string(b)).Set("subsidies_validated_at = ?", now).
			Set("updated_at = ?", now).Where("cr.id = ?", st.ID).Exec(ctx); err != nil {
			return fmt.Errorf("validate subsidies: %w", err)
		}
		return tx.Audit(ctx, "subventions.validation", map[string]any{"exercice": ex.Name, "subventions": len(out)})
	})
	return out, err
}

// LockCRF locks the validated CRF of an exercice (the AD validated the
// dossier). A CRF that is not validated is left as it is: the dossier's
// rules only validate a dossier whose CRF the mandataire validated.
func (c *CoopScope) LockCRF(ctx context.Context, exercice string) error {
	return c.setCRFStatus(ctx, exercice, CRFValid, CRFLocked, "crf.verrouillage")
}

// UnlockCRF lifts the AD's lock (the dossier was reopened): the CRF is
// validated again, still frozen.
func (c *CoopScope) UnlockCRF(ctx context.Context, exercice string) error {
	return c.setCRFStatus(ctx, exercice, CRFLocked, CRFValid, "crf.deverrouillage")
}

func (c *CoopScope) setCRFStatus(ctx context.Context, exercice, from, to, action string) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil {
			return err
		}
		now := tx.s.now().UTC()
		q := tx.upd((*CRFState)(nil)).Set("status = ?", to).Set("updated_at = ?", now)
		if to == CRFLocked {
			q = q.Set("locked_at = ?", now)
		} else {
			q = q.Set("locked_at = NULL")
		}
		res, err := q.Where("cr.exercice_id = ? AND cr.status = ?", ex.ID, from).Exec(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Audit(ctx, action, map[string]any{"exercice": exercice})
	})
}

// ReopenCRF makes a validated (or locked) CRF a draft again, when the AD
// asks the mandataire to correct it; with subsidies, the validation of the
// tableau des subventions is lifted too.
func (c *CoopScope) ReopenCRF(ctx context.Context, exercice string, subsidies bool) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil {
			return err
		}
		if err := tx.resetCRF(ctx, ex.ID, subsidies); err != nil {
			return err
		}
		return tx.Audit(ctx, "crf.reouverture", map[string]any{"exercice": exercice, "subventions": subsidies})
	})
}

// ReopenSubsidies lifts the validation of the tableau des subventions.
func (c *CoopScope) ReopenSubsidies(ctx context.Context, exercice string) error {
	if err := c.writable(); err != nil {
		return err
	}
	return c.Tx(ctx, func(tx *CoopScope) error {
		ex, err := tx.Exercice(ctx, exercice)
		if err != nil {
			return err
		}
		if _, err := tx.upd((*CRFState)(nil)).Set("subsidies = ''").Set("subsidies_validated_at = NULL").
			Set("updated_at = ?", tx.s.now().UTC()).Where("cr.exercice_id = ?", ex.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reopen subsidies: %w", err)
		}
		return tx.Audit(ctx, "subventions.reouverture", map[string]any{"exercice": exercice})
	})
}

// resetCRF puts the exercice's CRF back to a draft following the book (or
// the entered figures), lifting the subsidies' validation too when asked.
func (c *CoopScope) resetCRF(ctx context.Context, exerciceID int64, subsidies bool) error {
	q := c.upd((*CRFState)(nil)).Set("status = ?", CRFDraft).Set("figures = ''").Set("validated_at = NULL").
		Set("validated_by = NULL").Set("locked_at = NULL").Set("updated_at = ?", c.s.now().UTC())
	if subsidies {
		q = q.Set("subsidies = ''").Set("subsidies_validated_at = NULL")
	}
	if _, err := q.Where("cr.exercice_id = ?", exerciceID).Exec(ctx); err != nil {
		return fmt.Errorf("reset crf: %w", err)
	}
	return nil
}
