"""The ``symbolic-mech`` command's output: a table that fits the terminal, quiet pipes, JSON that parses back."""
import io
import json
import re
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

from symbolic_mech.cli import main
from symbolic_mech.core import checker

FAST = ["example3", "example5", "per-impression"]


@pytest.fixture(scope="module")
def verdicts():
    """One ``verify --json`` run of a few fast results, parsed."""
    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        assert main(["verify", *FAST, "--json"]) == 0
    finally:
        sys.stdout = old
    return json.loads(out.getvalue())


# -- the table -------------------------------------------------------------------------------

@pytest.mark.slow           # each verifies example3 again, as do the four below
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_table_fits_the_terminal(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["verify", *FAST]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= columns, max(lines, key=len)
    assert lines[0].split() == ["id", "paper", "status", "ok", "time"]
    assert sum(line.startswith(("example3 ", "example5 ", "per-impression ")) for line in lines) == 3
    # a shortened field ends at a word boundary with " ...", never in the middle of a word
    assert all(not line.endswith("...") or line.endswith(" ...") for line in lines)


@pytest.mark.slow
def test_wide_prints_every_field_in_full(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["verify", "example3", "--wide"]) == 0
    out = capsys.readouterr().out
    from symbolic_mech.registry import get
    # every word of the claim, in order, none split across lines; lines wrapped at word boundaries
    words = " ".join(line.strip() for line in out.splitlines()).split()
    from symbolic_mech.presentation.display import title_plain
    claim = ("claim: " + title_plain(get("example3").claim)).split()
    assert any(words[k:k + len(claim)] == claim for k in range(len(words)))
    assert all(len(line) <= 60 or " " not in line.strip() for line in out.splitlines()[1:])
    assert "..." not in out.split("claim:")[1].split("evidence:")[0]


@pytest.mark.slow
def test_refuted_checks_show_truth_report_and_gain(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["verify", "example3"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "example3-witness" in ln and "refuted, as required" in ln)
    assert "truth θ₁ = 2, θ₂ = 1, s₁ = 1/4, s₂ = 1, report θ₁' = 1, s₁' = 1: gain 1/4 (exact)" in line


def test_monte_carlo_is_shown_against_its_exact_value(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["verify", "footnote22"]) == 0
    out = capsys.readouterr().out
    # the evidence block, its continuation lines joined
    line = " ".join(ln.strip() for ln in out.split("evidence:", 1)[1].split("scope:", 1)[0].splitlines())
    assert re.search(r"vs exact \d+/\d+ ", line) and "of |exact|" in line and " se;" in line


@pytest.mark.slow
def test_no_progress_when_stderr_is_not_a_terminal(capsys):
    assert main(["verify", "example3"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "[1/1]" not in err


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.slow
def test_progress_on_a_terminal_is_erased_before_each_row(capsys, monkeypatch):
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    monkeypatch.setattr(sys, "stdout", _Terminal())     # the table on the same terminal
    assert main(["verify", "example3", "example5"]) == 0
    err = term.getvalue()
    assert "[1/2] example3 ..." in err and "[2/2] example5 ..." in err
    assert err.endswith("\r\x1b[2K")                # nothing left on the line after the last result


def test_progress_ends_its_line_when_the_table_goes_elsewhere(capsys, monkeypatch):
    # `verify | head`: the table goes to a pipe, the progress to the terminal, one line per step
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    assert main(["verify", "example5", "--json"]) == 0
    assert term.getvalue() == "[1/1] example5 ...\n"


@pytest.mark.slow
@pytest.mark.parametrize("args", [["verify", "example3"], ["verify", "example3", "--json"], ["list"]])
def test_a_closed_pipe_ends_quietly(args):
    proc = subprocess.Popen([sys.executable, "-m", "symbolic_mech.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                             # as `| head` does once it has read enough
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err


# -- JSON --------------------------------------------------------------------------------------

def test_envelope(verdicts):
    assert set(verdicts) == {"version", "paper", "all_ok", "results"} and verdicts["all_ok"] is True
    assert "Data-Driven Mechanism Design" in verdicts["paper"]
    assert [r["id"] for r in verdicts["results"]] == FAST
    for r in verdicts["results"]:
        assert {"id", "status", "ok", "evidence", "scope", "label", "claim", "expected", "brief"} <= set(r)
        for c in r["evidence"]["checks"]:
            assert {"id", "status", "expected", "control", "evidence", "certificate"} <= set(c)
            assert c["certificate"]["id"] == c["id"]


def _records(node):
    """Every expression record in a JSON document."""
    if isinstance(node, dict):
        if {"srepr", "latex", "approx"} <= set(node):
            yield node
        else:
            for v in node.values():
                yield from _records(v)
    elif isinstance(node, list):
        for v in node:
            yield from _records(v)


_OPS = {"Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow, "exp": sp.exp, "log": sp.log, "sin": sp.sin,
        "cos": sp.cos, "tan": sp.tan, "Abs": sp.Abs, "Max": sp.Max, "Min": sp.Min, "erf": sp.erf,
        "sign": sp.sign, "Lt": sp.Lt, "Le": sp.Le, "Gt": sp.Gt, "Ge": sp.Ge, "Eq": sp.Eq, "Ne": sp.Ne,
        "And": sp.And, "Or": sp.Or, "Not": sp.Not}


def _from_tree(tree):
    """The certificate's JSON tree read back into sympy (without assumptions: the tree has none)."""
    op, *rest = tree
    if op == "Integer":
        return sp.Integer(int(rest[0]))
    if op == "Rational":
        return sp.Rational(int(rest[0]), int(rest[1]))
    if op == "Symbol":
        return sp.Symbol(rest[0])
    if op == "Function":
        return sp.Function(rest[0])(*map(_from_tree, rest[1:]))
    if op in ("true", "false"):
        return sp.true if op == "true" else sp.false
    if op == "Piecewise":
        return sp.Piecewise(*[(_from_tree(e), _from_tree(c)) for e, c in rest])
    return _OPS[op](*map(_from_tree, rest))


def _plain(expr):
    """The expression with every symbol and function stripped of its assumptions."""
    expr = expr.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef),
                        lambda e: sp.Function(type(e).__name__)(*e.args))
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


def test_expressions_parse_back_exactly(verdicts):
    records = list(_records(verdicts))
    assert records and any("Function(" in r["srepr"] for r in records)
    for rec in records:
        # in a test, srepr read back by sympify is acceptable; the package never parses text.  Read
        # unevaluated, it is the record's structure itself (evaluated, (s1 + s2 + 1)/6 would come
        # back distributed: equal, but printed otherwise)
        with sp.evaluate(False):
            as_written = sp.sympify(rec["srepr"])
        assert sp.sstr(as_written) == rec["exact"]
        expr = sp.sympify(rec["srepr"])
        if "tree" in rec:
            assert _from_tree(rec["tree"]) == _plain(expr)
        assert rec["latex"]
        if expr.is_Rational:
            assert rec["approx"] == float(Fraction(int(expr.p), int(expr.q)))


def test_srepr_keeps_assumptions():
    from symbolic_mech.presentation.report import expression_record
    mean = sp.Function("E[omega|1,2]", real=True)
    s1 = sp.Symbol("s1", real=True)
    expr = mean(s1) ** 2 + sp.Rational(1, 3)
    assert sp.sympify(expression_record(expr)["srepr"]) == expr


def test_witnesses_and_gaps(verdicts):
    ex3 = verdicts["results"][0]
    w = ex3["evidence"]["witness"]
    assert w["truth"] == {"theta1": "2", "theta2": "1", "s1": "1/4", "s2": "1"}
    assert w["report"] == {"theta1'": "1", "s1'": "1"}
    assert w["gain"]["exact"] == "1/4" and w["gain"]["approx"] == 0.25
    for r in verdicts["results"]:
        for c in r["evidence"]["checks"]:
            if c["status"] != "refuted":
                continue
            w = c["evidence"]["witness"]
            assert ("truth" in w and "report" in w) or "point" in w or "cycle" in w or "multipliers" in w, c["id"]
            gap = w.get("gain", w.get("gap"))
            if gap is not None:
                assert gap["approx"] is not None and gap["exact"], c["id"]
            assert c["as_required"] is True and c["shown_as"] == "refuted, as required"
    cycle = verdicts["results"][2]["evidence"]["witness"]
    assert cycle["gap"]["exact"] == "-1/12" and cycle["gap"]["approx"] == pytest.approx(-1 / 12)


def test_saved_json_is_rechecked_certificate_by_certificate(verdicts, tmp_path, capsys):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(verdicts))
    certs = checker.load(path)
    assert len(certs) == sum(len(r["evidence"]["checks"]) for r in verdicts["results"])
    assert main(["recheck", str(path)]) == 0
    assert "REJECTED" not in capsys.readouterr().out
