package apptest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"retkoop/app/store/storetest"
)

// newBrowser starts headless Debian Chromium (RETKOOP_TEST_CHROMIUM) with a
// fresh profile and returns a chromedp context with its own browser
// context (cookies are per host, not per port), bounded in time. Skipped
// locally when Chromium is not configured; a failure in CI.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("RETKOOP_TEST_CHROMIUM")
	if path == "" {
		storetest.Require(t, "RETKOOP_TEST_CHROMIUM is not set: browser journeys skipped (.ci/run sets it)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// WithNewBrowserContext needs a running browser: start it first.
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelCtx := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start browser context: %v", err)
	}
	return ctx
}

// browse runs steps and fails the test with the page's text on error.
func browse(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s: %v\nat %s\n%.1500s", what, err, loc, body)
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// browserLogin logs in through the real login form.
func browserLogin(t *testing.T, ctx context.Context, w *world, login, password string) {
	t.Helper()
	browse(t, ctx, "login "+login,
		chromedp.Navigate(w.srv.URL+"/connexion"),
		chromedp.WaitVisible(chromedp.ID("identifiant")),
		chromedp.SendKeys(chromedp.ID("identifiant"), login),
		chromedp.SendKeys(chromedp.ID("mot_de_passe"), password),
		chromedp.Submit(chromedp.ID("login-form")),
	)
}

// TestBrowserLoginJourneys: a mandataire with an issued password logs in
// typing the UAI in lower case, is made to choose a password, sees the
// coop's parameters and logs out; a staff member logs in, searches the
// coops and logs out.
func TestBrowserLoginJourneys(t *testing.T) {
	w := newWorld(t)
	ctx := newBrowser(t)
	w.setPassword("0310036W", "mot-de-passe-emis", true)
	browserLogin(t, ctx, w, "0310036w", "mot-de-passe-emis")
	browse(t, ctx, "forced change",
		chromedp.WaitVisible(chromedp.ID("password-form")),
		chromedp.SendKeys(chromedp.ID("actuel"), "mot-de-passe-emis"),
		chromedp.SendKeys(chromedp.ID("nouveau"), "mon-secret-a-moi"),
		chromedp.SendKeys(chromedp.ID("confirmation"), "mon-secret-a-moi"),
		chromedp.Submit(chromedp.ID("password-form")),
		chromedp.WaitVisible(chromedp.ID("coop-params")),
	)
	if got := textOf(t, ctx, "#coop-uai"); got != "0310036W" {
		t.Fatalf("coop page shows UAI %q", got)
	}
	if got := textOf(t, ctx, "h1"); got != "École Alpha" {
		t.Fatalf("coop page title %q", got)
	}
	browse(t, ctx, "logout",
		chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.Navigate(w.srv.URL+"/coop"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
	)

	browserLogin(t, ctx, w, "STAFF@a.example", w.pw["staff@a.example"])
	browse(t, ctx, "staff list",
		chromedp.WaitVisible(chromedp.ID("coops")),
		chromedp.SendKeys(chromedp.ID("q"), "muret"),
		chromedp.Submit(chromedp.CSS(`form[role="search"]`)),
		chromedp.WaitNotPresent(chromedp.ID("coop-"+itoa(w.coopA.ID))),
	)
	if got := textOf(t, ctx, "#coops tbody"); !strings.Contains(got, "École Alpha-Deux") {
		t.Fatalf("search result %q", got)
	}
	browse(t, ctx, "staff logout",
		chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
		chromedp.WaitVisible(chromedp.ID("login-form")),
	)
}
