r"""Environments: outcome spaces, utilities, and the efficient allocation.

An instance (Section 2 of the paper) has agents i = 1..n with utilities
u_i(x, omega, theta_i), an outcome space X and an information structure P.
Agent i's expected payoff given signals s is

    v_i(x, theta_i, s) = E[u_i(x, omega, theta_i) | s],

and an allocation rule x* is efficient (Definition 1) if

    x*(theta, s) in argmax_{x in X} sum_i v_i(x, theta_i, s).

The economy without agent i uses only the signals s_{-i}: x*(theta_{-i}, s_{-i})
maximizes sum_{j != i} v_j(x, theta_j, s_{-i}).

On an outcome space with a regularizer (:class:`Distributions`: generation
distributions over a finite set T of outputs, Section 5.2) the welfare is the
regularized social objective of Definition 8,

    W(x; theta, s) = sum_i v_i(x, theta_i, s) - alpha D_KL(x || x0(s)),

and x* is its maximizer, the Gibbs distribution of Example 4.

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

import copy
from itertools import combinations
from typing import Iterable, Mapping, Sequence

import sympy as sp

from sympy.core.function import AppliedUndef

from .core.domains import Domain
from .core.kernel import as_expr, decide_zero
from .estimators import check_estimator
from .information import InformationStructure, merged, narrowed
from .symbols import alpha as alpha_symbol, check_agent, s as signal, theta, x as x_symbol  # noqa: F401 (doctests)
from .validation import integer, polynomial_coefficients, positive

__all__ = ["OutcomeSpace", "RealLine", "Interval", "SingleSlot", "Distributions", "Environment",
           "Allocation", "allocation_atom", "partition_atom", "weight_atom", "log_positive"]

Allocation = dict  # outcome variable -> expression in (theta, s)


class OutcomeSpace:
    """The set X of outcomes; ``variables`` are the sympy symbols describing one x.

    ``type_space`` is the default Theta_i of an environment on this outcome
    space: the real line, unless the outcome space says otherwise.
    """

    variables: tuple = ()
    type_space = sp.Interval(-sp.oo, sp.oo)
    #: constant symbols the outcome space itself introduces (a regularization weight, a reference)
    parameters: tuple = ()

    def maximize(self, objective: sp.Expr) -> Allocation:
        raise NotImplementedError

    # hooks an Environment calls; the defaults are those of an unregularized outcome space

    def utility(self, u, name: str) -> sp.Expr:
        """An agent's utility as a sympy expression in the outcome variables."""
        return as_expr(u, name)

    def check(self, env) -> None:
        """Refuse an environment this outcome space cannot serve (nothing to check here)."""

    def regularizer(self, env, allocation: Mapping | None = None, given=None) -> sp.Expr:
        """The term subtracted from the welfare (0: no regularization)."""
        return sp.Integer(0)

    def efficient(self, env, agents: tuple) -> Allocation:
        """x*(theta_A, s_A) for the agents A: the maximizer of their welfare given s_A, over the
        whole outcome space (on a slot an absent agent's share is open to them, worth 0 to them)."""
        return self.maximize(env.welfare(agents, given=agents))

    def efficient_excluding(self, env, agents: tuple) -> Allocation:
        """x* of the agents A over the outcomes in which the others take no part (a slot's shares);
        an outcome space without shares per agent has no such restriction to make."""
        raise ValueError(f"{type(self).__name__} has no outcome without an agent: h='pivot-excluding' "
                         "needs a slot (SingleSlot)")

    def explicit(self, env, expr: sp.Expr, exponentials: bool = True) -> sp.Expr:
        """Replace the outcome space's own atoms by their formulas (none here; ``exponentials``
        is for the Gibbs weights of :class:`Distributions`)."""
        return expr


