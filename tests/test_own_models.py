"""Models users build of their own: the wallet with three agents (a point-mass posterior), and
named errors for every input a caller can get wrong."""
from __future__ import annotations

import copy

import pytest
import sympy as sp

from symbolic_mech import DataDrivenVCG, Environment, ExPost, RealLine, WalletSignals, groves_certificate, recheck
from symbolic_mech.symbols import omega, theta, x


@pytest.fixture(scope="module")
def wallet_verdicts():
    env = Environment(WalletSignals(3), [-(x - theta(i) - omega) ** 2 for i in (1, 2, 3)], RealLine())
    return {i: groves_certificate(DataDrivenVCG(env, h="pivot"), i, ExPost()) for i in (1, 2, 3)}


@pytest.mark.parametrize("agent", [1, 2, 3])
def test_wallet_three_agents_proved_by_point_masses(wallet_verdicts, agent):
    """Given every signal the wallet's state is known: each Monte Carlo entry is a point mass,
    decided exactly, and the independent checker re-runs the certificate and confirms it."""
    v = wallet_verdicts[agent]
    assert v.proved, v.evidence.get("reason")
    entries = v.certificate["monte_carlo"]
    assert len(entries) >= 3 and all(e.get("point_mass") and e["se"] == 0 for e in entries)
    report = recheck(v.certificate)
    assert report.confirmed, report.problems


def test_wallet_forged_point_mass_refused(wallet_verdicts):
    """The same certificate claiming the expectation of the integrand plus one: the point masses'
    values are then not the right-hand side, and the checker refuses it."""
    forged = copy.deepcopy(wallet_verdicts[1].certificate)
    stated = forged["statement"]["expectation"]
    stated["integrand"] = ["Add", stated["integrand"], ["Integer", "1"]]
    report = recheck(forged)
    assert not report.confirmed
    assert any("agrees is recorded True but the rule gives False" in p for p in report.problems), report.problems


# ---------------------------------------------------------------------------
# inputs: each refused with a TypeError or ValueError naming the parameter
# ---------------------------------------------------------------------------

import symbolic_mech  # noqa: E402
from symbolic_mech import AdditiveNoise, Estimator, GaussianSignals  # noqa: E402
from symbolic_mech.incentives import search_gain  # noqa: E402
from symbolic_mech.symbols import prime  # noqa: E402


class Compared:
    """A caller's object that records whether anything compared it."""
    calls = 0

    def __eq__(self, other):
        Compared.calls += 1
        return False

    __hash__ = object.__hash__


class WordMoment(Estimator):
    """A custom estimator whose _moment returns a string: refused when it is built."""

    def __init__(self):
        super().__init__()

    def _moment(self, k):
        return "omega"

    def _draw(self, omega_values, rng):
        return omega_values


@pytest.fixture(scope="module")
def linear():
    env = Environment(GaussianSignals(2), [theta(i) * x * omega - x ** 2 for i in (1, 2)], RealLine())
    return DataDrivenVCG(env, h="pivot")


