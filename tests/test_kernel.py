"""The kernel's three answers, including traps that must not be proved."""
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech.core.kernel import Verdict, check_identity, check_sign, exact_value

a, b = sp.symbols("a b", real=True)
x, y = sp.symbols("x y", real=True)


def test_true_identity_proved():
    v = check_identity((a + b) ** 3, a ** 3 + 3 * a ** 2 * b + 3 * a * b ** 2 + b ** 3)
    assert v.status == "proved" and v.evidence["points_checked"] >= 20


def test_false_identity_refuted_with_rechecked_witness():
    lhs, rhs = (a + b) ** 2, a ** 2 + b ** 2
    v = check_identity(lhs, rhs)
    assert v.status == "refuted"
    point = v.evidence["witness"]["point"]
    assert all(isinstance(val, sp.Rational) for val in point.values())
    assert (lhs - rhs).xreplace(point) != 0
    assert (lhs - rhs).xreplace(point) == v.evidence["witness"]["gap"]


def test_branch_cut_not_proved():
    # where x, y < 0 the gap is -2 pi i: nonzero, but off the real line, so not a certificate
    # the real-valued checker replays; the claim is left unproved, never proved
    assert check_identity(sp.log(x * y), sp.log(x) + sp.log(y)).status == "inconclusive"
    assert check_identity(sp.sqrt(x ** 2), x).status == "refuted"


def test_positive_symbols_make_log_rule_provable():
    p, q = sp.symbols("p q", positive=True)
    assert check_identity(sp.expand_log(sp.log(p * q)), sp.log(p) + sp.log(q)).status == "proved"


def test_skipped_symbolic_step_leaves_a_true_identity_inconclusive():
    v = check_identity(a * (a + 1), a ** 2 + a, simplify=False)
    assert v.status == "inconclusive"


def test_monte_carlo_disagreement_blocks_proof():
    v = check_identity(a, a, variables=(a,),
                       monte_carlo=lambda point, rng: rng.normal(float(point[a]) + 1, 0.01, 1000))
    assert v.status == "inconclusive"


@pytest.mark.parametrize("bad", ["a + b", 0.5, None, [a]])
def test_bad_input_rejected(bad):
    with pytest.raises(TypeError):
        check_identity(bad, a)


def test_check_sign():
    t = sp.Symbol("t", positive=True)
    assert check_sign(t ** 2 + t).status == "proved"
    assert check_sign(t - 3).status == "refuted"
    assert check_sign(a ** 2, "nonnegative").status == "proved"


def test_verdict_status_validated():
    with pytest.raises(ValueError):
        Verdict("x", "claim", "maybe")


@settings(max_examples=25, deadline=None)
@given(st.integers(-5, 5).filter(bool), st.integers(-5, 5), st.integers(2, 4))
def test_polynomial_shift_identities(c0, c1, k):
    # (a + c0)^k expanded is the same polynomial; adding c1 != 0 breaks it.  With k >= 2 and
    # c0 != 0 the two sides differ as written, so the proof is never a syntactic zero
    lhs = (a + c0) ** k
    assert check_identity(lhs, sp.expand(lhs), points=20).status == "proved"
    if c1:
        assert check_identity(lhs, sp.expand(lhs) + c1 * b).status == "refuted"


# expressions built from a few symbols and an opaque atom, for the exact evaluator
_f = sp.Function("F", real=True)
_leaves = st.sampled_from([a, b, _f(a), _f(b), sp.Rational(3, 2), sp.Integer(-2)])
_exprs = st.recursive(
    _leaves,
    lambda sub: st.one_of(
        st.builds(lambda p, q: p + q, sub, sub),
        st.builds(lambda p, q: p * q, sub, sub),
        st.builds(lambda p, k: p ** k, sub, st.integers(-2, 3))),
    max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(_exprs, st.fractions(-5, 5, max_denominator=50), st.fractions(-5, 5, max_denominator=50))
def test_exact_evaluator_matches_substitution(expr, va, vb):
    # rational arithmetic through the atoms == writing the formula out and substituting
    definition = lambda e: e.replace(_f, lambda t: t**2 + 1)  # noqa: E731
    point = {a: sp.Rational(va.numerator, va.denominator), b: sp.Rational(vb.numerator, vb.denominator)}
    fast = exact_value(expr, point, definition)
    try:
        slow = definition(expr).xreplace(point)
    except ZeroDivisionError:
        slow = sp.zoo
    if slow.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        assert fast is None
    else:
        assert fast == slow


def test_exact_evaluator_leaves_irrational_values_to_sympy():
    assert exact_value(sp.sqrt(a) + sp.exp(b) * a, {a: 2, b: 0}) == sp.sqrt(2) + 2
    assert exact_value(1 / (a - 1), {a: 1}) is None
    # a point that leaves a symbol free gives an expression, never a number
    assert exact_value(a + b, {a: 1}) == b + 1


def test_refutation_found_through_definitions():
    # the atom F(a) means a**2; F(a) == a is false, and the witness is exact
    v = check_identity(_f(a), a, definitions=lambda e: e.replace(_f, lambda t: t**2))
    assert v.status == "refuted"
    w = v.evidence["witness"]
    assert w["gap"] == w["point"][a] ** 2 - w["point"][a] != 0
    assert check_identity(_f(a), a**2, definitions=lambda e: e.replace(_f, lambda t: t**2)).status \
        == "proved"
