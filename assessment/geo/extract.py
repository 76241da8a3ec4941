"""Read an OpenStreetMap extract (.osm.pbf or .osm XML) with pyosmium: the walkable ways and the features the rules name.

One pass over the file with node locations and assembled areas (multipolygons and closed ways). Only what
the rules ask for is kept: walkable ways with their node coordinates, and point or polygon features whose tags
match a destination kind, green space, residential building or address rule. Everything is sorted by OSM id,
so the same file always gives the same lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from assessment.errors import InputInvalid, issue
from assessment.geo.rules import AccessRules, parse_rule
from assessment.i18n import N_

#: File names osmium reads by their suffix.
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.gz", ".osm.bz2", ".osm.xml")
#: The generator a synthetic sample extract declares in its header: its map says it is not OpenStreetMap data.
SYNTHETIC_GENERATOR = "nzn synthetic"
OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL"
SYNTHETIC_ATTRIBUTION = N_("Synthetic extract made for this sample: not OpenStreetMap data")


@dataclass(frozen=True)
class Feature:
    """A point (one ring of one position) or a polygon (outer rings, each followed by its holes) with its tags."""

    osm: str  # "n123", "w45", "r6"
    polygon: bool
    rings: tuple[tuple[tuple[float, float], ...], ...]  # lon/lat; a point has one ring of one position
    holes: tuple[int, ...]  # for each ring, the index of the outer ring it is a hole of, or -1 for an outer ring
    tags: dict


@dataclass
class Extract:
    path: str
    sha256: str
    header_box: tuple[float, float, float, float] | None
    header_time: str | None
    generator: str | None
    newest_edit: dt.datetime | None
    #: node id -> (lon, lat) of every node a walkable way uses
    nodes: dict[int, tuple[float, float]] = field(default_factory=dict)
    #: (way id, node ids, highway, tags) of every walkable way
    ways: list[tuple[int, tuple[int, ...], str, dict]] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return (self.generator or "").startswith(SYNTHETIC_GENERATOR)

    def bbox(self) -> tuple[float, float, float, float]:
        """West, south, east, north: the header's box, else the extent of the nodes read."""
        if self.header_box is not None:
            return self.header_box
        pts = list(self.nodes.values()) + [p for f in self.features for r in f.rings for p in r]
        if not pts:
            return (0.0, 0.0, 0.0, 0.0)
        lons, lats = [p[0] for p in pts], [p[1] for p in pts]
        return (min(lons), min(lats), max(lons), max(lats))


def _refuse(path: Path, code: str, template: str, **params) -> InputInvalid:
    return InputInvalid([issue(path.name, code, template, **params)])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_extract_path(path: Path) -> None:
    """A readable file with a suffix osmium knows, or a refusal (exit 2) naming it."""
    if not path.exists():
        raise _refuse(path, "not-found", N_("the OpenStreetMap extract was not found"))
    if not path.is_file():
        raise _refuse(path, "not-a-file", N_("the OpenStreetMap extract is not a file"))
    if not path.name.lower().endswith(OSM_SUFFIXES):
        raise _refuse(
            path,
            "not-osm",
            N_("an OpenStreetMap extract must be .osm.pbf or .osm (XML), as extract services provide it; got '{name}'"),
            name=path.name,
        )
    if path.stat().st_size == 0:
        raise _refuse(path, "empty-file", N_("the OpenStreetMap extract is empty (0 bytes)"))


class _Wanted:
    """The tag rules of the access method, compiled for a quick test per object."""

    def __init__(self, rules: AccessRules):
        texts = [t for u in rules.uses for t in u.tags] + list(rules.green.tags)
        texts += list(rules.residents.residential_buildings) + list(rules.residents.address_points)
        self.feature_rules = [parse_rule(t) for t in texts]
        #: key -> the values wanted (None: any value)
        self.values: dict[str, set | None] = {}
        for r in self.feature_rules:
            if r.value is None:
                self.values[r.key] = None
            elif self.values.get(r.key, set()) is not None:
                self.values.setdefault(r.key, set()).add(r.value)
        self.walkable = set(rules.network.walkable)
        self.needs_foot = set(rules.network.needs_foot_yes)
        self.closed = set(rules.network.closed_access)
        self.foot_open = set(rules.network.foot_open)

    def is_feature(self, tags) -> bool:
        for t in tags:
            if t.k in self.values:
                wanted = self.values[t.k]
                if wanted is None or t.v in wanted:
                    return True
        return False

    def walkable_highway(self, tags) -> str | None:
        hw = tags.get("highway")
        if hw is None or (hw not in self.walkable and hw not in self.needs_foot):
            return None
        foot = tags.get("foot")
        if foot in self.foot_open:
            return hw
        if hw in self.needs_foot or foot in self.closed or tags.get("access") in self.closed or foot == "no":
            return None
        if tags.get("area") == "yes" and hw not in ("pedestrian", "footway"):
            return None
        return hw


