"""The neighbourhood boundary: a polygon in WGS84 longitude/latitude, from a GeoJSON or WKT file or the Profile's text.

Accepted: a GeoJSON Polygon or MultiPolygon, or a Feature / FeatureCollection of them (RFC 7946: WGS84
longitude, latitude); WKT ``POLYGON`` / ``MULTIPOLYGON``; or a plain list of ``lon lat`` pairs (``lon lat,
lon lat, ...`` or ``lon,lat; lon,lat; ...``). Every problem is refused with a message saying what to fix: a
missing or unreadable file, a geometry that is not a polygon or not valid, and coordinates that are
projected (metres) instead of degrees. Whether latitude and longitude were swapped is told against the
extract (:func:`check_against_extract`).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from assessment.errors import InputInvalid, issue
from assessment.i18n import N_

#: Largest boundary file read [bytes]: a neighbourhood outline is a few kilobytes; a whole country's is not one.
MAX_BOUNDARY_BYTES = 20 * 1024 * 1024
GEOJSON_SUFFIXES = (".geojson", ".json")
WKT_SUFFIXES = (".wkt", ".txt")
#: CRS names meaning WGS84 longitude/latitude in a (pre-RFC 7946) GeoJSON "crs" member.
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "CRS84")


def _refuse(where: str, code: str, template: str, **params) -> InputInvalid:
    return InputInvalid([issue(where, code, template, **params)])


def read_boundary(path: str | Path):
    """The boundary polygon of a GeoJSON or WKT file (shapely, lon/lat); refused with a message when it is not usable."""
    path = Path(path)
    where = path.name
    if not path.exists():
        raise _refuse(str(path), "not-found", N_("the boundary file was not found"))
    if not path.is_file():
        raise _refuse(str(path), "not-a-file", N_("the boundary is not a file"))
    size = path.stat().st_size
    if size == 0:
        raise _refuse(where, "empty-file", N_("the boundary file is empty (0 bytes)"))
    if size > MAX_BOUNDARY_BYTES:
        raise _refuse(
            where,
            "too-large",
            N_("the boundary file is {size} MB, more than {limit} MB; a neighbourhood outline is a few kilobytes"),
            size=round(size / 1e6, 1),
            limit=MAX_BOUNDARY_BYTES // 1_000_000,
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(where, "not-text", N_("the boundary file is not text (GeoJSON or WKT in UTF-8)")) from None
    name = path.name.lower()
    if name.endswith(GEOJSON_SUFFIXES) or text.lstrip().startswith("{"):
        return _from_geojson(text, where)
    return parse_boundary_text(text, where)


def _from_geojson(text: str, where: str):
    import shapely
    from shapely.geometry import shape

    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _refuse(where, "bad-json", N_("the boundary is not valid GeoJSON ({error})"), error=str(exc)[:120]) from None
    if not isinstance(data, dict):
        raise _refuse(
            where, "bad-geojson", N_("the boundary must be a GeoJSON object (Polygon, MultiPolygon, Feature or FeatureCollection)")
        )
    _check_crs(data, where)
    kind = data.get("type")
    if kind == "FeatureCollection":
        geoms = [f.get("geometry") for f in data.get("features") or [] if isinstance(f, dict)]
    elif kind == "Feature":
        geoms = [data.get("geometry")]
    else:
        geoms = [data]
    geoms = [g for g in geoms if g]
    if not geoms:
        raise _refuse(where, "no-polygon", N_("the boundary GeoJSON holds no geometry"))
    polygons = []
    for g in geoms:
        if not isinstance(g, dict) or g.get("type") not in ("Polygon", "MultiPolygon"):
            found = g.get("type") if isinstance(g, dict) else type(g).__name__
            raise _refuse(
                where,
                "not-polygon",
                N_("the boundary must be a Polygon or MultiPolygon, got {kind}; draw the outline as a polygon"),
                kind=str(found)[:40],
            )
        try:
            polygons.append(shape(g))
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.GEOSException) as exc:
            raise _refuse(
                where, "bad-geojson", N_("the boundary polygon's coordinates cannot be read ({error})"), error=str(exc)[:120]
            ) from None
    geom = polygons[0] if len(polygons) == 1 else shapely.union_all(polygons)
    return checked_polygon(geom, where)


def _check_crs(data: dict, where: str) -> None:
    """A (pre-RFC 7946) "crs" member naming anything but WGS84 longitude/latitude is refused."""
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return
    name = str((crs.get("properties") or {}).get("name", ""))
    if name and not any(name.upper().endswith(w.upper()) or name.upper() == w.upper() for w in WGS84_NAMES):
        raise _refuse(
            where,
            "projected-crs",
            N_("the boundary is in the coordinate system {crs}; give it in WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires"),
            crs=name[:80],
        )


_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)[\s,]+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$")


def parse_boundary_text(text: str, where: str):
    """A boundary typed as WKT (POLYGON / MULTIPOLYGON) or as lon/lat pairs, checked (shapely, lon/lat)."""
    import shapely
    from shapely.geometry import Polygon

    t = text.strip()
    if not t:
        raise _refuse(where, "empty", N_("the boundary is empty"))
    if re.match(r"^[A-Za-z]", t):
        try:
            geom = shapely.from_wkt(t)
        except shapely.errors.GEOSException as exc:
            raise _refuse(where, "bad-wkt", N_("the boundary is not valid WKT ({error})"), error=str(exc)[:120]) from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise _refuse(
                where,
                "not-polygon",
                N_("the boundary must be a Polygon or MultiPolygon, got {kind}; draw the outline as a polygon"),
                kind=geom.geom_type,
            )
        return checked_polygon(geom, where)
    parts = [p for p in re.split(r"[;\n]|,(?=\s*-?\d+(?:\.\d+)?\s+-?\d)", t) if p.strip()]
    pairs = []
    for p in parts:
        m = _PAIR.match(p)
        if not m:
            raise _refuse(
                where,
                "bad-coordinates",
                N_("'{text}' is not a 'longitude latitude' pair; give WKT POLYGON((...)) or pairs like '24.94 60.17, 24.95 60.17, ...'"),
                text=p.strip()[:40],
            )
        pairs.append((float(m.group(1)), float(m.group(2))))
    if len(pairs) < 3:
        raise _refuse(where, "too-few-points", N_("a boundary needs at least 3 corners, got {n}"), n=len(pairs))
    return checked_polygon(Polygon(pairs), where)


def checked_polygon(geom, where: str):
    """The polygon, if its coordinates are finite WGS84 degrees and it is valid with an area; else a refusal."""
    import shapely

    coords = shapely.get_coordinates(geom)
    if len(coords) == 0 or geom.is_empty:
        raise _refuse(where, "empty", N_("the boundary polygon is empty"))
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise _refuse(where, "not-finite", N_("the boundary has a coordinate that is not a finite number"))
    lon_max, lat_max = float(abs(coords[:, 0]).max()), float(abs(coords[:, 1]).max())
    if lon_max > 180 or lat_max > 90:
        raise _refuse(
            where,
            "projected-crs",
            N_(
                "the boundary's coordinates reach {x}, {y}: these look like projected metres, not degrees; give the boundary in WGS84 "
                "longitude/latitude (EPSG:4326)"
            ),
            x=f"{coords[0, 0]:.0f}",
            y=f"{coords[0, 1]:.0f}",
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise _refuse(
            where,
            "invalid-polygon",
            N_("the boundary polygon is not valid ({reason}); fix the outline so it does not cross itself"),
            reason=reason[:120],
        )
    if geom.area <= 0:
        raise _refuse(where, "no-area", N_("the boundary polygon has no area"))
    return geom


def _swap(geom):
    import shapely

    return shapely.transform(geom, lambda xy: xy[:, ::-1])


def check_against_extract(geom, bbox: tuple[float, float, float, float], where: str, extract_name: str):
    """The boundary must overlap the extract; when only its lat/lon-swapped copy does, say the order is swapped."""
    from shapely.geometry import box

    area = box(*bbox)
    if geom.intersects(area):
        return
    if _swap(geom).intersects(area):
        raise _refuse(
            where,
            "lat-lon-swapped",
            N_(
                "the boundary lies outside the extract, but with latitude and longitude swapped it falls inside it; give coordinates as "
                "longitude, latitude (x, y), as GeoJSON and WKT require"
            ),
        )
    w, s, e, n = bbox
    raise _refuse(
        where,
        "outside-extract",
        N_(
            "the boundary does not overlap the extract {extract} (which covers longitude {w} to {e}, latitude {s} to {n}); download an "
            "extract of the neighbourhood's area"
        ),
        extract=extract_name,
        w=f"{w:.4f}",
        e=f"{e:.4f}",
        s=f"{s:.4f}",
        n=f"{n:.4f}",
    )
