r"""The verification kernel: three-valued verdicts on identities and signs.

A claim ``lhs == rhs`` is

* ``proved`` when the residual ``lhs - rhs`` is *decided* to be zero (it
  vanishes as a rational function over QQ in its atoms, after rewriting by
  identities that hold for all values: ``exp(a + b) = exp(a) exp(b)``,
  ``sin(u)^2 + cos(u)^2 = 1``), it is exactly zero at ``points >= 20``
  distinct random points of the symbols' domains, and, where an expectation
  is involved, Monte Carlo agrees at three of those points with power to
  disagree (see :func:`monte_carlo_agrees`);
* ``refuted`` when a point of the domains is found where the residual is an
  exact nonzero rational or a transcendental number certified nonzero by a
  rigorous ball (python-flint's ``arb``);
* ``inconclusive`` otherwise, with the reason.  ``simplify`` may propose a
  zero but never decides one; no float, ``N()`` or ``evalf`` threshold
  decides anything; every call runs under a time budget
  (:mod:`symbolic_mech.core.budget`) and answers "time limit" past it.

Every verdict carries a certificate (JSON) that the independent checker
(:mod:`symbolic_mech.core.checker`) replays.  Values are taken by the strict
converter (:mod:`symbolic_mech.core.exact`): strings are never parsed.

Examples
========

>>> import sympy as sp
>>> from symbolic_mech.core.kernel import check_identity
>>> a, b = sp.symbols("a b", real=True)
>>> check_identity((a + b)**2, a**2 + 2*a*b + b**2).status
'proved'
>>> v = check_identity((a + b)**2, a**2 + b**2)
>>> v.status, v.evidence["witness"]["gap"] != 0
('refuted', True)
"""
from __future__ import annotations

import json
import math
import numbers
import random
import re
from itertools import chain, islice
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import flint
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from . import budget as _budget
from . import checker
from .domains import declared_for, domains_for, draw_order, outside, sample_point
from .exact import expression, point as _exact_point, rational, seed as _seed
from .posteriors import posterior_atom
from .shared import atoms as _atoms, free_symbols as _free_symbols_of
from .trees import _condition as condition_tree, from_point, to_tree

__all__ = [
    "Verdict", "check_identity", "check_sign", "refute_at", "decide_zero", "decide_sign", "Regions",
    "monte_carlo_agrees", "random_point", "exact_value", "point_evaluator", "as_expr", "PROVED", "REFUTED",
    "INCONCLUSIVE", "NONREAL", "MIN_POINTS", "MC_POINTS", "MC_MIN_SAMPLES", "MC_SIGMAS", "MC_RELATIVE_SE",
]

PROVED, REFUTED, INCONCLUSIVE = "proved", "refuted", "inconclusive"
STATUSES = (PROVED, REFUTED, INCONCLUSIVE)
CERTIFICATE_FORMAT = "symbolic_mech-certificate/1"

MIN_POINTS = 20          # distinct exact points a proof needs
MC_POINTS = 3            # points at which Monte Carlo runs
MC_MIN_SAMPLES = 10_000  # fewer draws are not evidence
MC_SIGMAS = 5.0          # agreement: |estimate - exact| <= 5 se
MC_RELATIVE_SE = 0.01    # informative: se <= 1% of max(|exact|, mean |draw|)
MC_EXTRA_POINTS = 200    # further exact points a simulation may go on to, looking for informative ones
_MAX_BITS = 2_000_000    # exact powers beyond this size go to ball arithmetic
_MAX_MAGNITUDE_BITS = 1 << 16   # constants beyond 2^(2^16) are kept from sympy's numerics (_huge_atoms)
_PRECISIONS = (64, 128, 256, 512, 1024, 2048, 4096)
NONREAL = 2              # the "sign" of a value certified off the real line


def as_expr(obj, name: str) -> sp.Expr:
    """Accept a sympy expression or an exact number; reject everything else.

    Strings are refused rather than parsed, so no text is ever executed.

    >>> as_expr(3, "lhs")
    3
    >>> as_expr("x + 1", "lhs")
    Traceback (most recent call last):
    ...
    TypeError: lhs must be an exact rational (int, Fraction or sympy Rational), got str (strings are not parsed)
    """
    return expression(obj, name)


