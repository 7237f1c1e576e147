"""The domain of a symbol: its sympy assumptions intersected with a declared interval.

Random points, searches and witnesses draw from a :class:`Domain`, and a
refuting verdict is only built with a witness that lies in the domain of
every symbol it fixes.  The domain reads all of sympy's assumptions on a
real symbol: positive, negative, nonnegative, nonpositive, nonzero, zero,
integer, noninteger, even, odd, prime, composite (rational and real add
nothing for rational points).  Points are exact rationals, so a symbol
declared irrational, imaginary or non-real has no valid point and is refused.
A symbol with no assumptions is complex; real points lie in its domain.

An interval is declared as a tuple ``(lo, hi)`` (both ends open, as in
``0 < p < 1``) or a sympy ``Interval`` (its ends open or closed as stated),
with ``None`` or infinities for an unbounded side.  An empty intersection is
a ValueError naming the symbol.

>>> import sympy as sp
>>> p = sp.Symbol("p", positive=True)
>>> Domain.of(p, (-1, 1))
Domain(p: (0, 1))
>>> Domain.of(sp.Symbol("k", odd=True, positive=True), sp.Interval(1, 9))
Domain(k: odd integers in [1, 9])
>>> Domain.of(sp.Symbol("q", negative=True), (1, 2))
Traceback (most recent call last):
...
ValueError: domain of q is empty: its assumptions and the interval (1, 2) do not meet
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace

import sympy as sp

from .exact import rational

__all__ = ["Domain", "domains_for", "outside"]

# ranges for unbounded sides: points stay small so exact arithmetic stays cheap
_SPAN_REAL, _SPAN_INT, _DENOMINATORS = 60, 40, 12


@dataclass(frozen=True)
class Domain:
    """A set of exact rationals: an interval, possibly restricted to (odd, even, prime...) integers."""

    name: str
    lo: sp.Rational | None = None
    hi: sp.Rational | None = None
    lo_open: bool = True
    hi_open: bool = True
    integer: bool = False
    noninteger: bool = False
    exclude_zero: bool = False
    parity: str | None = None
    primality: str | None = None

    # -- construction ----------------------------------------------------

    @classmethod
    def of(cls, sym: sp.Symbol, interval=None) -> "Domain":
        """The domain of ``sym`` from its assumptions, intersected with ``interval``."""
        if not isinstance(sym, sp.Symbol):
            raise TypeError(f"a domain is declared for a sympy Symbol, got {type(sym).__name__}")
        name = sym.name
        if sym.is_imaginary or sym.is_extended_real is False:
            raise ValueError(f"{name} is declared non-real: exact rational points cannot lie in its domain")
        if sym.is_rational is False or sym.is_algebraic is False:
            raise ValueError(f"{name} is declared irrational or transcendental: exact rational points "
                             "cannot lie in its domain")
        if sym.is_infinite:
            raise ValueError(f"{name} is declared infinite: no exact point lies in its domain")
        if sym.is_antihermitian and not sym.is_zero:
            raise ValueError(f"{name} is declared antihermitian: real points other than 0 are not in its domain")
        d = cls(name)
        if sym.is_zero:
            d = replace(d, lo=sp.Integer(0), hi=sp.Integer(0), lo_open=False, hi_open=False)
        # the extended signs: a finite rational point of an extended-positive symbol is positive
        if sym.is_extended_positive:
            d = d._meet(sp.Integer(0), None, True, True)
        elif sym.is_extended_nonnegative:
            d = d._meet(sp.Integer(0), None, False, True)
        if sym.is_extended_negative:
            d = d._meet(None, sp.Integer(0), True, True)
        elif sym.is_extended_nonpositive:
            d = d._meet(None, sp.Integer(0), True, False)
        d = replace(d, integer=bool(sym.is_integer), noninteger=sym.is_integer is False and not sym.is_zero,
                    exclude_zero=bool(sym.is_extended_nonzero or sym.is_nonzero or sym.is_zero is False)
                    and not (sym.is_extended_positive or sym.is_extended_negative),
                    parity="even" if sym.is_even else "odd" if sym.is_odd else None,
                    primality="prime" if sym.is_prime else "composite" if sym.is_composite else None)
        if interval is not None:
            d = d._meet(*_interval(interval, name))
        if d.empty():
            shown = f" and the interval {_show_interval(interval)}" if interval is not None else ""
            raise ValueError(f"domain of {name} is empty: its assumptions{shown} do not meet")
        return d

    def _meet(self, lo, hi, lo_open, hi_open) -> "Domain":
        d = self
        if lo is not None and (d.lo is None or lo > d.lo or (lo == d.lo and lo_open)):
            d = replace(d, lo=lo, lo_open=lo_open if d.lo is None or lo != d.lo else (lo_open or d.lo_open))
        if hi is not None and (d.hi is None or hi < d.hi or (hi == d.hi and hi_open)):
            d = replace(d, hi=hi, hi_open=hi_open if d.hi is None or hi != d.hi else (hi_open or d.hi_open))
        return d

    # -- membership --------------------------------------------------------

    def contains(self, value) -> bool:
        """Whether the exact rational ``value`` lies in the domain (decided exactly)."""
        q = rational(value, f"value of {self.name}")
        if self.lo is not None and (q < self.lo or (q == self.lo and self.lo_open)):
            return False
        if self.hi is not None and (q > self.hi or (q == self.hi and self.hi_open)):
            return False
        if self.exclude_zero and q == 0:
            return False
        if self.noninteger and q.is_integer:
            return False
        if not self.integer:
            return True
        if not q.is_integer:
            return False
        if self.parity is not None and (int(q) % 2 == 0) != (self.parity == "even"):
            return False
        if self.primality == "prime":
            return bool(sp.isprime(int(q)))
        if self.primality == "composite":
            return int(q) > 1 and not sp.isprime(int(q))
        return True

    def _integer_range(self) -> tuple[int | None, int | None]:
        lo = None if self.lo is None else int(sp.floor(self.lo)) + 1 if self.lo_open or not self.lo.is_integer \
            else int(self.lo)
        hi = None if self.hi is None else int(sp.ceiling(self.hi)) - 1 if self.hi_open or not self.hi.is_integer \
            else int(self.hi)
        if self.primality is not None:
            lo = 2 if lo is None or lo < 2 else lo
        return lo, hi

    def empty(self) -> bool:
        if self.lo is not None and self.hi is not None:
            if self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open)):
                return True
            if self.lo == self.hi:
                return not self.contains(self.lo)
        if not self.integer:
            return False
        lo, hi = self._integer_range()
        if lo is None or hi is None:
            return False
        if hi < lo:
            return True
        # a bounded integer range: look for a member (a short scan suffices for small ranges)
        return not any(self.contains(k) for k in range(lo, min(hi, lo + 10_000) + 1))

    # -- sampling -----------------------------------------------------------

    def sample(self, rnd: random.Random) -> sp.Rational:
        """A random member, exact; interior points of an interval, so open ends are respected."""
        for _ in range(1000):
            q = self._integer_candidate(rnd) if self.integer else self._real_candidate(rnd)
            if self.contains(q):
                return q
        raise ValueError(f"could not draw a point of the domain of {self.name} ({self})")

    def _real_candidate(self, rnd) -> sp.Rational:
        if self.lo is not None and self.hi is not None:
            return self.lo + (self.hi - self.lo) * sp.Rational(rnd.randint(1, 999), 1000)
        den = rnd.randint(2 if self.noninteger else 1, _DENOMINATORS)
        if self.lo is None and self.hi is None:
            return sp.Rational(rnd.randint(-_SPAN_REAL, _SPAN_REAL), den)
        step = sp.Rational(rnd.randint(1, _SPAN_REAL), den)
        return self.lo + step if self.lo is not None else self.hi - step

    def _integer_candidate(self, rnd) -> sp.Integer:
        lo, hi = self._integer_range()
        if lo is None and hi is None:
            lo, hi = -_SPAN_INT, _SPAN_INT
        elif lo is None:
            lo = hi - 2 * _SPAN_INT
        elif hi is None:
            hi = lo + 2 * _SPAN_INT
        if self.primality == "prime":
            # the next prime after a seeded draw: reproducible from the seed
            q = sp.nextprime(rnd.randint(lo, hi) - 1)
            return sp.Integer(q if q <= hi else sp.nextprime(lo - 1))
        return sp.Integer(rnd.randint(lo, hi))

    # -- display and certificates ---------------------------------------------

    def to_json(self) -> dict:
        """The form the independent checker reads."""
        return {"integer": self.integer, "lo": None if self.lo is None else str(self.lo),
                "hi": None if self.hi is None else str(self.hi), "lo_open": self.lo_open,
                "hi_open": self.hi_open, "exclude_zero": self.exclude_zero, "parity": self.parity,
                "primality": self.primality, "noninteger": self.noninteger}

    def __str__(self) -> str:
        left = "(" if self.lo is None or self.lo_open else "["
        right = ")" if self.hi is None or self.hi_open else "]"
        span = f"{left}{'-oo' if self.lo is None else self.lo}, {'oo' if self.hi is None else self.hi}{right}"
        kind = [w for w in (self.parity, self.primality) if w]
        if self.integer:
            span = f"{' '.join(kind) + ' ' if kind else ''}integers in {span}"
        elif self.noninteger:
            span = f"non-integers in {span}"
        return span + (" without 0" if self.exclude_zero else "")

    def __repr__(self) -> str:
        return f"Domain({self.name}: {self})"


def _interval(interval, name: str):
    if isinstance(interval, sp.Interval):
        lo, hi = interval.start, interval.end
        lo_open, hi_open = bool(interval.left_open), bool(interval.right_open)
    elif isinstance(interval, (tuple, list)) and len(interval) == 2:
        (lo, hi), lo_open, hi_open = interval, True, True
    else:
        raise TypeError(f"domain[{name}] must be a pair (lo, hi) or a sympy Interval, "
                        f"got {type(interval).__name__}")
    ends = []
    for end, side in ((lo, "lo"), (hi, "hi")):
        if end is None or end in (sp.oo, -sp.oo):
            ends.append(None)
        else:
            ends.append(rational(end, f"domain[{name}] {side}"))
    return ends[0], ends[1], lo_open, hi_open


def _show_interval(interval) -> str:
    if isinstance(interval, sp.Interval):
        return str(interval)
    return f"({interval[0]}, {interval[1]})"


def domains_for(symbols, declared=None) -> dict:
    """``{symbol: Domain}`` for each symbol, with ``declared`` intervals ``{symbol: interval}``.

    A declared interval for a symbol not among ``symbols`` is kept too
    (it may be a symbol only the Monte Carlo sampler needs).

    >>> a = sp.Symbol("a", nonnegative=True)
    >>> domains_for([a], {a: sp.Interval(0, 1)})[a]
    Domain(a: [0, 1])
    """
    declared = dict(declared or {})
    for key in declared:
        if not isinstance(key, sp.Symbol):
            raise TypeError(f"domain keys must be sympy Symbols, got {type(key).__name__}")
    return {sym: Domain.of(sym, declared.get(sym)) for sym in set(symbols) | set(declared)}


def outside(point, doms) -> list[str]:
    """The names of the symbols whose exact value in ``point`` lies outside their Domain
    (a value still symbolic, such as a truth left free, is not judged).

    >>> p = sp.Symbol("p", positive=True)
    >>> outside({p: -1}, domains_for([p]))
    ['p']
    """
    return [str(s) for s, q in point.items()
            if (not isinstance(q, sp.Basic) or q.is_Rational) and not doms[s].contains(q)]
