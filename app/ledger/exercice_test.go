package ledger

import (
	"testing"
	"time"
)

func TestParseExercice(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"2025-2026", 2025, false},
		{" 2024-2025 ", 2024, false},
		{"2025-2027", 0, true},
		{"2025", 0, true},
		{"25-26", 0, true},
		{"2026-2025", 0, true},
		{"abcd-efgh", 0, true},
	}
	for _, tt := range tests {
		e, err := ParseExercice(tt.in)
		if (err != nil) != tt.wantErr || e.StartYear != tt.want {
			t.Errorf("ParseExercice(%q) = %v, %v", tt.in, e, err)
		}
		if err == nil && e.String() != "2025-2026" && tt.want == 2025 {
			t.Errorf("String() = %q", e.String())
		}
	}
	_, err := ParseExercice("2025/2026")
	wantContains(t, err, "exercice invalide : « 2025/2026 »")
}

func TestExerciceDates(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		d    time.Time
		want string
	}{
		{day("01/09/2025"), "2025-2026"},
		{day("31/08/2026"), "2025-2026"},
		{day("31/08/2025"), "2024-2025"},
		{day("01/01/2026"), "2025-2026"},
		{time.Date(2026, 9, 1, 0, 30, 0, 0, paris), "2026-2027"}, // still 31 Aug in UTC
	}
	for _, tt := range tests {
		if got := ExerciceFor(tt.d).String(); got != tt.want {
			t.Errorf("ExerciceFor(%v) = %s, want %s", tt.d, got, tt.want)
		}
		if !ExerciceFor(tt.d).Contains(tt.d) {
			t.Errorf("ExerciceFor(%v) does not contain it", tt.d)
		}
	}
	e := ex2025
	if !e.Debut().Equal(day("01/09/2025")) || !e.Fin().Equal(day("31/08/2026")) {
		t.Errorf("Debut/Fin = %v %v", e.Debut(), e.Fin())
	}
	if e.Contains(day("31/08/2025")) || e.Contains(day("01/09/2026")) {
		t.Error("Contains accepts a day outside the exercice")
	}
	if e.Next().String() != "2026-2027" || e.Prev().String() != "2024-2025" {
		t.Errorf("Next/Prev = %s %s", e.Next(), e.Prev())
	}
}
