"""Tests for symbolic_mech.estimators: exact moments checked three ways.

Each model's moments are compared with Monte Carlo draws from its sampler,
with an independent derivation through the moment generating function, and
(for the click-through rate) with a direct sum over the binomial law.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech.estimators import (
    AdditiveNoise, BayesianShrinkage, Estimator, ExPost, SampleClickRate, mu0, sigma0, tau,
)
from symbolic_mech.symbols import m, omega, omega_hat, theta, v

R = sp.Rational
t = sp.Symbol("t", real=True)

# (estimator, parameter values, state) for the Monte Carlo comparisons.
NUMERIC_CASES = {
    "ExPost": (ExPost(), {}, R(7, 10)),
    "AdditiveNoise": (AdditiveNoise(v, m), {v: R(3, 2), m: 4}, R(-1, 2)),
    "SampleClickRate": (SampleClickRate(m), {m: 15}, R(3, 10)),
    "BayesianShrinkage": (BayesianShrinkage(m), {m: 5, tau: 2, mu0: 1, sigma0: R(1, 2)},
                          R(3, 2)),
}
N_DRAWS = 200_000


def _draws(name, seed, omega_value, size=N_DRAWS):
    est, params, _ = NUMERIC_CASES[name]
    rng = np.random.default_rng(seed)
    return est.sample(np.full(size, float(omega_value)), rng, params=params)


def _gaussian_mgf_moment(k, mean, var):
    """k-th moment of N(mean, var) from its moment generating function."""
    mgf = sp.exp(mean * t + var * t**2 / 2)
    return sp.diff(mgf, t, k).subs(t, 0)


def _binomial_moment(n, k, w=omega):
    """E[(X/n)^k] for X ~ Binomial(n, w), summed over the support."""
    return sp.expand(sp.Add(*(sp.binomial(n, x) * w**x * (1 - w)**(n - x) * R(x, n)**k
                              for x in range(n + 1))))


def _zero(expr):
    return sp.cancel(sp.expand(expr)) == 0


# ---------------------------------------------------------------------------
# Moments
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(NUMERIC_CASES))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_moments_match_monte_carlo(name, k, within_se):
    est, params, w = NUMERIC_CASES[name]
    exact = est.subs(params).moment(k).subs(omega, w)
    assert exact.is_Rational
    draws = _draws(name, seed=100 + k, omega_value=w)
    assert within_se(draws**k, exact)


def test_monte_carlo_check_detects_a_wrong_moment(within_se):
    # The 5-standard-error band is narrow enough to reject a moment off by 5%.
    est, params, w = NUMERIC_CASES["AdditiveNoise"]
    exact = est.subs(params).moment(2).subs(omega, w)
    draws = _draws("AdditiveNoise", seed=1, omega_value=w)
    assert not within_se(draws**2, exact * R(105, 100))


@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("k", range(0, 5))
def test_click_rate_symbolic_moments_equal_binomial_sum(n, k):
    symbolic = SampleClickRate(m).moment(k)
    assert _zero(symbolic.subs(m, n) - _binomial_moment(n, k))
    assert _zero(SampleClickRate(n).moment(k) - _binomial_moment(n, k))


@pytest.mark.parametrize("k", range(0, 5))
def test_click_rate_moments_match_mgf_with_symbolic_m(k):
    # M(t) = (1 - omega + omega e^(t/m))^m is the MGF of X/m, X ~ Bin(m, omega).
    mgf = (1 - omega + omega * sp.exp(t / m))**m
    by_mgf = sp.diff(mgf, t, k).subs(t, 0)
    assert _zero(sp.powsimp(by_mgf) - SampleClickRate(m).moment(k))


@pytest.mark.parametrize("k", range(0, 5))
def test_additive_noise_moments_match_mgf(k):
    assert _zero(AdditiveNoise(v, m).moment(k) - _gaussian_mgf_moment(k, omega, v / m))


@pytest.mark.parametrize("k", range(0, 5))
def test_bayesian_shrinkage_moments_match_mgf(k):
    w = m * sigma0**2 / (tau**2 + m * sigma0**2)
    mean, var = w * omega + (1 - w) * mu0, w**2 * tau**2 / m
    assert _zero(BayesianShrinkage(m).moment(k) - _gaussian_mgf_moment(k, mean, var))


def test_ex_post_moments_are_powers_of_the_state():
    assert [ExPost().moment(k) for k in range(4)] == [1, omega, omega**2, omega**3]


def test_moments_are_polynomials_in_omega():
    for est in (AdditiveNoise(v, m), SampleClickRate(m), BayesianShrinkage(m)):
        for k in range(5):
            mk = est.moment(k)
            assert mk.is_polynomial(omega)
            assert sp.Poly(mk, omega).degree() == k


def test_additive_noise_fourth_moment_exact():
    # numeric parameters against the closed form written out, not through the MGF helper
    assert _zero(AdditiveNoise(R(3, 2), 4).moment(4)
                 - (omega**4 + 6 * omega**2 * R(3, 8) + 3 * R(3, 8)**2))


def test_moment_accepts_sympy_integer():
    assert AdditiveNoise(v, m).moment(sp.Integer(2)) == AdditiveNoise(v, m).moment(2)


# ---------------------------------------------------------------------------
# expect, bias, unbiasedness, consistency
# ---------------------------------------------------------------------------

a, b = sp.symbols("a b", real=True)


@pytest.mark.parametrize("est", [ExPost(), AdditiveNoise(v, m), SampleClickRate(m)])
def test_expect_linear_is_identity_for_unbiased(est):
    # Proposition 2: a utility linear in the state has the same expectation
    # under an unbiased estimate as under the state.
    assert _zero(est.expect(a + b * omega_hat) - (a + b * omega))


def test_expect_linear_under_shrinkage_is_pulled_to_prior():
    est = BayesianShrinkage(m)
    w = m * sigma0**2 / (tau**2 + m * sigma0**2)
    assert _zero(est.expect(a + b * omega_hat) - (a + b * (w * omega + (1 - w) * mu0)))


def test_expect_polynomial():
    est = AdditiveNoise(v, m)
    g = omega * omega_hat**3 - 2 * omega_hat**2 + 5
    expected = omega * (omega**3 + 3 * omega * v / m) - 2 * (omega**2 + v / m) + 5
    assert _zero(est.expect(g) - expected)


def test_expect_quadratic_shows_jensen_gap():
    est = SampleClickRate(m)
    assert _zero(est.expect(omega_hat**2) - omega**2 - omega * (1 - omega) / m)


def test_expect_allows_non_polynomial_coefficients():
    est = AdditiveNoise(v, m)
    assert _zero(est.expect(sp.exp(omega) * omega_hat**2)
                 - sp.exp(omega) * (omega**2 + v / m))


def test_expect_of_constant():
    assert ExPost().expect(sp.Integer(3)) == 3


def test_bias_values():
    assert ExPost().bias() == 0
    assert AdditiveNoise(v, m).bias() == 0
    assert SampleClickRate(m).bias() == 0
    assert _zero(BayesianShrinkage(m).bias()
                 - tau**2 * (mu0 - omega) / (tau**2 + m * sigma0**2))


@pytest.mark.parametrize("est, unbiased", [
    (ExPost(), True),
    (AdditiveNoise(v, m), True),
    (AdditiveNoise(R(1, 3)), True),
    (SampleClickRate(m), True),
    (SampleClickRate(7), True),
    (BayesianShrinkage(m), False),
    (BayesianShrinkage(3, 1, 0, 1), False),
])
def test_unbiasedness_flags(est, unbiased):
    assert est.is_unbiased is unbiased


@pytest.mark.parametrize("est, consistent", [
    (ExPost(), True),
    (AdditiveNoise(v, m), True),
    (AdditiveNoise(v), False),
    (AdditiveNoise(R(1, 2), 10), False),
    (SampleClickRate(m), True),
    (SampleClickRate(100), False),
    (BayesianShrinkage(m), True),
    (BayesianShrinkage(m, 4, R(1, 2), R(1, 9)), True),
    (BayesianShrinkage(20), False),
])
def test_consistency_flags(est, consistent):
    assert est.consistent is consistent


def test_mean_squared_error_values():
    assert _zero(AdditiveNoise(v, m).mean_squared_error() - v / m)
    assert _zero(SampleClickRate(m).mean_squared_error() - omega * (1 - omega) / m)
    assert ExPost().mean_squared_error() == 0
    est = BayesianShrinkage(m)
    w = m * sigma0**2 / (tau**2 + m * sigma0**2)
    # variance plus squared bias
    assert _zero(est.mean_squared_error() - (w**2 * tau**2 / m + est.bias()**2))


# ---------------------------------------------------------------------------
# Mean absolute error
# ---------------------------------------------------------------------------

def test_abs_error_mean_additive_noise_closed_form():
    assert _zero(AdditiveNoise(v, m).abs_error_mean()
                 - sp.sqrt(v / m) * sp.sqrt(2 / sp.pi))
    assert AdditiveNoise(v, m).abs_error_mean().free_symbols == {v, m}


def test_abs_error_mean_ex_post_is_zero():
    assert ExPost().abs_error_mean() == 0
    assert ExPost().abs_error_mean(1, R(1, 4)) == 0


@pytest.mark.parametrize("name", ["AdditiveNoise", "BayesianShrinkage"])
def test_abs_error_mean_given_state_matches_monte_carlo(name, within_se):
    est, params, w = NUMERIC_CASES[name]
    exact = est.subs(params).abs_error_mean().subs(omega, w)
    draws = _draws(name, seed=7, omega_value=w)
    assert within_se(np.abs(draws - float(w)), sp.N(exact, 30))


@pytest.mark.parametrize("name", ["AdditiveNoise", "BayesianShrinkage"])
def test_abs_error_mean_under_posterior_matches_monte_carlo(name, within_se):
    est, params, _ = NUMERIC_CASES[name]
    post_mean, post_var = R(1, 2), R(9, 4)
    exact = est.subs(params).abs_error_mean(post_mean, post_var)
    assert not exact.has(omega)
    rng = np.random.default_rng(11)
    states = rng.normal(float(post_mean), float(sp.sqrt(post_var)), size=N_DRAWS)
    draws = est.sample(states, rng, params=params)
    assert within_se(np.abs(draws - states), sp.N(exact, 30))


def test_abs_error_mean_under_posterior_symbolic_shrinkage():
    # With a far-off posterior the bias (1 - w)(mu0 - omega) dominates.
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    expr = BayesianShrinkage(m).abs_error_mean(mu, sigma**2)
    assert not expr.has(omega)
    point = {m: 3, tau: 1, mu0: 0, sigma0: 1, sigma: R(1, 10)}
    w = R(3, 4)
    far = sp.N(expr.subs(point).subs(mu, 100), 30)
    assert abs(far - (1 - w) * 100) < sp.Float("1e-20")


def test_abs_error_mean_click_rate_finite_sum_matches_monte_carlo(within_se):
    est, params, w = NUMERIC_CASES["SampleClickRate"]
    exact = est.subs(params).abs_error_mean().subs(omega, w)
    assert exact.is_Rational
    draws = _draws("SampleClickRate", seed=13, omega_value=w)
    assert within_se(np.abs(draws - float(w)), exact)


def test_abs_error_mean_click_rate_two_impressions():
    assert SampleClickRate(2).abs_error_mean().subs(omega, R(1, 2)) == R(1, 4)
    assert SampleClickRate(1).abs_error_mean().subs(omega, R(1, 3)) == R(4, 9)


def test_abs_error_mean_click_rate_unsupported():
    with pytest.raises(NotImplementedError, match="numeric m"):
        SampleClickRate(m).abs_error_mean()
    with pytest.raises(NotImplementedError, match="posterior"):
        SampleClickRate(5).abs_error_mean(R(1, 2), R(1, 100))


def test_abs_error_mean_needs_both_posterior_arguments():
    with pytest.raises(ValueError, match="posterior_mean and posterior_var"):
        AdditiveNoise(v, m).abs_error_mean(posterior_mean=0)
    with pytest.raises(ValueError, match="posterior_var"):
        AdditiveNoise(v, m).abs_error_mean(0, 0)


# ---------------------------------------------------------------------------
# Parameters, substitution, sampling, display
# ---------------------------------------------------------------------------

def test_parameters():
    assert ExPost().parameters == ()
    assert AdditiveNoise().parameters == (v,)
    assert AdditiveNoise(v, m).parameters == (m, v)
    assert SampleClickRate().parameters == (m,)
    assert BayesianShrinkage().parameters == (m, mu0, sigma0, tau)


def test_subs_substitutes_and_validates():
    est = AdditiveNoise(v, m).subs({m: 100})
    assert est == AdditiveNoise(v, 100)
    assert est.parameters == (v,)
    assert est.moment(2) == omega**2 + v / 100
    assert BayesianShrinkage().subs({tau: 2, sigma0: 1}) == BayesianShrinkage(m, 4, mu0, 1)
    with pytest.raises(ValueError, match="m must be a positive integer"):
        SampleClickRate(m).subs({m: 0})
    with pytest.raises(ValueError, match="m must be a positive integer"):
        SampleClickRate(m).subs({m: R(5, 2)})
    with pytest.raises(ValueError, match="variance must be positive"):
        AdditiveNoise(v, m).subs({v: -1})
    with pytest.raises(TypeError, match="mapping keys"):
        AdditiveNoise(v, m).subs({"v": 1})
    with pytest.raises(ValueError, match="omega"):
        AdditiveNoise(v, m).subs({omega: 1})


def test_numbers_become_exact():
    assert AdditiveNoise(Fraction(1, 10), 2).moment(2) == omega**2 + R(1, 20)
    with pytest.raises(TypeError, match="variance must be exact: got the float 0.1"):
        AdditiveNoise(0.1, 2)
    assert AdditiveNoise(Fraction(1, 3)).moment(2) == omega**2 + R(1, 3)
    assert AdditiveNoise(np.int64(2), np.int64(4)) == AdditiveNoise(2, 4)


def test_sample_shape_and_extra_params_ignored():
    est = AdditiveNoise(v, m)
    states = np.zeros((3, 4))
    draws = est.sample(states, np.random.default_rng(0), params={v: 1, m: 2, tau: 5})
    assert draws.shape == (3, 4)
    assert np.all(draws != 0)
    assert np.array_equal(ExPost().sample(states + 2, np.random.default_rng(0)), states + 2)


def test_sample_is_reproducible():
    _, params, w = NUMERIC_CASES["SampleClickRate"]
    first = _draws("SampleClickRate", seed=5, omega_value=w, size=50)
    second = _draws("SampleClickRate", seed=5, omega_value=w, size=50)
    assert np.array_equal(first, second)
    # rates are multiples of 1/m
    n = params[m]
    assert np.allclose(first * n, np.round(first * n))


def test_sample_missing_parameters_named():
    with pytest.raises(ValueError, match="missing values for m, v"):
        AdditiveNoise(v, m).sample(np.zeros(3), np.random.default_rng(0))
    with pytest.raises(ValueError, match="sigma0, tau"):
        BayesianShrinkage().sample(np.zeros(3), np.random.default_rng(0), params={m: 2, mu0: 0})


def test_sample_bad_input():
    with pytest.raises(TypeError, match="rng"):
        ExPost().sample(np.zeros(3), 0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        SampleClickRate(5).sample(np.array([0.5, 1.5]), np.random.default_rng(0))
    with pytest.raises(ValueError, match="m must be a positive integer"):
        SampleClickRate(m).sample(np.array([0.5]), np.random.default_rng(0), params={m: R(5, 2)})


def test_repr_and_str():
    assert repr(ExPost()) == "ExPost()"
    assert repr(AdditiveNoise(v, m)) == "AdditiveNoise(variance=v, m=m)"
    assert repr(SampleClickRate(m)) == "SampleClickRate(m=m)"
    assert repr(BayesianShrinkage()) == (
        "BayesianShrinkage(m=m, noise_var=tau**2, prior_mean=mu0, prior_var=sigma0**2)")
    assert str(AdditiveNoise(2, 4)) == (
        "additive-noise estimator: omega_hat = omega + eta, eta ~ N(0, 1/2)")
    assert "100 Bernoulli(omega) impressions" in str(SampleClickRate(100))
    assert "prior N(mu0, sigma0**2)" in str(BayesianShrinkage())


def test_equality_and_hash():
    assert AdditiveNoise(2, 4) == AdditiveNoise(R(2), 4)
    assert AdditiveNoise(2, 4) != AdditiveNoise(2, 5)
    assert ExPost() != AdditiveNoise(2, 4)
    assert len({AdditiveNoise(2, 4), AdditiveNoise(2, 4), ExPost(), ExPost()}) == 2


def test_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        Estimator().moment(1)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("cls, kwargs, error, name", [
    (AdditiveNoise, {"variance": 0}, ValueError, "variance"),
    (AdditiveNoise, {"variance": -1}, ValueError, "variance"),
    (AdditiveNoise, {"variance": sp.Symbol("x", real=True)}, ValueError, "variance"),
    (AdditiveNoise, {"variance": omega**2 + 1}, ValueError, "variance"),
    (AdditiveNoise, {"variance": float("nan")}, TypeError, "variance"),
    (AdditiveNoise, {"variance": "1"}, TypeError, "variance"),
    (AdditiveNoise, {"variance": True}, TypeError, "variance"),
    (AdditiveNoise, {"m": 0}, ValueError, "m"),
    (AdditiveNoise, {"m": -3}, ValueError, "m"),
    (AdditiveNoise, {"m": R(5, 2)}, ValueError, "m"),
    (AdditiveNoise, {"m": 2 * m}, ValueError, "m"),
    (AdditiveNoise, {"m": sp.Symbol("n")}, ValueError, "m"),
    (AdditiveNoise, {"m": 1.5}, TypeError, "m"),
    (AdditiveNoise, {"m": [1]}, TypeError, "m"),
    (BayesianShrinkage, {"noise_var": 0}, ValueError, "noise_var"),
    (BayesianShrinkage, {"prior_var": -1}, ValueError, "prior_var"),
    (BayesianShrinkage, {"prior_mean": sp.I}, ValueError, "prior_mean"),
    (BayesianShrinkage, {"prior_mean": sp.oo}, ValueError, "prior_mean"),
    (BayesianShrinkage, {"m": 0}, ValueError, "m"),
    (SampleClickRate, {"m": 0}, ValueError, "m"),
])
def test_bad_parameters_name_the_parameter(cls, kwargs, error, name):
    with pytest.raises(error, match=rf"^{name} must"):
        cls(**kwargs)


def test_expect_rejects_strings_and_non_polynomials():
    est = AdditiveNoise(v, m)
    with pytest.raises(TypeError, match="^g must"):
        est.expect("omega_hat")
    with pytest.raises(TypeError, match="^g must"):
        est.expect(3)
    with pytest.raises(ValueError, match="^g must be polynomial"):
        est.expect(sp.exp(omega_hat))
    with pytest.raises(ValueError, match="^g must be polynomial"):
        est.expect(1 / omega_hat)
    with pytest.raises(ValueError, match="^g must be polynomial"):
        est.expect(omega_hat**m)


def test_moment_rejects_bad_orders():
    est = ExPost()
    with pytest.raises(ValueError, match="^k must"):
        est.moment(-1)
    with pytest.raises(TypeError, match="^k must"):
        est.moment(1.5)
    with pytest.raises(TypeError, match="^k must"):
        est.moment(True)


# ---------------------------------------------------------------------------
# Property tests on random rational parameters
# ---------------------------------------------------------------------------

rationals = st.fractions(min_value=-5, max_value=5, max_denominator=12).map(
    lambda f: R(f.numerator, f.denominator))
positive_rationals = st.fractions(min_value=Fraction(1, 12), max_value=5,
                                  max_denominator=12).map(
    lambda f: R(f.numerator, f.denominator))
sizes = st.integers(min_value=1, max_value=40)


@settings(max_examples=25, deadline=None, database=None)
@given(variance=positive_rationals, n=sizes, k=st.integers(0, 4))
def test_property_additive_noise(variance, n, k):
    symbolic = AdditiveNoise(v, m)
    numeric = symbolic.subs({v: variance, m: n})
    assert numeric == AdditiveNoise(variance, n)
    # substitution commutes with taking moments
    assert _zero(numeric.moment(k) - symbolic.moment(k).subs({v: variance, m: n}))
    assert _zero(numeric.moment(k) - _gaussian_mgf_moment(k, omega, variance / n))
    assert _zero(numeric.moment(2) - numeric.moment(1)**2 - variance / n)
    assert numeric.is_unbiased
    # the error is state-free, so it equals variance/n as an expression, not merely at a state
    assert _zero(numeric.mean_squared_error() - variance / n)


@settings(max_examples=25, deadline=None, database=None)
@given(nv=positive_rationals, pm=rationals, pv=positive_rationals, n=sizes,
       state=rationals)
def test_property_bayesian_shrinkage(nv, pm, pv, n, state):
    est = BayesianShrinkage(n, nv, pm, pv)
    # the posterior mean in precision form, evaluated at rho_bar = state
    posterior_mean_at_truth = (pm / pv + n * state / nv) / (1 / pv + n / nv)
    assert est.moment(1).subs(omega, state) == posterior_mean_at_truth
    bias = est.bias().subs(omega, state)
    assert bias == posterior_mean_at_truth - state
    assert est.is_unbiased is False
    variance = sp.expand(est.moment(2) - est.moment(1)**2)
    assert not variance.has(omega)
    assert _zero(variance - (n * pv / (nv + n * pv))**2 * nv / n)
    assert est.mean_squared_error().subs(omega, state) == variance + bias**2
    symbolic = BayesianShrinkage(m, nv, pm, pv)
    assert _zero(symbolic.moment(3).subs(m, n) - est.moment(3))


@settings(max_examples=25, deadline=None, database=None)
@given(n=st.integers(1, 12), p=st.fractions(0, 1, max_denominator=10), k=st.integers(0, 4))
def test_property_click_rate(n, p, k):
    p = R(p.numerator, p.denominator)
    value = SampleClickRate(m).moment(k).subs({m: n, omega: p})
    assert value == _binomial_moment(n, k, p)
    assert SampleClickRate(n).mean_squared_error().subs(omega, p) == p * (1 - p) / n


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=4),
       st.integers(1, 3))
def test_structural_coefficients_agree_with_expansion(terms, power):
    # (sum c * omega**k * theta1**j)**power: coefficients kept unexpanded, equal after expansion
    from symbolic_mech.validation import polynomial_coefficients
    f = sp.Add(*[c * omega**k * theta(1)**j for c, k, j in terms]) ** power
    got = polynomial_coefficients(f, omega, "f")
    want = sp.Poly(sp.expand(f), omega).as_dict()
    assert {k: sp.expand(c) for k, c in got.items()} == {k[0]: c for k, c in want.items()}


def test_coefficients_keep_free_factors_whole_and_name_bad_input():
    from symbolic_mech.validation import polynomial_coefficients
    big = sp.Add(*[theta(i) for i in range(1, 6)])
    coeffs = polynomial_coefficients(-(big - omega) ** 2, omega, "u")
    assert coeffs == {0: -big**2, 1: 2 * big, 2: -1}
    with pytest.raises(ValueError, match="u must be polynomial in omega"):
        polynomial_coefficients(sp.exp(omega), omega, "u")
    with pytest.raises(ValueError, match="u must be polynomial"):
        polynomial_coefficients(1 / (1 + omega), omega, "u")


def test_the_subclassing_contract_is_checked_at_construction():
    class SignNoise(Estimator):
        """omega_hat = omega + h or omega - h with probability 1/2 each: unbiased."""

        def __init__(self, h=1):
            super().__init__()
            self._args = {"h": sp.Rational(h)}

        def _moment(self, k):
            return sp.expand(((omega + self._args["h"]) ** k + (omega - self._args["h"]) ** k) / 2)

        def _draw(self, omega_values, rng):
            return omega_values + float(self._args["h"]) * rng.choice([-1.0, 1.0], omega_values.shape)

    est = SignNoise(2)
    assert est.is_unbiased and est.moment(2) == omega ** 2 + 4
    assert est.subs({}) == est

    class WrongKeyword(SignNoise):
        def __init__(self, width=1):
            Estimator.__init__(self)
            self._args = {"h": sp.Rational(width)}
    with pytest.raises(TypeError, match=r"_args\['h'\] is not a keyword of WrongKeyword.__init__"):
        WrongKeyword()

    class NoDraw(Estimator):
        def __init__(self):
            super().__init__()

        def _moment(self, k):
            return omega ** k
    with pytest.raises(TypeError, match="NoDraw must define _draw"):
        NoDraw()
