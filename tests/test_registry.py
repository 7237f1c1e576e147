"""Every registered result matches its expectation; proof scripts and the CLI read the same registry."""
import json
import pathlib

import pytest

from symbolic_mech import derive, result_ids
from symbolic_mech.cli import main
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
