"""Tests of the information structures: posteriors, moments and sampling.

Each posterior is compared with an independent derivation: numpy Gaussian
conditioning (Schur complement), the generic symbolic conditioning path,
direct Bayes integrals for the Beta prior, and Monte Carlo draws.
"""
from __future__ import annotations

import itertools
import random
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech.information import (BetaBernoulliClicks, GaussianSignals,
                                       InformationStructure, KnownRates,
                                       WalletSignals, normal_moment)
from symbolic_mech.symbols import omega, s

R = sp.Rational


def rational(rng: random.Random, lo: int, hi: int, den: int = 8) -> sp.Rational:
    return R(rng.randint(lo * den, hi * den), den)


def positive_rational(rng: random.Random, hi: int = 4, den: int = 8) -> sp.Rational:
    return R(rng.randint(1, hi * den), den)


def random_subset(rng: random.Random, n: int) -> tuple:
    return tuple(j for j in range(1, n + 1) if rng.random() < 0.5)


def numpy_conditioning(mean_vec, cov, signals, given_set):
    """Posterior mean and variance of omega given s_G by the Schur complement, in floats.

    ``mean_vec`` and ``cov`` are the joint law of (omega, s_1, ..., s_n), so
    s_j sits at index j; the model-specific tests only build that joint law.
    """
    mean_vec = np.array([float(x) for x in mean_vec])
    idx = list(given_set)
    if not idx:
        return mean_vec[0], cov[0, 0]
    c12 = cov[0, idx]
    c22 = cov[np.ix_(idx, idx)]
    dev = np.array([float(signals[j - 1]) for j in idx]) - mean_vec[idx]
    mean = mean_vec[0] + c12 @ np.linalg.solve(c22, dev)
    var = cov[0, 0] - c12 @ np.linalg.solve(c22, c12)
    return mean, var


def gaussian_signals_joint(mu, prior_var, noise_var):
    """Joint law of (omega, s) for s_i = omega + eps_i: every entry shares Var(omega)."""
    n = len(noise_var)
    cov = np.full((n + 1, n + 1), float(prior_var))
    cov[1:, 1:] += np.diag([float(v) for v in noise_var])
    return [mu] * (n + 1), cov


# ---------------------------------------------------------------------------
# Gaussian signals
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 11))
def test_gaussian_posterior_matches_numpy_conditioning(n):
    rng = random.Random(1000 + n)
    for _ in range(4):
        mu = rational(rng, -3, 3)
        prior_var = positive_rational(rng)
        noise = [positive_rational(rng) for _ in range(n)]
        signals = [rational(rng, -5, 5) for _ in range(n)]
        subset = random_subset(rng, n)
        g = GaussianSignals(n, prior_mean=mu, prior_var=prior_var, noise_var=noise)
        at = dict(zip(g.s, signals))
        mean = g.posterior_mean(subset).xreplace(at)
        var = g.posterior_var(subset)
        assert mean.is_Rational and var.is_Rational
        ref_mean, ref_var = numpy_conditioning(*gaussian_signals_joint(mu, prior_var, noise),
                                               signals, subset)
        assert float(mean) == pytest.approx(ref_mean, rel=1e-9, abs=1e-12)
        assert float(var) == pytest.approx(ref_var, rel=1e-9, abs=1e-12)


def rational_gaussian(n):
    """Random rational parameters; the subsets are the extremes and one drawn at random."""
    rng = random.Random(n)
    g = GaussianSignals(n, prior_mean=rational(rng, -2, 2), prior_var=positive_rational(rng),
                        noise_var=[positive_rational(rng) for _ in range(n)])
    return g, [(), tuple(range(1, n + 1)), random_subset(rng, n)]


def symbolic_gaussian(n):
    """Symbolic parameters; n is small enough to try every subset."""
    subsets = [c for r in range(n + 1) for c in itertools.combinations(range(1, n + 1), r)]
    return GaussianSignals(n), subsets


@pytest.mark.parametrize("build, n", [(rational_gaussian, n) for n in (1, 2, 4, 7)]
                         + [(symbolic_gaussian, n) for n in (2, 3)])
def test_gaussian_precision_path_equals_generic_conditioning(build, n):
    g, subsets = build(n)
    for subset in subsets:
        assert sp.cancel(g.posterior_mean(subset) - g.posterior_mean_generic(subset)) == 0
        assert sp.cancel(g.posterior_var(subset) - g.posterior_var_generic(subset)) == 0


