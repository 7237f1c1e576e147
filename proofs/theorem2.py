# %% [markdown]
# # Theorem 2 (Consistent estimator)
#
# (Definition 7: truth-telling is an $\epsilon$-posterior equilibrium if no report $(\theta'_i, s'_i)$ raises agent i's
# expected net utility, given $s$ and the others' truthful reports, by more than $\epsilon$.)
#
# The theorem is checked on two instances with $n = 2$ and the pivot $h_i$, for agent 1, where $\epsilon_m$ is the
# *exact* regret, the supremum over all reports, in closed form. In the proof's notation, agent 1's report matters
# only through the allocation $x$ it induces; her objective is $F(x) = v_1(x, \theta_1, s) + t_1^m(x, \theta_2, s)$,
# with $t_1^m(x, \theta_2, s) = \mathbb{E}_{\omega|s} \mathbb{E}_{\hat\omega_m|\omega}[u_2(x, \hat\omega_m, \theta_2)]$
# (plus $h_1$), and $\epsilon_m = \max_x F(x) - F(x^*(\theta, s))$. The regret is positive for every $m$ (the
# estimator is noisy, and Proposition 2's hypotheses fail), but it vanishes as $m \to \infty$ because the estimator is
# consistent.

# %%
import sympy as sp

from symbolic_mech import gain, identity
from symbolic_mech.asymptotics import vanishes
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import consistent, gaussian_condition3, lipschitz_on_real_line
from symbolic_mech.information import InformationStructure
from symbolic_mech.paper.section4 import gain_sampler, consistent_cases
from symbolic_mech.registry import start
from symbolic_mech.symbols import m, prime

d = start("theorem2")
d.scope(r"$n = 2$, agent 1, the pivot $h_i$: (a) $u_i = -(\theta_i - \omega x)^2$ with additive noise $v/m$; "
        "(b) Example 1 with the Bayesian shrinkage estimator (footnote 16); Gaussian signals, every "
        r"parameter symbolic, $\epsilon_m$ the exact regret (the supremum over reports, in closed form)",
        not_covered=r"$n \geq 3$; consistent estimators other than these two")

# %%
d.paper("Theorem 2")


# %% [markdown]
# ## The two instances and their exact regret
# Both have Gaussian signals $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$,
# $\varepsilon_i \sim N(0, \sigma_i^2)$, and the data-driven pivot.
#
# * (a) $u_i = -(\theta_i - \omega x)^2$ on the real line (the instance where Proposition 2 fails, its utility
#   differences not affine in $\omega$) with $\hat\omega_m = \omega + \eta$, $\eta \sim N(0, v/m)$: unbiased, with
#   variance $v/m$.
# * (b) Example 1, $u_i = -(x - \theta_i - \omega)^2$, with the designer's posterior mean after $m$ signals
#   $\omega + N(0, \tau^2)$ under the agents' prior $N(\mu, \sigma^2)$ (footnote 16): biased towards $\mu$, its weight
#   on the data $m \sigma^2 / (\tau^2 + m \sigma^2) \to 1$.
#
# For each, the engine derives $x^*$, maximizes agent 1's objective $F$ over the outcome, finds the report
# $\theta'_1$ that reaches the maximizer, and writes $\epsilon_m = F(\arg\max) - F(x^*)$ exactly, in the posterior
# moments $\mathbb{E}[\omega \mid s]$, $\operatorname{Var}[\omega \mid s]$.

# %%
cases = consistent_cases(d)

# %% [markdown]
# Read off the displays above, in the paper's notation:
#
# * (a): $\epsilon_m = v^2 (\theta_1 + \theta_2)^2 \mathbb{E}[\omega \mid s]^2 / (4 m \mathbb{E}[\omega^2 \mid s]^2 (2 m \mathbb{E}[\omega^2 \mid s] + v))$,
#   of order $1/m^2$, the regret $v^2 A^2 / (c^2 (c + v))$ of Proposition 2 beyond linearity
#   ($A = (\theta_1 + \theta_2) \mathbb{E}[\omega \mid s]$, $c = 2 \mathbb{E}[\omega^2 \mid s]$) with the noise
#   variance $v$ replaced by $v/m$;
# * (b): $\epsilon_m = \tau^4 (\mathbb{E}[\omega \mid s] - \mu)^2 / (2 (m \sigma^2 + \tau^2)^2)$, half the square of the
#   estimator's bias $\tau^2 (\mu - \omega) / (m \sigma^2 + \tau^2)$ at $\omega = \mathbb{E}[\omega \mid s]$: also of
#   order $1/m^2$, and zero where $\mathbb{E}[\omega \mid s]$ equals the prior mean $\mu$.
#
# ## The hypothesis: a consistent estimator
# Decided as $\mathbb{E}[(\hat\omega_m - \omega)^2 \mid \omega] \to 0$ for every $\omega$ (convergence in mean square
# gives convergence in probability), simulated from the estimator's law.

