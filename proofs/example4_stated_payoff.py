# %% [markdown]
# # Example 4, the stated expected transfer (erratum)
#
# The paper states that with truthful reports the expected transfer is alpha[log Z(theta,s) - log Z(theta_-i,s_-i)]
# - v_i(x*). Under agent i's posterior given all signals, the expectation of u_j(x*_-i, omega_hat) is
# v_j(x*_-i, theta_j, s), not v_j(x*_-i, theta_j, s_-i), so the statement misses the term
# sum_{j != i} [v_j(x*_-i, theta_j, s_-i) - v_j(x*_-i, theta_j, s)].
#
# The derivation refutes the statement with an exact witness and proves it under the conditions where the term vanishes.

# %%
from symbolic_mech import derive

RESULT = "example4-stated-payoff"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()
