r"""Estimator models: the law of the designer's estimate given the state.

Definitions
===========

Assumption 1 of the paper gives the designer an estimator :math:`\hat\omega`
of the state :math:`\omega`, realised after the allocation and before the
payments, whose conditional law is common knowledge. Formally, an *estimator
model* is a Markov kernel

.. math::

    P(\,\hat\omega \in \cdot \mid \omega\,), \qquad \omega \in \Omega,

possibly indexed by a sample size :math:`m \in \mathbb{N}`
(:math:`\hat\omega_m`). Everything below is computed conditionally on
:math:`\omega`, and every quantity is exact:

* the moments :math:`\mu_k(\omega) = \mathbb{E}[\hat\omega^k \mid \omega]`,
  polynomials in :math:`\omega` whose coefficients may involve the model's
  parameters (:meth:`Estimator.moment`), and with them
  :math:`\mathbb{E}[g(\hat\omega) \mid \omega]` for any polynomial :math:`g`
  (:meth:`Estimator.expect`);
* the bias :math:`b(\omega) = \mathbb{E}[\hat\omega \mid \omega] - \omega`;
  the estimator is *unbiased* when :math:`b \equiv 0`, the hypothesis of
  Proposition 2;
* the mean squared error
  :math:`\mathrm{MSE}_m(\omega) = \mathbb{E}[(\hat\omega_m - \omega)^2 \mid \omega]`;
  the estimator is called *consistent* here when
  :math:`\mathrm{MSE}_m(\omega) \to 0` as :math:`m \to \infty` for every
  :math:`\omega`. Convergence in mean square implies the convergence in
  probability :math:`\hat\omega_m \to_p \omega` required by Theorem 2
  (Chebyshev's inequality), and the rate of :math:`\mathrm{MSE}_m` bounds
  the rate :math:`r_m` of Proposition 3;
* the mean absolute error :math:`\mathbb{E}|\hat\omega - \omega|`, either
  given :math:`\omega` or averaged over an agent's Gaussian posterior
  :math:`\omega \sim N(\mu, \sigma^2)`, the quantity whose supremum
  Proposition 3 requires to be finite (with :math:`r_m = 1`).

Models
======

* :class:`ExPost`: :math:`\hat\omega = \omega` (the benchmark of
  Proposition 1).
* :class:`AdditiveNoise`: :math:`\hat\omega = \omega + \eta`,
  :math:`\eta \sim N(0, v/m)`.
* :class:`SampleClickRate`: the share of clicks in :math:`m` independent
  Bernoulli(:math:`\omega`) impressions (Section 5, click-through auctions).
* :class:`BayesianShrinkage`: the posterior mean of :math:`\omega` given
  :math:`m` Gaussian signals under a Gaussian prior (footnote 16).

Examples
========

The sample click-through rate is unbiased and consistent, so Proposition 2
and Theorem 2 both apply to it:

>>> from symbolic_mech.estimators import SampleClickRate
>>> from symbolic_mech.symbols import omega_hat, m
>>> ctr = SampleClickRate(m)
>>> ctr.bias(), ctr.is_unbiased, ctr.consistent
(0, True, True)
>>> ctr.mean_squared_error()
-omega**2/m + omega/m

By Jensen's inequality unbiasedness does not carry over to non-linear
utilities: the expected square of the estimate exceeds the square of the
state.

>>> ctr.expect(omega_hat**2)
omega**2*(m - 1)/m + omega/m
"""
from __future__ import annotations

import inspect
import math
from collections.abc import Mapping

import numpy as np
import sympy as sp
from sympy.functions.combinatorial.numbers import stirling

from symbolic_mech.information import normal_moment
from symbolic_mech.symbols import m, omega, omega_hat, v
from symbolic_mech.validation import exact as _exact, integer, polynomial_coefficients, positive, real

__all__ = [
    "Estimator", "ExPost", "AdditiveNoise", "SampleClickRate",
    "BayesianShrinkage", "tau", "mu0", "sigma0", "check_estimator",
]


