"""Allocations with regions: a single slot won by the highest bid times rate.

Common click rate (Corollary 2) with n = 2, 3, 4 bidders: the Groves certificate of the
per-click pivot is proved region by region (who wins at the truth, at the report, and
which of the others sets the price).  Individual rates known to their owners (Example 3)
with n = 3, 4: refuted with a witness found without being told where to look, re-evaluated
here from the model's definition with Fractions.  Negative controls, and certificates whose
recorded regions were tampered with.
"""
import copy
from fractions import Fraction

import pytest
import sympy as sp

from symbolic_mech import BetaBernoulliClicks, CustomTransfers, Environment, SampleClickRate, SingleSlot
from symbolic_mech.core import checker
from symbolic_mech.core.kernel import Regions, check_identity, decide_zero, exact_value
from symbolic_mech.incentives import gain, groves_certificate, search_by_regions
from symbolic_mech.information import KnownRates
from symbolic_mech.mechanisms import DataDrivenVCG, PerClickPivot
from symbolic_mech.symbols import m, omega, omega_hat, prime, s, theta


def common_rate(n):
    X = SingleSlot(n)
    return Environment(BetaBernoulliClicks(n), [theta(i) * X.variables[i - 1] * omega for i in range(1, n + 1)], X)


def individual_rates(n):
    info, X = KnownRates(n), SingleSlot(n)
    return Environment(info, [theta(i) * X.variables[i - 1] * info.rate(i) for i in range(1, n + 1)], X)


def winner(bids):
    """The slot's winner by the definition: the largest bid, ties to the lowest agent number."""
    top = max(bids)
    return next(j for j, b in enumerate(bids, start=1) if b == top)


def q(v):
    return Fraction(int(v.p), int(v.q))


@pytest.fixture(scope="module")
def certificate3():
    return groves_certificate(PerClickPivot(common_rate(3)), 1, SampleClickRate(m), search=False)


# ---------------------------------------------------------------------------
# common rate: proved
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4])
def test_common_rate_per_click_pivot_proved(n):
    v = groves_certificate(PerClickPivot(common_rate(n)), 1, SampleClickRate(m), search=False)
    assert v.status == "proved", v.evidence.get("reason")
    assert v.evidence["points_checked"] >= 20 and len(v.evidence["monte_carlo"]) >= 3
    assert checker.recheck(v.certificate).confirmed
    # a, b, k_i, m and the values per click stay symbolic
    names = set(v.certificate["statement"]["domains"])
    assert {"a", "b", "m", *(f"k{i}" for i in range(1, n + 1)), *(f"theta{i}" for i in range(1, n + 1))} <= names
    if n >= 3:
        # the branch combinations that cannot hold together were shown empty and recorded
        assert v.certificate["symbolic"]["regions"]["empty"]


def test_common_rate_data_driven_pivot_proved_for_three():
    v = groves_certificate(DataDrivenVCG(common_rate(3), h="pivot"), 1, SampleClickRate(m), search=False)
    assert v.status == "proved" and checker.recheck(v.certificate).confirmed


@pytest.mark.parametrize("n", [3, 4])
def test_common_rate_gain_against_the_definition(n):
    """The engine's gain at exact points against the model's definition: with E[omega|s] > 0
    common to all bidders, agent 1 wins iff her bid is the largest (ties to her), pays
    max_{j != 1} theta_j per click, and her expected utility is (theta1 - max_j theta_j)
    E[omega|s] 1{wins}, with E[omega|s] = (a + sum s_j) / (a + b + sum k_j) from the true clicks."""
    env = common_rate(n)
    info = env.info
    G = gain(PerClickPivot(env), 1, SampleClickRate(m))
    clicks = [1, 0, 2, 3][:n]
    for t in [(3, 1, 2, 2), (1, 2, 2, 0), (2, 2, 1, 3), (sp.Rational(5, 2), 3, 0, 1)]:
        t = [sp.Rational(x) for x in t[:n]]
        point = {info.a: 2, info.b: 5, **{k: 4 for k in info.impressions},
                 **{s(j): clicks[j - 1] for j in range(1, n + 1)}, **{theta(j): t[j - 1] for j in range(1, n + 1)}}
        post = Fraction(2 + sum(clicks), 2 + 5 + 4 * n)

        def utility(bid):
            return (q(t[0]) - max(map(q, t[1:]))) * post if winner([bid, *map(q, t[1:])]) == 1 else Fraction(0)
        for bid in (Fraction(k, 2) for k in range(7)):
            for clicks1 in (0, 4):      # agent 1's reported clicks move the common factor only
                at = {**point, prime(theta(1)): sp.Rational(bid.numerator, bid.denominator), prime(s(1)): clicks1}
                value = exact_value(G, at, env.explicit)
                assert q(value) == utility(bid) - utility(q(t[0])) <= 0


