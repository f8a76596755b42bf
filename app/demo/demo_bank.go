package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"retkoop/app/bank"
	"retkoop/app/ledger"
	"retkoop/app/money"
	"retkoop/app/service"
	"retkoop/app/store"
	"retkoop/app/uai"
)

// demoBankDir is where `serve --demo` and `demo` write the demo coops' bank
// statements, under the data directory: <UAI>/releve-AAAA-MM.ofx (one per
// month, September to the September after the exercice) and <UAI>.ofx (the
// whole period in one file), to import from the bank page or with
// `retkoop bank import DIR --uai UAI`.
const demoBankDir = "demo-releves"

// seedDemoBank writes the bank statements that match the demo books of the
// named demo schools, and imports and reconciles them for those whose book
// is closed already (seedDemoClosing: they reconciled before closing) and
// every other one of the rest, so that the demo shows both coops to
// reconcile and reconciled ones. Idempotent.
func seedDemoBank(ctx context.Context, db *store.DB, o Options, adID int64, exercice string) error {
	ex, err := ledger.ParseExercice(exercice)
	if err != nil {
		return fmt.Errorf("seed demo bank: %w", err)
	}
	targets, err := db.System().BookTargets(ctx, adID, exercice)
	targets = slices.DeleteFunc(targets, func(t store.BookTarget) bool { return !o.owns(t.UAI) })
	if err != nil {
		return err
	}
	dir := ""
	if o.Docs != nil { // the documents live in <data>/documents
		dir = filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(o.Docs.Path("demo")))), demoBankDir)
	}
	named := map[string]int{}
	for i := range demoSchools {
		named[uai.Make(310100+i*3)] = i
	}
	for _, t := range targets {
		i, ok := named[t.UAI]
		if !ok || t.BookMode != store.BookKept {
			continue
		}
		closed := t.Exercice.State == store.ExerciceClosed
		if err := seedDemoCoopBank(ctx, db, t, ex, o.Seed, dir, closed || i%2 == 1); err != nil {
			return fmt.Errorf("seed demo bank %s: %w", t.UAI, err)
		}
	}
	return nil
}

// seedDemoCoopBank writes one coop's statements (unless written already:
// they describe the book as generated) and, when reconcile is set and the
// coop has no statement yet, imports and reconciles them.
func seedDemoCoopBank(ctx context.Context, db *store.DB, t store.BookTarget, ex ledger.Exercice, seed uint64, dir string, reconcile bool) error {
	cs, err := db.ForCoop(ctx, t.CoopID, nil)
	if err != nil {
		return err
	}
	co, err := cs.Coop(ctx)
	if err != nil {
		return err
	}
	ops, err := cs.BookOperations(ctx, ex.String())
	if err != nil {
		return err
	}
	n, _ := strconv.ParseUint(t.UAI[:7], 10, 64)
	lines := demoBankLines(rand.New(rand.NewPCG(seed+1, n)), ops, co.Commune, t.Exercice.State != store.ExerciceClosed)
	months := demoStatements(co.IBAN, t.Exercice.OpeningBank, ex, lines)
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, t.UAI+".ofx")); errors.Is(err, fs.ErrNotExist) {
			if err := writeDemoStatements(filepath.Join(dir, t.UAI), months); err != nil {
				return err
			}
			last := months[len(months)-1]
			if err := os.WriteFile(filepath.Join(dir, t.UAI+".ofx"), DemoOFX(co.IBAN, ex.Debut(), last.end, last.closing, lines), 0o640); err != nil {
				return fmt.Errorf("seed demo bank: %w", err)
			}
		}
	}
	if !reconcile {
		return nil
	}
	if sts, err := cs.BankStatements(ctx); err != nil || len(sts) > 0 {
		return err
	}
	return reconcileDemo(ctx, cs, months)
}

