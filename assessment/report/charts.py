"""Charts for the report: matplotlib figures returned as inline SVG text.

The radar of module scores, the trajectories and the scenario charts are
matplotlib figures; simple bars (emissions by sector, data quality, embodied
intensity, module gauges) are drawn in HTML/CSS by the template from the same
palette.

Print size: every figure is drawn at the physical size it prints at (the
``*_MM`` constants below, read off templates/report.css and
templates/portfolio.html.j2), with a fixed layout in millimetres and no
``bbox_inches="tight"``. The SVG's natural width is then its printed width, so
1 pt in matplotlib is 1 pt on paper (``figure svg {max-width: 100%}`` never
has to shrink it) and no text is smaller than :data:`MIN_TEXT_PT`
(tests/test_charts.py measures it in the laid-out PDF). Legends are replaced by
direct labels placed by small deterministic label placers, so nothing squeezes
a plot.

Numbers: one formatter (:func:`chart_number`, which is ``numbers.number``: the
reader's locale, comma thousands in English and Chinese alike) on every numeric
axis and label; years print without separators; never "−0".

Text stays text (``svg.fonttype = none``) so the PDF is searchable and the
labels can be translated; output is deterministic (fixed hash salt, no date).
Each chart carries its alt text (built by the caller in the reader's language,
assessment/report/chart_alt.py) as the SVG's ``<title>`` and ``aria-label``:
WeasyPrint writes the ``<title>`` of an inline SVG to the tagged PDF's /Alt.

Colours come from one colour-blind-safe palette used the same way on every
page: Okabe & Ito (2008) for emission categories, Paul Tol's "muted" scheme for
the ten modules.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from assessment.numbers import number
from assessment.paths import templates_dir

#: Okabe, M. & Ito, K. (2008) Color Universal Design: one colour per emission category.
CATEGORY_COLOURS = {"operational": "#0072B2", "embodied": "#E69F00", "consumption": "#009E73", "removals": "#56B4E9", "offsets": "#999999"}
#: Tol, P. (2021) "Colour schemes", SRON technical note, muted qualitative scheme (+ grey): one colour per module.
MODULE_COLOURS = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6F6F6F"]
QUALITY_COLOURS = {"measured": "#117733", "calculated": "#44AA99", "estimated": "#DDCC77", "default": "#CC6677", "not_stated": "#BBBBBB"}
#: One colour per measure in the scenario charts (Tol "muted" order, then the Okabe-Ito set), recycled beyond 18 measures.
MEASURE_COLOURS = MODULE_COLOURS[:9] + ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999"]
#: Business as usual, the target path and up to five scenarios on the trajectory charts (Okabe-Ito: grey, blue, then vermilion,
#: bluish green, reddish purple, orange, sky blue); each also has its own line style, so lines that overlap stay apart.
BAU_COLOUR, PATH_COLOUR = "#555555", "#0072B2"
SCENARIO_COLOURS = ["#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
SCENARIO_DASHES = ["-", (0, (6, 1.5)), (0, (1.5, 1.2)), (0, (6, 1.5, 1.5, 1.5)), (0, (3, 1))]
INK = "#222222"
MUTED = "#555555"
GRID = "#DDDDDD"
FONT_FAMILY = ["DejaVu Sans", "Noto Sans SC nzn"]  # per-glyph fallback: Latin from DejaVu, Chinese from the bundled subset
_SVG_FAMILY_SPACED = ", ".join(f"'{f}'" for f in FONT_FAMILY)  # as matplotlib writes it in the SVG's style
_SVG_FAMILY = ",".join(f"'{f}'" for f in FONT_FAMILY)

#: The smallest text on a chart at print size, in pt: the rule of issue #18 item 3 ("no text under 7 pt"), set against
#: the 4 pt legends of the first reports. Every chart text is drawn at one of these sizes.
MIN_TEXT_PT = 7.0
TEXT_PT = 8.0  # axis titles
TICK_PT = 7.5  # tick labels
LABEL_PT = 7.0  # direct labels on the plot

MM_PER_INCH = 25.4
PT_PER_MM = 72.0 / MM_PER_INCH
#: Text width of the scorecard: A4 (210 mm) less the 16 mm left and right page margins of templates/report.css.
TEXT_WIDTH_MM = 210.0 - 2 * 16.0
#: Full-width scorecard charts: 2 mm under the text width, so the SVG is never wider than its box and never scaled.
WIDE_MM = TEXT_WIDTH_MM - 2.0
#: The page-1 radar: report.css caps it at 58 mm high (``#summary ... figure svg {max-height: 58mm}``); drawn 1 mm under.
RADAR_MM = 57.0
#: The page-1 dashboard trajectory (issue #18 item 1: about 85 mm x 55 mm).
DASHBOARD_MM = (85.0, 55.0)
#: Portfolio (A4 landscape, 12 mm margins in portfolio.html.j2): text width 273 mm; the two-column page puts each chart in
#: (273 - 5 mm gap) / 2 = 134 mm, where ``.two-col > figure svg {width: 100%}`` draws it at exactly its natural width.
PORTFOLIO_TEXT_MM = 297.0 - 2 * 12.0
PORTFOLIO_HALF_MM = (PORTFOLIO_TEXT_MM - 5.0) / 2
#: A page of small radars: 4 rows of 5 fit under the page heading (``.radar-grid svg {max-height: 165mm}``).
RADAR_GRID_ROW_MM = 40.0


@cache
def _pyplot():
    """matplotlib, imported on first use (start-up: the report worker forks before it loads; the palette needs none)."""
    import matplotlib  # start-up: loads in the chart helper process (report/worker.py), not in the parent

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(templates_dir() / "fonts" / "NotoSansSC-nzn.otf"))
    return plt


def warm_up() -> None:
    """Load matplotlib, the style and the fonts, and draw one labelled figure to SVG, so the first chart asked for does
    not pay for them (the report's chart helper calls this as it starts, beside the parent's work)."""
    plt = _style()
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.set_title("0 中")
    fig.savefig(io.StringIO(), format="svg")
    plt.close(fig)


def _style():
    plt = _pyplot()
    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: searchable, translatable and measurable in the SVG
            "svg.hashsalt": "nzn",
            "font.family": FONT_FAMILY,
            "font.size": TEXT_PT,
            "axes.titlesize": TEXT_PT,
            "axes.labelsize": TEXT_PT,
            "xtick.labelsize": TICK_PT,
            "ytick.labelsize": TICK_PT,
            "axes.edgecolor": "#888888",
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.unicode_minus": True,
        }
    )
    return plt


# --- numbers ---------------------------------------------------------------------------------------------------------------


def chart_number(value: float, digits: int = 0, signed: bool = False) -> str:
    """A number on a chart: the report's formatter (``numbers.number``, comma thousands in en and zh), a true minus sign, and
    never "−0" (a value that rounds to zero prints as 0). ``signed`` puts a "+" before a positive change."""
    rounded = round(value, digits)
    if rounded == 0:
        rounded = 0.0  # drops the sign of -0.0 and of anything that rounds to it
    text = number(abs(rounded), digits)
    if rounded < 0:
        return "\u2212" + text
    return ("+" + text) if signed and rounded > 0 else text


def tick_digits(step: float) -> int:
    """Decimals a tick step needs: 0 for steps of 1 or more, else enough to tell neighbouring ticks apart (0.25 -> 2)."""
    if step <= 0 or not math.isfinite(step) or step >= 1:
        return 0
    return min(6, max(0, math.ceil(-math.log10(step) - 1e-9)))


def _number_axis(axis) -> None:
    """Thousands separators on a numeric axis (the same formatter as every label)."""
    from matplotlib.ticker import Formatter  # start-up: as in _pyplot

    class _Numbers(Formatter):
        def __call__(self, x, pos=None):
            locs = sorted(self.axis.get_majorticklocs()) if self.axis is not None else []
            step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=1.0)
            return chart_number(x, tick_digits(step))

    axis.set_major_formatter(_Numbers())


def _year_axis(axis) -> None:
    """Years print as years (2030, never 2,030), on whole-year ticks."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # start-up: as in _pyplot

    axis.set_major_locator(MaxNLocator(integer=True, nbins=7, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda x, pos=None: f"{int(round(x))}"))


