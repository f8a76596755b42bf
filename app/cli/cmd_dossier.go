package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/workflow"
)

// dossierJSON is the contract's `dossier show --format json`.
type dossierJSON struct {
	UAI      string        `json:"uai"`
	Exercice string        `json:"exercice"`
	Deadline string        `json:"echeance"`
	Status   string        `json:"statut"`
	Elements []elementJSON `json:"elements"`
	// Beyond the contract: the completeness score and the missing items.
	Score   int      `json:"score"`
	Missing []string `json:"manquants"`
}

type elementJSON struct {
	Key       string         `json:"cle"`
	Label     string         `json:"libelle"`
	Status    string         `json:"statut"`
	Documents []documentJSON `json:"documents"`
}

type documentJSON struct {
	ID         int64  `json:"id"`
	Name       string `json:"nom"`
	Type       string `json:"type"`
	Size       int64  `json:"taille"`
	SHA256     string `json:"sha256"`
	Source     string `json:"source"`
	ReceivedAt string `json:"recu_le"` // RFC 3339, Europe/Paris
}

const dossierShowUsage = "dossier show --uai UAI --exercice AAAA-AAAA --format json"

// cmdDossierShow prints a coop's submission checklist. It reads only: a
// dossier never opened is shown as new, without being created.
func cmdDossierShow(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "dossier show", dossierShowUsage)
	t := newTargetFlags(fs, "uai", "UAI", "UAI de la coopérative (ex. 0310036W)", "exercice du dossier (ex. 2025-2026)", "json")
	_, ex, err := t.parse(args, 0)
	if err != nil {
		return err
	}
	rt, cs, co, err := openCoop(ctx, e, *t.who)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	out, err := dossierReport(ctx, cs.AsReadOnly(), co, ex.String())
	if errors.Is(err, fault.ErrNotFound) {
		return fmt.Errorf("la coopérative %s n'a pas d'exercice %s", co.UAI, ex)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// dossierReport builds the contract's view of the coop's dossier.
func dossierReport(ctx context.Context, cs *store.CoopScope, co *store.Coop, exercice string) (dossierJSON, error) {
	row, d, err := cs.Dossier(ctx, exercice)
	if err != nil {
		return dossierJSON{}, err
	}
	camp, err := cs.Campaign(ctx, exercice)
	if err != nil {
		return dossierJSON{}, err
	}
	files := map[int64]*store.Document{}
	if row.ID != 0 {
		docs, err := cs.DossierDocuments(ctx, row.ID)
		if err != nil {
			return dossierJSON{}, err
		}
		for _, f := range docs {
			files[f.DocumentID] = f.Document
		}
	}
	out := dossierJSON{UAI: co.UAI, Exercice: exercice, Deadline: camp.Deadline, Status: string(d.Status()),
		Elements: []elementJSON{}, Score: d.Score(), Missing: []string{}}
	for _, k := range d.Missing() {
		out.Missing = append(out.Missing, string(k))
	}
	for _, it := range d.Checklist() {
		el := elementJSON{Key: string(it.Key), Label: it.Key.Label(), Status: string(it.Status), Documents: []documentJSON{}}
		for _, doc := range it.Documents {
			el.Documents = append(el.Documents, documentOf(doc, files[doc.ID]))
		}
		out.Elements = append(out.Elements, el)
	}
	return out, nil
}

func documentOf(doc workflow.Document, file *store.Document) documentJSON {
	j := documentJSON{ID: doc.ID, Source: string(doc.Source), ReceivedAt: doc.ReceivedAt.In(workflow.Paris()).Format(time.RFC3339)}
	if file != nil {
		j.Name, j.Type, j.Size, j.SHA256 = file.Name, file.MIME, file.Size, file.SHA256
	}
	return j
}
