package web

import (
	"strconv"
	"testing"
)

func TestPageLinks(t *testing.T) {
	link := func(p int) string { return "?page=" + strconv.Itoa(p) }
	cases := []struct {
		page, last int
		prev, next string
	}{
		{1, 1, "", ""},
		{1, 3, "", "?page=2"},
		{2, 3, "?page=1", "?page=3"},
		{3, 3, "?page=2", ""},
		{1, 0, "", ""},
	}
	for _, c := range cases {
		prev, next := pageLinks(c.page, c.last, link)
		if prev != c.prev || next != c.next {
			t.Errorf("page %d/%d: %q %q, want %q %q", c.page, c.last, prev, next, c.prev, c.next)
		}
	}
}
