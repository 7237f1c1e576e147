"""The LaTeX report compiles with pdflatex and reads like an appendix; its text is escaped."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from symbolic_mech.registry import derive
from symbolic_mech.presentation.report import _formula, _tex, _tt, latex_report, markdown_report

# a result with a witness, one with formulas too long for a line, an erratum, and a negative cycle
RESULTS = ["example3", "example4", "example4-stated-payoff", "per-impression"]


@pytest.fixture(scope="module")
def derivations():
    return [derive(rid) for rid in RESULTS]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("report")


@pytest.fixture(scope="module")
def document(derivations, folder):
    return latex_report(derivations, version="0.0.test", figures=folder / "report-figures")


@pytest.mark.slow
def test_reads_like_an_appendix(document, derivations):
    assert document.startswith(r"\documentclass")
    for package in (r"\usepackage[T1]{fontenc}", r"\usepackage{lmodern}", r"\usepackage{array,longtable,booktabs}"):
        assert package in document
    assert r"\maketitle" in document and r"\bibitem{ddmd}" in document and r"\cite{ddmd}" in document
    assert r"\begin{longtable}" in document
    for d in derivations:
        assert rf"\label{{res:{d.result.id}}}" in document
    for part in ("What is checked.", "Scope.", "Derivation.", "Checks.", "Verdict."):
        assert document.count(r"\paragraph{" + part + "}") == len(derivations), part
    # the paper's own statement comes first, and each check is listed once, in its table
    quoting = [d for d in derivations if d.quotes]
    assert document.count(r"\paragraph{The paper.}") == len(quoting)
    for d in quoting:
        section = document.split(rf"\label{{res:{d.result.id}}}")[1]
        assert section.index(r"\paragraph{The paper.}") < section.index(r"\paragraph{What is checked.}")
    for d in derivations:
        section = document.split(rf"\label{{res:{d.result.id}}}")[1].split(r"\subsection")[0]
        for check, _, _ in d.checks:
            assert section.count(_tt(check.id)) == 1, check.id
    assert "refuted, as required" in document
    assert "the paper's claim fails" in document                      # the erratum's designated check


@pytest.mark.slow
def test_has_the_scripts_prose_and_figures_in_their_place(document, folder):
    example3 = document.split(r"\label{res:example3}")[1].split(r"\subsection")[0]
    # the script's prose, its math kept as math, between the steps its cells record
    heading = r"\subsubsection*{The gain of every report}"
    assert heading in example3 and "$(\\theta_1', s_1')$" in example3
    assert example3.index(r"\paragraph{Derivation.}") < example3.index(heading) < example3.index(r"\paragraph{Checks.}")
    # the figures of the executed notebooks, written beside the document and included with a caption
    included = re.findall(r"\\includegraphics\[[^]]*\]\{([^}]+)\}", document)
    assert {Path(p).name.split("-")[0] for p in included} == {"example3", "example4"}
    assert all((folder / p).is_file() and (folder / p).read_bytes()[:4] == b"\x89PNG" for p in included)
    assert example3.index(heading) < example3.index(r"\includegraphics")
    assert r"\caption{The gain of every report}" in example3


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_compiles_with_pdflatex(document, folder):
    tmp_path = folder                                                   # beside its figures
    (tmp_path / "report.tex").write_text(document, encoding="utf-8")
    for _ in range(2):                                                  # the second run resolves references
        run = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "report.tex"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300)
        log = (tmp_path / "report.log").read_text(encoding="utf-8", errors="replace")
        assert run.returncode == 0, "\n".join(ln for ln in log.splitlines() if ln.startswith("!"))[:2000]
    assert (tmp_path / "report.pdf").stat().st_size > 10_000
    assert not re.findall(r"^! ", log, re.M)
    wide = [float(w) for w in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]
    assert not [w for w in wide if w > 5], f"overfull boxes: {sorted(wide)[-5:]}"
    assert "Unicode character" not in log and "undefined references" not in log


@pytest.mark.parametrize("text, shown", [
    ("a | b", "a | b"),
    ("[Gaussian] x", "{[}Gaussian{]} x"),
    ("h_i & 50% #1 $x$ {y} ~ ^", r"h\_i \& 50\% \#1 \$x\$ \{y\} \textasciitilde{} \textasciicircum{}"),
    ("a \\ b", r"a \textbackslash{} b"),
    ("θ ≥ 0 → ω", r"\ensuremath{\theta} \ensuremath{\geq} 0 \ensuremath{\to} \ensuremath{\omega}"),
    ("Välimäki – Dütting", "Välimäki -- Dütting"),
])
def test_text_is_escaped(text, shown):
    assert _tex(text) == shown


def test_long_tokens_may_break():
    out = _tex("2475084444104061/1746050240704")
    assert r"\allowbreak{}" in out and out.replace(r"\allowbreak{}", "") == "2475084444104061/1746050240704"


@pytest.mark.slow
def test_long_formulas_come_abbreviated():
    # the report typesets the display items: a long formula comes as named parts, each within the cap
    from symbolic_mech.presentation.display import step_items
    from symbolic_mech.presentation.printers import within_cap
    from symbolic_mech.registry import Result
    xs = sp.symbols("x1:40")
    expr = sum(sp.Rational(k + 1, k + 2) * x ** 2 for k, x in enumerate(xs))
    d = Result("toy", "Lemma 0", "a toy claim", lambda d: None).run()
    formulas = [i for i in step_items(d, "a long sum", expr) if i["kind"] == "formula"]
    assert len(formulas) > 1 and all(within_cap(f["text/plain"], f["text/latex"]) for f in formulas)
    assert _formula(formulas[1]) == [r"\begin{center}", r"\smfit{" + formulas[1]["latex"] + "}", r"\end{center}"]
    assert formulas[1]["latex"].startswith(r"\text{where } ")


@pytest.mark.slow
def test_markdown_report_cites_the_paper(derivations):
    text = markdown_report(derivations[:1])
    assert "Data-Driven Mechanism Design" in text and "| example3 | Example 3 |" in text


# -- offline HTML notebooks ------------------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture
def html_tools():
    pytest.importorskip("nbconvert")
    pytest.importorskip("latex2mathml")
    return pytest.importorskip("nbformat")


def test_html_page_needs_no_network(html_tools):
    from symbolic_mech.presentation.notebooks import notebook_html
    nb = html_tools.read(str(ROOT / "notebooks" / "example3.ipynb"), as_version=4)
    page = notebook_html(nb, "example3")
    assert "<title>Example 3: example3 (symbolic_mech)</title>" in page
    assert not re.findall(r"<script[^>]*\bsrc=", page) and not re.findall(r"<link[^>]*\bhref=\"?https?:", page)
    assert "mathjax" not in page.lower() and "@import" not in page
    from symbolic_mech.presentation.notebooks import _DISPLAY_MATH, _INLINE_MATH
    outputs = [o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    formulas = sum("text/latex" in data for data in outputs)
    # the paper's statement and any Markdown cell: each $...$ or $$...$$ a MathML formula
    texts = [data["text/markdown"] for data in outputs if "text/markdown" in data]
    texts += [c.source for c in nb.cells if c.cell_type == "markdown"]
    quoted = sum(len(_DISPLAY_MATH.findall(t)) + len(_INLINE_MATH.findall(_DISPLAY_MATH.sub("", t))) for t in texts)
    assert formulas and quoted and page.count("<math ") == formulas + quoted
    assert 'class="sm-banner sm-ok"' in page and "matches its expectation" in page


def _toy_notebook(nbformat, label, status="refuted"):
    v4 = nbformat.v4
    shown = [v4.new_output("display_data", data={"text/markdown": f"- **{label}** negative control: a mutation fails",
                                                 "text/plain": "x"}),
             v4.new_output("display_data", data={"text/latex": r"$\displaystyle \theta_{1} + 1$", "text/plain": "x"}),
             v4.new_output("display_data", data={"text/plain": f"VERDICT toy: {status} (expected refuted)"}),
             v4.new_output("stream", name="stdout", text=f"verdict matches expectation: {status == 'refuted'}\n")]
    nb = v4.new_notebook()
    nb.cells = [v4.new_markdown_cell("# Lemma 0\n\nInline $x^{2}$, and `$code$` left alone.", id="a"),
                v4.new_code_cell("derivation.show()", id="b", outputs=shown, execution_count=1)]
    return nb


def test_html_badges_banner_and_mathml(html_tools):
    from symbolic_mech.presentation.notebooks import offline_notebook
    nb = offline_notebook(_toy_notebook(html_tools, "refuted, as required"), "lemma0")
    assert nb.metadata.title == "Lemma 0"
    assert nb.cells[0].source.startswith("# Lemma 0\n\nInline <math") and "`$code$`" in nb.cells[0].source
    assert nb.cells[1].cell_type == "markdown" and 'sm-banner sm-ok' in nb.cells[1].source
    assert "<strong>refuted</strong> (expected refuted)" in nb.cells[1].source
    data = [o.get("data", {}) for o in nb.cells[2].outputs]
    assert data[0]["text/markdown"] == ('- <span class="sm-badge sm-ok">refuted, as required</span> '
                                        "negative control: a mutation fails")
    assert "text/latex" not in data[1] and data[1]["text/html"].startswith('<div class="sm-math"><math ')
    failed = offline_notebook(_toy_notebook(html_tools, "PROVED, EXPECTED REFUTED", status="proved"), "lemma0")
    assert "sm-banner sm-fail" in failed.cells[1].source and "does not match" in failed.cells[1].source
    assert 'sm-badge sm-fail' in failed.cells[2].outputs[0]["data"]["text/markdown"]


def test_steps_recorded_by_shared_helpers_are_placed_at_the_scripts_line():
    # Proposition 3's steps are recorded inside symbolic_mech.paper.section4, called from the script
    d = derive("proposition3")
    assert d.source.endswith("proposition3.py") and len(d.origins) == len(d.steps)
    assert all(o is not None and o[0] == d.source for o in d.origins)
    doc = latex_report([d])
    derivation = doc.split(r"\paragraph{Derivation.}")[1].split(r"\paragraph{Checks.}")[0]
    assert r"\subsubsection*{" in derivation and r"\smfit{" in derivation
