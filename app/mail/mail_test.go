package mail_test

import (
	"context"
	"html"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"retkoop/app/mail"
	"retkoop/app/mail/mailtest"
	"retkoop/templates"
	"retkoop/workflow"
)

func load(t *testing.T) *mail.Templates {
	t.Helper()
	sub, err := fsSub()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://retkoop.occe31.example/app")
	tpl, err := mail.Load(sub, base)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

var ad = mail.Identity{Name: "OCCE 31"}

func deadline() time.Time { return time.Date(2026, 9, 30, 0, 0, 0, 0, workflow.Paris()) }

func TestReminderListsExactlyWhatIsOwed(t *testing.T) {
	tpl := load(t)
	v := mail.ReminderView{CoopName: "École Alpha", UAI: "0310036W", Mandataire: "Mme Durand", Exercice: "2025-2026",
		Deadline: deadline(), ReplyTo: "documents+abc@occe31.example",
		Missing: []workflow.MissingItem{
			{Key: workflow.Quitus, Label: workflow.Quitus.Label()},
			{Key: workflow.Justificatifs, Label: workflow.Justificatifs.Label(), Subsidies: []workflow.Subsidy{{Ref: "1", Label: "Mairie — 500,00 €"}}},
		},
		Corrections: []workflow.OpenCorrection{{Key: workflow.Releve, Label: workflow.Releve.Label(), Reason: "Le relevé <ne couvre pas> le 31 août"}},
	}
	c, err := tpl.Render(mail.Reminder, ad, v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Subject, "2025-2026") || !strings.Contains(c.Subject, "30/09/2026") || strings.Contains(c.Subject, "\n") {
		t.Errorf("subject = %q", c.Subject)
	}
	for _, want := range []string{"Mme Durand", "  - " + workflow.Quitus.Label() + "\n", "Mairie — 500,00 €",
		workflow.Releve.Label() + " : Le relevé <ne couvre pas> le 31 août",
		"https://retkoop.occe31.example/app/coop", "répondre à ce message", "\n-- \nOCCE 31\n"} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, c.Text)
		}
	}
	// Exactly the missing items: none of the others is named.
	for _, k := range []workflow.ItemKey{workflow.CRA, workflow.CRF, workflow.Cloture, workflow.Subventions} {
		if strings.Contains(c.Text, k.Label()) {
			t.Errorf("text names %q, which is not missing", k.Label())
		}
	}
	if strings.Contains(c.HTML, "<ne couvre pas>") || !strings.Contains(c.HTML, "&lt;ne couvre pas&gt;") {
		t.Errorf("HTML does not escape the staff's reason")
	}
	if strings.Contains(c.Text, "\n\n\n") {
		t.Errorf("text has runs of blank lines:\n%s", c.Text)
	}
	// Late, no mailbox: no invitation to reply with attachments.
	v.ReplyTo, v.Late = "", true
	c, _ = tpl.Render(mail.Reminder, mail.Identity{Name: "OCCE 31", Signature: "Marie, trésorière\nOCCE 31"}, v)
	if !strings.HasPrefix(c.Subject, "En retard") || strings.Contains(c.Text, "répondre à ce message") || !strings.Contains(c.Text, "-- \nMarie, trésorière\nOCCE 31") {
		t.Errorf("late reminder:\n%s\n%s", c.Subject, c.Text)
	}
}

