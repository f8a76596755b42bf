package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"retkoop/app/service"
)

// A handler that fails after it started its answer gets no error page
// appended to it: the error is logged once.
func TestHandleAfterTheAnswerStarted(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var logs bytes.Buffer
	a := &Handler{Service: &service.Service{Log: slog.New(slog.NewTextHandler(&logs, nil))}}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/coop/documents/1", nil)
	a.handle(func(c *gin.Context) error {
		c.Data(http.StatusOK, "application/pdf", []byte("%PDF-1.7 début"))
		return errors.New("disk read: unexpected EOF")
	})(c)
	if rec.Code != http.StatusOK || rec.Body.String() != "%PDF-1.7 début" {
		t.Errorf("answer changed: %d %q", rec.Code, rec.Body.String())
	}
	if n := strings.Count(logs.String(), "unexpected EOF"); n != 1 {
		t.Errorf("error logged %d times:\n%s", n, logs.String())
	}
}
