"""The paper's numbered items, each with its section and its own statement in LaTeX.

One record per item a reader can look up in the paper: Definitions 1-9,
Theorems 1-2, Propositions 1-3, Corollaries 1-3, Examples 1-5, Lemma 1,
Equations (1)-(9), Footnotes 8, 16 and 22, and Sections 4.2.2-4.2.5.  The
statement is transcribed once, here, as Markdown with TeX math (``$...$``,
``$$...$$``); scripts, notebooks, the coverage ledger and the report render it
from this record rather than quoting it again.  Where the paper's text has a
slip it is kept and marked [sic]; an omission is marked […].  ``PASSAGES`` holds
the few unnumbered passages a result checks; :func:`item` finds both.

>>> item("Theorem 1").section
'3 Message-Driven Mechanisms'
>>> [i.name for i in ITEMS][:3]
['Definition 1', 'Definition 2', 'Definition 3']
"""
from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Item", "ITEMS", "PASSAGES", "item"]

S2 = "2 Model"
S3 = "3 Message-Driven Mechanisms"
S41 = "4.1 Mechanisms and Implementation"
S421 = "4.2.1 Eliciting Additional Data from the Agents"
S51 = "5.1 Click-Through Auctions"
S52 = "5.2 Mechanism Design for LLM-Generated Content"
SA = "Appendix A Proofs and Further Results"


@dataclass(frozen=True)
class Item:
    """A numbered item of the paper: its name as the paper numbers it, its section, its title (empty when
    the paper gives none) and its statement (Markdown with TeX math)."""
    name: str
    section: str
    title: str = ""
    statement: str = ""


ITEMS: tuple[Item, ...] = (
    Item("Definition 1", S2, "Efficient allocation rule"),
    Item("Definition 2", S3, "Message-driven direct revelation mechanism"),
    Item("Definition 3", S3, "Posterior equilibrium with message-driven mechanisms"),
    Item("Definition 4", S41, "Data-driven direct revelation mechanism"),
    Item("Definition 5", S41, "Posterior equilibrium with data-driven mechanisms"),
    Item("Definition 6", S41, "Data-driven VCG"),
    Item("Definition 7", S41, "ϵ-posterior equilibrium"),
    Item("Definition 8", S52, "α-regularized efficient generation distribution"),
    Item("Definition 9", S52, "α-regularized data-driven VCG"),
    Item("Theorem 1", S3, "Impossibility"),
    Item("Theorem 2", S41, "Consistent estimator"),
    Item("Proposition 1", S41, "Ex-post"),
    Item("Proposition 2", S41, "Unbiased estimator"),
    Item("Proposition 3", S41, "Rate of convergence"),
    Item("Corollary 1", S421, "Two-stage data-driven VCG in the ex-post case"),
    Item("Corollary 2", S51, "Common CTR pivot payments"),
    Item("Corollary 3", S52, "Implementation with α-regularized data-driven VCG"),
    Item("Example 1", S3, "Quadratic loss: impossibility"),
    Item("Example 2", S41, "Quadratic loss: data-driven VCG"),
    Item("Example 3", S51, "Individual CTR pivot payments"),
    Item("Example 4", S52, "α-regularized data-driven VCG with KL regularization"),
    Item("Example 5", SA),
    Item("Lemma 1", SA),
    Item("Equation (1)", S2),
    Item("Equation (2)", S41),
    Item("Equation (3)", S41),
    Item("Equation (4)", S41),
    Item("Equation (5)", S421),
    Item("Equation (6)", S51),
    Item("Equation (7)", S51),
    Item("Equation (8)", S52),
    Item("Equation (9)", S52),
    Item("Footnote 8", S3),
    Item("Footnote 16", S41),
    Item("Footnote 22", S51),
    Item("Section 4.2.2", "4.2.2 Alternative Estimators and Information Requirements",
         "Alternative Estimators and Information Requirements"),
    Item("Section 4.2.3", "4.2.3 State-Revealing Signals", "State-Revealing Signals"),
    Item("Section 4.2.4", "4.2.4 Multiple Payments", "Multiple Payments"),
    Item("Section 4.2.5", "4.2.5 Interdependent Preferences", "Interdependent Preferences"),
)

