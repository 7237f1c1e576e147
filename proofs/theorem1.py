# %% [markdown]
# # Theorem 1 (Impossibility)
#
# The instance is Example 1: $u_i = -(x - \theta_i - \omega)^2$ with two agents, $x$ on the real line. Fixing signals
# truthful, posterior implementation forces the VCG class $t_1 = h_1(\theta_2; s) + \mathbb{E}[u_2(x^*) \mid s]$;
# fixing types truthful, it forces the Bergemann–Välimäki class. A transfer in both classes would make
# $h_1(\theta_2; s) - h_1(\theta_2; s_1', s_2)$ depend on $\theta_1$, which it cannot. Below every class and the
# difference identity are derived from their definitions, for Gaussian signals and for the wallet structure of
# footnote 8; the paper's closed forms are only the right-hand sides they are compared with. A second argument needs
# no characterization theorem: two of agent 1's incentive constraints that no transfer rule can satisfy together.

# %%
from functools import partial

import sympy as sp

from symbolic_mech import (Environment, GaussianSignals, GeneralizedVCG, MessageDrivenVCG, RealLine,
                           WalletSignals, identity, sign)
from symbolic_mech.core.kernel import REFUTED
from symbolic_mech.hypotheses import informative, mean_increasing, supermodular
from symbolic_mech.implementability import two_cycle
from symbolic_mech.registry import start
from symbolic_mech.simulation import expectation_sampler
from symbolic_mech.symbols import omega, prime, s, theta, x

d = start("theorem1")
d.scope(r"Example 1 with $n = 2$ agents, $u_i = -(x - \theta_i - \omega)^2$ on the real line: Gaussian signals "
        r"($\mu$, $\sigma$, $\sigma_1$, $\sigma_2$ symbolic) and the wallet structure of footnote 8 ($\mu_i$, $\tau_i$ symbolic)",
        covers="every message-driven mechanism: directly, by a negative 2-cycle of agent 1's incentive "
               r"constraints (symbolic in every parameter); and through the VCG class (any $h_1(\theta_2; s)$) "
               r"and the Bergemann-Välimäki class (any $k_1(s_2; \theta)$), the characterizations the paper "
               "cites, derived here for this instance from their defining formulas",
        not_covered=r"$n \geq 3$; other utilities; the characterization theorems themselves")
th1, th2, s1 = theta(1), theta(2), s(1)
s1p = prime(s1)


