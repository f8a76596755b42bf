package store

import (
	"context"
	"fmt"
	"time"

	"retkoop/app/fault"
)

// Password actions of an AD's staff on the logins it manages: its coops'
// mandataires and its own team. The user is found through the ADScope, so
// a coop or a team member of another AD is fault.ErrNotFound here, in the
// store, not in a check the handler must remember. (Disabling a team
// member and changing a coop's mandataire are SetStaffDisabled and
// ChangeMandataire, coopadmin.go.)

// CoopMandataire returns the mandataire login of one of the AD's coops:
// the coop's user whose login is the coop's UAI. A coop of another AD is
// fault.ErrNotFound; a coop of the AD without such a login is a
// fault.Invalid message.
func (a *ADScope) CoopMandataire(ctx context.Context, coopID int64) (*User, error) {
	cs, err := a.Coop(ctx, coopID)
	if err != nil {
		return nil, err
	}
	return coopMandataire(ctx, cs)
}

func coopMandataire(ctx context.Context, cs *CoopScope) (*User, error) {
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, err
	}
	var u User
	if err := cs.sel(&u).Where("u.login = ?", co.UAI).Scan(ctx); err != nil {
		if isNotFound(notFound(err)) {
			return nil, fault.Invalidf("Cette coopérative n'a pas de compte mandataire.")
		}
		return nil, fmt.Errorf("coop mandataire: %w", err)
	}
	return &u, nil
}

// SetCoopPassword stores a new password hash for the mandataire login of
// one of the AD's coops (mustChange: a change is forced at next login, as
// for a password the AD issues), ends every session of that login and
// writes the audit row, as Auth.SetPassword does, acting as the scope's
// user. It returns the login's user as it was before the change. A coop of
// another AD is fault.ErrNotFound and nothing changes.
func (a *ADScope) SetCoopPassword(ctx context.Context, coopID int64, hash string, mustChange bool) (*User, error) {
	var u *User
	err := a.Tx(ctx, func(tx *ADScope) error {
		cs, err := tx.Coop(ctx, coopID)
		if err != nil {
			return err
		}
		if u, err = coopMandataire(ctx, cs); err != nil {
			return err
		}
		return tx.s.setPassword(ctx, tx.db, cs.upd, u, hash, mustChange, tx.actor)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetStaffPassword stores a new password hash for one of the AD's staff or
// admin accounts (see StaffMember), ends its sessions and writes the audit
// row, as Auth.SetPassword does, acting as the scope's user. It returns
// the account as it was before the change. Any other user (another AD's
// staff, a mandataire) is fault.ErrNotFound and nothing changes.
func (a *ADScope) SetStaffPassword(ctx context.Context, userID int64, hash string, mustChange bool) (*User, error) {
	var u *User
	err := a.Tx(ctx, func(tx *ADScope) error {
		var err error
		if u, err = tx.StaffMember(ctx, userID); err != nil {
			return err
		}
		return tx.s.setPassword(ctx, tx.db, tx.adUpd, u, hash, mustChange, tx.actor)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateCoopPasswordReset gives the mandataire login of one of the AD's
// coops a reset link valid ttl ("choose a password"): in one transaction,
// the token, the mail build makes from it (queued to the AD's outbox, about
// the coop) and the audit row, as Auth.CreatePasswordReset does for that
// login. A coop of another AD is fault.ErrNotFound and nothing is written.
func (a *ADScope) CreateCoopPasswordReset(ctx context.Context, coopID int64, ttl time.Duration,
	build func(token string) (OutboxMail, error)) error {
	u, err := a.CoopMandataire(ctx, coopID)
	if err != nil {
		return err
	}
	link, err := a.s.newResetLink(u, ttl, build)
	if err != nil {
		return err
	}
	return a.Tx(ctx, func(tx *ADScope) error {
		// The coop is checked again inside the transaction: the link is
		// written only for a coop of the AD.
		if _, err := tx.Coop(ctx, coopID); err != nil {
			return err
		}
		return tx.s.saveResetLink(ctx, tx, u, &coopID, link)
	})
}
