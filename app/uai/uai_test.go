package uai

import "testing"

func TestValidate(t *testing.T) {
	ok := map[string]string{"0310036W": "0310036W", " 0310036w ": "0310036W"}
	for in, want := range ok {
		got, err := Validate(in)
		if err != nil || got != want {
			t.Errorf("Validate(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"0310036X", "031003W", "03100366W", "A310036W", ""} {
		if _, err := Validate(in); err == nil {
			t.Errorf("Validate(%q) accepted", in)
		}
	}
}

func TestMake(t *testing.T) {
	if Make(310036) != "0310036W" {
		t.Fatalf("Make(310036) = %s", Make(310036))
	}
	for i := 0; i < 1000; i++ {
		if !Valid(Make(3100000 + i*7)) {
			t.Fatal("Make produced invalid uai")
		}
	}
}
