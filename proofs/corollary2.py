# %% [markdown]
# # Corollary 2 (common CTR pivot payments)
#
# With a common click-through rate omega ~ Beta(a, b) and the observed click rate of m impressions as the
# estimator, the per-click pivot payment max_{j != i} theta_j has the same expected value as the data-driven
# pivot transfer for every report, so it inherits the implementation result of Proposition 2.
#
# The derivation compares the two expected transfers as functions of the misreport, certifies the data-driven
# pivot, searches for a profitable misreport under the per-click rule, and simulates clicks.

# %%
from symbolic_mech import derive

RESULT = "corollary2"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
