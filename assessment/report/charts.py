"""Charts for the report: matplotlib figures returned as inline SVG text.

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

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

#: Okabe, M. & Ito, K. (2008) Color Universal Design: one colour per emission category.
CATEGORY_COLOURS = {"operational": "#0072B2", "embodied": "#E69F00", "consumption": "#009E73", "removals": "#56B4E9", "offsets": "#999999"}
#: Tol, P. (2021) "Colour schemes", SRON technical note, muted qualitative scheme (+ grey): one colour per module.
MODULE_COLOURS = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6F6F6F"]
QUALITY_COLOURS = {"measured": "#117733", "calculated": "#44AA99", "estimated": "#DDCC77", "default": "#CC6677", "not_stated": "#BBBBBB"}
INK = "#222222"
GRID = "#DDDDDD"
FONT_FAMILY = ["DejaVu Sans"]


def _style() -> None:
    plt.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "nzn", "font.family": FONT_FAMILY, "font.size": 8,
        "axes.edgecolor": "#888888", "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.titlesize": 9,
    })


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)


def radar(labels: list[str], scores: list[float | None], title: str = "") -> str:
    """Ten module scores (0-100) on a radar; modules without a score sit at 0 with a hollow marker."""
    _style()
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
        ax.plot([a], [s if s is not None else 0], "o", markersize=5, color=MODULE_COLOURS[i % 10],
                markerfacecolor=MODULE_COLOURS[i % 10] if s is not None else "white")
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


def category_bars(rows: list[tuple[str, str, float]], unit: str) -> str:
    """Horizontal bars, one per (category, subcategory) with its tCO2e, coloured by category."""
    _style()
    rows = [r for r in rows if r[2] > 0]
    height = max(1.2, 0.28 * len(rows) + 0.5)
    fig, ax = plt.subplots(figsize=(6.4, height))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [r[2] for r in rows], color=[CATEGORY_COLOURS.get(r[0], "#888888") for r in rows], height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels([r[1] for r in rows])
    top = max((r[2] for r in rows), default=1)
    for yi, r in zip(y, rows):
        ax.text(r[2] + top * 0.01, yi, f"{r[2]:,.0f}", va="center", fontsize=7, color=INK)
    ax.set_xlabel(unit)
    ax.set_xlim(0, top * 1.15)
    ax.grid(axis="x", color=GRID)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def trajectory(path: list[tuple[int, float]], current: tuple[int, float], baseline: tuple[int, float], interim: tuple[int, float] | None,
               labels: dict[str, str]) -> str:
    """The linear target path from the baseline to zero, with the current position and the gap."""
    _style()
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


def intensity_bars(rows: list[tuple[str, float | None]], targets: list[tuple[str, float]], unit: str) -> str:
    """Upfront embodied intensity per project against reference lines (targets)."""
    _style()
    rows = [r for r in rows if r[1] is not None]
    fig, ax = plt.subplots(figsize=(6.4, max(1.3, 0.32 * len(rows) + 0.6)))
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [r[1] for r in rows], color=CATEGORY_COLOURS["embodied"], height=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels([r[0] for r in rows])
    styles = ["--", ":", "-."]
    for i, (label, value) in enumerate(targets):
        ax.axvline(value, color="#555555", linestyle=styles[i % 3], linewidth=1, label=label)
    ax.set_xlabel(unit)
    ax.grid(axis="x", color=GRID)
    ax.set_axisbelow(True)
    if targets:
        ax.legend(fontsize=6.5, frameon=False, loc="lower right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def quality_bar(shares: list[tuple[str, str, float]]) -> str:
    """One stacked bar: share of emissions by data quality (key, label, %)."""
    _style()
    fig, ax = plt.subplots(figsize=(6.4, 0.9))
    left = 0.0
    for key, label, pct in shares:
        if pct <= 0:
            continue
        ax.barh([0], [pct], left=[left], color=QUALITY_COLOURS.get(key, "#888888"), height=0.6, label=f"{label} {pct:.0f}%")
        left += pct
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=6.5, frameon=False, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.45))
    return _svg(fig)


def score_bar(score: float | None, colour: str) -> str:
    """A small horizontal gauge 0-100 for a module page."""
    _style()
    fig, ax = plt.subplots(figsize=(2.2, 0.28))
    ax.barh([0], [100], color="#EEEEEE", height=1)
    if score is not None:
        ax.barh([0], [score], color=colour, height=1)
    ax.set_xlim(0, 100)
    ax.axis("off")
    return _svg(fig)
