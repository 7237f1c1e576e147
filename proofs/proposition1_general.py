# %% [markdown]
# # Proposition 1 for every instance (ex post)
#
# **Formal statement.** For any number of agents, any outcome set, any utilities
# $u_j(x, \omega, \theta_j)$ and any $h_i(\theta_{-i}, s_{-i}, \hat\omega)$, with $\hat\omega = \omega$ and
# $\theta$ independent of $(s, \omega)$: agent i's expected payoff at an arbitrary report
# $(\theta_i', s_i')$, the others truthful,
#
# $$U = \mathbb{E}_{\omega, \hat\omega \mid \theta, s}\Big[u_i(x', \omega, \theta_i) + h_i(\theta_{-i}, s_{-i}, \hat\omega) +
#   \sum_{j \neq i} u_j(x', \hat\omega, \theta_j)\Big], \qquad x' = x^*(\theta_i', \theta_{-i}, s_i', s_{-i}),$$
#
# equals the objective at $x'$ with the true information,
# $W(x') = \mathbb{E}_{\omega \mid s}[\sum_j u_j(x', \omega, \theta_j)]$, plus a term in which no primed symbol
# occurs. Since $x^*(\theta, s)$ maximizes $W$ (its defining property), the truth is a best reply: this is the paper's
# equation (2).
#
# The functions are uninterpreted, agent i stands beside a sum over the others $j \neq i$ (n is symbolic), and the
# expectations are linear operators with exactly the rules the statement grants
# (`symbolic_mech.core.schematic_checker`, which builds U and W from the statement and replays every step).

# %%
from symbolic_mech.core.kernel import INCONCLUSIVE
from symbolic_mech.registry import start
from symbolic_mech.schematic import derivation, schematic_check, statement

d = start("proposition1-general")
d.scope(r"any $n$, any outcome set, any utilities $u_i(x, \omega, \theta_i)$, any $h_i$",
        covers=r"every data-driven VCG mechanism (Definition 6) with $\hat\omega = \omega$; $h_i$ any function of "
               r"$(\theta_{-i}, s_{-i}, \hat\omega)$; $x^*$ by its defining property (it maximizes the objective given the "
               "true information)",
        not_covered=r"that $x^*$ exists (the paper's standing assumption); integrability of $h_i$ and $u_j$ (the rules "
                    "take the expectations to exist)")

# %%
d.paper("Proposition 1")


# %% [markdown]
# ## The argument, step by step
# Each step is an instance of a named rule: the tower property splits the joint expectation into the posterior
# given $(\theta, s)$ and the estimator's law given $\omega$ (which, in the model, depends on nothing else);
# independence of $\theta$ from $(s, \omega)$ turns the posterior given $(\theta, s)$ into the posterior given $s$;
# the ex-post rule replaces $\hat\omega$ by $\omega$. Linearity (a sum splits, a factor the operator does not bind
# comes out) is the normal form between steps.

# %%
claim = statement("data-driven-vcg", "ex-post", "any")
d.step(f"the formal statement, as the checker reads it: {claim['text']}")

# %% [markdown]
# The rule steps, each with the side it rewrites and that side after it:

# %%
proof = schematic_check(claim, id="prop1-general",
                        description=r"ex post: $U - W(x')$ is free of the report, for every $n$, outcome set, $u_j$ and $h_i$")
for title, text in derivation(proof):
    d.step(f"{title}: ${text}$")
d.check(proof)

# %% [markdown]
# What remains is $\mathbb{E}_{\omega \mid s}[h_i(\theta_{-i}, s_{-i}, \omega)]$: the paper's
# $h_i(\theta_{-i}, s_{-i})$ "with some abuse of notation". No primed symbol occurs in it.
#
# ## Negative controls
# Each weakens one hypothesis; the same rules then leave a term that moves with the report, and the check must
# not be proved. The schematic layer does not refute (the term may vanish in a particular instance), so each
# control is inconclusive with its breaking term named, and a concrete instance refutes the claim with a
# certified witness in the check it links:
#
# * $h_i$ depending on agent i's own report: the term is $\mathbb{E}_{\omega \mid s}[h_i(\ldots, \theta_i')]$
#   (the concrete instance pays the agent her own reported signal);
# * interdependent preferences, $u_j(x, \omega, \theta_j, \theta_i)$ (Example 5): the transfer evaluates
#   $u_j$ at the reported $\theta_i'$ and the objective at the true $\theta_i$.

# %%
for st, id, words, link in (
        (statement("data-driven-vcg", "ex-post", "any", h_args=("theta_-i", "s_-i", "omega_hat", "theta_i")),
         "prop1-general-control-own-report", r"$h_i$ depending on agent $i$'s own report $\theta_i'$",
         "proposition1/control-prop1-2"),
        (statement("data-driven-vcg", "ex-post", "any", utility_args=("x", "omega", "theta_j", "theta_i")),
         "prop1-general-control-interdependent", r"interdependent utilities $u_j(x, \omega, \theta_j, \theta_i)$ "
                                                 "(Example 5)", "example5/example5-witness")):
    control = schematic_check(st, id=id, description=f"{words}: " + r"$U - W(x')$ is free of the report", refuted_by=link)
    d.step(f"{words}: the breaking term ${control.evidence['breaking']}$")
    d.check(control, INCONCLUSIVE, control=True)

# %%
d.conclude()
