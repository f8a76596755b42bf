// Package mailtest runs a real SMTP server (go-smtp) on 127.0.0.1 for
// tests: it records what it accepts and can be told to refuse the next
// messages temporarily (4xx) or for good (5xx).
package mailtest

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Parse parses the message's headers and body.
func (m Message) Parse(t testing.TB) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("parse received mail: %v", err)
	}
	return msg
}

// Server is a running SMTP server.
type Server struct {
	addr string

	mu       sync.Mutex
	accepted []Message
	answers  []error // answers to the next DATA commands; nil accepts
	rcpt     map[string]error
	attempts int
}

// Start starts a server on 127.0.0.1:0, stopped at the end of the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{rcpt: map[string]error{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the RETKOOP_SMTP_URL of the server (plain text on loopback).
func (s *Server) URL() string { return "smtp://" + s.addr + "?tls=none" }

// Answer queues the answers to the next DATA commands, in order: nil
// accepts the message, an error (see TempFail, PermFail) refuses it.
func (s *Server) Answer(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = append(s.answers, errs...)
}

// RefuseRecipient refuses RCPT TO addr with err, every time.
func (s *Server) RefuseRecipient(addr string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt[strings.ToLower(addr)] = err
}

// Messages returns the accepted messages.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.accepted...)
}

// Attempts counts the DATA commands received, accepted or not.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// TempFail is a 451 answer: try again later.
func TempFail() error {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Service momentanément indisponible"}
}

// PermFail is a 550 answer: no such user.
func PermFail() error {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Destinataire inconnu"}
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	err := ss.s.rcpt[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.attempts++
	if len(ss.s.answers) > 0 {
		ans := ss.s.answers[0]
		ss.s.answers = ss.s.answers[1:]
		if ans != nil {
			return ans
		}
	}
	ss.s.accepted = append(ss.s.accepted, Message{From: ss.from, To: append([]string(nil), ss.to...), Data: b})
	return nil
}
