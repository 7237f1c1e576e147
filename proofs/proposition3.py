# %% [markdown]
# # Proposition 3 (Rate of convergence)
#
# The proof of Theorem 2 bounds the regret by equation (4) (quoted below),
# with $t_i^m(x, \theta_{-i}, s) = \mathbb{E}_{\omega|s} \mathbb{E}_{\hat\omega_m|\omega}[\sum_{j \neq i} u_j(x, \hat\omega_m, \theta_j)]$,
# and the proof of Proposition 3 bounds the right side by $2 \sum_j L_j\, \mathbb{E}|\hat\omega_m - \omega|$, $L_j$ a
# Lipschitz constant of $u_j$ in $\omega$. For the two consistent instances of Theorem 2, at one rational profile, the
# exact regret $\epsilon_m$, the equation (4) bound and the Lipschitz bound are exact functions of $m$; both
# inequalities are decided for every $m \geq m_0$ ($m_0$ stated), and the orders are read off:
# $\epsilon_m \sim m^{-2}$ against the Lipschitz bound's $m^{-1/2}$, so $\epsilon_m = o(1/r_m)$ for every rate
# $r_m = o(\sqrt{m})$ the estimators satisfy ($\hat\omega_m - \omega = o_p(1/r_m)$; $r_m = \sqrt{m}$ itself is the
# boundary, since $\sqrt{m}(\hat\omega_m - \omega)$ stays $O_p(1)$), with room to spare: $\epsilon_m m^2$ stays
# bounded.

# %%
import sympy as sp

from symbolic_mech.asymptotics import eventually, leading_order
from symbolic_mech.core.kernel import PROVED, REFUTED, check_sign
from symbolic_mech.paper.section4 import consistent_cases, rate_bounds
from symbolic_mech.registry import start
from symbolic_mech.symbols import m, omega

d = start("proposition3")
d.scope(r"the two instances of Theorem 2 at the rational profile $\theta = (1, 2)$, $s = (1/2, 1)$, unit "
        r"parameters; $\epsilon_m$, the equation (4) bound and the Lipschitz bound as exact functions of $m$; "
        r"the inequalities decided for every $m \geq m_0$ ($m_0$ stated), the table at $m = 10, \ldots, 10^6$ shown only",
        covers=r"every choice of Lipschitz constants $L_j$ of $u_j$ in $\omega$ on the box (the tight ones too)",
        not_covered="other profiles (the inequalities are at one profile); the Lipschitz box uses the "
                    r"truncation of footnote 9 ($|\omega - \mathbb{E}[\omega \mid s]| \leq 8$ standard deviations); the orders $k$ of $\epsilon_m$ and of the "
                    "bound are sympy limits (proposals), the inequalities do not rest on them")

# %%
d.paper("Proposition 3", "Equation (4)")


# %% [markdown]
# ## The instances and the exact regret at a profile
# The two cases of Theorem 2 ($n = 2$, agent 1, the pivot): (a) $u_i = -(\theta_i - \omega x)^2$ with
# $\hat\omega_m = \omega + N(0, v/m)$, (b) Example 1 with the Bayesian shrinkage estimator of footnote 16. Their exact
# regret is derived symbolically, then evaluated at $\theta = (1, 2)$, $s = (1/2, 1)$ and unit parameters
# ($\mu = v = \tau = 1$, $\sigma = \sigma_1 = \sigma_2 = 1$), where it is a rational function of $m$. Its order $k$
# ($\epsilon_m \sim C m^{-k}$) is sympy's limit, a proposal: the inequalities below do not rest on it.

# %%
cases = consistent_cases(d)
bounds, eps_m, k_eps = {}, {}, {}
for label, mech, est, r in cases:
    bounds[label] = b = rate_bounds(mech, est, r)
    eps_m[label] = d.step(f"{label}: at " + r"$\theta = (1, 2)$, $s = (1/2, 1)$, unit parameters, $\epsilon_m =$", b.epsilon)
    k_eps[label] = d.step(f"{label}: " + r"$\epsilon_m \sim C m^{-k}$ with $k =$", leading_order(eps_m[label], m)[0])

# %% [markdown]
# ## Equation (4)
# The gap $g(x) = \sum_{j \neq 1} v_j(x, \theta_j, s) - t_1^m(x, \theta_2, s)$ at the two outcomes that enter the
# proof, $x^*$ and agent 1's best deviation $\bar x^m$; equation (4) bounds $\epsilon_m$ by $2 \max |g|$. The slower
# of the two gaps, $g(m)$, has a sign fixed for $m \geq m_0$ (decided), and $\epsilon_m \le 2|g(m)| \le$ the
# equation (4) bound is decided for every $m \geq m_0$.

