"""The paper's results, one literate proof script per result (installed as ``symbolic_mech.proofs``).

This catalogue names each result: its id, the paper's label, a one-line claim,
its expectation (``proved``, or ``refuted`` for an erratum of the paper, with
the checks that must be refuted) and the script whose cells derive it.  A
script quotes the paper's statement (``d.paper``, from
:mod:`symbolic_mech.paper.items`), builds the model and the mechanism with the
public API, shows each quantity and records the checks; the registry runs
it (:func:`symbolic_mech.derive`), the notebooks are the executed scripts, and
a reader can run one directly: ``python proofs/theorem1.py``.

>>> from symbolic_mech.registry import get
>>> get("theorem1").label
'Theorem 1'
"""
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.registry import script

script("theorem1", "Theorem 1",
       "No message-driven mechanism implements the efficient allocation of Example 1 "
       "in posterior equilibrium (the VCG and Bergemann–Välimäki classes are disjoint)", "theorem1")
script("proposition1", "Proposition 1",
       r"With the ex-post estimator $\hat\omega = \omega$, every data-driven VCG mechanism "
       "permits implementation in posterior equilibrium", "proposition1")
script("proposition1-general", "Proposition 1 (every instance)",
       r"With $\hat\omega = \omega$, every data-driven VCG mechanism implements $x^*$, for any $n$, any outcome set, any "
       r"utilities $u_j(x, \omega, \theta_j)$ and any $h_i$ (schematic: the Groves argument checked rule by rule)",
       "proposition1_general")
script("example2", "Example 2",
       r"The pivot's expected transfer, derived at a misreport, is $-(\theta_i - \theta_j)^2/4 + "
       r"(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_j])^2$ at truth: with aligned preferences $> 0$ exactly where the posterior means "
       "differ; higher for a more accurate signal (law of total variance from the model); lower for a larger "
       r"bias, negative beyond $|\theta_i - \theta_j| = 2|\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_j]|$", "example2")
script("proposition2", "Proposition 2",
       r"With an unbiased estimator and utilities linear in $\omega$ (more generally: utility "
       r"differences affine in $\omega$), every data-driven VCG mechanism implements $x^*$", "proposition2")
script("proposition2-general", "Proposition 2 (every instance)",
       r"With an unbiased estimator and utilities affine in $\omega$, every data-driven VCG mechanism implements $x^*$, for "
       r"any $n$, any outcome set, any utilities $a_j(x, \theta_j) + b_j(x, \theta_j) \omega$ and any $h_i$ (schematic)",
       "proposition2_general")
script("proposition2-jensen", "Proposition 2 (beyond linearity)",
       r"With $u_i = -(\theta_i - \omega x)^2$ and unbiased additive noise of variance $v$, truth-telling "
       r"is not a posterior equilibrium: $\epsilon(v) > 0$ in closed form", "proposition2_jensen")
script("theorem2", "Theorem 2",
       r"With a consistent estimator, truth-telling is an $\epsilon_m$-posterior equilibrium "
       r"with $\epsilon_m \to 0$", "theorem2")
script("proposition3", "Proposition 3",
       r"The regret vanishes at the estimator's rate: $\epsilon_m \leq 2 \sum_j L_j \mathbb{E}|\hat\omega_m - \omega|$; "
       r"exact orders of $\epsilon_m$ and of the bound", "proposition3")
script("corollary1", "Corollary 1",
       "Two-stage leave-one-out transfers (equation 5): the second-stage report does not move the "
       "agent's own transfer, and with truthful second-stage reports the first stage is a "
       "posterior equilibrium", "corollary1")
script("corollary1-general", "Corollary 1 (every instance)",
       "Two-stage leave-one-out transfers in the ex-post case: agent $i$'s own second-stage report is absent from her "
       r"transfer, and the first stage implements $x^*$, for any $n$, any outcome set, any utilities and any $h_i$ "
       "(schematic)", "corollary1_general")
