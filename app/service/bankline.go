package service

import (
	"context"
	"fmt"
	"strings"

	"retkoop/app/bank"
	"retkoop/app/fault"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/store"
)

// reasonCreated marks the pairing of a line with the operation created
// from it.
const reasonCreated = "opération créée depuis la ligne du relevé"

// confirmProposal pairs a proposed line with the operations the
// mandataire chose: choice 0 is the matcher's proposal, choice i the i-th
// alternative. The operations must add up to the line's amount.
func ConfirmProposal(ctx context.Context, cs *store.CoopScope, lineID int64, choice int) error {
	return cs.Tx(ctx, func(tx *store.CoopScope) error {
		l, err := tx.BankLine(ctx, lineID)
		if err != nil {
			return err
		}
		if l.Status != store.BankProposed {
			return fault.Invalidf("Cette ligne du relevé n'a pas (ou plus) de proposition à confirmer.")
		}
		ids := l.Proposal.EntryIDs
		if choice > 0 {
			if choice > len(l.Proposal.Alternatives) {
				return fault.Invalidf("Cette proposition n'existe pas.")
			}
			ids = l.Proposal.Alternatives[choice-1]
		}
		ops, err := tx.BankOperations(ctx, store.CompteFilter{IDs: ids})
		if err != nil {
			return err
		}
		if len(ops) != len(ids) {
			return fault.Invalidf("Une opération proposée a été supprimée du cahier : rejetez la proposition.")
		}
		var total money.Money
		for i := range ops {
			total += ops[i].Op.Delta(ledger.Banque)
		}
		if total != l.Amount {
			return fault.Invalidf("Les opérations choisies font %s, la ligne du relevé %s.", total, l.Amount)
		}
		return tx.LinkBankLine(ctx, lineID, ids, store.Pairing{Score: l.Proposal.Score, Reasons: l.Proposal.Reasons})
	})
}

// lineOperation is what the mandataire may change of the operation
// suggested for an unmatched line before creating it.
type LineOperation struct {
	Libelle string
	Account string // account code, or "caisse" for cash to or from the till
	Piece   string // "" for the next number
}

// suggestionOp builds the book operation for a bank line from the
// suggestion and the mandataire's choices. A line of cash carried to or
// from the till is an internal transfer.
func suggestionOp(l bank.Line, in LineOperation) ledger.Operation {
	s := bank.SuggestOperation(l)
	libelle := strings.TrimSpace(in.Libelle)
	if libelle == "" {
		libelle = s.Libelle
	}
	mode, _ := ledger.ParseMode(s.Mode)
	op := ledger.Operation{Date: l.Date, Piece: strings.TrimSpace(in.Piece), Libelle: libelle, Mode: mode,
		Treasury: ledger.Banque, Amount: s.Amount}
	switch {
	case in.Account == "caisse" && l.Amount > 0:
		op.Kind, op.Treasury, op.Counterpart = ledger.Transfert, ledger.Caisse, ledger.Banque
	case in.Account == "caisse":
		op.Kind, op.Counterpart = ledger.Transfert, ledger.Caisse
	case l.Amount > 0:
		op.Kind, op.Lines = ledger.Recette, []ledger.Line{{Account: in.Account, Amount: s.Amount}}
	default:
		op.Kind, op.Lines = ledger.Depense, []ledger.Line{{Account: in.Account, Amount: s.Amount}}
	}
	if op.Kind == ledger.Depense && op.Mode == ledger.Cheque {
		op.Cheque = s.Cheque
	}
	if op.Kind == ledger.Transfert {
		op.Mode = ledger.Especes
	}
	return op
}

// createLineOperation turns an unmatched bank line into an operation of
// the book (exercice of the line's date, next pièce number) and pairs them,
// in one transaction. The idempotency key derived from the line makes a
// second click harmless. It returns the operation's id and exercice.
func CreateLineOperation(ctx context.Context, cs *store.CoopScope, lineID int64, in LineOperation) (int64, string, error) {
	var id int64
	ex := ""
	err := cs.Tx(ctx, func(tx *store.CoopScope) error {
		l, err := tx.BankLine(ctx, lineID)
		if err != nil {
			return err
		}
		ex = ledger.ExerciceFor(l.Date).String()
		if l.Status == store.BankTicked {
			if ids := l.OperationIDs(); len(ids) > 0 {
				id = ids[0]
			}
			return nil // a second click: done already
		}
		if in.Account == "" {
			return fault.Invalidf("Choisissez le compte de l'opération (ou « caisse » pour un dépôt ou un retrait d'espèces).")
		}
		op := suggestionOp(l.Line, in)
		if op.Piece == "" {
			ops, err := tx.BookOperations(ctx, ex)
			if err != nil {
				return fmt.Errorf("create line operation: %w", err)
			}
			op.Piece = ledger.NextPiece(Pieces(ops), op.Kind)
		}
		if _, err := tx.InsertOperation(ctx, ex, &op, fmt.Sprintf("banque-ligne-%d", lineID)); err != nil {
			return err
		}
		id = op.ID
		return tx.LinkBankLine(ctx, lineID, []int64{op.ID}, store.Pairing{Score: 1, Reasons: []string{reasonCreated}})
	})
	return id, ex, err
}

// Pieces lists the pièce numbers of ops, in order.
func Pieces(ops []ledger.Operation) []string {
	out := make([]string, len(ops))
	for i := range ops {
		out[i] = ops[i].Piece
	}
	return out
}
