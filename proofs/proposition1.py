# %% [markdown]
# # Proposition 1 (ex post)
#
# A data-driven VCG mechanism (Definition 6) implements $x^*$ and
# pays $t_i(\theta, s, \hat\omega) = h_i(\theta_{-i}, s_{-i}, \hat\omega) + \sum_{j \neq i} u_j(x^*(\theta, s), \hat\omega, \theta_j)$
# for an arbitrary $h_i$. The paper's proof: with $\hat\omega = \omega$ and the others truthful, agent i's expected
# net utility of a report $(\theta_i', s_i')$ is
#
# $$h_i(\theta_{-i}, s_{-i}) + \sum_{j=1}^n v_j(x^*(\theta_i', \theta_{-i}, s_i', s_{-i}), \theta_j, s), \qquad (2)$$
#
# welfare at the induced allocation plus a term the report does not move, so the efficiency of $x^*$ makes
# the truth optimal. Below the engine derives agent i's expected net utility $U_i$ from the mechanism's
# definition and certifies that $U_i$ minus the welfare at the induced allocation is free of the report
# (the Groves certificate), for an arbitrary $h_i$ and for the pivot, with two and three agents of
# Example 1.

# %%
import sympy as sp

from symbolic_mech import (DataDrivenVCG, Environment, ExPost, GaussianSignals, RealLine, groves_certificate,
                           net_utility)
from symbolic_mech.paper.section4 import add_controls, arbitrary_h, mutations
from symbolic_mech.registry import start
from symbolic_mech.symbols import omega, prime, s, theta, x

d = start("proposition1")
d.scope(r"Example 1 (quadratic loss) with $n = 2$ and 3 agents, Gaussian signals, every parameter symbolic; "
        r"the ex-post estimator $\hat\omega = \omega$ (its definition)",
        covers=r"$h_i$ arbitrary: $\sum_k h_{ik}(\theta_{-i}, s_{-i}) \hat\omega^k$ with undefined functions $h_{ik}$, "
               r"$k \leq 2$; and the pivot",
        not_covered=r"$n \geq 4$ here (benchmarks run $n$ up to 100); $h_i$ of higher degree in $\hat\omega$; "
                    "other utilities")


def example1(n):
    """Example 1 with n agents: u_i = -(x - theta_i - omega)^2, x real, Gaussian signals."""
    return Environment(GaussianSignals(n), [-(x - theta(i) - omega) ** 2 for i in range(1, n + 1)], RealLine())


# %%
d.paper("Proposition 1")


# %% [markdown]
# ## Equation (2) for two agents
# An arbitrary $h_1$ is a quadratic in $\hat\omega$ whose coefficients $h_{1,k}(\theta_2, s_2)$ are
# undefined functions of agent 2's reports (`arbitrary_h`); the pivot is
# $h_1 = -u_2(x^*(\theta_2, s_2), \hat\omega, \theta_2)$. Agent 1's report $(\theta_1', s_1')$ moves the
# outcome to $x' = x^*(\theta_1', \theta_2, s_1', s_2)$. For each $h_1$: agent 1's expected net utility
# $U_1$ of the report with $\hat\omega = \omega$ (derived from the transfer), minus the welfare
# $\sum_j v_j(x', \theta_j, s)$: what is left is the $h_1$ term of (2), and no primed symbol is in it.

# %%
env = example1(2)
report = {theta(1): prime(theta(1)), s(1): prime(s(1))}
induced = {k: e.xreplace(report) for k, e in DataDrivenVCG(env).allocation().items()}
d.step(r"the outcome induced by the report, $x' = x^*(\theta_1', \theta_2, s_1', s_2)$", induced[x])
welfare = env.welfare(allocation=induced)
h_arbitrary = arbitrary_h(env)
d.step(r"arbitrary $h_1(\theta_2, s_2, \hat\omega)$", h_arbitrary[1])
for h, name in ((h_arbitrary, "arbitrary $h_1$"), ("pivot", "pivot $h_1$")):
    mech = DataDrivenVCG(env, h=h)
    if h == "pivot":
        d.step(f"{name}: transfer " + r"$t_1(\theta, s, \hat\omega)$", mech.transfer(1))
    rest = sp.expand(net_utility(mech, 1, ExPost()) - welfare)
    # Var[omega|s] (the atom) set apart, so that the pivot's term reads as in Example 2
    V = sp.expand(env.info.moment_atom(2) - env.info.moment_atom(1) ** 2)
    d.step(f"{name}: " + r"$U_1(\theta_1', s_1') - \sum_j v_j(x', \theta_j, s)$",
           V * rest.coeff(V) + sp.factor(rest - V * rest.coeff(V)))
    d.step(f"{name}: report symbols left in it: {sorted(map(str, rest.free_symbols & set(report.values()))) or 'none'}")

# %% [markdown]
# ## The Groves certificate, agent by agent
# For $n = 2$ and $n = 3$, each $h_i$ and each agent i: $U_i - \text{welfare}(x')$ is decided independent of
# the report (as a rational function in the posterior atoms, at exact points, and by Monte Carlo of the
# realized payoffs where $h_i$ has numbers to simulate).

# %%
for n in (2, 3):
    env = example1(n)
    d.step(f"Example 1 with $n = {n}$ agents, Gaussian signals; $x^* =$", env.efficient_allocation()[x])
    for h, name in ((arbitrary_h(env), "arbitrary $h_i$"), ("pivot", "pivot $h_i$")):
        mech = DataDrivenVCG(env, h=h)
        for i in range(1, n + 1):
            d.check(groves_certificate(mech, i, ExPost(), id=f"prop1-n{n}-agent{i}",
                                       claim=f"$n = {n}$, {name}: " + rf"$U_{i} - W(x')$ is report-free, $W$ the welfare"))

# %% [markdown]
# ## Negative controls
# Two mutated transfers break the Groves structure and must be refuted:
# the externality with the wrong sign, and a bonus equal to the agent's own reported signal.

# %%
env = example1(2)
mech = DataDrivenVCG(env, h="pivot")
for what, bad in mutations(mech, 1).items():
    d.step(f"mutated transfer ({what}): $t_1 =$", bad.transfer(1))
add_controls(d, mech, 1, ExPost(), "prop1")

# %%
d.conclude()
