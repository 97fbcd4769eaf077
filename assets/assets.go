// Package assets holds the third-party browser assets that corridor embeds
// in its self-contained pages (the HTML report, the web UI), so that no page
// ever loads a script or a style sheet from the network.
//
// FS holds uPlot 1.6.32 (MIT licence), copied unchanged from the npm
// package: uplot/uPlot.iife.min.js, uplot/uPlot.min.css and uplot/LICENSE.
// README.md in this folder records the version and the SHA-256 of each
// file; a test checks the embedded files against it.
package assets

import "embed"

// FS holds the embedded assets, under the paths listed in the package
// comment.
//
//go:embed uplot/uPlot.iife.min.js uplot/uPlot.min.css uplot/LICENSE
var FS embed.FS

// The paths of the uPlot files in FS.
const (
	UPlotJS      = "uplot/uPlot.iife.min.js"
	UPlotCSS     = "uplot/uPlot.min.css"
	UPlotLicense = "uplot/LICENSE"
)
