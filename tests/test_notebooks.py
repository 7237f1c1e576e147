"""The notebooks are build output of the proof scripts: committed, current and clean.

For every proof script ``proofs/<stem>.py`` the committed ``notebooks/<stem>.ipynb``
must have the cells a fresh conversion gives (so an edited script without a
rebuilt notebook fails), no error output, rendered formulas, and end with the
verdict.  These tests read the committed notebooks; they do not execute them
(``symbolic-mech notebooks`` does).
"""
from pathlib import Path

import pytest
import sympy as sp

from symbolic_mech.core.kernel import PROVED, REFUTED, Verdict
from symbolic_mech.presentation.display import derivation_items, display_derivation
from symbolic_mech.presentation.printers import latex
from symbolic_mech.presentation.notebooks import proof_scripts, script_to_notebook
from symbolic_mech.registry import RESULTS, Derivation, Result, register

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = proof_scripts(ROOT)
STEMS = [p.stem for p in SCRIPTS]


@pytest.fixture
def nbformat():
    return pytest.importorskip("nbformat")


def _committed(nbformat, stem):
    path = ROOT / "notebooks" / f"{stem}.ipynb"
    assert path.is_file(), f"{path.name} is missing: run `symbolic-mech notebooks {stem}`"
    return nbformat.read(str(path), as_version=4)


def _outputs(nb):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def test_every_script_is_found(tmp_path):
    assert "theorem1" in STEMS and all(not s.startswith("_") for s in STEMS)
    (tmp_path / "proofs").mkdir()
    for name in ("b.py", "_helper.py", "a.py", "notes.txt"):
        (tmp_path / "proofs" / name).write_text("")
    assert [p.name for p in proof_scripts(tmp_path)] == ["a.py", "b.py"]


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_is_current(nbformat, stem):
    nb = _committed(nbformat, stem)
    fresh = script_to_notebook(ROOT / "proofs" / f"{stem}.py")
    assert [(c.cell_type, c.source, c.id) for c in nb.cells] == \
           [(c.cell_type, c.source, c.id) for c in fresh.cells], \
        f"notebooks/{stem}.ipynb is stale: run `symbolic-mech notebooks {stem}`"
    nbformat.validate(nb)


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_is_executed_without_errors(nbformat, stem):
    nb = _committed(nbformat, stem)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "notebook was not executed"
    assert not [o for o in _outputs(nb) if o.output_type == "error"]
    assert not [c for c in nb.cells if "execution" in c.metadata], "timings were recorded"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_shows_its_verdict(nbformat, stem):
    nb = _committed(nbformat, stem)
    assert not [c for c in nb.cells if c.cell_type == "code" and "SystemExit" in c.source]
    verdicts = [o.data["text/plain"] for o in _outputs(nb)
                if "text/plain" in o.get("data", {}) and o.data["text/plain"].startswith("VERDICT ")]
    assert len(verdicts) == 1
    status, expected = verdicts[0].split(": ", 1)[1].rstrip(")").split(" (expected ")
    assert status == expected, f"{stem}: {verdicts[0]}"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_shows_formulas_in_the_paper_notation(nbformat, stem):
    # a displayed item is Markdown (titles, checks, the verdict) or a formula
    # (a sympy expression or matrix step), which must be rendered as LaTeX
    nb = _committed(nbformat, stem)
    shown = [o.data for o in _outputs(nb) if o.output_type == "display_data"]
    assert shown and all("text/plain" in d for d in shown)
    assert all("text/markdown" in d or "text/latex" in d or "image/png" in d for d in shown), "a formula is not rendered"
    latex_out = [d["text/latex"] for d in shown if "text/latex" in d]
    assert all(t.startswith("$\\displaystyle ") and t.endswith("$") for t in latex_out)
    raw = [t for t in latex_out if "E[omega" in t or "V_{1" in t or "operatorname{E" in t]
    assert not raw, f"{stem}: atom names left in the LaTeX: {raw[0][:120]}"


def test_notebooks_show_formulas(nbformat):
    with_formulas = [stem for stem in STEMS if any(
        "text/latex" in o.get("data", {}) for o in _outputs(_committed(nbformat, stem)))]
    assert "theorem1" in with_formulas and len(with_formulas) >= len(STEMS) // 2


# ---------------------------------------------------------------------------
# the converter and the printer on small inputs
# ---------------------------------------------------------------------------

SCRIPT = '''# %% [markdown]
# # Lemma 0 (a toy result)
#
# It holds.

# %%
import sympy as sp
from symbolic_mech import check_identity
from symbolic_mech.registry import Result, start

d = start(Result("lemma0", "Lemma 0", "1 + x - 1 = x"))
x = sp.Symbol("x")

# %% [markdown]
# Some *text* and a formula $x = 1$.
#
# A second paragraph.

# %%
lhs = d.step("the left side", 1 + x - 1)
d.check(check_identity(lhs, x, id="lemma0"))

# %%
d.conclude()
'''


