package report

import (
	"reflect"
	"testing"
	"time"
)

func TestProgressPoints(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 9, day, hour, 0, 0, 0, time.UTC) }
	// 22:30 UTC on 14 September is already the 15th in Paris.
	transmitted := []time.Time{at(14, 9), {}, time.Date(2026, 9, 14, 22, 30, 0, 0, time.UTC), at(20, 10), at(14, 15)}
	validated := []time.Time{{}, {}, at(25, 9), at(20, 16), {}}
	got := ProgressPoints(transmitted, validated, paris)
	day := func(d int) time.Time { return time.Date(2026, 9, d, 0, 0, 0, 0, paris) }
	want := []ProgressPoint{{Day: day(14), Transmis: 2}, {Day: day(15), Transmis: 3}, {Day: day(20), Transmis: 4, Valides: 1},
		{Day: day(25), Transmis: 4, Valides: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("points\n got %+v\nwant %+v", got, want)
	}
	if len(ProgressPoints(nil, nil, paris)) != 0 {
		t.Fatal("no dates, no points")
	}
}