# %%
for label, mech, est, r in cases:
    b, eps_t = bounds[label], eps_m[label]
    g = min(b.gaps, key=lambda e: leading_order(e, m)[0])
    d.step(f"{label}: equation (4) bound " + r"$2 \max |\sum_j v_j - t_i^m|$ at $x^*$ and the deviation, order",
           b.eq4_order)
    sign_g = eventually(g, m, id="prop3-gap-sign", strict=True, claim=f"{label}: the slower gap $g(m) > 0$")
    if sign_g.status != PROVED:
        sign_g = eventually(-g, m, id="prop3-gap-sign", strict=True, claim=f"{label}: the slower gap $g(m) < 0$")
        g = -g
    d.check(sign_g)
    d.check(eventually(2 * g - eps_t, m, id="prop3-eq4",
                       claim=f"{label}: " + r"$\epsilon_m \leq 2|g(m)| \leq$ the equation (4) bound for $m \geq m_0$"))

# %% [markdown]
# ## The Lipschitz bound $2 \sum_j L_j\, \mathbb{E}|\hat\omega_m - \omega|$
# $\mathbb{E}|\hat\omega_m - \omega|$ under the posterior, exactly: given $s$, $\hat\omega_m - \omega$ is normal,
# $N(\mu_e, s_e^2)$, so $\mathbb{E}|\hat\omega_m - \omega|$ is the mean of a folded normal. For (a) the error is the
# noise itself, $N(0, v/m)$, and $\mathbb{E}|\hat\omega_m - \omega| = \sqrt{2v/(\pi m)}$; for (b), with
# $w = m \sigma^2/(\tau^2 + m \sigma^2)$, $\mu_e = (1 - w)(\mu - \mathbb{E}[\omega \mid s])$ is the shrinkage bias and
# $s_e^2 = (1 - w)^2 \operatorname{Var}[\omega \mid s] + w^2 \tau^2/m$.
#
# The bound holds for *every* choice of Lipschitz constants $L_j$ of $u_j$ in $\omega$ on the box
# $x \in [\bar x^m, x^*]$ (or the reverse), $\omega \in [E - 8\,\mathrm{sd}, E + 8\,\mathrm{sd}]$ (the truncation of
# footnote 9). So it is compared with a lower bound $B(m)$ of $2 \sum_j L_j\, \mathbb{E}|\hat\omega_m - \omega|$ that
# every such choice, the tight one included, exceeds:
#
# * any Lipschitz constant $L_j$ is at least $|\partial u_j/\partial\omega|$ at a point of the box; the box contains
#   $(x^*, \omega_0)$ for $\omega_0 = E \pm 8 r$ with a rational $r$, $r^2 \le \operatorname{Var}[\omega \mid s]$
#   ($x^*$ is one end of the $x$-range, a constant), so $L = \sum_j |\partial u_j/\partial\omega(x^*, \omega_0)|$, the
#   larger of the two ends, bounds $\sum_j L_j$ below;
# * $\mathbb{E}|X|$ for $X \sim N(\mu_e, s_e^2)$ is exactly $s_e \sqrt{2/\pi}$ when $\mu_e = 0$ (and $2/\pi > 7/11$ as
#   $\pi < 22/7$), and at least $|\mu_e|$ otherwise (Jensen), with the sign of $\mu_e$ fixed for $m \geq m_0$.
#
# The function returns $B(m)^2$, rational in $m$, and records its facts as checks.

# %%
def lipschitz_lower_bound(b, xvar, label: str) -> sp.Expr:
    r = sp.Rational(int(sp.floor(100 * sp.sqrt(b.var))), 100)
    d.check(check_sign(b.var - r ** 2, "nonnegative", id="prop3-sd-lower", at=[{}],
                       claim=f"{label}: ${sp.latex(r)}^2 \\leq " + r"\operatorname{Var}[\omega \mid s] = " + f"{sp.latex(b.var)}$"))
    x_star = b.ends[1]
    slopes = [sum(abs(sp.diff(u, omega).xreplace({xvar: x_star, omega: w0})) for u in b.others)
              for w0 in (b.mean - 8 * r, b.mean + 8 * r)]
    L = max(slopes)
    lows = {xvar: x_star, omega: b.mean + 8 * r if L == slopes[1] else b.mean - 8 * r}
    mu_e, var_e = b.error_law
    if mu_e == 0:
        d.check(check_sign(sp.Rational(22, 7) - sp.pi, "positive", id="prop3-pi", at=[{}],
                           claim=r"$\pi < 22/7$, so $2/\pi > 7/11$"))
        abs_sq, how = var_e * sp.Rational(7, 11), r"$\frac{7}{11} s_e^2 \le (s_e \sqrt{2/\pi})^2$"
    else:
        sign_v = eventually(mu_e, m, id="prop3-bias-sign", strict=True,
                            claim=f"{label}: the error's mean " + r"$\mu_e(m) > 0$ for $m \geq m_0$")
        if sign_v.status != PROVED:
            sign_v = eventually(-mu_e, m, id="prop3-bias-sign", strict=True,
                                claim=f"{label}: the error's mean " + r"$\mu_e(m) < 0$ for $m \geq m_0$")
        d.check(sign_v)
        abs_sq, how = mu_e ** 2, r"$\mu_e^2 \le (\mathbb{E}|X|)^2$ (Jensen)"
    d.step(f"{label}: lower bound " + r"$B(m) = 2 L E_{low}(m)$: $\sum_j L_j \geq L = \sum_j |\partial u_j/\partial\omega|$"
           f" = {L} at " + r"$(x^*, \omega_0)$" + f" = ({lows[xvar]}, {lows[omega]}); {how}")
    return sp.cancel(4 * L ** 2 * abs_sq)