# Each statement as the paper writes it; [...] marks an omission, [sic] a slip kept as printed.
_STATEMENTS = {
    "Definition 1": r"""
The deterministic allocation rule $x: \Theta \times S \to X$ is efficient if, for all $\theta \in \Theta$ and $s \in S$, it satisfies

$$x(\theta, s) \in \underset{x \in X}{\arg\max} \sum_{i \in N} v_i(x, \theta_i, s). \tag{1}$$
""",
    "Definition 2": r"""
A message-driven direct revelation mechanism is a pair $(x, t)$ where $x : \Theta \times S \to X$ is the outcome function and $t : \Theta \times S \to \mathbb{R}^N$ are the transfers.
""",
    "Definition 3": r"""
A message-driven direct revelation mechanism $(x, t)$ permits implementation in posterior equilibrium if for each agent $i \in N$ and true types $\theta \in \Theta$ and $s \in S$,

$$v_i(x(\theta, s), \theta_i, s) + t_i(\theta, s) \ge v_i(x(\theta'_i, \theta_{-i}, s'_i, s_{-i}), \theta_i, s) + t_i(\theta'_i, \theta_{-i}, s'_i, s_{-i}), \forall s'_i \in \mathcal{S}_i, \theta'_i \in \Theta_i.$$
""",
    "Definition 4": r"""
A data-driven direct revelation mechanism is a pair $(x, t)$ where $x : \Theta \times S \to X$ is the outcome function and $t : \Theta \times S \times D \to \mathbb{R}^N$ are the transfers.
""",
    "Definition 5": r"""
A data-driven direct revelation mechanism $(x, t)$ permits implementation in posterior equilibrium if for each agent $i \in N$ and true types $\theta \in \Theta$ and $s \in S$:

$$v_i(x(\theta, s), \theta_i, s) + \overline{t}_i(\theta, s, s) \ge v_i(x(\theta'_i, \theta_{-i}, s'_i, s_{-i}), \theta_i, s) + \overline{t}_i(\theta'_i, \theta_{-i}, s'_i, s_{-i}, s), \forall s'_i \in \mathcal{S}_i, \theta'_i \in \Theta_i,$$

where $\bar{t}_i(s', \theta', s) \equiv \mathbb{E}_{\widehat{\omega}|s}[t_i(\theta', s', \widehat{\omega})].$
""",
    "Definition 6": r"""
A data-driven direct revelation mechanism $(x^*, t)$ is a *data-driven VCG mechanism* if for each $i$,

$$t_i(\theta, s, \widehat{\omega}) \equiv h_i(\theta_{-i}, s_{-i}, \widehat{\omega}) + \sum_{j \neq i} u_j(x^*(\theta, s), \widehat{\omega}, \theta_j),$$

for an arbitrary function $h_i$ of others' reports and $\hat{\omega}$ that is integrable with respect to $\hat{\omega}$.
""",
    "Definition 7": r"""
Fix $\epsilon \geq 0$. A data-driven direct revelation mechanism $(x, t)$ permits implementation in $\epsilon$ posterior equilibrium if for each agent $i \in N$ and true types $\theta \in \Theta$ and $s \in S$:

$$v_i(x(\theta, s), \theta_i, s) + \bar{t}_i(\theta, s, s) + \epsilon \ge v_i(x(\theta'_i, \theta_{-i}, s'_i, s_{-i}), \theta_i, s) + \bar{t}_i(\theta'_i, \theta_{-i}, s'_i, s_{-i}, s), \forall s'_i \in \mathcal{S}_i, \theta'_i \in \Theta_i,$$

where $\bar{t}_i(s', \theta', s) \equiv \mathbb{E}_{\widehat{\omega}|s}[t_i(\theta', s', \widehat{\omega})].$
""",
    "Definition 8": r"""
The LLM generation distribution $x : \Theta \times S \to X$ is $\alpha$-regularized efficient if, for all $\theta \in \Theta$ and $s \in S$, it satisfies

$$x(\theta, s) \in \underset{x \in X}{\operatorname{arg\,max}} \mathbb{E}_{\omega|s} \left[\sum_{t \in T} \sum_{i \in N} r_i(t, \omega, \theta_i) x(t) \right] - \alpha \rho \left(x, x_0(s)\right) \tag{8}$$

$$= \operatorname*{arg\,max}_{x \in X} \sum_{i \in N} v_i(x, \theta_i, s) - \alpha \rho\left(x, x_0(s)\right). \tag{9}$$

where $\rho: X \times X \to \mathbb{R}_+$ measures the deviation of $x$ from $x_0$.
""",
    "Definition 9": r"""
A data-driven direct revelation mechanism $(x^*, t)$ is an $\alpha$-regularized data-driven VCG mechanism if for each $i$:

$$t_i(\theta, s, \widehat{\omega}) \equiv h_i(\theta_{-i}, s_{-i}, \widehat{\omega}) + \sum_{j \neq i} u_j(x^*(\theta, s), \widehat{\omega}, \theta_j) - \alpha \rho \left(x^*(\theta, s), x_0(s)\right).$$

for an arbitrary function $h_i$ of others' reports and $\hat{\omega}$ that is integrable with respect to $\hat{\omega}$.
""",
    "Theorem 1": r"""
There is an instance where the signal of each agent is single-dimensional and $v_i$ is supermodular in $(x, s_j)$ for each $i$ and $j$ but for which no message-driven mechanism implements the efficient allocation rule in posterior equilibrium.
""",
    "Theorem 2": r"""
Suppose $u_i$ is Lipschitz for each agent $i$ and that the posterior $P(\cdot|s)$ is Lipschitz in the following sense:

$$\exists L_s > 0 \text{ such that } \forall s, s' \in \mathcal{S}, \delta_{TV}(P(\cdot|s), P(\cdot|s')) \le L_s \|s - s'\|, \tag{3}$$

where $\delta_{TV}$ denotes the total variation distance. Consider a consistent estimator $\widehat{\omega}_m$ of $\omega$, $\widehat{\omega}_m \to_p \omega$, conditional on any $\omega \in \Omega$. Then there is a sequence $\{\epsilon_m\}_m$ with $\epsilon_m \to 0$ as $m \to \infty$ such that every data-driven VCG mechanism for $\widehat{\omega}_m$ permits implementation in $\epsilon_m$-posterior equilibrium for every $m \in \mathbb{N}$.
""",
    "Proposition 1": r"""
If $\hat{\omega} = \omega$, every data-driven VCG mechanism permits implementation in posterior equilibrium.
""",
    "Proposition 2": r"""
If $\hat{\omega}$ is an unbiased estimator of $\omega$ and the utility function of each agent is linear in $\omega$, every data-driven VCG mechanism permits implementation in posterior equilibrium.
""",
    "Proposition 3": r"""
Suppose $u_i$ is Lipschitz for each agent $i$ and that the posterior $P(\cdot|s)$ satisfies condition (3). Consider a sequence of estimators $\{\widehat{\omega}_m\}_m$ such that:

$$\widehat{\omega}_m - \omega = o_p \left(\frac{1}{r_m}\right).$$

Moreover, suppose $\{r_m(\widehat{\omega}_m - \omega)\}_m$ is a uniformly integrable sequence conditional on any $\omega \in \Omega$ and $\sup_{\omega \in \Omega} \sup_{m \in \mathbb{N}} \mathbb{E}_{\widehat{\omega}_m \mid \omega} [\|r_m(\widehat{\omega}_m - \omega)\|] < \infty$. Then there is a sequence of non-negative real numbers $\{\epsilon_m\}_m$ with:

$$\epsilon_m = o\left(\frac{1}{r_m}\right),$$

such that every data-driven VCG mechanism for $\widehat{\omega}_m$ permits implementation in $\epsilon_m$-posterior equilibrium for every $m \in \mathbb{N}$.
""",
    "Corollary 1": r"""
Suppose each agent observes the true state after the final allocation but before the final transfers are determined. Consider a two-stage data-driven VCG mechanism: in the first stage, agents report their types, and in the second stage, they report their information about the state. Transfers are as in (5). Under this setup, truthfully reporting their type in the first stage and their information about the state in the second stage constitutes a Perfect Bayesian Equilibrium.
""",
    "Corollary 2": r"""
Suppose there is a common click-through rate. Then the mechanism $(x^*, t^{pc})$ with the per-click pivot payment $t^{pc}$ permits implementation in posterior equilibrium.
""",
    "Corollary 3": r"""
The following holds:

1. If $\hat{\omega} = \omega$, every $\alpha$-regularized data-driven VCG mechanism permits implementation in posterior equilibrium.
2. If $\hat{\omega}$ is an unbiased estimator of $\omega$ and the reward function of each agent is linear in $\omega$, every $\alpha$-regularized data-driven VCG mechanism permits implementation in posterior equilibrium.
3. Suppose $r_i$ is Lipschitz for each agent $i$ and that the posterior $P(\cdot|s)$ satisfies condition [the label is missing in the text; condition (3) of Theorem 2]. Consider a consistent estimator $\widehat{\omega}_m$ of $\omega$, $\widehat{\omega}_m \to_p \omega$, conditional on any $\omega \in \Omega$. Then there is a sequence $\{\epsilon_m\}_m$ with $\epsilon_m \to 0$ as $m \to \infty$ such that every $\alpha$-regularized data-driven VCG mechanism for $\widehat{\omega}_m$ permits implementation in $\epsilon_m$-posterior equilibrium for every $m \in \mathbb{N}$.
4. If, in addition to the conditions in 2., $\widehat{\omega}_m \omega = o_p\left(\frac{1}{q_m}\right)$ [sic], $\{q_m(\widehat{\omega}_m \omega)\}_m$ [sic] is a uniformly integrable sequence conditional on any $\omega \in \Omega$, and $\sup_{\omega \in \Omega} \sup_{m \in \mathbb{N}} \mathbb{E}_{\widehat{\omega}_m \mid \omega}[\|q_m(\widehat{\omega}_m \omega)\|] < \infty$ [sic], the statement of part 2. holds with $\epsilon_m = o\left(\frac{1}{q_m}\right)$.
""",
    "Example 1": r"""
There are two agents with single-dimensional preference types, where we assume $\Theta_1 = \Theta_2 \subset \mathbb{R}$ are closed intervals sufficiently wide to make the objects below well-defined, and signals, $S_1 = S_2 \subseteq \mathbb{R}$. Agent $i$'s payoff is given by

$$u_i(x,\omega,\theta_i) = -(x-\theta_i-\omega)^2.$$

The efficient allocation is then given by

$$x^*(\theta, s) = \frac{\theta_1 + \theta_2}{2} + \mathbb{E}_{\omega|s_1, s_2}[\omega].$$

That is, $\theta_i$ can be interpreted as the *bias* agent $i$ seeks to introduce into the allocation.

We assume the following condition on the informativeness of signals. There are signals $s_1, s'_1 \in S_1, s'_1 \neq s_1$ and $s_2 \in S_2$ such that

$$\mathbb{E}_{\omega|s_1,s_2}[\omega] \neq \mathbb{E}_{\omega|s_1',s_2}[\omega]. \tag{*}$$

We also assume the mapping $x \mapsto \mathbb{E}_{\omega|x,s_{-i}}[\omega]$ is differentiable for each $i$ and $s_{-i}$ and increasing. These conditions are satisfied, for example, if $\omega \sim N(\mu, \sigma^2)$ with unknown $\mu$ and for each $i$, $s_i = \omega + \epsilon_i$ with independent $\epsilon_i \sim N(0, \sigma_i^2)$ and known variances $\sigma_i^2$. Under these assumptions, $\frac{\partial v_i(x,\theta_i,s)}{\partial x \partial s_j} \geq 0$ for any $i, j \in N, x \in X, \theta_i \in \Theta_i$, and $s \in S$.

[…] Consider the class of VCG transfers for agent 1:

$$t_1(\theta, s; h_1) = h_1(\theta_2; s) + \mathbb{E}_{\omega|s} \left[u_2 \left(x^*(\theta, s), \omega, \theta_2 \right) \right]$$

$$= h_1(\theta_2; s) - \frac{1}{4} (\theta_1 - \theta_2)^2 - \operatorname{Var}_{\omega|s}[\omega],$$

for an arbitrary function $h_1(\theta_2; s)$ of $\theta_2$. […] the generalized VCG payments for agent 1 are of the form

$$t_1(\theta, s; k_1) = k_1(s_2; \theta) - (\theta_1 - \theta_2) \mathbb{E}_{\omega|s}[\omega],$$

for an arbitrary function $k_1(s_2; \theta)$ of $s_2$. […] Taking their difference, we obtain

$$h_1(\theta_2; s) - h_1(\theta_2; s_1', s_2) = \operatorname{Var}_{\omega|s}[\omega] - \operatorname{Var}_{\omega|s_1', s_2}[\omega] - (\theta_1 - \theta_2) \Big(\mathbb{E}_{\omega|s}[\omega] - \mathbb{E}_{\omega|s_1', s_2}[\omega] \Big).$$

Since the right-hand side varies with $\theta_1$ by $(*)$, while the left-hand side does not, we arrive at a contradiction, thus completing the proof.
""",
    "Example 2": r"""
Example 1 continued. We also assume that the signals of the two agents are independent conditional on $\omega$.

Consider the data-driven VCG transfers where we define

$$h_i(\theta_{-i}, s_{-i}, \omega) \equiv -u_j(x^*(\theta_j, s_j), \omega, \theta_j),$$

which corresponds to the pivot mechanism.

At the reporting stage, agent $i$ evaluates the transfers in expectation. For any $\theta$, $s$ and reports $\theta'_i$ and $s'_i$, the expected transfer is given by

$$t_i(\theta'_i, \theta_j, s'_i, s_j) = v_j(x^*(\theta'_i, \theta_j, s'_i, s_j), \theta_j, s) - v_j(x^*(\theta_j, s_j), \theta_j, s)$$

$$= \mathbb{E}_{\omega|s} \left[-\left(\frac{1}{2}\theta'_i - \frac{1}{2}\theta_j + \mathbb{E}_{\omega|s'_i, s_j}[\omega] - \omega\right)^2 + \left(\mathbb{E}_{\omega|s_j}[\omega] - \omega\right)^2 \right].$$

As shown in Proposition 1, there is a posterior equilibrium where all agents report truthfully. In this case, the expected payment of agent $i$ is

$$t_i(\theta, s) = -\frac{1}{4}(\theta_i - \theta_j)^2 + \mathbb{E}_{\omega|s} \left[(\mathbb{E}_{\omega|s_j}[\omega] - \omega)^2 - (\mathbb{E}_{\omega|s}[\omega] - \omega)^2 \right]$$

$$= -\frac{1}{4}(\theta_i - \theta_j)^2 + \left(\mathbb{E}_{\omega|s}[\omega] - \mathbb{E}_{\omega|s_j}[\omega] \right)^2.$$

We highlight the following properties of the payments.

Firstly, in expectation, the agent is *paid* for increasing the prediction accuracy. This is most clearly seen if preferences are aligned. Then the transfer of agent $i$ is given by $(\mathbb{E}_{\omega|s_i,s_j}[\omega] - \mathbb{E}_{\omega|s_j}[\omega])^2$. This transfer is always non-negative and strictly positive if agent $i$'s signal induces a different posterior mean when combined with agent $j$'s signal than when based on agent $j$'s signal alone. […]

Secondly, the more accurate the information agent $i$ provides, as measured by a reduction in the expected residual variance $\mathbb{E}[\operatorname{Var}_{\omega|s_i,s_j}[\omega]|s_j] - \operatorname{Var}_{\omega|s_j}[\omega]$, the higher is the agent's expected compensation. Intuitively, $(\mathbb{E}_{\omega|s_i,s_j}[\omega] - \mathbb{E}_{\omega|s_j}[\omega])^2$ measures how much additional information $s_i$ provides about $\omega$ beyond $s_j$; the more informative the signal, the greater the deviation from the prior mean. Formally, this follows from the law of total variance:

$$\operatorname{Var}\left[\mathbb{E}_{\omega|s_i,s_j}[\omega]|s_j\right] = \operatorname{Var}_{\omega|s_j}[\omega] - \mathbb{E}\left[\operatorname{Var}_{\omega|s_i,s_j}[\omega]|s_j\right],$$

noting that by the law of iterated expectations,

$$\operatorname{Var}\left[\mathbb{E}_{\omega|s_i,s_j}[\omega]|s_j\right] = \mathbb{E}\left[\left(\mathbb{E}_{\omega|s}[\omega] - \mathbb{E}_{\omega|s_j}[\omega]\right)^2 |s_j\right].$$

Thus, a reduction in $\mathbb{E}[\operatorname{Var}_{\omega|s_i,s_j}[\omega]|s_j] - \operatorname{Var}_{\omega|s_j}[\omega]$ increases agent $i$'s expected payment.

Thirdly, the agent *pays* for introducing bias into the social decision, with the expected payment for introducing bias given by $(\theta_i - \theta_j)^2/4$. When the bias is sufficiently large, the agent's total transfer becomes negative.
""",
    "Example 3": r"""
Consider two agents, and suppose that while the prior on $\omega_i$ has non-zero variance, each agent knows her own click-through rate, $\omega_i = s_i$, for each $i$. Assume further that $\theta_1 s_1 < \theta_2 s_2$, but $\theta_1 > \theta_2$. If agent 2 reports truthfully and agent 1 reports $(\theta'_1, s'_1)$, the expected net utility of agent 1 under the per-click pivot payment is given by

$$(\theta_1 - \theta_2) x_1^*(\theta_1', \theta_2, s_1', s_2) s_1 = (\theta_1 - \theta_2) \mathbb{1}_{\{\theta_1' s_1' \ge \theta_2 s_2\}} s_1.$$

It follows that agent 1 optimally chooses to report $s'_1, \theta'_1 = 1$. Truthful reporting by all agents is not a posterior equilibrium.
""",
    "Example 4": r"""
Let $\rho = D_{KL}$. Following the derivation by Peters and Schaal (2007) and Rafailov et al. (2024), among others, the $\alpha$-regularized efficient generation distribution is given by

$$x^*(t|\theta,s) = \frac{x_0(t|s)}{Z(\theta,s)} \exp\left(\frac{1}{\alpha} \sum_{i \in N} \mathbb{E}_{\omega|s}[r_i(t,\omega,\theta_i)]\right),$$

for each $t \in T$, where

$$Z(\theta, s) \equiv \sum_{t \in T} x_0(t|s) \exp\left(\frac{1}{\alpha} \sum_{i \in N} \mathbb{E}_{\omega|s}[r_i(t, \omega, \theta_i)]\right)$$

is the partition function. As derived in Appendix A, the maximized social objective in (8) is $\alpha \log (Z(\theta, s))$ and the $\alpha$-regularized data-driven pivot transfer of agent $i$ is

$$t_{i}(\theta, s, \widehat{\omega}) = \alpha [\log (Z(\theta, s)) - \log (Z(\theta_{-i}, s_{-i})] - v_{i}(x^{*}(\theta, s), \theta_{i}, s) + \sum_{j \neq i} [u_{j}(x^{*}(\theta, s), \widehat{\omega}, \theta_{j}) - v_{j}(x^{*}(\theta, s), \theta_{j}, s)] - [u_{j}(x^{*}(\theta_{-i}, s_{-i}), \widehat{\omega}, \theta_{j}) - v_{j}(x^{*}(\theta_{-i}, s_{-i}), \theta_{j}, s_{-i})].$$

[sic: $\log (Z(\theta_{-i}, s_{-i})$ lacks its closing parenthesis.] Note that in the ex-post case, where $\hat{\omega} = \omega$, and assuming a posterior equilibrium in which all agents report truthfully, the expected transfer to agent $i$ simplifies to

$$t_{i}(\theta, s) = \sum_{j \neq i} v_{j}(x^{*}(\theta, s), \theta_{j}, s) - v_{j}(x^{*}(\theta_{-i}, s_{-i}), \theta_{j}, s_{-i}) + \alpha \Big(D_{KL}(x^{*}(\theta_{-i}, s_{-i}) \| x_{0}(s_{-i})) - D_{KL}(x^{*}(\theta, s) \| x_{0}(s)) \Big) = \alpha [\log (Z(\theta, s)) - \log (Z(\theta_{-i}, s_{-i})] - v_{i}(x^{*}(\theta, s), \theta_{i}, s).$$

That is, agent $i$'s expected net payoff is the agent's marginal contribution to the social objective in (8). […]
""",
    "Example 5": r"""
Suppose there are two agents and a single object to be allocated. The set of allocations is the probability simplex $\Delta_1$. The state, preference types, and signals are single-dimensional and all belonging to $[0, 1]$. Suppose there are no atoms in the priors on types.

Suppose the payoff of agent 1 is given by

$$u_1(x,\theta,\omega) = \theta_1 \cdot x_1 \cdot \omega,$$

where $x_1$ is the probability agent 1 obtains the object. The payoff of agent 2 is given by

$$u_2(x,\theta,\omega) = (-\theta_1 + \theta_2) \cdot x_2 \cdot \omega.$$

The efficient allocation is as follows. It is efficient to allocate the object to agent 1 if $2\theta_1 > \theta_2$. If $2\theta_1 < \theta_2$, it is efficient to allocate the object to agent 2. In the case of a tie, any feasible allocation is efficient.

Consider the data-driven VCG expected transfer for the ex-post case:

$$t_1(\theta, s) = h_1(\theta_2, s_2) + \mathbb{E}_{\omega|s} \left[u_2(x^*(\theta, s), \theta, \omega) \right].$$

Suppose agent 2 reports truthfully. Agent 1's expected net utility when reporting $(\theta'_1, s'_1)$ thus becomes

$$h_1(\theta_2, s_2) + \left[\theta_1 x_1^*(\theta_1', \theta_2) + (-\theta_1' + \theta_2) x_2^*(\theta_1', \theta_2)\right] \mathbb{E}_{\omega|s}\left[\omega\right].$$

If $\theta_1 < \theta_2$ and $\mathbb{E}_{\omega|s}[\omega] > 0$, it is optimal for agent 1 to report $\theta'_1 = 0$, yielding a payoff of $h_1(\theta_2, s_2) + \theta_2 \mathbb{E}_{\omega|s}[\omega]$ Therefore, reporting truthfully for all agents is not a posterior equilibrium.
""",
    "Lemma 1": r"""
Suppose $u_i$ is Lipschitz for each agent $i$ and that the posterior $P(\cdot|s)$ is Lipschitz in the following sense: $\exists L_s > 0$ such that for any $s, s' \in S$:

$$\delta_{TV}(P(\cdot|s), P(\cdot|s')) \le L_s \|s - s'\|,$$

where $\delta_{TV}$ denotes the total variation distance. Consider a consistent estimator $\widehat{\omega}_m$ of $\omega$ conditional on $\omega$, i.e. $\widehat{\omega}_m \to_p \omega$. Then for each $i \in N$:

$$\lim_{m \to \infty} \sup_{\theta_i \in \Theta_i, x \in X, s \in \mathcal{S}} \left| v_i(x, \theta_i, s) - \int_{\omega} \mathbb{E}_{\widehat{\omega}_m \mid \omega} \left[u_i(x, \widehat{\omega}_m, \theta_i) \right] dP(\omega \mid s) \right| = 0.$$
""",
    "Equation (1)": r"""
The deterministic allocation rule $x: \Theta \times S \to X$ is efficient if, for all $\theta \in \Theta$ and $s \in S$, it satisfies

$$x(\theta, s) \in \underset{x \in X}{\arg\max} \sum_{i \in N} v_i(x, \theta_i, s). \tag{1}$$
""",
    "Equation (2)": r"""
The net utility of agent $i$ thus becomes

$$h_i(\theta_{-i}, s_{-i}) + \sum_{j=1}^n v_j(x^*(\theta'_i, \theta_{-i}, s'_i, s_{-i}), \theta_j, s). \tag{2}$$

By the efficiency of $x^*$, this expression is maximized at $(\theta_i, s_i)$.
""",
    "Equation (3)": r"""
Suppose $u_i$ is Lipschitz for each agent $i$ and that the posterior $P(\cdot|s)$ is Lipschitz in the following sense:

$$\exists L_s > 0 \text{ such that } \forall s, s' \in \mathcal{S}, \delta_{TV}(P(\cdot|s), P(\cdot|s')) \le L_s \|s - s'\|, \tag{3}$$

where $\delta_{TV}$ denotes the total variation distance.
""",
    "Equation (4)": r"""
We obtain an upper bound:

$$\epsilon_i^m \le 2 \sup_{\theta, s, x} \Big| \sum_{j \ne i} v_j(x, \theta_j, s) - t_i^m(x, \theta_{-i}, s) \Big|. \tag{4}$$
""",
    "Equation (5)": r"""
The corresponding data-driven VCG transfer for agent $i$ is

$$t_i(\theta, s, \widehat{\omega}_{-i}) = h_i(\theta_{-i}, s_{-i}, \widehat{\omega}_{-i}) + \sum_{j \neq i} u_j(x^*(\theta, s), \widehat{\omega}_{-i}, \theta_j). \tag{5}$$
""",
    "Equation (6)": r"""
With individual click-through rates, the corresponding expected data-driven pivot payment for agent $i$ would take the form

$$t_i(\theta', s') = \max_{j \neq i} \left\{ \theta'_j \cdot \mathbb{E}_{\omega_j \mid s}[\omega_j] \right\} \cdot x_i^*(\theta', s'). \tag{6}$$

However, implementing such transfers as per-click payments based on agent $i$'s clicks is infeasible, as it would require knowledge of the ratios $\omega_j/\omega_i$ for each $j \in N \setminus \{i\}$ or an unbiased or consistent estimator of them. […] Nevertheless, the data-driven pivot mechanism can be implemented if the platform has an estimator of $\omega_j$, potentially sourced from other auction environments or third-party sources.
""",
    "Equation (7)": r"""
Setting $i$'s payment as

$$\frac{2}{1-p}\theta_j, \tag{7}$$

whenever agent $j$'s ad is clicked when assigned the slot (occurring with probability $\omega_j$), makes $i$'s expected payment match (6).
""",
    "Equation (8)": r"""
The LLM generation distribution $x : \Theta \times S \to X$ is $\alpha$-regularized efficient if, for all $\theta \in \Theta$ and $s \in S$, it satisfies

$$x(\theta, s) \in \underset{x \in X}{\operatorname{arg\,max}} \mathbb{E}_{\omega|s} \left[\sum_{t \in T} \sum_{i \in N} r_i(t, \omega, \theta_i) x(t) \right] - \alpha \rho \left(x, x_0(s)\right) \tag{8}$$
""",
    "Equation (9)": r"""
[…] it satisfies

$$x(\theta, s) \in \underset{x \in X}{\operatorname{arg\,max}} \mathbb{E}_{\omega|s} \left[\sum_{t \in T} \sum_{i \in N} r_i(t, \omega, \theta_i) x(t) \right] - \alpha \rho \left(x, x_0(s)\right) \tag{8}$$

$$= \operatorname*{arg\,max}_{x \in X} \sum_{i \in N} v_i(x, \theta_i, s) - \alpha \rho\left(x, x_0(s)\right). \tag{9}$$

where $\rho: X \times X \to \mathbb{R}_+$ measures the deviation of $x$ from $x_0$.
""",
    "Footnote 8": r"""
Note that the condition is satisfied if the signals of all agents jointly determine the state; for example, in the wallet model: $\omega = \sum_{i \in N} s_i$ (Klemperer, 1998). The result thus directly applies to this benchmark case.
""",
    "Footnote 16": r"""
Note that our result also subsumes the following Bayesian interpretation. Suppose the platform observes signals $\rho_1, \ldots, \rho_m$ about $\omega$. Updating the prior using Bayes rule, consider the posterior $\omega | \rho_1, \ldots, \rho_m$ and $\hat{\omega}_m \equiv \mathbb{E}_{\omega | \rho_1, \ldots, \rho_m}[\omega]$ for each $m \in \mathbb{N}$. Under posterior consistency of the signals $\rho_1, \rho_2, \ldots, \rho_m, \ldots, \hat{\omega}_m \to \omega$ almost surely. Hence, $\hat{\omega}_m \to_p \omega$.
""",
    "Footnote 22": r"""
We could construct payments with expectations matching (6) based on clicks in the current auction environment, though possibly at the expense of reducing efficiency. For instance, consider two agents and a lottery that selects the efficient allocation with probability $p \in (0, 1)$, assigning the slot randomly otherwise. Suppose the efficient allocation gives the slot to agent $i$. Under the lottery, agent $i$ receives the slot with probability $\frac{1+p}{2}$, and agent $j$ with probability $\frac{1-p}{2}$. Setting $i$'s payment as

$$\frac{2}{1-p}\theta_j, \tag{7}$$

whenever agent $j$'s ad is clicked when assigned the slot (occurring with probability $\omega_j$), makes $i$'s expected payment match (6). This method implements the inefficient allocation with probability $\frac{1-p}{2}$, which can be made arbitrarily close to 0 as $p$ approaches 1. However, note that as $p$ approaches 1, the payment conditional on clicks in (7) diverges to infinity.
""",
    "Section 4.2.2": r"""
We formalized the revelation of additional information about the state through an estimator of the state. An alternative approach would be to base data-driven transfers on estimators of *agent utilities*. With "perfect data," a similar result is obtained if we assume that agents' final utilities, $u_j(x^*(\theta', s'), \omega, \theta_j)$, are observed for each $j$ instead of $\omega$, using

$$t_i(\theta', s', u) \equiv h_i(\theta'_{-i}, s'_{-i}, u_{-i}) + \sum_{j \neq i} u_j(x^*(\theta', s'), \omega, \theta_j).$$

Mezzetti (2004) assumes agents observe their payoffs and report them in a second stage. With reports $u'_{j}$ for all $j$:

$$t_i(\theta', s', u') \equiv h_i(\theta'_{-i}, s'_{-i}, u'_{-i}) + \sum_{j \neq i} u'_j.$$

Reporting truthfully at both stages constitutes a Perfect Bayesian Equilibrium.

Our data-driven mechanisms require strictly less information for implementation. Specifically, the final payments do not depend on the knowledge of the agents' true preference types to align incentives. To illustrate, consider the transfer rules in the ex-post case. The "core" of our data-driven VCG transfers for each agent $i$, based on the reports $(\theta', s')$, is given by:

$$\sum_{j \neq i} u_j(x^*(\theta', s'), \omega, \theta'_j),$$

whereas the Mezzetti (2004)-style transfers rely on the knowledge of the agents' *true* payoffs for the chosen allocation. […]
""",
    "Section 4.2.3": r"""
The results in this and the previous section apply to scenarios where agents' signals, when combined, fully reveal the state (see Footnote 8 for a discussion in the context of Theorem 1). This implies that the designer cannot rely solely on reported signals and preference types to determine transfers. However, when an estimator with the properties discussed in this section is available, the designer can condition transfers on it to align incentives. Importantly, even if the estimator is noisy, it cannot simply be replaced by a state constructed directly from agents' reports, as this would allow scope for manipulating transfers through reported signals.
""",
    "Section 4.2.4": r"""
All results presented in this section remain valid if we split the payment into multiple stages, provided that the total payment matches the corresponding transfer schemes. For instance, at the reporting stage, the designer could require a payment equal to the expected VCG payment based on the reported preference type. Once $\hat{\omega}$ is observed, the final transfers would then be adjusted to match the corresponding data-driven transfers.
""",
    "Section 4.2.5": r"""
The arguments presented in this section no longer hold if we introduce additional interdependence into agents' payoffs. Specifically, if the payoff function $u_i$ of each agent $i$ depends on the entire type profile $\theta \in \Theta$, such that

$$u_i: X \times \Theta \times \Omega \to \mathbb{R},$$

the proofs no longer go through. Under these conditions, agent $i$'s report of $\theta_i$ influences the expected data-driven VCG transfer not only indirectly, through its effect on the allocation, but also directly, by entering others' payoff functions. Consequently, the main results of this section no longer hold. This failure is illustrated in Example 5 in Appendix A.
""",
}
# each record with its statement
ITEMS = tuple(replace(i, statement=_STATEMENTS[i.name].strip()) for i in ITEMS)


