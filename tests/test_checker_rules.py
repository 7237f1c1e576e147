"""Every acceptance rule of the independent checker is pinned by a test that kills its weakening.

A mutation harness over ``symbolic_mech/core/checker.py``: each row of
:data:`MUTANTS` names a rule, a distinctive piece of the rule's
implementation (the OLD text, which must occur exactly once in the source,
so a refactor cannot silently disable the row) and a weakened replacement.
The row's pinning test must pass against the checker as it is and fail
against the weakened checker, which is the source with that one replacement
executed as a fresh module (never written to disk).

The pins go through :func:`replay` (the evidence replay over the residual,
domains and definitions a certificate carries), not through the statement
layer of ``recheck``.  A pin raises :class:`RuleBroken` (an AssertionError)
exactly where the rule is observed to fail; the other assertions of a pin
are controls (the certificate is otherwise sound), run against the checker
as it is only.  Most pins use
certificates that the weakened checker then confirms outright: the points
given lie where the false claim happens to hold (a factor ``c`` with
``c = 0`` at every point, or points on one side of a condition), so only
the rule under test stands between the certificate and a confirmation.
"""
import sys
import types
from dataclasses import dataclass
from fractions import Fraction
from itertools import count
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

CHECKER = Path(__file__).resolve().parents[1] / "symbolic_mech" / "core" / "checker.py"
FORMAT = "symbolic_mech-certificate/1"
_serial = count()


def load_checker(source: str, as_is: bool = False):
    """The checker's source executed as a fresh module (a sibling of the real one, for its
    relative import of .posteriors); ``as_is`` marks the unmodified source."""
    name = f"symbolic_mech.core._checker_rules_{next(_serial)}"
    mod = types.ModuleType(name)
    mod.__package__ = "symbolic_mech.core"
    mod.__file__ = str(CHECKER)
    sys.modules[name] = mod         # dataclasses look their module up while the class is made
    try:
        exec(compile(source, str(CHECKER), "exec"), mod.__dict__)
    finally:
        del sys.modules[name]
    mod._checker_as_is = as_is
    return mod


_AS_IS = {}


def real_checker(source: str):
    """The checker as it is (the source read by the test that mutates it)."""
    if source not in _AS_IS:
        _AS_IS.clear()
        _AS_IS[source] = load_checker(source, as_is=True)
    return _AS_IS[source]


class RuleBroken(AssertionError):
    """The rule a pin is about did not hold."""


# ---------------------------------------------------------------------------
# trees, domains and certificates, written by hand
# ---------------------------------------------------------------------------

def S(name):
    return ["Symbol", name]


def N(k):
    return ["Integer", str(k)]


def Q(p, q):
    return ["Rational", str(p), str(q)]


def add(*xs):
    return ["Add", *xs]


def mul(*xs):
    return ["Mul", *xs]


def neg(x):
    return mul(N(-1), x)


def sub(x, y):
    return add(x, neg(y))


def pw(base, k):
    return ["Pow", base, k if isinstance(k, list) else N(k)]


def log(x):
    return ["log", x]


def exp(x):
    return ["exp", x]


def piecewise(*branches):
    return ["Piecewise", *[[e, c] for e, c in branches]]


def rel(op, x, y):
    return [op, x, y]


def dom(lo=None, hi=None, *, integer=False, lo_open=True, hi_open=True, exclude_zero=False, parity=None,
        primality=None, noninteger=False, bounds=()):
    return {"integer": integer, "lo": None if lo is None else str(lo), "hi": None if hi is None else str(hi),
            "lo_open": lo_open, "hi_open": hi_open, "exclude_zero": exclude_zero, "parity": parity,
            "primality": primality, "noninteger": noninteger, "bounds": [list(b) for b in bounds]}


REAL, POSITIVE = dom(), dom(0)
a, b, c, x = S("a"), S("b"), S("c"), S("x")
# a value that is negative (-exp(-10000)) but whose every ball up to 4096 bits contains 0
TINY_NEGATIVE = add(add(neg(exp(N(-10000))), N(1)), N(-1))


def pts(*rows, names="abc"):
    """Points as certificates carry them: {name: rational string}."""
    return [{k: str(v) for k, v in zip(names, row)} for row in rows]


def cert(expr, kind="identity", status="proved", points=(), domains=None, **extra):
    out = {"format": FORMAT, "id": "r", "claim": "rule", "kind": kind, "status": status, "expr": expr,
           "definitions": [], "domains": {"a": REAL, "b": REAL, "c": REAL} if domains is None else domains,
           "points": list(points), "symbolic": {"form": None} if status == "proved" and kind == "identity" else None,
           "witness": None, "monte_carlo": [], "at_points_only": False, "decisions": {"constant": False}}
    out.update(extra)
    return out


def sign_cert(expr, sign="positive", points=(), domains=None, form=None, at_points_only=False, **extra):
    out = cert(expr, "sign", "proved", points, domains, sign=sign, at_points_only=at_points_only,
               symbolic=None if form is None else {"form": form}, **extra)
    if at_points_only:
        out["claim"] = "rule at the points given"
    return out


def constant(expr, **extra):
    return cert(expr, domains={}, decisions={"constant": True}, **extra)


# (a + b)^2 - (a^2 + 2ab + b^2): an identity with nothing transcendental
BINOMIAL = sub(pw(add(a, b), 2), add(pw(a, 2), mul(N(2), a, b), pw(b, 2)))
GRID = pts(*[(k + 1, Fraction(k + 2, 3), 0) for k in range(20)])
ON_C_ZERO = pts(*[(k + 1, k + 2, 0) for k in range(20)])      # c = 0: c * anything is exactly 0 there
A_POSITIVE = pts(*[(k + 1, 1, 1) for k in range(20)])
A_NEGATIVE = pts(*[(-k - 1, 1, 1) for k in range(20)])


def binomial(**extra):
    return cert(BINOMIAL, points=GRID, **extra)


def replay(ck, certificate, **kw):
    return ck.replay(certificate, **kw)


def confirmed(ck, certificate, **kw):
    """A control: the certificate is confirmed (checked against the checker as it is only; a
    weakened checker may well be stricter elsewhere)."""
    if not ck._checker_as_is:
        return None
    report = replay(ck, certificate, **kw)
    assert report.confirmed, report.problems
    return report


def refused(ck, certificate, *words, **kw):
    """The rule: the certificate is not confirmed, and a problem names each word."""
    report = replay(ck, certificate, **kw)
    if report.confirmed:
        raise RuleBroken(f"confirmed: {report.notes}")
    for word in words:
        if not any(word in p for p in report.problems):
            raise RuleBroken(f"no problem names {word!r}: {report.problems}")
    return report


def with_regions(certificate, conditions, *empty):
    certificate["symbolic"] = {"form": None, "regions": {"conditions": conditions,
                                                         "empty": [[[i, True] for i in region] for region in empty]}}
    return certificate


# ---------------------------------------------------------------------------
# pins: regions shown empty (negative cycles, Fourier-Motzkin)
# ---------------------------------------------------------------------------

def pin_region_zero_row(ck):
    """a >= a is the row 0 >= 0: feasible, so a region made of it is not empty."""
    confirmed(ck, with_regions(binomial(), [rel("Gt", a, N(0)), rel("Lt", a, N(0))], [0, 1]))
    refused(ck, with_regions(binomial(), [rel("Ge", a, a)], [0]), "regions.empty[0] is said to be empty")


def pin_region_zero_cycle(ck):
    """a >= b and a <= b: a cycle of weight 0 through non-strict rows; a = b solves it."""
    confirmed(ck, with_regions(binomial(), [rel("Gt", a, b), rel("Lt", a, b)], [0, 1]))
    refused(ck, with_regions(binomial(), [rel("Ge", a, b), rel("Le", a, b)], [0, 1]), "said to be empty")


def pin_region_fourier_motzkin_zero_row(ck):
    """a + b >= 0 and a + b <= 0 (not difference constraints): elimination leaves 0 >= 0."""
    confirmed(ck, with_regions(binomial(), [rel("Gt", add(a, b), N(0)), rel("Lt", add(a, b), N(0))], [0, 1]))
    refused(ck, with_regions(binomial(), [rel("Ge", add(a, b), N(0)), rel("Le", add(a, b), N(0))], [0, 1]),
            "said to be empty")


def pin_region_fourier_motzkin_gives_up_feasible(ck):
    """64 rows a - k b + 1 >= 0 and 64 rows -a + k b + 1 >= 0 (solved by a = b = 0): eliminating
    either variable would make 4096 rows, beyond FM_ROWS, so the test gives up -- as feasible."""
    conds = [rel("Ge", sub(a, mul(N(k), b)), N(-1)) for k in range(2, 66)] \
        + [rel("Ge", sub(mul(N(k), b), a), N(-1)) for k in range(2, 66)]
    refused(ck, with_regions(binomial(), conds, range(len(conds))), "said to be empty")


def pin_region_must_be_shown_empty(ck):
    refused(ck, with_regions(binomial(), [rel("Gt", a, N(0))], [0]), "said to be empty")


def pin_region_domain_end_closed(ck):
    """a in [0, oo): the region a <= 0 holds at a = 0."""
    closed = {"a": dom(0, lo_open=False), "b": REAL, "c": REAL}
    confirmed(ck, with_regions(binomial(domains=closed), [rel("Lt", a, N(0))], [0]))
    refused(ck, with_regions(binomial(domains=closed), [rel("Le", a, N(0))], [0]), "said to be empty")


def pin_region_common_factor_not_positive(ck):
    """a b < 0 holds somewhere on the reals: a and b are not positive factors to divide out."""
    positive = {"a": POSITIVE, "b": POSITIVE, "c": REAL}
    confirmed(ck, with_regions(binomial(domains=positive), [rel("Lt", mul(a, b), N(0))], [0]))
    refused(ck, with_regions(binomial(), [rel("Lt", mul(a, b), N(0))], [0]), "said to be empty")


def pin_region_denominator_sign(ck):
    """1/b < 0 holds for b < 0: a denominator in a symbol of unknown sign keeps its sign."""
    positive = {"a": REAL, "b": POSITIVE, "c": REAL}
    confirmed(ck, with_regions(binomial(domains=positive), [rel("Lt", pw(b, -1), N(0))], [0]))
    refused(ck, with_regions(binomial(), [rel("Lt", pw(b, -1), N(0))], [0]), "said to be empty")


