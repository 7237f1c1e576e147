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
  condition under which Proposition 2's argument goes through.

>>> from symbolic_mech.estimators import SampleClickRate
>>> from symbolic_mech.symbols import m
>>> statement, verdicts = unbiased(SampleClickRate(m))
>>> statement, [v.status for v in verdicts]
('estimator unbiased: E[omega_hat | omega] = omega', ['proved'])
"""
from __future__ import annotations

import sympy as sp

from .asymptotics import vanishes
from .checks import identity
from .core.kernel import check_identity
from .information import BetaBernoulliClicks, GaussianSignals, merged, narrowed
from .simulation import LawSampler, ModelSampler
from .symbols import omega, omega_hat

__all__ = ["unbiased", "consistent", "affine_differences", "estimator_domains"]


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
                 claim=f"E_(omega|s) E_(omega_hat|omega)[omega_hat] = E[omega|s] for every posterior of {family}")
    return "estimator unbiased: E[omega_hat | omega] = omega", [v]


def consistent(est, id: str = "hypothesis-consistent"):
    """``E[(omega_hat_m - omega)^2 | omega] -> 0`` as the sample size grows, decided."""
    if not isinstance(est.sample_size, sp.Symbol):
        raise ValueError(f"{est!r} has no symbolic sample size: consistency is a limit in it")
    mse = est.mean_squared_error()
    verdicts = vanishes(mse, est.sample_size, id=id, domain=estimator_domains(est),
                        monte_carlo=LawSampler(est, (omega_hat - omega) ** 2),
                        variables=(omega, *est.parameters),
                        claim=f"E[(omega_hat - omega)^2 | omega] -> 0 as {est.sample_size} -> oo")
    return f"estimator consistent: E[(omega_hat - omega)^2 | omega] -> 0 as {est.sample_size} -> oo", verdicts


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
                                           claim=f"u_{j}(x) - u_{j}(x') is affine in {state}"))
    return "utility differences affine in omega: u_j(x) - u_j(x') = f(0) + omega f'(0)", verdicts
