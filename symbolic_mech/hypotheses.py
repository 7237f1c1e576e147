"""The hypotheses of the paper's statements, decided by the engine rather than asserted.

Each function returns ``(statement, verdicts)``: the hypothesis as the paper
states it and the kernel verdicts that decide it, every one with a
certificate.

* :func:`unbiased`: ``E[omega_hat | omega] = omega`` (Proposition 2), decided
  as ``E_{omega|s} E_{omega_hat|omega}[omega_hat] = E[omega|s]`` for every
  posterior of a conjugate family (normal for a real state, Beta for a rate)
  and every value of its parameters: the bias b(omega) of these estimators is
  a polynomial, and ``E[b(omega)] = 0`` under every such posterior forces
  b = 0.  The posterior mean is an atom on one side and its formula on the
  other, and the simulation draws from the family's prior, the signals'
  likelihood and the estimator's law;
* :func:`consistent`: the mean squared error ``E[(omega_hat_m - omega)^2 |
  omega]`` tends to 0 as m grows (Theorem 2; convergence in mean square gives
  convergence in probability), decided by :func:`symbolic_mech.asymptotics.vanishes`
  with the error simulated from the law;
* :func:`affine_differences`: every ``f = u_j(x, omega) - u_j(x', omega)`` is
  affine in omega, ``f(omega) = f(0) + omega f'(0)`` identically, the
  condition under which Proposition 2's argument goes through;
* Theorem 1's: :func:`supermodular` (``d^2 v_i / dx ds_j >= 0``),
  :func:`mean_increasing` (``d E[omega | s] / ds_j > 0``) and
  :func:`informative` (condition (*): the identity ``E[omega | s] = E[omega |
  s_i', s_-i]`` refuted with a witness);
* Theorem 2's: :func:`lipschitz_on_real_line` (a utility polynomial in omega is
  Lipschitz in omega on the real line iff ``d^2 u / domega^2 = 0``) and
  :func:`gaussian_condition3` (the posterior variance free of s and the mean
  affine in s, the facts condition (3) rests on for Gaussian signals).

>>> from symbolic_mech.estimators import SampleClickRate
>>> from symbolic_mech.symbols import m
>>> statement, verdicts = unbiased(SampleClickRate(m))
>>> print(statement, [v.status for v in verdicts])
estimator unbiased: $\\mathbb{E}[\\hat\\omega \\mid \\omega] = \\omega$ ['proved']
"""
from __future__ import annotations

import sympy as sp

from .asymptotics import vanishes
from .checks import identity, sign
from .core.kernel import REFUTED, check_identity
from .information import BetaBernoulliClicks, GaussianSignals, InformationStructure, merged, narrowed
from .simulation import LawSampler, ModelSampler
from .symbols import omega, omega_hat, prime

__all__ = ["unbiased", "consistent", "affine_differences", "estimator_domains", "supermodular",
           "mean_increasing", "informative", "lipschitz_on_real_line", "gaussian_condition3"]


def estimator_domains(est) -> dict:
    """The state's support under the law and the estimator's parameters, as Domains."""
    return narrowed(merged({omega: est.state_support}, est.support()))


def unbiased(est, id: str = "hypothesis-unbiased"):
    """``E[omega_hat | omega] = omega``, decided through every posterior of a conjugate family."""
    if est.state_support == sp.Interval(0, 1):
        family = BetaBernoulliClicks(1)
    elif est.state_support == sp.Interval(-sp.oo, sp.oo):
        family = GaussianSignals(1)
    else:
        raise ValueError(f"no conjugate family for states in {est.state_support}")
    lhs = family.expect(est.expect(omega_hat), atomic=True)
    v = identity(family, lhs, family.posterior_mean(), estimator=est, id=id,
                 monte_carlo=ModelSampler(family, omega_hat, est),
                 variables=set(family.parameters) | set(est.parameters) | set(family.s),
                 claim=r"$\mathbb{E}_{\omega \mid s} \mathbb{E}_{\hat\omega \mid \omega}[\hat\omega] = \mathbb{E}[\omega \mid s]$"
                       f" for every posterior of {_FAMILY[type(family)]}")
    return r"estimator unbiased: $\mathbb{E}[\hat\omega \mid \omega] = \omega$", [v]