# ---------------------------------------------------------------------------
# pins: zero on every Piecewise branch
# ---------------------------------------------------------------------------

def pin_piecewise_second_branch(ck):
    """Piecewise((0, a > 0), (1, a <= 0)) is 1 for a <= 0: its second branch can apply."""
    confirmed(ck, cert(piecewise((N(0), rel("Gt", a, N(0))), (N(0), rel("Le", a, N(0)))), points=A_POSITIVE))
    refused(ck, cert(piecewise((N(0), rel("Gt", a, N(0))), (N(1), rel("Le", a, N(0)))), points=A_POSITIVE),
            "not zero as a rational function")


def pin_piecewise_equality_branch(ck):
    """Piecewise((1, a >= 0 and a <= 0), (0, True)) is 1 at a = 0."""
    both = ["And", rel("Ge", a, N(0)), rel("Le", a, N(0))]
    refused(ck, cert(piecewise((N(1), both), (N(0), ["true"])), points=A_POSITIVE),
            "not zero as a rational function")


def pin_piecewise_region_contained(ck):
    """A confirmed empty region {a > 0, a < 0} does not let the branch a > 0 alone be skipped."""
    conds = [rel("Gt", a, N(0)), rel("Lt", a, N(0))]
    residual = piecewise((N(1), rel("Gt", a, N(0))), (N(0), ["true"]))
    confirmed(ck, with_regions(binomial(), conds, [0, 1]))
    refused(ck, with_regions(cert(residual, points=A_NEGATIVE), conds, [0, 1]), "not zero as a rational function")


# ---------------------------------------------------------------------------
# pins: zero as a rational function, logarithms
# ---------------------------------------------------------------------------

def pin_nonzero_rational_function(ck):
    """c (a - b) is not zero, though it is 0 at every point given (c = 0 there)."""
    confirmed(ck, cert(mul(c, sub(a, a)), points=ON_C_ZERO))
    refused(ck, cert(mul(c, sub(a, b)), points=ON_C_ZERO), "not zero as a rational function")


def pin_trig_relation(ck):
    """sin(a)^2 - cos(a)^2 is not zero (the relation is sin^2 = 1 - cos^2)."""
    refused(ck, cert(mul(c, sub(pw(["sin", a], 2), pw(["cos", a], 2))), points=ON_C_ZERO),
            "not zero as a rational function")


def pin_root_relation(ck):
    """(a * 2^-1)^(1/2) squared is a/2, not a: the relation r^q = u keeps u's denominator."""
    half_a = mul(a, pw(N(2), -1))
    refused(ck, cert(mul(c, sub(pw(pw(half_a, Q(1, 2)), 2), a)), points=ON_C_ZERO),
            "not zero as a rational function")


def pin_logarithms_need_positive_arguments(ck):
    """log(ab) - log(a) - log(b): the log rule only for arguments positive on the domains."""
    residual = sub(sub(log(mul(a, b)), log(a)), log(b))
    points = pts(*[(k + 1, k + 2) for k in range(20)])
    confirmed(ck, cert(residual, points=points, domains={"a": POSITIVE, "b": POSITIVE}))
    refused(ck, cert(residual, points=points, domains={"a": REAL, "b": REAL}), "not zero as a rational function")


def pin_logarithms_combine_to_one(ck):
    """c (log a - log b): a / b is not 1."""
    positive = {"a": POSITIVE, "b": POSITIVE, "c": REAL}
    refused(ck, cert(mul(c, sub(log(a), log(b))), points=ON_C_ZERO, domains=positive),
            "not zero as a rational function")


def pin_logarithm_coefficients_proportional(ck):
    """b log(a) + log(1/a) = (b - 1) log(a): coefficients b and 1 are not rational multiples."""
    positive = {"a": POSITIVE, "b": REAL}
    points = pts(*[(k + 2, 1) for k in range(20)])      # b = 1: zero at the points
    refused(ck, cert(add(mul(b, log(a)), log(pw(a, -1))), points=points, domains=positive),
            "not zero as a rational function")


def pin_logarithm_free_terms(ck):
    """c + log(ab) - log(a) - log(b) = c: a term free of logarithms stays."""
    positive = {"a": POSITIVE, "b": POSITIVE, "c": REAL}
    residual = add(c, sub(sub(log(mul(a, b)), log(a)), log(b)))
    refused(ck, cert(residual, points=ON_C_ZERO, domains=positive), "not zero as a rational function")


def pin_tan_relation(ck):
    """tan(a) is sin(a)/cos(a), not sin(a) cos(a)."""
    confirmed(ck, cert(mul(c, sub(mul(["tan", a], ["cos", a]), ["sin", a])), points=ON_C_ZERO))
    refused(ck, cert(mul(c, sub(["tan", a], mul(["sin", a], ["cos", a]))), points=ON_C_ZERO),
            "not zero as a rational function")


def pin_exp_generator_powers(ck):
    """exp(a/2) is a generator's first power, exp(a) its square: exp(a/2) is not 1."""
    confirmed(ck, cert(mul(c, sub(pw(exp(mul(Q(1, 2), a)), 2), exp(a))), points=ON_C_ZERO))
    refused(ck, cert(mul(c, sub(exp(mul(Q(1, 2), a)), N(1))), points=ON_C_ZERO), "not zero as a rational function")


def pin_branch_budget(ck):
    """c m, m the product of 15 Piecewise((0, a_i > 0), (c, True)): c^16 where every a_i <= 0.  The
    2^16 branch choices exceed MAX_BRANCHES, and a zero test out of budget is not a proof (m is
    an atom defined by the product, so only the substituted residual has branches to try)."""
    names = [f"a{i}" for i in range(15)]
    product = mul(*[piecewise((N(0), rel("Gt", S(n), N(0))), (c, ["true"])) for n in names])
    points = [{n: str(k + 1) for n in names} | {"c": str(k)} for k in range(20)]
    domains = dict.fromkeys(names + ["c"], REAL)
    m = ["Function", "m"]
    refused(ck, cert(mul(c, m), points=points, domains=domains, definitions=[{"atom": m, "formula": product}]),
            "not zero as a rational function")


def pin_identity_needs_symbolic_decision(ck):
    refused(ck, cert(mul(c, sub(a, b)), points=ON_C_ZERO, symbolic=None), "without a symbolic decision")


# ---------------------------------------------------------------------------
# pins: constant residuals
# ---------------------------------------------------------------------------

def pin_constant_undefined_is_not_zero(ck):
    """log(0) - log(0), sqrt(-1)^2 + 1, ((-8)^(1/3))^3 + 8: undefined over the reals, never zero."""
    confirmed(ck, constant(sub(mul(exp(N(2)), exp(N(3))), exp(N(5)))))
    log0 = log(N(0))
    refused(ck, constant(sub(log0, log0)), "undefined over the reals")
    refused(ck, constant(add(pw(pw(N(-1), Q(1, 2)), 2), N(1))), "undefined over the reals")
    refused(ck, constant(add(pw(pw(N(-8), Q(1, 3)), 3), N(8))), "undefined over the reals")


def pin_constant_ball_is_not_zero(ck):
    refused(ck, constant(TINY_NEGATIVE), "constant residual is not shown to be 0")


def pin_constant_has_no_free_symbols(ck):
    """Piecewise((0, True), (a, True)) is 0 without a value for a, but a is free."""
    refused(ck, constant(piecewise((N(0), ["true"]), (a, ["true"]))), "free symbols ['a']")


# ---------------------------------------------------------------------------
# pins: values at a point
# ---------------------------------------------------------------------------

def at_points(expr, value, sign="nonnegative", domains=None):
    return sign_cert(expr, sign, [{"a": str(value)}], domains or {"a": REAL}, at_points_only=True)


def pin_undefined_values(ck):
    """1/0, log 0, log(-1), (-1)^(1/3), 0^(-1/2), a Piecewise with no applicable branch: undefined
    over the reals, never >= 0."""
    confirmed(ck, at_points(pw(a, -1), 2))
    for expr, value in ((pw(a, -1), 0), (log(a), 0), (log(a), -1), (add(pw(a, Q(1, 3)), N(1)), -1),
                        (pw(a, Q(-1, 2)), 0), (piecewise((N(1), rel("Gt", a, N(0)))), -1)):
        refused(ck, at_points(expr, value), "expr is not evaluated there")


def pin_values_exact_conditions(ck):
    """Piecewise((1, a < 0), (-1, True)) is -1 at a = 0."""
    refused(ck, at_points(piecewise((N(1), rel("Lt", a, N(0))), (N(-1), ["true"])), 0, "positive"),
            "expr is negative there")


def pin_values_max_min(ck):
    confirmed(ck, at_points(["Max", a, N(1)], -1, "positive"))
    refused(ck, at_points(["Min", a, N(1)], -1, "positive"), "expr is negative there")


def pin_values_exact_products(ck):
    """a a - 1/2 at a = 1/2 is -1/4: a product multiplies its exact factors (not adds them)."""
    confirmed(ck, at_points(sub(mul(a, a), Q(1, 8)), Fraction(1, 2)))
    refused(ck, at_points(sub(mul(a, a), Q(1, 2)), Fraction(1, 2)), "expr is negative there")


def pin_values_bounded_mid_sum(ck):
    """X + Y - X with X = 1/B1^6, Y = 1/B2^6 (B1, B2 of 90,000 digits): X + Y needs 3.6 million bits,
    past MAX_BITS, so the sum goes on as a ball and decides no sign against Y; kept exact it would."""
    big = [["Integer", "1" + "0" * 89999 + "1"], ["Integer", "1" + "0" * 89998 + "3"]]
    x, y = (pw(b, -6) for b in big)
    confirmed(ck, at_points(sub(y, mul(y, a)), 1))
    refused(ck, at_points(sub(add(x, y, neg(x)), mul(y, a)), 1), "the sign is not decided")


