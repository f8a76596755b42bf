package apptest

import (
	"context"
	"strings"

	"retkoop/app/store"
)

// seedMailVictims gives AD B's mailbox a message in its triage (the
// :message victim) with a file of its own (the :piece victim), and a failed
// message that could be retried, all naming the victim coop so that a leak
// shows in a page.
func (w *world) seedMailVictims() {
	ctx := context.Background()
	st, err := w.app.Docs().Put(strings.NewReader("%PDF-1.4\n% courrier Victime Bêta 0700001L\n%%EOF\n"))
	if err != nil {
		w.t.Fatal(err)
	}
	in := w.db.System().MailIn(w.adB.ID)
	err = in.Tx(ctx, func(tx *store.MailIn) error {
		e := &store.MailEntry{Mailbox: "imap://documents@occe70.test:993/INBOX", UIDValidity: 1, UID: 1, MessageID: "<victime@b>",
			From: "0700001l@ecole.example", FromName: "Victime Bêta", Subject: "Quitus Victime Bêta 0700001L", Issue: store.MailUnmatched,
			Excerpt: "Victime Bêta 0700001L", Documents: 1, SuggestedCoopID: &w.coopB.ID}
		if err := tx.RecordMessage(ctx, e); err != nil {
			return err
		}
		w.extraVictims["message"] = itoa(e.ID)
		at := &store.MailAttachment{LedgerID: e.ID, Name: "quitus-victime-beta-0700001L.pdf", MIME: st.MIME, Size: st.Size, SHA256: st.SHA256,
			Status: store.AttachmentTriage}
		if err := tx.AddAttachment(ctx, at); err != nil {
			return err
		}
		w.extraVictims["piece"] = itoa(at.ID)
		failed := &store.MailEntry{Mailbox: e.Mailbox, UIDValidity: 1, UID: 2, From: e.From, Subject: "Victime Bêta", Issue: store.MailFailedIssue,
			Reason: "Victime Bêta 0700001L", RawSHA256: "abcdef"}
		return tx.RecordMessage(ctx, failed)
	})
	if err != nil {
		w.t.Fatal(err)
	}
}
