"""The walking network as a weighted graph in metres, the sites joined to it, and multi-source shortest distances.

Everything here works in a local metric projection (x, y in metres), so it can be tested on a network drawn
by hand. A *site* (a home, a destination, a green space) joins the network within the access radius at the cost of the
straight-line distance: a point joins each walkable way once, at the way's point nearest to it; a polygon (a
building, a park) joins every straight piece of a way that is as near to it as the way's nearest piece (within
:data:`FRONTAGE_TOLERANCE_M`), each at its point nearest to the polygon, so a park along a street is reached
from the whole stretch of street it fronts. A segment with joins is split there. Distances are shortest paths over this graph
(Dijkstra's algorithm, ``scipy.sparse.csgraph.dijkstra`` from many sources at once, ``min_only``), so the
distance from a home to a kind of destination is the walk to the nearest one of that kind.

Joining at every segment within a fixed radius (rather than the nearest segment only) keeps the measures
monotone: removing a street only removes paths, so no distance falls and no share rises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A polygon joins every piece of a way no farther from it than the way's nearest piece plus this [m]: the stretch of
#: street it fronts (the toolkit's choice; one metre absorbs the kinks of a mapped kerb line).
FRONTAGE_TOLERANCE_M = 1.0
#: Weight of a zero-length edge: scipy's sparse graphs drop explicit zeros, so a zero length is stored as this [m].
EPSILON_M = 1e-6


@dataclass(frozen=True)
class Graph:
    """Walkable graph: ``csr`` is the sparse adjacency (metres), ``site_node`` the graph node of each site (-1: not joined)."""

    csr: object
    n_nodes: int
    n_base_nodes: int
    n_segments: int
    site_node: np.ndarray


def unique_segments(seg_uv: np.ndarray, lengths: np.ndarray, seg_way: np.ndarray | None = None):
    """Segments without repeats (the same two nodes from two ways: the first is kept) and without loops, lower node first;
    with ``seg_way``, also the way of each kept segment."""
    way = np.zeros(len(seg_uv), dtype=np.int64) if seg_way is None else seg_way
    if len(seg_uv) == 0:
        out = (seg_uv.reshape(0, 2), lengths)
        return out if seg_way is None else (*out, way)
    a = np.minimum(seg_uv[:, 0], seg_uv[:, 1])
    b = np.maximum(seg_uv[:, 0], seg_uv[:, 1])
    keep = a != b
    pairs = np.stack([a[keep], b[keep]], axis=1)
    pairs, idx = np.unique(pairs, axis=0, return_index=True)
    out = (pairs, lengths[keep][idx])
    return out if seg_way is None else (*out, way[keep][idx])


def segment_lines(node_xy: np.ndarray, seg_uv: np.ndarray):
    """One shapely LineString per segment."""
    import shapely

    coords = np.stack([node_xy[seg_uv[:, 0]], node_xy[seg_uv[:, 1]]], axis=1)
    return shapely.linestrings(coords)


def build_graph(node_xy: np.ndarray, seg_uv: np.ndarray, sites: list, radius_m: float, seg_way: np.ndarray | None = None) -> Graph:
    """The walking graph with every site joined to each way within ``radius_m`` [m].

    ``node_xy``: (N, 2) node positions [m]; ``seg_uv``: (M, 2) node indices of the segments (straight pieces of
    walkable ways); ``sites``: shapely geometries [m] (points or polygons); ``seg_way``: the way each segment
    belongs to (default: each segment is a way of its own). A site joins each way within the radius once, at the
    point of that way nearest to it, at the cost of their distance (0 for a way that crosses a polygon).
    """
    import shapely
    from scipy.sparse import coo_matrix

    node_xy = np.asarray(node_xy, dtype=float)
    seg_uv = np.asarray(seg_uv, dtype=np.int64).reshape(-1, 2)
    seg_way = np.arange(len(seg_uv)) if seg_way is None else np.asarray(seg_way, dtype=np.int64)
    lengths = np.hypot(*(node_xy[seg_uv[:, 1]] - node_xy[seg_uv[:, 0]]).T) if len(seg_uv) else np.zeros(0)
    seg_uv, lengths, seg_way = unique_segments(seg_uv, lengths, seg_way)
    n = len(node_xy)
    lines = segment_lines(node_xy, seg_uv)
    site_geoms = np.array(sites, dtype=object) if sites else np.zeros(0, dtype=object)
    if len(site_geoms) and len(lines):
        tree = shapely.STRtree(lines)
        site_idx, seg_idx = tree.query(site_geoms, predicate="dwithin", distance=radius_m)
    else:
        site_idx = seg_idx = np.zeros(0, dtype=np.int64)
    offset = shapely.distance(site_geoms[site_idx], lines[seg_idx]) if len(site_idx) else np.zeros(0)
    # a point joins each way once, at the way's nearest segment (ties: the lower segment index); a polygon joins every
    # segment within the radius, since a street along a park is equally near it all the way along
    order = np.lexsort((seg_idx, offset, seg_way[seg_idx], site_idx))
    site_idx, seg_idx, offset = site_idx[order], seg_idx[order], offset[order]
    if len(site_idx):
        is_point = shapely.get_type_id(site_geoms[site_idx]) == 0
        first = np.r_[True, (site_idx[1:] != site_idx[:-1]) | (seg_way[seg_idx[1:]] != seg_way[seg_idx[:-1]])]
        group = np.cumsum(first) - 1  # one group per (site, way), sorted by offset within it
        nearest = offset[first][group]
        keep = first | (~is_point & (offset <= nearest + FRONTAGE_TOLERANCE_M))
        site_idx, seg_idx, offset = site_idx[keep], seg_idx[keep], offset[keep]
    # where each site meets each segment: the segment's point nearest to the site
    if len(site_idx):
        nearest = shapely.shortest_line(site_geoms[site_idx], lines[seg_idx])
        on_seg = shapely.get_point(nearest, 1)
        t = shapely.line_locate_point(lines[seg_idx], on_seg)  # metres along the segment from its first node
    else:
        t = np.zeros(0)
    n_links = len(site_idx)
    link_node = n + np.arange(n_links)
    # the site nodes: one per site that reaches any segment
    joined = np.unique(site_idx)
    site_node = np.full(len(site_geoms), -1, dtype=np.int64)
    site_node[joined] = n + n_links + np.arange(len(joined))
    total = n + n_links + len(joined)
    rows, cols, weights = [], [], []
    # segments without a link keep their single edge; a segment with links is a chain u - l1 - l2 ... - v
    has_link = np.zeros(len(seg_uv), dtype=bool)
    has_link[seg_idx] = True
    plain = ~has_link
    rows.append(seg_uv[plain, 0])
    cols.append(seg_uv[plain, 1])
    weights.append(lengths[plain])
    if n_links:
        by_seg = np.lexsort((t, seg_idx))
        s_sorted, t_sorted, l_sorted = seg_idx[by_seg], t[by_seg], link_node[by_seg]
        first = np.r_[True, s_sorted[1:] != s_sorted[:-1]]
        last = np.r_[s_sorted[1:] != s_sorted[:-1], True]
        # u -> first link of each segment
        rows.append(seg_uv[s_sorted[first], 0])
        cols.append(l_sorted[first])
        weights.append(t_sorted[first])
        # consecutive links on the same segment
        inner = ~last
        rows.append(l_sorted[inner])
        cols.append(l_sorted[1:][inner[:-1]] if len(l_sorted) > 1 else l_sorted[:0])
        weights.append((t_sorted[1:] - t_sorted[:-1])[inner[:-1]] if len(t_sorted) > 1 else t_sorted[:0])
        # last link -> v
        rows.append(l_sorted[last])
        cols.append(seg_uv[s_sorted[last], 1])
        weights.append(lengths[s_sorted[last]] - t_sorted[last])
        # site -> each of its links, at the straight-line distance
        rows.append(site_node[site_idx])
        cols.append(link_node)
        weights.append(offset)
    r = np.concatenate(rows).astype(np.int64)
    c = np.concatenate(cols).astype(np.int64)
    w = np.maximum(np.concatenate(weights).astype(float), EPSILON_M)
    one_way = coo_matrix((w, (r, c)), shape=(total, total)).tocsr()  # no pair repeats: each edge is stored once
    csr = (one_way + one_way.T).tocsr()  # both directions, so Dijkstra runs on it as a directed graph without a copy
    return Graph(csr=csr, n_nodes=total, n_base_nodes=n, n_segments=len(seg_uv), site_node=site_node)


def distances_from(graph: Graph, source_sites, limit_m: float) -> np.ndarray:
    """Walking distance [m] from every site to the nearest of ``source_sites`` (inf beyond ``limit_m`` or unreachable)."""
    from scipy.sparse.csgraph import dijkstra

    src = graph.site_node[np.asarray(source_sites, dtype=np.int64)] if len(source_sites) else np.zeros(0, dtype=np.int64)
    src = np.unique(src[src >= 0])
    out = np.full(len(graph.site_node), np.inf)
    if len(src) == 0:
        return out
    d = dijkstra(graph.csr, directed=True, indices=src, min_only=True, limit=limit_m)
    joined = graph.site_node >= 0
    out[joined] = d[graph.site_node[joined]]
    return out
