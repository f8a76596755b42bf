package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"retkoop/app/store"
	"retkoop/app/uai"
)

const coopsHeader = "uai;nom;adresse;code_postal;commune;mandataire;email;iban;solde_banque;solde_caisse\n"

func (w *world) adCoops() []store.Coop {
	w.t.Helper()
	ad, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	coops, _, err := ad.Coops(context.Background(), store.CoopFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	return coops
}

// TestCoopsImportInTheUI: a file with one bad line (among good ones) is
// refused with every problem listed and nothing written; a good file is
// previewed (creations, updates) and imported only once confirmed, all
// at once; the new coops' password letters print in one PDF.
func TestCoopsImportInTheUI(t *testing.T) {
	w := newWorld(t)
	admin := w.login("admin@a.example")
	if res := w.login("staff@a.example").get("/ad/admin/coops/import"); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff (not admin) on the import: %d", res.StatusCode)
	}
	before := len(w.adCoops())
	bad := coopsHeader +
		"0310555K;École Nouvelle;1 rue Neuve;31000;Toulouse;Mme Neuve;neuve@ecole.example;;1 234,56;12\n" +
		"0310036X;École à l'UAI fausse;;31000;Toulouse;;;;0;0\n" +
		"0310556L;;;3100;Toulouse;;pas-une-adresse;;abc;0\n"
	res := admin.postMultipart("/ad/admin/coops/import", url.Values{"exercice": {ex25}}, "fichier", "coops.csv", []byte(bad))
	doc := admin.doc(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d", res.StatusCode)
	}
	errs := doc.Find("#import-errors li")
	text := errs.Text()
	for _, want := range []string{"ligne 3", "ligne 4", "code postal", "e-mail", "solde_banque"} {
		if !strings.Contains(text, want) {
			t.Errorf("the problems %q lack %q", text, want)
		}
	}
	if strings.Contains(text, "ligne 2 ") {
		t.Errorf("the good line is reported: %q", text)
	}
	if !strings.Contains(doc.Find("#import-errors").Text(), "Rien n'a été enregistré") || len(w.adCoops()) != before {
		t.Fatal("a refused file wrote something")
	}

	good := coopsHeader +
		"0310555K;École Nouvelle;1 rue Neuve;31000;Toulouse;Mme Neuve;neuve@ecole.example;;1 234,56;12\n" +
		"0310036W;École Alpha rénovée;;31000;Toulouse;M. École Alpha;0310036w@ecole.example;FR7630006000011234567890189;1000;20\n"
	res = admin.postMultipart("/ad/admin/coops/import", url.Values{"exercice": {ex25}}, "fichier", "coops.csv", []byte(good))
	doc = admin.doc(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(doc.Find("#import-summary").Text(), "1 coopérative à créer, 1 à mettre à jour") {
		t.Fatalf("preview: %d %q", res.StatusCode, doc.Find("#import-summary").Text())
	}
	if got := doc.Find("#import-preview tbody").Text(); !strings.Contains(got, "création") || !strings.Contains(got, "mise à jour : nom") {
		t.Errorf("preview table: %q", got)
	}
	if len(w.adCoops()) != before {
		t.Fatal("the preview wrote something")
	}
	confirm := url.Values{}
	doc.Find("#import-confirm input").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		confirm.Set(n, v)
	})
	res = admin.post("/ad/admin/coops/import", confirm)
	doc = admin.doc(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(doc.Find("#import-result").Text(), "1 coopérative créée, 1 mise à jour") {
		t.Fatalf("import: %d %q", res.StatusCode, doc.Find("#import-result").Text())
	}
	ad, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	co, err := ad.CoopByUAI(context.Background(), "0310555K")
	if err != nil || co.Name != "École Nouvelle" || co.MandataireEmail != "neuve@ecole.example" {
		t.Fatalf("created coop: %+v %v", co, err)
	}
	if a, _ := ad.CoopByUAI(context.Background(), "0310036W"); a.Name != "École Alpha rénovée" {
		t.Errorf("updated coop: %q", a.Name)
	}
	ex, err := w.coopScope(co).Exercice(context.Background(), ex25)
	if err != nil || ex.OpeningBank != 123456 || ex.OpeningCash != 1200 {
		t.Errorf("opening balances: %+v %v", ex, err)
	}
	// The letters of the new coops: a PDF, and the password works.
	ids := doc.Find(`#letters-form input[name="coop"]`)
	if ids.Length() != 1 {
		t.Fatalf("%d coops offered for letters", ids.Length())
	}
	id, _ := ids.Attr("value")
	res = admin.post("/ad/admin/coops/courriers", url.Values{"coop": {id}})
	pdf := body(t, res)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("letters: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res := admin.post("/ad/admin/coops/courriers", url.Values{"coop": {itoa(w.coopB.ID)}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("letter for AD B's coop: %d", res.StatusCode)
	}
	// A UAI that is another AD's coop is refused at the preview.
	other := uai.Make(700002)
	adB, _ := w.db.ForAD(context.Background(), w.adB.ID, nil)
	if _, err := adB.ImportCoops(context.Background(), []store.CoopImport{{UAI: other, Params: store.CoopParams{Name: "École de l'AD B"}}}, ex25); err != nil {
		t.Fatal(err)
	}
	clash := coopsHeader + other + ";Intrusion;;70000;Vesoul;;;;0;0\n"
	res = admin.postMultipart("/ad/admin/coops/import", url.Values{"exercice": {ex25}}, "fichier", "c.csv", []byte(clash))
	if b := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(htmlText(t, b), "ligne 2 : l'UAI "+other+" est déjà l'identifiant") {
		t.Errorf("clash with another AD: %d %s", res.StatusCode, htmlText(t, b))
	}
}

