package mailin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// The AD's coops in every fixture.
var (
	coopA = mailin.Coop{ID: 1, UAI: "0310036W"}
	coopB = mailin.Coop{ID: 2, UAI: "0311234Y"}
	coopC = mailin.Coop{ID: 3, UAI: "0310999T"}
	coopD = mailin.Coop{ID: 4, UAI: "0312345F"}
)

func newMemory() *mailintest.Memory {
	m := &mailintest.Memory{}
	m.AddCoop(coopA, "marie.dupont@gmail.com")
	m.AddCoop(coopB, "j.martin@orange.fr")
	m.AddCoop(coopC, "sophie.bernard@icloud.com")
	m.AddCoop(coopD, "")
	// One address for two coops (a head teacher): the sender says nothing.
	m.Emails["direction.ecoles@ac-toulouse.fr"] = []mailin.Coop{coopA, coopB}
	m.AddToken("k7Hq2mZp", coopD)
	return m
}

func newPoller(t testing.TB, srv *mailintest.Server, mem *mailintest.Memory) *mailin.Poller {
	t.Helper()
	mb, err := mailin.ParseURL(srv.URL("INBOX"))
	if err != nil {
		t.Fatal(err)
	}
	return &mailin.Poller{
		Mailbox: mb, Directory: mem, State: mem, Sink: mem, Lease: mem,
		TempDir: t.TempDir(),
		Timeout: 10 * time.Second,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func golden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func appendAll(t testing.TB, srv *mailintest.Server, mailbox string, raws ...[]byte) {
	t.Helper()
	c := mailintest.Dial(t, srv.URL(mailbox))
	defer c.Close()
	for _, raw := range raws {
		mailintest.Append(t, c, mailbox, raw)
	}
}

func uids(t testing.TB, srv *mailintest.Server, mailbox string) []uint32 {
	t.Helper()
	c := mailintest.Dial(t, srv.URL(mailbox))
	defer c.Close()
	return mailintest.UIDs(t, c, mailbox)
}

var goldenFiles = []string{
	"gmail.eml", "outlook.eml", "apple_mail.eml", "thunderbird.eml", "iphone_heic.eml",
	"forwarded.eml", "reply_token.eml", "signature_only.eml", "fake_pdf.eml", "ambiguous_sender.eml",
}

// TestRunOnceGolden takes every client's message through IMAP and checks the
// contract's JSON line for each, the move to Traites and that a second run
// handles nothing.
func TestRunOnceGolden(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	var raws [][]byte
	for _, f := range goldenFiles {
		raws = append(raws, golden(t, f))
	}
	appendAll(t, srv, "INBOX", raws...)
	mem := newMemory()
	p := newPoller(t, srv, mem)
	var reported []mailin.Result
	p.Report = func(r mailin.Result) { reported = append(reported, r) }

	results, err := p.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	want := []string{
		`{"uid":1,"message_id":"<CAF7h3kQx9Lr2mN5pZ8vT1wYb6cD4eG0sH+jK2lM3nO4pQ5rS6t@mail.gmail.com>","from":"marie.dupont@gmail.com","uai":"0310036W","type":"quitus","issue":"stored","documents":1}`,
		`{"uid":2,"message_id":"<PR3P192MB0891A2B3C4D5E6F7A8B9C0D1E2F3@PR3P192MB0891.EURP192.PROD.OUTLOOK.COM>","from":"j.martin@orange.fr","uai":"0311234Y","type":"releve","issue":"stored","documents":1}`,
		`{"uid":3,"message_id":"<9A8B7C6D-5E4F-4321-ABCD-EF0123456789@wanadoo.fr>","from":"claire.petit@wanadoo.fr","uai":"0310999T","type":"quitus","issue":"stored","documents":1}`,
		`{"uid":4,"message_id":"<3f2e1d0c-9b8a-4765-8432-10fedcba9876@laposte.net>","from":"luc.moreau@laposte.net","uai":"0312345F","type":"justificatifs_subventions","issue":"stored","documents":1}`,
		`{"uid":5,"message_id":"<1B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E@icloud.com>","from":"sophie.bernard@icloud.com","uai":"0310999T","type":"","issue":"stored","documents":1}`,
		`{"uid":6,"message_id":"<fwd-7781@orange.fr>","from":"j.martin@orange.fr","uai":"0311234Y","type":"justificatifs_subventions","issue":"stored","documents":1}`,
		`{"uid":7,"message_id":"<reply-5521@ac-toulouse.fr>","from":"ce.0312345f@ac-toulouse.fr","uai":"0312345F","type":"releve","issue":"stored","documents":1}`,
		`{"uid":8,"message_id":"<sig-1@free.fr>","from":"paul.roux@free.fr","uai":"","type":"quitus","issue":"no_attachment","documents":0}`,
		`{"uid":9,"message_id":"<fake-pdf-1@mail.gmail.com>","from":"marie.dupont@gmail.com","uai":"0310036W","type":"quitus","issue":"rejected","documents":0}`,
		`{"uid":10,"message_id":"<amb-1@ac-toulouse.fr>","from":"direction.ecoles@ac-toulouse.fr","uai":"","type":"","issue":"unmatched","documents":1}`,
	}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(results), len(want), results)
	}
	for i, r := range results {
		if got := r.JSON(); got != want[i] {
			t.Errorf("result %d (%s):\n got %s\nwant %s", i, goldenFiles[i], got, want[i])
		}
		var back mailin.Result
		if err := json.Unmarshal([]byte(r.JSON()), &back); err != nil || back != r {
			t.Errorf("JSON does not round-trip: %v %+v", err, back)
		}
	}
	if !slices.Equal(reported, results) {
		t.Errorf("Report saw %d results, RunOnce returned %d", len(reported), len(results))
	}

	ledger := mem.Ledger()
	matched := map[uint32]string{}
	for _, e := range ledger {
		matched[e.UID] = e.Reason
	}
	if !strings.Contains(matched[9], "text/html") {
		t.Errorf("fake PDF reason = %q", matched[9])
	}
	if got := len(mem.Files()); got != 8 {
		t.Errorf("%d files stored, want 8 (7 stored + 1 for triage)", got)
	}

	if got := uids(t, srv, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX still holds %v", got)
	}
	if got := uids(t, srv, "Traites"); len(got) != len(goldenFiles) {
		t.Errorf("Traites holds %d messages, want %d", len(got), len(goldenFiles))
	}

	again, err := p.RunOnce(context.Background())
	if err != nil || len(again) != 0 {
		t.Errorf("second RunOnce = %v, %v; want nothing", again, err)
	}
	if mem.StoreCalls() != len(goldenFiles) {
		t.Errorf("sink called %d times, want %d", mem.StoreCalls(), len(goldenFiles))
	}

	// New mail after the first runs is picked up by UID.
	appendAll(t, srv, "INBOX", golden(t, "outlook.eml"))
	third, err := p.RunOnce(context.Background())
	if err != nil || len(third) != 1 || third[0].Issue != mailin.IssueDuplicate || third[0].UID != 11 {
		t.Errorf("third RunOnce = %+v, %v; want uid 11 duplicate (same Message-ID)", third, err)
	}
}

