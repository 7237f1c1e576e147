"""Models users build of their own: the wallet with three agents (a point-mass posterior), and
named errors for every input a caller can get wrong."""
from __future__ import annotations

import copy

import pytest
import sympy as sp

from symbolic_mech import DataDrivenVCG, Environment, ExPost, RealLine, WalletSignals, groves_certificate, recheck
from symbolic_mech.symbols import omega, theta, x


@pytest.fixture(scope="module")
def wallet_verdicts():
    env = Environment(WalletSignals(3), [-(x - theta(i) - omega) ** 2 for i in (1, 2, 3)], RealLine())
    return {i: groves_certificate(DataDrivenVCG(env, h="pivot"), i, ExPost()) for i in (1, 2, 3)}


@pytest.mark.parametrize("agent", [1, 2, 3])
def test_wallet_three_agents_proved_by_point_masses(wallet_verdicts, agent):
    """Given every signal the wallet's state is known: each Monte Carlo entry is a point mass,
    decided exactly, and the independent checker re-runs the certificate and confirms it."""
    v = wallet_verdicts[agent]
    assert v.proved, v.evidence.get("reason")
    entries = v.certificate["monte_carlo"]
    assert len(entries) >= 3 and all(e.get("point_mass") and e["se"] == 0 for e in entries)
    report = recheck(v.certificate)
    assert report.confirmed, report.problems


def test_wallet_forged_point_mass_refused(wallet_verdicts):
    """The same certificate claiming the expectation of the integrand plus one: the point masses'
    values are then not the right-hand side, and the checker refuses it."""
    forged = copy.deepcopy(wallet_verdicts[1].certificate)
    stated = forged["statement"]["expectation"]
    stated["integrand"] = ["Add", stated["integrand"], ["Integer", "1"]]
    report = recheck(forged)
    assert not report.confirmed
    assert any("agrees is recorded True but the rule gives False" in p for p in report.problems), report.problems
