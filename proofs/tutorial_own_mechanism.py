# %% [markdown]
# # Checking your own mechanism: models of our own, checked with the engine
#
# This is the template to copy. Build a model with the public API (an information structure, utilities,
# an outcome space, an estimator), a mechanism, and ask the engine: `groves_certificate` (truth-telling by
# the Groves argument, or a witness), `exact_regret` (the regret in closed form), `implementable` (whether
# ANY mechanism of a class implements x*, on a finite model). Every answer is a verdict with a certificate
# that the independent checker replays; here they are collected in a Derivation so that the notebook ends
# with one verdict, as the paper's results do. None of the models is an instance of the paper.

# %%
import sympy as sp
from fractions import Fraction as F

from symbolic_mech import (BetaBernoulliClicks, CustomTransfers, DataDrivenVCG, Environment, Estimator, ExPost,
                           FiniteEnvironment, FiniteEstimator, FiniteInformation, GaussianSignals,
                           GeneralizedSecondPrice, Interval, MessageDrivenVCG, PerClickPivot, Positions, RealLine,
                           SampleClickRate, SingleSlot, WalletSignals, exact_regret, groves_certificate,
                           implementable, recheck)
from symbolic_mech.registry import Result, start
from symbolic_mech.symbols import m, omega, theta, x

d = start(Result("own-mechanisms", "Tutorial", "models of our own, each checked by the engine"))
d.scope(r"a custom estimator with linear utilities ($n = 2$); a click auction with 3 bidders and a common rate; "
        r"a public good on $[0, 1]$ with private values ($n = 3$); a finite project model ($n = 2$); a binary "
        r"project on $[0, 1]$, a procurement and the wallet ($n = 3$); a position auction with 3 bidders and 2 slots")

# %% [markdown]
# **1. A custom estimator.** The designer measures the state with an error uniform on [-h, h]. An
# estimator is a class with its parameters in `_args`, its moments `_moment(k)` (a polynomial in omega)
# and a sampler `_draw`; the contract is checked when it is built. Utilities are linear in omega, so
# Proposition 2's argument applies to the data-driven pivot.

# %%
class UniformNoise(Estimator):
    """omega_hat = omega + U, U uniform on [-h, h]: unbiased, E[U^j] = h^j / (j + 1) for even j."""

    def __init__(self, h=1):
        super().__init__()
        self._args = {"h": sp.Rational(h)}

    def _moment(self, k):
        h = self._args["h"]
        return sp.Add(*[sp.binomial(k, j) * omega ** (k - j) * h ** j / (j + 1) for j in range(0, k + 1, 2)])

    def _draw(self, omega_values, rng):
        h = float(self._args["h"])
        return omega_values + rng.uniform(-h, h, omega_values.shape)


noise = UniformNoise(sp.Rational(1, 2))
info = GaussianSignals(2, prior_mean=0, prior_var=2, noise_var=sp.Rational(1, 2))
env = Environment(info, [theta(i) * x * omega - x ** 2 for i in (1, 2)], RealLine())
d.step("u_i = theta_i x omega - x^2, omega ~ N(0, 2), s_i = omega + N(0, 1/2); x* =",
       env.efficient_allocation()[x])
d.check(groves_certificate(DataDrivenVCG(env, h="pivot"), 1, noise, id="own-uniform-noise",
                           claim="uniform measurement error, linear utilities: truth optimal for agent 1"))

# %% [markdown]
# **2. A click auction with three bidders.** A common click-through rate omega ~ Beta(2, 3), each bidder
# saw her own clicks in 4 impressions, values per click theta_i >= 0 (the slot's default type space).
# The data-driven pivot pays with the rate observed in m impressions after the auction.

# %%
clicks = BetaBernoulliClicks(3, a=2, b=3, impressions=4)
slot = SingleSlot(3)
auction = Environment(clicks, [theta(i) * slot.variables[i - 1] * omega for i in (1, 2, 3)], slot)
doms = auction.domains()
d.step(f"the supports the engine draws from: theta1 in {doms[theta(1)]}, s1 in {doms[clicks.s[0]]}")
d.check(groves_certificate(DataDrivenVCG(auction, h="pivot"), 1, SampleClickRate(m), id="own-click-auction",
                           claim="three bidders, data-driven pivot: truth optimal for agent 1"))
