"""Forged certificates of false expectations: a right-hand side that agrees with the stated expectation only
at the points the prover chose.  The checker computes the expectation exactly at points of its own (drawn
from a hash of the statement) and, where the law is a point mass, at the branch the point decides; without
either rule these certificates were accepted."""
from fractions import Fraction

import numpy as np
import pytest

from symbolic_mech.core import checker, simulate

REAL = {"integer": False, "lo": None, "hi": None, "lo_open": True, "hi_open": True, "exclude_zero": False,
        "parity": None, "primality": None, "noninteger": False, "bounds": []}
PROOF = [Fraction(k - 7) for k in range(21)]


def S(name):
    return ["Symbol", name]


def Q(q):
    q = Fraction(q)
    return ["Integer", str(q.numerator)] if q.denominator == 1 else ["Rational", str(q.numerator), str(q.denominator)]


def vanishing_at(variable, points):
    """prod_p (variable - p): zero at every point the prover chose, nowhere else."""
    return ["Mul", *[["Add", S(variable), Q(-p)] for p in points]]


def certificate(model, integrand, rhs, mc, claim):
    record = {"state": "posterior", "given": [1], "redrawn": [], "uniform": [], "estimator": None,
              "integrand": integrand}
    stmt = {"format": "symbolic_mech-statement/1", "relation": "identity", "lhs": rhs, "rhs": rhs,
            "quantifier": "all", "points": None, "domains": {"s1": REAL}, "model": model, "definitions": [],
            "expectation": record, "claim": claim}
    return {"format": "symbolic_mech-certificate/1", "id": "forged", "claim": claim, "kind": "identity",
            "status": "proved", "statement": stmt, "points": [{"s1": str(p)} for p in PROOF],
            "symbolic": {"form": None}, "witness": None, "monte_carlo": mc, "decisions": {"constant": False}}


WALLET = {"structure": "wallet", "n": 1, "signal_mean": [Q(0)], "signal_var": [Q(1)]}


def point_mass_entries(points):
    return [{"point": {"s1": str(p)}, "estimate": float(p), "se": 0.0, "exact": S("s1"), "mean_abs": abs(float(p)),
             "samples": 20000, "ess": 20000.0, "seed": k, "agrees": True, "informative": True, "point_mass": True}
            for k, p in enumerate(points)]


def test_a_piecewise_integrand_under_a_point_mass_is_decided_at_the_point():
    # omega = s1 given s1, so E[omega 1{omega < 10} | s1] = 0 for s1 >= 10, not s1 (the proof's points reach 13)
    integrand = ["Piecewise", [S("omega"), ["Lt", S("omega"), Q(10)]], [Q(0), ["true"]]]
    cert = certificate(WALLET, integrand, S("s1"), point_mass_entries([2, 3, 4]),
                       "E[omega 1{omega < 10} | s1] = s1 for every s1")
    report = checker.recheck(cert)
    assert not report.confirmed
    assert any("points[17]" in p and "not the right-hand side 10" in p for p in report.problems)


def test_an_integrand_vanishing_at_the_provers_points_is_caught_at_the_checkers():
    mc = [Fraction(20), Fraction(21), Fraction(22)]
    integrand = ["Add", S("omega"), vanishing_at("omega", PROOF + mc)]
    cert = certificate(WALLET, integrand, S("s1"), point_mass_entries(mc),
                       "E[omega + prod (omega - p) | s1] = s1 for every s1")
    report = checker.recheck(cert)
    assert not report.confirmed
    assert report.problems and all("the checker's point" in p for p in report.problems)


def test_a_gaussian_right_hand_side_with_roots_at_the_provers_points_is_caught():
    # E[omega | s1] = s1/2 (prior N(0, 1), unit noise); the stated s1/2 + prod_p (s1 - p) differs off the points
    model = {"structure": "gaussian", "n": 1, "prior_mean": Q(0), "prior_var": Q(1), "noise_var": [Q(1)]}
    mc_points = [Fraction(1, 2), Fraction(1), Fraction(3, 2)]
    rhs = ["Add", ["Mul", Q(Fraction(1, 2)), S("s1")], vanishing_at("s1", PROOF + mc_points)]
    record = {"state": "posterior", "given": [1], "redrawn": [], "uniform": [], "estimator": None,
              "integrand": S("omega")}
    sim = simulate.Simulation(model, [], record)
    mc = []
    for k, s1 in enumerate(mc_points):
        draws, w = sim.sample({"s1": s1}, np.random.default_rng(k), 100_000)
        total = float(w.sum())
        est = float((w * draws).sum()) / total
        se = float(np.sqrt((w ** 2 * (draws - est) ** 2).sum())) / total
        mean_abs = float((w * np.abs(draws)).sum()) / total
        ess = total ** 2 / float((w ** 2).sum())
        mc.append({"point": {"s1": str(s1)}, "estimate": est, "se": se, "exact": rhs, "mean_abs": mean_abs,
                   "samples": 100_000, "ess": ess, "seed": k, "agrees": abs(est - float(s1) / 2) <= 5 * se,
                   "informative": True})
    cert = certificate(model, S("omega"), rhs, mc, "E[omega | s1] = s1/2 + prod (s1 - p) for every s1")
    report = checker.recheck(cert)
    assert not report.confirmed
    assert any("the checker's point" in p for p in report.problems)


