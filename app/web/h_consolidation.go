package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
	"retkoop/app/money"
	"retkoop/app/report"
	"retkoop/app/service"
)

// The AD's consolidated accounts for the staff (/ad/consolidation): the
// printable page with the campaign's progress chart, the drill-down to
// each coop's CRF, and the XLSX/CSV/JSON downloads (the same documents as
// `retkoop report ad`).

type consolidationPage struct {
	*service.Consolidation
	Exercice string
	Coverage int // per cent of the AD's coops included
	Chart    template.HTML
	Excluded []excludedView
	Included []includedView
	// SubsidiesTotal sums the subsidies by funder type.
	SubsidiesTotal money.Money
}

type includedView struct {
	report.CoopRow
	URL string
}

type excludedView struct {
	UAI, Nom, Raison string
	URL              string
}

func (a *Handler) showConsolidation(c *gin.Context) error {
	ctx, ad := c.Request.Context(), adScope(c)
	ex, err := a.staffExercice(c)
	if err != nil {
		return err
	}
	cons, err := a.Consolidate(ctx, ad, ex)
	if err != nil {
		return err
	}
	camp, err := ad.Campaign(ctx, ex)
	if err != nil {
		return err
	}
	var svg bytes.Buffer
	if err := a.CampaignProgress(ctx, ad, camp, &svg); err != nil {
		return err
	}
	p := &consolidationPage{Consolidation: cons, Exercice: ex,
		// The SVG is written by report.ProgressSVG, every text escaped.
		Chart: template.HTML(svg.String())} // #nosec G203
	if cons.C.Coops > 0 {
		p.Coverage = cons.C.CoopsInclus * 100 / cons.C.Coops
	}
	for _, r := range cons.Rows {
		p.Included = append(p.Included, includedView{CoopRow: r, URL: staffExerciceURL(cons.IDs[r.UAI], ex)})
	}
	for _, l := range cons.C.SubventionsParType {
		p.SubsidiesTotal += l.Montant
	}
	for _, e := range cons.C.Exclus {
		v := excludedView{UAI: e.UAI, Nom: e.Nom, Raison: e.Raison, URL: staffDossierURL(cons.IDs[e.UAI], ex)}
		if cons.NoExercice[e.UAI] {
			v.URL = "/ad/coops/" + strconv.FormatInt(cons.IDs[e.UAI], 10)
		}
		p.Excluded = append(p.Excluded, v)
	}
	a.render.HTML(c, http.StatusOK, "staff_consolidation", a.page(c, "Comptes consolidés "+ex, p))
	return nil
}

// exportConsolidation downloads the consolidated accounts (?format=xlsx,
// csv or json).
func (a *Handler) exportConsolidation(c *gin.Context) error {
	ex, err := a.staffExercice(c)
	if err != nil {
		return err
	}
	format := c.DefaultQuery("format", "xlsx")
	ctype, ok := service.ConsolidatedFormats[format]
	if !ok {
		return fault.Invalidf("Format « %s » inconnu : json, xlsx ou csv.", format)
	}
	cons, err := a.Consolidate(c.Request.Context(), adScope(c), ex)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := service.WriteConsolidated(&b, cons, format); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+service.ConsolidatedFileName(cons.AD.Code, ex, format)+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, ctype, b.Bytes())
	return nil
}

// showProgressChart serves the campaign's progress chart alone (SVG), for
// reuse outside the page.
func (a *Handler) showProgressChart(c *gin.Context) error {
	ctx, ad := c.Request.Context(), adScope(c)
	ex, err := a.staffExercice(c)
	if err != nil {
		return err
	}
	camp, err := ad.Campaign(ctx, ex)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := a.CampaignProgress(ctx, ad, camp, &b); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/svg+xml", b.Bytes())
	return nil
}

// staffExerciceURL is a coop's exercice page for the staff: its CRF and
// CRA (the consolidation's drill-down).
func staffExerciceURL(coopID int64, exercice string) string {
	return "/ad/coops/" + strconv.FormatInt(coopID, 10) + "/exercices/" + url.PathEscape(exercice)
}

// staffDossierURL is a coop's dossier page for the staff.
func staffDossierURL(coopID int64, exercice string) string {
	return "/ad/coops/" + strconv.FormatInt(coopID, 10) + "/dossier/" + url.PathEscape(exercice)
}
