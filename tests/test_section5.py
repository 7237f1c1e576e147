"""Section 5: click-through auctions and KL-regularized generation (registered results and llm.py)."""
import numpy as np
import pytest
import sympy as sp

from symbolic_mech import check_identity, derive, verify
from symbolic_mech.llm import generation_distribution, kl_divergence, regularized_vcg
from symbolic_mech.paper import section5 as S
from symbolic_mech.symbols import alpha, p, prime, s, theta


def step_value(d, title_start):
    """The expression of the derivation step whose title starts with ``title_start``."""
    found = [expr for title, expr in d.steps if title.startswith(title_start)]
    assert len(found) == 1, (title_start, [title for title, _ in d.steps])
    return found[0]


def test_example3_witness_is_exact():
    v = verify("example3")
    w = v.evidence["witness"]
    assert w["gain"] == sp.Rational(1, 4)
    assert w["truth"][theta(1)] * w["truth"][s(1)] < w["truth"][theta(2)] * w["truth"][s(2)]
    assert w["truth"][theta(1)] > w["truth"][theta(2)]
    assert w["report"][prime(theta(1))] == 1


def test_footnote22_expected_payment_is_equation6():
    # the payment the derivation computed, read back from its step: under the lottery i pays
    # theta_j E[omega_j|s] exactly when i is the efficient winner and nothing otherwise, as under (6)
    d = derive("footnote22")
    pay = step_value(d, "i's expected payment")
    x_eff = {sym.name: sym for sym in pay.free_symbols}["x_i_star"]
    assert sp.cancel(pay.xreplace({x_eff: 1}) - theta(2) * s(2)) == 0
    assert sp.cancel(pay.xreplace({x_eff: 0})) == 0
    # the lottery's probability and price enter the payment and cancel only in expectation
    assert pay.has(p)


def test_stated_payoff_gap_is_the_dropped_term():
    v = verify("example4-stated-payoff")
    assert v.status == "refuted"
    claims = {c["claim"]: c["status"] for c in v.evidence["checks"]}
    gap = [c for c in claims if c.startswith(r"$\mathbb{E}[t_1 \mid s]$ minus the stated form")]
    assert gap and claims[gap[0]] == "proved"


def test_gibbs_is_symbolic_maximizer_value():
    c = sp.symbols("c1 c2", real=True)
    q = [sp.Rational(1, 3), sp.Rational(2, 3)]
    g = generation_distribution(list(c), q, alpha)
    x = g.distribution
    val = sp.expand_log(sum(ct * xt for ct, xt in zip(c, x)) - alpha * kl_divergence(x, q))
    assert check_identity(val, g.value).status == "proved"


def test_simplex_maximization_agrees():
    dx, dv = S.simplex_agreement(seed=11)
    assert dx < 1e-8 and dv < 1e-8


def test_mirror_ascent_beats_random_points():
    rng = np.random.default_rng(3)
    c, q, a = rng.normal(size=7), rng.dirichlet(np.ones(7)), 0.7
    g = generation_distribution(c, q, a)
    for _ in range(200):
        x = rng.dirichlet(np.ones(7))
        assert c @ x - a * kl_divergence(x, q) <= g.value + 1e-12


def test_regularized_vcg_numeric_and_symbolic_agree():
    rewards = [[sp.Rational(1), sp.Rational(0)], [sp.Rational(0), sp.Rational(2)]]
    ref = [sp.Rational(1, 2), sp.Rational(1, 2)]
    exact = regularized_vcg(rewards, ref, sp.Integer(1))
    approx = regularized_vcg([[1.0, 0.0], [0.0, 2.0]], [0.5, 0.5], 1.0)
    for te, ta in zip(exact.transfers, approx.transfers):
        assert abs(float(te) - ta) < 1e-12


@pytest.mark.parametrize("args, exc, word", [
    (([1.0, 2.0], [0.5, 0.5], 0.0), ValueError, "alpha"),
    (([1.0, 2.0], [0.5, 0.5], -1.0), ValueError, "alpha"),
    (([1.0, 2.0], [0.0, 1.0], 1.0), ValueError, "reference"),
    (([1.0, 2.0], [-0.5, 1.5], 1.0), ValueError, "reference"),
    (([1.0, 2.0], [0.5, 0.6], 1.0), ValueError, "reference"),
    (([1.0, 2.0, 3.0], [0.5, 0.5], 1.0), ValueError, "reference"),
    (("12", [0.5, 0.5], 1.0), TypeError, "rewards"),
    (([1.0, 2.0], [0.5, 0.5], "1"), TypeError, "alpha"),
])
def test_generation_distribution_rejects_bad_input(args, exc, word):
    with pytest.raises(exc, match=word):
        generation_distribution(*args)


def test_regularized_vcg_rejects_bad_input():
    with pytest.raises(ValueError, match="rewards_by_agent"):
        regularized_vcg([[1.0, 0.0], [1.0]], [0.5, 0.5], 1.0)
    with pytest.raises(ValueError, match="reference_without"):
        regularized_vcg([[1.0, 0.0]], [0.5, 0.5], 1.0, reference_without=[[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(TypeError, match="rewards_by_agent"):
        regularized_vcg("ab", [0.5, 0.5], 1.0)
