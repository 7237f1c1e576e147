# %% [markdown]
# # Corollary 2 (Common CTR pivot payments)
#
# Section 5.1 of the paper: a single slot, $u_i(x, \omega, \theta_i) = \theta_i x_i \omega_i$ with $\theta_i$ the
# value per click, and here one rate $\omega = \omega_i$ for every bidder. The per-click pivot charges
# $t^{pc}_i = \max_{j \neq i} \theta_j$ for each click on i's ad. The paper's proof: fix agent i and a report
# $(\theta', s')$; she expects a click with probability $\mathbb{E}[\omega \mid s]$ once she holds the slot, so the
# expected per-click transfer is $\max_{j \neq i} \theta'_j\, x^*_i(\theta', s')\, \mathbb{E}[\omega \mid s]$. The
# data-driven pivot (Definition 6) with the observed click rate $\hat\omega$ has expectation
# $\max_{j \neq i} \theta'_j\, x^*_i(\theta', s')\, \mathbb{E}[\hat\omega \mid s]$, and by iterated expectations and
# unbiasedness $\mathbb{E}[\hat\omega \mid s] = \mathbb{E}_{\omega|s} \mathbb{E}_{\hat\omega|\omega}[\hat\omega] = \mathbb{E}[\omega \mid s]$.
# The two rules give the same incentives, and Proposition 2 applies.
#
# Below: $\omega \sim \mathrm{Beta}(a, b)$, bidder i's private signal $s_i$ is her number of clicks in $k_i$
# impressions, and the designer observes the click rate of m impressions after the allocation. Each line of the proof
# is derived from these definitions; the closed forms are only the right-hand sides they are compared with.

# %%
from types import SimpleNamespace

import sympy as sp

from symbolic_mech import (BayesianShrinkage, BetaBernoulliClicks, CustomTransfers, DataDrivenVCG,
                           PerClickPivot, SampleClickRate, expected_transfer, groves_certificate, identity,
                           refutation, search_by_regions)
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import consistent, unbiased
from symbolic_mech.incentives import Misreport
from symbolic_mech.paper.section5 import click_environment, under_positivity
from symbolic_mech.registry import start
from symbolic_mech.simulation import expectation_sampler
from symbolic_mech.symbols import m, omega_hat, prime, theta

d = start("corollary2")
d.scope(r"a single slot, $n = 2$, 3 and 4 bidders, common click-through rate $\omega \sim \mathrm{Beta}(a, b)$, $s_i$ clicks "
        r"in $k_i$ private impressions, the sample click rate of $m$ impressions; $a$, $b$, $k_i$, $m$, $\theta_i$ symbolic; "
        r"values per click $\theta_i \geq 0$, clicks in $0, \ldots, k_i$",
        covers=r"every report $(\theta_1', s_1')$ of agent 1: for $n = 2$ through the paper's argument (the two "
               r"expected transfers agree); for $n = 3, 4$ by the per-click pivot's own Groves certificate, "
               "decided on each region of the allocation (who wins the slot)",
        not_covered=r"$n \geq 5$ bidders; several slots")

# %%
d.paper("Corollary 2")


# %% [markdown]
# ## The estimator: the observed click rate
# $\hat\omega$ is the number of clicks in $m$ Bernoulli($\omega$) impressions divided by $m$. The paper's premise
# ("the observed sample click-through rate becomes an unbiased and consistent estimator") is decided from
# the estimator's law, not assumed.

# %%
est = SampleClickRate(m)
d.step(f"estimator: {est}; unbiased = {est.is_unbiased}, consistent = {est.consistent}")
d.hypothesis(unbiased(est, id="cor2-unbiased"))
d.hypothesis(consistent(est, id="cor2-consistent"))


# %% [markdown]
# ## The auction with n bidders
# The model for $n$ bidders, with the data-driven pivot and the per-click pivot on it. `tag` prefixes the check ids,
# so that the same steps can be recorded again for another number of bidders. With a common rate, $x^*$ gives the slot
# to the higher $\theta_i\, \mathbb{E}[\omega \mid s]$, that is to the higher bid (ties to bidder 1).

# %%
def common_rate(n, tag="cor2"):
    info = BetaBernoulliClicks(n)
    env = click_environment(info)
    model = SimpleNamespace(n=n, tag=tag, info=info, env=env, x1=env.outcome.variables[0],
                            dd=DataDrivenVCG(env, h="pivot"), pc=PerClickPivot(env),
                            # theta_i in [0, 10] for the search and the simulated clicks
                            dom={t: (0, 10) for t in env.theta})
    d.step(f"[n = {n}] " + r"single slot, $u_i = \theta_i x_i \omega$, $\omega \sim \mathrm{Beta}(a, b)$, $s_i$ clicks in "
           r"$k_i$ impressions; the allocation $x^*_1$", env.efficient_allocation()[model.x1])
    return model


