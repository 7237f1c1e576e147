r"""Information structures: a state, a prior, private signals and posteriors.

Definitions
===========

Agents are ``N = {1, ..., n}``. An *information structure* is a joint law
of a payoff-relevant state ``omega`` and private signals
``s = (s_1, ..., s_n)``:

* ``omega ~ P`` (the common prior);
* agent ``i`` privately observes the signal ``s_i``; unless a structure says
  otherwise the signals are independent conditional on ``omega``.

For a set ``G`` of agents whose signals are known, the *posterior given
s_G* is the conditional law of ``omega`` given ``(s_j)_{j in G}``. In the
paper's notation ``E_{omega|s}[.]`` is the case ``G = N``,
``E_{omega|s_j}[.]`` the case ``G = {j}`` and ``G`` empty is the prior.
Every structure here returns the posterior moments

    E[omega^k | s_G]

as sympy expressions in the signal symbols ``s_j`` (``j`` in ``G``) and the
structure's parameters, so that identities such as the expected transfers of
Example 2 can be checked symbolically. An expectation of a polynomial in
``omega`` follows by linearity: ``E[sum_k c_k omega^k | s_G] =
sum_k c_k E[omega^k | s_G]``.

The structures:

``GaussianSignals``
    ``omega ~ N(mu, sigma^2)``, ``s_i = omega + eps_i`` with independent
    ``eps_i ~ N(0, sigma_i^2)`` (Example 1 and footnote 9). With precisions
    ``lambda_0 = 1/sigma^2`` and ``lambda_i = 1/sigma_i^2`` the posterior
    given ``s_G`` is normal with variance
    ``1/(lambda_0 + sum_{i in G} lambda_i)`` and mean
    ``(lambda_0 mu + sum_{i in G} lambda_i s_i)/(lambda_0 + sum_{i in G} lambda_i)``.
``BetaBernoulliClicks``
    A common click-through rate ``omega ~ Beta(a, b)``; agent ``i`` saw
    ``s_i ~ Binomial(k_i, omega)`` clicks in ``k_i`` private impressions
    (Section 5.1, Corollary 2). The posterior given ``s_G`` is
    ``Beta(a + sum_{i in G} s_i, b + sum_{i in G} (k_i - s_i))``.
``WalletSignals``
    The wallet model of footnote 8: ``omega = s_1 + ... + s_n`` with
    independent ``s_i ~ N(mu_i, tau_i^2)``. Given all signals the state is
    known; given ``s_G`` it is ``sum_{i in G} s_i`` plus an independent
    ``N(sum_{i not in G} mu_i, sum_{i not in G} tau_i^2)``.
``KnownRates``
    Individual click-through rates ``omega = (omega_1, ..., omega_n)`` with
    ``omega_i = s_i``: each agent knows her own rate (Example 3).

The moments of a normal law ``N(m, V)`` used throughout are

    E[omega^k] = sum_{j even, j <= k} C(k, j) m^(k-j) V^(j/2) (j-1)!!.

Examples
========

The posterior mean of Example 1 with two agents:

>>> from symbolic_mech.information import GaussianSignals
>>> from symbolic_mech.symbols import omega, s
>>> g = GaussianSignals(2)
>>> g
GaussianSignals(n=2): omega ~ N(mu, sigma**2), s_i = omega + eps_i, eps_i ~ N(0, sigma_i**2) independent
>>> g.posterior_mean((2,))
(mu*sigma2**2 + s2*sigma**2)/(sigma**2 + sigma2**2)

With standard normal prior and noise, the quadratic-loss gain of Example 2,
``E[(E[omega|s_2] - omega)^2 - (E[omega|s] - omega)^2 | s]``, is the squared
difference of the two posterior means:

>>> g = GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1)
>>> m, m2 = g.posterior_mean(), g.posterior_mean((2,))
>>> g.expect((m2 - omega)**2 - (m - omega)**2).factor()
(2*s1 - s2)**2/36
>>> ((m - m2)**2).factor()
(2*s1 - s2)**2/36
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.polys.polyerrors import BasePolynomialError

from symbolic_mech.validation import (exact as _exact, integer as _integer, polynomial_coefficients,
                                      positive as _positive, real as _real)
from symbolic_mech.core.domains import Domain
from symbolic_mech.core.trees import to_tree
from symbolic_mech.symbols import check_agent, omega as _omega, s as _signal

__all__ = [
    "InformationStructure",
    "GaussianSignals",
    "BetaBernoulliClicks",
    "WalletSignals",
    "KnownRates",
    "normal_moment",
]


# ---------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------

def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _per_agent(value, n: int, name: str, default, convert) -> tuple:
    """Expand a scalar, a length-n sequence or None into n parameters."""
    if value is None:
        return tuple(default(i) for i in range(1, n + 1))
    if _is_sequence(value):
        if len(value) != n:
            raise ValueError(f"{name} must be a scalar or a sequence of length "
                             f"n={n}, got length {len(value)}")
        return tuple(convert(v, f"{name} (agent {i})") for i, v in enumerate(value, 1))
    return (convert(value, name),) * n


def _show(values: tuple, defaults: tuple, label: str) -> str:
    """``label`` for the default symbols, one value if all agree, else a tuple."""
    if values == defaults:
        return label
    if len(set(values)) == 1:
        return str(values[0])
    return f"({', '.join(map(str, values))})"


def _ordered_symbols(*exprs) -> tuple:
    """Free symbols in order of first appearance, each expression sorted."""
    seen: dict = {}     # insertion-ordered: a list's membership test is linear in n
    for expr in exprs:
        for sym in sorted(_exact(expr, "expr").free_symbols, key=sp.default_sort_key):
            seen.setdefault(sym, None)
    return tuple(seen)


def _double_factorial(m: int) -> int:
    return math.prod(range(m, 0, -2)) if m > 0 else 1


def normal_moment(k: int, mean, var) -> sp.Expr:
    """E[X^k] for X ~ N(mean, var), an exact sympy expression.

    The formula is ``sum_{j even} C(k, j) mean^(k-j) var^(j/2) (j-1)!!``;
    ``var = 0`` gives ``mean^k``.

    >>> from sympy import symbols
    >>> m, V = symbols('m V')
    >>> normal_moment(4, m, V)
    3*V**2 + 6*V*m**2 + m**4
    >>> normal_moment(2, 1, 0)
    1
    """
    return _normal_moment(_integer(k, "k"), _real(mean, "mean"), _exact(var, "var"))


def _normal_moment(k: int, mean: sp.Expr, var: sp.Expr) -> sp.Expr:
    # unchecked: for the structures' own atoms and formulas, valid by construction
    return sp.Add(*[math.comb(k, j) * _double_factorial(j - 1)
                    * mean**(k - j) * var**(j // 2)
                    for j in range(0, k + 1, 2)])


def _atom(k: int, given: tuple):
    """The undefined function standing for E[omega^k | s_given]; the name keeps
    the agent set, since a misreport or a bound may replace the arguments."""
    power = "" if k == 1 else f"^{k}"
    return sp.Function(f"E[omega{power}|{','.join(map(str, given))}]", real=True)


def _parse_atom(name: str):
    if not (name.startswith("E[omega") and name.endswith("]") and "|" in name):
        return None
    head, agents = name[len("E[omega"):-1].split("|")
    return (int(head[1:]) if head else 1), tuple(int(j) for j in agents.split(","))


def _small_rational(q: float) -> sp.Rational:
    f = Fraction(float(q)).limit_denominator(16)
    return sp.Rational(f.numerator, f.denominator)


def merged(*supports) -> dict:
    """One support from several (a structure's, an estimator's): a symbol listed by more than
    one lies in every set given for it (None: its assumptions only, so never a widening).

    >>> mu = sp.Symbol("mu", positive=True)
    >>> merged({mu: sp.Interval(0, 1)}, {mu: None})
    {mu: Interval(0, 1)}
    >>> merged({mu: sp.Interval(0, 1)}, {mu: sp.Interval(sp.Rational(1, 2), 2)})[mu]
    Domain(mu: [1/2, 1])
    """
    out: dict = {}
    for support in supports:
        for sym, dom in support.items():
            if out.get(sym) is None:
                out[sym] = dom
            elif dom is not None:
                out[sym] = Domain.of(sym, out[sym])._meet_domain(Domain.of(sym, dom), sym)
    return out


def narrowed(support: dict, narrow=None) -> dict:
    """``{symbol: Domain}`` from a support ``{symbol: set or None}`` and narrowing intervals.

    A narrowing may only shrink a symbol's support (ValueError otherwise); a
    symbol outside the support gets the narrowing as its domain.
    """
    out = {sym: Domain.of(sym, dom) for sym, dom in support.items()}
    if narrow is not None and not isinstance(narrow, Mapping):
        raise TypeError(f"domain must be a dict {{symbol: (lo, hi) or Interval}}, got {type(narrow).__name__}")
    for sym, interval in (narrow or {}).items():
        if not isinstance(sym, sp.Symbol):
            raise TypeError(f"domain keys must be sympy Symbols, got {type(sym).__name__}")
        out[sym] = out[sym].narrow(interval) if sym in out else Domain.of(sym, interval)
    return out


def _log_weights_to_weights(logw: np.ndarray) -> np.ndarray:
    # self-normalized: a common factor drops out, so the largest log weight is shifted to 0
    return np.exp(logw - logw.max())


# ---------------------------------------------------------------------------
# the base class
# ---------------------------------------------------------------------------

class InformationStructure:
    """A state ``omega`` with a prior and private signals ``s_1, ..., s_n``.

    Subclasses implement :meth:`moment`; the posterior mean and variance and
    expectations of polynomials in ``omega`` are derived from it. Sampling
    methods are provided where the structure is fully specified.

    Attributes
    ==========

    n : number of agents (numbered 1..n).
    omega : the state symbol.
    s : tuple of the signal symbols ``(s1, ..., sn)``.
    parameters : tuple of the free parameter symbols of the prior and the
        signal distributions.

    >>> g = GaussianSignals(1)
    >>> isinstance(g, InformationStructure), g.n, g.omega, g.s, g.parameters
    (True, 1, omega, (s1,), (mu, sigma, sigma1))
    """

    def __init__(self, n):
        self.n = _integer(n, "n", 1)
        self.omega = _omega
        self.s = tuple(_signal(i) for i in range(1, self.n + 1))
        self.parameters: tuple = ()

    # -- description ------------------------------------------------------

    def _describe(self) -> str:
        return "an information structure"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}): {self._describe()}"

    __str__ = __repr__

    # -- argument checks --------------------------------------------------

    def _given(self, given) -> tuple:
        """Agent numbers in ``given``, checked and sorted (None: all)."""
        if given is None:
            return tuple(range(1, self.n + 1))
        if isinstance(given, tuple) and all(type(j) is int for j in given):
            # each agent's value asks again: a tuple of plain ints is checked once
            return self._formula(("given", given), lambda: self._checked(given))
        return self._checked(given)

    def _checked(self, given) -> tuple:
        if isinstance(given, (str, bytes)) or not hasattr(given, "__iter__"):
            raise TypeError("given must be an iterable of agent numbers "
                            f"(e.g. (1,) for one agent), got {type(given).__name__}")
        agents = [check_agent(j, self.n, "given") for j in given]
        seen: set = set()
        for j in agents:
            if j in seen:
                raise ValueError(f"given lists agent {j} more than once")
            seen.add(j)
        return tuple(sorted(agents))

    def _check_expr(self, f) -> sp.Expr:
        if not isinstance(f, sp.Expr):
            raise TypeError(f"f must be a sympy expression, got {type(f).__name__}")
        # A Symbol('omega') built elsewhere without assumptions is a different
        # object; it would silently be treated as a constant.
        own = {self.omega} if isinstance(self.omega, sp.Symbol) else set(self.omega)
        names = {sym.name for sym in own}
        strays = [sym for sym in f.free_symbols
                  if sym.name in names and sym not in own]
        if strays:
            raise ValueError(f"f contains {strays}, which differ from the state "
                             "symbol in their assumptions; take the state symbol "
                             "from symbolic_mech.symbols or this structure")
        return f

    # -- the posterior ----------------------------------------------------

    def moment(self, k, given=None) -> sp.Expr:
        """E[omega^k | s_j, j in given]; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} does not define moment")

    def posterior_mean(self, given=None) -> sp.Expr:
        """E[omega | s_j, j in given]; ``given=None`` means all agents.

        >>> BetaBernoulliClicks(1).posterior_mean()
        (a + s1)/(a + b + k1)
        """
        return self.moment(1, given)

    def posterior_var(self, given=None) -> sp.Expr:
        """Var[omega | s_j, j in given]; ``given=None`` means all agents.

        >>> GaussianSignals(1).posterior_var(())
        sigma**2
        """
        return sp.together(self.moment(2, given) - self.moment(1, given)**2)

    def moment_atom(self, k, given=None) -> sp.Expr:
        """E[omega^k | s_given] as an opaque atom ``E[omega^k|given](s_j, j in given)``.

        Derivations carried out on atoms stay polynomial in them, so the
        Groves cancellations are decided by expansion, without the rational
        functions of the explicit posterior; :meth:`explicit` substitutes the
        formulas.  A misreport substitutes into the atom's arguments.

        >>> BetaBernoulliClicks(2).moment_atom(2)
        E[omega^2|1,2](s1, s2)
        """
        k = _integer(k, "k")
        given = self._given(given)
        if k == 0 or not given:
            return self.moment(k, given)
        # asked for each agent's value in each economy: with n agents, built once, not n times
        return self._formula(("atom", k, given), lambda: _atom(k, given)(*(self.s[j - 1] for j in given)))

    def record(self) -> dict | None:
        """The structure as data for a formal statement: its kind and primitives as expression
        trees, from which the independent checker rebuilds the posterior atoms' formulas; None
        where the checker has no rule for this structure (its formulas are then declared in the
        statement, and the checker says so)."""
        return None

    def _formula(self, key, compute):
        # fixed per structure (formulas, atoms, checked sets of agents), asked for at every point
        # and for every agent's value
        cache = self.__dict__.setdefault("_formulas", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _moment_formula(self, k, given) -> sp.Expr:
        # what explicit() substitutes; a structure may prefer a form cheaper to evaluate
        return self.moment(k, given)

    def explicit(self, expr) -> sp.Expr:
        """Replace the atoms of :meth:`moment_atom` by this structure's formulas.

        >>> b = BetaBernoulliClicks(1)
        >>> b.explicit(b.moment_atom(1))
        (a + s1)/(a + b + k1)
        """
        reps = {}
        for atom in expr.atoms(AppliedUndef):
            parsed = _parse_atom(atom.func.__name__)
            if parsed is None:
                continue
            k, given = parsed
            formula = self._formula(("moment", k, given), lambda: self._moment_formula(k, given))
            reps[atom] = formula.xreplace(dict(zip((self.s[j - 1] for j in given), atom.args)))
        return expr.xreplace(reps)

    def expect(self, f, given=None, atomic: bool = False) -> sp.Expr:
        """E[f(omega) | s_j, j in given] for f polynomial in omega.

        ``f`` is read as a polynomial in ``omega`` (every other symbol is a
        coefficient, kept as written: a long sum is not multiplied out) and
        each ``omega**k`` is replaced by :meth:`moment` (by
        :meth:`moment_atom` with ``atomic=True``).

        Raises TypeError if ``f`` is not a sympy expression (strings are not
        parsed) and ValueError if it is not polynomial in ``omega``.

        >>> from sympy import Symbol
        >>> from symbolic_mech.symbols import omega
        >>> x = Symbol('x', real=True)
        >>> GaussianSignals(1).expect((x - omega)**2, given=())
        mu**2 - 2*mu*x + sigma**2 + x**2
        """
        f = self._check_expr(f)
        given = self._given(given)
        moment = self.moment_atom if atomic else self.moment
        return sp.Add(*[coeff * moment(power, given)
                        for power, coeff in polynomial_coefficients(f, self.omega, "f").items()])

    # -- numbers ----------------------------------------------------------

    @staticmethod
    def _numeric(exprs, values, what: str) -> list:
        """Evaluate expressions at ``values``, naming any missing symbols."""
        if not isinstance(values, dict):
            raise TypeError(f"values must be a dict from sympy symbols to numbers, "
                            f"got {type(values).__name__}")
        # A name where a symbol belongs would otherwise surface as a puzzling
        # "missing s1"; other entries may belong to the caller's wider model.
        for key in values:
            if isinstance(key, str):
                raise TypeError(f"values keys must be sympy symbols, got {key!r}")
        exprs = [_exact(e, "expr") for e in exprs]
        needed = _ordered_symbols(*exprs)
        missing = [sym for sym in needed if sym not in values]
        if missing:
            raise ValueError(f"values is missing {', '.join(map(str, missing))} "
                             f"(needed for {what})")
        for sym in needed:
            val = values[sym]
            if isinstance(val, (bool, str)) or not isinstance(val, (numbers.Real, sp.Number)):
                raise TypeError(f"values[{sym}] must be a number, got {val!r}")
        # values only feed draws, which are floats anyway: a float given is kept as a float
        repl = {sym: sp.Float(values[sym]) if isinstance(values[sym], (float, np.floating, sp.Float))
                else _exact(values[sym], f"values[{sym}]") for sym in needed}
        return [float(e.xreplace(repl)) for e in exprs]

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        """Draws of omega from the posterior given the listed signals."""
        raise NotImplementedError(f"{type(self).__name__} cannot sample its posterior")

    # -- supports and the model's definition, for checks independent of the formulas --

    #: True where the model's definition makes the state a function of all the signals
    determines_state = False

    def signal_support(self, i):
        """The set agent i's signal takes values in (a sympy Interval or Range)."""
        return sp.Interval(-sp.oo, sp.oo)

    def support(self) -> dict:
        """``{symbol: set}`` for the signals and the parameters: where truth, reports and
        parameters are drawn (with each symbol's assumptions).  A parameter listed with
        None is confined by its assumptions only.

        >>> BetaBernoulliClicks(1, impressions=4).support()
        {s1: Range(0, 5, 1), a: None, b: None}
        """
        out = {si: self.signal_support(i) for i, si in enumerate(self.s, 1)}
        out.update({p: None for p in self.parameters})
        return out

    def domains(self, narrow=None) -> dict:
        """``{symbol: Domain}``: the supports, narrowed by ``narrow`` (never widened).

        >>> c = BetaBernoulliClicks(1, impressions=4)
        >>> c.domains()[c.s[0]]
        Domain(s1: integers in [0, 4])
        """
        return narrowed(self.support(), narrow)

    def simulate_posterior(self, values, size, rng=None, given=None):
        """``(states, weights)``: draws of omega from the model's definition with
        self-normalized importance weights for the signals in ``given`` at ``values``.

        The prior is sampled and each draw weighted by the likelihood of the
        observed signals, so the weighted draws follow the posterior without
        using the posterior formulas (they are what a simulation checks).
        """
        raise NotImplementedError(f"{type(self).__name__} cannot simulate its posterior")

    def weight_efficiency(self, values, given=None) -> float | None:
        """E[L]^2 / E[L^2] under the prior, L the likelihood of the signals in ``given`` at
        ``values``: the fraction of :meth:`simulate_posterior`'s draws its weights keep as
        effective sample size, in expectation (1 with equal weights); None where no formula is
        known.  It only chooses where to simulate."""
        return None

    def typical_point(self, values, rng) -> dict:
        """``values`` with the signals replaced by one draw from the model at its parameters
        (exact: rounded to small rationals): a profile the model makes likely."""
        _, sig = self.sample_signals(values, 1, rng)
        return dict(values) | {si: _small_rational(q) for si, q in zip(self.s, sig[0])}

    def sample_signals(self, values, size, rng=None):
        """Draws ``(omega, signals)`` from the joint prior."""
        raise NotImplementedError(f"{type(self).__name__} cannot sample its signals")


class _GaussianPosterior(InformationStructure):
    """Structures whose posterior is normal; subclasses give mean and var."""

    def moment(self, k, given=None) -> sp.Expr:
        k = _integer(k, "k")
        given = self._given(given)
        return normal_moment(k, self.posterior_mean(given), self.posterior_var(given))

    def _mean_var(self, given) -> tuple:
        # the posterior mean and variance in the form cheapest to evaluate
        return self.posterior_mean(given), self.posterior_var(given)

    def _moment_formula(self, k, given) -> sp.Expr:
        return _normal_moment(k, *self._mean_var(self._given(given)))

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        given = self._given(given)
        size = _integer(size, "size", 1)
        mean, var = self._numeric(list(self._mean_var(self._given(given))),
                                  values, "the posterior")
        if var < 0:
            raise ValueError(f"values give a negative posterior variance {var}")
        return np.random.default_rng(rng).normal(mean, math.sqrt(var), size)


# ---------------------------------------------------------------------------
# Gaussian signals (Example 1)
# ---------------------------------------------------------------------------

class GaussianSignals(_GaussianPosterior):
    """Normal prior and conditionally independent normal signals.

    ``omega ~ N(mu, sigma^2)`` and ``s_i = omega + eps_i`` with independent
    ``eps_i ~ N(0, sigma_i^2)``, the instance given for Example 1 in the
    paper (footnote 9). Posteriors are computed from precision sums:

        precision = 1/sigma^2 + sum_{i in G} 1/sigma_i^2,
        E[omega | s_G] = (mu/sigma^2 + sum_{i in G} s_i/sigma_i^2) / precision,
        Var[omega | s_G] = 1 / precision.

    Parameters
    ==========

    n : number of agents (int >= 1).
    prior_mean : ``mu``; default the real symbol ``mu``.
    prior_var : the prior VARIANCE; default ``sigma**2`` with ``sigma > 0``.
    noise_var : the noise VARIANCES, one scalar for all agents or a sequence
        of length n; default ``sigma_i**2`` with ``sigma_i > 0``.

    Numbers are stored exactly (``0.5`` becomes ``1/2``).

    Examples
    ========

    >>> g = GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=[1, 2])
    >>> g
    GaussianSignals(n=2): omega ~ N(0, 1), s_i = omega + eps_i, eps_i ~ N(0, (1, 2)) independent
    >>> g.posterior_mean(), g.posterior_var()
    ((2*s1 + s2)/5, 2/5)
    >>> g.moment(2, given=(1,))
    s1**2/4 + 1/2

    References
    ==========

    Example 1 and footnote 9 of the paper.
    """

    def __init__(self, n, prior_mean=None, prior_var=None, noise_var=None):
        super().__init__(n)
        self.prior_mean = (sp.Symbol("mu", real=True) if prior_mean is None
                           else _real(prior_mean, "prior_mean"))
        self.prior_var = (sp.Symbol("sigma", positive=True)**2 if prior_var is None
                          else _positive(prior_var, "prior_var"))
        self.noise_var = _per_agent(
            noise_var, self.n, "noise_var",
            lambda i: sp.Symbol(f"sigma{i}", positive=True)**2, _positive)
        self.parameters = _ordered_symbols(self.prior_mean, self.prior_var,
                                           *self.noise_var)

    def record(self) -> dict:
        """>>> GaussianSignals(1).record()["prior_var"]
        ['Pow', ['Symbol', 'sigma'], ['Integer', '2']]
        """
        return {"structure": "gaussian", "n": self.n, "prior_mean": to_tree(self.prior_mean),
                "prior_var": to_tree(self.prior_var), "noise_var": [to_tree(v) for v in self.noise_var]}

    def _describe(self) -> str:
        defaults = tuple(sp.Symbol(f"sigma{i}", positive=True)**2
                         for i in range(1, self.n + 1))
        noise = _show(self.noise_var, defaults, "sigma_i**2")
        return (f"omega ~ N({self.prior_mean}, {self.prior_var}), "
                f"s_i = omega + eps_i, eps_i ~ N(0, {noise}) independent")

    def moment_atom(self, k, given=None) -> sp.Expr:
        """Normal moments in the atoms E_omega(s_given) and V_given (the variance
        does not depend on the signals' values, only on which are observed).

        >>> GaussianSignals(2).moment_atom(2)
        V_1,2 + E[omega|1,2](s1, s2)**2
        """
        k = _integer(k, "k")
        given = self._given(given)
        if not given:
            return self.moment(k, given)

        def build():
            mean = _atom(1, given)(*(self.s[j - 1] for j in given))
            return _normal_moment(k, mean, sp.Symbol("V_" + ",".join(map(str, given)), positive=True))
        return self._formula(("normal", k, given), build)

    def explicit(self, expr) -> sp.Expr:
        """Substitute the posterior mean and variance formulas for the atoms."""
        reps = {}
        for sym in expr.free_symbols:
            if sym.name.startswith("V_") and sym.is_positive:
                given = tuple(int(j) for j in sym.name[2:].split(","))
                reps[sym] = self._formula(("var", given), lambda: self._mean_var(given)[1])
        return super().explicit(expr.xreplace(reps))

    def _mean_var(self, given) -> tuple:
        """(mean, var) as precision sums: size linear in the number of signals,
        where the single fraction of :meth:`posterior_mean` has a product of
        all the noise variances in every term."""
        given = self._given(given)
        precision = self.posterior_precision(given)
        weighted = self.prior_mean / self.prior_var + sp.Add(
            *[self.s[i - 1] / self.noise_var[i - 1] for i in given])
        return weighted / precision, 1 / precision

    def posterior_precision(self, given=None) -> sp.Expr:
        """1/Var[omega | s_G]: the prior precision plus the signal precisions.

        >>> GaussianSignals(2).posterior_precision((1,))
        sigma1**(-2) + sigma**(-2)
        """
        given = self._given(given)
        return 1 / self.prior_var + sp.Add(*[1 / self.noise_var[i - 1] for i in given])

    def posterior_mean(self, given=None) -> sp.Expr:
        """E[omega | s_G], the precision-weighted average of mu and the s_i.

        >>> GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1).posterior_mean()
        (s1 + s2)/3
        """
        return sp.together(self._mean_var(given)[0])

    def posterior_var(self, given=None) -> sp.Expr:
        """Var[omega | s_G] = 1/precision; it does not depend on the signals.

        >>> GaussianSignals(2).posterior_var()
        sigma**2*sigma1**2*sigma2**2/(sigma**2*sigma1**2 + sigma**2*sigma2**2 + sigma1**2*sigma2**2)
        """
        return sp.together(1 / self.posterior_precision(given))

    # A second derivation, by generic conditioning of the joint normal law,
    # kept only to cross-check the precision formulas above.
    def _joint_blocks(self, given):
        given = self._given(given)
        v0 = self.prior_var
        cov_ss = sp.Matrix(len(given), len(given),
                           lambda r, c: v0 + (self.noise_var[given[r] - 1] if r == c else 0))
        cov_ws = sp.Matrix(1, len(given), lambda r, c: v0)
        return given, cov_ws, cov_ss

    def posterior_mean_generic(self, given=None) -> sp.Expr:
        """E[omega | s_G] by Gaussian conditioning with a matrix inverse.

        ``mu + Cov(omega, s_G) Cov(s_G)^(-1) (s_G - mu)``, where
        ``Cov(omega, s_i) = sigma^2`` and ``Cov(s_i, s_j) = sigma^2 +
        [i = j] sigma_i^2``. A cross-check of :meth:`posterior_mean`; the
        symbolic inverse is slow for more than a few agents.

        >>> GaussianSignals(2, 0, 1, 1).posterior_mean_generic()
        s1/3 + s2/3
        """
        given, cov_ws, cov_ss = self._joint_blocks(given)
        if not given:
            return self.prior_mean
        dev = sp.Matrix([self.s[i - 1] - self.prior_mean for i in given])
        return sp.cancel(self.prior_mean + (cov_ws * cov_ss.inv() * dev)[0, 0])

    def posterior_var_generic(self, given=None) -> sp.Expr:
        """Var[omega | s_G] as the Schur complement ``sigma^2 - C S^(-1) C^T``.

        A cross-check of :meth:`posterior_var` by matrix inversion.

        >>> GaussianSignals(2, 0, 1, 1).posterior_var_generic()
        1/3
        """
        given, cov_ws, cov_ss = self._joint_blocks(given)
        if not given:
            return self.prior_var
        return sp.cancel(self.prior_var - (cov_ws * cov_ss.inv() * cov_ws.T)[0, 0])

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        """Draws of omega from N(E[omega|s_G], Var[omega|s_G]).

        ``values`` maps the parameters and the signals in ``given`` to
        numbers; ``rng`` is a numpy Generator or a seed.

        >>> from sympy import Symbol
        >>> g = GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1)
        >>> g.sample_posterior({Symbol('s1', real=True): 3}, size=4, rng=0, given=(1,)).shape
        (4,)
        >>> g.sample_posterior({}, size=4, rng=0, given=(1,))
        Traceback (most recent call last):
        ...
        ValueError: values is missing s1 (needed for the posterior)
        """
        return super().sample_posterior(values, size, rng, given)

    def weight_efficiency(self, values, given=None) -> float:
        """The likelihood is a normal density in omega around s_hat with variance Q (1/Q the sum
        of the given precisions), so with the prior N(mu, v) both moments are Gaussian integrals:
        Q / (Q + v) / sqrt(Q / (Q + 2 v)) * exp(d^2 / (Q + 2 v) - d^2 / (Q + v)), d = mu - s_hat.

        >>> g = GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1)
        >>> round(g.weight_efficiency({g.s[0]: 0}), 4)      # 1/2 / sqrt(1/3)
        0.866
        >>> g.weight_efficiency({}, given=())
        1.0
        """
        given = self._given(given)
        nums = self._numeric([self.prior_mean, self.prior_var, *(self.noise_var[i - 1] for i in given),
                              *(self.s[i - 1] for i in given)], values, "the model")
        mean, var, noise, sig = nums[0], nums[1], nums[2:2 + len(given)], nums[2 + len(given):]
        if not given:
            return 1.0
        if var <= 0 or any(q <= 0 for q in noise):
            raise ValueError("values must give positive variances")
        Q = 1 / math.fsum(1 / q for q in noise)
        d2 = (mean - Q * math.fsum(x / q for x, q in zip(sig, noise))) ** 2
        return Q / (Q + var) / math.sqrt(Q / (Q + 2 * var)) * math.exp(d2 / (Q + 2 * var) - d2 / (Q + var))

    def simulate_posterior(self, values, size, rng=None, given=None):
        """Prior draws of omega weighted by the normal likelihood of the signals in ``given``.

        >>> g = GaussianSignals(1, prior_mean=0, prior_var=1, noise_var=1)
        >>> w, wt = g.simulate_posterior({g.s[0]: 2}, size=200_000, rng=0)
        >>> round(float(wt @ w / wt.sum()), 2)    # E[omega | s1 = 2] = 1
        1.0
        """
        given, size = self._given(given), _integer(size, "size", 1)
        nums = self._numeric([self.prior_mean, self.prior_var, *(self.noise_var[i - 1] for i in given),
                              *(self.s[i - 1] for i in given)], values, "the model")
        mean, var, noise, sig = nums[0], nums[1], nums[2:2 + len(given)], nums[2 + len(given):]
        if var <= 0 or any(q <= 0 for q in noise):
            raise ValueError("values must give positive variances")
        states = np.random.default_rng(rng).normal(mean, math.sqrt(var), size)
        logw = np.zeros(size)
        for obs, q in zip(sig, noise):
            logw -= (obs - states) ** 2 / (2 * q)
        return states, _log_weights_to_weights(logw)

    def sample_signals(self, values, size, rng=None):
        """Draws ``(omega, s)`` from the joint prior; ``s`` has shape (size, n).

        ``values`` maps the parameter symbols (e.g. mu, sigma, sigma_i) to
        numbers.

        >>> w, sig = GaussianSignals(3, 0, 1, 1).sample_signals({}, size=5, rng=1)
        >>> w.shape, sig.shape
        ((5,), (5, 3))
        """
        size = _integer(size, "size", 1)
        nums = self._numeric([self.prior_mean, self.prior_var, *self.noise_var],
                             values, "the joint prior")
        mean, var, noise = nums[0], nums[1], np.array(nums[2:])
        if var <= 0 or np.any(noise <= 0):
            raise ValueError("values must give positive variances")
        gen = np.random.default_rng(rng)
        states = gen.normal(mean, math.sqrt(var), size)
        signals = states[:, None] + gen.normal(0.0, 1.0, (size, self.n)) * np.sqrt(noise)
        return states, signals


# ---------------------------------------------------------------------------
# Beta-Binomial clicks (common click-through rate, Section 5.1)
# ---------------------------------------------------------------------------

def _impressions(value, name: str) -> sp.Expr:
    if isinstance(value, sp.Expr) and not isinstance(value, sp.Number):
        if value.is_integer is False or value.is_positive is False:
            raise ValueError(f"{name} must be a positive integer, got {value}")
        return value
    return sp.Integer(_integer(value, name, 1))


class BetaBernoulliClicks(InformationStructure):
    """A common click-through rate with a Beta prior; signals are click counts.

    ``omega ~ Beta(a, b)`` is the click-through rate common to all ads;
    agent ``i`` privately ran ``k_i`` impressions, each clicked with
    probability ``omega`` independently, and observed ``s_i`` clicks, so
    ``s_i | omega ~ Binomial(k_i, omega)``. By conjugacy

        omega | s_G ~ Beta(A, B),  A = a + sum_{i in G} s_i,
                                   B = b + sum_{i in G} (k_i - s_i),

    and ``E[omega^k | s_G] = prod_{r=0}^{k-1} (A + r)/(A + B + r)``.

    Parameters
    ==========

    n : number of agents.
    a, b : positive prior parameters; default positive symbols ``a``, ``b``.
    impressions : positive integers ``k_i``, one scalar or a sequence of
        length n; default positive integer symbols ``k1, ..., kn``.

    Examples
    ========

    >>> c = BetaBernoulliClicks(2, a=1, b=1, impressions=[3, 5])
    >>> c
    BetaBernoulliClicks(n=2): omega ~ Beta(1, 1), s_i | omega ~ Binomial((3, 5), omega)
    >>> c.posterior_mean()
    (s1 + s2 + 1)/10
    >>> c.moment(2, given=())
    1/3

    References
    ==========

    Section 5.1 and Corollary 2 of the paper (common click-through rate).
    """

    def __init__(self, n, a=None, b=None, impressions=None):
        super().__init__(n)
        self.a = sp.Symbol("a", positive=True) if a is None else _positive(a, "a")
        self.b = sp.Symbol("b", positive=True) if b is None else _positive(b, "b")
        self.impressions = _per_agent(
            impressions, self.n, "impressions",
            lambda i: sp.Symbol(f"k{i}", positive=True, integer=True), _impressions)
        self.parameters = _ordered_symbols(self.a, self.b, *self.impressions)

    def record(self) -> dict:
        """>>> BetaBernoulliClicks(1, impressions=3).record()["impressions"]
        [['Integer', '3']]
        """
        return {"structure": "beta-bernoulli", "n": self.n, "a": to_tree(self.a), "b": to_tree(self.b),
                "impressions": [to_tree(k) for k in self.impressions]}

    def _describe(self) -> str:
        defaults = tuple(sp.Symbol(f"k{i}", positive=True, integer=True)
                         for i in range(1, self.n + 1))
        trials = _show(self.impressions, defaults, "k_i")
        return f"omega ~ Beta({self.a}, {self.b}), s_i | omega ~ Binomial({trials}, omega)"

    def posterior_parameters(self, given=None) -> tuple:
        """``(A, B)`` of the Beta posterior given s_G.

        >>> BetaBernoulliClicks(2).posterior_parameters((2,))
        (a + s2, b + k2 - s2)
        """
        given = self._given(given)
        clicks = sp.Add(*[self.s[i - 1] for i in given])
        trials = sp.Add(*[self.impressions[i - 1] for i in given])
        return self.a + clicks, self.b + trials - clicks

    def moment(self, k, given=None) -> sp.Expr:
        """E[omega^k | s_G] = prod_{r<k} (A + r)/(A + B + r).

        >>> BetaBernoulliClicks(1, a=2, b=3).moment(2, given=())
        1/5
        """
        k = _integer(k, "k")
        big_a, big_b = self.posterior_parameters(given)
        return sp.Mul(*[(big_a + r) / (big_a + big_b + r) for r in range(k)])

    def posterior_mean(self, given=None) -> sp.Expr:
        """A/(A + B).

        >>> BetaBernoulliClicks(2, 1, 1, 4).posterior_mean((1,))
        (s1 + 1)/6
        """
        big_a, big_b = self.posterior_parameters(given)
        return sp.together(big_a / (big_a + big_b))

    def posterior_var(self, given=None) -> sp.Expr:
        """AB / ((A + B)^2 (A + B + 1)).

        >>> BetaBernoulliClicks(1, a=1, b=1).posterior_var(())
        1/12
        """
        big_a, big_b = self.posterior_parameters(given)
        return sp.together(big_a * big_b / ((big_a + big_b)**2 * (big_a + big_b + 1)))

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        """Draws of omega from Beta(A, B) at the numbers in ``values``.

        >>> c = BetaBernoulliClicks(1, a=1, b=1, impressions=10)
        >>> draws = c.sample_posterior({c.s[0]: 7}, size=3, rng=0)
        >>> draws.shape, bool(((0 < draws) & (draws < 1)).all())
        ((3,), True)
        """
        size = _integer(size, "size", 1)
        big_a, big_b = self._numeric(self.posterior_parameters(given), values,
                                     "the posterior")
        if big_a <= 0 or big_b <= 0:
            raise ValueError(f"values give a Beta({big_a}, {big_b}) posterior; "
                             "clicks must lie between 0 and the impressions")
        return np.random.default_rng(rng).beta(big_a, big_b, size)

    def signal_support(self, i):
        """Click counts: the integers 0..k_i.

        >>> BetaBernoulliClicks(2).signal_support(2)
        Range(0, k2 + 1, 1)
        """
        return sp.Range(0, self.impressions[check_agent(i, self.n, "i") - 1] + 1)

    def weight_efficiency(self, values, given=None) -> float:
        """With C clicks in T impressions over the given agents the likelihood is omega^C
        (1 - omega)^(T - C), so both moments under Beta(a, b) are Beta functions:
        B(a + C, b + T - C)^2 / (B(a, b) B(a + 2 C, b + 2 (T - C))).

        >>> c = BetaBernoulliClicks(1, a=1, b=1, impressions=2)
        >>> c.weight_efficiency({c.s[0]: 2})      # (1/3)^2 / (1/5)
        0.5555555555555556
        """
        given = self._given(given)
        nums = self._numeric([self.a, self.b, *(self.impressions[i - 1] for i in given),
                              *(self.s[i - 1] for i in given)], values, "the model")
        a, b, trials, clicks = nums[0], nums[1], math.fsum(nums[2:2 + len(given)]), math.fsum(nums[2 + len(given):])
        if a <= 0 or b <= 0:
            raise ValueError("values must give positive a and b")

        def log_beta(p, q):
            return math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q)
        return math.exp(2 * log_beta(a + clicks, b + trials - clicks) - log_beta(a, b)
                        - log_beta(a + 2 * clicks, b + 2 * (trials - clicks)))

    def simulate_posterior(self, values, size, rng=None, given=None):
        """Prior draws of omega ~ Beta(a, b) weighted by the binomial likelihood of the clicks.

        >>> c = BetaBernoulliClicks(1, a=1, b=1, impressions=4)
        >>> w, wt = c.simulate_posterior({c.s[0]: 3}, size=200_000, rng=0)
        >>> round(float(wt @ w / wt.sum()), 2)    # E[omega | 3 of 4 clicks] = 4/6
        0.67
        """
        given, size = self._given(given), _integer(size, "size", 1)
        nums = self._numeric([self.a, self.b, *(self.impressions[i - 1] for i in given),
                              *(self.s[i - 1] for i in given)], values, "the model")
        a, b, trials, clicks = nums[0], nums[1], nums[2:2 + len(given)], nums[2 + len(given):]
        if a <= 0 or b <= 0:
            raise ValueError("values must give positive a and b")
        for i, t, c in zip(given, trials, clicks):
            if t != int(t) or c != int(c) or not 0 <= c <= t:
                raise ValueError(f"values must give s{i} as a click count in 0..k{i}, got s{i} = {c}, k{i} = {t}")
        states = np.random.default_rng(rng).beta(a, b, size)
        logw = np.zeros(size)
        if given:
            with np.errstate(divide="ignore"):      # the likelihood of all the clicks, in one pass
                logw += math.fsum(clicks) * np.log(states) + (math.fsum(trials) - math.fsum(clicks)) * np.log1p(-states)
        return states, _log_weights_to_weights(logw)

    def sample_signals(self, values, size, rng=None):
        """Draws ``(omega, clicks)`` from the joint prior.

        ``values`` gives numbers for the symbolic parameters among a, b and
        the k_i (the k_i must be integers).

        >>> c = BetaBernoulliClicks(2, a=1, b=1)
        >>> k1, k2 = c.impressions
        >>> w, clicks = c.sample_signals({k1: 4, k2: 6}, size=3, rng=0)
        >>> clicks.shape, bool((clicks[:, 0] <= 4).all())
        ((3, 2), True)
        """
        size = _integer(size, "size", 1)
        nums = self._numeric([self.a, self.b, *self.impressions], values,
                             "the joint prior")
        a, b, trials = nums[0], nums[1], nums[2:]
        for sym, t in zip(self.impressions, trials):
            if t != int(t) or t < 1:
                raise ValueError(f"values must give {sym} as a positive integer, got {t}")
        if a <= 0 or b <= 0:
            raise ValueError("values must give positive a and b")
        gen = np.random.default_rng(rng)
        states = gen.beta(a, b, size)
        clicks = np.column_stack([gen.binomial(int(t), states) for t in trials])
        return states, clicks.astype(float)


