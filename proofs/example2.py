# %% [markdown]
# # Example 2 (quadratic loss: data-driven VCG)
#
# Below: the pivot transfer from Definition 6, its expectation at truth derived by the engine and compared
# with the paper's closed form (and with Monte Carlo), its sign with aligned preferences, and both
# identities of the law of total variance for agent 1, with Gaussian signals.

# %%
from functools import partial

import sympy as sp

from symbolic_mech import (DataDrivenVCG, Environment, ExPost, GaussianSignals, RealLine, expected_transfer,
                           identity, sign)
from symbolic_mech.information import normal_moment
from symbolic_mech.paper.section4 import add_controls
from symbolic_mech.registry import start
from symbolic_mech.simulation import expectation_sampler
from symbolic_mech.symbols import omega, s, theta, x
from symbolic_mech.validation import polynomial_coefficients

d = start("example2")
d.scope("Example 1 with n = 2, Gaussian signals, every parameter symbolic; the pivot h_i; the ex-post "
        "estimator", not_covered="n >= 3; other estimators")

# %%
d.paper("Example 2")


# %% [markdown]
# ## The model and the pivot
# $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$ with independent
# $\varepsilon_i \sim N(0, \sigma_i^2)$; $u_i = -(x - \theta_i - \omega)^2$ on the real line; the pivot
# h_i and the ex-post estimator $\hat\omega = \omega$.

# %%
info = GaussianSignals(2)
env = Environment(info, [-(x - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
mech = DataDrivenVCG(env, h="pivot")
th1, th2, s1 = theta(1), theta(2), s(1)
E, E2 = info.posterior_mean(), info.posterior_mean([2])
ident = partial(identity, info)
t1 = d.step("realized pivot transfer t_1(theta, s, omega) (Definition 6, pivot h_1)", mech.transfer(1))

# %% [markdown]
# ## The expected payment at truth
# $\mathbb{E}[t_1 | s]$ under the posterior given both signals, against the paper's closed form; the
# Monte Carlo draws $\omega$ from the prior weighted by the likelihood of the signals.

# %%
et = d.step("expected transfer E[t_1 | s] at truth", expected_transfer(mech, 1, ExPost()))
d.check(ident(et, -(th1 - th2) ** 2 / 4 + (E - E2) ** 2, id="example2-transfer",
              claim="E[t_1|s] = -(theta1 - theta2)^2/4 + (E[omega|s] - E[omega|s2])^2",
              monte_carlo=expectation_sampler(info, t1)))

# %% [markdown]
# ## Aligned preferences: the agent is paid for information
# With $\theta_1 = \theta_2$ only the square $(\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2$ is left.

# %%
aligned = d.step("aligned preferences theta1 = theta2", sp.factor(et.xreplace({th1: th2})))
d.check(sign(info, aligned, "nonnegative", id="example2-aligned",
             claim="with theta1 = theta2 the expected transfer is >= 0"))

# %% [markdown]
# ## The law of total variance
# Given $s_2$, agent 1's signal is $s_1 = \omega + \varepsilon_1$ with $\omega | s_2$ the posterior, and
# $\mathbb{E}[\omega|s]$ is linear in $s_1$ with slope b, so
# $\operatorname{Var}[\mathbb{E}[\omega|s] | s_2] = b^2 (\operatorname{Var}[\omega|s_2] + \sigma_1^2)$. The
# other side, $\mathbb{E}[(\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2 | s_2]$, is computed by the
# engine: substitute $s_1 = \omega + \varepsilon_1$, average $\varepsilon_1 \sim N(0, \sigma_1^2)$ out,
# then take the posterior expectation of $\omega$ given $s_2$.

# %%
b = sp.diff(E, s1)
var_pred = info.posterior_var([2]) + info.noise_var[0]
lhs = d.step("Var[E[omega | s1, s2] | s2] (E[omega|s] is linear in s1)", sp.cancel(b ** 2 * var_pred))
eps1 = sp.Symbol("eps1", real=True)
spread = ((E - E2) ** 2).xreplace({s1: omega + eps1})
over_noise = sp.Add(*[c * normal_moment(k, 0, info.noise_var[0])
                      for k, c in polynomial_coefficients(spread, eps1, "spread").items()])
rhs = d.step("E[(E[omega|s] - E[omega|s2])^2 | s2], s1 = omega + eps_1 averaged out",
             info.expect(over_noise, given=(2,)))
d.check(ident(lhs, info.posterior_var([2]) - info.posterior_var(), id="example2-total-variance",
              claim="Var[E[omega|s] | s2] = Var[omega|s2] - E[Var[omega|s] | s2]"))


# %% [markdown]
# The iterated-expectations identity is also checked by Monte Carlo from the model's definition: $\omega$
# drawn from the prior weighted by the likelihood of $s_2$, then $s_1 = \omega + \varepsilon_1$.

# %%
predictive = expectation_sampler(info, (E - E2) ** 2, given=(2,), redrawn=(1,))


d.check(ident(lhs, rhs, id="example2-iterated",
              claim="Var[E[omega|s] | s2] = E[(E[omega|s] - E[omega|s2])^2 | s2]",
              monte_carlo=predictive, variables=info.parameters + (s(2),)))

# %% [markdown]
# ## Negative controls and verdict
# Two mutated transfers break the Groves structure and must be refuted: the externality with the wrong
# sign, and a bonus equal to the agent's own reported signal.

# %%
add_controls(d, mech, 1, ExPost(), "example2")
d.conclude()
