package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

const testBox = "imap://documents@imap.test:993/INBOX"

func mailEntry(uid int64, msgID, issue string) *store.MailEntry {
	return &store.MailEntry{Mailbox: testBox, UIDValidity: 7, UID: uid, MessageID: msgID, From: "x@ecole.example", Subject: "Quitus", Issue: issue}
}

// TestMailLedgerIsKeyedByUID records messages through the mail-in handle:
// the (mailbox, UIDVALIDITY, UID) key refuses a second row without
// aborting the transaction (PostgreSQL), and the State queries read it.
func TestMailLedgerIsKeyedByUID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		sys := db.System()
		in := sys.MailIn(f.adA.ID)
		if err := in.RecordMessage(ctx, mailEntry(3, "<a@x>", store.MailStored)); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := in.Tx(ctx, func(tx *store.MailIn) error {
			if err := tx.RecordMessage(ctx, mailEntry(3, "<a@x>", store.MailStored)); !errors.Is(err, store.ErrMailRecorded) {
				t.Errorf("second record of uid 3 = %v, want ErrMailRecorded", err)
			}
			// The transaction is still usable after the conflict.
			e := mailEntry(5, "<b@x>", store.MailUnmatched)
			if err := tx.RecordMessage(ctx, e); err != nil || e.ID == 0 {
				t.Fatalf("record uid 5 in the same tx = %v (id %d)", err, e.ID)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx = %v", err)
		}
		if ok, _ := sys.MailRecorded(ctx, testBox, 7, 5); ok {
			t.Fatal("uid 5 of a rolled-back transaction is in the ledger")
		}
		if err := in.RecordMessage(ctx, mailEntry(9, "<c@x>", store.MailFailedIssue)); err != nil {
			t.Fatal(err)
		}
		if last, err := sys.LastUID(ctx, testBox, 7); err != nil || last != 9 {
			t.Errorf("LastUID = %d, %v; want 9", last, err)
		}
		if last, err := sys.LastUID(ctx, testBox, 8); err != nil || last != 0 {
			t.Errorf("LastUID of a new UIDVALIDITY = %d, %v; want 0", last, err)
		}
		if ok, err := sys.MailRecorded(ctx, testBox, 7, 3); err != nil || !ok {
			t.Errorf("MailRecorded(3) = %v, %v", ok, err)
		}
		if ok, _ := sys.MailRecorded(ctx, testBox, 8, 3); ok {
			t.Error("uid 3 recorded under another UIDVALIDITY")
		}
		if ok, _ := sys.MessageIDRecorded(ctx, testBox, "<a@x>"); !ok {
			t.Error("Message-ID <a@x> not found")
		}
		if ok, _ := sys.MessageIDRecorded(ctx, "imap://other@imap.test:993/INBOX", "<a@x>"); ok {
			t.Error("Message-ID found in another mailbox")
		}
	})
}

