# %% [markdown]
# # Corollary 3 (implementation with alpha-regularized data-driven VCG)
#
# Parts 1-2 by a Groves-type certificate (net utility minus the regularized objective is report-free);
# parts 3-4 by the exact regret epsilon_m of a consistent estimator, its limit and its rate.
#
# The derivation runs on two outputs with a fixed reference distribution.

# %%
from symbolic_mech import derive

RESULT = "corollary3"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
