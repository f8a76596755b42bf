package workflow

import (
	"testing"
	"time"
)

// Fixed moments of the 2025-2026 campaign (deadline Wednesday 30 September
// 2026).
var (
	mand  = Stamp{At: time.Date(2026, 9, 18, 10, 2, 11, 0, paris), By: "mandataire:0310036W"}
	mail  = Stamp{At: time.Date(2026, 9, 19, 8, 30, 0, 0, paris), By: "courriel"}
	staff = Stamp{At: time.Date(2026, 9, 21, 14, 0, 0, 0, paris), By: "staff:12"}
	later = Stamp{At: time.Date(2026, 9, 25, 9, 15, 0, 0, paris), By: "mandataire:0310036W"}

	subA = Subsidy{Ref: "s1", Label: "Mairie — 500,00 €"}
	subB = Subsidy{Ref: "s2", Label: "Département — 120,00 €"}
)

// build applies events to a new dossier of a coop keeping its book in the
// app, failing the test on any refusal.
func build(t *testing.T, base Dossier, evs ...Event) Dossier {
	t.Helper()
	d := base
	for i, ev := range evs {
		var err error
		d, _, err = Apply(d, ev)
		if err != nil {
			t.Fatalf("build: event %d (%s): %v", i, ev.Kind(), err)
		}
	}
	return d
}

func fresh() Dossier { return NewDossier(1, 7, true) }

// completeEvents brings a dossier to "transmis": every step done, every
// document received, one proof per subsidy.
func completeEvents(subsidies ...Subsidy) []Event {
	evs := []Event{
		StepCompleted{Stamp: mand, Item: Cloture},
		StepCompleted{Stamp: mand, Item: CRA},
		StepCompleted{Stamp: mand, Item: CRF},
		StepCompleted{Stamp: mand, Item: Subventions, Subsidies: subsidies},
		DocumentReceived{Stamp: mail, Item: Quitus, Source: SourceMail, DocumentID: 1},
		DocumentReceived{Stamp: mand, Item: Releve, Source: SourceWeb, DocumentID: 2},
	}
	for i, s := range subsidies {
		evs = append(evs, DocumentReceived{Stamp: mand, Item: Justificatifs, Source: SourceWeb, DocumentID: int64(10 + i), SubsidyRef: s.Ref})
	}
	return evs
}

func statusOf(t *testing.T, d Dossier, k ItemKey) ItemStatus {
	t.Helper()
	it, ok := d.Item(k)
	if !ok {
		t.Fatalf("item %s absent", k)
	}
	return it.Status
}
