"""Consumption-based emissions of residents: food, clothing, electronics, goods, services, flights.

* Food from the diet profile: share of residents x population x the diet's
  annual footprint [kgCO2e/person-year] (Scarborough et al. 2014).
* Spend-based items: money in the profile's currency, converted to US dollars
  of the factor's price year with a cited exchange rate, times kgCO2e per USD
  (US EPA Supply Chain GHG Emission Factors). A proxy outside the US; stated.
* Flights: passenger-km (or trips x average trip km) times the flight factor
  with radiative forcing (DESNZ), as DESNZ recommends for reporting travel.
* A footprint already in kgCO2e (unit ``kgco2e``, e.g. a household survey's food
  footprint per household) is taken as reported, scaled by its basis (per
  resident x residents, per household x households); its source is the row's
  notes, shown as the line's factor source.
"""

from __future__ import annotations

from assessment.emissions.factors import Factor, FactorSet, supplied_factor
from assessment.emissions.lookup import MissingFactor, require, require_param
from assessment.emissions.operational import line
from assessment.model.enums import Basis, ConsumptionItem, ConsumptionUnit
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import LineItem

FLIGHT_FACTORS = {
    ConsumptionItem.flights_domestic: "flight.domestic.pkm",
    ConsumptionItem.flights_short_haul: "flight.short_haul.pkm",
    ConsumptionItem.flights_long_haul: "flight.long_haul.pkm",
}
SPEND_FACTORS = {
    ConsumptionItem.food_spend: "consumption.food_spend.USD",
    ConsumptionItem.clothing_spend: "consumption.clothing_spend.USD",
    ConsumptionItem.electronics_spend: "consumption.electronics_spend.USD",
    ConsumptionItem.goods_spend: "consumption.goods_spend.USD",
    ConsumptionItem.services_spend: "consumption.services_spend.USD",
    ConsumptionItem.smartphones: "consumption.electronics_spend.USD",
    ConsumptionItem.laptops: "consumption.electronics_spend.USD",
}
SUBCATEGORY = {
    ConsumptionItem.food_spend: "food",
    ConsumptionItem.clothing_spend: "clothing",
    ConsumptionItem.electronics_spend: "technology",
    ConsumptionItem.smartphones: "technology",
    ConsumptionItem.laptops: "technology",
    ConsumptionItem.goods_spend: "goods",
    ConsumptionItem.services_spend: "services",
    ConsumptionItem.flights_domestic: "travel",
    ConsumptionItem.flights_short_haul: "travel",
    ConsumptionItem.flights_long_haul: "travel",
}


def reported_footprint(notes: str | None) -> Factor:
    """The identity "factor" of a footprint reported in kgCO2e (1 kgCO2e per kgCO2e), citing the row's own source."""
    return supplied_factor(
        "consumption.reported.kgco2e",
        "kgCO2e",
        1.0,
        f"as reported: {notes}" if notes else "as reported",
        activity="footprint reported in kgCO2e",
        gwp_set="as reported",
    )


def food_reported(m: NeighbourhoodInput) -> bool:
    """Food is in the inventory: a diet profile, or food given on the Consumption sheet (spend or a footprint)."""
    return bool(m.diet_profile) or any(r.item == ConsumptionItem.food_spend for r in m.consumption)


def goods_reported(m: NeighbourhoodInput) -> bool:
    """Goods, services or flights are in the inventory (a Consumption row other than food)."""
    return any(r.item != ConsumptionItem.food_spend for r in m.consumption)


def scale_to_neighbourhood(amount: float, basis: Basis, population: int, households: int | None) -> tuple[float, str]:
    """Per-resident or per-household amounts times the number of residents or households."""
    if basis == Basis.per_capita:
        return amount * population, f"{amount:g} per resident x {population} residents"
    if basis == Basis.per_household:
        return amount * households, f"{amount:g} per household x {households} households"
    return amount, "whole neighbourhood"


def consumption_lines(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[LineItem]:
    out: list[LineItem] = []
    pop = m.profile.population
    for i, row in enumerate(m.diet_profile):
        path = ("diet_profile", i, "share_pct")
        try:
            f = require(factors, f"consumption.diet_{row.diet.value}.person_year", path)
        except MissingFactor as exc:
            missing.append(exc)
            continue
        persons = pop * row.share_pct / 100.0
        out.append(
            line(
                "consumption",
                "food",
                "other_scope3",
                3,
                f"diet: {row.diet.value}",
                persons,
                "person_year",
                f,
                path,
                row.data_quality,
                conversion=f"{row.share_pct:g}% x {pop} residents = {persons:g} person-years",
            )
        )
    for i, row in enumerate(m.consumption):
        path = ("consumption", i, "amount")
        total, scaled = scale_to_neighbourhood(row.amount, row.basis, pop, m.profile.households)
        try:
            if row.unit == ConsumptionUnit.kgco2e:
                f = reported_footprint(row.notes)
                out.append(
                    line(
                        "consumption",
                        SUBCATEGORY[row.item],
                        "other_scope3",
                        3,
                        f"{row.item.value} (reported footprint)",
                        total,
                        "kgCO2e",
                        f,
                        path,
                        row.data_quality,
                        conversion=scaled,
                    )
                )
            elif row.item in FLIGHT_FACTORS:
                f = require(factors, FLIGHT_FACTORS[row.item], path)
                pkm = total * row.average_trip_km if row.unit == ConsumptionUnit.trip else total
                note = scaled + (f" x {row.average_trip_km:g} km per trip" if row.unit == ConsumptionUnit.trip else "")
                out.append(
                    line("consumption", "travel", "other_scope3", 3, row.item.value, pkm, "pkm", f, path, row.data_quality, conversion=note)
                )
            else:
                f = require(factors, SPEND_FACTORS[row.item], path)
                currency = m.profile.currency.value
                rate = 1.0 if currency == "USD" else require_param(factors, f"fx.{currency}_per_USD", path)
                usd = total / rate
                note = scaled + (
                    f" {currency} / {rate:g} {currency} per USD (fx.{currency}_per_USD) = {usd:g} USD" if currency != "USD" else ""
                )
                out.append(
                    line(
                        "consumption",
                        SUBCATEGORY[row.item],
                        "other_scope3",
                        3,
                        row.item.value,
                        usd,
                        "USD",
                        f,
                        path,
                        row.data_quality,
                        conversion=note,
                    )
                )
        except MissingFactor as exc:
            missing.append(exc)
    return out
