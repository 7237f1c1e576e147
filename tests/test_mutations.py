"""Wrong posterior or estimator formulas make the registered results fail, not only the unit tests.

Each mutation below replaces one formula of the engine; the result that uses it must then miss
its expectation, because its Monte Carlo samples the model's definition (prior, likelihood,
estimator law) and its hypotheses are decided, never printed.
"""
import pytest
import sympy as sp
from sympy.functions.combinatorial.numbers import stirling

import symbolic_mech.estimators as E
import symbolic_mech.information as I
from symbolic_mech import derive


def _gauss_mean(self, given):
    given = self._given(given)
    weighted = self.prior_mean * self.prior_var + sp.Add(*[self.s[i - 1] / self.noise_var[i - 1] for i in given])
    return weighted / self.posterior_precision(given), 1 / self.posterior_precision(given)


def _gauss_precision(self, given=None):
    given = self._given(given)
    return sp.Add(*[1 / self.noise_var[i - 1] for i in given]) if given else 1 / self.prior_var


def _beta_clicks(self, given=None):
    given = self._given(given)
    clicks = sp.Add(*[self.s[i - 1] for i in given])
    return self.a + clicks, self.b + sp.Add(*[self.impressions[i - 1] for i in given])


def _rising(self, k):
    n = self._args["m"]
    return sp.expand(sp.Add(*(stirling(k, j) * sp.rf(n, j) * E.omega ** j for j in range(k + 1)))) / n ** k


def _wallet_var(self, given=None):
    given = self._given(given)
    return sp.Add(*[self.signal_var[i - 1] for i in range(1, self.n + 1) if i in given])


MUTATIONS = [
    ("mu sigma^2 for mu / sigma^2", I.GaussianSignals, "_mean_var", _gauss_mean, "example2"),
    ("prior left out of the precision sum", I.GaussianSignals, "posterior_precision", _gauss_precision, "example2"),
    ("clicks not subtracted", I.BetaBernoulliClicks, "posterior_parameters", _beta_clicks, "corollary2"),
    ("rising for falling factorial", E.SampleClickRate, "_moment", _rising, "corollary2"),
    ("wallet variance of the known signals", I.WalletSignals, "posterior_var", _wallet_var, "theorem1"),
]


@pytest.mark.slow           # each mutation derives its result twice
@pytest.mark.parametrize("what, cls, name, wrong, rid", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_wrong_formula_fails_verification(monkeypatch, what, cls, name, wrong, rid):
    assert derive(rid).ok
    monkeypatch.setattr(cls, name, wrong)
    d = derive(rid)
    assert not d.ok, what
    misses = [v.id for v, e, _ in d.checks if v.status != e]
    assert misses, what
