# %% [markdown]
# # Proposition 3 (Rate of convergence)
#
# The proof of Theorem 2 bounds the regret by equation (4) (quoted below), with
# t_i^m(x, θ_{-i}, s) = E_{ω|s} E_{ω̂_m|ω}[Σ_{j≠i} u_j(x, ω̂_m, θ_j)], and the proof of Proposition 3
# bounds the right side by 2 Σ_j L_j E|ω̂_m − ω|, L_j a Lipschitz constant of u_j in ω. For the two
# consistent instances of Theorem 2, at one rational profile, the exact regret ε_m, the equation (4) bound
# and the Lipschitz bound are exact functions of m; both inequalities are decided for every m ≥ m_0
# (m_0 stated), and the orders are read off: ε_m ~ m^-2 against the Lipschitz bound's m^-1/2, so
# ε_m = o(1/r_m) for every rate r_m = o(√m) the estimators satisfy (ω̂_m − ω = o_p(1/r_m); r_m = √m itself
# is the boundary, since √m(ω̂_m − ω) stays O_p(1)), with room to spare: ε_m m² stays bounded.

# %%
import sympy as sp

from symbolic_mech.asymptotics import eventually, leading_order
from symbolic_mech.core.kernel import PROVED, REFUTED, check_sign
from symbolic_mech.paper.section4 import consistent_cases, rate_bounds
from symbolic_mech.registry import start
from symbolic_mech.symbols import m, omega

d = start("proposition3")
d.scope("the two instances of theorem2 at the rational profile theta = (1, 2), s = (1/2, 1), unit "
        "parameters; epsilon_m, the equation (4) bound and the Lipschitz bound as exact functions of m; "
        "the inequalities decided for every m >= m0 (m0 stated), the table at m = 10..10^6 shown only",
        covers="every choice of Lipschitz constants L_j of u_j in omega on the box (the tight ones too)",
        not_covered="other profiles (the inequalities are at one profile); the Lipschitz box uses the "
                    "truncation of footnote 9 (|omega - E| <= 8 sd); the orders k of epsilon_m and of the "
                    "bound are sympy limits (proposals), the inequalities do not rest on them")

# %%
d.paper("Proposition 3", "Equation (4)")


# %% [markdown]
# ## The instances and the exact regret at a profile
# The two cases of Theorem 2 (n = 2, agent 1, the pivot): (a) u_i = −(θ_i − ω x)² with ω̂_m = ω + N(0, v/m),
# (b) Example 1 with the Bayesian shrinkage estimator of footnote 16. Their exact regret is derived
# symbolically, then evaluated at θ = (1, 2), s = (1/2, 1) and unit parameters (μ = v = τ = 1,
# σ = σ_1 = σ_2 = 1), where it is a rational function of m. Its order k (ε_m ~ C m^-k) is sympy's limit, a
# proposal: the inequalities below do not rest on it.

# %%
cases = consistent_cases(d)
bounds, eps_m, k_eps = {}, {}, {}
for label, mech, est, r in cases:
    bounds[label] = b = rate_bounds(mech, est, r)
    eps_m[label] = d.step(f"{label}: at theta = (1, 2), s = (1/2, 1), unit parameters, epsilon_m =", b.epsilon)
    k_eps[label] = d.step(f"{label}: epsilon_m ~ C m^-k with k =", leading_order(eps_m[label], m)[0])

# %% [markdown]
# ## Equation (4)
# The gap g(x) = Σ_{j≠1} v_j(x, θ_j, s) − t_1^m(x, θ_2, s) at the two outcomes that enter the proof, x* and
# agent 1's best deviation x̄^m; equation (4) bounds ε_m by 2 max |g|. The slower of the two gaps, g(m), has
# a sign fixed for m ≥ m_0 (decided), and ε_m ≤ 2|g(m)| ≤ the equation (4) bound is decided for every
# m ≥ m_0.

