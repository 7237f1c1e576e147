"""Models declare their supports: truth, reports, parameters and simulations stay inside them.

A witness or a Monte Carlo point outside a model's support proves nothing about the model, so
the engine draws from the supports itself; ``domain=`` narrows them and never widens them.
"""
import random

import numpy as np
import pytest
import sympy as sp

from symbolic_mech import (BetaBernoulliClicks, Environment, GaussianSignals, KnownRates,
                           SampleClickRate, groves_certificate)
from symbolic_mech.core import checker
from symbolic_mech.core.domains import Domain, domains_for, sample_point
from symbolic_mech.environments import SingleSlot
from symbolic_mech.incentives import search_gain, witness_at
from symbolic_mech.mechanisms import CustomTransfers, PerClickPivot
from symbolic_mech.paper.section5 import IndividualRates, click_environment
from symbolic_mech.simulation import ModelSampler
from symbolic_mech.symbols import m, omega, omega_hat, prime, s, theta


def test_click_counts_are_integers_up_to_the_impressions():
    c = BetaBernoulliClicks(2)
    doms = c.domains()
    k1 = c.impressions[0]
    assert str(doms[s(1)]) == "integers in [0, k1]"
    rnd = random.Random(3)
    for _ in range(200):
        pt = sample_point(doms, rnd)
        assert pt[s(1)].is_integer and 0 <= pt[s(1)] <= pt[k1]
    assert not doms[s(1)].contains(sp.Rational(-9, 8), {k1: 4})
    assert not doms[s(1)].contains(5, {k1: 4}) and doms[s(1)].contains(4, {k1: 4})


def test_rates_and_their_means_lie_in_the_unit_interval():
    doms = KnownRates(2).domains()
    assert all(str(doms[sym]) == "[0, 1]" for sym in (s(1), s(2)))
    assert str(doms[sp.Symbol("mu1", positive=True)]) == "(0, 1]"


def test_single_slot_types_are_nonnegative_and_overridable():
    env = click_environment(BetaBernoulliClicks(3, impressions=4))
    assert str(env.domains()[theta(2)]) == "[0, oo)"
    bounded = Environment(env.info, env.utilities, env.outcome, types=sp.Interval(0, 10))
    assert str(bounded.domains()[theta(3)]) == "[0, 10]"
    with pytest.raises(TypeError, match="types"):
        Environment(env.info, env.utilities, env.outcome, types=(0, 10))


def test_narrowing_outside_the_support_is_an_error():
    env = click_environment(BetaBernoulliClicks(2, impressions=3))
    with pytest.raises(ValueError, match=r"domain\[s1\] = \(-5, 5\) reaches outside the support"):
        env.domains(narrow={s(1): (-5, 5)})
    with pytest.raises(ValueError, match=r"domain\[theta1\].*reaches outside"):
        env.domains(narrow={theta(1): (-1, 2)})
    assert str(env.domains(narrow={s(1): sp.Interval(1, 2)})[s(1)]) == "integers in [1, 2]"
    with pytest.raises(ValueError, match="reaches outside"):
        KnownRates(2).domains({s(1): (0, 2)})


def test_a_witness_outside_the_model_is_refused():
    env = click_environment(BetaBernoulliClicks(2))
    pc = PerClickPivot(env)
    k1, k2 = env.info.impressions
    base = {theta(1): 2, theta(2): 1, s(2): 1, k1: 4, k2: 4, env.info.a: 1, env.info.b: 1, m: 10}
    with pytest.raises(ValueError, match="s1"):
        witness_at(pc, 1, SampleClickRate(m), {**base, s(1): sp.Rational(-9, 8)}, {prime(theta(1)): 1})
    with pytest.raises(ValueError, match="s1'"):
        witness_at(pc, 1, SampleClickRate(m), {**base, s(1): 2}, {prime(s(1)): 5})


def test_first_price_per_click_is_refuted_inside_the_supports():
    """Paying one's own bid per click: a profitable shading found by the search lies in the model."""
    info = BetaBernoulliClicks(2)
    env = click_environment(info)
    x1 = env.outcome.variables[0]
    first = CustomTransfers(env, {1: -theta(1) * PerClickPivot(env).allocation()[x1] * omega_hat})
    v = groves_certificate(first, 1, SampleClickRate(m), seed=3)
    assert v.status == "refuted"
    pt = v.evidence["witness"]
    k1 = info.impressions[0]
    point = {**pt["truth"], **pt["report"]}
    assert point[s(1)].is_integer and 0 <= point[s(1)] <= point[k1]
    assert point[prime(s(1))].is_integer and 0 <= point[prime(s(1))] <= point[k1]
    assert point[theta(1)] >= 0 and point[prime(theta(1))] >= 0
    assert checker.recheck(v.certificate).confirmed


def test_individual_rates_witness_lies_in_the_unit_interval():
    g = IndividualRates(2)
    found = search_gain(CustomTransfers(g.env, {1: g.per_click_pivot(1)}), 1, g.estimator, seed=1, tries=12)
    assert found.witness is not None
    point = {**found.witness["truth"], **found.witness["report"]}
    for sym in (s(1), s(2), prime(s(1))):
        assert 0 <= point[sym] <= 1, (sym, point[sym])
    assert all(point[t] >= 0 for t in (theta(1), theta(2), prime(theta(1))))


def test_three_bidders_with_values_up_to_ten_are_refuted_only_at_such_values():
    env = Environment(KnownRates(3), [theta(i) * SingleSlot(3).variables[i - 1] * KnownRates(3).rate(i)
                                      for i in (1, 2, 3)], SingleSlot(3), types=sp.Interval(0, 10))
    found = search_gain(PerClickPivot(env), 1, SampleClickRate(m), seed=0, tries=20)
    assert found.witness is not None
    point = {**found.witness["truth"], **found.witness["report"]}
    assert all(0 <= point[t] <= 10 for t in (theta(1), theta(2), theta(3), prime(theta(1))))


def test_monte_carlo_points_lie_in_the_supports_and_have_power():
    info = BetaBernoulliClicks(2)
    sampler = ModelSampler(info, omega_hat, SampleClickRate(m))
    doms = domains_for(set(info.s) | set(info.parameters) | {m},
                       {**info.domains(), **SampleClickRate(m).support()})
    rnd = random.Random(0)
    for pt, _ in zip(sampler.points(doms, rnd), range(10)):
        assert all(doms[sym].contains(q, pt) for sym, q in pt.items())
        draws, weights = sampler(pt, np.random.default_rng(0))
        assert (weights.sum() ** 2 / (weights ** 2).sum()) > 10_000


def test_the_simulation_uses_the_model_not_the_posterior_formulas(monkeypatch):
    """A wrong posterior formula leaves the simulation where the model puts it."""
    g = GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1)
    monkeypatch.setattr(GaussianSignals, "posterior_mean", lambda self, given=None: sp.Integer(7))
    draws, w = ModelSampler(g, omega)({g.s[0]: 2}, np.random.default_rng(0))
    assert abs(float(w @ draws / w.sum()) - 1.0) < 0.02   # E[omega | s1 = 2] = 1, not 7


def test_a_declared_domain_may_be_a_domain_object():
    k = sp.Symbol("k", positive=True, integer=True)
    c = sp.Symbol("c", real=True)
    d = Domain.of(c, sp.Range(0, k + 1))
    assert Domain.of(c, d) == d
    with pytest.raises(ValueError, match="bounded by c itself"):
        Domain.of(c, sp.Interval(0, c))
