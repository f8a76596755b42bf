package report

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"retkoop/app/money"
)

func TestQRPayloadStringAndParse(t *testing.T) {
	p := QRPayload{UAI: "0310036W", Exercice: "2025-2026", Type: TypeQuitus, Hash: "a1b2c3d4"}
	if got, want := p.String(), "RTK1;0310036W;2025-2026;quitus;a1b2c3d4"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	got, err := ParseQR("  RTK1;0310036w;2025-2026;QUITUS;A1B2C3D4\n")
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Fatalf("ParseQR = %+v, want %+v", got, p)
	}
	// ADs with their own numbering keep their identifier as printed.
	own, err := ParseQR("RTK1;070-515;2024-2025;crf;00ff00ff")
	if err != nil || own.UAI != "070-515" || own.Type != TypeCRF {
		t.Fatalf("ParseQR own numbering = %+v, %v", own, err)
	}
}

func TestParseQRRejects(t *testing.T) {
	for _, s := range []string{
		"",
		"https://example.org",
		"RTK2;0310036W;2025-2026;quitus;a1b2c3d4",  // unknown version
		"RTK1;0310036W;2025-2026;quitus",           // missing hash
		"RTK1;;2025-2026;quitus;a1b2c3d4",          // no coop
		"RTK1;0310036W;2025-2027;quitus;a1b2c3d4",  // not consecutive years
		"RTK1;0310036W;2025/2026;quitus;a1b2c3d4",  // bad separator
		"RTK1;0310036W;2025-2026;releve;a1b2c3d4",  // unknown type
		"RTK1;0310036W;2025-2026;quitus;a1b2c3",    // short hash
		"RTK1;0310036W;2025-2026;quitus;a1b2c3dz",  // not hex
		"RTK1;0310036W;2025-2026;quitus;a1b2c3d4;", // extra field
	} {
		if _, err := ParseQR(s); !errors.Is(err, ErrQR) {
			t.Errorf("ParseQR(%q) error = %v, want ErrQR", s, err)
		}
	}
}

func TestFiguresHash(t *testing.T) {
	crf := fixtureCRF()
	h := FiguresHash(crf)
	if len(h) != 8 {
		t.Fatalf("hash %q is not 8 characters", h)
	}
	relabelled := fixtureCRF()
	relabelled.Charges[0].Libelle = "Autre libellé"
	relabelled.Statut = "verrouille"
	if FiguresHash(relabelled) != h {
		t.Error("hash changed although no total or balance changed")
	}
	changed := fixtureCRF()
	changed.TresorerieFin.Caisse += money.Money(1)
	if FiguresHash(changed) == h {
		t.Error("hash did not change when the closing cash changed by one cent")
	}
	changed = fixtureCRF()
	changed.TotalCharges++
	if FiguresHash(changed) == h {
		t.Error("hash did not change when the total of charges changed")
	}
}

func TestQRPNGDecodes(t *testing.T) {
	p := NewQRPayload(fixtureCRF(), TypeCRF)
	b, err := QRPNG(p, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 256 || s.Y != 256 {
		t.Fatalf("image is %v, want 256×256", s)
	}
	if got := decodeQR(t, img); got != p {
		t.Fatalf("decoded %+v, want %+v", got, p)
	}
	if _, err := QRPNG(QRPayload{UAI: "0310036W"}, 256); !errors.Is(err, ErrQR) {
		t.Fatalf("QRPNG of an invalid payload: %v, want ErrQR", err)
	}
}

// TestQuitusQRRoundTrip prints the quitus, rasterises page 1 at a scanner's
// 150 dpi and decodes the code back, as mail-in will do with a scan.
func TestQuitusQRRoundTrip(t *testing.T) {
	tool := requireTool(t, "pdftoppm")
	crf := fixtureCRF()
	var buf bytes.Buffer
	if err := QuitusPDF(&buf, crf, QuitusInfo{AD: "OCCE 31", Commune: "Saint-Gaudens"}); err != nil {
		t.Fatal(err)
	}
	img := rasterisePage1(t, tool, buf.Bytes(), 150)
	got := decodeQR(t, img)
	want := QRPayload{UAI: "0310036W", Exercice: "2025-2026", Type: TypeQuitus, Hash: FiguresHash(crf)}
	if got != want {
		t.Fatalf("decoded %+v, want %+v", got, want)
	}
}

// TestCRFQRRoundTrip checks the smaller code on the CRF's first page too.
func TestCRFQRRoundTrip(t *testing.T) {
	tool := requireTool(t, "pdftoppm")
	crf := fixtureCRF()
	var buf bytes.Buffer
	if err := CRFPDF(&buf, crf, fixtureExtras(crf)); err != nil {
		t.Fatal(err)
	}
	got := decodeQR(t, rasterisePage1(t, tool, buf.Bytes(), 150))
	if got.Type != TypeCRF || got.UAI != crf.UAI || got.Exercice != crf.Exercice {
		t.Fatalf("decoded %+v", got)
	}
}

func rasterisePage1(t *testing.T, tool string, pdf []byte, dpi int) image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-r", strconv.Itoa(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", in,
		filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func decodeQR(t *testing.T, img image.Image) QRPayload {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		t.Fatalf("decode qr: %v", err)
	}
	p, err := ParseQR(res.GetText())
	if err != nil {
		t.Fatal(err)
	}
	return p
}