def pin_undefined_balls(ck):
    """log(a - pi) and (a - pi)^(1/2) at a = 0: a negative ball, undefined (not log|.| or |.|^(1/2))."""
    confirmed(ck, at_points(log(sub(a, ["pi"])), 5))
    for expr in (log(sub(a, ["pi"])), pw(sub(a, ["pi"]), Q(1, 2))):
        refused(ck, at_points(expr, 0), "expr is not evaluated there")


def pin_identity_nonzero_point(ck):
    """Defence in depth: a residual not zero at a point says so, beside the failed zero test."""
    refused(ck, cert(sub(a, b), points=pts(*[(k, k) for k in range(19)], (1, 2))),
            "points[19]: the residual is not 0 there (negative, exact)")


def pin_identity_undefined_point(ck):
    """log(a) - log(a) at negative a: undefined there, which is not 0."""
    refused(ck, cert(sub(log(a), log(a)), points=A_NEGATIVE), "the residual is undefined there")


def pin_ball_decides_no_sign(ck):
    confirmed(ck, at_points(add(TINY_NEGATIVE, N(1)), 0))
    refused(ck, at_points(add(TINY_NEGATIVE, a), 0), "the sign is not decided")


def pin_sign_of_ball_containing_zero(ck):
    refused(ck, at_points(["sign", add(TINY_NEGATIVE, a)], 0), "the sign is not decided")


def pin_piecewise_condition_by_ball(ck):
    """Piecewise((1, TINY_NEGATIVE = 0), (-1, True)) is -1: a ball containing 0 decides no condition."""
    expr = piecewise((N(1), rel("Eq", add(TINY_NEGATIVE, a), N(0))), (N(-1), ["true"]))
    refused(ck, at_points(expr, 0, "positive"), "the sign is not decided")


def pin_not_every_point_by_a_ball(ck):
    """exp(2a) - exp(a)^2 is zero, but at a > 20000 every point is only a ball containing 0."""
    residual = sub(exp(mul(N(2), a)), pw(exp(a), 2))
    confirmed(ck, cert(residual, points=pts(*[(k + 1,) for k in range(20)])))
    refused(ck, cert(residual, points=pts(*[(20001 + k,) for k in range(20)])), "every point is only shown by a ball")


# ---------------------------------------------------------------------------
# pins: points and domains
# ---------------------------------------------------------------------------

def pin_identity_twenty_points(ck):
    confirmed(ck, cert(BINOMIAL, points=GRID))
    refused(ck, cert(BINOMIAL, points=GRID[:19]), "only 19 distinct points; 20 are needed")


def pin_identity_duplicates(ck):
    refused(ck, cert(BINOMIAL, points=GRID + [GRID[3]]), "points[20] duplicates points[3]")
    refused(ck, cert(BINOMIAL, points=GRID[:19] + [GRID[3]]), "points[19] duplicates points[3]")


def pin_points_differ_in_used_symbols(ck):
    """Points that differ only in b are one point of a residual in a alone."""
    points = pts(*[(k + 1, 0) for k in range(19)], (1, 5))
    refused(ck, cert(sub(a, a), points=points, domains={"a": REAL, "b": REAL}), "points[19] duplicates points[0]")


def pin_sign_twenty_points(ck):
    expr = add(pw(x, 2), N(1))
    refused(ck, sign_cert(expr, points=pts(*[(k,) for k in range(1, 6)], names="x"), domains={"x": REAL},
                          form=expr), "only 5 distinct points; 20 are needed")


def identity_at(value, d, inside=None):
    """(a + b) - (a + b), zero at 20 points: a = value at the first, a = inside (in d) at the others."""
    inside = value if inside is None else inside
    points = pts((value, 0), *[(inside, k + 1) for k in range(19)])
    return cert(sub(add(a, b), add(a, b)), points=points, domains={"a": d, "b": REAL})


def sign_at(value, d, bvalue=None):
    """a^2 >= 0 at the one point a = value (b = bvalue if given), under the domain d for a."""
    point = {"a": str(value)} | ({} if bvalue is None else {"b": str(bvalue)})
    return sign_cert(pw(a, 2), "nonnegative", [point], {"a": d, "b": REAL}, at_points_only=True)


DOMAIN_CASES = {
    # rule: (a domain, a value inside it, a value outside it, the reason given)
    "open lower end": (dom(0), "1/2", 0, "below the lower end 0 (open)"),
    "lower end": (dom(0, lo_open=False), 0, "-1/2", "below the lower end 0"),
    "open upper end": (dom(None, 1), "1/2", 1, "above the upper end 1 (open)"),
    "upper end": (dom(None, 1, hi_open=False), 1, "3/2", "above the upper end 1"),
    "integer": (dom(integer=True), 3, "5/2", "not an integer"),
    "noninteger": (dom(noninteger=True), "5/2", 3, "an integer, which the domain excludes"),
    "exclude zero": (dom(exclude_zero=True), 3, 0, "zero, which the domain excludes"),
    "parity": (dom(integer=True, parity="odd"), 3, 4, "not odd"),
    "prime": (dom(integer=True, primality="prime"), 7, 9, "not prime"),
    "composite": (dom(integer=True, primality="composite"), 9, 7, "not composite"),
    "composite below 4": (dom(integer=True, primality="composite"), 4, 1, "not composite"),
}


def pin_domain(rule):
    d, inside, outside, why = DOMAIN_CASES[rule]

    def pin(ck):
        confirmed(ck, sign_at(inside, d))
        refused(ck, sign_at(outside, d), f"a = {outside} is outside its domain ({why})")
        confirmed(ck, identity_at(inside, d))
        refused(ck, identity_at(outside, d, inside), f"a = {outside} is outside its domain ({why})")
    pin.__name__ = f"pin_domain_{rule.replace(' ', '_')}"
    return pin


def pin_domain_bounds(ck):
    """a < b, a > b, a >= b bound by another symbol of the point."""
    confirmed(ck, sign_at(1, dom(bounds=[("<", "b")]), 2))
    refused(ck, sign_at(3, dom(bounds=[("<", "b")]), 2), "(not < b = 2)")
    refused(ck, sign_at(2, dom(bounds=[(">", "b")]), 2), "(not > b = 2)")


def pin_domain_bound_needs_its_symbol(ck):
    refused(ck, sign_at(1, dom(bounds=[("<", "b")])), "bounded by b, which the point does not fix")


def pin_identity_points_in_domain(ck):
    refused(ck, identity_at(-1, POSITIVE, 1), "points[0]: a = -1 is outside its domain")


def pin_sign_points_in_domain(ck):
    refused(ck, sign_at(-1, POSITIVE), "points[0]: a = -1 is outside its domain")


def pin_point_names_have_domains(ck):
    point = [{"a": "1", "d": "0"}]
    refused(ck, sign_cert(pw(a, 2), "nonnegative", point, {"a": REAL}, at_points_only=True), "'d' has no domain")


def pin_point_fixes_no_defined_symbol(ck):
    """s is defined as 1; a point may not give it a value (here one that disagrees)."""
    definitions = [{"atom": S("s"), "formula": N(1)}]
    good = sign_cert(mul(S("s"), pw(a, 2)), "nonnegative", [{"a": "2"}], {"a": REAL, "s": REAL},
                     at_points_only=True, definitions=definitions)
    confirmed(ck, good)
    good["points"] = [{"a": "2", "s": "-1"}]
    refused(ck, good, "'s' has a definition and cannot be given a value")


def pin_point_fixes_every_free_symbol(ck):
    """Piecewise((a, a > 0), (b, True)) needs no b at a = 1, but b is free."""
    expr = piecewise((a, rel("Gt", a, N(0))), (b, ["true"]))
    refused(ck, sign_cert(expr, "positive", [{"a": "1"}], {"a": REAL, "b": REAL}, at_points_only=True),
            "leaves the free symbols ['b'] without a value")


def pin_rational_strings(ck):
    """'7/2' is a rational string; '7.5' is not (and is not read as 7)."""
    confirmed(ck, sign_cert(sub(a, N(3)), "positive", [{"a": "7/2"}], {"a": REAL}, at_points_only=True))
    refused(ck, sign_cert(sub(a, N(3)), "positive", [{"a": "7.5"}], {"a": REAL}, at_points_only=True),
            "is not a rational string")


# ---------------------------------------------------------------------------
# pins: proved signs
# ---------------------------------------------------------------------------

def sign_everywhere(expr, sign="positive", points=A_POSITIVE, domains=None, form=None):
    """A proved sign for every point of the domains, with expr as its own form."""
    if domains is not None:
        points = [{k: v for k, v in p.items() if k in domains} for p in points]
    return sign_cert(expr, sign, points, domains, form=expr if form is None else form)


def pin_even_power_nonzero_base(ck):
    """a^2 > 0 fails at a = 0: an even power is positive only for a nonzero base."""
    confirmed(ck, sign_everywhere(pw(a, 2), "nonnegative"))
    confirmed(ck, sign_everywhere(pw(a, 2), domains={"a": dom(exclude_zero=True)}))
    refused(ck, sign_everywhere(pw(a, 2)), "not shown positive by the sign rules")


def pin_closed_lower_end(ck):
    """a in [0, oo): a > 0 fails at a = 0."""
    closed = {"a": dom(0, lo_open=False)}
    confirmed(ck, sign_everywhere(a, "nonnegative", domains=closed))
    refused(ck, sign_everywhere(a, domains=closed), "not shown positive by the sign rules")


def pin_closed_upper_end(ck):
    """a in (-oo, 0]: -a > 0 fails at a = 0."""
    closed = {"a": dom(None, 0, hi_open=False)}
    refused(ck, sign_everywhere(neg(a), points=A_NEGATIVE, domains=closed), "not shown positive by the sign rules")


def pin_sum_of_nonnegatives(ck):
    """a^2 + b^2 > 0 fails at a = b = 0."""
    confirmed(ck, sign_everywhere(add(pw(a, 2), pw(b, 2), N(1))))
    refused(ck, sign_everywhere(add(pw(a, 2), pw(b, 2))), "not shown positive by the sign rules")


