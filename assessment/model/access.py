"""What a walking-access measurement from an OpenStreetMap extract produced (results JSON key ``access``).

Built by :mod:`assessment.geo` (``nzn measure``, ``nzn assess --osm``) and documented in docs/results.md and
docs/geo.md. The map layers are kept in memory for the report's map page and are not serialised.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assessment.i18n import N_

#: The notices a measurement can carry, by code: English in the results JSON, translated on the report.
NOTICES = {
    "extract-edge": N_(
        "The extract ends less than {distance} m beyond the boundary: destinations past its edge are not seen, so shares near the "
        "edge may read low. Use an extract reaching at least that far around the neighbourhood."
    ),
    "homes-not-connected": N_(
        "{n} of {total} homes are farther than the access radius from any walkable way; they count as reaching nothing."
    ),
    "destinations-not-connected": N_(
        "{n} of {total} destinations are farther than the access radius from any walkable way and are left out."
    ),
}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExtractInfo(_Out):
    file_name: str
    sha256: str
    date: str | None = Field(description="Date the extract's data stand at (ISO 8601), or null when nothing says.")
    date_basis: Literal["header", "newest_object", "file_modified", "unknown"] = Field(
        description="Where the date comes from: the file header's (replication) timestamp, the newest object edit in the file, or "
        "the file's modification time."
    )
    generator: str | None = None
    synthetic: bool = Field(description="True for a generated extract that is not OpenStreetMap data (the sample's).")
    attribution: str = Field(description="The attribution the data's licence requires, printed on the map.")
    bbox: tuple[float, float, float, float] = Field(description="West, south, east, north of the extract (WGS84 degrees).")


class BoundaryInfo(_Out):
    source: str = Field(description="File name of the boundary, or the Profile cell holding it.")
    area_ha: float
    centroid_lon: float
    centroid_lat: float
    crs: str = Field(description="Local metric projection every length and area is measured in (the UTM zone of the centroid).")


class ResidentsInfo(_Out):
    source: Literal["file", "residential_buildings", "address_points"]
    features: int = Field(description="Homes (buildings, points or features of the residents file) inside the boundary.")
    connected: int = Field(description="Of those, the ones within the access radius of a walkable way.")
    weight: str = Field(description="What each home is weighted by: floor area, population, or one per address.")


class NetworkInfo(_Out):
    nodes: int
    segments: int
    walkable_km: float = Field(description="Walkable ways of the whole extract [km].")
    street_km_inside: float = Field(description="Street centre lines inside the boundary [km] (pavements and crossings excluded).")
    intersections_inside: int


class MeasuredValue(_Out):
    id: str
    name: str
    unit: str
    value: float | None = Field(description="Null when it cannot be computed (no residents, or no population for a per-resident figure).")
    indicator: str | None = Field(description="Module indicator this measure fills, or null for a figure reported beside them.")
    source: str


class CategoryAccess(_Out):
    id: str
    name: str
    colour: str
    destinations: int = Field(description="Destinations of this category in the extract that join the network.")
    share_pct: dict[str, float | None] = Field(description="Life circle id -> share of residents reaching the category within it [%].")


class FilledIndicator(_Out):
    indicator: str
    value: float | None
    action: Literal["filled", "kept_reported", "overwritten"] = Field(
        description="filled: the cell was blank; kept_reported: the user's value was kept (no --overwrite); overwritten: "
        "--overwrite replaced the user's value."
    )
    previous: float | None = None


class MapLayers(_Out):
    """Geometry for the map page, in the local metric projection (metres); not serialised."""

    boundary: list[list[tuple[float, float]]] = []
    segments: list[tuple[float, float, float, float]] = []
    destinations: list[tuple[float, float, str]] = []
    green: list[list[tuple[float, float]]] = []
    residents: list[tuple[float, float, int]] = []
    categories: int = 0
    north_deg: float = Field(default=0.0, description="Angle of true north east of grid north at the centroid [degrees].")


class Notice(_Out):
    """Something the reader of a measurement should know (code, English text, and its values for a translation)."""

    code: str
    message: str
    params: dict[str, int | float | str] = Field(default_factory=dict)


def notice(code: str, **params: int | float | str) -> Notice:
    return Notice(code=code, message=NOTICES[code].format(**params), params=params)


class AccessMeasurement(_Out):
    """Walking access to daily needs measured along the walking network of an OpenStreetMap extract."""

    toolkit_version: str
    rules_file: str
    rules_version: str
    rules_digest: str
    extract: ExtractInfo
    boundary: BoundaryInfo
    residents: ResidentsInfo
    network: NetworkInfo
    walking_speed_m_per_s: float
    access_radius_m: float
    life_circles: dict[str, float] = Field(description="Life circle id -> walking distance [m].")
    measures: list[MeasuredValue]
    categories: list[CategoryAccess]
    filled: list[FilledIndicator] = Field(default_factory=list, description="Indicators this measurement wrote, or left as typed.")
    source_note: str = Field(description="The note written beside each measured value: extract, its date and the toolkit version.")
    warnings: list[Notice] = Field(default_factory=list)
    map: MapLayers | None = Field(default=None, exclude=True)

    def value(self, measure_id: str) -> float | None:
        return next(m.value for m in self.measures if m.id == measure_id)
