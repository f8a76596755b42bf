package auth

import (
	"fmt"
	"sync"
	"time"
)

// Throttle counts failed logins per key (identifier, IP) in a sliding
// window and blocks a key after too many failures.
type Throttle struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

// NewThrottle allows max failures per key within window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{max: max, window: window, fails: map[string][]time.Time{}}
}

// Blocked reports whether key is blocked at now, and until when.
func (t *Throttle) Blocked(key string, now time.Time) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.prune(key, now)
	if len(f) >= t.max {
		return true, f[0].Add(t.window)
	}
	return false, time.Time{}
}

// Fail records a failure for key at now.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails[key] = append(t.prune(key, now), now)
	if len(t.fails) > 100000 { // bound memory under a spray of identifiers
		for k := range t.fails {
			t.prune(k, now)
		}
	}
}

// Reset forgets the failures of key (after a successful login).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	f := t.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= t.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = f
	return f
}

// WaitMessage is the French message shown to a blocked user.
func WaitMessage(until, now time.Time) string {
	m := int(until.Sub(now).Minutes()) + 1
	return fmt.Sprintf("Trop de tentatives de connexion. Réessayez dans %d minute%s.", m, plural(m))
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
