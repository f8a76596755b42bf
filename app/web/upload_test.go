package web

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"retkoop/app/fault"
)

// previewRequest is a POST carrying either an uploaded file (multipart)
// or the preview's base64 copy (url-encoded).
func previewRequest(t *testing.T, fileName string, file []byte, contenu string) *gin.Context {
	t.Helper()
	var req *http.Request
	if file != nil {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, err := mw.CreateFormFile("fichier", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
		mw.Close()
		req = httptest.NewRequest(http.MethodPost, "/", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	} else {
		form := url.Values{}
		if contenu != "" {
			form.Set("contenu", contenu)
		}
		req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = req
	return c
}

func TestReadPreviewedFile(t *testing.T) {
	gin.SetMode(gin.TestMode)
	const max = 10
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name     string
		fileName string
		file     []byte
		contenu  string
		want     string // the data, or the start of the French message
		wantName string
	}{
		{"uploaded", "../../releve-aout.csv", []byte("a;b\n1;2\n"), "", "a;b\n1;2\n", "releve-aout.csv"},
		{"uploaded at the limit", "x.csv", []byte("0123456789"), "", "0123456789", "x.csv"},
		{"uploaded above the limit", "x.csv", []byte("0123456789A"), "", "Le fichier est trop volumineux (10 octets au plus).", "avant"},
		{"no file", "", nil, "", "Choisissez le fichier.", "avant"},
		{"carried by the preview", "", nil, b64([]byte("a;b\n")), "a;b\n", "avant"},
		{"copy above the limit", "", nil, b64([]byte("0123456789A")), "Le fichier prévisualisé n'a pas pu être relu", "avant"},
		{"copy far above the limit", "", nil, b64(bytes.Repeat([]byte("x"), 100)), "Le fichier est trop volumineux", "avant"},
		{"unreadable copy", "", nil, "pas du base64 !", "Le fichier prévisualisé n'a pas pu être relu", "avant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "avant"
			data, err := readPreviewedFile(previewRequest(t, tc.fileName, tc.file, tc.contenu), max, "Choisissez le fichier.", &name)
			got := string(data)
			if err != nil {
				msg, ok := fault.Message(err)
				if !ok {
					t.Fatalf("not a user error: %v", err)
				}
				got = msg
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if name != tc.wantName {
				t.Errorf("name %q, want %q", name, tc.wantName)
			}
		})
	}
}
