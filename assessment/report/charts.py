"""Charts for the report: matplotlib figures returned as inline SVG text.

The radar of module scores and the trajectory are matplotlib figures; simple
bars (emissions by sector, data quality, embodied intensity, module gauges) are
drawn in HTML/CSS by the template from the same palette.

Text stays text (``svg.fonttype = none``) so the PDF is searchable and the
labels can be translated; output is deterministic (fixed hash salt, no date).
Colours come from one colour-blind-safe palette used the same way on every
page: Okabe & Ito (2008) for emission categories, Paul Tol's "muted" scheme for
the ten modules.
"""

from __future__ import annotations

import io
import math
import re
from functools import cache

from assessment.paths import templates_dir

#: Okabe, M. & Ito, K. (2008) Color Universal Design: one colour per emission category.
CATEGORY_COLOURS = {"operational": "#0072B2", "embodied": "#E69F00", "consumption": "#009E73", "removals": "#56B4E9", "offsets": "#999999"}
#: Tol, P. (2021) "Colour schemes", SRON technical note, muted qualitative scheme (+ grey): one colour per module.
MODULE_COLOURS = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6F6F6F"]
QUALITY_COLOURS = {"measured": "#117733", "calculated": "#44AA99", "estimated": "#DDCC77", "default": "#CC6677", "not_stated": "#BBBBBB"}
INK = "#222222"
GRID = "#DDDDDD"
FONT_FAMILY = ["DejaVu Sans", "Noto Sans SC nzn"]  # per-glyph fallback: Latin from DejaVu, Chinese from the bundled subset


@cache
def _pyplot():
    """matplotlib, imported on first use (start-up: the report worker forks before it loads; the palette needs none)."""
    import matplotlib  # start-up: loads in the chart helper process (report/worker.py), not in the parent

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(templates_dir() / "fonts" / "NotoSansSC-nzn.otf"))
    return plt


def _style():
    plt = _pyplot()
    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "nzn",
            "font.family": FONT_FAMILY,
            "font.size": 8,
            "axes.edgecolor": "#888888",
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.titlesize": 9,
        }
    )
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)


def radar(labels: list[str], scores: list[float | None], title: str = "") -> str:
    """Ten module scores (0-100) on a radar; modules without a score sit at 0 with a hollow marker."""
    plt = _style()
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)]
    fig = plt.figure(figsize=(3.6, 3.6))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)  # first module at the top
    ax.set_theta_direction(-1)  # then clockwise
    vals = [s if s is not None else 0.0 for s in scores]
    ax.plot(angles + angles[:1], vals + vals[:1], color="#0072B2", linewidth=1.5)
    ax.fill(angles + angles[:1], vals + vals[:1], color="#0072B2", alpha=0.15)
    for i, (a, s) in enumerate(zip(angles, scores)):
        ax.plot(
            [a],
            [s if s is not None else 0],
            "o",
            markersize=5,
            color=MODULE_COLOURS[i % 10],
            markerfacecolor=MODULE_COLOURS[i % 10] if s is not None else "white",
        )
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=6, color="#777777")
    ax.set_xticks(angles)
    ax.set_xticklabels(labels, fontsize=7)
    ax.grid(color=GRID)
    ax.spines["polar"].set_color("#BBBBBB")
    if title:
        ax.set_title(title, pad=14)
    return _svg(fig)


