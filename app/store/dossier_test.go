package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/workflow"
)

var (
	paris    = workflow.Paris()
	septAt   = time.Date(2026, 9, 18, 10, 2, 11, 0, paris)
	mandBy   = workflow.Stamp{At: septAt, By: "Mandataire A1"}
	staffBy  = workflow.Stamp{At: septAt.Add(72 * time.Hour), By: "Agent AD"}
	errHook  = errors.New("hook failed")
	exercice = "2025-2026"
)

// addDoc records a document row for the coop (the bytes are not needed by
// the store).
func addDoc(t *testing.T, cs *store.CoopScope, n int) *store.Document {
	t.Helper()
	sum := fmt.Sprintf("%064x", n)
	d, _, err := cs.AddDocument(context.Background(), docstore.Stored{SHA256: sum, Size: int64(100 + n), MIME: "application/pdf"},
		fmt.Sprintf("piece-%d.pdf", n), "web")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func received(item workflow.ItemKey, doc *store.Document) workflow.DocumentReceived {
	return workflow.DocumentReceived{Stamp: mandBy, Item: item, Source: workflow.SourceWeb, DocumentID: doc.ID}
}

func TestCampaigns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		c, err := db.System().EnsureCampaign(ctx, f.adA.ID, exercice)
		if err != nil {
			t.Fatal(err)
		}
		wc, err := c.Workflow()
		if err != nil || c.Deadline != "2026-09-30" || wc.Deadline.Format(time.RFC3339) != "2026-09-30T00:00:00+02:00" ||
			workflow.FormatRules(wc.Rules) != workflow.FormatRules(workflow.DefaultRules()) {
			t.Fatalf("default campaign = %+v / %+v, %v", c, wc, err)
		}
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		again, err := adA.Campaign(ctx, exercice)
		if err != nil || again.ID != c.ID {
			t.Fatalf("AD campaign = %+v, %v; want id %d", again, err, c.ID)
		}
		rules, _ := workflow.ParseRules("J-15, J-7, J+1, +14")
		if err := adA.SetCampaign(ctx, exercice, time.Date(2026, 10, 15, 0, 0, 0, 0, paris), rules); err != nil {
			t.Fatal(err)
		}
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		seen, err := a1.Campaign(ctx, exercice)
		if err != nil || seen.ID != c.ID || seen.Deadline != "2026-10-15" || seen.Rules != "J-15, J-7, J+1, +14" {
			t.Fatalf("coop sees campaign %+v, %v", seen, err)
		}
		// AD B's campaign is its own.
		b1, _ := db.ForCoop(ctx, f.coopB1, nil)
		other, err := b1.Campaign(ctx, exercice)
		if err != nil || other.ID == c.ID || other.Deadline != "2026-09-30" {
			t.Fatalf("AD B campaign = %+v, %v", other, err)
		}
		if _, err := adA.Campaign(ctx, "2025"); err == nil {
			t.Fatal("invalid exercice accepted")
		} else if _, ok := fault.Message(err); !ok {
			t.Fatalf("invalid exercice: %v is not a user error", err)
		}
	})
}

func TestDossierOpensOnFirstAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		if _, err := a1.FindDossier(ctx, exercice); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("dossier before access: %v", err)
		}
		row, d, err := a1.Dossier(ctx, exercice)
		if err != nil {
			t.Fatal(err)
		}
		if row.ID == 0 || len(d.Items) != 7 || d.Items[0].Key != workflow.Cloture || row.Status != "incomplet" ||
			row.Score != 0 || row.Missing != "cloture,cra,crf,subventions,quitus,releve,justificatifs_subventions" || row.Version != 1 {
			t.Fatalf("new dossier = %+v %+v", row, d)
		}
		again, _, err := a1.Dossier(ctx, exercice)
		if err != nil || again.ID != row.ID {
			t.Fatalf("second access = %+v, %v", again, err)
		}
		if _, _, err := a1.Dossier(ctx, "2019-2020"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("exercice the coop does not have: %v", err)
		}
		// A coop entering its CRF directly has no Cloture item.
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		if err := adA.UpdateCoop(ctx, f.coopA2, store.CoopParams{Name: "École A2", Status: "active", BookMode: store.BookEntered}); err != nil {
			t.Fatal(err)
		}
		a2, _ := db.ForCoop(ctx, f.coopA2, nil)
		// A read-only scope opens nothing.
		ro, d2, err := a2.AsReadOnly().Dossier(ctx, exercice)
		if err != nil || ro.ID != 0 || len(d2.Items) != 6 || d2.Items[0].Key != workflow.CRA {
			t.Fatalf("read-only dossier = %+v %+v, %v", ro, d2, err)
		}
		if _, err := a2.FindDossier(ctx, exercice); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("read-only access opened the dossier: %v", err)
		}
		if _, _, err := a2.AsReadOnly().ApplyDossier(ctx, exercice, workflow.StepCompleted{Stamp: mandBy, Item: workflow.CRA}, nil); !errors.Is(err, fault.ErrReadOnly) {
			t.Fatalf("read-only apply: %v", err)
		}
	})
}

