# %% [markdown]
# # Corollary 3 (implementation with $\alpha$-regularized data-driven VCG)
#
# Section 5.2, the counterparts of Proposition 1, Proposition 2, Theorem 2 and Proposition 3 for Definition 9
# (the paper omits the proof). Parts 1-2 are decided by a Groves-type certificate: agent 1's net utility minus
# the regularized objective at the reported distribution must not depend on the report. Parts 3-4 by the exact
# regret $\epsilon_m$ of a consistent estimator, its limit and its rate. Everything runs on two outputs with a
# fixed reference distribution, on the engine's model of generation distributions.

# %%
import sympy as sp

from symbolic_mech import (AdditiveNoise, CustomTransfers, Environment, ExPost, GaussianSignals, check_identity,
                           check_sign, exact_regret, groves_certificate)
from symbolic_mech.asymptotics import leading_order, vanishes
from symbolic_mech.core.kernel import PROVED, REFUTED
from symbolic_mech.environments import Distributions
from symbolic_mech.hypotheses import (affine_differences, consistent, gaussian_condition3,
                                      lipschitz_on_real_line, unbiased)
from symbolic_mech.llm import generation_distribution
from symbolic_mech.mechanisms import RegularizedDataDrivenVCG
from symbolic_mech.paper.section5 import gibbs_identity, opaque_exponentials, reference
from symbolic_mech.checks import identity
from symbolic_mech.registry import start
from symbolic_mech.symbols import alpha, m, omega, omega_hat, theta, v

d = start("corollary3")
d.scope(r"$|T| = 2$ outputs, $n = 2$ agents, Gaussian signals, reference weights $w_t$; parts 1-2 with rewards "
        r"$(-(\theta_i - \omega)^2, g_i)$ and $(\theta_i \omega, g_i)$, parts 3-4 with the quadratic rewards and "
        r"additive noise $v/m$; every parameter symbolic",
        not_covered=r"$|T| \geq 3$ or $n \geq 3$; regularizers other than KL; the rate's exponent and constant "
                    "in part 4 come from sympy's limit (a proposal), compared with the closed form by the kernel")

# %%
d.paper("Corollary 3")


# %% [markdown]
# ## The model
# Two agents with Gaussian signals choose among generation distributions over $|T| = 2$ outputs with reference
# $x_0 = (w_1, w_2)/(w_1 + w_2)$. Agent i's rewards are $r_i = (-(\theta_i - \omega)^2, g_i)$ (quadratic in $\omega$) or
# $r_i = (\theta_i \omega, g_i)$ (linear). The mechanism is Definition 9 with the pivot $h_i$ computed from the others'
# reports and signals.

# %%
info = GaussianSignals(2)
g = [sp.Symbol(f"g{i}", real=True) for i in (1, 2)]
X = Distributions(2, reference("w", 2))
quad = [[-(theta(i) - omega) ** 2, g[i - 1]] for i in (1, 2)]
lin = [[theta(i) * omega, g[i - 1]] for i in (1, 2)]


def environment(rewards):
    return Environment(info, rewards, X, parameters=g)


d.step(r"$|T| = 2$, reference $x_0 = (w_1, w_2)/(w_1 + w_2)$; part 1 rewards $r_i = (-(\theta_i - \omega)^2, g_i)$, "
       r"part 2 rewards $r_i = (\theta_i \omega, g_i)$; Gaussian signals")
d.step(r"$x^*(1 \mid \theta, s)$, quadratic rewards", RegularizedDataDrivenVCG(environment(quad)).allocation()[X.variables[0]])

# %% [markdown]
# ## Parts 1-2: Groves certificates
# For a report $(\theta_1', s_1')$ the certificate computes $U_1 - [\mathrm{welfare}(x') - \alpha D_{KL}(x' \| x_0)]$
# with $x'$ the reported distribution, and decides that it does not depend on the report. Part 1 uses the ex-post
# estimator with quadratic rewards, part 2 unbiased additive noise $v/m$ with linear rewards (the estimator's
# hypotheses are decided from its law, the rewards' linearity from their formulas: the quadratic rewards are not
# affine in $\omega$, and on the real line not Lipschitz in $\omega$ either, which parts 3-4 assume; condition (3)
# rests on the Gaussian posterior's variance being free of $s$ and its mean affine in $s$). The controls: noise with
# quadratic rewards (the certificate fails, with a witness), and the transfer without its regularizer
# $-\alpha D_{KL}(x^* \| x_0)$.

