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


def _report(seconds_n100, naive_n12):
    rows = [{"n": 12, "seconds": 0.5, "status": "proved", "naive_seconds": naive_n12,
             "naive_status": "proved"},
            {"n": 100, "seconds": seconds_n100, "status": "proved"}]
    for row in rows:
        if "naive_seconds" in row:
            row["speedup"] = None
    return {"mode": "full", "machine": {"platform": "p", "processor": "c", "cpu_count": 2,
                                        "python": "3", "sympy": "1", "numpy": "2"},
            "prop1_scaling": rows}


def test_goals_met_missed_and_undecided(bench):
    met = _report(5.0, 40.0)
    met["prop1_scaling"][0]["speedup"] = bench._speedup(met["prop1_scaling"][0])
    g = bench.goals(met)
    assert g["prop1_n100_within_10s"]["met"] and g["prop1_n12_speedup_50x"]["met"]

    missed = _report(12.0, 10.0)
    missed["prop1_scaling"][0]["speedup"] = bench._speedup(missed["prop1_scaling"][0])
    g = bench.goals(missed)
    assert g["prop1_n100_within_10s"]["met"] is False and g["prop1_n12_speedup_50x"]["met"] is False

    # a naive run that hit a short cap bounds the speedup from below: not a decision
    capped = _report(5.0, ">10")
    capped["prop1_scaling"][0]["speedup"] = bench._speedup(capped["prop1_scaling"][0])
    assert capped["prop1_scaling"][0]["speedup"] == ">20"
    assert bench.goals(capped)["prop1_n12_speedup_50x"]["met"] is None


def test_table_shows_rows_and_goals(bench):
    report = _report(5.0, 40.0)
    report["prop1_scaling"][0]["speedup"] = bench._speedup(report["prop1_scaling"][0])
    report["goals"] = bench.goals(report)
    text = bench.table(report)
    assert "prop1_n100_within_10s: met" in text and "80x" in text
