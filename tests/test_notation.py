"""One notation: the proof scripts' prose and step titles are written in the paper's notation.

A Markdown cell or a step title writes its mathematics as TeX math (``$\\theta_i$``,
``$\\mathbb{E}[\\omega \\mid s]$``), never as ASCII names (``theta_i``, ``E[omega | s]``); a
title's terminal form (:func:`symbolic_mech.presentation.display.title_plain`) is Unicode, with no TeX macro
left.  Block quotes (a result's claim quoted as registered) and code spans are exempt.
"""
import ast
import re
from pathlib import Path

import pytest
import sympy as sp

from symbolic_mech.presentation.notebooks import offline_markdown
from symbolic_mech.presentation.display import step_items, title_plain

PROOFS = Path(__file__).resolve().parents[1] / "proofs"
# the tutorial is written for a reader building a mechanism, in the code's names
SCRIPTS = sorted(p for p in PROOFS.glob("*.py") if p.name not in ("__init__.py", "tutorial_own_mechanism.py"))
GREEK = re.compile(r"(?<![\\\w])(?:theta|omega|alpha|sigma|mu|tau|rho|epsilon|delta|beta)(?:_\w+|\d\w*)?\b")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$|`[^`]*`", re.S)


def ascii_greek(text: str) -> list[str]:
    """The ASCII Greek names in text, outside math and code spans.

    >>> ascii_greek(r"the state omega, $\\omega$, theta_i and `theta`; omega_hat, theta1, mutual")
    ['omega', 'theta_i', 'omega_hat', 'theta1']
    """
    return GREEK.findall(_MATH.sub(" ", text))


def markdown_cells(path: Path) -> list[str]:
    """The script's Markdown cells (py:percent), block-quote lines left out."""
    cells, current = [], None
    for line in path.read_text().splitlines():
        if line.startswith("# %%"):
            current = [] if "[markdown]" in line else None
            if current is not None:
                cells.append(current)
        elif current is not None and line.startswith("#"):
            text = line[2:] if line.startswith("# ") else line[1:]
            if not text.startswith(">"):
                current.append(text)
    return ["\n".join(c) for c in cells]


def _literal(node) -> str:
    # a string's text: an f-string's literal parts, the parts of a sum; any other value as {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left) + _literal(node.right)
    return "{}"


def step_titles(path: Path) -> list[str]:
    r"""The literal text of the first argument of every ``d.step(...)``.

    >>> r"[{}] efficient allocation $x^*(\theta, s)$ (first-order condition, concave)" in step_titles(
    ...     PROOFS / "theorem1.py")
    True
    """
    return [_literal(node.args[0]) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "step"
            and node.args]


def test_finds_unconverted_prose():
    script = PROOFS / "example2.py"
    assert script in SCRIPTS and step_titles(script)
    assert ascii_greek("the pivot h_i and omega_hat = omega") == ["omega_hat", "omega"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_prose_in_paper_notation(script):
    found = {name for cell in markdown_cells(script) for name in ascii_greek(cell)}
    assert not found, f"{script.name}: ASCII Greek in Markdown: {sorted(found)}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_titles_in_paper_notation(script):
    titles = step_titles(script)
    bad = [t for t in titles if ascii_greek(t)]
    assert not bad, f"{script.name}: titles with ASCII Greek: {bad}"
    shown = [title_plain(t) for t in titles]
    assert not [s for s in shown if re.search(r"\\[A-Za-z]", s)], f"{script.name}: TeX left in {shown}"


def test_title_items_in_three_forms():
    title = r"[Gaussian] VCG class, $t_1 - h_1 = \mathbb{E}[u_2(x^*, \omega, \theta_2) \mid s]$"
    item = step_items(None, title, None)[0]
    assert item["text/plain"] == "[Gaussian] VCG class, t₁ - h₁ = 𝔼[u₂(x*, ω, θ₂) | s]"
    assert item["text/markdown"] == r"\[Gaussian\] VCG class, " + title.split(", ", 1)[1]
    pytest.importorskip("latex2mathml")
    page = offline_markdown(item["text/markdown"])
    assert page.count("<math") == 1 and "$" not in page and r"\mathbb" not in page


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_prose_math_is_typeset_offline(script):
    # inline math split across lines would reach the offline page as raw TeX
    pytest.importorskip("latex2mathml")
    left = [cell for cell in markdown_cells(script) if "$" in offline_markdown(cell)]
    assert not left, f"{script.name}: math not converted in {left}"


# ---------------------------------------------------------------------------
# claims, scope lines, hypotheses and evidence: TeX in words, as the titles
# ---------------------------------------------------------------------------

# ASCII notation outside math: Greek names, E[omega..., powers, != -> >= <=
_ASCII = re.compile(r"E\[\s*omega|\^\s*[\d{(-]|!=|->|>=|<=|\boo\b|omega_hat|\bvar\(|\bVar\(")


def ascii_notation(text: str) -> list[str]:
    """ASCII mathematics in text outside ``$...$`` math: Greek names and the ASCII operators.

    >>> ascii_notation(r"with theta1 = theta2, E[omega|s] != 0 and $\\sigma_1^2$; sigma1^2 -> 0")
    ['theta1', 'theta2', 'omega', 'sigma1', 'E[omega', '!=', '^2', '->']
    """
    words = _MATH.sub(" ", text)
    return ascii_greek(text) + _ASCII.findall(words)


def shown_plain(text: str) -> str:
    """The terminal form of words with math; it must hold no ``$`` and no TeX macro."""
    shown = title_plain(text)
    assert "$" not in shown and not re.search(r"\\[A-Za-z]", shown), (text, shown)
    return shown


def test_finds_ascii_notation():
    assert ascii_notation("E[t_1|s] = -(theta1 - theta2)^2/4") == ["theta1", "theta2", "^2"]
    assert ascii_notation(r"the same with $(\mathbb{E}[\omega \mid s_2] - \omega)^2$ dropped") == []
    with pytest.raises(AssertionError):
        shown_plain(r"a stray \alpha")


def _catalogue():
    from symbolic_mech.registry import load_statements
    return load_statements()["results"]


@pytest.mark.parametrize("rid", sorted(_catalogue()))
def test_claims_in_paper_notation(rid):
    from symbolic_mech.registry import get
    entry = _catalogue()[rid]
    # the claims the finite and schematic checkers render from a statement's fields included
    texts = [get(rid).claim] + [c["claim"] for c in entry["checks"].values()]
    bad = {t: ascii_notation(t) for t in texts if ascii_notation(t)}
    assert not bad, f"{rid}: claims with ASCII notation: {bad}"
    for text in texts:
        shown_plain(text)


def scope_texts(path: Path) -> list[str]:
    """The literal text of every ``d.scope(...)`` argument (instances, covers, not covered)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "scope":
            out += [_literal(a) for a in node.args] + [_literal(k.value) for k in node.keywords]
    return out


@pytest.mark.parametrize("script", sorted(PROOFS.glob("*.py")), ids=lambda p: p.stem)
def test_scope_in_paper_notation(script):
    bad = {t: ascii_notation(t) for t in scope_texts(script) if ascii_notation(t)}
    assert not bad, f"{script.name}: scope lines with ASCII notation: {bad}"
    for text in scope_texts(script):
        shown_plain(text)


def test_hypotheses_in_paper_notation():
    from symbolic_mech import hypotheses as h
    from symbolic_mech.estimators import AdditiveNoise, SampleClickRate
    from symbolic_mech.information import GaussianSignals
    from symbolic_mech.paper.instances import quadratic_loss
    from symbolic_mech.symbols import m
    decided = [h.unbiased(SampleClickRate(m)), h.unbiased(AdditiveNoise(sp.Symbol("v", positive=True), m)),
               h.consistent(SampleClickRate(m)), h.affine_differences(quadratic_loss(2)),
               h.supermodular(quadratic_loss(2), 1, 2), h.mean_increasing(GaussianSignals(2), 1),
               h.informative(GaussianSignals(2), 1), h.lipschitz_on_real_line(quadratic_loss(2)),
               h.gaussian_condition3(GaussianSignals(2))]
    texts = [statement for statement, *_ in decided] + [v.claim for _, vs, *_ in decided for v in vs]
    bad = {t: ascii_notation(t) for t in texts if ascii_notation(t)}
    assert not bad, f"hypotheses with ASCII notation: {bad}"
    for text in texts:
        shown_plain(text)


@pytest.mark.slow           # every result derived
@pytest.mark.parametrize("rid", sorted(_catalogue()))
def test_derivation_text_in_paper_notation(rid):
    # what a derivation shows: each check's words (a finite or schematic check's description),
    # its evidence, the scope lines with the hypotheses; the result's evidence
    from symbolic_mech import derive
    d = derive(rid)
    from symbolic_mech.presentation.printers import _TEXT_ATOM
    words = [v.evidence.get("description") or v.claim for v, _, _ in d.checks] + d.scope_lines()
    # an atom's internal name in words (R[1|1,2](theta1, ...)) is shown in the paper's notation by the renderers
    bad = {t: ascii_notation(_TEXT_ATOM.sub(" ", t)) for t in words if ascii_notation(_TEXT_ATOM.sub(" ", t))}
    assert not bad, f"{rid}: ASCII notation in {bad}"
    for text in words + [v.brief() for v, _, _ in d.checks] + [d.verdict.brief()]:
        shown_plain(text)


def test_the_ledgers_words_in_paper_notation():
    # the coverage ledger's notes, hypotheses and parts are TeX in words too (the index, the terminal, the README)
    from symbolic_mech.coverage import LEDGER
    texts = []
    for e in LEDGER:
        texts += [e.note, e.not_covered or ""] + [p.label for p in e.parts]
        texts += [t for h in e.hypotheses for t in (h.name, h.text, h.declared)]
    bad = {t: ascii_notation(t) for t in texts if t and ascii_notation(t)}
    assert not bad, f"ledger words with ASCII notation: {bad}"
    # nor mathematics typed in Unicode or with underscores outside $...$ (it would not be typeset on the index)
    typed = re.compile(r"[α-ωΑ-Ω∂Σ∑ℝ≤≥≠→√‖]|\b[A-Za-z]_|\bx0\(|\bE\[")
    unicode_math = {t: typed.findall(_MATH.sub(" ", t)) for t in texts if t and typed.search(_MATH.sub(" ", t))}
    assert not unicode_math, f"ledger words with mathematics outside $...$: {unicode_math}"
    for text in texts:
        shown_plain(text)