# the per-click pivot, max_(j != 1) theta_j per click: its residual is piecewise (who wins the slot), and the
# engine decides it on each region of the allocation
d.check(groves_certificate(PerClickPivot(auction), 1, SampleClickRate(m), id="own-click-per-click",
                           claim="three bidders, per-click pivot: truth optimal for agent 1"))
# a negative control: paying one's own bid per click is manipulable
x1 = slot.variables[0]
first_price = CustomTransfers(auction, {1: -theta(1) * auction.efficient_allocation()[x1] * sp.Symbol("omega_hat", real=True)})
d.check(groves_certificate(first_price, 1, SampleClickRate(m), id="control-own-first-price",
                           claim="paying one's own bid per click: truth optimal for agent 1"),
        expect="refuted", control=True)

# %% [markdown]
# **3. A public good on [0, 1] with private values.** Three agents value the level x at theta_i x - x^2/2;
# the state plays no role, so no expectation is taken and nothing is simulated. The pivot (Clarke) is
# truthful, and its exact regret is 0.

# %%
good = Environment(GaussianSignals(3), [theta(i) * x - x ** 2 / 2 for i in (1, 2, 3)], Interval(0, 1))
d.step("x* on [0, 1] =", good.efficient_allocation()[x])
d.check(groves_certificate(MessageDrivenVCG(good, h="pivot"), 1, id="own-public-good",
                           claim="public good on [0, 1], private values: truth optimal for agent 1"))
d.step("exact regret of agent 1 under the pivot", exact_regret(MessageDrivenVCG(good, h="pivot"), 1).epsilon)

# %% [markdown]
# **4. A finite model: can any mechanism implement x*?** Two states, signals that match the state with
# probability 2/3, a project whose value to agent 2 rises with the state while agent 1 bears a cost that
# rises with it too: the allocation depends on signals in a way no message-driven transfer can respect.
# An estimate observed after the decision (correct with probability 3/4) makes it implementable.

# %%
q = F(2, 3)
law = {0: {"L": q, "H": 1 - q}, 1: {"L": 1 - q, "H": q}}
finite = FiniteInformation.independent([0, 1], [F(1, 2), F(1, 2)], [law, law])
project = FiniteEnvironment(finite, [[0, 1], [0, 1]], [0, 1],
                            [-(1 + theta(1)) * x * omega, (3 * omega - 1 + theta(2)) * x])
v_md = d.check(implementable(project, 1, id="own-project-message-driven"), expect="refuted")
estimate = FiniteEstimator({0: {0: F(3, 4), 1: F(1, 4)}, 1: {0: F(1, 4), 1: F(3, 4)}})
v_dd = d.check(implementable(project, 1, kind="data-driven", estimator=estimate, id="own-project-data-driven"))
d.step(f"message-driven: a negative cycle of total {v_md.evidence.get('total')}; data-driven: "
       f"{v_dd.evidence.get('constraints')} constraints met by a rational transfer table")

# %% [markdown]
# **5. A binary project, a procurement, and the wallet with three agents.** A linear objective on
# `Interval(0, 1)` takes a corner: the project is built (x = 1) where the reported values exceed the
# cost c, and not where they fall short or tie. A procurement buys one unit from one of three sellers
# with costs theta_i: `h="pivot-excluding"` computes x*_{-i} without seller i, so the economy without
# her buys from another seller and the winner is paid the second-lowest cost (`h="pivot"` keeps her
# share open to the others instead). In the wallet model (footnote 8) the state is the sum of the
# signals: given every report the posterior is a point mass, and each Monte Carlo draw equals the
# exact value, which is computed in rationals and decided exactly.

# %%
c = sp.Symbol("c", positive=True)
project = Environment(GaussianSignals(3), [theta(i) * x - c * x / 3 for i in (1, 2, 3)], Interval(0, 1),
                      parameters=[c])
