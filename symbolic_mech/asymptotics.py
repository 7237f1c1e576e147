"""Limits and eventual signs in a sample size m, decided by the kernel.

:func:`vanishes` decides ``lim_{m -> oo} f(m) = 0``.  With u = 1/m:

* f rational in m (its coefficients may be posterior atoms and parameters):
  f = u S(u) for a rational S whose denominator is nonzero at u = 0, so S is
  continuous there and ``f -> 0 * S(0) = 0``.  Both facts are kernel verdicts:
  the identity ``f(m) = S(1/m)/m`` (at exact points, decided zero, and
  simulated when a sampler is given) and the denominator at u = 0 nonzero;
* otherwise f(1/u) built from sums, products, integer powers, exp and log
  (anything else in u, say floor or a Piecewise, is refused): every
  denominator is nonzero and every logarithm's argument positive at u = 0
  (kernel sign verdicts), so f(1/u) is continuous at u = 0, and its value
  there, the exact substitution u = 0, is 0 (a kernel identity unless the
  substitution gives 0 outright).

:func:`eventually` decides ``f(m) >= 0`` for all ``m >= m0`` when f is rational
in m with rational coefficients: for a large enough m0 the numerator and the
denominator of ``f(m0 + t)`` have coefficients of one sign in t, so their
signs for t >= 0 are those of sympy's assumptions on a sum of signed terms;
m0 is found by doubling, and the claim ``f(m0 + t) >= 0 for t >= 0`` is a
kernel sign verdict on f with m replaced by m0 + t.  A sufficient condition
that fails (a denominator that may vanish at u = 0) leaves the limit
inconclusive, never refuted.

:func:`leading_order` gives the exponent k and constant C of ``f ~ C m^-k``.

>>> import sympy as sp
>>> from symbolic_mech.symbols import m, omega
>>> [v.status for v in vanishes(omega * (1 - omega) / m, m, id="mse")]
['proved', 'proved']
>>> v = eventually(1 / m - 10 / m**2, m, id="tail")
>>> v.status, v.evidence["m0"]
('proved', 16)
"""
from __future__ import annotations

import sympy as sp

from .core.kernel import INCONCLUSIVE, PROVED, REFUTED, Verdict, check_identity, check_sign

__all__ = ["vanishes", "eventually", "leading_order", "reciprocal"]


def reciprocal(var: sp.Symbol) -> sp.Symbol:
    """The positive symbol u standing for 1/var."""
    return sp.Symbol(f"u_{var.name}", positive=True)


def _kernel(model):
    if model is None:
        return check_identity, check_sign
    from .checks import identity, sign
    return (lambda *a, **k: identity(model, *a, **k)), (lambda *a, **k: sign(model, *a, **k))


def vanishes(expr, var, *, id: str, claim: str | None = None, model=None, monte_carlo=None,
             estimator=None, domain=None, variables=()) -> list:
    """[form, finite]: the two verdicts that together decide ``lim_{var -> oo} expr = 0``.

    ``model`` (an information structure or environment) supplies definitions and
    supports; ``monte_carlo`` simulates ``expr`` at the form's points.  Raises
    ValueError if expr is not rational in ``var``.
    """
    u = reciprocal(var)
    ident, sign = _kernel(model)
    extra = {"estimator": estimator} if model is not None and estimator is not None else {}
    if domain is not None:
        extra["domain"] = domain
    claim = claim or rf"${sp.latex(expr)} \to 0$ as ${sp.latex(var)} \to \infty$"
    if not expr.is_rational_function(var):
        return _by_continuity(_normal(expr.xreplace({var: 1 / u})), u, id, claim, ident, sign, extra)
    S = sp.cancel(sp.together(sp.expand(expr).xreplace({var: 1 / u})) / u)
    num, den = sp.fraction(S)
    form = ident(expr, S.xreplace({u: 1 / var}) / var, id=f"{id}-form", monte_carlo=monte_carlo,
                 variables=variables, claim=f"{claim}: " + _in_reciprocal(var),
                 **extra)
    den0 = sp.factor(den.xreplace({u: 0}))
    # a constant is decided once (the kernel's claim then says "at the 1 point given": all of them)
    constant = {"at": [{}]} if not den0.free_symbols and not den0.atoms(sp.Function) else {}
    # nonzero: positive or negative (cheap when the sign is plain), else its square positive
    for which, shown in ((den0, "positive"), (-den0, "negative"), (den0 ** 2, "nonzero")):
        finite = _sufficient(sign(which, "positive", id=f"{id}-finite", **extra, **constant,
                                  claim=f"{claim}: the denominator of $S$ at ${sp.latex(1 / var)} = 0$ is {shown}, "
                                        "so $S(0)$ is finite"))
        if finite.status == PROVED:
            break
    return [form, finite]


