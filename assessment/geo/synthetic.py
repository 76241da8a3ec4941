"""Generated street grids written as OSM files: the benchmark's 4 km² grid and the harbourside sample's extract.

Clearly not OpenStreetMap data: the file header's generator is ``nzn synthetic ...``, which the map page prints
instead of the OpenStreetMap attribution. Deterministic: the same arguments give the same file.

Positions are laid out in metres east and north of an origin and turned into degrees on a sphere of the
WGS84 equatorial radius (1 degree of latitude = 111,320 m; of longitude, that times cos(latitude)); the
measurement then projects them to UTM, so a generated length reads within about 0.5 % of its nominal value.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from assessment.geo.extract import SYNTHETIC_GENERATOR

M_PER_DEG_LAT = 111_320.0
#: Edit time stamped on every object and in the header, so the file is the same on every run.
STAMP = "2025-01-01T00:00:00Z"

#: What a block frontage may hold, with its tags (uses the access rules know), in a fixed rotation.
SHOPS = (
    {"shop": "supermarket", "name": "Grocer"},
    {"amenity": "cafe"},
    {"amenity": "pharmacy"},
    {"amenity": "doctors"},
    {"amenity": "kindergarten"},
    {"shop": "convenience"},
    {"amenity": "restaurant"},
    {"office": "company"},
    {"amenity": "bank"},
    {"shop": "hairdresser"},
    {"amenity": "school"},
    {"amenity": "post_office"},
    {"amenity": "community_centre"},
    {"leisure": "fitness_centre"},
    {"amenity": "library"},
    {"shop": "bakery"},
    {"amenity": "social_facility"},
    {"shop": "hardware"},
)


@dataclass
class Grid:
    """A street grid ``cols`` x ``rows`` blocks of ``block_m`` metres, origin at (lon0, lat0) (south-west corner)."""

    lon0: float
    lat0: float
    cols: int
    rows: int
    block_m: float = 100.0
    node_step_m: float = 25.0
    buildings_per_block: int = 4
    levels: int = 4
    shop_every: int = 3
    park_blocks: tuple[tuple[int, int], ...] = ()
    bus_every: int = 4
    station_block: tuple[int, int] | None = None
    seed: int = 19
    label: str = "grid"
    _next: int = field(default=1, repr=False)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lat = self.lat0 + y / M_PER_DEG_LAT
        lon = self.lon0 + x / (M_PER_DEG_LAT * math.cos(math.radians(self.lat0)))
        return (round(lon, 7), round(lat, 7))

    @property
    def width_m(self) -> float:
        return self.cols * self.block_m

    @property
    def height_m(self) -> float:
        return self.rows * self.block_m

    def boundary_wkt(self, x0: float, y0: float, x1: float, y1: float) -> str:
        """A rectangle in metres from the origin, as WKT in degrees."""
        pts = [self.lonlat(x0, y0), self.lonlat(x1, y0), self.lonlat(x1, y1), self.lonlat(x0, y1), self.lonlat(x0, y0)]
        return "POLYGON((" + ", ".join(f"{lon:.7f} {lat:.7f}" for lon, lat in pts) + "))"

    def write(self, path: str | Path) -> dict[str, int]:
        """Write the grid as .osm.pbf or .osm (by suffix); returns the counts of nodes, ways and features written."""
        import osmium

        path = Path(path)
        path.unlink(missing_ok=True)
        rng = random.Random(self.seed)
        header = osmium.io.Header()
        header.set("generator", f"{SYNTHETIC_GENERATOR} ({self.label})")
        header.set("osmosis_replication_timestamp", STAMP)  # the key libosmium keeps in a .pbf header
        w_lon, s_lat = self.lonlat(-self.block_m / 2, -self.block_m / 2)
        e_lon, n_lat = self.lonlat(self.width_m + self.block_m / 2, self.height_m + self.block_m / 2)
        header.add_box(osmium.osm.Box(w_lon, s_lat, e_lon, n_lat))
        counts = {"nodes": 0, "ways": 0, "features": 0}
        nodes: list = []
        ways: list = []
        self._next = 1

        def node(x: float, y: float, tags: dict | None = None) -> int:
            nid = self._next
            self._next += 1
            nodes.append(osmium.osm.mutable.Node(id=nid, location=self.lonlat(x, y), tags=tags or {}, version=1, timestamp=STAMP))
            return nid

        def way(refs: list[int], tags: dict) -> None:
            ways.append(osmium.osm.mutable.Way(id=len(ways) + 1, nodes=refs, tags=tags, version=1, timestamp=STAMP))

        # intersections, shared by the streets that cross there
        corner = {(i, j): node(i * self.block_m, j * self.block_m) for i in range(self.cols + 1) for j in range(self.rows + 1)}
        steps = max(1, round(self.block_m / self.node_step_m))
        for horizontal in (True, False):
            for line in range(self.rows + 1 if horizontal else self.cols + 1):
                refs: list[int] = []
                for k in range(self.cols if horizontal else self.rows):
                    a = corner[(k, line)] if horizontal else corner[(line, k)]
                    if not refs:
                        refs.append(a)
                    for s in range(1, steps):
                        d = (k + s / steps) * self.block_m
                        refs.append(node(d, line * self.block_m) if horizontal else node(line * self.block_m, d))
                    refs.append(corner[(k + 1, line)] if horizontal else corner[(line, k + 1)])
                main = line % 5 == 0
                way(refs, {"highway": "tertiary" if main else "residential", "name": f"{'Row' if horizontal else 'Column'} {line}"})
        stop = 0
        for i in range(self.cols):
            for j in range(self.rows):
                x0, y0 = i * self.block_m, j * self.block_m
                inset = 12.0
                if (i, j) in self.park_blocks:
                    ring = [
                        node(x0 + 6, y0 + 6),
                        node(x0 + self.block_m - 6, y0 + 6),
                        node(x0 + self.block_m - 6, y0 + self.block_m - 6),
                        node(x0 + 6, y0 + self.block_m - 6),
                    ]
                    way([*ring, ring[0]], {"leisure": "park", "name": f"Park {i}-{j}"})
                    counts["features"] += 1
                    continue
                if self.station_block == (i, j):
                    node(x0 + self.block_m / 2, y0 + inset, {"railway": "station", "name": "Station"})
                    counts["features"] += 1
                size = (self.block_m - 2 * inset) / 2 - 3
                for b in range(self.buildings_per_block):
                    bx = x0 + inset + (b % 2) * (size + 6)
                    by = y0 + inset + (b // 2) * (size + 6)
                    ring = [node(bx, by), node(bx + size, by), node(bx + size, by + size), node(bx, by + size)]
                    way([*ring, ring[0]], {"building": "apartments", "building:levels": str(self.levels)})
                    counts["features"] += 1
                if (i * self.rows + j) % self.shop_every == 0:
                    tags = dict(SHOPS[rng.randrange(len(SHOPS))])
                    node(x0 + self.block_m / 2, y0 + inset / 2, tags)
                    counts["features"] += 1
                if j % self.bus_every == 0 and i % 2 == 0:
                    node(x0 + 4, y0 + self.block_m / 2, {"highway": "bus_stop", "name": f"Stop {stop}"})
                    stop += 1
                    counts["features"] += 1
        writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
        try:
            for n in nodes:
                writer.add_node(n)
            for w in ways:
                writer.add_way(w)
        finally:
            writer.close()
        counts["nodes"], counts["ways"] = len(nodes), len(ways)
        return counts


#: The harbourside sample's synthetic surroundings: 2.5 x 2.4 km of 100 m blocks, a park and a station, the
#: neighbourhood's 21 ha (500 x 420 m) in the middle, so the extract reaches 1,000 m beyond it on every side.
HARBOURSIDE = Grid(
    lon0=-2.6300,
    lat0=51.4400,
    cols=25,
    rows=24,
    block_m=100.0,
    node_step_m=25.0,
    park_blocks=((11, 11), (12, 11), (16, 13)),
    station_block=(14, 9),
    label="harbourside-newbuild sample",
)
HARBOURSIDE_BOX_M = (1000.0, 1000.0, 1500.0, 1420.0)


def write_harbourside_sample(folder: str | Path) -> tuple[Path, Path]:
    """Write the harbourside sample's boundary (GeoJSON) and synthetic extract (.osm.pbf) into ``folder``."""
    import json

    folder = Path(folder)
    extract = folder / "harbourside-newbuild.synthetic.osm.pbf"
    HARBOURSIDE.write(extract)
    x0, y0, x1, y1 = HARBOURSIDE_BOX_M
    ring = [HARBOURSIDE.lonlat(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    geojson = {
        "type": "Feature",
        "properties": {"name": "Harbourside (illustrative sample)", "note": "synthetic outline on a synthetic street grid"},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }
    boundary = folder / "harbourside-newbuild.boundary.geojson"
    boundary.write_text(json.dumps(geojson, indent=1) + "\n", encoding="utf-8")
    return boundary, extract


if __name__ == "__main__":  # python -m assessment.geo.synthetic sample_inputs
    import sys

    for p in write_harbourside_sample(sys.argv[1] if len(sys.argv) > 1 else "sample_inputs"):
        print(p)
