"""Named instances of the paper, shared by several results.

>>> from symbolic_mech.paper.instances import quadratic_loss
>>> quadratic_loss(2).n
2
"""
from __future__ import annotations

from ..environments import Environment, RealLine
from ..information import GaussianSignals
from ..symbols import omega, theta, x

__all__ = ["quadratic_loss", "jensen"]


def quadratic_loss(n: int = 2, info=None) -> Environment:
    """Example 1: u_i = -(x - theta_i - omega)^2 on the real line, Gaussian signals by default."""
    info = info if info is not None else GaussianSignals(n)
    return Environment(info, [-(x - theta(i) - omega) ** 2 for i in range(1, info.n + 1)], RealLine())


def jensen(n: int = 2, info=None) -> Environment:
    """Beyond linearity (after Proposition 2): u_i = -(theta_i - omega x)^2."""
    info = info if info is not None else GaussianSignals(n)
    return Environment(info, [-(theta(i) - omega * x) ** 2 for i in range(1, info.n + 1)], RealLine())

