package auth

import (
	"strings"
	"testing"
	"time"
)

var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashVerify(t *testing.T) {
	h, err := HashWith("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	if err := Verify(h, "correct horse battery"); err != nil {
		t.Fatalf("verify good: %v", err)
	}
	if err := Verify(h, "correct horse batterY"); err != ErrMismatch {
		t.Fatalf("verify bad = %v", err)
	}
	if err := Verify("", "x"); err != ErrMismatch {
		t.Fatalf("empty hash must not verify: %v", err)
	}
	h2, _ := HashWith("correct horse battery", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password share a salt")
	}
}

func TestDefaultParamsAreArgon2idStrong(t *testing.T) {
	if DefaultParams.Memory < 19*1024 || DefaultParams.Time < 2 {
		t.Fatalf("default params below OWASP minimum: %+v", DefaultParams)
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		p := Generate(12)
		if len(p) != 14 || strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("bad password %q", p)
		}
		if seen[p] {
			t.Fatalf("repeated password %q", p)
		}
		seen[p] = true
	}
}

func TestCheckNew(t *testing.T) {
	if CheckNew("court", "x") == nil {
		t.Error("short password accepted")
	}
	if CheckNew("0310036Wabcdef", "0310036w") == nil {
		t.Error("password containing the login accepted")
	}
	if err := CheckNew("une phrase assez longue", "0310036W"); err != nil {
		t.Error(err)
	}
}

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 9, 20, 10, 0, 0, 0, time.UTC)
	th := NewThrottle(3, 15*time.Minute)
	for i := 0; i < 3; i++ {
		if b, _ := th.Blocked("k", now); b {
			t.Fatalf("blocked after %d failures", i)
		}
		th.Fail("k", now.Add(time.Duration(i)*time.Minute))
	}
	b, until := th.Blocked("k", now.Add(3*time.Minute))
	if !b || !until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("blocked=%v until=%v", b, until)
	}
	if b, _ := th.Blocked("other", now); b {
		t.Fatal("another key is blocked")
	}
	if b, _ := th.Blocked("k", now.Add(15*time.Minute+time.Second)); b {
		t.Fatal("still blocked after the window slid past the first failure")
	}
	th.Fail("k", now)
	th.Reset("k")
	if b, _ := th.Blocked("k", now.Add(time.Minute)); b {
		t.Fatal("blocked after reset")
	}
	msg := WaitMessage(now.Add(90*time.Second), now)
	if msg != "Trop de tentatives de connexion. Réessayez dans 2 minutes." {
		t.Fatalf("message %q", msg)
	}
}
