#!/usr/bin/env python3
"""Build ``communique/data/world.geojson``, the dashboard's offline world map, from world-atlas.

    cd /tmp && npm pack world-atlas@2.0.2        # writes world-atlas-2.0.2.tgz (npm registry)
    .venv/bin/python tools/build_world_map.py /tmp/world-atlas-2.0.2.tgz

Input: ``countries-110m.json`` of the npm package world-atlas 2.0.2 by Mike Bostock
(https://github.com/topojson/world-atlas, ISC licence), a TopoJSON conversion of Natural Earth's
1:110m Admin 0 countries (https://www.naturalearthdata.com/, public domain). The argument is the
tarball ``npm pack`` writes, or the extracted ``countries-110m.json``; its sha256 should be
``SOURCE_SHA256`` below (other versions are accepted with a warning). See NOTICE.

Output: a compact GeoJSON FeatureCollection, one feature per country, ``id`` the ISO 3166
alpha-3 code (world-atlas ids are ISO 3166 numeric, mapped with pycountry), ``properties``
``{"name": ...}`` (the name in ``communique/data/countries.tsv``, else pycountry's, else
world-atlas's), coordinates in degrees rounded to 2 decimals, features sorted by id. The
features world-atlas gives without an id are kept by name: Kosovo as XKX (the project's code);
N. Cyprus and Somaliland are dissolved into CYP and SOM (as places.tsv codes them). Rings keep
world-atlas's winding (d3-geo's: exterior rings clockwise, as plotly.js draws them); rings that
rounding collapses or turns over are dropped. Deterministic: the same input gives the same bytes.
The TopoJSON is decoded here (quantized, delta-encoded arcs); no dependency beyond pycountry.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "communique" / "data" / "world.geojson"
COUNTRIES_TSV = REPO / "communique" / "data" / "countries.tsv"
MEMBER = "package/countries-110m.json"
SOURCE_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"  # world-atlas 2.0.2
SOURCE = ("Natural Earth 1:110m Admin 0 countries (public domain) via world-atlas 2.0.2 "
          "countries-110m.json (ISC); built by tools/build_world_map.py")
NO_ID = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}  # features without an ISO numeric id
DECIMALS = 2


def read_topology(path: Path) -> bytes:
    """The bytes of countries-110m.json, from the npm tarball or the file itself."""
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{path}: no {MEMBER}")
            return member.read()
    return path.read_bytes()


def decode_arcs(topo: dict) -> list[list[tuple[int, int]]]:
    """The arcs as absolute quantized positions (the delta encoding undone)."""
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def arc_points(arcs: list, ref: int) -> list[tuple[int, int]]:
    """Arc ``ref``'s positions; a negative ref (~i) is arc i reversed."""
    return arcs[ref] if ref >= 0 else arcs[~ref][::-1]


