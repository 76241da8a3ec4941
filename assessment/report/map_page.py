"""The scorecard's map page: walking access measured from an OpenStreetMap extract (shown only when one was measured).

:func:`map_view` gathers what templates/_map.html.j2 shows from the result's ``access`` record; :func:`access_map`
draws the map with matplotlib from the record's map layers (kept in memory, in the local UTM projection's
metres): the boundary, the walking network, public green space, destinations by category and the homes
coloured by how many categories they reach within the map's life circle, with a scale bar, a north arrow and
the attribution the data's licence requires. Nothing is fetched: no map tiles, only the extract's geometry.
"""

from __future__ import annotations

import math
from typing import Any

from assessment.geo.rules import AccessRules, load_rules
from assessment.i18n import _, get_language
from assessment.model.access import NOTICES, AccessMeasurement, MapLayers
from assessment.model.method import Method
from assessment.model.results import AssessmentResult
from assessment.numbers import UNIT_DECIMALS, number, percent, quantity, unit_label
from assessment.report import charts

#: Colours of the homes by the number of categories reached, 0 to all: cividis, a sequential scheme made for readers
#: with colour-vision deficiency (Nuñez, Anderton & Renslow 2018, PLOS ONE 13(7): e0199239).
HOMES_CMAP = "cividis"
NETWORK_GREY = "#B8B8B8"
GREEN_FILL = "#CFE8D5"
#: Scale-bar lengths to choose from [m]: the largest not over a quarter of the map's width.
SCALE_STEPS_M = (50, 100, 200, 250, 500, 1000, 2000, 5000)


def scale_bar_m(width_m: float) -> int:
    """The scale bar's length [m]: the largest round step not longer than a quarter of the map's width."""
    fitting = [s for s in SCALE_STEPS_M if s <= width_m / 4]
    return fitting[-1] if fitting else SCALE_STEPS_M[0]


