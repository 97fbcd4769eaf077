// corridor workbench: plain JavaScript on top of the JSON API (/openapi.json)
// and uPlot. No build step; everything here is served from the binary.
"use strict";

const $ = (sel, el = document) => el.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};

// The state the browser tests read: charts by id with their data counts.
const workbench = (window.workbench = { charts: {}, ready: {}, exports: {}, spec: () => specFromBuilder() });

// api calls the JSON API; a non-2xx answer throws an Error carrying the
// server's {error, field}.
async function api(path, opts = {}) {
  const init = { method: opts.method || "GET", headers: {} };
  if (opts.body !== undefined) {
    init.method = opts.method || "POST";
    init.headers["Content-Type"] = opts.type || "application/json";
    init.body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(path, init);
  if (opts.raw) {
    if (!res.ok) throw await apiError(res);
    return res;
  }
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) {
    const e = new Error(body.field ? `${body.field}: ${body.error}` : body.error);
    e.field = body.field;
    e.status = res.status;
    throw e;
  }
  return body;
}

async function apiError(res) {
  const b = await res.json().catch(() => ({ error: res.statusText }));
  return new Error(b.field ? `${b.field}: ${b.error}` : b.error);
}

// ---- units -----------------------------------------------------------------

// display says how an output column is shown: a factor and an axis unit.
function display(col) {
  const u = col.unit;
  if (u === "USD") return { f: 1e-9, unit: "USD billion" };
  if (u === "persons") return { f: 1e-3, unit: "thousand persons" };
  if (u === "households") return { f: 1e-3, unit: "thousand households" };
  if (u === "share") return { f: 100, unit: "%" };
  if (u === "RUB") return { f: 1e-9, unit: "RUB billion" };
  return { f: 1, unit: u };
}

const fmt = (v, digits = 3) =>
  v === null || v === undefined || !isFinite(v) ? "–" : Number(v).toLocaleString("en-US", { maximumSignificantDigits: digits });

const palette = ["#2f6f8f", "#c0603a", "#6b8e3a", "#8a5a9e", "#b08a2e", "#3a8f86"];

// ---- charts ----------------------------------------------------------------

// chart draws a time-series chart of annual values into parent.
// spec: {id, title, unit, years, series: [{label, values, observed?, band?: {lo, hi}, dash?}], sources: [{label, href}]}
function chart(parent, spec) {
  const box = el("div", { class: "chart", id: "chart-" + spec.id, "data-chart": spec.id });
  const tools = el("span", { class: "tools" });
  const head = el("h4", {}, spec.title, tools);
  box.append(head);
  const plotDiv = el("div");
  box.append(plotDiv);
  if (spec.sources && spec.sources.length) {
    const p = el("p", { class: "sources" }, "Observed: ");
    spec.sources.forEach((s, i) => {
      if (i) p.append("; ");
      p.append(el("a", { href: s.href, target: "_blank", title: s.title || "" }, s.label));
    });
    box.append(p);
  }
  if (spec.note) box.append(el("p", { class: "sources" }, spec.note));
  parent.append(box);

  const data = [spec.years];
  const series = [{ label: "year" }];
  const bands = [];
  spec.series.forEach((s, i) => {
    const color = s.color || palette[i % palette.length];
    if (s.band) {
      const lo = data.length;
      data.push(s.band.lo, s.band.hi);
      series.push({ label: s.label + " p05", stroke: color + "55", width: 0.5, points: { show: false } });
      series.push({ label: s.label + " p95", stroke: color + "55", width: 0.5, points: { show: false } });
      bands.push({ series: [lo + 1, lo], fill: color + "22" });
    }
    data.push(s.values);
    if (s.observed) {
      series.push({ label: s.label, stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 7, stroke: color, fill: "#fff" } });
    } else {
      series.push({ label: s.label, stroke: color, width: 2, dash: s.dash, points: { show: false } });
    }
  });
  const width = box.clientWidth > 100 ? box.clientWidth - 26 : 440;
  const opts = {
    width, height: 240, series, bands,
    scales: { x: { time: false } },
    axes: [
      { label: "year", incrs: [1, 2, 5, 10, 20], values: (u, v) => v.map((x) => String(x)), space: 45 },
      { label: spec.unit, size: 62, values: (u, v) => v.map((x) => fmt(x, 4)) },
    ],
    legend: { live: false },
  };
  const u = new uPlot(opts, data, plotDiv);
  // Follow the width of the grid cell (it changes as the grid fills up and
  // when the window is resized).
  new ResizeObserver(() => {
    const w = box.clientWidth - 26;
    if (w > 100 && Math.abs(w - u.width) > 2) u.setSize({ width: w, height: 240 });
  }).observe(box);
  const points = spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null && isFinite(v)).length, 0);
  const maxAbs = Math.max(0, ...spec.series.flatMap((s) => s.values.filter((v) => v !== null && isFinite(v)).map(Math.abs)));
  workbench.charts[spec.id] = { points, series: spec.series.length, title: spec.title, maxAbs, bands: bands.length };
  workbench.exports[spec.id] = { svg: () => svgOf(spec), png: () => pngOf(u, spec) };
  tools.append(
    el("button", { class: "secondary", type: "button", onclick: () => downloadPNG(u, spec) }, "PNG"), " ",
    el("button", { class: "secondary", type: "button", onclick: () => downloadSVG(spec) }, "SVG"));
  return u;
}

