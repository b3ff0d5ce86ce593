// The communique dashboard: plain DOM code over the JSON API. Text from the API is only ever
// inserted as text nodes (never as HTML).
"use strict";

const PAGE = 25;
const ACTOR_ROWS = 100;
const FILTERS = ["country", "source", "target", "type", "since", "until", "q"];
const QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const PLOT_CONFIG = {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"]};
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const state = {filters: {}, offset: 0, selected: null, mainReady: false, request: 0};

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
  for (const child of children.flat()) {
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

function country(code) {
  return code ? h("a", {class: "country", href: `#actor/${encodeURIComponent(code)}`, title: `Actor page of ${code}`}, code)
    : h("span", {class: "muted"}, "—");
}

function actor(name, code) {
  return [name ? h("span", {class: "name"}, name) : h("span", {class: "muted"}, "unknown"), " ", code ? country(code) : ""];
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

function readFilters() {
  const filters = {};
  for (const name of FILTERS) {
    const value = $(`#filter-${name}`).value.trim();
    if (value) filters[name] = ["country", "source", "target"].includes(name) ? value.toUpperCase() : value;
  }
  return filters;
}

function applyFilters() {
  clearError();
  state.filters = readFilters();
  state.offset = 0;
  attempt(loadEvents);
  attempt(loadDyad);
}

// --- events table ---------------------------------------------------------------------------

function eventRow(e) {
  const tr = h("tr", {tabindex: 0, "data-article": e.article_id, "data-event": e.event_no,
    "data-source": e.source_country || "", "data-target": e.target_country || ""},
  h("td", {class: "date"}, e.date || h("span", {class: "muted"}, "undated")),
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
  const data = await api("/api/events", {...state.filters, limit: PAGE, offset: state.offset});
  if (request !== state.request) return;  // a newer request is on its way
  const body = $("#events tbody");
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
      field("Date", [e.date || "undated", e.historical ? " (historical)" : ""]),
      field("Location", e.location_name ? [e.location_name, " ", country(e.location_country)] : null)),
    h("h3", null, "Article"),
    h("dl", null,
      field("Title", a.title || a.id),
      field("Source", a.source),
      field("Date", a.date),
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

// The busiest directed pair among the dyads (with the given source/target/country, if any):
// the most dated events (the timeline shows those), then the most events.
async function busiestDyad({source, target, country}) {
  const rows = await api("/api/dyads", {source, target, freq: "month", both: "false"});
  const totals = new Map();
  for (const r of rows) {
    if (country && r.source !== country && r.target !== country) continue;
    const key = `${r.source} ${r.target}`;
    const [dated, all] = totals.get(key) || [0, 0];
    totals.set(key, [dated + (r.period ? r.events : 0), all + r.events]);
  }
  const best = [...totals].sort(([a, x], [b, y]) => y[0] - x[0] || y[1] - x[1] || (a < b ? -1 : 1))[0];
  return best && best[0].split(" ");
}

// The timeline's date axis with ticks and bars of the period (a single period would otherwise
// get sub-second ticks and a bar across the whole chart), or a note when nothing is dated.
async function loadDyad() {
  const f = state.filters;
  const pair = f.source && f.target ? [f.source, f.target] : await busiestDyad(f);
  const el = $("#dyad-chart");
  if (!pair) {
    Plotly.purge(el);
    $("#dyad-title").textContent = "Dyad timeline";
    $("#dyad-note").textContent = "No dyad has events for these filters.";
    return;
  }
  const [source, target] = pair;
  $("#dyad-title").replaceChildren("Dyad timeline: ", country(source), " ↔ ", country(target));
  $("#dyad-note").textContent = f.source && f.target ? "" : "The busiest dyad for these filters; choose a source and a target for another.";
  const freq = $("#dyad-freq").value;
  await plot(el, await api("/api/charts/dyad", {source, target, freq}));
}

async function loadAlignment() {
  const figure = await api("/api/charts/alignment");
  const el = $("#alignment-chart");
  if (!figure.data.length || !(figure.data[0].x || []).length) {
    el.replaceChildren(h("p", {class: "hint"}, "No alignment evidence yet."));
    return;
  }
  await plot(el, figure);
  el.on("plotly_click", (ev) => {
    const p = ev.points && ev.points[0];
    if (p && p.x !== p.y) attempt(() => showPair(p.y, p.x));
  });
}

async function showPair(a, b) {
  const items = await api(`/api/alignment/${encodeURIComponent(a)}/${encodeURIComponent(b)}`);
  $("#pair-evidence").replaceChildren(
    h("h3", null, "Evidence for ", country(a), " and ", country(b)),
    items.length ? h("ul", {class: "pair"}, items.map((i) => h("li", null,
      country(i.holder), i.polarity > 0 ? " for " : " against ", country(i.object),
      h("span", {class: "muted"}, ` · ${i.kind} · ${i.article_id}`))))
      : h("p", {class: "hint"}, "No evidence for this pair."));
}

async function loadCoalitions() {
  const blocs = await api("/api/coalitions");
  const list = $("#coalitions");
  list.replaceChildren(...blocs.map((c) => h("li", null,
    h("span", {class: "members"}, c.members.flatMap((m) => [country(m), " "])),
    h("span", {class: "muted"}, [
      c.period === "all" ? "all time" : `${c.period} ${c.since || ""}–${c.until || ""}`,
      `${c.evidence} evidence items`,
      c.stability == null ? null : `stability ${Number(c.stability).toFixed(2)}`,
    ].filter(Boolean).join(" · ")))));
  if (!blocs.length) list.append(h("li", {class: "hint"}, "No coalitions found."));
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
  $("#actor-code").textContent = code;
  window.scrollTo(0, 0);
  for (const id of ["#actor-quotes", "#actor-stances-held", "#actor-stances-towards"]) $(id).replaceChildren();
  const [quotes, held, towards] = await Promise.all([
    api("/api/quotes", {country: code, limit: ACTOR_ROWS}),
    api("/api/stances", {holder: code, limit: ACTOR_ROWS}),
    api("/api/stances", {target: code, limit: ACTOR_ROWS}),
  ]);
  $("#actor-quotes").replaceChildren(...quotes.rows.map((q) => h("li", null,
    h("blockquote", {class: q.direct ? "quote direct" : "quote"}, q.text),
    h("p", {class: "by"}, actor(q.speaker_name, q.speaker_country), q.cue ? ` — ${q.cue}` : "",
      h("span", {class: "muted"}, ` · ${q.article_id}`)))));
  if (!quotes.rows.length) $("#actor-quotes").append(h("li", {class: "hint"}, "No quotes by speakers of this actor."));
  if (quotes.rows.length === ACTOR_ROWS) $("#actor-quotes").append(h("li", {class: "hint"}, `The first ${ACTOR_ROWS} quotes.`));
  $("#actor-stances-held").replaceChildren(...stanceTable(held.rows, "No stances held."));
  $("#actor-stances-towards").replaceChildren(...stanceTable(towards.rows, "No stances towards it."));
}

// --- routing and start-up -------------------------------------------------------------------

function initMain() {
  state.mainReady = true;
  attempt(loadEvents);
  attempt(loadDyad);
  attempt(loadAlignment);
  attempt(loadCoalitions);
}

function route() {
  const match = /^#actor\/([A-Za-z]{3})$/.exec(location.hash);
  if (match) return attempt(() => showActor(match[1].toUpperCase()));
  if (location.hash.startsWith("#actor/")) showError(`${location.hash.slice(7)} is not a three-letter country code`);
  $("#actor").hidden = true;
  $("#main").hidden = false;
  if (!state.mainReady) initMain();
  else for (const id of ["#dyad-chart", "#alignment-chart"]) if ($(id).data) Plotly.Plots.resize($(id));
}

function start() {
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(); });
  $("#filters").addEventListener("reset", () => setTimeout(applyFilters));
  $("#prev").addEventListener("click", () => turnPage(-1));
  $("#next").addEventListener("click", () => turnPage(1));
  $("#dyad-freq").addEventListener("change", () => attempt(loadDyad));
  $("#error .close").addEventListener("click", clearError);
  $("#actor-events").addEventListener("click", () => {
    for (const name of FILTERS) $(`#filter-${name}`).value = "";
    $("#filter-country").value = $("#actor-code").textContent;
    if (state.mainReady) applyFilters();
    else state.filters = readFilters();  // the overview loads with them
    location.hash = "";
  });
  window.addEventListener("hashchange", route);
  attempt(loadSummary);
  route();
}

start();
