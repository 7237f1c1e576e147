r"""Incentive analysis: misreports, Groves certificates, regret and witnesses.

Fix agent i with true (theta_i, s_i); the others report truthfully.  For a
misreport (theta_i', s_i') the agent's expected net utility, evaluated under
her posterior given all true signals and the estimator's law (Definition 5), is

    U_i(theta_i', s_i') = v_i(x', theta_i, s) + E_{omega | s} E_{omega_hat | omega}[t_i(theta', s', omega_hat)],

with x' = x*(theta_i', theta_{-i}, s_i', s_{-i}).  The *gain* of a misreport is
U_i(theta_i', s_i') - U_i(theta_i, s_i), and the regret epsilon is its supremum
(Definition 7).

Groves certificate: if D = U_i - sum_j v_j(x', theta_j, s) does not depend on
the report, then U_i = welfare at x' + constant, and truth is optimal because
x* maximizes welfare (Proposition 1's argument).  A failure is shown by a
witness: exact rational truth and report with a strictly positive exact gain.

Examples
========

>>> import sympy as sp
>>> from symbolic_mech import (GaussianSignals, Environment, RealLine, DataDrivenVCG,
...                            ExPost, groves_certificate)
>>> from symbolic_mech.symbols import x, omega, theta
>>> env = Environment(GaussianSignals(2), [-(x - theta(i) - omega)**2 for i in (1, 2)], RealLine())
>>> groves_certificate(DataDrivenVCG(env, h="pivot"), 1, ExPost()).status
'proved'
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Mapping

import flint
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .environments import Distributions, Interval, RealLine, SingleSlot, partition_atom
from .core import budget as _budget
from .core.domains import declared_for, domains_for, draw_order, outside
from .core.shared import atoms as shared_atoms, free_symbols, replaced
from .core.exact import point as exact_point, rational as exact_rational, seed as exact_seed
from .core.kernel import (INCONCLUSIVE, PROVED, Verdict, as_expr, check_identity, decide_sign, decide_zero,
                          exact_value, point_evaluator, random_point, refute_at)
from .estimators import check_estimator
from .mechanisms import Mechanism
from .simulation import expectation_sampler
from .symbols import check_agent, estimate, omega, omega_hat, prime
from .validation import integer

__all__ = ["Misreport", "net_utility", "gain", "groves_certificate", "search_gain", "search_by_regions", "Search",
           "witness_at", "refutation", "affine_condition",
           "exact_regret", "Regret", "expected_transfer", "realized_net_utility",
           "expectation_sampler"]


@dataclass(frozen=True)
class Misreport:
    """Agent i's report symbols and the substitution truth -> report."""

    i: int
    truth: tuple
    report: tuple

    @classmethod
    def of(cls, mech: Mechanism, i: int) -> "Misreport":
        i = check_agent(i, mech.env.n)
        truth = (mech.env.theta[i - 1], mech.env.s[i - 1])
        return cls(i, truth, tuple(prime(t) for t in truth))

    @property
    def substitution(self) -> dict:
        return dict(zip(self.truth, self.report))

    @property
    def back(self) -> dict:
        return dict(zip(self.report, self.truth))


def _check_mech(mech):
    if not isinstance(mech, Mechanism):
        raise TypeError(f"mech must be a Mechanism, got {type(mech).__name__}")


def expected_transfer(mech, i, estimator, transfer=None) -> sp.Expr:
    """E_{omega | s} E_{omega_hat | omega}[t_i], under the posterior given all true signals."""
    check_estimator(estimator)
    t = mech.transfer(i) if transfer is None else transfer
    for state in mech.env.states:
        hat = estimate(state)
        if hat in free_symbols(t):
            if estimator is None:
                raise ValueError(f"estimator is required: the transfer uses {hat}")
            # the estimator's law is written for (omega, omega_hat); apply it to this component
            t = t if hat == omega_hat else t.xreplace({hat: omega_hat})
            t = estimator.expect(t)
            t = t if state == omega else t.xreplace({omega: state})
    return mech.env.info.expect(t, atomic=True)


def net_utility(mech: Mechanism, i: int, estimator=None, transfer=None) -> sp.Expr:
    """U_i(theta_i', s_i'): expected net utility of the misreport (primed symbols).

    ``estimator`` is the law of omega_hat given omega (None for message-driven
    mechanisms); ``transfer`` is ``mech.transfer(i)`` if already built.
    """
    _check_mech(mech)
    rep = Misreport.of(mech, i)
    x_rep = mech.allocation_at(rep.substitution)
    own = mech.env.value(rep.i, x_rep)
    t = mech.transfer(rep.i) if transfer is None else as_expr(transfer, "transfer")
    return own + expected_transfer(mech, rep.i, estimator, replaced(t, rep.substitution))


def gain(mech, i, estimator=None) -> sp.Expr:
    """U_i(theta_i', s_i') - U_i(theta_i, s_i)."""
    U = net_utility(mech, i, estimator)
    return U - U.xreplace(Misreport.of(mech, i).back)


def realized_net_utility(mech, i, report: bool = True, transfer=None):
    """u_i(x', omega, theta_i) + t_i(theta', s', omega_hat): the random payoff a Monte Carlo averages
    (``transfer`` is ``mech.transfer(i)`` if already built)."""
    rep = Misreport.of(mech, i)
    sub = rep.substitution if report else {}
    alloc = mech.allocation_at(sub)
    t = mech.transfer(rep.i) if transfer is None else as_expr(transfer, "transfer")
    return mech.env.utility(rep.i, alloc) + replaced(t, sub)


class _PointChooser:
    """A sampler that only chooses where to simulate: drawing, the statement's record and its
    definitions are the wrapped sampler's."""

    def __call__(self, point, rng):
        return self.sampler(point, rng)

    def statement(self):
        """The wrapped sampler's record: only the points are chosen here."""
        return self.sampler.statement()

    def definitions(self):
        return self.sampler.definitions()

    def description(self):
        return self.sampler.description()

    def has_power(self, point) -> bool:
        power = getattr(self.sampler, "has_power", None)
        return power(point) if callable(power) else True