def test_gaussian_symbolic_two_agent_formula():
    g = GaussianSignals(2)
    mu, sigma, sigma1, sigma2 = g.parameters
    s1, s2 = g.s
    precision = 1 / sigma**2 + 1 / sigma1**2 + 1 / sigma2**2
    expected = (mu / sigma**2 + s1 / sigma1**2 + s2 / sigma2**2) / precision
    assert sp.cancel(g.posterior_mean() - expected) == 0
    assert sp.cancel(g.posterior_var() - 1 / precision) == 0
    assert g.posterior_mean(()) == mu and g.posterior_var(()) == sigma**2


@pytest.mark.parametrize("k", range(0, 7))
def test_normal_moment_matches_moment_generating_function(k):
    m, v, t = sp.symbols("m v t", positive=True)
    mgf = sp.exp(m * t + v * t**2 / 2)
    assert sp.expand(normal_moment(k, m, v) - sp.diff(mgf, t, k).subs(t, 0)) == 0


def test_gaussian_moments_match_monte_carlo(within_se):
    g = GaussianSignals(3, prior_mean=1, prior_var=2, noise_var=[1, R(1, 2), 3])
    at = {g.s[0]: R(3, 2), g.s[2]: -1}
    draws = g.sample_posterior(at, size=200_000, rng=np.random.default_rng(7), given=(1, 3))
    for k in range(1, 5):
        assert within_se(draws**k, float(g.moment(k, (1, 3)).xreplace(at))), k
    assert np.var(draws) == pytest.approx(float(g.posterior_var((1, 3))), rel=0.02)


def test_gaussian_pre_posterior_identities_by_monte_carlo(within_se):
    """Draw (omega, s) from the prior: E[E[w|s]] = mu, E[(w - E[w|s])^2] = Var[w|s]."""
    g = GaussianSignals(2, prior_mean=R(1, 2), prior_var=1, noise_var=[1, 2])
    states, signals = g.sample_signals({}, size=200_000, rng=3)
    mean_fn = sp.lambdify(g.s, g.posterior_mean(), "numpy")
    post_mean = mean_fn(signals[:, 0], signals[:, 1])
    residual_var = float(g.posterior_var())
    assert within_se(post_mean, 0.5)
    assert within_se((states - post_mean)**2, residual_var)
    # law of total variance: Var(E[w|s]) = Var(w) - E[Var(w|s)]
    assert np.var(post_mean) == pytest.approx(1 - residual_var, rel=0.02)
    # the noise model itself: s_i - omega has variance sigma_i^2
    assert np.var(signals[:, 1] - states) == pytest.approx(2, rel=0.02)


def test_law_of_iterated_expectations_gaussian_symbolic():
    """E[E[w|s1,s2] | s2] = E[w|s2]: the inner mean is linear in s1 = w + eps1."""
    g = GaussianSignals(2)
    s1 = g.s[0]
    inner = g.posterior_mean((1, 2))
    assert sp.diff(inner, s1, 2) == 0
    outer = g.expect(inner.subs(s1, omega), given=(2,))
    assert sp.cancel(outer - g.posterior_mean((2,))) == 0


def test_law_of_total_variance_example_2():
    """E[(E[w|s] - E[w|s2])^2 | s2] = Var[w|s2] - Var[w|s] (Example 2)."""
    g = GaussianSignals(2)
    s1 = g.s[0]
    sigma1 = g.parameters[2]
    gap = g.posterior_mean() - g.posterior_mean((2,))
    slope = sp.diff(gap, s1)
    # s1 = omega + eps1 with eps1 independent of (omega, s2), mean 0, var sigma1^2
    lhs = g.expect(sp.expand(gap.subs(s1, omega)**2), given=(2,)) + slope**2 * sigma1**2
    rhs = g.posterior_var((2,)) - g.posterior_var()
    assert sp.cancel(lhs - rhs) == 0


def test_expect_is_linear_in_the_moments():
    g = GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1)
    c0, c1, c2 = sp.symbols("c0 c1 c2")
    f = c0 + c1 * omega + c2 * omega**2
    expected = c0 + c1 * g.moment(1) + c2 * g.moment(2)
    assert sp.expand(g.expect(f) - expected) == 0
    assert g.expect(sp.Integer(5)) == 5
    x = sp.Symbol("x", real=True)
    # Example 1: quadratic loss around the posterior mean is the posterior variance
    assert sp.expand(g.expect((x - omega)**2).subs(x, g.posterior_mean())) == R(1, 2)