def consistent(est, id: str = "hypothesis-consistent"):
    """``E[(omega_hat_m - omega)^2 | omega] -> 0`` as the sample size grows, decided."""
    if not isinstance(est.sample_size, sp.Symbol):
        raise ValueError(f"{est!r} has no symbolic sample size: consistency is a limit in it")
    mse = est.mean_squared_error()
    verdicts = vanishes(mse, est.sample_size, id=id, domain=estimator_domains(est),
                        monte_carlo=LawSampler(est, (omega_hat - omega) ** 2),
                        variables=(omega, *est.parameters),
                        claim=_mse_vanishes(est.sample_size))
    return f"estimator consistent: {_mse_vanishes(est.sample_size)}", verdicts


def affine_differences(env, id: str = "hypothesis-affine"):
    """Every ``f = u_j(x, omega) - u_j(x', omega)`` equals ``f(0) + omega f'(0)``.

    >>> from symbolic_mech.paper.instances import quadratic_loss, jensen
    >>> [v.status for v in affine_differences(quadratic_loss(2))[1]]
    ['proved', 'proved']
    >>> [v.status for v in affine_differences(jensen(2))[1]]
    ['refuted', 'refuted']
    """
    other = {v: sp.Symbol(v.name + "'", real=True) for v in env.outcome.variables}
    verdicts = []
    for j, u in enumerate(env.utilities, 1):
        for state in env.states:
            f = u - u.xreplace(other)
            tangent = f.xreplace({state: 0}) + state * sp.diff(f, state).xreplace({state: 0})
            verdicts.append(check_identity(f, tangent, id=f"{id}-u{j}",
                                           claim=f"$u_{j}(x) - u_{j}(x')$ is affine in ${sp.latex(state)}$"))
    return r"utility differences affine in $\omega$: $u_j(x) - u_j(x') = f(0) + \omega f'(0)$", verdicts


def _constant(expr) -> dict:
    # a number has no points to draw: its sign is decided at the one point there is
    return {"at": [{}]} if not expr.free_symbols else {}


def supermodular(env, i: int, j: int, id: str = "hypothesis-supermodular"):
    """``d^2 v_i(x, theta_i, s) / dx ds_j >= 0`` on the model's supports (one outcome variable x).

    >>> from symbolic_mech.paper.instances import quadratic_loss
    >>> [v.status for v in supermodular(quadratic_loss(2), 1, 2)[1]]
    ['proved']
    """
    (xv,) = env.outcome.variables
    mixed = sp.diff(env.info.explicit(env.value(i, {xv: xv})), xv, env.s[j - 1])
    return (f"$v_{i}$ supermodular in $(x, s_{j})$: " + rf"$\partial^2 v_{i} / \partial x \partial s_{j} \geq 0$",
            [sign(env, mixed, "nonnegative", id=f"{id}-v{i}-s{j}", **_constant(mixed),
                  claim=rf"$\partial^2 v_{i}(x, \theta_{i}, s) / \partial x \partial s_{j} \geq 0$")])


def mean_increasing(info, j: int, id: str = "hypothesis-increasing"):
    """``d E[omega | s] / ds_j > 0`` on the model's supports.

    >>> from symbolic_mech.information import GaussianSignals
    >>> [v.status for v in mean_increasing(GaussianSignals(2), 1)[1]]
    ['proved']
    """
    slope = sp.diff(info.explicit(info.posterior_mean()), info.s[j - 1])
    return (f"the posterior mean increasing in $s_{j}$",
            [sign(info, slope, "positive", id=f"{id}-s{j}", claim=rf"$\partial \mathbb{{E}}[\omega \mid s] / \partial s_{j} > 0$",
                  **_constant(slope))])


def informative(info, i: int, id: str = "hypothesis-informative"):
    """Condition (*): some s_i != s_i' give different posterior means.  Decided by refuting the
    identity ``E[omega | s] = E[omega | s_i', s_-i]`` with a witness: ``(statement, verdicts, 'refuted')``,
    the last the status that means the hypothesis holds.

    >>> from symbolic_mech.information import GaussianSignals
    >>> [v.status for v in informative(GaussianSignals(2), 1)[1]]
    ['refuted']
    """
    E = info.posterior_mean()
    moved = E.xreplace({info.s[i - 1]: prime(info.s[i - 1])})
    return (rf"condition (*): $\mathbb{{E}}[\omega \mid s] \neq \mathbb{{E}}[\omega \mid s_{i}', s_{{-{i}}}]$ for some $s_{i}' \neq s_{i}$",
            [identity(info, E, moved, id=f"{id}-s{i}",
                      claim=rf"$\mathbb{{E}}[\omega \mid s] = \mathbb{{E}}[\omega \mid s_{i}', s_{{-{i}}}]$ for all signals (refuted: (*) holds)")],
            REFUTED)