@pytest.mark.parametrize("call, err, words", [
    (lambda mech: search_gain(mech, 1, ExPost(), tries=0), ValueError, "tries must be a positive int"),
    (lambda mech: search_gain(mech, 1, ExPost(), samples=0), ValueError, "samples must be a positive int"),
    (lambda mech: search_gain(mech, 1, ExPost(), bounds={prime(theta(1)): (1, 0)}), ValueError,
     "bounds[theta1'] = (1, 0) is empty or reversed"),
    (lambda mech: search_gain(mech, 1, ExPost(), bounds={theta(1): (0, 1)}), ValueError,
     "bounds[theta1]: the keys are the reports of agent 1"),
    (lambda mech: search_gain(mech, 1, ExPost(), bounds=[(0, 1)]), TypeError, "bounds must be a dict"),
    (lambda mech: Environment(None, [x], RealLine()), TypeError, "info must be an InformationStructure"),
    (lambda mech: groves_certificate(mech, 1, "noise"), TypeError, "estimator must be an Estimator"),
    (lambda mech: symbolic_mech.identity(42, x, x), TypeError, "model must be an Environment or an Information"),
    (lambda mech: symbolic_mech.sign(mech.env, x ** 2, "nonnegative", estimator="noise"), TypeError,
     "estimator must be an Estimator"),
    (lambda mech: groves_certificate(mech, 1, ExPost(), domain=[(0, 1)]), TypeError, "domain must be a dict"),
    (lambda mech: WordMoment(), TypeError, "WordMoment._moment(0) must return a sympy expression"),
    (lambda mech: GaussianSignals(2, prior_var=0.1), TypeError, "prior_var must be exact: got the float 0.1"),
    (lambda mech: Environment(GaussianSignals(2), [x, "x"], RealLine()), TypeError, "the utility of agent 2"),
])
def test_bad_input_is_refused_by_name(linear, call, err, words):
    with pytest.raises(err) as info:
        call(linear)
    assert words in str(info.value)


@pytest.mark.parametrize("call, words", [
    (lambda mech: groves_certificate(mech, 1, ExPost(), domain={theta(1): (Compared(), 1)}), "domain[theta1] lo"),
    (lambda mech: search_gain(mech, 1, ExPost(), bounds={prime(theta(1)): (0, Compared())}), "bounds[theta1'] hi"),
    (lambda mech: AdditiveNoise(Compared()), "variance"),
])
def test_a_callers_object_is_refused_before_any_comparison(linear, call, words):
    Compared.calls = 0
    with pytest.raises(TypeError) as info:
        call(linear)
    assert words in str(info.value) and Compared.calls == 0


def test_the_evidence_of_implementable_is_documented():
    doc = symbolic_mech.implementable.__doc__
    for key in ("``others``", "``tied``", "``total``", "``agent``", "``constraints``"):
        assert key in doc, key


# ---------------------------------------------------------------------------
# resource bounds: a zero factor decides a point; huge constants are never evaluated by sympy
# ---------------------------------------------------------------------------

def test_a_zero_factor_decides_the_point_before_a_huge_one():
    """exp(exp(exp(x))) (1 - sin(y)^2 - cos(y)^2) = 0: at x in (15, 25) the first factor has more
    than 10^6 digits; the second, decided zero at each point, decides it, and the checker agrees."""
    import time
    from symbolic_mech.core.kernel import check_identity
    xr, yr = sp.symbols("x y", real=True)
    start = time.perf_counter()
    v = check_identity(sp.exp(sp.exp(sp.exp(xr))) * (1 - sp.sin(yr) ** 2 - sp.cos(yr) ** 2), 0,
                       domain={xr: (15, 25)}, budget=60)
    assert v.proved and v.evidence["points_checked"] >= 20, v.evidence.get("reason")
    assert time.perf_counter() - start < 30
    assert recheck(v.certificate).confirmed
    # the control: plus 1/x it is false, and never proved
    control = check_identity(sp.exp(sp.exp(sp.exp(xr))) * (1 - sp.sin(yr) ** 2 - sp.cos(yr) ** 2) + 1 / xr, 0,
                             domain={xr: (1, 3)}, budget=60)
    assert control.refuted


def test_huge_constants_are_kept_from_sympys_numerics():
    """A constant beyond 2^(2^16) is a generator for the zero decision: decided in well under the
    time sympy's own evaluation would take (exp(exp(20)) has about 2*10^8 digits)."""
    import time
    from symbolic_mech.core.kernel import decide_sign
    huge = sp.exp(sp.exp(sp.exp(20)))
    start = time.perf_counter()
    trig = sp.sin(sp.Rational(1, 3)) ** 2 + sp.cos(sp.Rational(1, 3)) ** 2
    assert decide_sign(huge * (1 - trig))[0] == 0
    assert decide_sign(huge * (2 - trig))[0] in (None, 1)       # positive: never decided zero or negative
    assert time.perf_counter() - start < 10