# --- layout ---------------------------------------------------------------------------------------------------------------


def _line_mm(size_pt: float) -> float:
    """Height of one line of text at ``size_pt`` (1.2 line spacing), in mm."""
    return size_pt * 1.2 / PT_PER_MM


def text_columns(text: str) -> int:
    """Width of a text in columns: a Chinese character (East Asian wide or full-width) is two, any other one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _lines_for(text: str, lines: int = 2) -> int:
    """Lines a chart label may take: one more for a bilingual label ("English / 中文", :func:`assessment.i18n.both`),
    which carries the same name twice, so the bilingual edition's labels are not cut where the others fit."""
    return lines + 1 if " / " in text or "\n" in text else lines


def _wrap(text: str, width: int, lines: int = 2) -> str:
    """Wrap a label to at most ``lines`` lines of ``width`` columns (:func:`text_columns`): at spaces, between Chinese
    characters, inside a word only when it is longer than a line; the last line ends in an ellipsis when text is cut."""
    tokens = re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+", text)
    out, line = [], ""
    for tok in tokens:
        if tok.isspace():
            line += " " if line else ""
            continue
        while text_columns(tok) > width:  # a word longer than a line is cut
            head = tok
            while text_columns(head) > width - text_columns(line) and len(head) > 1:
                head = head[:-1]
            if line and text_columns(head) < 2:
                out.append(line.rstrip())
                line = ""
                continue
            out.append((line + head).rstrip())
            line, tok = "", tok[len(head) :]
        if line and text_columns(line.rstrip() + tok) > width:
            out.append(line.rstrip())
            line = ""
        line += tok
    if line.strip():
        out.append(line.rstrip())
    out = out or [text]
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while text_columns(last) > width - 1 and len(last) > 1:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return "\n".join(out)


