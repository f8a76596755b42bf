package money

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Money
	}{
		{"0", 0},
		{"12", 1200},
		{"12,5", 1250},
		{"12,50", 1250},
		{"1 234,56", 123456},
		{"1\u00a0234,56 €", 123456},
		{"1\u202f234,56\u00a0€", 123456},
		{"1234.56", 123456},
		{"1.234,56", 123456},
		{"1,234.56", 123456},
		{"1.234", 123400},
		{"-12,00", -1200},
		{"−3,10", -310},
		{"+7", 700},
		{",5", 50},
		{"  45,00 EUR ", 4500},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("Parse(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "abc", "12,345", "1e5", "12,3a", "99999999999999", "12,3,4", "1.23,45", "1,2345.00", ",,5", "1 2345,6", "12 34"} {
		_, err := Parse(in)
		if err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) err = %v, want ErrInvalid", in, err)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		in   Money
		want string
	}{
		{0, "0,00\u00a0€"},
		{5, "0,05\u00a0€"},
		{123456, "1\u00a0234,56\u00a0€"},
		{-123456, "-1\u00a0234,56\u00a0€"},
		{100000000, "1\u00a0000\u00a0000,00\u00a0€"},
	}
	for _, c := range cases {
		if got := c.in.String(); got != c.want {
			t.Errorf("%d.String() = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Money(-123456).Plain(); got != "-1234,56" {
		t.Errorf("Plain = %q", got)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, v := range []Money{0, 1, -1, 99, 100, 123456789, -987654321} {
		for _, s := range []string{v.String(), v.Number(), v.Plain()} {
			got, err := Parse(s)
			if err != nil || got != v {
				t.Errorf("round trip %d via %q = %d, %v", v, s, got, err)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1 234,56", "1234.56", "-0,01", "€", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(m.String())
		if err != nil || back != m {
			t.Fatalf("%q parsed to %d but %q reparsed to %d (%v)", s, m, m.String(), back, err)
		}
	})
}
