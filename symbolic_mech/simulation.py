"""Monte Carlo from the model's definition: the cross-checks that are independent of the formulas.

A posterior expectation ``E_{omega|s} E_{omega_hat|omega}[f]`` is simulated by
drawing omega from the prior, weighting each draw by the likelihood of the
observed signals (self-normalized importance weights), and drawing omega_hat
from the estimator's law given omega (:class:`ModelSampler`); a moment of the
estimator, ``E[g(omega_hat) | omega]``, by drawing omega_hat from its law
(:class:`LawSampler`).  The draws use neither the posterior formulas nor the
estimator's moment formulas, which are what the simulations check; a quantity the
mechanism itself computes from a posterior (a pivot built from E[omega | s_-i])
enters the simulated payoff through its formula, as the mechanism would compute it.  A sampler returns
``(draws, weights)``; the kernel reads the effective sample size from the
weights (:func:`symbolic_mech.core.kernel.monte_carlo_agrees`), and proposes
points of the model where the simulation has power (:meth:`ModelSampler.points`).

Each sampler states what it simulates as data (:meth:`ModelSampler.statement`: the model's
state given which signals, the signals redrawn, auxiliary uniforms, the estimator's law as a
record, the integrand as a tree); the kernel puts that record into the formal statement, and
the draws themselves come from the trust root's :mod:`symbolic_mech.core.simulate` with the
model's record, so the independent checker re-runs a saved run's simulations from the statement
and the seeds alone.  A model or an estimator with no record there (a structure the checker has
no rule for, an estimator of your own) is simulated here, by the structure's
``simulate_posterior`` and the estimator's ``sample``; its statement says the expectation is
replayed in process only.

>>> import numpy as np
>>> from symbolic_mech import GaussianSignals
>>> from symbolic_mech.symbols import omega
>>> g = GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1)
>>> draws, w = ModelSampler(g, omega)({g.s[0]: 2}, np.random.default_rng(0))
>>> round(float(w @ draws / w.sum()), 2)      # E[omega | s1 = 2] = 1
1.0
"""
from __future__ import annotations

import math
import random
from functools import lru_cache
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .core import simulate
from .core.domains import sample_point
from .core.kernel import _definition_table, point_evaluator
from .core.posteriors import posterior_atom
from .core.trees import to_tree
from .estimators import AdditiveNoise, BayesianShrinkage, ExPost, SampleClickRate
from .symbols import omega, omega_hat

__all__ = ["ModelSampler", "LawSampler", "expectation_sampler", "typical_value", "law_record"]


def law_record(estimator) -> dict | None:
    """The estimator's law given omega as data (:mod:`symbolic_mech.core.simulate`), or None
    for a law with no record there (an estimator of your own, a subclass that may draw
    otherwise).

    >>> from symbolic_mech.symbols import m, v
    >>> law_record(AdditiveNoise(v, m))
    {'law': 'additive-noise', 'variance': ['Symbol', 'v'], 'm': ['Symbol', 'm']}
    """
    kind = {ExPost: "ex-post", AdditiveNoise: "additive-noise", SampleClickRate: "sample-click-rate",
            BayesianShrinkage: "bayesian-shrinkage"}.get(type(estimator))
    if kind is None:
        return None
    return {"law": kind, **{k: to_tree(estimator._args[k]) for k in simulate.LAWS[kind]}}


def _names(point) -> dict:
    """A point ``{Symbol: Rational}`` as the trust root reads it: ``{name: Fraction}``."""
    out = {}
    for sym, q in point.items():
        q = sp.Rational(q)
        out[sym.name] = Fraction(int(q.p), int(q.q))
    return out


