"""Parameter checks shared by the model constructors.

Numbers become exact sympy values; floats are refused, as everywhere else in
the package (0.1 is not 1/10 in binary: write ``sp.Rational(1, 10)``), and so
are strings (never parsed); every error names the parameter.

>>> exact(Fraction(1, 10), "v")
1/10
>>> exact(0.1, "prior_var")
Traceback (most recent call last):
...
TypeError: prior_var must be exact: got the float 0.1 (write sympy.Rational(1, 10) or Fraction(1, 10))
>>> positive(-1, "prior_var")
Traceback (most recent call last):
...
ValueError: prior_var must be positive, got -1
"""
from __future__ import annotations

import math
import numbers
from fractions import Fraction
from functools import lru_cache

import sympy as sp

__all__ = ["exact", "integer", "positive", "real", "polynomial_coefficients"]


def exact(value, name: str) -> sp.Expr:
    """A number or sympy expression as an exact sympy expression."""
    if isinstance(value, (bool, str)) or value is None:
        raise TypeError(f"{name} must be a number or a sympy expression, got {type(value).__name__}")
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise TypeError(f"{name} must be a sympy expression, got {type(value).__name__}")
        floats = value.atoms(sp.Float)
        if floats:
            raise TypeError(f"{name} must be exact: it contains the float {min(floats, key=str)}")
        return value
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Real):
        # a float is already rounded: which rational was meant is the caller's to say
        shown = Fraction(repr(float(value))) if math.isfinite(float(value)) else None
        hint = f" (write sympy.Rational({shown.numerator}, {shown.denominator}) or Fraction(" \
               f"{shown.numerator}, {shown.denominator}))" if shown is not None else ""
        raise TypeError(f"{name} must be exact: got the float {value}{hint}")
    raise TypeError(f"{name} must be a number or a sympy expression, got {type(value).__name__}")


def integer(value, name: str, minimum: int = 0) -> int:
    """A Python int >= ``minimum`` (0 or 1); bool and non-integers are refused.

    >>> integer(3, "n", 1)
    3
    >>> integer(True, "n", 1)
    Traceback (most recent call last):
    ...
    TypeError: n must be a positive int, got bool
    """
    kind = "positive" if minimum == 1 else "nonnegative" if minimum == 0 else f">= {minimum}"
    # bool is an int subclass: n=True must not silently mean one agent
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, sp.Integer)):
        raise TypeError(f"{name} must be a {kind} int, got {type(value).__name__}")
    if int(value) < minimum:
        raise ValueError(f"{name} must be a {kind} int, got {value}")
    return int(value)


def positive(value, name: str) -> sp.Expr:
    """An exact value that sympy can prove positive (symbols need ``positive=True``)."""
    x = exact(value, name)
    if x.is_positive:
        return x
    if x.is_positive is False:
        raise ValueError(f"{name} must be positive, got {x}")
    raise ValueError(f"{name} must be provably positive (declare its symbols with positive=True), got {x}")


def real(value, name: str) -> sp.Expr:
    """An exact value that is not provably non-real or infinite."""
    x = exact(value, name)
    if x.is_extended_real is False or x.is_finite is False:
        raise ValueError(f"{name} must be real, got {x}")
    return x


class _NotPolynomial(Exception):
    pass


@lru_cache(maxsize=200_000)
def _has(f: sp.Expr, var: sp.Symbol) -> bool:
    """f.has(var), each distinct subtree asked once in the process: the allocation sits in every
    agent's payoff, and each payoff's coefficients are asked for."""
    return f == var or any(_has(a, var) for a in f.args)


def _coefficients(f: sp.Expr, var: sp.Symbol, memo: dict) -> dict:
    """{k: [terms]} of f in var, by the expression's structure; var-free parts stay unexpanded."""
    if f in memo:
        return memo[f]
    if not _has(f, var):
        out = {0: [f]}
    elif f == var:
        out = {1: [sp.Integer(1)]}
    elif f.is_Add:
        out = {}
        for arg in f.args:
            for k, cs in _coefficients(arg, var, memo).items():
                out.setdefault(k, []).extend(cs)
    elif f.is_Mul:
        scalar = [a for a in f.args if not _has(a, var)]
        out = {0: [sp.Mul(*scalar)]}
        for arg in f.args:
            if _has(arg, var):
                out = _product(out, _coefficients(arg, var, memo))
    elif f.is_Pow and f.exp.is_Integer and f.exp >= 0:
        base, out = _coefficients(f.base, var, memo), {0: [sp.Integer(1)]}
        base = {k: [sp.Add(*cs)] for k, cs in base.items()}    # each power's sum built once
        for _ in range(int(f.exp)):
            out = _product(out, base)
    else:
        raise _NotPolynomial
    memo[f] = out
    return out


def _product(a: dict, b: dict) -> dict:
    out: dict = {}
    sums = {j: sp.Add(*cb) for j, cb in b.items()}
    for i, ca in a.items():
        sa = sp.Add(*ca)
        for j, sb in sums.items():
            out.setdefault(i + j, []).append(sp.Mul(sa, sb))
    return out


def polynomial_coefficients(f: sp.Expr, var: sp.Symbol, name: str) -> dict:
    """``{k: c_k}`` with f = sum_k c_k var^k, ValueError naming ``name`` if f is not polynomial in var.

    The coefficients follow the expression's structure: a var-free factor
    such as a long sum is kept whole (``(a + b)**2``, not its expansion), so
    identical terms built elsewhere from the same pieces cancel on sight and
    the cost grows with the size of f, not with that of its expansion.
    Quotients that only cancel after expansion (``x**3/x``) are expanded.

    >>> x, a = sp.symbols("x a")
    >>> polynomial_coefficients((a + x)**2, x, "f")
    {0: a**2, 1: 2*a, 2: 1}
    >>> polynomial_coefficients(x**3/x, x, "f")
    {2: 1}
    """
    try:
        raw = _coefficients(f, var, {})
    except _NotPolynomial:
        raw = {}
        for term in sp.Add.make_args(sp.expand(f)):
            c, k = term.as_coeff_exponent(var)
            if c.has(var) or not (k.is_Integer and k >= 0):
                raise ValueError(f"{name} must be polynomial in {var}, got {f}") from None
            raw.setdefault(int(k), []).append(c)
    # one Add per power: adding term by term rebuilds the sum each time
    coeffs = {k: sp.Add(*raw[k]) for k in sorted(raw)}
    return {k: c for k, c in coeffs.items() if c != 0}
