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
``0 < p < 1``), a sympy ``Interval`` (its ends open or closed as stated), or
a sympy ``Range`` with step 1 (the integers between its ends), with ``None``
or infinities for an unbounded side.  An end may be another
symbol, as a click count lies in ``[0, k]`` for k impressions: membership is
then judged at a point that fixes that symbol, and points are drawn after
it.  An empty intersection is a ValueError naming the symbol.

>>> import sympy as sp
>>> p = sp.Symbol("p", positive=True)
>>> Domain.of(p, (-1, 1))
Domain(p: (0, 1))
>>> Domain.of(sp.Symbol("k", odd=True, positive=True), sp.Interval(1, 9))
Domain(k: odd integers in [1, 9])
>>> k = sp.Symbol("k", positive=True, integer=True)
>>> c = Domain.of(sp.Symbol("c", real=True), sp.Range(0, k + 1))
>>> c, c.contains(3, {k: 2}), c.contains(2, {k: 2})
(Domain(c: integers in [0, k]), False, True)
>>> Domain.of(sp.Symbol("q", negative=True), (1, 2))
Traceback (most recent call last):
...
ValueError: domain of q is empty: its assumptions and the interval (1, 2) do not meet
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cached_property
from fractions import Fraction

import sympy as sp

from .exact import rational

