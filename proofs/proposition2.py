# %% [markdown]
# # Proposition 2 (unbiased estimator)
#
# Unbiased estimators with utilities linear in omega, and the sharper condition the engine decides: utility
# differences affine in omega (Example 1 passes). A biased estimator is a negative control.

# %%
from symbolic_mech import derive

RESULT = "proposition2"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
