"""Walking access on a tiny network drawn by hand: every expected distance and share is worked out in the comments.

The network (metres, x east, y north):

    street A (way 0): (0, 0) -> (1000, 0), a node every 100 m
    street B (way 1): (500, 0) -> (500, 600), a node every 100 m, meeting A at (500, 0)

    homes    H1 (100, 20)   20 m north of A     weight 1
             H2 (900, -30)  30 m south of A     weight 1
             H3 (520, 400)  20 m east of B      weight 2
    shop     S  (300, 10)   10 m north of A
    clinic   C  (500, 640)  40 m north of B's end

Every home and destination is within the 50 m access radius of one street only, so each walk is the offset to
the street, along the streets, and the offset to the destination.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from assessment.errors import InputInvalid, MethodError
from assessment.geo import indicators as ind
from assessment.geo.boundary import check_against_extract, checked_polygon, parse_boundary_text, read_boundary
from assessment.geo.network import build_graph, distances_from
from assessment.geo.rules import AccessRules, check_against_method, load_rules
from assessment.model.method import load_method

RADIUS = 50.0


def street(x0, y0, x1, y1, step=100.0):
    n = int(round(math.hypot(x1 - x0, y1 - y0) / step))
    return [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n + 1)]


def network(extra_ways=()):
    """Node positions, segments and the way of each segment for streets A and B (and any extra ways)."""
    nodes: list[tuple[float, float]] = []
    index: dict[tuple[float, float], int] = {}
    seg, way = [], []
    for w, pts in enumerate([street(0, 0, 1000, 0), street(500, 0, 500, 600), *extra_ways]):
        ids = []
        for p in pts:
            if p not in index:
                index[p] = len(nodes)
                nodes.append(p)
            ids.append(index[p])
        for a, b in zip(ids, ids[1:]):
            seg.append((a, b))
            way.append(w)
    return np.array(nodes), np.array(seg), np.array(way)


HOMES = [Point(100, 20), Point(900, -30), Point(520, 400)]
WEIGHTS = np.array([1.0, 1.0, 2.0])
SHOP, CLINIC = Point(300, 10), Point(500, 640)


def walk(destinations, extra_ways=(), homes=HOMES):
    xy, seg, way = network(extra_ways)
    g = build_graph(xy, seg, [*homes, *destinations], RADIUS, way)
    return g, len(homes)


def test_walking_distances_follow_the_streets():
    g, n = walk([SHOP, CLINIC])
    to_shop = distances_from(g, [n], 5000)[:n]
    to_clinic = distances_from(g, [n + 1], 5000)[:n]
    # H1 -> S: 20 + (300 - 100) + 10 = 230; H2 -> S: 30 + (900 - 300) + 10 = 640; H3 -> S: 20 + 400 down B + 200 along A + 10 = 630
    np.testing.assert_allclose(to_shop, [230.0, 640.0, 630.0], atol=1e-6)
    # H1 -> C: 20 + 400 + 600 + 40 = 1060; H2 -> C: 30 + 400 + 600 + 40 = 1070; H3 -> C: 20 + 200 up B + 40 = 260
    np.testing.assert_allclose(to_clinic, [1060.0, 1070.0, 260.0], atol=1e-6)


def test_two_sites_on_one_street_piece_walk_along_it():
    """A home and a shop on the same 100 m piece of A: 5 + 30 + 5 = 40 m, not round either end of the piece."""
    g, n = walk([Point(180, 5)], homes=[Point(150, 5)])
    assert distances_from(g, [n], 5000)[0] == pytest.approx(40.0)


def test_beyond_the_access_radius_a_site_is_not_joined():
    """A home 60 m from every street (radius 50 m) reaches nothing: its distance is infinite."""
    g, n = walk([SHOP], homes=[Point(100, 60)])
    assert g.site_node[0] == -1
    assert math.isinf(distances_from(g, [n], 5000)[0])


def test_a_park_is_reached_from_the_stretch_of_street_it_fronts():
    """A 1 ha park (600..700, 20..120) fronts 100 m of A at 20 m; H2 at x = 900 walks 30 + (900 - 700) + 20 = 250 m,
    to the park's corner nearest to it, not 350 m to the far corner."""
    park = Polygon([(600, 20), (700, 20), (700, 120), (600, 120)])
    g, n = walk([park])
    d = distances_from(g, [n], 5000)[:n]
    # H1: 20 + (600 - 100) + 20 = 540; H3: 20 + 400 + 100 + 20 = 540
    np.testing.assert_allclose(d, [540.0, 250.0, 540.0], atol=1e-6)


