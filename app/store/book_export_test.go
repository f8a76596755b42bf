package store

import "context"

// SetExerciceStateForTest flips an exercice's state without the closing
// checks, so that book tests can prove that a closed exercice is refused.
func (c *CoopScope) SetExerciceStateForTest(ctx context.Context, name, state string) error {
	_, err := c.upd((*Exercice)(nil)).Set("state = ?", state).Where("e.name = ?", name).Exec(ctx)
	return err
}
