# %% [markdown]
# # Example 3 (Individual CTR pivot payments)
#
# With individual rates the efficient allocation compares $\theta_i \mathbb{E}[\omega_i \mid s]$, and the per-click
# pivot charges $\max_{j \neq i} \theta_j$ per click on i's own ad: the expected payment depends on the reported
# signals only through the allocation. An agent who values a click more than the next bid but has a low rate
# ($\theta_1 > \theta_2$, $\theta_1 s_1 < \theta_2 s_2$) gains by overstating her rate: she wins the slot and pays
# $\theta_2$ per click, below her value $\theta_1$, on the clicks she really gets. Below, the net utility is derived
# from the allocation and the estimator's law (the sample click rate of $m$ impressions of the winner's ad), and the
# deviation gets an exact witness.

# %%
import sympy as sp

from symbolic_mech import CustomTransfers, PerClickPivot, groves_certificate, identity, refutation, witness_at
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.presentation.printers import latex
from symbolic_mech.paper.section5 import EXAMPLE3_REPORT, EXAMPLE3_TRUTH, IndividualRates
from symbolic_mech.registry import start
from symbolic_mech.symbols import prime, s, theta

d = start("example3")
d.scope(r"a single slot, $n = 2$, 3 and 4 bidders, individual click-through rates $\omega_i = s_i$ known to their owners "
        r"($s_i \in [0, 1]$, prior means $\mu_i \in [0, 1]$), values per click $\theta_i \geq 0$, the sample click rate "
        r"of $m$ impressions; the witness at $\theta = (2, 1)$, $s = (1/4, 1)$",
        covers=r"$n = 2$: the paper's formula for $U_1$ and its witness; $n = 3, 4$: the formula with "
               r"$\max_{j \neq 1} \theta_j$, and a witness the engine finds itself, inside the domains",
        not_covered=r"$n \geq 5$ bidders; several slots")


# %%
d.paper("Example 3")


# %% [markdown]
# ## The auction and agent 1's net utility under the per-click pivot
# For $n$ bidders: $u_i = \theta_i x_i \omega_i$ on a single slot, $\omega_i = s_i$ known to bidder i (`KnownRates`),
# $x^*$ the slot to the highest $\theta_i s_i$ (ties to the lowest agent number). Agent 1 reports $(\theta_1', s_1')$,
# the others are truthful; her expected net utility is $\mathbb{E}[u_1(x^*(\theta', s'), \omega) \mid s]$ plus the
# expected per-click pivot at the report, each $\hat\omega_1$ averaged under the estimator's law. The paper's formula
# is $(\theta_1 - \max_{j \neq 1} \theta_j)\, \mathbb{1}\{\theta_1' s_1' \geq \theta_j s_j \text{ for every } j \neq 1\}\, s_1$.
# `tag` prefixes the check ids, so that the same steps can be recorded again for another number of bidders.

# %%
def net_utility_steps(n, tag="example3"):
    g = IndividualRates(n)
    th1, s1 = theta(1), s(1)
    th1p, s1p = prime(th1), prime(s1)
    others = g.env.others(1)
    d.step(f"[n = {n}] " + r"$\omega_i = s_i$ known to agent i, $u_i = \theta_i x_i \omega_i$; expected welfare", g.welfare())
    d.step(r"$x^*_1$ (SingleSlot.maximize, ties to agent 1)", g.allocation()[g.x[0]])
    t1 = d.step(r"per-click pivot $t^{pc}_1 = -\max_{j \neq 1} \theta_j\, x^*_1\, \hat\omega_1$", g.per_click_pivot(1))
    U = d.step(r"agent 1's expected net utility $U_1$ at the report $(\theta_1', s_1')$", g.net_utility(1, t1))
    wins = sp.And(*[th1p * s1p >= theta(j) * s(j) for j in others])
    paper = (th1 - sp.Max(*[theta(j) for j in others])) * sp.Piecewise((1, wins), (0, True)) * s1
    d.check(identity(g.env, U, paper, id=f"{tag}-net-utility",
                     claim=r"$U_1 = (\theta_1 - \theta_2) \mathbb{1}\{\theta_1' s_1' \geq \theta_2 s_2\} s_1$" if n == 2 else
                           r"$U_1 = (\theta_1 - \max_{j \neq 1} \theta_j) \mathbb{1}\{\theta_1' s_1' \geq \theta_j s_j \text{ for all } j \neq 1\} s_1$"))
    return g, t1