def pin_product_sign_parity(ck):
    """-a^2 b^2 >= 0 fails off a = 0 (the points are at a = 0)."""
    points = pts(*[(0, k + 1) for k in range(20)])
    confirmed(ck, sign_everywhere(mul(pw(a, 2), pw(b, 2)), "nonnegative", points))
    refused(ck, sign_everywhere(mul(N(-1), pw(a, 2), pw(b, 2)), "nonnegative", points),
            "not shown nonnegative by the sign rules")


def pin_product_strictness(ck):
    """b a^2 > 0 (b > 0) fails at a = 0."""
    domains = {"a": REAL, "b": POSITIVE}
    refused(ck, sign_everywhere(mul(b, pw(a, 2)), domains=domains), "not shown positive by the sign rules")


def pin_abs_of_possibly_zero(ck):
    confirmed(ck, sign_everywhere(["Abs", a], "nonnegative"))
    refused(ck, sign_everywhere(["Abs", a]), "not shown positive by the sign rules")


def pin_min_needs_every_argument(ck):
    """Min(a^2 + 1, b) > 0 fails for b <= 0 (the points have b > 0)."""
    points = pts(*[(0, k + 1) for k in range(20)])
    confirmed(ck, sign_everywhere(["Max", add(pw(a, 2), N(1)), b], points=points))
    refused(ck, sign_everywhere(["Min", add(pw(a, 2), N(1)), b], points=points),
            "not shown positive by the sign rules")


def pin_form_equals_expr(ck):
    """a > 0 is not a^2 + 1 > 0."""
    refused(ck, sign_everywhere(a, form=add(pw(a, 2), N(1))), "symbolic.form - expr is not zero")


def pin_sign_needs_form(ck):
    refused(ck, sign_cert(a, "positive", A_POSITIVE, form=None), "without a symbolic form")


def pin_sign_form_has_no_piecewise(ck):
    """a >= 0 with the form Piecewise((Max(a, 0), a >= 0)): undefined exactly where a < 0."""
    form = piecewise((["Max", a, N(0)], rel("Ge", a, N(0))))
    points = pts(*[(k,) for k in range(20)])
    refused(ck, sign_everywhere(a, "nonnegative", points, form=form), "symbolic.form contains a Piecewise")


def pin_positive_is_not_zero(ck):
    confirmed(ck, at_points(a, 0, "nonnegative"))
    refused(ck, at_points(a, 0, "positive"), "expr is zero there (exact), not positive")


def pin_points_only_claim_says_so(ck):
    certificate = at_points(a, 1, "positive")
    confirmed(ck, certificate)
    refused(ck, dict(certificate, claim="a > 0"), "the claim does not say it is about the points given")


# ---------------------------------------------------------------------------
# pins: refutations
# ---------------------------------------------------------------------------

def refuted_identity(**witness):
    w = {"point": {"a": "1", "b": "2"}, "gap": "4", "sign": 1}
    w.update(witness)
    return cert(sub(pw(add(a, b), 2), add(pw(a, 2), pw(b, 2))), status="refuted", witness=w)


def refuted_sign(sign, expr, point, gap, s):
    w = {"point": point, "gap": gap, "sign": s}
    return cert(expr, "sign", "refuted", domains={"x": POSITIVE}, sign=sign, witness=w)


def pin_refute_positive(ck):
    """x - 1 > 0 is refuted by a gap <= 0, not by the gap 1 at x = 2."""
    confirmed(ck, refuted_sign("positive", sub(x, N(1)), {"x": "1"}, "0", 0))
    refused(ck, refuted_sign("positive", sub(x, N(1)), {"x": "2"}, "1", 1), "which does not refute the claim")


def pin_refute_nonnegative(ck):
    """x - 1 >= 0 is refuted by a gap < 0, not by the gap 0 at x = 1."""
    confirmed(ck, refuted_sign("nonnegative", sub(x, N(1)), {"x": "1/2"}, "-1/2", -1))
    refused(ck, refuted_sign("nonnegative", sub(x, N(1)), {"x": "1"}, "0", 0), "which does not refute the claim")


def pin_refute_identity(ck):
    confirmed(ck, refuted_identity())
    refused(ck, refuted_identity(point={"a": "0", "b": "2"}, gap="0", sign=0), "which does not refute the claim")


def pin_witness_sign_recorded(ck):
    refused(ck, refuted_identity(sign=-1), "witness.sign is -1 but the recomputed gap has sign 1")


def pin_witness_gap_rational(ck):
    refused(ck, refuted_identity(gap="5"), "witness.gap is 5, but the gap recomputed at the point is 4")


def pin_witness_gap_ball(ck):
    """exp(x) - 3 at x = 1 is e - 3, not e - 4."""
    e = ["E"]
    confirmed(ck, refuted_sign("nonnegative", sub(exp(x), N(3)), {"x": "1"}, sub(e, N(3)), -1))
    refused(ck, refuted_sign("nonnegative", sub(exp(x), N(3)), {"x": "1"}, sub(e, N(4)), -1),
            "witness.gap differs from the gap recomputed")


def pin_witness_in_domain(ck):
    certificate = refuted_identity()
    certificate["domains"]["a"] = dom(2, 5)
    refused(ck, certificate, "witness.point: a = 1 is outside its domain (below the lower end 2 (open))")


def pin_witness_evaluated(ck):
    """log(a) + 1 = 0 is not refuted at a = -1, where it is undefined."""
    w = {"point": {"a": "-1"}, "gap": None, "sign": 1}
    refused(ck, cert(add(log(a), N(1)), status="refuted", witness=w, domains={"a": REAL}),
            "expr is not evaluated at the witness point")


# ---------------------------------------------------------------------------
# pins: status, format, whitelist, limits
# ---------------------------------------------------------------------------

def pin_proved_without_witness(ck):
    refused(ck, binomial(witness={"point": {"a": "1", "b": "2", "c": "0"}, "gap": "0", "sign": 0}),
            "status is proved but the certificate carries a witness")


def pin_refuted_with_witness(ck):
    refused(ck, binomial(status="refuted", symbolic=None), "status is refuted but the certificate carries no witness")


def pin_inconclusive_without_witness(ck):
    confirmed(ck, dict(refuted_identity(), status="inconclusive", witness=None))
    refused(ck, dict(refuted_identity(), status="inconclusive"), "inconclusive but the certificate carries a witness")


def pin_known_status(ck):
    refused(ck, dict(refuted_identity(), status="disproved"), "unknown status 'disproved'")


def pin_known_kind(ck):
    good = sign_everywhere(add(pw(a, 2), N(1)))
    confirmed(ck, good)
    refused(ck, dict(good, kind="inequality"), "unknown kind 'inequality'")


def pin_sign_claim_has_a_sign(ck):
    refused(ck, dict(sign_everywhere(add(pw(a, 2), N(1))), sign="negative"), "a sign claim needs sign")


def pin_identity_has_no_sign(ck):
    refused(ck, refuted_identity(point={"a": "0", "b": "2"}, gap="0", sign=0) | {"sign": "positive"},
            "an identity has no 'sign'")


def pin_format(ck):
    refused(ck, binomial(format="symbolic_mech-certificate/2"), "format is 'symbolic_mech-certificate/2'")


def pin_whitelist(ck):
    """I (values are real) and gamma are not allowed, even in a branch that never applies."""
    for node in (["I"], ["gamma", a]):
        expr = piecewise((N(1), rel("Gt", a, N(0))), (node, ["true"]))
        refused(ck, at_points(expr, 1, "positive"), f"node {node[0]!r} is not allowed")


def nested_zero(depth, inner=None):
    tree = N(0) if inner is None else inner
    for _ in range(depth):
        tree = add(tree)
    return tree


def pin_depth_limit(ck):
    confirmed(ck, constant(nested_zero(150)))
    refused(ck, constant(nested_zero(300)), "nested deeper than 200")


def pin_node_limit(ck):
    refused(ck, constant(["Add"] + [N(0)] * 200_001), "more than 200000 nodes")


def pin_digit_limit(ck):
    digits = "7" * 100_001
    confirmed(ck, constant(add(N(digits[1:]), N("-" + digits[1:]))))
    refused(ck, constant(add(N(digits), N("-" + digits))), "malformed Integer")


def pin_expanded_depth_limit(ck):
    """Seven definitions of depth 150, each through the last: 1050 deep once substituted."""
    atoms = [["Function", f"m{k}"] for k in range(8)]
    definitions = [{"atom": atoms[k], "formula": nested_zero(150, atoms[k - 1] if k > 1 else None)}
                   for k in range(1, 8)]
    confirmed(ck, constant(atoms[6], definitions=definitions[:6]))
    refused(ck, constant(atoms[7], definitions=definitions), "nested deeper than 1000")


def pin_definitions_acyclic(ck):
    """Defence in depth: m := m + 1 is a cycle, said so (a weakened checker trips over it elsewhere)."""
    m = ["Function", "m"]
    refused(ck, constant(sub(m, m), definitions=[{"atom": m, "formula": add(m, N(1))}]), "definitions are cyclic")


def pin_zero_denominator(ck):
    """Defence in depth: '1/0' is not a rational string."""
    refused(ck, at_points(a, "1/0", "positive"), "has a zero denominator")


def pin_definitions_once(ck):
    m = ["Function", "m"]
    confirmed(ck, constant(m, definitions=[{"atom": m, "formula": N(0)}]))
    refused(ck, constant(m, definitions=[{"atom": m, "formula": N(1)}, {"atom": m, "formula": N(0)}]),
            "is defined twice")


def pin_definitions_define_atoms(ck):
    """Only a Symbol or a Function is defined: '3 := 2' would make c a (3 - 2) zero once substituted."""
    definitions = [{"atom": N(3), "formula": N(2)}]
    refused(ck, cert(mul(c, a, sub(N(3), N(2))), points=ON_C_ZERO, definitions=definitions),
            "definitions[0].atom must be a Symbol or a Function")


def pin_domain_keys(ck):
    good = at_points(a, 1, "positive")
    confirmed(ck, good)
    refused(ck, dict(good, domains={"a": REAL | {"positive": True}}), "domains['a'] must have exactly the keys")


# ---------------------------------------------------------------------------
# pins: Monte Carlo
# ---------------------------------------------------------------------------

MC_POINTS = [(2, 1), (3, 1), (4, 1)]


