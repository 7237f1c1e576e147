# %% [markdown]
# # Example 2 (the pivot)
#
# The expected pivot transfer at truth, its sign with aligned preferences and the law-of-total-variance
# identity behind it, each derived and checked against Monte Carlo.

# %%
from symbolic_mech import derive

RESULT = "example2"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