def trajectory(
    path: list[tuple[int, float]],
    current: tuple[int, float],
    baseline: tuple[int, float],
    interim: tuple[int, float] | None,
    labels: dict[str, str],
) -> str:
    """The linear target path from the baseline to zero, with the current position and the gap."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    years = [p[0] for p in path]
    ax.plot(years, [p[1] for p in path], color="#0072B2", linewidth=1.6, label=labels["path"])
    ax.plot([baseline[0]], [baseline[1]], "s", color="#555555", label=labels["baseline"])
    if interim:
        ax.plot([interim[0]], [interim[1]], "D", color="#009E73", label=labels["interim"])
    ax.plot([current[0]], [current[1]], "o", color="#D55E00", markersize=7, label=labels["current"])
    on_path = next((p[1] for p in path if p[0] == current[0]), None)
    if on_path is not None and abs(current[1] - on_path) > 1e-9:
        ax.annotate("", xy=(current[0], current[1]), xytext=(current[0], on_path), arrowprops={"arrowstyle": "<->", "color": "#D55E00"})
        ax.text(current[0] + 0.4, (current[1] + on_path) / 2, labels["gap"], color="#D55E00", fontsize=7, va="center")
    ax.set_ylabel(labels["unit"])
    ax.set_ylim(0, max([p[1] for p in path] + [current[1]]) * 1.12)
    ax.grid(color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper right")
    return _svg(fig)


def radar_grid(titles: list[str], score_lists: list[list[float | None]], columns: int = 5) -> str:
    """Small-multiple radars: one small radar of the ten module scores per neighbourhood."""
    plt = _style()
    n = len(titles)
    rows = max(1, math.ceil(n / columns))
    fig = plt.figure(figsize=(10.0, 2.0 * rows))
    for k, (title, scores) in enumerate(zip(titles, score_lists)):
        ax = fig.add_subplot(rows, columns, k + 1, projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        m = len(scores)
        angles = [2 * math.pi * i / m for i in range(m)]
        vals = [s if s is not None else 0.0 for s in scores]
        ax.plot(angles + angles[:1], vals + vals[:1], color="#0072B2", linewidth=0.8)
        ax.fill(angles + angles[:1], vals + vals[:1], color="#0072B2", alpha=0.2)
        ax.set_ylim(0, 100)
        ax.set_xticks(angles)
        ax.set_xticklabels([])
        ax.set_yticks([50, 100])
        ax.set_yticklabels([])
        ax.grid(color=GRID, linewidth=0.4)
        ax.spines["polar"].set_color("#BBBBBB")
        ax.set_title(title, fontsize=6.5, pad=4)
    fig.subplots_adjust(hspace=0.45, wspace=0.35)
    return _svg(fig)


def scatter(points: list[tuple[str, float, float]], labels: dict[str, str]) -> str:
    """Per-capita emissions (x) against the Thriving score (y), one labelled point per neighbourhood."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.scatter([p[1] for p in points], [p[2] for p in points], s=18, color="#0072B2", edgecolor="white", linewidth=0.5, zorder=3)
    # points come in rank order; with many, label only the three best and three worst so labels stay legible
    labelled = points if len(points) <= 12 else points[:3] + points[-3:]
    for name, x, y in labelled:
        ax.annotate(name, (x, y), fontsize=5.5, xytext=(3, 2), textcoords="offset points", color="#444444")
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.grid(color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def distributions(module_codes: list[str], values: list[list[float]], label: str) -> str:
    """Each module's score across the portfolio: a box per module with the individual scores over it."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    data = [v if v else [float("nan")] for v in values]
    box = ax.boxplot(data, widths=0.55, patch_artist=True, showfliers=False, medianprops={"color": INK})
    for patch, colour in zip(box["boxes"], MODULE_COLOURS):
        patch.set_facecolor(colour)
        patch.set_alpha(0.35)
    for i, vals in enumerate(values, start=1):
        xs = [i + (j % 7 - 3) * 0.04 for j in range(len(vals))]
        ax.scatter(xs, vals, s=5, color=MODULE_COLOURS[(i - 1) % 10], zorder=3)
    ax.set_xticks(range(1, len(module_codes) + 1))
    ax.set_xticklabels(module_codes)
    ax.set_ylim(0, 100)
    ax.set_ylabel(label)
    ax.grid(axis="y", color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


#: One colour per measure in the scenario charts (Tol "muted" order, then the Okabe-Ito set), recycled beyond 18 measures.
MEASURE_COLOURS = MODULE_COLOURS[:9] + ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"]


def _clean(ax) -> None:
    ax.grid(color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def wedge(
    years: list[int],
    bau: list[float],
    wedges: list[tuple[str, list[float]]],
    scenario: list[float],
    path: list[tuple[int, float]],
    labels: dict[str, str],
) -> str:
    """Business as usual minus the stacked abatement of each measure, year by year, against the target path.

    Each band is one measure's abatement, stacked downwards from the BAU line, so
    the band's lower edge after the last measure is the scenario's net emissions.
    Negative abatements (a measure that adds emissions) are drawn as zero-height
    bands: their effect shows in the scenario line.
    """
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.8, 3.1))
    top = list(bau)
    for i, (name, values) in enumerate(wedges):
        bottom = [t - max(v, 0.0) for t, v in zip(top, values)]
        ax.fill_between(years, bottom, top, color=MEASURE_COLOURS[i % len(MEASURE_COLOURS)], alpha=0.75, linewidth=0, label=name)
        top = bottom
    ax.plot(years, bau, color=INK, linewidth=1.4, label=labels["bau"])
    ax.plot(years, scenario, color="#D55E00", linewidth=1.6, label=labels["scenario"])
    if path:
        ax.plot([p[0] for p in path], [p[1] for p in path], color="#0072B2", linewidth=1.2, linestyle="--", label=labels["path"])
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_ylabel(labels["unit"])
    ax.set_xlim(years[0], years[-1])
    ax.set_ylim(min(0.0, min(scenario) * 1.1), max(bau + [p[1] for p in path]) * 1.08)
    _clean(ax)
    ax.legend(fontsize=6, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _svg(fig)


def waterfall(steps: list[tuple[str, float, str]], labels: dict[str, str]) -> str:
    """Today's net -> each measure's change -> net at the target year -> the removals that would close it.

    ``steps``: (label, value, kind) with kind 'total' (a bar from zero) or 'change'
    (a floating bar from the running total; negative values go down).
    """
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.8, 3.0))
    running = 0.0
    for i, (_name, value, kind) in enumerate(steps):
        if kind == "total":
            ax.bar(i, value, color="#555555" if i == 0 else "#D55E00", width=0.65)
            running = value
        else:
            low, high = sorted((running, running + value))
            colour = "#009E73" if value < 0 else "#CC6677"
            if kind == "removals":
                colour = CATEGORY_COLOURS["removals"]
            ax.bar(i, high - low, bottom=low, color=colour, width=0.65)
            running += value
    ax.set_xticks(range(len(steps)))
    ax.set_xticklabels([s[0] for s in steps], rotation=40, ha="right", fontsize=6.5)
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_ylabel(labels["unit"])
    _clean(ax)
    return _svg(fig)


def mac_curve(bars: list[tuple[str, float, float]], labels: dict[str, str]) -> str:
    """Marginal abatement cost curve: one bar per measure, width = yearly abatement, height = cost per tCO2e, cheapest first."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(6.8, 2.8))
    x = 0.0
    for i, (name, width, cost) in enumerate(sorted(bars, key=lambda b: b[2])):
        ax.bar(x, cost, width=width, align="edge", color=MEASURE_COLOURS[i % len(MEASURE_COLOURS)], edgecolor="white", linewidth=0.5)
        ax.text(
            x + width / 2, cost, name, fontsize=6, ha="center", va="bottom" if cost >= 0 else "top", rotation=90 if width < x / 8 else 0
        )
        x += width
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_xlim(0, max(x, 1.0))
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    _clean(ax)
    return _svg(fig)
