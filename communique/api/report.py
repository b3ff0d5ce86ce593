"""``communique report``: one self-contained HTML file with the dashboard's charts.

It holds plotly.js (from the installed ``plotly`` package) and the figures of
:mod:`communique.analysis.charts` inline, so it opens offline and can be mailed: the
summary, the coalitions, the alignment heat map, and for the busiest dyads their timeline
and their events with the evidence sentences.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Optional

from ..analysis.alignment import alignment
from ..analysis.charts import alignment_figure, dyad_figure
from ..analysis.coalitions import coalitions
from ..analysis.dyads import dyad_series
from ..store import Store
from . import plotly_js

TOP_DYADS = 6
EVENTS_PER_DYAD = 15
STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328}
h1{margin-bottom:.2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.muted{color:#59636e}mark{background:#fff3b0}"""


def script_json(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("</", "<\\/")


def evidence_html(sentence: str, start: int, trigger: tuple[int, int]) -> str:
    """The sentence, escaped, with its trigger marked (offsets are the article's)."""
    a, b = trigger[0] - start, trigger[1] - start
    if not 0 <= a < b <= len(sentence):
        return html.escape(sentence)
    return html.escape(sentence[:a]) + "<mark>" + html.escape(sentence[a:b]) + "</mark>" + html.escape(sentence[b:])


def write_report(store: Store, out: str, since: Optional[str] = None, until: Optional[str] = None) -> None:
    """Write the report of ``store`` (its articles dated between ``since`` and ``until``) to the file ``out``."""
    counts = store.counts(("articles", "events", "quotes", "stances"))
    blocs = coalitions(store, since, until)
    figures = {"alignment": alignment_figure(alignment(store, since, until), blocs)}
    parts = [f"<h1>communique report</h1><p class=muted>{html.escape(', '.join(f'{v} {k}' for k, v in counts.items()))}"
             f"{html.escape(f'; from {since}' if since else '')}{html.escape(f' until {until}' if until else '')}</p>",
             "<h2>Coalitions</h2>"]
    if blocs:
        parts.append("<table><tr><th>members</th><th>period</th><th>evidence items</th></tr>" + "".join(
            f"<tr><td>{html.escape(' '.join(b['members']))}</td><td>{html.escape(b['period'])}</td>"
            f"<td>{b['evidence']}</td></tr>" for b in blocs) + "</table>")
    else:
        parts.append("<p class=muted>No pair of countries has aligned evidence.</p>")
    parts.append('<h2>Alignment</h2><div id="chart-alignment"></div><h2>Dyads</h2>')
    for k, (a, b, n) in enumerate(store.busiest_dyads(since, until, TOP_DYADS)):
        figures[f"dyad{k}"] = dyad_figure(dyad_series(store, a, b, "month", since, until, both_ways=True), a, b)
        rows = store.dyad_events(a, b, EVENTS_PER_DYAD)
        parts.append(f'<h3>{html.escape(a)} and {html.escape(b)}: {n} events</h3><div id="chart-dyad{k}"></div>'
                     "<table><tr><th>date</th><th>event</th><th>evidence</th><th>article</th></tr>" + "".join(
                         f"<tr><td>{html.escape(str(d or ''))}</td><td>{html.escape(f'{s} {t} {tg}')}</td>"
                         f"<td>{evidence_html(sent, start, (ts, te))}</td><td>{html.escape(art)}</td></tr>"
                         for d, t, s, tg, sent, start, ts, te, art in rows) + "</table>")
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>communique report</title>"
            f"<style>{STYLE}</style><script>{plotly_js().read_text(encoding='utf-8')}</script></head><body>"
            + "".join(parts) +
            f"<script>const figures = {script_json(figures)};\n"
            "for (const [name, fig] of Object.entries(figures)) "
            "Plotly.newPlot('chart-' + name, fig.data, fig.layout, {displaylogo: false});</script></body></html>")
    Path(out).write_text(page, encoding="utf-8")
