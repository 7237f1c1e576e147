# %% [markdown]
# # Example 4 (KL-regularized data-driven VCG)
#
# With rho = KL, the regularized efficient generation distribution is the Gibbs distribution
# x0(t) exp(sum_i E[r_i(t)]/alpha)/Z with maximal value alpha log Z, and the regularized pivot transfer has
# the displayed closed form.
#
# The derivation solves the first-order conditions, checks strict concavity, compares with a numeric
# maximization over the simplex, and derives the transfer from Definition 9.

# %%
from symbolic_mech import derive

RESULT = "example4"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The Gibbs distribution as the regularization weight varies. For |T| = 4 outputs with total expected rewards
# c = (1, 0.6, 0.2, -0.4) and reference x0 = (0.1, 0.15, 0.25, 0.5), the distribution
# x*(t) = x0(t) exp(c_t / alpha) / Z of llm.generation_distribution is drawn for alpha from 10^-2.5 to 10^2.5.
# For small alpha it concentrates on the argmax of the reward (output 1); for large alpha it returns to the
# reference x0 (dotted lines), whose mode is output 4.

# %%
from symbolic_mech import plots

if plots.available():
    plots.gibbs_vs_alpha()