function saveBlob(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// downloadPNG copies the uPlot canvas under a title and legend onto a white
// canvas and saves it with canvas.toBlob.
function downloadPNG(u, spec) {
  pngOf(u, spec).then((b) => saveBlob(b, spec.id + ".png"));
}

// pngOf resolves with the PNG blob of a chart.
function pngOf(u, spec) {
  const src = u.ctx.canvas;
  const c = document.createElement("canvas");
  const pad = 40 + 18 * spec.series.length;
  c.width = src.width; c.height = src.height + pad;
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = "#1f2a33"; ctx.font = "bold 16px sans-serif";
  ctx.fillText(spec.title, 10, 22);
  ctx.drawImage(src, 0, 30);
  ctx.font = "13px sans-serif";
  spec.series.forEach((s, i) => {
    ctx.fillStyle = s.color || palette[i % palette.length];
    ctx.fillText((s.observed ? "● " : "— ") + s.label, 10, src.height + 48 + 18 * i);
  });
  return new Promise((resolve) => c.toBlob(resolve, "image/png"));
}

// svgOf writes the chart's data as a standalone SVG: axes with units,
// lines for model series, circles for observed points, bands as areas.
function svgOf(spec) {
  const W = 720, H = 360, L = 70, R = 20, T = 36, B = 70;
  const xs = spec.years;
  const vals = [];
  spec.series.forEach((s) => { vals.push(...s.values); if (s.band) vals.push(...s.band.lo, ...s.band.hi); });
  const ok = vals.filter((v) => v !== null && isFinite(v));
  let lo = Math.min(0, ...ok), hi = Math.max(...ok);
  if (!(hi > lo)) hi = lo + 1;
  const x0 = xs[0], x1 = xs[xs.length - 1] === x0 ? x0 + 1 : xs[xs.length - 1];
  const X = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const Y = (y) => T + (1 - (y - lo) / (hi - lo)) * (H - T - B);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`;
  out += `<rect width="${W}" height="${H}" fill="#fff"/><text x="${L}" y="20" font-size="15" font-weight="bold">${esc(spec.title)}</text>`;
  for (let i = 0; i <= 5; i++) {
    const y = lo + ((hi - lo) * i) / 5;
    out += `<line x1="${L}" x2="${W - R}" y1="${Y(y)}" y2="${Y(y)}" stroke="#e3e6e8"/><text x="${L - 6}" y="${Y(y) + 4}" text-anchor="end">${esc(fmt(y, 4))}</text>`;
  }
  const step = Math.max(1, Math.ceil(xs.length / 10));
  xs.forEach((x, i) => { if (i % step === 0) out += `<text x="${X(x)}" y="${H - B + 18}" text-anchor="middle">${x}</text>`; });
  out += `<text x="${(L + W - R) / 2}" y="${H - B + 36}" text-anchor="middle">year</text>`;
  out += `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.unit)}</text>`;
  spec.series.forEach((s, k) => {
    const color = s.color || palette[k % palette.length];
    if (s.band) {
      const up = xs.map((x, i) => `${X(x)},${Y(s.band.hi[i])}`), dn = xs.map((x, i) => `${X(x)},${Y(s.band.lo[i])}`).reverse();
      out += `<polygon points="${up.concat(dn).join(" ")}" fill="${color}" fill-opacity="0.15"/>`;
    }
    if (s.observed) {
      xs.forEach((x, i) => { const v = s.values[i]; if (v !== null && isFinite(v)) out += `<circle cx="${X(x)}" cy="${Y(v)}" r="3.5" fill="#fff" stroke="${color}" stroke-width="2"/>`; });
    } else {
      const pts = xs.map((x, i) => [x, s.values[i]]).filter((p) => p[1] !== null && isFinite(p[1])).map((p) => `${X(p[0])},${Y(p[1])}`);
      out += `<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ""}/>`;
    }
    out += `<text x="${L + 160 * k}" y="${H - 12}" fill="${color}">${s.observed ? "●" : "—"} ${esc(s.label)}</text>`;
  });
  return out + "</svg>";
}

function downloadSVG(spec) {
  saveBlob(new Blob([svgOf(spec)], { type: "image/svg+xml" }), spec.id + ".svg");
}

// ---- runs and progress -----------------------------------------------------

// follow streams a run's progress (server-sent events) into a bar and a
// status line; it resolves with the final run.
function follow(run, bar, status) {
  return new Promise((resolve) => {
    const show = (r) => {
      if (bar) { bar.hidden = r.state === "done"; $("div", bar).style.width = (100 * r.done / Math.max(1, r.total)).toFixed(1) + "%"; }
      if (status) status.textContent = `${r.scenario} (scale ${r.scale}, seed ${r.seed}${r.members > 1 ? ", " + r.members + " members" : ""}): ${r.state}` +
        (r.state === "running" ? ` — ${r.done}/${r.total} months` : "") + (r.error ? ` — ${r.error}` : "");
    };
    show(run);
    if (run.state !== "queued" && run.state !== "running") return resolve(run);
    if (bar) bar.hidden = false;
    const es = new EventSource(`/api/runs/${run.id}/events`);
    es.addEventListener("progress", (e) => show(JSON.parse(e.data)));
    es.addEventListener("end", (e) => { es.close(); const r = JSON.parse(e.data); show(r); resolve(r); });
    es.onerror = () => { es.close(); api(`/api/runs/${run.id}`).then((r) => { show(r); resolve(r); }); };
  });
}

// ---- the reference page ----------------------------------------------------

// The charts of the front page: output columns, the observed series drawn
// with them, and how they are shown.
const referenceCharts = [
  { id: "remittances_usd", title: "Remittances received", cols: ["remittances_usd"], labels: ["model"], observed: ["remittances_usd"] },
  { id: "remittances_pct_gdp", title: "Remittances, % of GDP", cols: ["remittances_pct_gdp"], labels: ["model"], observed: ["remittances_pct_gdp"] },
  { id: "migrants", title: "Migrants abroad by destination", cols: ["migrants_in_russia", "migrants_in_kazakhstan", "migrants_elsewhere"], labels: ["Russia", "Kazakhstan", "elsewhere"], observed: ["migrants_in_russia"] },
  { id: "flows", title: "Departures and returns", cols: ["departures", "returns"], labels: ["departures", "returns"], observed: ["departures"] },
  { id: "enforcement", title: "Deportations and the stock of re-entry bans", cols: ["deportations", "entry_bans_active"], labels: ["deportations", "bans in force"], observed: ["deportations", "entry_bans_active"] },
  { id: "poverty", title: "Poverty rate", cols: ["poverty_rate"], labels: ["model"], observed: ["poverty_rate"] },
  { id: "jobless", title: "Jobless returnees at home", cols: ["returnees_jobless"], labels: ["model"], observed: [] },
];

let observedCache = null;
async function observedSeries() {
  if (!observedCache) observedCache = (await api("/api/observed")).series;
  return observedCache;
}

// drawRun draws the reference charts of a done run into parent, with the
// observed record when withObserved.
async function drawRun(parent, run, withObserved, prefix) {
  const d = await api(`/api/runs/${run.id}/annual`);
  const obs = withObserved ? await observedSeries() : [];
  parent.innerHTML = "";
  const colOf = (name) => d.columns.find((c) => c.name === name);
  for (const rc of referenceCharts) {
    const disp = display(colOf(rc.cols[0]));
    const series = rc.cols.map((c, i) => {
      const s = { label: rc.labels[i], values: d.values[c].map((v) => v * disp.f) };
      const b = d.bands && d.bands[c];
      if (b) s.band = { lo: b.p05.map((v) => v * disp.f), hi: b.p95.map((v) => v * disp.f) };
      return s;
    });
    const sources = [];
    for (const o of rc.observed) {
      const os = obs.find((x) => x.output === o);
      if (!os) continue;
      const vals = d.years.map((y) => { const p = os.points.find((p) => p.year === y); return p ? p.value * disp.f : null; });
      const label = rc.observed.length > 1 ? "observed " + rc.labels[rc.cols.indexOf(o)] : "observed";
      series.push({ label, values: vals, observed: true, color: ["#222", "#8a2f2f"][rc.observed.indexOf(o) % 2] });
      const files = [...new Set(os.points.map((p) => p.file))];
      for (const f of files) {
        const p = os.points.find((p) => p.file === f);
        sources.push({ label: `${os.label}: ${p.source} (${f})`, href: p.link, title: os.why });
      }
    }
    chart(parent, { id: prefix + rc.id, title: rc.title, unit: disp.unit, years: d.years, series, sources,
      note: d.bands ? `shaded: 5–95% over ${run.members} seeds` : "" });
  }
  return d;
}

async function showReference() {
  const status = $("#ref-status");
  try {
    let run = await api("/api/reference");
    run = await follow(run, $("#ref-progress"), status);
    if (run.state !== "done") return;
    status.innerHTML = "";
    status.append(`history at scale ${run.scale} (${fmt(run.agents, 7)} agents), seed ${run.seed}, 2005-01..${run.until}. `,
      el("a", { href: run.url }, "run page and downloads"));
    await drawRun($("#ref-charts"), run, true, "ref-");
    workbench.ready.reference = true;
  } catch (e) {
    status.textContent = "Could not load the reference run: " + e.message;
  }
}

// ---- scenario library ------------------------------------------------------

let chosenScenario = "history";
async function showScenarios() {
  const list = $("#scenario-list");
  const { scenarios } = await api("/api/scenarios");
  list.innerHTML = "";
  for (const s of scenarios) {
    const li = el("li", { "data-name": s.name }, el("b", {}, s.name), s.description || "", el("br"),
      el("small", { class: "muted" }, `${s.events.length} lever events on top of the sourced history`));
    li.onclick = () => {
      chosenScenario = s.name;
      list.querySelectorAll("li").forEach((x) => x.classList.toggle("selected", x === li));
      $("#run-scenario").textContent = s.name;
      $("#run-scenario-desc").textContent = s.description || "";
    };
    list.append(li);
    if (s.name === chosenScenario) li.click();
  }
}

async function submitRun(req, bar, status, errorEl) {
  errorEl.textContent = "";
  let run;
  try {
    run = await api("/api/runs", { body: req });
  } catch (e) {
    errorEl.textContent = e.message;
    return null;
  }
  run = await follow(run, bar, status);
  if (run.state === "done") {
    status.append(" ", el("a", { href: run.url, class: "open-run" }, "open the results"));
  }
  refreshRunLists();
  return run;
}

$("#run-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f = ev.target;
  submitRun({ scenario: chosenScenario, scale: +f.scale.value, until: f.until.value, seed: +f.seed.value, members: +f.members.value },
    $("#run-progress"), $("#run-status"), $("#run-error"));
});

// ---- the scenario builder --------------------------------------------------

let levers = [], targetValues = {};
const events = [];

function leverDoc(name) {
  const l = levers.find((x) => x.name === name);
  const doc = $("#b-doc");
  doc.innerHTML = "";
  if (!l) return;
  const dl = el("dl");
  const add = (k, v) => { if (v !== "" && v !== undefined) dl.append(el("dt", {}, k), el("dd", {}, String(v))); };
  add("side", l.side); add("what it does in the model", l.mechanism); add("source", l.source);
  add("intensity", `${l.unit}: ${l.min}..${l.max}, default ${l.default}, standard ${l.standard}`);
  add("standard duration", l.months + " months");
  add("targets", l.targets.length ? l.targets.join(", ") : "none (acts on everyone)");
  for (const s of l.settings) add("setting " + s.name, `${s.doc} (${s.unit}; ${s.min}..${s.max}, default ${s.default})`);
  doc.append(el("h3", {}, l.name), el("p", {}, l.summary), dl);
}

function specFromBuilder() {
  return {
    name: $("#b-name").value.trim(), description: $("#b-desc").value,
    events: events.map((e) => {
      const ev = { lever: e.lever, from: e.from, intensity: e.intensity === "" ? undefined : Number(e.intensity) };
      if (e.until) ev.until = e.until;
      const target = Object.fromEntries(Object.entries(e.target).filter(([, v]) => v));
      if (Object.keys(target).length) ev.target = target;
      const settings = Object.fromEntries(Object.entries(e.settings).filter(([, v]) => v !== "").map(([k, v]) => [k, Number(v)]));
      if (Object.keys(settings).length) ev.settings = settings;
      if (e.source) ev.source = e.source;
      return ev;
    }),
  };
}

// renderEvents draws the event table: one row per event, with a select per
// target kind the lever accepts and an input per setting it has.
function renderEvents() {
  const body = $("#b-events tbody");
  body.innerHTML = "";
  events.forEach((e, i) => {
    const l = levers.find((x) => x.name === e.lever) || { targets: [], settings: [] };
    const targets = el("td");
    for (const kind of l.targets) {
      const sel = el("select", { "data-field": "target:" + kind, title: kind }, el("option", { value: "" }, `any ${kind.replace("_", " ")}`),
        ...(targetValues[kind] || []).map((t) => el("option", { value: t }, t)));
      sel.value = e.target[kind] || "";
      targets.append(sel, " ");
    }
    // Kinds the lever does not accept (from an uploaded file) are shown so
    // that the check can flag them.
    for (const [kind, v] of Object.entries(e.target)) if (!l.targets.includes(kind) && v) targets.append(`${kind} ${v} `);
    if (!l.targets.length && !Object.keys(e.target).length) targets.append(el("span", { class: "muted" }, "everyone"));
    const settings = el("td");
    for (const st of l.settings) {
      settings.append(el("label", { title: `${st.doc} (${st.unit})` }, st.name + " ",
        el("input", { type: "number", step: "any", placeholder: String(st.default), value: e.settings[st.name] ?? "", "data-field": "setting:" + st.name })), " ");
    }
    const tr = el("tr", { "data-index": i },
      el("td", {}, el("a", { href: "#build", onclick: () => leverDoc(e.lever) }, e.lever)),
      el("td", {}, el("input", { type: "month", value: e.from, "data-field": "from" })),
      el("td", {}, el("input", { type: "month", value: e.until || "", "data-field": "until" })),
      el("td", {}, el("input", { type: "number", step: "any", value: e.intensity, "data-field": "intensity", title: l.unit || "" })),
      targets, settings,
      el("td", {}, el("button", { type: "button", class: "secondary", onclick: () => { events.splice(i, 1); renderEvents(); validateBuilder(); } }, "remove")));
    const edit = (ev) => {
      const f = ev.target.dataset.field;
      if (!f) return;
      if (f.startsWith("target:")) e.target[f.slice(7)] = ev.target.value;
      else if (f.startsWith("setting:")) e.settings[f.slice(8)] = ev.target.value;
      else e[f] = ev.target.value;
      if (f === "from" || f === "until") renderTimeline();
      validateBuilder();
    };
    tr.addEventListener("input", edit);
    tr.addEventListener("change", edit);
    tr.addEventListener("focusin", () => leverDoc(e.lever));
    body.append(tr);
  });
  renderTimeline();
}

function renderTimeline() {
  const tl = $("#b-timeline");
  tl.innerHTML = "";
  const y0 = 2005, y1 = 2031;
  const pos = (m) => { const [y, mo] = m.split("-").map(Number); return ((y + (mo - 1) / 12 - y0) / (y1 - y0)) * 100; };
  for (let y = y0; y < y1; y += 5) tl.append(el("span", { class: "tick", style: `left:${((y - y0) / (y1 - y0)) * 100}%` }, String(y)));
  events.forEach((e, i) => {
    if (!/^\d{4}-\d{2}$/.test(e.from)) return;
    const a = pos(e.from), b = e.until && /^\d{4}-\d{2}$/.test(e.until) ? pos(e.until) + 100 / 12 / (y1 - y0) : 100;
    tl.append(el("div", { class: "bar", style: `left:${a}%;width:${Math.max(0.5, b - a)}%;top:${14 + 18 * i}px`, title: `${e.lever} ${e.from}..${e.until || "open"}` }, e.lever));
  });
  tl.style.height = 20 + 18 * events.length + "px";
}

let validateSeq = 0;
async function validateBuilder() {
  const seq = ++validateSeq;
  const err = $("#b-error"), ok = $("#b-ok");
  document.querySelectorAll("#b-events tr.bad").forEach((tr) => tr.classList.remove("bad"));
  try {
    const v = await api("/api/scenarios/validate", { body: specFromBuilder() });
    if (seq !== validateSeq) return v;
    err.textContent = v.valid ? "" : `${v.field}: ${v.error}`;
    ok.textContent = v.valid ? `valid: ${events.length} lever event${events.length === 1 ? "" : "s"} on top of the sourced history` : "";
    const m = !v.valid && /^events\[(\d+)\]/.exec(v.field || "");
    if (m) { const tr = document.querySelector(`#b-events tr[data-index="${m[1]}"]`); if (tr) tr.classList.add("bad"); }
    return v;
  } catch (e) {
    err.textContent = e.message;
    ok.textContent = "";
    return { valid: false };
  }
}

