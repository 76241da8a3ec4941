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
    """matplotlib, imported on first use (the palette above needs no matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from assessment.paths import templates_dir

    font_manager.fontManager.addfont(str(templates_dir() / "fonts" / "NotoSansSC-nzn.otf"))
    return plt


def _style():
    plt = _pyplot()
    plt.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "nzn", "font.family": FONT_FAMILY, "font.size": 8,
        "axes.edgecolor": "#888888", "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.titlesize": 9,
    })
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
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


def trajectory(path: list[tuple[int, float]], current: tuple[int, float], baseline: tuple[int, float], interim: tuple[int, float] | None,
               labels: dict[str, str]) -> str:
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
