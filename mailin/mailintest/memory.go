// Package mailintest provides in-memory implementations of mailin's
// interfaces and an in-memory IMAP server on 127.0.0.1, for the tests of
// mailin and of the app's wiring of it.
package mailintest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"retkoop/mailin"
)

// Entry is one ledger row recorded by Memory.
type Entry struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
	MessageID   string
	Issue       mailin.Issue
	Reason      string
	Coop        mailin.Coop
	Subject     string
	From        string
	Exercice    string
	Type        string
	Automatic   bool
	Documents   []mailin.Document // as handed over; Path no longer valid
}

// File is one stored file: stored once per SHA-256.
type File struct {
	SHA256      string
	Size        int64
	Name        string
	ContentType string
	Coops       map[int64]string // coop ID → item type it is attached to
}

// Memory is a Directory, State, Sink and Lease in memory. The zero value is
// ready; fill Coops, Tokens and Emails before polling.
type Memory struct {
	mu     sync.Mutex
	Coops  map[string]mailin.Coop   // by UAI
	Tokens map[string]mailin.Coop   // by reply token
	Emails map[string][]mailin.Coop // by mandataire address
	// StoreErr, when set, makes Store fail without recording anything.
	StoreErr error
	// Reject, when set, makes Store fail for the messages it returns an
	// error for (a poison message the app cannot record).
	Reject func(*mailin.Message) error
	// Now is the lease clock; default time.Now.
	Now func() time.Time

	ledger     []Entry
	files      map[string]*File
	storeCalls int
	leases     map[string]lease
}

type lease struct {
	holder  string
	expires time.Time
}

var (
	_ mailin.Directory = (*Memory)(nil)
	_ mailin.State     = (*Memory)(nil)
	_ mailin.Sink      = (*Memory)(nil)
	_ mailin.Lease     = (*Memory)(nil)
)

// AddCoop registers a coop by UAI and, optionally, its mandataire's address.
func (m *Memory) AddCoop(c mailin.Coop, email string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Coops == nil {
		m.Coops = map[string]mailin.Coop{}
	}
	m.Coops[c.UAI] = c
	if email != "" {
		if m.Emails == nil {
			m.Emails = map[string][]mailin.Coop{}
		}
		m.Emails[email] = append(m.Emails[email], c)
	}
}

// AddToken registers a reminder's reply token.
func (m *Memory) AddToken(token string, c mailin.Coop) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Tokens == nil {
		m.Tokens = map[string]mailin.Coop{}
	}
	m.Tokens[token] = c
}

// CoopByUAI implements mailin.Directory.
func (m *Memory) CoopByUAI(_ context.Context, uai string) (mailin.Coop, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.Coops[uai]
	return c, ok, nil
}

// CoopByToken implements mailin.Directory.
func (m *Memory) CoopByToken(_ context.Context, token string) (mailin.Coop, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.Tokens[token]
	return c, ok, nil
}

// CoopsByEmail implements mailin.Directory.
func (m *Memory) CoopsByEmail(_ context.Context, email string) ([]mailin.Coop, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mailin.Coop(nil), m.Emails[email]...), nil
}

// LastUID implements mailin.State.
func (m *Memory) LastUID(_ context.Context, mailbox string, uidValidity uint32) (uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var last uint32
	for _, e := range m.ledger {
		if e.Mailbox == mailbox && e.UIDValidity == uidValidity && e.UID > last {
			last = e.UID
		}
	}
	return last, nil
}

// Recorded implements mailin.State.
func (m *Memory) Recorded(_ context.Context, mailbox string, uidValidity, uid uint32) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.findLocked(mailbox, uidValidity, uid) >= 0, nil
}

func (m *Memory) findLocked(mailbox string, uidValidity, uid uint32) int {
	for i, e := range m.ledger {
		if e.Mailbox == mailbox && e.UIDValidity == uidValidity && e.UID == uid {
			return i
		}
	}
	return -1
}

