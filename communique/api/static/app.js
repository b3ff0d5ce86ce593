// The communique dashboard: plain DOM code over the JSON API. Text from the API is only ever
// inserted as text nodes (never as HTML).
"use strict";

const PAGE = 25;
const BOOTSTRAP = 50;  // resamples of the articles behind the alignment's intervals and the blocs' shares
const SETTLED_SHARE = 0.5;  // a member in its bloc in fewer resamples than this is shown as unsettled
const ACTOR_ROWS = 100;
const FILTERS = ["country", "source", "target", "type", "since", "until", "min_confidence", "q"];
const COUNTRY_FILTERS = ["country", "source", "target"];
const NO_COUNTRY = "no country";
const QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const PLOT_CONFIG = {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"]};
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const state = {filters: {dyadic: "true"}, offset: 0, selected: null, mainReady: false, request: 0, names: {},
  world: null, blocs: [], actor: null, resampling: {alignment: 0, coalitions: 0}};

const $ = (selector, root = document) => root.querySelector(selector);

// h("a", {href: "#", class: "x"}, "text", child): an element; strings become text nodes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// --- API and errors -------------------------------------------------------------------------

function describe(detail) {
  if (Array.isArray(detail)) {  // validation errors: [{loc: ["query", "source"], msg}]
    return detail.map((d) => `${(d.loc || []).filter((p) => p !== "query").join(".")}: ${d.msg}`).join("; ");
  }
  return detail == null ? "" : String(detail);
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value != null && value !== "") url.searchParams.set(key, value);
  }
  const response = await fetch(url);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(describe(body && body.detail) || `${response.status} ${response.statusText}`);
  }
  return body;
}

function showError(error) {
  $("#error .message").textContent = `Error: ${error.message || error}`;
  $("#error").hidden = false;
}

function clearError() {
  $("#error").hidden = true;
}

// Runs an async step, showing its error (if any) instead of failing silently.
function attempt(step) {
  return Promise.resolve().then(step).catch(showError);
}

// --- small renderers ------------------------------------------------------------------------

// The code a country box's text stands for, as far as the page knows (the API resolves the rest).
function codeOf(text) {
  const value = String(text || "").trim();
  if (state.names[value.toUpperCase()]) return value.toUpperCase();
  const lower = value.toLowerCase();
  const found = Object.entries(state.names).find(([, name]) => name.toLowerCase() === lower);
  return found ? found[0] : value.toUpperCase();
}

function countryName(code) {
  return state.names[code] || null;
}

// A country's code as a link to its actor page (its name in the title; with long, beside it too).
function country(code, long = false) {
  if (!code) return h("span", {class: "muted"}, NO_COUNTRY);
  const name = countryName(code);
  const link = h("a", {class: "country", href: `#actor/${encodeURIComponent(code)}`,
    title: name ? `${name}: actor page` : `Actor page of ${code}`}, code);
  return long && name ? [link, h("span", {class: "cname"}, ` ${name}`)] : link;
}

function actor(name, code) {
  return [name ? h("span", {class: "name"}, name) : "", name ? " " : "", country(code, !name)];
}

// A stored date as precise as it is known: "2021", "2021-05" or "2021-05-10".
function showDate(value, precision) {
  if (!value) return null;
  return precision === "year" ? value.slice(0, 4) : precision === "month" ? value.slice(0, 7) : value;
}

function goldstein(value) {
  if (value == null) return h("span", {class: "muted"}, "—");
  const text = (value > 0 ? "+" : "") + Number(value).toFixed(1);
  return h("span", {class: value > 0 ? "pos" : value < 0 ? "neg" : ""}, text);
}

function typeBadge(event) {
  return h("span", {class: `badge quad${event.quad_class || 0}`, title: QUADS[event.quad_class] || ""}, event.type);
}

function placeholder(colspan, text) {
  return h("tr", {class: "empty"}, h("td", {colspan}, text));
}

// --- summary and filters --------------------------------------------------------------------

