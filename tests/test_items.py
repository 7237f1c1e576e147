"""The paper's statements as data: every item has its text, and every rendering keeps its formulas.

Each statement is rendered as the notebooks (Markdown through nbconvert's mistune), the offline
pages (MathML), the report (LaTeX) and the terminal (Unicode) show it; each check counts what a
broken renderer loses: a formula, a sign, a subscript, or a line that overflows the terminal.
"""
import html
import re
import shutil
import subprocess

import pytest

from symbolic_mech.paper.items import ITEMS, PASSAGES, item
from symbolic_mech.presentation.quotes import (SUBSCRIPTS, quote_html, quote_latex, quote_markdown, quote_unicode,
                                        tex_to_unicode)

NAMES = [i.name for i in ITEMS + PASSAGES]
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<!\$)\$([^$]+)\$(?!\$)")


def segments(statement):
    """The statement's formulas in order: (TeX, whether displayed)."""
    return [(m.group(1), True) if m.group(1) is not None else (m.group(2), False)
            for m in re.finditer(r"\$\$(.+?)\$\$|\$([^$]+)\$", statement, re.S)]


def prose(statement):
    return _INLINE.sub(" ", _DISPLAY.sub(" ", statement))


def tex_signs(tex):
    tex = re.sub(r"\\text\{[^}]*\}", "", tex)
    return (tex.count("+"), tex.count("-"), tex.count("="),
            len(re.findall(r"\\le(?:q)?(?![a-zA-Z])", tex)), len(re.findall(r"\\ge(?:q)?(?![a-zA-Z])", tex)))


def text_signs(text):
    return (text.count("+") + text.count("₊"), text.count("-") + text.count("₋") + text.count("−"),
            text.count("=") + text.count("₌"), text.count("≤"), text.count("≥"))


def tex_subscripts(tex):
    return len(re.findall(r"(?<!\\)_", tex)) + tex.count(r"\underset")


def text_subscripts(text):
    return text.count("_") + len(re.findall(f"[{SUBSCRIPTS}]+", text))


EXPECTED = ([f"Definition {k}" for k in range(1, 10)] + ["Theorem 1", "Theorem 2"]
            + [f"Proposition {k}" for k in range(1, 4)] + [f"Corollary {k}" for k in range(1, 4)]
            + [f"Example {k}" for k in range(1, 6)] + ["Lemma 1"] + [f"Equation ({k})" for k in range(1, 10)]
            + ["Footnote 8", "Footnote 16", "Footnote 22"] + [f"Section 4.2.{k}" for k in range(2, 6)])


def test_every_item_has_its_statement():
    assert sorted(i.name for i in ITEMS) == sorted(EXPECTED)
    for i in ITEMS + PASSAGES:
        assert i.statement.strip(), i.name
    # each numbered equation carries its number
    for k in range(1, 10):
        assert rf"\tag{{{k}}}" in item(f"Equation ({k})").statement
    with pytest.raises(ValueError):
        item("Theorem 3")


@pytest.mark.parametrize("name", NAMES)
def test_statement_is_safe_markdown(name):
    """No sign of a display can become a list bullet, no underscore or star outside math italics."""
    statement = item(name).statement
    for tex, display in segments(statement):
        if display:
            assert "\n" not in tex.strip(), "a display is one line"
    for line in prose(statement).splitlines():
        assert "_" not in line, line
        assert not re.sub(r"(?<![\w*])\*[^*\n]+\*(?![\w*])", "", line).count("*"), line
    for line in quote_markdown(name).splitlines():
        body = line.removeprefix(">").strip()
        if body.startswith("$$"):
            continue
        assert not re.match(r"[+*-] |\d+\. ", body) or re.match(r"\d+\. ", body) and name == "Corollary 3", line


@pytest.mark.parametrize("name", NAMES)
def test_markdown_keeps_every_formula(name):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    statement = item(name).statement
    page = markdown2html_mistune(quote_markdown(name))
    text = html.unescape(page)
    for tex, display in segments(statement):
        flat = " ".join(tex.split())
        assert ("$$" + flat + "$$" if display else "$" + tex + "$") in text, tex
    # list items and emphasis only where the paper has them, never made from math
    assert page.count("<li>") == len(re.findall(r"^\d+\. ", statement, re.M))
    assert page.count("<em>") == len(re.findall(r"(?<![\w*])\*[^*\n]+\*(?![\w*])", prose(statement)))
    for fragment in re.findall(r"<(?:em|li)>(.*?)</(?:em|li)>", page, re.S):
        assert "$" not in fragment or fragment.count("$") % 2 == 0


@pytest.mark.parametrize("name", NAMES)
def test_mathml_keeps_every_formula(name):
    pytest.importorskip("latex2mathml")
    statement = item(name).statement
    page = quote_html(name)
    maths = re.findall(r"<math .*?</math>", page, re.S)
    assert len(maths) == len(segments(statement))
    assert "<code>" not in page and "merror" not in page and "$" not in page
    for (tex, _), math in zip(segments(statement), maths):
        shown = html.unescape(re.sub(r"<[^>]+>", " ", math))
        assert not re.search(r"\\[A-Za-z]", shown), (tex, shown)
        assert math.count("<msub") + math.count("<munder") >= tex_subscripts(tex) - tex.count(r"\underset"), tex


