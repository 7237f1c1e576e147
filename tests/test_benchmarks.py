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


def _side(baseline_100, current_50, current_100, status="proved"):
    return {"commit": "c50c5b6", "seconds": {}, "ratio": current_100 / baseline_100,
            "growth": current_100 / current_50,
            "median": {"baseline": {"50": 10.0, "100": baseline_100}, "current": {"50": current_50,
                                                                                  "100": current_100}},
            "status": {"baseline": {"50": "proved", "100": "proved"}, "current": {"50": "proved", "100": status}}}


@pytest.mark.parametrize("current_50, current_100, status, ratio_met, growth_met", [
    (2.0, 4.0, "proved", True, True),
    (1.5, 4.5, "proved", True, False),
    (4.0, 8.0, "proved", False, True),
    # fast but not proved (a time limit): the goal is not met
    (2.0, 4.0, "inconclusive", False, True),
], ids=["met", "superlinear", "slow", "not-proved"])
def test_prop1_against_a_commit(bench, current_50, current_100, status, ratio_met, growth_met):
    report = {"mode": "full", "machine": {"platform": "p", "processor": "c", "cpu_count": 2, "python": "3",
                                          "sympy": "1", "numpy": "2"},
              "prop1_vs_commit": _side(20.0, current_50, current_100, status)}
    g = bench.goals(report)
    assert g["prop1_n100_within_0.25x_of_baseline"]["met"] is ratio_met
    assert g["prop1_t100_over_t50_within_2.5"]["met"] is growth_met
    report["prop1_vs_commit"]["seconds"] = {"baseline": {"100": [20.0]}, "current": {"100": [current_100]}}
    report["goals"] = g
    text = bench.table(report)
    assert "prop1_vs_commit" in text and f"ratio at n = 100: {current_100 / 20.0:.2f}" in text