async function loadSummary() {
  const s = await api("/api/summary");
  const item = (n, label) => h("span", {class: "count"}, h("b", null, Number(n).toLocaleString("en")), ` ${label}`);
  const parts = [item(s.articles, "articles"), item(s.events, "events"), item(s.quotes, "quotes"),
    item(s.stances, "stances")];
  if (s.first_date) parts.push(h("span", {class: "count"}, `${s.first_date} – ${s.last_date}`));
  if (s.failures) parts.push(item(s.failures, "failures"));
  if (s.duplicates) parts.push(item(s.duplicates, "duplicates"));
  $("#summary").replaceChildren(...parts);
  $("#filter-type").append(...s.types.map((t) => h("option", {value: t}, t)));
}

async function loadCountries() {
  state.names = await api("/api/countries");
  $("#country-list").replaceChildren(...Object.entries(state.names)
    .sort(([, a], [, b]) => a.localeCompare(b))
    .map(([code, name]) => h("option", {value: `${name} (${code})`})));
}

// What a country box holds, for the API: the code of a "Name (CODE)" the list offered, else the text
// as typed (the API takes names and codes, and says which it does not know).
function countryValue(text) {
  const match = /\(([A-Za-z]{3})\)\s*$/.exec(text);
  return match ? match[1].toUpperCase() : text;
}

function readFilters() {
  const filters = {};
  for (const name of FILTERS) {
    const value = $(`#filter-${name}`).value.trim();
    if (value) filters[name] = COUNTRY_FILTERS.includes(name) ? countryValue(value) : value;
  }
  if ($("#filter-dyadic").checked) filters.dyadic = "true";
  return filters;
}

// The filters in the date range only (the alignment and coalitions rest on stances, not events).
function dateRange() {
  const {since, until} = state.filters;
  return {since, until};
}

function csvLink() {
  const url = new URL("/api/events.csv", location.origin);
  for (const [key, value] of Object.entries(state.filters)) url.searchParams.set(key, value);
  $("#download").href = url.pathname + url.search;
}

function applyFilters() {
  clearError();
  state.filters = readFilters();
  state.offset = 0;
  csvLink();
  loadPanels();
}

function loadPanels() {
  attempt(loadEvents);
  attempt(loadDyad);
  attempt(loadMap);
  attempt(loadAlignment);
  attempt(loadCoalitions);
}

// --- events table ---------------------------------------------------------------------------

function eventRow(e) {
  const tr = h("tr", {tabindex: 0, "data-article": e.article_id, "data-event": e.event_no,
    "data-source": e.source_country || "", "data-target": e.target_country || ""},
  h("td", {class: "date"}, showDate(e.date, e.date_precision) || h("span", {class: "muted"}, "undated")),
  h("td", {class: "source"}, actor(e.source_name, e.source_country)),
  h("td", {class: "type"}, typeBadge(e)),
  h("td", {class: "target"}, actor(e.target_name, e.target_country)),
  h("td", {class: "num"}, goldstein(e.goldstein)),
  h("td", {class: "sentence", title: e.sentence}, e.sentence));
  const open = (ev) => {
    if (ev.target.closest("a")) return;  // a country link: its own route
    if (ev.type === "keydown" && ev.key !== "Enter") return;
    attempt(() => openEvidence(e.article_id, e.event_no, tr));
  };
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", open);
  return tr;
}

async function loadEvents() {
  const request = ++state.request;
  const body = $("#events tbody");
  let data;
  try {
    data = await api("/api/events", {...state.filters, limit: PAGE, offset: state.offset});
  } catch (error) {  // never leave the rows of other filters on show
    if (request !== state.request) return;
    body.replaceChildren(placeholder(6, `No events shown: ${error.message}`));
    $("#page-info").textContent = "filters not applied";
    $("#prev").disabled = $("#next").disabled = true;
    throw error;
  }
  if (request !== state.request) return;  // a newer request is on its way
  body.replaceChildren(...data.rows.map(eventRow));
  if (!data.rows.length) body.append(placeholder(6, "No events match these filters."));
  const first = data.rows.length ? data.offset + 1 : 0;
  const last = data.offset + data.rows.length;
  $("#page-info").textContent = data.rows.length ? `rows ${first}–${last} of ${data.total}` : `no rows (${data.total} in all)`;
  $("#prev").disabled = data.offset === 0;
  $("#next").disabled = last >= data.total;
}

function turnPage(step) {
  state.offset = Math.max(0, state.offset + step * PAGE);
  attempt(loadEvents);
}

