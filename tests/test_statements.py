"""Certificates prove their statements: forgeries of every kind are rejected.

Each test takes a genuine certificate of the package (or a saved run) and changes one thing a
forger would; the checker (rules S1-S6 of symbolic_mech.core.checker) or the envelope (rules
E1-E6 of symbolic_mech.core.envelope) must reject it, naming the check.
"""
import copy
import json

import pytest
import sympy as sp

from symbolic_mech import CustomTransfers, DataDrivenVCG, ExPost, derive, groves_certificate
from symbolic_mech.cli import main
from symbolic_mech.core import checker, envelope
from symbolic_mech.core.kernel import check_identity, check_sign
from symbolic_mech.core.trees import to_tree
from symbolic_mech.paper.instances import quadratic_loss
from symbolic_mech.registry import load_statements, statements
from symbolic_mech.presentation.report import json_report


@pytest.fixture(scope="module")
def prop2():
    return derive("proposition2")


def _cert(d, cid):
    return copy.deepcopy(next(v.certificate for v, _, _ in d.checks if v.id == cid))


def _rejected(cert, *words):
    report = checker.recheck(cert)
    assert not report.confirmed, report
    text = " ".join(report.problems)
    for word in words:
        assert word in text, (word, report.problems)
    return report


def test_genuine_certificates_confirmed(prop2):
    for v, _, _ in prop2.checks:
        if v.certificate and v.certificate["format"] == checker.FORMAT:
            report = checker.recheck(v.certificate)
            assert report.confirmed, (v.id, report.problems)


