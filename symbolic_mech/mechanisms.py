r"""Mechanisms: the efficient allocation with a transfer rule.

A transfer t_i is a sympy expression in the *reported* types and signals
(the symbols theta_j, s_j stand for reports here) and, for data-driven
mechanisms, the post-allocation estimate ``omega_hat`` (Definition 4).  The
incentive analysis substitutes a misreport for agent i's entries.

Transfer classes (t_i is paid to agent i; a payment is a negative transfer):

* message-driven VCG (Groves) for posterior implementation (Section 3):
  t_i = h_i(theta_{-i}; s) + sum_{j != i} v_j(x*(theta, s), theta_j, s);
* Bergemann–Välimäki generalized VCG, signals reported, types fixed:
  t_i = k_i(s_{-i}; theta) + int_0^{s_i} d/dx [sum_{j != i} v_j(x, theta_j, (u, s_{-i}))]
  at x = x*(theta, u, s_{-i}), times d x*(theta, u, s_{-i})/du, du;
* data-driven VCG (Definition 6):
  t_i = h_i(theta_{-i}, s_{-i}, omega_hat) + sum_{j != i} u_j(x*(theta, s), omega_hat, theta_j),
  with the pivot h_i = -sum_{j != i} u_j(x*(theta_{-i}, s_{-i}), omega_hat, theta_j) (Example 2);
* alpha-regularized data-driven VCG (Definition 9) on generation distributions:
  t_i = h_i + sum_{j != i} u_j(x*, omega_hat, theta_j) - alpha D_KL(x* || x0(s)), with the pivot
  h_i = -[sum_{j != i} u_j(x*_{-i}, omega_hat, theta_j) - alpha D_KL(x*_{-i} || x0_{-i}(s_{-i}))];
* per-click pivot payments (Section 5.1): t_i = -max_{j != i} theta_j * x_i * omega_hat;
* two-stage leave-one-out transfers (equation 5): omega_hat replaced by an
  estimate built from the other agents' second-stage reports.

Examples
========

>>> import sympy as sp
>>> from symbolic_mech import GaussianSignals, Environment, RealLine, DataDrivenVCG
>>> from symbolic_mech.symbols import x, omega, theta
>>> env = Environment(GaussianSignals(2), [-(x - theta(i) - omega)**2 for i in (1, 2)], RealLine())
>>> t1 = DataDrivenVCG(env).transfer(1)
>>> t1.has(sp.Symbol("omega_hat", real=True))
True
"""
from __future__ import annotations

import copy
from typing import Callable, Mapping

import sympy as sp

from .environments import Distributions, Environment, Positions, RealLine, _order_statistic
from .core.kernel import as_expr
from .symbols import check_agent, estimate, omega_hat

__all__ = ["Mechanism", "MessageDrivenVCG", "GeneralizedVCG", "DataDrivenVCG",
           "RegularizedDataDrivenVCG", "PerClickPivot", "GeneralizedSecondPrice", "TwoStageLeaveOneOut",
           "CustomTransfers"]


def _state_to_estimate(expr: sp.Expr, env: Environment) -> sp.Expr:
    """Evaluate at the estimate: each state component by its own estimate."""
    return expr.xreplace({w: estimate(w) for w in env.states})