def ring_points(arcs: list, refs: list[int]) -> list[tuple[int, int]]:
    """A ring's positions: its arcs joined, each arc's first position being the previous one's last."""
    points: list[tuple[int, int]] = []
    for ref in refs:
        part = arc_points(arcs, ref)
        points.extend(part if not points else part[1:])
    return points


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    """The geometry's polygons, each a list of rings given as arc references."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    raise SystemExit(f"unexpected geometry type {geometry['type']}")


def dissolve(arcs: list, polygons: list[list[list[int]]]) -> list[list[list[int]]]:
    """The union of hole-free polygons: the arcs they share (used once each way) removed, the rest
    stitched into rings. Polygons with holes, or arcs that do not close into rings, are returned as given."""
    if any(len(polygon) != 1 for polygon in polygons):
        return polygons
    refs = [ref for polygon in polygons for ref in polygon[0]]
    kept = [ref for ref in refs if ~ref not in refs]
    starts: dict[tuple[int, int], int] = {}
    for ref in kept:
        starts.setdefault(arc_points(arcs, ref)[0], ref)
    if len(starts) != len(kept):
        return polygons
    rings, used = [], set()
    for first in kept:
        if first in used:
            continue
        ring, ref = [], first
        while ref not in used:
            used.add(ref)
            ring.append(ref)
            ref = starts.get(arc_points(arcs, ref)[-1])
            if ref is None:
                return polygons
        if ref != first:
            return polygons
        rings.append([ring])
    return rings


def signed_area(ring: list) -> float:
    """Twice the planar signed area of a closed ring (positive: counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def rounded_ring(topo: dict, points: list[tuple[int, int]]) -> list[list[float]] | None:
    """The ring in degrees rounded to DECIMALS, repeated positions removed; None when rounding
    collapses it or reverses its winding."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    exact = [(x * sx + tx, y * sy + ty) for x, y in points]
    ring: list[list[float]] = []
    for lon, lat in exact:
        position = [round(lon, DECIMALS) + 0.0, round(lat, DECIMALS) + 0.0]
        if not ring or position != ring[-1]:
            ring.append(position)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        return None
    before, after = signed_area(exact), signed_area(ring)
    if after == 0 or (before > 0) != (after > 0):
        return None
    return ring


def tsv_names() -> dict[str, str]:
    names = {}
    for line in COUNTRIES_TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")[:2]
            names[code] = name
    return names


def alpha3(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return NO_ID.get(name)
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_3 if country else None


def build(data: bytes) -> tuple[bytes, list[str]]:
    """The GeoJSON bytes, and notes on what was merged or dropped."""
    topo = json.loads(data)
    arcs = decode_arcs(topo)
    names = tsv_names()
    notes = []
    groups: dict[str, list[dict]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = alpha3(geometry)
        label = geometry.get("properties", {}).get("name", "?")
        if code is None:
            notes.append(f"dropped {label} (id {geometry.get('id')}): no ISO alpha-3 code")
            continue
        if geometry.get("type") is None:
            notes.append(f"dropped {label} ({code}): no geometry")
            continue
        if "id" not in geometry:
            notes.append(f"{label}: kept as {code}")
        groups.setdefault(code, []).append(geometry)
    features = []
    for code in sorted(groups):
        members = groups[code]
        polygons = [polygon for geometry in members for polygon in polygons_of(geometry)]
        if len(members) > 1:
            merged = dissolve(arcs, polygons)
            notes.append(f"{code}: {' + '.join(g['properties']['name'] for g in members)} "
                         + ("dissolved" if merged is not polygons else "joined (not dissolved)"))
            polygons = merged
        out_polygons = []
        for polygon in polygons:
            rings = [rounded_ring(topo, ring_points(arcs, refs)) for refs in polygon]
            if rings[0] is None:
                notes.append(f"{code}: dropped a polygon that rounding collapses")
                continue
            out_polygons.append([ring for ring in rings if ring is not None])
        if not out_polygons:
            notes.append(f"dropped {code}: nothing left after rounding")
            continue
        country = pycountry.countries.get(alpha_3=code)
        fallback = (getattr(country, "common_name", None) or country.name) if country else None
        name = names.get(code) or fallback or members[0]["properties"]["name"]
        geometry = ({"type": "Polygon", "coordinates": out_polygons[0]} if len(out_polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": out_polygons})
        features.append({"type": "Feature", "id": code, "properties": {"name": name}, "geometry": geometry})
    collection = {"type": "FeatureCollection", "source": SOURCE, "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8"), notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="world-atlas-2.0.2.tgz (from `npm pack`) or its countries-110m.json")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT.relative_to(REPO)})")
    args = parser.parse_args(argv)
    data = read_topology(args.input)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"warning: countries-110m.json sha256 {digest} is not world-atlas 2.0.2's", file=sys.stderr)
    out, notes = build(data)
    args.out.write_bytes(out)
    for note in notes:
        print(note, file=sys.stderr)
    features = json.load(io.BytesIO(out))["features"]
    print(f"wrote {args.out} ({len(out)} bytes, {len(features)} features)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
