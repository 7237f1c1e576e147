r"""Figures of the paper's results, computed with the engine.

Every figure is drawn from data the engine derives: the exact regret and the
bounds of Proposition 3, the exact gain of a misreport in Examples 3 and 5,
and the Gibbs generation distribution of Example 4.  The data are computed by
the ``*_data`` functions, which need only sympy and numpy; the drawing
functions need matplotlib, an optional dependency (``pip install
symbolic_mech[plots]``), imported only when a figure is drawn.

A drawing function returns a :class:`matplotlib.figure.Figure` built without
``pyplot``, so no global figure state is touched.  Inside a Jupyter kernel it
also displays the figure once, as a PNG (``show=None``, the default, means
"display when running in a kernel"; pass ``show=False`` to only return it).

Examples
========

>>> from symbolic_mech.presentation import plots
>>> data = plots.gibbs_data(alphas=[0.01, 100.0])
>>> data["distribution"].shape
(2, 4)
>>> int(data["distribution"][0].argmax()) == int(data["rewards"].argmax())
True
>>> fig = plots.gibbs_vs_alpha()   # doctest: +SKIP

References
==========

Proposition 3, Examples 3, 4 and 5 of the paper; :mod:`symbolic_mech.paper.section4`,
:mod:`symbolic_mech.paper.section5`, :mod:`symbolic_mech.llm`.
"""
from __future__ import annotations

import importlib
import io

import numpy as np
import sympy as sp

from ..validation import exact

__all__ = ["available", "regret_data", "regret_rates", "gain_grid", "example3_gain_data",
           "example5_gain_data", "gain_landscape_example3", "gain_landscape_example5",
           "gibbs_data", "gibbs_vs_alpha"]

_INSTALL = "matplotlib is needed for the figures: pip install symbolic_mech[plots]"


def available() -> bool:
    """Whether matplotlib can be imported (the figures can be drawn).

    >>> isinstance(available(), bool)
    True
    """
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        return False
    return True