class Mechanism:
    """The efficient allocation x* of ``env`` with transfers ``transfer(i)``."""

    data_driven = True
    name = "mechanism"

    def __init__(self, env: Environment):
        if not isinstance(env, Environment):
            raise TypeError(f"env must be an Environment, got {type(env).__name__}")
        self.env = env
        self._allocation = None

    def allocation(self) -> dict:
        """x*(theta, s) as ``{outcome variable: expression in the reports}``."""
        if self._allocation is None:
            self._allocation = self.env.efficient_allocation()
        return self._allocation

    def allocation_at(self, substitution: Mapping) -> dict:
        """x* with ``substitution`` put into the reports (a misreport's), a copy; each asked once
        (on a slot every payoff of a check asks again, and a Piecewise is rebuilt each time).

        >>> from symbolic_mech.paper.instances import quadratic_loss
        >>> from symbolic_mech.symbols import theta
        >>> DataDrivenVCG(quadratic_loss(1)).allocation_at({theta(1): 2})
        {x: E[omega|1](s1) + 2}
        """
        key = frozenset(dict(substitution).items())
        cache = self.__dict__.setdefault("_allocations_at", {})
        if key not in cache:
            cache[key] = {k: v.xreplace(dict(substitution)) for k, v in self.allocation().items()}
        return dict(cache[key])

    def transfer(self, i: int, allocation: Mapping | None = None) -> sp.Expr:
        """t_i in the reports (and omega_hat); ``allocation`` overrides x*(theta, s)."""
        raise NotImplementedError

    def on(self, env: Environment) -> Mechanism:
        """The same rule on ``env``: an economy with the same agents, utilities and information,
        such as :meth:`Environment.with_atoms`.

        >>> from symbolic_mech import GaussianSignals, RealLine
        >>> from symbolic_mech.symbols import omega, theta, x
        >>> env = Environment(GaussianSignals(2), [-(x - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
        >>> DataDrivenVCG(env).on(env.with_atoms()).allocation()
        {x: x_star[1,2](theta1, theta2, s1, s2)}
        """
        if not isinstance(env, Environment):
            raise TypeError(f"env must be an Environment, got {type(env).__name__}")
        if env.n != self.env.n or env.utilities != self.env.utilities or env.info is not self.env.info:
            raise ValueError("env must have this mechanism's agents, utilities and information")
        out = copy.copy(self)
        out.env, out._allocation = env, None
        out.__dict__.pop("_allocations_at", None)
        return out

    def __repr__(self):
        return f"{type(self).__name__}({self.env!r})"


def _resolve_h(h, env: Environment, i: int, pivot: Callable[..., sp.Expr]) -> sp.Expr:
    if h is None:
        return sp.Integer(0)
    if isinstance(h, str):
        if h not in ("pivot", "pivot-excluding"):
            raise ValueError(f"h must be None, 'pivot', 'pivot-excluding', a dict or a callable, got {h!r}")
        return pivot(i) if h == "pivot" else pivot(i, excluding=True)
    hi = h(i) if callable(h) else h.get(i, 0) if isinstance(h, Mapping) else None
    if hi is None:
        raise TypeError(f"h must be None, 'pivot', a dict or a callable, got {type(h).__name__}")
    hi = as_expr(hi, f"h[{i}]")
    own = {env.theta[i - 1], env.s[i - 1]} & hi.free_symbols
    if own:
        raise ValueError(f"h[{i}] must not depend on agent {i}'s own reports, found {sorted(map(str, own))}")
    return hi


def _without(env: Environment, others: tuple, excluding: bool):
    """x*_{-i}: the others' efficient outcome over the whole outcome space (the Clarke pivot: on
    a slot agent i's share is open to them and worth 0 to them), or with ``excluding`` over the
    outcomes without agent i (on a slot the others' shares only: the procurement pivot, where
    the economy without seller i buys from another seller)."""
    return env.outcome.efficient_excluding(env, others) if excluding else env.efficient_allocation(others)


class MessageDrivenVCG(Mechanism):
    """Groves transfers from reports only: t_i = h_i + sum_{j != i} v_j(x*, theta_j, s).

    ``h`` as in :class:`DataDrivenVCG`; ``"pivot"`` and ``"pivot-excluding"`` with v_j in
    place of u_j(., omega_hat, .).
    """

    data_driven = False

    def __init__(self, env, h=None):
        super().__init__(env)
        self.h = h

    def _pivot(self, i, excluding=False):
        others = self.env.others(i)
        return -self.env.welfare(others, _without(self.env, others, excluding), given=others)

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        alloc = allocation or self.allocation()
        ext = self.env.welfare(self.env.others(i), alloc)
        return _resolve_h(self.h, self.env, i, self._pivot) + ext


