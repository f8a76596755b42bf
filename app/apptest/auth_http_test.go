package apptest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginWithLowerCaseUAI(t *testing.T) {
	w := newWorld(t)
	c := w.login(" 0310036w ")
	res := c.get("/")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/coop" {
		t.Fatalf("home redirect = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	doc := c.doc(c.get("/coop"))
	if got := doc.Find("#coop-uai").Text(); got != "0310036W" {
		t.Fatalf("coop uai = %q", got)
	}
	if iban := doc.Find("#coop-iban").Text(); strings.Contains(iban, "0112 3456") || !strings.HasSuffix(iban, "0189") {
		t.Fatalf("IBAN not masked: %q", iban)
	}
	if got := doc.Find("#exercices td.num").First().Text(); got != "1\u00a0000,00\u00a0€" {
		t.Fatalf("opening bank shown as %q", got)
	}
}

func TestStaffLoginAndCoopList(t *testing.T) {
	w := newWorld(t)
	c := w.login("STAFF@A.example")
	doc := c.doc(c.get("/ad/coops"))
	rows := doc.Find("#coops tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("staff sees %d coops, want 2", rows.Length())
	}
	if strings.Contains(doc.Text(), "Victime") {
		t.Fatal("staff of AD A sees a coop of AD B")
	}
	doc = c.doc(c.get("/ad/coops?q=muret"))
	if doc.Find("#coops tbody tr").Length() != 1 {
		t.Fatal("search by commune failed")
	}
	// htmx request: only the content, no layout, and Vary set.
	res := c.get("/ad/coops?q=alpha", "HX-Request", "true")
	b := body(t, res)
	if strings.Contains(b, "<html") || !strings.Contains(b, "École Alpha") || res.Header.Get("Vary") != "HX-Request" {
		t.Fatalf("fragment rendering wrong (vary %q): %.200s", res.Header.Get("Vary"), b)
	}
	// A boosted request gets the full page.
	if b := body(t, c.get("/ad/coops", "HX-Request", "true", "HX-Boosted", "true")); !strings.Contains(b, "<html") {
		t.Fatal("boosted request did not get the full page")
	}
}

func TestWrongPasswordAndThrottle(t *testing.T) {
	w := newWorld(t)
	c := w.anon()
	for i := 0; i < 5; i++ {
		res := c.post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {"faux"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i, res.StatusCode)
		}
		if !strings.Contains(body(t, res), "Identifiant ou mot de passe incorrect.") {
			t.Fatal("missing French error")
		}
	}
	// The sixth attempt is refused even with the right password.
	res := c.post("/connexion", url.Values{"identifiant": {"0310036w"}, "mot_de_passe": {w.pw["0310036W"]}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body(t, res), "Trop de tentatives") {
		t.Fatalf("throttled login: %d", res.StatusCode)
	}
	// Another identifier from the same IP still works (per-identifier lock).
	w.login("0310100R")
}

func TestThrottlePerIP(t *testing.T) {
	w := newWorld(t)
	c := w.anon()
	for i := 0; i < 30; i++ {
		c.post("/connexion", url.Values{"identifiant": {"inconnu" + string(rune('a'+i%26)) + "@x.example"}, "mot_de_passe": {"x"}})
	}
	res := c.post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {w.pw["0310036W"]}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("IP not throttled after spraying identifiers: %d", res.StatusCode)
	}
}

