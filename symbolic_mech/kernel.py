r"""The verification kernel: three-valued verdicts on identities and signs.

A claim ``lhs == rhs`` is

* ``proved`` when the residual ``lhs - rhs`` simplifies to zero, vanishes
  exactly at every random rational point tried, and, where an expectation is
  involved, a Monte Carlo estimate agrees with the exact value within five
  standard errors;
* ``refuted`` when an exact rational point is found at which the two sides
  differ by a nonzero exact amount (the witness);
* ``inconclusive`` otherwise.  ``simplify`` giving up is never a refutation
  and floats looking close are never a proof.

Strings are never evaluated: every entry point takes sympy objects only.

Examples
========

>>> import sympy as sp
>>> from symbolic_mech.kernel import check_identity
>>> a, b = sp.symbols("a b", real=True)
>>> check_identity((a + b)**2, a**2 + 2*a*b + b**2).status
'proved'
>>> v = check_identity((a + b)**2, a**2 + b**2)
>>> v.status, v.evidence["witness"]["gap"] != 0
('refuted', True)
"""
from __future__ import annotations

import json
import random
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = [
    "Verdict", "VerificationError", "check_identity", "check_sign",
    "monte_carlo_agrees", "random_point", "exact_value", "as_expr", "PROVED", "REFUTED",
    "INCONCLUSIVE",
]

PROVED, REFUTED, INCONCLUSIVE = "proved", "refuted", "inconclusive"
STATUSES = (PROVED, REFUTED, INCONCLUSIVE)


class VerificationError(ValueError):
    """Bad input to the kernel (a non-sympy claim, an unusable domain)."""


def as_expr(obj, name: str) -> sp.Expr:
    """Accept a sympy expression or an exact number; reject everything else.

    Strings are refused rather than parsed, so no text is ever executed.

    >>> as_expr(3, "lhs")
    3
    >>> as_expr("x + 1", "lhs")
    Traceback (most recent call last):
    ...
    TypeError: lhs must be a sympy expression, got str (strings are not parsed)
    """
    if isinstance(obj, str):
        raise TypeError(f"{name} must be a sympy expression, got str (strings are not parsed)")
    if isinstance(obj, bool):
        raise TypeError(f"{name} must be a sympy expression, got bool")
    if isinstance(obj, int):
        return sp.Integer(obj)
    if isinstance(obj, float):
        raise TypeError(f"{name} must be exact: pass sympy.Rational instead of the float {obj!r}")
    if not isinstance(obj, sp.Expr):
        raise TypeError(f"{name} must be a sympy expression, got {type(obj).__name__}")
    return obj


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
    """The outcome of a check: a status, the claim and the evidence.

    ``evidence`` holds exact sympy objects; :meth:`to_dict` renders them as
    strings for JSON.  Keys used by the kernel: ``residual`` (simplified
    residual), ``points_checked``, ``witness`` (``{"truth", "report", "gain"}``
    for incentive failures, ``{"point", "gap"}`` for identities),
    ``monte_carlo`` (estimate, standard error, exact value, sample size, seed)
    and ``epsilon``.
    """

    id: str
    claim: str
    status: str
    evidence: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    @property
    def refuted(self) -> bool:
        return self.status == REFUTED

    def to_dict(self) -> dict:
        return {"id": self.id, "claim": self.claim, "status": self.status,
                "evidence": _jsonable(self.evidence)}

    def brief(self) -> str:
        """One line of evidence: points checked, Monte Carlo, epsilon, witness."""
        e, parts = self.evidence, []
        if "points_checked" in e:
            parts.append(f"{e['points_checked']} exact pts")
        if "monte_carlo" in e:
            mc = e["monte_carlo"]
            parts.append(f"MC |err|={abs(mc['estimate'] - mc['exact']):.2g} "
                         f"(se {mc['se']:.2g}, N={mc['samples']})")
        if "epsilon" in e:
            parts.append(f"eps={sp.sstr(e['epsilon'])}")
        if "witness" in e:
            w = e["witness"]
            kind = "gain" if "gain" in w else "gap"
            parts.append(f"witness {kind}={sp.sstr(w[kind])}")
        if "reason" in e:
            parts.append(str(e["reason"]))
        return "; ".join(parts)

    def __str__(self) -> str:
        return f"[{self.status}] {self.id}: {self.claim}" + (f" ({self.brief()})" if self.brief() else "")

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def _random_value(sym: sp.Symbol, rnd: random.Random, domain: Mapping) -> sp.Rational:
    if sym in domain:
        lo, hi = (sp.Rational(b) for b in domain[sym])
        if sym.is_integer:
            return sp.Integer(rnd.randint(int(sp.ceiling(lo)), int(sp.floor(hi))))
        # strictly inside the interval, so open bounds (0 < p < 1) are respected
        frac = sp.Rational(rnd.randint(1, 999), 1000)
        return lo + (hi - lo) * frac
    if sym.is_integer:
        return sp.Integer(rnd.randint(1, 40) if sym.is_positive or sym.is_nonnegative else rnd.randint(-40, 40))
    den = rnd.randint(1, 12)
    if sym.is_positive or sym.is_nonnegative:
        return sp.Rational(rnd.randint(1, 60), den)
    return sp.Rational(rnd.randint(-60, 60), den)


