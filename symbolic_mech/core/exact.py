"""The one strict converter for values that enter the kernel or a witness.

A point, a list of points to check, a witness's truth and report, a domain
bound, an expression to decide: each is taken exactly or refused.  Exact
means ``int``, :class:`fractions.Fraction`, sympy ``Integer``/``Rational``
and, where an expression is expected, a sympy expression free of floats.
Strings are never parsed, floats never rounded, ``bool`` and ``None`` never
read as numbers; every error names the parameter.

>>> rational(Fraction(3, 4), "point[x]")
3/4
>>> rational(0.5, "point[x]")
Traceback (most recent call last):
...
TypeError: point[x] must be an exact rational (int, Fraction or sympy Rational), got the float 0.5
>>> rational("1/2", "point[x]")
Traceback (most recent call last):
...
TypeError: point[x] must be an exact rational (int, Fraction or sympy Rational), got str (strings are not parsed)
"""
from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Mapping

import sympy as sp

from .shared import atoms

__all__ = ["rational", "expression", "point", "seed"]

_RATIONAL = "an exact rational (int, Fraction or sympy Rational)"


def _describe(value) -> str:
    if isinstance(value, str):
        return "str (strings are not parsed)"
    if isinstance(value, (float, sp.Float)) or (isinstance(value, numbers.Real)
                                                and not isinstance(value, numbers.Rational)):
        return f"the float {value!r}"
    return type(value).__name__


def rational(value, name: str) -> sp.Rational:
    """``value`` as a sympy Rational, or TypeError naming ``name``."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} must be {_RATIONAL}, got {type(value).__name__}")
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, sp.Basic):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    raise TypeError(f"{name} must be {_RATIONAL}, got {_describe(value)}")


def expression(value, name: str) -> sp.Expr:
    """``value`` as an exact sympy expression: rationals as above, or a float-free sympy Expr.

    >>> x = sp.Symbol("x")
    >>> expression(x + Fraction(1, 2), "lhs")
    x + 1/2
    >>> expression(x + sp.Float(0.1), "lhs")
    Traceback (most recent call last):
    ...
    TypeError: lhs must be exact: it contains the float 0.100000000000000
    """
    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr):
            raise TypeError(f"{name} must be a sympy expression, got {type(value).__name__}")
        # one traversal for both: the claims here are large
        bad = atoms(value, sp.Float, type(sp.nan), type(sp.zoo), type(sp.oo), type(-sp.oo))
        floats = [b for b in bad if isinstance(b, sp.Float)]
        if floats:
            raise TypeError(f"{name} must be exact: it contains the float {min(floats, key=str)}")
        if bad:
            raise ValueError(f"{name} must be finite, got {value}")
        return value
    return rational(value, name)


def point(values, name: str) -> dict:
    """A point ``{Symbol: value}`` with every value converted by :func:`rational`.

    >>> t = sp.Symbol("t")
    >>> point({t: 2}, "at[0]")
    {t: 2}
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"{name} must be a mapping from symbols to exact rationals, "
                        f"got {type(values).__name__}")
    out = {}
    for key, val in values.items():
        if not isinstance(key, sp.Symbol):
            raise TypeError(f"{name} keys must be sympy Symbols, got {type(key).__name__}")
        out[key] = rational(val, f"{name}[{key}]")
    return out


def seed(value, name: str = "seed") -> int:
    """A nonnegative int seed (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or isinstance(value, sp.Basic):
        raise TypeError(f"{name} must be a nonnegative int, got {_describe(value)}")
    if value < 0:
        raise ValueError(f"{name} must be a nonnegative int, got {value}")
    return int(value)
