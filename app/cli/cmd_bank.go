package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/uai"
)

const bankImportUsage = "bank import FICHIER|DOSSIER... (--uai UAI | --ad CODE) [--solde MONTANT]"

// cmdBankImport imports bank statements and runs the automatic matching
// (contract: `retkoop bank import FILE --uai UAI` prints one JSON summary
// `{"lignes", "nouvelles", "doublons", "pointees_auto", "proposees",
// "non_rapprochees"}`; importing the same file again adds nothing).
//
// Batches: several files, or directories (their *.ofx, *.qfx and *.csv
// files, not recursively), print one JSON line per file with "fichier"
// (and "uai") added, or "fichier" and "erreur" for a file that could not be
// imported; the others are imported all the same and the command ends in
// error. With --ad instead of --uai, an AD loads the statements of its
// coops: each file goes to the coop whose IBAN holds the file's account
// number (OFX), else whose UAI is in the file name (0310036W-aout.csv).
func cmdBankImport(ctx context.Context, e *Env, args []string) error {
	fs := newFlags(e, "bank import", bankImportUsage)
	uaiCode := fs.String("uai", "", "UAI de la coopérative")
	adCode := fs.String("ad", "", "code de l'AD : chaque relevé va à la coopérative de son compte (ou de l'UAI du nom du fichier)")
	solde := fs.String("solde", "", "solde de fin du relevé, quand le fichier ne le donne pas (un seul fichier)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || (*uaiCode == "") == (*adCode == "") {
		fs.Usage()
		return fmt.Errorf("il faut un ou plusieurs fichiers et --uai UAI ou --ad CODE")
	}
	files, err := bankFiles(pos)
	if err != nil {
		return err
	}
	var closing *money.Money
	if *solde != "" {
		m, err := money.Parse(*solde)
		if err != nil || len(files) != 1 {
			return fmt.Errorf("--solde attend un montant (ex. 1234,56) et un seul fichier")
		}
		closing = &m
	}
	rt, err := open(ctx, e)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	var find func(name string, data []byte) (*store.CoopScope, string, error)
	if *uaiCode != "" {
		cs, co, err := bookCoopByUAI(ctx, rt.db, *uaiCode)
		if err != nil {
			return err
		}
		find = func(string, []byte) (*store.CoopScope, string, error) { return cs, co.UAI, nil }
	} else if find, err = adBankRouter(ctx, rt.db, *adCode); err != nil {
		return err
	}
	batch := len(files) > 1 || *adCode != ""
	enc := json.NewEncoder(e.Stdout)
	failed := 0
	for _, path := range files {
		res, code, err := importBankPath(ctx, path, closing, find)
		if err != nil && !batch {
			return err
		}
		switch {
		case err != nil:
			failed++
			msg, ok := fault.Message(err)
			if !ok {
				msg = err.Error()
			}
			err = enc.Encode(map[string]any{"fichier": path, "erreur": msg})
		case batch:
			err = enc.Encode(struct {
				Fichier string `json:"fichier"`
				UAI     string `json:"uai"`
				service.BankSummary
			}{path, code, res})
		default:
			err = enc.Encode(res)
		}
		if err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d fichier(s) sur %d non importé(s)", failed, len(files))
	}
	return nil
}

// importBankPath reads one file and imports it into the coop find names.
func importBankPath(ctx context.Context, path string, closing *money.Money,
	find func(string, []byte) (*store.CoopScope, string, error)) (service.BankSummary, string, error) {
	data, err := readBankPath(path)
	if err != nil {
		return service.BankSummary{}, "", err
	}
	cs, code, err := find(filepath.Base(path), data)
	if err != nil {
		return service.BankSummary{}, "", err
	}
	res, err := service.ImportBank(ctx, cs, service.BankFile{Name: filepath.Base(path), Data: data, Closing: closing})
	if msg, ok := fault.Message(err); ok {
		return res, code, fmt.Errorf("%s : %s", filepath.Base(path), msg)
	}
	return res, code, err
}

func readBankPath(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ouverture de %s : %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, service.MaxBankFile+1))
	if err != nil {
		return nil, fmt.Errorf("lecture de %s : %w", path, err)
	}
	if len(data) > service.MaxBankFile {
		return nil, fmt.Errorf("%s : fichier trop volumineux (5 Mo au plus)", path)
	}
	return data, nil
}

// bankFiles expands directories into their statement files, sorted.
func bankFiles(args []string) ([]string, error) {
	var out []string
	for _, p := range args {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ouverture de %s : %w", p, err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("lecture du dossier %s : %w", p, err)
		}
		var found []string
		for _, en := range entries {
			switch strings.ToLower(filepath.Ext(en.Name())) {
			case ".ofx", ".qfx", ".csv":
				if !en.IsDir() {
					found = append(found, filepath.Join(p, en.Name()))
				}
			}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("aucun relevé (.ofx, .qfx, .csv) dans %s", strings.Join(args, ", "))
	}
	return out, nil
}

var uaiInName = regexp.MustCompile(`(?i)\b\d{7}[a-z]\b`)

// adBankRouter finds, for a file loaded by an AD, the coop it belongs to:
// the one coop of the AD whose IBAN holds the statement's account number,
// else the coop whose UAI the file name carries.
func adBankRouter(ctx context.Context, db *store.DB, code string) (func(string, []byte) (*store.CoopScope, string, error), error) {
	ad, err := db.System().ADByCode(ctx, code)
	if errors.Is(err, fault.ErrNotFound) {
		return nil, fmt.Errorf("AD « %s » inconnue", code)
	}
	if err != nil {
		return nil, err
	}
	scope, err := db.ForAD(ctx, ad.ID, nil)
	if err != nil {
		return nil, err
	}
	coops, _, err := scope.Coops(ctx, store.CoopFilter{})
	if err != nil {
		return nil, err
	}
	return func(name string, data []byte) (*store.CoopScope, string, error) {
		var hits []store.Coop
		if st, err := bank.Read(name, data); err == nil && st.AccountID != "" {
			for _, co := range coops {
				if co.IBAN != "" && bank.SameAccount(co.IBAN, st.AccountID) {
					hits = append(hits, co)
				}
			}
		}
		if len(hits) != 1 {
			hits = hits[:0]
			for _, m := range uaiInName.FindAllString(name, -1) {
				for _, co := range coops {
					if uai.Valid(strings.ToUpper(m)) && co.UAI == strings.ToUpper(m) {
						hits = append(hits, co)
					}
				}
			}
		}
		if len(hits) != 1 {
			return nil, "", fmt.Errorf("%s : aucune coopérative de l'AD %s n'a ce compte ; nommez le fichier avec l'UAI (ex. 0310036W.csv)", name, code)
		}
		cs, err := scope.Coop(ctx, hits[0].ID)
		return cs, hits[0].UAI, err
	}, nil
}
