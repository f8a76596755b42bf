package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/ledger"
	"retkoop/app/report"
	"retkoop/app/store"
)

// The documents of the closing: the CRF in JSON (the contract's shape),
// PDF, XLSX and CSV, and the quitus page, each generated from the same
// CRFRecord so that the page, the files and `retkoop report crf` always
// agree.

// crfFormats are the formats of the CRF, with their content type.
var CRFFormats = map[string]string{
	"json": "application/json; charset=utf-8",
	"pdf":  "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
}

// crfFileName names a document of the closing: "crf-0310036W-2025-2026.pdf".
func CRFFileName(kind, uai, exercice, format string) string {
	return fmt.Sprintf("%s-%s-%s.%s", kind, uai, exercice, format)
}

// writeCRF writes the coop's CRF of an exercice in a format of crfFormats.
func (a *Service) WriteCRF(ctx context.Context, cs *store.CoopScope, r *store.CRFRecord, format string, w io.Writer) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.CRF)
	case "xlsx":
		return report.CRFXLSX(w, r.CRF)
	case "csv":
		return report.CRFCSV(w, r.CRF)
	case "pdf":
		extra, err := a.crfExtras(ctx, cs, r)
		if err != nil {
			return err
		}
		return report.CRFPDF(w, r.CRF, extra)
	}
	return fault.Invalidf("Format « %s » inconnu : json, pdf, xlsx ou csv.", format)
}

// crfExtras gathers what the printed CRF shows beyond its figures: the
// coop's address, its AD, the état de rapprochement at 31 August and the
// last arrêté de caisse (both from the book; a CRF entered directly has
// neither).
func (a *Service) crfExtras(ctx context.Context, cs *store.CoopScope, r *store.CRFRecord) (report.CRFExtras, error) {
	co := r.Coop
	ad, err := cs.AD(ctx)
	if err != nil {
		return report.CRFExtras{}, err
	}
	extra := report.CRFExtras{Adresse: co.Address, Commune: strings.TrimSpace(co.PostalCode + " " + co.Commune),
		Mandataire: co.MandataireName, AD: ad.Name, GeneratedAt: a.Now().In(fr.Paris)}
	if r.State.Source != store.BookKept {
		return extra, nil
	}
	if extra.Rapprochement, err = a.CRFRapprochement(ctx, cs, r); err != nil {
		return extra, err
	}
	extra.CashCount, err = CRFCashCount(ctx, cs, r.Exercice)
	return extra, err
}

// crfRapprochement is section 3 of the CRF: the état de rapprochement at
// the end of the exercice, nil when no statement covers that day.
func (a *Service) CRFRapprochement(ctx context.Context, cs *store.CoopScope, r *store.CRFRecord) (*report.RapprochementInfo, error) {
	lex, err := ledger.ParseExercice(r.Exercice.Name)
	if err != nil {
		return nil, fmt.Errorf("crf rapprochement: %w", err)
	}
	rp, ok, err := a.closingRapprochement(ctx, cs, lex.Fin())
	if err != nil || !ok {
		return nil, err
	}
	info := &report.RapprochementInfo{Date: rp.Date, SoldeReleve: rp.SoldeReleve, SoldeLivre: rp.SoldeLivre, Ecart: rp.Ecart}
	for _, e := range rp.NonPointees {
		info.NonPointees = append(info.NonPointees, report.Item{Date: e.Date, Piece: e.Piece, Libelle: e.Label, Montant: e.Amount})
	}
	return info, nil
}

// crfCashCount is section 4 of the CRF: the last arrêté de caisse with the
// book's cash balance on its day, nil when none was made.
func CRFCashCount(ctx context.Context, cs *store.CoopScope, ex *store.Exercice) (*report.CashInfo, error) {
	cc, err := cs.LastCashCount(ctx, ex.Name)
	if err != nil || cc == nil {
		return nil, err
	}
	ops, err := cs.BookOperations(ctx, ex.Name)
	if err != nil {
		return nil, err
	}
	chk := ledger.NewBook(store.OpeningBalances(ex), ops).CompareCash(*cc)
	return &report.CashInfo{Date: chk.Date, Counted: chk.Counted, Book: chk.Book}, nil
}

// quitusReady reports whether the balances at the end of the exercice are
// final: the CRF validated, or a draft with nothing left to fix (the book
// closed, or the entered figures balanced).
func QuitusReady(r *store.CRFRecord) error {
	if r.State.Frozen() || len(r.Problems) == 0 {
		return nil
	}
	if r.State.Source == store.BookKept {
		return fault.Invalidf("La page de la commission de contrôle se prépare une fois le cahier %s clôturé : ses soldes au 31 août sont alors définitifs.", r.Exercice.Name)
	}
	return fault.Invalidf("La page de la commission de contrôle se prépare une fois le compte-rendu financier %s saisi et équilibré.", r.Exercice.Name)
}

// writeQuitus writes the "Commission de contrôle des comptes" page,
// pre-filled with the coop, the exercice and its balances at 31 August,
// with the QR code that files the signed scan by itself.
func (a *Service) WriteQuitus(ctx context.Context, cs *store.CoopScope, r *store.CRFRecord, w io.Writer) error {
	if err := QuitusReady(r); err != nil {
		return err
	}
	ad, err := cs.AD(ctx)
	if err != nil {
		return err
	}
	co := r.Coop
	info := report.QuitusInfo{AD: ad.Name, Adresse: co.Address, Commune: strings.TrimSpace(co.PostalCode + " " + co.Commune),
		GeneratedAt: a.Now().In(fr.Paris)}
	if co.MandataireName != "" {
		info.Mandataires = []string{co.MandataireName}
	}
	return report.QuitusPDF(w, r.CRF, info)
}
