package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"retkoop/app/fault"
	"retkoop/workflow"
)

// ErrDossierChanged is returned when a dossier was saved by someone else
// between its reading and its saving (optimistic lock).
var ErrDossierChanged = fault.Invalidf("Le dossier vient d'être modifié par ailleurs : rechargez la page et recommencez.")

// EffectHook carries out, inside the transaction that saves a dossier, the
// effects of the event just applied: queue the e-mails, lock the CRF… It
// receives the scope bound to that transaction and the new state; an error
// rolls everything back.
type EffectHook func(ctx context.Context, tx *CoopScope, d workflow.Dossier, effects []workflow.Effect) error

// ApplyDossier applies ev to the coop's dossier of exercice in one
// transaction: it locks and reads the dossier (opening it if needed), runs
// workflow.Apply, saves the new state with its denormalised columns
// (refusing a concurrent change through the version), appends the history
// entry, links a received document, writes the audit row, then calls extra
// with the effects. A refused transition is a user error (422) wrapping the
// *workflow.TransitionError.
func (c *CoopScope) ApplyDossier(ctx context.Context, exercice string, ev workflow.Event, extra EffectHook) (workflow.Dossier, []workflow.Effect, error) {
	if err := c.writable(); err != nil {
		return workflow.Dossier{}, nil, err
	}
	var out workflow.Dossier
	var outEffects []workflow.Effect
	err := c.Tx(ctx, func(tx *CoopScope) error {
		row, _, err := tx.Dossier(ctx, exercice)
		if err != nil {
			return err
		}
		if row, err = tx.dossierOf(ctx, row.CampaignID, true); err != nil {
			return err
		}
		before, err := row.Decode()
		if err != nil {
			return err
		}
		after, effects, err := workflow.Apply(before, ev)
		if err != nil {
			var te *workflow.TransitionError
			if errors.As(err, &te) {
				return fault.User(err)
			}
			return fmt.Errorf("apply dossier: %w", err)
		}
		h := workflow.Describe(before, ev)
		version := row.Version
		if err := row.sync(after, before.Status(), h.At); err != nil {
			return err
		}
		res, err := tx.upd((*DossierRow)(nil)).Set("state = ?", row.State).Set("status = ?", row.Status).
			Set("score = ?", row.Score).Set("missing = ?", row.Missing).Set("open_corrections = ?", row.OpenCorrections).
			Set("unreviewed = ?", row.Unreviewed).Set("last_activity = ?", row.LastActivity).
			Set("transmitted_at = ?", nullTime(row.TransmittedAt)).Set("validated_at = ?", nullTime(row.ValidatedAt)).
			Set("version = ?", version+1).
			Where("ds.id = ? AND ds.version = ?", row.ID, version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("save dossier: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrDossierChanged
		}
		entry, link, err := historyRows(row, h, ev, effects, tx.actor)
		if err != nil {
			return err
		}
		if _, err := tx.ins(entry).Exec(ctx); err != nil {
			return fmt.Errorf("dossier history: %w", err)
		}
		if link != nil {
			if _, err := tx.ins(link).Exec(ctx); err != nil {
				return fmt.Errorf("link dossier document: %w", err)
			}
		}
		if err := tx.Audit(ctx, "dossier."+string(ev.Kind()), map[string]any{"exercice": exercice,
			"element": entry.Item, "document": entry.DocumentID, "quoi": entry.What, "motif": entry.Why}); err != nil {
			return err
		}
		if extra != nil {
			if err := extra(ctx, tx, after, effects); err != nil {
				return err
			}
		}
		out, outEffects = after, effects
		return nil
	})
	if err != nil {
		return workflow.Dossier{}, nil, err
	}
	return out, outEffects, nil
}

// historyRows builds the history row of an applied event and, for a
// received document, its link to the dossier.
func historyRows(row *DossierRow, h workflow.HistoryEntry, ev workflow.Event, effects []workflow.Effect, actor *int64) (*HistoryEntry, *DossierDocument, error) {
	fx, err := effectsJSON(effects)
	if err != nil {
		return nil, nil, err
	}
	entry := &HistoryEntry{CoopID: row.CoopID, DossierID: row.ID, At: h.At.UTC(), ByUser: actor, By: h.By,
		Kind: string(h.Kind), Item: string(h.Item), What: h.What, Why: h.Why, Effects: fx}
	if h.DocumentID > 0 {
		id := h.DocumentID
		entry.DocumentID = &id
	}
	var link *DossierDocument
	if e, ok := ev.(workflow.DocumentReceived); ok {
		link = &DossierDocument{CoopID: row.CoopID, DossierID: row.ID, DocumentID: e.DocumentID, Item: string(e.Item),
			Source: string(e.Source), SubsidyRef: e.SubsidyRef, ReceivedAt: e.At.UTC()}
	} else if e, ok := ev.(*workflow.DocumentReceived); ok && e != nil {
		link = &DossierDocument{CoopID: row.CoopID, DossierID: row.ID, DocumentID: e.DocumentID, Item: string(e.Item),
			Source: string(e.Source), SubsidyRef: e.SubsidyRef, ReceivedAt: e.At.UTC()}
	}
	return entry, link, nil
}

// effectsJSON records the effects of an event in its history row, each
// named by its type: [{"effet":"NotifyMandataire","detail":{…}}].
func effectsJSON(effects []workflow.Effect) (string, error) {
	if len(effects) == 0 {
		return "", nil
	}
	type named struct {
		Effect string          `json:"effet"`
		Detail workflow.Effect `json:"detail"`
	}
	list := make([]named, len(effects))
	for i, e := range effects {
		list[i] = named{Effect: strings.TrimPrefix(fmt.Sprintf("%T", e), "workflow."), Detail: e}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("dossier effects: %w", err)
	}
	return string(b), nil
}

// nullTime writes a zero time as SQL NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