def check_estimator(estimator, name: str = "estimator"):
    """``estimator`` itself if it is None or an :class:`Estimator`, else a TypeError naming ``name``.

    >>> check_estimator("noise")
    Traceback (most recent call last):
    ...
    TypeError: estimator must be an Estimator (e.g. ExPost(), AdditiveNoise(v, m)) or None, got str
    """
    if estimator is not None and not isinstance(estimator, Estimator):
        raise TypeError(f"{name} must be an Estimator (e.g. ExPost(), AdditiveNoise(v, m)) or None, "
                        f"got {type(estimator).__name__}")
    return estimator

#: Standard deviation of one designer signal in :class:`BayesianShrinkage`.
tau = sp.Symbol("tau", positive=True)
#: Mean of the designer's prior in :class:`BayesianShrinkage`.
mu0 = sp.Symbol("mu0", real=True)
#: Standard deviation of the designer's prior in :class:`BayesianShrinkage`.
sigma0 = sp.Symbol("sigma0", positive=True)

_STATE_SYMBOLS = (omega, omega_hat)


# ---------------------------------------------------------------------------
# Validation of parameters
# ---------------------------------------------------------------------------

def _parameter(value, name: str) -> sp.Expr:
    x = _exact(value, name)
    if x.free_symbols & set(_STATE_SYMBOLS):
        raise ValueError(f"{name} must not depend on the state or the estimate, got {x}")
    return x


def _positive(value, name: str) -> sp.Expr:
    return positive(_parameter(value, name), name)


def _real(value, name: str) -> sp.Expr:
    return real(_parameter(value, name), name)


def _sample_size(value, name: str = "m") -> sp.Expr:
    x = _parameter(value, name)
    # A symbolic sample size must be a plain symbol: consistency is a limit
    # in that symbol, and its positivity keeps variance/m free of Abs().
    if isinstance(x, sp.Symbol) and x.is_positive and x.is_integer is not False:
        return x
    if x.is_Integer and x > 0:
        return x
    raise ValueError(
        f"{name} must be a positive integer or a sympy Symbol declared "
        f"positive, got {x}")


def _tidy(expr: sp.Expr) -> sp.Expr:
    """Collect in powers of omega with each coefficient factored."""
    expr = _exact(expr, "expr")
    if expr.is_polynomial(omega):
        poly = sp.Poly(expr, omega)
        return sp.Add(*(sp.factor(c) * omega**k for (k,), c in poly.terms()))
    return sp.cancel(expr)


def _abs_normal_mean(mean: sp.Expr, var: sp.Expr) -> sp.Expr:
    """E|X| for X ~ N(mean, var) (folded normal mean)."""
    if sp.cancel(var) == 0:
        return sp.Abs(mean)
    sd = sp.sqrt(var)
    return (sd * sp.sqrt(2 / sp.pi) * sp.exp(-mean**2 / (2 * var))
            + mean * sp.erf(mean / (sp.sqrt(2) * sd)))


# ---------------------------------------------------------------------------
# Base class
# ---------------------------------------------------------------------------