settings_fast = settings(max_examples=40, deadline=None)
fractions_pos = st.fractions(min_value=Fraction(1, 10), max_value=10, max_denominator=20)
fractions_real = st.fractions(min_value=-10, max_value=10, max_denominator=20)


@settings_fast
@given(n=st.integers(1, 8), data=st.data())
def test_posterior_variance_shrinks_with_more_signals(n, data):
    prior_var = data.draw(fractions_pos)
    noise = data.draw(st.lists(fractions_pos, min_size=n, max_size=n))
    g = GaussianSignals(n, prior_mean=0, prior_var=prior_var, noise_var=noise)
    small = data.draw(st.sets(st.integers(1, n)))
    large = small | data.draw(st.sets(st.integers(1, n)))
    assert g.posterior_var(large) <= g.posterior_var(small)
    if large != small:
        assert g.posterior_var(large) < g.posterior_var(small)


@settings_fast
@given(mu=fractions_real, prior_var=fractions_pos, v1=fractions_pos, v2=fractions_pos,
       s2=fractions_real)
def test_law_of_iterated_expectations_gaussian_numeric(mu, prior_var, v1, v2, s2):
    g = GaussianSignals(2, prior_mean=mu, prior_var=prior_var, noise_var=[v1, v2])
    s1_sym, s2_sym = g.s
    inner = g.posterior_mean((1, 2))
    outer = g.expect(inner.subs(s1_sym, omega), given=(2,)).subs(s2_sym, R(s2))
    assert outer == g.posterior_mean((2,)).subs(s2_sym, R(s2))


# ---------------------------------------------------------------------------
# Beta-Binomial clicks
# ---------------------------------------------------------------------------

def bayes_moment(a: int, b: int, trials, clicks, k: int) -> sp.Expr:
    """E[w^k | clicks] by integrating prior times likelihood over [0, 1]."""
    w = sp.Symbol("w", positive=True)
    density = w**(a - 1) * (1 - w)**(b - 1)
    for t, c in zip(trials, clicks):
        density *= sp.binomial(t, c) * w**c * (1 - w)**(t - c)
    return (sp.integrate(sp.expand(w**k * density), (w, 0, 1))
            / sp.integrate(sp.expand(density), (w, 0, 1)))


@pytest.mark.parametrize("a, b, trials, clicks, subset", [
    (1, 1, [3, 2], [1, 2], (1, 2)),
    (2, 3, [4, 1], [0, 1], (1,)),
    (3, 1, [2, 5, 1], [2, 1, 0], (2, 3)),
    (2, 2, [1, 1], [1, 0], ()),
])
def test_beta_posterior_matches_direct_bayes(a, b, trials, clicks, subset):
    c = BetaBernoulliClicks(len(trials), a=a, b=b, impressions=trials)
    at = dict(zip(c.s, clicks))
    seen_trials = [trials[j - 1] for j in subset]
    seen_clicks = [clicks[j - 1] for j in subset]
    for k in range(4):
        assert c.moment(k, subset).xreplace(at) == bayes_moment(a, b, seen_trials,
                                                                seen_clicks, k)
    var = c.posterior_var(subset).xreplace(at)
    assert var == (bayes_moment(a, b, seen_trials, seen_clicks, 2)
                   - bayes_moment(a, b, seen_trials, seen_clicks, 1)**2)


def test_beta_symbolic_conjugacy():
    c = BetaBernoulliClicks(2)
    a, b, k1, k2 = c.parameters
    s1, s2 = c.s
    assert c.posterior_parameters() == (a + s1 + s2, b + k1 + k2 - s1 - s2)
    assert sp.cancel(c.posterior_mean() - (a + s1 + s2) / (a + b + k1 + k2)) == 0
    assert sp.cancel(c.moment(2, ()) - a * (a + 1) / ((a + b) * (a + b + 1))) == 0
    assert sp.cancel(c.posterior_var(()) - (c.moment(2, ()) - c.moment(1, ())**2)) == 0


def test_beta_posterior_moments_match_monte_carlo(within_se):
    c = BetaBernoulliClicks(2, a=2, b=3, impressions=[10, 4])
    at = {c.s[0]: 3, c.s[1]: 1}
    draws = c.sample_posterior(at, size=100_000, rng=11)
    for k in range(1, 4):
        assert within_se(draws**k, float(c.moment(k).xreplace(at))), k


