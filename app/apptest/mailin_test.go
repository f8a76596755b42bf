package apptest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/mailin"
	"retkoop/workflow"
)

// TestMailinEndToEnd takes the golden messages of several mail clients
// through the in-memory IMAP server, the real poller and the app's sink on
// both databases: documents attached to the right coop's dossier items,
// the rest in the triage, one acknowledgement per message in the outbox,
// every message moved to Traites, and nothing new on a second pass.
func TestMailinEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newMailFixture(t, db)
		cs, _ := db.ForCoop(ctx, f.coops["0312345F"].ID, nil)
		camp, err := cs.Campaign(ctx, "2025-2026")
		if err != nil {
			t.Fatal(err)
		}
		token := workflow.Token(f.app.Cfg.Secret, f.coops["0312345F"].ID, camp.ID)
		reply := bytes.ReplaceAll(golden(t, "reply_token.eml"), []byte("k7Hq2mZp"), []byte(token))
		f.appendMail(golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "apple_mail.eml"), golden(t, "thunderbird.eml"),
			golden(t, "iphone_heic.eml"), reply, golden(t, "signature_only.eml"), golden(t, "fake_pdf.eml"),
			golden(t, "ambiguous_sender.eml"), golden(t, "forwarded.eml"))

		results, err := f.pass(nil)
		if err != nil {
			t.Fatalf("pass: %v", err)
		}
		want := []struct {
			uai, typ string
			issue    mailin.Issue
			docs     int
		}{
			{"0310036W", "quitus", mailin.IssueStored, 1},
			{"0311234Y", "releve", mailin.IssueStored, 1},
			{"0310999T", "quitus", mailin.IssueStored, 1},
			{"0312345F", "justificatifs_subventions", mailin.IssueStored, 1},
			{"0310999T", "", mailin.IssueStored, 1}, // HEIC photo, no type: à classer
			{"0312345F", "releve", mailin.IssueStored, 1},
			{"", "quitus", mailin.IssueNoAttachment, 0},
			{"0310036W", "quitus", mailin.IssueRejected, 0},
			{"", "", mailin.IssueUnmatched, 1},
			{"0311234Y", "justificatifs_subventions", mailin.IssueStored, 1},
		}
		if len(results) != len(want) {
			t.Fatalf("%d results, want %d: %+v", len(results), len(want), results)
		}
		for i, r := range results {
			w := want[i]
			if r.UAI != w.uai || r.Type != w.typ || r.Issue != w.issue || r.Documents != w.docs || r.UID != uint32(i+1) {
				t.Errorf("result %d = %s, want uai %q type %q issue %s documents %d", i+1, r.JSON(), w.uai, w.typ, w.issue, w.docs)
			}
		}

		// The dossiers.
		for _, c := range []struct {
			uai  string
			item workflow.ItemKey
			n    int
		}{
			{"0310036W", workflow.Quitus, 1}, {"0311234Y", workflow.Releve, 1}, {"0310999T", workflow.Quitus, 1},
			{"0312345F", workflow.Justificatifs, 1}, {"0312345F", workflow.Releve, 1}, {"0311234Y", workflow.Justificatifs, 1},
			{"0310036W", workflow.Releve, 0}, {"0310100R", workflow.Quitus, 0},
		} {
			it := f.item(c.uai, c.item)
			if len(it.Documents) != c.n {
				t.Errorf("%s %s: %d documents, want %d", c.uai, c.item, len(it.Documents), c.n)
				continue
			}
			if c.n > 0 && (it.Status != workflow.ItemRecu || it.Documents[0].Source != workflow.SourceMail) {
				t.Errorf("%s %s = %+v, want reçu par courriel", c.uai, c.item, it)
			}
		}

		// The triage: the HEIC photo (coop known, type not) and the
		// ambiguous sender's file, with the first of its coops suggested.
		scope, _ := db.ForAD(ctx, f.adA.ID, nil)
		rows, files, err := scope.MailTriage(ctx, 10)
		if err != nil || len(rows) != 2 {
			t.Fatalf("triage = %+v, %v", rows, err)
		}
		amb, heic := rows[0], rows[1]
		if amb.UID != 9 || amb.CoopID != nil || amb.SuggestedUAI != "0310100R" || len(files[amb.ID]) != 1 || files[amb.ID][0].DocumentID != nil {
			t.Errorf("ambiguous sender in triage = %+v %+v", amb, files[amb.ID])
		}
		if heic.UID != 5 || heic.CoopUAI != "0310999T" || len(files[heic.ID]) != 1 || files[heic.ID][0].DocumentID == nil ||
			files[heic.ID][0].MIME != "image/heic" {
			t.Errorf("HEIC photo in triage = %+v %+v", heic, files[heic.ID])
		}

		// One acknowledgement per message, with what was recognised and
		// what is still missing.
		acks := f.acks()
		if len(acks) != len(want) {
			t.Fatalf("%d acknowledgements, want %d", len(acks), len(want))
		}
		first := acks[0]
		if first.To != "marie.dupont@gmail.com" || first.CoopID == nil || *first.CoopID != f.coops["0310036W"].ID ||
			!strings.Contains(first.Text, "Quitus de la commission") || !strings.Contains(first.Text, "il manque encore") ||
			!strings.Contains(first.Text, "Relevé bancaire au 31 août") || strings.Contains(first.Text, "  - Quitus de la commission de contrôle des comptes\n") {
			t.Errorf("acknowledgement of the quitus:\n%s", first.Text)
		}
		if !strings.Contains(first.ReplyTo, "documents+") {
			t.Errorf("acknowledgement Reply-To = %q, want the coop's token address", first.ReplyTo)
		}
		if a := acks[8]; a.CoopID != nil || !strings.Contains(a.Text, "va classer ces documents") {
			t.Errorf("acknowledgement of the unmatched message (coop %v):\n%s", a.CoopID, a.Text)
		}
		if a := acks[6]; !strings.Contains(a.Text, "aucun document") {
			t.Errorf("acknowledgement of the message without attachment:\n%s", a.Text)
		}
		if a := acks[7]; !strings.Contains(a.Text, "Fichiers refusés") || a.CoopID == nil || *a.CoopID != f.coops["0310036W"].ID {
			t.Errorf("acknowledgement of the fake PDF:\n%s", a.Text)
		}

		if got := f.folder("INBOX"); len(got) != 0 {
			t.Errorf("INBOX still holds %v", got)
		}
		if got := f.folder("Traites"); len(got) != len(want) {
			t.Errorf("Traites holds %d messages, want %d", len(got), len(want))
		}
		again, err := f.pass(nil)
		if err != nil || len(again) != 0 {
			t.Fatalf("second pass = %+v, %v; want nothing", again, err)
		}

		// The same mail again (same Message-ID): a duplicate, no second
		// acknowledgement. The same file in a new mail: a duplicate too,
		// acknowledged as already received.
		pdf := testPDF("relevé Jules Ferry")
		f.appendMail(golden(t, "gmail.eml"),
			buildMail("Jean Martin <j.martin@orange.fr>", "documents@occe31.test", "Relevé", "<r1@orange.fr>", "Le relevé.", filePart{"releve.pdf", "application/pdf", pdf}),
			buildMail("Jean Martin <j.martin@orange.fr>", "documents@occe31.test", "Relevé encore", "<r2@orange.fr>", "Le relevé.", filePart{"releve.pdf", "application/pdf", pdf}))
		third, err := f.pass(nil)
		if err != nil || len(third) != 3 {
			t.Fatalf("third pass = %+v, %v", third, err)
		}
		if third[0].Issue != mailin.IssueDuplicate || third[1].Issue != mailin.IssueStored || third[2].Issue != mailin.IssueDuplicate {
			t.Errorf("third pass issues = %s %s %s, want duplicate stored duplicate", third[0].Issue, third[1].Issue, third[2].Issue)
		}
		acks = f.acks()
		if len(acks) != len(want)+2 || !strings.Contains(acks[len(acks)-1].Text, "Déjà reçus") {
			t.Errorf("%d acknowledgements after the third pass, last:\n%s", len(acks), acks[len(acks)-1].Text)
		}
		if it := f.item("0311234Y", workflow.Releve); len(it.Documents) != 2 {
			t.Errorf("Jules Ferry's relevé has %d documents, want 2", len(it.Documents))
		}
		if n := len(f.ledger()); n != len(want)+3 {
			t.Errorf("ledger has %d rows, want %d", n, len(want)+3)
		}
	})
}

