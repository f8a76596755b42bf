package mailin

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // scans and phone photos
	_ "image/png"  // screenshots, PDF images re-encoded by pdfcpu
	"io"
	"os"
	"strings"
	"sync"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// QRCode is the payload printed on the app's documents:
// RTK1;<UAI>;<exercice>;<type>;<hash8>.
type QRCode struct {
	UAI      string // upper case, check letter valid
	Exercice string // e.g. 2025-2026
	Type     string // document type key, e.g. quitus
	Hash     string // 8 hex digits, opaque to mailin
}

// ParseQR parses a RTK1 payload; false when s is not one (another QR code,
// e.g. a payment code on an invoice, or a damaged read).
func ParseQR(s string) (QRCode, bool) {
	f := strings.Split(strings.TrimSpace(s), ";")
	if len(f) != 5 || f[0] != "RTK1" {
		return QRCode{}, false
	}
	q := QRCode{UAI: strings.ToUpper(f[1]), Exercice: f[2], Type: f[3], Hash: strings.ToLower(f[4])}
	if !ValidUAI(q.UAI) || !validExercice(q.Exercice) || !validKey(q.Type) || !validHash8(q.Hash) {
		return QRCode{}, false
	}
	return q, true
}

func validExercice(s string) bool {
	if len(s) != 9 || s[4] != '-' || !allDigits(s[:4]) || !allDigits(s[5:]) {
		return false
	}
	a, b := 0, 0
	fmt.Sscan(s[:4], &a)
	fmt.Sscan(s[5:], &b)
	return b == a+1
}

func validKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func validHash8(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Limits of QR scanning. A scan of an A4 page at 300 dpi is 8.7 Mpx; the QR
// code of a document stays readable at 1/2 scale, so images are scaled down to
// about 4 Mpx before the decoder's own copies are made.
const (
	maxImagePixels = 25_000_000 // larger images are not decoded: ~40 MB to decode
	scanPixels     = 4_500_000
	qrPDFPages     = "1-3" // the app prints its code on the first page
	maxPDFImages   = 8
)

// scanImageFile returns the RTK1 codes found in a JPEG or PNG file.
func scanImageFile(path string) ([]QRCode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scan image: %w", err)
	}
	defer f.Close()
	return scanImageReader(f)
}

func scanImageReader(r io.ReadSeeker) ([]QRCode, error) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return nil, fmt.Errorf("scan image: %w", err)
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("scan image: %dx%d pixels is too large", cfg.Width, cfg.Height)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("scan image: %w", err)
	}
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("scan image: %w", err)
	}
	return decodeQR(img), nil
}

var (
	pdfcpuOnce sync.Once
	errFound   = errors.New("qr code found")
)

// scanPDFFile returns the RTK1 codes found in the images of the first pages of
// a PDF (a scanned document is one image per page). Vector PDFs have no image
// and yield nothing: the app's own PDFs are identified by what surrounds them.
func scanPDFFile(path string) ([]QRCode, error) {
	// pdfcpu would otherwise write a configuration directory into $HOME on
	// first use; mailin needs none of it.
	pdfcpuOnce.Do(api.DisableConfigDir)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scan pdf: %w", err)
	}
	defer f.Close()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	var (
		out []QRCode
		n   int
	)
	err = api.ExtractImages(f, []string{qrPDFPages}, func(img model.Image, _ bool, _ int) error {
		n++
		if n > maxPDFImages || img.Width*img.Height > maxImagePixels {
			return nil
		}
		switch img.FileType {
		case "jpg", "jpeg", "png":
		default:
			return nil // TIFF, JPEG 2000…: not worth a decoder here
		}
		decoded, _, err := image.Decode(img)
		if err != nil {
			return nil // one broken image must not hide the others
		}
		out = append(out, decodeQR(decoded)...)
		if len(out) > 0 {
			return errFound // the other pages would only cost time
		}
		return nil
	}, conf)
	var unsupported *api.UnsupportedResourceError
	if err != nil && !errors.Is(err, errFound) && !errors.As(err, &unsupported) {
		return out, fmt.Errorf("scan pdf: %w", err)
	}
	return out, nil
}

// decodeQR finds RTK1 codes in img: first the single-code reader (fast, most
// documents carry one code), then the multi-code reader in case another code
// (payment, URL) was found first.
func decodeQR(img image.Image) []QRCode {
	src, err := luminanceSource(img)
	if err != nil {
		return nil
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return nil
	}
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	if res, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
		if q, ok := ParseQR(res.GetText()); ok {
			return []QRCode{q}
		}
	}
	results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
	var out []QRCode
	for _, res := range results {
		if q, ok := ParseQR(res.GetText()); ok {
			out = append(out, q)
		}
	}
	return out
}

// luminanceSource hands the decoder a grayscale plane without the per-pixel
// interface calls of gozxing.NewLuminanceSourceFromImage: a JPEG's luma
// plane as is when small enough, else a scaled-down copy.
func luminanceSource(img image.Image) (gozxing.LuminanceSource, error) {
	b := img.Bounds()
	if ycc, ok := img.(*image.YCbCr); ok && b.Min == (image.Point{}) && b.Dx()*b.Dy() <= scanPixels {
		return gozxing.NewPlanarYUVLuminanceSource(ycc.Y, ycc.YStride, len(ycc.Y)/ycc.YStride, 0, 0, b.Dx(), b.Dy(), false)
	}
	g := downscaleGray(img, scanPixels)
	return gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, g.Rect.Dy(), 0, 0, g.Rect.Dx(), g.Rect.Dy(), false)
}

// downscaleGray returns a grayscale copy of img of at most about maxPixels,
// each pixel the mean of a square block, so fine QR modules survive.
func downscaleGray(img image.Image, maxPixels int) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	s := 1
	for (w/s)*(h/s) > maxPixels {
		s++
	}
	ow, oh := w/s, h/s
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	ycc, isYCC := img.(*image.YCbCr)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			sum := 0
			for dy := 0; dy < s; dy++ {
				y := b.Min.Y + oy*s + dy
				for dx := 0; dx < s; dx++ {
					x := b.Min.X + ox*s + dx
					if isYCC {
						sum += int(ycc.Y[ycc.YOffset(x, y)])
					} else {
						sum += luminance(img.At(x, y))
					}
				}
			}
			out.Pix[oy*out.Stride+ox] = uint8(sum / (s * s))
		}
	}
	return out
}

// luminance composites c over white: a transparent PNG background must read
// as paper, not as ink.
func luminance(c color.Color) int {
	r, g, b, a := c.RGBA()
	y := (299*r + 587*g + 114*b) / 1000 // premultiplied, 0..0xffff
	return int((y + (0xffff - a)) >> 8)
}
