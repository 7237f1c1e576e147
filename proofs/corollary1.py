# %% [markdown]
# # Corollary 1 (two-stage leave-one-out transfers)
#
# Equation (5): agent i's transfer uses an estimate built from the other agents' second-stage reports, so her
# own second-stage report is payoff-irrelevant; with truthful second-stage reports the first stage is the
# ex-post data-driven VCG mechanism and inherits its certificate.

# %%
from symbolic_mech import derive

RESULT = "corollary1"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