// --- evidence -------------------------------------------------------------------------------

// The text with <mark> elements over spans [{start, end, cls, title}] given in article offsets;
// base is the article offset of the text. Offsets count code points (as Python does).
function highlight(text, base, spans) {
  const chars = Array.from(text);
  const clamp = (x) => Math.min(chars.length, Math.max(0, x - base));
  const marks = spans.map((s) => ({...s, a: clamp(s.start), b: clamp(s.end)})).filter((s) => s.a < s.b);
  const cuts = [...new Set([0, chars.length, ...marks.flatMap((s) => [s.a, s.b])])].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = chars.slice(a, b).join("");
    const over = marks.filter((s) => s.a <= a && b <= s.b);
    if (!over.length) out.push(piece);
    else out.push(h("mark", {class: [...new Set(over.map((s) => s.cls))].join(" "),
      title: over.map((s) => s.title).join("; ")}, piece));
  }
  return out;
}

function field(label, value) {
  return [h("dt", null, label), h("dd", null, value == null || value === "" ? h("span", {class: "muted"}, "—") : value)];
}

async function openEvidence(articleId, eventNo, row) {
  const data = await api(`/api/events/${encodeURIComponent(articleId)}/${encodeURIComponent(eventNo)}`);
  const {event: e, article: a, quote} = data;
  for (const r of document.querySelectorAll("#events tr.selected")) r.classList.remove("selected");
  if (row) row.classList.add("selected");
  const spans = data.mentions.map((m) => ({start: m.start, end: m.end, cls: m.role,
    title: `${m.role}: ${m.name}${m.country ? ` (${m.country})` : ""}`}));
  if (e.trigger_start != null) {
    spans.push({start: e.trigger_start, end: e.trigger_end, cls: "trigger", title: `trigger: ${e.trigger}`});
  }
  const panel = $("#evidence");
  panel.replaceChildren(
    h("h2", null, "Evidence"),
    h("h3", {class: "event-title"}, typeBadge(e), " ", actor(e.source_name, e.source_country), " → ",
      actor(e.target_name, e.target_country)),
    h("p", {class: "sentence"}, highlight(e.sentence || "", e.span_start, spans)),
    h("p", {class: "legend"}, h("mark", {class: "trigger"}, "trigger"), " ", h("mark", {class: "source"}, "source"),
      " ", h("mark", {class: "target"}, "target")),
    h("dl", null,
      field("Type", [e.type, e.mode ? ` (${e.mode})` : "", e.context ? `, ${e.context}` : ""]),
      field("CAMEO", e.cameo),
      field("Goldstein", goldstein(e.goldstein)),
      field("Quad class", e.quad_class ? `${e.quad_class}: ${QUADS[e.quad_class]}` : null),
      field("Confidence", e.confidence == null ? null : Number(e.confidence).toFixed(2)),
      field("Reason", e.reason),
      field("Date", [showDate(e.date, e.date_precision) || "undated", e.historical ? " (historical)" : ""]),
      field("Location", e.location_name ? [e.location_name, " ", country(e.location_country)] : null)),
    h("h3", null, "Article"),
    h("dl", null,
      field("Title", a.title || a.id),
      field("Source", a.source),
      field("Date", showDate(a.date, a.date_precision)),
      field("Input", a.input),
      field("URL", a.url ? h("a", {href: a.url, rel: "noopener noreferrer", target: "_blank"}, a.url) : null)),
    ...(quote ? [h("h3", null, "Quote"),
      h("blockquote", {class: "quote"}, quote.text,
        h("footer", null, "— ", actor(quote.speaker_name, quote.speaker_country), quote.cue ? ` (${quote.cue})` : ""))]
      : []));
  if (panel.getBoundingClientRect().top < 0) panel.scrollIntoView({block: "start"});
}

// --- charts ---------------------------------------------------------------------------------

function plot(el, figure) {
  const layout = {...figure.layout, autosize: true, font: {family: FONT, size: 12}};
  if (layout.title) layout.title = {...layout.title, font: {size: 13}};
  return Plotly.newPlot(el, figure.data, layout, PLOT_CONFIG);
}