g, t1 = net_utility_steps(2)


# %% [markdown]
# ## The witness
# At $\theta = (2, 1)$, $s = (1/4, 1)$: $\theta_1 s_1 = 1/2 < \theta_2 s_2 = 1$ but $\theta_1 = 2 > \theta_2 = 1$.
# Truthfully agent 1 loses the slot and gets 0; the report $\theta_1' = s_1' = 1$ wins it, and the exact gain is
# $(\theta_1 - \theta_2) s_1 = 1/4$. Change `EXAMPLE3_TRUTH` or `EXAMPLE3_REPORT` below to try another profile.

# %%
def witness_steps(g, t1, truth, report, tag="example3"):
    d.step("witness: $" + ", ".join(f"{latex(k)} = {latex(v)}" for k, v in truth.items()) + "$; report $"
           + ", ".join(f"{latex(k)} = {latex(v)}" for k, v in report.items()) + "$")
    per_click = CustomTransfers(g.env, {1: t1})
    w = witness_at(per_click, 1, g.estimator, truth, report)
    d.step("exact gain of the misreport", w["gain"])
    d.check(refutation(f"{tag}-witness", "truth-telling is optimal for agent 1 under the per-click pivot", w,
                       per_click, g.estimator),
            expect=REFUTED)


witness_steps(g, t1, EXAMPLE3_TRUTH, EXAMPLE3_REPORT)


# %% [markdown]
# ## Negative control
# With individual rates the expected per-click pivot is not the data-driven pivot (6): the identity must be
# refuted (it is what fails here and holds with a common rate, Corollary 2).

# %%
def control_steps(g, t1, tag="example3"):
    e_pc = d.step(r"$\mathbb{E}[t^{pc}_1 \mid s]$ under the per-click pivot", g.expect_estimates(t1))
    e6 = d.step(r"$\mathbb{E}[t_1 \mid s]$ under the data-driven pivot (6)", g.expect_estimates(g.data_driven_pivot(1)))
    d.check(identity(g.env, e_pc, e6, id=f"control-{tag}-same-as-6",
                     claim="the per-click pivot in place of (6): with individual rates its expected payment equals (6)"),
            expect=REFUTED, control=True)


control_steps(g, t1)


# %% [markdown]
# ## Three and four bidders, the witness found by the engine
# With more bidders the formula for $U_1$ is $(\theta_1 - \max_{j \neq 1} \theta_j)$ times the indicator that agent 1's
# report wins the slot. No profile is given this time: `groves_certificate` finds the deviation itself. It
# enumerates the regions of the report space the allocation induces (who wins), tries true profiles from an
# exact grid of the supports (rates in $[0, 1]$, values per click $\geq 0$) and agent 1's reports at the regions'
# boundaries, and decides the best gains exactly; the witness lies inside every domain.

# %%
for n in (3, 4):
    more, t1_more = net_utility_steps(n, tag=f"example3-n{n}")
    d.check(groves_certificate(PerClickPivot(more.env), 1, more.estimator, id=f"example3-n{n}-certificate",
                               claim=f"$n = {n}$: truth-telling is optimal for agent 1 under the per-click pivot"),
            expect=REFUTED)

# %% [markdown]
# ## The gain of every report
# At the witness profile the exact gain of a report $(\theta_1', s_1')$ over truth-telling, drawn over a grid of
# reports from the same net utility as above. Truthfully (the star) agent 1 loses the slot since
# $\theta_1 s_1 = 1/2 < \theta_2 s_2 = 1$. Any report with $\theta_1' s_1' \geq \theta_2 s_2$ wins it (hatched) and
# gains $(\theta_1 - \theta_2) s_1 = 1/4$, whatever it claims: under the per-click pivot she pays $\theta_2$ per click
# of her own rate, which is below her value $\theta_1$. The figure is drawn for a reader only: `symbolic-mech verify`
# runs this script silently and skips it.

# %%
from symbolic_mech.presentation import plots

if d.live and plots.available():
    plots.gain_landscape_example3()

# %%
d.conclude()
