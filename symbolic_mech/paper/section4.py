"""Pieces shared by the derivations of section 4 of the paper (data-driven mechanisms).

Each result of the section is derived by its proof script (``proofs/<id>.py``);
what several scripts or the figures (:mod:`symbolic_mech.presentation.plots`) use is here:
an arbitrary h_i of Definition 6, mutated transfers and the negative controls
built from them, the record of a numeric search, agent 1's exact regret under
the pivot with its steps and the Monte Carlo of a gain, the consistent
instances of Theorem 2 and Proposition 3 with their rate bounds, and Example
5's mechanism and witness profile.
"""
from __future__ import annotations

from functools import cmp_to_key

from dataclasses import dataclass

import sympy as sp

from ..environments import Environment, SingleSlot
from ..estimators import AdditiveNoise, BayesianShrinkage
from ..asymptotics import leading_order
from ..incentives import exact_regret, expected_transfer, groves_certificate, realized_net_utility
from ..information import GaussianSignals
from ..core.kernel import NONREAL, REFUTED, decide_sign
from ..mechanisms import CustomTransfers, DataDrivenVCG
from ..simulation import expectation_sampler
from ..symbols import m, omega, omega_hat, prime, s, theta, v, x
from .instances import jensen, quadratic_loss


def arbitrary_h(env, degree: int = 2) -> dict:
    """A generic h_i: a polynomial in omega_hat whose coefficients are undefined
    functions of the other agents' reports (Definition 6 allows any such h_i)."""
    h = {}
    for i in range(1, env.n + 1):
        args = [a for j in env.others(i) for a in (env.theta[j - 1], env.s[j - 1])]
        h[i] = sp.Add(*[sp.Function(f"h{i}_{k}")(*args) * omega_hat ** k for k in range(degree + 1)])
    return h


def mutations(mech, i: int) -> dict:
    """Mutated versions of agent i's transfer that break the Groves structure."""
    t = mech.transfer(i)
    ext = mech.externality(i, mech.allocation())
    return {"adds the externality with the wrong sign": CustomTransfers(mech.env, {i: t - 2 * ext}),
            "also pays the agent her own reported signal": CustomTransfers(mech.env, {i: t + mech.env.s[i - 1]})}


def add_controls(d, mech, i, estimator, label: str):
    for what, bad in mutations(mech, i).items():
        d.check(groves_certificate(bad, i, estimator, id=f"control-{label}",
                                   claim=f"the transfer {what}: truth optimal for agent {i}"),
                expect=REFUTED, control=True)


def regret_steps(d, env, est, label):
    """The exact regret of agent 1 under the pivot, its steps recorded in ``d`` (if given)."""
    record = d.step if d is not None else (lambda title, expr=None: expr)
    mech = DataDrivenVCG(env, h="pivot")
    record(f"[{label}] efficient $x^* =$", env.efficient_allocation()[x])
    r = exact_regret(mech, 1, est)
    record(f"[{label}] agent 1's objective " + r"$F(x) = v_1(x) + \mathbb{E}[t_1 \text{ at } x]$ is maximized at",
           r.allocation)
    record(f"[{label}] reached by reporting " + r"$\theta_1' =$", r.report[prime(theta(1))])
    record(f"[{label}] exact regret " + r"$\epsilon = F(\arg\max) - F(x^*)$", r.epsilon)
    return mech, r


def gain_sampler(mech, est, report):
    """Monte Carlo of the realized payoff difference between a report and truth."""
    lie = realized_net_utility(mech, 1).xreplace(report)
    honest = realized_net_utility(mech, 1, report=False)
    # the own-utility parts are paid in omega, the transfers in omega_hat
    return expectation_sampler(mech.env.info, [(1, lie), (-1, honest)], est)


def shrinkage_estimator(info):
    """Footnote 16: the designer's posterior mean from m observations, with the agents' prior."""
    return BayesianShrinkage(m, prior_mean=info.prior_mean, prior_var=info.prior_var)


def consistent_cases(d=None):
    """(label, mechanism, estimator, regret) for (a) the Jensen instance with noise v/m and
    (b) Example 1 with shrinkage; the derivation steps are recorded in ``d`` if given."""
    env_b = quadratic_loss(2)
    cases = [("(a) Jensen, additive noise v/m", jensen(2), AdditiveNoise(v, m)),
             ("(b) Example 1, Bayesian shrinkage", env_b, shrinkage_estimator(env_b.info))]
    out = []
    for label, env, est in cases:
        mech, r = regret_steps(d, env, est, label)
        out.append((label, mech, est, r))
    return out


def transfer_gap(mech, i, est) -> sp.Expr:
    """sum_{j != i} v_j(x) - E[sum_{j != i} u_j(x, omega_hat) | s] as a function of the outcome x:
    the quantity whose supremum bounds the regret in the paper's equation (4)."""
    env, xvar = mech.env, mech.env.outcome.x
    at_x = {xvar: xvar}
    return sp.expand(env.welfare(env.others(i), at_x)
                     - expected_transfer(mech, i, est, mech.externality(i, at_x)))


