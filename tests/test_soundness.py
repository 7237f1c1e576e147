"""Soundness probes of the kernel: one group per way a verdict used to go wrong.

Each test names the class it guards and, where it kills a mutation of the
kernel (a failing point ignored, proved whenever simplify returns 0, ...),
says which.
"""
import os
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech import Environment, ExPost, GaussianSignals, DataDrivenVCG, RealLine
from symbolic_mech.core.domains import Domain
from symbolic_mech.core import budget
from symbolic_mech.core.kernel import check_identity, check_sign, exact_value, monte_carlo_agrees, refute_at
from symbolic_mech.incentives import groves_certificate, refutation, search_gain, witness_at
from symbolic_mech.symbols import omega, prime, s, theta, x as xs

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


# -- true identities are never refuted ------------------------------------------------------

HUGE = [
    (10 ** 200 * (sp.sin(x) ** 2 + sp.cos(x) ** 2), 10 ** 200),
    (sp.exp(x ** 2) * (sp.sin(x) ** 2 + sp.cos(x) ** 2), sp.exp(x ** 2)),
    (sp.exp(1000) * (sp.sqrt(2) + sp.sqrt(3)) * x, sp.exp(1000) * sp.sqrt(5 + 2 * sp.sqrt(6)) * x),
    (sp.exp(-1000) * x + 1, 1 + x / sp.exp(1000)),
]


@pytest.mark.parametrize("lhs, rhs", HUGE)
def test_true_identities_of_huge_magnitude_are_not_refuted(lhs, rhs):
    v = check_identity(lhs, rhs, budget=30)
    assert v.status != "refuted", v.evidence.get("witness")


def test_trigonometric_identities_are_proved_by_decision():
    for lhs, rhs in HUGE[:2]:
        v = check_identity(lhs, rhs)
        assert v.status == "proved" and "sin^2 + cos^2" in v.evidence["decision"]


@pytest.mark.slow
def test_tower_of_pythagorean_identities():
    e = x
    for _ in range(6):
        e = sp.sin(e) ** 2 + sp.cos(e) ** 2
    t0 = time.perf_counter()
    v = check_identity(e, 1, budget=20)
    assert v.status != "refuted" and time.perf_counter() - t0 < 30


@pytest.mark.parametrize("lhs, rhs", [(sp.Abs(x) * sp.sign(x), x), (x * sp.sign(x) ** 2, x)])
def test_simplify_alone_never_proves(lhs, rhs):
    # true, exactly zero at every rational point and simplified to 0 by sympy, but decided by no
    # rewrite the kernel trusts: simplify's 0 is only a proposal
    # (kills the mutation "proved whenever simplify returns 0")
    v = check_identity(lhs, rhs, budget=30)
    assert v.evidence["points_checked"] >= 20 and "simplify" in v.evidence
    assert v.status == "inconclusive"


def test_algebraic_constants_are_never_refuted():
    v = check_identity(x * sp.sqrt(5 + 2 * sp.sqrt(6)), x * (sp.sqrt(2) + sp.sqrt(3)), budget=30)
    assert v.status == "inconclusive"


# -- witnesses respect every assumption ---------------------------------------------------

ASSUMPTIONS = [dict(negative=True), dict(nonzero=True, real=True), dict(odd=True), dict(even=True),
               dict(prime=True), dict(composite=True), dict(noninteger=True, real=True),
               dict(nonpositive=True), dict(zero=True), dict(integer=True, nonnegative=True),
               dict(positive=True, integer=True), dict(rational=True)]


@pytest.mark.parametrize("assume", ASSUMPTIONS, ids=lambda a: ",".join(a))
def test_sampled_points_satisfy_the_assumptions(assume):
    sym = sp.Symbol("n", **assume)
    dom = Domain.of(sym)
    import random
    rnd = random.Random(1)
    for _ in range(60):
        q = dom.sample(rnd)
        for key, val in assume.items():
            assert getattr(q, f"is_{key}") is val, (key, q)


def test_extended_signs_bound_the_domain():
    # an extended-positive symbol may be +oo, but every finite point of it is positive
    xp = sp.Symbol("u", extended_positive=True)
    assert Domain.of(xp).lo == 0 and check_sign(xp + 1).status != "refuted"