script("example5", "Example 5",
       r"With interdependent preferences ($u_1 = \theta_1 x_1 \omega$, $u_2 = (\theta_2 - \theta_1) x_2 \omega$) "
       "truthful reporting is not a posterior equilibrium of the data-driven VCG mechanism", "example5")
script("corollary2", "Corollary 2",
       r"With a common click-through rate, the per-click pivot payment $\max_{j \neq i} \theta_j$ "
       "implements the efficient allocation in posterior equilibrium", "corollary2")
script("per-impression", "Section 5.1 (per-impression payments)",
       "With a common click-through rate and private click counts, no per-impression (message-driven) "
       "payment rule implements the efficient allocation: a negative cycle of agent 1's incentive constraints",
       "per_impression")
script("example3", "Example 3",
       "With individual click-through rates known to their owners, the per-click pivot payment "
       r"is manipulable: agent 1's expected net utility is $(\theta_1 - \theta_2) \mathbb{1}\{\theta_1' s_1' \geq \theta_2 s_2\} s_1$",
       "example3")
script("equation6", "Equation (6)",
       "With unbiased estimates of the others' rates from outside the auction, the data-driven pivot "
       r"$t_i = -\max_{j \neq i} \theta_j \mathbb{E}[\omega_j \mid s] x_i$ implements the efficient allocation", "equation6")
script("footnote22", "Footnote 22",
       r"A lottery choosing the efficient allocation with probability $p$ and a uniform one otherwise, with "
       r"$i$ paying $2 \theta_j/(1-p)$ per click of $j$, matches (6) in expectation; inefficiency $(1-p)/2$", "footnote22")
script("example4", "Example 4",
       r"KL regularization: the Gibbs distribution $x_0 \exp(\sum_i \mathbb{E}[r_i]/\alpha)/Z$ is the $\alpha$-regularized "
       r"efficient generation distribution with value $\alpha \log Z$, and the regularized pivot transfer is "
       "the paper's displayed expression", "example4")
script("example4-stated-payoff", "Example 4 (stated payoff)",
       r"Paper: with truthful reports the expected transfer is $\sum_{j \neq i} [v_j(x^*, s) - v_j(x^*_{-i}, s_{-i})]"
       r" + \alpha(D_{KL,-i} - D_{KL}) = \alpha[\log Z(\theta, s) - \log Z(\theta_{-i}, s_{-i})] - v_i(x^*)$", "example4_stated_payoff",
       expected=REFUTED, erratum=True, refutes=("stated-payoff",))
script("corollary3", "Corollary 3",
       r"$\alpha$-regularized data-driven VCG: implementation with the ex-post estimator, with unbiased "
       r"estimators and rewards linear in $\omega$, and $\epsilon_m \to 0$ (with a rate) for consistent estimators",
       "corollary3")
script("corollary3-general", "Corollary 3, parts 1-2 (every instance)",
       r"$\alpha$-regularized data-driven VCG with a reference $x_0$ free of the reports: implementation with the ex-post "
       r"estimator, and with an unbiased estimator and utilities affine in $\omega$, for any $n$, any outcome set, any "
       r"utilities, any $h_i$, $\alpha$ and $\rho$ (schematic)", "corollary3_general")
script("data-driven-lp", "Extension: data-driven implementability (LP)",
       "Beyond Proposition 2 (an extension, not a result of the paper): with a noisy unbiased estimator and "
       r"$u_i = -(\theta_i - \omega x)^2$ the data-driven VCG mechanism is not truthful, no message-driven mechanism "
       r"implements $x^*$, yet another data-driven mechanism does (finite model, certified LP)", "data_driven_lp")
script("corollary3-signal-reference", "Corollary 3 (reference x₀(s), erratum)",
       r"Parts 1-2 of Corollary 3 with a reference $x_0(s)$ that depends on an agent's reported signal: the agent "
       r"moves its own regularizer, $\alpha [D_{KL}(x' \| x_0(s)) - D_{KL}(x' \| x_0(s'))]$; truth-telling is refuted with a "
       "certified witness, and proved for a reference free of the agent's report",
       "corollary3_signal_reference", expected=REFUTED, erratum=True, refutes=("cor3-x0s-agent1",))
