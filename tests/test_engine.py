"""Environments, mechanisms and incentive analysis on small instances, with negative controls."""
import re

import pytest
import sympy as sp

from symbolic_mech import (AdditiveNoise, CustomTransfers, DataDrivenVCG, Environment, ExPost,
                           GaussianSignals, RealLine, SingleSlot, exact_regret, groves_certificate)
from symbolic_mech.incentives import affine_condition, search_gain
from symbolic_mech.paper.instances import jensen, quadratic_loss
from symbolic_mech.symbols import omega, s, theta, v, x


def test_efficient_allocation_example1():
    env = quadratic_loss(2)
    xs = env.efficient_allocation()[x]
    assert sp.cancel(env.info.explicit(xs) - (theta(1) + theta(2)) / 2 - env.info.posterior_mean()) == 0


def test_groves_certificate_and_mutations():
    env = quadratic_loss(2)
    mech = DataDrivenVCG(env, h="pivot")
    assert groves_certificate(mech, 2, ExPost()).status == "proved"
    wrong_sign = CustomTransfers(env, {1: mech.transfer(1) - 2 * mech.externality(1, mech.allocation())})
    reads_signal = CustomTransfers(env, {1: mech.transfer(1) + s(1)})
    for bad in (wrong_sign, reads_signal):
        verdict = groves_certificate(bad, 1, ExPost())
        assert verdict.status == "refuted"
        assert verdict.evidence["witness"]["gain"] > 0


def test_groves_on_the_real_line_keeps_x_star_an_atom_and_refutes_the_same():
    # x* stays an atom while deriving; a transfer typed out in full (x* written in it) is decided
    # once the atoms are replaced by their definitions, and a broken one is still refuted
    env = quadratic_loss(2)
    mech = DataDrivenVCG(env, h="pivot")
    atoms = env.with_atoms()
    assert atoms.with_atoms() is atoms and env.with_atoms() is atoms
    assert mech.on(atoms).allocation()[x].func.__name__ == "x_star[1,2]"
    assert "x_star" not in str(mech.allocation()[x])     # the mechanism's own economy is untouched
    typed = CustomTransfers(env, {1: mech.transfer(1)})
    verdict = groves_certificate(typed, 1, ExPost())
    assert verdict.status == "proved" and "definitions" in verdict.evidence["decision"]
    broken = CustomTransfers(env, {1: mech.transfer(1) + theta(1) ** 2})
    assert groves_certificate(broken, 1, ExPost()).status == "refuted"
    # an economy built with the atoms from the start is certified the same way
    own = Environment(env.info, env.utilities, RealLine(atomic=True))
    verdict = groves_certificate(DataDrivenVCG(own, h="pivot"), 1, ExPost())
    assert verdict.status == "proved"
    defined = {e["atom"][1]: str(e["formula"]) for e in verdict.certificate["statement"]["definitions"]}
    assert "E[omega|1,2]" in defined["x_star[1,2]"]     # as the statement defines it, one level down


def test_flipping_h_sign_keeps_groves():
    # h_i depends only on the others' reports, so its sign cannot matter
    env = quadratic_loss(2)
    mech = DataDrivenVCG(env, h="pivot")
    flipped = CustomTransfers(env, {1: mech.transfer(1) - 2 * mech._pivot(1)})
    assert groves_certificate(flipped, 1, ExPost()).status == "proved"


def test_jensen_regret_positive_and_search_agrees():
    env = jensen(2)
    mech = DataDrivenVCG(env, h="pivot")
    r = exact_regret(mech, 1, AdditiveNoise(v))
    info = env.info
    point = {theta(1): 1, theta(2): 2, s(1): sp.Rational(1, 2), s(2): 1, v: 1}
    point.update({p: 1 for p in info.parameters})
    eps = info.explicit(r.epsilon).xreplace(point)
    assert eps > 0
    found = search_gain(mech, 1, AdditiveNoise(v), truth=point, seed=3)
    assert found.witness is not None
    assert found.witness["gain"] <= eps  # the numeric optimum cannot beat the exact supremum
    assert float(found.witness["gain"]) > 0.9 * float(eps)


def test_affine_condition():
    assert affine_condition(quadratic_loss(2)) == "affine differences"
    assert affine_condition(jensen(2)) is None


def test_single_slot_ties_to_lowest_agent():
    a1, a2 = sp.symbols("a1 a2", positive=True)
    X = SingleSlot(2)
    alloc = X.maximize(a1 * X.variables[0] + a2 * X.variables[1])
    assert alloc[X.variables[0]].xreplace({a1: 1, a2: 1}) == 1
    assert alloc[X.variables[1]].xreplace({a1: 1, a2: 1}) == 0