__all__ = ["Domain", "domains_for", "declared_for", "outside", "draw_order", "sample_point"]

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
    # ends given by other symbols: (">=" or ">" or "<=" or "<", that symbol)
    bounds: tuple = ()

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
        if isinstance(interval, Domain):
            return d._meet_domain(interval, sym)
        if isinstance(interval, sp.Range):
            if d.noninteger:
                raise ValueError(f"domain of {name} is empty: {name} is declared noninteger and the domain is {interval}")
            d = replace(d, integer=True)
        if interval is not None:
            lo, hi, lo_open, hi_open = _interval(interval, name)
            bounds = tuple((op, end) for op, end in ((">" if lo_open else ">=", lo), ("<" if hi_open else "<=", hi))
                           if isinstance(end, sp.Symbol))
            if any(end == sym for _, end in bounds):
                raise ValueError(f"domain of {name} is bounded by {name} itself")
            d = d._meet(*(None if isinstance(e, sp.Symbol) else e for e in (lo, hi)), lo_open, hi_open)
            d = replace(d, bounds=bounds)
        if d.empty():
            shown = f" and the interval {_show_interval(interval)}" if interval is not None else ""
            raise ValueError(f"domain of {name} is empty: its assumptions{shown} do not meet")
        return d

    def _meet_domain(self, other: "Domain", sym) -> "Domain":
        """This domain (from assumptions) intersected with a Domain declared for the same symbol."""
        if other.name != self.name:
            raise ValueError(f"the domain declared for {self.name} is a domain of {other.name}")
        if (self.integer and other.noninteger) or (self.noninteger and other.integer):
            raise ValueError(f"domain of {self.name} is empty: integer and noninteger")
        d = self._meet(other.lo, other.hi, other.lo_open, other.hi_open)
        d = replace(d, integer=d.integer or other.integer, noninteger=d.noninteger or other.noninteger,
                    exclude_zero=d.exclude_zero or other.exclude_zero, parity=d.parity or other.parity,
                    primality=d.primality or other.primality, bounds=tuple(dict.fromkeys(d.bounds + other.bounds)))
        if d.empty():
            raise ValueError(f"domain of {self.name} is empty: its assumptions and {other} do not meet")
        return d

    def narrow(self, interval) -> "Domain":
        """This domain intersected with ``interval``, which must not reach outside it.

        ``domain=`` narrows a model's support and never widens it, so an
        interval with an end beyond the support's is a ValueError naming the symbol.

        >>> k = sp.Symbol("k", integer=True, positive=True)
        >>> clicks = Domain.of(sp.Symbol("c", real=True), sp.Range(0, k + 1))
        >>> clicks.narrow(sp.Interval(0, 3))
        Domain(c: integers in [0, min(k, 3)])
        >>> clicks.narrow((-1, 3))
        Traceback (most recent call last):
        ...
        ValueError: domain[c] = (-1, 3) reaches outside the support integers in [0, k] of c
        """
        lo, hi, lo_open, hi_open = _interval(interval, self.name)
        if any(isinstance(e, sp.Symbol) for e in (lo, hi)):
            raise ValueError(f"domain[{self.name}] narrows a support: give numeric ends, got {_show_interval(interval)}")
        below = lo is None and self.lo is not None or lo is not None and self.lo is not None and (
            lo < self.lo or lo == self.lo and self.lo_open and not lo_open)
        above = hi is None and self.hi is not None or hi is not None and self.hi is not None and (
            hi > self.hi or hi == self.hi and self.hi_open and not hi_open)
        if below or above:
            raise ValueError(f"domain[{self.name}] = {_show_interval(interval)} reaches outside the support "
                             f"{self} of {self.name}")
        d = self._meet(lo, hi, lo_open, hi_open)
        if isinstance(interval, sp.Range):
            d = replace(d, integer=True)
        if d.empty():
            raise ValueError(f"domain of {self.name} is empty: the support {self} and "
                             f"{_show_interval(interval)} do not meet")
        return d

    def _meet(self, lo, hi, lo_open, hi_open) -> "Domain":
        d = self
        if lo is not None and (d.lo is None or lo > d.lo or (lo == d.lo and lo_open)):
            d = replace(d, lo=lo, lo_open=lo_open if d.lo is None or lo != d.lo else (lo_open or d.lo_open))
        if hi is not None and (d.hi is None or hi < d.hi or (hi == d.hi and hi_open)):
            d = replace(d, hi=hi, hi_open=hi_open if d.hi is None or hi != d.hi else (hi_open or d.hi_open))
        return d

    # -- membership --------------------------------------------------------

    @property
    def depends_on(self) -> set:
        """The symbols whose values bound this domain."""
        return {sym for _, sym in self.bounds}

    def at(self, point) -> "Domain":
        """The numeric domain once ``point`` fixes the bounding symbols (ValueError if it does not)."""
        d = replace(self, bounds=())
        for op, sym in self.bounds:
            if sym not in point:
                raise ValueError(f"the domain of {self.name} is bounded by {sym}, which the point does not fix")
            end = rational(point[sym], f"value of {sym}")
            d = d._meet(end, None, op == ">", True) if op.startswith(">") else d._meet(None, end, True, op == "<")
        return d

    def contains(self, value, point=None) -> bool:
        """Whether the exact rational ``value`` lies in the domain (decided exactly); ``point``
        fixes the symbols that bound it (a bound left unfixed is not met)."""
        if self.bounds:
            try:
                return self.at(point or {}).contains(value)
            except ValueError:
                return False
        return self._holds(_fraction(rational(value, f"value of {self.name}")))

    @cached_property
    def _ends(self) -> tuple:
        return (None if self.lo is None else _fraction(self.lo), None if self.hi is None else _fraction(self.hi))

    def _holds(self, f: Fraction) -> bool:
        """Membership of a Python fraction, the bounds by symbols aside (compared as fractions:
        sympy's comparisons build relations)."""
        lo, hi = self._ends
        if lo is not None and (f < lo or (f == lo and self.lo_open)):
            return False
        if hi is not None and (f > hi or (f == hi and self.hi_open)):
            return False
        if self.exclude_zero and f == 0:
            return False
        whole = f.denominator == 1
        if self.noninteger and whole:
            return False
        if not self.integer:
            return True
        if not whole:
            return False
        if self.parity is not None and (f.numerator % 2 == 0) != (self.parity == "even"):
            return False
        if self.primality == "prime":
            return bool(sp.isprime(f.numerator))
        if self.primality == "composite":
            return f.numerator > 1 and not sp.isprime(f.numerator)
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
        if self.bounds:
            return False  # judged once the bounding symbols are fixed
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

    def sample(self, rnd: random.Random, point=None) -> sp.Rational:
        """A random member, exact; interior points of an interval, so open ends are respected.
        ``point`` fixes the symbols that bound the domain."""
        if self.bounds:
            return self.at(point or {}).sample(rnd)
        for _ in range(1000):
            # drawn and tested in Python fractions, one sympy number at the end (its arithmetic is slower)
            f = self._integer_candidate(rnd) if self.integer else self._real_candidate(rnd)
            if self._holds(f):
                return sp.Rational(f.numerator, f.denominator)
        raise ValueError(f"could not draw a point of the domain of {self.name} ({self})")

    def _real_candidate(self, rnd) -> Fraction:
        lo, hi = self._ends
        if lo is not None and hi is not None:
            return lo + (hi - lo) * Fraction(rnd.randint(1, 999), 1000)
        den = rnd.randint(2 if self.noninteger else 1, _DENOMINATORS)
        if lo is None and hi is None:
            return Fraction(rnd.randint(-_SPAN_REAL, _SPAN_REAL), den)
        step = Fraction(rnd.randint(1, _SPAN_REAL), den)
        return lo + step if lo is not None else hi - step

    def _integer_candidate(self, rnd) -> Fraction:
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
            return Fraction(int(q if q <= hi else sp.nextprime(lo - 1)))
        return Fraction(rnd.randint(lo, hi))

    # -- display and certificates ---------------------------------------------

    def to_json(self) -> dict:
        """The form the independent checker reads."""
        return {"integer": self.integer, "lo": None if self.lo is None else str(self.lo),
                "hi": None if self.hi is None else str(self.hi), "lo_open": self.lo_open,
                "hi_open": self.hi_open, "exclude_zero": self.exclude_zero, "parity": self.parity,
                "primality": self.primality, "noninteger": self.noninteger,
                "bounds": [[op, sym.name] for op, sym in self.bounds]}

    def __str__(self) -> str:
        lo, hi, lo_open, hi_open = self.lo, self.hi, self.lo is None or self.lo_open, self.hi is None or self.hi_open
        for op, sym in self.bounds:  # a symbolic end beside a numeric one: the nearer of the two
            if op.startswith(">"):
                lo, lo_open = (sym if lo is None else f"max({sym}, {lo})"), op == ">"
            else:
                hi, hi_open = (sym if hi is None else f"min({sym}, {hi})"), op == "<"
        span = f"{'(' if lo_open else '['}{'-oo' if lo is None else lo}, {'oo' if hi is None else hi}{')' if hi_open else ']'}"
        kind = [w for w in (self.parity, self.primality) if w]
        if self.integer:
            span = f"{' '.join(kind) + ' ' if kind else ''}integers in {span}"
        elif self.noninteger:
            span = f"non-integers in {span}"
        return span + (" without 0" if self.exclude_zero else "")

    def __repr__(self) -> str:
        return f"Domain({self.name}: {self})"


