package apptest

import (
	"context"
	"fmt"
	"strings"
)

// seedVictimObjects gives AD B's coop one object of every kind that a route
// can name, and records their ids in w.extraVictims. Each feature adds its
// objects here.
func (w *world) seedVictimObjects() {
	w.extraVictims = map[string]string{}
	w.extraVictims["doc"] = itoa(w.victimDocument())
	// — book victims —
	w.seedBookVictims()
	// — bank victims —
	w.seedBankVictims()
	// — closing victims —
	w.seedClosingVictims()
	// — dossier victims —
	w.seedDossierVictims()
	// — mail-in victims —
	w.seedMailVictims()
	// — outbox victims —
	w.extraVictims["mail"] = itoa(w.victimMail())
	// — staff victims —
	w.seedStaffVictims()
}

// victimSnapshot summarises AD B's data (coop row, audit rows) so that the
// isolation test can prove nothing was changed.
func (w *world) victimSnapshot() string {
	ctx := context.Background()
	cs, err := w.db.ForCoop(ctx, w.coopB.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	ex, err := cs.Exercices(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	co.UpdatedAt = co.UpdatedAt.UTC()
	co.CreatedAt = co.CreatedAt.UTC()
	return fmt.Sprintf("%+v %+v", *co, len(ex))
}

// victimDocument stores a PDF for AD B's coop.
func (w *world) victimDocument() int64 {
	ctx := context.Background()
	cs, err := w.db.ForCoop(ctx, w.coopB.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := w.app.Docs().Put(strings.NewReader("%PDF-1.4\n% Victime Bêta 0700001L\n%%EOF\n"))
	if err != nil {
		w.t.Fatal(err)
	}
	d, _, err := cs.AddDocument(ctx, st, "releve-victime.pdf", "web")
	if err != nil {
		w.t.Fatal(err)
	}
	return d.ID
}
