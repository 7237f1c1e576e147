"""Definition 9 as a Mechanism: generation distributions, the Gibbs x*, the regularized pivot,
Groves certificates and the exact regret (Section 5.2, Example 4, Corollary 3)."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symbolic_mech import (AdditiveNoise, Environment, ExPost, GaussianSignals, RealLine, check_identity,
                           exact_regret, groves_certificate, witness_at)
from symbolic_mech.core.kernel import decide_zero, exact_value
from symbolic_mech.environments import Distributions, partition_atom
from symbolic_mech.llm import regularized_vcg
from symbolic_mech.mechanisms import RegularizedDataDrivenVCG
from symbolic_mech.symbols import alpha, m, omega, prime, s, theta, v, x

R = sp.Rational


def weights(size, name="w"):
    w = [sp.Symbol(f"{name}{t}", positive=True) for t in range(1, size + 1)]
    return [wt / sp.Add(*w) for wt in w]


def model(n, size, kind, info=None, reference=None):
    """n agents, |T| = size; 'quad': r_i(1) = -(theta_i - omega)^2, r_i(t) = g_it; 'lin': linear in omega."""
    g = [[sp.Symbol(f"g{i}{t}", real=True) for t in range(1, size + 1)] for i in range(1, n + 1)]
    if kind == "quad":
        rewards = [[-(theta(i) - omega) ** 2] + g[i - 1][1:] for i in range(1, n + 1)]
    else:
        rewards = [[theta(i) * omega] + [g[i - 1][t] * omega + g[i - 1][0] for t in range(1, size)]
                   for i in range(1, n + 1)]
    X = Distributions(size, weights(size) if reference is None else reference)
    return Environment(info or GaussianSignals(n), rewards, X, parameters=[q for row in g for q in row])


# ---------------------------------------------------------------------------
# the Gibbs distribution and its value, against computations written out here
# ---------------------------------------------------------------------------

STD = dict(prior_mean=0, prior_var=1, noise_var=1)   # E[omega | s1, s2] = (s1 + s2)/3


def test_gibbs_distribution_at_an_exact_instance():
    # r_1 = (omega, 1, 0), r_2 = (0, theta2, 2 omega); x0 = (1/2, 1/4, 1/4); alpha = 2
    ref = [R(1, 2), R(1, 4), R(1, 4)]
    env = Environment(GaussianSignals(2, **STD), [[omega, 1, 0], [0, theta(2), 2 * omega]],
                      Distributions(3, ref, alpha=2))
    xs = env.efficient_allocation()
    pt = {theta(1): R(1), theta(2): R(3), s(1): R(1), s(2): R(2)}
    mean = R(1 + 2, 3)                                    # (s1 + s2)/3 by hand
    c = [mean, sp.Integer(1 + 3), 2 * mean]               # the summed expected rewards
    w = [q * sp.exp(ct / 2) for ct, q in zip(c, ref)]
    for t, xt in enumerate(env.outcome.variables):
        got = exact_value(xs[xt], pt, env.explicit)
        assert decide_zero(got - w[t] / sp.Add(*w)) is not None
    # the maximal regularized welfare is alpha log Z
    value = exact_value(env.welfare(allocation=xs), pt, env.explicit)
    assert decide_zero(value - 2 * sp.log(sp.Add(*w))) is not None
    # floats only corroborate: exponentiated-gradient ascent on the simplex reaches the same point
    cf, qf = np.array([float(ct) for ct in c]), np.array([float(q) for q in ref])
    y = np.full(3, 1 / 3)
    for _ in range(400):
        y = y * np.exp(0.25 * (cf - 2 * (np.log(y / qf) + 1)))
        y /= y.sum()
    assert np.allclose(y, [float(exact_value(xs[xt], pt, env.explicit)) for xt in env.outcome.variables],
                       atol=1e-9)


def test_value_is_alpha_log_z_for_all_weights():
    env = model(2, 3, "lin")
    xs = env.efficient_allocation()
    Z = partition_atom((1, 2))(theta(1), theta(2), s(1), s(2))
    verdict = check_identity(env.welfare(allocation=xs), alpha * sp.log(Z),
                             definitions=lambda e: env.explicit(e, exponentials=False))
    assert verdict.status == "proved", verdict.evidence


def test_partition_atom_definition_is_the_paper_sum():
    env = model(2, 2, "lin")
    Z = partition_atom((1, 2))(theta(1), theta(2), s(1), s(2))
    c = [sum(env.info.expect(r, atomic=True) for r in (theta(1) * omega, theta(2) * omega)),
         sum(env.info.expect(r, atomic=True) for r in (sp.Symbol("g12", real=True) * omega + sp.Symbol("g11", real=True),
                                                       sp.Symbol("g22", real=True) * omega + sp.Symbol("g21", real=True)))]
    q = weights(2)
    assert sp.expand(env.outcome.explicit(env, Z) - sum(qt * sp.exp(ct / alpha) for ct, qt in zip(c, q))) == 0


# ---------------------------------------------------------------------------
# the economy without agent i
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3])
def test_pivot_uses_only_the_others_reports_and_signals(n):
    env = model(n, 3, "lin", reference=weights(3))
    mech = RegularizedDataDrivenVCG(env, h="pivot")
    for i in range(1, n + 1):
        own = {theta(i), s(i), prime(theta(i)), prime(s(i))}
        h = mech.pivot(i)
        assert not own & h.free_symbols
        assert not own & env.explicit(h).free_symbols          # nor inside Z and R
        assert not own & mech.transfer(i).xreplace({theta(i): prime(theta(i))}).free_symbols - \
            mech.externality(i, mech.allocation()).xreplace({theta(i): prime(theta(i))}).free_symbols - \
            env.outcome.regularizer(env, mech.allocation()).xreplace({theta(i): prime(theta(i))}).free_symbols


def test_reference_without_must_be_free_of_the_agent():
    q = [1 / (1 + sp.exp(s(1))), sp.exp(s(1)) / (1 + sp.exp(s(1)))]   # x0(s) depends on s1
    env = Environment(GaussianSignals(2), [[theta(i) * omega, 0] for i in (1, 2)], Distributions(2, q))
    with pytest.raises(ValueError, match="reference_without"):
        RegularizedDataDrivenVCG(env, h="pivot").pivot(1)
    ok = Environment(GaussianSignals(2), [[theta(i) * omega, 0] for i in (1, 2)],
                     Distributions(2, q, reference_without={1: [R(1, 2), R(1, 2)]}))
    assert s(1) not in RegularizedDataDrivenVCG(ok, h="pivot").pivot(1).free_symbols


def test_llm_regularized_vcg_default_without_agent_uses_the_others_signals():
    info = GaussianSignals(2)
    rows = [[info.expect(theta(k) * omega, atomic=True), sp.Integer(0)] for k in (1, 2)]
    out = regularized_vcg(rows, [R(1, 2), R(1, 2)], alpha)
    for i in (1, 2):
        assert not {s(i), theta(i)} & set().union(*(p.free_symbols for p in out.without[i - 1].distribution))
    j_given = [info.expect(theta(2) * omega, given=(2,), atomic=True), 0]
    assert sp.simplify(out.without[0].partition - (sp.exp(j_given[0] / alpha) + 1) / 2) == 0


# ---------------------------------------------------------------------------
# Groves certificates (Corollary 3, parts 1-2) and a refutation
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("size", [2, 3])
def test_groves_certificate_ex_post(n, size):
    mech = RegularizedDataDrivenVCG(model(n, size, "quad"), h="pivot")
    verdict = groves_certificate(mech, 1, ExPost())
    assert verdict.status == "proved", verdict.evidence
    assert len(verdict.evidence["monte_carlo"]) >= 3


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("size", [2, 3])
def test_groves_certificate_unbiased_noise_linear_rewards(n, size):
    mech = RegularizedDataDrivenVCG(model(n, size, "lin"), h="pivot")
    assert groves_certificate(mech, n, AdditiveNoise(v, m)).status == "proved"


def test_groves_certificate_arbitrary_h():
    env = model(2, 2, "lin")
    h = {1: sp.Function("h1")(theta(2), s(2)), 2: sp.Function("h2")(theta(1), s(1))}
    assert groves_certificate(RegularizedDataDrivenVCG(env, h=h), 1, ExPost()).status == "proved"


@pytest.mark.parametrize("size", [2, pytest.param(3, marks=pytest.mark.slow)])   # three outputs: the slowest test
def test_quadratic_rewards_with_noise_refuted_inside_the_supports(size):
    env = model(2, size, "quad")
    mech, est = RegularizedDataDrivenVCG(env, h="pivot"), AdditiveNoise(v, m)
    verdict = groves_certificate(mech, 1, est)
    assert verdict.status == "refuted"
    w = verdict.evidence["witness"]
    doms = env.domains(est)
    for sym, val in w["truth"].items():
        assert sym not in doms or doms[sym].contains(val)
    # re-evaluated here: the gain is exact and certified positive
    again = witness_at(mech, 1, est, w["truth"], w["report"])
    assert again["sign"] == 1 and decide_zero(again["gain"] - w["gain"]) is not None


def test_control_transfer_without_regularizer_is_refuted():
    env = model(2, 2, "lin")
    mech = RegularizedDataDrivenVCG(env, h="pivot")
    from symbolic_mech import CustomTransfers
    t1 = mech.transfer(1) + env.outcome.regularizer(env, mech.allocation())
    assert groves_certificate(CustomTransfers(env, {1: t1}), 1, ExPost()).status == "refuted"


# ---------------------------------------------------------------------------
# the exact regret (Corollary 3, parts 3-4)
# ---------------------------------------------------------------------------

def test_exact_regret_ex_post_is_zero():
    env = model(2, 2, "quad", info=GaussianSignals(2, **STD))
    r = exact_regret(RegularizedDataDrivenVCG(env, h="pivot"), 1, ExPost())
    pt = {theta(1): R(1), theta(2): R(-1), s(1): R(1, 2), s(2): R(2), alpha: R(3, 2),
          sp.Symbol("g12", real=True): R(-1), sp.Symbol("g22", real=True): R(1, 3),
          sp.Symbol("w1", positive=True): R(1), sp.Symbol("w2", positive=True): R(2)}
    assert decide_zero(exact_value(r.epsilon, pt, env.explicit)) is not None
    assert r.report is None and set(r.allocation) == set(env.outcome.variables)


def test_exact_regret_against_a_direct_evaluation():
    # standard normal prior and noise, |T| = 2: x0 = (1/3, 2/3), additive noise v/m
    g12, g22 = sp.Symbol("g12", real=True), sp.Symbol("g22", real=True)
    env = model(2, 2, "quad", info=GaussianSignals(2, **STD))
    mech, est = RegularizedDataDrivenVCG(env, h="pivot"), AdditiveNoise(v, m)
    r = exact_regret(mech, 1, est)
    th1, th2, s1, s2, a, vv, mm, b1, b2 = 1, Fraction(1, 2), Fraction(1, 2), 1, Fraction(3, 2), 2, 4, -1, Fraction(1, 3)
    pt = {theta(1): th1, theta(2): th2, s(1): s1, s(2): s2, alpha: a, v: vv, m: mm, g12: b1, g22: b2,
          sp.Symbol("w1", positive=True): 1, sp.Symbol("w2", positive=True): 2}
    got = float(exact_value(r.epsilon, {k: R(q) for k, q in pt.items()}, env.explicit))
    # by hand: posterior N((s1 + s2)/3, 1/3); E[omega_hat^2 | s] = E[omega^2 | s] + v/m
    mean, var, noise = float(s1 + s2) / 3, 1 / 3, vv / mm
    th1, th2, b1, b2, a = (float(q) for q in (th1, th2, b1, b2, a))
    q = np.array([1 / 3, 2 / 3])
    v1 = np.array([-(th1 ** 2 - 2 * th1 * mean + mean ** 2 + var), b1])
    v2 = np.array([-(th2 ** 2 - 2 * th2 * mean + mean ** 2 + var), b2])
    u2_hat = v2 - np.array([noise, 0.0])                  # E[u_2(t, omega_hat) | s], t = 1 loses v/m
    c = v1 + v2
    xstar = q * np.exp(c / a)
    xstar /= xstar.sum()

    def F(y):  # agent 1's payoff at the distribution y, pivot constant left out
        return v1 @ y + u2_hat @ y - a * np.sum(y * np.log(y / q))

    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    best = max(F(np.array([y, 1 - y])) for y in grid[::1000])
    y0 = grid[::1000][int(np.argmax([F(np.array([y, 1 - y])) for y in grid[::1000]]))]
    fine = np.linspace(max(y0 - 0.01, 1e-9), min(y0 + 0.01, 1 - 1e-9), 20_001)
    best = max(best, max(F(np.array([y, 1 - y])) for y in fine))
    assert abs(got - (best - F(xstar))) < 1e-8
    assert got > 0
    ybest = [float(exact_value(r.allocation[xt], {k: R(q_) for k, q_ in pt.items()}, env.explicit))
             for xt in env.outcome.variables]
    assert abs(F(np.array(ybest)) - best) < 1e-8


def test_exact_regret_refuses_a_reference_with_the_agents_signal():
    q = [1 / (1 + sp.exp(s(1))), sp.exp(s(1)) / (1 + sp.exp(s(1)))]
    env = Environment(GaussianSignals(2), [[theta(i) * omega, 0] for i in (1, 2)],
                      Distributions(2, q, reference_without={1: [R(1, 2), R(1, 2)]}))
    with pytest.raises(ValueError, match="reference"):
        exact_regret(RegularizedDataDrivenVCG(env, h="pivot"), 1, ExPost())


# ---------------------------------------------------------------------------
# inputs refused by name
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(size=0), ValueError, "size"),
    (dict(size=2.0), TypeError, "size"),
    (dict(size=2, reference=[R(1, 2)]), ValueError, "reference"),
    (dict(size=2, reference=[R(1, 2), R(1, 3)]), ValueError, "reference"),
    (dict(size=2, reference=[0.5, 0.5]), TypeError, "reference"),
    (dict(size=2, reference=[R(3, 2), R(-1, 2)]), ValueError, "reference"),
    (dict(size=2, reference="ab"), TypeError, "reference"),
    (dict(size=2, alpha=-1), ValueError, "alpha"),
    (dict(size=2, alpha="1"), TypeError, "alpha"),
    (dict(size=2, reference_without=[1, 2]), TypeError, "reference_without"),
    (dict(size=2, reference_without={1: [R(1, 4), R(1, 4)]}), ValueError, "reference_without"),
])
def test_distributions_rejects_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        Distributions(**kwargs)


def test_environment_and_mechanism_reject_bad_input():
    X = Distributions(2)
    with pytest.raises(ValueError, match=r"the utility of agent 1"):
        Environment(GaussianSignals(2), [[omega], [omega, 0]], X)
    with pytest.raises(ValueError, match=r"the utility of agent 1"):
        Environment(GaussianSignals(2), [X.variables[0] ** 2, X.variables[1]], X)
    with pytest.raises(ValueError, match="reference"):
        Environment(GaussianSignals(2), [[omega, 0]] * 2, Distributions(2, [1 / (1 + theta(1) ** 2),
                                                                             theta(1) ** 2 / (1 + theta(1) ** 2)]))
    env = Environment(GaussianSignals(2), [[theta(i) * omega, 0] for i in (1, 2)], X)
    with pytest.raises(TypeError, match="env"):
        RegularizedDataDrivenVCG(Environment(GaussianSignals(2), [x * omega] * 2, RealLine()))
    with pytest.raises(ValueError, match="alpha"):
        RegularizedDataDrivenVCG(env, alpha=2)
    with pytest.raises(ValueError, match=r"h\[1\]"):
        RegularizedDataDrivenVCG(env, h={1: theta(1)}).transfer(1)
    with pytest.raises(ValueError, match="h"):
        RegularizedDataDrivenVCG(env, h="vcg").transfer(1)
