package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"retkoop/app/fault"
)

// Audit actions of the coop administration.
const (
	ActionMandataire = "coop.mandataire"
	ActionAssist     = "assistance.consultation"
)

// ChangeMandataire records a new mandataire for a coop: the coop's
// parameters and its login (identified by the UAI, which stays) take the
// new name and address; the old mandataire loses access at once — the
// password is cleared, every session ends, every pending reset link dies —
// until the AD issues a password to the new one. The audit log keeps who
// held the mandate before, and why it changed; the books and dossiers are
// the coop's and stay as they are.
func (a *ADScope) ChangeMandataire(ctx context.Context, coopID int64, name, email, reason string) error {
	name, email = strings.TrimSpace(name), strings.ToLower(strings.TrimSpace(email))
	if name == "" {
		return fault.Invalidf("Le nom du nouveau mandataire est obligatoire.")
	}
	return a.Tx(ctx, func(tx *ADScope) error {
		cs, err := tx.Coop(ctx, coopID)
		if err != nil {
			return err
		}
		before, err := cs.Coop(ctx)
		if err != nil {
			return err
		}
		now := tx.s.now().UTC()
		if _, err := tx.adUpd((*Coop)(nil)).Set("mandataire_name = ?", name).Set("mandataire_email = ?", email).
			Set("updated_at = ?", now).Where("c.id = ?", coopID).Exec(ctx); err != nil {
			return fmt.Errorf("change mandataire: %w", err)
		}
		var users []User
		if err := cs.sel(&users).Where("u.role = ?", RoleMandataire).Scan(ctx); err != nil {
			return fmt.Errorf("change mandataire: %w", err)
		}
		for _, u := range users {
			if _, err := cs.upd((*User)(nil)).Set("name = ?", name).Set("email = ?", email).
				Set("password_hash = ''").Set("must_change = ?", true).Where("u.id = ?", u.ID).Exec(ctx); err != nil {
				return fmt.Errorf("change mandataire: %w", err)
			}
			if err := endAccess(ctx, tx.db, u.ID); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, &coopID, ActionMandataire, map[string]any{"avant": before.MandataireName,
			"avant_email": before.MandataireEmail, "apres": name, "apres_email": email, "motif": strings.TrimSpace(reason)})
	})
}

// endSessions ends every session of a user. sessions has no tenant
// column: a session belongs to a user, whom the caller found through its
// handle.
func endSessions(ctx context.Context, db bun.IDB, userID int64) error {
	if _, err := db.NewDelete().Table("sessions").Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// endAccess ends every session and pending reset link of a user (found
// by the caller through its handle, like endSessions).
func endAccess(ctx context.Context, db bun.IDB, userID int64) error {
	if err := endSessions(ctx, db, userID); err != nil {
		return err
	}
	if _, err := db.NewDelete().Table("password_resets").Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end reset links: %w", err)
	}
	return nil
}

// CoopAudit returns the audit rows of one of the AD's coops with one of
// the actions, newest first (at most limit).
func (a *ADScope) CoopAudit(ctx context.Context, coopID int64, actions []string, limit int) ([]AuditEntry, error) {
	if _, err := a.Coop(ctx, coopID); err != nil {
		return nil, err
	}
	var out []AuditEntry
	if err := a.adSel(&out).Where("al.coop_id = ? AND al.action IN (?)", coopID, bun.In(actions)).
		Order("al.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("coop audit: %w", err)
	}
	return out, nil
}

// StaffMember returns one of the AD's staff or admin accounts; any other
// id is fault.ErrNotFound.
func (a *ADScope) StaffMember(ctx context.Context, userID int64) (*User, error) {
	var u User
	if err := a.adSel(&u).Where("u.id = ? AND u.role IN (?)", userID, bun.In([]string{RoleStaff, RoleAdmin})).Scan(ctx); err != nil {
		return nil, fmt.Errorf("staff member: %w", notFound(err))
	}
	return &u, nil
}