def test_trigonometric_arguments_inside_other_functions_do_not_crash():
    assert check_identity(sp.exp(sp.sin(x) ** 2), sp.exp(1 - sp.cos(x) ** 2), budget=30).status != "refuted"


def test_negative_symbol_sign_is_not_refuted_at_a_positive_value():
    n = sp.Symbol("n", negative=True)
    assert check_sign(-n).status == "proved"


def test_domain_is_intersected_with_the_assumptions():
    p = sp.Symbol("p", positive=True)
    v = check_sign(p - 1, domain={p: (-1, 1)})
    assert v.status == "refuted" and 0 < v.evidence["witness"]["point"][p] < 1


def test_integer_domains_respect_open_ends():
    k = sp.Symbol("k", integer=True)
    dom = Domain.of(k, (0, 3))
    assert [q for q in range(-1, 5) if dom.contains(q)] == [1, 2]
    assert Domain.of(k, sp.Interval(0, 3)).contains(3)


@pytest.mark.parametrize("sym", [sp.Symbol("z", imaginary=True), sp.Symbol("r", irrational=True),
                                 sp.Symbol("t", transcendental=True), sp.Symbol("w", infinite=True)])
def test_symbols_without_rational_points_are_refused(sym):
    with pytest.raises(ValueError, match=sym.name):
        check_sign(sym ** 2 + 1)


def test_empty_domain_is_an_error_naming_the_symbol():
    q = sp.Symbol("q", negative=True)
    with pytest.raises(ValueError, match="domain of q is empty"):
        check_sign(q, domain={q: (1, 2)})


def test_refuted_witness_always_in_domain():
    odd = sp.Symbol("m", odd=True, positive=True)
    v = check_sign(odd - 7, domain={odd: sp.Interval(1, 9)})
    assert v.status == "refuted"
    w = v.evidence["witness"]["point"][odd]
    assert w % 2 == 1 and 1 <= w <= 7


# -- false claims are never proved ----------------------------------------------------------

def test_empty_point_list_is_an_error():
    with pytest.raises(ValueError, match="at must list"):
        check_sign(-x ** 2 - 1, at=[])


@pytest.mark.parametrize("bad", [0, 1, -3, 19])
def test_too_few_points_refused(bad):
    with pytest.raises(ValueError, match="points"):
        check_identity(x, x, points=bad)


@pytest.mark.parametrize("bad", [True, 20.0, "20"])
def test_points_must_be_an_int(bad):
    with pytest.raises(TypeError, match="points"):
        check_identity(x, x, points=bad)


def test_declared_sign_of_an_atom_never_replaces_its_definition():
    F = sp.Function("F", positive=True)
    v = check_sign(F(x), definitions=lambda e: e.replace(F, lambda t: -t ** 2 - 1))
    assert v.status == "refuted"


def test_floats_in_a_claim_are_refused():
    with pytest.raises(TypeError, match="float"):
        check_identity(sp.Float(0.1), sp.Rational(1, 10))


def test_constant_residual_is_one_decision():
    v = check_identity(sp.Integer(6), 2 * 3)
    assert v.status == "proved" and v.evidence["points_checked"] == 0
    assert "constant" in v.evidence["decision"]
    assert check_identity(sp.pi, sp.Rational(22, 7)).status == "refuted"


def test_at_points_claim_says_so():
    v = check_sign(x + 1, at=[{x: 1}, {x: 2}])
    assert v.status == "proved" and "at the 2 points given" in v.claim


def test_positive_rejects_zero():
    # kills the mutation "positive accepted at a value >= 0"
    assert check_sign(x ** 2, "positive", at=[{x: 0}]).status == "refuted"
    assert check_sign(x ** 2, "nonnegative", at=[{x: 0}]).status == "proved"


# -- strings are never executed ----------------------------------------------------------

PAYLOAD = "__import__('pathlib').Path('PWNED_BY_TEST').touch()"