def test_beta_joint_sampling_conditions_to_the_posterior(within_se):
    """Keep the joint draws whose clicks equal the observed ones (exact for counts)."""
    c = BetaBernoulliClicks(2, a=1, b=2, impressions=[3, 2])
    states, clicks = c.sample_signals({}, size=300_000, rng=5)
    assert clicks.min() >= 0 and (clicks <= np.array([3, 2])).all()
    kept = states[(clicks[:, 0] == 2) & (clicks[:, 1] == 1)]
    assert kept.size > 1000
    at = {c.s[0]: 2, c.s[1]: 1}
    assert within_se(kept, float(c.posterior_mean().xreplace(at)))
    assert within_se(kept**2, float(c.moment(2).xreplace(at)))
    # the prior predictive mean of clicks is k_i E[omega] = k_i a / (a + b)
    assert within_se(clicks[:, 0], 1.0)


@pytest.mark.parametrize("build, at", [
    (lambda: GaussianSignals(2, prior_mean=1, prior_var=2, noise_var=[1, 3]), {"s1": 2, "s2": -1}),
    (lambda: GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1), {"s1": 3}),
    (lambda: BetaBernoulliClicks(2, a=2, b=3, impressions=[10, 4]), {"s1": 7, "s2": 0}),
    (lambda: BetaBernoulliClicks(1, a=1, b=1, impressions=2), {"s1": 2}),
])
def test_weight_efficiency_is_the_weights_own_fraction(build, at):
    """The closed form E[L]^2 / E[L^2] against the effective sample size of the simulated weights
    (a wrong formula, e.g. without the 2 in E[L^2], is off by far more than the sampling error)."""
    info = build()
    values = {sym: at[str(sym)] for sym in info.s}
    _, w = info.simulate_posterior(values, size=400_000, rng=3)
    empirical = float(w.sum()) ** 2 / float((w * w).sum()) / w.size
    assert info.weight_efficiency(values) == pytest.approx(empirical, rel=0.02)
    assert 0 < info.weight_efficiency(values) <= 1


@pytest.mark.parametrize("info, values, given", [
    (WalletSignals(2, signal_mean=0, signal_var=1), {"s1": 1}, (1,)),
    (KnownRates(2), {"s1": R(1, 2), "s2": R(1, 3)}, None),
])
def test_weight_efficiency_with_equal_weights(info, values, given):
    """Where the simulation's weights are equal, their effective fraction is exactly 1."""
    at = {sym: values[str(sym)] for sym in info.s if str(sym) in values}
    _, w = info.simulate_posterior(at, size=1000, rng=0, given=given)
    assert info.weight_efficiency(at, given=given) == float(w.sum()) ** 2 / float((w * w).sum()) / w.size == 1.0


def test_beta_law_of_iterated_expectations():
    """E[s1 | s2] = k1 E[w|s2], and the posterior mean is linear in s1."""
    c = BetaBernoulliClicks(2)
    s1 = c.s[0]
    k1 = c.impressions[0]
    outer = c.expect(c.posterior_mean().subs(s1, k1 * omega), given=(2,))
    assert sp.cancel(outer - c.posterior_mean((2,))) == 0


def test_beta_sampling_needs_integer_impressions():
    c = BetaBernoulliClicks(1, a=1, b=1)
    k1 = c.impressions[0]
    with pytest.raises(ValueError, match="k1"):
        c.sample_signals({k1: 2.5}, size=3, rng=0)
    with pytest.raises(ValueError, match="k1"):
        c.sample_signals({}, size=3, rng=0)
    with pytest.raises(ValueError, match="posterior"):
        BetaBernoulliClicks(1, 1, 1, 2).sample_posterior({c.s[0]: 5}, size=3, rng=0)


# ---------------------------------------------------------------------------
# the wallet model
# ---------------------------------------------------------------------------

def test_wallet_state_known_given_all_signals():
    w = WalletSignals(3)
    total = sum(w.s)
    assert w.posterior_var() == 0
    for k in range(5):
        assert sp.expand(w.moment(k) - total**k) == 0