# Passages of the paper that are not numbered items but that a result checks.
PASSAGES: tuple[Item, ...] = (
    Item("Section 4.1 (unbiased estimators)", S41, "Unbiased estimators, before Proposition 2", r"""
With an unbiased estimator and linearity of agents' utility functions in the state, data-driven VCG mechanisms achieve implementation in posterior equilibrium. The proof follows the same reasoning as in Proposition 1 and is omitted. By Jensen's inequality, this result does not extend universally beyond linear utilities.
""".strip()),
    Item("Section 5.1 (per-impression payments)", S51, "Message-driven payments in click-through auctions", r"""
Recall that in message-driven direct revelation mechanisms, the allocation and transfers depend only on the reported types. This class includes per-impression payments but excludes per-click payments. By following steps similar to Example 1 and assuming the strictly positive informational size condition $(*)$, we can show that no message-driven mechanism implements the efficient allocation in posterior equilibrium in all instances.
""".strip()),
)

_BY_NAME = {i.name: i for i in ITEMS + PASSAGES}


def item(name: str) -> Item:
    """The item the paper numbers ``name`` ("Theorem 1", "Equation (6)", "Footnote 22", "Section 4.2.3")."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'Theorem 1', not {type(name).__name__}")
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"name: no item {name!r} in the paper's list (e.g. 'Theorem 1', 'Equation (6)')") from None
