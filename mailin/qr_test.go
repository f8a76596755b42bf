package mailin_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	qrcode "github.com/skip2/go-qrcode"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// scanImage draws what a school scanner produces at 150 dpi: an A4 page in
// light gray with lines of "text" and the app's QR codes, saved as JPEG.
func scanImage(t testing.TB, payloads ...string) []byte {
	t.Helper()
	page := image.NewRGBA(image.Rect(0, 0, 1240, 1754))
	draw.Draw(page, page.Bounds(), &image.Uniform{color.RGBA{246, 244, 240, 255}}, image.Point{}, draw.Src)
	ink := &image.Uniform{color.RGBA{40, 40, 50, 255}}
	for y := 400; y < 1600; y += 38 {
		draw.Draw(page, image.Rect(120, y, 120+400+(y*7)%600, y+14), ink, image.Point{}, draw.Src)
	}
	for i, p := range payloads {
		q, err := qrcode.New(p, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		q.DisableBorder = false
		img := q.Image(220)
		at := image.Pt(960-i*300, 90)
		draw.Draw(page, img.Bounds().Add(at), img, image.Point{}, draw.Src)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, page, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pdfOfImage builds a one-page PDF holding the JPEG, as scanners that save
// to PDF do.
func pdfOfImage(t testing.TB, jpg []byte) []byte {
	t.Helper()
	api.DisableConfigDir() // no pdfcpu configuration written into $HOME
	var out bytes.Buffer
	if err := api.ImportImages(nil, &out, []io.Reader{bytes.NewReader(jpg)}, nil, nil); err != nil {
		t.Fatalf("import image into pdf: %v", err)
	}
	return out.Bytes()
}

func mailWith(from, subject, name, contentType string, data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(enc) > 76 {
		lines = append(lines, enc[:76])
		enc = enc[76:]
	}
	lines = append(lines, enc)
	return []byte("From: " + from + "\r\nTo: documents@occe31.test\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + name + "@scanner.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=S\r\n\r\n" +
		"--S\r\nContent-Type: text/plain\r\n\r\nDocument numérisé.\r\n--S\r\nContent-Type: " + contentType +
		"\r\nContent-Disposition: attachment; filename=" + name + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n--S--\r\n")
}

// TestQRIdentifiesCoop: the code printed by the app, photographed or
// scanned to PDF, names the coop, the exercice and the document type even
// from an unknown sender with a meaningless subject and file name.
func TestQRIdentifiesCoop(t *testing.T) {
	jpg := scanImage(t, "RTK1;0310036W;2025-2026;quitus;a1b2c3d4")
	pdf := pdfOfImage(t, scanImage(t, "RTK1;0311234Y;2024-2025;releve;0f0e0d0c"))
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX",
		mailWith("scanner@copieur.test", "Numérisation", "IMG_1043.jpg", "image/jpeg", jpg),
		mailWith("scanner@copieur.test", "Numérisation", "SCAN0007.pdf", "application/pdf", pdf))
	mem := newMemory()
	p := newPoller(t, srv, mem)
	res, err := p.RunOnce(context.Background())
	if err != nil || len(res) != 2 {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	want := []struct{ uai, typ, exercice string }{
		{"0310036W", "quitus", "2025-2026"},
		{"0311234Y", "releve", "2024-2025"},
	}
	ledger := mem.Ledger()
	for i, w := range want {
		if res[i].UAI != w.uai || res[i].Type != w.typ || res[i].Issue != mailin.IssueStored {
			t.Errorf("result %d = %+v, want %s %s stored", i, res[i], w.uai, w.typ)
		}
		if ledger[i].Exercice != w.exercice || ledger[i].Documents[0].QR == nil || ledger[i].Documents[0].QR.Hash == "" {
			t.Errorf("ledger %d: exercice %q, qr %+v", i, ledger[i].Exercice, ledger[i].Documents[0].QR)
		}
	}
}

// TestQRAmongOtherCodes: a payment code next to the app's does not hide it.
func TestQRAmongOtherCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scan.jpg")
	os.WriteFile(path, scanImage(t, "RTK1;0312345F;2025-2026;justificatifs_subventions;12345678", "https://pay.example.org/i/884211"), 0o600)
	codes, err := mailin.ScanImageFile(path)
	if err != nil || len(codes) != 1 || codes[0].UAI != "0312345F" || codes[0].Type != "justificatifs_subventions" {
		t.Errorf("codes = %+v, %v", codes, err)
	}
	// A page without any code yields nothing, not an error.
	os.WriteFile(path, scanImage(t), 0o600)
	if codes, err := mailin.ScanImageFile(path); err != nil || len(codes) != 0 {
		t.Errorf("blank page: %+v, %v", codes, err)
	}
	// A PDF without images (vector text) yields nothing either.
	pdf := filepath.Join("testdata", "gmail.eml")
	if _, err := mailin.ScanPDFFile(pdf); err == nil {
		t.Error("a non-PDF must be an error for the scanner (and is ignored by identify)")
	}
}
