# %% [markdown]
# # Footnote 22: a lottery that matches equation (6) in expectation
#
# The clicks that price i's slot are j's, observed when the lottery shows j's ad: their rate $\omega_j$ is
# estimated in the current auction, at the cost of showing the wrong ad with probability $(1-p)/2$.

# %%
import sympy as sp

from symbolic_mech import KnownRates, identity
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.paper.section5 import positive_version
from symbolic_mech.registry import start
from symbolic_mech.simulation import ModelSampler
from symbolic_mech.symbols import p, s, theta

d = start("footnote22")
d.scope(r"two bidders $i$, $j$ with individual rates known to their owners ($\omega_j = s_j \in [0, 1]$); the lottery "
        r"with probability $p \in (0, 1)$; $\theta_j$, $s_j$, $p$ symbolic",
        not_covered="more bidders; the incentive properties of the lottery itself")

# %%
d.paper("Footnote 22")


# %% [markdown]
# ## The lottery
# Bidders $i = 1$ and $j = 2$ with rates known to their owners (`KnownRates`: $\mathbb{E}[\omega_j \mid s] = s_j$).
# $x_i^*$ is 1 if i is the efficient winner and 0 otherwise; with probability $p$ the lottery takes the efficient
# allocation, otherwise a fair coin gives the slot.

# %%
info = KnownRates(2)
th_j, s_j = theta(2), s(2)
x_eff = sp.Symbol("x_i_star", nonnegative=True)  # 1 if i is the efficient winner, else 0
q_i = d.step("probability that i holds the slot under the lottery", p * x_eff + (1 - p) / 2)
q_j = d.step("probability that j holds the slot", p * (1 - x_eff) + (1 - p) / 2)

# %% [markdown]
# ## i's expected payment
# When i is the efficient winner she pays the price (7) per click of j, and j's ad is clicked with probability
# $\omega_j$ while it holds the slot. The expectation under the posterior given $s$, for $x_i^* = 1$, must be
# $\theta_j \mathbb{E}[\omega_j \mid s]$, what (6) charges the winner; the simulation draws the lottery, the coin and
# j's clicks, and pays the price per click.

# %%
price = 2 * th_j / (1 - p)
pay = x_eff * q_j * price * info.rate(2)
e_pay = d.step(r"i's expected payment $\mathbb{E}[x_i^*\, q_j\, \mathrm{price}\, \omega_j \mid s]$", info.expect(pay))
dom = {p: (0, 1), th_j: (0, sp.oo)}  # a value per click is nonnegative (the type space)


# the draws, stated as data: u1 >= p (the lottery's coin for x*, else a fair coin u2 < 1/2 gives the slot to
# j), u3 < omega_j (j's ad clicked), each click costing i the price
u1, u2, u3 = sp.symbols("u1 u2 u3", real=True)
lottery = ModelSampler(info, sp.Piecewise((price, sp.And(u1 >= p, u2 < sp.Rational(1, 2), u3 < info.rate(2))),
                                          (0, True)),
                       given=(2,), uniform=("u1", "u2", "u3"), size=2_000_000)


d.check(identity(info, e_pay.xreplace({x_eff: 1}), th_j * s_j, id="fn22-matches-6", domain=dom,
                 monte_carlo=lottery,
                 claim=r"$i$ the efficient winner: the expected payment $= \theta_j \mathbb{E}[\omega_j \mid s]$ (equation 6); "
                       "a simulated lottery and clicks agree"))
d.step(r"i not the efficient winner ($x_i^* = 0$): i pays nothing, as under (6)", e_pay.xreplace({x_eff: 0}))

# %% [markdown]
# ## The cost in efficiency, and the price as $p \to 1$
# With i efficient, the slot goes to j with probability $(1-p)/2$ and to i with probability $(1+p)/2$. The price
# (7) of a click diverges as $p \to 1$ (for a value per click $\theta_j > 0$).

# %%
d.step("probability of the inefficient allocation when i is efficient", q_j.xreplace({x_eff: 1}))
d.step("probability that i holds the slot when i is efficient", q_i.xreplace({x_eff: 1}))
d.step(r"price per click as $p \to 1$, $\theta_j > 0$", sp.limit(price.xreplace({th_j: positive_version(th_j)}), p, 1, "-"))

# %% [markdown]
# ## Negative control and verdict
# Half the price, $\theta_j/(1-p)$ per click, must be refuted: the factor 2 pays for the coin that shows j's ad
# only half the time.

# %%
half = info.expect(x_eff * q_j * (th_j / (1 - p)) * info.rate(2)).xreplace({x_eff: 1})
d.check(identity(info, half, th_j * s_j, id="control-fn22-half-price", domain=dom,
                 claim=r"half the price, $\theta_j/(1-p)$ per click: it matches (6)"),
        expect=REFUTED, control=True)
d.conclude()
