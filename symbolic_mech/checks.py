"""Kernel checks on a model: its definitions substituted and its supports as domains.

:func:`identity` and :func:`sign` are :func:`~symbolic_mech.core.kernel.check_identity`
and :func:`~symbolic_mech.core.kernel.check_sign` for expressions of a model (an
information structure or an environment): the posterior atoms are replaced by the
structure's formulas, and points and witnesses are drawn from the model's supports
(click counts in 0..k_i, rates in [0, 1], the type spaces), narrowed by ``domain=``
and never widened.

>>> from symbolic_mech import BetaBernoulliClicks
>>> from symbolic_mech.estimators import SampleClickRate
>>> from symbolic_mech.symbols import m, omega_hat
>>> c = BetaBernoulliClicks(1, impressions=3)
>>> v = identity(c, c.posterior_mean(), c.moment_atom(1), id="mean")
>>> v.status, sorted(v.certificate["statement"]["domains"]["s1"].items())[:3]
('proved', [('bounds', []), ('exclude_zero', False), ('hi', '3')])
"""
from __future__ import annotations

from .core.kernel import check_identity, check_sign
from .environments import Environment
from .estimators import check_estimator
from .information import InformationStructure, merged, narrowed

__all__ = ["identity", "sign", "domains_of"]


def domains_of(model, estimator=None, domain=None) -> dict:
    """The model's ``{symbol: Domain}``: an environment's (types, signals, parameters, the
    estimator's parameters) or an information structure's, narrowed by ``domain``."""
    check_estimator(estimator)
    if isinstance(_model(model), Environment):
        return model.domains(estimator, domain)
    return narrowed(merged(model.support(), estimator.support() if estimator is not None else {}), domain)


def _model(model):
    """``model`` if it is an Environment or an InformationStructure, else a TypeError naming it.

    >>> identity(42, 0)
    Traceback (most recent call last):
    ...
    TypeError: model must be an Environment or an InformationStructure, got int
    """
    if not isinstance(model, (Environment, InformationStructure)):
        raise TypeError(f"model must be an Environment or an InformationStructure, got {type(model).__name__}")
    return model


def _info(model):
    return model.info if isinstance(_model(model), Environment) else model


def identity(model, lhs, rhs=0, *, estimator=None, domain=None, **kw):
    """``check_identity(lhs, rhs)`` with the model's definitions and supports."""
    return check_identity(lhs, rhs, definitions=_info(model).explicit,
                          domain=domains_of(model, estimator, domain), **kw)


def sign(model, expr, which: str, *, estimator=None, domain=None, **kw):
    """``check_sign(expr, which)`` with the model's definitions and supports."""
    return check_sign(expr, which, definitions=_info(model).explicit,
                      domain=domains_of(model, estimator, domain), **kw)
