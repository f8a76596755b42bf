// Package templates embeds the HTML templates: layout/ (the page frame),
// pages/ (one file per page), partials/ (fragments swapped by htmx; the
// template name is the file name and the DOM id prefix) and mail/.
package templates

import "embed"

// FS holds every template file.
//
//go:embed layout pages partials mail
var FS embed.FS
