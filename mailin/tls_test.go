package mailin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"retkoop/mailin"
	"retkoop/mailin/mailintest"
)

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "imap.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// TestTLSModes: implicit TLS and STARTTLS both work with a trusted
// certificate, and both refuse an untrusted one instead of going on.
func TestTLSModes(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		name := map[bool]string{true: "imaps", false: "starttls"}[implicit]
		t.Run(name, func(t *testing.T) {
			cfg, pool := selfSigned(t)
			srv := mailintest.NewServer(t, mailintest.ServerOptions{TLS: cfg, ImplicitTLS: implicit})
			appendAll(t, srv, "INBOX", golden(t, "gmail.eml"))
			mem := newMemory()

			untrusted := newPoller(t, srv, mem)
			if _, err := untrusted.RunOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("untrusted certificate: err = %v", err)
			}
			if mem.StoreCalls() != 0 {
				t.Fatal("stored over an unverified connection")
			}

			p := newPoller(t, srv, mem)
			p.TLSConfig = &tls.Config{RootCAs: pool}
			if p.Mailbox.TLS != map[bool]mailin.TLSMode{true: mailin.TLSImplicit, false: mailin.TLSStartTLS}[implicit] {
				t.Fatalf("mailbox TLS mode = %s", p.Mailbox.TLS)
			}
			res, err := p.RunOnce(context.Background())
			if err != nil || len(res) != 1 || res[0].Issue != mailin.IssueStored {
				t.Errorf("RunOnce = %+v, %v", res, err)
			}
		})
	}
}
