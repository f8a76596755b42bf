package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/service"
	"retkoop/app/store"
)

// importPage is the upload of a book CSV and its preview before import.
type importPage struct {
	Frame    bookFrame
	Errors   []string
	FileName string
	Content  string // the file, base64, carried from the preview to the import
	Preview  []bookRow
	Totals   ledger.Totals
}

// bookLineMessages splits an import error into one message per line.
func bookLineMessages(err error) []string {
	var le csvin.LineErrors
	if errors.As(err, &le) {
		out := make([]string, len(le))
		for i, e := range le {
			out[i] = e.Error()
		}
		return out
	}
	msg, _ := fault.Message(err)
	return []string{msg}
}

func (a *Handler) showImport(c *gin.Context) error {
	_, fr, err := a.frame(c, "import", "Importer un cahier")
	if err != nil {
		return err
	}
	a.render.HTML(c, http.StatusOK, "book_import", a.page(c, fr.Title, &importPage{Frame: fr}))
	return nil
}

// createImport previews an uploaded file, or imports the previewed file
// when the mandataire confirms. Nothing is written unless every line is
// valid.
func (a *Handler) createImport(c *gin.Context) error {
	cs, b, co, err := a.loadBook(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p := &importPage{Frame: newFrame(spaceOf(c), co, b.Exercice, "import", "Importer un cahier"), FileName: c.PostForm("nom")}
	data, err := readPreviewedFile(c, service.MaxBookFile, "Choisissez le fichier CSV du cahier à importer.", &p.FileName)
	var ops []ledger.Operation
	if err == nil {
		ops, err = service.ParseBookFile(data, b)
	}
	if err == nil && c.PostForm("confirmer") != "" {
		var n int
		if n, err = cs.ImportOperations(ctx, b.Exercice.Name, ops); err == nil {
			a.redirect(c, fmt.Sprintf("%s?importees=%d", spaceOf(c).book(b.Exercice.Name, ""), n))
			return nil
		}
	}
	if err != nil {
		if _, ok := fault.Message(err); !ok {
			return err
		}
		p.Errors, p.Content = bookLineMessages(err), ""
		a.render.HTML(c, http.StatusUnprocessableEntity, "book_import", a.page(c, p.Frame.Title, p))
		return nil
	}
	p.Content, p.Totals = base64.StdEncoding.EncodeToString(data), ledger.ComputeTotals(ops)
	preview := &store.Book{Exercice: b.Exercice, Ops: ops, Chart: b.Chart, Regies: b.Regies, Documents: map[int64]int64{}}
	for _, e := range ledger.NewBook(store.OpeningBalances(b.Exercice), ops).Entries() {
		p.Preview = append(p.Preview, newBookRow(spaceOf(c), e, preview, 0))
	}
	a.render.HTML(c, http.StatusOK, "book_import", a.page(c, p.Frame.Title, p))
	return nil
}

func (a *Handler) exportBookCSV(c *gin.Context) error { return a.exportBook(c, "csv") }

func (a *Handler) exportBookXLSX(c *gin.Context) error { return a.exportBook(c, "xlsx") }

// exportBook sends the book as CSV (the import format: export then import
// gives the same book) or as an XLSX workbook with totals per account.
func (a *Handler) exportBook(c *gin.Context, format string) error {
	_, b, co, err := a.loadBook(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	ctype := "text/csv; charset=utf-8"
	if format == "csv" {
		err = ledger.WriteBookCSV(&buf, b.Ops)
	} else {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = report.WriteBookXLSX(&buf, b.Ops, ledger.ComputeTotals(b.Ops), b.Chart)
	}
	if err != nil {
		return fmt.Errorf("export book: %w", err)
	}
	name := fmt.Sprintf("cahier-%s-%s.%s", co.UAI, b.Exercice.Name, format)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, ctype, buf.Bytes())
	return nil
}
