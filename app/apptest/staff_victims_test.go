package apptest

import "context"

// seedStaffVictims names, for the staff routes of the review queue, the
// coop administration and the assist mode, objects of AD B: a staff
// account of AD B (:user), and a page of the coop's space (*path).
func (w *world) seedStaffVictims() {
	u, err := w.db.Auth().UserByLogin(context.Background(), "staff@b.example")
	if err != nil {
		w.t.Fatal(err)
	}
	w.extraVictims["user"] = itoa(u.ID)
	w.extraVictims["path"] = "cahier"
}
