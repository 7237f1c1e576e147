# %% [markdown]
# # Theorem 2 (Consistent estimator)
#
# (Definition 7: truth-telling is an ε-posterior equilibrium if no report (θ'_i, s'_i) raises agent i's
# expected net utility, given s and the others' truthful reports, by more than ε.)
#
# The theorem is checked on two instances with n = 2 and the pivot h_i, for agent 1, where ε_m is the *exact*
# regret, the supremum over all reports, in closed form. In the proof's notation, agent 1's report matters
# only through the allocation x it induces; her objective is F(x) = v_1(x, θ_1, s) + t_1^m(x, θ_2, s), with
# t_1^m(x, θ_2, s) = E_{ω|s} E_{ω̂_m|ω}[u_2(x, ω̂_m, θ_2)] (plus h_1), and ε_m = max_x F(x) − F(x*(θ, s)).
# The regret is positive for every m (the estimator is noisy, and Proposition 2's hypotheses fail), but it
# vanishes as m → ∞ because the estimator is consistent.

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
d.scope("n = 2, agent 1, the pivot h_i: (a) u_i = -(theta_i - omega x)^2 with additive noise v/m; "
        "(b) Example 1 with the Bayesian shrinkage estimator (footnote 16); Gaussian signals, every "
        "parameter symbolic, epsilon_m the exact regret (the supremum over reports, in closed form)",
        not_covered="n >= 3; consistent estimators other than these two")

# %%
d.paper("Theorem 2")


# %% [markdown]
# ## The two instances and their exact regret
# Both have Gaussian signals ω ~ N(μ, σ²), s_i = ω + ε_i, ε_i ~ N(0, σ_i²), and the data-driven pivot.
#
# * (a) u_i = −(θ_i − ω x)² on the real line (the instance where Proposition 2 fails, its utility
#   differences not affine in ω) with ω̂_m = ω + η, η ~ N(0, v/m): unbiased, with variance v/m.
# * (b) Example 1, u_i = −(x − θ_i − ω)², with the designer's posterior mean after m signals
#   ω + N(0, τ²) under the agents' prior N(μ, σ²) (footnote 16): biased towards μ, its weight on the data
#   m σ² / (τ² + m σ²) → 1.
#
# For each, the engine derives x*, maximizes agent 1's objective F over the outcome, finds the report θ'_1
# that reaches the maximizer, and writes ε_m = F(argmax) − F(x*) exactly, in the posterior moments
# E[ω | s], Var[ω | s].

# %%
cases = consistent_cases(d)

# %% [markdown]
# Read off the displays above, in the paper's notation:
#
# * (a): ε_m = v² (θ_1 + θ_2)² E[ω | s]² / (4 m E[ω² | s]² (2 m E[ω² | s] + v)), of order 1/m², the regret
#   v² A² / (c² (c + v)) of Proposition 2 beyond linearity (A = (θ_1 + θ_2) E[ω | s], c = 2 E[ω² | s]) with
#   the noise variance v replaced by v/m;
# * (b): ε_m = τ⁴ (E[ω | s] − μ)² / (2 (m σ² + τ²)²), half the square of the estimator's bias
#   τ² (μ − ω) / (m σ² + τ²) at ω = E[ω | s]: also of order 1/m², and zero where E[ω | s] equals the prior
#   mean μ.
#
# ## The hypothesis: a consistent estimator
# Decided as E[(ω̂_m − ω)² | ω] → 0 for every ω (convergence in mean square gives convergence in
# probability), simulated from the estimator's law.

# %%
for k, (label, mech, est, r) in enumerate(cases, 1):
    d.step(f"{label}: the estimator's mean squared error E[(omega_hat_m - omega)^2 | omega]",
           sp.factor(est.mean_squared_error()))
    d.hypothesis(consistent(est, id=f"theorem2-case{k}-consistent"))

# %% [markdown]
# ## The other hypotheses: Lipschitz utilities and condition (3)
# Theorem 2 assumes compact spaces and utilities Lipschitz in ω. The instances put ω on the real line under a
# Gaussian prior, where a utility polynomial in ω is Lipschitz in ω only if its second derivative in ω
# vanishes: both instances' utilities are quadratic in ω, so that hypothesis fails on them (decided: the
# identity d²u/dω² = 0 is refuted), and the conclusion, decided below, holds nonetheless. Condition (3) for
# Gaussian signals rests on Var[ω | s] being free of s and E[ω | s] affine in s (decided); the bound of the
# total variation of two normals of equal variance by their means' distance is cited, not checked.

# %%
for k, (label, mech, est, r) in enumerate(cases, 1):
    d.hypothesis(lipschitz_on_real_line(mech.env, id=f"theorem2-lipschitz-case{k}"), expect=REFUTED)
info = cases[0][1].env.info
d.hypothesis(gaussian_condition3(info, id="theorem2-condition3"))
mean = InformationStructure.moment_atom(info, 1)
d.check(identity(info, mean, mean.xreplace({info.s[0]: prime(info.s[0])}), id="control-theorem2-mean-free",
                 claim="control: E[omega | s] = E[omega | s_1', s_2], the mean free of s_1 as the variance is"),
        expect=REFUTED, control=True)

# %% [markdown]
# ## ε_m → 0
# A limit in m, decided: ε_m = S(1/m)/m with S rational in 1/m and finite at 1/m = 0.

# %%
for label, mech, est, r in cases:
    for limit in vanishes(r.epsilon, m, id="theorem2-limit", model=mech.env.info,
                          claim=f"{label}: epsilon_m -> 0"):
        d.check(limit)

# %% [markdown]
# ## ε_m is attained
# The gain of the report θ'_1 derived above, over truth-telling, is exactly ε_m; the payoffs are also simulated
# from the model's definition (ω from the prior weighted by the signals' likelihood, ω̂_m from its law).

# %%
for label, mech, est, r in cases:
    d.check(identity(mech.env.info, gain(mech, 1, est).xreplace(r.report), r.epsilon, id="theorem2-attained",
                     claim=f"{label}: the gain of the regret-attaining report equals epsilon_m",
                     monte_carlo=gain_sampler(mech, est, r.report)))

# %% [markdown]
# ## ε_m is not zero
# For finite m the regret is positive at some profile: the theorem's ε_m-equilibrium is not an exact
# equilibrium here, so "ε_m vanishes for every m" must be refuted.

# %%
for label, mech, est, r in cases:
    d.check(identity(mech.env.info, r.epsilon, 0, id="theorem2-positive",
                     claim=f"{label}: epsilon_m vanishes for every m"), expect=REFUTED)

# %% [markdown]
# ## Verdict

# %%
d.conclude()
