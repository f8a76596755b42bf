package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ProgressPoint is the campaign's cumulative count of dossiers at the end
// of one day.
type ProgressPoint struct {
	Day      time.Time
	Transmis int // dossiers transmitted (everything received) so far
	Valides  int // dossiers validated by staff so far
}

// Chart geometry in SVG user units; the viewBox lets the page scale it.
const (
	svgW, svgH                  = 720.0, 360.0
	plotL, plotR, plotT, plotB  = 60.0, 700.0, 56.0, 310.0
	colorTransmis, colorValides = "#1f5fa8", "#1b7a3a"
	svgFont                     = "DejaVu Sans, Verdana, Arial, sans-serif"
	maxXLabels                  = 8
	maxYTicks                   = 6
)

// ProgressSVG draws the campaign's progress as an SVG line chart: dossiers
// transmitted and validated per day (cumulative), against the number of
// coops (total) and the deadline. The chart is static (no script), prints
// in black and white (the two series differ by dash and marker, not only by
// colour) and carries role="img", an aria-label and <title>/<desc> with the
// latest figures for screen readers.
func ProgressSVG(w io.Writer, points []ProgressPoint, total int, deadline time.Time) error {
	pts := slices.Clone(points)
	slices.SortFunc(pts, func(a, b ProgressPoint) int { return civil(a.Day).Compare(civil(b.Day)) })

	// X range: first day to the later of the last day and the deadline, so
	// the distance left to the deadline shows.
	var first, last time.Time
	switch {
	case len(pts) > 0:
		first, last = civil(pts[0].Day), civil(pts[len(pts)-1].Day)
	case !deadline.IsZero():
		first, last = civil(deadline).AddDate(0, 0, -30), civil(deadline)
	default:
		first = civil(time.Now())
		last = first
	}
	if !deadline.IsZero() && civil(deadline).After(last) {
		last = civil(deadline)
	}
	span := days(first, last)
	if span < 1 {
		span = 1
	}
	x := func(t time.Time) float64 { return plotL + (plotR-plotL)*float64(days(first, civil(t)))/float64(span) }

	top := max(total, 1)
	for _, p := range pts {
		top = max(top, p.Transmis, p.Valides)
	}
	step := niceStep(top)
	top = (top + step - 1) / step * step
	y := func(n int) float64 { return plotB - (plotB-plotT)*float64(n)/float64(top) }

	summary := progressSummary(pts, total, deadline)
	bw := bufio.NewWriter(w)
	s := &svgWriter{w: bw}
	s.raw(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s" font-family="%s" font-size="12">`,
		svgW, svgH, svgW, svgH, esc(summary), svgFont)
	s.raw(`<title>%s</title>`, esc("Avancement de la campagne : dossiers transmis et validés"))
	s.raw(`<desc>%s</desc>`, esc(summary))
	s.raw(`<rect x="0" y="0" width="%g" height="%g" fill="#ffffff"/>`, svgW, svgH)

	// Horizontal grid and Y labels.
	for n := 0; n <= top; n += step {
		s.raw(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#d0d0d0" stroke-width="1"/>`, plotL, y(n), plotR, y(n))
		s.raw(`<text x="%g" y="%.1f" text-anchor="end" fill="#333333">%s</text>`, plotL-6, y(n)+4, esc(frInt(n)))
	}
	// X axis and day labels, at most maxXLabels of them.
	s.raw(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333333" stroke-width="1"/>`, plotL, plotB, plotR, plotB)
	s.raw(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333333" stroke-width="1"/>`, plotL, plotT, plotL, plotB)
	every := (span + maxXLabels - 1) / maxXLabels
	for i := 0; i <= span; i += max(every, 1) {
		d := first.AddDate(0, 0, i)
		s.raw(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#333333"/>`, x(d), plotB, x(d), plotB+4)
		s.raw(`<text x="%.1f" y="%g" text-anchor="middle" fill="#333333">%s</text>`, x(d), plotB+18, d.Format("02/01"))
	}
	s.raw(`<text x="%g" y="%g" text-anchor="middle" fill="#333333">%s</text>`, (plotL+plotR)/2, svgH-12, esc("Date"))

	if total > 0 {
		s.raw(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#555555" stroke-width="1.5" stroke-dasharray="2 3"/>`, plotL, y(total), plotR, y(total))
		// On the left: the deadline's label sits on the right.
		s.raw(`<text x="%g" y="%.1f" fill="#333333">%s</text>`, plotL+6, y(total)-5, esc(frInt(total)+" coopératives"))
	}
	if !deadline.IsZero() {
		dx := x(deadline)
		s.raw(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#a00000" stroke-width="1.5" stroke-dasharray="6 4"/>`, dx, plotT, dx, plotB)
		s.raw(`<text x="%.1f" y="%g" text-anchor="end" fill="#a00000">%s</text>`, dx-4, plotT+12, esc("Échéance "+civil(deadline).Format("02/01")))
	}

	series := []struct {
		name, class, color, dash string
		value                    func(ProgressPoint) int
	}{
		{"transmis", "transmis", colorTransmis, "", func(p ProgressPoint) int { return p.Transmis }},
		{"validés", "valides", colorValides, "7 4", func(p ProgressPoint) int { return p.Valides }},
	}
	for _, se := range series {
		if len(pts) == 0 {
			break
		}
		coords := make([]string, len(pts))
		for i, p := range pts {
			coords[i] = fmt.Sprintf("%.1f,%.1f", x(p.Day), y(se.value(p)))
		}
		dash := ""
		if se.dash != "" {
			dash = fmt.Sprintf(` stroke-dasharray="%s"`, se.dash)
		}
		s.raw(`<polyline class="series-%s" points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`,
			se.class, strings.Join(coords, " "), se.color, dash)
		for _, p := range pts {
			px, py := x(p.Day), y(se.value(p))
			label := esc(fmt.Sprintf("%s : %s %s", civil(p.Day).Format("02/01/2006"), frInt(se.value(p)), se.name))
			if se.class == "transmis" {
				s.raw(`<circle class="point-%s" cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s</title></circle>`, se.class, px, py, se.color, label)
			} else {
				s.raw(`<rect class="point-%s" x="%.1f" y="%.1f" width="7" height="7" fill="%s"><title>%s</title></rect>`, se.class, px-3.5, py-3.5, se.color, label)
			}
		}
	}
	if len(pts) == 0 {
		s.raw(`<text x="%g" y="%g" text-anchor="middle" fill="#333333">%s</text>`, (plotL+plotR)/2, (plotT+plotB)/2, esc("Aucun dossier transmis pour l'instant"))
	}

	// Legend above the plot.
	s.raw(`<line x1="%g" y1="22" x2="%g" y2="22" stroke="%s" stroke-width="2.5"/><circle cx="%g" cy="22" r="3.5" fill="%s"/>`,
		plotL, plotL+28, colorTransmis, plotL+14, colorTransmis)
	s.raw(`<text x="%g" y="26">%s</text>`, plotL+34, esc("Dossiers transmis"))
	s.raw(`<line x1="%g" y1="22" x2="%g" y2="22" stroke="%s" stroke-width="2.5" stroke-dasharray="7 4"/><rect x="%g" y="18.5" width="7" height="7" fill="%s"/>`,
		plotL+180, plotL+208, colorValides, plotL+190.5, colorValides)
	s.raw(`<text x="%g" y="26">%s</text>`, plotL+214, esc("Dossiers validés"))
	s.raw(`</svg>`)
	if s.err != nil {
		return fmt.Errorf("progress svg: %w", s.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("progress svg: %w", err)
	}
	return nil
}

// progressSummary is the sentence a screen reader announces.
func progressSummary(pts []ProgressPoint, total int, deadline time.Time) string {
	var b strings.Builder
	b.WriteString("Avancement de la campagne")
	if len(pts) == 0 {
		b.WriteString(" : aucun dossier transmis pour l'instant")
	} else {
		p := pts[len(pts)-1]
		fmt.Fprintf(&b, " au %s : %s dossiers transmis et %s validés", civil(p.Day).Format("02/01/2006"),
			frInt(p.Transmis), frInt(p.Valides))
	}
	if total > 0 {
		fmt.Fprintf(&b, " sur %s coopératives", frInt(total))
	}
	if !deadline.IsZero() {
		fmt.Fprintf(&b, " ; échéance le %s", civil(deadline).Format("02/01/2006"))
	}
	return b.String() + "."
}

// svgWriter writes formatted markup and keeps the first error.
type svgWriter struct {
	w   io.Writer
	err error
}

func (s *svgWriter) raw(format string, args ...any) {
	if s.err == nil {
		_, s.err = fmt.Fprintf(s.w, format+"\n", args...)
	}
}

// esc escapes text for use in SVG content and attribute values.
func esc(text string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(text)) // writing to a Builder cannot fail
	return b.String()
}

// civil reduces t to its calendar day at midnight UTC, so day arithmetic is
// not upset by daylight-saving changes.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// days counts calendar days from a to b, both from civil.
func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// niceStep picks a grid step of 1, 2 or 5 × 10^k giving at most maxYTicks
// intervals up to top.
func niceStep(top int) int {
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			if step := m * mag; (top+step-1)/step <= maxYTicks {
				return step
			}
		}
	}
}

// frInt groups thousands with a no-break space: "2 000".
func frInt(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + frInt(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	return b.String()
}