function addEvent(name) {
  const l = levers.find((x) => x.name === name);
  if (!l) return;
  const from = "2014-01";
  const [y, m] = from.split("-").map(Number);
  const end = (y * 12 + (m - 1) + Math.max(1, l.months) - 1);
  const until = `${Math.floor(end / 12)}-${String((end % 12) + 1).padStart(2, "0")}`;
  events.push({ lever: l.name, from, until, intensity: l.standard, target: {}, settings: {} });
  leverDoc(l.name);
  renderEvents();
  return validateBuilder();
}

async function setupBuilder() {
  const d = await api("/api/levers");
  levers = d.levers; targetValues = d.target_values;
  const sel = $("#b-lever");
  sel.innerHTML = "";
  for (const l of levers) sel.append(el("option", { value: l.name, title: l.summary }, `${l.name} — ${l.summary}`));
  sel.onchange = () => leverDoc(sel.value);
  leverDoc(sel.value);
  $("#b-add").onclick = () => addEvent(sel.value);
  $("#b-name").oninput = validateBuilder;
  $("#b-yaml").onclick = async () => {
    try {
      const res = await api("/api/scenarios/yaml", { body: specFromBuilder(), raw: true });
      saveBlob(await res.blob(), ($("#b-name").value || "scenario") + ".yaml");
    } catch (e) { $("#b-error").textContent = e.message; }
  };
  $("#b-upload").onchange = async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    try {
      const sp = await api("/api/scenarios/parse?filename=" + encodeURIComponent(f.name), { body: await f.text(), type: "application/yaml" });
      $("#b-name").value = sp.name; $("#b-desc").value = sp.description || "";
      events.length = 0;
      for (const e of sp.events) {
        events.push({ lever: e.lever, from: e.from, until: e.until || "", intensity: e.intensity,
          target: { ...(e.target || {}) }, settings: { ...(e.settings || {}) }, source: e.source || "" });
      }
      renderEvents(); validateBuilder();
    } catch (e) { $("#b-error").textContent = e.message; }
    ev.target.value = "";
  };
  $("#b-run").onclick = async () => {
    const v = await validateBuilder();
    if (!v.valid) return;
    submitRun({ custom: specFromBuilder(), scale: +$("#b-scale").value, until: $("#b-until").value },
      $("#b-progress"), $("#b-status"), $("#b-error"));
  };
  renderTimeline();
}