def test_distance_limit():
    g, n = walk([SHOP])
    d = distances_from(g, [n], 635.0)[:n]
    assert d[0] == pytest.approx(230.0) and d[2] == pytest.approx(630.0) and math.isinf(d[1])  # 640 m is past the limit


def test_shares_within_a_distance():
    g, n = walk([SHOP, CLINIC])
    dist = {"use:shop": distances_from(g, [n], 5000)[:n], "use:clinic": distances_from(g, [n + 1], 5000)[:n]}
    # within 300 m of the shop: H1 only, weight 1 of 4 -> 25 %
    assert ind.share_within_pct(ind.reached_targets(dist, [("use:shop", 300.0)], False), WEIGHTS) == pytest.approx(25.0)
    # within 635 m: H1 (230) and H3 (630), weights 1 + 2 of 4 -> 75 %; within 650 m every home -> 100 %
    assert ind.share_within_pct(dist["use:shop"] <= 635.0, WEIGHTS) == pytest.approx(75.0)
    assert ind.share_within_pct(dist["use:shop"] <= 650.0, WEIGHTS) == pytest.approx(100.0)
    # both the shop and the clinic within 1,000 m: only H3 (630, 260), weight 2 of 4 -> 50 %
    both = ind.reached_targets(dist, [("use:shop", 1000.0), ("use:clinic", 1000.0)], True)
    assert ind.share_within_pct(both, WEIGHTS) == pytest.approx(50.0)
    # the shop within 300 m or the clinic within 300 m: H1 (230) and H3 (260) -> 75 %
    either = ind.reached_targets(dist, [("use:shop", 300.0), ("use:clinic", 300.0)], False)
    assert ind.share_within_pct(either, WEIGHTS) == pytest.approx(75.0)


def test_median_count_of_kinds_reached():
    g, n = walk([SHOP, CLINIC])
    dist = {"use:shop": distances_from(g, [n], 5000)[:n], "use:clinic": distances_from(g, [n + 1], 5000)[:n]}
    counts = ind.count_within(dist, ["use:shop", "use:clinic"], 300.0)
    # within 300 m: H1 the shop (1), H2 nothing (0), H3 the clinic (1)
    assert counts.tolist() == [1, 0, 1]
    # homes with at least 1 kind hold 3 of 4 weight (>= half); with at least 2, none: the count is 1
    assert ind.median_count(counts, WEIGHTS) == 1.0
    # within 1,100 m H1 reaches both (230, 1060), H2 the shop only (640, 1070), H3 both: at least 2 for weights 1 + 2 of 4
    assert ind.median_count(ind.count_within(dist, ["use:shop", "use:clinic"], 1100.0), WEIGHTS) == 2.0
    # exactly half the weight at the higher count still counts (LEED: 50 % of the dwelling units)
    assert ind.median_count(np.array([3, 1]), np.array([1.0, 1.0])) == 3.0
    assert ind.median_count(np.array([], dtype=int), np.array([])) is None


def test_street_and_intersection_density():
    xy, seg, _way = network()
    lines = [LineString([xy[a], xy[b]]) for a, b in seg]
    area = box(-100, -100, 1100, 700)  # 1,200 x 800 m = 0.96 km2
    # streets inside: A 1,000 m + B 600 m = 1.6 km over 0.96 km2 = 1.667 km/km2
    assert ind.street_density_km_per_km2(lines, area, area.area) == pytest.approx(1.6 / 0.96)
    # one node where three pieces meet: (500, 0), where B leaves A; 1 / 0.96 km2 = 1.04 per km2
    nodes = ind.intersection_nodes(seg, len(xy))
    assert [tuple(xy[i]) for i in nodes] == [(500.0, 0.0)]
    assert ind.per_km2(len(nodes), area.area) == pytest.approx(1 / 0.96)
    # the west part (x -100..500, 0.48 km2) holds 500 m of A; B runs along its east edge and counts half (it serves both
    # sides): (500 + 600 / 2) m = 0.8 km over 0.48 km2 = 1.667 km/km2
    west = box(-100, -100, 500, 700)
    assert ind.street_density_km_per_km2(lines, west, west.area) == pytest.approx(0.8 / 0.48)


