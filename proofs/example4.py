"""Example 4 (KL-regularized data-driven VCG).

With rho = KL, the regularized efficient generation distribution is the Gibbs distribution
x0(t) exp(sum_i E[r_i(t)]/alpha)/Z with maximal value alpha log Z, and the regularized pivot transfer has
the displayed closed form.

The derivation solves the first-order conditions, checks strict concavity, compares with a numeric
maximization over the simplex, and derives the transfer from Definition 9.
"""

# %%
from symbolic_mech import derive

RESULT = "example4"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The script succeeds when the verdict is the one expected for this result.

# %%
raise SystemExit(0 if derivation.verdict.status == derivation.result.expected else 1)
