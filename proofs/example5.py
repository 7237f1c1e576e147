"""Example 5 (interdependent preferences).

With u_2 = (theta_2 - theta_1) x_2 omega, agent 1's type enters agent 2's payoff, so the data-driven transfer
moves with agent 1's report directly. With theta_1 < theta_2 the deviation theta_1' = 0 gains
(theta_2 - theta_1) E[omega|s] > 0.
"""

# %%
from symbolic_mech import derive

RESULT = "example5"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The script succeeds when the verdict is the one expected for this result.

# %%
raise SystemExit(0 if derivation.verdict.status == derivation.result.expected else 1)