def lipschitz_in_state(u, box: dict) -> sp.Expr:
    """An upper bound on |d u / d omega| over a box {symbol: (lo, hi)}: the sum of
    |coefficient| times the largest |monomial|, valid for any polynomial."""
    poly = sp.Poly(sp.expand(sp.diff(u, omega)), *box)
    bound = sp.Integer(0)
    for powers, coeff in poly.terms():
        term = abs(coeff)
        for sym, k in zip(box, powers):
            lo, hi = box[sym]
            term *= sp.Max(abs(lo), abs(hi)) ** k
        bound += term
    return bound


def rate_profile(info, est) -> dict:
    """The rational profile at which rates are compared: theta = (1, 2), s = (1/2, 1), unit parameters."""
    return {theta(1): sp.Integer(1), theta(2): sp.Integer(2), s(1): sp.Rational(1, 2), s(2): sp.Integer(1),
            v: sp.Integer(1), **{p: sp.Integer(1) for p in info.parameters + est.parameters if p != m}}


@dataclass(frozen=True)
class RateBounds:
    """Proposition 3's quantities at :func:`rate_profile`, as functions of m.

    ``epsilon``: the exact regret; ``gaps``: sum_j v_j - t_i^m at the deviation
    and at x* (equation (4) bounds epsilon by twice the larger); ``abs_error``:
    E|omega_hat_m - omega| under the posterior; ``lipschitz``: sum_j L_j on the
    box [x_lo, x_hi] x [E - 8 sd, E + 8 sd] (the truncation of footnote 9), a
    function of the symbols ``x_lo``, ``x_hi``; ``ends``: the two outcomes.
    """

    epsilon: sp.Expr
    gaps: tuple
    abs_error: sp.Expr
    lipschitz: sp.Expr
    ends: tuple
    others: tuple = ()
    mean: sp.Expr = sp.Integer(0)
    var: sp.Expr = sp.Integer(1)
    error_law: tuple = (sp.Integer(0), sp.Integer(0))
    x_lo = sp.Symbol("x_lo", real=True)
    x_hi = sp.Symbol("x_hi", real=True)

    @property
    def eq4(self) -> sp.Expr:
        """Equation (4)'s bound on epsilon_m: twice the larger |gap|."""
        return 2 * sp.Max(*[abs(g) for g in self.gaps])

    @property
    def eq4_order(self) -> sp.Expr:
        """k with the equation (4) bound ~ m^-k: the slower of the two gaps."""
        return min(leading_order(g, m)[0] for g in self.gaps)

    def lipschitz_bound(self, mm) -> sp.Expr:
        """2 sum_j L_j E|omega_hat_m - omega| at the sample size ``mm``, exactly."""
        lo, hi = sorted((e.xreplace({m: mm}) for e in self.ends), key=cmp_to_key(_exact_order))
        L = self.lipschitz.xreplace({self.x_lo: lo, self.x_hi: hi})
        return 2 * L * self.abs_error.xreplace({m: mm})


def _exact_order(a, b) -> int:
    """-1, 0 or 1 as a <, =, > b, decided exactly or by a ball (never by a float)."""
    sign = decide_sign(a - b)[0]
    if sign is None or sign == NONREAL:
        raise ValueError(f"the order of {a} and {b} is not decided")
    return sign


def rate_bounds(mech, est, regret) -> RateBounds:
    """The regret and both of Proposition 3's bounds for agent 1 at :func:`rate_profile`."""
    info, xvar = mech.env.info, mech.env.outcome.x
    truth = rate_profile(info, est)
    gap = info.explicit(transfer_gap(mech, 1, est)).xreplace(truth)
    ends = tuple(info.explicit(e).xreplace(truth) for e in (regret.allocation, mech.allocation()[xvar]))
    mean, var = info.posterior_mean().xreplace(truth), info.posterior_var().xreplace(truth)
    box = {xvar: (RateBounds.x_lo, RateBounds.x_hi), omega: (mean - 8 * sp.sqrt(var), mean + 8 * sp.sqrt(var))}
    slope, intercept, noise = est._gaussian_law()
    others = tuple(mech.env.utility(j).xreplace(truth) for j in mech.env.others(1))
    return RateBounds(
        epsilon=sp.cancel(info.explicit(regret.epsilon).xreplace(truth)),
        gaps=tuple(sp.cancel(gap.xreplace({xvar: e})) for e in ends),
        abs_error=est.abs_error_mean(mean, var).xreplace(truth),
        lipschitz=sum(lipschitz_in_state(u, box) for u in others),
        ends=ends, others=others, mean=mean, var=var,
        error_law=tuple(sp.cancel(e.xreplace(truth)) for e in ((slope - 1) * mean + intercept,
                                                                (slope - 1) ** 2 * var + noise)))


def example5_mechanism() -> DataDrivenVCG:
    """Example 5: one object, u_1 = theta_1 x_1 omega, u_2 = (theta_2 - theta_1) x_2 omega, h_i = 0."""
    X = SingleSlot(2)
    x1, x2 = X.variables
    env = Environment(GaussianSignals(2), [theta(1) * x1 * omega, (theta(2) - theta(1)) * x2 * omega], X)
    return DataDrivenVCG(env)


def example5_truth(info) -> dict:
    """Example 5's witness profile: theta1 = 1/2 < theta2 = 3/4, s = (1, 1), unit parameters."""
    return {theta(1): sp.Rational(1, 2), theta(2): sp.Rational(3, 4), s(1): sp.Integer(1), s(2): sp.Integer(1),
            **{p: sp.Integer(1) for p in info.parameters}}
