"""A statement's Monte Carlo is re-run from its model and the recorded seeds (core/simulate.py).

The checker re-runs every entry of a certificate whose statement states its expectation as a
record, with no sampler of the engine: a rhs wrong for the model is caught even when the
statistics were refitted to it, a changed seed, estimate or ess is caught, the evaluator of
integrand trees agrees with exact values, and weakenings of simulate.py are killed.
"""
import copy
import itertools
import math
import sys
import types
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symbolic_mech.core import checker, simulate
from symbolic_mech.core.kernel import check_identity
from symbolic_mech.core.trees import to_tree
from symbolic_mech.estimators import AdditiveNoise, SampleClickRate
from symbolic_mech.hypotheses import unbiased
from symbolic_mech.information import GaussianSignals
from symbolic_mech.simulation import LawSampler, ModelSampler
from symbolic_mech.symbols import m, omega, omega_hat, v

SIMULATE = Path(simulate.__file__)
_serial = itertools.count()


@pytest.fixture(scope="module")
def gauss():
    """E_{omega|s} E_{omega_hat|omega}[omega_hat] = E[omega|s]: a Gaussian posterior (prior weighted by
    the likelihood) and additive noise v/m."""
    (verdict,) = unbiased(AdditiveNoise(v, m))[1]
    assert verdict.status == "proved"
    return verdict.certificate


@pytest.fixture(scope="module")
def beta():
    """The same through a Beta-Bernoulli posterior and the sample click rate Binomial(m, omega)/m."""
    (verdict,) = unbiased(SampleClickRate(m))[1]
    assert verdict.status == "proved"
    return verdict.certificate


@pytest.fixture(scope="module")
def posterior_mean():
    """E[omega | s1] (the atom) equals the Gaussian formula; the simulation draws omega."""
    g = GaussianSignals(1)
    verdict = check_identity(g.posterior_mean(), g.explicit(g.posterior_mean()), id="pm", definitions=g.explicit,
                             monte_carlo=ModelSampler(g, omega), domain=g.domains(),
                             variables=set(g.parameters) | set(g.s))
    assert verdict.status == "proved", verdict.evidence
    return verdict.certificate


def _rejected(cert, *words, **kw):
    report = checker.recheck(cert, **kw)
    assert not report.confirmed, report
    text = " ".join(report.problems)
    for word in words:
        assert word in text, (word, report.problems)


def test_statement_states_the_expectation(gauss, posterior_mean):
    record = gauss["statement"]["expectation"]
    assert set(record) == set(simulate.RECORD_KEYS)
    assert record["state"] == "posterior" and record["given"] == [1]
    assert record["estimator"] == {"law": "additive-noise", "variance": ["Symbol", "v"], "m": ["Symbol", "m"]}
    assert record["integrand"] == ["Symbol", "omega_hat"]
    assert posterior_mean["statement"]["expectation"]["estimator"] is None
    report = checker.recheck(gauss)
    assert report.confirmed, report.problems
    assert any("re-run from the statement" in n for n in report.notes)


def test_wrong_rhs_with_refitted_statistics_is_rejected(posterior_mean):
    """The prior left out of the precision sum, on both sides (so the residual is zero) and with the
    Monte Carlo estimates refitted to the wrong value: the statistics agree with it, but neither the
    exact expectation from the primitives nor the re-run does."""
    cert = copy.deepcopy(posterior_mean)
    mu, sigma, sigma1, s1 = (sp.Symbol(n, real=True) for n in ("mu", "sigma", "sigma1", "s1"))
    wrong = to_tree((mu / sigma ** 2 + s1 / sigma1 ** 2) / sigma1 ** -2)
    cert["statement"]["lhs"] = cert["statement"]["rhs"] = wrong
    cert["claim"] = cert["statement"]["claim"] = "E[omega|s1] without the prior"
    for e in cert["monte_carlo"]:
        p = {k: sp.Rational(q) for k, q in e["point"].items()}
        value = float(((mu / sigma ** 2 + s1 / sigma1 ** 2) / sigma1 ** -2).xreplace(
            {sp.Symbol(k, real=True): q for k, q in p.items()}))
        e["estimate"] = value + 0.5 * e["se"]
        e["mean_abs"] = max(e["mean_abs"], abs(value))
    assert checker.recheck(cert, rerun=False).confirmed        # refitted statistics pass on their own
    _rejected(cert, "computed exactly", "replayed estimate")


