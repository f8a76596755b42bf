package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// staffWorld is the fixture of two ADs with a staff member each, a
// password and a live session on the mandataire login of AD B's coop and
// on AD B's staff member: what a cross-AD call must leave as it is.
type staffWorld struct {
	fixture
	staffA, staffB *store.User
	asA            *store.ADScope // AD A's scope, acting as staffA
	sessB          string         // session of the mandataire of coopB1
	sessStaffB     string         // session of staffB
}

func newStaffWorld(t *testing.T, db *store.DB) staffWorld {
	t.Helper()
	ctx := context.Background()
	w := staffWorld{fixture: setup(t, db)}
	w.staffA = &store.User{Role: store.RoleAdmin, Login: "admin@a.example", PasswordHash: "hash-a"}
	w.staffB = &store.User{Role: store.RoleStaff, Login: "staff@b.example", PasswordHash: "hash-b"}
	for _, c := range []struct {
		ad int64
		u  *store.User
	}{{w.adA.ID, w.staffA}, {w.adB.ID, w.staffB}} {
		ad, err := db.ForAD(ctx, c.ad, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ad.CreateStaff(ctx, c.u); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if w.asA, err = db.ForAD(ctx, w.adA.ID, &w.staffA.ID); err != nil {
		t.Fatal(err)
	}
	mandB, err := db.Auth().UserByLogin(ctx, "0700001L")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Auth().SetPassword(ctx, mandB.ID, "hash-mand-b", false, nil); err != nil {
		t.Fatal(err)
	}
	if w.sessB, _, err = db.Auth().CreateSession(ctx, mandB.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if w.sessStaffB, _, err = db.Auth().CreateSession(ctx, w.staffB.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	return w
}

// unchanged runs fn, which must fail with fault.ErrNotFound, and checks
// that no row of any table changed.
func unchanged(t *testing.T, db *store.DB, what string, fn func() error) {
	t.Helper()
	ctx := context.Background()
	before, err := db.TableDigestsForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(); !errors.Is(err, fault.ErrNotFound) {
		t.Errorf("%s: got %v, want fault.ErrNotFound", what, err)
	}
	after, err := db.TableDigestsForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, d := range before {
		if after[table] != d {
			t.Errorf("%s changed table %s: %s → %s", what, table, d, after[table])
		}
	}
}

func TestSetCoopPasswordIsScopedToTheAD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newStaffWorld(t, db)
		unchanged(t, db, "AD A setting the password of AD B's coop", func() error {
			_, err := w.asA.SetCoopPassword(ctx, w.coopB1, "hash-intrus", true)
			return err
		})
		unchanged(t, db, "a coop id that does not exist", func() error {
			_, err := w.asA.SetCoopPassword(ctx, w.coopB1+1000, "hash-intrus", true)
			return err
		})
		if _, _, err := db.Auth().Session(ctx, w.sessB, time.Hour); err != nil {
			t.Errorf("AD B's mandataire lost their session: %v", err)
		}

		// Its own coop: the password changes, the sessions end, the audit says who.
		mandA, _ := db.Auth().UserByLogin(ctx, "0310036W")
		tok, _, _ := db.Auth().CreateSession(ctx, mandA.ID, time.Hour)
		u, err := w.asA.SetCoopPassword(ctx, w.coopA1, "hash-new", true)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != mandA.ID || u.Login != "0310036W" {
			t.Errorf("returned user %+v, want the mandataire of coop A1", u)
		}
		after, _ := db.Auth().UserByLogin(ctx, "0310036W")
		if after.PasswordHash != "hash-new" || !after.MustChange || after.PasswordChangedAt.IsZero() {
			t.Errorf("mandataire after the new password: %+v", after)
		}
		if _, _, err := db.Auth().Session(ctx, tok, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("the mandataire's session survived the new password: %v", err)
		}
		if n, _ := db.System().AuditCount(ctx, w.coopA1, "user.password.issue"); n != 1 {
			t.Errorf("%d audit rows user.password.issue for coop A1, want 1", n)
		}
		if other, _ := db.Auth().UserByLogin(ctx, "0310100R"); other.PasswordHash != "" {
			t.Errorf("coop A2's mandataire changed too: %+v", other)
		}
	})
}

func TestSetStaffPasswordIsScopedToTheAD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newStaffWorld(t, db)
		unchanged(t, db, "AD A setting the password of AD B's staff", func() error {
			_, err := w.asA.SetStaffPassword(ctx, w.staffB.ID, "hash-intrus", true)
			return err
		})
		mandA, _ := db.Auth().UserByLogin(ctx, "0310036W")
		unchanged(t, db, "AD A setting a mandataire's password as staff", func() error {
			_, err := w.asA.SetStaffPassword(ctx, mandA.ID, "hash-intrus", true)
			return err
		})
		if _, _, err := db.Auth().Session(ctx, w.sessStaffB, time.Hour); err != nil {
			t.Errorf("AD B's staff lost their session: %v", err)
		}

		other := &store.User{Role: store.RoleStaff, Login: "staff2@a.example", PasswordHash: "hash-old"}
		if err := w.asA.CreateStaff(ctx, other); err != nil {
			t.Fatal(err)
		}
		tok, _, _ := db.Auth().CreateSession(ctx, other.ID, time.Hour)
		u, err := w.asA.SetStaffPassword(ctx, other.ID, "hash-new", true)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != other.ID || u.Login != "staff2@a.example" {
			t.Errorf("returned user %+v", u)
		}
		after, _ := db.Auth().UserByID(ctx, other.ID)
		if after.PasswordHash != "hash-new" || !after.MustChange {
			t.Errorf("staff after the new password: %+v", after)
		}
		if _, _, err := db.Auth().Session(ctx, tok, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("the staff member's session survived the new password: %v", err)
		}
		if b, _ := db.Auth().UserByID(ctx, w.staffB.ID); b.PasswordHash != "hash-b" {
			t.Errorf("AD B's staff changed: %+v", b)
		}
	})
}