# ---------------------------------------------------------------------------
# individual rates: refuted, the witness re-evaluated by hand
# ---------------------------------------------------------------------------

def by_hand_per_click_utility(n, truth, report):
    """Agent 1's expected utility under the per-click pivot with rates known to their owners:
    the slot goes to the largest theta_j s_j (agent 1's from her report), she values a click at
    theta1 and pays max_{j != 1} theta_j per click; clicks come at her true rate s1 (the sample
    click rate is unbiased), so U = 1{wins} s1 (theta1 - max_{j != 1} theta_j)."""
    th = [q(truth[theta(j)]) for j in range(1, n + 1)]
    rt = [q(truth[s(j)]) for j in range(1, n + 1)]
    bids = [q(report[prime(theta(1))]) * q(report[prime(s(1))]), *(th[j] * rt[j] for j in range(1, n))]
    return rt[0] * (th[0] - max(th[1:])) if winner(bids) == 1 else Fraction(0)


@pytest.mark.parametrize("n", [3, 4])
def test_individual_rates_refuted_without_being_told_where(n):
    env = individual_rates(n)
    mech = PerClickPivot(env)
    v = groves_certificate(mech, 1, SampleClickRate(m))
    assert v.status == "refuted", v.evidence.get("reason")
    assert checker.recheck(v.certificate).confirmed
    w = v.evidence["witness"]
    truth, report = w["truth"], w["report"]
    # every value inside its declared domain: rates in [0, 1], values per click >= 0
    for j in range(1, n + 1):
        assert 0 <= truth[s(j)] <= 1 and truth[theta(j)] >= 0
    assert 0 <= report[prime(s(1))] <= 1 and report[prime(theta(1))] >= 0
    truthful = {prime(theta(1)): truth[theta(1)], prime(s(1)): truth[s(1)]}
    by_hand = by_hand_per_click_utility(n, truth, report) - by_hand_per_click_utility(n, truth, truthful)
    assert by_hand == q(w["gain"]) and by_hand > 0


def test_region_search_finds_the_winning_deviation_of_example_3():
    """Where agent 1 values clicks most but her rate is low (the profile of the issue is
    theta = (3, 2, 1), s = (1/4, 1/2, 1/5)), she loses at the truth and gains s1 (theta1 - theta2)
    by bidding enough to win.  Supports narrowed around it; theta1 is free, so the search must
    find the region where she values clicks most and the report where she wins."""
    env = individual_rates(3)
    I = sp.Interval
    domain = {theta(2): I(2, sp.Rational(5, 2)), theta(3): I(1, sp.Rational(3, 2)),
              s(1): I(sp.Rational(1, 5), sp.Rational(1, 4)), s(2): I(sp.Rational(1, 2), 1),
              s(3): I(sp.Rational(1, 5), sp.Rational(1, 4))}
    w = search_by_regions(PerClickPivot(env), 1, SampleClickRate(m), domain=domain).witness
    assert w is not None and w["sign"] == 1
    t, r = w["truth"], w["report"]
    assert t[theta(1)] > t[theta(2)] and t[theta(1)] * t[s(1)] < t[theta(2)] * t[s(2)]   # loses at the truth
    assert r[prime(theta(1))] * r[prime(s(1))] >= t[theta(2)] * t[s(2)]                # wins at the report
    assert by_hand_per_click_utility(3, t, r) == q(w["gain"]) == q(t[s(1)] * (t[theta(1)] - t[theta(2)]))


