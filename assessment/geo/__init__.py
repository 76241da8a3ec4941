"""Walking access measured from an OpenStreetMap extract (issue #19): ``nzn measure`` and ``nzn assess --osm``.

Needs the optional ``geo`` extra (pyosmium, shapely, pyproj, scipy): ``pip install "nzn[geo]"``. The
modules import those libraries inside their functions, so ``import assessment.geo`` and the access rules
(:mod:`assessment.geo.rules`) work on the core install; :func:`require_geo` says what to install.
"""

from __future__ import annotations

import importlib.util

from assessment.errors import NznError

#: Import name -> distribution name of each library the measurement needs.
GEO_LIBRARIES = {"osmium": "osmium", "shapely": "shapely", "pyproj": "pyproj", "scipy": "scipy"}
INSTALL_HINT = 'pip install "nzn[geo]"   (from a checkout: pip install ".[geo]")'


class GeoUnavailable(NznError):
    """The optional geo libraries are not installed."""


def missing_geo_libraries() -> list[str]:
    """Distributions of the geo extra that cannot be imported here."""
    return [dist for mod, dist in GEO_LIBRARIES.items() if importlib.util.find_spec(mod) is None]


def require_geo() -> None:
    """Raise :class:`GeoUnavailable` naming what to install when a geo library is missing."""
    missing = missing_geo_libraries()
    if missing:
        raise GeoUnavailable(
            f"measuring from an OpenStreetMap extract needs the optional geo libraries ({', '.join(missing)} missing); install them "
            f"with: {INSTALL_HINT}"
        )