def _sufficient(v):
    """A condition that suffices for the limit: its failure decides nothing about the limit."""
    if v.status != REFUTED:
        return v
    cert = dict(v.certificate, status=INCONCLUSIVE, witness=None, symbolic=None) if v.certificate else None
    reason = "a sufficient condition fails at a point; the limit is not decided by this route"
    return Verdict(v.id, v.claim, INCONCLUSIVE, {"reason": reason, "points_checked": v.evidence.get("points_checked", 0)},
                   cert, v.sampler)


# the functions under which a limit is read off by continuity at u = 0 (with the conditions below)
_CONTINUOUS = (sp.Add, sp.Mul, sp.exp, sp.log)


def _continuity_nodes_ok(E, u) -> str | None:
    """None if every subtree with u is a sum, product, integer power, exp or log; else the culprit."""
    for f in sp.preorder_traversal(E):
        if not f.has(u) or f == u:
            continue
        if isinstance(f, sp.Pow):
            if not f.exp.is_Integer or f.exp.has(u):
                return str(f)
        elif not isinstance(f, _CONTINUOUS):
            return str(f)
    return None


def _normal(e):
    """e with each rational piece over one denominator, function arguments included
    (so 1/u appears only as u in numerators and denominators)."""
    if isinstance(e, (sp.exp, sp.log)):
        return e.func(_normal(e.args[0]))
    if e.is_Atom or not e.args:
        return e
    inner = {f: _normal(f) for f in e.atoms(sp.exp, sp.log)}
    return sp.cancel(sp.together(e.xreplace(inner)))


def _by_continuity(E, u, id, claim, ident, sign, extra) -> list:
    culprit = _continuity_nodes_ok(E, u)
    if culprit is not None:
        raise ValueError(f"{id}: {culprit} is not a sum, product, integer power, exp or log of 1/m: "
                         "its continuity at 1/m = 0 is not established here")
    conditions = []
    for f in sp.preorder_traversal(E):
        if isinstance(f, sp.log):
            conditions.append((f.args[0], "positive", "a logarithm's argument"))
        elif f.is_Pow and f.exp.is_negative:
            conditions.append((f.base ** 2, "positive", "a denominator squared"))
    if not conditions:
        raise ValueError(f"{id}: {E} has no denominator or logarithm in 1/m; pass it as rational")
    value = E.xreplace({u: 0})
    shown = " ($0$ by exact substitution)" if value == 0 else ""
    out = []
    for k, (c, which, what) in enumerate(dict.fromkeys(conditions), 1):
        at0 = c.xreplace({u: 0})
        constant = {"at": [{}]} if not at0.free_symbols and not at0.atoms(sp.Function) else {}
        out.append(_sufficient(sign(at0, which, id=f"{id}-continuous-{k}", **constant, **extra,
                                    claim=f"{claim}: {what} at $1/m = 0$ is {which}, so the value there"
                                          f"{shown} is the limit")))
    if value != 0:
        out.append(ident(value, 0, id=f"{id}-value", claim=f"{claim}: the value at $1/m = 0$ is $0$", **extra))
    return out


