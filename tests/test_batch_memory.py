"""Flat memory in a batch (issue #21 item 1): workers are replaced after TASKS_PER_WORKER tasks, and the submitting
process keeps no key figures while the batch runs (they are in the manifest entries, read back for the portfolio)."""

from __future__ import annotations

import os

from assessment.portfolio import batch


def pid_assess_one(path, outdir, name, **options):
    """Stands in for an assessment: reports which worker process ran it, with key figures as a real task has."""
    return batch.BatchItem(
        input=path, name=name, ok=True, outputs=(f"{outdir}/{name}.json",), messages=(str(os.getpid()),), summary={"x": 1}
    )


def test_a_worker_runs_at_most_tasks_per_worker_tasks(monkeypatch):
    """7 tasks, one worker, 3 tasks a worker: workers run 3 + 3 + 1 tasks, each a fresh process."""
    monkeypatch.setattr(batch, "assess_one", pid_assess_one)  # the forked workers inherit it
    monkeypatch.setattr(batch, "TASKS_PER_WORKER", 3)
    seen: list[batch.BatchItem] = []
    tasks = [(f"in{k}.json", "out", f"n{k}") for k in range(7)]
    items = batch.run_local(tasks, 1, {}, seen.append)
    pids = [int(i.messages[0]) for i in sorted(seen, key=lambda i: i.name)]
    assert [pids.count(p) for p in dict.fromkeys(pids)] == [3, 3, 1]
    assert os.getpid() not in pids
    assert [i.name for i in items] == [f"n{k}" for k in range(7)], "in input order"
    assert all(i.summary == {"x": 1} for i in seen), "the progress callback sees the whole item"
    assert all(i.summary == {} and i.ok and i.outputs for i in items), "the batch keeps only name, status and outputs"
