"""The paper's notation as sympy symbols, created in one place.

sympy treats ``Symbol('s1', real=True)`` and ``Symbol('s1')`` as different
objects, so every module takes its symbols from here. Agents are numbered
1..n as in the paper; a misreport of agent i is written with a prime.

Examples
========

>>> from symbolic_mech.symbols import theta, s, omega, omega_hat, prime
>>> theta(1), s(2), omega, omega_hat
(theta1, s2, omega, omega_hat)
>>> prime(theta(1))
theta1'
"""
from __future__ import annotations

import sympy as sp

__all__ = [
    "omega", "omega_hat", "x", "alpha", "m", "v", "p",
    "theta", "s", "prime", "estimate", "check_agent", "stand_in", "stood_for",
]

omega = sp.Symbol("omega", real=True)
omega_hat = sp.Symbol("omega_hat", real=True)
x = sp.Symbol("x", real=True)
alpha = sp.Symbol("alpha", positive=True)
m = sp.Symbol("m", positive=True, integer=True)
v = sp.Symbol("v", positive=True)
p = sp.Symbol("p", positive=True)


def check_agent(i, n: int | None = None, name: str = "i") -> int:
    """Validate an agent number (1..n), naming the parameter on failure.

    >>> check_agent(2, 3)
    2
    >>> check_agent(0, 3)
    Traceback (most recent call last):
    ...
    ValueError: i must be an agent number in 1..3, got 0
    """
    if isinstance(i, bool) or not isinstance(i, (int, sp.Integer)):
        raise TypeError(f"{name} must be an int agent number, got {type(i).__name__}")
    i = int(i)
    if i < 1 or (n is not None and i > n):
        rng = f"1..{n}" if n is not None else "1, 2, ..."
        raise ValueError(f"{name} must be an agent number in {rng}, got {i}")
    return i


def theta(i: int) -> sp.Symbol:
    """Agent i's preference type theta_i (real)."""
    return sp.Symbol(f"theta{check_agent(i)}", real=True)


def s(i: int) -> sp.Symbol:
    """Agent i's private signal s_i (real)."""
    return sp.Symbol(f"s{check_agent(i)}", real=True)


def estimate(state: sp.Symbol) -> sp.Symbol:
    """The designer's estimate of a state component: omega -> omega_hat, omega2 -> omega_hat2.

    >>> estimate(omega), estimate(sp.Symbol("omega2", positive=True))
    (omega_hat, omega_hat2)
    """
    if not isinstance(state, sp.Symbol) or not state.name.startswith("omega"):
        raise TypeError(f"state must be a state symbol omega or omega_j, got {state!r}")
    if state == omega:
        return omega_hat
    return sp.Symbol("omega_hat" + state.name[len("omega"):], real=True)


def prime(sym: sp.Symbol) -> sp.Symbol:
    """The misreport of a type or signal symbol: theta1 -> theta1'."""
    if not isinstance(sym, sp.Symbol):
        raise TypeError(f"sym must be a sympy Symbol, got {type(sym).__name__}")
    return sp.Symbol(sym.name + "'", **sym.assumptions0)


# stand-in symbols and what they stand for (by name), so that displays show the original
_STOOD_FOR: dict = {}


def stand_in(name: str, value, **assumptions) -> sp.Symbol:
    """A symbol the kernel treats as opaque in place of ``value`` (e.g. a positive exponential);
    :func:`stood_for` gives ``value`` back, for display only.

    >>> a = sp.Symbol("a", positive=True)
    >>> w = stand_in("exp[a]", sp.exp(a), positive=True)
    >>> w, stood_for(w), stood_for("exp[a]")
    (exp[a], exp(a), exp(a))
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not isinstance(value, sp.Basic):
        raise TypeError(f"value must be a sympy expression, got {type(value).__name__}")
    symbol = sp.Symbol(name, **assumptions)
    _STOOD_FOR[name] = value
    return symbol


def stood_for(symbol):
    """What a stand-in (a Symbol or its name) stands for; None for any other symbol."""
    return _STOOD_FOR.get(symbol.name if isinstance(symbol, sp.Symbol) else symbol)