# %%
for k, (label, mech, est, r) in enumerate(cases, 1):
    d.step(f"{label}: the estimator's mean squared error " + r"$\mathbb{E}[(\hat\omega_m - \omega)^2 \mid \omega]$",
           sp.factor(est.mean_squared_error()))
    d.hypothesis(consistent(est, id=f"theorem2-case{k}-consistent"))

# %% [markdown]
# ## The other hypotheses: Lipschitz utilities and condition (3)
# Theorem 2 assumes compact spaces and utilities Lipschitz in $\omega$. The instances put $\omega$ on the real line
# under a Gaussian prior, where a utility polynomial in $\omega$ is Lipschitz in $\omega$ only if its second
# derivative in $\omega$ vanishes: both instances' utilities are quadratic in $\omega$, so that hypothesis fails on
# them (decided: the identity $\partial^2 u/\partial\omega^2 = 0$ is refuted), and the conclusion, decided below,
# holds nonetheless. Condition (3) for Gaussian signals rests on $\operatorname{Var}[\omega \mid s]$ being free of $s$
# and $\mathbb{E}[\omega \mid s]$ affine in $s$ (decided); the bound of the total variation of two normals of equal
# variance by their means' distance is cited, not checked.

# %%
for k, (label, mech, est, r) in enumerate(cases, 1):
    d.hypothesis(lipschitz_on_real_line(mech.env, id=f"theorem2-lipschitz-case{k}"), expect=REFUTED)
info = cases[0][1].env.info
d.hypothesis(gaussian_condition3(info, id="theorem2-condition3"))
mean = InformationStructure.moment_atom(info, 1)
d.check(identity(info, mean, mean.xreplace({info.s[0]: prime(info.s[0])}), id="control-theorem2-mean-free",
                 claim=r"the posterior mean taken free of $s_1$, as the variance is: $\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid s_1', s_2]$"),
        expect=REFUTED, control=True)

# %% [markdown]
# ## $\epsilon_m \to 0$
# A limit in $m$, decided: $\epsilon_m = S(1/m)/m$ with $S$ rational in $1/m$ and finite at $1/m = 0$.

# %%
for label, mech, est, r in cases:
    for limit in vanishes(r.epsilon, m, id="theorem2-limit", model=mech.env.info,
                          claim=f"{label}: " + r"$\epsilon_m \to 0$"):
        d.check(limit)

# %% [markdown]
# ## $\epsilon_m$ is attained
# The gain of the report $\theta'_1$ derived above, over truth-telling, is exactly $\epsilon_m$; the payoffs are also
# simulated from the model's definition ($\omega$ from the prior weighted by the signals' likelihood, $\hat\omega_m$
# from its law).

# %%
for label, mech, est, r in cases:
    d.check(identity(mech.env.info, gain(mech, 1, est).xreplace(r.report), r.epsilon, id="theorem2-attained",
                     claim=f"{label}: the gain of the regret-attaining report equals " + r"$\epsilon_m$",
                     monte_carlo=gain_sampler(mech, est, r.report)))

# %% [markdown]
# ## $\epsilon_m$ is not zero
# For finite $m$ the regret is positive at some profile: the theorem's $\epsilon_m$-equilibrium is not an exact
# equilibrium here, so "$\epsilon_m$ vanishes for every $m$" must be refuted.

# %%
for label, mech, est, r in cases:
    d.check(identity(mech.env.info, r.epsilon, 0, id="theorem2-positive",
                     claim=f"{label}: " + r"$\epsilon_m$ vanishes for every $m$"), expect=REFUTED)

# %% [markdown]
# ## Verdict

# %%
d.conclude()