# %%
for label, mech, est, r in cases:
    b, eps_t = bounds[label], eps_m[label]
    g = min(b.gaps, key=lambda e: leading_order(e, m)[0])
    d.step(f"{label}: equation (4) bound 2 max |sum_j v_j - t_i^m| at x* and the deviation, order", b.eq4_order)
    sign_g = eventually(g, m, id="prop3-gap-sign", strict=True, claim=f"{label}: the slower gap g(m) > 0")
    if sign_g.status != PROVED:
        sign_g = eventually(-g, m, id="prop3-gap-sign", strict=True, claim=f"{label}: the slower gap g(m) < 0")
        g = -g
    d.check(sign_g)
    d.check(eventually(2 * g - eps_t, m, id="prop3-eq4",
                       claim=f"{label}: epsilon_m <= 2|g(m)| <= equation (4) bound for m >= m0"))

# %% [markdown]
# ## The Lipschitz bound 2 Σ_j L_j E|ω̂_m − ω|
# E|ω̂_m − ω| under the posterior, exactly: given s, ω̂_m − ω is normal, N(μ_e, s_e²), so E|ω̂_m − ω| is the
# mean of a folded normal. For (a) the error is the noise itself, N(0, v/m), and E|ω̂_m − ω| = √(2v/(π m));
# for (b), with w = m σ²/(τ² + m σ²), μ_e = (1 − w)(μ − E[ω | s]) is the shrinkage bias and
# s_e² = (1 − w)² Var[ω | s] + w² τ²/m.
#
# The bound holds for *every* choice of Lipschitz constants L_j of u_j in ω on the box
# x ∈ [x̄^m, x*] (or the reverse), ω ∈ [E − 8 sd, E + 8 sd] (the truncation of footnote 9). So it is
# compared with a lower bound B(m) of 2 Σ_j L_j E|ω̂_m − ω| that every such choice, the tight one included,
# exceeds:
#
# * any Lipschitz constant L_j is at least |∂u_j/∂ω| at a point of the box; the box contains
#   (x*, ω_0) for ω_0 = E ± 8 r with a rational r, r² ≤ Var[ω | s] (x* is one end of the x-range, a
#   constant), so L = Σ_j |∂u_j/∂ω(x*, ω_0)|, the larger of the two ends, bounds Σ_j L_j below;
# * E|X| for X ~ N(μ_e, s_e²) is exactly s_e √(2/π) when μ_e = 0 (and 2/π > 7/11 as π < 22/7), and at
#   least |μ_e| otherwise (Jensen), with the sign of μ_e fixed for m ≥ m_0.
#
# The function returns B(m)², rational in m, and records its facts as checks.

# %%
def lipschitz_lower_bound(b, xvar, label: str) -> sp.Expr:
    r = sp.Rational(int(sp.floor(100 * sp.sqrt(b.var))), 100)
    d.check(check_sign(b.var - r ** 2, "nonnegative", id="prop3-sd-lower", at=[{}],
                       claim=f"{label}: r = {r} has r^2 <= Var[omega|s] = {b.var}"))
    x_star = b.ends[1]
    slopes = [sum(abs(sp.diff(u, omega).xreplace({xvar: x_star, omega: w0})) for u in b.others)
              for w0 in (b.mean - 8 * r, b.mean + 8 * r)]
    L = max(slopes)
    lows = {xvar: x_star, omega: b.mean + 8 * r if L == slopes[1] else b.mean - 8 * r}
    mu_e, var_e = b.error_law
    if mu_e == 0:
        d.check(check_sign(sp.Rational(22, 7) - sp.pi, "positive", id="prop3-pi", at=[{}],
                           claim="pi < 22/7, so 2/pi > 7/11"))
        abs_sq, how = var_e * sp.Rational(7, 11), "s_e^2 7/11 <= (s_e sqrt(2/pi))^2"
    else:
        sign_v = eventually(mu_e, m, id="prop3-bias-sign", strict=True,
                            claim=f"{label}: the error's mean mu_e(m) > 0 for m >= m0")
        if sign_v.status != PROVED:
            sign_v = eventually(-mu_e, m, id="prop3-bias-sign", strict=True,
                                claim=f"{label}: the error's mean mu_e(m) < 0 for m >= m0")
        d.check(sign_v)
        abs_sq, how = mu_e ** 2, "mu_e^2 <= (E|X|)^2 (Jensen)"
    d.step(f"{label}: lower bound B(m) = 2 L E_low(m): sum_j L_j >= L = sum_j |d u_j/d omega| = {L} at "
           f"(x*, omega_0) = ({lows[xvar]}, {lows[omega]}); {how}")
    return sp.cancel(4 * L ** 2 * abs_sq)


