"""Operational emissions: stationary energy, transport and waste (GPC sectors I-III).

Each function takes the whole validated input and a factor set and returns
line items; nothing is read from files and nothing is kept between calls, so a
scenario can re-run them on a changed input.

Conventions (docs/methodology.md):
* ``energy_use`` rows of grid electricity are metered imports from the grid.
  Self-consumed on-site generation therefore already reduces them; it is shown
  as a zero-emission line so energy use intensity counts it. Exported
  generation is reported but never subtracted (GHG Protocol Scope 2 Guidance).
* Scopes follow the GPC (WRI, C40, ICLEI 2014, ch. 6-8): fuel burnt in the
  boundary is scope 1; grid electricity, district heat and cooling are scope 2;
  waste generated in the boundary and treated outside it is scope 3.
"""

from __future__ import annotations

from assessment.emissions.factors import Factor, FactorSet
from assessment.emissions.lookup import MissingFactor, by_unit, gross_kwh_per_unit, require, require_param, to_factor_unit
from assessment.model.enums import Carrier, TransportMode
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import LineItem, traced
from assessment.units import factor_to

DAYS_PER_YEAR = 365  # trips per day x 365 = trips per year (a stated convention, not a factor)
ELECTRIC_TRACTION = {TransportMode.car_electric, TransportMode.e_bike}
FUEL_SCOPE1 = {Carrier.natural_gas, Carrier.lpg, Carrier.heating_oil, Carrier.diesel, Carrier.coal, Carrier.biomass, Carrier.other}


def tco2e(amount: float, kgco2e_per_unit: float) -> float:
    """Emissions [tCO2e] of an activity amount times a factor [kgCO2e per unit]: amount x factor / 1000."""
    return amount * kgco2e_per_unit / 1000.0


def grid_factor_id(m: NeighbourhoodInput) -> str:
    return f"elec.grid.{m.profile.grid_region.value}"


def factor_fields(f: Factor) -> dict:
    """The fields of a line item that say which factor it applied."""
    return {
        "factor_id": f.id,
        "factor_kgco2e_per_unit": f.kgco2e_per_unit,
        "factor_unit": f.unit,
        "factor_source": f.source,
        "factor_year": f.year,
        "factor_region": f.region,
    }


def line(
    category: str,
    subcategory: str,
    sector: str,
    scope: int | None,
    description: str,
    amount: float,
    unit: str,
    f: Factor,
    path: tuple,
    quality,
    **extra,
) -> LineItem:
    """One line item: an activity amount in the factor's unit times the factor."""
    return LineItem(
        category=category,
        subcategory=subcategory,
        sector=sector,
        scope=scope,
        description=description,
        activity_amount=amount,
        activity_unit=unit,
        **factor_fields(f),
        tco2e_per_year=tco2e(amount, f.kgco2e_per_unit),
        **traced(path),
        data_quality=quality,
        **extra,
    )


def _energy_recipe(m: NeighbourhoodInput, factors: FactorSet, carrier: Carrier, unit: str, path: tuple):
    """(factor, scope, factor-unit amount per input unit, kWh per input unit, parameter used) for one carrier and unit."""
    if carrier == Carrier.grid_electricity:
        conv, scope = to_factor_unit(require(factors, grid_factor_id(m), path), 1.0, unit, path), 2
    elif carrier in (Carrier.district_heat, Carrier.district_cooling):
        conv, scope = by_unit(factors, f"heat.{carrier.value}", 1.0, unit, path), 2
    else:
        conv, scope = by_unit(factors, f"fuel.{carrier.value}", 1.0, unit, path, cv_carrier=carrier.value), 1
    kwh = gross_kwh_per_unit(factors, carrier.value, unit)
    return conv.factor, scope, conv.amount, None if kwh is None else kwh[0], conv.via