// ---- runs catalog and run page ----------------------------------------------

let doneRuns = [];
async function refreshRunLists() {
  const d = await api("/api/runs");
  doneRuns = d.runs.filter((r) => r.state === "done");
  $("#runs-queue").textContent = `${d.running} running, ${d.queued} queued (at most ${d.max_queued} may wait)`;
  const t = $("#runs-table");
  t.innerHTML = "";
  t.append(el("tr", {}, ...["run", "scenario", "scale", "seed", "members", "until", "state", "finished", ""].map((h) => el("th", {}, h))));
  for (const r of d.runs) {
    const act = el("td");
    if (r.state === "queued" || r.state === "running") {
      act.append(el("button", { type: "button", class: "secondary", onclick: async () => { await api(`/api/runs/${r.id}/cancel`, { method: "POST" }); refreshRunLists(); } }, "cancel"));
    }
    t.append(el("tr", {}, el("td", {}, el("a", { href: r.url }, r.id)), el("td", {}, r.scenario), el("td", { class: "num" }, String(r.scale)),
      el("td", { class: "num" }, String(r.seed)), el("td", { class: "num" }, String(r.members)), el("td", {}, r.until),
      el("td", {}, r.state + (r.error ? ": " + r.error : "")), el("td", {}, r.finished ? r.finished.replace("T", " ").slice(0, 19) : ""), act));
  }
  for (const id of ["#c-a", "#c-b"]) {
    const sel = $(id), keep = sel.value;
    sel.innerHTML = "";
    for (const r of doneRuns) sel.append(el("option", { value: r.id }, `${r.scenario} · scale ${r.scale} · seed ${r.seed}${r.members > 1 ? " ×" + r.members : ""} · ${r.id.slice(0, 6)}`));
    if (keep) sel.value = keep;
  }
  if (doneRuns.length > 1 && $("#c-a").value === $("#c-b").value) $("#c-a").selectedIndex = 1;
}

