# %% [markdown]
# # Corollary 1 for every instance (two-stage, ex post): the first stage
#
# Transfers (5):
# $t_i = h_i(\theta_{-i}, s_{-i}, \hat\omega_{-i}) + \sum_{j \neq i} u_j(x^*(\theta, s), \hat\omega_{-i}, \theta_j)$,
# with $\hat\omega_{-i}$ the leave-one-out estimate computed from the others' second-stage reports $z_{-i}$.
#
# **Formal statement.** For any number of agents, any outcome set, any utilities $u_j(x, \omega, \theta_j)$, any
# $h_i$ and any leave-one-out estimate that returns the state when the others report the state they observe:
# (second stage) agent i's transfer does not contain her own second-stage report $z_i'$, so truth-telling there is
# weakly dominant; (first stage) with the others truthful in both stages, agent i's expected payoff at an
# arbitrary report $(\theta_i', s_i', z_i')$ equals the objective $W(x')$ with the true information plus a term in
# which no primed symbol occurs.

# %%
from symbolic_mech.core.kernel import INCONCLUSIVE
from symbolic_mech.registry import start
from symbolic_mech.schematic import derivation, schematic_check, statement

d = start("corollary1-general")
d.scope(r"any $n$, any outcome set, any utilities $u_i(x, \omega, \theta_i)$, any $h_i$",
        covers=r"the two-stage mechanism of equation (5) in the ex-post case: each agent observes $\omega$, the "
               r"leave-one-out estimate from the others' truthful reports is $\omega$; $h_i$ any function of "
               r"$(\theta_{-i}, s_{-i}, \hat\omega_{-i})$; the first stage, with truthful second-stage reports, and the "
               r"second stage's indifference ($i$'s transfer holds no $z_i'$)",
        not_covered=r"that $x^*$ exists; beliefs off the equilibrium path (the second-stage report moves nothing of "
                    r"agent $i$'s, so none is needed)")

# %%
d.paper("Corollary 1", "Equation (5)")


# %% [markdown]
# ## The argument, step by step
# No estimator's law enters: the estimate is a function of the reports. The others report $z_{-i} = \omega$, the
# leave-one-out rule gives $\hat\omega_{-i}(\omega) = \omega$, and independence of $\theta$ turns the posterior given
# $(\theta, s)$ into the posterior given $s$. The checker also confirms that $z_i'$ occurs nowhere in agent i's
# transfer.

# %%
claim = statement("two-stage", "ex-post", "any", second_stage="leave-one-out")
d.step(f"the formal statement, as the checker reads it: {claim['text']}")

# %% [markdown]
# The rule steps, each with the side it rewrites and that side after it:

# %%
proof = schematic_check(claim, id="cor1-general",
                        description=r"two-stage, ex post: the own second-stage report is absent from $t_i$, and "
                                    r"$U - W(x')$ is free of the report")
for title, text in derivation(proof):
    d.step(f"{title}: ${text}$")
d.check(proof)

# %% [markdown]
# ## Negative controls
# * The estimate computed from every second-stage report, agent i's included: $\hat\omega(z_i', \omega)$ stays,
#   in $h_i$ and in the others' utilities (refuted on a concrete instance in `corollary1`).
# * $h_i$ depending on agent i's own reported type $\theta_i'$ (refuted in `proposition1`, the one-stage case
#   the first stage reduces to).

# %%
for st, id, words, link in (
        (statement("two-stage", "ex-post", "any", second_stage="with-own-report"), "cor1-general-control-own-estimate",
         r"the estimate includes agent $i$'s own second-stage report $z_i'$", "corollary1/control-cor1"),
        (statement("two-stage", "ex-post", "any", h_args=("theta_-i", "s_-i", "omega_hat", "theta_i"),
                   second_stage="leave-one-out"), "cor1-general-control-own-report",
         r"$h_i$ depending on agent $i$'s own report $\theta_i'$", "proposition1/control-prop1-2")):
    control = schematic_check(st, id=id, description=f"{words}: " + r"$U - W(x')$ is free of the report", refuted_by=link)
    d.step(f"{words}: the breaking term ${control.evidence['breaking']}$")
    d.check(control, INCONCLUSIVE, control=True)

# %%
d.conclude()
