"""A neighbourhood's recorded years as a trend, and the programme's view across neighbourhoods.

Pure functions over results JSON documents (docs/results.md): each figure is read from where the results JSON
holds it, nothing is recomputed. A change of method or factor version between two years is named, so that a
change of method is never read as progress.
"""

from __future__ import annotations

from assessment.i18n import _


def previous_entry(store, neighbourhood_id: str, reporting_year: int) -> dict | None:
    """The history entry of the neighbourhood's latest year in the open ``store`` before ``reporting_year`` (None: none
    earlier): the "since last year" block of a scorecard (nzn assess, nzn batch and nzn serve with a store)."""
    import json

    before = store.previous(neighbourhood_id, reporting_year)
    return history_entry(json.loads(before.results_json)) if before is not None else None


def history_entry(doc: dict) -> dict:
    """One recorded year as ``nzn history --json`` prints it (docs/store.md): the keys the issue names
    (``reporting_year``, ``net_tco2e_per_year``, ``overall.score``, ``overall.rating``, ``method_version``,
    ``factors_version``) and the figures the trend draws."""
    e, o = doc["emissions"], doc["overall"]
    t = e["trajectory"]
    return {
        "neighbourhood_id": doc["profile"]["neighbourhood_id"],
        "name": doc["profile"]["name"],
        "reporting_year": doc["profile"]["reporting_year"],
        "gross_tco2e_per_year": e["gross_tco2e_per_year"],
        "net_tco2e_per_year": e["net_tco2e_per_year"],
        "per_capita_tco2e_per_year": e["per_capita_tco2e_per_year"],
        "net_per_capita_tco2e_per_year": e["net_per_capita_tco2e_per_year"],
        "path_tco2e_at_reporting_year": t["path_tco2e_at_reporting_year"],
        "gap_tco2e": t["gap_tco2e"],
        "overall": {"score": o["score"], "rating": o["rating"], "rating_name": o["rating_name"]},
        "pillars": {k: v["score"] for k, v in doc["pillars"].items()},
        "modules": {m["id"]: m["score"] for m in doc["modules"]},
        "data_quality_shares_pct": dict(e["data_quality_shares_pct"]),
        "method_id": doc["method"]["method_id"],
        "method_version": doc["method"]["version"],
        "factors_version": doc["factors_version"],
        "input_sha256": doc["input"]["sha256"],
    }


def version_changes(entries: list[dict]) -> list[dict]:
    """Where the method or the factor library changed between consecutive recorded years (entries oldest first):
    ``year``, ``previous_year`` and a ``note`` naming the versions before and after."""
    out = []
    for before, after in zip(entries, entries[1:]):
        notes = []
        if (before["method_id"], before["method_version"]) != (after["method_id"], after["method_version"]):
            notes.append(
                _("method {old} → {new}").format(
                    old=f"{before['method_id']} {before['method_version']}", new=f"{after['method_id']} {after['method_version']}"
                )
            )
        if before["factors_version"] != after["factors_version"]:
            notes.append(_("factors {old} → {new}").format(old=before["factors_version"], new=after["factors_version"]))
        if notes:
            out.append({"year": after["reporting_year"], "previous_year": before["reporting_year"], "note": "; ".join(notes)})
    return out


def change(before: dict | None, after: dict) -> dict:
    """The change from one recorded year to a later one: net tCO2e a year and overall score (None where either is
    missing), the ratings before and after, and whether method or factors changed in between."""
    if before is None:
        return {"previous_year": None, "net_tco2e_per_year": None, "overall_score": None, "rating_before": None, "versions_changed": False}
    sb, sa = before["overall"]["score"], after["overall"]["score"]
    return {
        "previous_year": before["reporting_year"],
        "net_tco2e_per_year": after["net_tco2e_per_year"] - before["net_tco2e_per_year"],
        "net_pct": (after["net_tco2e_per_year"] - before["net_tco2e_per_year"]) / abs(before["net_tco2e_per_year"]) * 100
        if before["net_tco2e_per_year"]
        else None,
        "overall_score": sa - sb if sa is not None and sb is not None else None,
        "rating_before": before["overall"]["rating_name"],
        "versions_changed": bool(version_changes([before, after])),
    }


def off_track(entry: dict) -> bool:
    """Off track: the year's net emissions are above the neighbourhood's own target path in that year
    (``emissions.trajectory.gap_tco2e`` > 0, docs/results.md: positive = above the path)."""
    return entry["gap_tco2e"] > 0


def portfolio_rows(per_place: dict[str, list[dict]]) -> list[dict]:
    """The programme view: each neighbourhood's latest recorded year, its change since the previous recorded year and
    whether it is off track, by neighbourhood id."""
    rows = []
    for nid in sorted(per_place):
        entries = sorted(per_place[nid], key=lambda e: e["reporting_year"])
        latest = entries[-1]
        rows.append(
            {
                "neighbourhood_id": nid,
                "name": latest["name"],
                "latest": latest,
                "years": [e["reporting_year"] for e in entries],
                "change": change(entries[-2] if len(entries) > 1 else None, latest),
                "off_track": off_track(latest),
            }
        )
    return rows