class RealLine(OutcomeSpace):
    """X = R, one real decision x; the maximizer comes from the first-order condition.

    The objective must be a strictly concave polynomial in x (checked), so the
    stationary point is the unique maximizer.

    >>> from symbolic_mech.symbols import x
    >>> RealLine().maximize(-(x - 3)**2)
    {x: 3}
    """

    def __init__(self, variable: sp.Symbol = x_symbol, atomic: bool = False):
        if not isinstance(variable, sp.Symbol):
            raise TypeError(f"variable must be a sympy Symbol, got {type(variable).__name__}")
        if not isinstance(atomic, bool):
            raise TypeError(f"atomic must be True or False, got {type(atomic).__name__}")
        self.x = variable
        self.variables = (variable,)
        self.atomic = atomic

    def efficient(self, env, agents: tuple) -> Allocation:
        """x*(theta_A, s_A); with ``atomic`` the named atom of :func:`allocation_atom` (its formula
        substituted by :meth:`explicit`), so that a sum over many agents' payoffs at x* stays the
        size the paper writes it instead of repeating x*'s own sum over the agents in each payoff."""
        if not self.atomic:
            return super().efficient(env, agents)
        return {self.x: allocation_atom(self.x, agents)(*_arguments(env, agents))}

    def explicit(self, env, expr: sp.Expr, exponentials: bool = True) -> sp.Expr:
        """Each atom x*[A] replaced by the maximizer of the economy A's welfare (each derived once)."""
        reps = {}
        for a in expr.atoms(AppliedUndef):
            agents = _allocation_agents(a.func.__name__, self.x)
            if agents is None:
                continue
            formulas = env.__dict__.setdefault("_allocation_formulas", {})
            if agents not in formulas:
                formulas[agents] = super().efficient(env, agents)[self.x]
            reps[a] = formulas[agents].xreplace(dict(zip(_arguments(env, agents), a.args)))
        return expr.xreplace(reps) if reps else expr

    def quadratic(self, objective: sp.Expr) -> tuple:
        """(a, b) with objective = a x^2 + b x + c, a provably negative.

        Read off the expression's structure (:func:`polynomial_coefficients`), so
        the constant c (often a large expression, e.g. a pivot term) is never
        expanded, and a sum over the agents is read once, not differentiated.
        """
        x = self.x
        not_quadratic = ValueError(f"objective must be a strictly concave quadratic in {x}")
        try:
            coeffs = polynomial_coefficients(objective, x, "objective")
        except ValueError:
            raise not_quadratic from None
        if any(sp.expand(c) != 0 for k, c in coeffs.items() if k > 2):
            raise not_quadratic
        a = sp.cancel(coeffs.get(2, sp.Integer(0)))
        b = sp.cancel(coeffs.get(1, sp.Integer(0)))
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
    """X = [lo, hi]: a strictly concave quadratic objective's stationary point clipped to the
    interval, or a linear objective's corner: hi where the slope is positive, lo where it is
    negative or zero (a tie goes to lo: a project that gains nothing is not built).

    >>> from symbolic_mech.symbols import x
    >>> Interval(0, 1).maximize(-(x - 3)**2)
    {x: 1}
    >>> v, c = sp.symbols("v c", positive=True)
    >>> Interval(0, 1).maximize((v - c) * x)
    {x: Piecewise((1, c - v < 0), (0, True))}
    """

    def __init__(self, lo, hi, variable: sp.Symbol = x_symbol):
        super().__init__(variable)
        self.lo, self.hi = as_expr(lo, "lo"), as_expr(hi, "hi")
        if (self.hi - self.lo).is_positive is False:
            raise ValueError(f"lo must be below hi, got [{lo}, {hi}]")

    def maximize(self, objective):
        x = self.x
        if sp.expand(sp.diff(objective, x, 2)) == 0:
            slope = sp.cancel(sp.diff(objective, x))
            return {x: sp.Piecewise((self.hi, slope > 0), (self.lo, True))}
        return {x: sp.Max(self.lo, sp.Min(self.hi, self.stationary_point(objective)))}

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

    def maximize(self, objective, among=None):
        """The slot to the largest coefficient; with ``among`` (agents) only they compete, the
        other shares are 0 (the economy without an agent that must buy from another seller)."""
        objective = sp.expand(objective)
        coeff = []
        for xi in self.variables:
            c = objective.coeff(xi)
            if c.has(*self.variables):
                raise ValueError("objective must be linear in the shares x1..xn")
            coeff.append(c)
        compete = range(self.n) if among is None else [check_agent(j, self.n, "among") - 1 for j in among]
        alloc = {}
        for k, xk in enumerate(self.variables):
            if k not in compete:
                alloc[xk] = sp.Integer(0)
                continue
            wins = [coeff[k] > coeff[j] for j in compete if j < k] + \
                   [coeff[k] >= coeff[j] for j in compete if j > k]
            alloc[xk] = sp.Piecewise((1, sp.And(*wins)), (0, True)) if wins else sp.Integer(1)
        return alloc

    def efficient_excluding(self, env, agents: tuple) -> Allocation:
        """x* of the agents A over the outcomes without the others: the slot goes to one of A."""
        return self.maximize(env.welfare(agents, given=agents), among=agents)

    def __repr__(self):
        return f"SingleSlot({self.n})"


