// Package assets holds the third-party front-end files that corridor embeds
// in its binary, so that the pages it serves and writes work offline: uPlot
// 1.6.32 (MIT licence, from the npm package's dist/ folder, `npm pack
// uplot@1.6.32`).
package assets

import "embed"

// FS holds uplot/uPlot.iife.min.js, uplot/uPlot.min.css and uplot/LICENSE.
//
//go:embed uplot
var FS embed.FS
