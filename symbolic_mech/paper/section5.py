"""Section 5 of the paper: click-through auctions (5.1) and LLM-generated content (5.2).

Section 5.1: a single slot, u_i = theta_i x_i omega_i.  The results are
derived by their proof scripts (Corollary 2, per-impression payments,
Example 3, equation (6), footnote 22); kept here are the pieces they share
with one another, the plots and the tests: the click environments with a
common rate and with individual rates, Example 3's witness, and the
reduction of branch conditions under positive bids and rates.

Section 5.2: Example 4, its stated expected transfer (an erratum) and
Corollary 3 are derived by their proof scripts on the engine's Definition 9
(``Distributions`` with ``RegularizedDataDrivenVCG``); kept here are the
pieces they share and the tests use: reference distributions with positive
weights, the mirror-ascent corroboration of the Gibbs maximizer, exponentials
as opaque positive symbols, and identities decided with the partition
functions and Gibbs weights kept opaque.

Individual rates are a vector state (KnownRates): the engine gives each
component its own estimate omega_hat_j.
"""
from __future__ import annotations

import random

import numpy as np
import sympy as sp

from ..environments import Environment, SingleSlot
from ..estimators import SampleClickRate
from ..incentives import Misreport, expected_transfer, net_utility
from ..information import KnownRates
from ..core.domains import declared_for, domains_for, draw_order
from ..core.kernel import REFUTED, check_identity
from ..llm import generation_distribution, kl_divergence
from ..mechanisms import CustomTransfers, DataDrivenVCG, PerClickPivot
from ..symbols import m, omega, prime, s, stand_in, theta


# ---------------------------------------------------------------------------
# helpers: hypotheses on signs, and a vector-state single slot
# ---------------------------------------------------------------------------

def positive_version(sym: sp.Symbol) -> sp.Symbol:
    """The same name declared positive (the hypothesis theta_i > 0, rates > 0)."""
    return sp.Symbol(sym.name, positive=True)


def reduce_conditions(expr: sp.Expr) -> sp.Expr:
    """Rewrite each comparison a R b as (a - b) R 0 with provably positive factors removed,
    then fold sums of Piecewise so that complementary cases merge."""
    reps = {}
    for rel in expr.atoms(sp.core.relational.Relational):
        diff = sp.factor(rel.lhs - rel.rhs)
        factors = sp.Mul.make_args(diff)
        kept = sp.Mul(*[f for f in factors if not f.is_positive])
        reps[rel] = rel.func(kept, 0)
    return sp.piecewise_fold(expr.xreplace(reps))


def mean_atoms(info) -> set:
    """The functions E[omega | s_G] of ``info.moment_atom`` for every nonempty G."""
    from itertools import combinations
    agents = range(1, info.n + 1)
    return {info.moment_atom(1, g).func for k in agents for g in combinations(agents, k)}


def under_positivity(expr: sp.Expr, symbols=(), info=None) -> sp.Expr:
    """expr with ``symbols`` declared positive and posterior-mean atoms E_omega(.)
    replaced by positive symbols (a Beta posterior mean lies in (0, 1))."""
    reps = {sym: positive_version(sym) for sym in symbols}
    expr = expr.xreplace(reps)
    if info is not None:
        funcs = mean_atoms(info)
        fns = {a: sp.Symbol(f"E[omega|{','.join(map(str, a.args))}]", positive=True)
               for a in expr.atoms(sp.core.function.AppliedUndef) if a.func in funcs}
        expr = expr.xreplace(fns)
    return reduce_conditions(expr)


def click_environment(info) -> Environment:
    """Section 5.1 with a common rate: u_i = theta_i x_i omega on a single slot."""
    X = SingleSlot(info.n)
    return Environment(info, [theta(i) * X.variables[i - 1] * omega for i in range(1, info.n + 1)], X)


class IndividualRates:
    """Section 5.1 with individual rates omega_i known to their owners (KnownRates):
    u_i = theta_i x_i omega_i on a single slot, ties to the lowest agent number.

    A thin view on the engine for these examples: the environment, its
    efficient allocation, the per-click and data-driven pivots, and agent i's
    expected net utility with each omega_hat_j averaged under ``estimator``.
    """

    def __init__(self, n=2, estimator=None):
        info = KnownRates(n)
        X = SingleSlot(n)
        self.env = Environment(info, [theta(i) * X.variables[i - 1] * info.rate(i) for i in range(1, n + 1)], X)
        self.x = X.variables
        self.estimator = estimator if estimator is not None else SampleClickRate(m)

    def welfare(self, agents=None, allocation=None, given=None):
        return self.env.welfare(agents, allocation, given)

    def allocation(self, agents=None):
        return self.env.efficient_allocation(agents)

    def expect_estimates(self, t):
        """E_{omega|s} E_{omega_hat|omega}[t]: each omega_hat_j through the estimator, then the posterior."""
        return expected_transfer(DataDrivenVCG(self.env), 1, self.estimator, t)

    def report(self, i):
        return Misreport.of(DataDrivenVCG(self.env), i).substitution

    def net_utility(self, i, transfer):
        """U_i(theta_i', s_i') = E[u_i(x', omega) | s] + E[t_i(report) | s]."""
        return net_utility(CustomTransfers(self.env, {i: transfer}), i, self.estimator)

    def per_click_pivot(self, i):
        """max_{j != i} theta_j per click of agent i's ad: -max theta_j * x_i * omega_hat_i."""
        return PerClickPivot(self.env).transfer(i)

    def data_driven_pivot(self, i):
        """Definition 6 with estimates omega_hat_j of the others' rates (from outside the auction)."""
        return DataDrivenVCG(self.env, h="pivot").transfer(i)


