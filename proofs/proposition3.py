# %% [markdown]
# # Proposition 3 (rate of convergence)
#
# For the two consistent instances of Theorem 2 the exact regret epsilon_m is compared, at m = 10, ..., 10^6,
# with the bound of equation (4) and with the Lipschitz bound 2 sum_j L_j E|omega_hat_m - omega| (L_j on the
# box E[omega|s] +- 8 sd, the truncation of footnote 9). The exact orders are read off: epsilon_m ~ m^-2
# against the bound's m^-1/2.

# %%
from symbolic_mech import derive

RESULT = "proposition3"

# %% [markdown]
# The registered derivation: each step, each check and its verdict.

# %%
derivation = derive(RESULT)
derivation.show()

# %% [markdown]
# The rates in a picture. For both consistent cases, at theta = (1, 2), s = (1/2, 1) and unit parameters, the
# exact regret epsilon_m is drawn against m = 10..10^6 on log-log axes beside the two bounds the derivation
# checks: the equation (4) bound and the Lipschitz bound 2 sum_j L_j E|omega_hat_m - omega|. On these axes a
# rate m^-k is a line of slope -k: the regret falls with slope -2, the equation (4) bound with slope -1 and the
# Lipschitz bound with slope -1/2, so the bound holds with room that grows with m. The slopes in the legend are
# least-squares fits over the last two decades; the exponents in the annotations are the exact orders.

# %%
from symbolic_mech import plots

if plots.available():
    plots.regret_rates()
