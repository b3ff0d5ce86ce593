"""The charts of the dashboard and the report, as Plotly figure specifications (plain JSON).

The dashboard fetches them from the API and draws them with the plotly.js that the
``plotly`` package ships; the report embeds the same specifications. One definition each.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.4}
DAY_MS = 86_400_000


def dyad_figure(rows: list[dict], source: str, target: str, freq: str = "month") -> dict:
    """Goldstein (shrunk mean) and event counts of ``source``->``target`` and back, per period."""
    traces = []
    for a, b, colour in ((source, target, "#1f6feb"), (target, source, "#d1242f")):
        series = [r for r in rows if r["source"] == a and r["target"] == b and r["period"]]
        periods = [r["period"] for r in series]
        traces.append({"type": "bar", "name": f"{a} → {b} events", "x": periods, "y": [r["events"] for r in series],
                       "yaxis": "y2", "opacity": 0.35, "marker": {"color": colour}})
        traces.append({"type": "scatter", "mode": "lines+markers", "name": f"{a} → {b} Goldstein",
                       "x": periods, "y": [r["goldstein_shrunk"] for r in series], "line": {"color": colour},
                       "customdata": [[r["goldstein_mean"], r["events"]] for r in series],
                       "hovertemplate": "%{x}: shrunk mean %{y:.2f} (mean %{customdata[0]:.2f}, "
                                        "%{customdata[1]} events)<extra></extra>"})
    undated = sum(r["events"] for r in rows if not r["period"])
    title = f"{source} and {target}, by {freq}" + (f" ({undated} undated events not shown)" if undated else "")
    layout = {"title": {"text": title}, "barmode": "group", "height": 380, "margin": {"t": 50, "l": 50, "r": 50},
              "xaxis": {"type": "date", "tickformat": "%b %Y" if freq == "month" else "%-d %b %Y"},
              "yaxis": {"title": {"text": "Goldstein (shrunk mean)"}, "range": [-10, 10]},
              "yaxis2": {"title": {"text": "events"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                         "dtick": max(1, -(-max((r["events"] for r in rows if r["period"]), default=1) // 4))},
              "legend": {"orientation": "h"}}
    dated = sorted({r["period"] for r in rows if r["period"]})
    if not dated:
        layout["xaxis"]["showticklabels"] = False
        layout["annotations"] = [{"text": "No dated events for this dyad", "showarrow": False, "xref": "paper",
                                  "yref": "paper", "x": 0.5, "y": 0.75, "font": {"size": 14, "color": "#656d76"}}]
        return {"data": traces, "layout": layout}
    # bars as wide as their period (a lone period would otherwise fill the chart), ticks per period
    period_ms = PERIOD_DAYS[freq] * DAY_MS
    first, last = (date.fromisoformat(d) for d in (dated[0], dated[-1]))
    pad = timedelta(days=PERIOD_DAYS[freq])
    layout["xaxis"]["range"] = [(first - pad).isoformat(), (last + pad).isoformat()]
    if (last - first).days / PERIOD_DAYS[freq] < 10:
        layout["xaxis"]["dtick"] = "M1" if freq == "month" else period_ms
    width = 0.8 * period_ms / 2
    for k, trace in enumerate(t for t in traces if t["type"] == "bar"):
        trace.update(width=width, offset=-0.4 * period_ms + k * width)
    return {"data": traces, "layout": layout}


def uncertain_text(pair: dict) -> str:
    """A pair's interval for the hover: ``; 95% interval -0.20..0.45, not settled`` (empty without one)."""
    if "settled" not in pair:
        return ""
    if pair.get("interval") is None:
        return "; too few articles for an interval"
    lo, hi = pair["interval"]
    return f"; 95% interval {lo:.2f}..{hi:.2f}" + ("" if pair["settled"] else ", not settled")


def alignment_figure(pairs: list[dict], coalitions: Optional[list[dict]] = None, max_countries: int = 40) -> dict:
    """A heat map of alignment scores, countries ordered by bloc (the most evidenced first); where the
    pairs have intervals (:func:`~.alignment.alignment` with ``bootstrap``), each cell's hover gives its
    interval, and an unsettled cell is marked with a dot."""
    evidence: dict[str, int] = {}
    for p in pairs:
        for c in (p["a"], p["b"]):
            evidence[c] = evidence.get(c, 0) + p["evidence"]
    keep = set(sorted(evidence, key=lambda c: (-evidence[c], c))[:max_countries])
    order: list[str] = []
    for bloc in coalitions or []:
        order += [c for c in bloc["members"] if c in keep and c not in order]
    order += sorted(keep - set(order), key=lambda c: (-evidence[c], c))
    index = {c: i for i, c in enumerate(order)}
    z: list[list[Optional[float]]] = [[None] * len(order) for _ in order]
    text: list[list[str]] = [[""] * len(order) for _ in order]
    for p in pairs:
        if p["a"] in index and p["b"] in index:
            i, j = index[p["a"]], index[p["b"]]
            z[i][j] = z[j][i] = p["score"]
            text[i][j] = text[j][i] = f"{p['evidence']} evidence items" + uncertain_text(p)
    unsettled = [(p["a"], p["b"]) for p in pairs if p.get("settled") is False and p["a"] in index and p["b"] in index]
    marks = [{"type": "scatter", "mode": "markers", "name": "not settled (95% interval wider than half the scale)",
              "x": [x for a, b in unsettled for x in (a, b)], "y": [y for a, b in unsettled for y in (b, a)],
              "marker": {"symbol": "circle", "size": 4, "color": "#444"}, "hoverinfo": "skip"}] if unsettled else []
    # plotly.js's RdBu runs from blue to red: reversed, conflict is red
    return {"data": [{"type": "heatmap", "x": order, "y": order, "z": z, "text": text, "zmin": -1, "zmax": 1,
                      "colorscale": "RdBu", "reversescale": True,
                      "hovertemplate": "%{y} and %{x}: %{z:.2f} (%{text})<extra></extra>"}] + marks,
            "layout": {"title": {"text": "Alignment" + (", countries ordered by bloc" if coalitions else "")},
                       "height": 520, "margin": {"t": 50}, "yaxis": {"autorange": "reversed"}}}
