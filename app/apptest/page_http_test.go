package apptest

import "testing"

func TestStaffCoopListPaginates(t *testing.T) {
	w := newWorld(t)
	c := w.login("staff@a.example")
	doc := c.doc(c.get("/ad/coops"))
	if doc.Find(`a[rel="next"]`).Length() != 0 || doc.Find(`a[rel="prev"]`).Length() != 0 {
		t.Fatal("two coops fit on one page: no pager links expected")
	}
}
