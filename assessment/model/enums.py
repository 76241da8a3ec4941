"""Enumerations of the input model.

Codes are the contract (the same in every language); labels are marked for
translation and shown in the workbook's drop-downs and the report.
"""

from __future__ import annotations

from enum import Enum

from assessment.i18n import N_


class CodeEnum(str, Enum):
    """A string enumeration whose members carry a translatable label."""

    def __new__(cls, code: str, label: str = ""):
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = label or code.replace("_", " ")
        return obj

    def __str__(self) -> str:
        return self.value


class DataQuality(CodeEnum):
    measured = "measured", N_("measured (meter readings, bills, counts)")
    calculated = "calculated", N_("calculated (from measured data with a stated method)")
    estimated = "estimated", N_("estimated (surveys, models, proxies)")
    default = "default", N_("default (national or literature averages)")


class GridRegion(CodeEnum):
    CN = "CN", N_("China, national average grid")
    CN_North = "CN-North", N_("China, North grid")
    CN_Northeast = "CN-Northeast", N_("China, Northeast grid")
    CN_East = "CN-East", N_("China, East grid")
    CN_Central = "CN-Central", N_("China, Central grid")
    CN_Northwest = "CN-Northwest", N_("China, Northwest grid")
    CN_South = "CN-South", N_("China, South grid")
    CN_Southwest = "CN-Southwest", N_("China, Southwest grid")
    GB = "GB", N_("United Kingdom")
    US = "US", N_("United States")
    EU27 = "EU27", N_("European Union average")
    DE = "DE", N_("Germany")
    FR = "FR", N_("France")
    DK = "DK", N_("Denmark")
    ES = "ES", N_("Spain")
    IN = "IN", N_("India")
    JP = "JP", N_("Japan")
    BR = "BR", N_("Brazil")
    ZA = "ZA", N_("South Africa")
    MY = "MY", N_("Malaysia")


class Currency(CodeEnum):
    CNY = "CNY", N_("Chinese yuan")
    GBP = "GBP", N_("Pound sterling")
    USD = "USD", N_("US dollar")
    EUR = "EUR", N_("Euro")
    INR = "INR", N_("Indian rupee")
    JPY = "JPY", N_("Japanese yen")
    BRL = "BRL", N_("Brazilian real")
    ZAR = "ZAR", N_("South African rand")
    MYR = "MYR", N_("Malaysian ringgit")


class GwpSet(CodeEnum):
    """GWP-100 values an assessment combines the gases of a factor with (assessment/data/factors/gwp-100.toml)."""

    AR5 = "AR5", N_("IPCC AR5 (2013), 100-year")
    AR6 = "AR6", N_("IPCC AR6 (2021), 100-year")


class BuildingUse(CodeEnum):
    residential = "residential", N_("residential")
    office = "office", N_("office")
    retail = "retail", N_("retail")
    public = "public", N_("public and community")
    industrial = "industrial", N_("industrial")
    mixed = "mixed", N_("mixed use")
    street_lighting = "street_lighting", N_("street lighting and public realm")
    other = "other", N_("other")


class Carrier(CodeEnum):
    grid_electricity = "grid_electricity", N_("grid electricity")
    natural_gas = "natural_gas", N_("natural gas")
    district_heat = "district_heat", N_("district heat")
    district_cooling = "district_cooling", N_("district cooling")
    lpg = "lpg", N_("LPG")
    heating_oil = "heating_oil", N_("heating oil")
    diesel = "diesel", N_("diesel (generators, machinery)")
    coal = "coal", N_("coal")
    biomass = "biomass", N_("biomass (wood pellets, chips)")
    other = "other", N_("other (needs a factor override)")


class EnergyUnit(CodeEnum):
    kWh = "kWh", N_("kilowatt-hours")
    MWh = "MWh", N_("megawatt-hours")
    GJ = "GJ", N_("gigajoules")
    therm = "therm", N_("therms")
    m3 = "m3", N_("cubic metres")
    litre = "litre", N_("litres")
    tonne = "tonne", N_("tonnes")


class RenewableTechnology(CodeEnum):
    solar_pv = "solar_pv", N_("solar photovoltaic")
    wind = "wind", N_("wind")
    solar_thermal = "solar_thermal", N_("solar thermal (heat, kWh thermal)")
    other = "other", N_("other renewable")


class GreenInstrument(CodeEnum):
    green_tariff = "green_tariff", N_("green tariff from supplier")
    ppa = "ppa", N_("power purchase agreement")
    certificate = "certificate", N_("unbundled certificates (REC, GO, GEC)")


class TransportMode(CodeEnum):
    walk = "walk", N_("walking")
    cycle = "cycle", N_("cycling")
    e_bike = "e_bike", N_("e-bike")
    bus = "bus", N_("bus")
    metro_tram = "metro_tram", N_("metro and tram")
    rail = "rail", N_("rail")
    car_petrol = "car_petrol", N_("car, petrol")
    car_diesel = "car_diesel", N_("car, diesel")
    car_hybrid = "car_hybrid", N_("car, hybrid")
    car_electric = "car_electric", N_("car, battery electric")
    motorcycle = "motorcycle", N_("motorcycle")
    taxi = "taxi", N_("taxi and ride-hail")
    van = "van", N_("freight van")
    truck = "truck", N_("freight truck")


