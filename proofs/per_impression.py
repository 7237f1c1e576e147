# %% [markdown]
# # Section 5.1: per-impression payments cannot implement the efficient allocation
#
# With a common click-through rate the slot goes to the higher bid whatever the private click counts, but a
# bidder's value of the slot is her bid times her posterior rate $\mathbb{E}[\omega \mid s]$, which the counts move. For
# message-driven transfers $t_1(\theta, s)$, truth-telling at agent 1's types $a$ and $b$ requires
# $t(b) - t(a) \le c(a, b)$, with $c(a, b) = v_1(x^*(a), a) - v_1(x^*(b), a)$ the value that type $a$ gives up by
# reporting $b$. Adding the constraints along a cycle of types gives $0 \le$ the sum of the $c$'s, so a cycle with a
# negative total rules out every transfer rule of the class, whatever its form. Here a loser with a high
# posterior rate and a winner with a low one form such a cycle.

# %%
import sympy as sp

from symbolic_mech import BetaBernoulliClicks, FiniteEnvironment, FiniteInformation, implementable
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.implementability import exact_regret, two_cycle
from symbolic_mech.paper.section5 import click_environment
from symbolic_mech.registry import start
from symbolic_mech.symbols import s, theta, x

d = start("per-impression")
impressions = 2
d.scope(rf"a single slot, $n = 2$ bidders, $\omega \sim \mathrm{{Beta}}(1, 1)$, $s_i$ clicks in {impressions} private impressions, "
        r"values per click $\theta_i \geq 0$; agent 1's types searched on $\theta_1 \in \{1/4, \ldots, 2\}$, $s_1 \in \{0, 1, 2\}$, "
        r"agent 2 at $\theta_2 = 1$, $s_2 = 1$",
        covers=r"every message-driven (per-impression) transfer rule $t_1(\theta, s)$",
        not_covered="other priors and impression counts (a cycle at one profile suffices for the model shown)")

# %%
d.paper("Section 5.1 (per-impression payments)")


# %% [markdown]
# ## The model
# A uniform prior on the common rate, $\omega \sim \mathrm{Beta}(1, 1)$, and each bidder's signal $s_i$ her clicks in
# `impressions` private impressions; $u_i = \theta_i x_i \omega$ on a single slot. The posterior mean moves with
# the click counts, the allocation does not.

# %%
info = BetaBernoulliClicks(2, a=1, b=1, impressions=impressions)
env = click_environment(info)
x1 = env.outcome.variables[0]
posterior_mean = info.posterior_mean()
d.step(r"$\mathbb{E}[\omega \mid s_1, s_2 = 1]$, the Beta posterior mean, for $s_1 = 0, 1, 2$: "
       + ", ".join(str(posterior_mean.xreplace({s(1): k, s(2): 1})) for k in range(impressions + 1)))
d.step(r"$x^*_1$: the slot goes to the higher expected value per impression $\theta_i \mathbb{E}[\omega \mid s]$; with a "
       r"common rate $\mathbb{E}[\omega \mid s]$ is the same for both, so to the higher bid", env.efficient_allocation()[x1])

# %% [markdown]
# ## A negative cycle of agent 1's incentive constraints
# Agent 2 is fixed at $\theta_2 = 1$, $s_2 = 1$; agent 1's types range over a grid of bids and every click count.
# The search computes each $c(a, b)$ exactly from $v_1$ and $x^*$ and returns a cycle whose constraints add up to a
# negative number. It prefers cycles without a type that ties with agent 2's bid, so that the conclusion
# does not depend on the tie-breaking rule; the one found has none.

# %%
grid = {theta(1): [sp.Rational(k, 4) for k in range(1, 9)], s(1): list(range(impressions + 1))}
cycle = d.check(implementable(env, 1, grid=grid, at={theta(2): 1, s(2): 1}, id="per-impression-cycle",
                              claim=r"some message-driven mechanism implements $x^*$ for agent 1 on the grid "
                                    r"(agent 2 at $\theta_2 = 1$, $s_2 = 1$)"),
                expect=REFUTED)
def shown(t):
    return "$(" + ", ".join(f"{sp.latex(sp.Symbol(str(k)))} = {v}" for k, v in t.items()) + ")$"


for step in cycle.evidence.get("cycle", []):
    d.step(f"type {shown(step['type'])} " + r"$\to$" + f" {shown(step['next'])}: $c$ = {step['c']}")
d.step(f"total of the cycle: {cycle.evidence.get('total')} < 0, so " + r"$0 \le$ sum of the constraints $< 0$")

# %% [markdown]
# The same total from the definitions, for the cycle's two types $a$ and $b$: $c(a, b) + c(b, a)$ from $v_1$ and $x^*$
# with agent 2's type left symbolic, then at $\theta_2 = s_2 = 1$.

# %%
a, b = ({theta(1): sp.Rational(t["theta1"]), s(1): sp.Rational(t["s1"])}
        for t in (cycle.evidence["cycle"][0]["type"], cycle.evidence["cycle"][0]["next"]))
d.step(r"$c(a, b) + c(b, a)$ at $\theta_2 = s_2 = 1$", two_cycle(env, 1, a, b).xreplace({theta(2): 1, s(2): 1}))

# %% [markdown]
# ## Contrast: without private clicks
# When the bidders hold no information about the rate (private values, one signal each), the same search
# over types finds the second-price pivot: it is the private signals that break message-driven transfers.
# As a negative control, paying one's own bid when winning (first price) must be manipulable.

# %%
flat = FiniteInformation([1], [1], [[0], [0]], lambda w, sig: 1)
values = [sp.Rational(k, 4) for k in range(1, 9)]
slot = FiniteEnvironment(flat, [values, values], [1, 2],
                         [theta(1) * sp.Piecewise((1, sp.Eq(x, 1)), (0, True)),
                          theta(2) * sp.Piecewise((1, sp.Eq(x, 2)), (0, True))])
d.step("without private clicks (private values), for contrast: the second-price pivot exists")
d.check(implementable(slot, id="per-impression-private-values",
                      claim="with private values (no clicks to learn from), some message-driven mechanism "
                            r"implements $x^*$"))


def first_price(i, th, sig):
    return -th[i - 1] if slot.efficient_allocation(th, sig) == i else 0


d.check(exact_regret(slot, first_price, id="control-per-impression-first-price",
                     claim="one's own bid in place of the pivot, paid when winning: truth-telling is optimal"),
        expect=REFUTED, control=True)
d.conclude()