// TestRunOnceWithoutMove flags instead of moving, and never expunges.
func TestRunOnceWithoutMove(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{NoMove: true})
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"), golden(t, "outlook.eml"))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	results, err := p.RunOnce(context.Background())
	if err != nil || len(results) != 2 {
		t.Fatalf("RunOnce = %+v, %v", results, err)
	}
	c := mailintest.Dial(t, srv.URL("INBOX"))
	defer c.Close()
	if got := mailintest.UIDs(t, c, "INBOX"); !slices.Equal(got, []uint32{1, 2}) {
		t.Fatalf("INBOX = %v, want both messages kept", got)
	}
	for _, uid := range []uint32{1, 2} {
		flags := mailintest.Flags(t, c, "INBOX", uid)
		if !hasFlag(flags, "$Retkoop") || !hasFlag(flags, imap.FlagSeen) || hasFlag(flags, imap.FlagDeleted) {
			t.Errorf("uid %d flags = %v", uid, flags)
		}
	}
	if got := mailintest.UIDs(t, c, "Traites"); got != nil {
		t.Errorf("Traites created without MOVE: %v", got)
	}
	again, err := p.RunOnce(context.Background())
	if err != nil || len(again) != 0 || mem.StoreCalls() != 2 {
		t.Errorf("second RunOnce = %v, %v (store calls %d)", again, err, mem.StoreCalls())
	}
}

// TestFetchLeavesSeenAlone: an unprocessed message keeps its unread state
// (BODY.PEEK) until it is marked.
func TestFetchLeavesSeenAlone(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{NoMove: true})
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"))
	mem := newMemory()
	mem.StoreErr = errors.New("database is locked")
	p := newPoller(t, srv, mem)
	if _, err := p.RunOnce(context.Background()); err == nil {
		t.Fatal("want the sink's error")
	}
	c := mailintest.Dial(t, srv.URL("INBOX"))
	defer c.Close()
	if flags := mailintest.Flags(t, c, "INBOX", 1); len(flags) != 0 {
		t.Errorf("flags after a failed run = %v, want none", flags)
	}
}

