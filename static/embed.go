// Package static embeds the vendored, pinned front-end files (htmx 2.0.11),
// the CSS and images; the app serves them under content-hashed URLs.
package static

import "embed"

// FS holds every static file.
//
//go:embed *.js *.css *.svg
var FS embed.FS