// The event filters the dyad and map panels take (all of them).
function eventFilters() {
  return {...state.filters};
}

// The pair to chart: the chosen source and target, else the dyad with the most dated events under
// the filters (at or above the confidence threshold, in the date range).
async function chosenDyad() {
  const f = state.filters;
  if (f.source && f.target) return {pair: [f.source, f.target], chosen: true};
  const [best] = await api("/api/dyads/busiest", {...eventFilters(), dyadic: null, dated: true, n: 1});
  return best ? {pair: [best.a, best.b], chosen: false, events: best.events} : null;
}

// Ticks on period starts, at most about eight of them (automatic ticks fall mid-month and repeat a
// month's label).
function periodTicks(periods, freq) {
  const months = {month: 1, year: 12}[freq];
  if (!months || !periods) return {};
  return {dtick: `M${months * Math.max(1, Math.ceil(periods / 8))}`, tick0: "2000-01-01"};
}

const SHRINK = 5;
const PERIOD_MS = {day: 864e5, week: 7 * 864e5, month: 30.4 * 864e5, year: 365.25 * 864e5};  // pseudo-events of 0 in the shrunk mean (as /api/dyads computes it)

// The dyad's zero-filled series (/api/series) as bars of events and a Goldstein line that breaks
// where a period has no events (null), so distant periods are never joined.
function dyadFigure(rows, a, b, freq, undated) {
  const traces = [];
  for (const [s, t, colour] of [[a, b, "#1f6feb"], [b, a, "#d1242f"]]) {
    const series = rows.filter((r) => r.source === s && r.target === t);
    const x = series.map((r) => r.period);
    traces.push({type: "bar", name: `${s} → ${t} events`, x, y: series.map((r) => r.events), yaxis: "y2",
      opacity: 0.35, marker: {color: colour}});
    traces.push({type: "scatter", mode: "lines+markers", name: `${s} → ${t} Goldstein`, x, connectgaps: false,
      y: series.map((r) => (r.events ? r.goldstein_sum / (r.events + SHRINK) : null)),
      customdata: series.map((r) => [r.goldstein_mean, r.events]), line: {color: colour},
      hovertemplate: "%{x}: shrunk mean %{y:.2f} (mean %{customdata[0]:.2f}, %{customdata[1]} events)<extra></extra>"});
  }
  const most = Math.max(1, ...rows.map((r) => r.events));
  const title = `${a} and ${b}, by ${freq}` + (undated ? ` (${undated} undated or less precise events not shown)` : "");
  const layout = {title: {text: title}, barmode: "group", height: 380, margin: {t: 50, l: 50, r: 50},
    xaxis: {type: "date", tickformat: freq === "year" ? "%Y" : freq === "month" ? "%b %Y" : "%-d %b %Y",
      ...periodTicks(new Set(rows.map((r) => r.period)).size, freq)},
    yaxis: {title: {text: "Goldstein (shrunk mean)"}, range: [-10, 10]},
    yaxis2: {title: {text: "events"}, overlaying: "y", side: "right", rangemode: "tozero", dtick: Math.max(1, Math.ceil(most / 4))},
    legend: {orientation: "h"}};
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  if (periods.length) {  // bars as wide as their period (a lone one would fill the chart), padded range
    const span = PERIOD_MS[freq];
    const [first, last] = [Date.parse(periods[0]), Date.parse(periods[periods.length - 1])];
    layout.xaxis.range = [new Date(first - span).toISOString().slice(0, 10), new Date(last + span).toISOString().slice(0, 10)];
    traces.filter((t) => t.type === "bar").forEach((t, k) => Object.assign(t, {width: 0.4 * span, offset: -0.4 * span + k * 0.4 * span}));
  }
  if (!rows.length) {
    layout.xaxis.showticklabels = false;
    layout.annotations = [{text: "No dated events for this dyad in this range", showarrow: false, xref: "paper",
      yref: "paper", x: 0.5, y: 0.75, font: {size: 14, color: "#656d76"}}];
  }
  return {data: traces, layout};
}

