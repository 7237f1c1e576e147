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


# ---------------------------------------------------------------------------
# linear objectives on an interval: a binary public project
# ---------------------------------------------------------------------------

from symbolic_mech import CustomTransfers, Interval, MessageDrivenVCG  # noqa: E402

COST = sp.Symbol("c", positive=True)


def test_a_linear_objective_takes_a_corner_and_a_tie_goes_to_lo():
    v = sp.Symbol("v", real=True)
    choice = Interval(0, 1).maximize((v - COST) * x)[x]
    assert [choice.xreplace({v: q, COST: 2}) for q in (3, 2, 1)] == [1, 0, 0]
    assert Interval(-1, 2).maximize(-x)[x] == -1


def test_binary_public_project_pivot_proved_and_free_riding_refuted():
    """Build (x = 1) or not at a cost c shared equally, values theta_i (private values): the Clarke
    pivot is truthful; paying nothing lets agent 1 gain by exaggerating, a certified witness."""
    env = Environment(GaussianSignals(3), [theta(i) * x - COST * x / 3 for i in (1, 2, 3)], Interval(0, 1),
                      parameters=[COST])
    v = groves_certificate(MessageDrivenVCG(env, h="pivot"), 1)
    assert v.proved and recheck(v.certificate).confirmed
    control = groves_certificate(CustomTransfers(env, {1: sp.Integer(0)}), 1)
    assert control.refuted and control.evidence["witness"]["gain"] > 0
    assert recheck(control.certificate).confirmed


# ---------------------------------------------------------------------------
# procurement: the economy without seller i buys from another seller
# ---------------------------------------------------------------------------

from symbolic_mech import SingleSlot  # noqa: E402


def procurement(n=3):
    slot = SingleSlot(n)
    return Environment(GaussianSignals(n), [-theta(i) * slot.variables[i - 1] for i in range(1, n + 1)], slot)


def test_procurement_pivot_pays_the_winner_the_second_lowest_cost():
    env = procurement()
    costs = {theta(1): 4, theta(2): 2, theta(3): 7}
    paid = [MessageDrivenVCG(env, h="pivot-excluding").transfer(i).xreplace(costs) for i in (1, 2, 3)]
    assert paid == [0, 4, 0]
    # the Clarke pivot over the same slot, for contrast: the winner paid nothing, losers charged
    assert [MessageDrivenVCG(env, h="pivot").transfer(i).xreplace(costs) for i in (1, 2, 3)] == [-2, 0, -2]


@pytest.mark.parametrize("h", ["pivot-excluding", "pivot"])
def test_procurement_pivots_are_truthful(h):
    v = groves_certificate(MessageDrivenVCG(procurement(), h=h), 1)
    assert v.proved and recheck(v.certificate).confirmed


def test_procurement_first_price_is_refuted():
    """Paid one's own bid when winning: overbidding pays, a certified witness."""
    env = procurement()
    x1 = env.outcome.variables[0]
    first_price = CustomTransfers(env, {1: theta(1) * env.efficient_allocation()[x1]})
    v = groves_certificate(first_price, 1)
    assert v.refuted and recheck(v.certificate).confirmed


def test_pivot_excluding_needs_shares():
    env = Environment(GaussianSignals(2), [theta(i) * x - x ** 2 / 2 for i in (1, 2)], Interval(0, 1))
    with pytest.raises(ValueError, match="pivot-excluding"):
        MessageDrivenVCG(env, h="pivot-excluding").transfer(1)


# ---------------------------------------------------------------------------
# position auctions: K ranked slots with factors alpha_1 > alpha_2
# ---------------------------------------------------------------------------

from itertools import permutations  # noqa: E402

from symbolic_mech import BetaBernoulliClicks, GeneralizedSecondPrice, Positions, SampleClickRate  # noqa: E402
from symbolic_mech.symbols import m  # noqa: E402

A2, D = sp.symbols("a2 d", positive=True)


def position_auction():
    P = Positions(3, [A2 + D, A2])
    clicks = BetaBernoulliClicks(3, a=2, b=3, impressions=4)
    return Environment(clicks, [theta(i) * P.variables[i - 1] * omega for i in (1, 2, 3)], P)


def test_positions_sort_and_break_ties_by_agent_number():
    """Each ranking of three bids, and ties, against a direct sort."""
    P = Positions(3, [3, 1])
    c = sp.symbols("c1:4", real=True)
    alloc = P.maximize(sum(ci * xi for ci, xi in zip(c, P.variables)))
    for bids in [*permutations((1, 2, 5)), (2, 2, 1), (1, 3, 3), (4, 4, 4)]:
        order = sorted(range(3), key=lambda j: (-bids[j], j))
        want = [0, 0, 0]
        for rank, j in enumerate(order[:2]):
            want[j] = (3, 1)[rank]
        assert [alloc[xi].xreplace(dict(zip(c, bids))) for xi in P.variables] == want, bids


@pytest.mark.parametrize("factors, err", [([1, 1], ValueError), ([1, 2], ValueError), ([2, 1, 1, 1], ValueError),
                                          ([0.5], TypeError), ("1", TypeError), ([A2, A2 + D], ValueError)])
def test_positions_refuse_factors_not_decreasing(factors, err):
    with pytest.raises(err, match="factors"):
        Positions(3, factors)


@pytest.mark.slow
def test_per_click_vcg_proved_and_gsp_refuted_on_a_position_auction():
    """Three bidders, two slots with symbolic factors a2 + d > a2 > 0, a common click rate: the
    per-click VCG (pivot without the bidder) is truthful; GSP is not, with a certified witness."""
    env = position_auction()
    vcg = groves_certificate(DataDrivenVCG(env, h="pivot-excluding"), 1, SampleClickRate(m))
    assert vcg.proved and recheck(vcg.certificate).confirmed
    gsp = groves_certificate(GeneralizedSecondPrice(env), 1, SampleClickRate(m))
    assert gsp.refuted and gsp.evidence["witness"]["gain"] > 0
    assert recheck(gsp.certificate).confirmed