class GeneralizedVCG(Mechanism):
    """Bergemann–Välimäki transfers for signals (types held fixed), real outcome.

    t_i = k_i + int_0^{s_i} d/dx sum_{j != i} v_j(x, theta_j, u, s_{-i}) |_{x = x*(theta, u, s_{-i})}
    * d/du x*(theta, u, s_{-i}) du, with k_i(s_{-i}; theta) arbitrary (``k``).
    """

    data_driven = False

    def __init__(self, env, k=None):
        super().__init__(env)
        if not isinstance(env.outcome, RealLine):
            raise ValueError("GeneralizedVCG needs a RealLine outcome (the integral formula is one-dimensional)")
        self.k = k

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        env, xvar = self.env, self.env.outcome.x
        si = env.s[i - 1]
        u = sp.Dummy("u", real=True)
        xs = self.allocation()[xvar]
        marginal = sp.diff(env.welfare(env.others(i)), xvar)
        integrand = (marginal.xreplace({xvar: xs}) * sp.diff(xs, si)).xreplace({si: u})
        integral = sp.integrate(sp.expand(integrand), (u, 0, si))
        k = as_expr(self.k.get(i, 0), f"k[{i}]") if isinstance(self.k, Mapping) else sp.Integer(0)
        return k + integral


class DataDrivenVCG(Mechanism):
    """Definition 6: t_i = h_i(theta_{-i}, s_{-i}, omega_hat) + sum_{j != i} u_j(x*, omega_hat, theta_j).

    ``h`` is None (h_i = 0), ``"pivot"`` (Example 2), ``"pivot-excluding"``, a dict
    ``{i: expr}`` or a callable ``i -> expr``; h_i must not involve agent i's own reports.
    The pivot is h_i = -sum_{j != i} u_j(x*_{-i}, omega_hat, theta_j), where x*_{-i}
    maximizes the others' welfare given s_{-i}:

    * ``"pivot"``: over the whole outcome space.  On a slot agent i's share stays
      open to the others and is worth 0 to them, so with values >= 0 it is the
      auction's Clarke pivot; with costs (u_j = -theta_j x_j, procurement) x*_{-i}
      gives the slot to i at no cost to the others, so the winner is paid
      nothing and every loser pays the winner's cost.
    * ``"pivot-excluding"``: over the outcomes without agent i (a slot's other
      shares only): the economy without i buys from another seller, and the
      winner of a procurement is paid the second-lowest cost (losers pay nothing).

    >>> import sympy as sp
    >>> from symbolic_mech import GaussianSignals, SingleSlot, MessageDrivenVCG
    >>> from symbolic_mech.symbols import theta
    >>> slot = SingleSlot(2)
    >>> env = Environment(GaussianSignals(2), [-theta(i) * slot.variables[i - 1] for i in (1, 2)], slot)
    >>> costs = {theta(1): 3, theta(2): 5}
    >>> [DataDrivenVCG(env, h=h).transfer(1).xreplace(costs) for h in ("pivot", "pivot-excluding")]
    [0, 5]
    >>> [DataDrivenVCG(env, h=h).transfer(2).xreplace(costs) for h in ("pivot", "pivot-excluding")]
    [-3, 0]
    """

    def __init__(self, env, h=None):
        super().__init__(env)
        self.h = h

    def externality(self, i, allocation):
        """sum_{j != i} u_j(allocation, omega_hat, theta_j)."""
        # the estimate goes into each small utility before the allocation (a long sum with many
        # agents) does: the same expression as substituting it afterwards, without rebuilding it
        hat = {k: _state_to_estimate(v, self.env) for k, v in dict(allocation).items()}
        return sp.Add(*[_state_to_estimate(self.env.utility(j), self.env).xreplace(hat)
                        for j in self.env.others(i)])

    def _pivot(self, i, excluding=False):
        others = self.env.others(i)
        return -self.externality(i, _without(self.env, others, excluding))

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        return _resolve_h(self.h, self.env, i, self._pivot) + self.externality(i, allocation or self.allocation())


