"""Every registered result matches its expectation; proof scripts and the CLI read the same registry."""
import json
import pathlib

import pytest

from symbolic_mech import derive, result_ids
from symbolic_mech.cli import main
from symbolic_mech.core import checker
from symbolic_mech.registry import get

ROOT = pathlib.Path(__file__).resolve().parents[1]

# for each erratum, the id of the check stating the paper's claim: the one check refuted against
# its expectation.  Every other check of the result must still have its expected status.
ERRATUM_CHECKS = {"example4-stated-payoff": "stated-payoff"}


@pytest.mark.parametrize("rid", result_ids())
def test_result_matches_expectation(rid):
    d = derive(rid)
    v = d.verdict
    assert v.status == get(rid).expected, (v.status, v.evidence.get("reason"))
    # a failure the paper exhibits, or an erratum, carries an exact witness
    if any(c["status"] == "refuted" and not c["control"] for c in v.evidence.get("checks", [])):
        assert v.evidence.get("witness")
    # check by check, so that an erratum cannot hide a second, unexpected failure
    erratum_check = ERRATUM_CHECKS.get(rid)
    for check, expect, control in d.checks:
        if check.id == erratum_check:
            assert (expect, check.status) == ("proved", "refuted"), check.claim
            continue
        assert check.status == expect, check.claim
        if control:
            assert check.status == "refuted", check.claim
    if erratum_check is not None:
        assert erratum_check in {check.id for check, _, _ in d.checks}
    # every check's certificate is replayed by the independent checker, Monte Carlo re-run from its seed
    for check, _, _ in d.checks:
        assert check.certificate is not None, check.id
        report = checker.recheck(check.certificate, samplers={check.id: check.sampler} if check.sampler else None)
        assert report.confirmed, (check.id, report.problems)


def test_every_result_has_a_proof_script():
    stems = {p.stem for p in (ROOT / "proofs").glob("*.py")}
    for rid in result_ids():
        assert rid.replace("-", "_") in stems, rid


def test_cli_unknown_id_exits_2(capsys):
    assert main(["verify", "no-such-result"]) == 2
    assert "no-such-result" in capsys.readouterr().err


def test_cli_json(capsys):
    assert main(["verify", "example3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"version", "paper", "all_ok", "results"} and out["all_ok"] is True
    rows = out["results"]
    assert rows[0]["id"] == "example3" and rows[0]["ok"] is True
    w = rows[0]["evidence"]["witness"]
    assert set(w) >= {"truth", "report", "gain"}


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
    assert doc.count(r"\[") == doc.count(r"\]") > 0


def test_cli_table_names_claim_status_and_total(capsys):
    assert main(["verify", "example3"]) == 0
    out = capsys.readouterr().out
    assert "Example 3" in out and "proved" in out and "witness gain=1/4" in out
    assert "1/1 results match their expectation in" in out


def _saved(capsys, tmp_path, rid="example3"):
    assert main(["verify", rid, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps(out))
    return out, path


def test_cli_recheck_confirms_a_saved_run(capsys, tmp_path):
    _, path = _saved(capsys, tmp_path)
    assert main(["recheck", str(path)]) == 0
    assert "certificates confirmed" in capsys.readouterr().out


def _refuted_certificate(out):
    checks = out["results"][0]["evidence"]["checks"]
    return next(c["certificate"] for c in checks if c["status"] == "refuted")


@pytest.mark.parametrize("corrupt", ["moved witness", "changed gap", "outside domain", "flipped status"])
def test_cli_recheck_rejects_corrupted_certificates(capsys, tmp_path, corrupt):
    out, path = _saved(capsys, tmp_path)
    cert = _refuted_certificate(out)
    w = cert["witness"]
    name = sorted(w["point"])[0]
    if corrupt == "moved witness":
        # theta1' = 1 moved to 1/8: the report no longer wins the slot, the gain is no longer positive
        w["point"]["theta1'"] = "1/8"
    elif corrupt == "changed gap":
        w["gap"] = ["Rational", "7", "3"]
    elif corrupt == "outside domain":
        cert["domains"][name] = dict(cert["domains"][name], lo="1000", lo_open=False, hi=None)
    else:
        cert["status"] = "proved"
    path.write_text(json.dumps(out))
    assert main(["recheck", str(path)]) == 1
    assert "REJECTED" in capsys.readouterr().out
