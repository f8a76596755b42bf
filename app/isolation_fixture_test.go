package app

import (
	"context"
	"fmt"
)

// seedVictimObjects gives AD B's coop one object of every kind that a route
// can name, and records their ids in w.extraVictims. Each feature adds its
// objects here.
func (w *world) seedVictimObjects() {
	w.extraVictims = map[string]string{}
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