def random_point(symbols, rnd: random.Random, domain: Mapping | None = None) -> dict:
    """A random exact rational value for each symbol, honouring its assumptions.

    ``domain`` maps a symbol to an interval ``(lo, hi)`` to sample from.

    >>> import sympy as sp, random
    >>> t = sp.Symbol("t", positive=True)
    >>> random_point([t], random.Random(0))[t] > 0
    True
    """
    domain = domain or {}
    return {sym: _random_value(sym, rnd, domain) for sym in sorted(symbols, key=str)}


class _Unbound(Exception):
    """A symbol the point does not fix and no definition turns into a number."""


def _to_sympy(val):
    return sp.Rational(val.numerator, val.denominator) if isinstance(val, Fraction) else val


def _evaluator(point: Mapping, definitions):
    """``ev(expr)``: the exact value of expr at ``point``, each shared subtree once.

    Rational arithmetic runs on Python fractions, with no sympy object built
    per node; anything else (sqrt, exp, a symbolic leftover) is handed back to
    sympy's own exact evaluation.  An atom (an applied undefined function or
    a symbol the point does not fix) is evaluated through ``definitions`` at
    its evaluated arguments.
    """
    values = {k: (Fraction(int(v.p), int(v.q)) if isinstance(v, sp.Rational) else v)
              for k, v in ((k, sp.sympify(v)) for k, v in point.items())}
    memo: dict = {}

    def atom(e):
        if e in values:
            return values[e]
        if definitions is None:
            raise _Unbound(e)
        at = e.func(*map(_to_sympy, map(ev, e.args))) if isinstance(e, AppliedUndef) else e
        formula = definitions(at)
        if formula == at:
            raise _Unbound(e)
        return ev(formula)

    def combine(op, vals):
        if all(isinstance(v, Fraction) for v in vals):
            acc = vals[0]
            for v in vals[1:]:
                acc = acc + v if op is sp.Add else acc * v
            return acc
        return op(*map(_to_sympy, vals))

    def ev(e):
        if e in memo:
            return memo[e]
        if e.is_Rational:
            val = Fraction(int(e.p), int(e.q))
        elif e.is_Float:
            val = ev(sp.nsimplify(e))
        elif e.is_Symbol or isinstance(e, AppliedUndef):
            val = atom(e)
        elif e.is_Add or e.is_Mul:
            val = combine(e.func, [ev(a) for a in e.args])
        elif e.is_Pow and e.exp.is_Integer and isinstance(base := ev(e.base), Fraction):
            val = base ** int(e.exp)
        else:
            val = e.func(*map(_to_sympy, map(ev, e.args)))
        memo[e] = val
        return val
    return ev


def exact_value(expr: sp.Expr, point: Mapping, definitions=None):
    """The exact value of ``expr`` at ``point``; None where the point is outside its domain.

    With ``definitions`` the atoms are replaced by their formulas at the
    point only, so the explicit expression is never built.  A point that
    leaves a symbol free gives an expression in it.  No rounding: a value is
    never replaced by a nearby simpler number.

    >>> import sympy as sp
    >>> a = sp.Symbol("a")
    >>> exact_value((a + 1)**2 / 3, {a: sp.Rational(1, 2)})
    3/4
    >>> exact_value(1 / a, {a: 0}) is None
    True
    """
    try:
        try:
            val = _to_sympy(_evaluator(point, definitions)(expr))
        except _Unbound:
            val = (definitions(expr) if definitions else expr).xreplace(dict(point))
        if not val.is_Number:
            val = sp.expand(sp.nsimplify(val) if val.has(sp.Float) else val)
    except (ZeroDivisionError, ValueError, TypeError):
        return None
    return None if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else val


def _free_symbols(expr: sp.Expr, definitions) -> set:
    """The free symbols of ``definitions(expr)``, found atom by atom without building it."""
    if definitions is None:
        return set(expr.free_symbols)
    free: set = set()
    for atom in expr.atoms(AppliedUndef) | expr.free_symbols:
        free |= definitions(atom).free_symbols
    return free