@lru_cache(maxsize=64)
def _compiled(expr):
    """(symbols, a float function of them) of ``expr``, an expression or a tuple of them (then a
    function returning a list), compiled once: the checks of one economy share its allocation
    and its Gibbs weights."""
    exprs = expr if isinstance(expr, tuple) else (expr,)
    symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    # common subexpressions once: the regions repeat their bids, the weights their exponents
    return symbols, sp.lambdify(symbols, list(expr) if isinstance(expr, tuple) else expr, "math", cse=True)


class _SpreadSampler(_PointChooser):
    """A simulation of payoffs on generation distributions that proposes only points where every
    Gibbs weight in the terms carries at least 1e-6 of its partition function: where a
    distribution sits at a vertex, a report moves it by less than float resolution and the
    draws would measure rounding, not the expectation."""

    def __init__(self, sampler, env, exprs):
        self.sampler = sampler
        ratios = []
        for a in sorted({a for e in exprs for a in e.atoms(AppliedUndef)}, key=sp.default_sort_key):
            name = a.func.__name__
            if name.startswith("R[") and "|" in name:
                agents = tuple(int(j) for j in name[2:-1].split("|")[1].split(","))
                ratios.append(env.explicit(a / partition_atom(agents)(*a.args)))
        # only where to simulate is chosen here: floats are enough, each formula compiled once
        self.symbols, self.ratios = _compiled(tuple(ratios))

    def points(self, doms, rnd):
        for pt in self.sampler.points(doms, rnd):
            try:
                vals = self.ratios(*(float(pt[sym]) for sym in self.symbols))
            except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError):
                continue
            if all(q >= 1e-6 for q in vals):
                yield pt


class _MovingSampler(_PointChooser):
    """A simulation of payoffs on a slot that proposes the points where the report moves the
    allocation: elsewhere the realized payoffs at the truth and at the report coincide, every
    draw is equal and the point has no power (with many bidders, most random reports).  A
    proposal that does not move it gets the report at a boundary of the allocation's regions
    that does (see :func:`search_by_regions`)."""

    def __init__(self, sampler, mech, rep):
        self.sampler = sampler
        truth, report = mech.allocation(), mech.allocation_at(rep.substitution)
        # the boundaries in the atoms as they stand: a bid against a bid times a common factor
        moved = sp.Add(*report.values())
        self.reports = [r for r in rep.report if r in moved.free_symbols]
        self.exact = _exact_values({r: _breakpoints(moved, r) for r in self.reports})
        # which points move the allocation only chooses where to simulate (an unmoved point has
        # no power, and says so): a float test is enough for that
        change = mech.env.explicit(sp.Add(*[(truth[x] - report[x]) ** 2 for x in truth]))
        self.symbols, self.change = _compiled(change)

    def moves(self, pt) -> bool:
        try:
            return self.change(*(float(pt[sym]) for sym in self.symbols)) > 0
        except (KeyError, ValueError, ZeroDivisionError, OverflowError, TypeError):
            return False

    def has_power(self, point) -> bool:
        """Where the report leaves the allocation, every draw is equal: no power, nothing drawn
        (the exact points of the domains come to the simulation too, most of them such)."""
        return self.moves(point) and super().has_power(point)

    def points(self, doms, rnd):
        for pt in self.sampler.points(doms, rnd):
            if self.moves(pt):
                yield pt
                continue
            start = {r: pt[r] for r in self.reports if r in pt}
            if len(start) < len(self.reports):
                continue
            try:
                cands = _report_candidates(pt, start, self.reports, self.exact, doms)
                moving = next((c for c in cands if self.moves({**pt, **c})), None)
            except ValueError:      # a domain bounded by a symbol the point leaves free
                continue
            if moving is not None:
                yield {**pt, **moving}


class _Simulated:
    """The information structure as the simulation sees it, with the outcome space's atoms (a
    partition function Z, the Gibbs weights R, x* on the real line) evaluated by their formulas at
    each point."""

    def __init__(self, env):
        self._env = env

    def __getattr__(self, name):
        return getattr(self._env.info, name)

    def explicit(self, expr):
        return self._env.definition(expr)     # the statement's definitions, the kernel's too


def _undefined(env, *exprs) -> bool:
    """True if an expression has an applied function that is not one of the model's atoms: one
    whose definition (:meth:`Environment.definition`, one level: x* by its maximizer with the
    posterior moments in it left as atoms) is itself or holds itself, or reaches such a function.  Each distinct
    atom is asked once, and no formula is expanded further than its definition."""
    todo, seen = set().union(*(shared_atoms(e, AppliedUndef) for e in exprs)), set()
    while todo:
        atom = todo.pop()
        seen.add(atom)
        formula = env.definition(atom)
        inside = shared_atoms(formula, AppliedUndef)
        if formula == atom or atom in inside:
            return True
        todo |= inside - seen
    return False