// TestCrashBetweenStoreAndMark: a crash after the commit and before the
// move leads to marking only; a crash before the commit to processing
// normally. Every message is stored exactly once.
func TestCrashBetweenStoreAndMark(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "thunderbird.eml"))
	mem := newMemory()

	// Run 1 dies (panics) right after the sink committed uid 1.
	p1 := newPoller(t, srv, mem)
	p1.AfterStore = func(m *mailin.Message) error { panic("simulated crash after commit of uid " + fmt.Sprint(m.UID)) }
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Fatal("want the simulated crash")
			}
		}()
		p1.RunOnce(context.Background())
	}()
	if got := uids(t, srv, "INBOX"); !slices.Equal(got, []uint32{1, 2, 3}) {
		t.Fatalf("INBOX after crash = %v, want uid 1 stored but not moved", got)
	}

	// Run 2 fails before the commit of uid 2 (database down).
	p2 := newPoller(t, srv, mem)
	mem.StoreErr = errors.New("connection refused")
	res, err := p2.RunOnce(context.Background())
	if err == nil || len(res) != 0 {
		t.Fatalf("run 2 = %v, %v; want the store error", res, err)
	}
	if got := uids(t, srv, "INBOX"); !slices.Equal(got, []uint32{2, 3}) {
		t.Fatalf("INBOX after run 2 = %v, want uid 1 moved (already recorded)", got)
	}

	// Run 3 succeeds: uids 2 and 3 processed normally.
	mem.StoreErr = nil
	res, err = p2.RunOnce(context.Background())
	if err != nil || len(res) != 2 || res[0].UID != 2 || res[1].UID != 3 {
		t.Fatalf("run 3 = %+v, %v", res, err)
	}
	if got := uids(t, srv, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX = %v, want empty", got)
	}
	seen := map[uint32]int{}
	for _, e := range mem.Ledger() {
		seen[e.UID]++
	}
	if len(seen) != 3 || seen[1] != 1 || seen[2] != 1 || seen[3] != 1 {
		t.Errorf("ledger = %v, want each uid once", seen)
	}
	// Calls: uid 1 once; uid 2 refused twice and its failed record
	// refused too, then once; uid 3 once.
	if mem.StoreCalls() != 6 {
		t.Errorf("store calls = %d, want 6", mem.StoreCalls())
	}
}

// TestAfterStoreErrorThenResume: the hook's error is the "crash" variant
// that returns rather than panics.
func TestAfterStoreErrorThenResume(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{NoMove: true})
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"), golden(t, "outlook.eml"))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	p.AfterStore = func(*mailin.Message) error { return errors.New("killed") }
	res, err := p.RunOnce(context.Background())
	if err == nil || len(res) != 1 || res[0].Issue != mailin.IssueStored {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	p.AfterStore = nil
	res, err = p.RunOnce(context.Background())
	if err != nil || len(res) != 1 || res[0].UID != 2 {
		t.Fatalf("resumed RunOnce = %+v, %v; want only uid 2 reported", res, err)
	}
	if mem.StoreCalls() != 2 {
		t.Errorf("store calls = %d, want 2", mem.StoreCalls())
	}
	c := mailintest.Dial(t, srv.URL("INBOX"))
	defer c.Close()
	if !hasFlag(mailintest.Flags(t, c, "INBOX", 1), "$Retkoop") {
		t.Error("uid 1 not flagged by the resumed run")
	}
}

// TestUIDValidityChange: a recreated mailbox is rescanned; what was already
// received is recorded as duplicate (by Message-ID, or by file hash when
// there is no Message-ID), not ingested again.
func TestUIDValidityChange(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	noID := bytes.Replace(golden(t, "gmail.eml"), []byte("Message-ID: <CAF7h3kQ"), []byte("X-Old-Message-ID: <CAF7h3kQ"), 1)
	raws := [][]byte{noID, golden(t, "outlook.eml")}
	appendAll(t, srv, "INBOX", raws...)
	mem := newMemory()
	p := newPoller(t, srv, mem)
	if res, err := p.RunOnce(context.Background()); err != nil || len(res) != 2 {
		t.Fatalf("first run = %+v, %v", res, err)
	}
	srv.RecreateMailbox(t, "INBOX")
	appendAll(t, srv, "INBOX", append(raws, golden(t, "thunderbird.eml"))...)

	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 3 {
		t.Fatalf("rescan = %+v, %v", res, err)
	}
	for i, want := range []mailin.Issue{mailin.IssueDuplicate, mailin.IssueDuplicate, mailin.IssueStored} {
		if res[i].Issue != want {
			t.Errorf("rescan result %d = %s, want %s", i, res[i].Issue, want)
		}
	}
	if got := len(mem.Files()); got != 3 {
		t.Errorf("%d files, want 3", got)
	}
	if got := uids(t, srv, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX = %v, want all marked", got)
	}
}