def _figure(ncols: int = 1, width: float = 6.0, height: float = 4.2):
    """A pyplot-free Figure with ``ncols`` axes side by side."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(_INSTALL) from exc
    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def _finish(fig, show):
    """Display ``fig`` once as a PNG when asked (or, by default, inside a kernel); return it."""
    if show is None:
        from .display import in_kernel
        show = in_kernel()
    if show:
        from IPython.display import Image, display
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        display(Image(data=buf.getvalue(), format="png"))
    return fig


# ---------------------------------------------------------------------------
# Proposition 3: the regret and its bounds
# ---------------------------------------------------------------------------

def _slope(ms, values, decades: float = 2.0) -> float:
    """Least-squares slope of log(values) against log(ms) over the last ``decades`` decades."""
    ms, values = np.asarray(ms, float), np.asarray(values, float)
    keep = ms >= ms.max() / 10 ** decades
    return float(np.polyfit(np.log10(ms[keep]), np.log10(values[keep]), 1)[0])


def regret_data(points: int = 101, lo: float = 1.0, hi: float = 6.0) -> list:
    r"""epsilon_m and its two bounds for m = 10^lo .. 10^hi, for each case of
    :func:`symbolic_mech.paper.section4.consistent_cases`.

    Each entry is a dict with the case's ``label``, the array ``m``, the exact
    regret ``epsilon``, the equation (4) bound ``eq4`` (2 max |gap| at x* and at
    the deviation), the Lipschitz bound ``lipschitz``
    (:meth:`~symbolic_mech.paper.section4.RateBounds.lipschitz_bound`), the
    exact orders ``k_eps``, ``k_eq4`` and ``k_bound`` (each ~ m^-k, from
    :func:`~symbolic_mech.asymptotics.leading_order`) and the fitted slopes
    ``slope_eps``, ``slope_eq4``, ``slope_lipschitz`` over the last two decades.

    >>> cases = regret_data(points=5, lo=2, hi=4)
    >>> [c["epsilon"].shape for c in cases]
    [(5,), (5,)]
    >>> all(bool((c["epsilon"] <= c["lipschitz"]).all()) for c in cases)
    True
    >>> [str(c["k_eps"]) for c in cases], [str(c["k_bound"]) for c in cases]
    (['2', '2'], ['1/2', '1/2'])
    """
    from ..asymptotics import leading_order
    from ..paper.section4 import consistent_cases, rate_bounds
    from ..symbols import m
    ms = np.logspace(lo, hi, points)
    # each m exactly (the binary value of the float): the regret and the bounds
    # are differences of nearly equal terms at large m, which floats would cancel
    exact_ms = [sp.Rational(mm) for mm in ms]

    def values(f):
        return np.array([float(f(mm)) for mm in exact_ms])

    out = []
    for label, mech, est, r in consistent_cases():
        b = rate_bounds(mech, est, r)
        epsilon = values(lambda mm: b.epsilon.xreplace({m: mm}))
        eq4 = values(lambda mm: b.eq4.xreplace({m: mm}))
        lipschitz = values(b.lipschitz_bound)
        out.append({"label": label, "m": ms, "epsilon": epsilon, "eq4": eq4, "lipschitz": lipschitz,
                    "k_eps": leading_order(b.epsilon, m)[0], "k_eq4": b.eq4_order,
                    "k_bound": leading_order(b.abs_error, m)[0],
                    "slope_eps": _slope(ms, epsilon), "slope_eq4": _slope(ms, eq4),
                    "slope_lipschitz": _slope(ms, lipschitz)})
    return out


def _powers(ks) -> str:
    """m^-k for each distinct order k, as LaTeX."""
    return ", ".join(f"m^{{-{k}}}" for k in dict.fromkeys(ks))


def regret_rates(points: int = 101, show=None):
    r"""Proposition 3: epsilon_m against m on log-log axes, beside the Lipschitz bound
    2 sum_j L_j E|omega_hat_m - omega| and the equation (4) bound, one panel per
    consistent case, at theta = (1, 2), s = (1/2, 1) and unit parameters.

    >>> fig = regret_rates()   # doctest: +SKIP
    """
    cases = regret_data(points)
    fig, axes = _figure(len(cases), width=5.6)
    for ax, c in zip(axes, cases):
        ms = c["m"]
        ax.loglog(ms, c["lipschitz"], color="tab:red",
                  label=r"$2\sum_j L_j\,\mathbb{E}|\hat\omega_m-\omega|$" + f"  (slope {c['slope_lipschitz']:.2f})")
        ax.loglog(ms, c["eq4"], color="tab:orange", ls="--",
                  label=f"equation (4) bound  (slope {c['slope_eq4']:.2f})")
        ax.loglog(ms, c["epsilon"], color="tab:blue", lw=2.2,
                  label=r"exact regret $\varepsilon_m$" + f"  (slope {c['slope_eps']:.2f})")
        for key, color, k in (("epsilon", "tab:blue", c["k_eps"]), ("eq4", "tab:orange", c["k_eq4"]),
                              ("lipschitz", "tab:red", c["k_bound"])):
            j = int(0.55 * len(ms))
            ax.annotate(rf"$\propto m^{{-{sp.latex(k)}}}$", (ms[j], c[key][j]), textcoords="offset points",
                        xytext=(8, 10), color=color, fontsize=11)
        ax.set_title(c["label"], fontsize=11)
        ax.set_xlabel("sample size $m$")
        ax.set_ylabel("regret and bounds")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8.5, loc="lower left")
    faster = "faster" if all(c["k_eps"] > c["k_bound"] for c in cases) else "no faster"
    fig.suptitle(rf"Proposition 3: $\varepsilon_m \sim {_powers(c['k_eps'] for c in cases)}$ vanishes {faster} "
                 rf"than the bound's ${_powers(c['k_bound'] for c in cases)}$")
    return _finish(fig, show)


# ---------------------------------------------------------------------------
# Examples 3 and 5: the gain of a misreport
# ---------------------------------------------------------------------------

def gain_grid(gain, truth: dict, th_values, s_values, th_sym, s_sym) -> np.ndarray:
    """The exact gain expression, with ``truth`` substituted, on the grid
    ``th_values`` x ``s_values`` of (theta1', s1'): rows follow s1', columns theta1'.

    >>> t, u = sp.symbols("t u")
    >>> gain_grid(t * u - 1, {}, [0, 1, 2], [1, 3], t, u).tolist()
    [[-1.0, 0.0, 1.0], [-1.0, 2.0, 5.0]]
    """
    expr = exact(gain, "gain").xreplace(truth)
    f = sp.lambdify((th_sym, s_sym), expr, modules="numpy")
    T, S = np.meshgrid(np.asarray(th_values, float), np.asarray(s_values, float))
    return np.broadcast_to(np.asarray(f(T, S), dtype=float), T.shape).copy()


def example3_gain_data(points: int = 161) -> dict:
    r"""Example 3: agent 1's exact gain under the per-click pivot over reports (theta1', s1').

    The witness profile of the derivation: theta = (2, 1), s = (1/4, 1); the
    gain is :func:`symbolic_mech.incentives.gain` with the per-click pivot as
    agent 1's transfer.

    >>> d = example3_gain_data(points=11)
    >>> d["gain"].shape, bool(np.isfinite(d["gain"]).all())
    ((11, 11), True)
    >>> bool(d["gain"].max() > 0)
    True
    """
    from ..incentives import gain
    from ..mechanisms import CustomTransfers
    from ..paper.section5 import EXAMPLE3_REPORT, EXAMPLE3_TRUTH, IndividualRates
    from ..symbols import prime, s, theta
    g = IndividualRates(2)
    G = gain(CustomTransfers(g.env, {1: g.per_click_pivot(1)}), 1, g.estimator)
    th_values, s_values = np.linspace(0, 4, points), np.linspace(0, 2, points)
    grid = gain_grid(G, EXAMPLE3_TRUTH, th_values, s_values, prime(theta(1)), prime(s(1)))
    return {"theta": th_values, "s": s_values, "gain": grid, "truth": EXAMPLE3_TRUTH, "report": EXAMPLE3_REPORT}


def example5_gain_data(points: int = 161) -> dict:
    r"""Example 5: agent 1's exact gain over reports (theta1', s1') with the ex-post estimator.

    The witness profile of the derivation: theta = (1/2, 3/4), s = (1, 1),
    unit parameters; the gain is :func:`symbolic_mech.incentives.gain` made
    explicit with the Gaussian posterior formulas.

    >>> d = example5_gain_data(points=11)
    >>> d["gain"].shape, bool(np.isfinite(d["gain"]).all())
    ((11, 11), True)
    """
    from ..estimators import ExPost
    from ..incentives import gain
    from ..paper.section4 import example5_mechanism, example5_truth
    from ..symbols import prime, s, theta
    mech = example5_mechanism()
    info = mech.env.info
    th1p, s1p = prime(theta(1)), prime(s(1))
    G = info.explicit(gain(mech, 1, ExPost()))
    truth = example5_truth(info)
    th_values, s_values = np.linspace(-0.5, 1.5, points), np.linspace(-4, 3, points)
    return {"theta": th_values, "s": s_values, "gain": gain_grid(G, truth, th_values, s_values, th1p, s1p),
            "truth": truth, "report": {th1p: sp.Integer(0)}}


def _profile(truth, n: int = 2) -> str:
    r"""Agents 1..n's types and signals in ``truth`` as LaTeX: ``$\theta=(2,1)$, $s=(1/4,1)$``."""
    from ..symbols import s, theta

    def vector(sym):
        return "(" + ",".join(str(truth[sym(i)]) for i in range(1, n + 1)) + ")"
    return rf"$\theta={vector(theta)}$, $s={vector(s)}$"


