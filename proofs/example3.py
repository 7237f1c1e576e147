# %% [markdown]
# # Example 3 (individual CTR pivot payments)
#
# Each agent knows her own click-through rate. Under the per-click pivot, agent 1's expected net utility is
# (theta1 - theta2) 1{theta1' s1' >= theta2 s2} s1, so an agent with theta1 > theta2 but theta1 s1 < theta2 s2
# gains by overstating her rate.
#
# The derivation computes the net utility from the allocation and the estimator's law and exhibits an exact witness.

# %%
from symbolic_mech import derive

RESULT = "example3"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The gain of every report. At the witness profile theta = (2, 1), s = (1/4, 1) the exact gain of a report
# (theta1', s1') over truth-telling is drawn over a grid of reports; it is computed from the same net utility as
# the derivation. Truthfully (the star) agent 1 loses the slot since theta1 s1 = 1/2 < theta2 s2 = 1. Any report
# with theta1' s1' >= theta2 s2 wins it (hatched) and gains (theta1 - theta2) s1 = 1/4, whatever it claims: under
# the per-click pivot she pays theta2 per click of her own rate, which is below her value theta1.

# %%
from symbolic_mech import plots

if plots.available():
    plots.gain_landscape_example3()
