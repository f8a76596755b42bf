package apptest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"retkoop/app"
	"retkoop/app/config"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// benchUAIs returns n valid UAIs of the Haute-Garonne.
func benchUAIs(n int) []string {
	out := make([]string, n)
	for i := range out {
		num := 310200 + i
		out[i] = fmt.Sprintf("%07d%c", num, "ABCDEFGHJKLMNPRSTUVWXYZ"[num%23])
	}
	return out
}

// benchApp is an app on a fresh SQLite database with AD 31 and its coops.
func benchApp(b *testing.B, dbPath string, uais []string) *app.App {
	b.Helper()
	ctx := context.Background()
	var db *store.DB
	if dbPath == "" {
		db = storetest.SQLite(b)
	} else {
		var err error
		if db, err = store.Open(ctx, "sqlite:"+dbPath); err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
	}
	dir := b.TempDir()
	cfg, err := config.LoadConfig(func(k string) string {
		return map[string]string{"RETKOOP_DATA_DIR": dir, "RETKOOP_SECRET": strings.Repeat("s", 40)}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	a.Now = func() time.Time { return mailNow }
	ad, err := db.System().EnsureAD(ctx, "31", "OCCE 31")
	if err != nil {
		b.Fatal(err)
	}
	scope, _ := db.ForAD(ctx, ad.ID, nil)
	rows := make([]store.CoopImport, len(uais))
	for i, u := range uais {
		rows[i] = store.CoopImport{UAI: u, Params: store.CoopParams{Name: "École " + u, MandataireEmail: strings.ToLower(u) + "@ac-toulouse.fr"}}
	}
	if _, err := scope.ImportCoops(ctx, rows, "2025-2026"); err != nil {
		b.Fatal(err)
	}
	return a
}

// scanPDF is a ~1 MB one-page PDF as a copier makes it: a grainy 150 dpi
// JPEG page (with no QR code, so that the scan tries hard and finds none).
func scanPDF(b *testing.B) []byte {
	b.Helper()
	img := image.NewGray(image.Rect(0, 0, 1240, 1754))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = 200 + uint8(r.IntN(56))
	}
	for y := 200; y < 1600; y += 40 { // lines of "text"
		for x := 150; x < 1100; x++ {
			img.SetGray(x, y, color.Gray{Y: 20})
		}
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	opt := fpdf.ImageOptions{ImageType: "JPG"}
	p.RegisterImageOptionsReader("scan", opt, &jb)
	p.ImageOptions("scan", 0, 0, 210, 297, false, opt, 0, "")
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkMailinIngest200 takes 200 messages with a ~1 MB scanned PDF
// each through the in-memory IMAP server, the poller (parse, QR scan) and
// the app's sink (docstore, ledger, document, dossier, acknowledgement),
// and reports messages per second: with the QR scan of every PDF, and
// without it (what IMAP, MIME and the app's sink cost).
func BenchmarkMailinIngest200(b *testing.B) {
	pdf := scanPDF(b)
	b.Logf("attachment: %d bytes", len(pdf))
	b.Run("qr-scan", func(b *testing.B) { benchIngest(b, pdf, 0) })
	b.Run("no-scan", func(b *testing.B) { benchIngest(b, pdf, 1) })
}

func benchIngest(b *testing.B, pdf []byte, maxQRPDF int64) {
	const n = 200
	uais := benchUAIs(50)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := benchApp(b, "", uais)
		srv := mailintest.NewServer(b, mailintest.ServerOptions{})
		a.Cfg.IMAPURL = srv.URL("INBOX")
		c := mailintest.Dial(b, srv.URL("INBOX"))
		for j := 0; j < n; j++ {
			unique := append(append([]byte(nil), pdf...), fmt.Sprintf("%% %d-%d\n", i, j)...)
			uai := uais[j%len(uais)]
			mailintest.Append(b, c, "INBOX", buildMail(strings.ToLower(uai)+"@ac-toulouse.fr", "documents@occe31.test",
				"Quitus "+uai, fmt.Sprintf("<bench-%d-%d@test>", i, j), "Ci-joint le quitus.", filePart{"quitus.pdf", "application/pdf", unique}))
		}
		c.Close()
		boxes, err := a.Worker.Mailboxes(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		stored := 0
		b.StartTimer()
		start := time.Now()
		err = a.Worker.PollMail(context.Background(), boxes, func(p *mailin.Poller) { p.TempDir, p.MaxQRPDF = b.TempDir(), maxQRPDF },
			func(r mailin.Result) {
				if r.Issue == mailin.IssueStored {
					stored++
				}
			})
		total += time.Since(start)
		b.StopTimer()
		if err != nil || stored != n {
			b.Fatalf("pass: %d stored, %v", stored, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "msgs/s")
}

// BenchmarkMailinPeakRSS25MB runs the real binary (`retkoop mailin --once`)
// on one message with a 24.5 MiB PDF and reports the process's peak RSS,
// which must stay under 100 MB: the message, its parts and the stored file
// are streamed through files, never held in memory.
func BenchmarkMailinPeakRSS25MB(b *testing.B) {
	timeTool, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		storetest.Require(b, "/usr/bin/time is not installed: peak RSS not measured")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "retkoop")
	if out, err := exec.Command("go", "build", "-o", bin, "retkoop").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	big := make([]byte, 49<<19) // 24.5 MiB
	copy(big, testPDF("gros fichier"))
	r := rand.New(rand.NewPCG(3, 4))
	for i := 200; i < len(big)-16; i++ {
		big[i] = byte(r.IntN(256))
	}
	copy(big[len(big)-6:], "%%EOF\n")
	var peak int64 // KiB
	for i := 0; i < b.N; i++ {
		dbPath := filepath.Join(b.TempDir(), "retkoop.db")
		uais := benchUAIs(1)
		a := benchApp(b, dbPath, uais)
		srv := mailintest.NewServer(b, mailintest.ServerOptions{})
		c := mailintest.Dial(b, srv.URL("INBOX"))
		mailintest.Append(b, c, "INBOX", buildMail("x@ac-toulouse.fr", "documents@occe31.test", "Relevé "+uais[0], "<big@test>", "Le relevé.",
			filePart{"releve.pdf", "application/pdf", big}))
		c.Close()
		// Measured by /usr/bin/time: the rusage of a child started by this
		// (large) process would include its own RSS, as Go starts children
		// with vfork.
		rssFile := filepath.Join(b.TempDir(), "rss")
		cmd := exec.Command(timeTool, "-f", "%M", "-o", rssFile, bin, "mailin", "--once")
		cmd.Env = append(os.Environ(), "RETKOOP_DATABASE=sqlite:"+dbPath, "RETKOOP_DATA_DIR="+a.Cfg.DataDir,
			"RETKOOP_SECRET="+string(a.Cfg.Secret), "RETKOOP_IMAP_URL="+srv.URL("INBOX"))
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			b.Fatalf("mailin --once: %v\n%s", err, errb.String())
		}
		if !strings.Contains(out.String(), `"issue":"stored","documents":1`) {
			b.Fatalf("mailin --once printed %s\n%s", out.String(), errb.String())
		}
		kib, err := os.ReadFile(rssFile)
		if err != nil {
			b.Fatal(err)
		}
		rss, err := strconv.ParseInt(strings.TrimSpace(string(kib)), 10, 64)
		if err != nil {
			b.Fatalf("/usr/bin/time wrote %q", kib)
		}
		peak = max(peak, rss)
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
	if peak > 100*1000*1000/1024 {
		b.Fatalf("peak RSS %d KiB, over 100 MB", peak)
	}
}