class RegularizedDataDrivenVCG(DataDrivenVCG):
    r"""Definition 9: the alpha-regularized data-driven VCG on a :class:`~symbolic_mech.environments.Distributions`.

    x* is the Gibbs distribution x0(t|s) exp(c(t)/alpha)/Z(theta, s) of the
    expected rewards c (Example 4), and agent i is paid

        t_i = h_i(theta_{-i}, s_{-i}, omega_hat) + sum_{j != i} u_j(x*, omega_hat, theta_j)
              - alpha D_KL(x* || x0(s)).

    ``h="pivot"`` is h_i = -[sum_{j != i} u_j(x*_{-i}, omega_hat, theta_j)
    - alpha D_KL(x*_{-i} || x0_{-i})], where x*_{-i} is the Gibbs distribution of
    the others' rewards given s_{-i} against the reference x0_{-i}(s_{-i}): it
    uses neither agent i's report nor her signal (checked).  ``h`` may also be
    None, a dict ``{i: expr}`` or a callable, free of agent i's reports.

    Parameters
    ==========
    env : an Environment on a Distributions outcome space.
    alpha : the regularization weight; default the outcome space's, and if
        given it must be the outcome space's (the welfare the mechanism
        implements is regularized with it).
    h : None, "pivot", a dict or a callable, as in :class:`DataDrivenVCG`.

    >>> import sympy as sp
    >>> from symbolic_mech import GaussianSignals, Environment
    >>> from symbolic_mech.environments import Distributions
    >>> from symbolic_mech.symbols import omega, theta
    >>> env = Environment(GaussianSignals(2), [[theta(i) * omega, 0] for i in (1, 2)], Distributions(2))
    >>> mech = RegularizedDataDrivenVCG(env, h="pivot")
    >>> mech.allocation()[env.outcome.variables[1]]
    R[2|1,2](theta1, theta2, s1, s2)/(2*Z[1,2](theta1, theta2, s1, s2))
    >>> env.outcome.explicit(env, mech.allocation()[env.outcome.variables[1]]).has(sp.exp)
    True
    >>> mech.transfer(1).has(env.theta[0], env.s[0]), mech.pivot(1).has(env.theta[0], env.s[0])
    (True, False)

    References
    ==========
    Definition 9, Example 4 and Corollary 3 of the paper.
    """

    def __init__(self, env, alpha=None, h=None):
        Mechanism.__init__(self, env)
        if not isinstance(env.outcome, Distributions):
            raise TypeError(f"env must have a Distributions outcome space, got {type(env.outcome).__name__}")
        if alpha is not None:
            alpha = as_expr(alpha, "alpha")
            if alpha != env.outcome.alpha:
                raise ValueError(f"alpha must be the outcome space's regularization weight "
                                 f"{env.outcome.alpha}, got {alpha}")
        self.alpha = env.outcome.alpha
        self.h = h

    def regularized_externality(self, i, allocation, given=None):
        """sum_{j != i} u_j(allocation, omega_hat, theta_j) - alpha D_KL(allocation || x0(s_given))."""
        return self.externality(i, allocation) - self.env.outcome.regularizer(self.env, allocation, given)

    def pivot(self, i, excluding=False):
        """The pivot h_i = -[sum_{j != i} u_j(x*_{-i}, omega_hat) - alpha D_KL(x*_{-i} || x0_{-i})]
        (``excluding``: a generation distribution has no outcome without agent i, a ValueError)."""
        i = check_agent(i, self.env.n)
        others = self.env.others(i)
        h = -self.regularized_externality(i, _without(self.env, others, excluding), given=others)
        # the atoms' arguments are the others' data (a partition function's formula is checked
        # when it is built); a reward of another agent may still name agent i's type
        own = {self.env.theta[i - 1], self.env.s[i - 1]} & h.free_symbols
        if own:
            raise ValueError(f"the economy without agent {i} depends on {sorted(map(str, own))}")
        return h

    _pivot = pivot

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        return _resolve_h(self.h, self.env, i, self._pivot) + \
            self.regularized_externality(i, allocation or self.allocation())


class PerClickPivot(Mechanism):
    """Section 5.1: agent i pays max_{j != i} theta_j per click while holding the slot.

    With the click rate omega_hat observed, t_i = -max_{j != i} theta_j * x_i * omega_hat; with
    individual rates (a vector state) the observed rate is agent i's own, omega_hat_i.
    """

    def __init__(self, env):
        super().__init__(env)
        if len(env.outcome.variables) != env.n or isinstance(env.outcome, Positions):
            raise ValueError("PerClickPivot needs a SingleSlot outcome with one share per agent (on Positions: "
                             "DataDrivenVCG(env, h='pivot-excluding') is the per-click VCG)")

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        alloc = allocation or self.allocation()
        xi = self.env.outcome.variables[i - 1]
        price = sp.Max(*[self.env.theta[j - 1] for j in self.env.others(i)])
        states = self.env.states
        return -price * alloc[xi] * estimate(states[i - 1] if len(states) > 1 else states[0])