def lipschitz_on_real_line(env, id: str = "hypothesis-lipschitz"):
    """Each utility, a polynomial in the state, is Lipschitz in it on an unbounded state space iff
    its second derivative in the state vanishes identically; decided per utility (``refuted``
    means the hypothesis fails on the instance).

    >>> from symbolic_mech.paper.instances import quadratic_loss
    >>> [v.status for v in lipschitz_on_real_line(quadratic_loss(2))[1]]
    ['refuted', 'refuted']
    """
    verdicts = []
    for j, u in enumerate(env.utilities, 1):
        for state in env.states:
            if not u.is_polynomial(state):
                raise ValueError(f"u_{j} is not a polynomial in {state}")
            verdicts.append(check_identity(sp.diff(u, state, 2), 0, id=f"{id}-u{j}", domain=env.domains(),
                                           claim=rf"$\partial^2 u_{j} / \partial {sp.latex(state)}^2 = 0$: $u_{j}$ Lipschitz in ${sp.latex(state)}$"))
    return r"utilities Lipschitz in $\omega$ on the state space", verdicts


def gaussian_condition3(info, id: str = "hypothesis-condition3"):
    """For Gaussian signals, condition (3) rests on two facts, decided here on the posterior atoms
    (their formulas are the model's, rebuilt by the checker from its primitives): Var[omega | s] is
    the same at s and at s with s_k moved, and E[omega | s] is affine in s, E[omega | s] = E[omega | 0]
    + sum_k s_k (E[omega | e_k] - E[omega | 0]).  Two posteriors are then normals of equal variance
    whose means differ by a linear function of s - s'; the bound of their total variation distance
    by that difference is cited, not checked.

    >>> from symbolic_mech.information import GaussianSignals
    >>> [v.status for v in gaussian_condition3(GaussianSignals(2))[1]]
    ['proved', 'proved', 'proved']
    """
    if not isinstance(info, GaussianSignals):
        raise TypeError(f"info must be GaussianSignals, got {type(info).__name__}")
    # the generic moment atoms: E[omega^2 | s] as an atom of its own, not the Gaussian variance V_G,
    # whose formula has no signal in it (the check would compare an expression with itself)
    E = InformationStructure.moment_atom(info, 1)
    V = InformationStructure.moment_atom(info, 2) - E ** 2
    verdicts = [identity(info, V, V.xreplace({sk: prime(sk)}), id=f"{id}-variance-s{k}",
                         claim=rf"$\operatorname{{Var}}[\omega \mid s] = \operatorname{{Var}}[\omega \mid s_{k}', s_{{-{k}}}]$: free of $s_{k}$")
                for k, sk in enumerate(info.s, 1)]
    origin = {sk: 0 for sk in info.s}
    affine = E.xreplace(origin) + sp.Add(*[sk * (E.xreplace({**origin, sk: 1}) - E.xreplace(origin))
                                           for sk in info.s])
    verdicts.append(identity(info, E, affine, id=f"{id}-affine",
                             claim=r"$\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid 0] + \sum_k s_k (\mathbb{E}[\omega \mid e_k] - \mathbb{E}[\omega \mid 0])$"))
    return (r"condition (3) for Gaussian signals: $\operatorname{Var}[\omega \mid s]$ free of $s$, "
            r"$\mathbb{E}[\omega \mid s]$ affine in $s$", verdicts)


# the conjugate families, as the claims name them
_FAMILY = {GaussianSignals: r"the normal family, $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$",
           BetaBernoulliClicks: r"the Beta family, $\omega \sim \mathrm{Beta}(a, b)$, binomial clicks"}


def _mse_vanishes(size) -> str:
    r"""Consistency as a limit, in the paper's notation (TeX in words).

    >>> _mse_vanishes(sp.Symbol("m"))
    '$\\mathbb{E}[(\\hat\\omega - \\omega)^2 \\mid \\omega] \\to 0$ as $m \\to \\infty$'
    """
    return rf"$\mathbb{{E}}[(\hat\omega - \omega)^2 \mid \omega] \to 0$ as ${sp.latex(size)} \to \infty$"
