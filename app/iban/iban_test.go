package iban

import "testing"

func TestValidate(t *testing.T) {
	good := []string{"FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189", "DE89370400440532013000"}
	for _, s := range good {
		if _, err := Validate(s); err != nil {
			t.Errorf("Validate(%q): %v", s, err)
		}
	}
	bad := []string{"FR76 3000 6000 0112 3456 7890 188", "FR7630006000011234567890", "FR76300060000112345678901@9", ""}
	for _, s := range bad {
		if _, err := Validate(s); err == nil {
			t.Errorf("Validate(%q) accepted", s)
		}
	}
}

func TestMake(t *testing.T) {
	v := Make("FR", "30006000011234567890189")
	if v != "FR7630006000011234567890189" {
		t.Fatalf("Make = %s", v)
	}
	if Format(v) != "FR76 3000 6000 0112 3456 7890 189" {
		t.Fatalf("Format = %s", Format(v))
	}
}
