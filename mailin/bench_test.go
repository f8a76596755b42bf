package mailin_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// scannedPDF is a ~1 MB one-page PDF as a copier makes it: a grainy 150 dpi
// JPEG page carrying the app's QR code, so the benchmark pays for the real
// work (PDF parsing, image extraction, JPEG decoding, QR detection).
func scannedPDF(t testing.TB, payload string) []byte {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(scanImage(t, payload)))
	if err != nil {
		t.Fatal(err)
	}
	page := image.NewRGBA(img.Bounds())
	draw.Draw(page, page.Bounds(), img, image.Point{}, draw.Src)
	x := uint32(88172645)
	for y := 300; y < 1754; y++ { // scanner grain below the QR code
		for i := 0; i < 1240; i++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			c := page.RGBAAt(i, y)
			d := uint8(x % 64)
			page.SetRGBA(i, y, color.RGBA{c.R - min(c.R, d), c.G - min(c.G, d), c.B - min(c.B, d), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, page, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return pdfOfImage(t, b.Bytes())
}

// BenchmarkIngest200 ingests 200 messages of a ~1 MB scanned PDF through the
// in-memory IMAP server and reports messages per second: with the QR scan
// of every PDF (the real work), and without it (IMAP, MIME, spool, sink).
func BenchmarkIngest200(b *testing.B) {
	pdf := scannedPDF(b, "RTK1;0310036W;2025-2026;quitus;a1b2c3d4")
	b.Logf("attachment: %d bytes", len(pdf))
	b.Run("qr-scan", func(b *testing.B) { benchIngest(b, pdf, 0, "0310036W") })
	b.Run("no-scan", func(b *testing.B) { benchIngest(b, pdf, 1, "") })
}

func benchIngest(b *testing.B, pdf []byte, maxQRPDF int64, wantUAI string) {
	const n = 200
	srv := mailintest.NewServer(b, mailintest.ServerOptions{})
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := mailintest.Dial(b, srv.URL("INBOX"))
		for j := 0; j < n; j++ {
			// A distinct file each time: a trailing comment after %%EOF.
			unique := append(append([]byte(nil), pdf...), fmt.Sprintf("%% %d-%d\n", i, j)...)
			mailintest.Append(b, c, "INBOX", mailWith("scanner@copieur.test", "Scan", fmt.Sprintf("scan-%d-%d.pdf", i, j), "application/pdf", unique))
		}
		c.Close()
		mem := newMemory()
		p := newPoller(b, srv, mem)
		p.MaxQRPDF = maxQRPDF
		b.StartTimer()
		start := time.Now()
		res, err := p.RunOnce(context.Background())
		total += time.Since(start)
		if err != nil || len(res) != n {
			b.Fatalf("RunOnce: %d results, %v", len(res), err)
		}
		if res[n-1].UAI != wantUAI || res[n-1].Documents != 1 {
			b.Fatalf("last result = %+v", res[n-1])
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "msgs/s")
}

// BenchmarkLargeAttachment ingests one 25 MB attachment. Its heap figure
// includes the in-memory server, which copies the whole message to answer a
// FETCH (~34 MB); TestLargeAttachmentMemory measures the poller alone.
func BenchmarkLargeAttachment(b *testing.B) {
	raw := bigMessage(mailin.DefaultMaxAttachment)
	srv := mailintest.NewServer(b, mailintest.ServerOptions{})
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		appendAll(b, srv, "INBOX", raw)
		mem := newMemory()
		p := newPoller(b, srv, mem)
		b.StartTimer()
		grow, res, err := heapGrowth(func() ([]mailin.Result, error) { return p.RunOnce(context.Background()) })
		if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueStored {
			b.Fatalf("RunOnce = %+v, %v", res, err)
		}
		peak = max(peak, grow)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB-with-server")
}

// heapGrowth runs fn while sampling the heap in use, and returns the peak
// above the level before it started.
func heapGrowth(fn func() ([]mailin.Result, error)) (uint64, []mailin.Result, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapInuse > peak.Load() {
				peak.Store(s.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	res, err := fn()
	close(done)
	<-stopped
	if peak.Load() < base {
		return 0, res, err
	}
	return peak.Load() - base, res, err
}

// TestLargeAttachmentMemory: a 25 MB attachment is streamed to disk, never
// held in memory. The poller runs in a child process against this process's
// IMAP server, so the child's peak RSS (VmHWM) is the poller's alone.
func TestLargeAttachmentMemory(t *testing.T) {
	if url := os.Getenv("RETKOOP_MAILIN_CHILD_URL"); url != "" {
		largeAttachmentChild(t, url)
		return
	}
	if testing.Short() {
		t.Skip("25 MB message")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: cannot read peak RSS")
	}
	srv := mailintest.NewServer(t, mailintest.ServerOptions{})
	appendAll(t, srv, "INBOX", bigMessage(mailin.DefaultMaxAttachment))
	cmd := exec.Command(os.Args[0], "-test.run=^TestLargeAttachmentMemory$", "-test.v")
	cmd.Env = append(os.Environ(), "RETKOOP_MAILIN_CHILD_URL="+srv.URL("INBOX"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var hwm, heap int64 = -1, -1
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for i := 0; i+1 < len(f); i++ {
			switch f[i] {
			case "vmhwm_kb":
				hwm, _ = strconv.ParseInt(f[i+1], 10, 64)
			case "heap_growth_kb":
				heap, _ = strconv.ParseInt(f[i+1], 10, 64)
			}
		}
	}
	if hwm < 0 || heap < 0 {
		t.Fatalf("no figures from the child:\n%s", out)
	}
	t.Logf("25 MB attachment: peak RSS %.1f MB (whole child process), peak heap growth %.1f MB", float64(hwm)/1024, float64(heap)/1024)
	if hwm > 60*1024 || heap > 30*1024 {
		t.Errorf("peak RSS %d kB / heap growth %d kB: the attachment is held in memory", hwm, heap)
	}
}

func largeAttachmentChild(t *testing.T, url string) {
	mb, err := mailin.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	mem := newMemory()
	p := &mailin.Poller{Mailbox: mb, Directory: mem, State: mem, Sink: mem, Lease: mem,
		TempDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	grow, res, err := heapGrowth(func() ([]mailin.Result, error) { return p.RunOnce(context.Background()) })
	if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueStored || res[0].Documents != 1 {
		t.Fatalf("RunOnce = %+v, %v", res, err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			fmt.Printf("vmhwm_kb %s heap_growth_kb %d\n", f[1], grow/1024)
		}
	}
}
