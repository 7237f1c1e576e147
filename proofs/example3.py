"""Example 3 (individual CTR pivot payments).

Each agent knows her own click-through rate. Under the per-click pivot, agent 1's expected net utility is
(theta1 - theta2) 1{theta1' s1' >= theta2 s2} s1, so an agent with theta1 > theta2 but theta1 s1 < theta2 s2
gains by overstating her rate.

The derivation computes the net utility from the allocation and the estimator's law and exhibits an exact witness.
"""

# %%
from symbolic_mech import derive

RESULT = "example3"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The script succeeds when the verdict is the one expected for this result.

# %%
raise SystemExit(0 if derivation.verdict.status == derivation.result.expected else 1)