@pytest.mark.parametrize("rid", ["corollary1", "theorem2"])
def test_the_checkers_points_lie_in_the_domains_and_genuine_certificates_pass(rid):
    from symbolic_mech.registry import derive
    for v, _, _ in derive(rid).checks:
        if v.certificate and v.certificate.get("monte_carlo") and v.status == "proved":
            report = checker.recheck(v.certificate)
            assert report.confirmed, (v.id, report.problems)


def test_the_ex_post_rule_never_captures_omega_under_a_binder():
    # B is canonically the proof's remainder X, so E_estimate[B] "occurs"; B[omega_hat := omega] would put the
    # outer omega under E_signal's bound omega and change the remainder to X + E_signal[omega^2] - omega E_signal[omega]
    import copy

    from symbolic_mech.core import schematic_checker as sc
    from symbolic_mech.core.schematic_checker import OMEGA, OMEGA_HAT, E, add, mul, num
    from symbolic_mech.registry import derive
    cert = copy.deepcopy(derive("proposition1-general").checks[0][0].certificate)
    X = sc.tree(sc.canon(cert["remainder"]))
    B = add(X, E("signal", mul(OMEGA_HAT, OMEGA)), mul(num(-1), OMEGA_HAT, E("signal", OMEGA)))
    cert["steps"].append({"rule": "ex-post", "subst": {"B": B}, "side": "payoff"})
    report = checker.recheck(cert)
    assert not report.confirmed and any("captured" in p for p in report.problems), report.problems


def _square_certificate():
    import sympy as sp
    from symbolic_mech import check_identity
    x = sp.Symbol("x")
    return check_identity((x + 1) ** 2, x ** 2 + 2 * x + 1).certificate


def test_an_object_that_reads_other_than_it_serializes_is_rejected():
    """A list subclass whose items read as ["Integer", "1"] but serialize as ["Integer", "2"]: the
    statement it carries is (x + 2)^2 = x^2 + 2x + 1, false; it was accepted in memory and rejected
    from its JSON.  The checker now reads JSON's own types only."""
    import copy
    import json

    class Liar(list):
        def __getitem__(self, i):
            return ["Integer", "1"][i]

    cert = copy.deepcopy(_square_certificate())
    cert["statement"]["lhs"][1][1] = Liar(["Integer", "2"])
    assert '["Integer", "2"], ["Symbol", "x"]' in json.dumps(cert)
    assert not checker.recheck(json.loads(json.dumps(cert))).confirmed
    report = checker.recheck(cert)
    assert not report.confirmed and "not a JSON value" in report.problems[0]
    assert not checker.replay(cert).confirmed


def test_a_shared_list_changed_after_its_first_reading_is_rejected():
    """A list shared by both sides, read once and remembered: a string subclass hashed while the
    left side is read changes it from 1 to 2, so the statement now says (x + 2)^2 = x^2 + 2x + 2,
    false, while the checker had read the true one at both places."""
    import copy
    import json

    shared = ["Integer", "1"]

    class Trigger(str):
        fired = False

        def __hash__(self):
            if not Trigger.fired:
                Trigger.fired = True
                shared[1] = "2"
            return str.__hash__(self)

    cert = copy.deepcopy(_square_certificate())
    stmt = cert["statement"]
    stmt["lhs"] = ["Pow", ["Add", shared, ["Symbol", Trigger("x")]], ["Integer", "2"]]
    stmt["rhs"] = ["Add", shared, ["Pow", ["Symbol", "x"], ["Integer", "2"]], ["Mul", ["Integer", "2"], ["Symbol", "x"]]]
    report = checker.recheck(cert)
    assert not report.confirmed and "not a JSON value" in report.problems[0]
    shared[1] = "2"
    assert not checker.recheck(json.loads(json.dumps(cert))).confirmed
    plain = json.loads(json.dumps(_square_certificate()))
    assert checker.recheck(plain).confirmed