auction = common_rate(2)


# %% [markdown]
# ## Iterated expectations
# $\mathbb{E}[\hat\omega \mid s] = \mathbb{E}_{\omega|s} \mathbb{E}_{\hat\omega|\omega}[\hat\omega]$: the estimator's
# mean given $\omega$, then the posterior. It must equal the Beta posterior mean
# $(a + s_1 + \dots + s_n)/(a + b + k_1 + \dots + k_n)$; the simulation draws $\omega$ from the prior, weights it by
# the binomial likelihood of the observed clicks and draws $m$ impressions.

# %%
def iterated_expectations(model):
    info = model.info
    lie = d.step(f"[n = {model.n}] " + r"$\mathbb{E}[\hat\omega \mid s]$ by iterated expectations",
                 info.expect(est.expect(omega_hat), atomic=True))
    posterior_mean = (info.a + sp.Add(*info.s)) / (info.a + info.b + sp.Add(*info.impressions))
    d.check(identity(info, lie, posterior_mean, estimator=est, id=f"{model.tag}-iterated",
                     monte_carlo=expectation_sampler(info, omega_hat, est),
                     variables=set(info.parameters) | set(est.parameters) | set(info.s),
                     claim=rf"$\mathbb{{E}}_{{\omega \mid s}} \mathbb{{E}}_{{\hat\omega \mid \omega}}[\hat\omega] = ({' + '.join(map(sp.latex, [info.a, *info.s]))})"
                           f"/({' + '.join(map(sp.latex, [info.a, info.b, *info.impressions]))})$"))


iterated_expectations(auction)


# %% [markdown]
# ## The two transfers and their expectations at a misreport
# Agent 1 reports $(\theta_1', s_1')$; the others are truthful. The per-click pivot is paid per click on her own
# ad, the data-driven pivot is $h_1$ (the others' welfare without her) plus $u_2$ at the reported allocation,
# both in the observed rate $\hat\omega$. Their expectations under agent 1's posterior given the true signals
# $s$ are the two displays of the proof.

# %%
def expected_transfers(model):
    dd, pc = model.dd, model.pc
    rep = Misreport.of(dd, 1)
    t_pc = d.step(r"per-click pivot $t^{pc}_1$ (reports)", pc.transfer(1))
    t_dd = d.step(r"data-driven pivot $t_1$ (Definition 6, pivot $h_1$)", dd.transfer(1))
    e_pc = d.step(r"$\mathbb{E}[t^{pc}_1 \mid s]$ at the misreport $(\theta_1', s_1')$",
                  expected_transfer(pc, 1, est, t_pc.xreplace(rep.substitution)))
    e_dd = d.step(r"$\mathbb{E}[t_1 \mid s]$, data-driven pivot, at the misreport $(\theta_1', s_1')$",
                  expected_transfer(dd, 1, est, t_dd.xreplace(rep.substitution)))
    return e_pc, e_dd


e_pc, e_dd = expected_transfers(auction)


# %% [markdown]
# ## The same expectation for every report
# Bids are positive and a Beta posterior mean lies in $(0, 1)$: with $\theta_j > 0$ and
# $\mathbb{E}[\omega \mid \cdot] > 0$ the indicator that agent 2 wins without agent 1 is 1, and the comparisons
# $\theta_1' \mathbb{E}[\omega \mid s'] \geq \theta_2 \mathbb{E}[\omega \mid s']$ reduce to $\theta_1' \geq \theta_2$.
# Both expectations become $-\theta_2 \mathbb{E}[\omega \mid s]$ when agent 1 wins and 0 otherwise, for every report.
# Then the data-driven pivot's Groves certificate (truth is optimal) carries over to the per-click pivot.

# %%
def same_incentives(model, e_pc, e_dd):
    env, info, tag = model.env, model.info, model.tag
    bids = (*env.theta, prime(theta(1)))
    a_pos = d.step(r"$\mathbb{E}[t_1 \mid s]$, data-driven pivot, with $\theta_j > 0$ and $\mathbb{E}[\omega \mid \cdot] > 0$",
                   under_positivity(e_dd, bids, info))
    b_pos = under_positivity(e_pc, bids, info)
    d.check(identity(env, a_pos, b_pos, id=f"{tag}-same-expectation",
                     claim=r"$\mathbb{E}[t^{pc}_1] = \mathbb{E}[t_1]$ of the data-driven pivot for every report $(\theta_1', s_1')$"))
    d.check(groves_certificate(model.dd, 1, est, id=f"{tag}-dd-certificate",
                               claim="truth optimal under the data-driven pivot (Groves certificate)"))


same_incentives(auction, e_pc, e_dd)