async function loadDyad() {
  const el = $("#dyad-chart");
  const found = await chosenDyad();
  if (!found) {
    Plotly.purge(el);
    el.dataset.pair = "";
    $("#dyad-title").textContent = "Dyad timeline";
    $("#dyad-note").textContent = "No dyad has events for these filters.";
    return;
  }
  const [a, b] = found.pair;
  const freq = $("#dyad-freq").value;
  const f = eventFilters();
  const rows = await api("/api/series", {by: "dyad", freq, dyad: `${a},${b}`, since: f.since, until: f.until,
    type: f.type, q: f.q, min_confidence: f.min_confidence});
  const total = found.chosen ? (await api("/api/events", {dyad: `${a},${b}`, since: f.since, until: f.until,
    type: f.type, q: f.q, min_confidence: f.min_confidence, limit: 1})).total : found.events;
  const dated = rows.reduce((n, r) => n + r.events, 0);
  const [s, t] = [codeOf(a), codeOf(b)];
  $("#dyad-title").replaceChildren(h("span", null, "Dyad timeline: ", country(s, true), " ↔ ", country(t, true)));
  $("#dyad-note").textContent = found.chosen ? ""
    : "The dyad with the most dated events under these filters; choose a source and a target for another.";
  el.dataset.pair = `${s},${t}`;
  await plot(el, dyadFigure(rows, s, t, freq, Math.max(0, total - dated)));
}

// The heat map and the blocs come at once without intervals, then again with them (resampling the
// articles takes a while on a large store), unless the filters changed in the meantime.
function thenResampled(panel, request, apply) {
  const run = ++state.resampling[panel];
  attempt(async () => {
    const answer = await request();
    if (run === state.resampling[panel]) await apply(answer);
  });
}

async function loadAlignment() {
  const params = {...dateRange(), country: state.filters.country};
  state.resampling.alignment++;  // a resampled figure still on its way is for the filters before
  await drawAlignment(await api("/api/charts/alignment", params));
  thenResampled("alignment", () => api("/api/charts/alignment", {...params, bootstrap: BOOTSTRAP}), drawAlignment);
}

// Every row and column labelled (dtick 1), rows with the country's name.
async function drawAlignment(figure) {
  const el = $("#alignment-chart");
  const trace = figure.data[0];
  if (!figure.data.length || !(trace.x || []).length) {
    Plotly.purge(el);
    el.replaceChildren(h("p", {class: "hint"}, "No alignment evidence for these filters."));
    return;
  }
  Plotly.purge(el);
  el.replaceChildren();
  const label = (c) => (countryName(c) ? `${countryName(c)} (${c})` : c);
  trace.hovertemplate = "%{customdata}<extra></extra>";
  trace.customdata = trace.y.map((a, i) => trace.x.map((b, j) => `${label(a)} and ${label(b)}: ` +
    (trace.z[i][j] == null ? "no score" : `${Number(trace.z[i][j]).toFixed(2)} (${trace.text[i][j]})`)));
  const n = trace.x.length;
  figure.layout.height = Math.max(420, 160 + 18 * n);
  figure.layout.margin = {t: 50, l: 10, r: 10, b: 10};
  figure.layout.xaxis = {...figure.layout.xaxis, tickmode: "array", tickvals: trace.x, ticktext: trace.x,
    tickangle: -90, automargin: true, side: "bottom"};
  figure.layout.yaxis = {...figure.layout.yaxis, tickmode: "array", tickvals: trace.y, ticktext: trace.y.map(label),
    automargin: true, tickfont: {size: n > 30 ? 10 : 12}};
  await plot(el, figure);
  el.on("plotly_click", (ev) => {
    const p = ev.points && ev.points[0];
    if (p && p.x !== p.y) attempt(() => showPair(p.y, p.x));
  });
}

function evidenceSentence(item, evidence) {
  const text = h("q", null, evidence.sentence);
  if (evidence.event_no == null) return h("li", {class: "sentence"}, text, h("span", {class: "muted"}, ` · ${item.article_id}`));
  const li = h("li", {class: "sentence opens", tabindex: 0, title: "Open the event coded from this sentence",
    "data-article": item.article_id, "data-event": evidence.event_no}, text);
  const open = (ev) => {
    if (ev.type === "keydown" && ev.key !== "Enter") return;
    attempt(() => openEvidence(item.article_id, evidence.event_no, null));
  };
  li.addEventListener("click", open);
  li.addEventListener("keydown", open);
  return li;
}