# %%
def certificate(rewards, est, label, words, expect=PROVED, control=False, regularize_transfer=True):
    """The Groves certificate of agent 1, checked as ``cor3-<label>`` (``words``: what it states, in the paper's
    notation)."""
    env = environment(rewards)
    mech = RegularizedDataDrivenVCG(env, h="pivot")
    if not regularize_transfer:
        mech = CustomTransfers(env, {1: mech.transfer(1) + env.outcome.regularizer(env, mech.allocation())})
    return d.check(groves_certificate(mech, 1, est, id=f"cor3-{label}",
                                      claim=f"{words}: " + r"$U_1 - [W(x') - \alpha D_{KL}(x' \| x_0)]$ is report-free, $W$ the welfare"),
                   expect=expect, control=control)


certificate(quad, ExPost(), "part1-ex-post", r"part 1, ex-post estimator $\hat\omega = \omega$")
d.hypothesis(unbiased(AdditiveNoise(v, m), id="cor3-unbiased"))
d.hypothesis(affine_differences(environment(lin), id="cor3-linear-rewards"))
d.hypothesis(affine_differences(environment(quad), id="cor3-quadratic-rewards"), expect=REFUTED)
d.hypothesis(consistent(AdditiveNoise(v, m), id="cor3-consistent-estimator"))
d.hypothesis(lipschitz_on_real_line(environment(quad), id="cor3-lipschitz"), expect=REFUTED)
d.hypothesis(gaussian_condition3(info, id="cor3-condition3"))
certificate(lin, AdditiveNoise(v, m), "part2-unbiased-linear", "part 2, unbiased noise $v/m$, linear rewards")
certificate(quad, AdditiveNoise(v, m), "control-quadratic-noise",
            r"rewards quadratic in $\omega$ in place of linear ones, unbiased noise", expect=REFUTED, control=True)
certificate(lin, ExPost(), "control-no-kl", r"the term $-\alpha D_{KL}(x^* \| x_0)$ left out of the transfer",
            expect=REFUTED, control=True, regularize_transfer=False)

# %% [markdown]
# ## Parts 3-4: agent 1's objective over the simplex
# With quadratic rewards and the consistent estimator $\hat\omega = \omega$ + noise of variance $v/m$, a report moves
# the generation distribution to $x'$ ($x'(1)$ ranges over $(0, 1)$ as $\theta_1'$ does), so $\epsilon_m$ is the
# supremum over the simplex of agent 1's expected net utility $F(x) = v_1 \cdot x + \mathbb{E}[t_1(x)]$, with $t_1(x)$
# Definition 9's transfer at $x$, minus $F(x^*)$. The engine's exact regret computes $F$;
# $F + \alpha D_{KL}(x \| x_0)$ is affine in $x$, $R \cdot x + K$ (read off here, then checked).

# %%
est = AdditiveNoise(v, m)
env = environment(quad)
mech = RegularizedDataDrivenVCG(env, h="pivot")
regret = exact_regret(mech, 1, est)
xs = list(X.variables)
F = d.step(r"$F(x) = v_1 \cdot x + \mathbb{E}_{\omega|s} \mathbb{E}_{\hat\omega|\omega}[t_1(x)]$", regret.objective)
affine = sp.expand(F + alpha * X.kl(xs, X.reference, env))
R = [sp.diff(affine, xt) for xt in xs]
K = affine.xreplace({xt: 0 for xt in xs})
if any(r.has(*xs) for r in R):
    raise ValueError("F + alpha KL(x || x0) is not affine in the distribution")
d.check(gibbs_identity(env)(F + alpha * X.kl(xs, X.reference, env), sp.Add(*[r * xt for r, xt in zip(R, xs)]) + K,
                            id="cor3-objective-affine", claim=r"$F(x) + \alpha D_{KL}(x \| x_0) = R \cdot x + K$: the regularized form"))

