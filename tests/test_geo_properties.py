"""Invariants of the access measures on generated street grids (hypothesis).

A larger walking distance never lowers a share; adding a destination never lowers one; removing a street never
raises one. They hold because a site joins every way within the access radius (assessment/geo/network.py):
removing a way only removes paths.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from assessment.geo import indicators as ind
from assessment.geo.network import build_graph, distances_from

RADIUS = 50.0
BLOCK = 100.0


def grid(n: int, removed: frozenset[int] = frozenset()):
    """An n x n grid of 100 m blocks: ways 0..n are east-west streets, n+1..2n+1 north-south, nodes every 50 m."""
    index: dict[tuple[float, float], int] = {}
    nodes, seg, way = [], [], []

    def node(p):
        if p not in index:
            index[p] = len(nodes)
            nodes.append(p)
        return index[p]

    steps = [k * BLOCK / 2 for k in range(2 * n + 1)]
    for w in range(2 * (n + 1)):
        if w in removed:
            continue
        line = w if w <= n else w - n - 1
        pts = [(s, line * BLOCK) for s in steps] if w <= n else [(line * BLOCK, s) for s in steps]
        ids = [node(p) for p in pts]
        seg += list(zip(ids, ids[1:]))
        way += [w] * (len(ids) - 1)
    return np.array(nodes, dtype=float).reshape(-1, 2), np.array(seg).reshape(-1, 2), np.array(way)


coords = st.tuples(st.floats(0, 400), st.floats(0, 400))
case = st.fixed_dictionaries(
    {
        "homes": st.lists(coords, min_size=1, max_size=8),
        "weights": st.lists(st.floats(0.5, 10), min_size=8, max_size=8),
        "shops": st.lists(coords, min_size=1, max_size=4),
        "extra": coords,
        "distance": st.floats(50, 900),
        "more": st.floats(0, 500),
        "removed": st.integers(0, 9),
    }
)


def shares(homes, weights, shops, distance, removed=frozenset(), n=4):
    """Share of weight within ``distance`` of a shop, and the weighted median count of shops (as kinds) within it."""
    xy, seg, way = grid(n, removed)
    sites = [Point(h) for h in homes] + [Point(s) for s in shops]
    g = build_graph(xy, seg, sites, RADIUS, way)
    k = len(homes)
    w = np.array(weights[:k])
    dist = {f"use:{i}": distances_from(g, [k + i], 5000.0)[:k] for i in range(len(shops))}
    nearest = np.min(list(dist.values()), axis=0)
    share = ind.share_within_pct(nearest <= distance, w)
    median = ind.median_count(ind.count_within(dist, list(dist), distance), w)
    return share, median


@settings(max_examples=40, deadline=None)
@given(case)
def test_a_larger_distance_never_lowers_a_share(c):
    s1, m1 = shares(c["homes"], c["weights"], c["shops"], c["distance"])
    s2, m2 = shares(c["homes"], c["weights"], c["shops"], c["distance"] + c["more"])
    assert s2 >= s1 and m2 >= m1


@settings(max_examples=40, deadline=None)
@given(case)
def test_adding_a_destination_never_lowers_a_share(c):
    s1, m1 = shares(c["homes"], c["weights"], c["shops"], c["distance"])
    s2, m2 = shares(c["homes"], c["weights"], [*c["shops"], c["extra"]], c["distance"])
    assert s2 >= s1 and m2 >= m1


@settings(max_examples=40, deadline=None)
@given(case)
def test_removing_a_street_never_raises_a_share(c):
    s1, m1 = shares(c["homes"], c["weights"], c["shops"], c["distance"])
    s2, m2 = shares(c["homes"], c["weights"], c["shops"], c["distance"], removed=frozenset({c["removed"]}))
    assert s2 <= s1 and m2 <= m1