# ---------------------------------------------------------------------------
# the wallet model (footnote 8)
# ---------------------------------------------------------------------------

class WalletSignals(_GaussianPosterior):
    """The wallet model: the state is the sum of the agents' signals.

    ``omega = s_1 + ... + s_n`` with independent ``s_i ~ N(mu_i, tau_i^2)``.
    Given the signals of ``G`` the others' signals are still independent of
    them, so

        omega | s_G ~ N(sum_{i in G} s_i + sum_{i not in G} mu_i,
                        sum_{i not in G} tau_i^2);

    given all signals the state is known (variance 0).

    Parameters
    ==========

    n : number of agents.
    signal_mean : the ``mu_i``, one scalar or a sequence of length n;
        default real symbols ``mu1, ..., mun``.
    signal_var : the signal VARIANCES, one scalar or a sequence of length n;
        default ``tau_i**2`` with ``tau_i > 0``.

    Examples
    ========

    >>> w = WalletSignals(2)
    >>> w
    WalletSignals(n=2): omega = s_1 + ... + s_n, s_i ~ N(mu_i, tau_i**2) independent
    >>> w.posterior_mean(), w.posterior_var()
    (s1 + s2, 0)
    >>> w.posterior_mean((1,)), w.posterior_var((1,))
    (mu2 + s1, tau2**2)

    References
    ==========

    Footnote 8 of the paper (Klemperer, 1998).
    """

    #: omega = s_1 + ... + s_n by definition
    determines_state = True

    def __init__(self, n, signal_mean=None, signal_var=None):
        super().__init__(n)
        self.signal_mean = _per_agent(signal_mean, self.n, "signal_mean",
                                      lambda i: sp.Symbol(f"mu{i}", real=True), _real)
        self.signal_var = _per_agent(signal_var, self.n, "signal_var",
                                     lambda i: sp.Symbol(f"tau{i}", positive=True)**2,
                                     _positive)
        self.parameters = _ordered_symbols(*self.signal_mean, *self.signal_var)

    def record(self) -> dict:
        """>>> WalletSignals(1).record()["structure"]
        'wallet'
        """
        return {"structure": "wallet", "n": self.n, "signal_mean": [to_tree(v) for v in self.signal_mean],
                "signal_var": [to_tree(v) for v in self.signal_var]}

    def _describe(self) -> str:
        means = tuple(sp.Symbol(f"mu{i}", real=True) for i in range(1, self.n + 1))
        variances = tuple(sp.Symbol(f"tau{i}", positive=True)**2
                          for i in range(1, self.n + 1))
        m = _show(self.signal_mean, means, "mu_i")
        v = _show(self.signal_var, variances, "tau_i**2")
        return f"omega = s_1 + ... + s_n, s_i ~ N({m}, {v}) independent"

    def posterior_mean(self, given=None) -> sp.Expr:
        """Known signals plus the means of the unknown ones.

        >>> WalletSignals(3, signal_mean=1).posterior_mean((2,))
        s2 + 2
        """
        given = self._given(given)
        return sp.Add(*[self.s[i - 1] if i in given else self.signal_mean[i - 1]
                        for i in range(1, self.n + 1)])

    def posterior_var(self, given=None) -> sp.Expr:
        """The sum of the variances of the unknown signals.

        >>> WalletSignals(3, signal_var=[1, 2, 3]).posterior_var((2,))
        4
        """
        given = self._given(given)
        return sp.Add(*[self.signal_var[i - 1] for i in range(1, self.n + 1)
                        if i not in given])

    def moment(self, k, given=None) -> sp.Expr:
        """Normal moments of the posterior; ``(s1 + ... + sn)**k`` given all.

        >>> WalletSignals(2).moment(2)
        (s1 + s2)**2
        """
        return super().moment(k, given)

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        """Draws of omega given s_G (constant when every signal is given).

        >>> w = WalletSignals(2, signal_mean=0, signal_var=1)
        >>> w.sample_posterior({w.s[0]: 1, w.s[1]: 2}, size=2, rng=0)
        array([3., 3.])
        """
        return super().sample_posterior(values, size, rng, given)

    def weight_efficiency(self, values, given=None) -> float:
        """1: the weights are equal (see :meth:`simulate_posterior`)."""
        return 1.0

    def simulate_posterior(self, values, size, rng=None, given=None):
        """omega = sum of the signals: the given ones at ``values``, the others drawn from their
        prior (equal weights).

        >>> w = WalletSignals(2, signal_mean=0, signal_var=1)
        >>> states, wt = w.simulate_posterior({w.s[0]: 1}, size=4, rng=0, given=(1,))
        >>> states.shape, bool((wt == 1).all())
        ((4,), True)
        """
        given, size = self._given(given), _integer(size, "size", 1)
        unknown = [i for i in range(1, self.n + 1) if i not in given]
        nums = self._numeric([*(self.s[i - 1] for i in given), *(self.signal_mean[i - 1] for i in unknown),
                              *(self.signal_var[i - 1] for i in unknown)], values, "the model")
        known, means, variances = nums[:len(given)], nums[len(given):len(given) + len(unknown)], \
            nums[len(given) + len(unknown):]
        if any(q <= 0 for q in variances):
            raise ValueError("values must give positive signal variances")
        gen = np.random.default_rng(rng)
        states = np.full(size, math.fsum(known))
        for mu_j, q in zip(means, variances):
            states = states + gen.normal(mu_j, math.sqrt(q), size)
        return states, np.ones(size)

    def sample_signals(self, values, size, rng=None):
        """Draws ``(omega, s)``: independent normal signals and their sum.

        >>> w, sig = WalletSignals(2, 0, 1).sample_signals({}, size=4, rng=0)
        >>> bool(abs(w - sig.sum(axis=1)).max() < 1e-12)
        True
        """
        size = _integer(size, "size", 1)
        nums = self._numeric([*self.signal_mean, *self.signal_var], values,
                             "the joint prior")
        means, variances = np.array(nums[:self.n]), np.array(nums[self.n:])
        if np.any(variances <= 0):
            raise ValueError("values must give positive signal variances")
        signals = means + np.random.default_rng(rng).normal(
            0.0, 1.0, (size, self.n)) * np.sqrt(variances)
        return signals.sum(axis=1), signals


