# %% [markdown]
# # Example 2 (quadratic loss: data-driven VCG)
#
# Below, for agent 1 with Gaussian signals, each step of the example is derived by the engine and checked
# against the paper's display: the expected transfer at a misreport $(\theta_1', s_1')$ (Definition 6 with
# the pivot), the intermediate and the closed form at truth, the sign with aligned preferences (strictly
# positive exactly where the posterior means differ), both sides of the law of total variance from the
# model, and the two comparative statics: more accurate information is paid more, bias is paid for.
# Every check has a negative control that must come out refuted.

# %%
from functools import partial

import sympy as sp

from symbolic_mech import (DataDrivenVCG, Environment, ExPost, GaussianSignals, RealLine, expected_transfer,
                           identity, sign)
from symbolic_mech.incentives import Misreport
from symbolic_mech.information import InformationStructure, normal_moment
from symbolic_mech.paper.section4 import add_controls
from symbolic_mech.registry import start
from symbolic_mech.simulation import expectation_sampler
from symbolic_mech.symbols import omega, prime, s, theta, x
from symbolic_mech.validation import polynomial_coefficients

d = start("example2")
d.scope(r"Example 1 with $n = 2$, Gaussian signals, every parameter symbolic; the pivot $h_i$; the ex-post "
        "estimator", not_covered=r"$n \geq 3$; other estimators; other signal laws (for which the posterior "
                                 "variance may depend on the signals)")


def control(verdict):
    """Record a negative control: it must come out refuted."""
    d.check(verdict, expect="refuted", control=True)


# %%
d.paper("Example 2")


# %% [markdown]
# ## The model and the pivot
# $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$ with independent
# $\varepsilon_i \sim N(0, \sigma_i^2)$; $u_i = -(x - \theta_i - \omega)^2$ on the real line; the pivot
# $h_i$ and the ex-post estimator $\hat\omega = \omega$.

