# %% [markdown]
# # Proposition 2 for every instance (unbiased estimator, utilities affine in $\omega$)
#
# The paper omits the proof ("follows the same reasoning as in Proposition 1"). **Formal statement.** For any number
# of agents, any outcome set, any utilities affine in the state,
# $u_j(x, \omega, \theta_j) = a_j(x, \theta_j) + b_j(x, \theta_j)\,\omega$ with $a_j, b_j$ arbitrary, any
# $h_i(\theta_{-i}, s_{-i}, \hat\omega)$, an estimator with $\mathbb{E}[\hat\omega \mid \omega] = \omega$ whose law
# given $\omega$ depends on nothing else (the model's assumption: $\hat\omega$ is drawn from $\omega$ alone), and $\theta$
# independent of $(s, \omega)$ (the paper's model): agent i's expected
# payoff at an arbitrary report equals the objective $W(x')$ with the true information plus a term in which no primed
# symbol occurs. "Linear in $\omega$" is read as affine (a constant term changes nothing), as in `proposition2`.

# %%
from symbolic_mech.core.kernel import INCONCLUSIVE
from symbolic_mech.registry import start
from symbolic_mech.schematic import derivation, schematic_check, statement

d = start("proposition2-general")
d.scope(r"any $n$, any outcome set, any utilities affine in $\omega$, $u_j = a_j(x, \theta_j) + b_j(x, \theta_j) \omega$, any $h_i$",
        covers=r"every data-driven VCG mechanism (Definition 6) with an unbiased estimator and utilities affine in "
               r"$\omega$ ($a_j(x, \theta_j) + b_j(x, \theta_j) \omega$, $a_j$ and $b_j$ arbitrary); $h_i$ any function of "
               r"$(\theta_{-i}, s_{-i}, \hat\omega)$; $x^*$ by its defining property",
        not_covered=r"that $x^*$ exists; integrability of $h_i$ and $u_j$ under the estimator's law")

# %%
d.paper("Proposition 2")


# %% [markdown]
# ## The argument, step by step
# The tower property and the independence of $\theta$ as in Proposition 1; then affinity writes each utility as
# $a_j + b_j\,\omega$ (in the payoff at $\hat\omega$, in the objective at $\omega$), linearity takes $b_j(x', \theta_j)$
# out of the estimator's expectation, and unbiasedness replaces $\mathbb{E}[\hat\omega \mid \omega]$ by $\omega$.
# The term $\mathbb{E}_{\omega \mid s}\mathbb{E}_{\hat\omega \mid \omega}[h_i(\theta_{-i}, s_{-i}, \hat\omega)]$
# stays: $h_i$ need not be affine, and it holds no primed symbol.

# %%
claim = statement("data-driven-vcg", "unbiased", "affine")
d.step(f"the formal statement, as the checker reads it: {claim['text']}")

# %% [markdown]
# The rule steps, each with the side it rewrites and that side after it:

# %%
proof = schematic_check(claim, id="prop2-general",
                        description=r"unbiased, affine utilities: $U - W(x')$ is free of the report, for every $n$, "
                                    r"outcome set, $a_j$, $b_j$ and $h_i$")
for title, text in derivation(proof):
    d.step(f"{title}: ${text}$")
d.check(proof)

# %% [markdown]
# ## Negative controls
# * A biased estimator, $\mathbb{E}[\hat\omega \mid \omega] = \omega + \beta$: the bias term
#   $\beta \sum_{j \neq i} b_j(x', \theta_j)$ remains (refuted on a concrete instance in `proposition2`).
# * Utilities not affine in $\omega$ under an unbiased estimator: without the affine rule the estimator's expectation
#   stays inside, and the remaining term is Jensen's
#   gap $\sum_{j \neq i} \mathbb{E}_{\omega \mid s}\big[\mathbb{E}_{\hat\omega \mid \omega}[u_j(x', \hat\omega, \theta_j)] - u_j(x', \omega, \theta_j)\big]$
#   (refuted with $u_i = -(\theta_i - \omega x)^2$ in `proposition2-jensen`).
# * $h_i$ depending on agent i's own reported signal (refuted in `proposition2`).
#
# Each is inconclusive with its breaking term named: the term may vanish in an instance ($b_j = 0$, a utility
# affine after all), so only a concrete instance refutes, and it is linked.

# %%
for st, id, words, link in (
        (statement("data-driven-vcg", "biased", "affine"), "prop2-general-control-biased",
         r"a biased estimator, $\mathbb{E}[\hat\omega \mid \omega] = \omega + \beta$", "proposition2/control-prop2-biased"),
        (statement("data-driven-vcg", "unbiased", "any"), "prop2-general-control-not-affine",
         r"utilities not affine in $\omega$ (Jensen's gap)", "proposition2-jensen/jensen-witness"),
        (statement("data-driven-vcg", "unbiased", "affine", h_args=("theta_-i", "s_-i", "omega_hat", "s_i")),
         "prop2-general-control-own-report", r"$h_i$ depending on agent $i$'s own reported signal $s_i'$",
         "proposition2/control-prop2-2")):
    control = schematic_check(st, id=id, description=f"{words}: " + r"$U - W(x')$ is free of the report", refuted_by=link)
    d.step(f"{words}: the breaking term ${control.evidence['breaking']}$")
    d.check(control, INCONCLUSIVE, control=True)

# %%
d.conclude()
