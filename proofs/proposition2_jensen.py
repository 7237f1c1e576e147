# %% [markdown]
# # Proposition 2 beyond linearity
#
# With u_i = -(theta_i - omega x)^2 and unbiased noise of variance v the exact regret is positive in closed
# form, attained by a type misreport; a rational witness has a strictly positive exact gain.

# %%
from symbolic_mech import derive

RESULT = "proposition2-jensen"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
