"""The statement layer (rules S1-S6 of core/checker.py) and the envelope (rules E1-E6 of
core/envelope.py) are pinned: each row weakens one rule in a fresh copy of the module's source
(never written to disk) and its pinning test, which passes on the module as it is, must fail.

The OLD text of a row must occur exactly once in the source, so a refactor cannot silently
disable the row.  Pins confirm a FALSE assertion under the weakened rule wherever one exists;
rows marked "defence in depth" are rules whose weakening another rule still catches, pinned by
their own problem message.
"""
import copy
import functools
import json
import sys
import types
from itertools import count
from pathlib import Path

import pytest
import sympy as sp

from symbolic_mech import derive
from symbolic_mech.core.kernel import check_sign
from symbolic_mech.registry import statements
from symbolic_mech.presentation.report import json_report

CORE = Path(__file__).resolve().parents[1] / "symbolic_mech" / "core"
_serial = count()


def load(name: str, source: str):
    """A core module's source as a fresh sibling module (its relative imports resolve)."""
    mod_name = f"symbolic_mech.core._rules_{name}_{next(_serial)}"
    mod = types.ModuleType(mod_name)
    mod.__package__ = "symbolic_mech.core"
    mod.__file__ = str(CORE / f"{name}.py")
    sys.modules[mod_name] = mod
    try:
        exec(compile(source, mod.__file__, "exec"), mod.__dict__)
    finally:
        del sys.modules[mod_name]
    return mod


@functools.lru_cache(maxsize=None)
def _prop2():
    return derive("proposition2")


def _cert(cid):
    return copy.deepcopy(next(v.certificate for v, _, _ in _prop2().checks if v.id == cid))


def _run():
    return json.loads(json.dumps(json_report([_prop2()])))


def _catalogue():
    return statements([_prop2()])


def _find(run, cid):
    return next(c for c in run["results"][0]["evidence"]["checks"] if c["id"] == cid)


# ---------------------------------------------------------------------------
# pins of the statement layer: a false assertion confirmed under the weakened rule
# ---------------------------------------------------------------------------

def confirmed(checker, cert):
    return checker.recheck(cert).confirmed


def pin_statement_format(checker):
    cert = _cert("prop2-case1-unbiased")
    assert confirmed(checker, cert)
    cert["statement"]["format"] = "symbolic_mech-statement/0"
    assert not confirmed(checker, cert)


def pin_claim_is_the_statements(checker):
    cert = _cert("prop2-case1-unbiased")
    cert["claim"] = "E[omega_hat | s] = 0 for every s"
    assert not confirmed(checker, cert)


def pin_owned_keys(checker):      # defence in depth: the rebuilt values replace them anyway
    cert = dict(_cert("prop2-case1-unbiased"), domains={})
    assert "belong to the statement" in " ".join(checker.recheck(cert).problems)


def pin_points_of_the_statement(checker):
    x = sp.Symbol("x", real=True)
    cert = copy.deepcopy(check_sign(x - 1, "positive", at=[{x: 3}], id="pt").certificate)
    assert confirmed(checker, cert)
    cert["statement"]["points"] = [{"x": "1"}]            # x - 1 > 0 at x = 1: false
    assert not confirmed(checker, cert)


def pin_named_functions_only(checker):
    cert = _cert("prop2-case1-unbiased")
    stmt = cert["statement"]
    look_alike = ["Function", "E[omega|1 ]", ["Symbol", "s1"]]
    stmt.update(lhs=look_alike, rhs=["Symbol", "s1"], expectation=None,
                definitions=[{"atom": look_alike, "formula": ["Symbol", "s1"]}])
    cert["monte_carlo"] = []
    assert not confirmed(checker, cert)


def pin_symbols_never_defined(checker):    # defence in depth: the replay gives no defined symbol a value
    cert = _cert("prop2-case1-unbiased")
    stmt = cert["statement"]
    stmt.update(lhs=["Symbol", "mu"], rhs=["Symbol", "s1"], expectation=None,
                definitions=[{"atom": ["Symbol", "mu"], "formula": ["Symbol", "s1"]}])
    cert["monte_carlo"] = []
    assert "never a symbol" in " ".join(checker.recheck(cert).problems)


def pin_primitives_positive(checker):     # defence in depth: a statement about no model at all
    cert = _cert("prop2-case1-unbiased")
    cert["statement"]["model"]["prior_var"] = ["Integer", "-1"]
    assert "prior_var" in " ".join(checker.recheck(cert).problems)


def pin_monte_carlo_required(checker):
    cert = _cert("prop2-case1-unbiased")
    cert["monte_carlo"] = []
    assert not confirmed(checker, cert)


