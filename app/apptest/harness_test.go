package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app"
	"retkoop/app/auth"
	"retkoop/app/config"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

// cheapHash keeps the hundreds of logins of the test suite fast; the
// production parameters are checked in app/auth.
var cheapHash = auth.Params{Memory: 64, Time: 1, Threads: 1}

// world is a running app with two ADs; each has a staff member and an
// admin, and two coops with a mandataire login each. The "victim" objects
// of AD B are what the isolation test tries to reach from AD A's users.
type world struct {
	t      *testing.T
	app    *app.App
	db     *store.DB
	srv    *httptest.Server
	adA    *store.AD
	adB    *store.AD
	coopA  *store.Coop // 0310036W, AD A
	coopA2 *store.Coop // 0310100R, AD A
	coopB  *store.Coop // 0700001L, AD B
	pw     map[string]string

	extraVictims map[string]string
}

const testPassword = "mot-de-passe-de-test"

// victimAmount is AD B's coop opening bank balance: 7 777,77 €.
const victimAmount = money.Money(777777)

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldOn(t, storetest.SQLite(t))
}

func newWorldOn(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadConfig(func(k string) string {
		if k == "RETKOOP_DATA_DIR" {
			return t.TempDir()
		}
		if k == "RETKOOP_SECRET" {
			return strings.Repeat("s", 40)
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, db, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.HashParams = cheapHash
	w := &world{t: t, app: a, db: db, pw: map[string]string{}}
	sys := db.System()
	w.adA, _ = sys.EnsureAD(ctx, "31", "OCCE 31")
	w.adB, _ = sys.EnsureAD(ctx, "70", "OCCE 70")
	for _, ad := range []*store.AD{w.adA, w.adB} {
		if err := sys.SeedChart(ctx, ad.ID, service.SeedChart()); err != nil {
			t.Fatal(err)
		}
	}
	scopeA, _ := db.ForAD(ctx, w.adA.ID, nil)
	scopeB, _ := db.ForAD(ctx, w.adB.ID, nil)
	mk := func(s *store.ADScope, uaiCode, name, commune string, opening money.Money) *store.Coop {
		if _, err := s.ImportCoops(ctx, []store.CoopImport{{UAI: uaiCode, Params: store.CoopParams{Name: name, Commune: commune,
			IBAN: "FR7630006000011234567890189", MandataireName: "M. " + name, MandataireEmail: strings.ToLower(uaiCode) + "@ecole.example"},
			OpeningBank: opening, OpeningCash: 2000}}, "2025-2026"); err != nil {
			t.Fatal(err)
		}
		c, err := s.CoopByUAI(ctx, uaiCode)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	w.coopA = mk(scopeA, "0310036W", "École Alpha", "Toulouse", 100000)
	w.coopA2 = mk(scopeA, "0310100R", "École Alpha-Deux", "Muret", 100000)
	// The victim's amounts are distinctive so that a leak shows in a page.
	w.coopB = mk(scopeB, "0700001L", "Victime Bêta", "Vesoul", victimAmount)
	for _, s := range []struct {
		scope       *store.ADScope
		login, role string
	}{{scopeA, "staff@a.example", store.RoleStaff}, {scopeA, "admin@a.example", store.RoleAdmin},
		{scopeB, "staff@b.example", store.RoleStaff}, {scopeB, "admin@b.example", store.RoleAdmin}} {
		if err := s.scope.CreateStaff(ctx, &store.User{Role: s.role, Login: s.login, Email: s.login, Name: "Agent " + s.login}); err != nil {
			t.Fatal(err)
		}
	}
	for _, login := range []string{"0310036W", "0310100R", "0700001L", "staff@a.example", "admin@a.example", "staff@b.example", "admin@b.example"} {
		w.setPassword(login, testPassword+"-"+login, false)
	}
	w.srv = httptest.NewServer(a.Handler())
	t.Cleanup(w.srv.Close)
	return w
}

func (w *world) setPassword(login, pw string, mustChange bool) {
	w.t.Helper()
	ctx := context.Background()
	u, err := w.db.Auth().UserByLogin(ctx, login)
	if err != nil {
		w.t.Fatal(err)
	}
	h, _ := auth.HashWith(pw, cheapHash)
	if err := w.db.Auth().SetPassword(ctx, u.ID, h, mustChange, nil); err != nil {
		w.t.Fatal(err)
	}
	w.pw[login] = pw
}

// client is a browser-like HTTP client with its own cookie jar that does
// not follow redirects (tests assert them).
type client struct {
	w    *world
	http *http.Client
	csrf string
}

func (w *world) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{w: w, http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login logs in and fails the test unless it lands where expected.
func (w *world) login(login string) *client {
	w.t.Helper()
	c := w.anon()
	pw := w.pw[auth.NormalizeLogin(login)]
	res := c.post("/connexion", url.Values{"identifiant": {login}, "mot_de_passe": {pw}})
	if res.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("login %s: status %d", login, res.StatusCode)
	}
	c.refreshCSRF()
	return c
}

// refreshCSRF reads the session's token from a page.
func (c *client) refreshCSRF() {
	c.w.t.Helper()
	res := c.get("/mot-de-passe")
	doc := c.doc(res)
	c.csrf, _ = doc.Find(`input[name="csrf"]`).First().Attr("value")
}

func (c *client) do(req *http.Request) *http.Response {
	c.w.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.w.t.Fatal(err)
	}
	c.w.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (c *client) get(path string, headers ...string) *http.Response {
	c.w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.w.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post sends a form with the session's CSRF token (unless the form sets
// its own "csrf" value).
func (c *client) post(path string, form url.Values, headers ...string) *http.Response {
	c.w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *client) doc(res *http.Response) *goquery.Document {
	c.w.t.Helper()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		c.w.t.Fatal(err)
	}
	return doc
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