def groves_certificate(mech: Mechanism, i: int, estimator=None, *, id: str | None = None,
                       claim: str | None = None, points: int = 20, seed: int = 0,
                       domain: Mapping | None = None, search=True,
                       budget: float | None = None) -> Verdict:
    """Certify truth-telling for agent i by the Groves argument, or refute it with a witness.

    proved: D = U_i - welfare(x') does not depend on the report (decided,
    at random exact points, and by Monte Carlo of the realized payoffs).
    refuted: a misreport whose gain is certified strictly positive (exactly,
    or by a ball) by :func:`symbolic_mech.core.kernel.refute_at`.

    ``search`` says where to look for a witness when the certificate does not
    hold: False (nowhere), True (where the allocation has regions, such as who
    wins a slot, :func:`search_by_regions`: exact reports at the regions'
    boundaries from true profiles on a grid of the domains; then
    :func:`search_gain`'s random profiles), or a dict of :func:`search_gain`
    options, ``{"truth": {...}, "bounds": {...}, "tries": k, "samples": k}``,
    e.g. a true profile to start from.
    """
    _check_mech(mech)
    if isinstance(search, Mapping):
        unknown = set(search) - {"truth", "bounds", "tries", "samples"}
        if unknown:
            raise ValueError(f"search options must be among truth, bounds, tries, samples; got {sorted(unknown)}")
    elif not isinstance(search, bool):
        raise TypeError(f"search must be True, False or a dict of search options, got {type(search).__name__}")
    rep = Misreport.of(mech, i)
    env = mech.env
    id = id or f"groves-agent{rep.i}"
    claim = claim or f"truth-telling is optimal for agent {rep.i} ({type(mech).__name__})"
    # on the real line x* of each economy is stated once, as a named atom with its formula: each
    # payoff at x* then stays the size of one agent's payoff (with n agents, n instead of n^2)
    atomic = env.with_atoms()
    stated = mech if atomic is env else mech.on(atomic)
    t = stated.transfer(rep.i)    # built once: with many agents it is the longest expression here
    U = net_utility(stated, rep.i, estimator, t)
    W = atomic.welfare(allocation=stated.allocation_at(rep.substitution))
    D = U - W
    residual = D - replaced(D, rep.back)
    realized = realized_net_utility(stated, rep.i, transfer=t)
    terms = [(1, realized), (-1, replaced(realized, rep.back)), (-1, W), (1, replaced(W, rep.back))]
    mc, needed = None, set()
    # no payoff involves the state or the estimate (private values): no expectation is taken
    symbols = [free_symbols(e) for _, e in terms]
    random_payoffs = any(syms & {*env.states, omega_hat} for syms in symbols)
    # the sampler draws a scalar state; an undefined h_i (the "arbitrary" member
    # of a class) has no numbers to simulate
    if random_payoffs and len(env.states) == 1 and not _undefined(atomic, *(e for _, e in terms)):
        mc = expectation_sampler(_Simulated(atomic), terms, estimator)
        if isinstance(env.outcome, Distributions):
            mc = _SpreadSampler(mc, env, [e for _, e in terms])
        elif isinstance(env.outcome, SingleSlot):
            mc = _MovingSampler(mc, mech, rep)
        needed = set().union(*symbols) - {env.states[0], omega_hat}
        needed |= set(getattr(env.info, "parameters", ())) | set(getattr(estimator, "parameters", ()))
        if isinstance(env.outcome, Distributions):  # the symbols inside Z and R, which it evaluates
            needed |= env.outcome.hidden_symbols(env, sp.Add(*(e for _, e in terms)))
    doms = env.domains(estimator, domain)
    if isinstance(env.outcome, Distributions):
        # Z and the Gibbs weights R as positive stand-ins: decided for all positive values
        residual = env.outcome.stand_ins(residual)[0]
    v = check_identity(residual, 0, id=id, claim=claim, points=points, seed=seed, budget=budget,
                       domain=_with_reports(doms, rep), monte_carlo=mc, variables=needed,
                       definitions=atomic.definition)
    evidence = dict(v.evidence, certificate="U_i - welfare(x') is independent of the report")
    if not random_payoffs:
        evidence["monte_carlo_note"] = "no payoff involves the state or the estimate: no expectation, no simulation"
    if v.status == PROVED:
        return Verdict(id, claim, PROVED, evidence, v.certificate, v.sampler)
    # the residual is not a refutation of incentive compatibility by itself: look for a gain
    evidence.pop("witness", None)
    kernel_reason = evidence.pop("reason", "")
    evidence["certificate"] = "U_i - welfare(x') depends on the report"
    if search:
        options = dict(search) if isinstance(search, Mapping) else {}
        found = None
        if not options and residual.has(sp.Piecewise, sp.Max, sp.Min):
            # an allocation with regions: exact reports at the regions' boundaries, from grid truths
            found = search_by_regions(mech, rep.i, estimator, seed=seed, domain=domain, budget=budget)
        if found is None or found.witness is None:
            found = search_gain(mech, rep.i, estimator, seed=seed, domain=domain, **options)
        if found.witness is not None:
            return refutation(id, claim, found.witness, mech, estimator, domain=domain, **evidence)
    evidence["reason"] = f"Groves certificate not proved ({kernel_reason}) and no profitable misreport was found"
    return Verdict(id, claim, INCONCLUSIVE, evidence, v.certificate)


def _with_reports(doms: Mapping, rep: Misreport) -> dict:
    """The model's domains, each report in its truth's domain (a report is a type, or a signal)."""
    doms = dict(doms)
    for t, r in zip(rep.truth, rep.report):
        if t in doms and r not in doms:
            doms[r] = replace(doms[t], name=r.name)
    return doms


def _into_domains(report: dict, truth: dict, doms: Mapping, point: Mapping) -> dict:
    """The rounded report moved into its domain at ``point``: rounded to an integer where the
    domain is integral, clipped to closed ends, else halved toward the truth's value."""
    out = {}
    for r, q in report.items():
        d, t = doms[r].at(point), truth.get(r)
        if d.integer:
            q = sp.Integer(round(q))
            lo, hi = d._integer_range()
            q = q if lo is None or q >= lo else sp.Integer(lo)
            q = q if hi is None or q <= hi else sp.Integer(hi)
        else:
            q = d.lo if d.lo is not None and q < d.lo and not d.lo_open else q
            q = d.hi if d.hi is not None and q > d.hi and not d.hi_open else q
        for _ in range(12):
            if d.contains(q) or not isinstance(t, sp.Rational):
                break
            q = (q + t) / 2
        out[r] = q
    return out


def _rational(xf: float, denominator: int = 1000) -> sp.Rational:
    f = Fraction(float(xf)).limit_denominator(denominator)
    return sp.Rational(f.numerator, f.denominator)


