r"""Environments: outcome spaces, utilities, and the efficient allocation.

An instance (Section 2 of the paper) has agents i = 1..n with utilities
u_i(x, omega, theta_i), an outcome space X and an information structure P.
Agent i's expected payoff given signals s is

    v_i(x, theta_i, s) = E[u_i(x, omega, theta_i) | s],

and an allocation rule x* is efficient (Definition 1) if

    x*(theta, s) in argmax_{x in X} sum_i v_i(x, theta_i, s).

The economy without agent i uses only the signals s_{-i}: x*(theta_{-i}, s_{-i})
maximizes sum_{j != i} v_j(x, theta_j, s_{-i}).

Examples
========

Example 1 of the paper (quadratic loss, two agents, Gaussian signals):

>>> import sympy as sp
>>> from symbolic_mech import GaussianSignals, Environment, RealLine
>>> from symbolic_mech.symbols import x, omega, theta
>>> info = GaussianSignals(2)
>>> env = Environment(info, [-(x - theta(i) - omega)**2 for i in (1, 2)], RealLine())
>>> env.efficient_allocation()[x]
theta1/2 + theta2/2 + E[omega|1,2](s1, s2)
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import sympy as sp

from .core.domains import Domain
from .core.kernel import as_expr
from .information import merged, narrowed
from .symbols import check_agent, theta, x as x_symbol
from .validation import integer

__all__ = ["OutcomeSpace", "RealLine", "Interval", "SingleSlot", "Environment", "Allocation"]

Allocation = dict  # outcome variable -> expression in (theta, s)


class OutcomeSpace:
    """The set X of outcomes; ``variables`` are the sympy symbols describing one x.

    ``type_space`` is the default Theta_i of an environment on this outcome
    space: the real line, unless the outcome space says otherwise.
    """

    variables: tuple = ()
    type_space = sp.Interval(-sp.oo, sp.oo)

    def maximize(self, objective: sp.Expr) -> Allocation:
        raise NotImplementedError


class RealLine(OutcomeSpace):
    """X = R, one real decision x; the maximizer comes from the first-order condition.

    The objective must be a strictly concave polynomial in x (checked), so the
    stationary point is the unique maximizer.

    >>> from symbolic_mech.symbols import x
    >>> RealLine().maximize(-(x - 3)**2)
    {x: 3}
    """

    def __init__(self, variable: sp.Symbol = x_symbol):
        if not isinstance(variable, sp.Symbol):
            raise TypeError(f"variable must be a sympy Symbol, got {type(variable).__name__}")
        self.x = variable
        self.variables = (variable,)

    def quadratic(self, objective: sp.Expr) -> tuple:
        """(a, b) with objective = a x^2 + b x + c, a provably negative.

        Read off by differentiation, so the constant c (often a large
        expression, e.g. a pivot term) is never expanded.
        """
        x = self.x
        if sp.expand(sp.diff(objective, x, 3)) != 0:
            raise ValueError(f"objective must be a strictly concave quadratic in {x}")
        a = sp.cancel(sp.diff(objective, x, 2) / 2)
        b = sp.cancel(sp.diff(objective, x).xreplace({x: 0}))
        if a.is_negative is not True:
            raise ValueError(f"objective must be strictly concave in {x}: leading coefficient "
                             f"{a} is not provably negative")
        return a, b

    def stationary_point(self, objective: sp.Expr) -> sp.Expr:
        """The maximizer -b / (2a) of a strictly concave quadratic."""
        a, b = self.quadratic(objective)
        return sp.cancel(-b / (2 * a))

    def maximize(self, objective):
        return {self.x: self.stationary_point(objective)}

    def __repr__(self):
        return f"RealLine({self.x})"


class Interval(RealLine):
    """X = [lo, hi]: the concave objective's stationary point clipped to the interval.

    >>> from symbolic_mech.symbols import x
    >>> Interval(0, 1).maximize(-(x - 3)**2)
    {x: 1}
    """

    def __init__(self, lo, hi, variable: sp.Symbol = x_symbol):
        super().__init__(variable)
        self.lo, self.hi = as_expr(lo, "lo"), as_expr(hi, "hi")
        if (self.hi - self.lo).is_positive is False:
            raise ValueError(f"lo must be below hi, got [{lo}, {hi}]")

    def maximize(self, objective):
        return {self.x: sp.Max(self.lo, sp.Min(self.hi, self.stationary_point(objective)))}

    def __repr__(self):
        return f"Interval([{self.lo}, {self.hi}], {self.x})"


class SingleSlot(OutcomeSpace):
    """One slot (or object) for n agents: X is the simplex of shares x1..xn.

    Welfare is linear in the shares, so a vertex is optimal: the slot goes to
    the agent with the largest coefficient, ties to the lowest agent number.

    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> X = SingleSlot(2)
    >>> X.maximize(a*X.variables[0] + b*X.variables[1])[X.variables[0]]
    Piecewise((1, a >= b), (0, True))
    """

    #: an agent's type is her value per unit (per click): nonnegative
    type_space = sp.Interval(0, sp.oo)

    def __init__(self, n: int):
        self.n = integer(n, "n", 1)
        self.variables = tuple(sp.Symbol(f"x{i}", nonnegative=True) for i in range(1, n + 1))

    def maximize(self, objective):
        objective = sp.expand(objective)
        coeff = []
        for xi in self.variables:
            c = objective.coeff(xi)
            if c.has(*self.variables):
                raise ValueError("objective must be linear in the shares x1..xn")
            coeff.append(c)
        alloc = {}
        for k, xk in enumerate(self.variables):
            wins = [coeff[k] > coeff[j] for j in range(k)] + \
                   [coeff[k] >= coeff[j] for j in range(k + 1, self.n)]
            alloc[xk] = sp.Piecewise((1, sp.And(*wins)), (0, True)) if wins else sp.Integer(1)
        return alloc

    def __repr__(self):
        return f"SingleSlot({self.n})"


class Environment:
    """An instance: information structure, utilities u_1..u_n and an outcome space.

    Parameters
    ==========
    info : an :class:`~symbolic_mech.information.InformationStructure`.
    utilities : a sequence of n sympy expressions, u_i in the outcome
        variables, the state and the types (u_i may involve other agents'
        types: interdependent preferences, Section 4.2.5).
    outcome : an :class:`OutcomeSpace`.
    parameters : extra constant symbols the utilities may use.
    types : the type spaces Theta_i: one sympy Interval for every agent, or a
        dict ``{i: Interval}``; default the outcome space's ``type_space``
        (values per click >= 0 on a slot, the real line otherwise).  Truth,
        reports and witnesses are drawn from them (:meth:`domains`).
    """

    def __init__(self, info, utilities: Sequence, outcome: OutcomeSpace, parameters: Iterable = (),
                 types=None):
        if not isinstance(outcome, OutcomeSpace):
            raise TypeError(f"outcome must be an OutcomeSpace, got {type(outcome).__name__}")
        if isinstance(utilities, (str, sp.Expr)) or not isinstance(utilities, Sequence):
            raise TypeError("utilities must be a list with one sympy expression per agent")
        if len(utilities) != info.n:
            raise ValueError(f"utilities must have one entry per agent ({info.n}), got {len(utilities)}")
        self.info, self.outcome, self.n = info, outcome, info.n
        self.theta = tuple(theta(i) for i in range(1, self.n + 1))
        self.s = tuple(info.s)
        states = info.omega if isinstance(info.omega, tuple) else (info.omega,)
        declared = set(outcome.variables) | set(states) | set(self.theta) \
            | set(getattr(info, "parameters", ())) | set(parameters)
        self.utilities = []
        for i, u in enumerate(utilities, start=1):
            u = as_expr(u, f"utilities[{i}]")
            extra = u.free_symbols - declared
            if extra:
                raise ValueError(f"utilities[{i}] uses undeclared symbols {sorted(map(str, extra))}; "
                                 f"declare them with parameters=")
            self.utilities.append(u)
        self.states = states
        self.types = self._type_spaces(types)

    def _type_spaces(self, types) -> dict:
        if types is None or isinstance(types, (sp.Interval, sp.Range)):
            space = self.outcome.type_space if types is None else types
            return {t: space for t in self.theta}
        if not isinstance(types, Mapping):
            raise TypeError(f"types must be a sympy Interval or a dict {{agent: Interval}}, got {type(types).__name__}")
        out = {t: self.outcome.type_space for t in self.theta}
        for i, space in types.items():
            if not isinstance(space, (sp.Interval, sp.Range)):
                raise TypeError(f"types[{i}] must be a sympy Interval or Range, got {type(space).__name__}")
            out[self.theta[check_agent(i, self.n, "types") - 1]] = space
        for t, space in out.items():
            Domain.of(t, space)  # an empty type space is an error here, naming the agent's type
        return out

    def support(self, estimator=None) -> dict:
        """``{symbol: set or None}``: the type spaces, the information structure's supports
        (signals, parameters) and the estimator's parameters.

        >>> from symbolic_mech import BetaBernoulliClicks
        >>> env = Environment(BetaBernoulliClicks(2, impressions=3), [0, 0], SingleSlot(2))
        >>> env.support()
        {theta1: Interval(0, oo), theta2: Interval(0, oo), s1: Range(0, 4, 1), s2: Range(0, 4, 1), a: None, b: None}
        """
        return merged(self.types, self.info.support(), estimator.support() if estimator is not None else {})

    def domains(self, estimator=None, narrow=None) -> dict:
        """``{symbol: Domain}`` of :meth:`support`, narrowed (never widened) by ``narrow``.

        >>> from symbolic_mech import BetaBernoulliClicks
        >>> env = Environment(BetaBernoulliClicks(1, impressions=3), [0], SingleSlot(1))
        >>> env.domains(narrow={theta(1): (0, 5)})[theta(1)]
        Domain(theta1: (0, 5))
        >>> env.domains(narrow={theta(1): (-1, 5)})
        Traceback (most recent call last):
        ...
        ValueError: domain[theta1] = (-1, 5) reaches outside the support [0, oo) of theta1
        """
        return narrowed(self.support(estimator), narrow)

    def __repr__(self):
        us = ", ".join(f"u{i}={sp.sstr(u)}" for i, u in enumerate(self.utilities, 1))
        return f"Environment(n={self.n}, {self.outcome!r}, {us}; {self.info})"

    def _given(self, agents):
        return tuple(range(1, self.n + 1)) if agents is None else tuple(agents)

    def utility(self, i: int, allocation: Mapping | None = None) -> sp.Expr:
        """u_i, with the outcome variables replaced by ``allocation`` if given."""
        u = self.utilities[check_agent(i, self.n) - 1]
        return u.xreplace(dict(allocation)) if allocation else u

    def value(self, i: int, allocation: Mapping | None = None, given=None) -> sp.Expr:
        """v_i(x, theta_i, s_given) = E[u_i | s_j, j in given] (all signals if None).

        Posterior moments appear as the structure's atoms (``E[omega|1,2](s1, s2)``);
        ``env.info.explicit`` turns them into formulas.
        """
        return self.info.expect(self.utility(i, allocation), given=given, atomic=True)

    def welfare(self, agents=None, allocation=None, given=None) -> sp.Expr:
        """sum over ``agents`` of v_j, by default all agents with all signals."""
        agents = self._given(agents)
        return sp.Add(*[self.value(j, allocation, given) for j in agents])

    def efficient_allocation(self, agents=None) -> Allocation:
        """x*(theta_A, s_A): maximize the welfare of ``agents`` given their signals.

        ``agents=None`` is the whole economy; ``agents`` without i gives the
        allocation x*(theta_{-i}, s_{-i}) used by pivot transfers.
        """
        agents = self._given(agents)
        for j in agents:
            check_agent(j, self.n, "agents")
        return self.outcome.maximize(self.welfare(agents, given=agents))

    def others(self, i: int) -> tuple:
        """The agent numbers other than i."""
        i = check_agent(i, self.n)
        return tuple(j for j in range(1, self.n + 1) if j != i)