# %% [markdown]
# With B(m) in hand, ε_m ≤ B(m) ≤ 2 Σ_j L_j E|ω̂_m − ω| is decided for every m ≥ m_0, squared (both sides
# are nonnegative, and B(m)² is rational in m where B(m) is not).

# %%
k_bound = {}
for label, mech, est, r in cases:
    b = bounds[label]
    d.step(f"{label}: E|omega_hat_m - omega| under the posterior", b.abs_error)
    k_bound[label] = leading_order(b.abs_error, m)[0]
    low_sq = lipschitz_lower_bound(b, mech.env.outcome.x, label)
    d.check(eventually(low_sq - eps_m[label] ** 2, m, id="prop3-bound",
                       claim=f"{label}: epsilon_m^2 <= B(m)^2, B(m) <= 2 sum_j L_j E|omega_hat_m - omega|, "
                             "for m >= m0"))

# %% [markdown]
# ## The rates side by side
# The Lipschitz bound (L_j bounded on the box coefficient by coefficient, exactly at each m) and ε_m, for
# display only; change the sample sizes and re-run to see more of the table.

# %%
sample_sizes = [10 ** k for k in range(1, 7)]
for label, mech, est, r in cases:
    table = [(mm, sp.N(bounds[label].lipschitz_bound(mm), 4), sp.N(eps_m[label].xreplace({m: mm}), 4))
             for mm in sample_sizes]
    d.step(f"{label}: (m, bound, epsilon_m) shown at m = 10..10^6 (display only)", sp.Matrix(table))

# %% [markdown]
# ## The orders, and a negative control
# ε_m ~ m^-2 vanishes faster than the bound's m^-1/2. As a control, ε_m ≤ C m^-(k+1), one order faster than
# its own (with C fixed by the value at m = 10), must be refuted.

# %%
for label, mech, est, r in cases:
    eps_t, k = eps_m[label], k_eps[label]
    d.step(f"{label}: orders: epsilon_m ~ m^-{k} against the bound's m^-{k_bound[label]}")
    d.check(check_sign(k - k_bound[label], "positive", id="prop3-orders", at=[{}],
                       claim=f"{label}: epsilon_m vanishes faster than the bound"))
    faster = eps_t.xreplace({m: 10}) * (sp.Integer(10) / m) ** (k + 1)
    d.check(eventually(faster - eps_t, m, id="control-prop3",
                       claim=f"{label}: epsilon_m <= C m^-{k + 1} (one order too fast) for m >= m0"),
            expect=REFUTED, control=True)

# %% [markdown]
# ## The rates in a picture
# For both consistent cases, at θ = (1, 2), s = (1/2, 1) and unit parameters, the exact regret ε_m is drawn
# against m = 10..10^6 on log-log axes beside the two bounds the derivation checks: the equation (4) bound and
# the Lipschitz bound 2 Σ_j L_j E|ω̂_m − ω|. On these axes a rate m^-k is a line of slope −k: the regret falls
# with slope −2, the equation (4) bound with slope −1 and the Lipschitz bound with slope −1/2, so the bound
# holds with room that grows with m. The slopes in the legend are least-squares fits over the last two
# decades; the exponents in the annotations are the exact orders. The figure is drawn when the script is read
# (run directly or as a notebook), not when the result is verified.

# %%
from symbolic_mech import plots

if d.live and plots.available():
    plots.regret_rates()

# %% [markdown]
# ## Verdict

# %%
d.conclude()
