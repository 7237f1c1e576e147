# %% [markdown]
# # Proposition 2 (unbiased estimator)
#
# The paper omits the proof ("the same reasoning as in Proposition 1"): with utilities linear in $\omega$, the
# transfer's expectation over $\hat\omega$ depends on $\hat\omega$ only through its mean, which
# unbiasedness makes $\omega$, so agent i's expected net utility is again welfare at the induced allocation plus
# a term free of her report. What is needed is weaker: the differences $u_j(x) - u_j(x')$ affine in $\omega$
# (Example 1's quadratic loss has them). Below, for three instances, the engine decides both hypotheses
# (unbiasedness through every posterior of the information structure; affine differences), shows agent
# 1's expected net utility minus the welfare at the induced allocation, and certifies truth-telling by
# the Groves argument. A biased estimator is a further negative control.

# %%
import sympy as sp

from symbolic_mech import (AdditiveNoise, BayesianShrinkage, BetaBernoulliClicks, DataDrivenVCG, Environment,
                           GaussianSignals, RealLine, SampleClickRate, groves_certificate, net_utility)
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import affine_differences, unbiased
from symbolic_mech.paper.section4 import add_controls
from symbolic_mech.registry import start
from symbolic_mech.symbols import m, omega, omega_hat, prime, s, theta, v, x

d = start("proposition2")
d.scope(r"$n = 2$ agents, agent 1's incentives, the pivot $h_i$: $u_i = \theta_i x \omega - x^2/2$ with Gaussian "
        r"signals and additive noise $v/m$; the same utilities with Beta-Bernoulli clicks and the sample click "
        r"rate of $m$ impressions; Example 1's quadratic loss with additive noise $v/m$; every parameter symbolic",
        covers=r"utilities linear in $\omega$, and quadratic loss (utility differences affine in $\omega$)",
        not_covered=r"$n \geq 3$; $h_i$ other than the pivot; utilities whose differences are not affine in $\omega$ "
                    "(see proposition2-jensen)")


def linear_environment(info) -> Environment:
    """u_i = theta_i x omega - x^2/2: linear in omega, strictly concave in x."""
    return Environment(info, [theta(i) * x * omega - x ** 2 / 2 for i in range(1, info.n + 1)], RealLine())


def example1(info) -> Environment:
    """Example 1: u_i = -(x - theta_i - omega)^2, x real."""
    return Environment(info, [-(x - theta(i) - omega) ** 2 for i in range(1, info.n + 1)], RealLine())


# %%
d.paper("Proposition 2")


# %% [markdown]
# ## The hypotheses, decided
# For an environment and an estimator: unbiasedness through every posterior of the information
# structure, the utility differences affine in $\omega$, and the estimator's first two moments given $\omega$.

# %%
def hypotheses(k, label, env, est):
    d.step(f"{label}: the hypotheses, decided")
    d.hypothesis(unbiased(est, id=f"prop2-case{k}-unbiased"))
    d.hypothesis(affine_differences(env, id=f"prop2-case{k}-affine"))
    d.step(f"{label}: " + r"$(\mathbb{E}[\hat\omega \mid \omega], \mathbb{E}[\hat\omega^2 \mid \omega])$",
           sp.Tuple(est.expect(omega_hat), est.expect(omega_hat ** 2)))


# %% [markdown]
# ## The Groves argument
# The pivot's transfer as a polynomial in $\hat\omega$ (affine here: its expectation needs only
# $\mathbb{E}[\hat\omega \mid \omega] = \omega$), and $U_1(\theta_1', s_1') - \sum_j v_j(x', \theta_j, s)$
# at the induced outcome $x' = x^*(\theta_1', \theta_2, s_1', s_2)$: the Groves certificate decides that
# no report symbol is left in it.

# %%
def implementation(k, label, env, est):
    hypotheses(k, label, env, est)
    mech = DataDrivenVCG(env, h="pivot")
    t1 = sp.expand(mech.transfer(1))
    d.step(f"{label}: the pivot transfer $t_1$ has degree {sp.degree(t1, omega_hat)} in " + r"$\hat\omega$; "
           r"its coefficient of $\hat\omega$", sp.factor(t1.coeff(omega_hat, 1)))
    report = {theta(1): prime(theta(1)), s(1): prime(s(1))}
    induced = {key: e.xreplace(report) for key, e in mech.allocation().items()}
    d.step(f"{label}: " + r"$U_1(\theta_1', s_1') - \sum_j v_j(x', \theta_j, s)$",
           sp.factor(sp.expand(net_utility(mech, 1, est) - env.welfare(allocation=induced))))
    d.check(groves_certificate(mech, 1, est, id="prop2", claim=f"{label}: truth optimal for agent 1"))


# %% [markdown]
# ## Utilities linear in $\omega$, Gaussian signals, additive noise
# $u_i = \theta_i x \omega - x^2/2$; $\hat\omega = \omega + \eta$ with $\eta \sim N(0, v/m)$.

# %%
implementation(1, "additive noise v/m, Gaussian signals", linear_environment(GaussianSignals(2)),
               AdditiveNoise(v, m))

# %% [markdown]
# ## Utilities linear in $\omega$, clicks
# $\omega$ a click-through rate with a Beta prior, each agent's signal the clicks of her own impressions
# (Beta-Bernoulli); $\hat\omega$ the click rate of $m$ further impressions.

# %%
implementation(2, "sample click rate of m impressions, Beta-Bernoulli clicks",
               linear_environment(BetaBernoulliClicks(2)), SampleClickRate(m))

# %% [markdown]
# ## Example 1's quadratic loss, additive noise
# $u_i = -(x - \theta_i - \omega)^2$ is not linear in $\omega$, but $u_j(x) - u_j(x')$ is affine in $\omega$: the
# $\hat\omega^2$ terms cancel in the pivot transfer, so the noise's variance $v/m$ never enters.

# %%
implementation(3, "Example 1 (quadratic loss) with additive noise v/m", example1(GaussianSignals(2)),
               AdditiveNoise(v, m))

# %% [markdown]
# ## Negative controls and verdict
# Two mutated transfers must be refuted (the externality with the wrong sign; a bonus equal to the
# agent's own reported signal), and so must the Bayesian shrinkage estimator, which is biased:
# unbiasedness is needed.

# %%
env = linear_environment(GaussianSignals(2))
add_controls(d, DataDrivenVCG(env, h="pivot"), 1, AdditiveNoise(v, m), "prop2")
d.check(groves_certificate(DataDrivenVCG(env, h="pivot"), 1, BayesianShrinkage(m),
                           id="control-prop2-biased", claim="a biased estimator (shrinkage) in place of the unbiased one: truth optimal"),
        expect=REFUTED, control=True)
d.conclude()
