// Draws the report's charts with uPlot from the inlined DATA.
(function () {
  "use strict";
  const OBS = "#222";
  function rgba(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function num(v) {
    if (v == null || !isFinite(v)) return "–";
    if (v === 0) return "0";
    const a = Math.abs(v);
    const d = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  const MARK = { lower: "≥ ", upper: "≤ " };
  const last = DATA.lastYear;

  function build(c, el) {
    c.observed = c.observed || [];
    const years = c.years;
    const data = [years];
    const series = [{}];
    const bands = [];
    c.series.forEach(function (s) {
      const color = s.color;
      if (s.lo) {
        [[s.hi, s.lo, 0.13], [s.q75, s.q25, 0.22]].forEach(function (b) {
          const hi = data.length;
          data.push(b[0]); series.push({ stroke: "transparent", width: 0, points: { show: false } });
          data.push(b[1]); series.push({ stroke: "transparent", width: 0, points: { show: false } });
          bands.push({ series: [hi, hi + 1], fill: rgba(color, b[2]) });
        });
      }
      data.push(s.mid);
      series.push({ stroke: color, width: 2, points: { show: false } });
    });
    c.observed.forEach(function (o) {
      const exact = years.map(function (y) { const p = o.points.find(function (p) { return p.year === y && !p.bound; }); return p ? p.value : null; });
      const bound = years.map(function (y) { const p = o.points.find(function (p) { return p.year === y && p.bound; }); return p ? p.value : null; });
      data.push(exact);
      series.push({ stroke: OBS, width: 0, paths: function () { return null; }, points: { show: true, size: 8, fill: o.color, stroke: OBS, width: 1 } });
      data.push(bound);
      series.push({ stroke: OBS, width: 0, paths: function () { return null; }, points: { show: true, size: 9, fill: "#fff", stroke: OBS, width: 1.5 } });
    });
    let ymax = 0;
    data.slice(1).forEach(function (d) { d.forEach(function (v) { if (v != null && v > ymax) ymax = v; }); });
    let ymin = 0;
    data.slice(1).forEach(function (d) { d.forEach(function (v) { if (v != null && v < ymin) ymin = v; }); });
    const readout = el.parentNode.querySelector(".readout");
    const opts = {
      width: Math.max(320, el.clientWidth), height: 300,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false }, y: { range: function () { return [ymin * 1.08, ymax > 0 ? ymax * 1.08 : 1]; } } },
      axes: [
        { label: "year", values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? String(v) : ""; }); }, grid: { stroke: "#eceff2" } },
        { label: c.unit.replace(/ \(.*\)$/, ""), size: 62, grid: { stroke: "#eceff2" }, values: function (u, splits) { return splits.map(num); } },
      ],
      series: series, bands: bands,
      hooks: {
        drawClear: [function (u) {
          // The forecast: years after the last observed outcome.
          const x0 = u.valToPos(last + 0.5, "x", true);
          const x1 = u.bbox.left + u.bbox.width;
          if (x0 < x1) {
            u.ctx.save(); u.ctx.fillStyle = "rgba(120,130,140,0.07)";
            u.ctx.fillRect(Math.max(x0, u.bbox.left), u.bbox.top, x1 - Math.max(x0, u.bbox.left), u.bbox.height);
            u.ctx.restore();
          }
        }],
        draw: [function (u) {
          const x = u.valToPos(last + 0.5, "x", true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
          const ctx = u.ctx, r = window.devicePixelRatio || 1;
          ctx.save();
          ctx.strokeStyle = "#7a8590"; ctx.lineWidth = r; ctx.setLineDash([4 * r, 3 * r]);
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.setLineDash([]); ctx.fillStyle = "#5d6873"; ctx.font = (11 * r) + "px system-ui, sans-serif";
          ctx.textBaseline = "top";
          ctx.textAlign = "right"; ctx.fillText("observed to " + last, x - 4 * r, u.bbox.top + 4 * r);
          ctx.textAlign = "left"; ctx.fillText("forecast →", x + 4 * r, u.bbox.top + 4 * r);
          ctx.restore();
        }],
        setCursor: [function (u) {
          const i = u.cursor.idx;
          if (i == null) { readout.textContent = "Hover over the chart for values and sources."; return; }
          const y = years[i];
          const parts = [];
          c.series.forEach(function (s) {
            let t = s.label + ": " + num(s.mid[i]);
            if (s.lo) t += " (p05–p95 " + num(s.lo[i]) + "–" + num(s.hi[i]) + ")";
            parts.push(t);
          });
          const srcs = [];
          c.observed.forEach(function (o) {
            const p = o.points.find(function (p) { return p.year === y; });
            if (p) { parts.push(o.label + ": " + (MARK[p.bound] || "") + num(p.value)); srcs.push(p.source + " [" + p.where + "]"); }
          });
          readout.innerHTML = "";
          const b = document.createElement("b"); b.textContent = y + (y > last ? " (forecast)" : "") + " · ";
          readout.appendChild(b); readout.appendChild(document.createTextNode(parts.join(" · ")));
          if (srcs.length) {
            const s = document.createElement("div"); s.className = "src"; s.textContent = "Source: " + srcs.join("; ");
            readout.appendChild(s);
          }
        }],
      },
    };
    return new uPlot(opts, data, el);
  }

  const plots = {};
  const errors = [];
  DATA.charts.forEach(function (c) {
    try {
      plots[c.id] = build(c, document.getElementById("plot-" + c.id));
    } catch (e) {
      // Draw the other charts; say which one failed.
      errors.push(c.id + ": " + e);
      document.getElementById("plot-" + c.id).textContent = "This chart could not be drawn: " + e;
    }
  });
  window.corridorCharts = plots;
  window.corridorChartErrors = errors;
  let pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      DATA.charts.forEach(function (c) {
        const el = document.getElementById("plot-" + c.id);
        if (plots[c.id]) plots[c.id].setSize({ width: Math.max(320, el.clientWidth), height: 300 });
      });
    }, 100);
  });
  document.body.setAttribute("data-charts-ready", String(DATA.charts.length));
})();