// TestPasswordLetterAndAccessMail: the letter's password logs the
// mandataire in (and the old one stops working); the access e-mail is
// queued with a link, never a password.
func TestPasswordLetterAndAccessMail(t *testing.T) {
	w := newWorld(t)
	w.app.Now = func() time.Time { return septNow }
	staff := w.login("staff@a.example")
	res := staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/mot-de-passe/courrier", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("letter: %d %v", res.StatusCode, res.Header)
	}
	pdf := []byte(body(t, res))
	text := extractPDFText(t, pdf)
	for _, want := range []string{"École Alpha", "0310036W", w.app.Cfg.BaseURL.String(), "Avant le 30 septembre 2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
	i := strings.Index(text, "Mot de passe provisoire")
	if i < 0 {
		t.Fatalf("no password in the letter:\n%s", text)
	}
	pw := strings.Fields(text[i+len("Mot de passe provisoire"):])[0]
	old := w.anon().post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {w.pw["0310036W"]}})
	if old.StatusCode == http.StatusSeeOther {
		t.Error("the old password still works")
	}
	login := w.anon().post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {pw}})
	if login.StatusCode != http.StatusSeeOther || login.Header.Get("Location") != "/mot-de-passe" {
		t.Errorf("the letter's password %q: %d %s", pw, login.StatusCode, login.Header.Get("Location"))
	}

	res = staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/mot-de-passe/courriel", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("access mail: %d %.300s", res.StatusCode, body(t, res))
	}
	if got := staff.follow(res).Find("#access-notice").Text(); !strings.Contains(got, "lien pour choisir un mot de passe") {
		t.Errorf("notice %q", got)
	}
	ad, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	mails, _, _ := ad.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailPasswordReset})
	if len(mails) != 1 || mails[0].To != "0310036w@ecole.example" || !strings.Contains(mails[0].Text, "/reinitialiser/") ||
		!strings.Contains(mails[0].Text, "7 jours") || strings.Contains(mails[0].Text, pw) {
		t.Fatalf("access mail: %+v", mails)
	}
}