def _interval(interval, name: str):
    if isinstance(interval, sp.Range):
        if interval.step != 1:
            raise ValueError(f"domain[{name}] must be a Range with step 1, got {interval}")
        lo, hi, lo_open, hi_open = interval.inf, interval.sup, False, False
    elif isinstance(interval, sp.Interval):
        lo, hi = interval.start, interval.end
        lo_open, hi_open = bool(interval.left_open), bool(interval.right_open)
    elif isinstance(interval, (tuple, list)) and len(interval) == 2:
        (lo, hi), lo_open, hi_open = interval, True, True
    else:
        raise TypeError(f"domain[{name}] must be a pair (lo, hi), a sympy Interval or Range, "
                        f"got {type(interval).__name__}")
    ends = []
    for end, side in ((lo, "lo"), (hi, "hi")):
        # the type first: a caller's object is never compared (its __eq__ is not called)
        if end is None or isinstance(end, sp.Basic) and end in (sp.oo, -sp.oo):
            ends.append(None)
        elif isinstance(end, sp.Symbol):
            ends.append(end)
        else:
            ends.append(rational(end, f"domain[{name}] {side}"))
    return ends[0], ends[1], lo_open, hi_open


def _show_interval(interval) -> str:
    if isinstance(interval, (sp.Interval, sp.Range)):
        return str(interval)
    return f"({interval[0]}, {interval[1]})"


def _fraction(q: sp.Rational) -> Fraction:
    return Fraction(int(q.p), int(q.q))


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
    doms: dict = {}
    todo = list(set(symbols) | set(declared))
    while todo:  # a symbol that bounds another needs a domain (and a value) too
        sym = todo.pop()
        if sym not in doms:
            doms[sym] = Domain.of(sym, declared.get(sym))
            todo.extend(doms[sym].depends_on - set(doms))
    return doms


def declared_for(symbols, declared) -> dict:
    """The entries of ``declared`` for ``symbols`` and for every symbol bounding them (transitively).

    >>> k, c = sp.Symbol("k", positive=True), sp.Symbol("c")
    >>> sorted(declared_for([c], {c: sp.Interval(0, k), k: (0, 9)}), key=str)
    [c, k]
    """
    declared = dict(declared or {})
    out: dict = {}
    todo = [sym for sym in symbols if sym in declared]
    while todo:
        sym = todo.pop()
        if sym in out or sym not in declared:
            continue
        out[sym] = declared[sym]
        interval = declared[sym]
        if isinstance(interval, Domain):
            todo.extend(interval.depends_on)
            continue
        ends = (interval.inf, interval.sup) if isinstance(interval, (sp.Interval, sp.Range)) else \
            tuple(interval) if isinstance(interval, (tuple, list)) else ()
        todo.extend(e for e in ends if isinstance(e, sp.Symbol))
    return out


def draw_order(doms) -> list:
    """The symbols of ``doms`` in an order where each comes after the symbols bounding it
    (otherwise by name, so draws are reproducible from a seed)."""
    order, placed = [], set()
    pending = sorted(doms, key=str)
    while pending:
        # the first ready symbol by name (scanning on to the first: all of them, each time, is
        # quadratic in the number of symbols)
        k = next((k for k, sym in enumerate(pending) if doms[sym].depends_on <= placed), None)
        if k is None:
            raise ValueError(f"the domains of {', '.join(map(str, pending))} bound each other in a cycle")
        order.append(pending[k])
        placed.add(pending.pop(k))
    return order


def sample_point(doms, rnd: random.Random, order=None) -> dict:
    """One exact point of the domains, each symbol drawn after those bounding it (``order``:
    :func:`draw_order` of ``doms``, when the caller draws many points)."""
    pt: dict = {}
    for sym in draw_order(doms) if order is None else order:
        pt[sym] = doms[sym].sample(rnd, pt)
    return pt


def outside(point, doms) -> list[str]:
    """The names of the symbols whose exact value in ``point`` lies outside their Domain
    (a value still symbolic, such as a truth left free, is not judged).

    >>> p = sp.Symbol("p", positive=True)
    >>> outside({p: -1}, domains_for([p]))
    ['p']
    """
    return [str(s) for s, q in point.items()
            if (not isinstance(q, sp.Basic) or q.is_Rational) and not doms[s].contains(q, point)]