// TestLease: a mailbox leased by another poller is left alone; two pollers
// racing on one mailbox store each message once.
func TestLease(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "apple_mail.eml"))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	ctx := context.Background()
	if ok, _ := mem.TryAcquire(ctx, "mailin:"+p.Mailbox.Key(), "other-host", time.Minute); !ok {
		t.Fatal("acquire")
	}
	res, err := p.RunOnce(ctx)
	if err != nil || len(res) != 0 || mem.StoreCalls() != 0 {
		t.Fatalf("RunOnce under someone else's lease = %v, %v", res, err)
	}
	mem.Release(ctx, "mailin:"+p.Mailbox.Key(), "other-host")

	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := newPoller(t, srv, mem)
			for j := 0; j < 3; j++ {
				res, err := q.RunOnce(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += len(res)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if total != 3 || mem.StoreCalls() != 3 || len(mem.Ledger()) != 3 {
		t.Errorf("results %d, store calls %d, ledger %d; want 3 each", total, mem.StoreCalls(), len(mem.Ledger()))
	}
}

// TestLargeAttachmentRejected: 30 MB is refused politely, with the reason,
// and nothing is left in the spool directory.
func TestLargeAttachmentRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("30 MB message")
	}
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", bigMessage(30<<20))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 1 {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	if res[0].Issue != mailin.IssueRejected || res[0].UAI != "0310036W" || res[0].Documents != 0 {
		t.Errorf("result = %+v", res[0])
	}
	reason := mem.Ledger()[0].Reason
	if !strings.Contains(reason, "« releve_scan.pdf » fait 30,0 Mo, au-delà de la limite de 25,0 Mo") {
		t.Errorf("reason = %q", reason)
	}
	if left, _ := os.ReadDir(p.TempDir); len(left) != 0 {
		t.Errorf("spool not cleaned: %v", left)
	}
	if got := uids(t, srv, "Traites"); len(got) != 1 {
		t.Errorf("Traites = %v", got)
	}
}

// bigMessage builds a message from coop A's mandataire with a PDF of size
// bytes, base64 encoded as mail clients do.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Marie Dupont <marie.dupont@gmail.com>\r\nTo: documents@occe31.test\r\n" +
		"Subject: releve 0310036W\r\nMessage-ID: <big-" + fmt.Sprint(size) + "@gmail.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=BIG\r\n\r\n--BIG\r\nContent-Type: text/plain\r\n\r\nCi-joint.\r\n" +
		"--BIG\r\nContent-Type: application/pdf; name=releve_scan.pdf\r\nContent-Disposition: attachment; filename=releve_scan.pdf\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	// A PDF header then pseudo-random bytes, base64 in 76-column lines.
	payload := make([]byte, size)
	copy(payload, "%PDF-1.4\n")
	x := uint32(2463534242)
	for i := 9; i < size; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		payload[i] = byte(x)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	line := make([]byte, 0, 78)
	for i := 0; i < len(payload); i += 3 {
		var n uint32
		k := min(3, len(payload)-i)
		for j := 0; j < 3; j++ {
			n <<= 8
			if j < k {
				n |= uint32(payload[i+j])
			}
		}
		enc := []byte{alphabet[n>>18&63], alphabet[n>>12&63], alphabet[n>>6&63], alphabet[n&63]}
		if k < 3 {
			enc[3] = '='
		}
		if k < 2 {
			enc[2] = '='
		}
		line = append(line, enc...)
		if len(line) == 76 || i+3 >= len(payload) {
			b.Write(line)
			b.WriteString("\r\n")
			line = line[:0]
		}
	}
	b.WriteString("--BIG--\r\n")
	return b.Bytes()
}