def _small_point(symbols, rnd: random.Random, doms: Mapping) -> dict:
    """A point of small integers (1, 2, 0, -1, 3, ... as the domains allow), else a random point."""
    try:
        sub = domains_for(symbols, declared_for(symbols, doms))
        pt = {}
        for sym in sorted(sub, key=str):
            pool = [q for q in map(sp.Integer, (1, 2, 0, -1, 3, -2)) if sub[sym].contains(q, pt)]
            if not pool:
                raise ValueError(sym)
            pt[sym] = rnd.choice(pool[:3])
        return {s: pt[s] for s in symbols}
    except ValueError:
        return random_point(symbols, rnd, doms)


def witness_at(mech, i, estimator, truth: Mapping, report: Mapping, G: sp.Expr | None = None,
               domain: Mapping | None = None, *, _domains: Mapping | None = None) -> dict:
    """The exact gain of ``report`` at ``truth``: ``{"truth", "report", "gain", "sign"}``.

    ``report`` maps agent i's primed symbols (theta_i', s_i') to values; a
    symbol left out is reported truthfully.  Values must be exact rationals
    (strings are refused, never parsed) inside each symbol's domain
    (assumptions and ``domain``).  ``sign`` is the gain's sign, decided
    exactly or by a ball (None if undecided).
    """
    rep = Misreport.of(mech, i)
    truth = exact_point(truth, "truth")
    report = exact_point(report, "report")
    G = gain(mech, rep.i, estimator) if G is None else G
    # a report left out is the truth; where the truth is not given either (the gain does not read
    # it: a signal under private values) there is nothing to put in
    full = {r: report[r] if r in report else truth[t] for r, t in zip(rep.report, rep.truth)
            if r in report or t in truth}
    pt = {**truth, **full}
    # a search deciding many reports passes the model's domains (they do not depend on the point)
    doms = _with_reports(mech.env.domains(estimator, domain), rep) if _domains is None else _domains
    doms = domains_for(set(pt), declared_for(pt, doms))
    bad = outside(pt, doms)
    if bad:
        raise ValueError(f"the witness puts {', '.join(bad)} outside its domain")
    value = exact_value(G, pt, mech.env.explicit)
    if value is None:
        raise ValueError("the gain is undefined at this truth and report")
    try:
        sign = decide_sign(value)[0]
    except OverflowError:  # sympy's polynomial gcd on exponentials of huge rationals: undecided
        sign = None
    return {"truth": dict(truth), "report": full, "gain": value, "sign": sign}


def refutation(id: str, claim: str, witness: dict | None, mech: Mechanism, estimator=None, *,
               G: sp.Expr | None = None, domain: Mapping | None = None, **evidence) -> Verdict:
    """A verdict from a witness: refuted iff its gain is certified strictly positive.

    The gain ``G`` of agent i (default :func:`gain`) is re-decided by the kernel
    at the witness's truth and report (:func:`symbolic_mech.core.kernel.refute_at`),
    which also writes the certificate the independent checker replays.
    """
    _check_mech(mech)
    if witness is None or witness.get("sign") != 1:
        return Verdict(id, claim, INCONCLUSIVE, dict(evidence, reason="no misreport with a positive exact gain"))
    # the agent whose reports these are (a signal the gain does not read may be left out)
    agents = [k for k in range(1, mech.env.n + 1)
              if set(witness["report"]) and set(witness["report"]) <= set(Misreport.of(mech, k).report)]
    if len(agents) != 1:
        raise ValueError("the witness's report is not a report of one agent")
    rep = Misreport.of(mech, agents[0])
    G = gain(mech, rep.i, estimator) if G is None else G
    free = set(mech.env.explicit(G).free_symbols)
    pt = {k: v for k, v in {**witness["truth"], **witness["report"]}.items() if k in free}
    return refute_at(-G, pt, "nonnegative", id=id, claim=claim,
                     domain=_with_reports(mech.env.domains(estimator, domain), rep),
                     definitions=mech.env.explicit, evidence=dict(evidence, witness=witness))


def _bounds_arg(bounds, rep) -> dict:
    """``bounds`` checked: ``{report symbol: (lo, hi)}`` with exact ends, lo < hi; every value's
    type is checked before any comparison (a caller's object is never compared)."""
    if bounds is None:
        return {}
    if not isinstance(bounds, Mapping):
        raise TypeError(f"bounds must be a dict {{report symbol: (lo, hi)}}, got {type(bounds).__name__}")
    out = {}
    for r, pair in bounds.items():
        if not isinstance(r, sp.Symbol) or r not in rep.report:
            shown = ", ".join(map(str, rep.report))
            raise ValueError(f"bounds[{r}]: the keys are the reports of agent {rep.i} ({shown})")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"bounds[{r}] must be a pair (lo, hi), got {type(pair).__name__}")
        lo, hi = (exact_rational(end, f"bounds[{r}] {side}") for end, side in zip(pair, ("lo", "hi")))
        if not lo < hi:
            raise ValueError(f"bounds[{r}] = ({lo}, {hi}) is empty or reversed: lo < hi is needed")
        out[r] = (lo, hi)
    return out


def _search_range(doms, r, point, bound) -> tuple:
    """(lo, hi) floats for the report r: its domain at the truth point, within ``bound``."""
    d = doms[r].at(point) if r in doms else None
    lo = -np.inf if d is None or d.lo is None else float(d.lo)
    hi = np.inf if d is None or d.hi is None else float(d.hi)
    if bound is not None:
        lo, hi = max(lo, float(bound[0])), min(hi, float(bound[1]))
    return lo, hi


@dataclass(frozen=True)
class Search:
    """Outcome of a numeric misreport search: a witness (or None) and the best float gain."""

    witness: dict | None
    best_gain: float
    truth_points: int

