"""Finite models: posteriors against direct enumeration, exact values, validation naming the entry."""
import itertools
from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech.finite import FiniteEnvironment, FiniteEstimator, FiniteInformation
from symbolic_mech.symbols import omega, theta, x

HALF = F(1, 2)


def coin(accuracy=F(3, 4)):
    """omega in {0, 1}, two agents with independent signals L/H of the given accuracy."""
    law = {0: {"L": accuracy, "H": 1 - accuracy}, 1: {"L": 1 - accuracy, "H": accuracy}}
    return FiniteInformation.independent([0, 1], [HALF, HALF], [law, law])


def brute_posterior(states, prior, joint_likelihood, observed):
    """P(omega | s_G) summing P(omega) P(s | omega) over the profiles that agree with ``observed``."""
    weights = []
    for w, p in zip(states, prior):
        weights.append(sum(p * q for s, q in joint_likelihood[w].items()
                           if all(s[j - 1] == sj for j, sj in observed.items())))
    total = sum(weights)
    return {w: wt / total for w, wt in zip(states, weights)}


def test_correlated_posterior_matches_enumeration():
    # signals perfectly correlated in state 1, independent in state 0
    states, prior = [0, 1, 3], [F(1, 2), F(1, 3), F(1, 6)]
    lik = {0: {(a, b): F(1, 4) for a in "ab" for b in "ab"},
           1: {("a", "a"): F(1, 2), ("b", "b"): F(1, 2)},
           3: {("a", "b"): F(2, 3), ("b", "a"): F(1, 3)}}
    info = FiniteInformation(states, prior, [["a", "b"], ["a", "b"]], lik)
    for s in itertools.product("ab", repeat=2):
        assert info.posterior(s) == brute_posterior(states, prior, lik, {1: s[0], 2: s[1]})
    for j, sj in itertools.product((1, 2), "ab"):
        assert info.posterior({j: sj}) == brute_posterior(states, prior, lik, {j: sj})
    assert info.posterior({}) == dict(zip(states, prior))
    # the marginal and an expectation of a function of the state, by hand
    assert info.probability(("a", "a")) == F(1, 2) * F(1, 4) + F(1, 3) * F(1, 2)
    post = info.posterior(("a", "b"))
    assert info.expect(lambda w: w * w, ("a", "b")) == sum(w * w * p for w, p in post.items())
    assert info.expect(omega ** 2, ("a", "b")) == info.expect(lambda w: w * w, ("a", "b"))


def test_zero_probability_profile_has_no_posterior():
    info = FiniteInformation([0, 1], [HALF, HALF], [["a", "b"]], {0: {("a",): 1}, 1: {("a",): 1}})
    assert info.probability(("b",)) == 0
    with pytest.raises(ValueError, match="probability 0"):
        info.posterior(("b",))


@settings(max_examples=40, deadline=None)
@given(prior=st.lists(st.integers(1, 5), min_size=2, max_size=3),
       cells=st.lists(st.integers(0, 4), min_size=12, max_size=12))
def test_posterior_property(prior, cells):
    """Random correlated likelihoods: Bayes' rule agrees with enumeration, posteriors sum to 1."""
    states = list(range(len(prior)))
    prior_q = [F(p, sum(prior)) for p in prior]
    profiles = list(itertools.product((0, 1), repeat=2))
    lik = {}
    for w in states:
        raw = [cells[4 * w + k] + (k == w) for k in range(4)]       # never all zero
        lik[w] = {s: F(r, sum(raw)) for s, r in zip(profiles, raw)}
    info = FiniteInformation(states, prior_q, [[0, 1], [0, 1]], lik)
    for s in profiles:
        if info.probability(s):
            post = info.posterior(s)
            assert post == brute_posterior(states, prior_q, lik, {1: s[0], 2: s[1]})
            assert sum(post.values()) == 1


def test_values_welfare_and_ties():
    info = coin()
    env = FiniteEnvironment(info, [[0, 1], [0]], ["none", "project"],
                            [lambda o, w, t: (o == "project") * (t - w), lambda o, w, t: 0])
    # by hand: E[omega | H, H] = 9/10
    assert env.value(1, "project", 1, ("H", "H")) == 1 - F(9, 10)
    assert env.welfares((1, 0), ("H", "H")) == (0, F(1, 10))
    assert env.efficient_allocation((1, 0), ("H", "H")) == "project"
    flat = FiniteEnvironment(info, [[0], [0]], ["first", "second"], [lambda o, w, t: 1, lambda o, w, t: 0])
    assert flat.efficient_allocation((0, 0), ("L", "L")) == "first"     # ties to the first listed


def test_sympy_utilities_are_evaluated_exactly():
    info = coin()
    env = FiniteEnvironment(info, [[F(1, 3)], [0]], [0, 1, 2], [-(x - theta(1) - omega) ** 2, x * 0])
    for s in itertools.product("LH", repeat=2):
        post = info.posterior(s)
        for o in (0, 1, 2):
            assert env.value(1, o, F(1, 3), s) == sum(-(o - F(1, 3) - w) ** 2 * p for w, p in post.items())


def test_estimator_predictive():
    est = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {1: 1}})
    assert est.support == (0, 1)
    assert est.predictive({0: F(1, 4), 1: F(3, 4)}) == (F(1, 6), F(5, 6))
    assert FiniteEstimator.ex_post([0, 1]).predictive({0: F(1, 4), 1: F(3, 4)}) == (F(1, 4), F(3, 4))