async function showRun(id) {
  const run = await api(`/api/runs/${id}`);
  $("#r-title").textContent = `${run.scenario} · ${run.id}`;
  $("#r-info").textContent = `scale ${run.scale}, seed ${run.seed}, ${run.members} member${run.members > 1 ? "s" : ""}, 2005-01..${run.until}`;
  const link = $("#r-link");
  link.href = location.origin + run.url; link.textContent = location.origin + run.url;
  const done = await follow(run, $("#r-progress"), $("#r-status"));
  const files = $("#r-files");
  files.innerHTML = "";
  for (const f of done.files || []) files.append(el("a", { href: `/api/runs/${id}/files/${f}`, download: "" }, f), " ");
  if (done.state === "done") {
    const sc = await (await api(`/api/runs/${id}/files/scenario.json`, { raw: true })).json();
    const ul = $("#r-events");
    ul.innerHTML = "";
    if (sc.description) ul.append(el("li", {}, sc.description));
    for (const e of sc.events) {
      const t = Object.entries(e.target || {}).map(([k, v]) => `${k} ${v}`).join(", ");
      ul.append(el("li", {}, `${e.lever} ${e.intensity} from ${e.from} ${e.until ? "to " + e.until : "on"}${t ? " (" + t + ")" : ""}`));
    }
    await drawRun($("#r-charts"), done, done.scenario === "history", "run-");
  }
  workbench.ready.run = done.state === "done";
}