def test_green_per_resident():
    # 1 ha of public green inside for 500 residents: 10,000 / 500 = 20 m2 per person
    assert ind.green_m2_per_resident(10_000.0, 500) == pytest.approx(20.0)
    assert ind.green_m2_per_resident(10_000.0, None) is None


def test_no_weight_no_share():
    assert ind.share_within_pct(np.array([True]), np.array([0.0])) is None


# --------------------------------------------------------------------------- the rules (modules/osm_access.toml)


def test_shipped_rules_fill_reported_indicators_in_their_units():
    rules = load_rules()
    check_against_method(rules, load_method())
    filled = {m.indicator for m in rules.measures if m.indicator}
    assert filled == {"m03_life_circle_coverage", "m03_diverse_uses", "m05_transit_access", "m05_street_density", "m07_green_access"}
    # GB 50180-2018 life circles: 300 / 500 / 1,000 m; SDG 11.2.1: 500 m to a stop, 1,000 m to a station; WHO: 300 m to 0.5 ha
    assert {lc.id: lc.distance_m for lc in rules.life_circles} == {"5min": 300.0, "10min": 500.0, "15min": 1000.0}
    transit = next(m for m in rules.measures if m.id == "transit_sdg_11_2_1")
    assert [(t.use, t.distance_m) for t in transit.targets] == [("bus_tram_stop", 500.0), ("rail_station", 1000.0)]
    green = next(m for m in rules.measures if m.id == "green_300m")
    assert [(t.green_min_ha, t.distance_m) for t in green.targets] == [(0.5, 300.0)]
    # the guide's eight categories, each with at least one kind of destination
    assert [c.id for c in rules.categories] == [
        "food",
        "healthcare",
        "education",
        "workspace",
        "administrative",
        "culture_sport",
        "green_space",
        "public_transport",
    ]
    assert {u.category for u in rules.uses} == {c.id for c in rules.categories}
    # 1,000 m at 1.2 m/s is 13.9 minutes
    assert rules.minutes(1000.0) == pytest.approx(1000 / 1.2 / 60)


def _raw():
    import tomllib

    from assessment.paths import modules_dir

    return tomllib.loads((modules_dir() / "osm_access.toml").read_text(encoding="utf-8"))


def test_rules_refuse_unknown_references():
    raw = _raw()
    raw["uses"][0]["category"] = "nowhere"
    with pytest.raises(ValueError, match="unknown category nowhere"):
        AccessRules.model_validate(raw)
    raw = _raw()
    raw["measures"][0]["targets"][0] = {"use": "spaceport", "distance_m": 100.0}
    with pytest.raises(ValueError, match="unknown use spaceport"):
        AccessRules.model_validate(raw)
    raw = _raw()
    raw["uses"][0]["tags"] = ["shop"]
    with pytest.raises(ValueError, match="key=value or key"):
        AccessRules.model_validate(raw)


def test_rules_refuse_a_computed_or_wrong_unit_indicator():
    raw = _raw()
    raw["measures"][0]["indicator"] = "m03_population_density"  # computed by a formula
    with pytest.raises(MethodError, match="computed by the formula"):
        check_against_method(AccessRules.model_validate(raw), load_method())
    raw = _raw()
    next(m for m in raw["measures"] if m["id"] == "street_density")["indicator"] = "m07_green_access"  # % , not km/km2
    raw["measures"] = [m for m in raw["measures"] if m["id"] != "green_300m"]
    with pytest.raises(MethodError, match="is in %"):
        check_against_method(AccessRules.model_validate(raw), load_method())