# %% [markdown]
# ## The supremum in closed form
# By Example 4 the supremum of $R \cdot x - \alpha D_{KL}(x \| x_0)$ over the simplex is $\alpha \log Z(R)$, at the
# Gibbs distribution of $R$, so $\epsilon_m = \alpha \log Z(R) + K - F(x^*)$. Agent 2's paid reward for output 1 is
# biased, $\beta_1 = \mathbb{E}[u_2(t=1, \hat\omega) \mid \omega] - u_2(t=1, \omega) = -v/m$, and that bias is the
# whole story: $\epsilon_m = \alpha \log(x^*(1) \exp(\beta_1/\alpha) + x^*(2)) - \beta_1 x^*(1)$. The identity is
# decided with each exponential of a sum split into factors and each exponential made an opaque positive symbol; over
# $\alpha$, so that every logarithm has a rational coefficient and the logarithms combine.

# %%
def split_exp(arg):
    """exp(a + b + ...) as exp(a) exp(b) ... (the argument expanded first)."""
    return sp.Mul(*[sp.exp(a) for a in sp.Add.make_args(sp.expand(arg))])


def exponential_identity(lhs, rhs, **kw):
    """The identity with Z and R as exponentials of the expected rewards, each exponential of a sum split
    into factors and each factor an opaque positive symbol (see opaque_exponentials); a proof for arbitrary
    positive stand-ins is a proof for the exponentials."""
    def prepare(e):
        e = X.explicit(env, e).replace(sp.exp, split_exp)
        return sp.expand(sp.expand_log(e / alpha, force=True))
    opaque_lhs, opaque_rhs = opaque_exponentials(prepare(lhs), prepare(rhs))
    return identity(info, opaque_lhs, opaque_rhs, **kw)


best = generation_distribution(R, X.reference, alpha)
d.step(r"by Example 4, sup over the simplex of $R \cdot x - \alpha D_{KL}(x \| x_0) = \alpha \log Z(R)$, at the Gibbs "
       r"distribution of $R$", best.value)
y = mech.allocation()[xs[0]]
paid = quad[1][0].xreplace({omega: omega_hat})
bias = d.step(r"$\beta_1 = \mathbb{E}[u_2(t=1, \hat\omega) \mid \omega] - u_2(t=1, \omega)$", sp.expand(est.expect(paid) - quad[1][0]))
closed = alpha * sp.log(y * sp.exp(bias / alpha) + 1 - y) - bias * y
d.check(exponential_identity(regret.epsilon, closed, id="cor3-form",
                             claim=r"$\sup_x F(x) - F(x^*) = \alpha \log(x^*(1) \exp(\beta_1/\alpha) + x^*(2))"
                                   r" - \beta_1 x^*(1)$, $\beta_1 = -v/m$"))

# %% [markdown]
# ## The limit and the rate
# As a function of $y = x^*(1) \in (0, 1)$, $\epsilon_m \to 0$ as $m \to \infty$ (part 3), and its leading order is
# $v^2 y (1 - y) / (2 \alpha m^2)$: $o(1/m)$, so part 4 holds with $q_m = m$.

# %%
yy = sp.Symbol("y", positive=True)
eps = d.step(r"$\epsilon_m \le \alpha \log(x^*(1) \exp(\beta_1/\alpha) + x^*(2)) - \beta_1 x^*(1)$, $x^*(1) = y$",
             alpha * sp.log(yy * sp.exp(bias / alpha) + 1 - yy) - bias * yy)
for verdict in vanishes(eps, m, id="cor3-consistent", claim=r"$\epsilon_m \to 0$ as $m \to \infty$", domain={yy: (0, 1)}):
    d.check(verdict)
k, C = leading_order(eps, m)
d.step(r"rate: $\epsilon_m \sim C m^{-" + f"{k}" + r"}$ with $C$", C)
d.check(check_identity(C, v ** 2 * yy * (1 - yy) / (2 * alpha), id="cor3-rate", domain={yy: (0, 1)},
                       claim=r"$\epsilon_m \sim v^2 x^*(1) x^*(2) / (2 \alpha m^2)$, i.e. $o(1/m)$"))
d.check(check_sign(k - 1, "positive", id="cor3-part4", at=[{}],
                   claim=rf"$\epsilon_m = o(1/q_m)$ for $q_m = m$: decay exponent ${k}$ above 1"))
d.conclude()
