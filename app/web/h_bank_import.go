package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/money"
	"retkoop/app/service"
)

// bankImportPage is the upload of a statement and, for a CSV file whose
// shape the coop has not confirmed yet, the choice of its columns with a
// preview of the lines read.
type bankImportPage struct {
	Head     bankHead
	CSRF     string
	Errors   []string
	FileName string
	Content  string // the file, base64, carried from the preview to the import
	Preview  *bank.Preview
	Columns  []option // "-1" (none) and one per column of the widest row
	Mapping  bank.Mapping
	Sample   []bank.Line
	Closing  string
	HasClose bool // the file gives the closing balance
	ReadOnly bool
}

func (a *Handler) showBankImport(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	p := &bankImportPage{Head: newBankHead(spaceOf(c), co, "import", "Importer un relevé bancaire"), CSRF: csrfToken(c), ReadOnly: cs.ReadOnly()}
	a.render.HTML(c, http.StatusOK, "bank_import", a.page(c, p.Head.Title, p))
	return nil
}

// createBankImport imports an uploaded statement. An OFX file, or a CSV of
// a shape the coop confirmed before, is imported at once; another CSV
// shows its columns first, and is imported when the mandataire confirms
// them (the choice is remembered for the next files of that shape).
func (a *Handler) createBankImport(c *gin.Context) error {
	cs, ctx := coopScope(c), c.Request.Context()
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	p := &bankImportPage{Head: newBankHead(spaceOf(c), co, "import", "Importer un relevé bancaire"), CSRF: csrfToken(c),
		FileName: c.PostForm("nom"), Closing: strings.TrimSpace(c.PostForm("solde"))}
	data, err := readPreviewedFile(c, service.MaxBankFile, "Choisissez le fichier du relevé (OFX ou CSV) exporté depuis le site de la banque.", &p.FileName)
	if err != nil {
		return a.bankImportFailed(c, p, err)
	}
	f := service.BankFile{Name: p.FileName, Data: data}
	if p.Closing != "" {
		m, err := money.Parse(p.Closing)
		if err != nil {
			return a.bankImportFailed(c, p, fault.Invalidf("Le solde de fin du relevé doit être un montant, par exemple 1 234,56."))
		}
		f.Closing = &m
	}
	if !bank.IsOFX(p.FileName, data) {
		confirmed := c.PostForm("importer") != ""
		if m, ok := formMapping(c); ok {
			f.Mapping = &m
		}
		if !confirmed {
			if show, err := a.previewColumns(c, p, data, f.Mapping); show || err != nil {
				if err != nil {
					return err
				}
				a.render.HTML(c, http.StatusOK, "bank_import", a.page(c, p.Head.Title, p))
				return nil
			}
		}
	}
	res, err := service.ImportBank(ctx, cs, f)
	if err != nil {
		return a.bankImportFailed(c, p, err)
	}
	a.redirect(c, spaceOf(c).To(fmt.Sprintf("/banque/releves/%d?import=1&lignes=%d&nouvelles=%d&doublons=%d&auto=%d&proposees=%d&non=%d",
		res.StatementID, res.Lignes, res.Nouvelles, res.Doublons, res.PointeesAuto, res.Proposees, res.NonRapprochees)))
	return nil
}

// previewColumns fills the column step for a CSV file and reports whether
// it must be shown: always when the mandataire asked for it (a mapping in
// the form), else when the coop has no confirmed mapping for this shape.
func (a *Handler) previewColumns(c *gin.Context, p *bankImportPage, data []byte, chosen *bank.Mapping) (bool, error) {
	detected, preview, derr := bank.DetectCSV(data)
	p.Preview, p.Mapping = &preview, detected
	if chosen != nil {
		p.Mapping = *chosen
	} else {
		sig, saved, ok, err := coopScope(c).BankMapping(c.Request.Context())
		if err != nil {
			return false, err
		}
		if ok && sig != "" && preview.Signature(saved) == sig {
			return false, nil
		}
		if derr != nil {
			p.Errors = bankMessages(derr)
		}
	}
	p.Content = base64.StdEncoding.EncodeToString(data)
	width := 0
	for _, r := range preview.Rows {
		width = max(width, len(r.Cells))
	}
	p.Columns = []option{{Value: "-1", Label: "(aucune)"}}
	for i := 0; i < width; i++ {
		p.Columns = append(p.Columns, option{Value: strconv.Itoa(i), Label: columnLabel(preview, p.Mapping.HeaderRow, i)})
	}
	if st, err := bank.ReadCSV(data, p.Mapping); err == nil {
		p.Sample, p.HasClose = st.Lines[:min(len(st.Lines), 12)], st.ClosingBalance != nil
	} else if p.Errors == nil {
		p.Errors = bankMessages(err)
	}
	return true, nil
}

// columnLabel names a column by its letter and its header cell.
func columnLabel(p bank.Preview, header, i int) string {
	l := string(rune('A' + i%26))
	if i >= 26 {
		l = string(rune('A'+i/26-1)) + l
	}
	if header >= 0 && header < len(p.Rows) && i < len(p.Rows[header].Cells) {
		if h := strings.TrimSpace(p.Rows[header].Cells[i]); h != "" {
			return l + " — " + h
		}
	}
	return "colonne " + l
}

// formMapping reads the columns chosen on the preview step.
func formMapping(c *gin.Context) (bank.Mapping, bool) {
	if c.PostForm("col_date") == "" {
		return bank.Mapping{}, false
	}
	col := func(k string) int {
		n, err := strconv.Atoi(c.PostForm(k))
		if err != nil || n < -1 || n > 200 {
			return -1
		}
		return n
	}
	return bank.Mapping{Date: col("col_date"), Label: col("col_libelle"), Debit: col("col_debit"), Credit: col("col_credit"),
		Amount: col("col_montant"), HeaderRow: col("entete")}, true
}

// bankMessages splits a statement's problems into one message per line.
func bankMessages(err error) []string {
	var le bank.LineErrors
	if errors.As(err, &le) {
		out := make([]string, len(le))
		for i, e := range le {
			out[i] = e.Error()
		}
		return out
	}
	if msg, ok := fault.Message(err); ok {
		return []string{msg}
	}
	return []string{err.Error()}
}

// bankImportFailed shows the upload form again with the messages (422);
// an error that is not the user's is returned.
func (a *Handler) bankImportFailed(c *gin.Context, p *bankImportPage, err error) error {
	if _, ok := fault.Message(err); !ok {
		return err
	}
	p.Errors, p.Content, p.Preview = bankMessages(err), "", nil
	a.render.HTML(c, http.StatusUnprocessableEntity, "bank_import", a.page(c, p.Head.Title, p))
	return nil
}