def test_a_method_folder_may_carry_its_own_rules(tmp_path):
    import shutil

    from assessment.paths import modules_dir

    shutil.copytree(modules_dir(), tmp_path / "m")
    text = (tmp_path / "m" / "osm_access.toml").read_text(encoding="utf-8").replace("speed_m_per_s = 1.2", "speed_m_per_s = 1.0")
    (tmp_path / "m" / "osm_access.toml").write_text(text, encoding="utf-8")
    assert load_rules(tmp_path / "m").walking.speed_m_per_s == 1.0
    assert load_rules().walking.speed_m_per_s == 1.2


# --------------------------------------------------------------------------- boundaries


def test_boundary_forms(tmp_path):
    wkt = "POLYGON((24.94 60.166, 24.948 60.166, 24.948 60.172, 24.94 60.172, 24.94 60.166))"
    pairs = "24.94 60.166, 24.948 60.166, 24.948 60.172, 24.94 60.172"
    semi = "24.94,60.166; 24.948,60.166; 24.948,60.172; 24.94,60.172"
    geoms = [parse_boundary_text(t, "Profile!B29") for t in (wkt, pairs, semi)]
    assert all(g.equals(geoms[0]) for g in geoms)
    feature = tmp_path / "b.geojson"
    coords = [[24.94, 60.166], [24.948, 60.166], [24.948, 60.172], [24.94, 60.172], [24.94, 60.166]]
    feature.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": ['
        + str(coords)
        + "]}}]}"
    )
    assert read_boundary(feature).equals(geoms[0])
    wkt_file = tmp_path / "b.wkt"
    wkt_file.write_text(wkt)
    assert read_boundary(wkt_file).equals(geoms[0])


@pytest.mark.parametrize(
    "text, code",
    [
        ("POINT(24.9 60.1)", "not-polygon"),
        ("POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "invalid-polygon"),  # a bow tie crosses itself
        ("POLYGON((385000 6672000, 386000 6672000, 386000 6673000, 385000 6672000))", "projected-crs"),
        ("24.9 60.1, 25.0 60.1", "too-few-points"),
        ("POLYGON((1 2, 3", "bad-wkt"),
        ("north of the river", "bad-wkt"),
        ("1 2, three four, 5 6", "bad-coordinates"),
    ],
)
def test_boundary_refusals(text, code):
    with pytest.raises(InputInvalid) as exc:
        parse_boundary_text(text, "Profile!B29")
    assert exc.value.issues[0].code == code
    assert exc.value.issues[0].where == "Profile!B29"


def test_geojson_refusals(tmp_path):
    cases = {
        "empty.geojson": ("", "empty-file"),
        "broken.geojson": ("{not json", "bad-json"),
        "line.geojson": ('{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', "not-polygon"),
        "crs.geojson": (
            '{"type": "Polygon", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3067"}}, '
            '"coordinates": [[[385000, 6672000], [386000, 6672000], [386000, 6673000], [385000, 6672000]]]}',
            "projected-crs",
        ),
    }
    for name, (text, code) in cases.items():
        p = tmp_path / name
        p.write_text(text)
        with pytest.raises(InputInvalid) as exc:
            read_boundary(p)
        assert exc.value.issues[0].code == code, name
    with pytest.raises(InputInvalid) as exc:
        read_boundary(tmp_path / "missing.geojson")
    assert exc.value.issues[0].code == "not-found"


def test_swapped_coordinates_are_named():
    """Helsinki's extract covers lon 24.935-24.953, lat 60.164-60.179; a boundary typed lat, lon lies at 'lon 60, lat 24'."""
    bbox = (24.9351762, 60.164155, 24.9534145, 60.179113)
    swapped = checked_polygon(Polygon([(60.166, 24.94), (60.166, 24.948), (60.172, 24.948), (60.172, 24.94)]), "b")
    with pytest.raises(InputInvalid) as exc:
        check_against_extract(swapped, bbox, "b.geojson", "Helsinki.osm.pbf")
    assert exc.value.issues[0].code == "lat-lon-swapped"
    far = checked_polygon(box(2.0, 48.0, 2.1, 48.1), "b")  # Paris
    with pytest.raises(InputInvalid) as exc:
        check_against_extract(far, bbox, "b.geojson", "Helsinki.osm.pbf")
    assert exc.value.issues[0].code == "outside-extract"