func TestUnknownUserAndNoPassword(t *testing.T) {
	w := newWorld(t)
	c := w.anon()
	res := c.post("/connexion", url.Values{"identifiant": {"personne@nulle.part"}, "mot_de_passe": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown user: %d", res.StatusCode)
	}
}

func TestForcedPasswordChange(t *testing.T) {
	w := newWorld(t)
	w.setPassword("0310036W", "initial-issued-pw", true)
	c := w.login("0310036W")
	// Every page leads to the password form until it is changed.
	for _, p := range []string{"/", "/coop", "/ad/coops"} {
		res := c.get(p)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/mot-de-passe" {
			t.Fatalf("%s: %d → %s", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	// Bad inputs.
	cases := []struct{ actuel, nouveau, conf, msg string }{
		{"faux", "nouveau-mot-de-passe", "nouveau-mot-de-passe", "actuel est incorrect"},
		{"initial-issued-pw", "court", "court", "au moins 10"},
		{"initial-issued-pw", "nouveau-mot-de-passe", "autre-mot-de-passe", "pas identiques"},
	}
	for _, tc := range cases {
		res := c.post("/mot-de-passe", url.Values{"actuel": {tc.actuel}, "nouveau": {tc.nouveau}, "confirmation": {tc.conf}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(t, res), tc.msg) {
			t.Fatalf("case %+v: status %d", tc, res.StatusCode)
		}
	}
	other := w.anon() // a second device logged in before the change
	other.post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {"initial-issued-pw"}})
	res := c.post("/mot-de-passe", url.Values{"actuel": {"initial-issued-pw"}, "nouveau": {"un-vrai-secret-long"}, "confirmation": {"un-vrai-secret-long"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", res.StatusCode)
	}
	if res := c.get("/coop"); res.StatusCode != http.StatusOK {
		t.Fatalf("after change, /coop = %d", res.StatusCode)
	}
	// The other device's session ended with the change.
	if res := other.get("/coop"); res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
		t.Fatalf("old session still valid: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The old password no longer works, the new one does.
	w.pw["0310036W"] = "un-vrai-secret-long"
	w.login("0310036W")
}

func TestLogoutInvalidatesSession(t *testing.T) {
	w := newWorld(t)
	c := w.login("0310036W")
	cookie := c.http.Jar.Cookies(mustURL(w.srv.URL))
	res := c.post("/deconnexion", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion" {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	// Replaying the old cookie (as a thief would) does not work.
	thief := w.anon()
	thief.http.Jar.SetCookies(mustURL(w.srv.URL), cookie)
	if res := thief.get("/coop"); res.StatusCode != http.StatusFound {
		t.Fatalf("old cookie still accepted: %d", res.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	w := newWorld(t)
	c := w.login("staff@a.example")
	path := "/ad/coops/" + itoa(w.coopA.ID)
	form := url.Values{"nom": {"Piratée"}, "statut": {"active"}, "tenue": {"cahier"}}
	// No token.
	form.Set("csrf", "")
	if res := c.post(path, form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("missing token: %d", res.StatusCode)
	}
	// Wrong token.
	form.Set("csrf", "x"+c.csrf)
	if res := c.post(path, form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}
	// Right token but a cross-site request (browser headers).
	form.Set("csrf", c.csrf)
	if res := c.post(path, form, "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site request: %d", res.StatusCode)
	}
	if res := c.post(path, form, "Origin", "https://evil.example"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %d", res.StatusCode)
	}
	// Login CSRF: a cross-site POST to the login form is refused too.
	if res := w.anon().post("/connexion", url.Values{"identifiant": {"x"}, "mot_de_passe": {"y"}}, "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site login: %d", res.StatusCode)
	}
	co, _ := w.db.ForCoop(t.Context(), w.coopA.ID, nil)
	got, _ := co.Coop(t.Context())
	if got.Name == "Piratée" {
		t.Fatal("a refused request changed the coop")
	}
	// The header variant used by htmx works.
	form.Del("csrf")
	c2 := *c
	c2.csrf = ""
	if res := c2.post(path, form, "X-CSRF-Token", c.csrf, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("header token: %d", res.StatusCode)
	}
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	w := newWorld(t)
	res := w.anon().get("/connexion")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("csp = %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("nosniff missing")
	}
	b := body(t, res)
	if strings.Contains(b, "<script>") || strings.Contains(b, " style=") {
		t.Fatal("inline script or style in the page")
	}
	res = w.login("0310036W").get("/nulle-part")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body(t, res), "Page introuvable") {
		t.Fatalf("404 page: %d", res.StatusCode)
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	w := newWorld(t)
	doc := w.anon().doc(w.anon().get("/connexion"))
	src, _ := doc.Find(`script[src*="htmx"]`).Attr("src")
	if !strings.HasPrefix(src, "/static/htmx.min.") || src == "/static/htmx.min.js" {
		t.Fatalf("htmx url not hashed: %q", src)
	}
	res := w.anon().get(src)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("static: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if b := body(t, res); !strings.Contains(b, `version:"2.0.11"`) {
		t.Fatal("vendored htmx is not 2.0.11")
	}
	if res := w.anon().get("/static/htmx.min.js"); res.StatusCode != 404 {
		t.Fatalf("unhashed static name served: %d", res.StatusCode)
	}
}

func TestStaffEditsCoopAudited(t *testing.T) {
	w := newWorld(t)
	c := w.login("staff@a.example")
	path := "/ad/coops/" + itoa(w.coopA.ID)
	bad := url.Values{"nom": {""}, "iban": {"FR76 0000"}, "email": {"pas-un-email"}, "code_postal": {"31"}, "statut": {"active"}, "tenue": {"cahier"}}
	res := c.post(path, bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid edit: %d", res.StatusCode)
	}
	doc := c.doc(res)
	if n := doc.Find("#form-errors li").Length(); n != 4 {
		t.Fatalf("want 4 listed problems, got %d: %s", n, doc.Find("#form-errors").Text())
	}
	good := url.Values{"nom": {"École Alpha rénovée"}, "iban": {"FR76 3000 6000 0112 3456 7890 189"}, "email": {"Nouveau@Ecole.example"},
		"code_postal": {"31000"}, "commune": {"Toulouse"}, "statut": {"active"}, "tenue": {"saisie"}, "mandataire": {"Mme Nouvelle"}}
	if res := c.post(path, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	doc = c.doc(c.get(path + "?ok=1"))
	if v, _ := doc.Find("#nom").Attr("value"); v != "École Alpha rénovée" {
		t.Fatalf("name = %q", v)
	}
	if v, _ := doc.Find("#email").Attr("value"); v != "nouveau@ecole.example" {
		t.Fatalf("email = %q", v)
	}
	n, err := w.db.System().AuditCount(t.Context(), w.coopA.ID, "coop.update")
	if err != nil || n != 1 {
		t.Fatalf("audit rows = %d, %v", n, err)
	}
}

func TestStaffIssuesPasswordAndAdminCreatesStaff(t *testing.T) {
	w := newWorld(t)
	c := w.login("staff@a.example")
	doc := c.doc(c.post("/ad/coops/"+itoa(w.coopA.ID)+"/mot-de-passe", nil))
	pw := doc.Find("#issued-password code").Text()
	if len(pw) < 12 {
		t.Fatalf("issued password %q", pw)
	}
	m := w.anon()
	if res := m.post("/connexion", url.Values{"identifiant": {"0310036w"}, "mot_de_passe": {pw}}); res.Header.Get("Location") != "/mot-de-passe" {
		t.Fatalf("issued password login → %s", res.Header.Get("Location"))
	}
	// Staff is not admin: the team page is a 404.
	if res := c.get("/ad/admin/equipe"); res.StatusCode != 404 {
		t.Fatalf("staff on admin page: %d", res.StatusCode)
	}
	admin := w.login("admin@a.example")
	res := admin.post("/ad/admin/equipe", url.Values{"nom": {"Nouvel Agent"}, "email": {"agent@a.example"}, "role": {"staff"}})
	doc = admin.doc(res)
	newPw := doc.Find("#issued-password code").Text()
	if res.StatusCode != 200 || newPw == "" {
		t.Fatalf("create staff: %d", res.StatusCode)
	}
	if doc.Find("#staff tbody tr").Length() != 3 {
		t.Fatal("new staff not listed")
	}
	if res := admin.post("/ad/admin/equipe", url.Values{"nom": {"Doublon"}, "email": {"agent@a.example"}, "role": {"staff"}}); res.StatusCode != 422 {
		t.Fatalf("duplicate staff: %d", res.StatusCode)
	}
}
