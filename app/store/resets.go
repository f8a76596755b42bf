package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// PasswordReset is a self-service reset link ("mot de passe oublié"): only
// the SHA-256 of the token is stored, so a database leak gives no usable
// link.
type PasswordReset struct {
	bun.BaseModel `bun:"table:password_resets,alias:pr"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
	UsedAt    time.Time `bun:"used_at,nullzero"`
}

// MailTenant returns the AD and coop a mail to u belongs to: the coop and
// its AD for a mandataire, the AD for staff. A national admin belongs to
// no AD: ok is false.
func (a *Auth) MailTenant(ctx context.Context, u *User) (adID int64, coopID *int64, ok bool, err error) {
	switch {
	case u.CoopID != nil:
		if err := a.s.db.NewSelect().Table("coops").Column("ad_id").Where("id = ?", *u.CoopID).Scan(ctx, &adID); err != nil {
			return 0, nil, false, fmt.Errorf("mail tenant: %w", notFound(err))
		}
		return adID, u.CoopID, true, nil
	case u.ADID != nil:
		return *u.ADID, nil, true, nil
	}
	return 0, nil, false, nil
}

// CreatePasswordReset stores a new reset token for u, valid for ttl, and
// queues the mail that build makes from the token, in one transaction: the
// link exists exactly when its mail is in the outbox.
func (a *Auth) CreatePasswordReset(ctx context.Context, u *User, ttl time.Duration, build func(token string) (OutboxMail, error)) error {
	adID, coopID, ok, err := a.MailTenant(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("password reset for %s: %w", u.Login, fault.ErrNotFound)
	}
	link, err := a.s.newResetLink(u, ttl, build)
	if err != nil {
		return err
	}
	return a.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return a.s.saveResetLink(ctx, &ADScope{s: a.s, db: tx, id: adID}, u, coopID, link)
	})
}

// resetLink is a new reset token of a user, not yet saved, and the mail
// that carries it.
type resetLink struct {
	row  *PasswordReset
	mail OutboxMail
}

// newResetLink draws a token for u, valid ttl, and has build make its mail.
func (s *DB) newResetLink(u *User, ttl time.Duration, build func(token string) (OutboxMail, error)) (*resetLink, error) {
	token := randomToken(32)
	m, err := build(token)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	pr := &PasswordReset{TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	m.Key = "reset:" + pr.TokenHash[:24]
	return &resetLink{row: pr, mail: m}, nil
}

// saveResetLink writes, in ad's transaction, the link's token, its mail to
// the outbox of ad (u's AD; coopID u's coop, nil for staff) and the audit
// row: the link exists exactly when its mail is in the outbox.
func (s *DB) saveResetLink(ctx context.Context, ad *ADScope, u *User, coopID *int64, link *resetLink) error {
	if err := insertResetToken(ctx, ad.db, link.row); err != nil {
		return err
	}
	if _, _, err := s.queueMail(ctx, ad.adIns, ad.adSel, ad.id, coopID, link.mail); err != nil {
		return err
	}
	return s.audit(ctx, ad.db, &u.ID, &ad.id, coopID, "user.password.reset_requested", map[string]any{"login": u.Login})
}

// insertResetToken writes a reset token. password_resets has no tenant
// column: a token belongs to a user, whom the caller found through its
// handle.
func insertResetToken(ctx context.Context, db bun.IDB, pr *PasswordReset) error {
	if _, err := db.NewInsert().Model(pr).Exec(ctx); err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	return nil
}

// PasswordResetUser returns the user of a reset token that is still valid
// (not used, not expired); anything else is fault.ErrNotFound.
func (a *Auth) PasswordResetUser(ctx context.Context, token string) (*User, error) {
	var pr PasswordReset
	err := a.s.db.NewSelect().Model(&pr).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?",
		hashToken(token), a.s.now().UTC()).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("password reset: %w", notFound(err))
	}
	u, err := a.UserByID(ctx, pr.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, fmt.Errorf("password reset of disabled user: %w", fault.ErrNotFound)
	}
	return u, nil
}

// RedeemPasswordReset uses a valid token once: in one transaction it marks
// the token (and every other pending token of the user) used, stores the
// new password hash (no change forced), ends every session of the user and
// writes the audit row. A used, expired or unknown token is
// fault.ErrNotFound, and two concurrent redemptions cannot both succeed.
func (a *Auth) RedeemPasswordReset(ctx context.Context, token, hash string) (*User, error) {
	u, err := a.PasswordResetUser(ctx, token)
	if err != nil {
		return nil, err
	}
	now := a.s.now().UTC()
	err = a.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*PasswordReset)(nil)).Set("used_at = ?", now).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(token), now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("redeem password reset: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("redeem password reset: %w", fault.ErrNotFound)
		}
		if _, err := tx.NewUpdate().Model((*PasswordReset)(nil)).Set("used_at = ?", now).
			Where("user_id = ? AND used_at IS NULL", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("redeem password reset: other tokens: %w", err)
		}
		// The same three writes as SetPassword, inside this transaction.
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Set("must_change = ?", false).
			Set("password_changed_at = ?", now).Where("id = ?", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("redeem password reset: set password: %w", err)
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("redeem password reset: end sessions: %w", err)
		}
		return a.s.audit(ctx, tx, &u.ID, u.ADID, u.CoopID, "user.password.reset", map[string]any{"user_id": u.ID, "login": u.Login})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