@pytest.mark.parametrize("build, error, text", [
    (lambda: FiniteInformation([0, 1], [0.5, 0.5], [[0]], lambda w, s: 1), TypeError, r"prior\[omega=0\]"),
    (lambda: FiniteInformation([0, 1], ["1/2", "1/2"], [[0]], lambda w, s: 1), TypeError, "strings are not parsed"),
    (lambda: FiniteInformation([0.0, 1], [HALF, HALF], [[0]], lambda w, s: 1), TypeError, r"states\[0\]"),
    (lambda: FiniteInformation([0, 0], [HALF, HALF], [[0]], lambda w, s: 1), ValueError, "more than once"),
    (lambda: FiniteInformation([0, 1], [HALF, F(1, 3)], [[0]], lambda w, s: 1), ValueError, "prior must sum to 1"),
    (lambda: FiniteInformation([0, 1], [F(3, 2), -HALF], [[0]], lambda w, s: 1), ValueError,
     r"prior\[omega=0\] must be a probability"),
    (lambda: FiniteInformation([0], [1], [["a", "b"]], {0: {("a",): F(3, 2), ("b",): -HALF}}), ValueError,
     r"likelihood\[omega=0\]\[s=\('a',\)\]"),
    (lambda: FiniteInformation([0], [1], [["a", "b"]], {0: {("a",): HALF}}), ValueError,
     r"likelihood\[omega=0\] must sum to 1"),
    (lambda: FiniteInformation([0], [1], [["a"]], {0: {("z",): 1}}), ValueError, "unknown signal profiles"),
    (lambda: FiniteInformation([0], [1], [["a"]], lambda w, s: 1.0), TypeError, r"likelihood\[omega=0\]"),
    (lambda: FiniteInformation([0], [1], [[0.5]], lambda w, s: 1), TypeError, r"signals\[1\]\[0\]"),
    (lambda: FiniteInformation([0], [1], [[[0]]], lambda w, s: 1), TypeError, r"signals\[1\]\[0\] must be hashable"),
    (lambda: FiniteInformation([0, 1], [HALF, HALF], [["a"]], {0: {("a",): 1}}), ValueError,
     r"likelihood\[omega=1\] is missing"),
    (lambda: FiniteEstimator({0: {0: 0.5, 1: 0.5}}), TypeError, r"law\[omega=0\]\[omega_hat=0\]"),
    (lambda: FiniteEstimator({0: {0: HALF}}), ValueError, r"law\[omega=0\] must sum to 1"),
])
def test_bad_inputs_name_the_entry(build, error, text):
    with pytest.raises(error, match=text):
        build()


def test_bad_environment_inputs_name_the_parameter():
    info = FiniteInformation([0], [1], [[0]], lambda w, s: 1)
    with pytest.raises(TypeError, match=r"the utility of agent 1\(x=0, omega=0, theta1=0\)"):
        FiniteEnvironment(info, [[0]], [0], [lambda o, w, t: 0.25])
    with pytest.raises(ValueError, match=r"the utility of agent 1 may use only"):
        FiniteEnvironment(info, [[0]], [0], [x * sp.Symbol("y")])
    with pytest.raises(TypeError, match=r"types\[1\]\[0\]"):
        FiniteEnvironment(info, [[0.5]], [0], [x])
    with pytest.raises(ValueError, match="types must have one list per agent"):
        FiniteEnvironment(info, [[0], [1]], [0], [x])
    with pytest.raises(TypeError, match=r"outcome .a. \(a number, for the utility of agent 1\)"):
        FiniteEnvironment(info, [[0]], ["a"], [x])
    with pytest.raises(ValueError, match="the estimator law has no row for omega=0"):
        FiniteEstimator({1: {1: 1}}).check(info)


def test_labels_that_print_alike_and_keys_for_the_same_number_are_refused():
    from fractions import Fraction as F
    import sympy as sp
    with pytest.raises(ValueError, match=r"signals\[1\] lists 1 and '1', which print alike"):
        FiniteInformation([0, 1], [F(1, 2)] * 2, [[1, "1"]], lambda w, s: F(1, 2))
    info = FiniteInformation([0], [1], [[0]], lambda w, s: 1)
    with pytest.raises(ValueError, match=r"outcomes lists 0 and '0'"):
        FiniteEnvironment(info, [[0]], [0, "0"], [lambda o, w, t: 0])
    with pytest.raises(ValueError, match=r"^law has two keys for the number 1/2"):
        FiniteEstimator({F(1, 2): {0: 1}, sp.Rational(1, 2): {1: 1}})
    with pytest.raises(ValueError, match=r"law\[omega=0\] has two keys for the number 1/2"):
        FiniteEstimator({0: {F(1, 2): F(1, 2), sp.Rational(1, 2): F(1, 2)}})
    with pytest.raises(ValueError, match="^prior has two keys"):
        FiniteInformation([F(1, 2)], {F(1, 2): 1, sp.Rational(1, 2): 1}, [[0]], lambda w, s: 1)
    with pytest.raises(ValueError, match="^likelihood has two keys"):
        FiniteInformation([F(1, 2)], [1], [[0]], {F(1, 2): {(0,): 1}, sp.Rational(1, 2): {(0,): 1}})
    with pytest.raises(ValueError, match=r"^laws\[1\] has two keys"):
        FiniteInformation.independent([F(1, 2)], [1], [{F(1, 2): {0: 1}, sp.Rational(1, 2): {0: 1}}])