class Positions(SingleSlot):
    """K ranked slots (positions) for n agents, slot k seen with the factor alpha_k, alpha_1 > ... > alpha_K > 0.

    Agent i's outcome variable x_i is the factor of the slot she holds (0 without
    one), so a per-click value theta_i and a common click rate omega give
    u_i = theta_i x_i omega.  Welfare is linear in the x_i, and the efficient
    assignment sorts: the largest coefficient gets slot 1, the next slot 2, ...; of
    equal coefficients the lower agent number ranks first (SingleSlot's rule).

    >>> import sympy as sp
    >>> a, b, c = sp.symbols("a b c", positive=True)
    >>> P = Positions(3, [2, 1])
    >>> x1, x2, x3 = P.variables
    >>> [P.maximize(a * x1 + b * x2 + c * x3)[x2].xreplace({a: 5, b: q, c: 3}) for q in (6, 4, 1)]
    [2, 1, 0]

    Parameters
    ==========
    n : number of agents.
    factors : alpha_1, ..., alpha_K (K <= n), exact and provably decreasing and positive:
        symbols as ``(a2 + d, a2)`` with a2, d positive.
    """

    def __init__(self, n: int, factors):
        super().__init__(n)
        if isinstance(factors, (str, sp.Basic)) or not isinstance(factors, Sequence) or not factors:
            raise TypeError("factors must be a nonempty list alpha_1, ..., alpha_K")
        self.factors = tuple(as_expr(a, f"factors[{k}]") for k, a in enumerate(factors, start=1))
        if len(self.factors) > self.n:
            raise ValueError(f"factors: {len(self.factors)} slots for {self.n} agents")
        for k, (a, b) in enumerate(zip(self.factors, self.factors[1:] + (sp.Integer(0),)), start=1):
            if (a - b).is_positive is not True:
                raise ValueError(f"factors must be provably decreasing and positive: alpha_{k} - "
                                 f"{'alpha_' + str(k + 1) if k < len(self.factors) else '0'} = {a - b} is not")
        self.parameters = tuple(sorted(set().union(*(a.free_symbols for a in self.factors)), key=str))

    def maximize(self, objective, among=None):
        """Each competing agent's factor by her rank: the number of competitors that beat her."""
        objective = sp.expand(objective)
        coeff = []
        for xi in self.variables:
            c = objective.coeff(xi)
            if c.has(*self.variables):
                raise ValueError("objective must be linear in the factors x1..xn")
            coeff.append(c)
        compete = list(range(self.n)) if among is None else [check_agent(j, self.n, "among") - 1 for j in among]
        alloc = {}
        for k, xk in enumerate(self.variables):
            if k not in compete:
                alloc[xk] = sp.Integer(0)
                continue
            rivals = [j for j in compete if j != k]
            # j beats k: a larger coefficient, or an equal one and a lower number
            beats = {j: coeff[j] > coeff[k] if j > k else coeff[j] >= coeff[k] for j in rivals}
            branches = []
            for rank, alpha in enumerate(self.factors):
                ways = [sp.And(*[beats[j] for j in above], *[sp.Not(beats[j]) for j in rivals if j not in above])
                        for above in combinations(rivals, rank)]
                if ways:
                    branches.append((alpha, sp.Or(*ways)))
            alloc[xk] = sp.Piecewise(*branches, (0, True))
        return alloc

    def __repr__(self):
        return f"Positions({self.n}, factors={list(self.factors)})"


def _order_statistic(values, k: int) -> sp.Expr:
    """The k-th largest of ``values`` (k = 1: the largest): the largest minimum of k of them."""
    return sp.Max(*[sp.Min(*group) for group in combinations(values, k)])


def _economy(agents) -> str:
    return ",".join(map(str, agents))


def _arguments(env, agents) -> tuple:
    """(theta_j, j in A) + (s_j, j in A): the arguments of an economy's atoms."""
    return tuple(env.theta[j - 1] for j in agents) + tuple(env.s[j - 1] for j in agents)


def allocation_atom(variable: sp.Symbol, agents) -> sp.FunctionClass:
    """The named atom ``x_star[A]``: the efficient decision x*(theta_A, s_A) on the real line of the
    economy of the agents A (``RealLine(atomic=True)``), applied to (theta_j, j in A) and
    (s_j, j in A); :meth:`Environment.explicit` substitutes its formula.

    >>> allocation_atom(x_symbol, (2,))(theta(2), signal(2))
    x_star[2](theta2, s2)
    """
    return sp.Function(f"{variable.name}_star[{_economy(agents)}]", real=True)