class _Stated:
    """What a sampler states as data, and the draws from :mod:`symbolic_mech.core.simulate`."""

    def _record(self) -> dict | None:
        raise NotImplementedError

    def _explicit(self):
        return None

    def _model(self):
        return None

    def statement(self) -> dict | None:
        """The expectation record for the formal statement, or None where it is not data."""
        if "_stated" not in self.__dict__:
            try:
                record = self._record()
                if record is not None:
                    simulate.check_record(record, self._model())
            except (TypeError, ValueError):      # a node the trees do not write, a model without a rule
                record = None
            self._stated = record
        return self._stated

    def description(self) -> str:
        """Why the expectation is not stated as data (for the statement's ``in_process``)."""
        est = getattr(self, "estimator", None)
        if est is not None and law_record(est) is None:
            return f"{type(self).__name__}: the estimator {type(est).__name__} has no law record"
        info = getattr(self, "info", None)
        if info is not None and info.record() is None:
            return f"{type(self).__name__}: the information structure has no record for the checker"
        return f"{type(self).__name__}: the integrand is not written as a tree"

    def definitions(self) -> list:
        """[(atom, formula)]: the model's named functions the integrand reaches (posterior
        atoms are the model's: the checker rebuilds them)."""
        if "_table" not in self.__dict__:
            table = _definition_table(self.integrand, self._explicit())
            self._table = [(a, f) for a, f in table if posterior_atom(to_tree(a)) is None]
        return self._table

    def _simulation(self):
        if "_sim" not in self.__dict__:
            defs = [{"atom": to_tree(a), "formula": to_tree(f)} for a, f in self.definitions()]
            self._sim = simulate.Simulation(self._model(), defs, self.statement())
        return self._sim

    def _draw(self, point, rng):
        return self._simulation().sample(_names(point), rng, self.size)

    def point_mass(self, point):
        """Every draw's exact value where the stated law is a point mass at ``point`` (no signal
        redrawn, no uniform, omega_hat = omega or none, omega fixed or of posterior variance exactly
        0, as in the wallet given every signal), else None; Monte Carlo there is decided exactly.

        >>> from symbolic_mech.estimators import ExPost
        >>> LawSampler(ExPost(), omega_hat ** 2).point_mass({omega: sp.Rational(1, 3)})
        1/9
        """
        record = self.statement()
        if record is None or record["redrawn"] or record["uniform"] \
                or record["estimator"] not in (None, {"law": "ex-post"}):
            return None
        value = point_evaluator(point, self._explicit())
        if record["state"] == "fixed":
            state = point.get(omega)
        elif self._model()["structure"] in ("gaussian", "beta-bernoulli", "wallet") \
                and value(self._posterior(record["given"])[1]) == 0:
            state = value(self._posterior(record["given"])[0])
        else:
            return None
        if state is None or not state.is_Rational:
            return None
        out = point_evaluator({**point, omega: state, omega_hat: state}, self._explicit())(self.integrand)
        return out if out is not None and out.is_Rational else None


    def _posterior(self, given):
        """(mean, variance) of omega given the signals of ``given``, in the model's cheapest form
        (precision sums for Gaussian signals: linear in n, where the single fraction is not)."""
        cheap = getattr(self.info, "_mean_var", None)
        if cheap is not None:
            return cheap(given)
        return self.info.posterior_mean(given), self.info.posterior_var(given)


def _draw_values(info, point, w, what):
    """``ev(expr)``: expr at the point, as an array over draws w of omega and what of omega_hat.

    One walk, each shared subtree once (across every expression evaluated at
    this point): parts free of the draws are exact fractions, each posterior
    atom through its formula (:func:`point_evaluator`), the rest numpy arrays;
    the explicit expression is never built.
    """
    draws = (info.omega, omega_hat)
    memo: dict = {info.omega: w, omega_hat: what}
    exact = point_evaluator(point, info.explicit)

    def fixed(e):
        val = exact(e)
        if val is None or not val.is_number:
            raise ValueError(f"{e} is not a number at the point")
        return Fraction(int(val.p), int(val.q)) if val.is_Rational else float(val)

    def ev(e):
        if e in memo:
            return memo[e]
        if e.is_Rational:
            val = Fraction(int(e.p), int(e.q))
        elif e.is_Symbol or isinstance(e, AppliedUndef):
            val = fixed(e)
        elif e.is_Add or e.is_Mul:
            parts = [ev(a) for a in e.args]
            if not all(isinstance(q, Fraction) for q in parts):
                parts = [float(q) if isinstance(q, Fraction) else q for q in parts]
            val = parts[0]
            for q in parts[1:]:
                val = val + q if e.is_Add else val * q
        elif e.is_Pow and e.exp.is_Integer:
            val = ev(e.base) ** int(e.exp)
        elif not e.has(*draws):
            val = fixed(e)
        else:
            raise ValueError(f"no numeric rule for {e.func} of the draws")
        memo[e] = val
        return val
    return ev


