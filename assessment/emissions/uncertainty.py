"""Uncertainty ranges of the account: each line item's data quality, propagated by seeded Monte Carlo.

Each gross line and each removal is lognormal with its point value as median. Its log-space standard
deviation follows the ecoinvent pedigree approach (Weidema et al. 2013; factors of Ciroth et al. 2016,
modules/uncertainty.toml): sigma = 1/2 * sqrt(sum of ln(U)^2) over its uncertainty factors U, each a
contribution to GSD^2, so about 95% of a line's values lie within median / GSD^2 ... median * GSD^2.

* The activity amount carries the basic uncertainty and the factor of its row's data-quality flag
  (measured, calculated, estimated, default; pedigree reliability scores 1-4). Removals are estimates from
  average rates and count as default data, a measured sequestration study as measured.
* The emission factor carries the pedigree factors of its geographical correlation (its region against the
  neighbourhood's grid region: the same country, a larger area that includes it, or another country used as
  a proxy) and of its temporal correlation (years between the factor's year and the reporting year). A
  factor the user supplied (an override) is taken as local; a unit conversion (a measured study, on-site
  generation) has no factor uncertainty.
* Correlation: inputs are independent of each other, and so are factors; the lines computed from one input
  value share its activity draw, and the lines that use one factor share its factor draw (so a grid factor's
  error moves every electricity line together).

Propagation: N draws (10,000 by default) of every line, summed per draw into gross, removals, net
(gross - removals), each category, and per capita (divided by the population, which is taken as exact); the
5th, 50th and 95th percentiles of those sums are the ranges. The generator is numpy's PCG64, seeded from a
hash of the line values and of which lines share an input or a factor, so the same input gives the same
ranges (rounded to four significant figures); the uncertainties are left out of the seed, so better data for
one input is drawn from the same random numbers and narrows the range rather than reshuffling it. Scenario ranges
scale the net in the target year by the relative spread of today's net (p05 / net, p95 / net): the
scenarios' measures are taken to keep today's data quality.

The contribution of each input and each factor to the spread is its share of the first-order variance of
net emissions, (amount x sigma)^2 summed over the lines it feeds (the linear error propagation of the GHG
Protocol uncertainty guidance and IPCC 2006 Vol. 1 Ch. 3, Approach 1).

What measuring would change: for the largest inputs (by the tCO2e a year they feed, five by default,
``if_measured_shown``) whose rows give estimated or default data or no data quality, the range of net emissions
is drawn again with that one input's activity factor set to that of measured data, from the same random numbers
(common random numbers: the seed leaves the uncertainties out), every other input unchanged. Only the lines of
that input are re-drawn, which gives the same percentiles as a whole new run at the cost of a few lines. The
result holds each such input's Sheet!Cell, tCO2e a year, share of gross, the range now and if measured, and how
much narrower the 5-95% width becomes (``emissions.uncertainty.if_measured``); the data-quality page prints them.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from assessment.model.results import EmissionsAccount, MeasurementGain, Range, UncertaintyContribution, UncertaintySummary
from assessment.model.uncertainty_table import UncertaintyTable

#: EU member states by the codes the grid regions use: an EU27 factor is a larger area that includes them.
EU27 = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
GLOBAL_REGIONS = frozenset({"GLOBAL", "WORLD"})
#: Lines are drawn in blocks of this many, so memory stays at block x draws whatever the input's size.
BLOCK_LINES = 256
SIGNIFICANT = 4


def region_class(factor_region: str, grid_region: str) -> str:
    """'match', 'larger_area' or 'proxy': how a factor's region relates to the neighbourhood's grid region.

    The country is the grid region's code before any '-' (CN-Southwest -> CN); a factor region matches when its
    country is that country (CN, CN-Southwest, or CA-ON for a CA grid). This is the one place the toolkit decides
    a proxy, so a per-line proxy flag can replace it.
    """
    r = factor_region.strip().upper()
    grid = grid_region.strip().upper()
    country = grid.split("-")[0]
    parts = {p.split("-")[0] for p in r.split("+")}
    if r == grid or parts == {country}:
        return "match"
    if r in GLOBAL_REGIONS or country in parts or (r == "EU27" and country in EU27):
        return "larger_area"
    return "proxy"


def sigma(*gsd2: float) -> float:
    """Log-space standard deviation of a lognormal from pedigree factors (each a contribution to GSD^2)."""
    return math.sqrt(sum(math.log(u) ** 2 for u in gsd2)) / 2.0


@dataclass(frozen=True)
class Lines:
    """The account as arrays: one entry per line item (gross lines first, then removals)."""

    value: np.ndarray  # tCO2e/yr, removals positive
    group: np.ndarray  # 0, 1, 2 the categories; 3 removals
    activity: np.ndarray  # index of the line's input value (its shared activity draw)
    activity_sigma: np.ndarray  # per input value
    factor: np.ndarray  # index of the line's factor (its shared factor draw)
    factor_sigma: np.ndarray  # per factor


@dataclass(frozen=True)
class Draws:
    """Percentiles (p05, p50, p95) of the Monte Carlo sums, unrounded."""

    gross: tuple[float, float, float]
    removals: tuple[float, float, float]
    net: tuple[float, float, float]
    by_group: tuple[tuple[float, float, float], ...]
    seed: int


def _quality(q, table: UncertaintyTable) -> str:
    return q.value if hasattr(q, "value") else (q or table.activity_rules.not_stated)


def line_arrays(account: EmissionsAccount, grid_region: str, reporting_year: int, table: UncertaintyTable, categories) -> tuple:
    """The account's lines as :class:`Lines`, with the description of each input value and factor (for contributions)."""
    used = {f.id: f for f in account.factors_used}
    basic = table.basic.gsd2
    act_index: dict[tuple, int] = {}
    act_sigma: list[float] = []
    act_info: list[dict] = []
    fac_index: dict[str, int] = {}
    fac_sigma: list[float] = []
    fac_info: list[dict] = []
    value, group, act, fac = [], [], [], []

    def factor_of(fid: str, kind: str) -> int:
        if (kind, fid) not in fac_index:
            f = used.get(fid)
            if f is None or f.overridden:
                region, age = ("match" if f is not None else "none"), (abs(reporting_year - f.year) if f else 0)
                s = sigma(table.age_factor(age).gsd2) if f is not None else 0.0
            else:
                region, age = region_class(f.region, grid_region), abs(reporting_year - f.year)
                s = sigma(getattr(table.factor_region, region).gsd2, table.age_factor(age).gsd2)
            fac_index[(kind, fid)] = len(fac_sigma)
            fac_sigma.append(s)
            fac_info.append({"factor_id": fid, "region": region, "age": age, "region_of_factor": f.region if f else ""})
        return fac_index[(kind, fid)]

    def activity_of(kind: str, path: str, ref: str, description: str, quality: str, fid: str, stated: str | None = None) -> int:
        key = (kind, path or f"#{len(act_sigma)}")
        if key not in act_index:
            act_index[key] = len(act_sigma)
            act_sigma.append(sigma(basic, table.activity[quality].gsd2))
            act_info.append(
                {
                    "kind": kind,
                    "source_path": path,
                    "source_ref": ref,
                    "description": description,
                    "quality": quality,
                    "stated": stated or quality,
                    "factor_id": fid,
                }
            )
        return act_index[key]

    for li in account.line_items:
        q = _quality(li.data_quality, table)
        stated = li.data_quality.value if hasattr(li.data_quality, "value") else (li.data_quality or "not_stated")
        value.append(li.tco2e_per_year)
        group.append(categories.index(li.category))
        act.append(activity_of("emission", li.source_path, li.source_ref, li.description, q, li.factor_id, stated))
        fac.append(factor_of(li.factor_id, "emission"))
    rules = table.activity_rules
    for r in account.removal_items:
        q = rules.measured_removals if r.kind == "measured" else rules.removals
        value.append(r.tco2e_per_year)
        group.append(len(categories))
        act.append(activity_of("removal", r.source_path, r.source_ref, r.description, q, r.factor_id))
        fac.append(factor_of(r.factor_id, "removal"))
    lines = Lines(
        value=np.asarray(value, dtype=float),
        group=np.asarray(group, dtype=np.intp),
        activity=np.asarray(act, dtype=np.intp),
        activity_sigma=np.asarray(act_sigma, dtype=float),
        factor=np.asarray(fac, dtype=np.intp),
        factor_sigma=np.asarray(fac_sigma, dtype=float),
    )
    return lines, act_info, fac_info