# %%
info = GaussianSignals(2)
env = Environment(info, [-(x - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
mech = DataDrivenVCG(env, h="pivot")
th1, th2, s1, s2 = theta(1), theta(2), s(1), s(2)
E, E2 = info.posterior_mean(), info.posterior_mean([2])
# the same means as the engine's opaque atoms E[omega|1,2](s1, s2) and E[omega|2](s2)
Ea, E2a = info.moment_atom(1), info.moment_atom(1, (2,))
V, V2 = info.posterior_var(), info.posterior_var([2])
ident = partial(identity, info)
t1 = d.step(r"realized pivot transfer $t_1(\theta, s, \hat\omega)$ (Definition 6, pivot $h_1$)", mech.transfer(1))

# %% [markdown]
# ## The expected transfer at a misreport
# Agent 1 reports $(\theta_1', s_1')$, agent 2 reports truthfully; the outcome moves to
# $x' = x^*(\theta_1', \theta_2, s_1', s_2)$, and the pivot compares agent 2's payoff there with its payoff
# at $x^*(\theta_2, s_2)$, agent 2's choice alone. The engine takes the transfer at the report and its
# expectation under agent 1's posterior given the true signals. Both lines of the paper's display are
# checked against it: the difference of agent 2's values, and the posterior expectation of the paper's
# integrand; the Monte Carlo draws $\omega$ from the prior weighted by the likelihood of the true signals.

# %%
rep = Misreport.of(mech, 1)
th1p, s1p = rep.report
induced = {k: e.xreplace(rep.substitution) for k, e in mech.allocation().items()}
alone = env.efficient_allocation((2,))
d.step(r"the outcome induced by the report, $x' = x^*(\theta_1', \theta_2, s_1', s_2)$", induced[x])
d.step(r"agent 2's choice alone, $x^*(\theta_2, s_2)$", alone[x])
t1_rep = t1.xreplace(rep.substitution)
et_rep = d.step(r"expected transfer at the report, $\mathbb{E}[t_1(\theta_1', \theta_2, s_1', s_2, \omega) \mid s]$",
                expected_transfer(mech, 1, ExPost(), t1_rep))
d.check(ident(et_rep, env.value(2, induced) - env.value(2, alone), id="example2-misreport-values",
              claim=r"$\mathbb{E}[t_1(\theta_1', \theta_2, s_1', s_2, \omega) \mid s] = v_2(x^*(\theta_1', \theta_2, s_1', s_2), \theta_2, s)"
                    r" - v_2(x^*(\theta_2, s_2), \theta_2, s)$",
              monte_carlo=expectation_sampler(info, t1_rep)))
control(ident(et_rep, env.value(2, induced), id="control-example2-misreport-values",
              claim=r"the same with the pivot's term $-v_2(x^*(\theta_2, s_2), \theta_2, s)$ dropped"))
integrand = -(th1p / 2 - th2 / 2 + Ea.xreplace({s1: s1p}) - omega) ** 2 + (E2a - omega) ** 2
d.step("the paper's integrand at the report", integrand)
d.check(ident(et_rep, info.expect(integrand, atomic=True), id="example2-misreport",
              claim=r"$\mathbb{E}[t_1 \mid s]$ at $(\theta_1', s_1')$ $= \mathbb{E}_{\omega \mid s}[-(\theta_1'/2 - \theta_2/2 + \mathbb{E}[\omega \mid s_1', s_2] - \omega)^2"
                    r" + (\mathbb{E}[\omega \mid s_2] - \omega)^2]$",
              monte_carlo=expectation_sampler(info, integrand)))
dropped = -(th1p / 2 - th2 / 2 + Ea.xreplace({s1: s1p}) - omega) ** 2
control(ident(et_rep, info.expect(dropped, atomic=True), id="control-example2-misreport",
              claim=r"the same with the term $(\mathbb{E}[\omega \mid s_2] - \omega)^2$ dropped"))

# %% [markdown]
# ## The expected payment at truth
# At the truth $(\theta_1', s_1') = (\theta_1, s_1)$: $\mathbb{E}[t_1 | s]$ against the paper's intermediate
# form (the bias term plus the posterior expectation of the difference of the two squared errors; its Monte
# Carlo simulates the paper's integrand) and against the closed form.

# %%
et = d.step(r"expected transfer $\mathbb{E}[t_1 \mid s]$ at truth", expected_transfer(mech, 1, ExPost()))
bias = -(th1 - th2) ** 2 / 4
errors = (E2a - omega) ** 2 - (Ea - omega) ** 2
d.check(ident(et, bias + info.expect(errors, atomic=True), id="example2-intermediate",
              claim=r"$\mathbb{E}[t_1 \mid s] = -(\theta_1 - \theta_2)^2/4 + \mathbb{E}_{\omega \mid s}[(\mathbb{E}[\omega \mid s_2] - \omega)^2 - (\mathbb{E}[\omega \mid s] - \omega)^2]$",
              monte_carlo=expectation_sampler(info, bias + errors)))
control(ident(et, -bias + info.expect(errors, atomic=True), id="control-example2-intermediate",
              claim=r"the same with the bias term's sign reversed, $+(\theta_1 - \theta_2)^2/4$"))
d.check(ident(et, bias + (E - E2) ** 2, id="example2-transfer",
              claim=r"$\mathbb{E}[t_1 \mid s] = -(\theta_1 - \theta_2)^2/4 + (\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2])^2$",
              monte_carlo=expectation_sampler(info, t1)))
control(ident(et, (E - E2) ** 2, id="control-example2-transfer",
              claim=r"the same with the bias term $-(\theta_1 - \theta_2)^2/4$ dropped"))

# %% [markdown]
# ## Aligned preferences: the agent is paid for information
# With $\theta_1 = \theta_2$ only the square $(\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2$ is left: it
# is non-negative, and strictly positive exactly where the two posterior means differ. The difference of
# the means is $b\,(s_1 - \mathbb{E}[\omega|s_2])$ with the weight
# $b = \partial\mathbb{E}[\omega|s]/\partial s_1 > 0$, so the means differ exactly when
# $s_1 \neq \mathbb{E}[\omega|s_2]$. Writing $s_1 = \mathbb{E}[\omega|s_2] + \delta$, the region where they
# differ is $\delta \neq 0$ (a real symbol declared nonzero): there the transfer is decided strictly
# positive; at $\delta = 0$ it is exactly zero.

# %%
aligned = d.step(r"aligned preferences $\theta_1 = \theta_2$", sp.factor(et.xreplace({th1: th2})))
d.check(sign(info, aligned, "nonnegative", id="example2-aligned",
             claim=r"with $\theta_1 = \theta_2$ the expected transfer is $\geq 0$"))
control(sign(info, -aligned, "positive", id="control-example2-aligned",
             claim=r"the sign reversed: with $\theta_1 = \theta_2$ the expected transfer is $< 0$"))
b = d.step(r"the weight of $s_1$ in $\mathbb{E}[\omega \mid s]$, $b = \partial\mathbb{E}[\omega \mid s]/\partial s_1$", sp.diff(E, s1))
d.check(ident(E - E2, b * (s1 - E2), id="example2-difference",
              claim=r"$\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2] = b (s_1 - \mathbb{E}[\omega \mid s_2])$"))
control(ident(E - E2, b * s1, id="control-example2-difference",
              claim=r"the same with the term $-b \mathbb{E}[\omega \mid s_2]$ dropped: $\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2] = b s_1$"))
d.check(sign(info, b, "positive", id="example2-weight", claim=r"$b > 0$"))
control(sign(info, -b, "positive", id="control-example2-weight", claim=r"the sign reversed: $b < 0$"))
delta = sp.Symbol("delta", real=True, nonzero=True)
differ = d.step(r"aligned transfer with $s_1 = \mathbb{E}[\omega \mid s_2] + \delta$", aligned.xreplace({s1: E2 + delta}))
d.check(sign(info, differ, "positive", id="example2-strict",
             claim=r"with $\theta_1 = \theta_2$ and $\mathbb{E}[\omega \mid s] \neq \mathbb{E}[\omega \mid s_2]$ ($\delta \neq 0$) the transfer is $> 0$"))
control(sign(info, -differ, "positive", id="control-example2-strict",
             claim=r"the sign reversed: the same transfer is $< 0$"))
d.check(ident(aligned.xreplace({s1: E2}), 0, id="example2-equal-means",
              claim=r"with $\theta_1 = \theta_2$ and $\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid s_2]$ ($\delta = 0$) the transfer is $0$"))
control(ident(aligned.xreplace({s1: info.prior_mean}), 0, id="control-example2-equal-means",
              claim=r"the prior mean in place of $\mathbb{E}[\omega \mid s_2]$: with $\theta_1 = \theta_2$ and $s_1 = \mu$ the transfer is $0$"))

# %% [markdown]
# ## The law of total variance, from the model
# Given $s_2$, agent 1's signal is $s_1 = \omega + \varepsilon_1$, with $\omega | s_2$ the posterior and
# $\varepsilon_1 \sim N(0, \sigma_1^2)$ independent of it. An expectation given $s_2$ of a polynomial in
# $s_1$ and $\omega$ is computed so: substitute $s_1 = \omega + \varepsilon_1$, average $\varepsilon_1$ out
# (normal moments), then take the posterior expectation of $\omega$ given $s_2$. This gives the
# predictive law of $s_1$ given $s_2$, a normal law (a sum of independent normals) with mean
# $\mathbb{E}[\omega|s_2]$ and variance $\operatorname{Var}[\omega|s_2] + \sigma_1^2$: derived, then checked
# against those formulas, with Monte Carlo ($\omega$ drawn from the prior weighted by the likelihood of
# $s_2$, then $s_1 = \omega + \varepsilon_1$ drawn).

# %%
eps1 = sp.Symbol("eps1", real=True)


def given_s2(f):
    """E[f | s2] for f polynomial in s1 and omega: s1 = omega + eps1, eps1 averaged out, then omega | s2."""
    g = sp.expand(f.xreplace({s1: omega + eps1}))
    over_noise = sp.Add(*[c * normal_moment(k, 0, info.noise_var[0])
                          for k, c in polynomial_coefficients(g, eps1, "f").items()])
    return info.expect(over_noise, given=(2,))


def predictive(f, *exprs):
    """Monte Carlo of E[f | s2]: s1 redrawn given omega, omega from the prior weighted by s2's likelihood."""
    return dict(monte_carlo=expectation_sampler(info, f, given=(2,), redrawn=(1,)),
                variables=info.parameters + (s2,))


pred_mean = d.step(r"$\mathbb{E}[s_1 \mid s_2]$", sp.cancel(given_s2(s1)))
pred_var = d.step(r"$\operatorname{Var}[s_1 \mid s_2] = \mathbb{E}[s_1^2 \mid s_2] - \mathbb{E}[s_1 \mid s_2]^2$", sp.cancel(given_s2(s1 ** 2) - pred_mean ** 2))
d.check(ident(pred_mean, E2, id="example2-predictive-mean", claim=r"$\mathbb{E}[s_1 \mid s_2] = \mathbb{E}[\omega \mid s_2]$", **predictive(s1)))
control(ident(pred_mean, info.prior_mean, id="control-example2-predictive-mean",
              claim=r"the prior mean in place of the posterior's: $\mathbb{E}[s_1 \mid s_2] = \mu$"))
d.check(ident(pred_var, V2 + info.noise_var[0], id="example2-predictive-var",
              claim=r"$\operatorname{Var}[s_1 \mid s_2] = \operatorname{Var}[\omega \mid s_2] + \sigma_1^2$", **predictive((s1 - E2) ** 2)))
control(ident(pred_var, V2, id="control-example2-predictive-var",
              claim=r"the same with the noise variance $\sigma_1^2$ dropped: $\operatorname{Var}[s_1 \mid s_2] = \operatorname{Var}[\omega \mid s_2]$"))


def under_predictive(f):
    """E[f | s2] for f polynomial in s1, by the moments of the predictive normal law of s1 given s2."""
    return sp.Add(*[c * normal_moment(k, pred_mean, pred_var)
                    for k, c in polynomial_coefficients(sp.expand(f), s1, "f").items()])


# %% [markdown]
# **Why $\operatorname{Var}[\omega|s]$ stands for $\mathbb{E}[\operatorname{Var}[\omega|s] | s_2]$.** For
# Gaussian signals the posterior variance $1/(1/\sigma^2 + 1/\sigma_1^2 + 1/\sigma_2^2)$ does not depend on
# the signals' values, only on which signals are observed. Decided: the posterior variance written as
# $\mathbb{E}[\omega^2|s] - \mathbb{E}[\omega|s]^2$, with both posterior moments the engine's functions of
# $(s_1, s_2)$, takes the same value at any two signal profiles $(s_1, s_2)$ and $(s_1', s_2')$; that is,
# $\partial \operatorname{Var}[\omega|s] / \partial s_k = 0$ identically for k = 1, 2. The posterior mean
# does not (the control). So its expectation under the predictive law is itself; that expectation is
# computed all the same, from the posterior variance as a function of $s_1$, and checked by Monte Carlo
# of $(\omega - \mathbb{E}[\omega|s])^2$ given $s_2$ (iterated expectations).

# %%
var_atoms = InformationStructure.moment_atom(info, 2) - InformationStructure.moment_atom(info, 1) ** 2
other_profile = {s1: prime(s1), s2: prime(s2)}
d.check(ident(var_atoms, var_atoms.xreplace(other_profile), id="example2-variance-free",
              claim=r"$\operatorname{Var}[\omega \mid s] = \operatorname{Var}[\omega \mid s']$ for any two profiles $s = (s_1, s_2)$, $s' = (s_1', s_2')$: "
                    "the posterior variance is free of the signals"))
control(ident(Ea, Ea.xreplace(other_profile), id="control-example2-variance-free",
              claim=r"the posterior mean in place of the variance (it is not free of the signals): $\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid s']$ for any two profiles"))
exp_var = d.step(r"$\mathbb{E}[\operatorname{Var}[\omega \mid s] \mid s_2]$, $\operatorname{Var}[\omega \mid s]$ averaged over "
                 r"the predictive law of $s_1$",
                 sp.cancel(under_predictive(info.explicit(var_atoms))))
d.check(ident(exp_var, V, id="example2-expected-residual", claim=r"$\mathbb{E}[\operatorname{Var}[\omega \mid s] \mid s_2] = \operatorname{Var}[\omega \mid s]$",
              **predictive((omega - E) ** 2)))
control(ident(exp_var, V2, id="control-example2-expected-residual",
              claim=r"agent 1's signal left out: $\mathbb{E}[\operatorname{Var}[\omega \mid s] \mid s_2] = \operatorname{Var}[\omega \mid s_2]$"))

# %% [markdown]
# The two sides of the law of total variance: $\operatorname{Var}[\mathbb{E}[\omega|s] | s_2]$ from the
# predictive law ($\mathbb{E}[\omega|s]$ is a polynomial in $s_1$), and
# $\mathbb{E}[(\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2 | s_2]$ by averaging $\varepsilon_1$ and then
# $\omega$ given $s_2$; the law of iterated expectations is also checked by Monte Carlo from the model.

# %%
var_mean = d.step(r"$\operatorname{Var}[\mathbb{E}[\omega \mid s] \mid s_2] = \mathbb{E}[\mathbb{E}[\omega \mid s]^2 \mid s_2] "
                  r"- \mathbb{E}[\mathbb{E}[\omega \mid s] \mid s_2]^2$",
                  sp.factor(under_predictive(E ** 2) - under_predictive(E) ** 2))
d.check(ident(var_mean, V2 - exp_var, id="example2-total-variance",
              claim=r"$\operatorname{Var}[\mathbb{E}[\omega \mid s] \mid s_2] = \operatorname{Var}[\omega \mid s_2] - \mathbb{E}[\operatorname{Var}[\omega \mid s] \mid s_2]$"))
control(ident(var_mean, V2 + exp_var, id="control-example2-total-variance",
              claim=r"the sign of the expected residual variance reversed: $\operatorname{Var}[\mathbb{E}[\omega \mid s] \mid s_2] = \operatorname{Var}[\omega \mid s_2] + \mathbb{E}[\operatorname{Var}[\omega \mid s] \mid s_2]$"))
compensation = d.step(r"$\mathbb{E}[(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2])^2 \mid s_2]$, "
                      r"$s_1 = \omega + \varepsilon_1$ averaged out",
                      sp.factor(given_s2((E - E2) ** 2)))
d.check(ident(var_mean, compensation, id="example2-iterated",
              claim=r"$\operatorname{Var}[\mathbb{E}[\omega \mid s] \mid s_2] = \mathbb{E}[(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2])^2 \mid s_2]$", **predictive((E - E2) ** 2)))
control(ident(var_mean, given_s2(E ** 2), id="control-example2-iterated",
              claim=r"the squared mean dropped: $\operatorname{Var}[\mathbb{E}[\omega \mid s] \mid s_2] = \mathbb{E}[\mathbb{E}[\omega \mid s]^2 \mid s_2]$"))

# %% [markdown]
# ## More accurate information is paid more
# Agent 1's expected compensation $C = \mathbb{E}[(\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2 | s_2]$
# and the change in expected residual variance
# $R = \mathbb{E}[\operatorname{Var}[\omega|s] | s_2] - \operatorname{Var}[\omega|s_2]$ (negative: a
# reduction) satisfy $C = -R$ by the two identities above. As functions of agent 1's noise variance
# $\sigma_1^2$ (derivatives in $\sigma_1^2$, by the chain rule through $\sigma_1 > 0$): $R$ increases and
# $C$ decreases, so a more accurate signal (smaller $\sigma_1^2$) reduces the residual variance more and is
# paid more.

# %%
sigma1 = sp.sqrt(info.noise_var[0])


def in_noise(f):
    """df/d(sigma1^2) = (df/dsigma1) / (2 sigma1)."""
    return sp.factor(sp.diff(f, sigma1) / (2 * sigma1))


d_comp = d.step(r"$\partial C/\partial(\sigma_1^2)$", in_noise(compensation))
d.check(sign(info, -d_comp, "positive", id="example2-accuracy",
             claim=r"$\partial C / \partial (\sigma_1^2) < 0$: the expected compensation falls as agent 1's noise variance grows"))
control(sign(info, d_comp, "positive", id="control-example2-accuracy", claim=r"the sign reversed: $\partial C / \partial (\sigma_1^2) > 0$"))
d_resid = d.step(r"$\partial R/\partial(\sigma_1^2)$", in_noise(exp_var - V2))
d.check(sign(info, d_resid, "positive", id="example2-residual-reduction",
             claim=r"$\partial R / \partial (\sigma_1^2) > 0$: the reduction in expected residual variance shrinks as the noise grows"))
control(sign(info, -d_resid, "positive", id="control-example2-residual-reduction",
             claim=r"the sign reversed: $\partial R / \partial (\sigma_1^2) < 0$"))

# %% [markdown]
# ## Bias is paid for
# With the bias $\beta = \theta_1 - \theta_2$ the payment at truth is
# $T = -\beta^2/4 + (\mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2])^2$. Decided: T depends on the bias only
# through $|\beta|$ (T at $\theta_2 + \beta$ equals T at $\theta_2 - \beta$, $\beta > 0$), and decreases
# strictly in it ($\partial T/\partial\beta < 0$ for $\beta > 0$). The control is the realized transfer: its
# cross term $\beta(\mathbb{E}[\omega|s] - \omega)$ is odd in $\beta$ until the posterior expectation removes it.

# %%
beta = sp.Symbol("beta", positive=True)
up, down = et.xreplace({th1: th2 + beta}), et.xreplace({th1: th2 - beta})
d.check(ident(up, down, id="example2-bias-even",
              claim=r"$T(\theta_2 + \beta) = T(\theta_2 - \beta)$: $T$ depends on $|\theta_1 - \theta_2|$ only"))
control(ident(t1.xreplace({th1: th2 + beta}), t1.xreplace({th1: th2 - beta}), id="control-example2-bias-even",
              claim=r"the realized transfer $t_1(\theta, s, \hat\omega)$ in place of its expectation: the same symmetry"))
slope = d.step(r"$\partial T/\partial\beta$ at $\theta_1 = \theta_2 + \beta$", sp.diff(up, beta))
d.check(sign(info, -slope, "positive", id="example2-bias-slope",
             claim=r"$\partial T / \partial |\theta_1 - \theta_2| < 0$: the payment falls as the bias grows"))
control(sign(info, slope, "positive", id="control-example2-bias-slope",
             claim=r"the sign reversed: $\partial T / \partial |\theta_1 - \theta_2| > 0$"))

# %% [markdown]
# **Where the payment turns negative.** With $D = \mathbb{E}[\omega|s] - \mathbb{E}[\omega|s_2]$, T factors
# as $(D - \beta/2)(D + \beta/2)$: zero exactly at $|\theta_1 - \theta_2| = 2|D|$. Beyond it,
# $\theta_1 - \theta_2 = \pm 2(1 + \kappa) D$ with $\kappa > 0$ where the means differ
# ($s_1 = \mathbb{E}[\omega|s_2] + \delta$, $\delta \neq 0$), and any bias
# $\theta_1 - \theta_2 = \delta \neq 0$ where they agree ($s_1 = \mathbb{E}[\omega|s_2]$): T is decided
# negative in each case, which covers every bias larger than the threshold. An exact profile with a
# negative payment then refutes "the payment is never negative".

# %%
D, gap = Ea - E2a, th1 - th2
d.check(ident(et, (D - gap / 2) * (D + gap / 2), id="example2-bias-threshold",
              claim=r"$T = (D - (\theta_1 - \theta_2)/2)(D + (\theta_1 - \theta_2)/2)$, $D = \mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_2]$: "
                    r"zero exactly at $|\theta_1 - \theta_2| = 2|D|$"))
control(ident(et, (D - gap) * (D + gap), id="control-example2-bias-threshold",
              claim=r"the factor $1/2$ dropped: $T = (D - (\theta_1 - \theta_2))(D + (\theta_1 - \theta_2))$"))
kappa = sp.Symbol("kappa", positive=True)
for s_ in (1, -1):
    tag = "plus" if s_ == 1 else "minus"
    beyond = et.xreplace({th1: th2 + s_ * 2 * (1 + kappa) * (E - E2)}).xreplace({s1: E2 + delta})
    d.check(sign(info, -beyond, "positive", id=f"example2-bias-beyond-{tag}",
                 claim=rf"$T < 0$ at $\theta_1 - \theta_2 = {'' if s_ == 1 else '-'}2 (1 + \kappa) (\mathbb{{E}}[\omega \mid s] - \mathbb{{E}}[\omega \mid s_2])$, "
                       r"$\kappa > 0$, where the means differ"))
    control(sign(info, beyond, "positive", id=f"control-example2-bias-beyond-{tag}",
                 claim=r"the sign reversed: the same payment is $> 0$"))
agree = et.xreplace({th1: th2 + delta, s1: E2})
d.check(sign(info, -agree, "positive", id="example2-bias-uninformed",
             claim=r"$T < 0$ for every bias $\theta_1 - \theta_2 = \delta \neq 0$ where $\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid s_2]$"))
control(sign(info, agree, "nonnegative", id="control-example2-bias-uninformed",
             claim=r"the sign reversed: the same payment is $\geq 0$"))
d.check(sign(info, et, "nonnegative", id="example2-negative-transfer",
             claim=r"the payment at truth is $\geq 0$ for every bias (the paper: it becomes negative)"), expect="refuted")

# %% [markdown]
# ## Negative controls of the Groves structure and verdict
# Two mutated transfers break the Groves structure and must be refuted: the externality with the wrong
# sign, and a bonus equal to the agent's own reported signal.

# %%
add_controls(d, mech, 1, ExPost(), "example2")
d.conclude()