def _is_zero(val: sp.Expr):
    """True/False when decidable; a 60-digit evaluation settles a clear nonzero.

    A value near zero is settled exactly: first as a rational function of its
    transcendental atoms (zero there is zero for any values of them), then by
    ``simplify``.  The assumption system is not asked first: on sums of
    exponentials it evaluates numerically at length and rarely decides.
    """
    if val.is_Number:
        return bool(val == 0) if val.is_finite else None
    if val.free_symbols or val.atoms(AppliedUndef):
        return val.is_zero
    try:
        approx = sp.N(val, 60)
    except (TypeError, ValueError):
        return None
    if approx.is_Number or approx.is_complex:
        if abs(complex(approx)) > 1e-40:
            return False
    if sp.cancel(sp.together(sp.powsimp(val))) == 0:
        return True
    return sp.simplify(val).is_zero


def _cancel_atomic(res: sp.Expr) -> sp.Expr:
    """Zero-test with atoms kept opaque: a rational function in them cancels cheaply.

    No expand first: expanding nested quotients multiplies out every numerator
    over every denominator, which is what makes the explicit residuals blow up.
    A residual that is polynomial in its atoms is expanded instead: that is
    linear in the size of the expansion, where cancel builds a multivariate
    polynomial over every atom.
    """
    if not any(p.exp.is_negative or not p.exp.is_Integer for p in res.atoms(sp.Pow)):
        r = sp.expand(res)
        if r == 0:
            return r
    return sp.cancel(sp.together(res))


def _simplify_residual(res: sp.Expr) -> sp.Expr:
    # Cheap canonical forms first: most residuals in this package are rational
    # functions, for which cancel decides zero; simplify is a last resort.
    r = sp.expand(res)
    if r == 0:
        return r
    r = sp.cancel(sp.together(r))
    if r == 0 or r.is_polynomial() or r.is_rational_function():
        return r
    return sp.simplify(r)