// TestTimeout: a server that stops answering ends the run within the
// timeout instead of hanging the poller.
func TestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			// Greets, then never answers a command.
			fmt.Fprintf(conn, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
			defer conn.Close()
		}
	}()
	mb, _ := mailin.ParseURL("imap://u:p@" + ln.Addr().String() + "/INBOX?tls=none")
	mem := newMemory()
	p := &mailin.Poller{Mailbox: mb, Directory: mem, State: mem, Sink: mem, Lease: mem, Timeout: 300 * time.Millisecond}
	start := time.Now()
	_, err = p.RunOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no answer from the server within 300ms") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("RunOnce took %s", d)
	}
	// The lease is released even after a failed run.
	if ok, _ := mem.TryAcquire(context.Background(), "mailin:"+mb.Key(), "next", time.Minute); !ok {
		t.Error("lease not released")
	}
}

// TestRunStopsWithContext: Run polls on its ticker and returns on shutdown.
func TestRunStopsWithContext(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	mem := newMemory()
	p := newPoller(t, srv, mem)
	got := make(chan mailin.Result, 10)
	p.Report = func(r mailin.Result) { got <- r }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx, 50*time.Millisecond) }()
	time.Sleep(100 * time.Millisecond)
	appendAll(t, srv, "INBOX", golden(t, "gmail.eml"))
	select {
	case r := <-got:
		if r.Issue != mailin.IssueStored {
			t.Errorf("result = %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not pick up the new message")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// hasFlag compares like IMAP does: keywords are case-insensitive (the
// in-memory server lower-cases them, Dovecot does not).
func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	return slices.ContainsFunc(flags, func(g imap.Flag) bool { return strings.EqualFold(string(g), string(f)) })
}

// TestPoisonMessage: a message the sink keeps refusing is recorded as
// failed (with the error, without files) and marked; the next ones go on.
func TestPoisonMessage(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", golden(t, "outlook.eml"), golden(t, "gmail.eml"))
	mem := newMemory()
	mem.Reject = func(m *mailin.Message) error {
		if strings.HasPrefix(m.Subject, "Relevé") && m.Issue != mailin.IssueFailed {
			return errors.New("value too long for column name")
		}
		return nil
	}
	p := newPoller(t, srv, mem)
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 2 || res[0].Issue != mailin.IssueFailed || res[1].Issue != mailin.IssueStored {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	if e := mem.Ledger()[0]; !strings.Contains(e.Reason, "value too long") || len(e.Documents) != 0 {
		t.Errorf("failed entry = %+v", e)
	}
	if got := uids(t, srv, "Traites"); len(got) != 2 {
		t.Errorf("Traites = %v", got)
	}
}

// TestAutomaticMail: auto-replies are recognised so that the app never
// acknowledges them.
func TestAutomaticMail(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	auto := []byte("From: Marie Dupont <marie.dupont@gmail.com>\r\nTo: documents+k7Hq2mZp@occe31.test\r\n" +
		"Subject: =?UTF-8?Q?R=C3=A9ponse_automatique?=\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <auto-1@gmail.com>\r\n\r\nJe suis absente.\r\n")
	appendAll(t, srv, "INBOX", auto, golden(t, "gmail.eml"))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 2 || res[0].Issue != mailin.IssueNoAttachment {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	if l := mem.Ledger(); !l[0].Automatic || l[1].Automatic {
		t.Errorf("automatic = %v, %v; want true, false", l[0].Automatic, l[1].Automatic)
	}
}

// TestOversizedMessage: a message too big to be worth fetching whole is
// recorded as rejected from its header, and still identified.
func TestOversizedMessage(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", bigMessage(4<<20))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	p.MaxAttachment = 1 << 20 // messages above 3 MB are not fetched whole
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueRejected || res[0].UAI != "0310036W" || res[0].Type != "releve" {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	if r := mem.Ledger()[0].Reason; !strings.Contains(r, "message de 5,5 Mo, au-delà de la limite de 1,0 Mo") {
		t.Errorf("reason = %q", r)
	}
}

// TestUnreadableMessage is recorded as failed and marked, not retried forever.
func TestUnreadableMessage(t *testing.T) {
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	// A header past go-message's 1 MB limit (the in-memory server cannot
	// serve a header it cannot parse at all).
	huge := "From: spam@example.org\r\n" + strings.Repeat("X-Junk: 0123456789abcdef\r\n", 50000) + "\r\nbody\r\n"
	appendAll(t, srv, "INBOX", []byte(huge), golden(t, "gmail.eml"))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 2 || res[0].Issue != mailin.IssueFailed || res[1].Issue != mailin.IssueStored {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	if r := mem.Ledger()[0].Reason; !strings.HasPrefix(r, "message illisible") {
		t.Errorf("reason = %q", r)
	}
	if got := uids(t, srv, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX = %v", got)
	}
}