@pytest.mark.parametrize("bad, err, name", [
    (lambda: Environment(GaussianSignals(2), [-(x - omega) ** 2], RealLine()), ValueError, "utilities"),
    (lambda: Environment(GaussianSignals(1), ["x**2"], RealLine()), TypeError, "the utility of agent 1"),
    (lambda: Environment(GaussianSignals(1), [-(x - sp.Symbol("zeta")) ** 2], RealLine()), ValueError,
     "the utility of agent 1"),
    (lambda: Environment(GaussianSignals(1), [x * omega], RealLine()).efficient_allocation(), ValueError,
     "objective"),
    (lambda: DataDrivenVCG(quadratic_loss(2), h={1: s(1)}).transfer(1), ValueError, "h[1]"),
    (lambda: DataDrivenVCG(quadratic_loss(2)).transfer(3), ValueError, "i"),
    (lambda: SingleSlot(0), ValueError, "n"),
    (lambda: RealLine(atomic=1), TypeError, "atomic"),
    (lambda: DataDrivenVCG(quadratic_loss(2)).on("env"), TypeError, "env"),
    (lambda: DataDrivenVCG(quadratic_loss(2)).on(quadratic_loss(3)), ValueError, "env"),
])
def test_bad_input_names_the_parameter(bad, err, name):
    # the message opens with the parameter's name, not merely mentions a letter
    with pytest.raises(err, match=rf"^{re.escape(name)}(?!\w)"):
        bad()


def test_private_values_public_good_on_an_interval_needs_no_simulation():
    """u_i = theta_i x - x^2/2 on [0, 1]: no payoff involves the state, so no expectation is taken."""
    from symbolic_mech import Interval, MessageDrivenVCG
    env = Environment(GaussianSignals(3), [theta(i) * x - x ** 2 / 2 for i in (1, 2, 3)], Interval(0, 1))
    v = groves_certificate(MessageDrivenVCG(env, h="pivot"), 1)
    assert v.status == "proved" and "no expectation" in v.evidence["monte_carlo_note"]
    assert not v.certificate["monte_carlo"]
    bad = CustomTransfers(env, {1: MessageDrivenVCG(env, h="pivot").transfer(1) + theta(1) / 2})
    assert groves_certificate(bad, 1).status == "refuted"


def test_groves_certificate_searches_where_it_is_told():
    """Three bidders with individual rates known to their owners: from the truth theta = (3, 2, 1),
    s = (1/4, 1/2, 1/5) the per-click pivot has a misreport with exact gain 1/4."""
    from symbolic_mech import KnownRates, PerClickPivot, SampleClickRate
    from symbolic_mech.symbols import m
    info, X = KnownRates(3), SingleSlot(3)
    env = Environment(info, [theta(i) * X.variables[i - 1] * info.rate(i) for i in (1, 2, 3)], X)
    truth = {theta(1): 3, theta(2): 2, theta(3): 1, s(1): sp.Rational(1, 4), s(2): sp.Rational(1, 2),
             s(3): sp.Rational(1, 5)}
    v = groves_certificate(PerClickPivot(env), 1, SampleClickRate(m), search={"truth": truth})
    assert v.status == "refuted" and v.evidence["witness"]["gain"] == sp.Rational(1, 4)
    assert all(0 <= q <= 1 for k, q in v.evidence["witness"]["report"].items() if k.name.startswith("s"))
    with pytest.raises(ValueError, match="search options"):
        groves_certificate(PerClickPivot(env), 1, SampleClickRate(m), search={"where": truth})
    with pytest.raises(TypeError, match="search must be"):
        groves_certificate(PerClickPivot(env), 1, SampleClickRate(m), search="yes")


@pytest.mark.slow
@pytest.mark.parametrize("hi", [sp.Rational(1, 2), sp.Rational(1, 10), sp.Integer(3)])
def test_exact_regret_on_an_interval_against_a_grid_of_reports(hi):
    """The clipped optimum: eps is attained by the report and no report on a grid does better."""
    from symbolic_mech import Interval
    from symbolic_mech.core.kernel import exact_value
    from symbolic_mech.incentives import gain
    info = GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1)
    env = Environment(info, [-(theta(i) - omega * x) ** 2 for i in (1, 2)], Interval(0, hi))
    mech = DataDrivenVCG(env, h="pivot")
    r = exact_regret(mech, 1, AdditiveNoise(v))
    pt = {theta(1): sp.Rational(3, 2), theta(2): sp.Rational(1, 3), s(1): 1, s(2): 2, v: 1}
    G = gain(mech, 1, AdditiveNoise(v))
    eps = exact_value(r.epsilon, pt, info.explicit)
    report = {k: exact_value(q, pt, info.explicit) for k, q in r.report.items()}
    assert exact_value(G.xreplace(report), pt, info.explicit) == eps
    th1p, s1p = sp.Symbol("theta1'", real=True), sp.Symbol("s1'", real=True)
    grid = [exact_value(G.xreplace({th1p: sp.Rational(k, 8), s1p: s(1)}), pt, info.explicit) for k in range(-40, 41)]
    assert max(grid) <= eps