async function showPair(a, b) {
  const items = await api(`/api/alignment/${encodeURIComponent(a)}/${encodeURIComponent(b)}`, dateRange());
  $("#pair-evidence").replaceChildren(
    h("h3", null, "Evidence for ", country(a, true), " and ", country(b, true)),
    items.length ? h("ul", {class: "pair"}, items.map((i) => h("li", null,
      h("div", {class: "item"}, country(i.holder, true), i.polarity > 0 ? " for " : " against ",
        i.object.startsWith("issue:") ? i.object.slice(6) : country(i.object, true),
        h("span", {class: "muted"}, ` · ${i.kind}`)),
      h("ul", {class: "sentences"}, i.evidence.map((e) => evidenceSentence(i, e))))))
      : h("p", {class: "hint"}, "No evidence for this pair."));
}

async function loadCoalitions() {
  state.resampling.coalitions++;
  state.blocs = await api("/api/coalitions", dateRange());
  showCoalitions();
  thenResampled("coalitions", () => api("/api/coalitions", {...dateRange(), bootstrap: BOOTSTRAP}), (blocs) => {
    state.blocs = blocs;
    showCoalitions();
  });
}

// Blocs at or above the evidence floor; those below it are counted, and listed (marked) on demand.
function showCoalitions() {
  const floor = Math.max(1, Number($("#bloc-floor").value) || 1);
  const code = state.filters.country && codeOf(state.filters.country);
  const wanted = state.blocs.filter((c) => !code || c.members.includes(code));
  const shown = wanted.filter((c) => c.evidence >= floor);
  const below = wanted.length - shown.length;
  const list = $("#coalitions");
  const showBelow = state.showBelow;
  list.replaceChildren(...(showBelow ? wanted : shown).map((c) => h("li", {class: c.evidence < floor ? "below-floor" : null},
    h("span", {class: "members"}, c.members.flatMap((m) => {
      const share = c.membership ? c.membership[m] : null;
      return [h("span", {class: share != null && share < SETTLED_SHARE ? "member unsettled" : "member",
                         title: share == null ? null : `in this bloc in ${Math.round(share * 100)}% of ${BOOTSTRAP} resamples of the articles`},
        country(m, true), share == null ? null : h("span", {class: "share"}, ` ${share.toFixed(2)}`)), " "];
    })),
    h("span", {class: "muted"}, [
      c.period === "all" ? "all time" : `${c.period} ${c.since || ""}–${c.until || ""}`,
      `${c.evidence} evidence items`,
      c.stability == null ? null : `stability ${Number(c.stability).toFixed(2)}`,
      c.evidence < floor ? "below the floor" : null,
    ].filter(Boolean).join(" · ")))));
  if (!list.children.length) list.append(h("li", {class: "hint"}, "No coalitions found."));
  const note = $("#coalitions-note");
  note.replaceChildren(...(below ? [`${below} bloc${below > 1 ? "s" : ""} with fewer than ${floor} evidence items `,
    showBelow ? "shown, marked. " : "hidden. ",
    h("button", {type: "button", class: "link", id: "toggle-below",
      onclick: () => { state.showBelow = !showBelow; showCoalitions(); }}, showBelow ? "Hide them" : "Show them")] : []));
}

// --- map ------------------------------------------------------------------------------------

// plotly.js fetches its own outlines from a CDN for any geo subplot unless one stands in: an empty
// topology; the countries are drawn from our GeoJSON (/vendor/world.geojson) as choropleths.
function offlineGeo() {
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  window.PlotlyGeoAssets.topojson.world_110m = {type: "Topology", objects: {}, arcs: []};
}