// ---- compare and leverage --------------------------------------------------

async function compare(a, b, variable) {
  const err = $("#c-error");
  err.textContent = "";
  try {
    const c = await api(`/api/compare?a=${a}&b=${b}`);
    const col = c.columns.find((x) => x.name === variable);
    const disp = display(col);
    const sc = (v) => (v || []).map((x) => x * disp.f);
    const band = (bs) => bs && bs[variable] ? { lo: sc(bs[variable].p05), hi: sc(bs[variable].p95) } : undefined;
    const box = $("#c-charts");
    box.innerHTML = "";
    const la = `A: ${c.a.scenario}`, lb = `B: ${c.b.scenario}`;
    chart(box, { id: "compare-side", title: `${variable}: side by side`, unit: disp.unit, years: c.years,
      series: [{ label: la, values: sc(c.a_values[variable]), band: band(c.a_bands) }, { label: lb, values: sc(c.b_values[variable]), band: band(c.b_bands) }],
      note: col.doc });
    chart(box, { id: "compare-diff", title: `${variable}: B − A`, unit: disp.unit, years: c.years,
      series: [{ label: "B − A", values: sc(c.diff[variable]), band: band(c.diff_bands), color: palette[2] }],
      note: c.diff_bands ? "shaded: 5–95% of the member-by-member differences (members paired by seed)" : "single runs: no band; run ensembles (members > 1) for uncertainty" });
    const share = `${location.origin}/?compare=${a},${b}&var=${variable}`;
    $("#c-share").href = share;
    $("#c-csv").href = `/api/compare?a=${a}&b=${b}&format=csv`;
    $("#c-csv").hidden = false;
    workbench.ready.compare = true;
  } catch (e) { err.textContent = e.message; }
}

