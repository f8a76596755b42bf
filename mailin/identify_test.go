package mailin

import (
	"slices"
	"testing"
)

func TestValidUAI(t *testing.T) {
	for _, s := range []string{"0310036W", "0310036w", "0311234Y", "0310999T", "0312345F", "0310500A"} {
		if !ValidUAI(s) {
			t.Errorf("ValidUAI(%q) = false", s)
		}
	}
	for _, s := range []string{"0310036X", "0310036", "031003W6", "03100366W", "O310036W", ""} {
		if ValidUAI(s) {
			t.Errorf("ValidUAI(%q) = true", s)
		}
	}
}

func TestFindUAIs(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Quitus coop 0310036W", []string{"0310036W"}},
		{"quitus_0310036w.pdf et RNE0311234Y, UAI:0310999T", []string{"0310036W", "0311234Y", "0310999T"}},
		{"0310036W 0310036W", []string{"0310036W"}},
		{"0310036X (bad letter)", nil},
		{"20250310036W (digit before) 0310036WX (letter after) 0310036W2", nil},
		{"tél 0561234567", nil},
	}
	for _, tt := range tests {
		if got := FindUAIs(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("FindUAIs(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestDetectType(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Quitus 2025", TypeQuitus},
		{"PV COMMISSION DE CONTRÔLE", TypeQuitus},
		{"Scan PV commission de contro\u0302le.pdf", TypeQuitus},
		{"signé par les vérificateurs", TypeQuitus},
		{"Relevé août 2026.pdf", TypeReleve},
		{"releves_banque.pdf", TypeReleve},
		{"Extrait de compte n°8", TypeReleve},
		{"notification subvention mairie été 2025.pdf", TypeSubventions},
		{"Arrêté d'attribution", TypeSubventions},
		{"IMG_0042.HEIC", ""},
		{"RIB de la coop", ""},
		{"prélèvement", ""}, // "releve" only at the start of a word
		{"scan0001.pdf", ""},
	}
	for _, tt := range tests {
		if got := DetectType(tt.text); got != tt.want {
			t.Errorf("DetectType(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestOwnTextDropsQuotedReminder(t *testing.T) {
	body := "Bonjour,\nvoici le scan.\n\nLe 22/09/2025 à 10:00, OCCE 31 a écrit :\n> - le quitus\n> - le relevé\n"
	if got := DetectType(ownText(body)); got != "" {
		t.Errorf("type of own text = %q, want none (quoted words ignored)", got)
	}
	if got := DetectType(ownText("> le quitus\nVoici le relevé\n")); got != TypeReleve {
		t.Errorf("type = %q, want releve", got)
	}
}

func TestParseQR(t *testing.T) {
	q, ok := ParseQR("RTK1;0310036W;2025-2026;quitus;a1b2c3d4")
	if !ok || q != (QRCode{UAI: "0310036W", Exercice: "2025-2026", Type: "quitus", Hash: "a1b2c3d4"}) {
		t.Errorf("ParseQR = %+v, %v", q, ok)
	}
	for _, bad := range []string{
		"RTK1;0310036X;2025-2026;quitus;a1b2c3d4", // check letter
		"RTK1;0310036W;2025-2027;quitus;a1b2c3d4", // not one year
		"RTK1;0310036W;2025-2026;Quitus!;a1b2c3d4",
		"RTK1;0310036W;2025-2026;quitus;a1b2c3",
		"RTK2;0310036W;2025-2026;quitus;a1b2c3d4",
		"https://example.org/pay?x=1",
	} {
		if _, ok := ParseQR(bad); ok {
			t.Errorf("ParseQR(%q) accepted", bad)
		}
	}
}

func TestClassify(t *testing.T) {
	msg := &Message{
		Subject: "documents",
		Documents: []Document{
			{Name: "releve.pdf"},
			{Name: "quitus.pdf"},
			{Name: "scan.pdf"},
			{Name: "x.pdf", QR: &QRCode{Type: TypeSubventions}},
			{Name: "quitus.txt", Rejected: "no"},
		},
		Text: "Voici la notification de la mairie",
	}
	classify(msg)
	var got []string
	for _, d := range msg.Documents {
		got = append(got, d.Type)
	}
	// The QR code decides the message type; names decide for themselves.
	want := []string{TypeReleve, TypeQuitus, TypeSubventions, TypeSubventions, ""}
	if !slices.Equal(got, want) || msg.Type != TypeSubventions {
		t.Errorf("types = %q (message %q), want %q", got, msg.Type, want)
	}

	msg = &Message{Subject: "Relevé", Documents: []Document{{Name: "a.pdf"}, {Name: "quitus.pdf"}}}
	classify(msg)
	if msg.Type != TypeReleve || msg.Documents[0].Type != TypeReleve || msg.Documents[1].Type != TypeQuitus {
		t.Errorf("subject type: %+v", msg)
	}
}
