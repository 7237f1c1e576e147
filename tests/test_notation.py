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
