"""Column layouts of event exports: communique's own (the stored columns, article metadata and code
names) and GDELT 2.0's event table, for tools written against GDELT.

GDELT 2.0 event columns we cannot fill are left empty: GLOBALEVENTID holds our event id
(``article_id:event_no``, text, not a GDELT number); the actor codes are CAMEO-style country plus
sector ("IRNGOV"); country codes are ISO 3166 alpha-3 (GDELT's geography uses FIPS 10-4); the
known-group, ethnic, religion and actor geography columns, IsRootEvent, AvgTone and DATEADDED are
empty; NumMentions, NumSources and NumArticles are 1 (with ``--dedup``: the cluster's events and
articles); SQLDATE of a month or year precision date is its first day (date_precision says which).
"""
from __future__ import annotations

import pyarrow as pa

from ..lexicons.codes import cameo_names

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL")


def with_names(table: pa.Table) -> pa.Table:
    """``table`` (events) with ``cameo_name`` after ``cameo``."""
    names = cameo_names()
    column = pa.array([names.get(code) for code in table.column("cameo").to_pylist()], pa.string())
    return table.add_column(table.column_names.index("cameo") + 1, "cameo_name", column)


def gdelt(table: pa.Table) -> pa.Table:
    """The events of an export (:meth:`~communique.store.queries.Queries.event_export`) in GDELT 2.0's
    event columns and order (see the module's note on what stays empty)."""
    rows = table.to_pylist()
    out: dict[str, list] = {name: [None] * len(rows) for name in GDELT_COLUMNS}
    for i, e in enumerate(rows):
        day = e["date"]
        cameo = e["cameo"] or ""
        values = {
            "GLOBALEVENTID": f"{e['article_id']}:{e['event_no']}",
            "SQLDATE": int(day.strftime("%Y%m%d")) if day else None,
            "MonthYear": int(day.strftime("%Y%m")) if day else None,
            "Year": day.year if day else None,
            "FractionDate": round(day.year + (day.timetuple().tm_yday - 1) / 365, 4) if day else None,
            "IsRootEvent": None, "EventCode": cameo or None, "EventBaseCode": cameo[:3] or None,
            "EventRootCode": cameo[:2] or None, "QuadClass": e["quad_class"], "GoldsteinScale": e["goldstein"],
            "NumMentions": e.get("cluster_events", 1), "NumSources": e.get("cluster_articles", 1),
            "NumArticles": e.get("cluster_articles", 1),
            "ActionGeo_FullName": e["location_name"], "ActionGeo_CountryCode": e["location_country"],
            "ActionGeo_Lat": e["lat"], "ActionGeo_Long": e["lon"], "SOURCEURL": e["article_url"]}
        for n, role in ((1, "source"), (2, "target")):
            country, sector = e[f"{role}_country"], e[f"{role}_sector"]
            values[f"Actor{n}Code"] = ((country or "") + (sector or "")) or None
            values[f"Actor{n}Name"] = e[f"{role}_name"].upper() if e[f"{role}_name"] else None
            values[f"Actor{n}CountryCode"] = country
            values[f"Actor{n}Type1Code"] = sector
        for name, value in values.items():
            out[name][i] = value
    return pa.table({name: pa.array(values) if any(v is not None for v in values) else pa.nulls(len(values),
                                                                                                 pa.string())
                     for name, values in out.items()})