// MessageIDRecorded implements mailin.State.
func (m *Memory) MessageIDRecorded(_ context.Context, mailbox, messageID string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.ledger {
		if e.Mailbox == mailbox && e.MessageID == messageID {
			return true, nil
		}
	}
	return false, nil
}

// Store implements mailin.Sink like the app's SQL sink: all or nothing, files
// deduplicated by SHA-256 (verified against the spooled bytes), duplicate
// when every document was already attached to the coop.
func (m *Memory) Store(_ context.Context, msg *mailin.Message) (mailin.Issue, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.storeCalls++
	if m.StoreErr != nil {
		return "", m.StoreErr
	}
	if m.Reject != nil {
		if err := m.Reject(msg); err != nil {
			return "", err
		}
	}
	if m.findLocked(msg.Mailbox, msg.UIDValidity, msg.UID) >= 0 {
		return "", mailin.ErrRecorded
	}
	issue := msg.Issue
	acc := msg.Accepted()
	if issue == mailin.IssueStored || issue == mailin.IssueUnmatched {
		for _, d := range acc {
			if err := verify(d); err != nil {
				return "", err
			}
		}
		if m.files == nil {
			m.files = map[string]*File{}
		}
		already := 0
		for _, d := range acc {
			f := m.files[d.SHA256]
			if f == nil {
				f = &File{SHA256: d.SHA256, Size: d.Size, Name: d.Name, ContentType: d.ContentType, Coops: map[int64]string{}}
				m.files[d.SHA256] = f
			}
			if _, ok := f.Coops[msg.Coop.ID]; ok && issue == mailin.IssueStored {
				already++
			}
			f.Coops[msg.Coop.ID] = d.Type
		}
		if issue == mailin.IssueStored && already == len(acc) {
			issue = mailin.IssueDuplicate
		}
	}
	m.ledger = append(m.ledger, Entry{
		Mailbox: msg.Mailbox, UIDValidity: msg.UIDValidity, UID: msg.UID,
		MessageID: msg.MessageID, Issue: issue, Reason: msg.Reason, Coop: msg.Coop,
		Subject: msg.Subject, From: msg.From, Exercice: msg.Exercice, Type: msg.Type, Automatic: msg.Automatic,
		Documents: append([]mailin.Document(nil), msg.Documents...),
	})
	return issue, nil
}

// verify re-reads a spooled file: the sink must get the bytes mailin hashed.
func verify(d mailin.Document) error {
	f, err := os.Open(d.Path)
	if err != nil {
		return fmt.Errorf("verify %s: %w", d.Name, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("verify %s: %w", d.Name, err)
	}
	if n != d.Size || hex.EncodeToString(h.Sum(nil)) != d.SHA256 {
		return fmt.Errorf("verify %s: size or sha256 mismatch", d.Name)
	}
	return nil
}

// Ledger returns a copy of the recorded entries.
func (m *Memory) Ledger() []Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Entry(nil), m.ledger...)
}

// Files returns the stored files by SHA-256.
func (m *Memory) Files() map[string]File {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]File{}
	for k, f := range m.files {
		out[k] = *f
	}
	return out
}

// StoreCalls counts calls to Store, failed ones included.
func (m *Memory) StoreCalls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.storeCalls
}

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// TryAcquire implements mailin.Lease.
func (m *Memory) TryAcquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.leases == nil {
		m.leases = map[string]lease{}
	}
	l, ok := m.leases[name]
	if ok && l.holder != holder && m.now().Before(l.expires) {
		return false, nil
	}
	m.leases[name] = lease{holder: holder, expires: m.now().Add(ttl)}
	return true, nil
}

// Renew implements mailin.Lease.
func (m *Memory) Renew(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[name]
	if !ok || l.holder != holder {
		return false, nil
	}
	m.leases[name] = lease{holder: holder, expires: m.now().Add(ttl)}
	return true, nil
}

// Release implements mailin.Lease.
func (m *Memory) Release(_ context.Context, name, holder string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[name]; ok && l.holder == holder {
		delete(m.leases, name)
	}
	return nil
}