class DistanceUnit(CodeEnum):
    vkm = "vkm", N_("vehicle-kilometres")
    pkm = "pkm", N_("passenger-kilometres")


class ShareMode(CodeEnum):
    walk = "walk", N_("walking")
    cycle = "cycle", N_("cycling")
    e_bike = "e_bike", N_("e-bike")
    bus = "bus", N_("bus")
    metro_tram = "metro_tram", N_("metro and tram")
    rail = "rail", N_("rail")
    car = "car", N_("car (driver or passenger)")
    motorcycle = "motorcycle", N_("motorcycle")
    taxi = "taxi", N_("taxi and ride-hail")
    other = "other", N_("other")


class WasteStream(CodeEnum):
    mixed = "mixed", N_("mixed residual waste")
    food = "food", N_("food and organic")
    garden = "garden", N_("garden")
    paper = "paper", N_("paper and card")
    plastic = "plastic", N_("plastic")
    glass = "glass", N_("glass")
    metal = "metal", N_("metal")
    textiles = "textiles", N_("textiles")
    wood = "wood", N_("wood")
    construction = "construction", N_("construction and demolition")


class WasteTreatment(CodeEnum):
    landfill = "landfill", N_("landfill")
    incineration = "incineration", N_("incineration (with or without energy recovery)")
    recycling = "recycling", N_("recycling")
    composting = "composting", N_("composting")
    anaerobic_digestion = "anaerobic_digestion", N_("anaerobic digestion")


class ProjectType(CodeEnum):
    new_build = "new_build", N_("new build")
    retrofit = "retrofit", N_("retrofit or refurbishment")
    maintenance = "maintenance", N_("maintenance and replacement")
    infrastructure = "infrastructure", N_("infrastructure (roads, networks, public realm)")


class BuildingType(CodeEnum):
    residential = "residential", N_("residential")
    office = "office", N_("office")
    retail = "retail", N_("retail")
    education = "education", N_("school and education")
    public = "public", N_("public and community")
    industrial = "industrial", N_("industrial")
    mixed = "mixed", N_("mixed use")
    infrastructure = "infrastructure", N_("infrastructure")


class MaterialUnit(CodeEnum):
    kg = "kg", N_("kilograms")
    tonne = "tonne", N_("tonnes")
    m3 = "m3", N_("cubic metres")


class FreightMode(CodeEnum):
    truck = "truck", N_("truck")
    rail = "rail", N_("rail freight")
    ship = "ship", N_("ship")


class Diet(CodeEnum):
    high_meat = "high_meat", N_("high meat (100 g or more a day)")
    medium_meat = "medium_meat", N_("medium meat (50-99 g a day)")
    low_meat = "low_meat", N_("low meat (under 50 g a day)")
    pescatarian = "pescatarian", N_("pescatarian")
    vegetarian = "vegetarian", N_("vegetarian")
    vegan = "vegan", N_("vegan")


class ConsumptionItem(CodeEnum):
    food_spend = "food_spend", N_("food and drink bought (spend)")
    clothing_spend = "clothing_spend", N_("clothing and footwear (spend)")
    electronics_spend = "electronics_spend", N_("electronics (spend)")
    goods_spend = "goods_spend", N_("other goods (spend)")
    services_spend = "services_spend", N_("services (spend)")
    smartphones = "smartphones", N_("smartphones bought (spend)")
    laptops = "laptops", N_("laptops bought (spend)")
    flights_domestic = "flights_domestic", N_("domestic flights")
    flights_short_haul = "flights_short_haul", N_("short-haul international flights")
    flights_long_haul = "flights_long_haul", N_("long-haul flights")


class ConsumptionUnit(CodeEnum):
    money = "money", N_("money, in the profile's currency")
    pkm = "pkm", N_("passenger-kilometres")
    trip = "trip", N_("one-way trips (give average trip km)")
    kgco2e = "kgco2e", N_("kgCO2e: a footprint already computed (household survey or calculator; cite it in the notes)")


class Basis(CodeEnum):
    per_capita = "per_capita", N_("per resident per year")
    per_household = "per_household", N_("per household per year")
    total = "total", N_("whole neighbourhood per year")


class GreenSpaceType(CodeEnum):
    park = "park", N_("park or garden")
    woodland = "woodland", N_("woodland")
    grassland = "grassland", N_("grassland or meadow")
    wetland = "wetland", N_("wetland")
    water = "water", N_("water body (blue space)")
    green_roof = "green_roof", N_("green roof")
    allotment = "allotment", N_("allotment or community garden")
    street_greenery = "street_greenery", N_("street greenery")


class OffsetStandard(CodeEnum):
    gold_standard = "gold_standard", N_("Gold Standard")
    verra_vcs = "verra_vcs", N_("Verra VCS")
    ccer = "ccer", N_("China CCER")
    other = "other", N_("other")


class ActionStatus(CodeEnum):
    not_started = "not_started", N_("not started")
    planned = "planned", N_("planned")
    in_progress = "in_progress", N_("in progress")
    implemented = "implemented", N_("implemented")
