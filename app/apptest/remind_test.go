package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"retkoop/app/cli"
	"retkoop/app/docstore"
	"retkoop/app/mail/mailtest"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/app/worker"
	"retkoop/workflow"
)

// remindEnv is a world whose database the CLI opens too, and the
// environment of `retkoop remind` run against it.
type remindEnv struct {
	*world
	dsn  string
	smtp *mailtest.Server
	env  map[string]string
}

// imapURL gives the default AD (OCCE 31, created first) its published
// mailbox, so that its reminders carry documents+TOKEN@occe31.example.
const imapURL = "imaps://documents%40occe31.example:pw@127.0.0.1/INBOX"

func newRemindEnv(t *testing.T, dsn string, db *store.DB) *remindEnv {
	t.Helper()
	w := newWorldOn(t, db)
	e := &remindEnv{world: w, dsn: dsn, smtp: mailtest.Start(t)}
	e.env = map[string]string{
		"RETKOOP_DATABASE": dsn, "RETKOOP_DATA_DIR": w.app.Cfg.DataDir, "RETKOOP_SECRET": string(w.app.Cfg.Secret),
		"RETKOOP_SMTP_URL": e.smtp.URL(), "RETKOOP_MAIL_FROM": "OCCE <no-reply@occe.example>",
		"RETKOOP_IMAP_URL": imapURL, "RETKOOP_BASE_URL": "https://retkoop.example",
	}
	return e
}

// newSQLiteRemindEnv runs on a SQLite file.
func newSQLiteRemindEnv(t *testing.T) *remindEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "retkoop.db")
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return newRemindEnv(t, "sqlite:"+path, db)
}

// remind runs `retkoop remind ARGS…` and returns its JSON lines.
func (e *remindEnv) remind(args ...string) []worker.ReminderLine {
	e.t.Helper()
	var out, errw bytes.Buffer
	code := cli.Run(&cli.Env{Args: append([]string{"remind"}, args...), Stdout: &out, Stderr: &errw,
		Getenv: func(k string) string { return e.env[k] }, Now: time.Now})
	if code != 0 {
		e.t.Fatalf("remind %v: exit %d\n%s", args, code, errw.String())
	}
	return parseLines(e.t, out.String())
}

func parseLines(t *testing.T, s string) []worker.ReminderLine {
	t.Helper()
	var lines []worker.ReminderLine
	dec := json.NewDecoder(strings.NewReader(s))
	for dec.More() {
		var l worker.ReminderLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("remind output is not JSON lines: %v\n%s", err, s)
		}
		lines = append(lines, l)
	}
	return lines
}

// owe brings the coop's 2025-2026 dossier to the state where exactly the
// items in missing are still owed (no subsidy: the proofs are not asked).
func (w *world) owe(co *store.Coop, missing ...workflow.ItemKey) {
	w.t.Helper()
	ctx := context.Background()
	cs, err := w.db.ForCoop(ctx, co.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF, workflow.Subventions, workflow.Quitus, workflow.Releve} {
		if slices.Contains(missing, k) {
			continue
		}
		if k.IsStep() {
			if _, err := w.app.CompleteStep(ctx, cs, "2025-2026", k, nil); err != nil {
				w.t.Fatalf("complete %s: %v", k, err)
			}
			continue
		}
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		doc, _, err := cs.AddDocument(ctx, docstore.Stored{SHA256: hex.EncodeToString(b), Size: 100, MIME: "application/pdf"}, string(k)+".pdf", "web")
		if err != nil {
			w.t.Fatal(err)
		}
		if _, err := w.app.ReceiveDocument(ctx, cs, "2025-2026", k, workflow.SourceWeb, doc); err != nil {
			w.t.Fatalf("receive %s: %v", k, err)
		}
	}
}

func (w *world) missingOf(co *store.Coop) []string {
	w.t.Helper()
	cs, _ := w.db.ForCoop(context.Background(), co.ID, nil)
	_, d, err := cs.Dossier(context.Background(), "2025-2026")
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, k := range d.Missing() {
		out = append(out, string(k))
	}
	return out
}

// textPart returns the text/plain part of a received message.
func textPart(t *testing.T, m mailtest.Message) (string, map[string]string) {
	t.Helper()
	msg := m.Parse(t)
	headers := map[string]string{}
	for k := range msg.Header {
		headers[k] = msg.Header.Get(k)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			t.Fatalf("no text part: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, _ := io.ReadAll(p)
			return string(b), headers
		}
	}
}