def test_script_to_notebook(nbformat, tmp_path):
    path = tmp_path / "lemma0.py"
    path.write_text(SCRIPT)
    nb = script_to_notebook(path)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds == ["markdown", "code", "markdown", "code", "code"]
    assert nb.cells[0].source.startswith("# Lemma 0 (a toy result)\n\nIt holds.\n\n")
    assert "proofs/lemma0.py" in nb.cells[0].source
    assert nb.cells[1].source.startswith("import sympy as sp\n")
    assert nb.cells[2].source == "Some *text* and a formula $x = 1$.\n\nA second paragraph."
    assert nb.cells[4].source == "d.conclude()"
    assert [c.id for c in nb.cells] == [f"lemma0-{k}" for k in range(5)]
    assert script_to_notebook(path) == nb                  # deterministic
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_a_script_run_as_a_program_shows_each_step_and_exits_with_its_verdict(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "lemma0.py"
    path.write_text(SCRIPT)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Lemma 0: 1 + x - 1 = x"
    assert lines.index("the left side:") < next(k for k, ln in enumerate(lines) if "[proved]" in ln)
    assert lines[-1] == "VERDICT lemma0: proved (expected proved)"
    path.write_text(SCRIPT.replace("check_identity(lhs, x,", "check_identity(lhs, x + 1,"))
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and run.stdout.splitlines()[-1] == "VERDICT lemma0: refuted (expected proved)"


def test_derive_runs_the_script_silently(capsys):
    from symbolic_mech import derive
    d = derive("theorem1")
    assert d.ok and not d.live and capsys.readouterr().out == ""
    assert any(title.startswith("[Gaussian] efficient allocation") for title, _ in d.steps)


def test_a_script_must_start_its_own_result_and_conclude():
    from symbolic_mech.registry import _COLLECTING, start
    _COLLECTING.append(Derivation(Result("toy", "Lemma 0", "claim")))
    try:
        with pytest.raises(ValueError, match="starts 'theorem1'"):
            start("theorem1")
    finally:
        _COLLECTING.pop()
    with pytest.raises(ValueError, match="no derivation"):
        Result("toy", "Lemma 0", "claim").run()


def test_latex_of_posterior_moment_atoms():
    s1, s2 = sp.Symbol("s1", real=True), sp.Symbol("s2", real=True)
    mean = sp.Function("E[omega|1,2]", real=True)
    assert latex(mean(sp.Symbol("s1'", real=True), s2)) == r"\mathbb{E}\left[\omega \mid s_{1}', s_{2}\right]"
    assert latex(mean(0, s2)) == r"\mathbb{E}\left[\omega \mid s_{1} = 0, s_{2}\right]"
    assert latex(sp.Function("E[omega^2|1,2]")(s1, s2)) == r"\mathbb{E}\left[\omega^{2} \mid s_{1}, s_{2}\right]"
    assert latex(mean(s1, s2) ** 2) == r"\mathbb{E}\left[\omega \mid s_{1}, s_{2}\right]^{2}"
    assert latex(sp.Symbol("V_1,2", positive=True)) == r"\mathrm{Var}\left[\omega \mid s_{1}, s_{2}\right]"
    assert latex(sp.Symbol("E[omega|s1,s2]")) == r"\mathbb{E}\left[\omega \mid s_{1}, s_{2}\right]"
    assert latex(sp.Symbol("theta1'") * sp.Symbol("omega_hat")) == r"\hat{\omega} \theta_{1}'"
    assert latex(sp.Function("h1_0")(s1)) == sp.latex(sp.Function("h1_0")(s1))   # others unchanged


def _toy_derivation() -> Derivation:
    theta = sp.Symbol("theta1")

    def derive(d):
        d.step("a text line")
        d.step("an expression", (theta**2 - 1) / (theta - 1))
        d.check(Verdict("toy", "it holds", PROVED, {"points_checked": 3}))
        d.check(Verdict("toy", "a mutation fails", REFUTED, {"witness": {"point": {}, "gap": 1}}), expect=REFUTED, control=True)
    return Result("toy", "Lemma 0", "a toy claim", derive).run()


def test_show_prints_lines_outside_a_kernel(capsys):
    d = _toy_derivation()
    d.show()
    assert capsys.readouterr().out.splitlines() == d.lines()


def test_derivation_items():
    d = _toy_derivation()
    items = derivation_items(d)
    assert all("text/plain" in item for item in items)
    assert items[0]["text/markdown"] == "**Lemma 0**: a toy claim"
    formulas = [item for item in items if "text/latex" in item]
    assert [{k: f[k] for k in ("text/latex", "text/plain")} for f in formulas] == \
           [{"text/latex": r"$\displaystyle \theta_{1} + 1$", "text/plain": "θ₁ + 1"}]
    assert formulas[0]["latex"] == r"\theta_{1} + 1"
    assert items[-1]["text/plain"] == "VERDICT toy: proved (expected proved)"
    checks = [i["text/markdown"] for i in items if i.get("text/markdown", "").startswith("- ")]
    assert checks == ["- **proved** check: it holds (3 exact points)",
                      "- **refuted, as required** negative control: a mutation fails (witness: left − right side = 1 (exact))"]
    assert [i["kind"] for i in items] == ["heading", "text", "title", "formula", "check", "check", "verdict"]


def test_lines_are_the_items_plain_text():
    # the terminal shows the notebook's text, matrices pretty-printed as in a notebook
    def derive(d):
        d.step("a matrix", sp.Matrix([[1], [sp.Symbol("x")]]))
        d.check(Verdict("toy", "it holds", PROVED))
    d = Result("toy", "Lemma 0", "a toy claim", derive).run()
    assert d.lines() == ["Lemma 0: a toy claim", "", "a matrix:", "    ⎡1⎤", "    ⎢ ⎥", "    ⎣x⎦",
                         "  [proved] check: it holds", "", "VERDICT toy: proved (expected proved)"]


def test_display_derivation_publishes_mime_bundles(monkeypatch):
    display = pytest.importorskip("IPython.display")
    shown = []
    monkeypatch.setattr(display, "display", lambda bundle, raw: shown.append(bundle))
    monkeypatch.setattr("symbolic_mech.presentation.display.in_kernel", lambda: True)
    d = _toy_derivation()
    display_derivation(d)
    assert shown and all("/" in key for bundle in shown for key in bundle)
    assert shown == [{k: v for k, v in item.items() if k.startswith("text/")} for item in derivation_items(d)]


def test_ok_is_the_verdict_matching_the_expectation():
    assert _toy_derivation().ok
    refuted = Result("toy", "Lemma 0", "a toy claim",
                     lambda d: d.check(Verdict("toy", "x", REFUTED, {"witness": {"point": {}, "gap": 1}})),
                     expected=REFUTED, refutes=("toy",))
    assert refuted.run().ok
    assert not Result("toy", "Lemma 0", "a toy claim", lambda d: None).run().ok   # no checks: inconclusive
    with pytest.raises(ValueError, match="expected"):
        register("toy-inconclusive", "Lemma 0", "a toy claim", expected="inconclusive")(lambda d: None)
    assert "toy-inconclusive" not in RESULTS


@pytest.mark.slow
def test_build_executes_a_script(nbformat, tmp_path):
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from symbolic_mech.presentation.notebooks import build_one
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "lemma0.py").write_text(SCRIPT)
    (tmp_path / "proofs" / "broken.py").write_text("# %%\n1 / 0\n")
    built = build_one(tmp_path / "proofs" / "lemma0.py", root=tmp_path, timeout=120)
    assert built.ok and built.notebook == tmp_path / "notebooks" / "lemma0.ipynb"
    nb = nbformat.read(str(built.notebook), as_version=4)
    shown = [o.data["text/markdown"] for o in nb.cells[-1].outputs if "data" in o]
    assert shown[-1] == "**VERDICT lemma0: proved (expected proved)**"
    assert "version" not in nb.metadata.language_info
    failed = build_one(tmp_path / "proofs" / "broken.py", root=tmp_path, timeout=120)
    assert not failed.ok and "ZeroDivisionError" in failed.error
    assert not (tmp_path / "notebooks" / "broken.ipynb").exists()