async function loadMap() {
  if (!state.world) {
    const response = await fetch("/vendor/world.geojson");
    if (!response.ok) throw new Error(`the world map: ${response.status}`);
    state.world = await response.json();
  }
  const data = await api("/api/map", eventFilters());
  offlineGeo();
  const world = state.world;
  const ids = world.features.map((f) => f.id);
  const known = new Set(ids);
  const counted = data.countries.filter((c) => known.has(c.code));
  const most = Math.max(1, ...data.places.map((p) => p.events));
  const traces = [
    {type: "choropleth", geojson: world, featureidkey: "id", locations: ids, z: ids.map(() => 0),
      colorscale: [[0, "#eee"], [1, "#eee"]], showscale: false, hoverinfo: "skip", marker: {line: {color: "#999", width: 0.5}}},
    {type: "choropleth", geojson: world, featureidkey: "id", name: "events", locations: counted.map((c) => c.code),
      z: counted.map((c) => c.events), text: counted.map((c) => c.name || c.code), zmin: 0,
      colorscale: [[0, "#c6dbef"], [1, "#08306b"]],
      marker: {line: {color: "#777", width: 0.5}}, colorbar: {title: {text: "events"}, thickness: 12, len: 0.6},
      hovertemplate: "%{text}: %{z} events<extra></extra>"},
    {type: "scattergeo", name: "places", lon: data.places.map((p) => p.lon), lat: data.places.map((p) => p.lat),
      text: data.places.map((p) => `${p.place || "?"}${p.country ? ` (${p.country})` : ""}: ${p.events} events`),
      hoverinfo: "text", marker: {size: data.places.map((p) => 5 + 15 * Math.sqrt(p.events / most)),
        color: "#d1242f", opacity: 0.75, line: {color: "#fff", width: 0.5}}},
  ];
  const layout = {height: 380, margin: {t: 10, l: 0, r: 0, b: 0}, showlegend: false,
    geo: {showcoastlines: false, showland: false, showocean: false, showlakes: false, showrivers: false,
      showcountries: false, showsubunits: false, showframe: false, projection: {type: "natural earth"}}};
  const el = $("#map-chart");
  el.dataset.countries = counted.map((c) => `${c.code}:${c.events}`).join(" ");
  el.dataset.places = String(data.places.length);
  $("#map-note").textContent = `${counted.length} countries shaded by their events (as source or target); ` +
    `${data.places.length} places with events as dots.`;
  await Plotly.newPlot(el, traces, {...layout, font: {family: FONT, size: 12}}, PLOT_CONFIG);
}

// --- actor page -----------------------------------------------------------------------------

function stanceTable(rows, empty) {
  if (!rows.length) return [h("tr", {class: "empty"}, h("td", null, empty))];
  return [h("tr", null, h("th", null, "Holder"), h("th", null, "Stance"), h("th", null, "Target"), h("th", null, "Issue"),
    h("th", null, "Article")),
  ...rows.map((s) => h("tr", null,
    h("td", null, actor(s.holder_name, s.holder_country)),
    h("td", {class: s.polarity > 0 ? "pos" : "neg"}, s.polarity > 0 ? "for" : "against"),
    h("td", null, actor(s.target_name, s.target_country)),
    h("td", null, s.issue || ""),
    h("td", {class: "muted"}, s.article_id)))];
}

