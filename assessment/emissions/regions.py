"""Whose factor is it: does a factor's region match the neighbourhood's country or grid region?

A factor published for another place stands in for a local figure (a *proxy*): UK DESNZ transport factors for a
neighbourhood in Chengdu, US spend factors for one in Bristol. Each line item records its factor's region and
whether it is a proxy; the account carries the share of gross emissions on proxy factors.
"""

from __future__ import annotations

from assessment.model.inputs import Profile

#: Country names (English and Chinese, as a workbook may spell them) -> the region code factors use (ISO 3166-1
#: alpha-2; the UK is GB, as in DESNZ and ISO). Only the countries of the grid regions the input model offers.
COUNTRY_CODES = {
    "china": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "中国": "CN",
    "中华人民共和国": "CN",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "英国": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "美国": "US",
    "germany": "DE",
    "德国": "DE",
    "france": "FR",
    "法国": "FR",
    "denmark": "DK",
    "丹麦": "DK",
    "spain": "ES",
    "西班牙": "ES",
    "india": "IN",
    "印度": "IN",
    "japan": "JP",
    "日本": "JP",
    "brazil": "BR",
    "巴西": "BR",
    "south africa": "ZA",
    "南非": "ZA",
    "malaysia": "MY",
    "马来西亚": "MY",
}

#: Regions that are the neighbourhood's own wherever it is: on-site generation (no grid, no fuel).
LOCAL_REGIONS = frozenset({"site"})
#: Region of a factor the workbook supplies (an override): the user's own figure for this neighbourhood.
WORKBOOK_REGION = "workbook"


def neighbourhood_regions(profile: Profile) -> frozenset[str]:
    """The region codes that are the neighbourhood's own: its grid region (``CN-Southwest``), the country of that
    grid region (``CN``; not for a multi-country grid such as ``EU27``), and the code of its country name where
    :data:`COUNTRY_CODES` knows it (so a neighbourhood on the EU27 grid in "Germany" also owns ``DE``)."""
    grid = profile.grid_region.value
    own = {grid}
    country = grid.split("-", 1)[0]
    if len(country) == 2:
        own.add(country)
    code = COUNTRY_CODES.get(profile.country.strip().lower())
    if code:
        own.add(code)
    return frozenset(own)


def country_code(profile: Profile) -> str | None:
    """ISO 3166-1 alpha-2 code of the neighbourhood's country: the country of its grid region (``CN-Southwest`` -> ``CN``),
    else the code of its country name where :data:`COUNTRY_CODES` knows it (a neighbourhood on the ``EU27`` grid in
    "Germany" -> ``DE``); None for a multi-country grid in a country the table does not know."""
    country = profile.grid_region.value.split("-", 1)[0]
    if len(country) == 2:
        return country
    return COUNTRY_CODES.get(profile.country.strip().lower())


def is_proxy_region(factor_region: str, own: frozenset[str]) -> bool:
    """True when a factor published for ``factor_region`` stands in for a local figure of a neighbourhood whose own
    regions are ``own`` (:func:`neighbourhood_regions`).

    The rule, in order:

    * on-site (``site``) and workbook overrides (``workbook``) are never proxies: they are the neighbourhood's own;
    * a factor of the neighbourhood's grid region or country matches (``GB`` for the United Kingdom; ``CN`` and
      ``CN-Southwest`` for Chengdu on the Southwest grid);
    * a sub-national factor of another region is a proxy, even in the same country (``CN-North`` for Chengdu,
      ``US-CA`` for a US neighbourhood: the input does not say it is in California);
    * a factor for several countries (``US+CA``) matches any of them;
    * a world or multi-country average (``GLOBAL``, ``EU27``) is always a proxy unless it is the neighbourhood's own
      grid region (a workbook that chose the EU27 grid): a world average is a stand-in even where no country figure
      exists. Zero-valued conventions (walking, cycling) are flagged too but weigh nothing in the share.
    """
    region = factor_region.strip()
    if region in LOCAL_REGIONS or region == WORKBOOK_REGION:
        return False
    if region in own:
        return False
    if "+" in region:
        return not any(part.strip() in own for part in region.split("+"))
    return True
