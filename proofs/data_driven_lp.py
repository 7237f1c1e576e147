# %% [markdown]
# # Extension: can any data-driven mechanism implement where data-driven VCG fails?
#
# Proposition 2 needs utility differences affine in the state; with u_i = -(theta_i - omega x)^2 and a noisy
# unbiased estimate the data-driven VCG mechanism is not truthful (Jensen's inequality). This extension (not a
# result of the paper) asks whether some other data-driven mechanism, with transfers on the reports and the
# estimate, is truthful. On a finite model the incentive constraints are linear in the transfer table: the LP
# is solved by HiGHS and its answer certified exactly, here by a rational transfer table checked constraint
# by constraint. With an uninformative estimate the same LP is infeasible (a Farkas certificate), as no
# message-driven mechanism implements x*.

# %%
from symbolic_mech import derive

RESULT = "data-driven-lp"

# %% [markdown]
# The registered derivation: data-driven VCG's exact regret by enumeration, the message-driven cycle, the
# certified LP, the control with an uninformative estimate, and the verdict.

# %%
derivation = derive(RESULT)
derivation.show()
