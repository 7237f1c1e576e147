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

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy as sp

from .environments import RealLine
from .kernel import (INCONCLUSIVE, PROVED, REFUTED, Verdict, check_identity,
                     monte_carlo_agrees, random_point)
from .mechanisms import Mechanism
from .symbols import check_agent, omega_hat, prime

__all__ = ["Misreport", "net_utility", "gain", "groves_certificate", "search_gain",
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


def _reported_allocation(mech, rep: Misreport) -> dict:
    return {k: v.xreplace(rep.substitution) for k, v in mech.allocation().items()}


def expected_transfer(mech, i, estimator, transfer=None) -> sp.Expr:
    """E_{omega | s} E_{omega_hat | omega}[t_i], under the posterior given all true signals."""
    t = mech.transfer(i) if transfer is None else transfer
    if t.has(omega_hat):
        if estimator is None:
            raise ValueError("estimator is required: the transfer uses omega_hat")
        t = estimator.expect(t)
    return mech.env.info.expect(t)


def net_utility(mech: Mechanism, i: int, estimator=None) -> sp.Expr:
    """U_i(theta_i', s_i'): expected net utility of the misreport (primed symbols).

    ``estimator`` is the law of omega_hat given omega (None for message-driven
    mechanisms).
    """
    _check_mech(mech)
    rep = Misreport.of(mech, i)
    x_rep = _reported_allocation(mech, rep)
    own = mech.env.value(rep.i, x_rep)
    return own + expected_transfer(mech, rep.i, estimator, mech.transfer(rep.i).xreplace(rep.substitution))


def gain(mech, i, estimator=None) -> sp.Expr:
    """U_i(theta_i', s_i') - U_i(theta_i, s_i)."""
    U = net_utility(mech, i, estimator)
    return U - U.xreplace(Misreport.of(mech, i).back)


def realized_net_utility(mech, i, report: bool = True):
    """u_i(x', omega, theta_i) + t_i(theta', s', omega_hat): the random payoff a Monte Carlo averages."""
    rep = Misreport.of(mech, i)
    sub = rep.substitution if report else {}
    alloc = {k: v.xreplace(sub) for k, v in mech.allocation().items()}
    return mech.env.utility(rep.i, alloc) + mech.transfer(rep.i).xreplace(sub)


def expectation_sampler(info, terms, estimator=None, size: int = 40000):
    """A Monte Carlo sampler ``(point, rng) -> draws`` of sum(sign * expr).

    ``terms`` is an expression or a list of ``(sign, expr)``; each expr is a
    function of omega and omega_hat with every other symbol fixed by
    ``point``.  omega is drawn from the posterior given all signals at the
    point and omega_hat from ``estimator`` given omega, so the draws' mean
    estimates E_{omega | s} E_{omega_hat | omega}[sum].
    """
    if isinstance(terms, sp.Expr):
        terms = [(1, terms)]
    state = info.omega

    def draw(point, rng):
        w = info.sample_posterior(point, size, rng)
        what = w if estimator is None else estimator.sample(w, rng, params=point)
        total = np.zeros(size)
        for sign, e in terms:
            f = sp.lambdify((state, omega_hat), e.xreplace(point), "numpy")
            total = total + sign * np.broadcast_to(np.asarray(f(w, what), dtype=float), (size,))
        return total
    return draw


def groves_certificate(mech: Mechanism, i: int, estimator=None, *, id: str | None = None,
                       claim: str | None = None, points: int = 20, seed: int = 0,
                       domain: Mapping | None = None, search: bool = True) -> Verdict:
    """Certify truth-telling for agent i by the Groves argument, or refute it with a witness.

    proved: D = U_i - welfare(x') does not depend on the report (exactly, at
    random rational points, and by Monte Carlo of the realized payoffs).
    refuted: a misreport with a strictly positive exact gain.
    """
    _check_mech(mech)
    rep = Misreport.of(mech, i)
    env = mech.env
    id = id or f"groves-agent{rep.i}"
    claim = claim or f"truth-telling is optimal for agent {rep.i} ({type(mech).__name__})"
    U = net_utility(mech, rep.i, estimator)
    W = env.welfare(allocation=_reported_allocation(mech, rep))
    D = U - W
    residual = D - D.xreplace(rep.back)
    mc = None
    if hasattr(env.info, "sample_posterior"):
        realized = realized_net_utility(mech, rep.i)
        mc = expectation_sampler(env.info, [(1, realized), (-1, realized.xreplace(rep.back)),
                                        (-1, W), (1, W.xreplace(rep.back))])
    v = check_identity(residual, 0, id=id, claim=claim, points=points, seed=seed,
                       domain=domain, monte_carlo=mc)
    evidence = dict(v.evidence, certificate="U_i - welfare(x') is independent of the report")
    if v.status == PROVED:
        return Verdict(id, claim, PROVED, evidence)
    # the residual is not a refutation of incentive compatibility by itself: look for a gain
    evidence.pop("witness", None)
    evidence["certificate"] = "U_i - welfare(x') depends on the report"
    if search:
        w = search_gain(mech, rep.i, estimator, seed=seed, domain=domain)
        if w is not None:
            evidence["witness"] = w
            return Verdict(id, claim, REFUTED, evidence)
    evidence["reason"] = "Groves certificate failed and no profitable misreport was found"
    return Verdict(id, claim, INCONCLUSIVE, evidence)


def _rational(xf: float) -> sp.Rational:
    f = Fraction(float(xf)).limit_denominator(1000)
    return sp.Rational(f.numerator, f.denominator)


def search_gain(mech, i, estimator=None, *, truth: Mapping | None = None, seed: int = 0,
                domain: Mapping | None = None, tries: int = 6, samples: int = 1500,
                threshold: float = 1e-9, G: sp.Expr | None = None):
    """Numeric search over misreports; the best point is re-evaluated exactly.

    Returns a witness ``{"truth": {...}, "report": {...}, "gain": exact}`` with a
    strictly positive exact gain, or None (with ``search_gain.best`` holding
    the largest float gain seen) when nothing above ``threshold`` is found.
    """
    rep = Misreport.of(mech, i)
    G = gain(mech, rep.i, estimator) if G is None else G
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    best_overall = -np.inf
    truth_syms = sorted(G.free_symbols - set(rep.report), key=str)
    for _ in range(tries):
        point = dict(truth) if truth is not None else random_point(truth_syms, rnd, domain)
        g = G.xreplace(point)
        f = sp.lambdify(rep.report, g, "numpy")
        centre = np.array([float(point.get(t, 0)) for t in rep.truth])
        scale = 3.0 * (1.0 + np.abs(centre))
        cand = centre + scale * rng.uniform(-1, 1, size=(samples, 2))
        cand = np.vstack([cand, [[0.0, centre[1]], [centre[0], 0.0], [1.0, centre[1]]]])
        with np.errstate(all="ignore"):
            vals = np.array([float(np.real(f(*c))) for c in cand])
        vals[~np.isfinite(vals)] = -np.inf
        k = int(np.argmax(vals))
        best, bval, step = cand[k].copy(), vals[k], scale / 4
        for _ in range(60):  # pattern search around the best candidate
            improved = False
            for d in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                c = best + step * np.array(d)
                with np.errstate(all="ignore"):
                    fv = float(np.real(f(*c)))
                if np.isfinite(fv) and fv > bval:
                    best, bval, improved = c, fv, True
            if not improved:
                step = step / 2
        best_overall = max(best_overall, bval)
        if bval > threshold:
            report = {r: _rational(b) for r, b in zip(rep.report, best)}
            exact = sp.nsimplify(sp.simplify(g.xreplace(report)))
            if exact.is_positive:
                return {"truth": point, "report": report, "gain": exact}
        if truth is not None:
            break
    search_gain.best = best_overall
    return None


@dataclass(frozen=True)
class Regret:
    """The exact regret epsilon of agent i and the misreport that attains it."""

    epsilon: sp.Expr
    report: dict
    allocation: sp.Expr
    objective: sp.Expr


def exact_regret(mech: Mechanism, i: int, estimator=None) -> Regret:
    """epsilon_i(theta, s) = sup over misreports of the gain, in closed form.

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
    if not isinstance(env.outcome, RealLine):
        raise ValueError("exact_regret needs a RealLine outcome; use search_gain otherwise")
    rep = Misreport.of(mech, i)
    xvar = env.outcome.x
    F = env.value(rep.i, {xvar: xvar}) + expected_transfer(mech, rep.i, estimator,
                                                           mech.transfer(rep.i, {xvar: xvar}))
    x_best = env.outcome.stationary_point(F)
    x_star = mech.allocation()[xvar]
    eps = sp.factor(sp.cancel(sp.expand(F.xreplace({xvar: x_best}) - F.xreplace({xvar: x_star}))))
    theta_r = rep.report[0]
    sol = sp.solve(sp.Eq(x_star.xreplace({rep.truth[0]: theta_r}), x_best), theta_r, dict=True)
    if not sol:
        raise ValueError(f"the maximizer {x_best} is not reachable by a type report of agent {rep.i}")
    report = {theta_r: sp.factor(sol[0][theta_r]), rep.report[1]: rep.truth[1]}
    return Regret(eps, report, x_best, F)
