# %% [markdown]
# # Proposition 2 beyond linearity
#
# An instance where it fails: two agents with $u_i = -(\theta_i - \omega x)^2$ on the real line,
# Gaussian signals, the pivot, and the unbiased estimate $\hat\omega = \omega + \eta$ with
# $\eta \sim N(0, v)$. The others' utilities are quadratic in the state, so agent 1's expected transfer
# carries $\mathbb{E}[\hat\omega^2 \mid \omega] = \omega^2 + v > \omega^2$: the noise penalizes large
# outcomes, and agent 1 gains by shading her report. Below the engine derives agent 1's exact regret
# $\epsilon$ (the supremum of her gain over reports), compares it with the closed form
# $v^2 A^2 / (c^2 (c + v))$, $A = (\theta_1 + \theta_2)\mathbb{E}[\omega|s]$, $c = 2\mathbb{E}[\omega^2|s]$,
# shows it is positive, and exhibits a rational witness with a strictly positive exact gain.

# %%
from functools import partial

import sympy as sp

from symbolic_mech import (AdditiveNoise, Environment, GaussianSignals, RealLine, gain, identity, refutation,
                           sign, witness_at)
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import affine_differences, unbiased
from symbolic_mech.paper.section4 import gain_sampler, rate_profile, regret_steps
from symbolic_mech.registry import start
from symbolic_mech.symbols import omega, theta, v, x

d = start("proposition2-jensen")
est = AdditiveNoise(v)
env = Environment(GaussianSignals(2), [-(theta(i) - omega * x) ** 2 for i in (1, 2)], RealLine())
d.scope(r"$n = 2$, $u_i = -(\theta_i - \omega x)^2$ on the real line, Gaussian signals, additive noise of "
        r"variance $v$; every parameter symbolic; the pivot $h_i$", not_covered=r"$n \geq 3$; other $h_i$")

# %%
d.paper("Section 4.1 (unbiased estimators)")


# %% [markdown]
# ## Proposition 2's hypotheses
# The estimator is unbiased; the utility differences $u_j(x) - u_j(x')$ are not affine in $\omega$ (they are
# quadratic in it), which is what the engine must find.

# %%
d.step(r"$u_i = -(\theta_i - \omega x)^2$")
d.hypothesis(unbiased(est, id="jensen-unbiased"))
d.step(r"Proposition 2's other hypothesis fails here: the utility differences are not affine in $\omega$")
d.hypothesis(affine_differences(env, id="jensen-affine"), expect=REFUTED)

# %% [markdown]
# ## The exact regret
# Agent 1's report moves the outcome to some $x$; her objective is
# $F(x) = v_1(x, \theta_1, s) + \mathbb{E}[t_1 \text{ at } x \mid s]$, a concave quadratic in $x$, so the
# supremum over reports is attained at its maximizer, which a type report $\theta_1'$ reaches. The exact
# regret is $\epsilon = F(\arg\max F) - F(x^*)$.

# %%
mech, r = regret_steps(d, env, est, "noise v")
info, eps = env.info, r.epsilon

# %% [markdown]
# ## The closed form and its sign
# With $A = (\theta_1 + \theta_2)\mathbb{E}[\omega|s]$ and $c = 2\mathbb{E}[\omega^2|s]$ (posterior
# moments), the regret is $v^2 A^2 / (c^2 (c + v))$: positive whenever $A \neq 0$ and $v > 0$.

# %%
ident = partial(identity, info)
m1, m2 = info.moment_atom(1), info.moment_atom(2)
A, c, dd = (theta(1) + theta(2)) * m1, 2 * m2, v
d.check(ident(eps, dd ** 2 * A ** 2 / (c ** 2 * (c + dd)), id="jensen-closed-form",
              claim=r"$\epsilon = v^2 A^2 / (c^2 (c + v))$, $A = (\theta_1 + \theta_2) \mathbb{E}[\omega \mid s]$, "
                    r"$c = 2 \mathbb{E}[\omega^2 \mid s]$"))
d.check(sign(info, sp.cancel(eps / A ** 2), "positive", id="jensen-positive",
             claim=r"$\epsilon / A^2 > 0$, so $\epsilon > 0$ whenever $(\theta_1 + \theta_2) \mathbb{E}[\omega \mid s] \neq 0$"))

# %% [markdown]
# ## The regret is attained
# The gain $U_1(\theta_1') - U_1(\theta_1)$ of the report found above equals $\epsilon$; the Monte Carlo
# simulates the realized payoffs, the own utility paid in $\omega$ and the transfer in $\hat\omega$.

# %%
G = gain(mech, 1, est)
d.check(ident(G.xreplace(r.report), eps, id="jensen-attained",
              claim=r"the gain of the report $\theta_1'$ equals $\epsilon$",
              monte_carlo=gain_sampler(mech, est, r.report)))

# %% [markdown]
# ## A rational witness
# At $\theta = (1, 2)$, $s = (1/2, 1)$ and unit parameters the report $\theta_1'$ has a strictly
# positive exact gain, equal to $\epsilon$ there: truth-telling is not a posterior equilibrium.

# %%
truth = rate_profile(info, est)
report = {k: info.explicit(val).xreplace(truth) for k, val in r.report.items()}
w = witness_at(mech, 1, est, truth, report, G)
d.step(r"witness: exact gain of $\theta_1'$ at the rational profile", w["gain"])
d.check(refutation("jensen-witness", "truth-telling is optimal for agent 1", w, mech, est, G=G,
                   epsilon=info.explicit(eps).xreplace(truth)), expect=REFUTED)

# %%
d.assemble(epsilon=eps)
d.conclude()