// TestMailTriageIsScopedAndResolvedOnce covers the staff's side: another
// AD sees nothing, a file is resolved once, a retry is asked for once and
// takes the message's Message-ID out of the duplicate check.
func TestMailTriageIsScopedAndResolvedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		sys := db.System()
		in := sys.MailIn(f.adA.ID)
		e := mailEntry(1, "<t@x>", store.MailUnmatched)
		var at store.MailAttachment
		err := in.Tx(ctx, func(tx *store.MailIn) error {
			if err := tx.RecordMessage(ctx, e); err != nil {
				return err
			}
			at = store.MailAttachment{LedgerID: e.ID, Name: "scan.pdf", MIME: "application/pdf", Size: 10, SHA256: "ab12cd", Status: store.AttachmentTriage}
			if err := tx.AddAttachment(ctx, &at); err != nil {
				return err
			}
			e.SuggestedCoopID, e.Documents = &f.coopA2, 1
			return tx.FinishMessage(ctx, e)
		})
		if err != nil {
			t.Fatal(err)
		}
		// A coop of another AD cannot be the suggestion (composite key).
		other := mailEntry(2, "<u@x>", store.MailUnmatched)
		other.CoopID = &f.coopB1
		if err := in.RecordMessage(ctx, other); err == nil {
			t.Error("ledger row of AD A points to AD B's coop")
		}

		staffA, _ := db.ForAD(ctx, f.adA.ID, nil)
		staffB, _ := db.ForAD(ctx, f.adB.ID, nil)
		rows, files, err := staffA.MailTriage(ctx, 10)
		if err != nil || len(rows) != 1 || len(files[e.ID]) != 1 || rows[0].SuggestedUAI != "0310100R" {
			t.Fatalf("triage A = %+v %v, %v", rows, files, err)
		}
		if rows, _, _ := staffB.MailTriage(ctx, 10); len(rows) != 0 {
			t.Errorf("AD B sees AD A's triage: %+v", rows)
		}
		if _, err := staffB.MailAttachment(ctx, at.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD B reads AD A's file: %v", err)
		}
		if _, _, err := staffB.MailMessage(ctx, e.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD B reads AD A's message: %v", err)
		}
		if n, _ := staffA.MailTriageCount(ctx); n != 1 {
			t.Errorf("triage count = %d", n)
		}

		cs, _ := db.ForCoop(ctx, f.coopA2, nil)
		doc, _, err := cs.AddDocument(ctx, docstore.Stored{SHA256: "ab12cd", Size: 10, MIME: "application/pdf"}, "scan.pdf", "mail")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := staffB.ResolveAttachment(ctx, at.ID, f.coopB1, doc.ID, "2025-2026", "quitus", store.AttachmentStored); err == nil && ok {
			t.Error("AD B resolved AD A's file")
		}
		if ok, err := staffA.ResolveAttachment(ctx, at.ID, f.coopA2, doc.ID, "2025-2026", "quitus", store.AttachmentStored); err != nil || !ok {
			t.Fatalf("resolve = %v, %v", ok, err)
		}
		if ok, err := staffA.ResolveAttachment(ctx, at.ID, f.coopA2, doc.ID, "2025-2026", "quitus", store.AttachmentStored); err != nil || ok {
			t.Errorf("second resolve = %v, %v; want false", ok, err)
		}
		if rows, _, _ := staffA.MailTriage(ctx, 10); len(rows) != 0 {
			t.Errorf("resolved message still in triage: %+v", rows)
		}

		// Retry: only a failed message whose raw was kept, once.
		if err := staffA.RequestMailRetry(ctx, e.ID); err == nil {
			t.Error("retry of an unmatched message accepted")
		}
		failed := mailEntry(4, "<f@x>", store.MailFailedIssue)
		failed.RawSHA256 = "ffee"
		if err := in.RecordMessage(ctx, failed); err != nil {
			t.Fatal(err)
		}
		if err := in.FinishMessage(ctx, failed); err != nil {
			t.Fatal(err)
		}
		if err := staffB.RequestMailRetry(ctx, failed.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD B retried AD A's message: %v", err)
		}
		if err := staffA.RequestMailRetry(ctx, failed.ID); err != nil {
			t.Fatal(err)
		}
		if err := staffA.RequestMailRetry(ctx, failed.ID); err != nil {
			t.Errorf("second retry request = %v", err)
		}
		pending, err := sys.PendingRetries(ctx, testBox)
		if err != nil || len(pending) != 1 || pending[0].ID != failed.ID {
			t.Fatalf("pending retries = %+v, %v", pending, err)
		}
		if ok, _ := sys.MessageIDRecorded(ctx, testBox, "<f@x>"); ok {
			t.Error("a message to retry still counts as received")
		}
		if err := sys.MarkRetried(ctx, failed.ID); err != nil {
			t.Fatal(err)
		}
		if pending, _ := sys.PendingRetries(ctx, testBox); len(pending) != 0 {
			t.Errorf("still pending after MarkRetried: %+v", pending)
		}

		// The ledger, filtered.
		list, n, err := staffA.MailLedger(ctx, store.MailFilter{Issue: store.MailFailedIssue})
		if err != nil || n != 1 || list[0].ID != failed.ID {
			t.Errorf("ledger filtered on failed = %+v (%d), %v", list, n, err)
		}
		if _, n, _ := staffA.MailLedger(ctx, store.MailFilter{From: time.Now().Add(time.Hour)}); n != 0 {
			t.Errorf("ledger from the future = %d rows", n)
		}
		if boxes, err := staffA.MailMailboxes(ctx); err != nil || len(boxes) != 1 || boxes[0] != testBox {
			t.Errorf("mailboxes = %v, %v", boxes, err)
		}
	})
}

// TestMailboxConfig keeps the URL (and its password) when the form leaves
// it empty.
func TestMailboxConfig(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a, _ := db.ForAD(ctx, f.adA.ID, nil)
		if _, err := a.MailboxConfig(ctx); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("config before any = %v", err)
		}
		url := "imaps://documents%40occe31.fr:s3cret@imap.test/INBOX"
		if err := a.SetMailboxConfig(ctx, store.MailboxConfig{URL: url, Processed: "Traites", Enabled: true}, "imaps://x"); err != nil {
			t.Fatal(err)
		}
		if err := a.SetMailboxConfig(ctx, store.MailboxConfig{Processed: "Faits", Enabled: false}, "imaps://x"); err != nil {
			t.Fatal(err)
		}
		m, err := a.MailboxConfig(ctx)
		if err != nil || m.URL != url || m.Processed != "Faits" || m.Enabled {
			t.Fatalf("config = %+v, %v", m, err)
		}
		all, err := db.System().Mailboxes(ctx)
		if err != nil || len(all) != 1 || all[0].ADID != f.adA.ID {
			t.Fatalf("mailboxes = %+v, %v", all, err)
		}
		b, _ := db.ForAD(ctx, f.adB.ID, nil)
		if _, err := b.MailboxConfig(ctx); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD B sees AD A's mailbox: %v", err)
		}
	})
}
