# %% [markdown]
# # Equation (6): the data-driven pivot with individual rates
#
# Each bidder knows her own rate ($\omega_i = s_i$) and the designer has an unbiased estimate $\hat\omega_j$ of each
# other bidder's rate from outside the auction. The data-driven pivot of Definition 6 is then a Groves
# transfer in the estimates: its expectation is (6), and truth-telling is optimal by Proposition 2. The
# per-click pivot under the same estimates is not (Example 3).

# %%
from symbolic_mech import AdditiveNoise, DataDrivenVCG, PerClickPivot, groves_certificate, identity
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import unbiased
from symbolic_mech.paper.section5 import IndividualRates, under_positivity
from symbolic_mech.registry import start
from symbolic_mech.symbols import m, prime, s, theta, v

d = start("equation6")
d.scope(r"a single slot, $n = 2$ bidders, individual rates known to their owners (in $[0, 1]$), values per "
        r"click $\geq 0$, unbiased additive-noise estimates $v/m$ of the others' rates; every parameter symbolic",
        not_covered=r"$n \geq 3$ bidders; estimates that use the bidders' own reports")
th1, th2, s1, s2 = theta(1), theta(2), s(1), s(2)

# %%
d.paper("Equation (6)")


# %% [markdown]
# ## The model and the outside estimate
# $u_i = \theta_i x_i \omega_i$ on a single slot with $\omega_i = s_i$ known to bidder i. The estimate of each rate is
# $\hat\omega_j = \omega_j$ + noise of variance $v/m$ ($m$ observations elsewhere): its unbiasedness, the hypothesis of
# Proposition 2, is decided from its law.

# %%
g = IndividualRates(2, estimator=AdditiveNoise(v, m))
d.hypothesis(unbiased(g.estimator, id="eq6-unbiased"))
d.step(f"estimate of $\\omega_2$ from outside the auction: {g.estimator} (unbiased = {g.estimator.is_unbiased})")
d.step(r"$x^*_1$: the slot to the higher $\theta_i \mathbb{E}[\omega_i \mid s] = \theta_i s_i$ (ties to agent 1)", g.allocation()[g.x[0]])

# %% [markdown]
# ## The data-driven pivot and its expectation: equation (6)
# Definition 6 with the pivot $h_1$: agent 1 pays the others' welfare without her minus their welfare at $x^*$,
# both valued at the estimates. At agent 1's report $(\theta_1', s_1')$ and with bids and rates positive, the
# expected transfer is $-\theta_2 \mathbb{E}[\omega_2 \mid s]$ when she wins and 0 otherwise: she pays the amount (6).

# %%
t1 = d.step(r"data-driven pivot $t_1$ (Definition 6): $h_1 + u_2(x^*, \hat\omega)$", g.data_driven_pivot(1))
positive = (th1, th2, prime(th1), s1, s2, prime(s1))
et = d.step(r"expected transfer at the report, $\theta_j > 0$ and rates $> 0$",
            under_positivity(g.expect_estimates(t1.xreplace(g.report(1))), positive))
x1_report = g.allocation()[g.x[0]].xreplace(g.report(1))
d.check(identity(g.env, et, under_positivity(-th2 * s2 * x1_report, positive), id="eq6-form",
                 claim=r"$\mathbb{E}[t_1 \mid s] = -\theta_2 \mathbb{E}[\omega_2 \mid s] x^*_1(\theta', s')$ (equation 6)"))

# %% [markdown]
# ## Truth-telling is optimal
# The Groves certificate: agent 1's expected net utility at a report minus the expected welfare at the
# report's outcome does not depend on the report, so truth, which maximizes the welfare, is optimal.

# %%
d.check(groves_certificate(DataDrivenVCG(g.env, h="pivot"), 1, g.estimator, id="eq6-certificate",
                           claim=r"$U_1 - W(x')$, $W$ the welfare, does not depend on the report: truth optimal"))

# %% [markdown]
# ## Negative control and verdict
# Under the same estimates, the per-click pivot (a price $\max_{j \neq i} \theta_j$ per click of i's own ad) must be
# refuted: the certificate fails, with an exact witness.

# %%
d.check(groves_certificate(PerClickPivot(g.env), 1, g.estimator, id="control-eq6-per-click",
                           claim="the per-click pivot in place of the data-driven one: truth optimal for agent 1"),
        expect=REFUTED, control=True)
d.conclude()