func TestApplyDossier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		actor := int64(0)
		u, err := db.System().UserByLogin(ctx, "0310036W")
		if err != nil {
			t.Fatal(err)
		}
		actor = u.ID
		a1, _ := db.ForCoop(ctx, f.coopA1, &actor)
		quitus := addDoc(t, a1, 1)
		var hooked []workflow.Effect
		hook := func(_ context.Context, tx *store.CoopScope, d workflow.Dossier, effects []workflow.Effect) error {
			if tx.ID() != f.coopA1 {
				t.Errorf("hook scope of coop %d", tx.ID())
			}
			hooked = effects
			return nil
		}
		d, _, err := a1.ApplyDossier(ctx, exercice, received(workflow.Quitus, quitus), hook)
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := d.Item(workflow.Quitus); it.Status != workflow.ItemRecu || len(it.Documents) != 1 {
			t.Fatalf("quitus after upload = %+v", it)
		}
		row, err := a1.FindDossier(ctx, exercice)
		if err != nil {
			t.Fatal(err)
		}
		if row.Version != 2 || row.Score != 14 || row.Unreviewed != 1 || strings.Contains(row.Missing, "quitus") ||
			!row.LastActivity.Equal(septAt) || !row.TransmittedAt.IsZero() {
			t.Fatalf("row after upload = %+v", row)
		}
		docs, err := a1.DossierDocuments(ctx, row.ID)
		if err != nil || len(docs) != 1 || docs[0].Document.Name != "piece-1.pdf" || docs[0].Item != "quitus" ||
			docs[0].Source != "web" || !docs[0].ReceivedAt.Equal(septAt) {
			t.Fatalf("dossier documents = %+v, %v", docs, err)
		}

		// The staff ask for a correction: effects reach the hook and the history.
		staff := workflow.CorrectionRequested{Stamp: staffBy, Item: workflow.Quitus, Reason: "Il manque la signature du parent."}
		if _, _, err := a1.ApplyDossier(ctx, exercice, staff, hook); err != nil {
			t.Fatal(err)
		}
		if len(hooked) != 1 {
			t.Fatalf("hook effects = %#v", hooked)
		}
		if n, ok := hooked[0].(workflow.NotifyMandataire); !ok || n.Item != workflow.Quitus {
			t.Fatalf("hook effect = %#v", hooked[0])
		}
		row, _ = a1.FindDossier(ctx, exercice)
		if row.Status != "a_corriger" || row.OpenCorrections != 1 || row.Unreviewed != 0 || row.Version != 3 {
			t.Fatalf("row after correction = %+v", row)
		}
		hist, err := a1.DossierHistory(ctx, row.ID)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		h0, h1 := hist[0], hist[1]
		if h0.Kind != "document_recu" || h0.Item != "quitus" || h0.DocumentID == nil || *h0.DocumentID != quitus.ID ||
			h0.ByUser == nil || *h0.ByUser != actor || h0.By != "Mandataire A1" || !strings.Contains(h0.What, "reçu en ligne") {
			t.Fatalf("history[0] = %+v", h0)
		}
		if h1.Kind != "correction_demandee" || h1.Why != "Il manque la signature du parent." ||
			!strings.Contains(h1.Effects, `"effet":"NotifyMandataire"`) || !h1.At.Equal(staffBy.At) {
			t.Fatalf("history[1] = %+v", h1)
		}
		if n, _ := db.System().AuditCount(ctx, f.coopA1, "dossier.correction_demandee"); n != 1 {
			t.Fatalf("audit rows = %d", n)
		}

		// A refused transition is a user error and changes nothing.
		_, _, err = a1.ApplyDossier(ctx, exercice, workflow.ItemAccepted{Stamp: staffBy, Item: workflow.Releve}, hook)
		var te *workflow.TransitionError
		if msg, ok := fault.Message(err); !ok || !errors.As(err, &te) || !strings.Contains(msg, "n'a pas encore été reçu") {
			t.Fatalf("refused transition: %v", err)
		}
		// A failing hook rolls the whole event back.
		releve := addDoc(t, a1, 2)
		failing := func(context.Context, *store.CoopScope, workflow.Dossier, []workflow.Effect) error { return errHook }
		if _, _, err := a1.ApplyDossier(ctx, exercice, received(workflow.Releve, releve), failing); !errors.Is(err, errHook) {
			t.Fatalf("failing hook: %v", err)
		}
		// A document of another coop cannot be attached (composite key).
		b1, _ := db.ForCoop(ctx, f.coopB1, nil)
		foreign := addDoc(t, b1, 3)
		if _, _, err := a1.ApplyDossier(ctx, exercice, received(workflow.Releve, foreign), nil); err == nil {
			t.Fatal("another coop's document was attached")
		}
		after, _ := a1.FindDossier(ctx, exercice)
		hist, _ = a1.DossierHistory(ctx, row.ID)
		docs, _ = a1.DossierDocuments(ctx, row.ID)
		if after.Version != 3 || after.State != row.State || len(hist) != 2 || len(docs) != 1 {
			t.Fatalf("refused events left traces: version %d, %d history rows, %d documents", after.Version, len(hist), len(docs))
		}
		// Another coop sees none of it.
		if h, err := b1.DossierHistory(ctx, row.ID); err != nil || len(h) != 0 {
			t.Fatalf("coop B reads A's history: %+v, %v", h, err)
		}
		if d, err := b1.DossierDocuments(ctx, row.ID); err != nil || len(d) != 0 {
			t.Fatalf("coop B reads A's documents: %+v, %v", d, err)
		}
	})
}

func TestDossierTimestampsFollowStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		apply := func(ev workflow.Event) {
			t.Helper()
			if _, _, err := a1.ApplyDossier(ctx, exercice, ev, nil); err != nil {
				t.Fatalf("%s: %v", ev.Kind(), err)
			}
		}
		for _, k := range []workflow.ItemKey{workflow.Cloture, workflow.CRA, workflow.CRF} {
			apply(workflow.StepCompleted{Stamp: mandBy, Item: k})
		}
		apply(workflow.StepCompleted{Stamp: mandBy, Item: workflow.Subventions})
		apply(received(workflow.Quitus, addDoc(t, a1, 1)))
		last := workflow.Stamp{At: septAt.Add(time.Hour), By: "Mandataire A1"}
		apply(workflow.DocumentReceived{Stamp: last, Item: workflow.Releve, Source: workflow.SourceMail, DocumentID: addDoc(t, a1, 2).ID})
		row, _ := a1.FindDossier(ctx, exercice)
		if row.Status != "transmis" || !row.TransmittedAt.Equal(last.At) || row.Score != 100 || row.Missing != "" || row.Unreviewed != 6 {
			t.Fatalf("transmitted row = %+v", row)
		}
		apply(workflow.DossierValidated{Stamp: staffBy})
		row, _ = a1.FindDossier(ctx, exercice)
		if row.Status != "valide" || !row.ValidatedAt.Equal(staffBy.At) || !row.TransmittedAt.Equal(last.At) || row.Unreviewed != 0 {
			t.Fatalf("validated row = %+v", row)
		}
		reopen := workflow.Stamp{At: staffBy.At.Add(time.Hour), By: "Agent AD"}
		apply(workflow.DossierReopened{Stamp: reopen, Reason: "Relevé illisible", Items: []workflow.ItemKey{workflow.Releve}})
		row, _ = a1.FindDossier(ctx, exercice)
		if row.Status != "a_corriger" || !row.ValidatedAt.IsZero() || row.OpenCorrections != 1 {
			t.Fatalf("reopened row = %+v", row)
		}
	})
}