def seed_of(lines: Lines, draws: int) -> int:
    """A seed from the content of the lines: the same values give the same seed.

    The uncertainties are left out on purpose: an input whose data quality improves is drawn from the same
    random numbers (common random numbers), so its range narrows and does not move by Monte Carlo noise.
    """
    h = hashlib.sha256()
    for a in (lines.value, lines.group, lines.activity, lines.factor):
        h.update(np.ascontiguousarray(a).tobytes())
        h.update(b"|")
    h.update(str(draws).encode())
    return int.from_bytes(h.digest()[:8], "big")


def _pct(x: np.ndarray) -> tuple[float, float, float]:
    p05, p50, p95 = np.percentile(x, (5.0, 50.0, 95.0))
    return float(p05), float(p50), float(p95)


def normals(lines: Lines, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The standard normals of a run: one per input value and draw, then one per factor and draw (in that order)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    z_act = rng.standard_normal((len(lines.activity_sigma), draws))
    z_fac = rng.standard_normal((len(lines.factor_sigma), draws))
    return z_act, z_fac


def draw_sums(lines: Lines, draws: int, n_groups: int, seed: int) -> np.ndarray:
    """Monte Carlo sums per group and draw, shape (n_groups + 1, draws); the last row is removals.

    Vectorised in blocks of lines; the input values draw first (one standard normal each per draw), then the factors.
    """
    return line_sums(lines, *normals(lines, draws, seed), n_groups)


def line_sums(lines: Lines, z_act: np.ndarray, z_fac: np.ndarray, n_groups: int) -> np.ndarray:
    """The sums of :func:`draw_sums` from given normals (``z_act``: inputs x draws, ``z_fac``: factors x draws)."""
    draws = z_act.shape[1] if z_act.size else z_fac.shape[1]
    sums = np.zeros((n_groups + 1, draws))
    for start in range(0, len(lines.value), BLOCK_LINES):
        sl = slice(start, start + BLOCK_LINES)
        a, f = lines.activity[sl], lines.factor[sl]
        log_mult = lines.activity_sigma[a, None] * z_act[a] + lines.factor_sigma[f, None] * z_fac[f]
        block = lines.value[sl, None] * np.exp(log_mult)
        onehot = (lines.group[sl][None, :] == np.arange(n_groups + 1)[:, None]).astype(float)
        sums += onehot @ block
    return sums


def simulate(lines: Lines, draws: int, n_groups: int, seed: int | None = None) -> Draws:
    """Percentiles of gross, removals, net and each group of the Monte Carlo sums."""
    seed = seed_of(lines, draws) if seed is None else seed
    return percentiles(draw_sums(lines, draws, n_groups, seed), n_groups, seed)


def percentiles(sums: np.ndarray, n_groups: int, seed: int) -> Draws:
    """The :class:`Draws` of Monte Carlo sums (rows: the groups, then removals)."""
    gross = sums[:n_groups].sum(axis=0)
    removals = sums[n_groups]
    return Draws(
        gross=_pct(gross),
        removals=_pct(removals),
        net=_pct(gross - removals),
        by_group=tuple(_pct(sums[g]) for g in range(n_groups)),
        seed=seed,
    )


def _round(x: float) -> float:
    """Four significant figures: the ranges are estimates, and rounding keeps them identical across CPUs."""
    return 0.0 if x == 0 or not math.isfinite(x) else round(x, SIGNIFICANT - 1 - int(math.floor(math.log10(abs(x)))))


def make_range(p: tuple[float, float, float], scale: float = 1.0) -> Range:
    lo, mid, hi = sorted(v * scale for v in p)
    return Range(p05=_round(lo), p50=_round(mid), p95=_round(hi))


def contributions(lines: Lines, act_info: list[dict], fac_info: list[dict]) -> list[UncertaintyContribution]:
    """Each input value's and each factor's share of the first-order variance of net emissions, largest first."""
    act_total = np.bincount(lines.activity, weights=lines.value, minlength=len(act_info))
    fac_total = np.bincount(lines.factor, weights=lines.value, minlength=len(fac_info))
    var_act = (act_total * lines.activity_sigma) ** 2
    var_fac = (fac_total * lines.factor_sigma) ** 2
    total = float(var_act.sum() + var_fac.sum())
    out = []
    for i, info in enumerate(act_info):
        if var_act[i] > 0:
            out.append(
                UncertaintyContribution(
                    kind="input" if info["kind"] == "emission" else "removal_input",
                    source_ref=info["source_ref"],
                    source_path=info["source_path"],
                    description=info["description"],
                    data_quality=info["quality"],
                    factor_id=info["factor_id"],
                    tco2e_per_year=_round(float(act_total[i])),
                    gsd2=round(math.exp(2 * float(lines.activity_sigma[i])), 3),
                    variance_share_pct=round(float(var_act[i]) / total * 100.0, 2),
                )
            )
    for j, info in enumerate(fac_info):
        if var_fac[j] > 0:
            out.append(
                UncertaintyContribution(
                    kind="factor",
                    description=f"{info['factor_id']} ({info['region_of_factor'] or 'no region'}, {info['age']} years old)",
                    factor_id=info["factor_id"],
                    factor_region=info["region"],
                    factor_age_years=info["age"],
                    tco2e_per_year=_round(float(fac_total[j])),
                    gsd2=round(math.exp(2 * float(lines.factor_sigma[j])), 3),
                    variance_share_pct=round(float(var_fac[j]) / total * 100.0, 2),
                )
            )
    out.sort(key=lambda c: (-c.variance_share_pct, c.kind, c.source_path, c.factor_id))
    return out


#: Data-quality classes (as stated on the row) whose inputs the data-quality page offers to measure.
TO_MEASURE = ("estimated", "default", "not_stated")


def inputs_to_measure(lines: Lines, act_info: list[dict], top: int) -> list[int]:
    """The ``top`` emission inputs with estimated, default or unstated data, largest tCO2e a year first (ties: by path)."""
    total = np.bincount(lines.activity, weights=lines.value, minlength=len(act_info))
    found = [i for i, info in enumerate(act_info) if info["kind"] == "emission" and info["stated"] in TO_MEASURE and total[i] > 0]
    return sorted(found, key=lambda i: (-float(total[i]), act_info[i]["source_path"]))[:top]


def net_if_measured(lines: Lines, z_act: np.ndarray, z_fac: np.ndarray, net: np.ndarray, index: int, measured_sigma: float) -> np.ndarray:
    """Net emissions per draw with input ``index`` measured: its lines re-drawn with ``measured_sigma`` from the same
    normals (common random numbers), every other line as drawn. The same as re-running the whole simulation with that
    input's data quality set to measured (the seed leaves the uncertainties out), at the cost of that input's lines only."""
    rows = np.flatnonzero(lines.activity == index)
    if rows.size == 0:
        return net
    f = lines.factor[rows]
    factor_part = lines.value[rows, None] * np.exp(lines.factor_sigma[f, None] * z_fac[f])
    was = np.exp(lines.activity_sigma[index] * z_act[index])
    now = np.exp(measured_sigma * z_act[index])
    delta = (factor_part * (now - was)).sum(axis=0)
    # an emission input adds to gross and so to net; a removal input would subtract (not offered: TO_MEASURE is emissions)
    return net + delta


def measurement_gains(
    lines: Lines,
    act_info: list[dict],
    table: UncertaintyTable,
    z: tuple[np.ndarray, np.ndarray],
    sums: np.ndarray,
    n_groups: int,
    gross_tco2e: float,
    top: int,
) -> list[MeasurementGain]:
    """For the ``top`` largest estimated, default or unstated inputs: the 5-95% range of net emissions now and with
    that one input measured (its activity factor that of measured data, modules/uncertainty.toml), and how much
    narrower that range is, in % of today's width."""
    z_act, z_fac = z
    net = sums[:n_groups].sum(axis=0) - sums[n_groups]
    now = make_range(_pct(net))
    width_now = float(np.percentile(net, 95.0) - np.percentile(net, 5.0))
    measured_sigma = sigma(table.basic.gsd2, table.activity["measured"].gsd2)
    total = np.bincount(lines.activity, weights=lines.value, minlength=len(act_info))
    out = []
    for i in inputs_to_measure(lines, act_info, top):
        info = act_info[i]
        after = net_if_measured(lines, z_act, z_fac, net, i, measured_sigma)
        lo, hi = np.percentile(after, (5.0, 95.0))
        narrowing = (width_now - float(hi - lo)) / width_now * 100.0 if width_now > 0 else 0.0
        out.append(
            MeasurementGain(
                source_ref=info["source_ref"],
                source_path=info["source_path"],
                description=info["description"],
                data_quality=info["stated"],
                factor_id=info["factor_id"],
                tco2e_per_year=_round(float(total[i])),
                share_of_gross_pct=round(float(total[i]) / gross_tco2e * 100.0, 2) if gross_tco2e > 0 else 0.0,
                net_range_now=now,
                net_range_if_measured=make_range(_pct(after)),
                range_narrowing_pct=round(narrowing, 1),
            )
        )
    return out


@dataclass(frozen=True)
class AccountRanges:
    """Everything the uncertainty adds to an account."""

    gross: Range
    removals: Range
    net: Range
    per_capita: Range
    net_per_capita: Range
    by_category: dict[str, Range]
    summary: UncertaintySummary
    #: p / net of today's net emissions (p05, p50, p95), to scale a scenario's target-year net; None when net <= 0
    net_relative: tuple[float, float, float] | None


def account_ranges(
    account: EmissionsAccount, grid_region: str, reporting_year: int, population: int, table: UncertaintyTable, draws: int | None = None
) -> AccountRanges:
    """The 5-95% ranges of an account (pure: the same account and table give the same ranges)."""
    cats = list(account.by_category)
    n = draws or table.draws
    lines, act_info, fac_info = line_arrays(account, grid_region, reporting_year, table, cats)
    seed = seed_of(lines, n)
    z = normals(lines, n, seed)
    sums = line_sums(lines, *z, len(cats))
    d = percentiles(sums, len(cats), seed)
    net = account.net_tco2e_per_year
    summary = UncertaintySummary(
        method="pedigree lognormal, Monte Carlo (see docs/methodology.md, Uncertainty ranges)",
        draws=n,
        seed=d.seed,
        contributions=contributions(lines, act_info, fac_info),
        if_measured=measurement_gains(lines, act_info, table, z, sums, len(cats), account.gross_tco2e_per_year, table.if_measured_shown),
    )
    return AccountRanges(
        gross=make_range(d.gross),
        removals=make_range(d.removals),
        net=make_range(d.net),
        per_capita=make_range(d.gross, 1.0 / population),
        net_per_capita=make_range(d.net, 1.0 / population),
        by_category={c: make_range(d.by_group[i]) for i, c in enumerate(cats)},
        summary=summary,
        net_relative=tuple(p / net for p in d.net) if net > 0 else None,
    )


def scaled_range(net_relative: tuple[float, float, float] | None, value: float) -> Range | None:
    """A target-year net scaled by the relative spread of today's net (None when today's net is not positive)."""
    return None if net_relative is None else make_range(net_relative, value)


def with_ranges(account: EmissionsAccount, r: AccountRanges) -> EmissionsAccount:
    """The account with its ranges filled in."""
    return account.model_copy(
        update={
            "range": r.net,
            "gross_range": r.gross,
            "removals_range": r.removals,
            "per_capita_range": r.per_capita,
            "net_per_capita_range": r.net_per_capita,
            "by_category": {c: t.model_copy(update={"range": r.by_category[c]}) for c, t in account.by_category.items()},
            "uncertainty": r.summary,
        }
    )