def test_relabelled_claim(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["claim"] = "E[omega_hat | s] = 0"
    _rejected(cert, "not the statement's claim")


def test_residual_domains_and_definitions_come_from_the_statement(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    for key, value in (("expr", ["Integer", "0"]), ("domains", {}), ("definitions", []),
                       ("monte_carlo_required", False), ("at_points_only", True)):
        _rejected(dict(cert, **{key: value}), "belong to the statement")


def test_plain_symbol_never_defined(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["definitions"] = [{"atom": ["Symbol", "mu"], "formula": ["Symbol", "s1"]}]
    _rejected(cert, "never a symbol")


def test_posterior_formula_comes_from_the_model(prop2):
    """The prior left out of the precision sum, as a statement definition or as the certificate
    would have it: the first is refused, and the checker's own Gaussian rule decides the claim."""
    cert = _cert(prop2, "prop2-case1-unbiased")
    sigma1, s1 = sp.Symbol("sigma1", positive=True), sp.Symbol("s1", real=True)
    atom = ["Function", "E[omega|1]", ["Symbol", "s1"]]
    cert["statement"]["definitions"] = [{"atom": atom, "formula": to_tree(s1)}]
    _rejected(cert, "never like a posterior atom")
    # the claim itself restated with the wrong formula on the right: the rebuilt atom refutes it
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["lhs"] = atom
    cert["statement"]["rhs"] = to_tree(s1 * sigma1 ** -2 / sigma1 ** -2)
    _rejected(cert)


def test_monte_carlo_required_by_the_statement(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    assert cert["statement"]["expectation"]
    cert["monte_carlo"] = []
    _rejected(cert, "Monte Carlo")


def test_monte_carlo_compared_with_the_statement(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    for e in cert["monte_carlo"]:
        e["exact"] = ["Integer", "1000"]      # a refitted target is not what is compared
    assert checker.recheck(cert).confirmed
    for e in cert["monte_carlo"]:
        e["estimate"] += 50 * e["se"]
    _rejected(cert, "agrees")


def test_for_every_x_not_from_points():
    x = sp.Symbol("x", real=True)
    v = check_sign(x ** 2 - 1, "positive", at=[{x: 2}], id="pt")
    assert v.status == "proved"
    cert = copy.deepcopy(v.certificate)
    cert["statement"].update(quantifier="all", points=None)
    _rejected(cert)


def test_constants_over_the_reals():
    """A constant residual undefined over the reals is not zero, whatever the certificate says."""
    base = copy.deepcopy(check_identity(sp.Integer(1), 1, id="one").certificate)
    base.update(status="proved", points=[], decisions={"constant": True}, symbolic={"form": None})
    log0 = ["log", ["Integer", "0"]]
    sqrt_minus_one = ["Pow", ["Integer", "-1"], ["Rational", "1", "2"]]
    for lhs in (["Add", log0, ["Mul", ["Integer", "-1"], log0]],
                ["Add", ["Pow", sqrt_minus_one, ["Integer", "2"]], ["Integer", "1"]]):
        cert = copy.deepcopy(base)
        cert["statement"].update(lhs=lhs, rhs=["Integer", "0"], domains={})
        _rejected(cert, "undefined over the reals")


# ---------------------------------------------------------------------------
# the envelope of a saved run
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(prop2):
    return json.loads(json.dumps(json_report([prop2])))


@pytest.fixture(scope="module")
def catalogue(prop2):
    return statements([prop2])


def _envelope(run, catalogue, *words):
    found = envelope.problems(run, catalogue)
    assert found, "accepted"
    for word in words:
        assert any(word in p for p in found), (word, found)


def test_untouched_run_accepted(run, catalogue):
    assert envelope.problems(run, catalogue) == []


def _checks(run):
    return run["results"][0]["evidence"]["checks"]


def _find(run, cid):
    return next(c for c in _checks(run) if c["id"] == cid)


def test_envelope_status_over_a_refutation(run, catalogue):
    forged = copy.deepcopy(run)
    _find(forged, "control-prop2")["status"] = "proved"
    _envelope(forged, catalogue, "control-prop2", "status")


def test_envelope_proved_without_certificate(run, catalogue):
    forged = copy.deepcopy(run)
    _find(forged, "prop2")["certificate"] = None
    _envelope(forged, catalogue, "prop2: proved without a certificate")


def test_envelope_shown_witness(run, catalogue):
    forged = copy.deepcopy(run)
    w = _find(forged, "control-prop2")["evidence"]["witness"]
    w["report"] = {k: "0" for k in w["report"]}
    _envelope(forged, catalogue, "control-prop2", "point")
    forged = copy.deepcopy(run)
    _find(forged, "control-prop2")["evidence"]["witness"]["gain"]["tree"] = ["Integer", "7"]
    _envelope(forged, catalogue, "control-prop2", "gap")


def test_envelope_result_status_follows(run, catalogue):
    forged = copy.deepcopy(run)
    _find(forged, "prop2")["status"] = _find(forged, "prop2")["certificate"]["status"] = "inconclusive"
    forged["results"][0]["status"] = "proved"
    _envelope(forged, catalogue, "its checks give 'inconclusive'")


@pytest.mark.parametrize("change", ["claim", "domain", "definition", "model", "expectation"])
def test_envelope_statement_changed(run, catalogue, change):
    forged = copy.deepcopy(run)
    c = _find(forged, "prop2-case1-unbiased")
    stmt = c["certificate"]["statement"]
    if change == "claim":
        c["claim"] = c["certificate"]["claim"] = stmt["claim"] = "something else"
    elif change == "domain":
        stmt["domains"]["sigma"]["exclude_zero"] = True
    elif change == "definition":
        stmt["definitions"].append({"atom": ["Function", "h", ["Symbol", "s1"]], "formula": ["Integer", "0"]})
    elif change == "model":
        stmt["model"]["prior_var"] = ["Integer", "1"]
    else:
        stmt["expectation"] = False
    _envelope(forged, catalogue, "prop2-case1-unbiased", "fingerprint")


def test_envelope_expectation_and_missing_checks(run, catalogue):
    forged = copy.deepcopy(run)
    _find(forged, "control-prop2")["expected"] = "proved"
    _envelope(forged, catalogue, "control-prop2", "expected")
    forged = copy.deepcopy(run)
    forged["results"][0]["evidence"]["checks"] = _checks(forged)[1:]
    _envelope(forged, catalogue, "registered but missing")


def test_recheck_file_names_the_check(tmp_path, run, catalogue, capsys):
    cat = tmp_path / "statements.json"
    cat.write_text(json.dumps(catalogue))
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(run))
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 0
    forged = copy.deepcopy(run)
    _find(forged, "prop2-case1-unbiased")["certificate"]["statement"]["domains"]["s1"]["lo"] = "0"
    saved.write_text(json.dumps(forged))
    capsys.readouterr()
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 1
    assert "prop2-case1-unbiased" in capsys.readouterr().out


def test_installed_catalogue_readable():
    doc = load_statements()
    assert "proposition2" in doc["results"]


def test_statements_shown_from_the_record(capsys):
    assert main(["statements", "--show", "example5"]) == 0
    out = capsys.readouterr().out
    assert "example5-payoff" in out and "fingerprint" in out and "for every" in out
    assert main(["statements", "--show", "nonexistent"]) == 2


def test_real_line_groves_statement_defines_x_star_once():
    # x* of each economy is an atom of the relation, defined by its formula in the statement and
    # shown under it; the posterior moment inside stays the model's atom, rebuilt by the checker
    from symbolic_mech.presentation.statement import Statement
    mech = DataDrivenVCG(quadratic_loss(3), h="pivot")
    v = groves_certificate(mech, 1, ExPost())
    assert v.status == "proved" and checker.recheck(v.certificate).confirmed
    record = v.certificate["statement"]
    defined = {e["atom"][1] for e in record["definitions"]}
    assert defined == {"x_star[1,2,3]", "x_star[2,3]"}
    assert "E[omega|1,2,3]" in json.dumps(record["definitions"])
    text = Statement(record).text()
    assert "x*(θ, s) = " in text and "x*(θ₋₁, s₋₁) = " in text and "x_star" not in text
    # the definition is the statement's and the checker uses it: where the relation holds only
    # for the true x* (a transfer typed out in full), a forged formula for x* is refused
    env = quadratic_loss(2)
    typed = CustomTransfers(env, {1: DataDrivenVCG(env, h="pivot").transfer(1)})
    cert = groves_certificate(typed, 1, ExPost()).certificate
    assert checker.recheck(cert).confirmed
    forged = copy.deepcopy(cert)
    for entry in forged["statement"]["definitions"]:
        if entry["atom"][1] == "x_star[1,2]":
            entry["formula"] = entry["atom"][2]          # x*(theta, s) := theta1
    assert checker.fingerprint(forged["statement"]) != checker.fingerprint(cert["statement"])
    _rejected(forged, "not zero as a rational function", "not 0 there")


# -- findings of an adversarial review of the envelope -----------------------------------------

def test_envelope_truth_and_report_disjoint(run, catalogue):
    forged = copy.deepcopy(run)
    w = _find(forged, "control-prop2")["evidence"]["witness"]
    name = sorted(w["truth"])[0]
    w["report"][name], w["truth"][name] = w["truth"][name], "1000"
    _envelope(forged, catalogue, "control-prop2", "overlap")


def test_envelope_gain_is_minus_the_gap(run, catalogue):
    forged = copy.deepcopy(run)
    gain = _find(forged, "control-prop2")["evidence"]["witness"]["gain"]
    gain["tree"] = ["Mul", ["Integer", "-1"], gain["tree"]]
    _envelope(forged, catalogue, "control-prop2", "gain")


def test_envelope_shown_digits_and_labels(run, catalogue):
    forged = copy.deepcopy(run)
    _find(forged, "control-prop2")["evidence"]["witness"]["gain"]["exact"] = "1000"
    _envelope(forged, catalogue, "control-prop2", "exact digits")
    forged = copy.deepcopy(run)
    _find(forged, "control-prop2")["evidence"]["witness"]["gain"]["approx"] = 1000.0
    _envelope(forged, catalogue, "control-prop2", "approx")
    forged = copy.deepcopy(run)
    _find(forged, "prop2")["shown_as"] = "refuted, as required"
    _envelope(forged, catalogue, "prop2", "shown_as")
    forged = copy.deepcopy(run)
    forged["results"][0]["claim"] = "Proposition 2 is false"
    _envelope(forged, catalogue, "claim is not the registered one")


def test_envelope_result_listed_twice_and_unknown_keys(run, catalogue):
    forged = copy.deepcopy(run)
    forged["results"].append(copy.deepcopy(forged["results"][0]))
    _envelope(forged, catalogue, "listed twice")
    forged = copy.deepcopy(run)
    _find(forged, "prop2")["verdict_note"] = "trust me"
    _envelope(forged, catalogue, "exactly the keys")


def test_recheck_file_replays_exactly_the_cited_certificates(tmp_path, run, catalogue, capsys):
    cat = tmp_path / "statements.json"
    cat.write_text(json.dumps(catalogue))
    saved = tmp_path / "run.json"
    # the whole run disguised as a certificate, so that a loader would replay it and stop there
    forged = dict(copy.deepcopy(run), format=checker.FINITE_FORMAT)
    saved.write_text(json.dumps(forged))
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 1
    # a check made to look like a certificate itself
    forged = copy.deepcopy(run)
    _find(forged, "prop2")["format"] = checker.FORMAT
    saved.write_text(json.dumps(forged))
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 1
    # an extra certificate beside the checks
    forged = copy.deepcopy(run)
    forged["results"][0]["evidence"]["certificates"] = [_find(run, "prop2")["certificate"]]
    saved.write_text(json.dumps(forged))
    capsys.readouterr()
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 1
    assert "certificates" in capsys.readouterr().out
    # a key given twice, the last value winning in a plain reader
    text = json.dumps(run).replace('"all_ok": true', '"all_ok": false, "all_ok": true', 1)
    saved.write_text(text)
    assert main(["recheck", str(saved), "--statements", str(cat)]) == 2


# -- findings of an adversarial review of the checker -----------------------------------------

def _stated_cert(lhs, rhs, domains, status="proved", **evidence):
    stmt = {"format": checker.STATEMENT_FORMAT, "relation": "identity", "lhs": lhs, "rhs": rhs,
            "quantifier": "all", "points": None, "domains": domains, "model": None, "definitions": [],
            "expectation": None, "claim": "forged"}
    cert = {"format": checker.FORMAT, "id": "f", "claim": "forged", "kind": "identity", "status": status,
            "statement": stmt, "points": [], "symbolic": None, "witness": None, "monte_carlo": [],
            "decisions": {"constant": False}}
    cert.update(evidence)
    return cert


def test_exp_generators_keep_their_denominators():
    """exp(x) > 4 and exp(x/2) < 3 hold together at x = 2: the branch they guard is not empty."""
    x = ["Symbol", "x"]
    both = ["And", ["Gt", ["exp", x], ["Integer", "4"]],
            ["Lt", ["exp", ["Mul", ["Rational", "1", "2"], x]], ["Integer", "3"]]]
    lhs = ["Piecewise", [["Integer", "1"], both], [["Integer", "0"], ["true"]]]
    real = checker.domain()
    proof = _stated_cert(lhs, ["Integer", "0"], {"x": real}, points=[{"x": str(-k)} for k in range(20)],
                         symbolic={"form": None})
    _rejected(proof)
    refutation = _stated_cert(lhs, ["Integer", "0"], {"x": real}, status="refuted",
                              witness={"point": {"x": "2"}, "sign": 1, "gap": ["Integer", "1"]})
    assert checker.recheck(refutation).confirmed


def test_recorded_transcendental_gap_must_carry_the_witness_sign(prop2):
    cert = copy.deepcopy(check_identity(sp.exp(sp.Symbol("a", positive=True)), 1, id="e").certificate)
    assert cert["status"] == "refuted"
    assert checker.recheck(cert).confirmed
    gap = cert["witness"]["gap"]
    for forged in (["Add", gap, ["Pow", ["Integer", "10"], ["Integer", "-5000"]]],     # agrees as balls
                   ["Add", ["Integer", "-1000"], ["Mul", ["Integer", "0"],
                                                 ["Pow", ["Add", ["pi"], ["Mul", ["Integer", "-1"], ["pi"]]],
                                                  ["Integer", "-1"]]]]):
        bad = copy.deepcopy(cert)
        bad["witness"]["gap"] = forged
        if forged[1] is gap:
            assert checker.recheck(bad).confirmed          # the same number, to 5000 digits: display only
        else:
            _rejected(bad, "gap")


@pytest.mark.parametrize("name", ["E[omega|1 ]", "E[omega | 1]", "E[ω|1]", "E[omega|01]", "V_1", "x y"])
def test_look_alike_names_are_not_defined(prop2, name):
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["definitions"] = [{"atom": ["Function", name, ["Symbol", "s1"]], "formula": ["Symbol", "s1"]}]
    _rejected(cert, "named function")


def test_model_primitives_shown_positive(prop2):
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["model"]["prior_var"] = ["Integer", "-1"]
    _rejected(cert, "prior_var")
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["model"]["noise_var"] = [["Symbol", "mu"]]       # mu ranges over the reals
    _rejected(cert, "noise_var")


@pytest.mark.parametrize("name", ["E[omega|1,1]", "E[omega|2,1]"])
def test_malformed_posterior_atoms_are_problems_not_crashes(prop2, name):
    cert = _cert(prop2, "prop2-case1-unbiased")
    cert["statement"]["lhs"] = ["Function", name, ["Symbol", "s1"], ["Symbol", "s2"]]
    _rejected(cert)


def test_envelope_finite_witness_bound_to_its_certificate():
    d = derive("per-impression")
    run = json.loads(json.dumps(json_report([d])))
    cat = statements([d])
    assert envelope.problems(run, cat) == []
    for change in ("total", "step", "agent"):
        forged = copy.deepcopy(run)
        w = _find(forged, "per-impression-cycle")["evidence"]["witness"]
        if change == "total":
            w["gap"] = {"exact": "-5", "tree": ["Integer", "-5"], "approx": -5.0}
        elif change == "step":
            w["cycle"][0]["c"] = {"exact": "-5", "tree": ["Integer", "-5"], "approx": -5.0}
        else:
            w["agent"] = 2
        _envelope(forged, cat, "per-impression-cycle")


def test_check_ids_are_names_not_words():
    # an id names a check in the catalogue, in links (result/check) and on the command line; its words are its claim
    import re
    from symbolic_mech.registry import load_statements
    bad = [(rid, cid) for rid, entry in load_statements()["results"].items() for cid in entry["checks"]
           if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", cid)]
    assert not bad, bad