@pytest.mark.parametrize("key", ["seed", "estimate", "ess", "se", "mean_abs"])
def test_changed_evidence_is_rejected(gauss, key):
    cert = copy.deepcopy(gauss)
    e = cert["monte_carlo"][1]
    if key == "seed":
        e["seed"] += 1
        _rejected(cert, "monte_carlo[1]: replayed")
    else:
        e[key] *= 1 - 1e-7
        _rejected(cert, f"monte_carlo[1]: replayed {key}")


def test_engine_sampler_is_not_used(gauss):
    """A sampler passed in is ignored where the statement states the expectation."""
    def wrong(point, rng):
        return rng.normal(0.0, 1.0, 100_000)
    assert checker.recheck(gauss, samplers={gauss["id"]: wrong}).confirmed


def test_changed_record_is_rejected(gauss):
    cert = copy.deepcopy(gauss)
    cert["statement"]["expectation"]["estimator"]["variance"] = ["Mul", ["Integer", "2"], ["Symbol", "v"]]
    _rejected(cert, "replayed")
    cert = copy.deepcopy(gauss)
    cert["statement"]["expectation"]["given"] = [2]
    _rejected(cert, "expectation")
    cert = copy.deepcopy(gauss)
    cert["statement"]["expectation"] = None       # a different statement (no simulation required): its own fingerprint
    assert checker.fingerprint(cert["statement"]) != checker.fingerprint(gauss["statement"])
    cert = copy.deepcopy(gauss)
    cert["statement"]["expectation"]["law"] = "ex-post"
    _rejected(cert, "expectation")


def test_in_process_sampler_is_said(gauss):
    a = sp.Symbol("a", real=True)
    verdict = check_identity(a + 1, 1 + a, variables=(a,),
                             monte_carlo=lambda point, rng: rng.normal(float(point[a]) + 1, 0.001, 20_000))
    assert verdict.certificate["statement"]["expectation"] == {"in_process": "test_in_process_sampler_is_said.<locals>.<lambda>"}
    report = checker.recheck(verdict.certificate)
    assert report.confirmed and any("not stated as data" in n for n in report.notes)


# ---------------------------------------------------------------------------
# the evaluator against exact values
# ---------------------------------------------------------------------------

X, Y = ["Symbol", "x"], ["Symbol", "y"]


def _n(k):
    return ["Integer", str(k)]


def _value(tree, point):
    record = {"state": "fixed", "given": [], "redrawn": [], "uniform": [], "estimator": None, "integrand": tree}
    draws, w = simulate.Simulation(None, [], record).sample(dict(point, omega="0"), np.random.default_rng(0), 4)
    assert np.all(draws == draws[0]) and np.all(w == 1)
    return float(draws[0])


@pytest.mark.parametrize("tree, exact", [
    (["Add", X, ["Mul", _n(3), ["Pow", Y, _n(2)]], ["Rational", "-1", "7"]], Fraction(2, 5) + 3 * Fraction(9, 16) - Fraction(1, 7)),
    (["Pow", ["Add", X, Y], _n(-3)], (Fraction(2, 5) + Fraction(-3, 4)) ** -3),
    (["Mul", ["exp", X], ["log", ["Abs", Y]]], math.exp(0.4) * math.log(0.75)),
    (["Pow", X, ["Rational", "1", "2"]], math.sqrt(0.4)),
    (["Max", X, Y, _n(0)], 0.4), (["Min", X, Y], -0.75),
    (["Piecewise", [X, ["Lt", X, Y]], [Y, ["And", ["Ge", X, _n(0)], ["Not", ["Eq", Y, _n(0)]]]], [_n(9), ["true"]]], -0.75),
    (["Mul", ["sin", ["pi"]], ["cos", ["E"]]], math.sin(math.pi) * math.cos(math.e)),
    (["Function", "f", X], 0.4 ** 2 + 1),
])
def test_evaluator_agrees_with_exact_values(tree, exact):
    point = {"x": Fraction(2, 5), "y": "-3/4"}
    if tree[0] == "Function":
        record = {"state": "fixed", "given": [], "redrawn": [], "uniform": [], "estimator": None, "integrand": tree}
        defs = [{"atom": tree, "formula": ["Add", ["Pow", X, _n(2)], _n(1)]}]
        got = simulate.Simulation(None, defs, record).sample(dict(point, omega="0"), np.random.default_rng(0), 3)[0]
        assert got[0] == pytest.approx(float(exact), rel=1e-15)
        return
    assert _value(tree, point) == pytest.approx(float(exact), rel=1e-14, abs=1e-15)


