"""Every registered result matches its expectation; proof scripts and the CLI read the same registry."""
import json
import pathlib

import pytest

from symbolic_mech import derive, result_ids
from symbolic_mech.cli import main
from symbolic_mech.core import checker
from symbolic_mech.registry import get, load_statements, statements

ROOT = pathlib.Path(__file__).resolve().parents[1]



@pytest.mark.slow           # every result derived: the whole verification
@pytest.mark.parametrize("rid", result_ids())
def test_result_matches_expectation(rid):
    d = derive(rid)
    v = d.verdict
    assert v.status == get(rid).expected, (v.status, v.evidence.get("reason"))
    # a failure the paper exhibits, or an erratum, carries an exact witness
    if any(c["status"] == "refuted" and not c["control"] for c in v.evidence.get("checks", [])):
        assert v.evidence.get("witness")
    # check by check, so that an erratum cannot hide a second, unexpected failure
    refutes = get(rid).refutes
    for check, expect, control in d.checks:
        if check.id in refutes:
            assert (expect, check.status) == ("proved", "refuted"), check.claim
            continue
        assert check.status == expect, check.claim
        if control:
            # a negative control is refuted, or a schematic one left unproved with its breaking term named
            assert check.status == "refuted" or (check.status == "inconclusive"
                                                 and check.evidence.get("breaking") not in (None, "0")), check.claim
    assert set(refutes) <= {check.id for check, _, _ in d.checks}
    ids = [check.id for check, _, _ in d.checks]
    assert len(ids) == len(set(ids)) and all(check.certificate["id"] == check.id for check, _, _ in d.checks)
    # the statements are the committed ones (a golden file: 'symbolic-mech statements --write' after a
    # deliberate change, which then shows in review)
    assert statements([d])["results"][rid] == load_statements()["results"].get(rid), \
        f"{rid}: the statements differ from proofs/statements.json"
    # every check's certificate is replayed by the independent checker, Monte Carlo re-run from its seed
    # (a replay whose draws are all equal is rejected)
    for check, _, _ in d.checks:
        assert check.certificate is not None, check.id
        report = checker.recheck(check.certificate, samplers={check.id: check.sampler} if check.sampler else None)
        assert report.confirmed, (check.id, report.problems)
    # no check compares an expression with itself, unless a simulation of the model's definition (the
    # estimator's law, the prior and likelihood) backs it; every simulation recorded has power
    for check, _, _ in d.checks:
        cert = check.certificate
        stmt = cert.get("statement", {})
        if cert["kind"] == "identity" and stmt.get("lhs") == stmt.get("rhs"):
            assert cert["monte_carlo"] and check.sampler is not None, (check.id, "identical sides")
        for entry in cert.get("monte_carlo", []):
            assert entry["informative"] and entry["ess"] >= 10_000, (check.id, entry)
    scope = d.scope_record()
    assert scope.get("instances"), rid
    assert all(h["status"] == h["expected"] for h in scope["hypotheses"]), scope["hypotheses"]


def test_every_result_has_a_proof_script():
    stems = {p.stem for p in (ROOT / "proofs").glob("*.py")}
    for rid in result_ids():
        assert rid.replace("-", "_") in stems, rid


def test_cli_unknown_id_exits_2(capsys):
    assert main(["verify", "no-such-result"]) == 2
    assert "no-such-result" in capsys.readouterr().err


@pytest.fixture(scope="module")
def example3_json():
    """``symbolic-mech verify example3 --json``, run once for the tests that read its output."""
    import contextlib
    import io
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["verify", "example3", "--json"]) == 0
    return buffer.getvalue()


def test_cli_json(example3_json):
    out = json.loads(example3_json)
    assert set(out) >= {"version", "paper", "all_ok", "results"} and out["all_ok"] is True
    rows = out["results"]
    assert rows[0]["id"] == "example3" and rows[0]["ok"] is True
    w = rows[0]["evidence"]["witness"]
    assert set(w) >= {"truth", "report", "gain"}
    assert "individual click-through rates" in rows[0]["scope"]["instances"]
    assert {"s1", "theta1", "s1'"} <= set(rows[0]["scope"]["symbolic"])


def test_cli_list(capsys):
    assert main(["list"]) == 0
    assert "theorem1" in capsys.readouterr().out


def test_cli_writes_markdown_and_latex_reports(tmp_path):
    md, tex = tmp_path / "r.md", tmp_path / "r.tex"
    assert main(["verify", "example3", "--markdown", str(md), "--latex", str(tex)]) == 0
    text = md.read_text()
    assert "| example3 | Example 3 |" in text and "$$" in text
    doc = tex.read_text()
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    assert doc.count(r"\begin{center}") == doc.count(r"\end{center}") > 0 and r"\smfit{" in doc