def search_gain(mech, i, estimator=None, *, truth: Mapping | None = None, seed: int = 0,
                domain: Mapping | None = None, bounds: Mapping | None = None, tries: int = 6,
                samples: int = 1500, threshold: float = 1e-9, G: sp.Expr | None = None) -> Search:
    """Numeric search over misreports; the best point is re-evaluated exactly.

    ``truth`` fixes the true profile (else ``tries`` random rational profiles
    drawn from ``domain``); ``bounds`` confines reports, ``{symbol: (lo, hi)}``.
    A witness needs a strictly positive *exact* gain at the rationalized best point.
    """
    rep = Misreport.of(mech, i)
    tries, samples = integer(tries, "tries", 1), integer(samples, "samples", 1)
    bounds = _bounds_arg(bounds, rep)
    G = mech.env.explicit(gain(mech, rep.i, estimator) if G is None else G)
    rnd, rng = random.Random(seed), np.random.default_rng(seed)
    doms = _with_reports(mech.env.domains(estimator, domain), rep)
    best_overall, used = -np.inf, 0
    truth_syms = sorted(G.free_symbols - set(rep.report), key=str)
    # on generation distributions the exact gain involves exp(c(t)/alpha): profiles of small
    # integers, and reports rounded coarsely first, keep its exponents small enough to decide
    simple = isinstance(mech.env.outcome, Distributions)
    for _ in range(1 if truth is not None else tries):
        point = exact_point(truth, "truth") if truth is not None else \
            _small_point(truth_syms, rnd, doms) if simple else random_point(truth_syms, rnd, doms)
        used += 1
        # reports stay in their domains at this truth (a click count in 0..k_i), and in ``bounds``
        lo, hi = (np.array(v, dtype=float) for v in zip(*(_search_range(doms, r, point, bounds.get(r))
                                                           for r in rep.report)))
        g = G.xreplace(point)
        f = sp.lambdify(rep.report, g, "numpy")

        def values(cs):
            # every row at once: the same elementwise float operations as one row at a time
            with np.errstate(all="ignore"):
                fv = np.real(np.asarray(f(*np.clip(cs, lo, hi).T)))
            fv = np.broadcast_to(fv, (len(cs),)).astype(float)
            return np.where(np.isfinite(fv), fv, -np.inf)

        centre = np.array([float(point.get(t, 0)) for t in rep.truth])
        scale = 3.0 * (1.0 + np.abs(centre))
        cand = np.vstack([centre + scale * rng.uniform(-1, 1, size=(samples, 2)),
                          [[0.0, centre[1]], [centre[0], 0.0], [1.0, centre[1]]]])
        vals = values(cand)
        k = int(np.argmax(vals))
        best, bval, step = np.clip(cand[k], lo, hi), vals[k], scale / 4
        for _ in range(60):  # pattern search around the best candidate
            moves = np.array([best + step * np.array(dv) for dv in ((1, 0), (-1, 0), (0, 1), (0, -1))])
            scores = values(moves)
            j = int(np.argmax(scores))
            if scores[j] > bval:
                best, bval = np.clip(moves[j], lo, hi), scores[j]
            else:
                step = step / 2
        best_overall = max(best_overall, bval)
        if bval > threshold:
            for den in ((2, 8, 64, 1000) if simple else (1000,)):
                report = _into_domains({r: _rational(b, den) for r, b in zip(rep.report, best)},
                                       {r: point.get(t) for r, t in zip(rep.report, rep.truth)}, doms, point)
                try:
                    w = witness_at(mech, rep.i, estimator, point, report, G, domain, _domains=doms)
                except ValueError:  # the rounded report left the domain, or the gain is undefined there
                    continue
                if w["sign"] == 1:
                    return Search(w, bval, used)
    return Search(None, float(best_overall), used)


# ---------------------------------------------------------------------------
# witnesses by regions
# ---------------------------------------------------------------------------

_GRID_INTERIOR = (sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4))
_GRID_HALF_LINE = (sp.Rational(1, 2), 1, 2, 3)


def _grid(d) -> list:
    """A few exact values of a numeric domain: its closed ends, interior points of a bounded one,
    small values beyond a finite end of a half-line (small integers for an integer domain)."""
    lo, hi = d.lo, d.hi
    if d.integer:
        first = 0 if lo is None else int(sp.floor(lo)) if not d.lo_open else int(sp.floor(lo)) + 1
        if hi is None:
            vals = range(first, first + 4)
        else:
            top = int(sp.floor(hi)) - (1 if d.hi_open and hi.is_integer else 0)
            vals = sorted({*range(first, min(first + 3, top + 1)), top})
        vals = [sp.Integer(v) for v in vals]
    elif lo is not None and hi is not None:
        vals = [lo, hi, *[lo + q * (hi - lo) for q in _GRID_INTERIOR]]
    elif lo is not None:
        vals = [lo, *[lo + q for q in _GRID_HALF_LINE]]
    elif hi is not None:
        vals = [hi, *[hi - q for q in _GRID_HALF_LINE]]
    else:
        vals = [sp.Integer(v) for v in (-1, 0, 1, 2)]
    return [v for v in vals if d.contains(v)]


@lru_cache(maxsize=256)
def _breakpoints(G, r) -> tuple:
    """Formulas for the values of the report coordinate r where a branch condition of G (or a
    Max/Min) changes: the roots in r of each relation's lhs - rhs, when it is of degree 1 or 2 in r."""
    out = set()
    form = G.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: e.rewrite(sp.Piecewise))
    for rel in form.atoms(sp.core.relational.Relational):
        if rel.has(r):
            out |= set(_roots(rel.lhs - rel.rhs, r) or ())
    return tuple(sorted(out, key=sp.default_sort_key))


def _roots(expr, r) -> list | None:
    """The roots in r of the numerator of ``expr`` when it is a polynomial of degree 1 or 2 in r
    (the one root of degree 1 in lowest terms); None otherwise."""
    num = sp.numer(sp.together(expr))
    try:
        poly = sp.Poly(num, r)
    except sp.PolynomialError:
        return None
    if poly.degree() == 1:
        return [sp.cancel(-poly.nth(0) / poly.nth(1))]
    if poly.degree() == 2:
        c2, c1, c0 = poly.nth(2), poly.nth(1), poly.nth(0)
        root = sp.sqrt(c1 ** 2 - 4 * c2 * c0)
        return [(-c1 + root) / (2 * c2), (-c1 - root) / (2 * c2)]
    return None