def energy_lines(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[LineItem]:
    """Stationary energy by carrier, location-based (GPC sector I).

    Rows share a few (carrier, unit) pairs: each pair's factor and conversion are resolved once.
    """
    out: list[LineItem] = []
    recipes: dict[tuple, object] = {}
    for i, row in enumerate(m.energy_use):
        path = ("energy_use", i, "amount")
        key = (row.carrier, row.unit)
        if key not in recipes:
            try:
                recipes[key] = _energy_recipe(m, factors, row.carrier, row.unit.value, path)
            except MissingFactor as exc:
                recipes[key] = exc
        recipe = recipes[key]
        if isinstance(recipe, MissingFactor):
            missing.append(MissingFactor(path, recipe.factor_id, recipe.template))
            continue
        factor, scope, per_unit, kwh_per_unit, via = recipe
        amount = row.amount * per_unit
        note = (
            None
            if row.unit.value == factor.unit
            else f"{row.amount:g} {row.unit.value} = {amount:g} {factor.unit}" + (f" ({via})" if via else "")
        )
        out.append(
            line(
                "operational",
                "energy",
                "stationary_energy",
                scope,
                f"{row.group}: {row.carrier.value} ({row.use_type.value})",
                amount,
                factor.unit,
                factor,
                path,
                row.data_quality,
                conversion=note,
                energy_kwh=None if kwh_per_unit is None else row.amount * kwh_per_unit,
                end_use=row.use_type,
                carrier=row.carrier,
            )
        )
    for i, gen in enumerate(m.renewable_generation):
        if gen.self_consumed_kwh:
            zero = _zero_factor("onsite.renewable.kwh", "kWh", m.profile.reporting_year)
            out.append(
                line(
                    "operational",
                    "energy",
                    "stationary_energy",
                    None,
                    f"{gen.system}: on-site {gen.technology.value}, self-consumed",
                    gen.self_consumed_kwh,
                    "kWh",
                    zero,
                    ("renewable_generation", i, "self_consumed_kwh"),
                    gen.data_quality,
                    energy_kwh=gen.self_consumed_kwh,
                )
            )
    return out


def _zero_factor(fid: str, unit: str, year: int) -> Factor:
    """A zero factor for on-site renewable energy used in the boundary (no combustion, no grid import)."""
    return Factor(
        id=fid,
        category="energy",
        activity="on-site renewable generation",
        unit=unit,
        kgco2e_per_unit=0.0,
        kgco2e_co2=None,
        kgco2e_ch4=None,
        kgco2e_n2o=None,
        gwp_set="n/a",
        region="site",
        year=year,
        source="GHG Protocol Scope 2 Guidance (WRI/WBCSD 2015): on-site generation consumed on site carries no grid emissions",
        table_ref="",
        url="https://ghgprotocol.org/scope-2-guidance",
        licence="n/a",
        notes="",
        file="",
    )


def electricity_market_based(m: NeighbourhoodInput, factors: FactorSet) -> tuple[float, float, float]:
    """(grid kWh, location-based tCO2e, market-based tCO2e) for grid electricity.

    Market-based: contracted kWh at the instrument's factor, the rest at the
    location-based grid factor (no residual mix is published for most regions;
    using the grid average is the conservative fallback the Scope 2 Guidance
    allows, table 6.3).
    """
    grid = factors.get(grid_factor_id(m))
    kwh = sum(r.amount * factor_to(r.unit.value, "kWh") for r in m.energy_use if r.carrier == Carrier.grid_electricity)
    if grid is None:
        return kwh, 0.0, 0.0
    location = tco2e(kwh, grid.kgco2e_per_unit)
    bought = sum(g.kwh for g in m.green_electricity)
    green = min(bought, kwh)
    # contracts beyond the electricity used are not claimed: each is scaled by green / bought
    scale = green / bought if bought > 0 else 0.0
    contracted = sum(tco2e(g.kwh * scale, g.kgco2e_per_kwh) for g in m.green_electricity)
    market = contracted + tco2e(kwh - green, grid.kgco2e_per_unit)
    return kwh, location, market


def _direct_factor_given(factors: FactorSet, mode: str) -> bool:
    """True when the workbook overrides an electric mode's own per-km factor (``transport.<mode>.vkm`` or ``.pkm``):
    the user's published factor is then used directly instead of kWh per vkm x the grid factor (the default)."""
    return any((f := factors.get(f"transport.{mode}.{u}")) is not None and f.overridden for u in ("vkm", "pkm"))


def transport_lines(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[LineItem]:
    """Transport by mode (GPC sector II): vkm or pkm times the mode's factor."""
    out: list[LineItem] = []
    for i, row in enumerate(m.transport_activity):
        if row.annual_amount is not None:
            amount, unit, path = row.annual_amount, row.unit.value if row.unit else "pkm", ("transport_activity", i, "annual_amount")
            conversion = None
        else:
            amount = row.trips_per_day * row.average_trip_km * DAYS_PER_YEAR
            unit, path = "pkm", ("transport_activity", i, "trips_per_day")
            conversion = f"{row.trips_per_day:g} trips/day x {row.average_trip_km:g} km x {DAYS_PER_YEAR} days = {amount:g} pkm"
        mode = row.mode.value
        try:
            occupancy = row.occupancy
            if row.mode in ELECTRIC_TRACTION and not _direct_factor_given(factors, mode):
                kwh_per_vkm = require_param(factors, f"energy.{mode}.kwh_per_vkm", path)
                if unit == "pkm":
                    occ = occupancy or require_param(
                        factors, f"occupancy.{'car' if mode == 'car_electric' else mode}.persons_per_vehicle", path
                    )
                    amount, conversion = amount / occ, (conversion or "") + f"; / {occ:g} persons per vehicle = {amount / occ:g} vkm"
                f = require(factors, grid_factor_id(m), path)
                kwh = amount * kwh_per_vkm
                conversion = (
                    (conversion + "; ") if conversion else ""
                ) + f"{amount:g} vkm x {kwh_per_vkm:g} kWh/vkm (energy.{mode}.kwh_per_vkm) = {kwh:g} kWh"
                out.append(
                    line(
                        "operational",
                        "transport",
                        "transportation",
                        2,
                        f"{mode} (grid electricity)",
                        kwh,
                        "kWh",
                        f,
                        path,
                        row.data_quality,
                        conversion=conversion,
                    )
                )
                continue
            f = factors.get(f"transport.{mode}.{unit}")
            if f is None:
                other = "pkm" if unit == "vkm" else "vkm"
                f = require(factors, f"transport.{mode}.{other}", path)
                occ = occupancy or require_param(factors, f"occupancy.{mode.split('_')[0]}.persons_per_vehicle", path)
                new = amount * occ if unit == "vkm" else amount / occ
                conversion = (
                    (conversion + "; ") if conversion else ""
                ) + f"{amount:g} {unit} {'x' if unit == 'vkm' else '/'} {occ:g} persons per vehicle = {new:g} {other}"
                amount, unit = new, other
        except MissingFactor as exc:
            missing.append(exc)
            continue
        scope = None if f.kgco2e_per_unit == 0 else (2 if row.mode in (TransportMode.metro_tram, TransportMode.rail) else 1)
        out.append(
            line(
                "operational", "transport", "transportation", scope, mode, amount, f.unit, f, path, row.data_quality, conversion=conversion
            )
        )
    return out


def waste_lines(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[LineItem]:
    """Waste by stream and treatment (GPC sector III, scope 3: treated outside the boundary)."""
    out: list[LineItem] = []
    for i, row in enumerate(m.waste):
        path = ("waste", i, "tonnes_per_year")
        try:
            f = require(factors, f"waste.{row.stream.value}.{row.treatment.value}", path)
        except MissingFactor as exc:
            missing.append(exc)
            continue
        sub = "waste"
        out.append(
            line(
                "operational",
                sub,
                "waste",
                3,
                f"{row.stream.value} to {row.treatment.value}",
                row.tonnes_per_year,
                "tonne",
                f,
                path,
                row.data_quality,
            )
        )
    return out