# %% [markdown]
# ## The expected per-click payment, against simulated clicks
# $\mathbb{E}[t^{pc}_1 \mid s] = -\max_{j \neq 1} \theta_j\, x^*_1\, \mathbb{E}[\omega \mid s]$ in closed form, at
# exact points, and against a simulation of the auction itself: $\omega$ from the posterior, $m$ Bernoulli
# impressions, the price paid per click. Agent 1 bids higher ($\theta_1 \in [5, 10]$, the others in $[0, 5]$), so she
# wins and the simulated payment is not identically zero.

# %%
def simulated_clicks(model):
    env, info, pc, x1 = model.env, model.info, model.pc, model.x1
    price = sp.Max(*env.theta[1:])
    payment = -price * pc.allocation()[x1] * info.posterior_mean()
    d.step(r"closed form of $\mathbb{E}[t^{pc}_1 \mid s]$", payment)
    d.check(identity(env, expected_transfer(pc, 1, est), payment, estimator=est,
                     domain={**model.dom, **{t: (0, 5) for t in env.theta[1:]}, theta(1): (5, 10)},
                     monte_carlo=expectation_sampler(info, pc.transfer(1), est),
                     variables=(pc.transfer(1).free_symbols | set(info.s) | set(info.parameters)
                                | set(est.parameters)) - {omega_hat},
                     id=f"{model.tag}-monte-carlo",
                     claim=rf"$\mathbb{{E}}[t^{{pc}}_1 \mid s] = -{sp.latex(price)} x^*_1 \mathbb{{E}}[\omega \mid s]$, and simulated clicks agree (5 s.e.)"))


simulated_clicks(auction)


# %% [markdown]
# ## Negative controls and verdict
# Two mutations must be refuted: a biased click estimator (Bayesian shrinkage towards a prior guess) breaks
# the iterated expectations, and charging the agent her own bid per click is manipulable (an exact witness
# found at the boundaries of the allocation's regions: a bid shaded down to the second bid still wins).

# %%
def controls(model):
    env, info, tag = model.env, model.info, model.tag
    # the designer shrinks the click rate towards a prior guess in [0, 1]
    shrink = BayesianShrinkage(m, prior_mean=sp.Symbol("mu0", real=True))
    d.check(identity(info, info.expect(shrink.expect(omega_hat)), info.posterior_mean(), estimator=shrink,
                     domain={sp.Symbol("mu0", real=True): (0, 1)},
                     id=f"control-{tag}-biased", claim=r"a biased click estimator (shrinkage) in place of the sample rate: $\mathbb{E}[\hat\omega \mid s] = \mathbb{E}[\omega \mid s]$"),
            expect=REFUTED, control=True)
    own_bid = CustomTransfers(env, {1: -theta(1) * model.pc.allocation()[model.x1] * omega_hat})
    found = search_by_regions(own_bid, 1, est, domain=model.dom)
    d.check(refutation(f"control-{tag}-own-bid", "truth optimal when the per-click price is the agent's own bid",
                       found.witness, own_bid, est, domain=model.dom, best_gain=found.best_gain),
            expect=REFUTED, control=True)


controls(auction)


# %% [markdown]
# ## Three and four bidders
# With $n$ bidders the per-click price is $\max_{j \neq 1} \theta_j$, and $x^*_1$ is 1 on the region where agent 1's
# bid is the highest (ties to the lower number). The engine decides the per-click pivot's Groves residual directly, on
# each region of the report space that the allocation induces: a combination of branches is set aside only where its
# conditions are shown empty exactly (after dividing out $\mathbb{E}[\omega \mid s] > 0$), and the independent checker
# re-proves each empty region. The data-driven pivot is certified the same way. The negative control charges the
# second bidder's bid alone, ignoring the others: it must be refuted.

# %%
for n in (3, 4):
    more = common_rate(n, tag=f"cor2-n{n}")
    d.check(groves_certificate(more.pc, 1, est, id=f"cor2-n{n}-pc-certificate",
                               claim=rf"$n = {n}$: truth optimal for agent 1 under the per-click pivot $\max_{{j \neq 1}} \theta_j$ "
                                     "per click (Groves certificate, region by region)"))
    d.check(groves_certificate(more.dd, 1, est, id=f"cor2-n{n}-dd-certificate",
                               claim=f"$n = {n}$: truth optimal for agent 1 under the data-driven pivot"))
    second_only = CustomTransfers(more.env, {1: -theta(2) * more.pc.allocation()[more.x1] * omega_hat})
    d.check(groves_certificate(second_only, 1, est, id=f"control-cor2-n{n}-second-bid",
                               claim=rf"$n = {n}$, the price $\theta_2$ alone in place of $\max_{{j \neq 1}} \theta_j$: truth optimal when agent 1 pays $\theta_2$ per click, whatever the "
                                     "other bids"),
            expect=REFUTED, control=True)
d.conclude()