def _coordinate_candidates(breaks, d, start, num, inside) -> list:
    """Values of a report coordinate worth trying with everything else fixed: each breakpoint's
    value in ``breaks`` (a tie, which the allocation may resolve either way; None where it is
    undefined) and values just either side of it, the domain d's closed ends and points just
    inside open ones, ``start``, and between and beyond these, the midpoints and one step out;
    integers around each on an integer domain; those that are ``inside`` the domain, ascending.
    In exact rationals (flint's fmpq) for the search, in floats for its screening: ``num`` turns
    a sympy end of d into that kind of number."""
    vals = {start}
    for v in breaks:
        if v is not None:
            eps = (abs(v) + 1) / 1000
            vals |= {v, v - eps, v + eps}
    for end, is_open, step in ((d.lo, d.lo_open, 1), (d.hi, d.hi_open, -1)):
        if end is not None:
            e = num(end)
            vals.add(e + step * (abs(e) + 1) / 1000 if is_open else e)
    ordered = sorted(vals)
    vals |= {(p + q) / 2 for p, q in zip(ordered, ordered[1:])} | {ordered[0] - 1, ordered[-1] + 1}
    if d.integer:
        vals = {num(sp.Integer(int(f(v)))) for v in vals for f in (math.floor, math.ceil)}
    return sorted(v for v in vals if inside(v))


def _exact_values(formulas):
    """``coordinate(r, at, d, start)``: the exact candidates of report coordinate r at the point
    ``at`` (sympy rationals), each breakpoint formula evaluated exactly there."""
    def coordinate(r, at, d, start):
        value = point_evaluator(at)
        breaks = [_fmpq(v) if v is not None and v.is_Rational else None for v in map(value, formulas[r])]
        vals = _coordinate_candidates(breaks, d, _fmpq(start), _fmpq, lambda q: d.contains(_sympy(q)))
        return [_sympy(q) for q in vals]
    return coordinate


def _float_values(formulas, args):
    """``coordinate(r, at, d, start)`` in floats: the screening's candidates, each breakpoint
    formula compiled once (numbers that only order the exact search, never decide)."""
    compiled = {r: sp.lambdify(args, fs, "math") for r, fs in formulas.items()}

    def coordinate(r, at, d, start):
        try:
            breaks = [float(v) for v in compiled[r](*(float(at[a]) for a in args))]
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, NameError):   # a symbol without a value
            breaks = []
        breaks = [v if math.isfinite(v) else None for v in breaks]
        lo = -math.inf if d.lo is None else float(d.lo)
        hi = math.inf if d.hi is None else float(d.hi)
        return _coordinate_candidates(breaks, d, float(start), float, lambda v: lo <= v <= hi)
    return coordinate


def _fmpq(q) -> flint.fmpq:
    return flint.fmpq(int(q.p), int(q.q))


def _sympy(q: flint.fmpq) -> sp.Rational:
    return sp.Rational(int(q.p), int(q.q))