@pytest.mark.parametrize("stem", STEMS)
def test_a_script_is_its_derivation(stem):
    # the derivation is in the script's cells: at least three code cells record steps or checks
    # computed there with the public API, and no cell hands the work to a registered derivation
    import jupytext
    nb = jupytext.read(ROOT / "proofs" / f"{stem}.py", fmt="py:percent")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not [c for c in code if "derive(" in c], f"{stem}: a cell calls derive()"
    working = [c for c in code if "d.step(" in c or "d.check(" in c or "d.hypothesis(" in c]
    assert len(working) >= 3, f"{stem}: {len(working)} code cells record steps or checks"
    assert sum("d.conclude()" in c for c in code) == 1


@pytest.mark.parametrize("stem", STEMS)
def test_a_cell_shows_each_step_once(nbformat, stem):
    # a cell ending in d.step(...) or d.check(...) has shown its value already: it is not echoed
    for cell in _committed(nbformat, stem).cells:
        if cell.cell_type != "code":
            continue
        shown = {o.data.get("text/plain") for o in cell.outputs if o.output_type == "display_data"}
        echoed = [o.data.get("text/plain") for o in cell.outputs if o.output_type == "execute_result"]
        assert not [e for e in echoed if e in shown or "proved" in (e or "") or "refuted" in (e or "")], \
            f"{stem}: a cell shows its value twice"
