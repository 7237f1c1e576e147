# %% [markdown]
# # Section 5.1: per-impression payments cannot implement the efficient allocation
#
# With a common click-through rate the slot goes to the higher bid whatever the private click counts, but
# each bidder's value of the slot is her bid times her posterior rate, which the counts move. Agent 1's
# incentive constraints t(b) - t(a) <= c(a, b) for message-driven (per-impression) transfers then contain a
# negative cycle: a loser with a high posterior rate and a winner with a low one. Adding the cycle's
# constraints gives 0 <= (a negative number), so no transfer rule of this class exists, whatever its form.

# %%
from symbolic_mech import derive

RESULT = "per-impression"

# %% [markdown]
# The registered derivation: the model, the cycle found on a grid of agent 1's types (each step's
# c(a, b) exact), the contrast without private clicks, the control, and the verdict.

# %%
derivation = derive(RESULT)
derivation.show()
