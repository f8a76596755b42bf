package bank

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"retkoop/app/money"
)

func TestReadOFXSGMLWindows1252(t *testing.T) {
	st, err := Read("releve.ofx", readTestdata(t, "releve-2026-08-sgml1252.ofx"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2026-08-03|CHEQUE 1234567|-45,00|1234567",
		"2026-08-05|PRLV SEPA OCCE 31 Cotisation élèves et assurance 2026-2027|-245,60|",
		"2026-08-10|REMISE CHÈQUES 0004512|120,00|",
		"2026-08-12|CB LIBRAIRIE PRIVAT 11/08|-35,20|",
		"2026-08-14|VIR SEPA MAIRIE DE TOULOUSE Subvention projet théâtre école|500,00|",
		"2026-08-20|FRAIS TENUE DE COMPTE|-3,50|",
		"2026-08-20|FRAIS TENUE DE COMPTE|-3,50|",
		"2026-08-28|COTISATION CARTE AFFAIRES|-24,00|",
		"2026-08-29|VERSEMENT ESPÈCES|80,00|",
	}
	if len(st.Lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(st.Lines), len(want))
	}
	for i, l := range st.Lines {
		if got := lineString(l); got != want[i] {
			t.Errorf("line %d = %q, want %q", i, got, want[i])
		}
	}
	if st.Lines[0].Key != "26080300012" || st.Lines[6].Key != "26082000002" {
		t.Errorf("keys = %q, %q, want the FITIDs", st.Lines[0].Key, st.Lines[6].Key)
	}
	if st.AccountID != "04012345678" || st.Start != day("2026-08-01") || st.End != day("2026-08-31") {
		t.Errorf("account %q period %v → %v", st.AccountID, st.Start, st.End)
	}
	if st.ClosingBalance == nil || *st.ClosingBalance != eur("1234,56") || st.OpeningBalance != nil {
		t.Errorf("balances %v %v", st.OpeningBalance, st.ClosingBalance)
	}
}

func TestReadOFX2XML(t *testing.T) {
	st, err := Read("releve.ofx", readTestdata(t, "releve-2026-09-v2.ofx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Lines) != 6 {
		t.Fatalf("%d lines", len(st.Lines))
	}
	// 20260901000000[+2:CEST] is 31 August 22:00 UTC: the date is the one
	// the bank wrote, not its UTC instant.
	if got := lineString(st.Lines[0]); got != "2026-09-01|CHQ N°0001235|-60,00|1235" {
		t.Errorf("line 0 = %q", got)
	}
	if got := lineString(st.Lines[3]); got != "2026-09-15|VIR INST M OU MME DUPONT PARTICIPATION SORTIE MUSÉE|15,00|" {
		t.Errorf("line 3 = %q", got)
	}
	if got := st.Lines[4].Cheque; got != "1236" {
		t.Errorf("CHECKNUM → cheque %q, want 1236", got)
	}
	if st.End != day("2026-09-30") || *st.ClosingBalance != eur("1063,71") {
		t.Errorf("end %v closing %v", st.End, st.ClosingBalance)
	}
}

// sgml builds a small OFX 1.x file with the given header and transactions.
func sgml(header, trns string) string {
	return header + `
<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20251002<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>30004<ACCTID>123<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20251001<DTEND>20251031
` + trns + `
</BANKTRANLIST><LEDGERBAL><BALAMT>100,00<DTASOF>20251031</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>`
}

const oneTrn = "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20251002<TRNAMT>-12.345<FITID>X1<NAME>CB SUPER U</STMTTRN>"

func TestReadOFXHeaders(t *testing.T) {
	tests := []struct {
		name string
		file string
	}{
		{"en-tête canonique", sgml("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n", oneTrn)},
		{"en-tête incomplet, espaces et BOM", "\ufeff  " + sgml("OFXHEADER: 100\nDATA: OFXSGML\nVERSION: 151\nCHARSET: ISO-8859-1\n", oneTrn)},
		{"sans en-tête", sgml("", oneTrn)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Read("x.ofx", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Lines) != 1 || lineString(st.Lines[0]) != "2025-10-02|CB SUPER U|-12,35|" {
				t.Fatalf("lines = %+v", st.Lines)
			}
			if *st.ClosingBalance != eur("100,00") {
				t.Errorf("closing = %v", *st.ClosingBalance)
			}
		})
	}
}

func TestReadOFXErrors(t *testing.T) {
	twoAccounts := strings.Replace(sgml("", oneTrn), "</STMTTRNRS>",
		"</STMTTRNRS><STMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>30004<ACCTID>456<ACCTTYPE>SAVINGS</BANKACCTFROM><LEDGERBAL><BALAMT>5<DTASOF>20251031</LEDGERBAL></STMTRS></STMTTRNRS>", 1)
	tests := []struct {
		name, file, want string
	}{
		{"pas de l'OFX", "OFXHEADER:100\n<OFX><bonjour>", "fichier OFX invalide"},
		{"montant illisible", sgml("", strings.Replace(oneTrn, "-12.345", "douze", 1)), "fichier OFX invalide"},
		{"aucun compte bancaire", "OFXHEADER:100\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20251002<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1></OFX>", "aucun relevé de compte bancaire"},
		{"deux comptes", twoAccounts, "le fichier contient 2 comptes (123, 456)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("x.ofx", []byte(tt.file))
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrFormat with %q", err, tt.want)
			}
		})
	}
	// Both accounts are still available to a caller that lets the
	// mandataire choose.
	sts, err := ReadOFX([]byte(twoAccounts))
	if err != nil || len(sts) != 2 || sts[1].AccountID != "456" || *sts[1].ClosingBalance != eur("5") {
		t.Fatalf("ReadOFX = %+v, %v", sts, err)
	}
}

func TestOFXMoney(t *testing.T) {
	tests := []struct {
		in   string
		want money.Money
		err  bool
	}{
		{"12.34", 1234, false},
		{"-12.34", -1234, false},
		{"12.345", 1235, false},
		{"-12.345", -1235, false},
		{"-12.344", -1234, false},
		{"0.005", 1, false},
		{"1e14", 0, true},
		{"99999999999.99", 9999999999999, false},
	}
	for _, tt := range tests {
		r, _ := new(big.Rat).SetString(tt.in)
		got, err := ofxMoney(r)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ofxMoney(%s) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}