// TestChangeOfMandataire: the old mandataire loses access at once (the
// password and the open sessions), the history keeps who it was, the new
// one gets a link; the coop's data stay.
func TestChangeOfMandataire(t *testing.T) {
	w := newWorld(t)
	old := w.login("0310036W")
	staff := w.login("staff@a.example")
	res := staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/mandataire", url.Values{"nom": {"Mme Relève"}, "email": {"releve@ecole.example"},
		"motif": {"mutation"}, "courriel": {"1"}})
	doc := staff.follow(res)
	if !strings.Contains(doc.Find("#access-notice").Text(), "Nouveau mandataire enregistré") {
		t.Fatalf("notice: %q", doc.Find("#access-notice").Text())
	}
	if h := doc.Find("#mandataire-history tbody").Text(); !strings.Contains(h, "M. École Alpha") || !strings.Contains(h, "Mme Relève") || !strings.Contains(h, "mutation") {
		t.Errorf("history: %q", h)
	}
	if res := old.get("/coop"); res.StatusCode == http.StatusOK {
		t.Error("the old mandataire's session still works")
	}
	if res := w.anon().post("/connexion", url.Values{"identifiant": {"0310036W"}, "mot_de_passe": {w.pw["0310036W"]}}); res.StatusCode == http.StatusSeeOther {
		t.Error("the old password still works")
	}
	ad, _ := w.db.ForAD(context.Background(), w.adA.ID, nil)
	co, _ := ad.CoopByUAI(context.Background(), "0310036W")
	if co.MandataireName != "Mme Relève" || co.MandataireEmail != "releve@ecole.example" {
		t.Errorf("coop: %+v", co)
	}
	mails, _, _ := ad.Outbox(context.Background(), store.OutboxFilter{Kind: store.MailPasswordReset})
	if len(mails) != 1 || mails[0].To != "releve@ecole.example" {
		t.Fatalf("the new mandataire's link: %+v", mails)
	}
	if res := staff.post("/ad/coops/"+itoa(w.coopA.ID)+"/mandataire", url.Values{"nom": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no name: %d", res.StatusCode)
	}
}

// TestAdminManagesTheTeam: an admin disables a staff account (its session
// ends), enables it, issues it a new password; nobody disables
// themselves; staff cannot.
func TestAdminManagesTheTeam(t *testing.T) {
	w := newWorld(t)
	staff := w.login("staff@a.example")
	admin := w.login("admin@a.example")
	su, _ := w.db.Auth().UserByLogin(context.Background(), "staff@a.example")
	au, _ := w.db.Auth().UserByLogin(context.Background(), "admin@a.example")
	if res := staff.post("/ad/admin/equipe/"+itoa(au.ID)+"/desactiver", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("staff disabling the admin: %d", res.StatusCode)
	}
	if res := admin.post("/ad/admin/equipe/"+itoa(su.ID)+"/desactiver", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := staff.get("/ad/dossiers"); res.StatusCode == http.StatusOK {
		t.Error("a disabled account's session still works")
	}
	if res := w.anon().post("/connexion", url.Values{"identifiant": {"staff@a.example"}, "mot_de_passe": {w.pw["staff@a.example"]}}); res.StatusCode == http.StatusSeeOther {
		t.Error("a disabled account logs in")
	}
	if res := admin.post("/ad/admin/equipe/"+itoa(au.ID)+"/desactiver", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("disabling oneself: %d", res.StatusCode)
	}
	admin.post("/ad/admin/equipe/"+itoa(su.ID)+"/activer", nil)
	res := admin.post("/ad/admin/equipe/"+itoa(su.ID)+"/mot-de-passe", nil)
	doc := admin.doc(res)
	pw := doc.Find("#issued-password code").Text()
	if res.StatusCode != http.StatusOK || pw == "" || !strings.Contains(doc.Find("#issued-password").Text(), "Nouveau mot de passe pour") {
		t.Fatalf("new password: %d %q", res.StatusCode, doc.Find("#issued-password").Text())
	}
	if res := w.anon().post("/connexion", url.Values{"identifiant": {"staff@a.example"}, "mot_de_passe": {pw}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password: %d", res.StatusCode)
	}
}
