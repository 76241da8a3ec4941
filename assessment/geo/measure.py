"""Measure walking access inside a boundary from an OpenStreetMap extract: the library's entry point for ``nzn measure``.

:func:`measure_access` reads the extract, projects everything to the UTM zone of the boundary's centroid,
builds the walking graph (:mod:`assessment.geo.network`), finds the homes, destinations and green spaces the
rules name (modules/osm_access.toml), computes the walking distance from each home to the nearest destination
of each kind, and evaluates every measure (:mod:`assessment.geo.indicators`). Destinations and streets outside
the boundary count (people walk out of their neighbourhood); homes are those inside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assessment import __version__
from assessment.errors import InputInvalid, issue
from assessment.geo import indicators as ind
from assessment.geo.boundary import check_against_extract
from assessment.geo.extract import OSM_ATTRIBUTION, SYNTHETIC_ATTRIBUTION, Extract, Feature, extract_date, read_extract
from assessment.geo.network import build_graph, distances_from, segment_lines, unique_segments
from assessment.geo.rules import AccessRules, parse_rule
from assessment.i18n import N_
from assessment.model.access import (
    AccessMeasurement,
    BoundaryInfo,
    CategoryAccess,
    ExtractInfo,
    MapLayers,
    MeasuredValue,
    NetworkInfo,
    Notice,
    ResidentsInfo,
    notice,
)

M2_PER_HA = 10_000.0
#: The map shows the network within this distance of the boundary [m] (the toolkit's choice: enough context, a readable page).
MAP_MARGIN_M = 150.0


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 / UTM zone holding (lon, lat): 326zz north of the equator, 327zz south (zones of 6 degrees)."""
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return (32600 if lat >= 0 else 32700) + zone


@dataclass(frozen=True)
class Projection:
    epsg: int
    transformer: object  # pyproj Transformer, lon/lat -> x/y

    def xy(self, lonlat) -> np.ndarray:
        arr = np.asarray(lonlat, dtype=float).reshape(-1, 2)
        x, y = self.transformer.transform(arr[:, 0], arr[:, 1])
        return np.stack([np.asarray(x), np.asarray(y)], axis=1)

    def geometry(self, geom):
        import shapely

        return shapely.transform(geom, lambda a: self.xy(a))


def projection_for(lon: float, lat: float) -> Projection:
    from pyproj import Transformer

    epsg = utm_epsg(lon, lat)
    return Projection(epsg, Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True))


def grid_north_deg(lon: float, lat: float, epsg: int) -> float:
    """Meridian convergence at (lon, lat) [degrees]: the angle from grid north to true north (pyproj Proj.get_factors)."""
    from pyproj import Proj

    return float(Proj(f"EPSG:{epsg}").get_factors(lon, lat).meridian_convergence)


def _feature_geometry(f: Feature, proj: Projection):
    """A feature as a shapely point or (multi)polygon in metres."""
    import shapely
    from shapely.geometry import MultiPolygon, Point, Polygon

    if not f.polygon:
        x, y = proj.xy(f.rings[0][0])[0]
        return Point(x, y)
    rings = [proj.xy(r) for r in f.rings]
    polys = []
    for k, (ring, parent) in enumerate(zip(rings, f.holes)):
        if parent == -1 and len(ring) >= 4:
            holes = [rings[j] for j, p in enumerate(f.holes) if p == k and len(rings[j]) >= 4]
            polys.append(Polygon(ring, holes))
    if not polys:
        return None
    geom = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return geom if geom.is_valid else shapely.make_valid(geom)


def _levels(tags: dict, default: float) -> float:
    try:
        v = float(str(tags.get("building:levels", "")).replace(",", "."))
    except ValueError:
        return default
    return v if math.isfinite(v) and 0 < v <= 200 else default


@dataclass
class Homes:
    geoms: list
    weights: np.ndarray
    source: str
    weight: str


