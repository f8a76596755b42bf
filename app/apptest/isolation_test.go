package apptest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// publicRoutes are reachable without logging in.
var publicRoutes = map[string]bool{
	"GET /connexion": true, "POST /connexion": true, "GET /static/*file": true, "GET /healthz": true,
	"GET /mot-de-passe-oublie": true, "POST /mot-de-passe-oublie": true, "GET /reinitialiser/:token": true, "POST /reinitialiser/:token": true,
}

var paramRE = regexp.MustCompile(`[:*][a-z_]+`)

// victimIDs gives, for every route parameter name, the id of an object
// that belongs to AD B (coop "Victime Bêta"). A route with a parameter that
// is not listed here fails the test: whoever adds a route must say which
// foreign object it is tried with.
func (w *world) victimIDs() map[string]string {
	ids := map[string]string{
		"coop": itoa(w.coopB.ID),
	}
	for k, v := range w.extraVictims {
		ids[k] = v
	}
	return ids
}

// TestIsolationEveryRoute walks every route of the production router and
// requests it, with AD B's ids, as an anonymous visitor, as the mandataire
// of another coop and as staff and admin of another AD. Anonymous visitors
// are sent to the login page; the others get a 404 for any route naming a
// foreign id, and never see or change AD B's data: every row of AD B in
// every table (victimSnapshot) is the same after the walk. It runs on
// SQLite and on PostgreSQL.
func TestIsolationEveryRoute(t *testing.T) {
	eachIsolationWorld(t, testIsolationEveryRoute)
}

func testIsolationEveryRoute(t *testing.T, w *isolationWorld) {
	w.seedVictimObjects()
	victims := w.victimIDs()
	routes := w.app.Web.Router().Routes()
	if len(routes) < 10 {
		t.Fatalf("only %d routes found", len(routes))
	}
	before := w.victimSnapshot()
	clients := map[string]*client{
		"anonymous":             w.anon(),
		"mandataire autre coop": w.login("0310036W"),
		"staff autre AD":        w.login("staff@a.example"),
		"admin autre AD":        w.login("admin@a.example"),
	}
	markers := []string{"Victime Bêta", "0700001L", "0700001l", victimAmount.Number(), victimAmount.Plain()}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		if publicRoutes[key] {
			continue
		}
		params := paramRE.FindAllString(rt.Path, -1)
		path := rt.Path
		for _, p := range params {
			id, ok := victims[p[1:]]
			if !ok {
				t.Fatalf("route %s: no victim id for parameter %s (add it to victimIDs)", key, p)
			}
			path = strings.Replace(path, p, id, 1)
		}
		for who, c := range clients {
			var res *http.Response
			switch rt.Method {
			case http.MethodGet:
				res = c.get(path)
			case http.MethodPost:
				res = c.post(path, url.Values{"nom": {"Intrusion"}, "motif": {"intrusion"}, "statut": {"active"}, "tenue": {"cahier"}})
			default:
				t.Fatalf("route %s: method not covered by the isolation test", key)
			}
			b := body(t, res)
			for _, m := range markers {
				if strings.Contains(b, m) {
					t.Errorf("%s → %s: response shows AD B's data (%q)", who, key, m)
				}
			}
			switch {
			case who == "anonymous":
				loc := res.Header.Get("Location")
				if (res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther) || !strings.HasPrefix(loc, "/connexion") {
					t.Errorf("anonymous → %s: %d %s, want a redirect to the login page", key, res.StatusCode, loc)
				}
			case len(params) > 0 && res.StatusCode != http.StatusNotFound:
				t.Errorf("%s → %s: status %d, want 404", who, key, res.StatusCode)
			}
		}
	}
	for _, change := range before.changes(w.victimSnapshot()) {
		t.Errorf("AD B's data changed: %s", change)
	}
}
