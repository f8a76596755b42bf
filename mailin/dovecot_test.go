package mailin_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// dovecotURL returns RETKOOP_TEST_DOVECOT (set by .ci/run), skipping the
// test locally when it is absent and failing it when RETKOOP_TEST_REQUIRE=1.
func dovecotURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("RETKOOP_TEST_DOVECOT")
	if u == "" {
		if os.Getenv("RETKOOP_TEST_REQUIRE") == "1" {
			t.Fatal("RETKOOP_TEST_DOVECOT is not set and RETKOOP_TEST_REQUIRE=1: start Dovecot (see .ci/run)")
		}
		t.Skip("RETKOOP_TEST_DOVECOT not set (imap://user:pass@127.0.0.1:PORT/INBOX?tls=none): skipping the Dovecot test")
	}
	return u
}

// TestDovecot runs the poller against a real Dovecot in a fresh mailbox:
// move after store, nothing new on the second run, and a recreated mailbox
// (new UIDVALIDITY) rescanned without ingesting anything twice.
func TestDovecot(t *testing.T) {
	base, err := mailin.ParseURL(dovecotURL(t))
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("retkoop-test-%d", time.Now().UnixNano())
	mb := base
	mb.Name, mb.Processed = name, name+"-Traites"
	raws := [][]byte{golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "apple_mail.eml"), golden(t, "fake_pdf.eml")}

	c := mailintest.Dial(t, dovecotURL(t))
	defer c.Close()
	defer func() {
		// Leave the test account as found.
		c.Unselect().Wait()
		c.Delete(mb.Name).Wait()
		c.Delete(mb.Processed).Wait()
	}()
	for _, raw := range raws {
		mailintest.Append(t, c, mb.Name, raw) // creates the mailbox first
	}

	mem := newMemory()
	p := &mailin.Poller{Mailbox: mb, Directory: mem, State: mem, Sink: mem, Lease: mem, TempDir: t.TempDir(), Timeout: 10 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != len(raws) {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	wantIssues := []mailin.Issue{mailin.IssueStored, mailin.IssueStored, mailin.IssueStored, mailin.IssueRejected}
	for i, r := range res {
		if r.Issue != wantIssues[i] {
			t.Errorf("result %d = %+v, want %s", i, r, wantIssues[i])
		}
	}
	if got := mailintest.UIDs(t, c, mb.Name); len(got) != 0 {
		t.Errorf("%s still holds %v", mb.Name, got)
	}
	if got := mailintest.UIDs(t, c, mb.Processed); len(got) != len(raws) {
		t.Errorf("%s holds %d messages, want %d", mb.Processed, len(got), len(raws))
	}
	if res, err := p.RunOnce(context.Background()); err != nil || len(res) != 0 {
		t.Errorf("second RunOnce = %+v, %v; want nothing", res, err)
	}

	// Recreate the mailbox with the same mail: new UIDVALIDITY, duplicates.
	if err := c.Unselect().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(mb.Name).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, raw := range raws[:2] {
		mailintest.Append(t, c, mb.Name, raw)
	}
	res, err = p.RunOnce(context.Background())
	if err != nil || len(res) != 2 || res[0].Issue != mailin.IssueDuplicate || res[1].Issue != mailin.IssueDuplicate {
		t.Errorf("rescan = %+v, %v; want 2 duplicates", res, err)
	}
	if mem.StoreCalls() != len(raws)+2 {
		t.Errorf("store calls = %d", mem.StoreCalls())
	}

	// A retry: the message goes back, byte for byte, as new mail.
	if err := mailin.PutBack(context.Background(), mb, bytes.NewReader(raws[0])); err != nil {
		t.Fatalf("PutBack: %v", err)
	}
	got := mailintest.UIDs(t, c, mb.Name)
	if len(got) != 1 {
		t.Fatalf("%s holds %v after PutBack, want one message", mb.Name, got)
	}
	if back := mailintest.Fetch(t, c, mb.Name, got[0]); !bytes.Equal(back, raws[0]) {
		t.Errorf("put back %d bytes, want the %d of the original", len(back), len(raws[0]))
	}
	if res, err := p.RunOnce(context.Background()); err != nil || len(res) != 1 {
		t.Errorf("RunOnce after PutBack = %+v, %v; want the message handled again", res, err)
	}
}