# ---------------------------------------------------------------------------
# negative controls with a common rate
# ---------------------------------------------------------------------------

def test_first_price_with_a_common_rate_refuted():
    env = common_rate(3)
    x1 = env.outcome.variables[0]
    first = CustomTransfers(env, {1: -theta(1) * env.efficient_allocation()[x1] * omega_hat})
    v = groves_certificate(first, 1, SampleClickRate(m))
    assert v.status == "refuted" and checker.recheck(v.certificate).confirmed
    w = v.evidence["witness"]
    t, r = w["truth"], w["report"]
    info = env.info
    post = (q(t[info.a]) + sum(q(t[s(j)]) for j in (1, 2, 3))) / (
        q(t[info.a]) + q(t[info.b]) + sum(q(t[k]) for k in info.impressions))
    th = [q(t[theta(j)]) for j in (1, 2, 3)]

    def utility(bid):      # pays her own bid per click; the posterior mean is common, so it drops out
        return (th[0] - bid) * post if winner([bid, *th[1:]]) == 1 else Fraction(0)
    assert utility(q(r[prime(theta(1))])) - utility(th[0]) == q(w["gain"]) > 0


def test_a_price_ignoring_the_third_bidder_refuted():
    env = common_rate(3)
    x1 = env.outcome.variables[0]
    wrong = CustomTransfers(env, {1: -theta(2) * env.efficient_allocation()[x1] * omega_hat})
    v = groves_certificate(wrong, 1, SampleClickRate(m))
    assert v.status == "refuted" and v.evidence["witness"]["gain"] > 0


# ---------------------------------------------------------------------------
# the checker and the recorded regions
# ---------------------------------------------------------------------------

def test_tampered_region_claims_are_rejected(certificate3):
    cert = certificate3.certificate
    assert checker.recheck(cert).confirmed
    regions = cert["symbolic"]["regions"]
    # a strict comparison with the positive posterior mean on both sides: not empty on its own
    strict = next(k for k, c in enumerate(regions["conditions"]) if c[0] == "Lt")
    bad = copy.deepcopy(cert)
    bad["symbolic"]["regions"]["empty"].append([[strict, True]])
    report = checker.recheck(bad)
    assert not report.confirmed and any("is said to be empty" in p for p in report.problems)
    # a recorded empty region with one of its conditions dropped is no longer empty
    pair = next(k for k, r in enumerate(regions["empty"]) if len(r) == 2)
    bad = copy.deepcopy(cert)
    bad["symbolic"]["regions"]["empty"][pair] = bad["symbolic"]["regions"]["empty"][pair][:1]
    assert not checker.recheck(bad).confirmed
    # the same condition claimed to both hold and fail is empty, and confirmed so
    ok = copy.deepcopy(cert)
    ok["symbolic"]["regions"]["empty"].append([[strict, True], [strict, False]])
    assert checker.recheck(ok).confirmed
    bad = copy.deepcopy(cert)
    bad["symbolic"]["regions"]["empty"].append([[len(regions["conditions"]), True]])
    assert not checker.recheck(bad).confirmed


def test_the_checker_does_not_need_the_recorded_regions(certificate3):
    """The record is a list of claims to confirm; the checker's own branch enumeration decides."""
    cert = copy.deepcopy(certificate3.certificate)
    del cert["symbolic"]["regions"]
    assert checker.recheck(cert).confirmed