// TestApplyDossierConcurrently applies events from several goroutines: the
// lock serialises them, none is lost.
func TestApplyDossierConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		if _, _, err := a1.Dossier(ctx, exercice); err != nil {
			t.Fatal(err)
		}
		const n = 8
		docs := make([]*store.Document, n)
		for i := range docs {
			docs[i] = addDoc(t, a1, 10+i)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := a1.ApplyDossier(ctx, exercice, received(workflow.Justificatifs, docs[i]), nil)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		row, d, err := a1.Dossier(ctx, exercice)
		it, _ := d.Item(workflow.Justificatifs)
		hist, _ := a1.DossierHistory(ctx, row.ID)
		if err != nil || row.Version != n+1 || len(it.Documents) != n || len(hist) != n {
			t.Fatalf("after %d concurrent events: version %d, %d documents, %d history rows, %v", n, row.Version, len(it.Documents), len(hist), err)
		}
	})
}

func TestSeedDossiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		sys := db.System()
		camp, err := sys.EnsureCampaign(ctx, f.adA.ID, exercice)
		if err != nil {
			t.Fatal(err)
		}
		docs := []store.Document{
			{CoopID: f.coopA1, SHA256: strings.Repeat("a", 64), Name: "quitus.pdf", MIME: "application/pdf", Size: 10, Source: "mail", CreatedAt: septAt},
			{CoopID: f.coopA2, SHA256: strings.Repeat("a", 64), Name: "quitus.pdf", MIME: "application/pdf", Size: 10, Source: "web", CreatedAt: septAt},
		}
		if err := sys.SeedDocuments(ctx, docs); err != nil {
			t.Fatal(err)
		}
		if docs[0].ID == 0 || docs[1].ID == 0 || docs[0].ID == docs[1].ID {
			t.Fatalf("seeded document ids = %d, %d", docs[0].ID, docs[1].ID)
		}
		seeds := []store.DossierSeed{
			{CoopID: f.coopA1, KeepsBook: true, Events: []workflow.Event{
				workflow.DocumentReceived{Stamp: mandBy, Item: workflow.Quitus, Source: workflow.SourceMail, DocumentID: docs[0].ID},
				workflow.CorrectionRequested{Stamp: staffBy, Item: workflow.Quitus, Reason: "Illisible"},
			}},
			{CoopID: f.coopA2, KeepsBook: false},
		}
		n, err := sys.SeedDossiers(ctx, camp.ID, seeds)
		if err != nil || n != 2 {
			t.Fatalf("seed = %d, %v", n, err)
		}
		if n, err := sys.SeedDossiers(ctx, camp.ID, seeds); err != nil || n != 0 {
			t.Fatalf("second seed = %d, %v", n, err)
		}
		a1, _ := db.ForCoop(ctx, f.coopA1, nil)
		row, d, err := a1.Dossier(ctx, exercice)
		if err != nil || row.Status != "a_corriger" || row.OpenCorrections != 1 || row.Version != 3 || len(d.Corrections) != 1 {
			t.Fatalf("seeded dossier = %+v, %v", row, err)
		}
		hist, _ := a1.DossierHistory(ctx, row.ID)
		links, _ := a1.DossierDocuments(ctx, row.ID)
		if len(hist) != 2 || len(links) != 1 || links[0].Source != "mail" || links[0].Document.ID != docs[0].ID {
			t.Fatalf("seeded history %+v, links %+v", hist, links)
		}
		// The seeded dossier goes on through the ordinary path.
		if _, _, err := a1.ApplyDossier(ctx, exercice, workflow.CorrectionAnswered{Stamp: mandBy, CorrectionID: 1, Answer: "Renvoyé signé."}, nil); err != nil {
			t.Fatal(err)
		}
		a2, _ := db.ForCoop(ctx, f.coopA2, nil)
		if _, d, _ := a2.Dossier(ctx, exercice); len(d.Items) != 6 {
			t.Fatalf("seeded dossier of a saisie coop has %d items", len(d.Items))
		}
	})
}