@pytest.mark.parametrize("name", NAMES)
def test_latex_keeps_every_formula(name):
    statement = item(name).statement
    tex_out = quote_latex(name)
    for tex, display in segments(statement):
        tex = tex.replace(r"\mathbb{1}", r"\mathbf{1}")
        if display:
            body = re.sub(r"\s*\\tag\{([^}]*)\}", r" \\qquad\\text{(\1)}", " ".join(tex.split()))
            assert r"\smfit{" + body + "}" in tex_out, tex
        else:
            assert "$" + tex + "$" in tex_out, tex
    outside = re.sub(r"\$[^$]*\$|\\smfit\{.*\}", "", tex_out)
    assert not re.search(r"(?<!\\)[_^&%#*…]", outside.replace(r"\textasciicircum{}", ""))
    assert outside.count(r"\emph{") == len(re.findall(r"(?<![\w*])\*[^*\n]+\*(?![\w*])", prose(statement)))


@pytest.mark.parametrize("name", NAMES)
def test_unicode_keeps_signs_and_subscripts(name):
    statement = item(name).statement
    for tex, _ in segments(statement):
        text = tex_to_unicode(tex)
        assert text_signs(text) == tex_signs(tex), (tex, text)
        assert text_subscripts(text) == tex_subscripts(tex), (tex, text)
        assert "\\" not in text and "\0" not in text, text
        for letter, shown in (("E", "𝔼"), ("R", "ℝ"), ("N", "ℕ"), ("1", "𝟙")):
            assert text.count(shown) == tex.count(rf"\mathbb{{{letter}}}"), (tex, text)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width", [80, 60, 40])
def test_unicode_fits_the_width(name, width):
    statement = item(name).statement
    shown = quote_unicode(name, width=width)
    lines = shown.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    squeezed = re.sub(r"\s+", "", shown)
    for tex, _ in segments(statement):
        assert re.sub(r"\s+", "", tex_to_unicode(tex)) in squeezed, tex


def test_unicode_width_follows_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    assert max(len(line) for line in quote_unicode("Example 2").splitlines()) <= 50
    monkeypatch.delenv("COLUMNS")
    lines = quote_unicode("Example 2").splitlines()
    assert max(len(line) for line in lines) <= 80 and max(len(line) for line in lines) > 60


def test_the_checks_see_a_broken_rendering():
    """The counts above fail on a rendering that drops a sign or a subscript."""
    tex = r"-\frac{1}{4}(\theta_i - \theta_j)^2 + \mathbb{E}_{\omega|s}[\omega]"
    good = tex_to_unicode(tex)
    assert text_signs(good) == tex_signs(tex) and text_subscripts(good) == tex_subscripts(tex)
    assert text_signs(good.replace("+", "", 1)) != tex_signs(tex)
    assert text_subscripts(good.replace("ⱼ", "j")) != tex_subscripts(tex)
    assert text_subscripts(good.replace("_{ω|s}", "ω|s")) != tex_subscripts(tex)


def test_a_markdown_display_starting_with_a_sign_stays_math():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    # Example 2's second line of a display starts with "=": a line of its own after "$$" stays math
    page = markdown2html_mistune(quote_markdown("Example 2"))
    assert "<li>" not in page and "<h1>" not in page and "<h2>" not in page


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_quotes_compile_without_overfull_boxes(tmp_path):
    from symbolic_mech.presentation.report import _PREAMBLE
    doc = _PREAMBLE + "\\begin{document}\n" + "\n".join(quote_latex(n) for n in NAMES) + "\\end{document}\n"
    (tmp_path / "quotes.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "quotes.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    log = (tmp_path / "quotes.log").read_text(errors="replace")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Overfull" not in log, re.findall(r"Overfull.*\n.*", log)[:3]


def test_paper_shows_the_statement_live_and_records_it(capsys):
    from symbolic_mech.registry import Result, start
    d = start(Result("toy", "Lemma 0", "1 + 1 = 2"))
    d.paper("Theorem 1", "Theorem 1")
    shown = capsys.readouterr().out
    assert "Theorem 1 (Impossibility), Section 3" in shown and "vᵢ is supermodular" in shown
    assert d.quotes == ["Theorem 1"]
    with pytest.raises(ValueError):
        d.paper("Theorem 9")
    assert d.quotes == ["Theorem 1"] and capsys.readouterr().out == ""


def test_paper_is_silent_under_verify_and_quoted_in_the_report(capsys):
    from symbolic_mech.registry import derive
    from symbolic_mech.presentation.report import latex_report, markdown_report
    d = derive("example3")
    assert capsys.readouterr().out == ""
    assert d.quotes == ["Example 3"]
    assert quote_markdown("Example 3") in markdown_report([d])
    assert quote_latex("Example 3") in latex_report([d])
    assert quote_unicode("Example 3") in "\n".join(d.lines())


def test_no_script_quotes_the_paper_in_ascii():
    from symbolic_mech.presentation.notebooks import proof_scripts
    for path in proof_scripts():
        source = path.read_text(encoding="utf-8")
        if path.stem in ("tutorial_own_mechanism", "data_driven_lp"):
            continue         # models of the package's own, not the paper's: nothing to quote
        assert "d.paper(" in source, path.name
        assert not [ln for ln in source.splitlines() if ln.startswith("# >")], path.name
        for name in re.findall(r'd\.paper\(([^)]*)\)', source):
            for quoted in re.findall(r'"([^"]+)"', name):
                item(quoted)