def _landscape(data, title, th_true, s_true, report, show):
    from matplotlib.colors import TwoSlopeNorm
    fig, (ax,) = _figure(1, width=6.6, height=4.8)
    Z = data["gain"]
    span = float(np.max(np.abs(Z))) or 1.0
    mesh = ax.pcolormesh(data["theta"], data["s"], Z, cmap="RdBu_r", shading="auto",
                         norm=TwoSlopeNorm(0.0, -span, span))
    fig.colorbar(mesh, ax=ax, label="exact gain of the report over truth-telling")
    ax.contourf(data["theta"], data["s"], (Z > 1e-12).astype(float), levels=[0.5, 1.5], colors="none",
                hatches=["//"])
    ax.contour(data["theta"], data["s"], Z, levels=[0.0], colors="k", linewidths=0.8)
    ax.plot([th_true], [s_true], marker="*", ms=16, color="gold", mec="k", ls="none", label="truthful report")
    ax.plot([report[0]], [report[1]], marker="o", ms=9, color="white", mec="k", ls="none",
            label="the derivation's witness report")
    ax.set_xlabel(r"reported type $\theta_1'$")
    ax.set_ylabel(r"reported signal $s_1'$")
    ax.set_title(title, fontsize=11)
    ax.legend(loc="upper right", fontsize=9, title="hatched: deviating pays", title_fontsize=9)
    return _finish(fig, show)