class _Frame:
    """A figure of a fixed printed size (mm) with one axes placed by fixed margins (mm): the layout never depends on the text,
    so nothing can squeeze the plot, and figure coordinates convert to mm exactly."""

    def __init__(self, width_mm: float, height_mm: float, left: float, bottom: float, right: float, top: float, **axes_kw):
        plt = _style()
        self.w, self.h = width_mm, height_mm
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.fig = plt.figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        self.ax = self.fig.add_axes(
            (left / width_mm, bottom / height_mm, (width_mm - left - right) / width_mm, (height_mm - bottom - top) / height_mm), **axes_kw
        )

    @property
    def plot_height_mm(self) -> float:
        return self.h - self.bottom - self.top

    def y_mm(self, value: float) -> float:
        """Height above the figure's bottom edge (mm) of a data value on the y axis."""
        lo, hi = self.ax.get_ylim()
        return self.bottom + (value - lo) / (hi - lo) * self.plot_height_mm

    def text_mm(self, x_mm: float, y_mm: float, text: str, **kw):
        return self.fig.text(x_mm / self.w, y_mm / self.h, text, **kw)

    def line_mm(self, xs_mm, ys_mm, **kw) -> None:
        from matplotlib.lines import Line2D  # start-up: as in _pyplot

        self.fig.add_artist(Line2D([x / self.w for x in xs_mm], [y / self.h for y in ys_mm], transform=self.fig.transFigure, **kw))


def spread(targets: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Label centres as near their targets as they can be with no two overlapping, kept within [low, high] when they fit.

    A deterministic 1-D label placer (for labels stacked beside the right end of lines or bands): sort by target, push each
    label up clear of the one below it, then down clear of the one above it and of ``high``, then up again clear of ``low``;
    when the labels are taller than the room they overflow ``high`` rather than overlap. Returns centres in input order.
    """
    order = sorted(range(len(targets)), key=lambda i: (targets[i], i))
    pos = [targets[i] for i in order]
    hs = [heights[i] for i in order]
    for k in range(len(pos)):  # up, clear of the label below
        floor = low + hs[k] / 2 if k == 0 else pos[k - 1] + (hs[k - 1] + hs[k]) / 2
        pos[k] = max(pos[k], floor)
    for k in reversed(range(len(pos))):  # down, clear of the label above and of the top
        ceiling = high - hs[k] / 2 if k == len(pos) - 1 else pos[k + 1] - (hs[k + 1] + hs[k]) / 2
        pos[k] = min(pos[k], ceiling)
    for k in range(len(pos)):  # up again: never below the bottom, never overlapping (may overflow the top when overfull)
        floor = low + hs[k] / 2 if k == 0 else pos[k - 1] + (hs[k - 1] + hs[k]) / 2
        pos[k] = max(pos[k], floor)
    out = [0.0] * len(pos)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def _side_labels(fr: _Frame, items: list[tuple[float, str, str]], size: float = LABEL_PT, low_mm: float | None = None) -> None:
    """Direct labels in the right margin: each (y value, text, colour) is placed by :func:`spread` and tied to its y on the
    plot's right edge by a thin leader line."""
    if not items:
        return
    heights = [_line_mm(size) * (t.count("\n") + 1) + 0.6 for _y, t, _c in items]
    targets = [fr.y_mm(y) for y, _t, _c in items]
    low = fr.bottom - 2.0 if low_mm is None else low_mm
    centres = spread(targets, heights, low, fr.h - 1.0)
    x0 = fr.w - fr.right
    for (_y, text, colour), target, centre in zip(items, targets, centres):
        # the leader line and a short bar carry the series' colour; the text stays dark (light colours are unreadable as text)
        fr.line_mm([x0 + 0.4, x0 + 2.0, x0 + 3.0], [target, target, centre], color=colour, linewidth=0.7)
        fr.line_mm([x0 + 3.0, x0 + 4.4], [centre, centre], color=colour, linewidth=2.4, solid_capstyle="butt")
        fr.text_mm(x0 + 5.0, centre, text, fontsize=size, color=INK, ha="left", va="center", linespacing=1.1)


#: Where :func:`place_labels` tries a point's label, in points from the point (dx, dy, horizontal and vertical alignment):
#: the four diagonals first, then above and below, then left and right, then farther out (with a leader line), below first
#: (a point under a descending line keeps its label on its own side of the line).
LABEL_OFFSETS = [
    (4, 3, "left", "bottom"),
    (4, -3, "left", "top"),
    (-4, 3, "right", "bottom"),
    (-4, -3, "right", "top"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (0, -16, "center", "top"),
    (12, -12, "left", "top"),
    (-12, -12, "right", "top"),
    (0, 16, "center", "bottom"),
    (12, 12, "left", "bottom"),
    (-12, 12, "right", "bottom"),
]


def along(xs: list[float], ys: list[float], per_segment: int = 24) -> list[tuple[float, float]]:
    """Points spaced along a polyline (for :func:`place_labels` to keep labels off a line, not just off its vertices)."""
    out = []
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        out += [(x0 + (x1 - x0) * k / per_segment, y0 + (y1 - y0) * k / per_segment) for k in range(per_segment)]
    return out + list(zip(xs[-1:], ys[-1:]))


def _overlaps(a, b, pad: float = 1.0) -> bool:
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


def place_labels(fig, ax, items: list[tuple[float, float, str, str]], avoid_points: list[tuple[float, float]] = (), size=LABEL_PT):
    """Label points without overlaps: each (x, y, text, colour) in turn takes the first of :data:`LABEL_OFFSETS` whose box is
    inside the axes and clear of every label already placed and of every point (a deterministic greedy placer, in the
    items' order, so the first items get the closest places); a label that finds no place on one line is tried again on two
    (split at its first space). Returns the indexes of the items that found no place."""
    from matplotlib.transforms import Bbox  # start-up: as in _pyplot

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    dots = []
    for x, y in list(avoid_points) + [(i[0], i[1]) for i in items]:
        px, py = ax.transData.transform((x, y))
        dots.append(Bbox.from_extents(px - 2.5, py - 2.5, px + 2.5, py + 2.5))
    placed, missed = [], []
    for k, (x, y, label, colour) in enumerate(items):
        for text, (dx, dy, ha, va) in [(v, o) for v in dict.fromkeys([label, label.replace(" ", "\n", 1)]) for o in LABEL_OFFSETS]:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=size, color=colour)
            box = t.get_window_extent(renderer)  # the text alone (its leader line, if any, is added once it has a place)
            inside = frame.x0 + 3 <= box.x0 and box.x1 <= frame.x1 - 1 and frame.y0 + 1 <= box.y0 and box.y1 <= frame.y1 - 1
            own = dots[len(avoid_points) + k]
            if inside and not any(_overlaps(box, b) for b in placed) and not any(_overlaps(box, d, 0.0) for d in dots if d is not own):
                placed.append(box)
                if abs(dx) > 8 or abs(dy) > 8:  # a label set farther off is tied to its point by a thin line
                    t.remove()
                    ax.annotate(
                        text,
                        (x, y),
                        xytext=(dx, dy),
                        textcoords="offset points",
                        ha=ha,
                        va=va,
                        fontsize=size,
                        color=colour,
                        arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.5, "shrinkA": 0, "shrinkB": 2.5},
                    )
                break
            t.remove()
        else:
            missed.append(k)
    return missed


