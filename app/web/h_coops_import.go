package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/service"
	"retkoop/app/store"
)

// Importing the AD's coops from a CSV file in the contract's format, in
// two steps: the file is read and every invalid line listed, or what the
// import would create and update is shown; nothing is written until the
// admin confirms, and then all or nothing (store.ImportCoops), as with
// `retkoop coops import`.

// maxCoopsFile bounds the coops file (2,000 coops take ~300 kB).
const maxCoopsFile = 5 << 20

type coopsImportPage struct {
	Exercice string
	FileName string
	Errors   []string
	Preview  []store.ImportPreviewRow
	Creates  int
	Updates  int
	Content  string // the file, base64, carried by the confirmation form
	Result   *store.ImportResult
	Created  []store.Coop // the coops the import created (password letters)
}

func (a *Handler) showCoopsImport(c *gin.Context) error {
	a.render.HTML(c, http.StatusOK, "staff_coops_import", a.page(c, "Importer des coopératives",
		&coopsImportPage{Exercice: a.exerciceInProgress()}))
	return nil
}

// exerciceInProgress is the exercice in progress, whose opening balances an
// import sets by default (as the CLI does).
func (a *Handler) exerciceInProgress() string {
	return ledger.ExerciceFor(a.Now().In(fr.Paris)).String()
}

// createCoopsImport previews an uploaded file, or imports the previewed
// file when the admin confirms.
func (a *Handler) createCoopsImport(c *gin.Context) error {
	ctx, ad := c.Request.Context(), adScope(c)
	p := &coopsImportPage{Exercice: strings.TrimSpace(c.PostForm("exercice")), FileName: c.PostForm("nom_fichier")}
	if p.Exercice == "" {
		p.Exercice = a.exerciceInProgress()
	}
	lex, err := ledger.ParseExercice(p.Exercice)
	if err != nil {
		a.importFailed(c, p, []string{err.Error()})
		return nil
	}
	p.Exercice = lex.String()
	raw, err := readPreviewedFile(c, maxCoopsFile, "Choisissez le fichier CSV des coopératives.", &p.FileName)
	if err != nil {
		if msg, ok := fault.Message(err); ok {
			a.importFailed(c, p, []string{msg})
			return nil
		}
		return err
	}
	rows, lines, err := service.ParseCoopsLines(bytes.NewReader(raw))
	if err != nil {
		a.importFailed(c, p, importProblems(err))
		return nil
	}
	preview, problems, err := ad.ImportPreview(ctx, rows, lines)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		a.importFailed(c, p, problems)
		return nil
	}
	if c.PostForm("action") != "importer" {
		p.Preview, p.Content = preview, base64.StdEncoding.EncodeToString(raw)
		for _, r := range preview {
			if r.Create {
				p.Creates++
			} else {
				p.Updates++
			}
		}
		a.render.HTML(c, http.StatusOK, "staff_coops_import", a.page(c, "Importer des coopératives", p))
		return nil
	}
	if err := a.DB.System().SeedChart(ctx, ad.ID(), service.SeedChart()); err != nil {
		return err
	}
	res, err := ad.ImportCoops(ctx, rows, p.Exercice)
	if msg, ok := fault.Message(err); ok {
		a.importFailed(c, p, []string{msg})
		return nil
	} else if err != nil {
		return err
	}
	p.Result = &res
	for _, r := range preview {
		if r.Create {
			co, err := ad.CoopByUAI(ctx, r.Row.UAI)
			if err != nil {
				return err
			}
			p.Created = append(p.Created, *co)
		}
	}
	a.render.HTML(c, http.StatusOK, "staff_coops_import", a.page(c, "Coopératives importées", p))
	return nil
}

// importFailed shows every problem of the file; nothing was written.
func (a *Handler) importFailed(c *gin.Context, p *coopsImportPage, problems []string) {
	p.Errors = problems
	a.render.HTML(c, http.StatusUnprocessableEntity, "staff_coops_import", a.page(c, "Importer des coopératives", p))
}

// importProblems lists the problems of a file, one per line when the
// reader found line errors.
func importProblems(err error) []string {
	var le csvin.LineErrors
	if errors.As(err, &le) {
		out := make([]string, len(le))
		for i, e := range le {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}