def typical_value(dom, rnd: random.Random, point=None, sample_size: bool = False):
    """A moderate member of a parameter's domain (a variance near 1, a few impressions; an
    estimator's sample size 20..60), where a simulation of the model has a useful effective
    sample size; None if the domain has none."""
    d = dom.at(point or {})
    if not d.integer and d.lo is not None and d.hi is not None:
        return d.sample(rnd)
    pool = _typical_pool(d, sample_size)
    return rnd.choice(pool) if pool else None


@lru_cache(maxsize=256)
def _typical_pool(d, sample_size: bool) -> list:
    """The moderate members of a domain, in order (asked at every point of every simulation)."""
    if d.integer:
        pool = [sp.Integer(k) for k in (range(20, 61) if sample_size else range(1, 9))]
    elif d.lo is not None and d.lo >= 0:
        pool = [sp.Rational(k, 4) for k in range(2, 9)]
    else:
        pool = [sp.Rational(k, 4) for k in range(-4, 5)]
    return [q for q in pool if d.contains(q)]


class ModelSampler(_Stated):
    """Monte Carlo of ``E_{omega|s_G} E_{s_R|omega} E_u E_{omega_hat|omega}[sum sign * expr]``
    from the model's definition.

    A call ``sampler(point, rng)`` returns ``(draws, weights)``: omega drawn from the
    prior, weighted by the likelihood of the signals of ``given`` (default: every agent) at
    the point, the signals of ``redrawn`` drawn given omega, the names in ``uniform`` drawn
    from U(0, 1), omega_hat from ``estimator``'s law given omega, and each expr evaluated at
    the draws.  No posterior formula is used for the draws, so the simulation checks them.
    :meth:`statement` is all of that as data (see :mod:`symbolic_mech.core.simulate`).

    :meth:`points` proposes profiles the model makes likely (moderate parameters,
    signals drawn from the model), where the weights keep a useful effective
    sample size.
    """

    def __init__(self, info, terms, estimator=None, size: int = 100_000, *, given=None, redrawn=(),
                 uniform=()):
        self.info, self.estimator, self.size = info, estimator, size
        self.terms = [(1, terms)] if isinstance(terms, sp.Expr) else list(terms)
        self.given = tuple(range(1, info.n + 1)) if given is None else tuple(sorted(given))
        self.redrawn, self.uniform = tuple(sorted(redrawn)), tuple(uniform)
        # the sum as written (not simplified: the draws are the terms' own)
        parts = [e if sign == 1 else sp.Mul(sign, e, evaluate=False) for sign, e in self.terms]
        self.integrand = parts[0] if len(parts) == 1 else sp.Add(*parts, evaluate=False)

    def _model(self):
        return self.info.record()

    def _explicit(self):
        return self.info.explicit

    def _record(self):
        law = law_record(self.estimator)
        if self.estimator is None and self.integrand.has(omega_hat):
            law = {"law": "ex-post"}        # the estimate is the state itself
        if self.info.record() is None or (self.estimator is not None and law is None):
            return None
        return {"state": "posterior", "given": list(self.given), "redrawn": list(self.redrawn),
                "uniform": list(self.uniform), "estimator": law, "integrand": to_tree(self.integrand)}

    def __call__(self, point, rng):
        if self.statement() is not None:
            return self._draw(point, rng)
        if self.redrawn or self.uniform:
            raise ValueError("redrawn signals and uniforms are simulated from a model's record only")
        w, weights = self.info.simulate_posterior(point, self.size, rng, given=self.given)
        what = w if self.estimator is None else self.estimator.sample(w, rng, params=point)
        ev = _draw_values(self.info, point, w, what)
        total = np.zeros(self.size)
        for sign, e in self.terms:
            total = total + sign * np.broadcast_to(np.asarray(ev(e), dtype=float), (self.size,))
        return total, weights

    def points(self, doms, rnd: random.Random):
        """Points of ``doms`` with moderate parameters and the signals drawn from the model."""
        params = set(self.info.parameters) | set(getattr(self.estimator, "parameters", ()))
        rng = np.random.default_rng(rnd.randrange(2 ** 32))
        for _ in range(40):
            pt = sample_point(doms, rnd)
            for sym in sorted(params & set(pt), key=str):
                q = typical_value(doms[sym], rnd, pt, sym == getattr(self.estimator, "sample_size", None))
                if q is not None:
                    pt[sym] = q
            try:
                pt = self.info.typical_point(pt, rng)
            except (NotImplementedError, ValueError):
                return
            if self.has_power(pt):
                yield {k: q for k, q in pt.items() if k in doms}

    PILOT = 20_000

    def has_power(self, pt) -> bool:
        """Whether the likelihood weights at ``pt`` promise an effective sample size of at least
        :data:`~symbolic_mech.core.kernel.MC_MIN_SAMPLES` in ``size`` draws (with many signals the
        posterior is narrow and most profiles fall short: the integrand is then not drawn
        there): by the structure's expected fraction
        (:meth:`~symbolic_mech.information.InformationStructure.weight_efficiency`), else by a
        pilot of the weights alone.  Only chooses where to simulate; the kernel's rule decides
        at the points chosen."""
        from .core.kernel import MC_MIN_SAMPLES
        try:
            fraction = self.info.weight_efficiency(pt, given=self.given)
            if fraction is None:
                _, w = self.info.simulate_posterior(pt, self.PILOT, np.random.default_rng(0), given=self.given)
                w = np.asarray(w, dtype=float)
                total = float(w.sum())
                fraction = total * total / float((w * w).sum()) / self.PILOT
        except (NotImplementedError, ValueError, TypeError, KeyError, ZeroDivisionError, OverflowError):
            return True
        if not math.isfinite(fraction):
            return True
        return fraction * self.size >= MC_MIN_SAMPLES


