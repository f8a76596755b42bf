package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// Auth is the handle for logins and sessions. It crosses tenants by nature
// (a login names its tenant), so it is a separately named handle.
type Auth struct{ s *DB }

// Auth returns the login/session handle.
func (s *DB) Auth() *Auth { return &Auth{s: s} }

// UserByLogin finds an enabled user by login (UAI upper-case or e-mail
// lower-case, normalised by the caller).
func (a *Auth) UserByLogin(ctx context.Context, login string) (*User, error) {
	var u User
	if err := a.s.db.NewSelect().Model(&u).Where("u.login = ?", login).Scan(ctx); err != nil {
		return nil, fmt.Errorf("user by login: %w", notFound(err))
	}
	return &u, nil
}

// UserByID returns a user.
func (a *Auth) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := a.s.db.NewSelect().Model(&u).Where("u.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("user by id: %w", notFound(err))
	}
	return &u, nil
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is the session id stored for a cookie token: a database leak
// does not give usable cookies.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a session for the user and returns the cookie token.
func (a *Auth) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token string, sess *Session, err error) {
	token = randomToken(32)
	now := a.s.now().UTC()
	sess = &Session{ID: hashToken(token), UserID: userID, CSRF: randomToken(24), CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(ttl)}
	if _, err := a.s.db.NewInsert().Model(sess).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// Session returns the live session of a cookie token and its user, and
// extends it (sliding expiry) at most once a minute.
func (a *Auth) Session(ctx context.Context, token string, ttl time.Duration) (*Session, *User, error) {
	var sess Session
	if err := a.s.db.NewSelect().Model(&sess).Relation("User").Where("s.id = ?", hashToken(token)).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("session: %w", notFound(err))
	}
	now := a.s.now().UTC()
	if !now.Before(sess.ExpiresAt) {
		_, _ = a.s.db.NewDelete().Model((*Session)(nil)).Where("id = ?", sess.ID).Exec(ctx)
		return nil, nil, fmt.Errorf("session expired: %w", fault.ErrNotFound)
	}
	u := sess.User
	if u == nil {
		return nil, nil, fmt.Errorf("session without user: %w", fault.ErrNotFound)
	}
	if u.Disabled {
		return nil, nil, fmt.Errorf("session of disabled user: %w", fault.ErrNotFound)
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		sess.LastSeen, sess.ExpiresAt = now, now.Add(ttl)
		if _, err := a.s.db.NewUpdate().Table("sessions").Set("last_seen = ?", now).Set("expires_at = ?", sess.ExpiresAt).
			Where("id = ?", sess.ID).Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("session touch: %w", err)
		}
	}
	return &sess, u, nil
}

// DeleteSession ends one session (logout).
func (a *Auth) DeleteSession(ctx context.Context, token string) error {
	_, err := a.s.db.NewDelete().Model((*Session)(nil)).Where("id = ?", hashToken(token)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// SetPassword stores a new password hash, ends every session of the user,
// and records whether a change is forced at next login.
func (a *Auth) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool, actor *int64) error {
	u, err := a.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	return a.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bunTx) error {
		upd := func(model any) *bun.UpdateQuery { return tx.NewUpdate().Model(model) }
		return a.s.setPassword(ctx, tx, upd, u, hash, mustChange, actor)
	})
}

// setPassword stores a new password hash for u through upd (the calling
// handle's UPDATE on users: a scope's, filtered by it), ends every session
// of u and writes the audit row, all on db, the caller's transaction.
func (s *DB) setPassword(ctx context.Context, db bun.IDB, upd func(any) *bun.UpdateQuery, u *User, hash string, mustChange bool, actor *int64) error {
	now := s.now().UTC()
	res, err := upd((*User)(nil)).Set("password_hash = ?", hash).Set("must_change = ?", mustChange).
		Set("password_changed_at = ?", now).Where("u.id = ?", u.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n != 1 { // not a user of the caller's handle
		return fmt.Errorf("set password of user %d: %w", u.ID, fault.ErrNotFound)
	}
	if err := endSessions(ctx, db, u.ID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	action := "user.password.change"
	if mustChange {
		action = "user.password.issue"
	}
	return s.audit(ctx, db, actor, u.ADID, u.CoopID, action, map[string]any{"user_id": u.ID, "login": u.Login})
}

// LoginAudit records a successful or failed login in the audit log.
func (a *Auth) LoginAudit(ctx context.Context, u *User, action, ip string) error {
	return a.s.audit(ctx, a.s.db, &u.ID, u.ADID, u.CoopID, action, map[string]any{"ip": ip})
}
