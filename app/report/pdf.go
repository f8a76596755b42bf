package report

import (
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
)

// Page geometry shared by every PDF, in millimetres (A4 portrait).
const (
	marginLeft   = 15.0
	marginTop    = 14.0
	marginRight  = 15.0
	marginBottom = 18.0 // leaves room for the footer
	pageWidth    = 210.0
	contentWidth = pageWidth - marginLeft - marginRight
	lineHeight   = 5.0
)

// doc wraps an fpdf document with the few drawing helpers the reports share.
// fpdf records the first error and ignores later calls, so helpers do not
// return errors: output checks it once.
type doc struct {
	f *fpdf.Fpdf
}

// newDoc starts an A4 document with the embedded fonts and its metadata.
// created is written as the creation date so that the same data gives the
// same bytes (useful to store a document once by SHA-256). footer, when
// non-empty, is printed at the bottom left of every page with "Page n / N"
// on the right.
func newDoc(title, footer string, created time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(fontSans, "", dejaVuSans)
	f.AddUTF8FontFromBytes(fontSans, "B", dejaVuSansBold)
	f.AddUTF8FontFromBytes(fontMono, "", dejaVuSansMono)
	f.SetTitle(title, true)
	f.SetCreator("retkoop", true)
	f.SetProducer("retkoop", true)
	f.SetLang("fr-FR")
	if created.IsZero() {
		created = time.Now()
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")
	d := &doc{f: f}
	if footer != "" {
		f.SetFooterFunc(func() {
			f.SetY(-13)
			d.font("", 7.5)
			f.SetTextColor(90, 90, 90)
			f.SetX(marginLeft)
			f.CellFormat(contentWidth, 4, footer, "T", 0, "L", false, 0, "")
			f.SetX(marginLeft)
			f.CellFormat(contentWidth, 4, fmt.Sprintf("Page %d / {nb}", f.PageNo()), "", 0, "R", false, 0, "")
			f.SetTextColor(0, 0, 0)
		})
	}
	return d
}

// output writes the finished PDF, reporting any error fpdf met on the way.
func (d *doc) output(w io.Writer) error {
	return d.f.Output(w)
}

// font selects the sans family in style "" or "B" at size points.
func (d *doc) font(style string, size float64) {
	d.f.SetFont(fontSans, style, size)
}

// mono selects the monospaced family, for identifiers and passwords where
// "l", "1" and "I" must not be confused.
func (d *doc) mono(size float64) {
	d.f.SetFont(fontMono, "", size)
}

// ensureSpace starts a new page when fewer than h millimetres remain, so a
// block (a table row, a signature box) is never cut in two.
func (d *doc) ensureSpace(h float64) bool {
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-marginBottom {
		d.f.AddPage()
		return true
	}
	return false
}

// heading writes a numbered section title with a rule under it.
func (d *doc) heading(text string) {
	d.ensureSpace(22) // a title alone at the bottom of a page helps nobody
	d.f.Ln(3)
	d.font("B", 11.5)
	d.f.SetTextColor(0, 60, 120)
	d.f.CellFormat(contentWidth, 7, text, "B", 1, "L", false, 0, "")
	d.f.SetTextColor(0, 0, 0)
	d.f.Ln(1.5)
}

// paragraph writes wrapped text across the content width.
func (d *doc) paragraph(style string, size float64, text string) {
	d.font(style, size)
	d.f.MultiCell(contentWidth, size*0.5, text, "", "L", false)
}

// field writes "label : value" on one line, the label in grey.
func (d *doc) field(label, value string, labelWidth float64) {
	d.font("", 9.5)
	d.f.SetTextColor(80, 80, 80)
	d.f.CellFormat(labelWidth, lineHeight+0.5, label, "", 0, "L", false, 0, "")
	d.f.SetTextColor(0, 0, 0)
	d.font("B", 9.5)
	d.f.MultiCell(0, lineHeight+0.5, value, "", "L", false)
}

// column describes one column of a table.
type column struct {
	title string
	width float64
	align string // "L", "C" or "R"
}

// row is one line of a table; total rows are bold on a grey background.
type row struct {
	cells []string
	total bool
}

// table draws a bordered table whose cells wrap; the header row is
// repeated on each page the table spills onto.
func (d *doc) table(cols []column, rows []row) {
	f := d.f
	header := func() {
		d.font("B", 8.5)
		f.SetFillColor(225, 233, 243)
		for _, c := range cols {
			f.CellFormat(c.width, 6, c.title, "1", 0, "C", true, 0, "")
		}
		f.Ln(-1)
	}
	d.ensureSpace(12)
	header()
	for _, r := range rows {
		style := ""
		if r.total {
			style = "B"
		}
		d.font(style, 8.5)
		lines := 1
		for i, c := range cols {
			if n := len(f.SplitText(cellText(r, i), c.width)); n > lines {
				lines = n
			}
		}
		h := float64(lines)*4.2 + 1.6
		if d.ensureSpace(h) {
			header()
			d.font(style, 8.5)
		}
		x, y := f.GetX(), f.GetY()
		f.SetFillColor(242, 242, 242)
		for i, c := range cols {
			fill := "D"
			if r.total {
				fill = "FD"
			}
			f.Rect(x, y, c.width, h, fill)
			f.SetXY(x, y+0.8)
			f.MultiCell(c.width, 4.2, cellText(r, i), "", c.align, false)
			x += c.width
		}
		f.SetXY(marginLeft, y+h)
	}
}

func cellText(r row, i int) string {
	if i < len(r.cells) {
		return r.cells[i]
	}
	return ""
}

// qr draws the payload's QR code as vector squares in a size×size box at
// (x, y). Vector modules stay sharp at any print or scan resolution; runs of
// dark modules in a row are merged and rows overlap a hair so that rasterisers
// leave no pale seams between modules.
func (d *doc) qr(p QRPayload, x, y, size float64) error {
	modules, err := qrModules(p)
	if err != nil {
		return fmt.Errorf("draw qr: %w", err)
	}
	n := len(modules)
	m := size / float64(n)
	d.f.SetFillColor(0, 0, 0)
	for j, line := range modules {
		for i := 0; i < n; {
			if !line[i] {
				i++
				continue
			}
			start := i
			for i < n && line[i] {
				i++
			}
			d.f.Rect(x+float64(start)*m, y+float64(j)*m, float64(i-start)*m, m*1.04, "F")
		}
	}
	return nil
}

// checkbox draws an empty square to tick by hand.
func (d *doc) checkbox(x, y, side float64) {
	d.f.SetLineWidth(0.3)
	d.f.Rect(x, y, side, side, "D")
	d.f.SetLineWidth(0.2)
}