# --- output ---------------------------------------------------------------------------------------------------------------


def _svg(fig, alt: str = "") -> str:
    """The figure as inline SVG at its own size (no tight bounding box: the natural size is the printed size), carrying
    ``alt`` as its accessible name: ``role="img"``, ``aria-label`` for HTML readers and ``<title>`` for the tagged PDF."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", dpi=RASTER_DPI, metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    # WeasyPrint's SVG text splits font-family on "," and strips only quotes, so the space matplotlib writes after each
    # comma makes " 'Noto Sans SC nzn" a family no one has, and Chinese chart text fell back to whatever font the system
    # had (or to empty boxes). Written without the space, every chart uses the bundled fonts.
    text = text.replace(_SVG_FAMILY_SPACED, _SVG_FAMILY)
    text = _without_plain_groups(text)
    if alt:
        head_end = text.index(">") + 1
        head = text[: head_end - 1] + f' role="img" aria-label={quoteattr(alt)}>'
        text = head + f"\n <title>{escape(alt)}</title>" + text[head_end:]
    return text


#: A group that only names an artist (no transform, style or clip), except those naming an axis tick or a legend: they
#: say what their content is, and tests read them.
_PLAIN_GROUP = re.compile(r'\s*<g(?: id="(?![xy]tick_|legend_)[^"]*")?>\s*')
_GROUP_OPEN = re.compile(r"\s*<g\b[^>]*[^/]>\s*")
_GROUP_CLOSE = re.compile(r"\s*</g>\s*")


def _without_plain_groups(svg: str) -> str:
    """``svg`` without the groups matplotlib writes around each artist only to name it (``<g id="patch_1">``): they
    carry no transform, style or clip, so their content draws the same without them, and each is one more element for
    the report's style cascade and WeasyPrint's SVG drawing (Harbourside's charts: 687 groups, 137 left; the pages
    are pixel-identical, and the render makes 11% fewer Python calls with table-layout: fixed, see report.css).
    matplotlib writes each start and end tag of a group on its own line, which is what this reads; a group with any
    other attribute is kept with its end tag."""
    out, kept = [], []
    for line in svg.split("\n"):
        if _PLAIN_GROUP.fullmatch(line):
            kept.append(False)
            continue
        if _GROUP_OPEN.fullmatch(line):
            kept.append(True)
        elif _GROUP_CLOSE.fullmatch(line) and kept and not kept.pop():
            continue
        out.append(line)
    return "\n".join(out)


def _clean(ax, grid_axis: str = "both") -> None:
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# --- scorecard charts -----------------------------------------------------------------------------------------------------


def radar(labels: list[str], scores: list[float | None], title: str = "", alt: str = "") -> str:
    """Ten module scores (0-100) on a radar, drawn at its printed size (:data:`RADAR_MM` square); modules without a score
    sit at 0 with a hollow marker."""
    fr = _Frame(RADAR_MM, RADAR_MM, 7.0, 6.0, 7.0, 6.0 + (_line_mm(TEXT_PT) if title else 0.0), projection="polar")
    ax = fr.ax
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)]
    ax.set_theta_offset(math.pi / 2)  # first module at the top
    ax.set_theta_direction(-1)  # then clockwise
    vals = [s if s is not None else 0.0 for s in scores]
    ax.plot(angles + angles[:1], vals + vals[:1], color="#0072B2", linewidth=1.2)
    ax.fill(angles + angles[:1], vals + vals[:1], color="#0072B2", alpha=0.15)
    for i, (a, s) in enumerate(zip(angles, scores)):
        colour = MODULE_COLOURS[i % 10]
        ax.plot([a], [s if s is not None else 0], "o", markersize=4, color=colour, markerfacecolor=colour if s is not None else "white")
    ax.set_ylim(0, 100)
    ax.set_yticks([50, 100])
    ax.set_yticklabels(["50", "100"], fontsize=LABEL_PT, color="#777777")
    ax.set_rlabel_position(180 / n)  # between the first two spokes, clear of the module codes
    ax.set_xticks(angles)
    ax.set_xticklabels(labels, fontsize=LABEL_PT)
    ax.tick_params(axis="x", pad=1)
    ax.grid(color=GRID, linewidth=0.6)
    ax.spines["polar"].set_color("#BBBBBB")
    if title:
        ax.set_title(title, pad=10)
    return _svg(fr.fig, alt)


def dashboard_trajectory(
    path: list[tuple[int, float]],
    baseline: tuple[int, float],
    current: tuple[int, float],
    interim: tuple[int, float] | None,
    net_zero_year: int,
    bau: list[tuple[int, float]],
    scenarios: list[tuple[str, list[tuple[int, float]]]],
    labels: dict[str, str],
    alt: str = "",
) -> str:
    """Page 1's small trajectory (:data:`DASHBOARD_MM`, about 85 mm x 55 mm): the target path from the baseline to zero in the
    net-zero year, the baseline, this assessment ("now"), the interim target, and business as usual and each scenario's net
    emissions where given; every line is labelled at its right end with its last value, and the years that matter are the
    x ticks.

    ``labels``: 'path', 'bau', 'baseline', 'now', 'interim', 'unit' (translated by the caller); scenario names are the user's.
    """
    w, h = DASHBOARD_MM
    fr = _Frame(w, h, 12.5, 7.0, 26.0, 3.5)
    ax = fr.ax
    ax.plot([p[0] for p in path], [p[1] for p in path], color=PATH_COLOUR, linewidth=1.2, linestyle=(0, (4, 1.5)))
    right: list[tuple[float, str, str]] = []
    end_year = max([p[0] for p in path] + [y for y, _v in bau] + [y for _n, ys in scenarios for y, _v in ys] + [net_zero_year])
    if bau:
        ax.plot([y for y, _v in bau], [v for _y, v in bau], color=BAU_COLOUR, linewidth=1.6, linestyle=(0, (1, 1)))
        # a bilingual label takes a third line rather than being cut ('business as usual / 照常…')
        right.append((bau[-1][1], f"{_wrap(labels['bau'], 13, _lines_for(labels['bau']))}\n{chart_number(bau[-1][1])}", BAU_COLOUR))
    for i, (name, ys) in enumerate(scenarios[: len(SCENARIO_COLOURS)]):
        colour = SCENARIO_COLOURS[i]
        ax.plot([y for y, _v in ys], [v for _y, v in ys], color=colour, linewidth=1.2, linestyle=SCENARIO_DASHES[i])
        right.append((ys[-1][1], f"{_wrap(name, 13)}\n{chart_number(ys[-1][1])}", colour))
    right.append((0.0, f"{_wrap(labels['path'], 13)}\n0 ({net_zero_year})", PATH_COLOUR))
    points = [(baseline, "s", MUTED), (current, "o", "#D55E00")] + ([(interim, "D", "#009E73")] if interim else [])
    for (x, y), marker, colour in points:
        ax.plot([x], [y], marker, color=colour, markersize=4.5, zorder=4)
    top = max([p[1] for p in path] + [v for _y, v in bau] + [v for _n, ys in scenarios for _y, v in ys] + [current[1]]) * 1.12 or 1.0
    ax.set_ylim(0, top)
    ax.set_xlim(min(baseline[0], current[0]) - 1, end_year + 0.5)
    # the years that matter as ticks, most important first, each kept only where it has room (a year is about 6.5 mm at 7 pt)
    lo_x, hi_x = ax.get_xlim()
    room = 8.0 / ((fr.w - fr.left - fr.right) / (hi_x - lo_x))
    ticks: list[int] = []
    for year in [net_zero_year, baseline[0], *([interim[0]] if interim else []), current[0]]:
        if all(abs(year - t) >= room for t in ticks):
            ticks.append(year)
    ticks.sort()
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks], fontsize=LABEL_PT)
    ax.tick_params(axis="y", labelsize=LABEL_PT)
    _number_axis(ax.yaxis)
    ax.set_title(labels["unit"], fontsize=LABEL_PT, loc="left", color=MUTED, pad=2)
    _clean(ax)
    _side_labels(fr, right, low_mm=1.0)
    items = [(current[0], current[1], f"{labels['now']} {chart_number(current[1])}", "#D55E00")]
    if baseline[0] != current[0]:
        items.append((baseline[0], baseline[1], f"{labels['baseline']} {chart_number(baseline[1])}", MUTED))
    if interim:
        items.append((interim[0], interim[1], f"{labels['interim']} {chart_number(interim[1])}", "#009E73"))
    lines = along([p[0] for p in path], [p[1] for p in path], 4)
    for ys in [bau] + [ys for _n, ys in scenarios]:
        lines += along([y for y, _v in ys], [v for _y, v in ys], 4)
    place_labels(fr.fig, ax, items, avoid_points=lines)
    return _svg(fr.fig, alt)


# --- scenario charts ------------------------------------------------------------------------------------------------------


def wedge(
    years: list[int],
    bau: list[float],
    wedges: list[tuple[str, list[float]]],
    scenario: list[float],
    path: list[tuple[int, float]],
    labels: dict[str, str],
    alt: str = "",
) -> str:
    """Each measure's yearly abatement, stacked from zero, so the wedges are drawn to the scale of the abatement itself.

    The stack's top is business as usual minus the scenario (a black line, labelled with its value in the last year). A
    measure that adds emissions stacks below zero. When the target path needs more abatement than the chart shows, a note
    says how much (``labels['needed']``, with ``{value}`` and ``{year}``); when it fits, the abatement the path needs is a
    dashed line labelled ``labels['path']``. Each band is labelled at its right end with its name and its abatement in the
    last year. ``labels``: 'unit', 'total', 'needed', 'path'.
    """
    total = [b - s for b, s in zip(bau, scenario)]
    stack_top = max(total + [sum(max(v[k], 0.0) for _n, v in wedges) for k in range(len(years))] + [0.0])
    by_year = dict(path)
    needed = [(y, b - by_year[y]) for y, b in zip(years, bau) if y in by_year]
    note = None
    if needed and "needed" in labels and needed[-1][1] > stack_top * 1.06:  # above the axis (the top is the stack + 6 %)
        note = _wrap(labels["needed"].format(value=chart_number(needed[-1][1]), year=needed[-1][0]), 64, 4)
    top_mm = 3.0 + (_line_mm(LABEL_PT) * (note.count("\n") + 1) if note else 0.0)
    fr = _Frame(WIDE_MM, 82.0 + top_mm, 19.0, 8.0, 60.0, top_mm)
    ax = fr.ax
    up = [0.0] * len(years)
    down = [0.0] * len(years)
    bands = []
    for i, (name, values) in enumerate(wedges):
        colour = MEASURE_COLOURS[i % len(MEASURE_COLOURS)]
        pos = [max(v, 0.0) for v in values]
        neg = [min(v, 0.0) for v in values]
        if any(pos):
            new = [a + b for a, b in zip(up, pos)]
            ax.fill_between(years, up, new, color=colour, alpha=0.85, linewidth=0)
            bands.append(((up[-1] + new[-1]) / 2, name, values[-1], colour))
            up = new
        if any(neg):
            new = [a + b for a, b in zip(down, neg)]
            ax.fill_between(years, new, down, color=colour, alpha=0.85, linewidth=0, hatch="////", edgecolor="white")
            bands.append(((down[-1] + new[-1]) / 2, name, values[-1], colour))
            down = new
        if not any(pos) and not any(neg):
            bands.append((up[-1], name, 0.0, colour))
    ax.plot(years, total, color=INK, linewidth=1.2)
    ax.axhline(0, color="#888888", linewidth=0.6)
    hi = max(total + up + [0.0])
    lo = min(total + down + [0.0])
    span = (hi - lo) or 1.0
    ax.set_ylim(lo - (0.04 * span if lo < 0 else 0.0), hi + 0.06 * span)
    ax.set_xlim(years[0], years[-1])
    ax.set_ylabel(labels["unit"])
    _number_axis(ax.yaxis)
    _year_axis(ax.xaxis)
    _clean(ax)
    items = [(y, f"{_wrap(name, 34, _lines_for(name))} {chart_number(v)}", colour) for y, name, v, colour in bands]
    items.append((total[-1], f"{labels['total']} {chart_number(total[-1])}", INK))
    if note:
        fr.text_mm(fr.left, fr.h - 1.0, note, fontsize=LABEL_PT, va="top", ha="left", color=MUTED, linespacing=1.1)
    elif needed and "path" in labels:  # the abatement the target path needs fits the axis: a dashed line, labelled
        ax.plot([y for y, _v in needed], [v for _y, v in needed], color=PATH_COLOUR, linewidth=1.0, linestyle=(0, (4, 1.5)))
        items.append((needed[-1][1], f"{labels['path']} {chart_number(needed[-1][1])}", PATH_COLOUR))
    _side_labels(fr, items, low_mm=1.0)
    return _svg(fr.fig, alt)


def waterfall(steps: list[tuple[str, float, str]], labels: dict[str, str], alt: str = "") -> str:
    """Today's net -> each measure's change -> net at the target year -> the removals that would close it, as horizontal
    bars read top to bottom, each named on the left and valued at its end.

    ``steps``: (name, value, kind) with kind 'total' (a bar from zero), 'change' (a floating bar from the running total;
    negative values go down) or 'removals'. ``labels``: 'unit'.
    """
    names = [_wrap(s[0], 40, _lines_for(s[0])) for s in steps]
    row_mm = 4.0 + 2.0 * max(n.count("\n") + 1 for n in names)  # 6 mm rows for one-line names, 2 mm more a line
    fr = _Frame(WIDE_MM, 14.0 + row_mm * len(steps), 62.0, 10.0, 14.0, 3.0)
    ax = fr.ax
    running = 0.0
    ends = []
    for i, (_name, value, kind) in enumerate(steps):
        if kind == "total":
            ax.barh(i, value, color=MUTED if i == 0 else "#D55E00", height=0.62)
            low, high, running = min(0.0, value), max(0.0, value), value
            text = chart_number(value)
        else:
            low, high = sorted((running, running + value))
            colour = CATEGORY_COLOURS["removals"] if kind == "removals" else ("#009E73" if value < 0 else "#CC6677")
            ax.barh(i, max(high - low, 0.0), left=low, color=colour, height=0.62)
            if i > 0:
                ax.plot([running, running], [i - 1 + 0.31, i - 0.31], color="#888888", linewidth=0.5)
            running += value
            text = chart_number(value, signed=True)
        ends.append((high, text))
    top = max([h for h, _t in ends] + [0.0]) or 1.0
    for i, (high, text) in enumerate(ends):
        ax.text(high + top * 0.01, i, text, fontsize=LABEL_PT, va="center", ha="left", color=INK)
    ax.set_yticks(range(len(steps)))
    ax.set_yticklabels(names, fontsize=LABEL_PT, linespacing=1.05)
    ax.set_ylim(len(steps) - 0.5, -0.5)  # first step at the top
    ax.set_xlim(min(0.0, min(running, 0.0)), top * 1.1)
    ax.axvline(0, color="#888888", linewidth=0.6)
    ax.set_xlabel(labels["unit"])
    _number_axis(ax.xaxis)
    ax.tick_params(axis="y", length=0)
    _clean(ax, "x")
    return _svg(fr.fig, alt)


#: The fewest measures with a cost that make a cost curve (one bar is a bar, not a curve).
MAC_MIN_MEASURES = 2


def mac_curve(bars: list[tuple[str, float, float]], labels: dict[str, str], alt: str = "") -> str | None:
    """Marginal abatement cost curve of the measures that have a cost: one bar per measure, width = yearly abatement,
    height = cost per tCO2e, cheapest first, each named with its cost. None when fewer than :data:`MAC_MIN_MEASURES` have a
    cost (the report says so in a sentence instead). ``bars``: (name, tCO2e a year, cost per tCO2e); ``labels``: 'x', 'y'."""
    bars = [b for b in bars if b[2] is not None and b[1] is not None and b[1] > 0]
    if len(bars) < MAC_MIN_MEASURES:
        return None
    fr = _Frame(WIDE_MM, 72.0, 19.0, 10.0, 4.0, 4.0)
    ax = fr.ax
    ordered = sorted(bars, key=lambda b: (b[2], b[0]))
    total = sum(b[1] for b in ordered)
    costs = [b[2] for b in ordered]
    hi, lo = max(costs + [0.0]), min(costs + [0.0])
    span = (hi - lo) or 1.0
    plot_mm = fr.w - fr.left - fr.right
    x = 0.0
    for i, (name, width, cost) in enumerate(ordered):
        ax.bar(x, cost, width=width, align="edge", color=MEASURE_COLOURS[i % len(MEASURE_COLOURS)], edgecolor="white", linewidth=0.6)
        width_mm = width / total * plot_mm
        above = cost + (0.02 * span if cost >= 0 else -0.02 * span)
        va = "bottom" if cost >= 0 else "top"
        if width_mm >= 24:  # wide enough for the name across the bar (about 1.7 mm a character at 7 pt)
            text = f"{_wrap(name, max(8, int(width_mm / 1.7)))}\n{chart_number(cost)}"
            ax.text(x + width / 2, above, text, fontsize=LABEL_PT, ha="center", va=va, linespacing=1.1)
        else:
            text = f"{_wrap(name, 30, 1)} {chart_number(cost)}"
            ax.text(x + width / 2, above, text, fontsize=LABEL_PT, ha="center", va=va, rotation=90)
        x += width
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_xlim(0, x)
    ax.set_ylim(lo - (0.3 * span if lo < 0 else 0.0), hi + 0.35 * span)
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    _number_axis(ax.xaxis)
    _number_axis(ax.yaxis)
    _clean(ax)
    return _svg(fr.fig, alt)


# --- portfolio charts -----------------------------------------------------------------------------------------------------


def radar_grid(
    titles: list[str], score_lists: list[list[float | None]], columns: int = 5, axis_labels: list[str] | None = None, alt: str = ""
) -> str:
    """Small-multiple radars: one small radar of the ten module scores per neighbourhood, its spokes named by
    ``axis_labels`` (the module codes), at the printed size of a landscape page (:data:`PORTFOLIO_TEXT_MM` wide)."""
    plt = _style()
    n = len(titles)
    rows = max(1, math.ceil(n / columns))
    w = PORTFOLIO_TEXT_MM - 3.0
    h = RADAR_GRID_ROW_MM * rows
    fig = plt.figure(figsize=(w / MM_PER_INCH, h / MM_PER_INCH))
    cell_w, size = w / columns, 24.0  # each radar 24 mm across, its codes around it, the title above
    for k, (title, scores) in enumerate(zip(titles, score_lists)):
        row, col = divmod(k, columns)
        cx = cell_w * (col + 0.5)
        cy = h - RADAR_GRID_ROW_MM * row - 8.0 - size / 2 - 2.0
        ax = fig.add_axes(((cx - size / 2) / w, (cy - size / 2) / h, size / w, size / h), projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        m = len(scores)
        angles = [2 * math.pi * i / m for i in range(m)]
        vals = [s if s is not None else 0.0 for s in scores]
        ax.plot(angles + angles[:1], vals + vals[:1], color="#0072B2", linewidth=0.8)
        ax.fill(angles + angles[:1], vals + vals[:1], color="#0072B2", alpha=0.2)
        ax.set_ylim(0, 100)
        ax.set_xticks(angles)
        ax.set_xticklabels(axis_labels or [f"M{i + 1:02d}" for i in range(m)], fontsize=LABEL_PT, color=MUTED)
        ax.tick_params(axis="x", pad=-1)
        ax.set_yticks([50, 100])
        ax.set_yticklabels([])
        ax.grid(color=GRID, linewidth=0.4)
        ax.spines["polar"].set_color("#BBBBBB")
        fig.text(cx / w, (h - RADAR_GRID_ROW_MM * row - 2.0) / h, title, fontsize=LABEL_PT, ha="center", va="top")
    return _svg(fig, alt)


#: The scatter labels the first this many points of the ranking; the others are drawn unlabelled (labelling every point
#: of a national run cost seconds and hundreds of MB in the batch's own process, and a page cannot hold them legibly).
SCATTER_LABELLED = 40

#: Above this many markers, a portfolio chart draws its markers as one embedded image (matplotlib's ``rasterized``, at
#: :data:`RASTER_DPI`) while axes and text stay vector: a national run's 10,000 points would otherwise be 10,000 SVG
#: shapes (x 10 in the module distributions), each laid out by WeasyPrint, and the PDF step's memory would grow with
#: the number of neighbourhoods (measured: 517 MB for 1,000 neighbourhoods against 323 MB for 100).
RASTER_ABOVE = 200
#: Resolution of the rasterized markers: print quality (300 dpi); the rest of every chart is vector.
RASTER_DPI = 300


def _many(count: int) -> bool:
    return count > RASTER_ABOVE


def scatter(points: list[tuple[str, str, float, float]], labels: dict[str, str], alt: str = "") -> str:
    """Per-capita emissions (x) against the Thriving score (y), one point per neighbourhood, labelled without overlaps.

    ``points``: (rank, name, x, y) in rank order. Each of the first :data:`SCATTER_LABELLED` gets "rank. name" where it fits
    (:func:`place_labels`), else just its rank (the ranking table on the first page names it); the rest are unlabelled
    points that the labels keep clear of. ``labels``: 'x', 'y', 'aim' (the corner to aim for, written
    in the upper-left corner: lower emissions are to the left, a higher Thriving score is up).
    """
    fr = _Frame(PORTFOLIO_HALF_MM - 1.0, 95.0, 15.0, 11.0, 4.0, 3.0)
    ax = fr.ax
    ax.scatter(
        [p[2] for p in points],
        [p[3] for p in points],
        s=16,
        color="#0072B2",
        edgecolor="white",
        linewidth=0.5,
        zorder=3,
        rasterized=_many(len(points)),
    )
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.set_ylim(0, 105)
    xmax = max([p[2] for p in points] + [1.0])
    ax.set_xlim(0, xmax * 1.15)
    _number_axis(ax.xaxis)
    _number_axis(ax.yaxis)
    _clean(ax)
    if labels.get("aim"):
        ax.text(0.01, 0.99, "↖ " + labels["aim"], transform=ax.transAxes, fontsize=LABEL_PT, color=MUTED, ha="left", va="top")
    shown, rest = points[:SCATTER_LABELLED], [(p[2], p[3]) for p in points[SCATTER_LABELLED:]]
    missed = place_labels(fr.fig, ax, [(x, y, f"{rank}. {name}", "#333333") for rank, name, x, y in shown], avoid_points=rest)
    if missed:
        place_labels(fr.fig, ax, [(shown[k][2], shown[k][3], shown[k][0], "#333333") for k in missed], avoid_points=rest)
    return _svg(fr.fig, alt)


def distributions(module_codes: list[str], values: list[list[float]], label: str, alt: str = "") -> str:
    """Each module's score across the portfolio: a box per module with the individual scores over it."""
    fr = _Frame(PORTFOLIO_HALF_MM - 1.0, 95.0, 15.0, 8.0, 3.0, 3.0)
    ax = fr.ax
    data = [v if v else [float("nan")] for v in values]
    box = ax.boxplot(data, widths=0.55, patch_artist=True, showfliers=False, medianprops={"color": INK})
    for patch, colour in zip(box["boxes"], MODULE_COLOURS):
        patch.set_facecolor(colour)
        patch.set_alpha(0.35)
    many = _many(sum(len(v) for v in values))
    for i, vals in enumerate(values, start=1):
        xs = [i + (j % 7 - 3) * 0.04 for j in range(len(vals))]
        ax.scatter(xs, vals, s=5, color=MODULE_COLOURS[(i - 1) % 10], zorder=3, rasterized=many)
    ax.set_xticks(range(1, len(module_codes) + 1))
    ax.set_xticklabels(module_codes)
    ax.set_ylim(0, 100)
    ax.set_ylabel(label)
    _number_axis(ax.yaxis)
    _clean(ax, "y")
    return _svg(fr.fig, alt)