def mc(a_value, b_value=1, *, estimate=None, se=0.01, mean_abs=None, ess=20_000.0, samples=20_000, seed=1,
       agrees=None, informative=None):
    """An entry whose exact value is a^2, with the flags by the documented rules unless given."""
    exact = Fraction(a_value) ** 2
    estimate = float(exact) if estimate is None else estimate
    mean_abs = abs(float(exact)) if mean_abs is None else mean_abs
    if agrees is None:
        agrees = bool(abs(estimate - float(exact)) <= 5 * se)
    if informative is None:
        informative = bool(0 < se <= 0.01 * max(abs(float(exact)), mean_abs) and ess >= 10_000)
    return {"point": {"a": str(a_value), "b": str(b_value)}, "estimate": estimate, "se": se, "exact": pw(a, 2),
            "mean_abs": mean_abs, "ess": ess, "samples": samples, "seed": seed, "agrees": agrees,
            "informative": informative}


def mc_proved(*entries, **extra):
    return binomial(monte_carlo=list(entries), **extra)


def mc_refuted(*entries):
    return dict(refuted_identity(), monte_carlo=list(entries))


def mc_good():
    return [mc(p, q) for p, q in MC_POINTS]


def pin_mc_agreement_required(ck):
    """A proof needs |estimate - exact| <= 5 se at every entry."""
    confirmed(ck, mc_proved(*mc_good()))
    off = mc(2, estimate=4.0 + 10 * 0.01)         # 10 se away, recorded as not agreeing
    refused(ck, mc_proved(off, *mc_good()[1:]), "a proof needs an informative, agreeing Monte Carlo entry")


def pin_mc_five_sigmas(ck):
    """6 se away does not agree (recorded as agreeing here)."""
    off = mc(2, estimate=4.0 + 6 * 0.01, agrees=True)
    refused(ck, mc_proved(off, *mc_good()[1:]), "agrees is recorded True but the rule gives False")


def pin_mc_informative_required(ck):
    """A proof needs informative entries: se <= 1% of max(|exact|, mean |draw|)."""
    vague = mc(2, se=0.5)                          # recorded as not informative
    refused(ck, mc_proved(vague, *mc_good()[1:]), "a proof needs an informative, agreeing Monte Carlo entry")


def pin_mc_relative_se(ck):
    """se 0.05 at exact 4 is more than 1%; se 0 is not informative either."""
    confirmed(ck, mc_proved(mc(2, se=0.04), *mc_good()[1:]))
    refused(ck, mc_proved(mc(2, se=0.05, informative=True), *mc_good()[1:]),
            "informative is recorded True but the rule gives False")
    refused(ck, mc_proved(mc(2, se=0.0, informative=True), *mc_good()[1:]),
            "informative is recorded True but the rule gives False")


def pin_mc_three_points(ck):
    refused(ck, mc_proved(*mc_good()[:2]), "Monte Carlo at 2 distinct points; 3 are needed")


def pin_mc_distinct_points(ck):
    good = mc_good()
    refused(ck, mc_proved(good[0], mc(2, seed=5), good[1]), "Monte Carlo at 2 distinct points; 3 are needed")


def pin_mc_effective_samples(ck):
    """ess >= 10000 for a proof (the entry recorded informative)."""
    few = mc(2, ess=5_000.0, samples=5_000, informative=True)
    refused(ck, mc_proved(few, *mc_good()[1:]), "effective sample size 5000; at least 10000 is needed")


def pin_mc_effective_samples_every_entry(ck):
    """ess >= 10000 at every entry, also of a refutation (where informative is not needed)."""
    confirmed(ck, mc_refuted(mc(2)))
    refused(ck, mc_refuted(mc(2, ess=5_000.0, samples=5_000)), "effective sample size 5000")


def pin_mc_ess_at_most_samples(ck):
    refused(ck, mc_refuted(mc(2, ess=30_000.0)), "0 < ess <= samples")


def pin_mc_finite(ck):
    refused(ck, mc_refuted(mc(2, estimate=float("inf"))), "must be finite")


def pin_mc_flags_recomputed(ck):
    refused(ck, mc_refuted(mc(2, se=0.5, informative=True)), "informative is recorded True but the rule gives False")


def pin_mc_required(ck):
    confirmed(ck, mc_proved(*mc_good(), monte_carlo_required=True))
    refused(ck, binomial(monte_carlo_required=True), "only 0 Monte Carlo entries are given")


def pin_mc_point_in_domain(ck):
    domains = {"a": REAL, "b": dom(0, 8), "c": REAL}
    confirmed(ck, mc_proved(mc(2), mc(3), mc(4, 7), domains=domains))
    refused(ck, mc_proved(mc(2), mc(3), mc(4, 10), domains=domains), "monte_carlo[2].point: b = 10 is outside")


def normal_sampler(point, rng):
    return rng.normal(float(point["a"]) ** 2, 1.0, 20_000)


def weighted_sampler(point, rng):
    """a^2 by importance sampling: draws from N(a^2, 2^2) weighted toward N(a^2, 1)."""
    draws = rng.normal(0.0, 2.0, 60_000) + float(point["a"]) ** 2
    return draws, np.exp(-(draws - float(point["a"]) ** 2) ** 2 * (1 / 2 - 1 / 8))


def sampled(a_value, seed, sampler=normal_sampler, weighted=True):
    """An entry with the statistics of the sampler's draws (weighted or not), written out here."""
    out = sampler({"a": Fraction(a_value), "b": Fraction(1)}, np.random.default_rng(seed))
    draws, w = out if isinstance(out, tuple) else (out, None)
    w = np.ones(draws.size) if w is None or not weighted else w
    est = float(np.sum(w * draws) / np.sum(w))
    se = float(np.sqrt(np.sum(w ** 2 * (draws - est) ** 2)) / np.sum(w))
    entry = mc(a_value, estimate=est, se=se, mean_abs=float(np.sum(w * np.abs(draws)) / np.sum(w)),
               ess=float(np.sum(w) ** 2 / np.sum(w ** 2)), samples=draws.size, seed=seed)
    assert entry["informative"] and entry["agrees"]
    return entry


def pin_mc_replay(ck):
    """Replayed from the seed, estimate, se, mean_abs and ess agree to 1e-9 relative."""
    good = [sampled(p, 100 + k) for k, (p, _) in enumerate(MC_POINTS)]
    confirmed(ck, mc_proved(*good), samplers={"r": normal_sampler})
    for key in ("estimate", "se", "mean_abs", "ess"):
        bad = [dict(e) for e in good]
        bad[1][key] *= 1 - 1e-7
        refused(ck, mc_proved(*bad), f"monte_carlo[1]: replayed {key}", samplers={"r": normal_sampler})


def pin_mc_weights_replayed(ck):
    weighted = [sampled(p, 200 + k, weighted_sampler) for k, (p, _) in enumerate(MC_POINTS)]
    confirmed(ck, mc_proved(*weighted), samplers={"r": weighted_sampler})
    unweighted = [sampled(p, 200 + k, weighted_sampler, weighted=False) for k, (p, _) in enumerate(MC_POINTS)]
    refused(ck, mc_proved(*unweighted), "monte_carlo[0]: replayed", samplers={"r": weighted_sampler})


def pin_mc_negative_weights(ck):
    def signed(point, rng):
        draws = rng.normal(4.0, 1.0, 20_000)
        weights = np.ones(draws.size)
        weights[:10] = -0.5
        return draws, weights
    w = signed(None, np.random.default_rng(3))[1]
    draws = signed(None, np.random.default_rng(3))[0]
    est = float(np.sum(w * draws) / np.sum(w))
    entry = mc(2, estimate=est, se=float(np.sqrt(np.sum(w ** 2 * (draws - est) ** 2)) / np.sum(w)),
               mean_abs=float(np.sum(w * np.abs(draws)) / np.sum(w)), ess=float(np.sum(w) ** 2 / np.sum(w ** 2)),
               seed=3)
    refused(ck, mc_refuted(entry), "weights negative", samplers={"r": signed})


def pin_mc_draws_not_all_equal(ck):
    entry = mc(2, estimate=4.0, se=0.0, mean_abs=4.0)
    refused(ck, mc_refuted(entry), "the draws all equal", samplers={"r": lambda p, rng: np.full(20_000, 4.0)})


# A point mass: the wallet given every signal (omega = s1), the integrand omega^2 (or omega_hat^2), and
# the claimed right-hand side a^2, so an entry at s1 = a is true and one at s1 != a is not.
WALLET = {"structure": "wallet", "n": 1, "signal_mean": [N(0)], "signal_var": [N(1)]}
GAUSSIAN = {"structure": "gaussian", "n": 1, "prior_mean": N(0), "prior_var": N(1), "noise_var": [N(1)]}


def point_mass_cert(s1_values, model=WALLET, estimator=None, integrand=None, se=0.0):
    record = {"state": "posterior", "given": [1], "redrawn": [], "uniform": [], "estimator": estimator,
              "integrand": integrand or pw(S("omega"), 2)}
    entries = []
    for k, (p, s1) in enumerate(zip((2, 3, 4), s1_values)):
        e = mc(p, se=se, informative=True, agrees=True, estimate=float(s1) ** 2, mean_abs=float(s1) ** 2, seed=k)
        e["point"]["s1"], e["point_mass"] = str(s1), True
        entries.append(e)
    return mc_proved(*entries, domains={"a": REAL, "b": REAL, "c": REAL, "s1": REAL},
                     simulation={"model": model, "definitions": [], "expectation": record})


def pin_point_mass_value(ck):
    """A point mass agrees only where its value, computed exactly, is the right-hand side."""
    confirmed(ck, point_mass_cert((2, 3, 4)))
    refused(ck, point_mass_cert((2, 3, 5)), "monte_carlo[2]: agrees is recorded True but the rule gives False")


def pin_point_mass_variance(ck):
    """A Gaussian posterior has positive variance: no point mass, whatever the draws."""
    refused(ck, point_mass_cert((2, 3, 4), model=GAUSSIAN), "the state's variance given the signals is 1/2")