def _jsonable(value):
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, float, np.floating, np.integer)):
        return value.item() if hasattr(value, "item") else value
    return str(value)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: a status, the claim, the evidence and its certificate.

    ``evidence`` holds exact sympy objects for people and the engine; keys used
    by the kernel: ``points_checked``, ``witness`` (``{"point", "gap"}`` for
    identities and signs, ``{"truth", "report", "gain"}`` for incentives),
    ``monte_carlo`` (a list, one entry per point), ``decision`` (how the
    symbolic zero or sign was decided) and ``reason``.  ``certificate`` is the
    JSON-ready record the independent checker replays.  A refuted verdict
    must carry a witness.
    """

    id: str
    claim: str
    status: str
    evidence: dict = field(default_factory=dict)
    certificate: dict | None = None
    # the Monte Carlo sampler behind the certificate, for an in-process replay (never serialized)
    sampler: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.status == REFUTED and not self.evidence.get("witness"):
            raise ValueError("a refuted verdict needs a witness")

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    @property
    def refuted(self) -> bool:
        return self.status == REFUTED

    def to_dict(self) -> dict:
        out = {"id": self.id, "claim": self.claim, "status": self.status,
               "evidence": _jsonable(self.evidence)}
        if self.certificate is not None:
            out["certificate"] = self.certificate
        return out

    def brief(self) -> str:
        r"""One line of evidence that says what decided: the decision, the exact points, the Monte
        Carlo, the enumeration, the witness or the reason, in words with TeX math between ``$``
        signs (rendered per medium like a step's title; the witness's point in the paper's order,
        :func:`paper_order`).

        Display only: a long exact number is shown by a float approximation
        (``\approx``), the exact value stays in the evidence.  A Monte Carlo part shows
        the point with the largest error in standard errors: the estimate, the
        exact value it is compared with and the standard error relative to it.
        An assembled verdict (a result's, with ``checks``) counts its checks by what
        decided them; its witness is its own, never a control's.

        >>> v = Verdict("w", "no gain", REFUTED, {"witness": {"truth": {"t": 2}, "report": {"t'": 1},
        ...                                                   "gain": sp.Rational(1, 4)}})
        >>> v.brief()
        "witness: truth $t = 2$, report $t' = 1$: gain 1/4 (exact)"
        >>> mc = {"estimate": 1.0672, "exact": 1.0625, "exact_value": sp.Rational(17, 16), "se": 0.0037,
        ...       "scale": 1.32, "samples": 100000}
        >>> Verdict("m", "a mean", PROVED, {"points_checked": 20, "monte_carlo": [mc],
        ...                                 "decision": "zero as a rational function in its atoms"}).brief()
        'decided: zero as a rational function in its atoms; 20 exact points; Monte Carlo at 1 point: 1.067 vs exact 17/16 (err 1.3 se; se 0.35% of |exact|, 0.28% of mean |draw|; N=100000)'
        >>> w = {"point": {"s1": 2, "theta1": 1, "mu": 0}, "gap": sp.Rational(-3, 4)}
        >>> Verdict("g", "a gap", REFUTED, {"points_checked": 1, "witness": w}).brief()
        'witness $\\theta_{1} = 1, s_{1} = 2, \\mu = 0$: left − right side = -3/4 (exact)'
        """
        def number(value, width=14):
            # an exact number, or its float approximation when the exact form is long
            if isinstance(value, str):
                head, slash, tail = value.removeprefix("-").partition("/")
                if head.isascii() and head.isdigit() and (not slash or tail.isascii() and tail.isdigit()
                                                          and int(tail) != 0):
                    value = Fraction(value)
            if isinstance(value, Fraction):
                value = sp.Rational(value.numerator, value.denominator)
            if isinstance(value, (int, np.integer)):
                value = sp.Integer(int(value))
            if not isinstance(value, sp.Basic):
                return _short(value, width + 10)
            text = _short(value, 10 ** 6)
            if len(text) <= width and value.is_Rational:
                return text
            try:
                approx = float(sp.N(value, 8)) if not value.is_Rational else float(Fraction(int(value.p), int(value.q)))
                return rf"$\approx {approx:.4g}$"
            except (TypeError, ValueError, OverflowError, ZeroDivisionError):
                return _short(text, width)

        def exact(value) -> str:
            # a short rational as it is; a long one rounded; any other value (a closed form in e, log, ...)
            # rounded, its sign certified by ball arithmetic (the only other way a refutation is accepted)
            shown = number(value)
            if not shown.startswith("$"):
                return f"{shown} (exact)"
            try:
                Fraction(str(value))
                rational = True
            except (ValueError, ZeroDivisionError):
                rational = isinstance(value, (sp.Rational, Fraction, int))
            return shown + (" (exact rational, rounded here)" if rational else " (its sign certified by ball arithmetic)")

        def profile(values, width=2000):
            # a point in the paper's order, as math (its long rationals approximated, exact in the certificate)
            if not isinstance(values, Mapping):
                return _short(values, width)
            if not values:
                return ""
            shown = []
            for k in paper_order(values):
                value = number(values[k], 24)
                value = value[1:-1] if value.startswith("$") else value
                shown.append(f"{tex_name(k)} = {value}")
            return "$" + ", ".join(shown) + "$"

        e, parts = self.evidence, []
        if "checks" in e:
            return self._assembled_brief()
        if e.get("decision"):
            parts.append(f"decided: {e['decision']}")
        if "schematic" in e:
            # a statement for every instance: rule steps, no points
            parts.append(f"schematic: {e['schematic']}")
        if "constraints" in e and not e.get("witness"):
            parts.append(f"enumeration of {e['constraints']:,} incentive constraints")
        witness = e.get("witness")
        points = e.get("points_checked", 0)
        if witness and points:
            points -= 1                       # the witness is the last point drawn
        if points and not ("schematic" in e and not points) and "m0" not in e:
            parts.append(f"{points} exact point{'s' if points != 1 else ''}")
        if "m0" in e:
            parts.append(f"for every $m \\geq {e['m0']}$")
        mcs = e.get("monte_carlo") or []
        if isinstance(mcs, dict):
            mcs = [mcs]
        masses = [mc for mc in mcs if mc.get("point_mass")]
        if masses:
            parts.append(f"Monte Carlo at {len(masses)} point mass{'es' if len(masses) > 1 else ''}: every draw "
                         "equals the exact value, decided in rationals")
            mcs = [mc for mc in mcs if not mc.get("point_mass")]
        if mcs:
            worst = max(mcs, key=lambda mc: abs(mc["estimate"] - mc["exact"]) / max(mc["se"], 1e-300))
            err, se, exact_mc = abs(worst["estimate"] - worst["exact"]), worst["se"], worst["exact"]
            shown = number(worst.get("exact_value", exact_mc), 12)
            if shown.startswith("$") or shown == _short(exact_mc, 40):
                shown = f"{exact_mc:.4g}"
            # informative means se <= 1% of the larger of |exact| and mean |draw|: both are shown
            scale = worst.get("scale")
            of_draws = f"{se / scale:.2%} of mean |draw|" if scale else None
            relative = (f"se {se / abs(exact_mc):.2%} of |exact|" + (f", {of_draws}" if of_draws else "")
                        if exact_mc else f"exact 0: se {of_draws}" if of_draws else f"se {se:.2g}")
            parts.append(f"Monte Carlo at {len(mcs)} point{'s' if len(mcs) > 1 else ''}: {worst['estimate']:.4g} "
                         f"vs exact {shown} (err {err / max(se, 1e-300):.1f} se; {relative}; N={worst['samples']})")
        if "epsilon" in e:
            parts.append(f"regret $\\epsilon$ = {number(e['epsilon'])}")
        if witness:
            w = witness
            if not isinstance(w, Mapping):
                parts.append(f"witness: {_short(w)}")
            elif "cycle" in w:
                steps = [step.get("type", step) if isinstance(step, Mapping) else step for step in w["cycle"]]
                types = r" $\to$ ".join(profile(t, 80) for t in steps[:4]) + (r" $\to \ldots$" if len(steps) > 4 else "")
                agent = f"agent {w['agent']}'s " if "agent" in w else ""
                parts.append(f"witness: a negative cycle of {agent}types {types}; total {exact(w.get('gap'))}")
            elif "truth" in w:
                kind = "gain" if "gain" in w else "gap"
                parts.append(f"witness: truth {profile(w['truth'])}, report {profile(w.get('report'))}: "
                             f"{kind} {exact(w.get(kind))}")
            elif "point" in w:
                at = f" {profile(w['point'])}" if w["point"] else ""
                parts.append(f"witness{at}: left − right side = {exact(w.get('gap'))}")
            elif "multipliers" in w:
                parts.append(f"witness: Farkas multipliers on {len(w['multipliers'])} constraints")
            else:
                kind = "gain" if "gain" in w else "gap"
                parts.append(f"witness: {kind} {exact(w.get(kind))}")
        if "reason" in e:
            parts.append(str(e["reason"]))
        return "; ".join(parts)

    def _assembled_brief(self) -> str:
        # a result's verdict: its checks counted by what decided them, then its own Monte Carlo and witness
        e = self.evidence
        own = [c for c in e["checks"] if not c.get("control")]
        controls = [c for c in e["checks"] if c.get("control")]
        how: dict[str, int] = {}
        for c in own:
            key = c.get("decided") or c["status"]
            how[key] = how.get(key, 0) + 1
        parts = [f"{len(own)} check{'s' if len(own) != 1 else ''} ("
                 + ", ".join(f"{n} {key}" for key, n in how.items()) + ")"] if own else []
        if controls:
            held = sum(c["status"] == c.get("expected") for c in controls)
            parts.append(f"{len(controls)} control{'s' if len(controls) != 1 else ''} "
                         + ("as required" if held == len(controls) else f"({held} as required)"))
        if e.get("points_checked"):
            parts.append(f"{e['points_checked']} exact points")
        rest = Verdict(self.id, self.claim, self.status,
                       {k: v for k, v in e.items() if k in ("monte_carlo", "witness", "reason", "epsilon")}).brief()
        if e.get("witness_of"):
            # the witness belongs to the check it refutes (a failure the paper exhibits, or the erratum's)
            rest = rest.replace("witness", f"witness of {e['witness_of']}", 1)
        return "; ".join(parts + ([rest] if rest else []))

    def decided(self) -> str:
        """What decided this verdict, in a few words (a result's verdict counts its checks by it).

        >>> Verdict("a", "x", PROVED, {"decision": "exactly zero (atoms replaced by their definitions)"}).decided()
        'exactly zero'
        >>> Verdict("b", "y", REFUTED, {"witness": {"point": {}, "gap": 1}}).decided()
        'refuted by an exact witness'
        """
        e = self.evidence
        if self.status == REFUTED:
            return "refuted by an exact witness" if "multipliers" not in (e.get("witness") or {}) else \
                "refuted by Farkas multipliers"
        if self.status != PROVED:
            return self.status
        if "schematic" in e:
            return "rule by rule (schematic)"
        if "constraints" in e:
            return "by enumeration of the constraints"
        decision = str(e.get("decision") or "")
        if decision.startswith("decided at the"):
            return "at the points given"
        if decision:
            return decision.split(" (")[0].split(",")[0].replace(" in its atoms", "").replace(" of its Piecewise/Max/Min", "")
        return "proved"

    def __str__(self) -> str:
        return f"[{self.status}] {self.id}: {self.claim}" + (f" ({self.brief()})" if self.brief() else "")

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu", "nu",
          "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega")
_NAME = re.compile(r"^(?P<base>[A-Za-z]+?)(?P<hat>_hat)?(?:_?(?P<index>-?\d+)|_(?P<letter>[a-z]))?(?P<primes>'*)$")


def tex_name(name: str) -> str:
    r"""A symbol's name as TeX in the paper's notation: Greek letters as macros, a trailing
    index as a subscript, primes kept; a name of another form as text.

    >>> [tex_name(n) for n in ("theta1", "s1'", "omega_hat", "sigma", "mu0", "t_m", "eps1", "E[omega|1]")]
    ['\\theta_{1}', "s_{1}'", '\\hat\\omega', '\\sigma', '\\mu_{0}', 't_{m}', '\\varepsilon_{1}', '\\text{E[omega|1]}']
    """
    m = _NAME.match(str(name))
    if m is None:
        return rf"\text{{{name}}}"
    base = m["base"]
    base = {"eps": r"\varepsilon"}.get(base, rf"\{base}" if base in _GREEK else base)
    if m["hat"]:
        base = rf"\hat{base}" if base.startswith("\\") else rf"\hat{{{base}}}"
    index = m["index"] or m["letter"]
    return base + (f"_{{{index}}}" if index else "") + m["primes"]


def paper_order(point) -> list:
    """The names of a point in the paper's order: preferences theta, then signals s, then the state
    omega, then the parameters (alphabetically); agent index ascending, a report after the truth.

    >>> paper_order(["sigma1", "omega", "s2", "theta2", "s1'", "theta1", "mu", "s1"])
    ['theta1', 'theta2', 's1', "s1'", 's2', 'omega', 'mu', 'sigma1']
    """
    def key(name):
        m = _NAME.match(str(name))
        if m is None:
            return (4, str(name), 0, "")
        rank = {"theta": 0, "s": 1, "omega": 2}.get(m["base"], 3)
        index = m["index"] or ""
        number = int(index) if index else -1
        return (rank, m["base"] if rank == 3 else "", number, m["primes"] + (m["hat"] or ""))
    return sorted(point, key=key)


def _short(expr, width: int = 60) -> str:
    try:
        text = expr if isinstance(expr, str) else sp.sstr(expr)
    except ValueError:  # an integer beyond Python's int-to-str limit
        return "<too large to print>"
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------------------
# points
# ---------------------------------------------------------------------------

def random_point(symbols, rnd: random.Random, domain: Mapping | None = None) -> dict:
    """A random exact rational value for each symbol, drawn from its :class:`Domain`.

    ``domain`` maps a symbol to an interval (a pair, open ends, or a sympy
    Interval) intersected with the symbol's assumptions.

    >>> import sympy as sp, random
    >>> t = sp.Symbol("t", positive=True)
    >>> random_point([t], random.Random(0))[t] > 0
    True
    """
    return sample_point(domains_for(symbols, declared_for(symbols, domain)), rnd)


def _candidates(sampler, doms: Mapping, seed: int, count: int, typical: int = 2 * MC_POINTS, seen=None):
    """Points to check: first (up to ``typical``) those a Monte Carlo sampler proposes
    (``sampler.points(doms, rnd)``: profiles its model makes likely, where a simulation has
    power), each inside the domains; then random points of the domains (distinct, ``5 * count``
    draws at most); none already in ``seen`` (a set of value tuples in the symbols' name order)."""
    seen = set() if seen is None else seen
    order = sorted(doms, key=str)
    proposals = getattr(sampler, "points", None)
    typical = islice(proposals(doms, random.Random(seed + 1)), typical) if proposals else ()
    for pt in chain(typical, _draw_points(doms, random.Random(seed), count)):
        if not set(doms) <= set(pt):
            continue
        try:
            # a proposal is user code: only exact rationals are points
            pt = _exact_point({sym: pt[sym] for sym in order}, "a proposed point")
        except (TypeError, ValueError):
            continue
        key = tuple(pt[sym] for sym in order)
        if key not in seen and not outside(pt, doms):
            seen.add(key)
            yield pt


def _draw_points(doms: Mapping, rnd: random.Random, count: int):
    """Up to ``count`` distinct points, ``5 * count`` draws at most."""
    seen: set = set()
    order, drawing = sorted(doms, key=str), draw_order(doms)
    for _ in range(5 * count):
        pt = sample_point(doms, rnd, drawing)
        key = tuple(pt[s] for s in order)
        if key not in seen:
            seen.add(key)
            yield pt


# ---------------------------------------------------------------------------
# exact and ball evaluation at a point
# ---------------------------------------------------------------------------

class _Unbound(Exception):
    """A symbol the point does not fix and no definition turns into a number."""


class _TooLarge(Exception):
    """An exact power too large to compute: the value goes to ball arithmetic."""


class _Undecidable(Exception):
    """A branch condition, a float, or a function the evaluator does not know."""


def _to_sympy(val):
    if isinstance(val, flint.fmpq):
        return sp.Rational(int(val.p), int(val.q))
    return sp.Rational(val.numerator, val.denominator) if isinstance(val, Fraction) else val


_FORMULAS: dict = {}
_FORMULAS_MAX = 20_000


def _formula(definitions, atom):
    """``definitions(atom)``, remembered across points and calls: a definitions map is a pure
    function of the atom, and building a formula costs more than evaluating it."""
    key = (definitions, atom)
    try:
        return _FORMULAS[key]
    except KeyError:
        pass
    except TypeError:       # a map that cannot be a key is asked each time
        return definitions(atom)
    if len(_FORMULAS) >= _FORMULAS_MAX:
        _FORMULAS.clear()
    formula = _FORMULAS[key] = definitions(atom)
    return formula


_FORMAL: dict = {}


def _formal(e):
    """The applied function ``e`` at formal arguments (one Dummy per position)."""
    key = (e.func, len(e.args))
    if key not in _FORMAL:
        _FORMAL[key] = e.func(*(sp.Dummy(f"arg{k}") for k in range(len(e.args))))
    return _FORMAL[key]


def _atom_value(e, values, definitions, ev, applied=None):
    """The value of a symbol or an applied function: from the point, else through its formula.

    With ``applied(formal, args, formula)``, an applied function's formula is built once at
    formal arguments and evaluated at the arguments' values (no formula rebuilt per point)."""
    if e in values:
        return values[e]
    if definitions is None:
        raise _Unbound(e)
    if isinstance(e, AppliedUndef) and applied is not None:
        formal = _formal(e)
        formula = _formula(definitions, formal)
        if formula == formal:
            raise _Unbound(e)
        return applied(formal, tuple(ev(a) for a in e.args), formula)
    at = e.func(*map(_to_sympy, map(ev, e.args))) if isinstance(e, AppliedUndef) else e
    formula = _formula(definitions, at)
    if formula == at:
        raise _Unbound(e)
    return ev(formula)


_FMPQ = flint.fmpq
_KIND: dict = {}            # the evaluator's case for each expression class, found once per class
_RATIONALS: dict = {}       # sympy rational -> fmpq, shared by every point


def _kind(cls) -> str:
    if issubclass(cls, sp.Rational):
        kind = "rational"
    elif issubclass(cls, sp.Float):
        kind = "float"
    elif issubclass(cls, (sp.Symbol, AppliedUndef)):
        kind = "atom"
    elif cls is sp.Add or cls is sp.Mul:
        kind = cls.__name__.lower()
    elif cls is sp.Pow:
        kind = "pow"
    elif issubclass(cls, sp.Piecewise):
        kind = "piecewise"
    else:
        kind = "other"
    _KIND[cls] = kind
    return kind


def _exact_evaluator(point: Mapping, definitions, values=None, opaque: bool = False):
    """``ev(expr)``: the exact value at ``point``, each shared subtree once; with ``opaque`` a
    symbol or function without a value or a formula (an arbitrary h_i) stays as it is, at its
    arguments' values.

    Rational arithmetic runs on flint's fmpq; anything else (sqrt, exp)
    is handed to sympy's exact constructors.  Atoms are evaluated through
    ``definitions``: each applied function's formula at formal arguments, once
    per distinct value of its arguments.
    """
    if values is None:
        values = {k: flint.fmpq(int(v.p), int(v.q)) for k, v in point.items()}
    memo: dict = {}
    applications: dict = {}

    def applied(formal, args, formula):
        key = (formal, args)
        if key not in applications:
            inner = _exact_evaluator(None, definitions, {**values, **dict(zip(formal.args, args))}, opaque)
            applications[key] = inner(formula)
        return applications[key]

    def combine(op, vals):
        acc = vals[0]
        if type(acc) is _FMPQ:
            add = op is sp.Add
            for v in vals[1:]:
                if type(v) is not _FMPQ:
                    break
                acc = acc + v if add else acc * v
            else:
                return acc
        return op(*map(_to_sympy, vals))

    def ev(e):
        val = memo.get(e)
        if val is not None:
            return val
        kind = _KIND.get(type(e)) or _kind(type(e))
        if kind == "rational":
            val = _RATIONALS.get(e)
            if val is None:
                if len(_RATIONALS) >= _FORMULAS_MAX:
                    _RATIONALS.clear()
                val = _RATIONALS[e] = flint.fmpq(int(e.p), int(e.q))
        elif kind == "add" or kind == "mul":
            val = combine(e.func, [ev(a) for a in e.args])
        elif kind == "atom":
            try:
                val = _atom_value(e, values, definitions, ev, applied)
            except _Unbound:
                if not opaque:
                    raise
                val = e.func(*map(_to_sympy, map(ev, e.args))) if e.args else e
        elif kind == "pow" and e.exp.is_Integer and type(base := ev(e.base)) is _FMPQ:
            k = int(e.exp)
            if abs(k) * max(int(base.p).bit_length(), int(base.q).bit_length(), 1) > _MAX_BITS:
                raise _TooLarge
            val = base ** k
        elif kind == "float":
            raise _Undecidable("a float in the expression")
        elif kind == "piecewise":
            val = _piecewise(e, ev)
        elif kind == "pow" and e.exp.is_Integer and abs(int(e.exp)) > 10_000:
            raise _TooLarge
        else:
            val = e.func(*map(_to_sympy, map(ev, e.args)))
        memo[e] = val
        return val
    return ev


def _piecewise(e, ev):
    for expr, cond in e.args:
        c = cond if cond in (sp.true, sp.false) else _condition(cond, ev)
        if c is sp.true:
            return ev(expr)
    raise ValueError("no branch of the Piecewise applies")


def _condition(cond, ev):
    if isinstance(cond, (sp.And, sp.Or)):
        parts = [_condition(c, ev) for c in cond.args]
        return sp.true if (all if isinstance(cond, sp.And) else any)(p is sp.true for p in parts) else sp.false
    if isinstance(cond, sp.Not):
        return sp.false if _condition(cond.args[0], ev) is sp.true else sp.true
    if isinstance(cond, sp.core.relational.Relational):
        lhs, rhs = ev(cond.lhs), ev(cond.rhs)
        if isinstance(lhs, flint.fmpq) and isinstance(rhs, flint.fmpq):
            s = (lhs > rhs) - (lhs < rhs)       # two rationals: their order decides, exactly
        else:
            s = decide_sign(_to_sympy(lhs) - _to_sympy(rhs))[0]
        if s is None or s == NONREAL:
            raise _Undecidable(f"the branch condition {cond} is not decided")
        op = cond.rel_op
        holds = {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[op]
        return sp.true if holds else sp.false
    if cond in (sp.true, sp.false):
        return cond
    raise _Undecidable(f"the branch condition {cond} is not decided")


_BALL_FUNCS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
               sp.atan: "atan", sp.erf: "erf", sp.erfc: "erfc"}


def _ball_evaluator(point: Mapping, definitions, ball=flint.arb):
    """``ev(expr)``: a ball containing the value at ``point`` (current precision).

    ``ball`` is ``flint.arb`` (real: every step must stay real) or
    ``flint.acb`` (complex, principal branches as sympy's).
    """
    real = ball is flint.arb
    values = {k: ball(flint.fmpq(int(v.p), int(v.q))) for k, v in point.items()}
    memo: dict = {}

    def ev(e):
        if e in memo:
            return memo[e]
        if e.is_Rational:
            val = ball(flint.fmpq(int(e.p), int(e.q)))
        elif e is sp.pi:
            val = ball(flint.arb.pi())
        elif e is sp.E:
            val = ball(1).exp()
        elif e is sp.I and not real:
            val = flint.acb(0, 1)
        elif e.is_Symbol or isinstance(e, AppliedUndef):
            val = _atom_value(e, values, definitions, ev)
        elif e.is_Add:
            val = sum((ev(a) for a in e.args[1:]), ev(e.args[0]))
        elif e.is_Mul:
            val = ev(e.args[0])
            for a in e.args[1:]:
                val = val * ev(a)
        elif e.is_Pow:
            base = ev(e.base)
            if e.exp.is_Integer:
                k = int(e.exp)
                if k < 0 and 0 in base:
                    raise ZeroDivisionError
                val = base ** k if k >= 0 else 1 / base ** (-k)
            elif not real and 0 not in base:
                val = (ev(e.exp) * base.log()).exp()
            elif real and base > 0:
                val = base ** ev(e.exp)
            else:
                raise _Undecidable("a power of a base not certified positive")
        elif e.func in _BALL_FUNCS:
            arg = ev(e.args[0])
            if e.func is sp.log and not (arg > 0 if real else 0 not in arg):
                raise _Undecidable("log of an argument not certified positive")
            val = getattr(arg, _BALL_FUNCS[e.func])()
        elif isinstance(e, sp.Abs):
            val = ball(abs(ev(e.args[0])))
        elif isinstance(e, (sp.Max, sp.Min)) and real:
            vals = [ev(a) for a in e.args]
            val = vals[0]
            for w in vals[1:]:
                bigger = (w > val) if isinstance(e, sp.Max) else (w < val)
                smaller = (w <= val) if isinstance(e, sp.Max) else (w >= val)
                val = w if bigger else val if smaller else val.union(w)
        else:
            raise _Undecidable(f"no ball arithmetic for {e.func}")
        if not val.is_finite():
            raise _Undecidable("the ball is not finite")
        memo[e] = val
        return val
    return ev


def _ball_sign(expr, point: Mapping, definitions, precisions=_PRECISIONS):
    """(sign, bits) certified by a ball at increasing precision; (None, bits) if every ball holds 0.

    A value the real evaluation cannot follow (a logarithm of a negative
    number) is evaluated in complex balls: a ball off the real line gives
    sign :data:`NONREAL` (nonzero, but neither positive nor negative).
    """
    old = flint.ctx.prec
    ball = flint.arb
    try:
        for bits in precisions:
            _budget.check()
            flint.ctx.prec = bits
            try:
                val = _ball_evaluator(point, definitions, ball)(expr)
            except _Undecidable:
                if ball is flint.acb:
                    raise
                ball = flint.acb
                val = _ball_evaluator(point, definitions, ball)(expr)
            if ball is flint.acb:
                if 0 not in val.imag:
                    return NONREAL, bits
                if val.imag != 0:
                    continue
                val = val.real
            if val > 0:
                return 1, bits
            if val < 0:
                return -1, bits
        return None, precisions[-1]
    finally:
        flint.ctx.prec = old


# ---------------------------------------------------------------------------
# decisions
# ---------------------------------------------------------------------------

_FLINT_TERMS = 200_000     # a polynomial of more terms is left to sympy (flint cannot be interrupted)


def _in_generators(res: sp.Expr) -> tuple:
    """(num, den, generators): ``res`` as a quotient of flint's exact polynomials over QQ in
    independent generators (every maximal part that is not a sum, a product, an integer power
    or a rational, listed in the order of the polynomials' variables).  Sums are taken over the
    lcm of the denominators, so a sum over one denominator (the common case) never multiplies it
    out.  Raises _TooLarge past the size cap, ZeroDivisionError on a zero denominator."""
    gens = _generators(res, ())
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"g{k}" for k in range(max(1, len(gens)))))
    index = {g: k for k, g in enumerate(gens)}
    one, memo = ctx.constant(1), {}

    def small(p):
        if len(p) > _FLINT_TERMS:
            raise _TooLarge
        return p

    def rf(e):
        if e in memo:
            return memo[e]
        if e.is_Rational:
            out = ctx.constant(flint.fmpq(int(e.p), int(e.q))), one
        elif e in index:
            out = ctx.gen(index[e]), one
        elif e.is_Add:
            num, den = rf(e.args[0])
            for a in e.args[1:]:
                n2, d2 = rf(a)
                if d2 == den:
                    num = small(num + n2)
                else:
                    g = den.gcd(d2)
                    num, den = small(num * (d2 / g) + n2 * (den / g)), small(den * (d2 / g))
            out = num, den
        elif e.is_Mul:
            num, den = one, one
            for a in e.args:
                n2, d2 = rf(a)
                num, den = small(num * n2), small(den * d2)
            out = num, den
        else:       # an integer power (the generators took every other node)
            num, den = rf(e.base)
            k = int(e.exp)
            if k < 0:
                if num.is_zero():
                    raise ZeroDivisionError
                num, den, k = den, num, -k
            if max(len(num), len(den)) ** min(k, 8) > _FLINT_TERMS and max(len(num), len(den)) > 1:
                raise _TooLarge
            out = small(num ** k), small(den ** k)
        memo[e] = out
        return out

    num, den = rf(res)
    return num, den, list(gens)


def _zero_in_generators(res: sp.Expr) -> bool | None:
    """Whether ``res`` is zero as a rational function over QQ in independent generators; None
    past the size cap or on a zero denominator (see :func:`_in_generators`).

    Zero here is zero for every value of the generators, so True decides; False says only that
    the generators' relations (exp(a + b) = exp(a) exp(b), sin^2 + cos^2 = 1, ...) are still to
    be tried.

    >>> a, b = sp.symbols("a b")
    >>> _zero_in_generators(a / (a + b) + b / (a + b) - 1), _zero_in_generators(sp.exp(a) - a)
    (True, False)
    """
    try:
        return _in_generators(res)[0].is_zero()
    except (_TooLarge, ZeroDivisionError):
        return None


def _reduced_forms(form: sp.Expr) -> tuple:
    """(factored, expanded): ``form`` as a reduced quotient of polynomials in its generators,
    factored over QQ and expanded, by flint (sympy's cancel and factor give the same forms, at
    many times the cost).

    >>> a, b = sp.symbols("a b", positive=True)
    >>> _reduced_forms((a**2 - b**2) / (a - b))
    (a + b, a + b)
    """
    num, den, gens = _in_generators(form)
    g = num.gcd(den)
    num, den = num / g, den / g

    def back(p):
        return sp.Add(*[sp.Rational(int(c.p), int(c.q)) * sp.Mul(*[x ** k for x, k in zip(gens, e) if k])
                        for e, c in p.to_dict().items()])

    def factored(p):
        c, parts = p.factor()
        return sp.Rational(int(c.p), int(c.q)) * sp.Mul(*[back(f) ** k for f, k in parts])
    return factored(num) / factored(den), back(num) / back(den)


def _cancel_atomic(res: sp.Expr) -> sp.Expr:
    """The residual as a canonical rational function in its atoms.

    No expand first where there are quotients: expanding nested quotients
    multiplies out every numerator over every denominator.  A residual that
    is polynomial in its atoms is expanded instead, which is linear in the
    size of the expansion.
    """
    if not any(p.exp.is_negative or not p.exp.is_Integer for p in res.atoms(sp.Pow)):
        r = sp.expand(res)
        if r == 0:
            return r
    return sp.cancel(sp.together(res))


def _generators(expr: sp.Expr, keep) -> dict:
    """{atom: fresh Dummy} for every maximal part of ``expr`` that is not a sum, a product, an
    integer power, a rational or in ``keep``.  Independent generators make a polynomial identity
    stronger, never weaker: zero in them is zero whatever values the atoms take."""
    out, todo = {}, [expr]
    while todo:
        e = todo.pop()
        if e.is_Add or e.is_Mul:
            todo.extend(e.args)
        elif e.is_Pow and e.exp.is_Integer:
            todo.append(e.base)
        elif not (e.is_Rational or e in keep or e in out):
            out[e] = sp.Dummy("g")
    return out


def _trig_reduced(num: sp.Expr) -> sp.Expr:
    """num modulo sin(u)^2 + cos(u)^2 - 1 for each argument u (a Groebner basis: the leading
    terms sin(u)^2 are coprime), as a polynomial in fresh generators."""
    args = sorted({f.args[0] for f in num.atoms(sp.sin, sp.cos)}, key=sp.default_sort_key)
    if not args:
        return num
    S = [sp.Dummy("S") for _ in args]
    C = [sp.Dummy("C") for _ in args]
    reps = {}
    for u, si, ci in zip(args, S, C):
        reps[sp.sin(u)], reps[sp.cos(u)] = si, ci
    poly = sp.expand(num.xreplace(reps))
    # every other atom a fresh generator too: the polynomial arithmetic then never evaluates one
    # numerically (sympy's coefficient domains would, and exp(exp(exp(5))) takes without bound)
    poly = poly.xreplace(_generators(poly, set(S) | set(C)))
    try:
        for si, ci in zip(S, C):
            poly = sp.expand(sp.rem(poly, si ** 2 + ci ** 2 - 1, si)) if poly.has(si) else poly
    except sp.PolynomialError:  # sin(u) also inside another function: not a polynomial in it
        return num
    return poly


def decide_zero(expr: sp.Expr, domains: Mapping | None = None, definitions=None) -> str | None:
    """How ``expr`` is decided to be identically zero, or None if it is not shown.

    Zero as a rational function over QQ in its atoms (symbols, undefined
    functions, exp(.), log(.), sqrt(2), ...) is zero for every value of them;
    the rewrites ``exp(a + b) = exp(a) exp(b)`` and ``sin^2 + cos^2 = 1``
    hold for all values.  None is no refutation: the atoms may be related in
    ways this does not see.  Runs under the current time budget.

    A Piecewise (Max, Min) is decided on each region of its branches that is
    not shown empty (see :class:`Regions`); ``domains`` (``{symbol: Domain}``)
    and ``definitions`` (the atoms' formulas) tell which factors of a branch
    condition are positive, so they can be divided out.

    >>> x = sp.Symbol("x", real=True)
    >>> decide_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1)
    'zero modulo sin^2 + cos^2 = 1'
    >>> decide_zero(sp.exp(x + 1) - sp.E * sp.exp(x))
    'zero as a rational function in its atoms'
    >>> decide_zero(sp.log(x**2) - 2 * sp.log(x)) is None
    True
    >>> t1, t2, e = *sp.symbols("theta1 theta2", real=True), sp.Symbol("e", positive=True)
    >>> decide_zero(sp.Piecewise((t1 * e, t1 * e >= t2 * e), (t2 * e, True)) - e * sp.Max(t1, t2))
    'zero on every branch of its Piecewise/Max/Min'
    """
    return _decide(expr, Regions(domains, definitions))


def _decide(expr, regions) -> str | None:
    try:
        return _decide_zero(expr, regions)
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        # sympy giving up on a rewrite (or overflowing on an exponential of a huge rational) shows
        # nothing either way
        return None


def _decide_zero(expr: sp.Expr, regions) -> str | None:
    if expr == 0:
        return "exactly zero"
    if expr.has(sp.Piecewise, sp.Max, sp.Min):
        return _zero_on_every_branch(expr, regions)
    zero = _zero_in_generators(expr)
    if zero:
        return "zero as a rational function in its atoms"
    if zero is False and not expr.has(sp.exp, sp.log, sp.sin, sp.cos) \
            and all(p.exp.is_Integer for p in expr.atoms(sp.Pow)):
        return None     # no relation between its generators is known: nothing more to try
    r = _cancel_atomic(expr)
    if r == 0:
        return "zero as a rational function in its atoms"
    if r.has(sp.exp, sp.Pow):
        e = sp.cancel(sp.together(sp.expand(r, power_exp=True, mul=False, multinomial=False)))
        if e == 0:
            return "zero as a rational function in exp(x + y) = exp(x) exp(y) form"
        r = e
    num = sp.numer(sp.together(r))
    if num.has(sp.sin, sp.cos) and _trig_reduced(num) == 0:
        return "zero modulo sin^2 + cos^2 = 1"
    if r.has(sp.log):
        return _zero_by_logarithms(r)
    return None


def _literals(cond, holds: bool) -> list:
    """(relation, holds) pairs a branch condition contributes; compound conditions split where sound."""
    if cond in (sp.true, sp.false):
        return [] if (cond is sp.true) == holds else [(sp.false, True)]
    if isinstance(cond, sp.And) and holds or isinstance(cond, sp.Or) and not holds:
        return [lit for c in cond.args for lit in _literals(c, holds)]
    if isinstance(cond, sp.Not):
        return _literals(cond.args[0], not holds)
    return [(cond, holds)]


_SIGNS = {"<": {-1}, "<=": {-1, 0}, ">": {1}, ">=": {1, 0}, "==": {0}, "!=": {-1, 1}}
_FM_ROWS = 4000         # Fourier-Motzkin gives up (feasible: the sound side) beyond this many rows
_SPLITS = 20000         # case splits on disjunctions in one feasibility test


def _cycle_empty(rows):
    """For difference constraints (each row c (u - v) + k or c u + k, c > 0, > 0 or >= 0): True iff
    they have no solution, i.e. the graph with an edge u -> v of weight (k/c, strict) has a cycle
    of negative weight (or of weight 0 through a strict edge), found by Bellman-Ford on the
    weights (sum k, -number of strict edges) ordered lexicographically; None for other rows."""
    edges, nodes = [], {None}
    for coeffs, const, strict in rows:
        if len(coeffs) == 1:
            (v, c), = coeffs
            u, w = (v, None) if c > 0 else (None, v)        # c u + k >= 0: 0 - u <= k / |c|
        elif len(coeffs) == 2 and coeffs[0][1] == -coeffs[1][1]:
            (a, c), (b, _) = coeffs
            u, w = (a, b) if c > 0 else (b, a)              # c (u - w) + k >= 0: w - u <= k / |c|
        elif not coeffs:
            if const < 0 or (strict and const == 0):
                return True
            continue
        else:
            return None
        edges.append((u, w, const // abs(c) if const % abs(c) == 0 else Fraction(const, abs(c)), strict))
        nodes |= {u, w}
    # integer weights: every k over one common denominator
    scale = math.lcm(*(k.denominator for _, _, k, _ in edges)) if edges else 1
    edges = [(u, w, int(k * scale), -int(strict)) for u, w, k, strict in edges]
    dist = {v: (0, 0) for v in nodes}
    for _ in range(len(nodes)):
        changed = False
        for u, w, k, s in edges:
            du = dist[u]
            cand = (du[0] + k, du[1] + s)
            if cand < dist[w]:
                dist[w], changed = cand, True
        if not changed:
            return False
    return True


def _fm_empty(rows) -> bool:
    """True only if the rows (``(coefficients, constant, strict)``: sum c_v v + constant > 0, or
    >= 0, integer coefficients) have no real solution: by negative cycles for difference
    constraints, else by exact Fourier-Motzkin elimination; False when feasible or past
    :data:`_FM_ROWS` rows."""
    by_cycles = _cycle_empty(rows)
    if by_cycles is not None:
        return by_cycles
    best: dict = {}

    def add(table, coeffs, const, strict):
        if not coeffs:
            return const < 0 or (strict and const == 0)
        scale = math.gcd(*(c for _, c in coeffs))
        coeffs = tuple((v, c // scale) for v, c in coeffs)
        const = const // scale if const % scale == 0 else Fraction(const, scale)
        # of two rows with the same coefficients the one with the smaller constant implies the other
        old = table.get(coeffs)
        if old is None or const < old[0] or (const == old[0] and strict and not old[1]):
            table[coeffs] = (const, strict)
        return False

    for coeffs, const, strict in rows:
        if add(best, tuple(sorted((v, c) for v, c in coeffs if c != 0)), const, strict):
            return True
    while best:
        _budget.check()
        count: dict = {}
        for coeffs in best:
            for v, c in coeffs:
                pos, neg = count.get(v, (0, 0))
                count[v] = (pos + (c > 0), neg + (c < 0))
        # the variable whose elimination adds the fewest rows
        var = min(count, key=lambda v: (count[v][0] * count[v][1] - count[v][0] - count[v][1], v))
        keep, pos, neg = {}, [], []
        for coeffs, (const, strict) in best.items():
            c = dict(coeffs).get(var)
            if c is None:
                keep[coeffs] = (const, strict)
            else:
                (pos if c > 0 else neg).append((dict(coeffs), const, strict, c))
        if len(keep) + len(pos) * len(neg) > _FM_ROWS:
            return False
        for p, pc, ps, pv in pos:
            for q, qc, qs, qv in neg:
                # (-qv) * p + pv * q eliminates var; strict if either row is
                combo = {v: -qv * p.get(v, 0) + pv * q.get(v, 0) for v in set(p) | set(q) if v != var}
                coeffs = tuple(sorted((v, c) for v, c in combo.items() if c != 0))
                if add(keep, coeffs, -qv * pc + pv * qc, ps or qs):
                    return True
        best = keep
    return False


class Regions:
    """Which combinations of branch conditions can hold together, decided exactly on the domains.

    A branch of a Piecewise (Max, Min) is skipped only when its conditions,
    together with the branches already chosen, are shown to have no common
    solution: each relation ``f REL 0`` is normalized (the denominator's sign
    and every factor of ``f`` proved positive on ``domains`` divided out, an
    atom through its formula in ``definitions``), its monomials become the
    variables of a system of linear inequalities, the negation of a
    conjunction becomes a disjunction (split case by case), and the system
    is decided empty by exact Fourier-Motzkin elimination.  Everything not
    understood is dropped, which only makes a system larger: the test is sound.
    ``empty`` holds the sets of literals shown empty, for the certificate.

    >>> t1, t2, t3 = sp.symbols("theta1 theta2 theta3", nonnegative=True)
    >>> E = sp.Function("E")(t1)
    >>> r = Regions(definitions=lambda e: t1 + 1 if e == E else e)
    >>> r.feasible([(t1 * E > t2 * E, True), (t2 * E >= t1 * E, True)])
    False
    >>> r.feasible([(t1 > t2, True), (t2 > t3, True), (t3 >= t1, True)])
    False
    >>> r.feasible([(sp.And(t1 >= t2, t1 >= t3), False), (t2 > t1, False), (t3 > t1, False)])
    False
    >>> r.feasible([(t1 > t2, True), (t2 > t3, True)])
    True
    """

    def __init__(self, domains: Mapping | None = None, definitions=None):
        self.domains, self.definitions = dict(domains or {}), definitions
        self.empty: list = []
        self._signs: dict = {}
        self._reals: dict = {}
        self._forms: dict = {}
        self._constraints: dict = {}
        self._cache: dict = {}
        self._ids: dict = {}        # monomial -> variable number of the linear systems
        self._systems: dict = {}    # systems of rows already eliminated

    # -- signs of factors ------------------------------------------------

    def sign(self, g) -> str | None:
        """"pos" or "nonneg" if g is proved so on the domains, else None: a symbol by its domain, an
        atom by its formula, an expression with every symbol and atom replaced by a stand-in
        carrying only its proved sign (no declared assumption of an atom is trusted)."""
        if g not in self._signs:
            self._signs[g] = None  # an atom defined through itself is not positive
            self._signs[g] = self._sign(g)
        return self._signs[g]

    def _formula(self, a):
        return self.definitions(a) if self.definitions is not None else a

    def _real(self, a) -> bool:
        """a is proved real: a symbol by its domain, a defined symbol or atom by its formula (never by
        its declared assumptions)."""
        if a in self.domains:
            return True
        formula = self._formula(a)
        if formula == a:
            # neither drawn nor defined: only its declaration says what it is
            return bool(a.is_Symbol and a.is_real)
        if a not in self._reals:
            self._reals[a] = False      # a formula through itself proves nothing
            stand = {b: sp.Dummy(real=True) if self._real(b) else sp.Dummy()
                     for b in formula.atoms(AppliedUndef) | formula.free_symbols}
            self._reals[a] = bool(formula.xreplace(stand).is_real)
        return self._reals[a]

    def _sign(self, g):
        if g.is_Symbol:
            d = self.domains.get(g)
            if d is None:
                formula = self._formula(g)
                if formula != g:        # a defined symbol (a posterior variance): its formula decides
                    return self.sign(formula)
                return "pos" if g.is_positive else "nonneg" if g.is_nonnegative else None
            if d.primality == "prime" or d.lo is not None and (d.lo > 0 or d.lo == 0 and (d.lo_open or d.exclude_zero)):
                return "pos"
            return "nonneg" if d.lo is not None and d.lo >= 0 else None
        if isinstance(g, AppliedUndef):
            formula = self._formula(g)
            return None if formula == g else self.sign(formula)
        # an expression: its symbols and atoms replaced by stand-ins carrying only their proved signs
        stand = {}
        for a in g.atoms(AppliedUndef) | g.free_symbols:
            s = self.sign(a)
            real = self._real(a)
            stand[a] = sp.Dummy(positive=True) if s == "pos" else sp.Dummy(nonnegative=True) if s else \
                sp.Dummy(real=True) if real else sp.Dummy()
        f = g.xreplace(stand)
        if f.is_positive or _provably_positive(f):
            return "pos"
        return "nonneg" if f.is_nonnegative else None

    # -- relations as linear forms ---------------------------------------

    def form(self, f) -> tuple:
        """(coefficients, constant) of a linear form with the sign of f wherever f is defined."""
        if f not in self._forms:
            self._forms[f] = self._form(f)
        return self._forms[f]

    def _form(self, f):
        # a relation not read as a polynomial: f itself is the variable (f and -f are one variable)
        opaque = (((self._id(-f), -1),) if f.could_extract_minus_sign() else ((self._id(f), 1),)), 0
        num, den = sp.fraction(sp.together(f))
        flip = 1 if self.sign(den) == "pos" else -1 if self.sign(-den) == "pos" else 0
        num = sp.expand(num * flip)
        if flip == 0 or num.is_Number:
            return ((), int(sp.sign(num))) if num.is_Number and flip else opaque
        try:
            poly = sp.Poly(num)
        except sp.PolynomialError:
            return opaque
        gens = poly.gens
        if not all(g.is_Symbol or isinstance(g, AppliedUndef) for g in gens):
            return opaque
        monoms = poly.monoms()
        # the common monomial's positive factors have no bearing on the sign
        low = [min(m[k] for m in monoms) if self.sign(g) == "pos" else 0 for k, g in enumerate(gens)]
        terms = {}
        for m, c in zip(monoms, poly.coeffs()):
            key = sp.Mul(*[g ** (e - l) for g, e, l in zip(gens, m, low)])
            terms[key] = Fraction(int(c.p), int(c.q))
        const = terms.pop(sp.Integer(1), Fraction(0))
        # integer coefficients (a positive multiple has the same sign): rows hash and combine fast
        scale = math.lcm(const.denominator, *(c.denominator for c in terms.values()))
        return tuple(sorted((self._id(v), int(c * scale)) for v, c in terms.items())), int(const * scale)

    def _id(self, monomial) -> int:
        return self._ids.setdefault(monomial, len(self._ids))

    def rows(self, rel, signs) -> list | None:
        """The alternatives (each a list of rows) for the sign of rel.lhs - rel.rhs lying in
        ``signs``; [] if nothing is said, None if no sign is allowed."""
        if not signs:
            return None
        if signs == {-1, 0, 1}:
            return [[]]
        coeffs, const = self.form(sp.expand(rel.lhs - rel.rhs))
        neg = tuple((v, -c) for v, c in coeffs)
        alts = {frozenset({1}): [[(coeffs, const, True)]], frozenset({0, 1}): [[(coeffs, const, False)]],
                frozenset({-1}): [[(neg, -const, True)]], frozenset({-1, 0}): [[(neg, -const, False)]],
                frozenset({0}): [[(coeffs, const, False), (neg, -const, False)]],
                frozenset({-1, 1}): [[(coeffs, const, True)], [(neg, -const, True)]]}
        return alts[frozenset(signs)]

    def constraint(self, cond, holds):
        """(rows, clauses): what cond holding (or not) says, a clause being a list of alternatives
        (each a list of rows); (None, []) if it cannot hold.  What is not understood says nothing.
        (Asked for the same literals across many regions: each read once.)"""
        key = (cond, holds)
        if key not in self._constraints:
            self._constraints[key] = self._constraint(cond, holds)
        return self._constraints[key]

    def _constraint(self, cond, holds):
        if cond in (sp.true, sp.false):
            return ([], []) if (cond is sp.true) == holds else (None, [])
        if isinstance(cond, sp.Not):
            return self.constraint(cond.args[0], not holds)
        if isinstance(cond, sp.core.relational.Relational) and cond.rel_op in _SIGNS:
            alts = self.rows(cond, _SIGNS[cond.rel_op] if holds else {-1, 0, 1} - _SIGNS[cond.rel_op])
            return (None, []) if alts is None else (alts[0], []) if len(alts) == 1 else ([], [alts])
        if not isinstance(cond, (sp.And, sp.Or)):
            return [], []
        parts = [self.constraint(part, holds) for part in cond.args]
        if isinstance(cond, sp.And) == holds:       # every part holds
            if any(r is None for r, _ in parts):
                return None, []
            return [row for r, _ in parts for row in r], [cl for _, cls in parts for cl in cls]
        alts = []                                   # some part holds: one alternative per part
        for r, cls in parts:
            if r is None:
                continue
            if len(cls) > 1:    # not a plain alternative: the disjunction says nothing here
                return [], []
            alts += [[*r, *alt] for alt in cls[0]] if cls else [r]
        return (None, []) if not alts else (alts[0], []) if len(alts) == 1 else ([], [alts])

    # -- feasibility -----------------------------------------------------

    def feasible(self, literals) -> bool:
        """False only if the (condition, holds) literals are shown to have no common solution.

        A set shown empty is cut down to a smaller set that is still empty
        (dropping literals while that stays shown), kept in ``empty``: any
        later set containing it is empty without another elimination."""
        key = frozenset(literals)
        if any(core <= key for core in self.empty):
            return False
        if self._decided(key):
            return True
        core = list(dict.fromkeys(literals))
        chunk = len(core) // 2
        while chunk:
            k = 0
            while k < len(core):
                trial = core[:k] + core[k + chunk:]
                if trial and not self._decided(frozenset(trial)):
                    core = trial
                else:
                    k += chunk
            chunk //= 2
        self.empty.append(frozenset(core))
        return False

    def _decided(self, key) -> bool:
        if key not in self._cache:
            self._cache[key] = self._feasible(key)
        return self._cache[key]

    def _feasible(self, literals) -> bool:
        rows, clauses = [], []
        for cond, holds in literals:
            r, cls = self.constraint(cond, holds)
            if r is None:
                return False
            rows += r
            clauses += cls
        variables = {v for cl in [[rows]] + clauses for alt in cl for coeffs, _, _ in alt for v, _ in coeffs}
        rows += self.bounds(variables)
        return self._satisfiable(rows, clauses, [_SPLITS])

    def _fm(self, rows) -> bool:
        key = frozenset(rows)
        if key not in self._systems:
            self._systems[key] = _fm_empty(rows)
        return self._systems[key]

    def bounds(self, variables) -> list:
        """Rows from the domains: a variable that is a symbol lies between its numeric ends."""
        out, monomials = [], {k: m for m, k in self._ids.items()}
        for v in variables:
            d = self.domains.get(monomials[v]) if monomials[v].is_Symbol else None
            if d is not None and d.lo is not None:     # q v - p >= 0 for lo = p/q
                out.append((((v, int(d.lo.q)),), -int(d.lo.p), d.lo_open))
            if d is not None and d.hi is not None:
                out.append((((v, -int(d.hi.q)),), int(d.hi.p), d.hi_open))
        return out

    def _satisfiable(self, rows, clauses, splits) -> bool:
        while True:
            if self._fm(rows):
                return False
            open_, grew = [], False
            for clause in clauses:
                alive = [alt for alt in clause if not self._fm(rows + alt)]
                if not alive:
                    return False
                if len(alive) == 1:
                    rows, grew = rows + alive[0], True
                else:
                    open_.append(alive)
            clauses = open_
            if not grew:
                break
        if not clauses:
            return True
        splits[0] -= 1
        if splits[0] < 0:
            return True
        clause = min(clauses, key=len)
        rest = [cl for cl in clauses if cl is not clause]
        return any(self._satisfiable(rows + alt, rest, splits) for alt in clause)

    def record(self) -> dict:
        """The regions shown empty, for the certificate: the distinct conditions as trees, and each
        region as [[condition index, holds], ...]."""
        index: dict = {}
        regions = [[[index.setdefault(cond, len(index)), bool(holds)]
                    for cond, holds in sorted(core, key=lambda ch: (sp.default_sort_key(ch[0]), ch[1]))]
                   for core in self.empty]
        return {"conditions": [condition_tree(c) for c in index], "empty": regions}


def _zero_on_every_branch(expr, regions, limit: int = 256) -> str | None:
    """Zero on every feasible choice of branches of its Piecewise (Max and Min rewritten as such).

    A combination of branches is skipped only when its conditions are shown
    to have no common solution on the domains (:class:`Regions`); every other
    combination must be decided zero, so the test is sound whatever the values.
    """
    # rewritten once: a branch put in for its Piecewise has no Max or Min left in it
    expr = expr.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: e.rewrite(sp.Piecewise))
    return _on_branches(expr, regions, (), limit)


def _on_branches(expr, regions, path, limit) -> str | None:
    nodes = sorted((n for n in _atoms(expr, sp.Piecewise) if not any(a.has(sp.Piecewise) for a in n.args)),
                   key=sp.default_sort_key)
    if not nodes:
        return _decide(expr, regions)
    node, negated = nodes[0], []
    if len(node.args) > limit:
        return None
    for e, c in node.args:
        _budget.check()
        branch = (*path, *negated, *_literals(c, True))
        if regions.feasible(branch) and _on_branches(expr.xreplace({node: e}), regions, branch, limit) is None:
            return None
        negated.extend(_literals(c, False))
        if c is sp.true:
            break
    return "zero on every branch of its Piecewise/Max/Min"


def _provably_positive(e) -> bool:
    """sympy's assumptions confirm e > 0, as written or as a cancelled quotient."""
    return bool(e.is_positive or sp.factor(sp.cancel(sp.together(e))).is_positive)


def _zero_by_logarithms(r) -> str | None:
    """sum_k c_k log(a_k) + rest with every a_k provably positive and rational ratios c_k / c_1:
    zero if rest is zero and prod a_k^(c_k/c_1) == 1 (log(a) + log(b) = log(ab) for a, b > 0)."""
    logs = sorted(r.atoms(sp.log), key=sp.default_sort_key)
    if not logs or any(a.args[0].atoms(AppliedUndef) or not _provably_positive(a.args[0]) for a in logs):
        return None
    L = [sp.Dummy("L") for _ in logs]
    try:
        poly = sp.Poly(sp.expand(r.xreplace(dict(zip(logs, L)))), *L)
    except sp.PolynomialError:
        return None
    if poly.total_degree() > 1 or decide_zero(poly.coeff_monomial(1)) is None:
        return None
    coeffs = [poly.coeff_monomial(g) for g in L]
    lead = next(c for c in coeffs if c != 0)
    ratios = [sp.cancel(c / lead) for c in coeffs]
    if not all(q.is_Rational for q in ratios):
        return None
    den = sp.ilcm(*[q.q for q in ratios])
    num, dnm = sp.Integer(1), sp.Integer(1)
    for a, q in zip(logs, ratios):
        k = int(q * den)
        num, dnm = (num * a.args[0] ** k, dnm) if k > 0 else (num, dnm * a.args[0] ** -k)
    return "zero: logarithms of positive arguments combined" if sp.cancel(num - dnm) == 0 else None


def decide_sign(value) -> tuple[int | None, str]:
    """The sign of an exact constant, decided: (sign, how); (None, why) if not decided.

    Rationals exactly; a zero by :func:`decide_zero`; otherwise a ball that
    excludes 0 at up to 4096 bits.

    >>> decide_sign(sp.Rational(-3, 7))
    (-1, 'exact')
    >>> decide_sign(sp.exp(1000) * (sp.sqrt(2) + sp.sqrt(3)) - sp.exp(1000) * sp.sqrt(5 + 2 * sp.sqrt(6)))
    (None, 'every ball up to 4096 bits contains 0 and no exact zero was decided')
    """
    value = _to_sympy(value)
    if isinstance(value, sp.Rational):
        return (int(sp.sign(value)), "exact")
    if value.free_symbols or value.atoms(AppliedUndef):
        return None, "the value is not a constant"
    try:
        # a ball at the lowest precision first: where it excludes 0 the sign is certified, and the
        # zero decision (seconds on constants with exponentials and logarithms) is not needed
        try:
            s, bits = _ball_sign(value, {}, None, _PRECISIONS[:1])
        except (_Undecidable, ZeroDivisionError, ValueError):
            s = None
        if s in (1, -1):
            return s, f"ball at {bits} bits"
        if decide_zero(value.xreplace(_huge_atoms(value))) is not None:
            return 0, "exact zero"
        s, bits = _ball_sign(value, {}, None)
    except (_Undecidable, ZeroDivisionError, ValueError) as exc:
        return None, f"not decided ({exc})"
    if s is None:
        return None, f"every ball up to {bits} bits contains 0 and no exact zero was decided"
    return s, f"ball at {bits} bits"


def _huge_atoms(value) -> dict:
    """{atom: fresh Dummy} for each exponential or power in the constant ``value`` whose magnitude
    a 64-bit ball cannot bound below 2^(2^16): sympy evaluates atoms numerically when it sorts or
    asks a sign, and for exp(exp(exp(20))) that runs without bound in time and memory.  The size is
    checked before anything is computed at full size; as a generator the atom is never evaluated
    (zero in independent generators is zero whatever their values)."""
    out, old = {}, flint.ctx.prec
    try:
        flint.ctx.prec = 64
        ev, limit = _ball_evaluator({}, None), flint.arb(2) ** _MAX_MAGNITUDE_BITS
        for atom in value.atoms(sp.exp, sp.Pow):
            if atom.is_Pow and atom.exp.is_Integer:
                continue
            try:
                huge = not abs(ev(atom)) < limit
            except (_Undecidable, ZeroDivisionError, ValueError):
                huge = True
            if huge:
                out[atom] = sp.Dummy("huge")
    finally:
        flint.ctx.prec = old
    return out


def _point_sign(expr, pt: Mapping, definitions):
    """(sign, exact value or None, how) of expr at a point; sign None if undecided.

    Raises ValueError (ZeroDivisionError) where expr is undefined at the point.
    """
    try:
        val = _to_sympy(_exact_evaluator(pt, definitions)(expr))
    except _TooLarge:
        s, bits = _ball_sign(expr, pt, definitions)
        return s, None, f"ball at {bits} bits (exact value too large)"
    except _Unbound:
        # an undefined function (an arbitrary h_i) stays opaque: zero for every function, or undecided
        val = _to_sympy(_exact_evaluator(pt, definitions, opaque=True)(expr))
        if val.free_symbols or val.atoms(AppliedUndef):
            zero = decide_zero(val)
            return (0, val, f"{zero}, whatever the undefined functions") if zero else \
                (None, val, "an undefined function stays free")
    if isinstance(val, sp.Rational) and val != 0:
        return (1 if val > 0 else -1), val, "exact"     # a nonzero product has no zero factor
    if val.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError("undefined")
    zero = _zero_factor(expr, pt, definitions)
    if zero is not None:
        return 0, val, zero
    s, how = decide_sign(val)
    return s, val, how


def _zero_factor(expr, pt: Mapping, definitions) -> str | None:
    """How a factor of the product ``expr`` is decided zero at the point (the product being defined
    there, it is then zero), or None.  The smaller factors first, each alone: a zero factor decides
    the product before a huge one (exp(exp(exp(x)))) is ever decided or put in a ball."""
    factors = sp.Mul.make_args(expr)
    if len(factors) < 2:
        return None
    ev = _exact_evaluator(pt, definitions)
    for factor in sorted(factors, key=sp.count_ops)[:-1]:
        value = _to_sympy(ev(factor))
        if value == 0 or not value.is_Number and decide_zero(value) is not None:
            return f"the factor {_short(factor, 60)} is zero at the point"
    return None


# ---------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------

def monte_carlo_agrees(samples, exact, seed=None) -> dict:
    """Compare the (weighted) mean of draws with an exact value, with a rule that can fail.

    ``samples`` is an array of draws, or a pair ``(draws, weights)`` of
    self-normalized importance weights (the state drawn from the prior, the
    signals' likelihood as weight).  With W = sum w, the estimate is
    sum w f / W, its standard error sqrt(sum w^2 (f - estimate)^2) / W and the
    effective sample size W^2 / sum w^2 (equal weights: the plain mean).

    * the draws and weights must be real and finite (else the sampler failed),
      the weights nonnegative, the effective sample size at least
      :data:`MC_MIN_SAMPLES`, and the draws not all equal;
    * *informative*: ``se <= 1% * max(|exact|, mean |draw|)``, so the sample
      could have told a wrong value apart;
    * *agrees*: ``|estimate - exact| <= 5 se``.

    Only an informative agreement counts as evidence.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> mc = monte_carlo_agrees(rng.normal(2.0, 1.0, 40000), 2, seed=1)
    >>> mc["agrees"], mc["informative"], mc["ess"]
    (True, True, 40000.0)
    >>> monte_carlo_agrees(rng.uniform(-1e6, 1e6, 10000) + 2, 2)["informative"]
    False
    >>> w = np.zeros(40000); w[:5] = 1.0
    >>> monte_carlo_agrees((rng.normal(2.0, 1.0, 40000), w), 2)["reason"]
    'effective sample size 5 is below 10000'
    """
    draws, weights = samples if isinstance(samples, tuple) else (samples, None)
    arr = np.asarray(draws)
    out = {"seed": seed, "samples": int(arr.size), "agrees": False, "informative": False}
    exact_f = _float_of(exact)
    out["exact"] = exact_f
    if arr.ndim != 1 or arr.size < 2:
        out["reason"] = "the sampler did not return a one-dimensional array of draws"
        return out
    wts = np.ones(arr.size) if weights is None else np.asarray(weights)
    if wts.shape != arr.shape or np.iscomplexobj(wts):
        out["reason"] = "the sampler's weights are not one real weight per draw"
        return out
    if np.iscomplexobj(arr) and np.any(np.imag(arr) != 0):
        out["reason"] = "the sampler returned complex draws"
        return out
    arr, wts = np.real(arr).astype(float), wts.astype(float)
    if not (np.all(np.isfinite(arr)) and np.all(np.isfinite(wts))):
        out["reason"] = "the sampler returned NaN or infinite draws or weights"
        return out
    if np.any(wts < 0) or not wts.sum() > 0:
        out["reason"] = "the weights must be nonnegative and not all zero"
        return out
    stats = weighted_statistics(arr, wts)
    scale = max(abs(exact_f), stats["mean_abs"])
    out.update(stats, scale=scale)
    if np.all(arr[wts > 0] == arr[wts > 0][0]):
        out["reason"] = "all draws are equal: no power to disagree"
    elif stats["ess"] < MC_MIN_SAMPLES:
        out["reason"] = f"effective sample size {stats['ess']:.0f} is below {MC_MIN_SAMPLES}"
    elif not stats["se"] <= MC_RELATIVE_SE * scale:
        out["reason"] = f"standard error {stats['se']:.3g} exceeds 1% of the scale {scale:.3g}"
    else:
        out["informative"] = True
    out["agrees"] = bool(abs(stats["estimate"] - exact_f) <= MC_SIGMAS * stats["se"])
    return out


def weighted_statistics(draws, weights) -> dict:
    """estimate, se, mean_abs and ess of draws with self-normalized weights (see :func:`monte_carlo_agrees`)."""
    # sums of products, not ``@``: a BLAS dot spins up its threads, which on a busy machine costs
    # a hundred milliseconds per call
    total = float(weights.sum())
    est = float(np.sum(weights * draws)) / total
    return {"estimate": est, "se": float(np.sqrt(np.sum(weights ** 2 * (draws - est) ** 2))) / total,
            "mean_abs": float(np.sum(weights * np.abs(draws))) / total,
            "ess": total ** 2 / float(np.sum(weights * weights))}


def _float_of(value) -> float:
    """A float for statistics only (Monte Carlo compares; it never decides an exact claim)."""
    value = sp.Integer(value) if isinstance(value, int) else _to_sympy(value)
    if isinstance(value, sp.Rational):
        return float(Fraction(int(value.p), int(value.q)))
    old = flint.ctx.prec
    try:
        flint.ctx.prec = 128
        return float(_ball_evaluator({}, None)(value).mid())
    finally:
        flint.ctx.prec = old


def _monte_carlo(sampler, rhs, pts, definitions, mc_seed):
    """Run the sampler at points until MC_POINTS informative agreements; (entries, reason or None).

    A point where the sample has no power (every draw equal: the claim holds
    trivially there, e.g. a report that does not move the allocation; or too
    small an effective sample size or too large a standard error) is passed
    over: it is no evidence either way.  A disagreement at an informative
    point ends the run.
    """
    entries, passed, failures, weak = [], [], [], 0
    # a sampler may tell beforehand where a sample would have no power (an effective sample size
    # short from its weights alone, every draw equal): the integrand is not drawn there (no
    # evidence either way, as below)
    power = getattr(sampler, "has_power", None)
    for k, pt in enumerate(pts):
        if len(entries) - len(passed) >= MC_POINTS:
            break
        if callable(power) and not power(pt):
            weak += 1
            continue
        exact = exact_value(rhs, pt, definitions)
        if exact is None:
            continue
        s = mc_seed + k
        try:
            draws = sampler(pt, np.random.default_rng(s))
        except (ValueError, TypeError, ZeroDivisionError, ArithmeticError) as exc:
            # a point the model cannot simulate (outside its support) is no evidence either way
            failures.append(str(exc))
            continue
        mc = monte_carlo_agrees(draws, exact, s)
        mass = getattr(sampler, "point_mass", None)
        value = mass(pt) if callable(mass) else None
        if value is not None and mc.get("se") == 0:
            # a point mass: every draw is one value, which the sampler computed exactly; the float
            # draws carry rounding, so the comparison is exact (full power, no float threshold)
            rational = bool(value.is_Rational and getattr(exact, "is_Rational", False))
            mc.update(point_mass=True, informative=rational, agrees=rational and value == exact)
            mc.pop("reason", None)
            if not rational:
                mc["reason"] = "the point mass's value or the exact value is not rational"
        mc["point"], mc["exact_value"] = pt, exact
        entries.append(mc)
        if not mc["informative"]:
            passed.append(mc["reason"])
            continue
        if not mc["agrees"]:
            return entries, "Monte Carlo disagrees with the exact value"
    informative = len(entries) - len(passed)
    if informative < MC_POINTS:
        why = f"; the sampler failed at {len(failures)} ({failures[0]})" if failures else ""
        shown = f" ({len(passed)} without power, e.g. {passed[0]})" if passed else ""
        shown += f"; {weak} passed over, where the sampler promised no power" if weak else ""
        return entries, f"Monte Carlo informative at {informative} points{shown}{why}; {MC_POINTS} are needed"
    return [mc for mc in entries if mc["informative"]], None


# ---------------------------------------------------------------------------
# public helpers
# ---------------------------------------------------------------------------

def point_evaluator(point: Mapping, definitions=None):
    """``value(expr)``: exact values at one point, sharing the work across calls.

    Like :func:`exact_value` (None where undefined), for many expressions at
    the same point: the point is converted once and every subtree evaluated
    once.  Expressions must be free of floats.

    >>> a = sp.Symbol("a")
    >>> value = point_evaluator({a: 2})
    >>> value(a**2), value(1 / (a - 2)) is None
    (4, True)
    """
    ev = _exact_evaluator(_exact_point(point, "point"), definitions)

    def value(expr):
        try:
            with _budget.time_limit(_budget.default()):
                val = _to_sympy(ev(expr))
        except (ZeroDivisionError, ValueError, _Undecidable, _TooLarge, _Unbound):
            return None
        return None if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else val
    return value


def exact_value(expr: sp.Expr, point: Mapping, definitions=None):
    """The exact value of ``expr`` at ``point``; None where the point is outside its domain.

    ``point`` values must be exact rationals (strings are refused, never
    parsed).  With ``definitions`` the atoms are replaced by their formulas at
    the point only, so the explicit expression is never built.  A point that
    leaves a symbol free gives an expression in it.  No rounding.

    >>> import sympy as sp
    >>> a = sp.Symbol("a")
    >>> exact_value((a + 1)**2 / 3, {a: sp.Rational(1, 2)})
    3/4
    >>> exact_value(1 / a, {a: 0}) is None
    True
    """
    expr = expression(expr, "expr")
    pt = _exact_point(point, "point")
    with _budget.time_limit(_budget.default()):
        try:
            try:
                val = _to_sympy(_exact_evaluator(pt, definitions)(expr))
            except _Unbound:
                val = (definitions(expr) if definitions else expr).xreplace(pt)
                if val.has(sp.Float):
                    raise _Undecidable("a float in the expression")
                if not val.is_Number:
                    val = sp.expand(val)
        except (ZeroDivisionError, ValueError, _Undecidable, _TooLarge):
            return None
    return None if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else val


def _reached(expr, definitions):
    """(atoms with a definition as [(atom, formula)], undefined symbols) reached from expr,
    following definitions into formulas, without building the explicit expression."""
    table, free = [], set()
    todo, seen = list(_atoms(expr, AppliedUndef) | _free_symbols_of(expr)), set()
    while todo:
        atom = todo.pop()
        if atom in seen:
            continue
        seen.add(atom)
        formula = _formula(definitions, atom) if definitions is not None else atom
        if formula == atom:
            if atom.is_Symbol:
                free.add(atom)
            continue
        table.append((atom, formula))
        todo.extend(_atoms(formula, AppliedUndef) | _free_symbols_of(formula))
    return sorted(table, key=lambda af: sp.default_sort_key(af[0])), free


def _free_symbols(expr: sp.Expr, definitions) -> set:
    """The free symbols of ``definitions(expr)``, found atom by atom without building it."""
    return set(expr.free_symbols) if definitions is None else _reached(expr, definitions)[1]


def _definition_table(expr, definitions) -> list:
    """[(atom, formula)] for every atom reached from expr, for the certificate."""
    return [] if definitions is None else _reached(expr, definitions)[0]


def _points_arg(points) -> int:
    if isinstance(points, bool) or not isinstance(points, numbers.Integral):
        raise TypeError(f"points must be an int >= {MIN_POINTS}, got {type(points).__name__}")
    if points < MIN_POINTS:
        raise ValueError(f"points must be an int >= {MIN_POINTS}, got {points}")
    if points > 10_000:
        raise ValueError(f"points must be at most 10000, got {points}")
    return int(points)


def _at_arg(at, free) -> list | None:
    """The ``at`` points, converted strictly; each must fix every free symbol."""
    if at is None:
        return None
    if isinstance(at, (Mapping, str)) or not isinstance(at, Sequence):
        raise TypeError(f"at must be a list of points, got {type(at).__name__}")
    if not at:
        raise ValueError("at must list at least one point")
    pts = [_exact_point(p, f"at[{k}]") for k, p in enumerate(at)]
    for k, p in enumerate(pts):
        missing = free - set(p)
        if missing:
            raise ValueError(f"at[{k}] leaves {sorted(map(str, missing))} without a value")
    return pts


def _points_and_domains(at, free, domain):
    """The ``at`` points (converted, complete, inside their domains) and every symbol's Domain."""
    at = _at_arg(at, free)
    doms = domains_for(free | {s for p in at or () for s in p}, declared_for(free, domain))
    for k, p in enumerate(at or ()):
        bad = outside(p, doms)
        if bad:
            raise ValueError(f"at[{k}] puts {', '.join(bad)} outside its domain")
    return at, doms


def _within(seconds, decide, evidence, state, verdict) -> Verdict:
    """decide() under the time budget; past it, inconclusive with reason "time limit"."""
    try:
        with _budget.time_limit(seconds):
            return decide()
    except _budget.TimeLimit:
        evidence["reason"] = f"time limit ({seconds:g} s)"
        evidence["points_checked"] = len(state["checked"])
        return verdict(INCONCLUSIVE)


def _budget_arg(seconds):
    return _budget.default() if seconds is None else _budget._seconds(seconds)


def _model_record(definitions):
    """The information structure behind a ``definitions`` map (a model's or an environment's
    ``explicit``) as data, or None."""
    owner = getattr(definitions, "__self__", None)
    record = getattr(getattr(owner, "info", owner), "record", None)
    return record() if callable(record) else None


def _expectation(monte_carlo) -> tuple:
    """(the expectation record of a statement, [(atom, formula)] its integrand reaches) for a
    Monte Carlo sampler: the record it states (``sampler.statement()``, see
    :mod:`symbolic_mech.core.simulate`), or ``{"in_process": name}`` for a sampler that states
    nothing as data (replayed in process only); (None, []) without one."""
    if monte_carlo is None:
        return None, []
    stated = getattr(monte_carlo, "statement", None)
    record = stated() if callable(stated) else None
    if record is None:
        describe = getattr(monte_carlo, "description", None)
        name = describe() if callable(describe) else (getattr(monte_carlo, "__qualname__", None)
                                                       or type(monte_carlo).__qualname__)
        return {"in_process": str(name)}, []
    return record, list(monte_carlo.definitions())


def statement(relation: str, lhs, rhs, definitions, doms, claim: str, points=None,
              expectation=None, reached=()) -> dict:
    """The formal statement a verdict is about (see :mod:`symbolic_mech.core.checker`): the
    relation, both sides, the domains, the model whose posterior atoms the checker rebuilds,
    the model's other definitions (those of lhs - rhs, and ``reached``: those of the simulated
    integrand), the points (for a claim about given points only) and the expectation it states
    over the model (None, or a record of :mod:`symbolic_mech.core.simulate`: then Monte Carlo
    is required)."""
    table = _definition_table(lhs - rhs, definitions)
    known = {a: f for a, f in table}
    for a, f in reached:
        if a in known and known[a] != f:
            raise ValueError(f"{a} is defined two ways (by the model and by the simulation)")
        if a not in known:
            known[a] = f
            table.append((a, f))
    table.sort(key=lambda af: sp.default_sort_key(af[0]))
    posterior = [(a, f) for a, f in table if posterior_atom(to_tree(a)) is not None]
    model = _model_record(definitions)
    if model is None and posterior:
        # no rule in the checker for this structure: its formulas are part of what is stated
        model = {"structure": "declared", "moments": [{"atom": to_tree(a), "formula": to_tree(f)}
                                                     for a, f in posterior]}
    if isinstance(expectation, bool) or expectation is not None and not isinstance(expectation, dict):
        raise TypeError("expectation must be None or a record (symbolic_mech.core.simulate)")
    return {"format": checker.STATEMENT_FORMAT, "relation": relation, "lhs": to_tree(lhs), "rhs": to_tree(rhs),
            "quantifier": "all" if points is None else "points",
            "points": None if points is None else [from_point(p) for p in points],
            "domains": {sym.name: d.to_json() for sym, d in sorted(doms.items(), key=lambda kv: kv[0].name)},
            "model": model,
            "definitions": [{"atom": to_tree(a), "formula": to_tree(f)} for a, f in table
                            if posterior_atom(to_tree(a)) is None],
            "expectation": expectation, "claim": claim}


def _certificate(stmt, kind, id, status, points, **extra) -> dict:
    """The JSON record the independent checker replays: the statement and the evidence."""
    cert = {"format": CERTIFICATE_FORMAT, "id": id, "claim": stmt["claim"], "kind": kind, "status": status,
            "statement": stmt, "points": [from_point(p) for p in points], "symbolic": None, "witness": None,
            "monte_carlo": [], "decisions": {"constant": False}}
    cert.update(extra)
    return cert


def _certified(claim, stated, kind, id, status, points, evidence, sampler=None, **extra) -> Verdict:
    """The verdict with its certificate; ``stated()`` writes the statement.  A verdict whose
    statement or certificate cannot be written (a node the checker does not read) is no proof and
    no refutation: it is inconclusive, and says why."""
    try:
        cert = _certificate(stated(), kind, id, status, points, **extra)
    except (TypeError, ValueError) as exc:
        if status == INCONCLUSIVE:
            return Verdict(id, claim, status, evidence, None, sampler)
        evidence = dict(evidence, reason=f"{status}, but no certificate can be written ({exc})")
        evidence.pop("witness", None)
        return Verdict(id, claim, INCONCLUSIVE, evidence, None, sampler)
    if status != INCONCLUSIVE:
        # nothing is claimed that the independent checker would not confirm (the re-run of the
        # simulations is left to recheck: the draws were just made through the checker's own
        # core.simulate from the same record; the statistics are checked here)
        report = checker.recheck(cert, rerun=False)
        if not report.confirmed:
            evidence = dict(evidence, reason=f"{status} by the search, but the checker does not confirm it: "
                                             + "; ".join(report.problems[:3]))
            evidence.pop("witness", None)
            cert = dict(cert, status=INCONCLUSIVE, witness=None, symbolic=None)
            return Verdict(id, claim, INCONCLUSIVE, evidence, cert, sampler)
    return Verdict(id, claim, status, evidence, cert, sampler)


def _mc_json(entries) -> list:
    return [{"point": from_point(mc["point"]), "estimate": mc["estimate"], "se": mc["se"],
             "exact": to_tree(mc["exact_value"]), "mean_abs": mc["mean_abs"], "samples": mc["samples"],
             "ess": mc["ess"], "seed": mc["seed"], "agrees": mc["agrees"], "informative": mc["informative"],
             **({"point_mass": True} if mc.get("point_mass") else {})}
            for mc in entries if "estimate" in mc]


def _by_name(sampler, doms):
    """The sampler as the checker calls it: a point ``{name: Fraction}`` (certificates name symbols)."""
    if sampler is None:
        return None
    symbols = {sym.name: sym for sym in doms}

    def replay(point, rng):
        return sampler({symbols[k]: rational(v, f"point[{k}]") for k, v in point.items()}, rng)
    return replay


# ---------------------------------------------------------------------------
# check_identity
# ---------------------------------------------------------------------------

def check_identity(lhs, rhs=0, *, id: str = "identity", claim: str | None = None,
                   points: int = MIN_POINTS, seed: int = 0, domain: Mapping | None = None,
                   monte_carlo: Callable[[dict, np.random.Generator], np.ndarray] | None = None,
                   mc_seed: int = 12345, simplify: bool = True, variables=(),
                   definitions: Callable[[sp.Expr], sp.Expr] | None = None,
                   at: Sequence[Mapping] | None = None, budget: float | None = None) -> Verdict:
    """Decide ``lhs == rhs`` for all values of the free symbols in their domains.

    Parameters
    ==========
    lhs, rhs : sympy expressions or exact numbers; strings and floats are refused.
    points : distinct random exact points needed for proved (an int >= 20).
    domain : ``{symbol: interval}`` intersected with each symbol's assumptions
        (:class:`~symbolic_mech.core.domains.Domain`); points and witnesses
        are drawn from these domains.
    monte_carlo : optional ``f(point, rng) -> draws`` whose mean estimates
        ``rhs`` at ``point``; an informative agreement at three points is
        required for proved.
    simplify : set False to skip the symbolic decision (then the verdict is at
        best inconclusive); when the decision fails, ``simplify`` may still
        *propose* a zero, which is reported and never decides.
    variables : further symbols to give values at each point (those the
        Monte Carlo sampler needs beyond the residual's own).
    definitions : a map replacing opaque atoms (e.g. posterior moments) by
        their formulas, atom by atom.  Zero with the atoms opaque implies zero
        after substitution; each point evaluates an atom through its formula.
    budget : seconds for the whole decision (default
        :func:`symbolic_mech.core.budget.default`); past it the verdict is
        inconclusive with reason "time limit".
    at : a nonempty list of points to look for a witness at, instead of
        random points: refuted if the residual is certified nonzero at one
        of them, otherwise inconclusive (finitely many points prove nothing).

    Examples
    ========

    A branch cut is not swept away: with real x (possibly negative),

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> check_identity(sp.sqrt(x**2), x).status
    'refuted'
    """
    lhs, rhs = as_expr(lhs, "lhs"), as_expr(rhs, "rhs")
    points = _points_arg(points)
    seed, mc_seed = _seed(seed, "seed"), _seed(mc_seed, "mc_seed")
    seconds = _budget_arg(budget)
    if monte_carlo is not None and not callable(monte_carlo):
        raise TypeError(f"monte_carlo must be callable, got {type(monte_carlo).__name__}")
    if definitions is not None and not callable(definitions):
        raise TypeError(f"definitions must be callable, got {type(definitions).__name__}")
    claim = claim if claim is not None else f"{_short(lhs, 100)} == {_short(rhs, 100)}"
    residual = lhs - rhs
    # the statement is about lhs and rhs as written: a symbol that cancels in lhs - rhs still
    # ranges over its domain; a variable with a definition (a posterior-variance atom) is fixed
    # through it, not drawn
    stated = _free_symbols(lhs, definitions) | _free_symbols(rhs, definitions)
    free = stated | _free_symbols(sp.Add(*variables), definitions)
    at, doms = _points_and_domains(at, free, domain)
    evidence: dict[str, Any] = {}
    state = {"checked": []}

    def written():
        record, reached = _expectation(monte_carlo)
        return statement("identity", lhs, rhs, definitions, doms, claim, expectation=record, reached=reached)

    def verdict(status, **extra):
        return _certified(claim, written,
                          "identity", id, status, state["checked"], evidence, _by_name(monte_carlo, doms), **extra)

    def decide():
        if at is not None:
            for pt in at:
                s, val, how = _point_sign(residual, pt, definitions)
                if s not in (0, None, NONREAL):
                    evidence.update(witness={"point": pt, "gap": val if val is not None else residual,
                                             "how": how})
                    return verdict(REFUTED, witness={"point": from_point(pt), "sign": s,
                                                     "gap": to_tree(val) if val is not None else None})
            evidence["reason"] = f"no nonzero gap at the {len(at)} points given (they prove nothing)"
            return verdict(INCONCLUSIVE)
        return _decide_identity(residual, rhs, stated, free, doms, points, seed, mc_seed, simplify,
                                monte_carlo, definitions, evidence, state, verdict)
    return _within(seconds, decide, evidence, state, verdict)


def _decide_identity(residual, rhs, stated, free, doms, points, seed, mc_seed, simplify, monte_carlo,
                     definitions, evidence, state, verdict):
    checked, undecided, undefined = state["checked"], 0, 0
    if not stated:
        if monte_carlo is not None and not free:
            evidence["reason"] = ("a Monte Carlo sampler was given but no symbol to draw points for: "
                                  "pass the sampler's symbols as variables=")
            return verdict(INCONCLUSIVE)
        # a constant residual: one decision, not twenty evaluations of the same number
        try:
            s, val, how = _point_sign(residual, {}, definitions)
        except (ValueError, ZeroDivisionError, _Undecidable, _Unbound) as exc:
            evidence["reason"] = f"the constant residual is not evaluated ({exc})"
            return verdict(INCONCLUSIVE)
        evidence["decision"] = f"constant residual: {how}"
        if s == 0:
            evidence["points_checked"] = 0
            mc = {}
            if monte_carlo is not None:
                # the residual is constant, the expectation is not: simulate at points of the variables
                entries, reason = _monte_carlo(monte_carlo, rhs, list(_candidates(monte_carlo, doms, seed, 4 * MC_POINTS)),
                                               definitions, mc_seed)
                evidence["monte_carlo"] = entries
                if reason:
                    evidence["reason"] = reason
                    return verdict(INCONCLUSIVE, decisions={"constant": True})
                mc = {"monte_carlo": _mc_json(entries)}
            return verdict(PROVED, decisions={"constant": True}, symbolic={"form": None}, **mc)
        if s is not None and s != NONREAL:
            evidence["witness"] = {"point": {}, "gap": val if val is not None else residual}
            return verdict(REFUTED, decisions={"constant": True},
                           witness={"point": {}, "gap": to_tree(evidence["witness"]["gap"]), "sign": s})
        evidence["reason"] = f"the constant residual is not decided: {how}"
        return verdict(INCONCLUSIVE, decisions={"constant": True})

    for pt in _candidates(monte_carlo, doms, seed, points):
        if len(checked) >= points:
            break
        try:
            s, val, how = _point_sign(residual, pt, definitions)
        except (ValueError, ZeroDivisionError, _Unbound):
            undefined += 1
            continue
        except _Undecidable:
            undecided += 1
            continue
        if s == 0:
            checked.append(pt)
        elif s is None or s == NONREAL:
            # a value off the real line is nonzero, but certificates carry real values only
            undecided += 1
        else:
            gap = val if val is not None else residual.xreplace(pt)
            evidence.update(points_checked=len(checked) + 1,
                            witness={"point": pt, "gap": gap, "how": how,
                                     "lhs": exact_value(rhs + residual, pt, definitions),
                                     "rhs": exact_value(rhs, pt, definitions)})
            if outside(pt, doms):
                raise AssertionError("a witness outside the domains")  # sampling guarantees membership
            return verdict(REFUTED, witness={"point": from_point(pt), "sign": s,
                                             "gap": to_tree(val) if val is not None else None})
    evidence["points_checked"] = len(checked)
    if undecided:
        evidence["undecided_points"] = undecided

    decided = None
    if simplify:
        regions = Regions(doms, definitions)
        decided = _decide(residual, regions)
        if decided is None and definitions is not None:
            regions = Regions(doms, definitions)
            decided = _decide(definitions(residual), regions)
            decided = decided and decided + " (atoms replaced by their definitions)"
        if decided is None:
            proposal = sp.simplify(definitions(residual) if definitions else residual)
            evidence["residual"] = proposal
            if proposal == 0:
                evidence["simplify"] = "simplify proposes 0; not a decision"
        else:
            evidence["decision"] = decided

    def further():
        # a simulation short of informative points (where a report rarely moves the allocation, as
        # with many bidders) goes on at further points the sampler proposes, then of the domains,
        # each exactly zero first
        nonlocal undecided
        order = sorted(doms, key=str)
        used = {tuple(p[sym] for sym in order) for p in checked}
        more = _candidates(monte_carlo, doms, seed + 2, MC_EXTRA_POINTS, MC_EXTRA_POINTS, used)
        for pt in islice(more, MC_EXTRA_POINTS):
            try:
                s = _point_sign(residual, pt, definitions)[0]
            except (ValueError, ZeroDivisionError, _Unbound, _Undecidable):
                continue
            if s != 0:
                undecided += 1
                evidence["undecided_points"] = undecided
                return
            checked.append(pt)
            yield pt

    mc_entries, mc_reason = [], None
    if monte_carlo is not None and checked:
        mc_entries, mc_reason = _monte_carlo(monte_carlo, rhs, chain(list(checked), further()) if decided
                                             else checked, definitions, mc_seed)
        evidence["monte_carlo"] = mc_entries
        evidence["points_checked"] = len(checked)
    # the regions shown empty go with the decision, for the checker to confirm each
    symbolic = {"form": None, **({"regions": regions.record()} if regions.empty else {})} if decided else None
    extra = {"monte_carlo": _mc_json(mc_entries), "symbolic": symbolic}

    if not simplify:
        evidence["reason"] = "symbolic step skipped"
    elif decided is None:
        evidence["reason"] = ("simplify proposes zero, but no zero was decided"
                              if evidence.get("simplify") else "the residual was not decided to be zero")
    elif len(checked) < points:
        evidence["reason"] = (f"only {len(checked)} distinct exact points decided ({undecided} undecided, "
                              f"{undefined} undefined); {points} are needed")
    elif undecided:
        evidence["reason"] = f"{undecided} points were not decided"
    elif mc_reason:
        evidence["reason"] = mc_reason
    else:
        return verdict(PROVED, **extra)
    extra["symbolic"] = None
    return verdict(INCONCLUSIVE, **extra)


# ---------------------------------------------------------------------------
# check_sign
# ---------------------------------------------------------------------------

def _assumed(atom, formula) -> sp.Dummy:
    """A stand-in for an atom carrying only the signs its definition is proved to have."""
    facts = {k: True for k in ("real", "positive", "nonnegative", "negative", "nonpositive", "nonzero")
             if getattr(formula, f"is_{k}")}
    return sp.Dummy(str(atom), **facts)


def _symbolic_sign(atomic, explicit, sign, definitions):
    """An equal form whose sign sympy's assumptions confirm, or None.

    The atomic form first, with each atom replaced by a stand-in whose signs
    are proved from its definition, so no declared assumption of an atom is
    trusted (it is the smaller form: factoring the explicit one, with every
    posterior formula written out, can take seconds and fail); then the
    explicit form.
    """
    test = (lambda f: f.is_positive) if sign == "positive" else (lambda f: f.is_nonnegative)
    candidates = [explicit]
    if definitions is not None:
        table = _definition_table(atomic, definitions)
        stand = {a: _assumed(a, f) for a, f in table}
        candidates.insert(0, (atomic.xreplace(stand), {d: a for a, d in stand.items()}))
    for cand in candidates:
        form, back = cand if isinstance(cand, tuple) else (cand, {})
        # factored, or numerator and denominator expanded (a sum of signed terms)
        try:
            forms = _reduced_forms(form)
        except (_TooLarge, ZeroDivisionError):
            # together first: cancel on nested fractions works in a fraction field and is far slower
            num, den = sp.fraction(sp.cancel(sp.together(form)))
            forms = (sp.factor(num / den), sp.expand(num) / sp.expand(den))
        for s in forms:
            if test(s):
                return s.xreplace(back)
    return None


def check_sign(expr, sign: str = "positive", *, id: str = "sign", claim: str | None = None,
               points: int = MIN_POINTS, seed: int = 0, domain: Mapping | None = None,
               definitions: Callable[[sp.Expr], sp.Expr] | None = None,
               at: Sequence[Mapping] | None = None, budget: float | None = None) -> Verdict:
    """Decide ``expr > 0`` (``sign="positive"``) or ``expr >= 0`` (``"nonnegative"``).

    ``proved`` needs the sign confirmed symbolically (sympy's assumptions on an
    equal factored form, atoms only through signs proved from their
    definitions) and at ``points`` distinct exact points of the domains; a
    point with the wrong sign (exact, or certified by a ball) refutes.

    With ``at`` (a nonempty list of points) the claim is about those points
    only, and says so: each point is decided exactly or by a ball.

    >>> import sympy as sp
    >>> a = sp.Symbol("a", positive=True)
    >>> check_sign(a**2 + 1).status, check_sign(a - 1).status
    ('proved', 'refuted')
    >>> print(check_sign(a - 1, at=[{a: 2}, {a: 3}]).claim)
    a - 1 > 0 at the 2 points given
    """
    atomic = as_expr(expr, "expr")
    if sign not in ("positive", "nonnegative"):
        raise ValueError(f"sign must be 'positive' or 'nonnegative', got {sign!r}")
    points = _points_arg(points)
    seed = _seed(seed, "seed")
    seconds = _budget_arg(budget)
    explicit = definitions(atomic) if definitions is not None else atomic
    at, doms = _points_and_domains(at, _free_symbols(atomic, definitions), domain)
    rel = ">" if sign == "positive" else ">="
    claim = claim if claim is not None else f"{_short(atomic, 200)} {rel} 0"
    if at is not None and not claim.endswith(" given"):
        claim += f" at the {len(at)} point{'s' if len(at) > 1 else ''} given"
    evidence: dict[str, Any] = {}
    state = {"checked": []}

    def verdict(status, **extra):
        return _certified(claim, lambda: statement(sign, atomic, sp.Integer(0), definitions, doms, claim, at),
                          "sign", id, status, state["checked"], evidence, **extra)

    return _within(seconds, lambda: _decide_sign(atomic, explicit, sign, doms, points, seed, definitions, at,
                                                 evidence, state, verdict), evidence, state, verdict)


def _decide_sign(atomic, explicit, sign, doms, points, seed, definitions, at, evidence, state, verdict):
    checked, undecided = state["checked"], 0
    candidates = at if at is not None else _draw_points(doms, random.Random(seed), points)
    for pt in candidates:
        if at is None and len(checked) >= points:
            break
        try:
            s, val, how = _point_sign(atomic, pt, definitions)
        except (ValueError, ZeroDivisionError, _Unbound, _Undecidable) as exc:
            if at is not None:
                raise ValueError(f"at: expr is not evaluated at {pt} ({exc})") from None
            continue
        if s == NONREAL:
            if at is not None:
                raise ValueError(f"at: expr is not real at {pt}")
            continue
        if s is None:
            undecided += 1
            if at is not None:
                evidence.update(points_checked=len(checked), reason=f"the sign at {pt} is not decided: {how}")
                return verdict(INCONCLUSIVE)
            continue
        if s < 0 or (s == 0 and sign == "positive"):
            gap = val if val is not None else atomic.xreplace(pt)
            evidence.update(points_checked=len(checked) + 1, witness={"point": pt, "gap": gap, "how": how})
            return verdict(REFUTED, witness={"point": from_point(pt), "sign": s,
                                             "gap": to_tree(val) if val is not None else None})
        checked.append(pt)
    evidence["points_checked"] = len(checked)
    if at is not None:
        evidence["decision"] = f"decided at the {len(checked)} point{'s' if len(checked) > 1 else ''} given"
        return verdict(PROVED)
    form = _symbolic_sign(atomic, explicit, sign, definitions)
    if form is None:
        evidence["reason"] = "sign not decided from the assumptions"
    elif len(checked) < points:
        evidence["reason"] = f"only {len(checked)} distinct exact points decided ({undecided} undecided)"
    else:
        evidence["decision"] = "sign of an equal factored form, by sympy's assumptions"
        return verdict(PROVED, symbolic={"form": to_tree(form)})
    return verdict(INCONCLUSIVE)


def refute_at(expr, point: Mapping, sign: str = "nonnegative", *, id: str = "sign",
              claim: str | None = None, domain: Mapping | None = None,
              definitions: Callable[[sp.Expr], sp.Expr] | None = None,
              evidence: Mapping | None = None, budget: float | None = None) -> Verdict:
    """Refute "``expr`` > 0 (or >= 0) everywhere" at one point, or answer inconclusive.

    The point must lie in the symbols' domains; the sign of ``expr`` there is
    decided exactly or by a ball, never by a float.  This is how a search's
    proposal becomes a refutation: the search proposes, this decides.

    >>> import sympy as sp
    >>> g = sp.Symbol("g", real=True)
    >>> refute_at(1 - g, {g: 3}, id="no-gain").status
    'refuted'
    >>> refute_at(1 - g, {g: 1}, "nonnegative").status
    'inconclusive'
    """
    atomic = as_expr(expr, "expr")
    if sign not in ("positive", "nonnegative"):
        raise ValueError(f"sign must be 'positive' or 'nonnegative', got {sign!r}")
    pt = _exact_point(point, "point")
    seconds = _budget_arg(budget)
    free = _free_symbols(atomic, definitions)
    missing = free - set(pt)
    if missing:
        raise ValueError(f"point leaves {sorted(map(str, missing))} without a value")
    doms = domains_for(set(pt), declared_for(pt, domain))
    bad = outside(pt, doms)
    if bad:
        raise ValueError(f"point puts {', '.join(bad)} outside its domain")
    rel = ">" if sign == "positive" else ">="
    claim = claim if claim is not None else f"{_short(atomic, 200)} {rel} 0"
    ev: dict[str, Any] = dict(evidence or {})
    status, extra = INCONCLUSIVE, {}
    try:
        with _budget.time_limit(seconds):
            s, val, how = _point_sign(atomic, pt, definitions)
    except _budget.TimeLimit:
        s, how = None, f"time limit ({seconds:g} s)"
    except (ValueError, ZeroDivisionError, _Unbound, _Undecidable) as exc:
        s, how = None, f"not evaluated at the point ({exc})"
    if s is not None and s != NONREAL and (s < 0 or (s == 0 and sign == "positive")):
        status = REFUTED
        ev.setdefault("witness", {"point": pt, "gap": val, "how": how})
        extra = {"witness": {"point": from_point(pt), "sign": s, "gap": to_tree(val) if val is not None else None}}
    else:
        ev.pop("witness", None)
        ev["reason"] = f"the point does not refute the claim ({how})"
    return _certified(claim, lambda: statement(sign, atomic, sp.Integer(0), definitions, doms, claim),
                      "sign", id, status, [], ev, **extra)
