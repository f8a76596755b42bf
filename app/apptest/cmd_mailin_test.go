package apptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"retkoop/app"
	"retkoop/app/cli"
	"retkoop/app/config"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/mailin"
	"retkoop/mailin/mailintest"
	"retkoop/workflow"
)

// sqliteAt opens a migrated SQLite database at path, so that a command
// run in the test (or a child process) can open the same file.
func sqliteAt(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// commandEnv is the environment of a retkoop command on the fixture's
// database and data directory.
func (f *mailFixture) commandEnv(dbPath, imapURL string) map[string]string {
	return map[string]string{
		"RETKOOP_DATABASE": "sqlite:" + dbPath, "RETKOOP_DATA_DIR": f.app.Cfg.DataDir,
		"RETKOOP_SECRET": string(f.app.Cfg.Secret), "RETKOOP_IMAP_URL": imapURL,
	}
}

// runMailin runs `retkoop mailin --once` in-process and returns its JSON
// lines.
func runMailin(t *testing.T, env map[string]string) []mailin.Result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Args: []string{"mailin", "--once"}, Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }, Now: func() time.Time { return mailNow }})
	if code != 0 {
		t.Fatalf("mailin --once exited %d:\n%s", code, errb.String())
	}
	var res []mailin.Result
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var r mailin.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("stdout line %q: %v", line, err)
		}
		res = append(res, r)
	}
	return res
}

func TestMailinCommandWithoutMailbox(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	env := map[string]string{"RETKOOP_DATABASE": "sqlite:" + filepath.Join(dir, "r.db"), "RETKOOP_DATA_DIR": dir}
	code := cli.Run(&cli.Env{Args: []string{"mailin", "--once"}, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "aucune boîte aux lettres à relever") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestMailinCommandDovecot runs `retkoop mailin --once` against a real
// Dovecot, in a mailbox of its own: one JSON line per message, the
// messages moved to Traites after they are stored, and nothing printed by a
// second run.
func TestMailinCommandDovecot(t *testing.T) {
	base := os.Getenv("RETKOOP_TEST_DOVECOT")
	if base == "" {
		storetest.Require(t, "RETKOOP_TEST_DOVECOT is not set: Dovecot test of `mailin` skipped (.ci/run sets it)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(fmt.Sprintf("t-mailin-cmd-%d", time.Now().UnixNano()), "retkoop-test")
	dbPath := filepath.Join(t.TempDir(), "retkoop.db")
	f := newMailFixture(t, sqliteAt(t, dbPath))
	c := mailintest.Dial(t, u.String())
	defer c.Close()
	for _, name := range []string{"gmail.eml", "outlook.eml", "fake_pdf.eml", "ambiguous_sender.eml"} {
		mailintest.Append(t, c, "INBOX", golden(t, name))
	}
	env := f.commandEnv(dbPath, u.String())

	res := runMailin(t, env)
	want := []mailin.Issue{mailin.IssueStored, mailin.IssueStored, mailin.IssueRejected, mailin.IssueUnmatched}
	if len(res) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(res), len(want), res)
	}
	for i, r := range res {
		if r.Issue != want[i] || r.UID != uint32(i+1) {
			t.Errorf("line %d = %s, want uid %d %s", i+1, r.JSON(), i+1, want[i])
		}
	}
	if res[0].UAI != "0310036W" || res[0].Type != "quitus" || res[1].UAI != "0311234Y" {
		t.Errorf("identification: %s / %s", res[0].JSON(), res[1].JSON())
	}
	if got := mailintest.UIDs(t, c, "INBOX"); len(got) != 0 {
		t.Errorf("INBOX still holds %v", got)
	}
	if got := mailintest.UIDs(t, c, "Traites"); len(got) != len(want) {
		t.Errorf("Traites holds %v, want %d messages", got, len(want))
	}
	if it := f.item("0310036W", workflow.Quitus); it.Status != workflow.ItemRecu {
		t.Errorf("quitus of 0310036W = %+v", it)
	}
	if again := runMailin(t, env); len(again) != 0 {
		t.Errorf("second run printed %+v", again)
	}
	// New mail is picked up by the next run.
	mailintest.Append(t, c, "INBOX", golden(t, "thunderbird.eml"))
	if next := runMailin(t, env); len(next) != 1 || next[0].UAI != "0312345F" || next[0].UID != 5 {
		t.Errorf("third run = %+v, want uid 5 of 0312345F", next)
	}
}

// TestMailinKilledBetweenStoreAndMark kills a real `mailin` process (this
// test binary, re-executed) after the sink committed a message and before
// the message was moved; a new run then handles every message exactly once.
func TestMailinKilledBetweenStoreAndMark(t *testing.T) {
	if os.Getenv("RETKOOP_MAILIN_CRASH_CHILD") == "1" {
		crashChild(t)
		return
	}
	dbPath := filepath.Join(t.TempDir(), "retkoop.db")
	f := newMailFixture(t, sqliteAt(t, dbPath))
	f.appendMail(golden(t, "gmail.eml"), golden(t, "outlook.eml"), golden(t, "thunderbird.eml"))
	env := f.commandEnv(dbPath, f.imap.URL("INBOX"))

	cmd := exec.Command(os.Args[0], "-test.run=^TestMailinKilledBetweenStoreAndMark$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RETKOOP_MAILIN_CRASH_CHILD=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stored := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "STORED 2") {
				stored <- sc.Text()
			}
		}
		close(stored)
	}()
	select {
	case _, ok := <-stored:
		if !ok {
			cmd.Wait()
			t.Fatalf("child ended before storing uid 2:\n%s", stderr.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("child did not store uid 2 in time:\n%s", stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := f.folder("INBOX"); len(got) != 2 {
		t.Fatalf("INBOX after the kill = %v, want uids 2 and 3 (2 stored, not moved)", got)
	}
	if n := len(f.ledger()); n != 2 {
		t.Fatalf("ledger after the kill has %d rows, want 2", n)
	}
	time.Sleep(1500 * time.Millisecond) // the dead child's lease (1 s) expires

	res := runMailin(t, env)
	if len(res) != 1 || res[0].UID != 3 {
		t.Fatalf("run after the kill printed %+v, want only uid 3", res)
	}
	if got := f.folder("INBOX"); len(got) != 0 {
		t.Errorf("INBOX still holds %v", got)
	}
	if got := f.folder("Traites"); len(got) != 3 {
		t.Errorf("Traites holds %v", got)
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

// crashChild is the killed process: a `mailin --once` whose poller reports
// each stored message on stdout and hangs after storing uid 2, until the
// parent kills it.
func crashChild(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return mailNow }
	boxes, err := a.Worker.Mailboxes(ctx)
	if err != nil || len(boxes) != 1 {
		t.Fatalf("mailboxes = %+v, %v", boxes, err)
	}
	err = a.Worker.PollMail(ctx, boxes, func(p *mailin.Poller) {
		p.LeaseTTL = time.Second
		p.AfterStore = func(m *mailin.Message) error {
			fmt.Printf("STORED %d\n", m.UID)
			if m.UID == 2 {
				time.Sleep(time.Hour)
			}
			return nil
		}
	}, nil)
	t.Fatalf("child was not killed: %v", err)
}
