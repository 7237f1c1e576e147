# %% [markdown]
# # Extension: can any data-driven mechanism implement where data-driven VCG fails?
#
# *This is an extension of the package, not a result of the paper.* Proposition 2 needs utility differences
# affine in the state; with $u_i = -(\theta_i - \omega x)^2$ and a noisy unbiased estimate the data-driven VCG
# mechanism is not truthful (Jensen's inequality). The claim checked here:
#
# > On a finite model with u_i = -(theta_i - omega x)^2 and a noisy unbiased estimate omega_hat, the data-driven
# > VCG mechanism is not truthful and no message-driven mechanism implements x*, yet another data-driven
# > mechanism, with transfers on the reports and the estimate, does.
#
# On a finite model the incentive constraints are linear in the transfer table: the LP is solved by HiGHS and
# its answer certified exactly, here by a rational transfer table checked constraint by constraint. With an
# uninformative estimate the same LP is infeasible (a Farkas certificate), as no message-driven mechanism
# implements $x^*$.

# %%
from fractions import Fraction

import sympy as sp

from symbolic_mech import FiniteEnvironment, FiniteEstimator, FiniteInformation, implementable
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.implementability import exact_regret
from symbolic_mech.registry import start
from symbolic_mech.symbols import omega, theta, x

d = start("data-driven-lp")
d.scope(r"a finite model: $\omega \in \{1, 2\}$ equally likely, two agents with signals in $\{0, 1\}$ of accuracy $3/4$, "
        r"types $\{0, 1/2, \ldots, 2\}$, outcomes $\{0, 1/4, \ldots, 2\}$, $u_i = -(\theta_i - \omega x)^2$; the estimate "
        r"$\omega \pm 1/2$ (unbiased); every number exact",
        covers="every message-driven and every data-driven transfer rule on this model (all agents, all "
               "profiles of the others' types)",
        not_covered="other models: the answer is for this instance")

# %% [markdown]
# ## The finite Jensen model
# The state $\omega$ is 1 or 2 with probability 1/2 each; each agent's signal $s_i \in \{0, 1\}$ matches the state
# ($s_i = 0$ for $\omega = 1$, $s_i = 1$ for $\omega = 2$) with probability $3/4$, independently given $\omega$.
# Types $\theta_i$ and outcomes $x$ lie on exact grids. The designer's estimate is $\omega \pm 1/2$ with probability 1/2
# each (unbiased: $\mathbb{E}[\hat\omega \mid \omega] = \omega$), or, as a control, the constant 3/2 (no information).

# %%
half, accuracy = Fraction(1, 2), Fraction(3, 4)
signal = {1: {0: accuracy, 1: 1 - accuracy}, 2: {0: 1 - accuracy, 1: accuracy}}
info = FiniteInformation.independent([1, 2], [half, half], [signal, signal])
types = [Fraction(k, 2) for k in range(5)]
outcomes = [Fraction(k, 4) for k in range(9)]
utilities = [-(theta(i) - omega * x) ** 2 for i in (1, 2)]
env = FiniteEnvironment(info, [types, types], outcomes, utilities)
noisy = FiniteEstimator({w: {w - half: half, w + half: half} for w in (1, 2)})
flat = FiniteEstimator({w: {Fraction(3, 2): 1} for w in (1, 2)})
d.step(r"$x^*(\theta, s)$ maximizes $\sum_i \mathbb{E}[u_i \mid s]$ over the 9 outcomes (ties to the first listed)")
d.step(r"$u_1(x, \omega, \theta_1)$", utilities[0])
profiles = ((0, 0), (0, 1), (1, 0), (1, 1))
d.step(r"$x^*(\theta_1, \theta_2 = 1; s)$: a row per signal profile $(s_1, s_2) = (0, 0), (0, 1), (1, 0), (1, 1)$, a column per "
       r"$\theta_1 = 0, 1/2, \dots, 2$",
       sp.Matrix([[env.efficient_allocation((t1, 1), sig) for t1 in types] for sig in profiles]))

# %% [markdown]
# ## Data-driven VCG with the noisy estimate
# Definition 6 with $h_i = 0$ pays agent i the others' utilities at the estimate,
# $t_i = \sum_{j \neq i} u_j(x^*(\theta, s), \hat\omega, \theta_j)$. Its exact regret is found by enumerating every
# truth and report of agent i.

# %%
def vcg(i, th, sig, estimate):
    o = env.efficient_allocation(th, sig)
    return sum(-(th[j - 1] - estimate * o) ** 2 for j in (1, 2) if j != i)


d.check(exact_regret(env, vcg, noisy, id="lp-vcg-noisy",
                     claim=r"the data-driven VCG mechanism ($h_i = 0$) with the noisy unbiased estimate is truthful"),
        expect=REFUTED)

# %% [markdown]
# ## Message-driven transfers: a negative cycle
# A transfer on the reports alone must satisfy $t(b) - t(a) \le c(a, b)$ for every pair of agent i's types; a
# negative cycle of these constraints rules out every message-driven mechanism.

# %%
d.check(implementable(env, id="lp-message-driven"), expect=REFUTED)

# %% [markdown]
# ## Data-driven transfers: the certified LP
# With transfers $t_i(\theta, s, \hat\omega)$ the incentive constraints are linear in the table of transfers.
# HiGHS finds a table; it is rationalized and checked constraint by constraint in exact arithmetic.

# %%
v = d.check(implementable(env, kind="data-driven", estimator=noisy, id="lp-data-driven"))
d.step(f"certified by a rational transfer table: {v.evidence.get('constraints')} constraints, smallest "
       f"slack {v.evidence.get('smallest_slack')}")
# the existence witness itself: one block of the table, agent 1's transfer against one profile of agent 2
block = next(b for b in v.evidence["transfers"] if b["agent"] == 1 and b["others"] == {"theta2": "1", "s2": "1"})
d.step(r"agent 1's certified transfer $t_1(\theta_1', s_1'; \theta_2 = 1, s_2 = 1, \hat\omega)$: a row per "
       r"$\hat\omega = 1/2, 3/2, 5/2$, a column per report $(\theta_1', s_1') = (0, 0), (0, 1), (1/2, 0), \dots, (2, 1)$",
       sp.Matrix([[sp.Rational(q) for q in row["t"]] for row in block["table"]]).T)
d.step(f"the whole table: {len(v.evidence['transfers'])} such blocks (each agent against each profile of the "
       f"other's type and signal), in the certificate the checker replays")

# %% [markdown]
# ## Negative control and verdict
# An estimate that carries no information about $\omega$ leaves the designer with message-driven transfers in
# effect: the LP must be infeasible, with a Farkas certificate.

# %%
d.check(implementable(env, kind="data-driven", estimator=flat, id="control-lp-uninformative",
                      claim=r"some data-driven mechanism implements $x^*$ for every agent when $\hat\omega$ carries "
                            r"no information about $\omega$"),
        expect=REFUTED, control=True)
d.conclude()