async function setupCompare() {
  const { columns } = await api("/api/columns");
  const sel = $("#c-var");
  for (const c of columns.slice(1)) sel.append(el("option", { value: c.name, title: c.doc }, `${c.name} (${c.unit})`));
  sel.value = "remittances_usd";
  $("#c-go").onclick = () => compare($("#c-a").value, $("#c-b").value, sel.value);
  $("#l-go").onclick = leverage;
}

async function leverage() {
  const status = $("#l-status"), table = $("#l-table");
  const req = { start: $("#l-start").value, scale: +$("#l-scale").value, until: $("#l-until").value };
  const q = new URLSearchParams(req).toString();
  try {
    // POST again while runs wait for room in the queue: identical runs
    // are shared, so only the missing ones are submitted.
    const pending = (r) => ["queued", "running", "not submitted"].includes(r.state);
    let d = await api("/api/leverage", { body: req });
    while (d.rows.some((r) => pending(r.run)) || pending(d.baseline)) {
      const done = d.rows.filter((r) => r.run.state === "done").length;
      status.textContent = `simulating: ${done} of ${d.rows.length} lever runs done` + (d.waiting_for_queue ? `, ${d.waiting_for_queue} waiting for room in the queue…` : "…");
      await new Promise((r) => setTimeout(r, 400));
      d = await api("/api/leverage", { body: req });
    }
    status.textContent = `mean annual difference from history (scale ${req.scale}, seed 1), ${req.start.slice(0, 4)} to the lever's last year`;
    table.innerHTML = "";
    const units = { remittances_usd: "USD m", remittances_pct_gdp: "pp of GDP", migrants_in_russia: "thousand", deportations: "thousand", entry_bans_active: "thousand", poverty_rate: "pp" };
    const f = { remittances_usd: 1e-6, remittances_pct_gdp: 1, migrants_in_russia: 1e-3, deportations: 1e-3, entry_bans_active: 1e-3, poverty_rate: 100 };
    table.append(el("tr", {}, el("th", {}, "lever"), el("th", {}, "intensity"), el("th", {}, "months"), ...d.outcomes.map((o) => el("th", {}, `${o} (${units[o]})`))));
    for (const r of d.rows) {
      table.append(el("tr", {}, el("td", {}, r.lever), el("td", {}, `${r.intensity} ${r.unit}`), el("td", {}, `${r.from}..${r.until}`),
        ...d.outcomes.map((o) => el("td", { class: "num" }, r.effects ? fmt(r.effects[o] * f[o], 3) : r.run.state))));
    }
    workbench.ready.leverage = true;
    refreshRunLists();
  } catch (e) { status.textContent = e.message; }
}

// ---- navigation ------------------------------------------------------------

// The catalog page refreshes itself while it is shown.
setInterval(() => { if (!$("#tab-runs").hidden) refreshRunLists(); }, 2000);

function showTab(name) {
  document.querySelectorAll(".tab").forEach((t) => (t.hidden = t.id !== "tab-" + name));
  document.querySelectorAll("nav a[data-tab]").forEach((a) => a.classList.toggle("active", a.dataset.tab === name));
  if (name === "runs" || name === "compare") refreshRunLists();
}

async function main() {
  const params = new URLSearchParams(location.search);
  await Promise.all([setupBuilder(), setupCompare(), showScenarios(), refreshRunLists()]);
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1) || "reference"));
  workbench.ready.setup = true;
  if (params.get("run")) {
    showTab("run");
    await showRun(params.get("run"));
  } else if (params.get("compare")) {
    const [a, b] = params.get("compare").split(",");
    showTab("compare");
    await refreshRunLists();
    $("#c-a").value = a; $("#c-b").value = b;
    if (params.get("var")) $("#c-var").value = params.get("var");
    await compare(a, b, $("#c-var").value);
  } else {
    showTab(location.hash.slice(1) || "reference");
    await showReference();
  }
}

main();