def pin_point_mass_law(ck):
    """An estimate with noise is no point mass (E[omega_hat^2] = s1^2 + 1 here, not s1^2)."""
    noisy = {"law": "additive-noise", "variance": N(1), "m": N(1)}
    refused(ck, point_mass_cert((2, 3, 4), estimator=noisy, integrand=pw(S("omega_hat"), 2)),
            "the law is no point mass")


def pin_point_mass_se(ck):
    """A point mass's draws are all equal: a recorded se > 0 is not one."""
    refused(ck, point_mass_cert((2, 3, 4), se=0.01), "informative is recorded True but the rule gives False")


def pin_point_mass_replay(ck):
    """Replayed, a point mass's draws must all be equal (here the sampler's are not)."""
    refused(ck, point_mass_cert((2, 3, 4)), "unequal for a point mass",
            samplers={"r": lambda p, rng: rng.normal(4.0, 1.0, 20_000)}, rerun=False)


# ---------------------------------------------------------------------------
# the table: (rule, old text, weakened text, pin)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutant:
    rule: str
    old: str
    new: str
    pin: Callable


CONSTANTS = "MIN_POINTS, MC_POINTS, MC_MIN_SAMPLES, MC_SIGMAS, MC_RELATIVE_SE = 20, 3, 10_000, 5.0, 0.01"
LIMITS = "MAX_DEPTH, MAX_NODES, MAX_DIGITS = 200, 200_000, 100_000"
IDENTITY_POINT = ('            if not self.in_domains(p, f"points[{i}]"):\n                continue\n            try:\n'
                  '                v, s, how = _decide(c, c.expr, p)\n            except _Undefined as exc:')
SIGN_POINT = ('            if not self.in_domains(p, f"points[{i}]"):\n                continue\n            try:\n'
              '                v, s, how = _decide(c, c.expr, p)\n            except (_Undefined, _Opaque) as exc:')


def _outside_mutant(rule, old, new):
    return Mutant(f"domain: {rule}", old, new, pin_domain(rule))


