"""The figures' data come from the engine and have the expected shape and rates;
drawing is tested only when matplotlib is installed."""
import importlib.util

import numpy as np
import pytest
import sympy as sp

from symbolic_mech.presentation import plots
from symbolic_mech.symbols import s, theta


@pytest.fixture(scope="module")
def regret():
    return plots.regret_data(points=31)


def test_available_iff_matplotlib_is_installed():
    assert plots.available() is (importlib.util.find_spec("matplotlib") is not None)


def test_regret_data_shapes_and_bounds(regret):
    assert [c["label"][:3] for c in regret] == ["(a)", "(b)"]
    for c in regret:
        for key in ("m", "epsilon", "eq4", "lipschitz"):
            assert c[key].shape == (31,) and np.isfinite(c[key]).all() and (c[key] > 0).all()
        assert c["m"][0] == pytest.approx(10) and c["m"][-1] == pytest.approx(1e6)
        assert (c["epsilon"] <= c["eq4"]).all() and (c["epsilon"] <= c["lipschitz"]).all()


def test_regret_slopes(regret):
    for c in regret:
        assert c["slope_eps"] == pytest.approx(-2, abs=0.02)
        assert c["slope_lipschitz"] == pytest.approx(-0.5, abs=0.02)
        assert (c["k_eps"], c["k_bound"]) == (2, sp.Rational(1, 2)) and c["k_eq4"] == 1
        # the fit of the plotted curve, independently of the helper
        fit = np.polyfit(np.log(c["m"][-11:]), np.log(c["epsilon"][-11:]), 1)[0]
        assert fit == pytest.approx(-2, abs=0.02)


def test_example3_gain():
    d = plots.example3_gain_data(points=21)
    G = d["gain"]
    assert G.shape == (21, 21) and np.isfinite(G).all()
    # the gain is 1/4 exactly where theta1' s1' >= theta2 s2 = 1, and 0 elsewhere
    T, S = np.meshgrid(d["theta"], d["s"])
    assert np.allclose(G, np.where(T * S >= 1, 0.25, 0.0))


def test_example5_gain():
    # 29 points put the truthful report (theta1, s1) = (1/2, 1) on the grid
    d = plots.example5_gain_data(points=29)
    G = d["gain"]
    assert G.shape == (29, 29) and np.isfinite(G).all()
    assert G.max() > 0 and G.min() < 0
    truth = d["truth"]
    (j,) = np.flatnonzero(np.isclose(d["theta"], float(truth[theta(1)])))
    (i,) = np.flatnonzero(np.isclose(d["s"], float(truth[s(1)])))
    # with the true type, a signal report at or above the true one keeps E[omega|s1', s2] > 0,
    # hence the allocation, and gains exactly nothing; a lower one can only lose the object
    assert (G[i:, j] == 0).all() and (G[:, j] <= 0).all() and G[:i, j].min() < 0


def test_gibbs_limits():
    d = plots.gibbs_data()
    X = d["distribution"]
    assert X.shape == (len(d["alpha"]), 4) and np.isfinite(X).all()
    assert np.allclose(X.sum(axis=1), 1)
    assert X[0].argmax() == d["rewards"].argmax() and X[0].max() > 0.99
    assert np.allclose(X[-1], d["reference"], atol=0.01)


@pytest.mark.parametrize("name", ["regret_rates", "gain_landscape_example3", "gain_landscape_example5",
                                  "gibbs_vs_alpha"])
def test_drawing(name):
    pytest.importorskip("matplotlib")
    kwargs = {"points": 21} if name != "gibbs_vs_alpha" else {}
    fig = getattr(plots, name)(show=False, **kwargs)
    assert fig.axes and all(ax.has_data() for ax in fig.axes if ax.get_label() != "<colorbar>")