func TestCoopMandataireAndResetLinkAreScopedToTheAD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newStaffWorld(t, db)
		if _, err := w.asA.CoopMandataire(ctx, w.coopB1); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD A reading AD B's mandataire: %v", err)
		}
		u, err := w.asA.CoopMandataire(ctx, w.coopA2)
		if err != nil || u.Login != "0310100R" || u.CoopID == nil || *u.CoopID != w.coopA2 {
			t.Fatalf("mandataire of coop A2: %+v %v", u, err)
		}

		built := 0
		var token string
		build := func(tok string) (store.OutboxMail, error) {
			built++
			token = tok
			return store.OutboxMail{Kind: store.MailPasswordReset, To: "a2@example.org", Subject: "Accès", Text: "lien " + tok}, nil
		}
		unchanged(t, db, "AD A sending a link to AD B's mandataire", func() error {
			return w.asA.CreateCoopPasswordReset(ctx, w.coopB1, time.Hour, build)
		})
		if built != 0 {
			t.Errorf("a link was built for AD B's mandataire")
		}

		if err := w.asA.CreateCoopPasswordReset(ctx, w.coopA2, time.Hour, build); err != nil {
			t.Fatal(err)
		}
		got, err := db.Auth().PasswordResetUser(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Errorf("the link's user: %+v %v", got, err)
		}
		mails, err := w.asA.CoopMails(ctx, w.coopA2)
		if err != nil || len(mails) != 1 || mails[0].Kind != store.MailPasswordReset {
			t.Errorf("coop A2's mails: %+v %v", mails, err)
		}
		if n, _ := db.System().AuditCount(ctx, w.coopA2, "user.password.reset_requested"); n != 1 {
			t.Errorf("%d audit rows for the link, want 1", n)
		}
	})
}