MUTANTS = [
    # emptiness of regions
    Mutant("emptiness: a zero non-strict constant row (0 >= 0) is feasible (negative cycles)",
           "            if const < 0 or (strict and const == 0):\n                return True",
           "            if const <= 0:\n                return True", pin_region_zero_row),
    Mutant("emptiness: a zero-weight cycle of non-strict rows is feasible",
           "edges = [(u, w, int(k * scale), -int(strict)) for u, w, k, strict in edges]",
           "edges = [(u, w, int(k * scale), -1) for u, w, k, strict in edges]", pin_region_zero_cycle),
    Mutant("emptiness: a zero non-strict row (0 >= 0) is feasible (Fourier-Motzkin)",
           "            return const < 0 or (strict and const == 0)",
           "            return const <= 0", pin_region_fourier_motzkin_zero_row),
    Mutant("emptiness: two non-strict rows combine into a non-strict row (Fourier-Motzkin)",
           "-rq * pc + pq * rc, ps or rs, keep)", "-rq * pc + pq * rc, True, keep)",
           pin_region_fourier_motzkin_zero_row),
    Mutant("emptiness: Fourier-Motzkin beyond FM_ROWS gives up as feasible",
           "        if len(keep) + len(pos) * len(neg) > FM_ROWS:\n            return False",
           "        if len(keep) + len(pos) * len(neg) > FM_ROWS:\n            return True",
           pin_region_fourier_motzkin_gives_up_feasible),
    Mutant("emptiness: a claimed-empty region must be shown empty",
           "            if items is not None and _feasible(c, items, memo):", "            if False:",
           pin_region_must_be_shown_empty),
    Mutant("emptiness: a closed domain end is closed",
           'out.append(({v: d["lo"].denominator}, -d["lo"].numerator, d["lo_open"]))',
           'out.append(({v: d["lo"].denominator}, -d["lo"].numerator, True))', pin_region_domain_end_closed),
    Mutant("emptiness: only positive common factors are divided out",
           "low = {i: min(e[i] for e, _ in terms) for i in used if _positive_generator(c, keys[i])}",
           "low = {i: min(e[i] for e, _ in terms) for i in used}", pin_region_common_factor_not_positive),
    Mutant("emptiness: a denominator's sign counts only in positive generators",
           "flip = _one_sign(rf.den) if all(_positive_generator(c, keys[i]) for i in den_gens) else 0",
           "flip = _one_sign(rf.den)", pin_region_denominator_sign),
    # Piecewise branches
    Mutant("branches: a negated condition is its complement",
           "    signs = _SIGNS[op] if holds else {-1, 0, 1} - _SIGNS[op]", "    signs = _SIGNS[op]",
           pin_piecewise_second_branch),
    Mutant("branches: a later branch assumes the earlier conditions fail (not hold)",
           "        earlier += not_here", "        earlier += here if here is not None else []",
           pin_piecewise_second_branch),
    Mutant("branches: >= includes equality", '"Ge": {0, 1}, "Eq"', '"Ge": {1}, "Eq"', pin_piecewise_equality_branch),
    Mutant("branches: a confirmed region skips a branch only if the branch contains all of it",
           "not any(core <= chosen for core in c.cores)", "not any(core & chosen for core in c.cores)",
           pin_piecewise_region_contained),
    # zero tests
    Mutant("zero test: a nonzero rational function is not zero",
           '        if num.is_zero():\n            return "zero as a rational function"',
           '        if True:\n            return "zero as a rational function"', pin_nonzero_rational_function),
    Mutant("zero test: sin(u)^2 = 1 - cos(u)^2",
           "num = self._replace_powers(num, self.gens[key], 2, 1 - cos * cos)",
           "num = self._replace_powers(num, self.gens[key], 2, cos * cos)", pin_trig_relation),
    Mutant("zero test: r^q = u keeps u's denominator",
           "num = self._replace_powers(num, self.gens[key], key[2], base_num / base_den)",
           "num = self._replace_powers(num, self.gens[key], key[2], base_num)", pin_root_relation),
    Mutant("zero test: the log rule needs arguments positive on the domains",
           "if abs(r * scale) > MAX_EXPONENT or not _positive(c, arg):", "if abs(r * scale) > MAX_EXPONENT:",
           pin_logarithms_need_positive_arguments),
    Mutant("zero test: the log rule needs prod a_k^(r_k d) = 1",
           'return zero_as_rational_function(t, t.make("Add", None, [t.make("Mul", None, factors), t.num(-1)]))',
           "return True", pin_logarithms_combine_to_one),
    Mutant("zero test: the log rule needs rational multiples of one coefficient",
           "        if p != first * r:\n            return False", "        if False:\n            return False",
           pin_logarithm_coefficients_proportional),
    Mutant("zero test: the log rule fails on a term free of logarithms",
           "        if len(used) != 1 or exps[used[0]] != 1:\n            return False",
           "        if len(used) != 1 or exps[used[0]] != 1:\n            continue", pin_logarithm_free_terms),
    Mutant("zero test: tan(u) = sin(u)/cos(u)",
           'return self._mul(self._gen_power(("sin", kids[0]), 1), self._gen_power(("cos", kids[0]), -1))',
           'return self._mul(self._gen_power(("sin", kids[0]), 1), self._gen_power(("cos", kids[0]), 1))',
           pin_tan_relation),
    Mutant("zero test: exp(c m) is exp(m/d)^(c d)", "                k = c * self.den_lcm[m]",
           "                k = c", pin_exp_generator_powers),
    Mutant("branches: a zero test out of its branch budget proves nothing",
           "        if budget[0] < 0:\n            return False", "        if budget[0] < 0:\n            return True",
           pin_branch_budget),
    Mutant("identity: the residual is decided zero symbolically",
           '                self.problem("the residual is not zero as a rational function (atoms opaque or substituted)")',
           "                pass", pin_nonzero_rational_function),
    Mutant("zero test: zero with the atoms opaque is decided, not assumed",
           "        if how := _zero(c, root):\n            return f\"{how} (atoms opaque)\"",
           "        if how := _zero(c, root) or \"zero\":\n            return f\"{how} (atoms opaque)\"",
           pin_nonzero_rational_function),
    Mutant("zero test: zero with the definitions substituted is decided, not assumed",
           "    if how := _zero(c, forms[-1][1]):", "    if how := _zero(c, forms[-1][1]) or \"zero\":",
           pin_nonzero_rational_function),
    Mutant("identity: a proved identity needs a symbolic decision",
           '            self.problem("proved identity without a symbolic decision (symbolic is null)")',
           "            pass", pin_identity_needs_symbolic_decision),
    # constant residuals
    Mutant("constant: a residual undefined over the reals is not zero",
           '                self.problem(f"the constant residual is undefined over the reals ({exc})")\n'
           '                return',
           "                v, s, how = None, None, str(exc)", pin_constant_undefined_is_not_zero),
    Mutant("constant: a ball containing 0 is not zero",
           'zero = "exactly 0" if s == 0 else _zero_test(c, c.expr) if s is None else None',
           'zero = "exactly 0" if s in (0, None) else None', pin_constant_ball_is_not_zero),
    Mutant("constant: no free symbols",
           "            if c.free:\n                self.problem(f\"decisions.constant is set",
           "            if False:\n                self.problem(f\"decisions.constant is set",
           pin_constant_has_no_free_symbols),
    # undefined values
    Mutant("undefined: division by an exact zero",
           '                        raise _Undefined("division by zero (0 to a negative power)")',
           "                        return Fraction(0)", pin_undefined_values),
    Mutant("undefined: log of a nonpositive rational",
           '                raise _Undefined(f"log of {_show(v)}")', "                return Fraction(0)",
           pin_undefined_values),
    Mutant("undefined: a negative base to a non-integer power",
           '            if b < 0:\n                raise _Undefined("not real: a negative base to a non-integer power")\n'
           "            if b == 0:",
           '            if False:\n                raise _Undefined("not real: a negative base to a non-integer power")\n'
           "            if b == 0:", pin_undefined_values),
    Mutant("undefined: a Piecewise with no applicable branch",
           '            raise _Undefined("no branch of a Piecewise applies")', "            return Fraction(0)",
           pin_undefined_values),
    Mutant("values: a Piecewise condition is decided exactly (< is strict)",
           '{"Lt": s < 0, "Le": s <= 0,', '{"Lt": s <= 0, "Le": s <= 0,', pin_values_exact_conditions),
    Mutant("values: an exact product multiplies", 'acc = acc + v if op == "Add" else acc * v', "acc = acc + v",
           pin_values_exact_products),
    Mutant("values: an exact sum or product past MAX_BITS goes on as a ball",
           "                if acc.height_bits() > MAX_BITS:\n                    acc = flint.arb(acc)",
           "                if False:\n                    acc = flint.arb(acc)", pin_values_bounded_mid_sum),
    Mutant("values: Max and Min", 'return max(vals) if op == "Max" else min(vals)', "return max(vals)",
           pin_values_max_min),
    Mutant("undefined: log of a negative ball (not log|v|)", "            if v > 0:\n                return v.log()",
           "            if v > 0 or v < 0:\n                return abs(v).log()", pin_undefined_balls),
    Mutant("undefined: a negative ball to a non-integer power (not |b|^e)",
           "        if b > 0:\n            return b ** _ball(e)",
           "        if b > 0 or b < 0:\n            return abs(b) ** _ball(e)", pin_undefined_balls),
    Mutant("identity: a point where the residual is not 0 is a problem (defence in depth)",
           '            elif s is not None:\n                self.problem(f"points[{i}]: the residual is not 0 there',
           '            elif False:\n                self.problem(f"points[{i}]: the residual is not 0 there',
           pin_identity_nonzero_point),
    Mutant("undefined: 0 to a nonpositive non-integer power",
           '                raise _Undefined("0 to a nonpositive non-integer power")', "                return Fraction(0)",
           pin_undefined_values),
    Mutant("sign: a point where expr is undefined is a problem",
           '                self.problem(f"points[{i}]: expr is not evaluated there ({exc})")', "                pass",
           pin_undefined_values),
    Mutant("identity: a point where the residual is undefined is not a zero",
           '                self.problem(f"points[{i}]: the residual is undefined there ({exc})")',
           "                exact += 1", pin_identity_undefined_point),
    # balls
    Mutant("balls: a ball containing 0 decides no sign",
           '            how = f"ball contains 0 at {bits} bits"', '            return v, 0, "a ball containing 0"',
           pin_ball_decides_no_sign),
    Mutant("balls: sign() of a ball containing 0 is undecided",
           '            raise _Undecided("the sign of a ball containing 0")', "            return Fraction(0)",
           pin_sign_of_ball_containing_zero),
    Mutant("balls: a Piecewise condition is decided by a ball excluding equality",
           '            if not (d > 0 or d < 0):\n                raise _Undecided(f"a Piecewise condition {op} is not '
           'decided")\n            s = 1 if d > 0 else -1',
           "            s = 1 if d > 0 else -1 if d < 0 else 0", pin_piecewise_condition_by_ball),
    Mutant("balls: not every point only a ball containing 0",
           "if c.points and exact == 0 and self.ball_points == len(c.points):", "if False:",
           pin_not_every_point_by_a_ball),
    # points
    Mutant("points: a proved identity needs 20 distinct points", CONSTANTS, CONSTANTS.replace("= 20,", "= 19,"),
           pin_identity_twenty_points),
    Mutant("points: duplicates are not distinct",
           "key = frozenset((k, q) for k, q in p.items() if k in c.free)", "key = i", pin_identity_duplicates),
    Mutant("points: a duplicate point is a problem", "self.notes.append(text) if duplicates_ok else self.problem(text)",
           "self.notes.append(text)", pin_identity_duplicates),
    Mutant("points: values of unused symbols make no point distinct",
           "key = frozenset((k, q) for k, q in p.items() if k in c.free)", "key = frozenset(p.items())",
           pin_points_differ_in_used_symbols),
    Mutant("points: a proved sign needs 20 distinct points",
           "self.distinct(1 if c.at_points_only else MIN_POINTS, duplicates_ok=c.at_points_only)",
           "self.distinct(1, duplicates_ok=c.at_points_only)", pin_sign_twenty_points),
    Mutant("points: identity points lie in the domains", IDENTITY_POINT,
           IDENTITY_POINT.replace('not self.in_domains(p, f"points[{i}]")', "False"), pin_identity_points_in_domain),
    Mutant("points: sign points lie in the domains", SIGN_POINT,
           SIGN_POINT.replace('not self.in_domains(p, f"points[{i}]")', "False"), pin_sign_points_in_domain),
    Mutant("points: every name a point fixes has a domain",
           '                self.problem(f"{where}: {name!r} has no domain")', "                pass",
           pin_point_names_have_domains),
    Mutant("points: a point fixes no defined symbol",
           '            elif any(c.t.op(a) == "Sym" and c.t.payload(a) == name for a in c.defs):',
           "            elif False:", pin_point_fixes_no_defined_symbol),
    Mutant("points: every free symbol is fixed", "missing = sorted(c.free - set(p)) if need_free else []",
           "missing = []", pin_point_fixes_every_free_symbol),
    Mutant("points: values are rational strings (whole match)", "m = _RAT.fullmatch(text)", "m = _RAT.match(text)",
           pin_rational_strings),
    # domains
    _outside_mutant("open lower end", '(q < d["lo"] or (q == d["lo"] and d["lo_open"]))', 'q < d["lo"]'),
    _outside_mutant("lower end", '    if d["lo"] is not None and (q < d["lo"]', '    if False and (q < d["lo"]'),
    _outside_mutant("open upper end", '(q > d["hi"] or (q == d["hi"] and d["hi_open"]))', 'q > d["hi"]'),
    _outside_mutant("upper end", '    if d["hi"] is not None and (q > d["hi"]', '    if False and (q > d["hi"]'),
    _outside_mutant("integer", 'if (d["integer"] or d["parity"] or d["primality"]) and not whole:',
                    'if (d["parity"] or d["primality"]) and not whole:'),
    _outside_mutant("noninteger", 'if d["noninteger"] and whole:', "if False:"),
    _outside_mutant("exclude zero", 'if d["exclude_zero"] and q == 0:', "if False:"),
    _outside_mutant("parity", 'if d["parity"] and (n % 2 == 0) != (d["parity"] == "even"):', "if False:"),
    _outside_mutant("prime", 'if d["primality"] == "prime" and not prime or ', "if "),
    _outside_mutant("composite", ' or d["primality"] == "composite" and (prime or n < 4):', ":"),
    _outside_mutant("composite below 4", 'd["primality"] == "composite" and (prime or n < 4)',
                    'd["primality"] == "composite" and prime'),
    Mutant("domain: bounds by another symbol", "if not _BOUND_OPS[op](q, point[name]):", "if False:",
           pin_domain_bounds),
    Mutant("domain: a strict bound excludes equality", '_BOUND_OPS = {">": operator.gt,', '_BOUND_OPS = {">": operator.ge,',
           pin_domain_bounds),
    Mutant("domain: a bound needs its symbol at the point",
           '            return f"bounded by {name}, which the point does not fix"', "            continue",
           pin_domain_bound_needs_its_symbol),
    # sign rules
    Mutant("sign rules: an even power is positive only for a nonzero base",
           '                if k == 0 or k % 2 == 0 and "nonzero" in b:', "                if k == 0 or k % 2 == 0:",
           pin_even_power_nonzero_base),
    Mutant("sign rules: a closed lower end 0 gives nonnegative, not positive",
           'if d["primality"] or lo is not None and (lo > 0 or lo == 0 and (d["lo_open"] or z)):',
           'if d["primality"] or lo is not None and lo >= 0:', pin_closed_lower_end),
    Mutant("sign rules: a closed upper end 0 gives nonpositive, not negative",
           'if hi is not None and (hi < 0 or hi == 0 and (d["hi_open"] or z)):', "if hi is not None and hi <= 0:",
           pin_closed_upper_end),
    Mutant("sign rules: a sum of nonnegatives is positive only with a positive term",
           'f.add("pos" if any("pos" in k for k in kf) else "nonneg")', 'f.add("pos")', pin_sum_of_nonnegatives),
    Mutant("sign rules: a product's sign by the parity of its negative factors",
           "negative = sum(cl[0] for cl in classes) % 2 == 1", "negative = False", pin_product_sign_parity),
    Mutant("sign rules: a product is strict only if every factor is",
           "strict = all(cl[1] for cl in classes)", "strict = True", pin_product_strictness),
    Mutant("sign rules: Abs is positive only for a nonzero argument",
           'f = {"pos"} if "nonzero" in kf[0] else {"nonneg"}', 'f = {"pos"}', pin_abs_of_possibly_zero),
    Mutant("sign rules: Min is positive only if every argument is",
           'some, every = (any, all) if op == "Max" else (all, any)', "some, every = (any, all)",
           pin_min_needs_every_argument),
    Mutant("sign: form - expr is zero", '            self.problem("symbolic.form - expr is not zero as a rational function")',
           "            pass", pin_form_equals_expr),
    Mutant("sign: a proved sign needs a form",
           '            self.problem("proved sign without a symbolic form (symbolic.form is null)")', "            pass",
           pin_sign_needs_form),
    Mutant("sign: the form has no Piecewise",
           'if any(t.op(n) == "Piecewise" for n in _postorder([c.form], c.children)):', "if False:",
           pin_sign_form_has_no_piecewise),
    Mutant("sign: positive excludes a zero value", 'elif not (s == 1 or s == 0 and c.sign == "nonnegative"):',
           "elif not (s == 1 or s == 0):", pin_positive_is_not_zero),
    Mutant("sign: a claim at the points given says so", 'if not c.claim.endswith(" given"):', "if False:",
           pin_points_only_claim_says_so),
    # refutations
    Mutant("refutation: 'positive' is refuted only by a gap <= 0", '"positive": (0, -1)', '"positive": (0, -1, 1)',
           pin_refute_positive),
    Mutant("refutation: 'nonnegative' is refuted only by a gap < 0", '"nonnegative": (-1,)',
           '"nonnegative": (-1, 0)', pin_refute_nonnegative),
    Mutant("refutation: an identity is refuted only by a nonzero gap", '"identity": (1, -1),',
           '"identity": (1, -1, 0),', pin_refute_identity),
    Mutant("refutation: the recorded sign is the recomputed one", '        if w["sign"] != s:', "        if False:",
           pin_witness_sign_recorded),
    Mutant("refutation: a rational gap equals the recomputed one", "if not isinstance(g, Fraction) or g != v:",
           "if not isinstance(g, Fraction):", pin_witness_gap_rational),
    Mutant("refutation: a ball gap overlaps the recomputed one", "        elif ds not in (None, 0):",
           "        elif False:", pin_witness_gap_ball),
    Mutant("refutation: the witness lies in the domains",
           'if not self.point_names(w["point"], "witness.point") or not self.in_domains(w["point"], "witness.point"):',
           'if not self.point_names(w["point"], "witness.point"):', pin_witness_in_domain),
    Mutant("refutation: expr is evaluated at the witness",
           '            self.problem(f"witness: expr is not evaluated at the witness point ({exc})")',
           "            pass", pin_witness_evaluated),
    # status, format, whitelist, limits
    Mutant("status: proved carries no witness", '        if c.status == "proved" and c.witness is not None:',
           "        if False:", pin_proved_without_witness),
    Mutant("status: refuted carries a witness", '        if c.status == "refuted" and c.witness is None:',
           "        if False:", pin_refuted_with_witness),
    Mutant("status: inconclusive carries no witness",
           '        if c.status == "inconclusive" and c.witness is not None:', "        if False:",
           pin_inconclusive_without_witness),
    Mutant("status: a known status", 'if self.status not in ("proved", "refuted", "inconclusive"):', "if False:",
           pin_known_status),
    Mutant("status: a known kind", 'if self.kind not in ("identity", "sign"):', "if False:", pin_known_kind),
    Mutant("status: a sign claim is positive or nonnegative",
           'if self.kind == "sign" and self.sign not in ("positive", "nonnegative"):', "if False:",
           pin_sign_claim_has_a_sign),
    Mutant("status: an identity has no sign", 'if self.kind == "identity" and self.sign is not None:', "if False:",
           pin_identity_has_no_sign),
    Mutant("format: the format string", '        if raw["format"] != FORMAT:', "        if False:", pin_format),
    Mutant("whitelist: no I", '"pi": 0, "E": 0}', '"pi": 0, "E": 0, "I": 0}', pin_whitelist),
    Mutant("whitelist: only known nodes", "if op not in (COND_OPS if cond else EXPR_OPS):", "if False:",
           pin_whitelist),
    Mutant("limits: depth <= 200", LIMITS, LIMITS.replace("= 200,", "= 10_000,"), pin_depth_limit),
    Mutant("limits: <= 200000 nodes", LIMITS, LIMITS.replace("200_000,", "10_000_000,"), pin_node_limit),
    Mutant("limits: integers of <= 100000 digits", LIMITS, LIMITS.replace("100_000", "10_000_000"), pin_digit_limit),
    Mutant("limits: depth <= 1000 with the definitions substituted", "MAX_EXPANDED_DEPTH = 1000",
           "MAX_EXPANDED_DEPTH = 10 ** 6", pin_expanded_depth_limit),
    Mutant("definitions: no cycles (defence in depth)",
           '                raise _Bad(f"definitions are cyclic (through {t.payload(min(deps))!r})")',
           "                return", pin_definitions_acyclic),
    Mutant("points: no zero denominator (defence in depth)", "    if den == 0:\n        raise _Bad",
           "    if False:\n        raise _Bad", pin_zero_denominator),
    Mutant("definitions: no atom defined twice", "            if atom in self.defs:\n                raise _Bad",
           "            if False:\n                raise _Bad", pin_definitions_once),
    Mutant("definitions: only a Symbol or a Function is defined", 'if t.op(atom) not in ("Sym", "Fn"):',
           "if False:", pin_definitions_define_atoms),
    Mutant("domains: exactly the documented keys", "if not isinstance(d, dict) or set(d) != set(_DOMAIN_KEYS):",
           "if not isinstance(d, dict) or not set(_DOMAIN_KEYS) <= set(d):", pin_domain_keys),
    # Monte Carlo
    Mutant("Monte Carlo: a proof needs agreeing entries", "if proved and not (informative and agrees):",
           "if proved and not informative:", pin_mc_agreement_required),
    Mutant("Monte Carlo: a proof needs informative entries", "if proved and not (informative and agrees):",
           "if proved and not agrees:", pin_mc_informative_required),
    Mutant("Monte Carlo: agreement within 5 se", CONSTANTS, CONSTANTS.replace("5.0,", "50.0,"), pin_mc_five_sigmas),
    Mutant("Monte Carlo: informative within 1% (the constant)", CONSTANTS, CONSTANTS.replace("0.01", "0.1"),
           pin_mc_relative_se),
    Mutant("Monte Carlo: informative within 1% (the rule)",
           "informative = 0 < se <= MC_RELATIVE_SE * max(abs(exact), mean_abs) and ess >= MC_MIN_SAMPLES",
           "informative = 0 < se and ess >= MC_MIN_SAMPLES", pin_mc_relative_se),
    Mutant("Monte Carlo: informative needs se > 0",
           "informative = 0 < se <= MC_RELATIVE_SE", "informative = 0 <= se <= MC_RELATIVE_SE", pin_mc_relative_se),
    Mutant("Monte Carlo: the recorded flags are the recomputed ones", "                if e[name] != got:",
           "                if False:", pin_mc_flags_recomputed),
    Mutant("Monte Carlo: 3 points for a proof", CONSTANTS, CONSTANTS.replace(", 3,", ", 2,"), pin_mc_three_points),
    Mutant("Monte Carlo: duplicate points are one point", 'points.add(frozenset(e["point"].items()))',
           "points.add(j)", pin_mc_distinct_points),
    Mutant("Monte Carlo: 10000 effective samples (the constant)", CONSTANTS, CONSTANTS.replace("10_000", "1_000"),
           pin_mc_effective_samples),
    Mutant("Monte Carlo: 10000 effective samples at every entry", "            if ess < MC_MIN_SAMPLES:",
           "            if False:", pin_mc_effective_samples_every_entry),
    Mutant("Monte Carlo: ess <= samples", 'or not 0 < ess <= e["samples"] * (1 + 1e-9):', "or not 0 < ess:",
           pin_mc_ess_at_most_samples),
    Mutant("Monte Carlo: finite statistics",
           "if not all(math.isfinite(x) for x in (est, se, mean_abs, ess)) or min(se, mean_abs) < 0",
           "if min(se, mean_abs) < 0", pin_mc_finite),
    Mutant("Monte Carlo: entries required for an expectation",
           'if c.mc_required and c.status == "proved" and len(c.mc) < MC_POINTS:', "if False:", pin_mc_required),
    Mutant("Monte Carlo: points lie in the domains", 'or not self.in_domains(e["point"], f"{where}.point"):',
           "or False:", pin_mc_point_in_domain),
    Mutant("Monte Carlo: the seed replay reproduces to 1e-9",
           "if not abs(x - e[k]) <= 1e-9 * max(abs(x), abs(e[k])) + 1e-300:",
           "if not abs(x - e[k]) <= 1e-6 * max(abs(x), abs(e[k])) + 1e-300:", pin_mc_replay),
    Mutant("Monte Carlo: a sampler is replayed", "                self.replay(sampler, e, where)",
           "                pass", pin_mc_replay),
    Mutant("Monte Carlo: the replayed ess", '"ess": total ** 2 / float(math.fsum(weights ** 2))}',
           '"ess": e["ess"]}', pin_mc_replay),
    Mutant("Monte Carlo: the weights are replayed",
           "weights = np.ones(draws.shape) if weights is None else np.asarray(weights)",
           "weights = np.ones(draws.shape)", pin_mc_weights_replayed),
    Mutant("Monte Carlo: no negative weights", "or np.any(weights < 0) \\", "\\", pin_mc_negative_weights),
    Mutant("Monte Carlo: draws not all equal",
           'or not live.any() or bool(np.all(draws[live] == draws[live][0])) != e["point_mass"]:',
           'or not live.any() or not np.all(draws[live] == draws[live][0]) and e["point_mass"]:',
           pin_mc_draws_not_all_equal),
    Mutant("Monte Carlo: a point mass's replayed draws all equal",
           'or not live.any() or bool(np.all(draws[live] == draws[live][0])) != e["point_mass"]:',
           'or not live.any() or bool(np.all(draws[live] == draws[live][0])) and not e["point_mass"]:',
           pin_point_mass_replay),
    Mutant("Monte Carlo: a point mass's value is the right-hand side", "        return True, value == exact",
           "        return True, True", pin_point_mass_value),
    Mutant("Monte Carlo: a point mass has variance 0 given the signals", "    if moment(2) != mean ** 2:",
           "    if False:", pin_point_mass_variance),
    Mutant("Monte Carlo: a point mass has no redrawn signal, uniform or noisy estimate",
           'return bool(record["redrawn"] or record["uniform"] or record["estimator"] not in (None, {"law": "ex-post"}))',
           "return False", pin_point_mass_law),
    Mutant("Monte Carlo: a point mass has se 0", "                informative = informative and se == 0",
           "                informative = informative", pin_point_mass_se),
]


def test_rule_names_are_unique():
    names = [m.rule for m in MUTANTS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


# the pins of the zero test's branch budget and of the node limit build large inputs
SLOW_RULES = ("branches: a zero test out of its branch budget proves nothing", "limits: <= 200000 nodes")


@pytest.mark.parametrize("mutant", [pytest.param(m, marks=pytest.mark.slow) if m.rule in SLOW_RULES else m
                                    for m in MUTANTS], ids=[m.rule for m in MUTANTS])
def test_rule_is_pinned(mutant):
    source = CHECKER.read_text(encoding="utf-8")
    assert source.count(mutant.old) == 1, f"the old text occurs {source.count(mutant.old)} times, not once"
    assert mutant.old != mutant.new
    mutant.pin(real_checker(source))              # the rule holds in the checker as it is
    weakened = load_checker(source.replace(mutant.old, mutant.new))
    try:
        mutant.pin(weakened)
    except RuleBroken:
        return                                    # killed
    pytest.fail(f"the weakening survives its pin {mutant.pin.__name__}")
