"""Reading an expression whose subtrees are shared, each distinct subtree once.

The engine's expressions share subtrees: the allocation x* sits inside every
agent's payoff, a posterior mean inside every term of a sum.  sympy's
``atoms`` and ``free_symbols`` walk the expression as a tree, so a subtree
is read once per place it occurs; at n = 100 agents that is millions of
nodes for an expression of thousands of distinct ones.  These walk it as the
graph it is.

>>> from sympy.core.function import AppliedUndef
>>> x, y = sp.symbols("x y")
>>> f = sp.Function("f")
>>> e = (f(x) + y) ** 2 + sp.sin(f(x) + y)
>>> sorted(map(str, atoms(e, AppliedUndef))), sorted(map(str, free_symbols(e)))
(['f(x)'], ['x', 'y'])
>>> replaced(e, {x: y})
(y + f(y))**2 + sin(y + f(y))
"""
from __future__ import annotations

import sympy as sp

__all__ = ["atoms", "free_symbols", "replaced"]


def _distinct(expr: sp.Basic, binders: bool = True):
    """Every distinct subexpression of ``expr``, each once; with ``binders=False`` a node that
    binds symbols (an integral) is yielded and not entered."""
    seen, todo = set(), [expr]
    while todo:
        e = todo.pop()
        if e in seen:
            continue
        seen.add(e)
        yield e
        if binders or not getattr(e, "bound_symbols", None):
            todo.extend(e.args)


def atoms(expr: sp.Basic, *types) -> set:
    """The subexpressions of ``expr`` that are instances of ``types`` (as sympy's
    ``expr.atoms(*types)``), each distinct subtree read once."""
    if not types:
        raise TypeError("atoms needs the types to collect")
    return {e for e in _distinct(expr) if isinstance(e, types)}


def free_symbols(expr: sp.Basic) -> set:
    """``expr.free_symbols``, each distinct subtree read once."""
    out = set()
    for e in _distinct(expr, binders=False):
        if e.is_Symbol:
            out.add(e)
        elif getattr(e, "bound_symbols", None):
            out |= e.free_symbols
    return out


def replaced(expr: sp.Basic, rule) -> sp.Basic:
    """``expr.xreplace(rule)``, each distinct subtree rebuilt once."""
    memo: dict = {}

    def go(e):
        if e in rule:
            return rule[e]
        if not e.args:
            return e
        if e not in memo:
            args = [go(a) if isinstance(a, sp.Basic) else a for a in e.args]
            memo[e] = e if all(a is b for a, b in zip(args, e.args)) else e.func(*args)
        return memo[e]
    return go(expr)