async function showActor(code) {
  $("#main").hidden = true;
  $("#actor").hidden = false;
  $("#actor-code").textContent = /^[A-Za-z]{3}$/.test(code) ? code.toUpperCase() : code;
  $("#actor-name").textContent = "";
  window.scrollTo(0, 0);
  for (const id of ["#actor-quotes", "#actor-stances-held", "#actor-stances-towards", "#actor-partners"]) $(id).replaceChildren();
  const f = state.filters;
  const [info, held, towards] = await Promise.all([
    api(`/api/actors/${encodeURIComponent(code)}`, {since: f.since, until: f.until, min_confidence: f.min_confidence,
      dyadic: f.dyadic, quotes: ACTOR_ROWS}),
    api("/api/stances", {holder: code, limit: ACTOR_ROWS}),
    api("/api/stances", {target: code, limit: ACTOR_ROWS}),
  ]);
  state.actor = info.code;
  $("#actor-code").textContent = info.code;
  $("#actor-name").textContent = info.name || "";
  const range = f.since || f.until ? ` (${f.since || "…"} to ${f.until || "…"})` : "";
  $("#actor-counts").replaceChildren(h("b", null, String(info.events.total)), ` events${range}: `,
    h("b", null, String(info.events.source)), " as source, ", h("b", null, String(info.events.target)), " as target");
  const timeline = $("#actor-timeline");
  if (info.timeline.length) {
    await Plotly.newPlot(timeline, [
      {type: "bar", name: "events", x: info.timeline.map((t) => t.period), y: info.timeline.map((t) => t.events),
        marker: {color: "#1f6feb"}, opacity: 0.6},
      {type: "scatter", mode: "lines+markers", name: "Goldstein mean", yaxis: "y2", connectgaps: false,
        x: info.timeline.map((t) => t.period), y: info.timeline.map((t) => t.goldstein_mean), line: {color: "#d1242f"}},
    ], {height: 300, margin: {t: 10, l: 40, r: 40, b: 40}, font: {family: FONT, size: 12}, legend: {orientation: "h"},
      xaxis: {type: "date", tickformat: "%b %Y", ...periodTicks(info.timeline.length, "month")},
      yaxis: {title: {text: "events"}, rangemode: "tozero"},
      yaxis2: {overlaying: "y", side: "right", range: [-10, 10], title: {text: "Goldstein"}}}, PLOT_CONFIG);
  } else {
    Plotly.purge(timeline);
    timeline.replaceChildren(h("p", {class: "hint"}, "No dated events in this range."));
  }
  $("#actor-partners").replaceChildren(...(info.partners.length ? [
    h("tr", null, h("th", null, "Partner"), h("th", {class: "num"}, "Events"), h("th", {class: "num"}, "As source"),
      h("th", {class: "num"}, "Goldstein")),
    ...info.partners.map((p) => h("tr", null, h("td", null, country(p.code, true)), h("td", {class: "num"}, String(p.events)),
      h("td", {class: "num"}, String(p.as_source)), h("td", {class: "num"}, goldstein(p.goldstein_mean))))]
    : [h("tr", {class: "empty"}, h("td", null, "No events with other countries."))]));
  $("#actor-quotes").replaceChildren(...info.quotes.map((q) => h("li", null,
    h("blockquote", {class: q.direct ? "quote direct" : "quote"}, q.text),
    h("p", {class: "by"}, actor(q.speaker_name, q.speaker_country), q.cue ? ` — ${q.cue}` : "",
      h("span", {class: "muted"}, ` · ${showDate(q.date, q.date_precision) || "undated"} · ${q.article_title || q.article_id}`)))));
  if (!info.quotes.length) $("#actor-quotes").append(h("li", {class: "hint"}, "No quotes by speakers of this actor."));
  if (info.quotes.length === ACTOR_ROWS) $("#actor-quotes").append(h("li", {class: "hint"}, `The latest ${ACTOR_ROWS} quotes.`));
  $("#actor-stances-held").replaceChildren(...stanceTable(held.rows, "No stances held."));
  $("#actor-stances-towards").replaceChildren(...stanceTable(towards.rows, "No stances towards it."));
}

// --- routing and start-up -------------------------------------------------------------------

function initMain() {
  state.mainReady = true;
  csvLink();
  loadPanels();
}

function route() {
  const match = /^#actor\/(.+)$/.exec(location.hash);
  if (match) return attempt(() => showActor(decodeURIComponent(match[1])));
  $("#actor").hidden = true;
  $("#main").hidden = false;
  if (!state.mainReady) initMain();
  else for (const id of ["#dyad-chart", "#alignment-chart", "#map-chart"]) if ($(id).data) Plotly.Plots.resize($(id));
}

async function start() {
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(); });
  $("#filters").addEventListener("reset", () => setTimeout(applyFilters));
  $("#prev").addEventListener("click", () => turnPage(-1));
  $("#next").addEventListener("click", () => turnPage(1));
  $("#dyad-freq").addEventListener("change", () => attempt(loadDyad));
  $("#bloc-floor").addEventListener("input", () => showCoalitions());
  $("#error .close").addEventListener("click", clearError);
  $("#actor-events").addEventListener("click", () => {
    for (const name of FILTERS) if (!["since", "until", "min_confidence"].includes(name)) $(`#filter-${name}`).value = "";
    $("#filter-country").value = state.actor || $("#actor-code").textContent;
    if (state.mainReady) applyFilters();
    else state.filters = readFilters();  // the overview loads with them
    location.hash = "";
  });
  window.addEventListener("hashchange", route);
  attempt(loadSummary);
  await attempt(loadCountries);  // names beside codes from the start
  route();
}

start();
