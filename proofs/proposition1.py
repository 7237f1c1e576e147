# %% [markdown]
# # Proposition 1 (ex-post estimator)
#
# With omega_hat = omega, agent i's expected net utility is welfare at the induced allocation plus a term
# free of her report, for an arbitrary h_i and for the pivot, with two and three agents. A numeric search over
# misreports corroborates it, and mutated transfers must be refuted.

# %%
from symbolic_mech import derive

RESULT = "proposition1"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