// reconcileDemo does what the mandataire would: import the statements,
// confirm the proposals and create the operations of the lines the book
// lacks (the bank's fees).
func reconcileDemo(ctx context.Context, cs *store.CoopScope, months []demoMonth) error {
	for _, m := range months {
		if _, err := service.ImportBank(ctx, cs, service.BankFile{Name: m.name, Data: m.data}); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	lines, err := cs.BankLines(ctx, store.BankLineFilter{Statuses: []string{store.BankProposed, store.BankUnmatched}})
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.Status == store.BankProposed {
			err = service.ConfirmProposal(ctx, cs, l.ID, 0)
		} else if s := bank.SuggestOperation(l.Line); s.Account != "" {
			_, _, err = service.CreateLineOperation(ctx, cs, l.ID, service.LineOperation{Account: s.Account})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// demoLine is a line of a demo statement, with what OFX says of it.
type DemoLine struct {
	Date     time.Time
	Amount   money.Money
	Name     string
	TrnType  string
	CheckNum string
}

// demoBankLines is what the bank shows of a demo book: cheques cashed 2 to
// 40 days after they were written, deposits of cheques credited a few days
// later (two deposit slips of the same week often in one line), card
// payments a few days later, transfers and direct debits on the day. An
// operation the demo book ticked by hand is on the bank before its tick.
func demoBankLines(rng *rand.Rand, ops []ledger.Operation, commune string, fee bool) []DemoLine {
	var out []DemoLine
	at := func(op *ledger.Operation, lo, hi int) time.Time {
		d := op.Date.AddDate(0, 0, lo+rng.IntN(hi-lo+1))
		if op.Ticked != nil && d.After(*op.Ticked) {
			d = *op.Ticked
		}
		if d.Before(op.Date) {
			d = op.Date
		}
		return d
	}
	for i := 0; i < len(ops); i++ {
		op := &ops[i]
		if !op.Touches(ledger.Banque) {
			continue
		}
		l := DemoLine{Amount: op.Delta(ledger.Banque)}
		label := asciiUpper(op.Libelle)
		switch {
		case op.Kind == ledger.Depense && op.Mode == ledger.Cheque:
			l.Date, l.Name, l.TrnType, l.CheckNum = at(op, 2, 40), "CHEQUE "+op.Cheque, "CHECK", op.Cheque
		case op.Kind == ledger.Recette && op.Mode == ledger.Remise:
			l.Date, l.TrnType = at(op, 1, 4), "DEP"
			// A second deposit slip of the same week goes in the same line.
			if j := i + 1; j < len(ops) && ops[j].Kind == ledger.Recette && ops[j].Mode == ledger.Remise &&
				ops[j].Treasury == ledger.Banque && ops[j].Date.Sub(op.Date) <= 6*24*time.Hour &&
				(ops[j].Ticked == nil) == (op.Ticked == nil) && rng.IntN(2) == 0 {
				l.Amount += ops[j].Delta(ledger.Banque)
				l.Date = at(&ops[j], 1, 3)
				i++
			}
			l.Name = fmt.Sprintf("REMISE CHEQUES %07d", 4500000+rng.IntN(99999))
		case op.Kind == ledger.Transfert && op.Counterpart == ledger.Banque:
			l.Date, l.Name, l.TrnType = at(op, 0, 2), "VERSEMENT ESPECES", "DEP"
		case op.Kind == ledger.Transfert:
			l.Date, l.Name, l.TrnType = at(op, 0, 1), "RETRAIT DAB", "ATM"
		case op.Mode == ledger.Carte:
			// The bank prints the merchant, not what the book says.
			l.Date, l.TrnType = at(op, 1, 3), "POS"
			l.Name = fmt.Sprintf("CB %s %s", demoMerchants[rng.IntN(len(demoMerchants))], op.Date.Format("02/01"))
		case op.Mode == ledger.Prelevement && strings.Contains(label, "FRAIS"):
			l.Date, l.Name, l.TrnType = at(op, 0, 0), "FRAIS TENUE DE COMPTE", "SRVCHG"
		case op.Mode == ledger.Prelevement:
			l.Date, l.Name, l.TrnType = at(op, 0, 2), "PRLV SEPA "+cut(label, 30), "DIRECTDEBIT"
		case op.Kind == ledger.Recette: // a transfer received: the bank prints the payer
			l.Date, l.Name, l.TrnType = at(op, 0, 2), "VIR SEPA "+payer(label, commune), "CREDIT"
			if strings.Contains(label, "COMMUNE") { // the town hall's transfer: late, and named otherwise
				l.Date = at(op, 3, 3)
			}
		default:
			l.Date, l.Name, l.TrnType = at(op, 0, 2), "VIR SEPA "+cut(label, 30), "XFER"
		}
		out = append(out, l)
	}
	// The bank charges a fee the book does not know yet: one click on the
	// bank page turns it into an operation (not in a closed book).
	if fee && len(ops) > 0 {
		d := ops[0].Date.AddDate(0, 10, 14)
		out = append(out, DemoLine{Date: d, Amount: -800, Name: "COMMISSION D INTERVENTION", TrnType: "SRVCHG"})
	}
	ledgerSortLines(out)
	return out
}

// demoMerchants are where a coop pays by card.
var demoMerchants = []string{"PAPETERIE DU CENTRE", "LIBRAIRIE PRIVAT", "CULTURA", "LECLERC", "AMAZON PAYMENTS", "DARTY", "DECATHLON"}

// payer is who a transfer received comes from, as the bank prints it.
func payer(label, commune string) string {
	switch {
	case strings.Contains(label, "COMMUNE"):
		return "MAIRIE DE " + asciiUpper(commune)
	case strings.Contains(label, "PARENTS"):
		return "ASSOCIATION DES PARENTS D ELEVES"
	}
	return cut(label, 30)
}

// ledgerSortLines orders lines by date, stably.
func ledgerSortLines(ls []DemoLine) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].Date.Before(ls[j-1].Date); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// demoMonth is one monthly statement file.
type demoMonth struct {
	name    string
	end     time.Time
	closing money.Money
	data    []byte
}

// demoStatements cuts the lines into monthly OFX statements from the
// exercice's first September to the September after it, each with its
// closing balance, the first opening at the book's opening balance.
func demoStatements(iban string, opening money.Money, ex ledger.Exercice, lines []DemoLine) []demoMonth {
	var out []demoMonth
	bal := opening
	for m := ex.Debut(); m.Before(ex.Next().Debut().AddDate(0, 1, 0)); m = m.AddDate(0, 1, 0) {
		end := m.AddDate(0, 1, -1)
		var in []DemoLine
		for _, l := range lines {
			if !l.Date.Before(m) && !l.Date.After(end) {
				in = append(in, l)
				bal += l.Amount
			}
		}
		out = append(out, demoMonth{name: "releve-" + m.Format("2006-01") + ".ofx", end: end, closing: bal,
			data: DemoOFX(iban, m, end, bal, in)})
	}
	return out
}

func writeDemoStatements(dir string, months []demoMonth) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("seed demo bank: %w", err)
	}
	for _, m := range months {
		if err := os.WriteFile(filepath.Join(dir, m.name), m.data, 0o640); err != nil {
			return fmt.Errorf("seed demo bank: %w", err)
		}
	}
	return nil
}

