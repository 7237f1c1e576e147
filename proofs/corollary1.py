# %% [markdown]
# # Corollary 1 (Two-stage data-driven VCG in the ex-post case)
#
# Equation (5): $t_i(\theta, s, \hat\omega_{-i}) = h_i(\theta_{-i}, s_{-i}, \hat\omega_{-i}) + \sum_{j \neq i} u_j(x^*(\theta, s), \hat\omega_{-i}, \theta_j)$,
# with a *leave-one-out* estimate $\hat\omega_{-i}$ built from the other agents' second-stage reports only. Working
# backward: agent i's own second-stage report does not enter her transfer, so truth there is weakly dominant; with
# truthful second-stage reports every $\hat\omega_{-i}$ is the true state, and the first stage is the data-driven VCG
# mechanism with the ex-post estimator, whose Groves certificate is derived below for every agent.

# %%
import sympy as sp

from symbolic_mech import (CustomTransfers, DataDrivenVCG, Environment, ExPost, GaussianSignals, RealLine,
                           TwoStageLeaveOneOut, groves_certificate, identity)
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.registry import start
from symbolic_mech.symbols import omega, omega_hat, theta, x

d = start("corollary1")
d.scope(r"Example 1 (quadratic loss) with $n = 3$ agents, Gaussian signals, every parameter symbolic; the "
        r"pivot $h_i$; $\hat\omega_{-i}$ the mean of the others' second-stage reports",
        not_covered="second-stage reports that are not truthful; other leave-one-out estimates")

# %%
d.paper("Corollary 1", "Equation (5)")


# %% [markdown]
# ## The model and the two-stage mechanism
# Example 1 with $n = 3$ agents: $u_i = -(x - \theta_i - \omega)^2$ on the real line, Gaussian signals
# $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$. In the second stage agent j reports $r_j$; agent i's
# transfer is the data-driven pivot with $\hat\omega$ replaced by $\hat\omega_{-i}$, the mean of the others' reports.
# With $n = 2$ the leave-one-out estimate is a single report; any $n \geq 2$ can be set here.

# %%
n = 3
env = Environment(GaussianSignals(n), [-(x - theta(i) - omega) ** 2 for i in range(1, n + 1)], RealLine())
mech = TwoStageLeaveOneOut(env, h="pivot")
d.step(r"$x^*(\theta, s)$", env.efficient_allocation()[x])
d.step(r"$t_1(\theta, s, \hat\omega_{-1})$, equation (5) with the pivot $h_1$", mech.transfer(1))

# %% [markdown]
# ## The second stage: the own report is payoff-irrelevant
# For each agent, the leave-one-out estimate and the second-stage reports her transfer reads. By construction
# $\hat\omega_{-i}$ reads only the others' reports, so this is shown, not checked (a check of
# $\partial t_i/\partial r_i = 0$ would compare 0 with 0); the negative control below shows what breaks it.

# %%
for i in range(1, env.n + 1):
    t = mech.transfer(i)
    reports = sorted((r for r in mech.reports if r in t.free_symbols), key=str)
    own = mech.reports[i - 1]
    d.step(f"$t_{i}$ uses " + rf"$\hat\omega_{{-{i}}}$ =", mech.leave_one_out(i))
    d.step(f"second-stage reports in $t_{i}$: {', '.join(map(str, reports))}; agent {i}'s own report {own} "
           + ("is not among them: it does not move her transfer" if own not in reports else
              "IS among them: it moves her transfer"))

# %% [markdown]
# ## The first stage, given truthful second-stage reports
# Each agent observed the true state and reports it: $r_j = \hat\omega = \omega$. The first-stage transfers are then the
# data-driven pivot with the ex-post estimator, and truth-telling in the first stage is certified agent by
# agent: $U_i$ minus the welfare at the reported allocation is free of agent i's report.

# %%
truthful = {r: omega_hat for r in mech.reports}
first_stage = CustomTransfers(env, {i: mech.transfer(i).xreplace(truthful) for i in range(1, env.n + 1)})
for i in range(1, env.n + 1):
    d.check(groves_certificate(first_stage, i, ExPost(), id="cor1-first-stage",
                               claim=f"first stage: truth optimal for agent {i} given truthful second stage"))

# %% [markdown]
# ## Negative control and verdict
# A pooled estimate $(r_1 + \dots + r_n)/n$ that includes agent 1's own report makes her transfer move with it:
# $\partial t_1/\partial r_1 = 0$ must be refuted.

# %%
pooled = DataDrivenVCG(env, h="pivot").transfer(1).xreplace({omega_hat: sp.Add(*mech.reports) / env.n})
d.check(identity(env.info, sp.diff(pooled, mech.reports[0]), 0, id="control-cor1",
                 claim=r"agent 1's own report included in the estimate: $\partial t_1 / \partial r_1 = 0$"),
        expect=REFUTED, control=True)
d.conclude()