class GeneralizedSecondPrice(Mechanism):
    """The generalized second price auction on :class:`~symbolic_mech.environments.Positions`:
    the holder of slot k pays per click the next bid, the k-th largest of the others' bids,
    t_i = -sum_k [i holds slot k] alpha_k b_(k) omega_hat, with the efficient ranking (by bid,
    with a common click rate).  Not truthful in general (a negative control); the per-click VCG
    is ``DataDrivenVCG(env, h="pivot-excluding")``.

    >>> import sympy as sp
    >>> from symbolic_mech import BetaBernoulliClicks, Environment, Positions
    >>> from symbolic_mech.symbols import omega, theta
    >>> P = Positions(3, [2, 1])
    >>> env = Environment(BetaBernoulliClicks(3), [theta(i) * P.variables[i - 1] * omega for i in (1, 2, 3)], P)
    >>> at = {theta(1): 5, theta(2): 3, theta(3): 4, env.info.moment_atom(1): sp.Rational(1, 2)}
    >>> [GeneralizedSecondPrice(env).transfer(i).xreplace(at) for i in (1, 2, 3)]
    [-8*omega_hat, 0, -3*omega_hat]
    """

    def __init__(self, env):
        super().__init__(env)
        if not isinstance(env.outcome, Positions) or len(env.states) != 1:
            raise ValueError("GeneralizedSecondPrice needs a Positions outcome and a common click rate")

    def transfer(self, i, allocation=None):
        i = check_agent(i, self.env.n)
        alloc = allocation or self.allocation()
        factors = self.env.outcome.factors
        bids = [self.env.theta[j - 1] for j in self.env.others(i)]
        branches = []
        for value, cond in sp.Piecewise(*alloc[self.env.outcome.variables[i - 1]].args).args:
            k = factors.index(value) + 1 if value in factors else None
            price = _order_statistic(bids, k) if k is not None and k <= len(bids) else sp.Integer(0)
            branches.append((value * price, cond))
        return -sp.Piecewise(*branches) * estimate(self.env.states[0])


class TwoStageLeaveOneOut(DataDrivenVCG):
    """Equation (5): agent i's transfer uses omega_hat_{-i}, built from the others' second-stage reports.

    ``reports`` are the symbols r_1..r_n of the second stage; ``estimate(others)``
    maps the other agents' report symbols to omega_hat_{-i} (default: their mean).
    """

    def __init__(self, env, h=None, estimate: Callable | None = None):
        super().__init__(env, h)
        self.reports = tuple(sp.Symbol(f"r{j}", real=True) for j in range(1, env.n + 1))
        self.estimate = estimate or (lambda rs: sp.Add(*rs) / len(rs))

    def leave_one_out(self, i):
        """omega_hat_{-i} as an expression in the others' second-stage reports."""
        return as_expr(self.estimate([self.reports[j - 1] for j in self.env.others(i)]), "estimate")

    def transfer(self, i, allocation=None):
        return super().transfer(i, allocation).xreplace({omega_hat: self.leave_one_out(i)})


class CustomTransfers(Mechanism):
    """x* with transfers given directly, ``{i: expr}``: for mutated mechanisms and users' own rules."""

    def __init__(self, env, transfers: Mapping, data_driven: bool = True):
        super().__init__(env)
        if not isinstance(transfers, Mapping):
            raise TypeError(f"transfers must be a dict {{agent: expr}}, got {type(transfers).__name__}")
        self.transfers = {check_agent(i, env.n, "transfers"): as_expr(t, f"transfers[{i}]")
                          for i, t in transfers.items()}
        self.data_driven = data_driven

    def transfer(self, i, allocation=None):
        # a rule typed in directly has no allocation argument to override
        if allocation is not None:
            raise ValueError("allocation cannot be overridden for transfers given directly")
        return self.transfers.get(check_agent(i, self.env.n), sp.Integer(0))
