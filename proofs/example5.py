# %% [markdown]
# # Example 5 (interdependent preferences)
#
# Agent 1's type enters agent 2's payoff, so agent 1's report moves the data-driven transfer directly, not
# only through the allocation: the Groves argument of Section 4 breaks. Below, agent 1's expected net utility
# of a report is derived from the mechanism and compared with the paper's expression, and the deviation
# $\theta'_1 = 0$ is evaluated exactly at a profile with $\theta_1 < \theta_2$ and $\mathbb{E}[\omega \mid s] > 0$.

# %%
import sympy as sp

from symbolic_mech import ExPost, gain, identity, net_utility, refutation, sign, witness_at
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.paper.section4 import example5_mechanism, example5_truth
from symbolic_mech.registry import start
from symbolic_mech.symbols import prime, s, theta

d = start("example5")
d.scope(r"$n = 2$, one object, $u_1 = \theta_1 x_1 \omega$, $u_2 = (\theta_2 - \theta_1) x_2 \omega$, Gaussian signals, "
        r"$h_i = 0$, the ex-post estimator; the witness at $\theta = (1/2, 3/4)$, $s = (1, 1)$, unit parameters",
        not_covered=r"other $h_i$ (the claim is about this mechanism)")
th1, th2, s1 = theta(1), theta(2), s(1)
th1p, s1p = prime(th1), prime(s1)

# %%
d.paper("Example 5", "Section 4.2.5")


# %% [markdown]
# ## The model and the mechanism
# One object (`SingleSlot(2)`: $x_1 + x_2 = 1$, $x_i$ the probability agent i gets it), Gaussian signals
# $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$, and the data-driven VCG mechanism with $h_i = 0$
# (the same model draws the figure at the end). With the ex-post estimator $\hat\omega = \omega$, agent 1's transfer
# is agent 2's realized utility at $x^*$.

# %%
mech = example5_mechanism()
env, info = mech.env, mech.env.info
x1, x2 = env.outcome.variables
d.step(r"$u_1(x, \theta, \omega)$", env.utility(1))
d.step(r"$u_2(x, \theta, \omega)$, which depends on agent 1's type", env.utility(2))
d.step(r"$t_1(\theta, s, \hat\omega) = h_1 + u_2(x^*(\theta, s), \theta, \hat\omega)$, $h_1 = 0$", mech.transfer(1))

# %% [markdown]
# ## The efficient allocation
# The welfare of giving the object to agent 1 is $\theta_1 \mathbb{E}[\omega \mid s]$, to agent 2
# $(\theta_2 - \theta_1) \mathbb{E}[\omega \mid s]$; $x^*$ compares them (ties to agent 1). Where
# $\mathbb{E}[\omega \mid s] > 0$, agent 1 gets it iff $2\theta_1 \geq \theta_2$, as in the paper.

# %%
alloc = mech.allocation()
d.step("efficient allocation: agent 1 gets the object iff", alloc[x1].args[0][1])

# %% [markdown]
# ## Agent 1's expected net utility of a report
# Agent 2 reports truthfully; agent 1 reports $(\theta'_1, s'_1)$. Her own utility is paid at the true type
# $\theta_1$, while agent 2's utility in her transfer is evaluated at the *reported* $\theta'_1$. With $s'_1 = s_1$
# the engine's expression must be the
# paper's $[\theta_1 x^*_1(\theta'_1, \theta_2) + (\theta_2 - \theta'_1) x^*_2(\theta'_1, \theta_2)]\, \mathbb{E}[\omega \mid s]$.

# %%
U = d.step(r"agent 1's expected net utility of a report $(\theta_1', s_1')$, $h_1 = 0$", net_utility(mech, 1, ExPost()))
x_rep = {k: e.xreplace({th1: th1p}) for k, e in alloc.items()}
paper = (th1 * x_rep[x1] + (th2 - th1p) * x_rep[x2]) * info.moment_atom(1)
d.check(identity(info, U.xreplace({s1p: s1}), paper, id="example5-payoff",
                 claim=r"the net utility $= [\theta_1 x_1^*(\theta_1', \theta_2) + (\theta_2 - \theta_1') x_2^*] \mathbb{E}[\omega \mid s]$"))

# %% [markdown]
# ## The profitable deviation
# At $\theta = (1/2, 3/4)$, $s = (1, 1)$ and unit parameters ($\mu = \sigma = \sigma_1 = \sigma_2 = 1$),
# $\theta_1 < \theta_2$ and $2\theta_1 > \theta_2$: truthfully agent 1 gets the object and
# $\theta_1 \mathbb{E}[\omega \mid s]$. Reporting $\theta'_1 = 0$ hands the object to agent 2 and makes her transfer
# $(\theta_2 - 0) \mathbb{E}[\omega \mid s]$: the gain is $(\theta_2 - \theta_1) \mathbb{E}[\omega \mid s]$. Change a
# value of `truth` and re-run to see the gain move.

# %%
truth = example5_truth(info)
w = witness_at(mech, 1, ExPost(), truth, {th1p: sp.Integer(0)})
d.step(r"$\mathbb{E}[\omega \mid s]$ at the witness's truth", info.posterior_mean().xreplace(truth))
d.step(r"witness: $\theta_1 < \theta_2$, $\mathbb{E}[\omega \mid s] > 0$, the deviation $\theta_1' = 0$ gains", w["gain"])
d.check(refutation("example5-witness", "truth-telling is optimal for agent 1", w, mech, ExPost()),
        expect=REFUTED)

# %% [markdown]
# The gain of $\theta'_1 = 0$ equals $(\theta_2 - \theta_1) \mathbb{E}[\omega \mid s]$ at the witness: the difference
# is shown nonnegative and nonpositive there, each exactly.

# %%
gap = gain(mech, 1, ExPost()).xreplace({th1p: 0, s1p: s1}) - (th2 - th1) * info.posterior_mean()
for which, e in (("at least", gap), ("at most", -gap)):
    d.check(sign(info, e, "nonnegative", at=[truth], id=f"example5-gain-{which.split()[1]}",
                 claim=f"the deviation $\\theta_1' = 0$ gains {which} " + r"$(\theta_2 - \theta_1) \mathbb{E}[\omega \mid s]$"))

# %% [markdown]
# ## The gain of every report
# At the witness profile $\theta = (1/2, 3/4)$, $s = (1, 1)$ the exact gain of a report $(\theta'_1, s'_1)$ over
# truth-telling is drawn over a grid of reports, from the same gain expression as the derivation. The report $s'_1$
# matters only through the sign of $\mathbb{E}[\omega \mid s'_1, s_2]$, which decides the direction of the comparison
# of $\theta'_1$ with $\theta_2 - \theta'_1$. A low reported type ($\theta'_1 < 1/4$, hatched) hands the object to
# agent 2 and raises the transfer, which pays $(\theta_2 - \theta'_1) \mathbb{E}[\omega \mid s]$; the witness
# $\theta'_1 = 0$ (the dot) gains $(\theta_2 - \theta_1) \mathbb{E}[\omega \mid s] = 1/4$. Reports with
# $\mathbb{E}[\omega \mid s'_1, s_2] < 0$ (here $s'_1 < -2$) reverse the comparison and never gain. The figure is
# drawn when the script is read (run directly or as a notebook), not when the result is verified.

# %%
from symbolic_mech.presentation import plots

if d.live and plots.available():
    plots.gain_landscape_example5()

# %% [markdown]
# ## Verdict

# %%
d.conclude()
