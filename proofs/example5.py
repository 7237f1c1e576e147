# %% [markdown]
# # Example 5 (interdependent preferences)
#
# With u_2 = (theta_2 - theta_1) x_2 omega, agent 1's type enters agent 2's payoff, so the data-driven transfer
# moves with agent 1's report directly. With theta_1 < theta_2 the deviation theta_1' = 0 gains
# (theta_2 - theta_1) E[omega|s] > 0.

# %%
from symbolic_mech import derive

RESULT = "example5"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The gain of every report. At the witness profile theta = (1/2, 3/4), s = (1, 1) the exact gain of a report
# (theta1', s1') over truth-telling is drawn over a grid of reports, from the same gain expression as the
# derivation. The report s1' matters only through the sign of E[omega | s1', s2], which decides the direction of
# the comparison of theta1' with theta2 - theta1'. A low reported type (theta1' < 1/4, hatched) hands the object
# to agent 2 and raises the transfer, which pays (theta2 - theta1') E[omega|s]; the witness theta1' = 0 (the dot)
# gains (theta2 - theta1) E[omega|s] = 1/4. Reports with E[omega | s1', s2] < 0 (here s1' < -2) reverse the
# comparison and never gain.

# %%
from symbolic_mech import plots

if plots.available():
    plots.gain_landscape_example5()
