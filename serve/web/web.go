// Package web holds the workbench's pages: one HTML page, its script and
// style sheet, written without a build step and embedded in the binary.
// The script uses only the JSON API of package serve and draws charts
// with uPlot (package assets).
package web

import "embed"

// FS holds static/index.html, static/app.js and static/app.css.
//
//go:embed static
var FS embed.FS
