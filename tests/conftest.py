"""Helpers shared by several test modules, offered as fixtures so no test imports conftest."""
import numpy as np
import pytest


def _within_se(draws, target, z=5.0):
    """Whether the sample mean of ``draws`` lies within ``z`` standard errors of ``target``.

    ``target`` may be any exact sympy number; the small absolute slack keeps a
    constant sample (zero standard error) equal to its target from failing.
    """
    se = draws.std(ddof=1) / np.sqrt(draws.size)
    return abs(draws.mean() - float(target)) <= z * se + 1e-12


@pytest.fixture
def within_se():
    """The Monte Carlo agreement test used against exact moments: ``within_se(draws, exact, z=5)``."""
    return _within_se