d.step("u_i = theta_i x - c x / 3 on [0, 1]; x* =", project.efficient_allocation()[x])
d.check(groves_certificate(MessageDrivenVCG(project, h="pivot"), 1, id="own-binary-project",
                           claim="binary public project at cost c, pivot: truth optimal for agent 1"))
d.check(groves_certificate(CustomTransfers(project, {1: sp.Integer(0)}), 1, id="control-own-free-riding",
                           claim="binary public project, no payment: truth optimal for agent 1"),
        expect="refuted", control=True)

sellers = SingleSlot(3)
procurement = Environment(GaussianSignals(3), [-theta(i) * sellers.variables[i - 1] for i in (1, 2, 3)], sellers)
costs = {theta(1): 4, theta(2): 2, theta(3): 7}
d.step("costs (4, 2, 7): the transfers to sellers 1, 2, 3 under h='pivot-excluding'",
       sp.Matrix([[MessageDrivenVCG(procurement, h="pivot-excluding").transfer(i).xreplace(costs) for i in (1, 2, 3)]]))
d.check(groves_certificate(MessageDrivenVCG(procurement, h="pivot-excluding"), 1, id="own-procurement",
                           claim="procurement, the economy without seller 1 buys elsewhere: truth optimal for agent 1"))
paid_bid = CustomTransfers(procurement, {1: theta(1) * procurement.efficient_allocation()[sellers.variables[0]]})
d.check(groves_certificate(paid_bid, 1, id="control-own-paid-bid",
                           claim="procurement paying the winner her bid: truth optimal for agent 1"),
        expect="refuted", control=True)

wallet = Environment(WalletSignals(3), [-(x - theta(i) - omega) ** 2 for i in (1, 2, 3)], RealLine())
for i in (1, 2, 3):
    d.check(groves_certificate(DataDrivenVCG(wallet, h="pivot"), i, ExPost(), id=f"own-wallet-agent{i}",
                               claim=f"wallet with three agents, ex post: truth optimal for agent {i}"))

# %% [markdown]
# **6. A position auction.** Three bidders, two ranked slots seen with the factors alpha_1 = a2 + d
# and alpha_2 = a2 (a2, d > 0, so alpha_1 > alpha_2 is provable), a common click rate omega ~ Beta(2, 3)
# and values per click theta_i. `Positions` ranks the bids (ties to the lower agent); the per-click VCG
# is the data-driven pivot computed without the bidder (`h="pivot-excluding"`: the others take the
# slots among themselves). The generalized second price auction, where the holder of slot k pays the
# next bid per click, is not truthful: a high bidder gains by dropping to slot 2 when alpha_2 is close
# to alpha_1. Its search starts at such a profile (values 10, 9, 1 and factors 2, 1).

# %%
a2, dalpha = sp.Symbol("a2", positive=True), sp.Symbol("d", positive=True)
ranks = Positions(3, [a2 + dalpha, a2])
positions = Environment(clicks, [theta(i) * ranks.variables[i - 1] * omega for i in (1, 2, 3)], ranks)
d.step("the factor of bidder 1's slot, x1* =", positions.efficient_allocation()[ranks.variables[0]])
d.check(groves_certificate(DataDrivenVCG(positions, h="pivot-excluding"), 1, SampleClickRate(m),
                           id="own-position-vcg", claim="position auction, per-click VCG: truth optimal for agent 1"))
close_slots = {theta(1): 10, theta(2): 9, theta(3): 1, a2: 1, dalpha: 1, **{clicks.s[j]: 2 for j in range(3)}}
d.check(groves_certificate(GeneralizedSecondPrice(positions), 1, SampleClickRate(m), search={"truth": close_slots},
                           id="control-own-position-gsp", claim="position auction, GSP: truth optimal for agent 1"),
        expect="refuted", control=True)

# %% [markdown]
# Every verdict carries a certificate; the independent checker replays each one.

# %%
replays = [recheck(c.certificate) for c, _, _ in d.checks]
d.step(f"independent checker: {sum(r.confirmed for r in replays)} of {len(replays)} certificates confirmed")
d.conclude()
