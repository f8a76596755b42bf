package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func testMail(key string) store.OutboxMail {
	return store.OutboxMail{Kind: store.MailReminder, Key: key, To: "ecole@example.org", Subject: "Sujet " + key, Text: "Texte", HTML: "<p>Texte</p>"}
}

func TestQueueMailIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		cs, _ := db.ForCoop(ctx, f.coopA1, nil)
		ok, err := cs.QueueMail(ctx, testMail("k1"))
		if err != nil || !ok {
			t.Fatalf("first queue = %v, %v", ok, err)
		}
		ok, err = cs.QueueMail(ctx, testMail("k1"))
		if err != nil || ok {
			t.Fatalf("second queue of the same key = %v, %v; want false, nil", ok, err)
		}
		// Inside a transaction that fails, nothing is left behind — and a
		// duplicate key does not abort the transaction (PostgreSQL).
		boom := errors.New("boom")
		err = cs.Tx(ctx, func(tx *store.CoopScope) error {
			if ok, err := tx.QueueMail(ctx, testMail("k1")); err != nil || ok {
				return fmt.Errorf("duplicate in tx = %v, %v", ok, err)
			}
			if _, err := tx.QueueMail(ctx, testMail("k2")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx err = %v", err)
		}
		if _, err := db.System().MailByKey(ctx, "k2"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("mail of a rolled-back transaction is in the outbox: %v", err)
		}
		m, err := db.System().MailByKey(ctx, "k1")
		if err != nil || m.CoopID == nil || *m.CoopID != f.coopA1 || m.ADID != f.adA.ID || m.Status != store.MailQueued {
			t.Fatalf("queued mail = %+v, %v", m, err)
		}
		if _, err := cs.AsReadOnly().QueueMail(ctx, testMail("k3")); !errors.Is(err, fault.ErrReadOnly) {
			t.Fatalf("read-only scope queued a mail: %v", err)
		}
	})
}

func TestQueueMailRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		const n = 8
		var wg sync.WaitGroup
		results := make(chan bool, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cs, _ := db.ForCoop(ctx, f.coopA1, nil)
				err := cs.Tx(ctx, func(tx *store.CoopScope) error {
					ok, err := tx.QueueMail(ctx, testMail("race"))
					results <- ok
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		close(results)
		won := 0
		for ok := range results {
			if ok {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d goroutines queued the same key, want 1", won)
		}
		a, _ := db.ForAD(ctx, f.adA.ID, nil)
		if _, total, _ := a.Outbox(ctx, store.OutboxFilter{}); total != 1 {
			t.Fatalf("outbox holds %d mails, want 1", total)
		}
	})
}

func TestDeliveryBookkeeping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		sys := db.System()
		cs, _ := db.ForCoop(ctx, f.coopA1, nil)
		for _, k := range []string{"a", "b", "c"} {
			if _, err := cs.QueueMail(ctx, testMail(k)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := sys.QueueMail(ctx, f.adB.ID, nil, testMail("b-staff")); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		due, err := sys.DueMails(ctx, now.Add(time.Second), 10)
		if err != nil || len(due) != 4 {
			t.Fatalf("due = %d, %v", len(due), err)
		}
		byKey := map[string]store.Mail{}
		for _, m := range due {
			byKey[m.IdemKey] = m
		}
		if err := sys.MarkSent(ctx, byKey["a"].ID, "<a@x>", now); err != nil {
			t.Fatal(err)
		}
		if err := sys.MarkRetry(ctx, byKey["b"].ID, "451 occupé", now.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := sys.MarkFailed(ctx, byKey["c"].ID, "550 inconnu"); err != nil {
			t.Fatal(err)
		}
		// A mail already marked is not marked again (a second sender).
		if err := sys.MarkFailed(ctx, byKey["a"].ID, "late"); err != nil {
			t.Fatal(err)
		}
		due, _ = sys.DueMails(ctx, now.Add(time.Second), 10)
		if len(due) != 1 || due[0].IdemKey != "b-staff" {
			t.Fatalf("due after marks = %+v", due)
		}
		due, _ = sys.DueMails(ctx, now.Add(11*time.Minute), 10)
		if len(due) != 2 {
			t.Fatalf("due after the retry delay = %d, want 2", len(due))
		}
		a, _ := sys.Mail(ctx, byKey["a"].ID)
		b, _ := sys.Mail(ctx, byKey["b"].ID)
		c, _ := sys.Mail(ctx, byKey["c"].ID)
		if a.Status != store.MailSent || a.MessageID != "<a@x>" || a.Attempts != 1 || a.SentAt.IsZero() {
			t.Errorf("sent mail = %+v", a)
		}
		if b.Status != store.MailQueued || b.Attempts != 1 || b.LastError != "451 occupé" {
			t.Errorf("retried mail = %+v", b)
		}
		if c.Status != store.MailFailed || c.LastError != "550 inconnu" {
			t.Errorf("failed mail = %+v", c)
		}
		if n, _ := sys.SentSince(ctx, f.adA.ID, now.Add(-time.Minute)); n != 1 {
			t.Errorf("sent since = %d, want 1", n)
		}
		if n, _ := sys.SentSince(ctx, f.adB.ID, now.Add(-time.Minute)); n != 0 {
			t.Errorf("AD B sent since = %d, want 0", n)
		}
	})
}

func TestOutboxIsScopedToTheAD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		b1, _ := db.ForCoop(ctx, f.coopB1, nil)
		_, _ = a1.QueueMail(ctx, testMail("to-a1"))
		_, _ = b1.QueueMail(ctx, testMail("to-b1"))
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		list, total, err := adA.Outbox(ctx, store.OutboxFilter{})
		if err != nil || total != 1 || list[0].IdemKey != "to-a1" || list[0].CoopUAI != "0310036W" {
			t.Fatalf("AD A outbox = %+v (%d), %v", list, total, err)
		}
		if l, _, _ := adA.Outbox(ctx, store.OutboxFilter{Q: "0310036w"}); len(l) != 1 {
			t.Errorf("search by UAI = %d", len(l))
		}
		if l, _, _ := adA.Outbox(ctx, store.OutboxFilter{Status: store.MailSent}); len(l) != 0 {
			t.Errorf("filter by status = %d", len(l))
		}
		if l, _ := adA.CoopMails(ctx, f.coopB1); len(l) != 0 {
			t.Errorf("AD A sees AD B's coop mails: %+v", l)
		}
		mb, _ := db.System().MailByKey(ctx, "to-b1")
		if _, err := adA.OutboxMail(ctx, mb.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD A reads AD B's mail: %v", err)
		}
		counts, _ := adA.OutboxCounts(ctx)
		if counts.Queued != 1 || counts.Sent != 0 {
			t.Errorf("counts = %+v", counts)
		}
	})
}

func TestLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := db.System()
		must := func(ok bool, err error) bool {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !must(sys.TryLease(ctx, "remind:1", "p1", time.Minute)) {
			t.Fatal("free lease refused")
		}
		if must(sys.TryLease(ctx, "remind:1", "p2", time.Minute)) {
			t.Fatal("held lease given to another holder")
		}
		if !must(sys.TryLease(ctx, "remind:1", "p1", time.Minute)) || !must(sys.RenewLease(ctx, "remind:1", "p1", time.Minute)) {
			t.Fatal("holder cannot renew")
		}
		if must(sys.RenewLease(ctx, "remind:1", "p2", time.Minute)) {
			t.Fatal("non-holder renewed")
		}
		if !must(sys.TryLease(ctx, "remind:2", "p2", time.Minute)) {
			t.Fatal("another lease name is independent")
		}
		db.SetClock(func() time.Time { return time.Now().Add(2 * time.Minute) })
		if !must(sys.TryLease(ctx, "remind:1", "p2", time.Minute)) {
			t.Fatal("expired lease not taken over")
		}
		if must(sys.RenewLease(ctx, "remind:1", "p1", time.Minute)) {
			t.Fatal("former holder renewed a lease taken over")
		}
		if err := sys.ReleaseLease(ctx, "remind:1", "p1"); err != nil {
			t.Fatal(err)
		}
		if must(sys.TryLease(ctx, "remind:1", "p3", time.Minute)) {
			t.Fatal("release by a non-holder freed the lease")
		}
		if err := sys.ReleaseLease(ctx, "remind:1", "p2"); err != nil {
			t.Fatal(err)
		}
		if !must(sys.TryLease(ctx, "remind:1", "p3", time.Minute)) {
			t.Fatal("released lease refused")
		}
	})
}

func TestLeaseRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for round := 0; round < 5; round++ {
			name := fmt.Sprintf("race-%d", round)
			const n = 8
			var wg sync.WaitGroup
			var mu sync.Mutex
			winners := 0
			start := make(chan struct{})
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					ok, err := db.System().TryLease(ctx, name, fmt.Sprintf("h%d", i), time.Minute)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						winners++
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			if winners != 1 {
				t.Fatalf("round %d: %d holders got the lease, want 1", round, winners)
			}
		}
	})
}

func TestQueueReminderOncePerRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		const campaign = 42
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cs, _ := db.ForCoop(ctx, f.coopA1, nil)
				ok, err := cs.QueueReminder(ctx, campaign, "J-7", []string{"quitus", "releve"}, testMail("ignored"))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("reminder queued %d times, want 1", won)
		}
		cs, _ := db.ForCoop(ctx, f.coopA1, nil)
		if ok, _ := cs.QueueReminder(ctx, campaign, "J-1", nil, testMail("x")); !ok {
			t.Fatal("another rule refused")
		}
		rules, _ := cs.SentRules(ctx, campaign)
		if !rules["J-7"] || !rules["J-1"] || len(rules) != 2 {
			t.Fatalf("sent rules = %v", rules)
		}
		all, _ := db.System().SentRules(ctx, campaign)
		if len(all) != 1 || !all[f.coopA1]["J-7"] {
			t.Fatalf("system sent rules = %v", all)
		}
		m, err := db.System().MailByKey(ctx, store.ReminderKey(f.coopA1, campaign, "J-7"))
		if err != nil || m.Kind != store.MailReminder {
			t.Fatalf("reminder mail = %+v, %v", m, err)
		}
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		hist, err := adA.CampaignReminders(ctx, campaign, 0)
		if err != nil || len(hist) != 2 || hist[0].CoopUAI != "0310036W" || hist[0].Status != store.MailQueued {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		adB, _ := db.ForAD(ctx, f.adB.ID, nil)
		if hist, _ := adB.CampaignReminders(ctx, campaign, 0); len(hist) != 0 {
			t.Fatalf("AD B sees AD A's reminders: %+v", hist)
		}
	})
}

func TestPasswordResetTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		auth := db.Auth()
		u, _ := auth.UserByLogin(ctx, "0310036W")
		var token string
		build := func(tok string) (store.OutboxMail, error) {
			token = tok
			return store.OutboxMail{Kind: store.MailPasswordReset, To: "a1@example.org", Subject: "Réinitialisation", Text: "lien " + tok}, nil
		}
		if err := auth.CreatePasswordReset(ctx, u, time.Hour, build); err != nil {
			t.Fatal(err)
		}
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		mails, _ := adA.CoopMails(ctx, f.coopA1)
		if len(mails) != 1 || mails[0].Kind != store.MailPasswordReset {
			t.Fatalf("reset mail not in the coop's outbox: %+v", mails)
		}
		if got, err := auth.PasswordResetUser(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("valid token: %v", err)
		}
		sess, _, _ := auth.CreateSession(ctx, u.ID, time.Hour)
		if _, err := auth.RedeemPasswordReset(ctx, token, "$argon2id$new"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.Session(ctx, sess, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Fatal("session survived the reset")
		}
		if got, _ := auth.UserByID(ctx, u.ID); got.PasswordHash != "$argon2id$new" || got.MustChange {
			t.Fatalf("password not set: %+v", got)
		}
		if _, err := auth.RedeemPasswordReset(ctx, token, "$argon2id$again"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("token used twice: %v", err)
		}
		// Expiry.
		if err := auth.CreatePasswordReset(ctx, u, time.Hour, build); err != nil {
			t.Fatal(err)
		}
		db.SetClock(func() time.Time { return time.Now().Add(61 * time.Minute) })
		if _, err := auth.PasswordResetUser(ctx, token); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("expired token accepted: %v", err)
		}
		if _, err := auth.RedeemPasswordReset(ctx, token, "x"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("expired token redeemed: %v", err)
		}
		// Staff mails belong to the AD, not to a coop.
		staff := &store.User{Role: store.RoleStaff, Login: "agent@a.example", Email: "agent@a.example"}
		if err := adA.CreateStaff(ctx, staff); err != nil {
			t.Fatal(err)
		}
		if err := auth.CreatePasswordReset(ctx, staff, time.Hour, build); err != nil {
			t.Fatal(err)
		}
		list, _, _ := adA.Outbox(ctx, store.OutboxFilter{Kind: store.MailPasswordReset})
		if len(list) != 3 || list[0].CoopID != nil {
			t.Fatalf("staff reset mail = %+v", list)
		}
	})
}

func TestMailSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		if m, err := adA.MailSettings(ctx); err != nil || m.From != "" {
			t.Fatalf("unset settings = %+v, %v", m, err)
		}
		for _, sig := range []string{"L'équipe", "L'équipe de l'OCCE 31"} {
			if err := adA.SetMailSettings(ctx, store.ADMail{From: "OCCE 31 <c@occe31.example>", Signature: sig, Mailbox: "documents@occe31.example"}); err != nil {
				t.Fatal(err)
			}
		}
		m, _ := db.System().MailSettings(ctx, f.adA.ID)
		if m.Signature != "L'équipe de l'OCCE 31" || m.Mailbox != "documents@occe31.example" {
			t.Fatalf("settings = %+v", m)
		}
		if m, _ := db.System().MailSettings(ctx, f.adB.ID); m.From != "" {
			t.Fatalf("AD B got AD A's settings: %+v", m)
		}
	})
}