def _entry_points():
    env = Environment(GaussianSignals(2), [-(xs - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
    mech = DataDrivenVCG(env, h="pivot")
    return [
        lambda: check_identity(PAYLOAD, 0),
        lambda: check_identity(y, 0, at=[{y: PAYLOAD}]),
        lambda: check_sign(y, at=[{y: PAYLOAD}]),
        lambda: check_sign(y, domain={y: (PAYLOAD, 1)}),
        lambda: check_identity(y, y, seed=PAYLOAD),
        lambda: exact_value(y, {y: PAYLOAD}),
        lambda: witness_at(mech, 1, ExPost(), {theta(1): PAYLOAD}, {}),
        lambda: witness_at(mech, 1, ExPost(), {theta(1): 1}, {prime(theta(1)): PAYLOAD}),
        lambda: search_gain(mech, 1, ExPost(), truth={theta(1): PAYLOAD}),
        lambda: refute_at(y, {y: PAYLOAD}),
        lambda: groves_certificate(mech, 1, ExPost(), domain={theta(1): (PAYLOAD, 1)}),
        lambda: Domain.of(y, (0, PAYLOAD)),
        lambda: check_identity(y, y, budget=PAYLOAD),
    ]


@pytest.mark.parametrize("k", range(13))
def test_payload_strings_are_refused_and_never_run(k, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError):
        _entry_points()[k]()
    assert not os.path.exists(tmp_path / "PWNED_BY_TEST")


# -- every decision is time-bounded -------------------------------------------------------

@pytest.mark.slow           # waits out its 5 s budget; test_slow_decision_ends_with_time_limit pins the budget too
def test_huge_exponent_returns_within_budget():
    t0 = time.perf_counter()
    v = check_identity(x ** (10 ** 7), 0, budget=5)
    assert time.perf_counter() - t0 < 15
    assert v.status in ("refuted", "inconclusive")
    if v.status == "refuted":
        assert "ball" in v.evidence["witness"]["how"]


def _slow_claim():
    # true, and expensive to decide: the expansion of a 400th power
    return (x + y + 1) ** 400, sp.expand((x + y + 1) ** 3) * (x + y + 1) ** 397


def test_slow_decision_ends_with_time_limit():
    t0 = time.perf_counter()
    v = check_identity(*_slow_claim(), budget=2)
    assert time.perf_counter() - t0 < 8
    assert v.status != "refuted"


def test_default_budget_is_settable_and_validated():
    old = budget.default()
    try:
        budget.set_default(2)
        t0 = time.perf_counter()
        v = check_identity(*_slow_claim())
        assert time.perf_counter() - t0 < 8 and v.status != "refuted"
    finally:
        budget.set_default(old)
    with pytest.raises(ValueError):
        budget.set_default(0)
    with pytest.raises(TypeError):
        budget.set_default(True)


def test_absurd_point_count_refused():
    with pytest.raises(ValueError, match="points"):
        check_identity(x, x, points=10 ** 7)


# -- Monte Carlo that can fail -----------------------------------------------------------

def test_huge_variance_is_uninformative():
    v = check_identity(x, x, variables=(x,),
                       monte_carlo=lambda pt, rng: float(pt[x]) + rng.uniform(-1e6, 1e6, 10_000))
    assert v.status == "inconclusive" and "informative at 0 points" in v.evidence["reason"]
    assert "standard error" in v.evidence["reason"]


def test_ten_standard_errors_off_disagrees():
    # kills the mutation "tolerance of 500 standard errors"
    def sampler(pt, rng):
        return float(pt[x]) + 1 + rng.normal(0, 1, 40_000) + 10 / np.sqrt(40_000)
    v = check_identity(x + 1, x + 1, variables=(x,), monte_carlo=sampler)
    assert v.status == "inconclusive" and "disagrees" in v.evidence["reason"]


@pytest.mark.parametrize("bad", [lambda n, rng: rng.normal(0, 1, n) + 1j, lambda n, rng: np.full(n, np.nan),
                                 lambda n, rng: np.full(n, 3.0)])
def test_broken_or_degenerate_samplers_are_not_evidence(bad):
    v = check_identity(x, x, variables=(x,), monte_carlo=lambda pt, rng: bad(40_000, rng))
    assert v.status == "inconclusive"


def test_monte_carlo_runs_at_three_points():
    v = check_identity(x, x, variables=(x,), monte_carlo=lambda pt, rng: float(pt[x]) + rng.normal(0, 1e-3, 20_000))
    assert v.status == "proved" and len(v.evidence["monte_carlo"]) == 3
    assert len({tuple(mc["point"].items()) for mc in v.evidence["monte_carlo"]}) == 3


def test_sampler_failing_everywhere_does_not_crash():
    def sampler(pt, rng):
        raise ZeroDivisionError("undefined here")
    v = check_identity(x, x, variables=(x,), monte_carlo=sampler)
    assert v.status == "inconclusive"


def test_monte_carlo_rule_figures():
    rng = np.random.default_rng(0)
    mc = monte_carlo_agrees(rng.normal(2, 1, 40_000), 2)
    assert mc["informative"] and mc["agrees"] and mc["se"] <= 0.01 * mc["scale"]


# -- searches propose, the kernel decides -----------------------------------------------------

def _mech():
    env = Environment(GaussianSignals(2), [-(xs - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
    return DataDrivenVCG(env, h="pivot")


def test_float_noisy_zero_gain_is_no_witness():
    # exactly 0, but of order 1 in floats (cancellation of 1e16): kills "a float-noisy zero gain
    # accepted as a witness"
    th = prime(theta(1))
    G = (th + 10 ** 8) ** 2 - th ** 2 - 2 * 10 ** 8 * th - 10 ** 16
    assert sp.expand(G) == 0 and max(abs(float(sp.lambdify(th, G)(t))) for t in (0.3, 1.7, 2.9)) > 1e-9
    found = search_gain(_mech(), 1, None, truth={theta(1): 1, s(1): 0, theta(2): 0, s(2): 0}, G=G)
    assert found.witness is None


def test_fractional_best_report_is_found_exactly():
    # the gain is positive only within 1/10 of theta1' = 1/2: kills "witness reports rounded to integers"
    th, sp1 = prime(theta(1)), prime(s(1))
    G = sp.Rational(1, 100) - (th - sp.Rational(1, 2)) ** 2 - (sp1 - s(1)) ** 2
    found = search_gain(_mech(), 1, None, truth={theta(1): 0, s(1): 0, theta(2): 0, s(2): 0}, G=G)
    assert found.witness is not None and found.witness["sign"] == 1
    assert not found.witness["report"][th].is_integer


def test_refutation_redecides_the_gain():
    info = GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1)
    mech = DataDrivenVCG(Environment(info, [-(xs - theta(i) - omega) ** 2 for i in (1, 2)], RealLine()), h="pivot")
    fake = {"truth": {theta(1): 1, s(1): 0, theta(2): 0, s(2): 0}, "report": {prime(theta(1)): 2, prime(s(1)): 0},
            "gain": sp.Integer(5), "sign": 1}
    # data-driven VCG with the ex-post estimator: no report gains, whatever the witness says
    assert refutation("fake", "truth optimal", fake, mech, ExPost()).status == "inconclusive"


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ASSUMPTIONS), st.integers(0, 10 ** 6))
def test_domain_members_by_construction(assume, seed):
    import random
    sym = sp.Symbol("n", **assume)
    dom = Domain.of(sym)
    q = dom.sample(random.Random(seed))
    assert dom.contains(q)


# -- findings of an adversarial review -------------------------------------------------------

def test_checker_refuses_a_sign_form_undefined_where_the_claim_fails():
    import copy
    from symbolic_mech.core import checker
    cert = copy.deepcopy(check_sign(x ** 2 + 1).certificate)
    cert["statement"]["lhs"] = ["Add", ["Symbol", "x"], ["Integer", "-1"]]          # "x - 1 > 0": false
    cert["points"] = [{"x": str(k)} for k in range(2, 22)]
    cert["symbolic"] = {"form": ["Piecewise", [["Integer", "1"], ["false"]]]}
    assert not checker.recheck(cert).confirmed


def test_a_disagreeing_sampler_blocks_a_constant_residual():
    mu = sp.Symbol("mu", real=True)
    bad = lambda pt, rng: rng.normal(float(pt[mu]) + 100, 1, 40_000)  # noqa: E731
    assert check_identity(mu + 1, 1 + mu, monte_carlo=bad).status == "inconclusive"
    assert check_identity(mu + 1, 1 + mu, monte_carlo=bad, variables=(mu,)).status == "inconclusive"
    good = lambda pt, rng: rng.normal(float(pt[mu]) + 1, 1e-3, 40_000)  # noqa: E731
    v = check_identity(mu + 1, 1 + mu, monte_carlo=good, variables=(mu,))
    assert v.status == "proved" and len(v.certificate["monte_carlo"]) == 3


def test_checker_requires_the_monte_carlo_a_proof_used():
    import copy
    from symbolic_mech.core import checker
    mu = sp.Symbol("mu", real=True)
    v = check_identity(mu ** 2, mu * mu + 0 * mu, variables=(mu,),
                       monte_carlo=lambda pt, rng: float(pt[mu]) ** 2 + rng.normal(0, 1e-3, 40_000))
    cert = copy.deepcopy(v.certificate)
    assert checker.recheck(cert).confirmed
    cert["monte_carlo"] = []
    assert not checker.recheck(cert).confirmed


@pytest.mark.parametrize("sym, expr, sign", [(sp.Symbol("z", zero=False), lambda t: sp.Abs(t), "positive")])
def test_zero_false_excludes_zero(sym, expr, sign):
    assert not Domain.of(sym).contains(0)
    assert check_sign(expr(sym), sign, points=100).status != "refuted"


def test_antihermitian_symbols_are_refused():
    with pytest.raises(ValueError, match="antihermitian"):
        check_sign(-sp.Symbol("y", antihermitian=True) ** 2, "nonnegative")


def test_checker_scope_edits_are_rejected():
    import copy
    from symbolic_mech.core import checker
    v = check_sign(x - 1)
    cert = copy.deepcopy(v.certificate)
    cert.update(status="proved", witness=None, points=[{"x": "5"}])
    cert["statement"].update(quantifier="points", points=[{"x": "5"}])
    assert not checker.recheck(cert).confirmed        # the claim does not say "at the points given"
    p = copy.deepcopy(check_sign(x ** 2 + 1).certificate)
    p["statement"]["domains"]["w"] = p["statement"]["domains"]["x"]
    p["points"] = [{"x": "1", "w": str(k)} for k in range(20)]   # one x, padded with an unused w
    assert not checker.recheck(p).confirmed


@pytest.mark.parametrize("expr, sign", [(sp.log(1 + sp.Symbol("p", positive=True)), "positive"),
                                        (sp.Symbol("k", integer=True, positive=True) - 1, "nonnegative"),
                                        (x ** 2 + 1, "positive")])
def test_the_kernel_claims_only_what_the_checker_confirms(expr, sign):
    from symbolic_mech.core import checker
    v = check_sign(expr, sign)
    assert v.status == "inconclusive" or checker.recheck(v.certificate).confirmed


def test_claims_with_huge_integers_print():
    v = check_identity(x + 10 ** 5000, x + 10 ** 5000 + 1)
    assert v.status == "refuted" and "too large to print" in v.claim


# ---------------------------------------------------------------------------
# review findings on limits, eventual signs, supports and exponential stand-ins
# ---------------------------------------------------------------------------

def test_limits_by_continuity_refuse_discontinuous_functions():
    from symbolic_mech.asymptotics import vanishes
    a, n = sp.Symbol("a", real=True), sp.Symbol("n", positive=True)
    b = sp.Symbol("b", nonnegative=True)
    for e in (sp.ceiling(1 / n) / (1 + a ** 2), sp.Piecewise((1, 1 / n > b), (0, True)) * sp.log(2),
              sp.floor(-1 / n) * sp.exp(1 / n)):
        with pytest.raises(ValueError, match="continuity"):
            vanishes(e, n, id="c")


def test_a_failed_sufficient_condition_leaves_the_limit_undecided():
    from symbolic_mech.asymptotics import vanishes
    from symbolic_mech.symbols import m
    a = sp.Symbol("a", real=True)
    statuses = [v.status for v in vanishes(1 / ((a - sp.Rational(1, 2)) * m + 1), m, id="r")]
    assert "refuted" not in statuses and "inconclusive" in statuses


def test_eventually_is_inconclusive_when_no_m0_is_found_and_shows_m0():
    from symbolic_mech.asymptotics import eventually
    from symbolic_mech.symbols import m
    assert eventually((m - 70) * (m - 120), m, id="ev", largest=64).status == "inconclusive"
    v = eventually((m - 70) * (m - 120), m, id="ev")
    assert v.status == "proved" and v.evidence["m0"] == 128 and r"m \geq 128" in v.claim


def test_an_estimators_support_never_widens_the_structures():
    from symbolic_mech import AdditiveNoise, KnownRates
    from symbolic_mech.checks import sign
    from symbolic_mech.symbols import m
    info = KnownRates(1)
    mu1 = info.prior_mean[0]
    v = sign(info, 1 - mu1, "nonnegative", estimator=AdditiveNoise(variance=mu1, m=m), id="b")
    assert v.status != "refuted"


def test_exponential_stand_ins_of_alike_printing_atoms_differ():
    from symbolic_mech.paper.section5 import opaque_exponentials
    x, xp = sp.Symbol("x", real=True), sp.Symbol("x", positive=True)
    lhs, rhs = opaque_exponentials(sp.exp(x), sp.exp(xp))
    assert lhs != rhs


def test_proposed_points_must_be_exact():
    from symbolic_mech.core.domains import domains_for
    from symbolic_mech.core.kernel import _candidates
    x = sp.Symbol("x", real=True)

    class Proposals:
        def points(self, doms, rnd):
            yield {x: -sp.sqrt(2)}
            yield {x: sp.Float(0.5)}
            yield {x: sp.Rational(1, 3)}
    assert next(iter(_candidates(Proposals(), domains_for([x]), 0, 1))) == {x: sp.Rational(1, 3)}


# ---------------------------------------------------------------------------
# branch regions: a factor is divided out only if its sign is proved from domains and formulas
# ---------------------------------------------------------------------------

def test_regions_read_a_defined_symbol_by_its_formula_not_its_declaration():
    from symbolic_mech.core.domains import Domain
    from symbolic_mech.core.kernel import decide_zero, exact_value
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    V = sp.Symbol("V", positive=True)            # declared positive, defined as x, which can be 0
    doms = {x: Domain.of(x, sp.Interval(0, 1)), y: Domain.of(y, (-1, 1))}

    def defs(e):
        return x if e == V else e
    residual = sp.Piecewise((1, V * y > 0), (0, True)) - sp.Piecewise((1, y > 0), (0, True))
    assert exact_value(residual, {x: sp.Integer(0), y: sp.Rational(1, 2)}, defs) == -1
    assert decide_zero(residual, doms, defs) is None


def test_regions_do_not_trust_an_atom_declared_real():
    from symbolic_mech.core.domains import Domain
    from symbolic_mech.core.kernel import decide_zero, exact_value
    x, y = sp.Symbol("x", integer=True), sp.Symbol("y", real=True)
    E = sp.Function("E", real=True)(x)            # its formula sqrt(x - 2) is not real at x = 0
    doms = {x: Domain.of(x, sp.Range(0, 1001)), y: Domain.of(y, (-1, 1))}

    def defs(e):
        return sp.sqrt(e.args[0] - 2) if e.func == E.func else e
    residual = sp.Piecewise((1, y / (E ** 2 + 1) > 0), (0, True)) - sp.Piecewise((1, y > 0), (0, True))
    assert exact_value(residual, {x: sp.Integer(0), y: sp.Rational(1, 2)}, defs) == -1
    assert decide_zero(residual, doms, defs) is None


def test_a_replay_inside_a_kernel_budget_leaves_that_budget_armed():
    import time
    from symbolic_mech import check_identity
    from symbolic_mech.core import budget, checker
    x = sp.Symbol("x")
    cert = check_identity((x + 1) ** 2, x ** 2 + 2 * x + 1).certificate
    start = time.monotonic()
    with pytest.raises(budget.TimeLimit):
        with budget.time_limit(1):
            assert checker.recheck(cert).confirmed
            while time.monotonic() - start < 30:
                sum(range(1000))
    assert time.monotonic() - start < 10
