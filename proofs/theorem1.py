"""Theorem 1 (impossibility).

On Example 1 (quadratic loss, two agents, Gaussian signals) posterior implementation with signals held
truthful forces the VCG class, and with types held truthful it forces the Bergemann-Valimaki class.
Both classes are derived from their definitions; a transfer in both would make
h_1(theta_2; s) - h_1(theta_2; s_1', s_2) depend on theta_1, which it cannot: the derivation shows the dependence is real.
The wallet structure of footnote 8 is treated the same way.
"""

# %%
from symbolic_mech import derive

RESULT = "theorem1"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The script succeeds when the verdict is the one expected for this result.

# %%
raise SystemExit(0 if derivation.ok else 1)