def monte_carlo_agrees(samples, exact, seed=None, sigmas: float = 5.0) -> dict:
    """Compare the mean of samples with an exact value, within ``sigmas`` standard errors.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> monte_carlo_agrees(rng.normal(2.0, 1.0, 40000), 2, seed=1)["agrees"]
    True
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim != 1 or samples.size < 2:
        raise ValueError("samples must be a one-dimensional array of at least two draws")
    est = float(samples.mean())
    se = float(samples.std(ddof=1) / np.sqrt(samples.size))
    exact_f = float(sp.N(exact, 30))
    # a degenerate sample (zero variance) must match to rounding, not "within 0"
    tol = sigmas * se + 1e-12 * max(1.0, abs(exact_f))
    return {"estimate": est, "se": se, "exact": exact_f, "samples": int(samples.size),
            "seed": seed, "agrees": bool(abs(est - exact_f) <= tol)}


def check_identity(lhs, rhs=0, *, id: str = "identity", claim: str | None = None,
                   points: int = 20, seed: int = 0, domain: Mapping | None = None,
                   monte_carlo: Callable[[dict, np.random.Generator], np.ndarray] | None = None,
                   mc_seed: int = 12345, simplify: bool = True, variables=(),
                   definitions: Callable[[sp.Expr], sp.Expr] | None = None) -> Verdict:
    """Decide ``lhs == rhs`` for all values of the free symbols.

    Parameters
    ==========
    lhs, rhs : sympy expressions (or ints); strings are refused.
    points : number of random exact rational points (at least 20 for proved).
    domain : optional ``{symbol: (lo, hi)}`` to sample from.
    monte_carlo : optional ``f(point, rng) -> samples`` whose mean estimates
        ``rhs`` at ``point``; required agreement for ``proved``.
    simplify : set False to skip symbolic simplification (then the verdict
        can at best be inconclusive or refuted).
    variables : further symbols to give values at each point (those the
        Monte Carlo sampler needs beyond the residual's own).
    definitions : a map replacing opaque atoms (e.g. posterior moments) by
        their formulas, atom by atom.  The residual is first reduced with the
        atoms kept opaque: zero there implies zero after substitution.  At
        each point an atom is evaluated through its formula there, so the
        explicit residual is only built if the fallback simplification runs.

    Examples
    ========

    A branch cut is not swept away: with real, possibly negative x and y,

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> check_identity(sp.log(x*y), sp.log(x) + sp.log(y)).status
    'refuted'
    """
    lhs, rhs = as_expr(lhs, "lhs"), as_expr(rhs, "rhs")
    if not isinstance(points, int) or points < 1:
        raise ValueError(f"points must be a positive int, got {points!r}")
    claim = claim if claim is not None else f"{sp.sstr(lhs)} == {sp.sstr(rhs)}"
    atomic = lhs - rhs
    free = _free_symbols(atomic, definitions) | set(variables)
    rnd = random.Random(seed)
    evidence: dict[str, Any] = {}

    checked, undecided, first_point = 0, 0, None
    for _ in range(points * 5):
        if checked >= points:
            break
        point = random_point(free, rnd, domain)
        val = exact_value(atomic, point, definitions)
        if val is None:
            continue
        zero = _is_zero(val)
        if zero is False:
            evidence.update(points_checked=checked + 1,
                            witness={"point": point, "gap": val,
                                     "lhs": exact_value(lhs, point, definitions),
                                     "rhs": exact_value(rhs, point, definitions)})
            return Verdict(id, claim, REFUTED, evidence)
        if zero is None:
            undecided += 1
        else:
            checked += 1
            first_point = first_point or point
    evidence["points_checked"] = checked
    if undecided:
        evidence["undecided_points"] = undecided

    sym_zero = None
    if simplify:
        r = _cancel_atomic(atomic) if definitions is not None else atomic
        r = r if r == 0 else _simplify_residual(definitions(atomic) if definitions else atomic)
        evidence["residual"] = r
        sym_zero = (r == 0) or (r.is_zero is True)

    if monte_carlo is not None and first_point is not None:
        rng = np.random.default_rng(mc_seed)
        exact_rhs = exact_value(rhs, first_point, definitions)
        mc = monte_carlo_agrees(monte_carlo(first_point, rng), exact_rhs, mc_seed)
        mc["point"] = first_point
        evidence["monte_carlo"] = mc
        if not mc["agrees"]:
            evidence["reason"] = "Monte Carlo disagrees with the exact value"
            return Verdict(id, claim, INCONCLUSIVE, evidence)

    if sym_zero and checked >= min(points, 20) and not undecided:
        return Verdict(id, claim, PROVED, evidence)
    if not sym_zero:
        evidence["reason"] = "residual did not simplify to zero" if simplify else "symbolic step skipped"
    else:
        evidence["reason"] = f"only {checked} exact points decided"
    return Verdict(id, claim, INCONCLUSIVE, evidence)


def check_sign(expr, sign: str = "positive", *, id: str = "sign", claim: str | None = None,
               points: int = 20, seed: int = 0, domain: Mapping | None = None,
               assumptions_proof: bool = True,
               definitions: Callable[[sp.Expr], sp.Expr] | None = None,
               at: Sequence[Mapping] | None = None) -> Verdict:
    """Decide ``expr > 0`` (``sign="positive"``) or ``expr >= 0`` (``"nonnegative"``).

    ``proved`` needs sympy's assumption system to confirm the sign from the
    symbols' declared assumptions and every exact point to agree; an exact
    point with the wrong sign refutes.  With ``at`` (a list of points) the
    claim is about those points only: each is decided exactly and no
    symbolic argument is needed.

    >>> import sympy as sp
    >>> a = sp.Symbol("a", positive=True)
    >>> check_sign(a**2 + 1).status, check_sign(a - 1).status
    ('proved', 'refuted')
    """
    atomic = as_expr(expr, "expr")
    # the sign is decided on the atoms (their assumptions), points on the formulas
    expr = definitions(atomic) if definitions is not None else atomic
    if sign not in ("positive", "nonnegative"):
        raise ValueError(f"sign must be 'positive' or 'nonnegative', got {sign!r}")
    claim = claim if claim is not None else f"{sp.sstr(expr)} {'>' if sign == 'positive' else '>='} 0"
    rnd = random.Random(seed)
    checked, evidence = 0, {}
    candidates = at if at is not None else (random_point(expr.free_symbols, rnd, domain)
                                            for _ in range(points * 5))
    for point in candidates:
        if at is None and checked >= points:
            break
        val = exact_value(expr, point)
        if val is None:
            if at is not None:
                raise ValueError(f"at: expr is undefined at {point}")
            continue
        ok = val.is_positive if sign == "positive" else val.is_nonnegative
        if ok is None:
            approx = sp.N(val, 60)
            ok = bool(approx > 0) if sign == "positive" else bool(approx >= 0)
        if not ok:
            evidence.update(points_checked=checked + 1, witness={"point": point, "gap": val})
            return Verdict(id, claim, REFUTED, evidence)
        checked += 1
    evidence["points_checked"] = checked
    if at is not None:
        return Verdict(id, claim, PROVED, evidence)
    if assumptions_proof:
        s = sp.factor(sp.cancel(atomic))
        decided = s.is_positive if sign == "positive" else s.is_nonnegative
        if not decided and definitions is not None:
            s = sp.factor(sp.cancel(expr))
            decided = s.is_positive if sign == "positive" else s.is_nonnegative
        evidence["residual"] = s
        if decided and checked >= min(points, 20):
            return Verdict(id, claim, PROVED, evidence)
    evidence["reason"] = "sign not decided from the assumptions"
    return Verdict(id, claim, INCONCLUSIVE, evidence)