def gain_landscape_example3(points: int = 161, show=None):
    r"""Example 3: agent 1's exact gain of (theta1', s1') under the per-click pivot,
    at theta = (2, 1), s = (1/4, 1); the star is the truthful report, hatching
    marks the reports that pay.

    >>> fig = gain_landscape_example3()   # doctest: +SKIP
    """
    from ..symbols import prime, s, theta
    d = example3_gain_data(points)
    t = d["truth"]
    rep = d["report"]
    return _landscape(d, f"Example 3 (per-click pivot), {_profile(t)}:\n"
                         r"a report with $\theta_1' s_1' \geq \theta_2 s_2$ wins the slot and pays",
                      float(t[theta(1)]), float(t[s(1)]),
                      (float(rep[prime(theta(1))]), float(rep[prime(s(1))])), show)


def gain_landscape_example5(points: int = 161, show=None):
    r"""Example 5: agent 1's exact gain of (theta1', s1') under the data-driven VCG
    mechanism with interdependent preferences, at theta = (1/2, 3/4), s = (1, 1);
    the star is the truthful report, hatching marks the reports that pay.

    >>> fig = gain_landscape_example5()   # doctest: +SKIP
    """
    from ..symbols import prime, s, theta
    d = example5_gain_data(points)
    t = d["truth"]
    return _landscape(d, f"Example 5 (interdependent preferences), {_profile(t)}",
                      float(t[theta(1)]), float(t[s(1)]),
                      (float(d["report"][prime(theta(1))]), float(t[s(1)])), show)


# ---------------------------------------------------------------------------
# Example 4: the Gibbs generation distribution
# ---------------------------------------------------------------------------

def gibbs_data(rewards=(1.0, 0.6, 0.2, -0.4), reference=(0.1, 0.15, 0.25, 0.5), alphas=None) -> dict:
    r"""x*(t) = x0(t) exp(c_t / alpha) / Z from :func:`symbolic_mech.llm.generation_distribution`
    for each alpha: an array of shape (len(alphas), len(rewards)).

    The default rewards put the argmax at output 1 and the reference's mode at output 4.

    >>> d = gibbs_data(alphas=[1e-2, 1.0, 1e3])
    >>> d["distribution"].shape, np.allclose(d["distribution"].sum(axis=1), 1)
    ((3, 4), True)
    >>> np.allclose(d["distribution"][-1], d["reference"], atol=1e-3)
    True
    """
    from ..llm import generation_distribution
    alphas = np.logspace(-2.5, 2.5, 201) if alphas is None else np.asarray(alphas, float)
    c, ref = np.asarray(rewards, float), np.asarray(reference, float)
    dist = np.array([generation_distribution(c, ref, float(a)).distribution for a in alphas])
    return {"alpha": alphas, "distribution": dist, "rewards": c, "reference": ref}


def gibbs_vs_alpha(rewards=(1.0, 0.6, 0.2, -0.4), reference=(0.1, 0.15, 0.25, 0.5), show=None):
    r"""Example 4: the Gibbs generation distribution over |T| = 4 outputs as alpha varies:
    the argmax of the total expected reward for small alpha, the reference x0 for large alpha.

    >>> fig = gibbs_vs_alpha()   # doctest: +SKIP
    """
    d = gibbs_data(rewards, reference)
    fig, (ax,) = _figure(1, width=7.0, height=4.4)
    a, X = d["alpha"], d["distribution"]
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:pink"]
    for t in range(X.shape[1]):
        color = colors[t % len(colors)]
        ax.semilogx(a, X[:, t], color=color, lw=2,
                    label=f"output {t + 1}: $c_{t + 1}$ = {d['rewards'][t]:g}, $x_0({t + 1})$ = {d['reference'][t]:g}")
        ax.axhline(d["reference"][t], color=color, ls=":", lw=1)
    ax.set_xlabel(r"regularization weight $\alpha$")
    ax.set_ylabel(r"$x^*(t) = x_0(t)\,e^{c_t/\alpha} / Z$")
    ax.set_ylim(-0.02, 1.02)
    ax.annotate("argmax of the total\nexpected reward", (a[0], 1.0), xytext=(4, -30), textcoords="offset points",
                fontsize=9)
    ax.annotate(r"reference $x_0$ (dotted)", (a[-1], 0.5), xytext=(-120, 10), textcoords="offset points",
                fontsize=9)
    ax.set_title(r"Example 4: the Gibbs distribution moves from the argmax ($\alpha \to 0$) "
                 r"to $x_0$ ($\alpha \to \infty$)", fontsize=11)
    ax.legend(fontsize=8.5, loc="center left")
    ax.grid(True, alpha=0.3)
    return _finish(fig, show)
