"""The benchmark script's goal logic and table (no timing here: speed is never a test)."""
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(bench, seconds_n100, naive_n12):
    rows = [{"n": 12, "seconds": 0.5, "status": "proved", "naive_seconds": naive_n12,
             "naive_status": "proved"},
            {"n": 100, "seconds": seconds_n100, "status": "proved"}]
    for row in rows:
        # as the script does: only rows with a naive run get a speedup, which the goals then read
        if "naive_seconds" in row:
            row["speedup"] = bench._speedup(row)
    return {"mode": "full", "machine": {"platform": "p", "processor": "c", "cpu_count": 2,
                                        "python": "3", "sympy": "1", "numpy": "2"},
            "prop1_scaling": rows}


@pytest.mark.parametrize("seconds_n100, naive_n12, speedup, n100_met, speedup_met", [
    (5.0, 40.0, 80.0, True, True),
    (12.0, 10.0, 20.0, False, False),
    # a naive run that hit a short cap bounds the speedup from below: not a decision
    (5.0, ">10", ">20", True, None),
], ids=["met", "missed", "capped"])
def test_goals_met_missed_and_undecided(bench, seconds_n100, naive_n12, speedup, n100_met, speedup_met):
    report = _report(bench, seconds_n100, naive_n12)
    assert report["prop1_scaling"][0]["speedup"] == speedup
    g = bench.goals(report)
    assert g["prop1_n100_within_10s"]["met"] is n100_met
    assert g["prop1_n12_speedup_50x"]["met"] is speedup_met


def test_table_shows_rows_and_goals(bench):
    report = _report(bench, 5.0, 40.0)
    report["goals"] = bench.goals(report)
    text = bench.table(report)
    assert "prop1_n100_within_10s: met" in text and "80x" in text