def _allocation_agents(name: str, variable: sp.Symbol):
    """The economy A of an atom named by :func:`allocation_atom` for ``variable``, else None."""
    head = f"{variable.name}_star["
    if not (name.startswith(head) and name.endswith("]")):
        return None
    tokens = name[len(head):-1].split(",")
    return tuple(int(t) for t in tokens) if all(t.isdigit() for t in tokens) else None


def partition_atom(agents) -> sp.FunctionClass:
    """The named atom ``Z[A]``: the partition function Z(theta_A, s_A) of the economy of the agents A.

    Applied to (theta_j, j in A) and (s_j, j in A); positive.  Its formula is
    sum_t x0(t | s_A) R[t|A], with the Gibbs weights of :func:`weight_atom`;
    :meth:`Environment.explicit` substitutes both, so derivations stay the size
    the paper writes them (like the posterior moments ``E[omega|1,2](s1, s2)``).

    >>> partition_atom((1, 2))(theta(1), theta(2), signal(1), signal(2))
    Z[1,2](theta1, theta2, s1, s2)
    """
    return sp.Function(f"Z[{_economy(agents)}]", positive=True)


def weight_atom(t: int, agents) -> sp.FunctionClass:
    """The named atom ``R[t|A]``: the Gibbs weight R(t | theta_A, s_A) = exp(c_A(t) / alpha) of output t
    (the paper's R of Appendix A), c_A(t) = sum_{j in A} E[r_j(t, omega, theta_j) | s_A].

    >>> weight_atom(2, (1, 2))(theta(1), theta(2), signal(1), signal(2))
    R[2|1,2](theta1, theta2, s1, s2)
    """
    return sp.Function(f"R[{t}|{_economy(agents)}]", positive=True)


def _parse_outcome_atom(name: str):
    """("Z", None, agents) or ("R", t, agents) for the atoms above, else None."""
    try:
        if name.startswith("Z[") and name.endswith("]"):
            return "Z", None, tuple(int(j) for j in name[2:-1].split(","))
        if name.startswith("R[") and name.endswith("]") and "|" in name:
            t, agents = name[2:-1].split("|")
            return "R", int(t), tuple(int(j) for j in agents.split(","))
    except ValueError:
        return None
    return None


def log_positive(e: sp.Expr, rule=None) -> sp.Expr:
    """log(e) for e > 0, split over positive factors: log(a b) = log a + log b, log(a^k) = k log a,
    log(exp(u)) = u for real u.  Valid for all values where every factor is positive.  ``rule(f)``
    may give the logarithm of a factor f (None: no rule for f).

    >>> w, u = sp.Symbol("w", positive=True), sp.Symbol("u", real=True)
    >>> log_positive(w * sp.exp(u) / (w + 1))
    u + log(w) - log(w + 1)
    """
    if rule is not None:
        known = rule(e)
        if known is not None:
            return known
    if isinstance(e, sp.exp) and e.args[0].is_extended_real:
        return e.args[0]
    if e.is_Mul and all(f.is_positive for f in e.args):
        return sp.Add(*[log_positive(f, rule) for f in e.args])
    if e.is_Pow and e.base.is_positive and e.exp.is_Rational:
        return e.exp * log_positive(e.base, rule)
    return sp.log(e)