# ---------------------------------------------------------------------------
# individual click-through rates known to their owners (Example 3)
# ---------------------------------------------------------------------------

class KnownRates(InformationStructure):
    """Individual click-through rates, each known to its own agent.

    The state is the vector ``(omega_1, ..., omega_n)`` and agent ``i``'s
    signal is her own rate, ``s_i = omega_i``. Rates are independent across
    agents with prior means ``mu_i``, so given ``s_G``

        E[omega_j^k | s_G] = s_j^k         if j in G,
        E[omega_j   | s_G] = mu_j          if j not in G.

    Only the prior means are modelled, so a power ``k >= 2`` of an unknown
    rate raises ValueError, the prior cannot be sampled, and the posterior
    can be sampled only when every signal is given (it is then a point mass).

    Parameters
    ==========

    n : number of agents.
    prior_mean : the ``mu_i``, a scalar or a sequence of length n, each in
        [0, 1]; default positive symbols ``mu1, ..., mun``.

    Examples
    ========

    >>> from sympy import Symbol
    >>> r = KnownRates(2)
    >>> r
    KnownRates(n=2): omega_i = s_i (each agent knows her own rate), E[omega_i] = mu_i
    >>> theta1, theta2 = Symbol('theta1', real=True), Symbol('theta2', real=True)
    >>> r.expect(theta1 * r.rate(1) - theta2 * r.rate(2), given=(1,))
    -mu2*theta2 + s1*theta1

    References
    ==========

    Example 3 of the paper.
    """

    def __init__(self, n, prior_mean=None):
        super().__init__(n)
        self.omega = tuple(sp.Symbol(f"omega{i}", real=True) for i in range(1, self.n + 1))
        self.prior_mean = _per_agent(prior_mean, self.n, "prior_mean",
                                     lambda i: sp.Symbol(f"mu{i}", positive=True),
                                     self._rate_mean)
        self.parameters = _ordered_symbols(*self.prior_mean)

    @staticmethod
    def _rate_mean(value, name):
        expr = _real(value, name)
        if expr.is_number and not (0 <= expr <= 1):
            raise ValueError(f"{name} must lie in [0, 1], got {expr}")
        return expr

    def record(self) -> dict:
        """The rates' posterior moments are explicit (no atoms): the checker needs no rule.

        >>> KnownRates(1).record()["structure"]
        'known-rates'
        """
        return {"structure": "known-rates", "n": self.n, "prior_mean": [to_tree(v) for v in self.prior_mean]}

    def _describe(self) -> str:
        means = tuple(sp.Symbol(f"mu{i}", positive=True) for i in range(1, self.n + 1))
        m = _show(self.prior_mean, means, "mu_i")
        return f"omega_i = s_i (each agent knows her own rate), E[omega_i] = {m}"

    def signal_support(self, i):
        """A click-through rate: [0, 1]."""
        return sp.Interval(0, 1)

    def support(self) -> dict:
        """The rates and their prior means lie in [0, 1].

        >>> KnownRates(1).support()
        {s1: Interval(0, 1), mu1: Interval(0, 1)}
        """
        return super().support() | {p: sp.Interval(0, 1) for p in self.parameters}

    def weight_efficiency(self, values, given=None) -> float:
        """1: the weights are equal (see :meth:`simulate_posterior`)."""
        return 1.0

    def simulate_posterior(self, values, size, rng=None, given=None):
        """Given every signal the rate vector is the signals (equal weights); shape (size, n)."""
        return self.sample_posterior(values, size, rng, given), np.ones(_integer(size, "size", 1))

    def rate(self, i) -> sp.Symbol:
        """The state component omega_i, agent i's click-through rate.

        >>> KnownRates(3).rate(2)
        omega2
        """
        return self.omega[check_agent(i, self.n, "i") - 1]

    def moment(self, k, given=None, agent=None) -> sp.Expr:
        """E[omega_agent^k | s_G]; ``agent`` is required.

        >>> KnownRates(2).moment(2, given=(1,), agent=1)
        s1**2
        """
        k = _integer(k, "k")
        if agent is None:
            raise TypeError("agent is required: the state of KnownRates is a vector")
        agent = check_agent(agent, self.n, "agent")
        given = self._given(given)
        if agent in given:
            return self.s[agent - 1]**k
        if k >= 2:
            raise ValueError(f"k={k}: only the prior mean of omega{agent} is modelled")
        return self.prior_mean[agent - 1]**k

    def posterior_mean(self, agent, given=None) -> sp.Expr:
        """E[omega_agent | s_G]: s_agent if known, else mu_agent.

        >>> KnownRates(2).posterior_mean(2, given=(1,))
        mu2
        """
        return self.moment(1, given, agent)

    def sample_posterior(self, values, size, rng=None, given=None) -> np.ndarray:
        """Draws of the rate vector, shape (size, n), given every signal.

        All rates are then known, so every draw equals the signals; with an
        agent left out the posterior of her rate is not modelled (ValueError).

        >>> r = KnownRates(2)
        >>> r.sample_posterior({r.s[0]: 0.25, r.s[1]: 0.5}, size=2)
        array([[0.25, 0.5 ],
               [0.25, 0.5 ]])
        """
        size = _integer(size, "size", 1)
        unknown = [j for j in range(1, self.n + 1) if j not in self._given(given)]
        if unknown:
            raise ValueError(f"given must include every agent: the posterior of "
                             f"omega{unknown[0]} is not modelled beyond its mean")
        rates = self._numeric(self.s, values, "the posterior")
        return np.tile(np.array(rates, dtype=float), (size, 1))

    def posterior_var(self, agent, given=None) -> sp.Expr:
        """Var[omega_agent | s_G]: 0 if the agent is in ``given``.

        Otherwise it is the prior variance, which is not modelled
        (ValueError).

        >>> KnownRates(2).posterior_var(1, given=(1,))
        0
        """
        agent = check_agent(agent, self.n, "agent")
        if agent in self._given(given):
            return sp.Integer(0)
        raise ValueError(f"only the prior mean of omega{agent} is modelled")

    def expect(self, f, given=None, atomic: bool = False) -> sp.Expr:
        """E[f(omega_1, ..., omega_n) | s_G] for f polynomial in the rates.

        Rates are independent across agents, so each monomial factors; a
        known rate is replaced by its signal, an unknown one by its prior
        mean (ValueError for its higher powers).  The moments are already
        explicit and short, so ``atomic`` changes nothing here.

        >>> from sympy import Rational
        >>> r = KnownRates(2, prior_mean=[Rational(1, 2), Rational(1, 4)])
        >>> r.expect(r.rate(1)**2 * r.rate(2), given=(1,))
        s1**2/4
        """
        f = self._check_expr(f)
        given = self._given(given)
        if _omega in f.free_symbols:
            raise ValueError(f"f contains the scalar state {_omega}; use rate(i)")
        try:
            poly = sp.Poly(f, *self.omega)
        except BasePolynomialError as exc:
            raise ValueError(f"f must be polynomial in the rates, got {f}") from exc
        terms = []
        for powers, coeff in poly.terms():
            for j, power in enumerate(powers, start=1):
                if power >= 2 and j not in given:
                    raise ValueError(f"f contains omega{j}**{power}, but only the "
                                     f"prior mean of omega{j} is modelled")
            terms.append(coeff * sp.Mul(*[self.moment(power, given, j)
                                          for j, power in enumerate(powers, start=1)]))
        return sp.Add(*terms)