# %% [markdown]
# With $B(m)$ in hand, $\epsilon_m \le B(m) \le 2 \sum_j L_j\, \mathbb{E}|\hat\omega_m - \omega|$ is decided for every
# $m \geq m_0$, squared (both sides are nonnegative, and $B(m)^2$ is rational in $m$ where $B(m)$ is not).

# %%
k_bound = {}
for label, mech, est, r in cases:
    b = bounds[label]
    d.step(f"{label}: " + r"$\mathbb{E}|\hat\omega_m - \omega|$ under the posterior", b.abs_error)
    k_bound[label] = leading_order(b.abs_error, m)[0]
    low_sq = lipschitz_lower_bound(b, mech.env.outcome.x, label)
    d.check(eventually(low_sq - eps_m[label] ** 2, m, id="prop3-bound",
                       claim=f"{label}: " + r"$\epsilon_m^2 \leq B(m)^2$, $B(m) \leq 2 \sum_j L_j \mathbb{E}|\hat\omega_m - \omega|$, "
                             r"for $m \geq m_0$"))

# %% [markdown]
# ## The rates side by side
# The Lipschitz bound ($L_j$ bounded on the box coefficient by coefficient, exactly at each $m$) and $\epsilon_m$, for
# display only; change the sample sizes and re-run to see more of the table.

# %%
sample_sizes = [10 ** k for k in range(1, 7)]
for label, mech, est, r in cases:
    table = [(mm, sp.N(bounds[label].lipschitz_bound(mm), 4), sp.N(eps_m[label].xreplace({m: mm}), 4))
             for mm in sample_sizes]
    d.step(f"{label}: " + r"$(m, \mathrm{bound}, \epsilon_m)$ shown at $m = 10, \dots, 10^6$ (display only)", sp.Matrix(table))

# %% [markdown]
# ## The orders, and a negative control
# $\epsilon_m \sim m^{-2}$ vanishes faster than the bound's $m^{-1/2}$. As a control, $\epsilon_m \le C m^{-(k+1)}$,
# one order faster than its own (with $C$ fixed by the value at $m = 10$), must be refuted.

# %%
for label, mech, est, r in cases:
    eps_t, k = eps_m[label], k_eps[label]
    d.step(f"{label}: orders: $\\epsilon_m \\sim m^{{-{k}}}$ against the bound's $m^{{-{k_bound[label]}}}$")
    d.check(check_sign(k - k_bound[label], "positive", id="prop3-orders", at=[{}],
                       claim=f"{label}: " + r"$\epsilon_m$ vanishes faster than the bound"))
    faster = eps_t.xreplace({m: 10}) * (sp.Integer(10) / m) ** (k + 1)
    d.check(eventually(faster - eps_t, m, id="control-prop3",
                       claim=f"{label}: one order too fast, " + rf"$\epsilon_m \leq C m^{{-{k + 1}}}$ for $m \geq m_0$"),
            expect=REFUTED, control=True)

# %% [markdown]
# ## The rates in a picture
# For both consistent cases, at $\theta = (1, 2)$, $s = (1/2, 1)$ and unit parameters, the exact regret $\epsilon_m$
# is drawn against $m = 10, \dots, 10^6$ on log-log axes beside the two bounds the derivation checks: the equation
# (4) bound and the Lipschitz bound $2 \sum_j L_j\, \mathbb{E}|\hat\omega_m - \omega|$. On these axes a rate $m^{-k}$
# is a line of slope $-k$: the regret falls with slope $-2$, the equation (4) bound with slope $-1$ and the
# Lipschitz bound with slope $-1/2$, so the bound
# decades; the exponents in the annotations are the exact orders. The figure is drawn when the script is read
# (run directly or as a notebook), not when the result is verified.

# %%
from symbolic_mech.presentation import plots

if d.live and plots.available():
    plots.regret_rates()

# %% [markdown]
# ## Verdict

# %%
d.conclude()