def pin_exact_expectation(checker):
    """The right-hand side off by 10^-6: within the simulation's noise, not within the exact value."""
    cert = _cert("prop2-case1-unbiased")
    assert confirmed(checker, cert)
    stmt = cert["statement"]
    off = ["Add", ["Function", "E[omega|1]", ["Symbol", "s1"]], ["Rational", "1", "1000000"]]
    stmt.update(lhs=off, rhs=off)
    assert not confirmed(checker, cert)


@functools.lru_cache(maxsize=None)
def _derived(rid):
    return derive(rid)


def _exact_pin(rid, cid):
    """A genuine certificate is confirmed, and its right-hand side moved by 10^-6 (inside the
    simulation's noise, so only the exact expectation sees it) is rejected."""
    def pin(checker):
        cert = copy.deepcopy(next(v.certificate for v, _, _ in _derived(rid).checks if v.id == cid))
        assert confirmed(checker, cert)
        stmt = cert["statement"]
        off = ["Add", stmt["rhs"], ["Rational", "1", "1000000"]]
        stmt.update(lhs=off, rhs=off)
        assert not confirmed(checker, cert)
    return pin


def pin_slot_decided(checker):     # defence in depth: the simulation sees this forgery too
    cert = copy.deepcopy(next(v.certificate for v, _, _ in _derived("corollary2").checks
                              if v.id == "cor2-dd-certificate"))
    report = checker.recheck(cert)
    n = 23 + checker.OWN_POINTS         # the proof's 20, the simulation's 3 and the checker's own
    assert report.confirmed and any(f"at {n} of {n} points" in note for note in report.notes), report.notes


STATEMENT_ROWS = [
    ("S1 the statement's format", 'if stmt["format"] != STATEMENT_FORMAT:', "if False:", pin_statement_format),
    ("S2 the claim is the statement's",
     'if not isinstance(stmt["claim"], str) or cert.get("claim") != stmt["claim"]:',
     'if not isinstance(stmt["claim"], str):', pin_claim_is_the_statements),
    ("S3 residual, domains, definitions belong to the statement", "    if owned:\n", "    if False:\n",
     pin_owned_keys),
    ("S4 a proof at points checks the statement's points",
     'if cert.get("status") == "proved" and cert.get("points") != stmt["points"]:', "if False:",
     pin_points_of_the_statement),
    ("S5 only named functions are defined", "and isinstance(atom[1], str) and _NAMED.fullmatch(atom[1])",
     "and isinstance(atom[1], str)", pin_named_functions_only),
    ("S5 a plain symbol is never defined", 'atom[0] == "Function"', 'atom[0] in ("Function", "Symbol")',
     pin_symbols_never_defined),
    ("S5 the model's primitives are positive", "            check_primitives(model,", "            (lambda *a: None)(model,",
     pin_primitives_positive),
    ("S6 Monte Carlo required by the statement's expectation", "monte_carlo_required=expectation is not None",
     "monte_carlo_required=False", pin_monte_carlo_required),
    ("S7 the expectation computed exactly from the primitives", "            elif v != total:",
     "            elif False:", pin_exact_expectation),
    ("S7 additive noise has variance v/m", 'alpha, beta, var = Fraction(0), Fraction(1), p["variance"] / p["m"]',
     "alpha, beta, var = Fraction(0), Fraction(1), Fraction(0)", _exact_pin("theorem2", "theorem2-case1-consistent-form")),
    ("S7 the shrinkage's noise is scaled by its weight", 'var = beta ** 2 * p["noise_var"] / p["m"]',
     'var = p["noise_var"] / p["m"]', _exact_pin("theorem2", "theorem2-case2-consistent-form")),
    ("S7 binomial moments by falling factorials", "math.prod(range(m - k + 1, m + 1))", "m ** k",
     _exact_pin("corollary2", "cor2-consistent-form")),
    ("S7 who wins a slot decided at the point", "                    if ev.holds(cond):",
     "                    if False:", pin_slot_decided),
]


# ---------------------------------------------------------------------------
# pins of the envelope: a false run accepted under the weakened rule
# ---------------------------------------------------------------------------

def accepted(envelope, run):
    return envelope.problems(run, _catalogue()) == []


def pin_result_once(envelope):        # defence in depth: a contradictory copy breaks another rule
    run = _run()
    assert accepted(envelope, run)
    run["results"].append(copy.deepcopy(run["results"][0]))
    assert any("listed twice" in p for p in envelope.problems(run, _catalogue()))


