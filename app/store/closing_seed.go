package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/ledger"
	"retkoop/workflow"
)

// ClosingTarget is a coop of an AD with its exercice and, when it has one,
// its dossier of that exercice: what the demo reads to close the books of
// the coops whose dossier says they closed them.
type ClosingTarget struct {
	Coop     Coop
	Exercice Exercice
	Dossier  *workflow.Dossier
	HasCRF   bool
}

// ClosingTargets lists the AD's coops that have the exercice, by id, in
// four queries whatever their number.
func (y *System) ClosingTargets(ctx context.Context, adID int64, exercice string) ([]ClosingTarget, error) {
	var coops []Coop
	if err := y.s.db.NewSelect().Model(&coops).Where("c.ad_id = ?", adID).Order("c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("closing targets: %w", err)
	}
	var exs []Exercice
	if err := y.s.db.NewSelect().Model(&exs).Join("JOIN coops AS c ON c.id = e.coop_id").
		Where("c.ad_id = ? AND e.name = ?", adID, exercice).Scan(ctx); err != nil {
		return nil, fmt.Errorf("closing targets: %w", err)
	}
	var dossiers []DossierRow
	if err := y.s.db.NewSelect().Model(&dossiers).Join("JOIN campaigns AS cp ON cp.id = ds.campaign_id").
		Where("cp.ad_id = ? AND cp.exercice = ?", adID, exercice).Scan(ctx); err != nil {
		return nil, fmt.Errorf("closing targets: %w", err)
	}
	var withCRF []int64
	if err := y.s.db.NewSelect().TableExpr("crfs AS cr").Column("cr.coop_id").
		Join("JOIN exercices AS e ON e.id = cr.exercice_id").Join("JOIN coops AS c ON c.id = cr.coop_id").
		Where("c.ad_id = ? AND e.name = ?", adID, exercice).Scan(ctx, &withCRF); err != nil {
		return nil, fmt.Errorf("closing targets: %w", err)
	}
	exByCoop := make(map[int64]Exercice, len(exs))
	for _, e := range exs {
		exByCoop[e.CoopID] = e
	}
	dByCoop := make(map[int64]*workflow.Dossier, len(dossiers))
	for i := range dossiers {
		d, err := dossiers[i].Decode()
		if err != nil {
			return nil, err
		}
		dByCoop[dossiers[i].CoopID] = &d
	}
	has := make(map[int64]bool, len(withCRF))
	for _, id := range withCRF {
		has[id] = true
	}
	var out []ClosingTarget
	for _, co := range coops {
		ex, ok := exByCoop[co.ID]
		if !ok {
			continue
		}
		out = append(out, ClosingTarget{Coop: co, Exercice: ex, Dossier: dByCoop[co.ID], HasCRF: has[co.ID]})
	}
	return out, nil
}

// ExercicesOperations loads the books of several exercices in two queries
// (operations, then their lines), by exercice id, in book order. Only the
// columns the ledger computes with are read: at 2,000 books the rest
// (timestamps above all) costs seconds.
func (y *System) ExercicesOperations(ctx context.Context, exs []Exercice) (map[int64][]ledger.Operation, error) {
	out := make(map[int64][]ledger.Operation, len(exs))
	if len(exs) == 0 {
		return out, nil
	}
	ids, coops := make([]int64, len(exs)), make([]int64, len(exs))
	for i, e := range exs {
		ids[i], coops[i] = e.ID, e.CoopID
	}
	var rows []operationRow
	if err := y.s.db.NewSelect().Model(&rows).
		Column("o.id", "o.exercice_id", "o.date", "o.piece", "o.libelle", "o.kind", "o.mode", "o.cheque", "o.treasury",
			"o.counterpart", "o.amount", "o.project", "o.ticked").
		Where("o.coop_id IN (?) AND o.exercice_id IN (?)", bun.In(coops), bun.In(ids)).
		Order("o.exercice_id", "o.date", "o.seq", "o.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("exercices operations: %w", err)
	}
	var lines []lineRow
	if err := y.s.db.NewSelect().Model(&lines).Column("ol.operation_id", "ol.account", "ol.amount").
		Join("JOIN operations AS o ON o.id = ol.operation_id AND o.coop_id = ol.coop_id").
		Where("ol.coop_id IN (?) AND o.exercice_id IN (?)", bun.In(coops), bun.In(ids)).
		Order("ol.operation_id", "ol.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("exercices lines: %w", err)
	}
	ops, err := assemble(rows, lines)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		out[rows[i].ExerciceID] = append(out[rows[i].ExerciceID], ops[i])
	}
	return out, nil
}

