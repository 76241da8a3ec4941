"""Flat memory in a batch (issue #21 item 1): where the platform forks, each input is assessed in a process of its own
(nothing one report leaves behind reaches the next); elsewhere workers are replaced after TASKS_PER_WORKER tasks; and
the submitting process keeps no key figures while the batch runs (they are in the manifest entries, read back for the
portfolio)."""

from __future__ import annotations

import os

from assessment.portfolio import batch


def pid_assess_one(path, outdir, name, **options):
    """Stands in for an assessment: reports which worker process ran it, with key figures as a real task has."""
    return batch.BatchItem(
        input=path, name=name, ok=True, outputs=(f"{outdir}/{name}.json",), messages=(str(os.getpid()),), summary={"x": 1}
    )


def _run(monkeypatch, jobs: int):
    monkeypatch.setattr(batch, "assess_one", pid_assess_one)  # the forked processes inherit it
    seen: list[batch.BatchItem] = []
    tasks = [(f"in{k}.json", "out", f"n{k}") for k in range(7)]
    items = batch.run_local(tasks, jobs, {}, seen.append)
    pids = [int(i.messages[0]) for i in sorted(seen, key=lambda i: i.name)]
    return seen, items, pids


def test_each_input_is_assessed_in_a_process_of_its_own(monkeypatch):
    """7 tasks, 2 at a time, on a platform that forks: 7 processes, none of them the submitting one."""
    seen, items, pids = _run(monkeypatch, 2)
    assert len(set(pids)) == 7 and os.getpid() not in pids
    assert [i.name for i in items] == [f"n{k}" for k in range(7)], "in input order"
    assert all(i.summary == {} and i.ok and i.outputs for i in items)


def test_a_pooled_worker_runs_at_most_tasks_per_worker_tasks(monkeypatch):
    """Where processes cannot be forked: 7 tasks, one worker, 3 tasks a worker: workers run 3 + 3 + 1 tasks, each a
    fresh process (the pool is tried here by making the fork path unavailable to run_local)."""
    monkeypatch.setattr(batch, "_FORK_PER_TASK", False)
    monkeypatch.setattr(batch, "TASKS_PER_WORKER", 3)
    seen, items, pids = _run(monkeypatch, 1)
    assert [pids.count(p) for p in dict.fromkeys(pids)] == [3, 3, 1]
    assert os.getpid() not in pids
    assert [i.name for i in items] == [f"n{k}" for k in range(7)], "in input order"
    assert all(i.summary == {"x": 1} for i in seen), "the progress callback sees the whole item"
    assert all(i.summary == {} and i.ok and i.outputs for i in items), "the batch keeps only name, status and outputs"


class _Drawn:
    def __init__(self, name, args):
        self.name, self.args = name, args

    def get(self):
        return f"<svg>{self.name}</svg>"


def test_the_portfolio_pdf_stays_bounded_for_a_large_portfolio(method):
    """The portfolio PDF's layout grows with what it shows (measured in outputs.RADARS_DRAWN's note): 130 neighbourhoods
    give 5 radar pages of 20 (100 drawn, 30 left out) and 100 ranked rows (30 left to portfolio.xlsx); the totals and
    the module spread still count all 130."""
    from assessment.portfolio.outputs import RADARS_DRAWN, ROWS_LISTED, portfolio_context

    assert (RADARS_DRAWN, ROWS_LISTED) == (100, 100)
    summary = {
        "name": "",
        "city": "c",
        "reporting_year": 2025,
        "population": 1000,
        "gross_tco2e": 5000.0,
        "net_tco2e": 4900.0,
        "removals_tco2e": 100.0,
        "per_capita_tco2e": 5.0,
        "operational_tco2e": 1.0,
        "embodied_tco2e": 1.0,
        "consumption_tco2e": 1.0,
        "green": 50.0,
        "thriving": 50.0,
        "overall": 50.0,
        "rating_name": "x",
        "modules": {m.id: 50.0 for m in method.modules},
        "provisional": [],
    }
    items = [batch.BatchItem(input=f"{k}.json", name=f"n{k}", ok=True, summary={**summary, "name": f"N{k:03d}"}) for k in range(130)]
    drawn = []
    ctx = portfolio_context(items, method, lambda name, *args, **kw: drawn.append(_Drawn(name, args)) or drawn[-1])
    radars = [d for d in drawn if d.name == "radar_grid"]
    assert len(radars) == 5 and sum(len(d.args[0]) for d in radars) == 100 and ctx["radars_left_out"] == 30
    assert len(ctx["rows"]) == 100 and ctx["rows_left_out"] == 30
    totals = {t["label"]: t["value"] for t in ctx["totals"]}
    assert totals["Neighbourhoods assessed"] == "130" and totals["Residents"] == "130,000"
    spread = next(d for d in drawn if d.name == "distributions").args[1]
    assert all(len(values) == 130 for values in spread)