def test_cli_table_names_claim_status_and_total(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["verify", "example3"]) == 0
    out = capsys.readouterr().out
    assert "Example 3" in out and "proved" in out
    # the witness in context: its truth, its report and the exact gain
    assert "truth θ₁ = 2, θ₂ = 1, s₁ = 1/4, s₂ = 1, report θ₁' = 1, s₁' = 1: gain 1/4" in out
    assert "gain 1/4" in out and "refuted, as required" in out
    assert "1/1 results match their expectation in" in out


def _saved(example3_json, tmp_path):
    out = json.loads(example3_json)         # a fresh copy: the tests corrupt it
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps(out))
    return out, path


def test_cli_recheck_confirms_a_saved_run(capsys, tmp_path, example3_json):
    _, path = _saved(example3_json, tmp_path)
    assert main(["recheck", str(path)]) == 0
    assert "certificates confirmed" in capsys.readouterr().out


def _refuted_certificate(out):
    checks = out["results"][0]["evidence"]["checks"]
    return next(c["certificate"] for c in checks if c["status"] == "refuted")


@pytest.mark.parametrize("corrupt", ["moved witness", "changed gap", "outside domain", "flipped status"])
def test_cli_recheck_rejects_corrupted_certificates(capsys, tmp_path, corrupt, example3_json):
    out, path = _saved(example3_json, tmp_path)
    cert = _refuted_certificate(out)
    w = cert["witness"]
    name = sorted(w["point"])[0]
    if corrupt == "moved witness":
        # theta1' = 1 moved to 1/8: the report no longer wins the slot, the gain is no longer positive
        w["point"]["theta1'"] = "1/8"
    elif corrupt == "changed gap":
        w["gap"] = ["Rational", "7", "3"]
    elif corrupt == "outside domain":
        doms = cert["statement"]["domains"]
        doms[name] = dict(doms[name], lo="1000", lo_open=False, hi=None)
    else:
        cert["status"] = "proved"
    path.write_text(json.dumps(out))
    assert main(["recheck", str(path)]) == 1
    assert "REJECTED" in capsys.readouterr().out


# -- assembling a result never hides a check -----------------------------------------------

def _check(id, status):
    from symbolic_mech.core.kernel import Verdict
    return Verdict(id, id, status, {"witness": {"point": {}, "gap": 1}} if status == "refuted" else {})


def _assembled(checks, **result):
    from symbolic_mech.registry import Derivation, Result
    d = Derivation(Result("toy", "Lemma 0", "a toy claim", lambda d: None, **result))
    for verdict, expect in checks:
        d.check(verdict, expect)
    return d, d.assemble()


def test_erratum_with_a_hidden_miss_is_inconclusive():
    erratum = dict(expected="refuted", erratum=True, refutes=("claim",))
    d, v = _assembled([(_check("claim", "refuted"), "proved"), (_check("other", "proved"), "proved")], **erratum)
    assert v.status == "refuted" and d.ok
    d, v = _assembled([(_check("claim", "refuted"), "proved"), (_check("other", "refuted"), "proved")], **erratum)
    assert v.status == "inconclusive" and not d.ok and "other: refuted, expected proved" in v.evidence["reason"]
    d, v = _assembled([(_check("claim", "refuted"), "proved"), (_check("control", "proved"), "refuted")], **erratum)
    assert v.status == "inconclusive" and "control: proved, expected refuted" in v.evidence["reason"]
    d, v = _assembled([(_check("other", "proved"), "proved")], **erratum)
    assert v.status == "inconclusive" and "not made: claim" in v.evidence["reason"]


def test_non_erratum_misses_are_named():
    d, v = _assembled([(_check("a", "proved"), "proved"), (_check("b", "inconclusive"), "proved"),
                       (_check("c", "proved"), "refuted")])
    assert v.status == "inconclusive"
    assert "b: inconclusive, expected proved" in v.evidence["reason"]
    assert "c: proved, expected refuted" in v.evidence["reason"]
    d, v = _assembled([(_check("a", "refuted"), "proved")])
    assert v.status == "refuted" and not d.ok and v.evidence["witness"]


def test_expected_refuted_needs_its_refuting_checks():
    from symbolic_mech.registry import Result
    with pytest.raises(ValueError, match="refutes"):
        Result("toy", "Lemma 0", "claim", lambda d: None, expected="refuted")


def test_a_check_id_recorded_again_is_numbered():
    import sympy as sp
    from symbolic_mech import check_identity
    from symbolic_mech.registry import Derivation, Result
    d = Derivation(Result("toy", "Lemma 0", "claim"))
    x = sp.Symbol("x")
    first = d.check(check_identity(x + x, 2 * x, id="same"))
    again = d.check(check_identity(x * x, x ** 2, id="same"))
    third = d.check(check_identity(x - x, 0, id="same"))
    assert [first.id, again.id, third.id] == ["same", "same-2", "same-3"]
    assert again.certificate["id"] == "same-2" and checker.recheck(again.certificate).confirmed