func TestRemindOnceQueuesWhatIsMissingOnce(t *testing.T) {
	e := newSQLiteRemindEnv(t)
	e.owe(e.coopA, workflow.Quitus, workflow.Releve)
	e.owe(e.coopA2) // complete: transmitted, gets nothing
	// AD 70's coop never opened its dossier: it owes everything.

	lines := e.remind("--once", "--at", "2026-09-23") // J-7, a Wednesday
	byUAI := map[string]worker.ReminderLine{}
	for _, l := range lines {
		byUAI[l.UAI] = l
	}
	if len(lines) != 2 || len(byUAI) != 2 {
		t.Fatalf("lines = %+v, want one for 0310036W and one for 0700001L", lines)
	}
	a := byUAI["0310036W"]
	if a.To != "0310036w@ecole.example" || a.Rule != "J-7" || strings.Join(a.Missing, ",") != "quitus,releve" || !strings.Contains(a.Subject, "2025-2026") {
		t.Errorf("coop A line = %+v", a)
	}
	if _, ok := byUAI["0310100R"]; ok {
		t.Error("a complete coop got a reminder")
	}
	b := byUAI["0700001L"]
	if b.Rule != "J-7" || strings.Join(b.Missing, ",") != strings.Join(e.missingOf(e.coopB), ",") || len(b.Missing) < 5 {
		t.Errorf("coop B line = %+v, dossier owes %v", b, e.missingOf(e.coopB))
	}

	// Delivered over SMTP, each once, saying exactly what is missing.
	got := e.smtp.Messages()
	if len(got) != 2 {
		t.Fatalf("%d mails delivered, want 2", len(got))
	}
	var text string
	var h map[string]string
	for _, m := range got {
		if m.To[0] == "0310036w@ecole.example" {
			text, h = textPart(t, m)
		}
	}
	for _, k := range []workflow.ItemKey{workflow.Quitus, workflow.Releve} {
		if !strings.Contains(text, "  - "+k.Label()) {
			t.Errorf("reminder does not list %q:\n%s", k.Label(), text)
		}
	}
	for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF, workflow.Subventions, workflow.Justificatifs} {
		if strings.Contains(text, k.Label()) {
			t.Errorf("reminder lists %q, which was received:\n%s", k.Label(), text)
		}
	}
	if !strings.Contains(text, "https://retkoop.example/coop") || !strings.Contains(text, "OCCE 31") {
		t.Errorf("reminder lacks the link or the AD's name:\n%s", text)
	}
	camp, _ := e.db.System().EnsureCampaign(context.Background(), e.adA.ID, "2025-2026")
	wantReply := "<documents+" + workflow.Token(e.app.Cfg.Secret, e.coopA.ID, camp.ID) + "@occe31.example>"
	if h["Reply-To"] != wantReply || h["Auto-Submitted"] != "auto-generated" || h["Message-Id"] == "" || h["Date"] == "" {
		t.Errorf("headers = %v, want Reply-To %s", h, wantReply)
	}
	local, _, _ := strings.Cut(strings.Trim(h["Reply-To"], "<>"), "@")
	if coop, c, ok := workflow.ParseToken(e.app.Cfg.Secret, strings.TrimPrefix(local, "documents+")); !ok || coop != e.coopA.ID || c != camp.ID {
		t.Errorf("Reply-To token does not name the coop and campaign: %s", h["Reply-To"])
	}

	// The same date again: nothing new, nothing sent again.
	if again := e.remind("--once", "--at", "2026-09-23"); len(again) != 0 {
		t.Fatalf("second run queued %+v", again)
	}
	// A Sunday, and a date in the summer break: nothing.
	if l := e.remind("--once", "--at", "2026-09-27"); len(l) != 0 {
		t.Fatalf("Sunday run queued %+v", l)
	}
	// J-1: the next rule goes out once.
	if l := e.remind("--once", "--at", "2026-09-29"); len(l) != 2 || l[0].Rule != "J-1" {
		t.Fatalf("J-1 run = %+v", l)
	}
	if n := len(e.smtp.Messages()); n != 4 {
		t.Fatalf("%d mails delivered after J-1, want 4", n)
	}
	// Once the coop sends what it owed, it gets nothing more.
	e.owe(e.coopA)
	if l := e.remind("--once", "--at", "2026-10-01"); len(l) != 1 || l[0].UAI != "0700001L" || l[0].Rule != "J+1" {
		t.Fatalf("J+1 run = %+v, want only the coop still owing", l)
	}
}