def eventually(expr, var, *, id: str, claim: str | None = None, strict: bool = False,
               largest: int = 2 ** 40):
    """The kernel verdict ``expr(m0 + t) >= 0`` (``> 0`` if ``strict``) for t >= 0, m0 found.

    ``expr`` must be rational in ``var`` with rational coefficients; the checked
    expression is ``expr`` with ``var`` replaced by ``m0 + t`` (so the certificate
    shows m0), and the evidence carries ``m0``.  Inconclusive, with the reason, if
    no m0 up to ``largest`` makes the shifted numerator and denominator single-signed.
    """
    t = sp.Symbol(f"t_{var.name}", nonnegative=True)
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    polys = [sp.Poly(p, var) for p in (num, den)]
    if any(not p.domain.is_QQ and not p.domain.is_ZZ for p in polys):
        raise ValueError(f"{id}: {expr} must be rational in {var} with rational coefficients")
    which = "positive" if strict else "nonnegative"
    rel = ">" if strict else r"\geq"
    claim = claim or rf"${sp.latex(expr)} {rel} 0$ for ${sp.latex(var)} \geq m_0$"
    m0 = 1
    while m0 <= largest:
        shifted = [sp.Poly(p.as_expr().xreplace({var: m0 + t}), t) for p in polys]
        if all(len({sp.sign(c) for c in q.coeffs()}) == 1 for q in shifted):
            v = check_sign(expr.xreplace({var: m0 + t}), which, id=id, claim=claim.replace("m_0", str(m0)))
            v.evidence["m0"] = m0
            return v
        m0 *= 2
    return Verdict(id, claim, INCONCLUSIVE,
                   {"reason": f"no m0 up to {largest} makes the signs of {expr} evident"})


def leading_order(expr, var):
    """(k, C) with expr ~ C var^-k as var -> oo, k searched over halves up to 6.

    >>> from symbolic_mech.symbols import m
    >>> leading_order(3 / m**2 + 1 / m**3, m)
    (2, 3)
    """
    guess = _leading_exponent(expr, var)
    if guess is not None:
        # one limit instead of one per half: a finite nonzero limit C of expr var^k makes every
        # smaller exponent's limit 0 (expr var^j = expr var^k var^(j - k) -> C 0)
        c = sp.limit(expr * var ** guess, var, sp.oo)
        if c != 0 and not c.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds, sp.Limit):
            return guess, c
    for twice_k in range(0, 13):
        k = sp.Rational(twice_k, 2)
        c = sp.limit(expr * var ** k, var, sp.oo)
        if c != 0:
            return k, c
    raise ValueError("expr decays faster than m^-6")


def _in_reciprocal(var) -> str:
    r"""The form a rational limit is decided in, in the paper's notation (TeX in words).

    >>> _in_reciprocal(sp.Symbol("m"))
    '$f(m) = S(1/m)/m$ with $S$ rational in $1/m$'
    """
    return rf"$f({sp.latex(var)}) = S(1/{sp.latex(var)})/{sp.latex(var)}$ with $S$ rational in $1/{sp.latex(var)}$"


def _leading_exponent(expr, var):
    """A guess of k in expr ~ C var^-k (a half-integer in 0..6), or None: the slope of
    log|expr| against log var between var = 10^6 and 10^7, every other symbol at 3/7, in
    60-digit arithmetic.  Numbers only guess here (sympy's leading term costs seconds);
    :func:`leading_order` decides by a limit.

    >>> from symbolic_mech.symbols import m
    >>> _leading_exponent(3 / m**2 + 1 / m**3, m)
    2
    """
    others = {x: sp.Rational(3, 7) for x in expr.free_symbols - {var}}
    try:
        lo, hi = (abs(sp.N(expr.xreplace({**others, var: sp.Integer(10) ** e}), 60)) for e in (6, 7))
        if not (lo.is_Float and hi.is_Float and lo > 0 and hi > 0):
            return None
        k = sp.Rational(round(2 * float(sp.log(lo / hi, 10))), 2)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return k if 0 <= k <= 6 else None