// demoOFX writes an OFX 1.02 statement as French banks export it. The
// FITIDs derive from the date and the rank of the line in the day, so that
// the monthly files and the yearly one name each line alike.
func DemoOFX(iban string, start, end time.Time, closing money.Money, lines []DemoLine) []byte {
	var b bytes.Buffer
	acct := iban
	if len(acct) >= 25 {
		acct = acct[14:25]
	}
	b.WriteString("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
	b.WriteString("<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n")
	fmt.Fprintf(&b, "<DTSERVER>%s\n<LANGUAGE>FRA\n</SONRS>\n</SIGNONMSGSRSV1>\n", end.Format("20060102"))
	fmt.Fprintf(&b, "<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>%s\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<STMTRS>\n<CURDEF>EUR\n", end.Format("20060102"))
	fmt.Fprintf(&b, "<BANKACCTFROM>\n<BANKID>13106\n<BRANCHID>00500\n<ACCTID>%s\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n", acct)
	fmt.Fprintf(&b, "<BANKTRANLIST>\n<DTSTART>%s\n<DTEND>%s\n", start.Format("20060102"), end.Format("20060102"))
	rank := map[string]int{}
	for _, l := range lines {
		day := l.Date.Format("060102")
		rank[day]++
		fmt.Fprintf(&b, "<STMTTRN>\n<TRNTYPE>%s\n<DTPOSTED>%s\n<TRNAMT>%s\n<FITID>%s%05d\n", l.TrnType, l.Date.Format("20060102"),
			ofxAmount(l.Amount), day, rank[day])
		if l.CheckNum != "" {
			fmt.Fprintf(&b, "<CHECKNUM>%s\n", l.CheckNum)
		}
		fmt.Fprintf(&b, "<NAME>%s\n</STMTTRN>\n", l.Name)
	}
	fmt.Fprintf(&b, "</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>%s\n<DTASOF>%s\n</LEDGERBAL>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n",
		ofxAmount(closing), end.Format("20060102"))
	return b.Bytes()
}

// ofxAmount writes cents as OFX does: "-45.00".
func ofxAmount(m money.Money) string { return strings.ReplaceAll(m.Plain(), ",", ".") }

// asciiUpper is a label as a bank prints it: upper case, no accents.
func asciiUpper(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("'", " ", "’", " ", ":", "", "—", "", "-", " ").Replace(out)
	return strings.Join(strings.Fields(strings.ToUpper(out)), " ")
}

func cut(s string, n int) string {
	if len(s) > n {
		return strings.TrimSpace(s[:n])
	}
	return s
}
