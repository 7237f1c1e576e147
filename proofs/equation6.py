# %% [markdown]
# # Equation (6): the data-driven pivot with individual rates
#
# With unbiased estimates of the other agents' rates obtained outside the auction, the data-driven pivot
# has expected transfer -max_{j != i} theta_j E[omega_j|s] x_i*, and truth-telling is optimal.
#
# The derivation shows that agent 1's net utility minus welfare does not depend on her report.

# %%
from symbolic_mech import derive

RESULT = "equation6"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