// ClosingSeed is one coop's year-end to create in bulk (demo and
// benchmark data): the book closed or not, the CRF in a status with its
// frozen figures, the subsidies validated or not.
type ClosingSeed struct {
	CoopID   int64
	Exercice Exercice
	// CloseBook closes the exercice (a coop keeping its book here) and
	// opens the next one with the CRF's closing balances.
	CloseBook bool
	CRF       ledger.CRF
	Entered   *ledger.Entered // the figures of a CRF entered directly
	Status    string          // CRFDraft, CRFValid or CRFLocked
	Subsidies bool            // the tableau des subventions is validated
	At        time.Time
	By        string
}

// SeedClosings writes year-ends in one transaction with multi-row inserts,
// without the checks of CloseExercice and ValidateCRF: the caller computes
// the figures with app/ledger. Coops that already have a CRF row are left
// as they are.
func (y *System) SeedClosings(ctx context.Context, seeds []ClosingSeed) error {
	if len(seeds) == 0 {
		return nil
	}
	return y.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var closed []int64
		var next []Exercice
		var hist []ExerciceEvent
		crfs := make([]CRFState, 0, len(seeds))
		for _, s := range seeds {
			at := s.At.UTC()
			st := CRFState{CoopID: s.CoopID, ExerciceID: s.Exercice.ID, Source: BookKept, Status: s.Status, CreatedAt: at, UpdatedAt: at}
			if s.Entered != nil {
				st.Source = BookEntered
				b, err := json.Marshal(s.Entered)
				if err != nil {
					return fmt.Errorf("seed closings: %w", err)
				}
				st.Entered = string(b)
			}
			if s.Status != CRFDraft {
				c := s.CRF
				c.Statut = s.Status
				b, err := json.Marshal(c)
				if err != nil {
					return fmt.Errorf("seed closings: %w", err)
				}
				st.Figures, st.ValidatedAt = string(b), at
				if s.Status == CRFLocked {
					st.LockedAt = at.Add(72 * time.Hour)
				}
				if s.Subsidies {
					b, err := json.Marshal(c.Subventions)
					if err != nil {
						return fmt.Errorf("seed closings: %w", err)
					}
					st.Subsidies, st.SubsidiesValidatedAt = string(b), at.Add(time.Hour)
				}
			}
			crfs = append(crfs, st)
			if s.CloseBook || (s.Entered != nil && s.Status != CRFDraft) {
				lex, err := ledger.ParseExercice(s.Exercice.Name)
				if err != nil {
					return fmt.Errorf("seed closings: %w", err)
				}
				next = append(next, Exercice{CoopID: s.CoopID, Name: lex.Next().String(), OpeningBank: s.CRF.TresorerieFin.Banque,
					OpeningCash: s.CRF.TresorerieFin.Caisse, State: ExerciceOpen, CreatedAt: at})
			}
			if s.CloseBook {
				closed = append(closed, s.Exercice.ID)
				hist = append(hist, ExerciceEvent{CoopID: s.CoopID, ExerciceID: s.Exercice.ID, At: at, By: s.By, Action: ExerciceClosing,
					Detail: fmt.Sprintf(`{"banque":%d,"caisse":%d}`, s.CRF.TresorerieFin.Banque, s.CRF.TresorerieFin.Caisse)})
			}
		}
		for start := 0; start < len(crfs); start += maxRowsPerInsert {
			part := crfs[start:min(start+maxRowsPerInsert, len(crfs))]
			if _, err := tx.NewInsert().Model(&part).On("CONFLICT (coop_id, exercice_id) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("seed crfs: %w", err)
			}
		}
		// One closing time for the whole batch: demo data closed "that week".
		for start := 0; start < len(closed); start += maxRowsPerInsert {
			part := closed[start:min(start+maxRowsPerInsert, len(closed))]
			if _, err := tx.NewUpdate().Model((*Exercice)(nil)).Set("state = ?", ExerciceClosed).Set("closed_at = ?", seeds[0].At.UTC()).
				Where("e.id IN (?) AND e.state = ?", bun.In(part), ExerciceOpen).Exec(ctx); err != nil {
				return fmt.Errorf("seed closings: %w", err)
			}
		}
		for start := 0; start < len(next); start += maxRowsPerInsert {
			part := next[start:min(start+maxRowsPerInsert, len(next))]
			if _, err := tx.NewInsert().Model(&part).On("CONFLICT (coop_id, name) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("seed next exercices: %w", err)
			}
		}
		for start := 0; start < len(hist); start += maxRowsPerInsert {
			part := hist[start:min(start+maxRowsPerInsert, len(hist))]
			if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
				return fmt.Errorf("seed exercice history: %w", err)
			}
		}
		return nil
	})
}
