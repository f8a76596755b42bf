package apptest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/mailin"
	"retkoop/workflow"
)

// triageFixture has run one pass over two messages that wait in the
// triage: the ambiguous sender's PDF (coop unknown) and a HEIC photo (coop
// known, type unknown).
func triageFixture(t *testing.T) (*mailFixture, store.MailEntry, store.MailAttachment, store.MailAttachment) {
	t.Helper()
	f := newMailFixture(t, storetest.SQLite(t))
	f.appendMail(golden(t, "ambiguous_sender.eml"), golden(t, "iphone_heic.eml"))
	if res, err := f.pass(nil); err != nil || len(res) != 2 {
		t.Fatalf("pass = %+v, %v", res, err)
	}
	scope, _ := f.db.ForAD(context.Background(), f.adA.ID, nil)
	rows, files, err := scope.MailTriage(context.Background(), 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("triage = %+v, %v", rows, err)
	}
	return f, rows[1], files[rows[1].ID][0], files[rows[0].ID][0] // oldest first: ambiguous, then HEIC
}

func TestMailTriagePageAndAssign(t *testing.T) {
	f, amb, pdf, heic := triageFixture(t)
	staff := f.login("staff@a.example")

	res := staff.get("/ad/courrier")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("triage page: %d", res.StatusCode)
	}
	doc := staff.doc(res)
	if n := doc.Find(".mail-message").Length(); n != 2 {
		t.Errorf("%d messages in the triage, want 2", n)
	}
	if v, _ := doc.Find(fmt.Sprintf("#uai-%d", pdf.ID)).Attr("value"); v != "0310100R" {
		t.Errorf("suggested UAI = %q, want 0310100R", v)
	}
	if v, _ := doc.Find(fmt.Sprintf("#uai-%d", heic.ID)).Attr("value"); v != "0310999T" {
		t.Errorf("HEIC photo's UAI = %q, want its coop 0310999T", v)
	}
	if doc.Find(fmt.Sprintf(`#mail-file-%d iframe[src="/ad/courrier/pieces/%d"]`, pdf.ID, pdf.ID)).Length() != 1 {
		t.Error("no inline viewer for the PDF")
	}
	frag := staff.get("/ad/courrier", "HX-Request", "true")
	if b := body(t, frag); frag.StatusCode != 200 || strings.Contains(b, "<html") || !strings.Contains(b, "mail-triage") || frag.Header.Get("Vary") != "HX-Request" {
		t.Errorf("htmx fragment: %d, vary %q", frag.StatusCode, frag.Header.Get("Vary"))
	}

	// The file itself, inline, with its sniffed type.
	file := staff.get(fmt.Sprintf("/ad/courrier/pieces/%d", pdf.ID))
	if file.StatusCode != 200 || file.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body(t, file), "%PDF") {
		t.Errorf("file: %d %s", file.StatusCode, file.Header.Get("Content-Type"))
	}

	// Assign the unmatched PDF: the item becomes "reçu", by mail, stamped
	// with the staff member; a second click changes nothing.
	path := fmt.Sprintf("/ad/courrier/pieces/%d/classer", pdf.ID)
	res = staff.post(path, url.Values{"uai": {"0310100r"}, "element": {"quitus"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ad/courrier?ok=classe" {
		t.Fatalf("assign: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	it := f.item("0310100R", workflow.Quitus)
	if it.Status != workflow.ItemRecu || len(it.Documents) != 1 || it.Documents[0].Source != workflow.SourceMail {
		t.Fatalf("quitus of 0310100R = %+v", it)
	}
	res = staff.post(path, url.Values{"uai": {"0310100R"}, "element": {"quitus"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ad/courrier?ok=deja" {
		t.Errorf("second assign: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if it := f.item("0310100R", workflow.Quitus); len(it.Documents) != 1 {
		t.Errorf("second assign added a document: %+v", it)
	}
	if res := staff.post(path, url.Values{"uai": {"0311234Y"}, "element": {"releve"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("assign elsewhere after resolution: %d, want 422", res.StatusCode)
	}
	cs, _ := f.db.ForCoop(context.Background(), f.coops["0310100R"].ID, nil)
	row, _, _ := cs.Dossier(context.Background(), "2025-2026")
	hist, _ := cs.DossierHistory(context.Background(), row.ID)
	if len(hist) == 0 || !strings.Contains(hist[len(hist)-1].By, "staff@a.example") {
		t.Errorf("history = %+v, want the staff member", hist)
	}

	// The HEIC photo: its coop's document already exists; the form's
	// values, and the message page as the way back.
	if res := staff.post(fmt.Sprintf("/ad/courrier/pieces/%d/classer", heic.ID), url.Values{"uai": {"0310999T"}, "element": {"cloture"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("assign to a step item: %d, want 422", res.StatusCode)
	}
	if res := staff.post(fmt.Sprintf("/ad/courrier/pieces/%d/classer", heic.ID), url.Values{"uai": {"0999999Z"}, "element": {"releve"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("assign to an unknown UAI: %d, want 422", res.StatusCode)
	}
	res = staff.post(fmt.Sprintf("/ad/courrier/pieces/%d/classer", heic.ID), url.Values{"uai": {"0310999T"}, "element": {"releve"}, "message": {itoa(heic.LedgerID)}})
	if want := fmt.Sprintf("/ad/courrier/messages/%d?ok=classe", heic.LedgerID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("assign from the message page: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if it := f.item("0310999T", workflow.Releve); it.Status != workflow.ItemRecu || len(it.Documents) != 1 || heic.DocumentID == nil || it.Documents[0].ID != *heic.DocumentID {
		t.Errorf("relevé of 0310999T = %+v, want the photo's document %v", it, heic.DocumentID)
	}
	doc = staff.doc(staff.get("/ad/courrier"))
	if got := strings.TrimSpace(doc.Find("#triage-count").Text()); got != "Aucun document à classer." {
		t.Errorf("triage count = %q", got)
	}
	msg := staff.doc(staff.get(fmt.Sprintf("/ad/courrier/messages/%d", amb.ID)))
	if got := msg.Find(fmt.Sprintf("#mail-file-%d", pdf.ID)).AttrOr("data-status", ""); got != store.AttachmentStored {
		t.Errorf("message page shows the file as %q", got)
	}
}

func TestMailTriageForeignAndDismiss(t *testing.T) {
	f, amb, pdf, _ := triageFixture(t)
	other := f.login("staff@b.example")
	for _, p := range []string{fmt.Sprintf("/ad/courrier/pieces/%d", pdf.ID), fmt.Sprintf("/ad/courrier/messages/%d", amb.ID)} {
		if res := other.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("AD B GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	for _, p := range []string{fmt.Sprintf("/ad/courrier/pieces/%d/classer", pdf.ID), fmt.Sprintf("/ad/courrier/pieces/%d/ecarter", pdf.ID),
		fmt.Sprintf("/ad/courrier/messages/%d/reessayer", amb.ID)} {
		if res := other.post(p, url.Values{"uai": {"0700001L"}, "element": {"quitus"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("AD B POST %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := f.login("0310100R").get("/ad/courrier"); res.StatusCode != http.StatusNotFound {
		t.Errorf("mandataire on the triage: %d, want 404", res.StatusCode)
	}
	if doc := other.doc(other.get("/ad/courrier")); doc.Find(".mail-message").Length() != 0 {
		t.Error("AD B sees AD A's triage")
	}

	staff := f.login("staff@a.example")
	res := staff.post(fmt.Sprintf("/ad/courrier/pieces/%d/ecarter", pdf.ID), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ad/courrier?ok=ecarte" {
		t.Fatalf("dismiss: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := staff.post(fmt.Sprintf("/ad/courrier/pieces/%d/classer", pdf.ID), url.Values{"uai": {"0310100R"}, "element": {"quitus"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("assign a dismissed file: %d, want 422", res.StatusCode)
	}
	if doc := staff.doc(staff.get("/ad/courrier")); doc.Find(fmt.Sprintf("#mail-message-%d", amb.ID)).Length() != 0 {
		t.Error("the dismissed file's message is still in the triage")
	}
}

// flakySink fails the first n calls, as a database that refuses writes.
type flakySink struct {
	mailin.Sink
	n int
}

func (s *flakySink) Store(ctx context.Context, m *mailin.Message) (mailin.Issue, error) {
	if s.n > 0 {
		s.n--
		return "", errors.New("disque plein")
	}
	return s.Sink.Store(ctx, m)
}

// TestMailRetry: a message the sink refused is recorded as failed with its
// raw copy kept; the staff's retry puts it back in the mailbox, where the
// next pass handles it like a new message.
func TestMailRetry(t *testing.T) {
	f := newMailFixture(t, storetest.SQLite(t))
	f.appendMail(golden(t, "gmail.eml"))
	res, err := f.pass(func(p *mailin.Poller) { p.Sink = &flakySink{Sink: p.Sink, n: 2} })
	if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueFailed {
		t.Fatalf("pass with a failing database = %+v, %v", res, err)
	}
	failed := f.ledger()[0]
	if failed.RawSHA256 == "" || failed.Retry != "" {
		t.Fatalf("failed row = %+v", failed)
	}
	if n := len(f.acks()); n != 0 {
		t.Errorf("%d acknowledgements for a failed message", n)
	}
	staff := f.login("staff@a.example")
	doc := staff.doc(staff.get("/ad/courrier"))
	if doc.Find(fmt.Sprintf(`#mail-message-%d form[action="/ad/courrier/messages/%d/reessayer"]`, failed.ID, failed.ID)).Length() != 1 {
		t.Fatal("no retry button in the triage for the failed message")
	}
	r := staff.post(fmt.Sprintf("/ad/courrier/messages/%d/reessayer", failed.ID), nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: %d", r.StatusCode)
	}
	res, err = f.pass(nil)
	if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueStored || res[0].UID != 2 || res[0].UAI != "0310036W" {
		t.Fatalf("pass after the retry = %+v, %v", res, err)
	}
	if it := f.item("0310036W", workflow.Quitus); len(it.Documents) != 1 {
		t.Errorf("quitus after the retry = %+v", it)
	}
	if l := f.ledger(); len(l) != 2 || l[0].Retry != store.RetryDone {
		t.Errorf("ledger after the retry = %+v", l)
	}
	if res, _ := f.pass(nil); len(res) != 0 {
		t.Errorf("a third pass handled %+v", res)
	}
	if r := staff.post(fmt.Sprintf("/ad/courrier/messages/%d/reessayer", f.ledger()[1].ID), nil); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("retry of a stored message: %d, want 422", r.StatusCode)
	}
}

func TestMailLedgerPage(t *testing.T) {
	f := newMailFixture(t, storetest.SQLite(t))
	f.appendMail(golden(t, "gmail.eml"), golden(t, "ambiguous_sender.eml"), golden(t, "signature_only.eml"))
	if _, err := f.pass(nil); err != nil {
		t.Fatal(err)
	}
	staff := f.login("staff@a.example")
	doc := staff.doc(staff.get("/ad/courrier/journal"))
	if n := doc.Find("#ledger tbody tr").Length(); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	doc = staff.doc(staff.get("/ad/courrier/journal?issue=unmatched"))
	rows := doc.Find("#ledger tbody tr")
	if rows.Length() != 1 || rows.AttrOr("data-issue", "") != "unmatched" {
		t.Errorf("filtered on unmatched: %d rows", rows.Length())
	}
	if n := staff.doc(staff.get("/ad/courrier/journal?au=2020-01-01")).Find("#ledger tbody tr").Length(); n != 0 {
		t.Errorf("%d rows before 2020", n)
	}
	if res := staff.get("/ad/courrier/journal?du=hier"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d, want 422", res.StatusCode)
	}
}

func TestMailboxSettings(t *testing.T) {
	f := newMailFixture(t, storetest.SQLite(t))
	if res := f.login("staff@a.example").get("/ad/courrier/boite"); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff on the mailbox settings: %d, want 404", res.StatusCode)
	}
	admin := f.login("admin@a.example")
	b := body(t, admin.get("/ad/courrier/boite"))
	if !strings.Contains(b, "RETKOOP_IMAP_URL") || strings.Contains(b, f.imap.Password) {
		t.Errorf("settings page before any mailbox:\n%s", b)
	}
	for _, bad := range []string{"http://x", "imap://u:p@imap.example.org/INBOX?tls=none", "imaps://u:p@imap.example.org/INBOX?foo=1"} {
		if res := admin.post("/ad/courrier/boite", url.Values{"url": {bad}, "traites": {"Traites"}, "active": {"1"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("url %q: %d, want 422", bad, res.StatusCode)
		}
	}
	own := "imaps://documents%40occe31.fr:Tr%C3%A8sSecret@imap.occe31.example/INBOX"
	res := admin.post("/ad/courrier/boite", url.Values{"url": {own}, "traites": {"Classés"}, "active": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	b = body(t, admin.get("/ad/courrier/boite"))
	if strings.Contains(b, "TrèsSecret") || strings.Contains(b, "Tr%C3%A8sSecret") || !strings.Contains(b, "imap.occe31.example") {
		t.Errorf("settings page shows the password or not the mailbox:\n%s", b)
	}
	// The app's mailbox replaces RETKOOP_IMAP_URL for the AD.
	boxes, err := f.app.Worker.Mailboxes(context.Background())
	if err != nil || len(boxes) != 1 || boxes[0].Mailbox().Addr != "imap.occe31.example:993" || boxes[0].Mailbox().Processed != "Classés" || boxes[0].Mailbox().Password != "TrèsSecret" {
		t.Fatalf("mailboxes = %+v, %v", boxes, err)
	}
	// Saving without a URL keeps it; unchecking suspends the polling.
	if res := admin.post("/ad/courrier/boite", url.Values{"url": {""}, "traites": {"Classés"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save without url: %d", res.StatusCode)
	}
	if boxes, _ := f.app.Worker.Mailboxes(context.Background()); len(boxes) != 0 {
		t.Errorf("suspended mailbox still polled: %+v", boxes)
	}
	scope, _ := f.db.ForAD(context.Background(), f.adA.ID, nil)
	if m, _ := scope.MailboxConfig(context.Background()); m == nil || m.URL != own || m.Enabled {
		t.Errorf("config after saving without url = %+v", m)
	}
}