def test_wallet_matches_numpy_conditioning():
    rng = random.Random(8)
    n = 4
    means = [rational(rng, -2, 2) for _ in range(n)]
    variances = [positive_rational(rng) for _ in range(n)]
    signals = [rational(rng, -3, 3) for _ in range(n)]
    w = WalletSignals(n, signal_mean=means, signal_var=variances)
    # joint law of (omega, s): Cov(s) diagonal, Cov(omega, s_i) = Var(s_i)
    cov = np.zeros((n + 1, n + 1))
    cov[1:, 1:] = np.diag([float(v) for v in variances])
    cov[0, 1:] = cov[1:, 0] = [float(v) for v in variances]
    cov[0, 0] = float(sum(variances))
    mean_vec = [sum(means)] + means
    for subset in [(1,), (2, 4), (1, 2, 3), ()]:
        ref_mean, ref_var = numpy_conditioning(mean_vec, cov, signals, subset)
        at = dict(zip(w.s, signals))
        assert float(w.posterior_mean(subset).xreplace(at)) == pytest.approx(ref_mean)
        assert float(w.posterior_var(subset)) == pytest.approx(ref_var)


def test_wallet_symbolic_subset_and_monte_carlo(within_se):
    w = WalletSignals(2)
    mu1, mu2 = w.signal_mean
    s1, s2 = w.s
    tau1 = w.parameters[2]
    assert w.posterior_mean((1,)) == s1 + mu2
    assert sp.expand(w.moment(2, (2,)) - ((s2 + mu1)**2 + tau1**2)) == 0
    # iterated expectations: E[E[w|s1,s2] | s2] = E[s1] + s2
    assert w.posterior_mean().subs(s1, mu1) == w.posterior_mean((2,))

    num = WalletSignals(3, signal_mean=[1, -1, 2], signal_var=[1, 2, R(1, 2)])
    states, signals = num.sample_signals({}, size=100_000, rng=4)
    assert np.allclose(states, signals.sum(axis=1))
    assert within_se(states, 2.0)
    assert np.var(states) == pytest.approx(3.5, rel=0.03)
    draws = num.sample_posterior({num.s[1]: 4}, size=100_000, rng=9, given=(2,))
    for k in (1, 2, 3):
        assert within_se(draws**k, float(num.moment(k, (2,)).subs(num.s[1], 4))), k


# ---------------------------------------------------------------------------
# known individual rates (Example 3)
# ---------------------------------------------------------------------------

def test_known_rates_expectations():
    r = KnownRates(2)
    mu1, mu2 = r.prior_mean
    s1, s2 = r.s
    w1, w2 = r.rate(1), r.rate(2)
    theta1, theta2 = sp.symbols("theta1 theta2", positive=True)
    assert r.omega == (w1, w2)
    assert r.expect(theta1 * w1 + theta2 * w2) == theta1 * s1 + theta2 * s2
    assert r.expect(theta1 * w1 + theta2 * w2, given=(1,)) == theta1 * s1 + theta2 * mu2
    assert r.expect(w1 * w2, given=()) == mu1 * mu2
    assert r.expect(w1**3 * w2, given=(1,)) == s1**3 * mu2
    assert r.posterior_mean(2, given=(1,)) == mu2
    assert r.posterior_mean(2) == s2
    assert r.posterior_var(1, given=(1,)) == 0
    with pytest.raises(ValueError, match="omega2"):
        r.expect(w2**2, given=(1,))
    with pytest.raises(ValueError, match="omega1"):
        r.posterior_var(1, given=())
    with pytest.raises(TypeError, match="agent"):
        r.moment(1)
    with pytest.raises(ValueError, match="f"):
        r.expect(omega * w1)
    with pytest.raises(NotImplementedError):
        r.sample_signals({}, 3)
    draws = r.sample_posterior({s1: R(1, 4), s2: R(3, 4)}, size=3, rng=0)
    assert draws.shape == (3, 2) and (draws == [0.25, 0.75]).all()
    with pytest.raises(ValueError, match="given"):
        r.sample_posterior({s1: R(1, 4)}, size=3, rng=0, given=(1,))


# ---------------------------------------------------------------------------
# construction, validation and description
# ---------------------------------------------------------------------------

def test_parameters_are_exact_and_attributes_are_set():
    g = GaussianSignals(2, prior_mean=R(1, 2), prior_var=Fraction(1, 10), noise_var=[Fraction(1, 3), 2])
    assert g.prior_mean == R(1, 2) and g.prior_var == R(1, 10)
    with pytest.raises(TypeError, match=r"prior_var must be exact: got the float 0.1 \(write sympy.Rational\(1, 10\)"):
        GaussianSignals(2, prior_var=0.1)
    assert g.noise_var == (R(1, 3), 2)
    assert g.parameters == ()
    assert g.s == (s(1), s(2)) and g.omega == omega and g.n == 2
    assert isinstance(g, InformationStructure)
    sym = GaussianSignals(2)
    assert [p.name for p in sym.parameters] == ["mu", "sigma", "sigma1", "sigma2"]
    assert sym.noise_var[0] == sp.Symbol("sigma1", positive=True)**2


