package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// svgDoc walks an SVG with encoding/xml, which fails on any malformed
// markup, and collects what the tests check.
type svgDoc struct {
	root      xml.StartElement
	title     string
	classes   map[string]int    // class attribute → element count
	polylines map[string]string // class → points attribute
	texts     []string
	hasScript bool
}

func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	doc := svgDoc{classes: map[string]int{}, polylines: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				doc.root = el
			}
			stack = append(stack, el.Name.Local)
			if el.Name.Local == "script" || el.Name.Local == "foreignObject" {
				doc.hasScript = true
			}
			for _, a := range el.Attr {
				if strings.HasPrefix(a.Name.Local, "on") {
					doc.hasScript = true
				}
				if a.Name.Local == "class" {
					doc.classes[a.Value]++
					if el.Name.Local == "polyline" {
						for _, p := range el.Attr {
							if p.Name.Local == "points" {
								doc.polylines[a.Value] = p.Value
							}
						}
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 2 && stack[1] == "title" {
				doc.title = string(el)
			}
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				doc.texts = append(doc.texts, string(el))
			}
		}
	}
	return doc
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestProgressSVG(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	// Out of order on purpose, and across the end of summer time (25/10)
	// where a day is 25 hours long.
	points := []ProgressPoint{
		{Day: time.Date(2026, 10, 26, 0, 0, 0, 0, paris), Transmis: 300, Valides: 180},
		{Day: time.Date(2026, 9, 15, 0, 0, 0, 0, paris), Transmis: 12, Valides: 0},
		{Day: time.Date(2026, 9, 22, 0, 0, 0, 0, paris), Transmis: 140, Valides: 35},
		{Day: time.Date(2026, 10, 20, 0, 0, 0, 0, paris), Transmis: 280, Valides: 120},
	}
	var buf bytes.Buffer
	if err := ProgressSVG(&buf, points, 430, time.Date(2026, 9, 30, 0, 0, 0, 0, paris)); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, buf.Bytes())
	if doc.root.Name.Local != "svg" || doc.root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root element is %v", doc.root.Name)
	}
	if attr(doc.root, "role") != "img" {
		t.Error(`root lacks role="img"`)
	}
	label := attr(doc.root, "aria-label")
	for _, want := range []string{"26/10/2026", "300 dossiers transmis", "180 validés", "430 coopératives", "30/09/2026"} {
		if !strings.Contains(normSpace(label), want) {
			t.Errorf("aria-label %q lacks %q", label, want)
		}
	}
	if doc.title == "" {
		t.Error("no <title>")
	}
	if doc.hasScript {
		t.Error("the chart contains script")
	}
	for _, class := range []string{"point-transmis", "point-valides"} {
		if doc.classes[class] != len(points) {
			t.Errorf("%d markers of %s, want %d", doc.classes[class], class, len(points))
		}
	}
	// Points are drawn in date order: x increases along each line, and the
	// transmitted line ends higher (smaller y) than it starts.
	for _, class := range []string{"series-transmis", "series-valides"} {
		coords := strings.Fields(doc.polylines[class])
		if len(coords) != len(points) {
			t.Fatalf("%s has %d points, want %d", class, len(coords), len(points))
		}
		prevX := -1.0
		xs := make([]float64, 0, len(coords))
		for _, c := range coords {
			var x, y float64
			if _, err := fmt.Sscanf(c, "%f,%f", &x, &y); err != nil {
				t.Fatalf("point %q: %v", c, err)
			}
			if x <= prevX {
				t.Errorf("%s: x does not increase at %q", class, c)
			}
			prevX = x
			xs = append(xs, x)
		}
		// One calendar day is one unit of width, DST change or not:
		// 15/09→22/09 is 7 days, 20/10→26/10 is 6.
		perDayA, perDayB := (xs[1]-xs[0])/7, (xs[3]-xs[2])/6
		if d := perDayA - perDayB; d > 0.1 || d < -0.1 {
			t.Errorf("%s: %.2f vs %.2f units per day", class, perDayA, perDayB)
		}
	}
	texts := normSpace(strings.Join(doc.texts, "|"))
	for _, want := range []string{"Dossiers transmis", "Dossiers validés", "Échéance 30/09", "15/09", "430 coopératives"} {
		if !strings.Contains(texts, want) {
			t.Errorf("chart text lacks %q (has %s)", want, texts)
		}
	}
}

func TestProgressSVGEmptyAndEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := ProgressSVG(&buf, nil, 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, buf.Bytes())
	if doc.classes["point-transmis"] != 0 {
		t.Error("markers drawn without data")
	}
	if !strings.Contains(strings.Join(doc.texts, "|"), "Aucun dossier transmis pour l'instant") {
		t.Error("empty chart does not say there is no data")
	}
	// The apostrophe of "l'instant" must come out escaped and parse back.
	if !strings.Contains(buf.String(), "l&#39;instant") {
		t.Error("text is not escaped with encoding/xml")
	}
}

func TestNiceStepAndFrInt(t *testing.T) {
	for top, want := range map[int]int{1: 1, 6: 1, 7: 2, 430: 100, 2000: 500, 12: 2} {
		if got := niceStep(top); got != want {
			t.Errorf("niceStep(%d) = %d, want %d", top, got, want)
		}
	}
	if got := frInt(2000); got != "2\u00a0000" {
		t.Errorf("frInt(2000) = %q", got)
	}
}