def _entries(values, size: int, name: str) -> list:
    if isinstance(values, (str, bytes, sp.Basic, Mapping)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list with one probability per output, got {type(values).__name__}")
    if len(values) != size:
        raise ValueError(f"{name} must have one probability per output ({size}), got {len(values)}")
    out = [as_expr(q, f"{name}[{t}]") for t, q in enumerate(values, start=1)]
    for t, q in enumerate(out, start=1):
        if q.is_positive is not True:
            raise ValueError(f"{name}[{t}] must be a provably positive probability (declare its symbols "
                             f"positive), got {q}")
    if decide_zero(sp.Add(*out) - 1) is None:
        raise ValueError(f"{name} must sum to 1 (decided exactly), sums to {sp.Add(*out)}")
    return out


class Distributions(OutcomeSpace):
    r"""X = Delta(T): generation distributions over |T| = ``size`` outputs, KL-regularized (Section 5.2).

    An agent's utility is u_i(x, omega, theta_i) = sum_t r_i(t, omega, theta_i) x(t):
    give the rewards as one expression per output (or an expression linear
    in the variables x1..xT).  The welfare is regularized (Definition 8):

        W(x) = sum_i v_i(x, theta_i, s) - alpha D_KL(x || x0(s)),

    and x* is the Gibbs distribution of Example 4,

        x*(t) = x0(t | s) exp(c(t) / alpha) / Z(theta, s),   c(t) = sum_i E[r_i(t, omega, theta_i) | s],

    written x0(t | s) R[t|1..n] / Z[1..n] in the named atoms of :func:`weight_atom` and
    :func:`partition_atom`.  The economy without
    agent i uses x0_{-i} = ``reference_without`` for agent i, which may involve
    only the other agents' signals.

    Parameters
    ==========
    size : the number |T| of outputs (an int >= 1).
    reference : x0(s), one exact probability per output, each provably
        positive, summing to 1 (decided exactly); it may involve the
        signals s_j.  Default uniform, 1/|T|.
    alpha : the regularization weight, provably positive (default the symbol alpha).
    reference_without : x0_{-i}(s_{-i}) for the economy without agent i: a dict
        ``{i: list}`` or a callable ``i -> list``; agents left out use
        ``reference``, which must then be free of agent i's signal.

    >>> import sympy as sp
    >>> X = Distributions(2, [sp.Rational(1, 4), sp.Rational(3, 4)], alpha=1)
    >>> X.variables
    (x1, x2)
    >>> Distributions(2, [sp.Rational(1, 2), sp.Rational(1, 3)])
    Traceback (most recent call last):
    ...
    ValueError: reference must sum to 1 (decided exactly), sums to 5/6
    """

    def __init__(self, size: int, reference=None, alpha=alpha_symbol, reference_without=None):
        self.size = integer(size, "size", 1)
        self.variables = tuple(sp.Symbol(f"x{t}", positive=True) for t in range(1, self.size + 1))
        self.reference = (_entries(reference, self.size, "reference") if reference is not None
                          else [sp.Rational(1, self.size)] * self.size)
        self.alpha = positive(as_expr(alpha, "alpha"), "alpha")
        if reference_without is not None and not (callable(reference_without)
                                                  or isinstance(reference_without, Mapping)):
            raise TypeError("reference_without must be a dict {agent: reference} or a callable "
                            f"agent -> reference, got {type(reference_without).__name__}")
        self._without = reference_without
        self._without_cache: dict = {}
        extra = [q for q in self.reference] + [self.alpha]
        if isinstance(reference_without, Mapping):
            for i, ref in reference_without.items():
                extra += self.reference_without(check_agent(i, None, "reference_without"))
        self.parameters = tuple(sorted(set().union(*(e.free_symbols for e in extra)), key=str))

    def __repr__(self):
        return f"Distributions(|T|={self.size}, reference={self.reference}, alpha={self.alpha})"

    def reference_without(self, i: int) -> list:
        """x0_{-i}: the reference of the economy without agent i."""
        i = check_agent(i, None)
        if i not in self._without_cache:
            ref = None
            if isinstance(self._without, Mapping):
                ref = self._without.get(i)
            elif callable(self._without):
                ref = self._without(i)
            self._without_cache[i] = (self.reference if ref is None else
                                      _entries(ref, self.size, f"reference_without[{i}]"))
        return self._without_cache[i]

    def reference_for(self, env, given=None) -> list:
        """x0(s_given): ``reference`` for all signals, x0_{-i} for the signals of all agents but i."""
        agents = env._given(given)
        if set(agents) == set(range(1, env.n + 1)):
            return self.reference
        missing = sorted(set(range(1, env.n + 1)) - set(agents))
        if len(missing) != 1:
            raise ValueError(f"no reference is defined for the signals of agents {agents}: only all signals "
                             f"or all but one agent's")
        i = missing[0]
        ref = self.reference_without(i)
        own = {env.theta[i - 1], env.s[i - 1]} & set().union(*(q.free_symbols for q in ref))
        if own:
            name = "reference" if ref is self.reference else f"reference_without[{i}]"
            raise ValueError(f"{name} is used for the economy without agent {i} but depends on "
                             f"{sorted(map(str, own))}; give reference_without[{i}] free of agent {i}'s data")
        return ref

    # -- the Environment's hooks --

    def utility(self, u, name):
        if isinstance(u, Sequence) and not isinstance(u, (str, bytes)):
            if len(u) != self.size:
                raise ValueError(f"{name} must give one reward per output ({self.size}), got {len(u)}")
            rewards = [as_expr(r, f"{name}[{t}]") for t, r in enumerate(u, start=1)]
            bad = [r for r in rewards if r.has(*self.variables)]
            if bad:
                raise ValueError(f"{name}: a reward must not involve the distribution {self.variables}")
            return sp.Add(*[r * xt for r, xt in zip(rewards, self.variables)])
        u = as_expr(u, name)
        zero = u.xreplace({xt: 0 for xt in self.variables})
        if any(sp.expand(sp.diff(u, a, b)) != 0 for a in self.variables for b in self.variables) \
                or sp.expand(zero) != 0:
            raise ValueError(f"{name} must be linear in the distribution {self.variables} (no constant term); "
                             f"or give one reward per output")
        return u

    def check(self, env):
        for q in self.reference:
            if q.has(*env.theta, *env.states):
                raise ValueError(f"reference may involve signals and parameters only, got {q}")
        for i in range(1, env.n + 1):
            for q in self.reference_without(i):
                if q.has(*env.theta, *env.states):
                    raise ValueError(f"reference_without[{i}] may involve signals and parameters only, got {q}")

    def rewards(self, env, j: int) -> list:
        """r_j(t, omega, theta_j) for each output t: agent j's utility per unit of x(t)."""
        u = env.utility(j)
        return [sp.diff(u, xt) for xt in self.variables]

    def expected_rewards(self, env, agents, given=None) -> list:
        """c_A(t) = sum_{j in A} E[r_j(t, omega, theta_j) | s_given] for each output t."""
        rows = [[env.info.expect(r, given=given, atomic=True) for r in self.rewards(env, j)] for j in agents]
        return [sp.Add(*col) for col in zip(*rows)]

    def kl(self, p: Sequence, q: Sequence, env=None) -> sp.Expr:
        """D_KL(p || q) = sum_t p(t) log(p(t)/q(t)), each logarithm split over positive factors
        (with ``env``, log R[t|A] = c_A(t)/alpha for the Gibbs weights: their definition)."""
        rule = None if env is None else (lambda f: self._log_weight(env, f))
        return sp.Add(*[pt * (log_positive(pt, rule) - log_positive(qt, rule)) for pt, qt in zip(p, q)])

    def regularizer(self, env, allocation=None, given=None):
        """alpha D_KL(x || x0(s_given)) at ``allocation`` (the variables x1..xT if None)."""
        x = [allocation[xt] for xt in self.variables] if allocation else list(self.variables)
        return self.alpha * self.kl(x, self.reference_for(env, given), env)

    def partition_arguments(self, env, agents) -> tuple:
        """(theta_j, j in A) + (s_j, j in A): the arguments of Z[A] and R[t|A]."""
        return _arguments(env, agents)

    def gibbs(self, rewards: Sequence, reference: Sequence) -> Allocation:
        """x(t) = reference(t) exp(rewards(t)/alpha) / Z with Z = sum_t reference(t) exp(rewards(t)/alpha),
        written out (no atoms): for a reward vector of one's own, e.g. an agent's best response.

        >>> import sympy as sp
        >>> X = Distributions(2, alpha=1)
        >>> X.gibbs([0, 1], X.reference)[X.variables[1]]
        E/(2*(1/2 + E/2))
        """
        weights = [q * sp.exp(c / self.alpha) for c, q in zip(rewards, reference)]
        Z = sp.Add(*weights)
        return {xt: w / Z for xt, w in zip(self.variables, weights)}

    def efficient(self, env, agents):
        """x*_A(t) = x0_A(t) R[t|A] / Z[A], in the named atoms."""
        agents = tuple(agents)
        ref = self.reference_for(env, agents)
        args = self.partition_arguments(env, agents)
        Z = partition_atom(agents)(*args)
        return {xt: q * weight_atom(t, agents)(*args) / Z
                for t, (xt, q) in enumerate(zip(self.variables, ref), start=1)}

    def exponents(self, env, agents) -> list:
        """c_A(t)/alpha for each output t, in the formal arguments (cached per environment)."""
        cache = env.__dict__.setdefault("_gibbs_exponents", {})
        agents = tuple(agents)
        if agents not in cache:
            for j in agents:
                check_agent(j, env.n, "agents")
            c = self.expected_rewards(env, agents, given=agents)
            args = set(self.partition_arguments(env, agents))
            stray = (set(env.theta) | set(env.s)) & set().union(*(ct.free_symbols for ct in c)) - args
            if stray:
                raise ValueError(f"the expected rewards of agents {agents} depend on "
                                 f"{sorted(map(str, stray))}, outside their economy")
            cache[agents] = [ct / self.alpha for ct in c]
        return cache[agents]

    def _log_weight(self, env, f):
        parsed = _parse_outcome_atom(f.func.__name__) if isinstance(f, AppliedUndef) else None
        if parsed is None or parsed[0] != "R":
            return None
        _, t, agents = parsed
        formal = self.partition_arguments(env, agents)
        return self.exponents(env, agents)[t - 1].xreplace(dict(zip(formal, f.args)))

    def stand_ins(self, expr) -> tuple:
        """(expr with each atom Z and R replaced by a positive symbol of the same name, the map).

        An identity decided with the stand-ins holds for all positive values of them, in
        particular for the partition functions and Gibbs weights; its points are exact rationals.

        >>> Z = partition_atom((1,))(theta(1), signal(1))
        >>> Distributions(2).stand_ins(1 / Z)[0].free_symbols
        {Z[1](theta1, s1)}
        """
        reps = {a: sp.Symbol(sp.sstr(a), positive=True) for a in expr.atoms(AppliedUndef)
                if _parse_outcome_atom(a.func.__name__) is not None}
        return (expr.xreplace(reps) if reps else expr), reps

    def hidden_symbols(self, env, expr) -> set:
        """The symbols inside the formulas of the atoms Z and R in ``expr`` (rewards' parameters,
        alpha, the reference's), which a point must fix to evaluate them."""
        out = set()
        for a in expr.atoms(AppliedUndef):
            parsed = _parse_outcome_atom(a.func.__name__)
            if parsed is None:
                continue
            agents = parsed[2]
            formal = set(self.partition_arguments(env, agents))
            inner = set(self.alpha.free_symbols).union(*(q.free_symbols for q in self.reference_for(env, agents)))
            inner |= set().union(*(e.free_symbols for e in self.exponents(env, agents)))
            out |= inner - formal
        return out

    def explicit(self, env, expr, exponentials=True):
        """Z[A] by sum_t x0_A(t) R[t|A]; with ``exponentials``, R[t|A] by exp(c_A(t)/alpha)."""
        def atoms(kind):
            return [a for a in expr.atoms(AppliedUndef)
                    if (p := _parse_outcome_atom(a.func.__name__)) is not None and p[0] == kind]
        reps = {}
        for a in atoms("Z"):
            _, _, agents = _parse_outcome_atom(a.func.__name__)
            ref = self.reference_for(env, agents)
            formal = self.partition_arguments(env, agents)
            sub = dict(zip(formal, a.args))
            reps[a] = sp.Add(*[q.xreplace(sub) * weight_atom(t, agents)(*a.args)
                               for t, q in enumerate(ref, start=1)])
        expr = expr.xreplace(reps) if reps else expr
        if exponentials:
            reps = {a: sp.exp(self._log_weight(env, a)) for a in atoms("R")}
            expr = expr.xreplace(reps) if reps else expr
        return expr

    def maximize(self, objective):
        raise NotImplementedError("Distributions: the efficient distribution is computed by the Environment "
                                  "(env.efficient_allocation), which knows the reference of each economy")


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
        if not isinstance(info, InformationStructure):
            raise TypeError(f"info must be an InformationStructure (e.g. GaussianSignals(n)), "
                            f"got {type(info).__name__}")
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
            | set(getattr(info, "parameters", ())) | set(parameters) | set(outcome.parameters)
        self.utilities = []
        for i, u in enumerate(utilities, start=1):
            u = outcome.utility(u, f"the utility of agent {i}")
            extra = u.free_symbols - declared
            if extra:
                raise ValueError(f"the utility of agent {i} uses undeclared symbols {sorted(map(str, extra))}; "
                                 f"declare them with parameters=")
            self.utilities.append(u)
        self.states = states
        self.types = self._type_spaces(types)
        outcome.check(self)

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
        check_estimator(estimator)
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
        if allocation:
            # E[u_i | s] with the outcome symbolic, then the allocation put in: the same, as the
            # allocation does not involve the state, and each agent's value is taken once instead
            # of once per allocation (with many agents x* is a long sum in every u_j)
            values = dict(allocation)
            cache = self.__dict__.setdefault("_values", {})
            try:
                key = (i, given if given is None else tuple(given))
                if all(isinstance(v, sp.Basic) and not v.has(*self.states) for v in values.values()):
                    if key not in cache:
                        cache[key] = self.info.expect(self.utility(i), given=given, atomic=True)
                    return cache[key].xreplace(values)
            except (TypeError, ValueError):     # reported by the direct way below
                pass
        return self.info.expect(self.utility(i, allocation), given=given, atomic=True)

    def welfare(self, agents=None, allocation=None, given=None) -> sp.Expr:
        """sum over ``agents`` of v_j, by default all agents with all signals, minus the outcome
        space's regularizer at the reference of the signals ``given`` (Definition 8; none on the
        real line or a slot)."""
        agents = self._given(agents)
        total = sp.Add(*[self.value(j, allocation, given) for j in agents])
        return total - self.outcome.regularizer(self, allocation, given)

    def efficient_allocation(self, agents=None) -> Allocation:
        """x*(theta_A, s_A): maximize the welfare of ``agents`` given their signals.

        ``agents=None`` is the whole economy; ``agents`` without i gives the
        allocation x*(theta_{-i}, s_{-i}) used by pivot transfers.
        """
        agents = self._given(agents)
        for j in agents:
            check_agent(j, self.n, "agents")
        # derived once per economy (every transfer asks again): a copy, so no caller changes it
        cache = self.__dict__.setdefault("_efficient", {})
        if agents not in cache:
            cache[agents] = self.outcome.efficient(self, agents)
        return dict(cache[agents])

    def explicit(self, expr: sp.Expr, exponentials: bool = True) -> sp.Expr:
        """The outcome space's atoms (a partition function Z and the Gibbs weights R; x* on a real
        line with ``atomic``) and the posterior moments replaced by their formulas; on a slot the
        same as ``env.info.explicit``.  ``exponentials=False`` substitutes Z = sum_t x0(t) R[t|A] and
        keeps the weights R opaque: an identity decided so holds for all positive weights."""
        # an atom's formula is asked by every check of the economy, an allocation's by every
        # mechanism on it: each derived once
        cache = self.__dict__.setdefault("_explicit", {})
        key = (expr, exponentials)
        if key not in cache:
            cache[key] = self.info.explicit(self.outcome.explicit(self, expr, exponentials))
        return cache[key]

    def definition(self, expr: sp.Expr) -> sp.Expr:
        """What a statement defines an atom as: an atom x*[A] (:func:`allocation_atom`) by its
        maximizer, the posterior moments in it left as atoms (the checker rebuilds those from the
        model); any other expression made explicit (:meth:`explicit`)."""
        if isinstance(expr, AppliedUndef) and isinstance(self.outcome, RealLine) \
                and _allocation_agents(expr.func.__name__, self.outcome.x) is not None:
            return self.outcome.explicit(self, expr)
        return self.explicit(expr)

    def with_atoms(self) -> Environment:
        """This economy with x* of every economy a named atom (:func:`allocation_atom`) where the
        outcome space is the real line; otherwise itself (a slot's x* has regions, a distribution's
        has its own atoms Z and R).  :meth:`explicit` puts the formulas back.

        >>> from symbolic_mech import GaussianSignals
        >>> from symbolic_mech.symbols import omega
        >>> env = Environment(GaussianSignals(2), [-(x_symbol - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
        >>> atoms = env.with_atoms()
        >>> atoms.efficient_allocation((2,))
        {x: x_star[2](theta2, s2)}
        >>> atoms.explicit(atoms.efficient_allocation((2,))[x_symbol])
        theta2 + (mu/sigma**2 + s2/sigma2**2)/(sigma2**(-2) + sigma**(-2))
        """
        if type(self.outcome) is not RealLine or self.outcome.atomic:
            return self
        if "_with_atoms" not in self.__dict__:     # one view per economy: its formulas derived once
            view = copy.copy(self)
            view.__dict__.pop("_efficient", None)      # the values with x symbolic are the same: shared
            view.__dict__.pop("_explicit", None)    # the view's x* atoms have formulas, the economy's not
            view.outcome = RealLine(self.outcome.x, atomic=True)
            self._with_atoms = view
        return self._with_atoms

    def others(self, i: int) -> tuple:
        """The agent numbers other than i."""
        i = check_agent(i, self.n)
        return tuple(j for j in range(1, self.n + 1) if j != i)