def _header(path: Path) -> tuple[tuple[float, float, float, float] | None, str | None, str | None]:
    import osmium

    reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
    try:
        h = reader.header()
        box = h.box()
        bbox = None
        if box.valid():
            bl, tr = box.bottom_left, box.top_right
            bbox = (bl.lon, bl.lat, tr.lon, tr.lat)
        stamp = h.get("osmosis_replication_timestamp") or h.get("timestamp") or None
        return bbox, stamp, h.get("generator") or None
    finally:
        reader.close()


def read_extract(path: str | Path, rules: AccessRules) -> Extract:
    """The walkable ways and wanted features of an extract; a missing, empty, broken or street-less file is refused."""
    import osmium

    path = Path(path)
    check_extract_path(path)
    wanted = _Wanted(rules)
    try:
        bbox, stamp, generator = _header(path)
        ex = Extract(path=str(path), sha256=_sha256(path), header_box=bbox, header_time=stamp, generator=generator, newest_edit=None)
        newest = None
        keys = sorted({"highway", *wanted.values})
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas().with_filter(osmium.filter.KeyFilter(*keys))
        for o in processor:
            if not o.is_area():
                ts = o.timestamp
                if ts is not None and ts.year > 1970 and (newest is None or ts > newest):
                    newest = ts
            tags = o.tags
            if not len(tags):
                continue
            if o.is_node():
                if wanted.is_feature(tags):
                    loc = o.location
                    if loc.valid():
                        ex.features.append(Feature(f"n{o.id}", False, (((loc.lon, loc.lat),),), (-1,), dict(tags)))
            elif o.is_way():
                hw = wanted.walkable_highway(tags)
                if hw is None:
                    continue
                refs, ok = [], True
                for n in o.nodes:
                    loc = n.location
                    if not loc.valid():
                        ok = False
                        break
                    ex.nodes[n.ref] = (loc.lon, loc.lat)
                    refs.append(n.ref)
                if ok and len(refs) >= 2:
                    ex.ways.append((o.id, tuple(refs), hw, dict(tags)))
            elif o.is_area():
                if not wanted.is_feature(tags):
                    continue
                rings, holes = [], []
                for outer in o.outer_rings():
                    rings.append(tuple((n.lon, n.lat) for n in outer))
                    holes.append(-1)
                    k = len(rings) - 1
                    for inner in o.inner_rings(outer):
                        rings.append(tuple((n.lon, n.lat) for n in inner))
                        holes.append(k)
                if rings:
                    osm = f"w{o.orig_id()}" if o.from_way() else f"r{o.orig_id()}"
                    ex.features.append(Feature(osm, True, tuple(rings), tuple(holes), dict(tags)))
    except (RuntimeError, ValueError, OSError) as exc:
        raise _refuse(
            path, "bad-osm", N_("the file cannot be read as OpenStreetMap data ({error}); download the extract again"), error=str(exc)[:200]
        ) from None
    ex.newest_edit = newest
    ex.ways.sort(key=lambda w: w[0])
    ex.features.sort(key=lambda f: (f.osm[0], int(f.osm[1:])))
    if not ex.ways:
        raise _refuse(
            path,
            "no-streets",
            N_("the extract holds no walkable streets or paths (highway=*); is it an OpenStreetMap extract of a built-up area?"),
        )
    return ex


def extract_date(ex: Extract) -> tuple[str | None, str]:
    """(date, basis): the header's (replication) timestamp, else the newest edit of the objects read (streets and the
    features the rules name), else the file's modification time."""
    if ex.header_time:
        return ex.header_time[:10], "header"
    if ex.newest_edit is not None:
        return ex.newest_edit.date().isoformat(), "newest_object"
    try:
        mtime = Path(ex.path).stat().st_mtime
    except OSError:
        return None, "unknown"
    return dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date().isoformat(), "file_modified"