// SetStaffDisabled disables (every session ends) or enables one of the AD's
// staff accounts. Nobody disables their own account: an AD must never lock
// itself out by mistake.
func (a *ADScope) SetStaffDisabled(ctx context.Context, userID int64, disabled bool) error {
	return a.Tx(ctx, func(tx *ADScope) error {
		u, err := tx.StaffMember(ctx, userID)
		if err != nil {
			return err
		}
		if disabled && tx.actor != nil && *tx.actor == u.ID {
			return fault.Invalidf("Vous ne pouvez pas désactiver votre propre compte.")
		}
		if u.Disabled == disabled {
			return nil
		}
		if _, err := tx.adUpd((*User)(nil)).Set("disabled = ?", disabled).Where("u.id = ?", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("set staff disabled: %w", err)
		}
		if disabled {
			if err := endAccess(ctx, tx.db, u.ID); err != nil {
				return err
			}
		}
		action := "staff.reactivation"
		if disabled {
			action = "staff.desactivation"
		}
		return tx.Audit(ctx, nil, action, map[string]any{"login": u.Login})
	})
}

// takenLogins returns which of logins are already the login of a user,
// in any AD: a login is unique across the tenants, so an import must know
// whether a new UAI is free. It answers only that, for the logins asked.
func takenLogins(ctx context.Context, db bun.IDB, logins []string) ([]string, error) {
	var taken []string
	if err := db.NewSelect().Table("users").Column("login").Where("login IN (?)", bun.In(logins)).Scan(ctx, &taken); err != nil {
		return nil, err
	}
	return taken, nil
}

// ImportPreviewRow says what importing one row would do.
type ImportPreviewRow struct {
	Row     CoopImport
	Line    int
	Create  bool
	Changes []string // the parameters an update would change, in French
}

// ImportPreview says, without writing anything, what ImportCoops would do
// with rows (lines gives each row's line number in the file): which coops
// it creates, which it updates and what changes. A new UAI that is already
// the login of a coop of another AD is a problem of its line.
func (a *ADScope) ImportPreview(ctx context.Context, rows []CoopImport, lines []int) ([]ImportPreviewRow, []string, error) {
	var coops []Coop
	if err := a.adSel(&coops).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("import preview: %w", err)
	}
	byUAI := make(map[string]*Coop, len(coops))
	for i := range coops {
		byUAI[coops[i].UAI] = &coops[i]
	}
	var problems []string
	out := make([]ImportPreviewRow, len(rows))
	var fresh []string
	for i, r := range rows {
		out[i] = ImportPreviewRow{Row: r, Line: lines[i]}
		co := byUAI[r.UAI]
		if co == nil {
			out[i].Create = true
			fresh = append(fresh, r.UAI)
			continue
		}
		p := r.Params
		for _, f := range []struct{ label, old, new string }{{"nom", co.Name, p.Name}, {"adresse", co.Address, p.Address},
			{"code postal", co.PostalCode, p.PostalCode}, {"commune", co.Commune, p.Commune}, {"IBAN", co.IBAN, p.IBAN},
			{"mandataire", co.MandataireName, p.MandataireName}, {"e-mail", co.MandataireEmail, p.MandataireEmail}} {
			if f.old != f.new {
				out[i].Changes = append(out[i].Changes, f.label)
			}
		}
	}
	if len(fresh) > 0 {
		taken, err := takenLogins(ctx, a.db, fresh)
		if err != nil {
			return nil, nil, fmt.Errorf("import preview: %w", err)
		}
		used := map[string]bool{}
		for _, l := range taken {
			used[l] = true
		}
		for _, r := range out {
			if r.Create && used[r.Row.UAI] {
				problems = append(problems, fmt.Sprintf("ligne %d : l'UAI %s est déjà l'identifiant d'une coopérative d'une autre AD", r.Line, r.Row.UAI))
			}
		}
	}
	return out, problems, nil
}