# ---------------------------------------------------------------------------
# Section 5.1
# ---------------------------------------------------------------------------

# Example 3's witness: theta1 s1 < theta2 s2 but theta1 > theta2, and a report that wins the slot
EXAMPLE3_TRUTH = {theta(1): sp.Integer(2), theta(2): sp.Integer(1), s(1): sp.Rational(1, 4), s(2): sp.Integer(1)}
EXAMPLE3_REPORT = {prime(theta(1)): sp.Integer(1), prime(s(1)): sp.Integer(1)}


# ---------------------------------------------------------------------------
# Section 5.2
# ---------------------------------------------------------------------------

def reference(names, size):
    """A reference distribution with positive weights w_t, x0(t) = w_t / sum w."""
    w = [sp.Symbol(f"{names}{t}", positive=True) for t in range(1, size + 1)]
    tot = sp.Add(*w)
    return [wt / tot for wt in w]


def mirror_ascent(c, q, a, steps=200):
    """Maximize sum c x - a KL(x || q) over the simplex by exponentiated gradient."""
    x = np.full(len(c), 1.0 / len(c))
    eta = 0.5 / a
    for _ in range(steps):
        grad = c - a * (np.log(x / q) + 1.0)
        z = np.log(x) + eta * grad
        z -= z.max()
        x = np.exp(z)
        x /= x.sum()
    return x


def simplex_agreement(seed=5, sizes=(2, 3, 5, 8, 13, 21, 34, 50)):
    """Largest deviations of mirror ascent from the Gibbs distribution and alpha log Z."""
    rng = np.random.default_rng(seed)
    worst_x, worst_v = 0.0, 0.0
    for size in sizes:
        c = rng.normal(0, 2, size)
        q = rng.dirichlet(np.ones(size))
        a = float(rng.uniform(0.3, 3.0))
        g = generation_distribution(c, q, a)
        x = mirror_ascent(c, q, a)
        val = float(c @ x - a * kl_divergence(x, q))
        worst_x = max(worst_x, float(np.max(np.abs(x - g.distribution))))
        worst_v = max(worst_v, abs(val - g.value))
    return worst_x, worst_v


def opaque_exponentials(*exprs):
    """Replace each exp(.) by a positive symbol, the same in every expression.

    Used after the logarithms of the Gibbs weights have been expanded: an
    identity that holds for arbitrary positive weights holds in particular for
    the exponentials, and exact points then evaluate without exp/log cancellation.
    """
    atoms = sorted(set().union(*(e.atoms(sp.exp) for e in exprs)), key=sp.default_sort_key)
    # exp(-a) is 1/exp(a): an exponential and its reciprocal share one stand-in
    bases = sorted({-a.args[0] if a.args[0].could_extract_minus_sign() else a.args[0] for a in atoms},
                   key=sp.default_sort_key)
    stand, used = {}, set()
    for arg in bases:
        # distinct exponentials that print alike (symbols of the same name with other assumptions)
        # must not share a stand-in
        name = f"exp[{sp.sstr(arg)}]"
        while name in used:
            name += "'"
        used.add(name)
        stand[arg] = stand_in(name, sp.exp(arg), positive=True)
    reps = {a: 1 / stand[-a.args[0]] if a.args[0].could_extract_minus_sign() else stand[a.args[0]]
            for a in atoms}
    return [e.xreplace(reps) for e in exprs]


SMALL = [sp.Integer(1), sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Rational(3, 2), sp.Integer(-1)]


def small_point(symbols, doms, rnd: random.Random) -> dict:
    """An exact point of small rationals (from ``SMALL``) inside the domains ``doms``: the
    exponentials of the Gibbs weights then have short exact arguments."""
    ds = domains_for(symbols, declared_for(symbols, doms))
    pt: dict = {}
    for sym in draw_order(ds):
        options = [q for q in SMALL if ds[sym].contains(q, pt)]
        pt[sym] = rnd.choice(options) if options else ds[sym].sample(rnd, pt)
    return pt


def gibbs_identity(env):
    """check_identity on an environment over generation distributions, Z and R kept opaque.

    Each partition function Z is replaced by its definition sum_t x0(t) R(t) and each Gibbs
    weight R(t) by a positive stand-in (``Distributions.stand_ins``): a proof holds for all
    positive weights, in particular for exp(c(t)/alpha).  A refutation with stand-ins is no
    refutation (they take values no exponential has), so it is re-decided on the expressions
    themselves, every atom through its formula, at a point of small rationals of the model's
    symbols (:func:`small_point`)."""
    X = env.outcome

    def opaque(e):
        return X.stand_ins(X.explicit(env, e, exponentials=False))[0]

    def ident(lhs, rhs, estimator=None, domain=None, **kw):
        doms = env.domains(estimator, domain)
        v = check_identity(opaque(lhs), opaque(rhs), definitions=env.info.explicit, domain=doms, **kw)
        if v.status != REFUTED:
            return v
        free = lhs.free_symbols | rhs.free_symbols | env.explicit(lhs).free_symbols | env.explicit(rhs).free_symbols
        at = {k: w for k, w in kw.items() if k not in ("at", "points", "seed")}
        return check_identity(lhs, rhs, at=[small_point(free, doms, random.Random(0))],
                              definitions=env.explicit, domain=doms, **at)
    return ident