// TestMailinCrashBetweenStoreAndMark stops a pass after the sink committed
// and before the message was moved (mailin.Poller.AfterStore): the next
// pass only moves that message and handles the rest, so that each message
// is stored, attached and acknowledged exactly once.
func TestMailinCrashBetweenStoreAndMark(t *testing.T) {
	f := newMailFixture(t, storetest.SQLite(t))
	f.appendMail(golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "thunderbird.eml"))
	crash := errors.New("simulated crash")
	stored := 0
	res, err := f.pass(func(p *mailin.Poller) {
		p.AfterStore = func(m *mailin.Message) error {
			if stored++; m.UID == 2 {
				return crash
			}
			return nil
		}
	})
	if !errors.Is(err, crash) || len(res) != 2 {
		t.Fatalf("crashed pass = %+v, %v", res, err)
	}
	if got := f.folder("INBOX"); len(got) != 2 {
		t.Fatalf("INBOX after the crash = %v, want uids 2 and 3", got)
	}
	res, err = f.pass(nil)
	if err != nil || len(res) != 1 || res[0].UID != 3 {
		t.Fatalf("pass after the crash = %+v, %v; want only uid 3 reported", res, err)
	}
	if got := f.folder("INBOX"); len(got) != 0 {
		t.Errorf("INBOX still holds %v", got)
	}
	if n := len(f.ledger()); n != 3 {
		t.Errorf("ledger has %d rows, want 3", n)
	}
	if n := len(f.acks()); n != 3 {
		t.Errorf("%d acknowledgements, want 3", n)
	}
	for _, c := range []struct {
		uai  string
		item workflow.ItemKey
	}{{"0310036W", workflow.Quitus}, {"0311234Y", workflow.Releve}, {"0312345F", workflow.Justificatifs}} {
		if it := f.item(c.uai, c.item); len(it.Documents) != 1 {
			t.Errorf("%s %s has %d documents, want 1", c.uai, c.item, len(it.Documents))
		}
	}
}
