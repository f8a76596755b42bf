package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"retkoop/app/auth"
	"retkoop/app/fault"
	"retkoop/app/service"
	"retkoop/app/store"
)

// cmdLedgerImport imports a book CSV into a coop's exercice, all or
// nothing (contract: `retkoop ledger import FILE --uai UAI --exercice
// 2025-2026`). An exercice the coop does not have yet is opened with zero
// balances; a closed one is refused.
func cmdLedgerImport(ctx context.Context, e *Env, args []string) error {
	const usageLine = "ledger import FICHIER --uai UAI --exercice AAAA-AAAA"
	fs := newFlags(e, "ledger import", usageLine)
	t := newTargetFlags(fs, "uai", "UAI", "UAI de la coopérative", "exercice du cahier (ex. 2025-2026)")
	pos, lex, err := t.parse(args, 1)
	if err != nil {
		return err
	}
	data, err := readBookFile(pos[0])
	if err != nil {
		return err
	}
	rt, cs, co, err := openCoop(ctx, e, *t.who)
	if err != nil {
		return err
	}
	defer rt.db.Close()
	if _, err := cs.Exercice(ctx, lex.String()); errors.Is(err, fault.ErrNotFound) {
		if err := cs.SetOpening(ctx, lex.String(), 0, 0); err != nil {
			return err
		}
	}
	b, err := cs.Book(ctx, lex.String())
	if err != nil {
		return err
	}
	none := fmt.Sprintf("%s : aucune opération n'a été enregistrée.", filepath.Base(pos[0]))
	ops, err := service.ParseBookFile(data, b)
	if err == nil {
		_, err = cs.ImportOperations(ctx, b.Exercice.Name, ops)
	}
	if err != nil {
		if msg, ok := fault.Message(err); ok {
			return fmt.Errorf("%s\n%s", none, msg)
		}
		return err
	}
	fmt.Fprintf(e.Stdout, "%d opérations importées dans le cahier %s de %s (%s).\n", len(ops), b.Exercice.Name, co.Name, co.UAI)
	return nil
}

func readBookFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ouverture de %s : %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, service.MaxBookFile+1))
	if err != nil {
		return nil, fmt.Errorf("lecture de %s : %w", path, err)
	}
	if len(data) > service.MaxBookFile {
		return nil, fmt.Errorf("%s : fichier trop volumineux (5 Mo au plus)", path)
	}
	return data, nil
}

// bookCoopByUAI finds a coop by its UAI through its mandataire's login (the
// UAI), which is unique across ADs.
func bookCoopByUAI(ctx context.Context, db *store.DB, code string) (*store.CoopScope, *store.Coop, error) {
	u, err := db.System().UserByLogin(ctx, auth.NormalizeLogin(code))
	if err != nil || u.CoopID == nil {
		if err == nil || errors.Is(err, fault.ErrNotFound) {
			return nil, nil, fmt.Errorf("aucune coopérative d'UAI « %s »", code)
		}
		return nil, nil, err
	}
	cs, err := db.ForCoop(ctx, *u.CoopID, nil)
	if err != nil {
		return nil, nil, err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return nil, nil, err
	}
	return cs, co, nil
}
