# %% [markdown]
# # Footnote 22: a lottery that matches equation (6) in expectation
#
# The efficient allocation is chosen with probability p, a uniform one otherwise; the efficient winner pays
# 2 theta_j/(1-p) per click of j. The expected payment equals (6), and the allocation is inefficient with
# probability (1-p)/2.
#
# The derivation computes the expectations symbolically in p and simulates the lottery.

# %%
from symbolic_mech import derive

RESULT = "footnote22"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
