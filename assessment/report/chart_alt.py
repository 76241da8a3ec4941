"""Alt text of every chart: what it shows, with its key numbers, in the reader's language.

Built by the caller (context.py, portfolio/outputs.py) in the parent process, where the reader's language is set, and
handed to the chart function, which writes it into the SVG as ``<title>`` and ``aria-label`` (so it reaches both HTML
screen readers and the tagged PDF's /Alt). Small pure functions over plain values; numbers by the report's formatter.
"""

from __future__ import annotations

from assessment.i18n import _, get_language, ngettext
from assessment.numbers import number, score_text

#: How many of the largest measures a scenario chart's alt text names.
ALT_MEASURES_NAMED = 3


def listing(items: list[str]) -> str:
    """Items joined the way the reader's language lists them (Chinese: the enumeration comma 、)."""
    return ("、" if get_language() == "zh" else ", ").join(items)


def radar_alt(codes: list[str], scores: list[float | None]) -> str:
    """'Radar of the ten module scores out of 100: M01 48, M02 54, …'."""
    parts = [f"{c} {score_text(s)}" if s is not None else f"{c} {_('not scored')}" for c, s in zip(codes, scores)]
    return _("Radar of the module scores out of 100: {scores}.").format(scores=listing(parts))


def dashboard_alt(
    baseline: tuple[int, float],
    current: tuple[int, float],
    net_zero_year: int,
    interim,
    bau: tuple[int, float] | None,
    scenarios: list[tuple[str, float]],
) -> str:
    """Page 1's trajectory in words: baseline, now, interim target, net-zero year, and where business as usual and each
    scenario end."""
    if baseline[0] == current[0]:
        text = _("Net emissions against the target path: {net} tCO2e now ({year}), the baseline, and zero by {target}.").format(
            net=number(current[1]), year=current[0], target=net_zero_year
        )
    else:
        text = _("Net emissions against the target path: {base} tCO2e in {byear}, {net} tCO2e now ({year}), zero by {target}.").format(
            base=number(baseline[1]), byear=baseline[0], net=number(current[1]), year=current[0], target=net_zero_year
        )
    if interim:
        text += " " + _("Interim target: {value} tCO2e in {year}.").format(value=number(interim[1]), year=interim[0])
    if bau is not None:
        ends = [_("business as usual {value}").format(value=number(bau[1]))] + [f"{name} {number(v)}" for name, v in scenarios]
        text += " " + _("In {year}: {ends} tCO2e.").format(year=bau[0], ends=listing(ends))
    return text


def wedge_alt(scenario: str, measures: list[tuple[str, float]], year: int) -> str:
    """'Yearly abatement of the measures of Ambitious, stacked: 5,879 tCO2e a year in 2050 in all; largest: …'."""
    total = sum(v for _n, v in measures)
    largest = sorted(measures, key=lambda m: (-m[1], m[0]))[:ALT_MEASURES_NAMED]
    return _("Yearly abatement of each measure of {scenario}, stacked: {total} tCO2e a year in {year} in all; largest: {largest}.").format(
        scenario=scenario, total=number(total), year=year, largest=listing([f"{n} {number(v)}" for n, v in largest])
    )


def waterfall_alt(today: tuple[int, float], target: tuple[int, float], change: float, removals: float) -> str:
    """From today's net to the target year's net, and the removals that would close what is left."""
    text = _("From {today} tCO2e in {start} to {net} tCO2e in {year}; growth and the measures change it by {change} in all.").format(
        today=number(today[1]), start=today[0], net=number(target[1]), year=target[0], change=number(change)
    )
    if removals > 0:
        text += " " + _("Removals of {value} tCO2e a year would close the gap.").format(value=number(removals))
    return text


def mac_alt(bars: list[tuple[str, float, float]], currency: str) -> str:
    """The cost curve in words: how many measures, the cheapest and the dearest with their cost per tCO2e."""
    ordered = sorted(bars, key=lambda b: (b[2], b[0]))
    return _(
        "Cost curve of {n} measures: from {cheap} at {low} {currency} to {dear} at {high} {currency} per tCO2e, {total} tCO2e a "
        "year in all."
    ).format(
        n=len(ordered),
        cheap=ordered[0][0],
        low=number(ordered[0][2]),
        dear=ordered[-1][0],
        high=number(ordered[-1][2]),
        currency=currency,
        total=number(sum(b[1] for b in ordered)),
    )


def no_cost_curve_text(costed: int, measures: int) -> str:
    """The sentence printed instead of a cost curve when fewer than two measures have a cost."""
    if costed == 0:
        return _("No cost curve: none of the {m} measures has a cost.").format(m=measures)
    return ngettext(
        "No cost curve: only {n} of {m} measures has a cost.", "No cost curve: only {n} of {m} measures have a cost.", costed
    ).format(n=costed, m=measures)


def scatter_alt(points: list[tuple[float, float]]) -> str:
    """The portfolio scatter in words: how many neighbourhoods and the ranges of both axes."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _(
        "Gross tCO2e per resident against the Thriving score for {n} neighbourhoods: {xlow} to {xhigh} tCO2e per resident, "
        "Thriving {ylow} to {yhigh}; upper left is best."
    ).format(n=len(points), xlow=number(min(xs), 2), xhigh=number(max(xs), 2), ylow=number(min(ys)), yhigh=number(max(ys)))


def distributions_alt(codes: list[str], values: list[list[float]]) -> str:
    """The box plot in words: each module's median score across the portfolio."""
    medians = []
    for code, vals in zip(codes, values):
        s = sorted(vals)
        mid = (s[len(s) // 2] + s[(len(s) - 1) // 2]) / 2 if s else None
        medians.append(f"{code} {number(mid)}")
    return _("Median module scores across the portfolio: {medians}.").format(medians=listing(medians))


def radar_grid_alt(names: list[str]) -> str:
    """'Small radars of the ten module scores of: 1. …, 2. …'."""
    return _("Small radars of the module scores of {n} neighbourhoods, in rank order: {names}.").format(n=len(names), names=listing(names))