class Estimator:
    r"""The law of the designer's estimate given the state (Assumption 1).

    Subclassing (checked when an instance is built, TypeError naming what is wrong):

    * ``__init__`` calls ``super().__init__()`` and stores each parameter in
      ``self._args[name]`` as an exact sympy expression, ``name`` being a keyword
      of ``__init__`` (:meth:`subs` rebuilds the estimator as
      ``type(self)(**self._args)``);
    * ``_moment(k)`` returns E[omega_hat^k | omega] as a polynomial in ``omega``;
    * ``_draw(omega_values, rng)`` draws one omega_hat per state from the law (a
      simulation checks the moments against it);
    * optionally ``_gaussian_law()`` gives (a, b, s2) with omega_hat | omega ~
      N(a omega + b, s2), ``sample_size`` names the index m of a sequence, and
      ``state_support`` the states the law is defined for.

    Everything else is derived here from the moments.

    Examples
    ========

    >>> from symbolic_mech.estimators import AdditiveNoise
    >>> from symbolic_mech.symbols import omega_hat, m, v
    >>> est = AdditiveNoise(v, m)
    >>> est.moment(2)
    omega**2 + v/m
    >>> est.expect(3 * omega_hat - 1)
    3*omega - 1
    >>> est.parameters, est.subs({m: 100})
    ((m, v), AdditiveNoise(variance=v, m=100))

    See Also
    ========

    ExPost, AdditiveNoise, SampleClickRate, BayesianShrinkage

    References
    ==========

    Assumption 1, Proposition 2, Theorem 2 and Proposition 3 of the paper.
    """

    #: The symbol (or number) indexing the sequence of estimators, if any.
    sample_size: sp.Expr | None = None
    #: The states the law is defined for.
    state_support = sp.Interval(-sp.oo, sp.oo)

    def __init__(self) -> None:
        self._args: dict[str, sp.Expr] = {}
        self._moments: dict[int, sp.Expr] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        def checked_init(self, *args, __init=init, **kw):
            __init(self, *args, **kw)
            if type(self) is cls:
                self._check_contract()
        checked_init.__doc__, checked_init.__wrapped__ = init.__doc__, init
        cls.__init__ = checked_init

    def _check_contract(self) -> None:
        """The subclassing contract of the class docstring, checked on a new instance."""
        name = type(self).__name__
        if not isinstance(getattr(self, "_args", None), dict) or not hasattr(self, "_moments"):
            raise TypeError(f"{name}.__init__ must call super().__init__() and fill self._args")
        for method in ("_moment", "_draw"):
            if getattr(type(self), method) is getattr(Estimator, method):
                raise TypeError(f"{name} must define {method} (see the Estimator docstring)")
        keywords = inspect.signature(type(self).__init__.__wrapped__).parameters
        for key, value in self._args.items():
            if key not in keywords:
                raise TypeError(f"{name}._args[{key!r}] is not a keyword of {name}.__init__: subs() "
                                f"rebuilds the estimator as {name}(**_args)")
            if not isinstance(value, sp.Expr):
                raise TypeError(f"{name}._args[{key!r}] must be a sympy expression, got {type(value).__name__}")
        # the first moments, so that a _moment returning something else fails here, not in a proof
        for k in (0, 1, 2):
            value = self._moment(k)
            if not isinstance(value, sp.Expr):
                raise TypeError(f"{name}._moment({k}) must return a sympy expression polynomial in omega, "
                                f"got {type(value).__name__}")
            if value.has(omega_hat):
                raise ValueError(f"{name}._moment({k}) must not involve omega_hat, got {value}")
            polynomial_coefficients(value, omega, f"{name}._moment({k})")

    # -- what a subclass provides ------------------------------------------

    def _moment(self, k: int) -> sp.Expr:
        raise NotImplementedError

    def _draw(self, omega_values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def _gaussian_law(self) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
        """(a, b, s2) with omega_hat | omega ~ N(a*omega + b, s2), or None."""
        return None

    def _describe(self) -> str:
        return type(self).__name__

    # -- exact results ------------------------------------------------------

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """The free symbols of the model's parameters, sorted by name."""
        free: set[sp.Symbol] = set()
        for value in self._args.values():
            free |= value.free_symbols
        return tuple(sorted(free - set(_STATE_SYMBOLS), key=lambda s: s.name))

    def support(self) -> dict:
        """``{parameter: set or None}``; None: confined by the symbol's assumptions only
        (a sample size is a positive integer, a variance positive).

        >>> from symbolic_mech.estimators import AdditiveNoise
        >>> AdditiveNoise().support()
        {v: None}
        """
        return {p: None for p in self.parameters}

    def moment(self, k: int) -> sp.Expr:
        r"""E[omega_hat^k | omega], a polynomial in omega.

        Parameters
        ==========

        k : int
            Order of the moment, a nonnegative integer.
        """
        k = integer(k, "k")
        if k not in self._moments:
            self._moments[k] = _tidy(self._moment(k))
        return self._moments[k]

    def expect(self, g: sp.Expr) -> sp.Expr:
        r"""E[g(omega_hat) | omega] for g polynomial in omega_hat.

        The coefficients of g may involve omega and any other symbol; they are
        treated as constants given omega.

        Parameters
        ==========

        g : sympy.Expr
            A polynomial in :data:`~symbolic_mech.symbols.omega_hat`. Strings
            are rejected, never parsed.
        """
        if not isinstance(g, sp.Expr):
            raise TypeError(
                f"g must be a sympy expression polynomial in omega_hat, "
                f"got {type(g).__name__}")
        coeffs = polynomial_coefficients(g, omega_hat, "g")
        return sp.Add(*(c * self.moment(k) for k, c in coeffs.items()))

    def bias(self) -> sp.Expr:
        """E[omega_hat | omega] - omega."""
        return sp.factor(sp.cancel(sp.expand(self.moment(1) - omega)))

    @property
    def is_unbiased(self) -> bool:
        """True iff the bias is identically zero in omega and the parameters.

        False means the bias is not the zero function; it may still vanish at
        particular values (e.g. at omega = mu0 for :class:`BayesianShrinkage`).
        """
        return sp.expand(self.bias()) == 0

    def mean_squared_error(self) -> sp.Expr:
        """E[(omega_hat - omega)^2 | omega]."""
        return _tidy(self.expect((omega_hat - omega)**2))

    @property
    def consistent(self) -> bool | None:
        """Whether the mean squared error tends to 0 as the sample size grows.

        An estimator whose sample size is a number (or which has none) is a
        constant sequence, so it is consistent exactly when its mean squared
        error is identically 0. Returns None when sympy cannot decide.
        """
        mse = self.mean_squared_error()
        if isinstance(self.sample_size, sp.Symbol):
            try:
                limit = sp.limit(mse, self.sample_size, sp.oo)
            except (NotImplementedError, ValueError):
                return None
        else:
            limit = mse
        if isinstance(limit, sp.Limit):
            return None
        limit = sp.cancel(sp.expand(limit))
        if limit == 0:
            return True
        if limit.is_zero is False:
            return False
        # A nonzero polynomial in omega is nonzero for some state, and
        # consistency must hold at every state.
        if limit.is_polynomial(omega) and any(
                c.is_zero is False for c in sp.Poly(limit, omega).coeffs()):
            return False
        return None

    def abs_error_mean(self, posterior_mean=None, posterior_var=None) -> sp.Expr:
        r"""E|omega_hat - omega|, given omega or under omega ~ N(mean, var).

        With both arguments None the result is conditional on omega. Otherwise
        omega is drawn from the agent's posterior N(posterior_mean,
        posterior_var) and the result is unconditional. When
        omega_hat - omega ~ N(a, b^2),
        E|omega_hat - omega| = b sqrt(2/pi) exp(-a^2/(2 b^2)) + a erf(a/(sqrt(2) b)).

        Raises NotImplementedError for models whose error is not Gaussian.
        """
        law = self._gaussian_law()
        if law is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no closed form for E|omega_hat - omega|")
        slope, intercept, var = law
        if (posterior_mean is None) != (posterior_var is None):
            raise ValueError(
                "posterior_mean and posterior_var must be given together or not at all")
        if posterior_mean is None:
            err_mean = (slope - 1) * omega + intercept
            err_var = var
        else:
            pm = _real(posterior_mean, "posterior_mean")
            pv = _positive(posterior_var, "posterior_var")
            err_mean = (slope - 1) * pm + intercept
            err_var = (slope - 1)**2 * pv + var
        return _abs_normal_mean(sp.factor(sp.cancel(err_mean)),
                                sp.factor(sp.cancel(err_var)))

    # -- parameters and simulation -------------------------------------------

    def subs(self, mapping: Mapping) -> "Estimator":
        """A new estimator of the same kind with parameters substituted.

        The result is validated like a newly constructed one, so for instance
        substituting 0 for the sample size raises ValueError.
        """
        if not isinstance(mapping, Mapping):
            raise TypeError(
                f"mapping must be a dict of symbol -> value, got {type(mapping).__name__}")
        clean = {}
        for key, value in mapping.items():
            if not isinstance(key, sp.Symbol):
                raise TypeError(
                    f"mapping keys must be sympy Symbols, got {type(key).__name__}")
            if key in _STATE_SYMBOLS:
                raise ValueError(
                    f"mapping must not substitute {key}: it is not a parameter")
            clean[key] = _exact(value, f"mapping[{key}]")
        return type(self)(**{name: value.subs(clean, simultaneous=True)
                             for name, value in self._args.items()})

    def sample(self, omega_values, rng: np.random.Generator,
               params: Mapping | None = None) -> np.ndarray:
        """One draw of omega_hat for each entry of ``omega_values``.

        Parameters
        ==========

        omega_values : array_like
            States; the result has the same shape.
        rng : numpy.random.Generator
            Source of randomness.
        params : dict, optional
            Values (symbol -> number) for every symbol in :attr:`parameters`.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        params = {} if params is None else params
        if not isinstance(params, Mapping):
            raise TypeError(
                f"params must be a dict of symbol -> number, got {type(params).__name__}")
        missing = [s.name for s in self.parameters if s not in params]
        if missing:
            raise ValueError(f"params is missing values for {', '.join(missing)}")
        numeric = self.subs({s: params[s] for s in self.parameters})
        values = np.asarray(omega_values, dtype=float)
        if not np.all(np.isfinite(values)):
            raise ValueError("omega_values must be finite")
        return numeric._draw(values, rng)

    def _float(self, name: str) -> float:
        return float(self._args[name])

    # -- identity and display -----------------------------------------------

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._args == other._args

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self._args.items())))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={sp.sstr(val)}" for k, val in self._args.items())
        return f"{type(self).__name__}({inner})"

    def __str__(self) -> str:
        return self._describe()


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

class ExPost(Estimator):
    r"""The designer observes the state itself: omega_hat = omega.

    The benchmark of Proposition 1; trivially unbiased and consistent.

    Examples
    ========

    >>> from symbolic_mech.estimators import ExPost
    >>> est = ExPost()
    >>> est.moment(3), est.bias(), est.is_unbiased, est.consistent
    (omega**3, 0, True, True)
    >>> est.abs_error_mean()
    0
    >>> print(est)
    ex-post estimator: omega_hat = omega
    """

    def __init__(self) -> None:
        super().__init__()

    def _moment(self, k: int) -> sp.Expr:
        return omega**k

    def _gaussian_law(self):
        return sp.Integer(1), sp.Integer(0), sp.Integer(0)

    def _draw(self, omega_values, rng):
        return omega_values.copy()

    def _describe(self) -> str:
        return "ex-post estimator: omega_hat = omega"


class AdditiveNoise(Estimator):
    r"""Gaussian measurement error: omega_hat = omega + eta, eta ~ N(0, variance/m).

    Think of the average of m independent measurements with variance
    ``variance`` each. Unbiased; consistent when m is the symbolic sample size.
    The moments follow from the binomial theorem,
    E[(omega + eta)^k] = sum_j C(k, j) omega^(k-j) E[eta^j], with
    E[eta^j] = (j-1)!! (variance/m)^(j/2) for even j and 0 for odd j.

    Parameters
    ==========

    variance : positive number or sympy expression
        Variance of one measurement (default: the symbol ``v``).
    m : positive int or positive sympy Symbol
        Number of measurements averaged (default 1).

    Examples
    ========

    >>> from symbolic_mech.estimators import AdditiveNoise
    >>> from symbolic_mech.symbols import m, v
    >>> est = AdditiveNoise(v, m)
    >>> est.moment(4)
    omega**4 + 6*omega**2*v/m + 3*v**2/m**2
    >>> est.is_unbiased, est.consistent, AdditiveNoise(v).consistent
    (True, True, False)
    >>> est.abs_error_mean()
    sqrt(2)*sqrt(v)/(sqrt(pi)*sqrt(m))
    >>> print(est)
    additive-noise estimator: omega_hat = omega + eta, eta ~ N(0, v/m)
    """

    def __init__(self, variance=v, m=1) -> None:
        super().__init__()
        self._args = {"variance": _positive(variance, "variance"),
                      "m": _sample_size(m, "m")}
        self.sample_size = self._args["m"]

    @property
    def noise_var(self) -> sp.Expr:
        """Variance of eta, variance/m."""
        return self._args["variance"] / self._args["m"]

    def _moment(self, k: int) -> sp.Expr:
        return normal_moment(k, omega, self.noise_var)

    def _gaussian_law(self):
        return sp.Integer(1), sp.Integer(0), self.noise_var

    def _draw(self, omega_values, rng):
        sd = math.sqrt(self._float("variance") / self._float("m"))
        return omega_values + rng.normal(0.0, sd, size=omega_values.shape)

    def _describe(self) -> str:
        return ("additive-noise estimator: omega_hat = omega + eta, "
                f"eta ~ N(0, {sp.sstr(self.noise_var)})")


class SampleClickRate(Estimator):
    r"""The observed click-through rate: clicks in m Bernoulli(omega) impressions, over m.

    With X ~ Binomial(m, omega), omega_hat = X/m. The moments come from the
    factorial moments of the binomial, E[X(X-1)...(X-j+1)] = m(m-1)...(m-j+1)
    omega^j, and Stirling numbers of the second kind,
    E[X^k] = sum_j S(k, j) m(m-1)...(m-j+1) omega^j. This is valid for a
    symbolic m. The estimator is unbiased and consistent (Section 5).

    :meth:`abs_error_mean` is an exact finite sum in omega,
    sum_x C(m, x) omega^x (1-omega)^(m-x) |x/m - omega|, for a numeric m
    (substitute a number for omega to evaluate it); with a symbolic m, or
    averaged over a Gaussian posterior (which puts mass outside [0, 1]), it
    raises NotImplementedError.

    Parameters
    ==========

    m : positive int or positive sympy Symbol
        Number of impressions (default: the symbol ``m``).

    Examples
    ========

    >>> from symbolic_mech.estimators import SampleClickRate
    >>> from symbolic_mech.symbols import m, omega
    >>> est = SampleClickRate(m)
    >>> est.moment(3)
    omega**3*(m - 2)*(m - 1)/m**2 + 3*omega**2*(m - 1)/m**2 + omega/m**2
    >>> est.is_unbiased, est.consistent
    (True, True)
    >>> from sympy import Rational
    >>> SampleClickRate(2).abs_error_mean().subs(omega, Rational(1, 2))
    1/4
    >>> print(est)
    sample click-through rate: omega_hat = (clicks in m Bernoulli(omega) impressions)/m
    """

    #: a click-through rate
    state_support = sp.Interval(0, 1)

    def __init__(self, m=m) -> None:
        super().__init__()
        self._args = {"m": _sample_size(m, "m")}
        self.sample_size = self._args["m"]

    def _moment(self, k: int) -> sp.Expr:
        n = self._args["m"]
        raw = sp.Add(*(stirling(k, j) * sp.ff(n, j) * omega**j for j in range(k + 1)))
        return sp.expand(raw) / n**k

    def abs_error_mean(self, posterior_mean=None, posterior_var=None) -> sp.Expr:
        """Exact finite sum for numeric m, conditional on omega (see class docstring)."""
        if posterior_mean is not None or posterior_var is not None:
            raise NotImplementedError(
                "SampleClickRate: omega is a probability, so a Gaussian posterior "
                "over it is not supported; call abs_error_mean() for the "
                "conditional value and average it over your posterior")
        n = self._args["m"]
        if not n.is_Integer:
            raise NotImplementedError(
                "SampleClickRate.abs_error_mean needs a numeric m; "
                "use subs({m: <int>}) first")
        n = int(n)
        return sp.Add(*(sp.binomial(n, x) * omega**x * (1 - omega)**(n - x)
                        * sp.Abs(sp.Rational(x, n) - omega) for x in range(n + 1)))

    def _draw(self, omega_values, rng):
        if np.any((omega_values < 0) | (omega_values > 1)):
            raise ValueError("omega_values must be click-through rates in [0, 1]")
        n = int(self._args["m"])
        return rng.binomial(n, omega_values) / n

    def _describe(self) -> str:
        return (f"sample click-through rate: omega_hat = (clicks in "
                f"{sp.sstr(self._args['m'])} Bernoulli(omega) impressions)/"
                f"{sp.sstr(self._args['m'])}")


class BayesianShrinkage(Estimator):
    r"""The designer's posterior mean after m Gaussian signals (footnote 16).

    The designer observes rho_l = omega + eta_l, eta_l ~ N(0, noise_var) iid,
    l = 1..m, and reports E[omega | rho_1..rho_m] under the prior
    N(prior_mean, prior_var):
    omega_hat = w * rho_bar + (1 - w) * prior_mean with
    w = m prior_var / (noise_var + m prior_var). Hence

        omega_hat | omega ~ N(w omega + (1 - w) prior_mean, w^2 noise_var / m):

    biased towards the prior mean, but consistent since w -> 1.

    Parameters
    ==========

    m : positive int or positive sympy Symbol
        Number of signals (default: the symbol ``m``).
    noise_var : positive number or expression
        Variance of one signal (default ``tau**2``).
    prior_mean : real number or expression
        The designer's prior mean (default ``mu0``); pass the agents' prior
        mean symbol to model a designer who shares their prior.
    prior_var : positive number or expression
        The designer's prior variance (default ``sigma0**2``).

    Examples
    ========

    >>> from symbolic_mech.estimators import BayesianShrinkage
    >>> from symbolic_mech.symbols import m
    >>> est = BayesianShrinkage(m)
    >>> est.bias()
    tau**2*(mu0 - omega)/(m*sigma0**2 + tau**2)
    >>> est.is_unbiased, est.consistent
    (False, True)
    >>> est.mean_squared_error().factor()
    tau**2*(m*sigma0**4 + mu0**2*tau**2 - 2*mu0*omega*tau**2 + omega**2*tau**2)/(m*sigma0**2 + tau**2)**2

    A designer sharing the agents' prior N(mu, sigma**2), with unit-variance
    signals:

    >>> from sympy import Symbol
    >>> mu, sigma = Symbol('mu', real=True), Symbol('sigma', positive=True)
    >>> BayesianShrinkage(m, noise_var=1, prior_mean=mu, prior_var=sigma**2).bias()
    (mu - omega)/(m*sigma**2 + 1)
    >>> print(est)
    Bayesian posterior-mean estimator from m signals omega + N(0, tau**2), prior N(mu0, sigma0**2)
    """

    def __init__(self, m=m, noise_var=None, prior_mean=None, prior_var=None) -> None:
        super().__init__()
        self._args = {
            "m": _sample_size(m, "m"),
            "noise_var": _positive(tau**2 if noise_var is None else noise_var, "noise_var"),
            "prior_mean": _real(mu0 if prior_mean is None else prior_mean, "prior_mean"),
            "prior_var": _positive(sigma0**2 if prior_var is None else prior_var, "prior_var"),
        }
        self.sample_size = self._args["m"]

    @property
    def weight(self) -> sp.Expr:
        """w = m prior_var / (noise_var + m prior_var), the weight on the data."""
        a = self._args
        return a["m"] * a["prior_var"] / (a["noise_var"] + a["m"] * a["prior_var"])

    def _gaussian_law(self):
        w = self.weight
        a = self._args
        return (w, (1 - w) * a["prior_mean"],
                sp.cancel(w**2 * a["noise_var"] / a["m"]))

    def _moment(self, k: int) -> sp.Expr:
        slope, intercept, var = self._gaussian_law()
        return normal_moment(k, slope * omega + intercept, var)

    def _draw(self, omega_values, rng):
        n = self._float("m")
        nv, pm, pv = (self._float(k) for k in ("noise_var", "prior_mean", "prior_var"))
        # rho_bar is sufficient for the m signals, and the posterior mean in
        # precision form is Bayes' rule itself rather than the weight w.
        rho_bar = omega_values + rng.normal(0.0, math.sqrt(nv / n), size=omega_values.shape)
        return (pm / pv + n * rho_bar / nv) / (1 / pv + n / nv)

    def _describe(self) -> str:
        a = {k: sp.sstr(val) for k, val in self._args.items()}
        return (f"Bayesian posterior-mean estimator from {a['m']} signals "
                f"omega + N(0, {a['noise_var']}), prior N({a['prior_mean']}, {a['prior_var']})")