def test_draws_follow_the_documented_seed_map():
    """State first, then redrawn signals, uniforms, omega_hat: the same generator calls in that order."""
    model = {"structure": "gaussian", "n": 2, "prior_mean": _n(1), "prior_var": _n(4), "noise_var": [_n(2), _n(3)]}
    record = {"state": "posterior", "given": [2], "redrawn": [1], "uniform": ["u"],
              "estimator": {"law": "additive-noise", "variance": _n(5), "m": _n(10)},
              "integrand": ["Add", ["Symbol", "s1"], ["Symbol", "u"], ["Symbol", "omega_hat"]]}
    draws, w = simulate.Simulation(model, [], record).sample({"s2": Fraction(1, 2)}, np.random.default_rng(7), 1000)
    rng = np.random.default_rng(7)
    states = rng.normal(1.0, 2.0, 1000)
    s1 = states + rng.normal(0.0, math.sqrt(2.0), 1000)
    u = rng.random(1000)
    what = states + rng.normal(0.0, math.sqrt(0.5), 1000)
    logw = -(0.5 - states) ** 2 / 6.0
    assert np.array_equal(draws, s1 + u + what) and np.array_equal(w, np.exp(logw - logw.max()))


def test_hostile_records_are_errors():
    for record in ({}, {"state": "posterior", "given": [1], "redrawn": [], "uniform": [], "estimator": None,
                        "integrand": ["Symbol", "omega"]},
                   {"state": "fixed", "given": [], "redrawn": [], "uniform": ["omega"], "estimator": None,
                    "integrand": _n(1)},
                   {"state": "fixed", "given": [], "redrawn": [], "uniform": [], "estimator": None,
                    "integrand": ["eval", "1"]}):
        with pytest.raises(simulate.SimulationError):
            simulate.Simulation(None, [], record)


# ---------------------------------------------------------------------------
# weakenings of simulate.py are killed
# ---------------------------------------------------------------------------

def load_simulate(source: str):
    """simulate.py's source executed as a fresh module (a sibling, for its relative import)."""
    name = f"symbolic_mech.core._simulate_mutant_{next(_serial)}"
    mod = types.ModuleType(name)
    mod.__package__ = "symbolic_mech.core"
    mod.__file__ = str(SIMULATE)
    sys.modules[name] = mod
    try:
        exec(compile(source, str(SIMULATE), "exec"), mod.__dict__)
    finally:
        del sys.modules[name]
    return mod


def _pin(module, certs, monkeypatch) -> bool:
    """True iff every genuine certificate is confirmed with ``module`` re-running the simulations."""
    with monkeypatch.context() as mp:
        mp.setattr(checker, "_simulate", module)
        return all(checker.recheck(c).confirmed for c in certs)


MUTANTS = [
    ("Gaussian likelihood weights dropped", "logw -= (self._signal_value(env, j) - states) ** 2 / (2 * q)",
     "logw -= 0 * (self._signal_value(env, j) - states) ** 2 / (2 * q)"),
    ("the additive noise's variance halved", 'math.sqrt(p["variance"] / p["m"])', 'math.sqrt(p["variance"] / p["m"] / 2)'),
    ("Beta likelihood: clicks not subtracted", "clicks, misses = clicks + c, misses + (t - c)",
     "clicks, misses = clicks + c, misses + t"),
    ("the sample click rate over m + 1", "return rng.binomial(int(m), states) / m",
     "return rng.binomial(int(m), states) / (m + 1)"),
    ("the prior's variance for its standard deviation", "states = rng.normal(mean, math.sqrt(var), size)",
     "states = rng.normal(mean, var, size)"),
]


@pytest.mark.parametrize("old, new", [m[1:] for m in MUTANTS], ids=[m[0] for m in MUTANTS])
def test_mutant_is_killed(old, new, gauss, beta, monkeypatch):
    source = SIMULATE.read_text(encoding="utf-8")
    assert source.count(old) == 1, f"the old text occurs {source.count(old)} times, not once"
    assert _pin(load_simulate(source), [gauss, beta], monkeypatch)
    assert not _pin(load_simulate(source.replace(old, new)), [gauss, beta], monkeypatch)
