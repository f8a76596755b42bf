package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"retkoop/app/ledger"
)

// QRPrefix starts every retkoop QR payload. The version digit lets a later
// format coexist with papers already printed and in circulation.
const QRPrefix = "RTK1"

// Document types carried by a QR payload.
const (
	TypeQuitus = "quitus"
	TypeCRF    = "crf"
)

// ErrQR is wrapped by every error of ParseQR, so that mail-in can tell "not
// one of ours" from an I/O failure.
var ErrQR = errors.New("code QR retkoop invalide")

// qrLevel is High rather than Medium: the quitus comes back as a phone photo
// or a fax-grade scan with a signature sometimes crossing the code, and the
// payload is short enough that High still gives large modules.
const qrLevel = qrcode.High

// QRPayload identifies a printed document: which coop, which exercice, which
// document, and a fingerprint of the figures it was printed with.
// Its text form is "RTK1;<UAI>;<exercice>;<type>;<hash8>".
type QRPayload struct {
	UAI      string
	Exercice string
	Type     string // TypeQuitus or TypeCRF
	Hash     string // FiguresHash of the CRF when printed
}

// NewQRPayload builds the payload printed on a document of type typ for crf.
func NewQRPayload(crf ledger.CRF, typ string) QRPayload {
	return QRPayload{UAI: crf.UAI, Exercice: crf.Exercice, Type: typ, Hash: FiguresHash(crf)}
}

// String returns the text encoded in the QR code.
func (p QRPayload) String() string {
	return strings.Join([]string{QRPrefix, p.UAI, p.Exercice, p.Type, p.Hash}, ";")
}

// Validate reports why the payload could not be printed or trusted.
func (p QRPayload) Validate() error {
	if p.UAI == "" || strings.ContainsAny(p.UAI, "; \t\r\n") {
		return fmt.Errorf("%w : identifiant « %s »", ErrQR, p.UAI)
	}
	if !validExercice(p.Exercice) {
		return fmt.Errorf("%w : exercice « %s »", ErrQR, p.Exercice)
	}
	if p.Type != TypeQuitus && p.Type != TypeCRF {
		return fmt.Errorf("%w : type de document « %s »", ErrQR, p.Type)
	}
	if len(p.Hash) != 8 || strings.Trim(p.Hash, "0123456789abcdef") != "" {
		return fmt.Errorf("%w : empreinte « %s »", ErrQR, p.Hash)
	}
	return nil
}

// ParseQR reads a payload decoded from a scan. Surrounding white space is
// ignored and the hash is compared in lower case, since some decoders and
// people typing the printed text change case; the UAI is kept as printed
// because some ADs use their own numbering (e.g. "070-515").
func ParseQR(s string) (QRPayload, error) {
	parts := strings.Split(strings.TrimSpace(s), ";")
	if len(parts) != 5 || parts[0] != QRPrefix {
		return QRPayload{}, fmt.Errorf("%w : « %s »", ErrQR, s)
	}
	p := QRPayload{
		UAI:      strings.ToUpper(strings.TrimSpace(parts[1])),
		Exercice: strings.TrimSpace(parts[2]),
		Type:     strings.ToLower(strings.TrimSpace(parts[3])),
		Hash:     strings.ToLower(strings.TrimSpace(parts[4])),
	}
	if err := p.Validate(); err != nil {
		return QRPayload{}, fmt.Errorf("parse qr: %w", err)
	}
	return p, nil
}

// validExercice accepts "YYYY-YYYY" where the second year follows the first.
func validExercice(s string) bool {
	if len(s) != 9 || s[4] != '-' {
		return false
	}
	a, err1 := strconv.Atoi(s[:4])
	b, err2 := strconv.Atoi(s[5:])
	return err1 == nil && err2 == nil && b == a+1
}

// FiguresHash fingerprints the closed figures of a CRF: the first 8 hex
// characters of the SHA-256 of the canonical string
//
//	charges=<cents>;produits=<cents>;resultat=<cents>;debut=<banque>,<caisse>,<total>;fin=<banque>,<caisse>,<total>
//
// (amounts in integer cents). Staff compare it with the current CRF to
// notice a quitus signed on figures that have changed since it was printed.
// Only totals and balances count: relabelling an account does not make a
// signed quitus stale.
func FiguresHash(crf ledger.CRF) string {
	canon := fmt.Sprintf("charges=%d;produits=%d;resultat=%d;debut=%d,%d,%d;fin=%d,%d,%d",
		crf.TotalCharges, crf.TotalProduits, crf.Resultat,
		crf.TresorerieDebut.Banque, crf.TresorerieDebut.Caisse, crf.TresorerieDebut.Total,
		crf.TresorerieFin.Banque, crf.TresorerieFin.Caisse, crf.TresorerieFin.Total)
	sum := sha256.Sum256([]byte(canon))
	return hex.EncodeToString(sum[:4])
}

// QRPNG renders the payload as a PNG of size×size pixels, quiet zone
// included, for web pages and e-mails.
func QRPNG(p QRPayload, size int) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	png, err := qrcode.Encode(p.String(), qrLevel, size)
	if err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return png, nil
}

// qrModules returns the QR symbol of the payload without its quiet zone, as
// modules[y][x] (true = dark). PDFs draw it as vector squares, which stay
// sharp whatever the printer or scanner resolution.
func qrModules(p QRPayload) ([][]bool, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	q, err := qrcode.New(p.String(), qrLevel)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}
