"""Sympy expressions and points as the JSON trees the independent checker reads.

This is the search side (not trusted): it only writes data.  The format is
read by :mod:`symbolic_mech.core.checker`, which parses it under a
whitelist of its own and never trusts this module.

Numbers are strings, never floats: ``["Integer", "-3"]``,
``["Rational", "1", "2"]``.  Only the nodes listed in :data:`FUNCTIONS`,
:data:`RELATIONS` and below are written; anything else (a Float, ``I``,
``oo``, ``gamma(x)``, a matrix) is a TypeError naming the node.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> to_tree(x**2 / 3 - 1)
['Add', ['Integer', '-1'], ['Mul', ['Rational', '1', '3'], ['Pow', ['Symbol', 'x'], ['Integer', '2']]]]
>>> from_point({x: sp.Rational(-3, 7)})
{'x': '-3/7'}
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Integral

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["to_tree", "from_point", "FUNCTIONS", "RELATIONS"]

FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.Abs: "Abs",
             sp.Max: "Max", sp.Min: "Min", sp.erf: "erf",
             sp.sign: "sign"}
RELATIONS = {sp.StrictLessThan: "Lt", sp.LessThan: "Le", sp.StrictGreaterThan: "Gt",
             sp.GreaterThan: "Ge", sp.Equality: "Eq", sp.Unequality: "Ne"}
_LOGIC = {sp.And: "And", sp.Or: "Or", sp.Not: "Not"}


_CHUNK = 10 ** 4000      # computed once: a power this large is not folded by the compiler


def _int_str(n: int) -> str:
    """str(n) without Python's 4300-digit limit on int-to-str conversion."""
    if n.bit_length() < 13_000:         # below 10**3913: within the limit
        return str(n)
    sign, n = ("-", -n) if n < 0 else ("", n)
    high, low = divmod(n, _CHUNK)
    return sign + _int_str(high) + _int_str(low).rjust(4000, "0")


def to_tree(expr) -> list:
    """The JSON tree of a sympy expression (see :mod:`symbolic_mech.core.checker`).

    >>> import sympy as sp
    >>> t = sp.Symbol("theta1'")
    >>> to_tree(sp.Function("E[omega|1,2]")(t))
    ['Function', 'E[omega|1,2]', ['Symbol', "theta1'"]]
    >>> to_tree(sp.Piecewise((t, t > 0), (0, True)))
    ['Piecewise', [['Symbol', "theta1'"], ['Gt', ['Symbol', "theta1'"], ['Integer', '0']]], [['Integer', '0'], ['true']]]
    >>> to_tree(sp.Float(0.5) * t)
    Traceback (most recent call last):
    ...
    TypeError: to_tree: Float 0.500000000000000 is outside the whitelist (floats are not exact)
    """
    return _Writer().tree(expr)


class _Writer:
    """One conversion: a subtree shared in the expression is converted once, and its list is
    shared in the output (trees are read, never modified)."""

    def __init__(self):
        self.memo: dict = {}

    def tree(self, expr) -> list:
        if isinstance(expr, sp.Basic):
            out = self.memo.get(expr)
            if out is None:
                out = self.memo[expr] = self._node(expr)
            return out
        if isinstance(expr, Integral) and not isinstance(expr, bool):
            return ["Integer", _int_str(int(expr))]
        raise TypeError(f"to_tree: {type(expr).__name__} {expr!r} is not a sympy expression")

    def _node(self, expr) -> list:
        if expr.is_Integer:
            return ["Integer", _int_str(int(expr))]
        if expr.is_Rational:
            return ["Rational", _int_str(int(expr.p)), _int_str(int(expr.q))]
        if expr.is_Float:
            raise TypeError(f"to_tree: Float {expr} is outside the whitelist (floats are not exact)")
        if expr is sp.pi:
            return ["pi"]
        if expr is sp.E:
            return ["E"]
        if isinstance(expr, sp.Symbol):
            return ["Symbol", expr.name]
        if isinstance(expr, AppliedUndef):
            return ["Function", expr.func.__name__, *map(self.tree, expr.args)]
        if expr.is_Add or expr.is_Mul or expr.is_Pow:
            return [type(expr).__name__, *map(self.tree, expr.args)]
        if type(expr) in FUNCTIONS:
            return [FUNCTIONS[type(expr)], *map(self.tree, expr.args)]
        if isinstance(expr, sp.Piecewise):
            return ["Piecewise", *[[self.tree(e), self.condition(c)] for e, c in expr.args]]
        raise TypeError(f"to_tree: {type(expr).__name__} node {expr} is outside the whitelist")

    def condition(self, cond) -> list:
        if cond is sp.true:
            return ["true"]
        if cond is sp.false:
            return ["false"]
        if type(cond) in RELATIONS:
            return [RELATIONS[type(cond)], self.tree(cond.lhs), self.tree(cond.rhs)]
        if type(cond) in _LOGIC:
            return [_LOGIC[type(cond)], *map(self.condition, cond.args)]
        raise TypeError(f"to_tree: condition {type(cond).__name__} {cond} is outside the whitelist")


def _condition(cond) -> list:
    return _Writer().condition(cond)


def _rational_str(value, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (Integral, Fraction, sp.Rational)):
        raise TypeError(f"from_point: the value of {name} must be an exact rational, got "
                        f"{type(value).__name__} {value!r}")
    q = Fraction(int(value.p), int(value.q)) if isinstance(value, sp.Rational) else Fraction(value)
    num = _int_str(q.numerator)
    return num if q.denominator == 1 else f"{num}/{_int_str(q.denominator)}"


def from_point(point: dict) -> dict:
    """``{Symbol: Rational}`` as ``{name: "p/q" or "p"}``; floats and name clashes are refused.

    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> from_point({a: sp.Rational(5, 10), b: 3})
    {'a': '1/2', 'b': '3'}
    >>> from_point({a: 0.5})
    Traceback (most recent call last):
    ...
    TypeError: from_point: the value of a must be an exact rational, got float 0.5
    """
    out = {}
    for sym, value in point.items():
        if not isinstance(sym, sp.Symbol):
            raise TypeError(f"from_point: keys must be sympy Symbols, got {type(sym).__name__} {sym!r}")
        if sym.name in out:
            raise ValueError(f"from_point: two symbols are named {sym.name!r}")
        out[sym.name] = _rational_str(value, sym.name)
    return out