def search_by_regions(mech, i, estimator=None, *, seed: int = 0, domain: Mapping | None = None,
                      truths: int = 300, keep: int = 6, G: sp.Expr | None = None,
                      budget: float | None = None) -> Search:
    """A profitable misreport found region by region of the allocation, decided exactly.

    The true profiles come from the domains: each symbol takes values of a
    small exact grid of its support (closed ends, interior points, small
    values on a half-line), ``truths`` of these profiles in a seeded order.  At
    a profile, each coordinate of agent i's report (theta_i', s_i') is tried
    at the points where a branch condition of the gain changes (where agent i
    starts or stops winning, a Max switches), just either side of each, at
    the domain's ends and in between, the other coordinate at its truth or at
    its own such points; on a region the gain is a polynomial in the report
    with its supremum at these boundaries when it is linear there.  A float
    evaluation orders the reports (it never decides); the ``keep`` best are
    decided exactly by :func:`witness_at`, and the first with a positive exact
    gain is the witness.  Runs under the time budget (``budget`` seconds).

    >>> import sympy as sp
    >>> from symbolic_mech import BetaBernoulliClicks, Environment, SingleSlot, CustomTransfers, SampleClickRate
    >>> from symbolic_mech.symbols import theta, omega, omega_hat, m
    >>> X = SingleSlot(2)
    >>> env = Environment(BetaBernoulliClicks(2), [theta(i) * X.variables[i - 1] * omega for i in (1, 2)], X)
    >>> first_price = CustomTransfers(env, {1: -theta(1) * env.efficient_allocation()[X.variables[0]] * omega_hat})
    >>> found = search_by_regions(first_price, 1, SampleClickRate(m))
    >>> found.witness["sign"], found.witness["gain"] > 0
    (1, True)
    """
    _check_mech(mech)
    rep = Misreport.of(mech, i)
    truths, keep = integer(truths, "truths", 1), integer(keep, "keep", 1)
    seed = exact_seed(seed, "seed")
    G = mech.env.explicit(gain(mech, rep.i, estimator) if G is None else G)
    doms = _with_reports(mech.env.domains(estimator, domain), rep)
    reports = [r for r in rep.report if r in G.free_symbols]
    needed, todo = set(), set(G.free_symbols) - set(rep.report)
    while todo:     # the symbols that bound a needed one (a click count's k_i) are needed too
        sym = todo.pop()
        needed.add(sym)
        todo |= doms[sym].depends_on - needed if sym in doms else set()
    order = draw_order({sym: doms[sym] for sym in needed if sym in doms})
    formulas = {r: _breakpoints(G, r) for r in reports}
    args = [*order, *reports]
    f = sp.lambdify(args, G, "numpy")
    rnd, best, used, seen = random.Random(seed), -np.inf, 0, set()

    def floats(rows):
        try:
            with np.errstate(all="ignore"):
                cols = [np.array([float(row[k]) for row in rows]) for k in range(len(args))]
                out = np.broadcast_to(np.real(np.asarray(f(*cols), dtype=complex)), (len(rows),))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return np.zeros(len(rows))      # no order: the smallest reports are decided first
        return np.where(np.isfinite(out), out, -np.inf)

    def decided(point, report):
        """The exact witness at this report, or None (no gain, or the gain undefined there)."""
        _budget.check()
        try:
            w = witness_at(mech, rep.i, estimator, point, report, G, domain, _domains=doms)
        except ValueError:
            return None
        return w if w["sign"] == 1 else None

    def exact_candidates(point, start):
        """The exact reports at a truth, with their float gains, the best first (of equal gains
        the report with the smallest numbers)."""
        cands = list(_report_candidates(point, start, reports, exact, doms))
        vals = floats([[*(point[sym] for sym in order), *(c[r] for r in reports)] for c in cands])
        size = [sum(abs(int(v.p)).bit_length() + int(v.q).bit_length() for v in c.values()) for c in cands]
        return [(cands[k], float(vals[k])) for k in np.lexsort((size, -vals))[:keep] if vals[k] > -1e-9]

    exact, screen = _exact_values(formulas), _float_values(formulas, args)
    ties, tie_truths = [], []
    seconds = _budget.default() if budget is None else _budget._seconds(budget)
    try:
        with _budget.time_limit(seconds):
            for _ in range(20 * truths):
                if used >= truths:
                    break
                point = {}
                for sym in order:
                    d = doms[sym].at(point)
                    point[sym] = rnd.choice(_grid(d) or [d.sample(rnd)])
                key = tuple(point[sym] for sym in order)
                if key in seen:
                    continue
                seen.add(key)
                used += 1
                start = {r: point.get(t, t) for r, t in zip(rep.report, rep.truth) if r in reports}
                # screened in floats first: the exact reports are built only at a truth where some
                # report seems to gain, or to tie (decided after every clear gain)
                fpoint = {sym: float(v) for sym, v in point.items()}
                fstart = {r: float(v) for r, v in start.items()}
                rough = floats([[*(fpoint[sym] for sym in order), *(c[r] for r in reports)]
                                for c in _report_candidates(point, fstart, reports, screen, doms, fpoint)])
                top = float(rough.max(initial=-np.inf))
                best = max(best, top)
                if top <= 1e-9:
                    if top > -1e-9:
                        tie_truths.append((point, start))
                    continue
                for report, val in exact_candidates(point, start):
                    if val > 1e-9:
                        w = decided(point, report)
                        if w is not None:
                            return Search(w, val, used)
                    else:   # a tie at a breakpoint may round either way: decided after every clear gain
                        ties.append((point, report, val))
            ties += [(point, report, val) for point, start in tie_truths
                     for report, val in exact_candidates(point, start)]
            for point, report, val in ties:
                w = decided(point, report)
                if w is not None:
                    return Search(w, val, used)
    except _budget.TimeLimit:
        pass
    return Search(None, float(best), used)


def _report_candidates(point, start, reports, coordinate, doms, values=None):
    """Reports {r: value} to try at a true profile, each once, as they are needed: each
    coordinate through its candidates (``coordinate``, exact or float) with the other at its
    truth, and at each of those the other coordinate through its own.  ``values``: the profile
    as ``coordinate`` reads it (floats for the screening), ``point`` by default; ``point``
    fixes the domains."""
    seen, values = set(), point if values is None else values

    def new(c):
        key = tuple(c[q] for q in reports)
        return key not in seen and not seen.add(key)

    for r in reports:
        for v in coordinate(r, {**values, **start}, doms[r].at(point), start[r]):
            base = {**start, r: v}
            if new(base):
                yield base
            for q in reports:
                if q != r:
                    for u in coordinate(q, {**values, **base}, doms[q].at(point), start[q]):
                        if new(c := {**base, q: u}):
                            yield c


@dataclass(frozen=True)
class Regret:
    """The exact regret epsilon of agent i and the misreport that attains it."""

    epsilon: sp.Expr
    report: dict
    allocation: sp.Expr
    objective: sp.Expr


def exact_regret(mech: Mechanism, i: int, estimator=None) -> Regret:
    """epsilon_i(theta, s) = sup over misreports of the gain, in closed form.

    On generation distributions (:class:`~symbolic_mech.environments.Distributions`)
    see :func:`_regret_on_distributions`: the supremum over the simplex,
    alpha log Z(R) + K - F(x*), with the maximizing Gibbs distribution.

    For a real outcome, U_i depends on the report only through x' (the
    transfer reads reports only via the allocation), so the agent chooses x
    itself: epsilon = max_x F(x) - F(x*), F(x) = v_i(x) + E[t_i at x].  The
    maximizer is reached by the type report solving x*(theta_i', s_{-i}, s_i) = x.

    >>> import sympy as sp
    >>> from symbolic_mech import GaussianSignals, Environment, RealLine, DataDrivenVCG, ExPost
    >>> from symbolic_mech.symbols import x, omega, theta
    >>> env = Environment(GaussianSignals(2), [-(x - theta(i) - omega)**2 for i in (1, 2)], RealLine())
    >>> exact_regret(DataDrivenVCG(env), 1, ExPost()).epsilon
    0
    """
    _check_mech(mech)
    env = mech.env
    if isinstance(env.outcome, Distributions):
        return _regret_on_distributions(mech, i, estimator)
    if not isinstance(env.outcome, RealLine):
        raise ValueError("exact_regret needs a RealLine outcome; use search_gain otherwise")
    rep = Misreport.of(mech, i)
    xvar = env.outcome.x
    F = env.value(rep.i, {xvar: xvar}) + expected_transfer(mech, rep.i, estimator,
                                                           mech.transfer(rep.i, {xvar: xvar}))
    a, b = env.outcome.quadratic(F)
    x_best = sp.cancel(-b / (2 * a))
    x_star = mech.allocation()[xvar]
    # the welfare's stationary point, before an interval clips it (x* itself on the real line)
    interior = env.outcome.stationary_point(env.welfare()) if isinstance(env.outcome, Interval) else x_star
    if isinstance(env.outcome, Interval):
        # on [lo, hi] the agent's best reachable outcome is x_best clipped, and
        # F(x) = a (x - x_best)^2 + F(x_best): the loss at x* is a (clip - x_best)^2 - a (x* - x_best)^2
        clipped = sp.Max(env.outcome.lo, sp.Min(env.outcome.hi, x_best))
        eps = a * (clipped - x_best) ** 2 - a * (x_star - x_best) ** 2
        target, x_best = x_best, clipped
    else:
        # F(x) = a (x - x_best)^2 + F(x_best), so the loss at x* is -a (x* - x_best)^2
        eps = sp.factor(sp.cancel(-a * (x_star - x_best) ** 2))
        target = x_best
    theta_r = rep.report[0]
    # a type report moving the unclipped allocation to the agent's optimum (clipping both alike):
    # an allocation affine in the report (a denominator free of it) has the one root; else solve
    moved = sp.together(interior.xreplace({rep.truth[0]: theta_r}) - target)
    roots = _roots(moved, theta_r) if not sp.denom(moved).has(theta_r) else None
    if roots is None or len(roots) != 1:
        roots = [sol[theta_r] for sol in sp.solve(sp.Eq(moved, 0), theta_r, dict=True)]
    if not roots:
        raise ValueError(f"the maximizer {x_best} is not reachable by a type report of agent {rep.i}")
    report = {theta_r: sp.factor(roots[0]), rep.report[1]: rep.truth[1]}
    return Regret(eps, report, x_best, F)