def expectation_sampler(info, terms, estimator=None, size: int = 100_000, **kw) -> ModelSampler:
    """A :class:`ModelSampler` of sum(sign * expr); ``terms`` is an expression or a list of
    ``(sign, expr)``, each a function of omega and omega_hat with every other symbol fixed
    by the point (``given``, ``redrawn``, ``uniform``: see :class:`ModelSampler`)."""
    return ModelSampler(info, terms, estimator, size, **kw)



class LawSampler(_Stated):
    """Monte Carlo of ``E[g(omega, omega_hat) | omega]`` from the estimator's law (the state
    fixed by the point).

    >>> import numpy as np
    >>> from symbolic_mech.estimators import SampleClickRate
    >>> from symbolic_mech.symbols import m, omega, omega_hat
    >>> draws, w = LawSampler(SampleClickRate(m), omega_hat)({omega: sp.Rational(1, 4), m: 50},
    ...                                                     np.random.default_rng(0))
    >>> abs(float(draws.mean()) - 0.25) < 0.01
    True
    """

    def __init__(self, estimator, g, size: int = 100_000):
        self.estimator, self.size, self.expr = estimator, size, g
        self.integrand = g

    def _record(self):
        law = law_record(self.estimator)
        if law is None:
            return None
        return {"state": "fixed", "given": [], "redrawn": [], "uniform": [], "estimator": law,
                "integrand": to_tree(self.expr)}

    def __call__(self, point, rng):
        if self.statement() is not None:
            return self._draw(point, rng)
        state = float(point[omega])
        what = self.estimator.sample(np.full(self.size, state), rng, params=point)
        rest = {k: q for k, q in point.items() if k not in (omega, omega_hat)}
        f = sp.lambdify((omega, omega_hat), self.expr.xreplace(rest), "numpy")
        return np.broadcast_to(np.asarray(f(state, what), dtype=float), (self.size,)), np.ones(self.size)

    def points(self, doms, rnd: random.Random):
        """Points with moderate parameters (a sample size of 20..60)."""
        for _ in range(40):
            pt = sample_point(doms, rnd)
            for sym in sorted(set(self.estimator.parameters) & set(pt), key=str):
                q = typical_value(doms[sym], rnd, pt, sym == self.estimator.sample_size)
                if q is not None:
                    pt[sym] = q
            yield pt