def test_repr_says_what_it_is():
    assert repr(GaussianSignals(2)) == ("GaussianSignals(n=2): omega ~ N(mu, sigma**2), "
                                        "s_i = omega + eps_i, eps_i ~ N(0, sigma_i**2) "
                                        "independent")
    assert str(BetaBernoulliClicks(3, impressions=4)) == (
        "BetaBernoulliClicks(n=3): omega ~ Beta(a, b), s_i | omega ~ Binomial(4, omega)")
    assert "omega = s_1 + ... + s_n" in repr(WalletSignals(2))
    assert "knows her own rate" in repr(KnownRates(2))


@pytest.mark.parametrize("make, exc, name", [
    (lambda: GaussianSignals(0), ValueError, "n"),
    (lambda: GaussianSignals(2.0), TypeError, "n"),
    (lambda: GaussianSignals(True), TypeError, "n"),
    (lambda: GaussianSignals(2, prior_var=-1), ValueError, "prior_var"),
    (lambda: GaussianSignals(2, prior_var=0), ValueError, "prior_var"),
    (lambda: GaussianSignals(2, noise_var=[1, 2, 3]), ValueError, "noise_var"),
    (lambda: GaussianSignals(2, noise_var=[1, -2]), ValueError, "noise_var"),
    (lambda: GaussianSignals(2, noise_var=True), TypeError, "noise_var"),
    (lambda: GaussianSignals(2, prior_mean="mu"), TypeError, "prior_mean"),
    (lambda: GaussianSignals(2).posterior_mean(given=[0]), ValueError, "given"),
    (lambda: GaussianSignals(2).posterior_mean(given=[3]), ValueError, "given"),
    (lambda: GaussianSignals(2).posterior_var(given=[1, 1]), ValueError, "given"),
    (lambda: GaussianSignals(2).moment(1, given=1), TypeError, "given"),
    (lambda: GaussianSignals(2).moment(-1), ValueError, "k"),
    (lambda: GaussianSignals(2).moment(1.0), TypeError, "k"),
    (lambda: GaussianSignals(2).expect("omega**2"), TypeError, "f"),
    (lambda: GaussianSignals(2).expect(sp.sin(omega)), ValueError, "f"),
    (lambda: GaussianSignals(2).expect(1 / omega), ValueError, "f"),
    (lambda: GaussianSignals(2).expect(sp.Symbol("omega")**2), ValueError, "f"),
    (lambda: BetaBernoulliClicks(2, a=-1), ValueError, "a"),
    (lambda: BetaBernoulliClicks(2, impressions=[1, 2.5]), TypeError, "impressions"),
    (lambda: BetaBernoulliClicks(2, impressions=0), ValueError, "impressions"),
    (lambda: WalletSignals(2, signal_var=[1]), ValueError, "signal_var"),
    (lambda: KnownRates(2, prior_mean=2), ValueError, "prior_mean"),
    (lambda: GaussianSignals(2, 0, 1, 1).sample_posterior({}, 5, 0), ValueError,
     "values is missing s1, s2"),
    (lambda: GaussianSignals(2).sample_signals({}, 5, 0), ValueError,
     "values is missing mu, sigma, sigma1, sigma2"),
    (lambda: GaussianSignals(1, 0, 1, 1).sample_posterior({"s1": 1}, 5, 0), TypeError,
     "values"),
    (lambda: GaussianSignals(1, 0, 1, 1).sample_signals({}, 0, 0), ValueError, "size"),
])
def test_bad_input_names_the_parameter(make, exc, name):
    with pytest.raises(exc) as info:
        make()
    # the message opens with the parameter's name, not merely mentions a letter
    assert re.match(rf"{re.escape(name)}\b", str(info.value)), str(info.value)


def test_moment_atoms_built_once_and_kept_apart_per_class():
    # an atom is built once per order and set of agents; the generic atom and the Gaussian's
    # moment in the mean and variance atoms are different things, never confused by the memo
    g = GaussianSignals(2)
    assert g.moment_atom(2) is g.moment_atom(2, given=(2, 1))
    generic = InformationStructure.moment_atom(g, 2)
    assert generic.func.__name__ == "E[omega^2|1,2]"
    assert g.moment_atom(2) != generic and InformationStructure.moment_atom(g, 2) is generic