def _regret_on_distributions(mech, i, estimator) -> Regret:
    r"""The regret of agent i on generation distributions (Corollary 3, parts 3-4).

    With the reference free of agent i's signal, a report moves only the
    distribution x' = x*(theta', s'), so the gain of any report is at most
    sup_x F(x) - F(x*), F(x) = v_i . x + E_{omega|s} E_{omega_hat|omega}[t_i(x)].  F is
    F(x) = R . x + K - alpha D_KL(x || x0) (derived, and checked free of x), so by
    Example 4 the supremum is alpha log Z(R) + K, Z(R) = sum_t x0(t) exp(R(t)/alpha),
    attained at the Gibbs distribution of R, and

        epsilon = alpha log Z(R) - R . x* + alpha D_KL(x* || x0).

    It equals the regret where type reports reach every distribution.
    ``Regret.report`` is None (the best distribution is returned as
    ``Regret.allocation``, ``{x_t: probability}``).
    """
    env, X = mech.env, mech.env.outcome
    rep = Misreport.of(mech, i)
    ref = X.reference_for(env)
    if rep.truth[1] in set().union(*(q.free_symbols for q in ref)):
        raise ValueError(f"exact_regret on distributions needs a reference free of agent {rep.i}'s signal "
                         f"{rep.truth[1]}: a signal report would move the reference too")
    xs = X.variables
    ident = {xt: xt for xt in xs}
    F = env.value(rep.i, ident) + expected_transfer(mech, rep.i, estimator, mech.transfer(rep.i, ident))
    affine = sp.expand(F + X.alpha * X.kl(xs, ref, env))
    R = [sp.diff(affine, xt) for xt in xs]
    K = sp.expand(affine - sp.Add(*[r * xt for r, xt in zip(R, xs)]))
    if any(r.has(*xs) for r in R) or K.has(*xs):
        raise ValueError("agent i's objective plus alpha KL(x || x0) is not affine in the distribution")
    best = X.gibbs(R, ref)
    Z = sp.Add(*[q * sp.exp(r / X.alpha) for r, q in zip(R, ref)])
    x_star = [mech.allocation()[xt] for xt in xs]
    eps = X.alpha * sp.log(Z) - sp.Add(*[r * p for r, p in zip(R, x_star)]) + X.alpha * X.kl(x_star, ref, env)
    # zero only once every atom has its formula (the Gibbs weights and the posterior moments):
    # decided there, the regret is stated as 0 rather than as an expression that hides it
    explicit = env.explicit(eps)
    if not _nonzero_at_a_point(explicit) and decide_zero(explicit) is not None:
        eps = sp.Integer(0)
    return Regret(eps, None, best, F)


def _nonzero_at_a_point(expr) -> bool:
    """Whether ``expr`` is certified nonzero (exactly, or by a ball) at one random point of its
    symbols' declared domains: then no decision can show it identically zero, and none is tried
    (trying takes seconds on a regret with logarithms of partition functions)."""
    symbols = sorted(expr.free_symbols, key=str)
    if expr.atoms(AppliedUndef):
        return False
    try:
        pt = random_point(symbols, random.Random(0))
        s, _ = decide_sign(expr.xreplace(pt))
    except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        return False
    return s in (1, -1)


def affine_condition(env) -> str | None:
    """Which sufficient condition for exact implementation with an unbiased estimator holds.

    ``"linear"``: every u_j is linear in omega (Proposition 2 as stated).
    ``"affine differences"``: every u_j(x, omega) - u_j(x', omega) is affine in
    omega, so E[u_j(x, omega_hat) | omega] = u_j(x, omega) + c_j(omega) with c_j
    free of x, and the Groves argument still goes through.  None otherwise.

    >>> import sympy as sp
    >>> from symbolic_mech.paper.instances import quadratic_loss, jensen
    >>> affine_condition(quadratic_loss(2)), affine_condition(jensen(2))
    ('affine differences', None)
    """
    state = env.states[0]
    if all(sp.expand(sp.diff(u, state, 2)) == 0 for u in env.utilities):
        return "linear"
    other = {v: sp.Dummy(v.name + "'", real=True) for v in env.outcome.variables}
    if all(sp.expand(sp.diff(u - u.xreplace(other), state, 2)) == 0 for u in env.utilities):
        return "affine differences"
    return None