func TestRemindAfterDowntimeSendsTheLatestRuleOnce(t *testing.T) {
	e := newSQLiteRemindEnv(t)
	e.owe(e.coopA, workflow.Quitus)
	e.owe(e.coopA2)
	// The scheduler was down from before J-21 to J+3: one reminder (J+1),
	// not one per rule missed.
	l := e.remind("--once", "--at", "2026-10-03")
	if len(l) != 2 || l[0].Rule != "J+1" || l[1].Rule != "J+1" {
		t.Fatalf("lines = %+v", l)
	}
	if l := e.remind("--once", "--at", "2026-10-06"); len(l) != 0 {
		t.Fatalf("rerun before the next repeat = %+v", l)
	}
	if l := e.remind("--once", "--at", "2026-10-15"); len(l) != 2 || l[0].Rule != "J+15" {
		t.Fatalf("repeat = %+v", l)
	}
}

func TestRemindConcurrentRunsSendEachReminderOnce(t *testing.T) {
	run := func(t *testing.T, e *remindEnv) {
		e.owe(e.coopA, workflow.Releve)
		e.owe(e.coopA2)
		var mu sync.Mutex
		var all []worker.ReminderLine
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var out, errw bytes.Buffer
				code := cli.Run(&cli.Env{Args: []string{"remind", "--once", "--at", "2026-09-23"}, Stdout: &out, Stderr: &errw,
					Getenv: func(k string) string { return e.env[k] }, Now: time.Now})
				if code != 0 {
					t.Errorf("concurrent remind: exit %d: %s", code, errw.String())
					return
				}
				mu.Lock()
				all = append(all, parseLines(t, out.String())...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, l := range all {
			count[l.UAI]++
		}
		if len(all) != 2 || count["0310036W"] != 1 || count["0700001L"] != 1 {
			t.Fatalf("concurrent runs queued %+v", all)
		}
		// Whichever run delivered, each mail went out once.
		if len(e.remind("--once", "--at", "2026-09-23")) != 0 {
			t.Fatal("a later run queued again")
		}
		if n := len(e.smtp.Messages()); n != 2 {
			t.Fatalf("%d mails delivered, want 2", n)
		}
		adA, _ := e.db.ForAD(context.Background(), e.adA.ID, nil)
		mails, _ := adA.CoopMails(context.Background(), e.coopA.ID)
		if len(mails) != 1 || mails[0].Status != store.MailSent || mails[0].Attempts != 1 {
			t.Fatalf("coop A outbox = %+v", mails)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, newSQLiteRemindEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		run(t, newRemindEnv(t, dsn, db))
	})
}

func TestRemindWithoutSMTPQueuesAndShowsIt(t *testing.T) {
	e := newSQLiteRemindEnv(t)
	e.owe(e.coopA2)
	delete(e.env, "RETKOOP_SMTP_URL")
	if l := e.remind("--once", "--at", "2026-09-23"); len(l) != 2 {
		t.Fatalf("lines = %+v", l)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d mails sent without SMTP", n)
	}
	c := e.login("staff@a.example")
	doc := c.doc(c.get("/ad/courriels"))
	if got := doc.Find("#outbox tbody tr .mail-status").First().Text(); got != "Non envoyé : aucun serveur SMTP configuré" {
		t.Fatalf("outbox status = %q", got)
	}
	if doc.Find("#no-smtp").Length() != 1 {
		t.Fatal("the outbox does not say that no SMTP server is configured")
	}
	if rows := doc.Find("#outbox tbody tr").Length(); rows != 1 {
		t.Fatalf("AD 31's outbox shows %d rows, want its one reminder", rows)
	}
}

func TestRemindUsage(t *testing.T) {
	var out, errw bytes.Buffer
	get := func(string) string { return "" }
	if code := cli.Run(&cli.Env{Args: []string{"remind", "--at", "2026-09-23"}, Stdout: &out, Stderr: &errw, Getenv: get}); code == 0 {
		t.Fatal("--at without --once accepted")
	}
	if code := cli.Run(&cli.Env{Args: []string{"remind", "--once", "--at", "23/09/2026"}, Stdout: &out, Stderr: &errw, Getenv: get}); code == 0 || !strings.Contains(errw.String(), "AAAA-MM-JJ") {
		t.Fatalf("bad date: %s", errw.String())
	}
	out.Reset()
	if code := cli.Run(&cli.Env{Args: []string{"remind", "--help"}, Stdout: &out, Stderr: &errw, Getenv: get}); code != 0 || !strings.Contains(out.String(), "remind [--once]") {
		t.Fatalf("help: %d %s", code, out.String())
	}
}
