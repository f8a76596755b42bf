package apptest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retkoop/app/fr"
	"retkoop/app/store"
	"retkoop/mailin"
	"retkoop/mailin/mailintest"
	"retkoop/workflow"
)

// mailFixture is a world whose AD 31 has the coops of mailin's golden
// messages, and an in-memory IMAP server whose INBOX is AD 31's mailbox
// (RETKOOP_IMAP_URL).
type mailFixture struct {
	*world
	imap  *mailintest.Server
	coops map[string]*store.Coop // by UAI
}

// mailNow is the fixture's clock: the 2025-2026 campaign is running.
var mailNow = time.Date(2026, 9, 15, 10, 0, 0, 0, fr.Paris)

func newMailFixture(t *testing.T, db *store.DB) *mailFixture {
	t.Helper()
	ctx := context.Background()
	w := newWorldOn(t, db)
	w.app.Now = func() time.Time { return mailNow }
	f := &mailFixture{world: w, imap: mailintest.NewServer(t, mailintest.ServerOptions{}), coops: map[string]*store.Coop{}}
	w.app.Cfg.IMAPURL = f.imap.URL("INBOX")
	scope, _ := db.ForAD(ctx, w.adA.ID, nil)
	rows := []store.CoopImport{
		{UAI: "0310036W", Params: store.CoopParams{Name: "École Alpha", Commune: "Toulouse", MandataireName: "Marie Dupont", MandataireEmail: "marie.dupont@gmail.com"}},
		{UAI: "0310100R", Params: store.CoopParams{Name: "École Alpha-Deux", Commune: "Muret", MandataireEmail: "direction.ecoles@ac-toulouse.fr"}},
		{UAI: "0311234Y", Params: store.CoopParams{Name: "École Jules Ferry", Commune: "Blagnac", MandataireEmail: "j.martin@orange.fr"}},
		{UAI: "0310999T", Params: store.CoopParams{Name: "École des Tilleuls", Commune: "Colomiers", MandataireEmail: "sophie.bernard@icloud.com"}},
		{UAI: "0312345F", Params: store.CoopParams{Name: "École Les Platanes", Commune: "Balma", MandataireEmail: "direction.ecoles@ac-toulouse.fr"}},
	}
	if _, err := scope.ImportCoops(ctx, rows, "2025-2026"); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		c, err := scope.CoopByUAI(ctx, r.UAI)
		if err != nil {
			t.Fatal(err)
		}
		f.coops[r.UAI] = c
	}
	return f
}

// golden reads one of mailin's golden messages.
func golden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "mailin", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// appendMail puts raw messages in the fixture's INBOX.
func (f *mailFixture) appendMail(raws ...[]byte) {
	f.t.Helper()
	c := mailintest.Dial(f.t, f.imap.URL("INBOX"))
	defer c.Close()
	for _, raw := range raws {
		mailintest.Append(f.t, c, "INBOX", raw)
	}
}

// folder lists the UIDs of an IMAP folder.
func (f *mailFixture) folder(name string) []uint32 {
	f.t.Helper()
	c := mailintest.Dial(f.t, f.imap.URL("INBOX"))
	defer c.Close()
	return mailintest.UIDs(f.t, c, name)
}

// pass runs one poll of every mailbox, as `mailin --once` does.
func (f *mailFixture) pass(prepare func(*mailin.Poller)) ([]mailin.Result, error) {
	f.t.Helper()
	ctx := context.Background()
	boxes, err := f.app.Worker.Mailboxes(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []mailin.Result
	err = f.app.Worker.PollMail(ctx, boxes, func(p *mailin.Poller) {
		p.TempDir, p.Timeout = f.t.TempDir(), 10*time.Second
		p.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if prepare != nil {
			prepare(p)
		}
	}, func(r mailin.Result) { out = append(out, r) })
	return out, err
}

// item returns an item of a coop's 2025-2026 dossier.
func (f *mailFixture) item(uai string, key workflow.ItemKey) workflow.Item {
	f.t.Helper()
	cs, err := f.db.ForCoop(context.Background(), f.coops[uai].ID, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	_, d, err := cs.Dossier(context.Background(), "2025-2026")
	if err != nil {
		f.t.Fatal(err)
	}
	it, _ := d.Item(key)
	return it
}

// acks lists AD 31's acknowledgements in the outbox, oldest first.
func (f *mailFixture) acks() []store.Mail {
	f.t.Helper()
	scope, _ := f.db.ForAD(context.Background(), f.adA.ID, nil)
	ms, _, err := scope.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailAck})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// ledger lists AD 31's ledger, oldest first.
func (f *mailFixture) ledger() []store.MailEntry {
	f.t.Helper()
	scope, _ := f.db.ForAD(context.Background(), f.adA.ID, nil)
	es, _, err := scope.MailLedger(context.Background(), store.MailFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// filePart is an attachment of a test message.
type filePart struct {
	Name, Type string
	Data       []byte
}

// testPDF is a small PDF whose bytes differ by label.
func testPDF(label string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + label + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// buildMail writes a multipart/mixed message with base64 attachments.
func buildMail(from, to, subject, msgID, text string, files ...filePart) []byte {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
		from, to, subject, mailNow.Add(-time.Hour).Format(time.RFC1123Z), msgID)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", mw.Boundary())
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Transfer-Encoding", "8bit")
	p, _ := mw.CreatePart(h)
	io.WriteString(p, strings.ReplaceAll(text, "\n", "\r\n")+"\r\n")
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", f.Type)
		h.Set("Content-Transfer-Encoding", "base64")
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.Name))
		p, _ := mw.CreatePart(h)
		enc := base64.StdEncoding.EncodeToString(f.Data)
		for len(enc) > 76 {
			io.WriteString(p, enc[:76]+"\r\n")
			enc = enc[76:]
		}
		io.WriteString(p, enc+"\r\n")
	}
	mw.Close()
	return b.Bytes()
}
