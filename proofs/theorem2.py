# %% [markdown]
# # Theorem 2 (consistent estimators)
#
# The exact regret epsilon_m for the Jensen instance with noise v/m and for Example 1 with a Bayesian
# shrinkage estimator, and its limit as m grows.

# %%
from symbolic_mech import derive

RESULT = "theorem2"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