def test_regions_divide_out_only_proved_positive_factors():
    t1, t2 = sp.symbols("theta1 theta2", nonnegative=True)
    e = sp.Symbol("e", real=True)          # of unknown sign: dividing it out would flip or lose the order
    r = Regions()
    assert r.feasible([(t1 * e > t2 * e, True), (t2 > t1, True)])
    p = sp.Symbol("p", positive=True)
    assert not r.feasible([(t1 * p > t2 * p, True), (t2 > t1, True)])


def test_a_piecewise_residual_nonzero_on_a_feasible_region_is_not_proved():
    """Soundness: x1 for three bidders against the same rule with ties to the highest number
    differs only on ties, which are feasible: no zero is decided, and a point on a tie refutes."""
    t1, t2, t3 = (sp.Symbol(f"t{i}", nonnegative=True) for i in (1, 2, 3))
    low = sp.Piecewise((1, sp.And(t1 >= t2, t1 >= t3)), (0, True))
    high = sp.Piecewise((1, sp.And(t1 > t2, t1 > t3)), (0, True))
    assert decide_zero(low - high) is None
    assert check_identity(low, high, at=[{t1: 1, t2: 1, t3: 0}]).status == "refuted"


def test_search_by_regions_checks_its_arguments():
    env = individual_rates(2)
    with pytest.raises(ValueError, match="i must be an agent number"):
        search_by_regions(PerClickPivot(env), 3, SampleClickRate(m))
    with pytest.raises(TypeError, match="truths must be a positive int"):
        search_by_regions(PerClickPivot(env), 1, SampleClickRate(m), truths=2.5)
    with pytest.raises(ValueError, match="keep"):
        search_by_regions(PerClickPivot(env), 1, SampleClickRate(m), keep=0)
    with pytest.raises(TypeError, match="mech must be a Mechanism"):
        search_by_regions(env, 1, SampleClickRate(m))


def test_a_region_empty_only_by_elimination_is_proved_and_confirmed():
    """t1 + t2 > 2 t3 with t3 above both is empty, but not by a pair of relations nor as
    difference constraints: Fourier-Motzkin in the kernel, and again in the checker."""
    t1, t2, t3 = (sp.Symbol(f"t{i}", real=True) for i in (1, 2, 3))
    never = sp.Piecewise((t1 - t3, sp.And(t1 + t2 > 2 * t3, t3 > t1, t3 > t2)), (0, True))
    v = check_identity(never, 0)
    assert v.status == "proved" and checker.recheck(v.certificate).confirmed
    regions = v.certificate["symbolic"]["regions"]
    assert len(regions["empty"]) == 1 and len(regions["empty"][0]) == 3
    # one of its three conditions left out, the region is not empty: the checker says so
    bad = copy.deepcopy(v.certificate)
    bad["symbolic"]["regions"]["empty"][0] = bad["symbolic"]["regions"]["empty"][0][:2]
    assert not checker.recheck(bad).confirmed
    assert Regions().feasible([(t1 + t2 > 2 * t3, True), (t3 > t1, True)])


def test_moving_sampler_promises_no_power_where_the_report_leaves_the_slot():
    """Where the report does not change who wins, every draw of the payoff difference is equal:
    the simulation is not run there (it would be no evidence), wherever the point comes from."""
    from symbolic_mech.incentives import Misreport, _MovingSampler

    class Inner:
        def has_power(self, point):
            return True

    mech = PerClickPivot(common_rate(2))
    moving = _MovingSampler(Inner(), mech, Misreport.of(mech, 1))
    at = {"a": 2, "b": 3, "k1": 5, "k2": 5, "s1": 2, "s2": 1, "s1'": 4, "theta1": 3, "theta2": 2}
    pt = {sym: sp.Integer(at[sym.name]) for sym in moving.symbols if sym.name in at}
    report = prime(theta(1))
    assert not moving.has_power({**pt, report: 5})      # 1 wins at the truth and at the report
    assert moving.has_power({**pt, report: 1})          # the report hands the slot to 2

    class Weak(Inner):
        def has_power(self, point):
            return False
    assert not _MovingSampler(Weak(), mech, Misreport.of(mech, 1)).has_power({**pt, report: 1})