def _homes_from_extract(features: list[tuple[Feature, object]], boundary, rules: AccessRules) -> Homes:
    """Residential buildings inside the boundary weighted by floor area; else address points, one each."""
    res_rules = [parse_rule(t) for t in rules.residents.residential_buildings]
    geoms, weights = [], []
    for f, g in features:
        if f.polygon and g is not None and any(r.matches(f.tags) for r in res_rules) and boundary.contains(g.representative_point()):
            geoms.append(g)
            weights.append(g.area * _levels(f.tags, rules.residents.default_levels))
    if geoms:
        return Homes(geoms, np.asarray(weights), "residential_buildings", "floor area (footprint x building:levels)")
    addr_rules = [parse_rule(t) for t in rules.residents.address_points]
    for f, g in features:
        if g is not None and any(r.matches(f.tags) for r in addr_rules):
            p = g.representative_point() if f.polygon else g
            if boundary.contains(p):
                geoms.append(p)
                weights.append(1.0)
    return Homes(geoms, np.asarray(weights, dtype=float), "address_points", "one per address point")


def read_residents(path: Path, proj: Projection, boundary) -> Homes:
    """Homes from a GeoJSON file of points or polygons inside the boundary, weighted by a numeric ``population`` property
    (1 when absent)."""
    from shapely.geometry import shape

    where = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputInvalid(
            [issue(where, "bad-residents", N_("the residents file cannot be read as GeoJSON ({error})"), error=str(exc)[:120])]
        ) from None
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise InputInvalid(
            [issue(where, "bad-residents", N_("the residents file must be a GeoJSON FeatureCollection of points or polygons"))]
        )
    geoms, weights = [], []
    for i, f in enumerate(feats):
        try:
            g = proj.geometry(shape(f["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputInvalid(
                [
                    issue(
                        f"{where} features[{i}]",
                        "bad-residents",
                        N_("this feature's geometry cannot be read ({error})"),
                        error=str(exc)[:80],
                    )
                ]
            ) from None
        pop = (f.get("properties") or {}).get("population", 1.0)
        if not isinstance(pop, (int, float)) or isinstance(pop, bool) or not math.isfinite(pop) or pop < 0:
            raise InputInvalid(
                [
                    issue(
                        f"{where} features[{i}]", "bad-population", N_("population must be a number >= 0, got {value}"), value=str(pop)[:20]
                    )
                ]
            )
        if boundary.contains(g.representative_point()):
            geoms.append(g)
            weights.append(float(pop))
    return Homes(geoms, np.asarray(weights, dtype=float), "file", "population property (1 when absent)")


def _matches(features: list[tuple[Feature, object]], rules: AccessRules) -> dict[str, list[int]]:
    """Destination set -> indices of the features in it (``use:<id>``)."""
    out: dict[str, list[int]] = {f"use:{u.id}": [] for u in rules.uses}
    compiled = [(u.id, u.rules) for u in rules.uses]
    for i, (f, g) in enumerate(features):
        if g is None:
            continue
        for uid, rs in compiled:
            if any(r.matches(f.tags) for r in rs):
                out[f"use:{uid}"].append(i)
    return out


def _green_polygons(features: list[tuple[Feature, object]], rules: AccessRules):
    """Public green polygons [m], merged where they touch or overlap (a garden inside a park counts once)."""
    import shapely

    green_rules = rules.green.rules
    closed = set(rules.green.closed_access)
    polys = [
        g
        for f, g in features
        if f.polygon and g is not None and g.area > 0 and any(r.matches(f.tags) for r in green_rules) and f.tags.get("access") not in closed
    ]
    if not polys:
        return []
    merged = shapely.union_all(polys)
    parts = list(getattr(merged, "geoms", [merged]))
    return [p for p in parts if p.geom_type == "Polygon" and p.area > 0]


def _distance_limit(rules: AccessRules) -> float:
    ds = [lc.distance_m for lc in rules.life_circles] + [m.distance_m for m in rules.measures if m.distance_m]
    ds += [t.distance_m for m in rules.measures for t in m.targets]
    return max(ds)


def _ways_arrays(ex: Extract, proj: Projection, rules: AccessRules):
    """Node positions [m], the segments of every walkable way, which of them are streets and intersection streets, and the
    way (index into ``ex.ways``) of each segment."""
    ids = np.array(sorted(ex.nodes), dtype=np.int64)
    index = {int(n): i for i, n in enumerate(ids)}
    xy = proj.xy([ex.nodes[int(n)] for n in ids])
    exclude = [parse_rule(t) for t in rules.network.street_length_exclude]
    inter = set(rules.network.intersection_highways)
    seg, street, crossing, way = [], [], [], []
    for k, (_wid, refs, hw, tags) in enumerate(ex.ways):
        is_street = not any(r.matches(tags) for r in exclude)
        is_inter = hw in inter and is_street
        for a, b in zip(refs, refs[1:]):
            seg.append((index[a], index[b]))
            street.append(is_street)
            crossing.append(is_inter)
            way.append(k)
    return (
        xy,
        np.array(seg, dtype=np.int64).reshape(-1, 2),
        np.array(street, dtype=bool),
        np.array(crossing, dtype=bool),
        np.array(way, dtype=np.int64),
    )


def measure_access(
    boundary_lonlat,
    extract_path: str | Path,
    rules: AccessRules,
    *,
    boundary_source: str,
    population: int | None = None,
    residents_path: str | Path | None = None,
    extract: Extract | None = None,
) -> AccessMeasurement:
    """Every measure of ``rules`` for the homes inside ``boundary_lonlat`` (shapely, WGS84), from the extract at
    ``extract_path``. ``population`` (the Profile's) gives the per-resident figures. Refuses (InputInvalid) a boundary
    outside the extract (naming swapped coordinates) and a boundary with no homes in it."""
    import shapely

    ex = extract or read_extract(extract_path, rules)
    name = Path(extract_path).name
    check_against_extract(boundary_lonlat, ex.bbox(), boundary_source, name)
    c = boundary_lonlat.centroid
    proj = projection_for(c.x, c.y)
    boundary = proj.geometry(boundary_lonlat)
    shapely.prepare(boundary)
    area_m2 = float(boundary.area)
    xy, seg_uv, is_street, is_inter, seg_way = _ways_arrays(ex, proj, rules)
    features = [(f, _feature_geometry(f, proj)) for f in ex.features]
    homes = read_residents(Path(residents_path), proj, boundary) if residents_path else _homes_from_extract(features, boundary, rules)
    if not homes.geoms or float(np.sum(homes.weights)) <= 0:
        raise InputInvalid(
            [
                issue(
                    boundary_source,
                    "no-homes",
                    N_(
                        "no homes were found inside the boundary (no residential buildings or address points in the extract there); check "
                        "the boundary, or give the homes with --residents FILE"
                    ),
                )
            ]
        )
    green = _green_polygons(features, rules)
    sets = _matches(features, rules)
    green_sets = sorted({t.green_min_ha for m in rules.measures for t in m.targets if t.green_min_ha is not None})
    # sites: homes first, then destination features, then green spaces
    dest_idx = sorted({i for v in sets.values() for i in v})
    sites = list(homes.geoms) + [features[i][1] for i in dest_idx] + list(green)
    n_homes = len(homes.geoms)
    site_of_feature = {fi: n_homes + k for k, fi in enumerate(dest_idx)}
    green_site0 = n_homes + len(dest_idx)
    graph = build_graph(xy, seg_uv, sites, rules.walking.access_radius_m, seg_way)
    limit = _distance_limit(rules) + 1.0
    dist: dict[str, np.ndarray] = {}
    for key, members in sets.items():
        dist[key] = distances_from(graph, [site_of_feature[i] for i in members], limit)[:n_homes]
    for ha in green_sets:
        big = [green_site0 + k for k, g in enumerate(green) if g.area >= ha * M2_PER_HA]
        dist[f"green:{ha:g}"] = distances_from(graph, big, limit)[:n_homes]
    for cat in rules.categories:
        keys = [f"use:{u.id}" for u in rules.uses if u.category == cat.id]
        dist[f"category:{cat.id}"] = np.min([dist[k] for k in keys], axis=0) if keys else np.full(n_homes, np.inf)
    w = homes.weights
    connected = int(np.sum(graph.site_node[:n_homes] >= 0))
    # streets and intersections inside the boundary
    lines = segment_lines(xy, seg_uv)
    street_uv, _ = unique_segments(seg_uv[is_street], np.zeros(int(is_street.sum())))
    street_lines = segment_lines(xy, street_uv)
    inter_uv, _ = unique_segments(seg_uv[is_inter], np.zeros(int(is_inter.sum())))
    nodes_inter = ind.intersection_nodes(inter_uv, len(xy))
    inside_nodes = shapely.contains_xy(boundary, xy[nodes_inter, 0], xy[nodes_inter, 1]) if len(nodes_inter) else np.zeros(0, dtype=bool)
    n_inter = int(np.sum(inside_nodes))
    street_inside_km = float(np.sum(shapely.length(shapely.intersection(street_lines, boundary)))) / 1000.0 if len(street_lines) else 0.0
    green_inside = float(sum(shapely.intersection(g, boundary).area for g in green))
    measures = []
    for m in rules.measures:
        value = _measure_value(m, dist, w, rules, area_m2, street_lines, boundary, n_inter, green_inside, population)
        measures.append(MeasuredValue(id=m.id, name=m.name.en, unit=m.unit, value=_round(value), indicator=m.indicator, source=m.source))
    cats = []
    for cat in rules.categories:
        members = {i for u in rules.uses if u.category == cat.id for i in sets[f"use:{u.id}"]}
        joined = sum(1 for i in members if graph.site_node[site_of_feature[i]] >= 0)
        cats.append(
            CategoryAccess(
                id=cat.id,
                name=cat.name.en,
                colour=cat.colour,
                destinations=joined,
                share_pct={
                    lc.id: _round(ind.share_within_pct(dist[f"category:{cat.id}"] <= lc.distance_m, w)) for lc in rules.life_circles
                },
            )
        )
    date, basis = extract_date(ex)
    warnings = _warnings(ex, boundary_lonlat, proj, boundary, limit, n_homes, connected, dest_idx, graph, site_of_feature)
    north = grid_north_deg(c.x, c.y, proj.epsg)
    map_layers = _map_layers(boundary, lines, features, sets, rules, homes, dist, w, green, north)
    bbox = ex.bbox()
    note = source_note(name, date, basis, ex.synthetic)
    return AccessMeasurement(
        toolkit_version=__version__,
        rules_file=rules.file,
        rules_version=rules.version,
        rules_digest=rules.digest,
        extract=ExtractInfo(
            file_name=name,
            sha256=ex.sha256,
            date=date,
            date_basis=basis,
            generator=ex.generator,
            synthetic=ex.synthetic,
            attribution=SYNTHETIC_ATTRIBUTION if ex.synthetic else OSM_ATTRIBUTION,
            bbox=tuple(round(v, 7) for v in bbox),
        ),
        boundary=BoundaryInfo(
            source=boundary_source,
            area_ha=_round(area_m2 / M2_PER_HA),
            centroid_lon=round(c.x, 6),
            centroid_lat=round(c.y, 6),
            crs=f"EPSG:{proj.epsg}",
        ),
        residents=ResidentsInfo(source=homes.source, features=n_homes, connected=connected, weight=homes.weight),
        network=NetworkInfo(
            nodes=len(xy),
            segments=graph.n_segments,
            walkable_km=_round(
                float(np.sum(shapely.length(segment_lines(xy, unique_segments(seg_uv, np.zeros(len(seg_uv)))[0])))) / 1000.0
            ),
            street_km_inside=_round(street_inside_km),
            intersections_inside=n_inter,
        ),
        walking_speed_m_per_s=rules.walking.speed_m_per_s,
        access_radius_m=rules.walking.access_radius_m,
        life_circles={lc.id: lc.distance_m for lc in rules.life_circles},
        measures=measures,
        categories=cats,
        source_note=note,
        warnings=warnings,
        map=map_layers,
    )


def _round(v: float | None, sig: int = 6) -> float | None:
    """Six significant figures: the results JSON stays the same across platforms' last-bit differences."""
    if v is None or v == 0 or not math.isfinite(v):
        return v
    return float(f"{v:.{sig}g}")


def _measure_value(m, dist, w, rules: AccessRules, area_m2, street_lines, boundary, n_inter, green_inside, population) -> float | None:
    if m.kind == "share_within":
        return ind.share_within_pct(ind.reached_targets(dist, [(t.key, t.distance_m) for t in m.targets], m.all), w)
    if m.kind == "median_count":
        keys = [f"use:{u.id}" for u in rules.uses] if m.count == "uses" else [f"category:{c.id}" for c in rules.categories]
        return ind.median_count(ind.count_within(dist, keys, m.distance_m), w)
    if m.kind == "street_density":
        return ind.street_density_km_per_km2(street_lines, boundary, area_m2)
    if m.kind == "intersection_density":
        return ind.per_km2(n_inter, area_m2)
    return ind.green_m2_per_resident(green_inside, population)


def source_note(extract_name: str, date: str | None, basis: str, synthetic: bool) -> str:
    """The note beside each measured value: what it was measured from, as of when, and by which toolkit version."""
    when = {
        "header": f"data of {date} (file header)",
        "newest_object": f"newest edit {date} (no date in the file header)",
        "file_modified": f"file modified {date} (no date in the file)",
    }.get(basis, "date unknown")
    kind = "synthetic extract" if synthetic else "OpenStreetMap extract"
    return f"Measured by nzn {__version__} along the walking network of the {kind} {extract_name}, {when}"


def _warnings(ex, boundary_lonlat, proj, boundary, limit, n_homes, connected, dest_idx, graph, site_of_feature) -> list[Notice]:
    from shapely.geometry import box

    out = []
    covered = proj.geometry(box(*ex.bbox()))
    if not covered.contains(boundary.buffer(limit)):
        out.append(notice("extract-edge", distance=int(round(limit - 1))))
    if connected < n_homes:
        out.append(notice("homes-not-connected", n=n_homes - connected, total=n_homes))
    lost = sum(1 for i in dest_idx if graph.site_node[site_of_feature[i]] < 0)
    if lost:
        out.append(notice("destinations-not-connected", n=lost, total=len(dest_idx)))
    return out


def _map_layers(boundary, lines, features, sets, rules: AccessRules, homes: Homes, dist, w, green, north) -> MapLayers:
    import shapely

    view = boundary.buffer(MAP_MARGIN_M)
    near = shapely.intersects(lines, view)
    segs = [tuple(round(float(v), 1) for v in np.asarray(ln.coords).ravel()[:4]) for ln in lines[near]]
    first_cat: dict[int, str] = {}
    for u in rules.uses:
        for i in sets[f"use:{u.id}"]:
            first_cat.setdefault(i, u.category)
    dests = []
    for i, cat in sorted(first_cat.items()):
        p = features[i][1].representative_point() if features[i][0].polygon else features[i][1]
        if view.contains(p):
            dests.append((round(p.x, 1), round(p.y, 1), cat))
    lc = rules.life_circle(rules.map.life_circle)
    counts = ind.count_within(dist, [f"category:{c.id}" for c in rules.categories], lc.distance_m)
    res = []
    for g, n in zip(homes.geoms, counts):
        p = g.representative_point() if g.geom_type != "Point" else g
        res.append((round(p.x, 1), round(p.y, 1), int(n)))

    def rings(geom) -> list[list[tuple[float, float]]]:
        out = []
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type == "Polygon":
                out.append([(round(x, 1), round(y, 1)) for x, y in poly.exterior.coords])
        return out

    green_rings = [r for g in green if g.intersects(view) for r in rings(g.intersection(view))]
    return MapLayers(
        boundary=rings(boundary),
        segments=segs,
        destinations=dests,
        green=green_rings,
        residents=res,
        categories=len(rules.categories),
        north_deg=north,
    )