def example1(info):
    """Example 1 on an information structure: u_i = -(x - theta_i - omega)^2, x real."""
    return Environment(info, [-(x - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())


# %%
d.paper("Theorem 1", "Example 1", "Footnote 8")


# %% [markdown]
# ## The two transfer classes
# For an information structure, derive $x^*$, the VCG class, the Bergemann–Välimäki class and the
# difference $h_1(\theta_2; s) - h_1(\theta_2; s_1', s_2)$ that both together force. The same steps serve
# the Gaussian and the wallet structures.

# %%
def impossibility_steps(info, label):
    """The classes and the difference identity for ``info``; returns d/dtheta1 of the difference."""
    env = example1(info)
    ident = partial(identity, info)
    E, V = info.posterior_mean(), info.posterior_var()
    E_p = E.xreplace({s1: s1p})

    xs = d.step(f"[{label}] " + r"efficient allocation $x^*(\theta, s)$ (first-order condition, concave)",
                env.efficient_allocation()[x])
    d.check(ident(xs, (th1 + th2) / 2 + E, id=f"{label}-allocation",
                  claim=r"$x^* = (\theta_1 + \theta_2)/2 + \mathbb{E}[\omega \mid s]$"))

    vcg = d.step(f"[{label}] " + r"VCG class, $t_1 - h_1 = \mathbb{E}[u_2(x^*, \omega, \theta_2) \mid s]$",
                 MessageDrivenVCG(env).transfer(1))
    # where the model's definition makes the signals reveal the state (the wallet), no expectation
    # is taken: nothing to simulate; the posterior formulas must then give variance 0
    known = info.determines_state
    if known:
        d.step(f"[{label}] " + r"$\omega = s_1 + s_2$ by definition: the state is known given all signals, so no Monte Carlo")
        d.check(ident(info.expect((omega - sum(info.s)) ** 2), 0, id=f"{label}-state-known",
                      claim=r"$\mathbb{E}[(\omega - s_1 - s_2)^2 \mid s] = 0$ from the posterior moments"))
    mc = None if known else expectation_sampler(info, env.utility(2, {x: xs}))
    d.check(ident(vcg, -(th1 - th2) ** 2 / 4 - V, id=f"{label}-vcg-class",
                  claim=r"$t_1 - h_1 = -(\theta_1 - \theta_2)^2/4 - \operatorname{Var}[\omega \mid s]$", monte_carlo=mc))

    bv = d.step(f"[{label}] Bergemann–Välimäki class from the integral formula, $t_1 - k_1$",
                GeneralizedVCG(env).transfer(1))
    d.check(ident(bv, -(th1 - th2) * (E - E.xreplace({s1: 0})), id=f"{label}-bv-class",
                  claim=r"the integral $= -(\theta_1 - \theta_2)(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid 0, s_2])$"))

    # t = h_1 + vcg = k_1 + bv, so h_1 - k_1 = bv - vcg, and k_1 does not move with s_1
    gap = bv - vcg
    diff = d.step(f"[{label}] " + r"$h_1(\theta_2; s) - h_1(\theta_2; s_1', s_2)$ forced by both classes",
                  sp.expand(gap - gap.xreplace({s1: s1p})))
    d.check(ident(diff, V - V.xreplace({s1: s1p}) - (th1 - th2) * (E - E_p), id=f"{label}-difference",
                  claim=r"the difference $= \operatorname{Var}[\omega \mid s] - \operatorname{Var}[\omega \mid s_1', s_2] - (\theta_1 - \theta_2)(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_1', s_2])$"))
    deriv = d.step(f"[{label}] " + r"its derivative in $\theta_1$ (must vanish: the left side ignores $\theta_1$)",
                   sp.factor(sp.cancel(sp.diff(diff, th1))))
    d.check(ident(deriv, -(E - E_p), id=f"{label}-derivative",
                  claim=r"its derivative in $\theta_1$ $= -(\mathbb{E}[\omega \mid s] - \mathbb{E}[\omega \mid s_1', s_2])$"))
    d.check(ident(deriv, 0, id=f"{label}-contradiction",
                  claim=r"the derivative in $\theta_1$ vanishes identically"), expect=REFUTED)
    return deriv


# %% [markdown]
# ## Without the characterizations: a negative 2-cycle
# For message-driven transfers, truth at types $a, b$ of agent 1 needs $t(b) - t(a) \le c(a, b)$, with
# $c(a, b) = v_1(x^*(a), a) - v_1(x^*(b), a)$; adding the two constraints of a 2-cycle gives
# $0 \le c(a, b) + c(b, a)$, so a negative sum rules out every transfer rule. With
# $w_1 = \partial\mathbb{E}[\omega \mid s]/\partial s_1$, the types $a = (\theta_1, s_1)$ and
# $b = (\theta_1 + 2\delta, s_1 - 3\delta/(2 w_1))$ move $\mathbb{E}[\omega \mid s] + \theta_1/2$ by $-\delta/2$.

# %%
delta = sp.Symbol("delta", real=True, nonzero=True)


def two_cycle_steps(info, label):
    env = example1(info)
    w1 = d.step(f"[{label}] " + r"$w_1 = \partial\mathbb{E}[\omega \mid s]/\partial s_1$", sp.factor(sp.cancel(sp.diff(info.posterior_mean(), s1))))
    total = d.step(f"[{label}] " + r"$c(a, b) + c(b, a)$ for $a = (\theta_1, s_1)$, "
                   r"$b = (\theta_1 + 2\delta, s_1 - 3\delta/(2 w_1))$",
                   two_cycle(env, 1, {th1: th1, s1: s1}, {th1: th1 + 2 * delta, s1: s1 - 3 * delta / (2 * w1)}))
    d.check(identity(info, total, -delta ** 2 / 2, id=f"{label}-two-cycle",
                     claim=r"$c(a, b) + c(b, a) = -\delta^2/2$, derived from $v_1$ and $x^*$"))
    d.check(sign(info, -total, "positive", id=f"{label}-two-cycle-negative",
                 claim=r"$c(a, b) + c(b, a) < 0$ for every $\delta \neq 0$: no message-driven transfers satisfy "
                       "both constraints"))


# %% [markdown]
# ## Gaussian signals
# $\omega \sim N(\mu, \sigma^2)$, $s_i = \omega + \varepsilon_i$ with $\varepsilon_i \sim N(0, \sigma_i^2)$.

# %%
gaussian = GaussianSignals(2)
deriv = impossibility_steps(gaussian, "Gaussian")

# %% [markdown]
# The derivative is $-(s_1 - s_1')$ times a factor $c$; $c > 0$ makes it nonzero whenever $s_1 \neq s_1'$.

# %%
# the posterior-mean atoms replaced by their formulas: c in the noise parameters
factor = d.step(r"[Gaussian] closed form: derivative $= -(s_1 - s_1')\,c$ with $c =$",
                sp.factor(sp.cancel(gaussian.explicit(-deriv / (s1 - s1p)))))
d.check(sign(gaussian, factor, "positive", id="gaussian-factor",
             claim=r"$c > 0$, so the derivative is nonzero whenever $s_1 \neq s_1'$"))
d.check(identity(gaussian, factor, 1 / (gaussian.noise_var[0] * gaussian.posterior_precision()),
                 id="gaussian-closed-form", claim=r"$c = 1 / (\sigma_1^2 (1/\sigma^2 + 1/\sigma_1^2 + 1/\sigma_2^2))$"))
two_cycle_steps(gaussian, "Gaussian")

# %% [markdown]
# ## Footnote 8: the wallet structure
# $\omega = s_1 + s_2$ with independent $s_i \sim N(\mu_i, \tau_i^2)$: the signals together reveal the state, and
# condition (\*) holds.

# %%
wallet = WalletSignals(2)
wderiv = impossibility_steps(wallet, "wallet")
two_cycle_steps(wallet, "wallet")
d.check(identity(wallet, wderiv, -(s1 - s1p), id="wallet-derivative", claim=r"wallet: the derivative $= -(s_1 - s_1')$"))

# %% [markdown]
# ## The theorem's hypotheses on the instance
# Theorem 1 promises an instance whose signals are single-dimensional (each $s_i$ is one real number here, as
# the model declares) and whose $v_i$ is supermodular in $(x, s_j)$ for each $i$ and $j$; Example 1 adds that the
# posterior mean increases in each signal and condition (\*). Each is decided on both structures:
# $\partial^2 v_i / \partial x \partial s_j \ge 0$ and $\partial \mathbb{E}[\omega \mid s] / \partial s_j > 0$ by the
# kernel's sign checks, (\*) by refuting $\mathbb{E}[\omega \mid s] = \mathbb{E}[\omega \mid s_1', s_2]$ with a
# witness. The controls reverse the two signs.

# %%
for info, label in ((gaussian, "Gaussian"), (wallet, "wallet")):
    env = example1(info)
    for i in (1, 2):
        for j in (1, 2):
            d.hypothesis(supermodular(env, i, j, id=f"theorem1-supermodular-{label}"))
    for j in (1, 2):
        d.hypothesis(mean_increasing(info, j, id=f"theorem1-increasing-{label}"))
    d.hypothesis(informative(info, 1, id=f"theorem1-informative-{label}"), expect=REFUTED)
mixed = sp.diff(gaussian.explicit(example1(gaussian).value(1, {x: x})), x, s(2))
d.check(sign(gaussian, -mixed, "positive", id="control-submodular",
             claim=r"the sign reversed: $\partial^2 v_1 / \partial x \partial s_2 < 0$"), expect=REFUTED, control=True)
d.check(sign(gaussian, -sp.diff(gaussian.explicit(gaussian.posterior_mean()), s1), "positive",
             id="control-mean-decreasing", claim=r"the sign reversed: $\partial \mathbb{E}[\omega \mid s] / \partial s_1 < 0$"),
        expect=REFUTED, control=True)

# %% [markdown]
# ## Negative control and verdict
# A VCG class without the residual variance is a false identity and must be refuted.

# %%
d.check(identity(gaussian, MessageDrivenVCG(example1(gaussian)).transfer(1), -(th1 - th2) ** 2 / 4,
                 id="control-vcg-without-variance", claim=r"the residual variance dropped: $t_1 - h_1 = -(\theta_1 - \theta_2)^2/4$"),
        expect=REFUTED, control=True)
d.conclude()