def access_map(layers: MapLayers, colours: list[tuple[str, str]], labels: dict[str, str]) -> str:
    """The map as inline SVG. ``colours``: (category label, colour) in the rules' order; ``labels``: legend texts."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon as Patch

    plt = charts._pyplot()
    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "nzn", "font.family": charts.FONT_FAMILY, "font.size": 7.5})
    fig, ax = plt.subplots(figsize=(6.6, 6.0))
    xs = [x for ring in layers.boundary for x, _y in ring]
    ys = [y for ring in layers.boundary for _x, y in ring]
    pad = max(max(xs) - min(xs), max(ys) - min(ys)) * 0.08 + 20
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    for ring in layers.green:
        ax.add_patch(Patch(ring, closed=True, facecolor=GREEN_FILL, edgecolor="none", zorder=1))
    ax.add_collection(LineCollection([((a, b), (c, d)) for a, b, c, d in layers.segments], colors=NETWORK_GREY, linewidths=0.5, zorder=2))
    for ring in layers.boundary:
        bx, by = zip(*ring)
        ax.plot(bx, by, color="#222222", linewidth=1.6, linestyle=(0, (5, 2)), zorder=5)
    cmap = plt.get_cmap(HOMES_CMAP, layers.categories + 1)
    if layers.residents:
        rx, ry, rn = zip(*layers.residents)
        pts = ax.scatter(rx, ry, c=rn, cmap=cmap, vmin=-0.5, vmax=layers.categories + 0.5, s=9, marker="s", linewidths=0, zorder=4)
        bar = fig.colorbar(pts, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02, ticks=range(layers.categories + 1))
        bar.set_label(labels["homes"], fontsize=7.5)
        bar.ax.tick_params(labelsize=7)
    by_cat = dict(colours)
    cat_of = {cid: (lab, col) for cid, (lab, col) in zip(labels["category_ids"], colours)}
    for cid, (_lab, col) in cat_of.items():
        pts = [(x, y) for x, y, c in layers.destinations if c == cid]
        if pts:
            dx, dy = zip(*pts)
            ax.scatter(dx, dy, s=7, color=col, edgecolors="white", linewidths=0.3, zorder=6)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=4.5, color=col, label=lab) for lab, col in by_cat.items()]
    handles.append(Line2D([], [], color="#222222", linewidth=1.6, linestyle=(0, (5, 2)), label=labels["boundary"]))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=7.5,
        title=labels["destinations"],
        title_fontsize=7.5,
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # scale bar, bottom left
    length = scale_bar_m(x1 - x0)
    sx, sy = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    ax.plot([sx, sx + length], [sy, sy], color="#222222", linewidth=2.5, solid_capstyle="butt", zorder=7)
    ax.text(sx + length / 2, sy + (y1 - y0) * 0.015, f"{length:,} m".replace(",", " "), ha="center", va="bottom", fontsize=7.5, zorder=7)
    # north arrow, top right: true north, turned from grid north by the meridian convergence
    nx, ny = x1 - (x1 - x0) * 0.06, y1 - (y1 - y0) * 0.14
    arrow = (y1 - y0) * 0.08
    a = math.radians(layers.north_deg)
    ax.annotate(
        "",
        xy=(nx - arrow * math.sin(a), ny + arrow * math.cos(a)),
        xytext=(nx, ny),
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2},
        zorder=7,
    )
    ax.text(nx - arrow * 1.25 * math.sin(a), ny + arrow * 1.25 * math.cos(a), "N", ha="center", va="bottom", fontsize=8, weight="bold")
    ax.text(
        x1 - (x1 - x0) * 0.01,
        y0 + (y1 - y0) * 0.01,
        labels["attribution"],
        ha="right",
        va="bottom",
        fontsize=7,
        color="#444444",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        zorder=8,
    )
    return charts._svg(fig)


def _rules_for(method: Method, access: AccessMeasurement) -> AccessRules | None:
    """The rules the measurement used (the method folder's, else the toolkit's), when they are still the same file."""
    rules = load_rules(None if method.is_default else method.folder)
    return rules if rules.digest == access.rules_digest else None


def map_view(r: AssessmentResult, method: Method, draw=None) -> dict[str, Any] | None:
    """What the map page shows; None when the assessment measured nothing from an extract."""
    a = r.access
    if a is None:
        return None
    lang = get_language()
    rules = _rules_for(method, a)
    index = method.indicator_index()
    names = {m.id: m.name.get(lang) for m in rules.measures} if rules else {}
    cat_names = {c.id: c.name.get(lang) for c in rules.categories} if rules else {}
    actions = {"filled": _("filled"), "kept_reported": _("kept the value typed"), "overwritten": _("replaced the value typed")}
    filled = {f.indicator: f for f in a.filled}
    measures = []
    for m in a.measures:
        ind = index.get(m.indicator)[1] if m.indicator in index else None
        f = filled.get(m.indicator)
        measures.append(
            {
                "name": names.get(m.id, m.name),
                "value": quantity(m.value, m.unit),
                "unit": unit_label(m.unit),
                "indicator": ind.name.get(lang) if ind else _("reported beside the indicators"),
                "action": actions[f.action] if f else "",
                "source": m.source,
            }
        )
    circles = list(a.life_circles.items())
    minutes = {lc.id: lc.minutes for lc in rules.life_circles} if rules else {}
    heads = [
        _("{m} min ({d} m)").format(m=number(minutes[k]) if k in minutes else k, d=number(d)) if k in minutes else f"{number(d)} m"
        for k, d in circles
    ]
    categories = [
        {
            "name": cat_names.get(c.id, c.name),
            "colour": c.colour,
            "count": number(c.destinations),
            "shares": [percent(c.share_pct.get(k), UNIT_DECIMALS["%"]) for k, _d in circles],
        }
        for c in a.categories
    ]
    map_circle = rules.map.life_circle if rules else circles[-1][0]
    distance = a.life_circles.get(map_circle, circles[-1][1])
    # the licence's attribution stays as OpenStreetMap words it; the synthetic sample's notice is translated
    attribution = _(a.extract.attribution) if a.extract.synthetic else a.extract.attribution
    labels = {
        "homes": _("Homes: daily-need categories reached within {d} m").format(d=number(distance)),
        "destinations": _("Destinations"),
        "boundary": _("Boundary"),
        "attribution": attribution,
        "category_ids": [c.id for c in a.categories],
    }
    svg = None
    if a.map is not None and a.map.boundary:
        svg = access_map(a.map, [(cat_names.get(c.id, c.name), c.colour) for c in a.categories], labels)
    basis = {
        "header": _("date in the file header"),
        "newest_object": _("newest edit in the file; its header has no date"),
        "file_modified": _("the file's modification date; the file holds no date"),
        "unknown": _("no date known"),
    }[a.extract.date_basis]
    return {
        "svg": svg,
        "alt": _(
            "Map of {name}: the boundary, the walking network, destinations by category and homes coloured by how many of the {n} "
            "daily-need categories they reach within {d} m."
        ).format(name=r.profile.name, n=len(a.categories), d=number(distance)),
        "extract": a.extract.file_name,
        "date": a.extract.date or "–",
        "date_basis": basis,
        "attribution": attribution,
        "synthetic": a.extract.synthetic,
        "area_ha": number(a.boundary.area_ha, 1),
        "crs": a.boundary.crs,
        "homes": number(a.residents.features),
        "connected": number(a.residents.connected),
        "speed": number(a.walking_speed_m_per_s, 1),
        "radius": number(a.access_radius_m),
        "network_km": number(a.network.walkable_km, 1),
        "measures": measures,
        "circle_heads": heads,
        "categories": categories,
        "warnings": [_(NOTICES[w.code]).format(**w.params) if w.code in NOTICES else w.message for w in a.warnings],
        "toolkit": a.toolkit_version,
    }