def pin_no_check_missing(envelope):
    run = _run()
    checks = run["results"][0]["evidence"]["checks"]
    run["results"][0]["evidence"]["checks"] = [c for c in checks if c["id"] != "control-prop2"]
    assert not accepted(envelope, run)


def pin_expectations_registered(envelope):
    run = _run()
    c = _find(run, "control-prop2")
    c["expected"], c["control"], c["shown_as"] = "refuted", False, "refuted, as required"
    assert not accepted(envelope, run)


def pin_status_is_the_certificates(envelope):
    run = _run()
    _find(run, "control-prop2")["status"] = "proved"
    _find(run, "control-prop2")["as_required"] = False
    _find(run, "control-prop2")["shown_as"] = "PROVED, EXPECTED REFUTED"
    run["results"][0].update(status="inconclusive", ok=False)
    run["all_ok"] = False
    assert not accepted(envelope, run)


def pin_certificate_present(envelope):
    run = _run()
    _find(run, "prop2")["certificate"] = None
    assert not accepted(envelope, run)


def pin_fingerprint(envelope):
    run = _run()
    _find(run, "prop2-case1-unbiased")["certificate"]["statement"]["domains"]["sigma"]["exclude_zero"] = True
    assert not accepted(envelope, run)


def pin_witness_point(envelope):
    run = _run()
    w = _find(run, "control-prop2")["evidence"]["witness"]
    w["report"] = {k: "0" for k in w["report"]}
    assert not accepted(envelope, run)


def pin_gain_is_minus_gap(envelope):
    run = _run()
    gain = _find(run, "control-prop2")["evidence"]["witness"]["gain"]
    gain.update(tree=["Mul", ["Integer", "-1"], gain["tree"]], exact="-" + gain["exact"], approx=-gain["approx"])
    assert not accepted(envelope, run)


def _inconclusive_check(run):
    c = _find(run, "prop2")
    c["status"] = c["certificate"]["status"] = "inconclusive"
    c["as_required"], c["shown_as"] = False, "INCONCLUSIVE, EXPECTED PROVED"


def pin_result_status(envelope):
    """The result still says proved although a check is inconclusive (ok and all_ok honest)."""
    run = _run()
    _inconclusive_check(run)
    run["results"][0]["ok"], run["all_ok"] = False, False
    assert not accepted(envelope, run)


def pin_all_ok(envelope):
    """Every result says what its checks give, but all_ok still says true."""
    run = _run()
    _inconclusive_check(run)
    run["results"][0].update(status="inconclusive", ok=False)
    assert not accepted(envelope, run)


ENVELOPE_ROWS = [
    ("E1 a result is listed once", "        if rid in seen_results:", "        if False:", pin_result_once),
    ("E1 no registered check missing", "for cid in sorted(set(listed) - set(seen)):", "for cid in []:",
     pin_no_check_missing),
    ("E2 expectations and controls registered", 'for key in ("expected", "control"):', "for key in ():",
     pin_expectations_registered),
    ("E3 a check's status is its certificate's", 'for key in ("status", "id", "claim"):',
     'for key in ("id", "claim"):', pin_status_is_the_certificates),
    ("E3 no proof without a certificate",
     'return out + ([f"{status} without a certificate"] if status != "inconclusive" else [])',
     "return out", pin_certificate_present),
    ("E4 fingerprints registered", 'if stmt is None or fingerprint(stmt) != registered["fingerprint"]:',
     "if stmt is None:", pin_fingerprint),
    ("E5 the shown point is the certified one", '    if point != certified.get("point"):', "    if False:",
     pin_witness_point),
    ("E5 a gain is minus the certified gap",
     'if not _same_size(value_neg, certified["gap"], signed=True) or certified.get("sign") != -1:',
     "if False:", pin_gain_is_minus_gap),
    ("E6 a result's status follows from its checks", '        if r.get("status") != status:', "        if False:",
     pin_result_status),
    ("E6 all_ok is every result ok", '    if run.get("all_ok") is not (all_ok and not out):', "    if False:",
     pin_all_ok),
]

ROWS = [("checker", *row) for row in STATEMENT_ROWS] + [("envelope", *row) for row in ENVELOPE_ROWS]


@pytest.mark.parametrize("module, rule, old, new, pin", ROWS, ids=[r[1] for r in ROWS])
def test_rule_is_pinned(module, rule, old, new, pin):
    source = (CORE / f"{module}.py").read_text()
    assert source.count(old) == 1, f"{rule}: the text to weaken occurs {source.count(old)} times"
    pin(load(module, source))                    # passes as it is
    with pytest.raises(AssertionError):
        pin(load(module, source.replace(old, new)))


def test_rule_names_unique():
    assert len({r[1] for r in ROWS}) == len(ROWS)