func TestEveryMailRenders(t *testing.T) {
	tpl := load(t)
	now := time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC)
	notice := mail.NoticeView{CoopName: "École Alpha", UAI: "0310036W", Exercice: "2025-2026", ItemLabel: "Quitus", Reason: "Signature manquante"}
	for _, tc := range []struct {
		name string
		data any
		want []string
	}{
		{mail.Correction, notice, []string{"Signature manquante", "Quitus"}},
		{mail.Validated, notice, []string{"validé", "École Alpha"}},
		{mail.Reopened, notice, []string{"rouvert", "Signature manquante"}},
		{mail.PasswordReset, mail.ResetView{Name: "Mme Durand", Login: "0310036W", Path: "/reinitialiser/TOKEN", Validity: "1 heure"},
			[]string{"https://retkoop.occe31.example/app/reinitialiser/TOKEN", "1 heure", "0310036W"}},
		{mail.Digest, mail.DigestView{Name: "Agent", Date: now, Exercice: "2025-2026", Deadline: deadline(),
			Arrived:  []mail.DigestArrival{{UAI: "0310036W", CoopName: "École Alpha", What: "quitus.pdf", At: now}},
			ToReview: []mail.DigestCoop{{UAI: "0310100R", CoopName: "École Bêta"}},
			Late:     []mail.DigestCoop{{UAI: "0310200A", CoopName: "École Gamma", DaysLate: 5}}},
			[]string{"quitus.pdf", "École Bêta", "5 jour(s) de retard"}},
	} {
		c, err := tpl.Render(tc.name, ad, tc.data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.Subject == "" || c.HTML == "" {
			t.Errorf("%s: empty part", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(c.Text, w) || !strings.Contains(c.HTML, html.EscapeString(w)) {
				t.Errorf("%s: %q missing from text or HTML:\n%s\n%s", tc.name, w, c.Text, c.HTML)
			}
		}
	}
	if _, err := tpl.Render("inconnu", ad, nil); err == nil {
		t.Error("unknown mail rendered")
	}
}

func TestParseRelay(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want mail.Relay
		ok   bool
	}{
		{"smtp://u:p%40ss@smtp.example:2525", mail.Relay{Host: "smtp.example", Port: 2525, Username: "u", Password: "p@ss", TLS: "starttls"}, true},
		{"smtp://smtp.example", mail.Relay{Host: "smtp.example", Port: 587, TLS: "starttls"}, true},
		{"smtps://smtp.example", mail.Relay{Host: "smtp.example", Port: 465, TLS: "tls"}, true},
		{"smtp://smtp.example?tls=tls", mail.Relay{Host: "smtp.example", Port: 465, TLS: "tls"}, true},
		{"smtp://127.0.0.1:2525?tls=none", mail.Relay{Host: "127.0.0.1", Port: 2525, TLS: "none"}, true},
		{"smtp://localhost?tls=none", mail.Relay{Host: "localhost", Port: 25, TLS: "none"}, true},
		{"smtp://smtp.example?tls=none", mail.Relay{}, false},
		{"smtps://smtp.example?tls=starttls", mail.Relay{}, false},
		{"smtp://smtp.example?tls=maybe", mail.Relay{}, false},
		{"http://smtp.example", mail.Relay{}, false},
		{"smtp://:25", mail.Relay{}, false},
	} {
		got, err := mail.ParseRelay(tc.raw)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRelay(%q) = %+v, %v", tc.raw, got, err)
		}
		if err != nil && strings.Contains(err.Error(), "p@ss") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func TestPolicy(t *testing.T) {
	for attempts, want := range map[int]time.Duration{0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute,
		6: 32 * time.Minute, 7: time.Hour /* 64 min, capped */, 40: time.Hour} {
		if got := mail.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
	if mail.Remaining(0) != mail.RateMax || mail.Remaining(mail.RateMax+5) != 0 || mail.Remaining(150) != 50 {
		t.Error("Remaining")
	}
	id1, id2 := mail.MessageID("remind:1:2:J-7", "OCCE 31 <no-reply@occe31.example>"), mail.MessageID("remind:1:2:J-7", "x@occe31.example")
	if id1 != id2 || !strings.HasSuffix(id1, "@occe31.example") || mail.MessageID("remind:1:2:J-1", "x@occe31.example") == id1 {
		t.Errorf("MessageID = %q, %q", id1, id2)
	}
	for _, tc := range [][3]string{
		{"documents@occe31.example", "abc123", "documents+abc123@occe31.example"},
		{"documents+old@occe31.example", "abc", "documents+abc@occe31.example"},
		{"", "abc", ""},
		{"documents", "abc", ""},
	} {
		if got := mail.ReplyAddress(tc[0], tc[1]); got != tc[2] {
			t.Errorf("ReplyAddress(%q) = %q, want %q", tc[0], got, tc[2])
		}
	}
	for raw, want := range map[string]string{
		"imaps://documents%40occe31.example:pw@imap.example/INBOX":             "documents@occe31.example",
		"imaps://login:pw@imap.example/INBOX?address=documents@occe31.example": "documents@occe31.example",
		"imaps://login:pw@imap.example/INBOX":                                  "",
		"":                                                                     "",
	} {
		if got := mail.MailboxFromIMAPURL(raw); got != want {
			t.Errorf("MailboxFromIMAPURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func envelope(to string) mail.Envelope {
	return mail.Envelope{MessageID: mail.MessageID("k-"+to, "no-reply@occe31.example"), Date: time.Date(2026, 9, 9, 10, 0, 0, 0, workflow.Paris()),
		From: "OCCE 31 <no-reply@occe31.example>", To: to, ReplyTo: "documents+tok@occe31.example",
		Subject: "Rappel : dossier 2025-2026 de l'École Alpha", Text: "Il manque encore :\n  - Quitus\n", HTML: "<p>Il manque encore le quitus</p>"}
}

func dial(t *testing.T, srv *mailtest.Server) *mail.Session {
	t.Helper()
	r, err := mail.ParseRelay(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	ss, err := mail.NewSender(r).Dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	return ss
}

func TestSendSetsTheHeaders(t *testing.T) {
	srv := mailtest.Start(t)
	ss := dial(t, srv)
	e := envelope("ecole@example.org")
	if err := ss.Send(e); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "no-reply@occe31.example" || len(got[0].To) != 1 || got[0].To[0] != "ecole@example.org" {
		t.Fatalf("accepted = %+v", got)
	}
	msg := got[0].Parse(t)
	h := msg.Header
	subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	for k, want := range map[string]string{
		"Message-Id": "<" + e.MessageID + ">", "Auto-Submitted": "auto-generated", "Reply-To": "<documents+tok@occe31.example>",
		"To": "<ecole@example.org>", "X-Auto-Response-Suppress": "All",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if subject != e.Subject {
		t.Errorf("subject = %q", subject)
	}
	if d, err := h.Date(); err != nil || !d.Equal(e.Date) {
		t.Errorf("date = %v, %v", d, err)
	}
	if from, _ := new(mime.WordDecoder).DecodeHeader(h.Get("From")); !strings.Contains(from, "OCCE 31") || !strings.Contains(from, "no-reply@occe31.example") {
		t.Errorf("from = %q", from)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type = %q", h.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts = %v", types)
	}
}

func TestRefusalsAreClassified(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Answer(mailtest.TempFail(), mailtest.PermFail(), nil)
	ss := dial(t, srv)
	err := ss.Send(envelope("a@example.org"))
	if err == nil || mail.Permanent(err) || !strings.Contains(err.Error(), "451") {
		t.Fatalf("451: err = %v, permanent = %v", err, mail.Permanent(err))
	}
	err = ss.Send(envelope("a@example.org"))
	if err == nil || !mail.Permanent(err) || !strings.Contains(err.Error(), "550") {
		t.Fatalf("550: err = %v, permanent = %v", err, mail.Permanent(err))
	}
	// The session survives refusals: the next mail goes through.
	if err := ss.Send(envelope("a@example.org")); err != nil {
		t.Fatal(err)
	}
	srv.RefuseRecipient("nobody@example.org", mailtest.PermFail())
	if err := ss.Send(envelope("nobody@example.org")); !mail.Permanent(err) {
		t.Fatalf("refused recipient: err = %v", err)
	}
	if err := ss.Send(envelope("not an address")); err == nil || !mail.Permanent(err) {
		t.Fatalf("invalid address: err = %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages accepted, want 1", n)
	}
}

func TestDialFailureIsTransient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	r, _ := mail.ParseRelay("smtp://" + addr + "?tls=none")
	_, err = mail.NewSender(r).Dial(context.Background())
	if err == nil || mail.Permanent(err) {
		t.Fatalf("dial to a closed port: err = %v, permanent = %v", err, mail.Permanent(err))
	}
	// STARTTLS is required by default: a plain server is refused, not used
	// in clear text.
	srv := mailtest.Start(t)
	u, _ := url.Parse(srv.URL())
	r, _ = mail.ParseRelay("smtp://" + u.Host)
	if _, err := mail.NewSender(r).Dial(context.Background()); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("plain server with the default policy: %v", err)
	}
}

func fsSub() (fs.FS, error) { return fs.Sub(templates.FS, "mail") }

// TestDatesInParisTime: dates are written on Paris's calendar with its
// summer time (a fixed +1 h zone would write 22:30 and 30/09 below).
func TestDatesInParisTime(t *testing.T) {
	tpl := load(t)
	evening := time.Date(2026, 9, 30, 21, 30, 0, 0, time.UTC) // 23:30 in Paris
	c, err := tpl.Render(mail.Digest, ad, mail.DigestView{Name: "Agent", Date: evening.Add(time.Hour), Exercice: "2025-2026",
		Deadline: deadline(),
		Arrived:  []mail.DigestArrival{{UAI: "0310036W", CoopName: "École Alpha", What: "quitus.pdf", At: evening}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Synthèse du 01/10/2026"; !strings.HasPrefix(c.Subject, want) {
		t.Errorf("subject = %q, want it to start with %q", c.Subject, want)
	}
	if want := "(30/09/2026 à 23:30)"; !strings.Contains(c.Text, want) || !strings.Contains(c.HTML, want) {
		t.Errorf("text or HTML lacks %q:\n%s\n%s", want, c.Text, c.HTML)
	}
}
