r"""Notebooks built from the proof scripts, and the LaTeX of a derivation.

A proof script ``proofs/<stem>.py`` is the source of its notebook: a script in
Jupytext's py:percent format (``# %%`` starts a code cell, ``# %% [markdown]``
a Markdown cell of comment lines), read with ``jupytext``.  Its first cell,
Markdown, quotes the paper's statement; a closing line is added to it naming
the script the notebook is built from.  The script ends with
:meth:`Derivation.conclude`, which shows the verdict in the notebook and sets
the exit status when the script is run as a program.

:func:`build_one` writes ``notebooks/<stem>.ipynb`` for ``proofs/<stem>.py``,
executed with ``nbclient`` in the kernel ``python3`` with the repository root as
working directory, and optionally an HTML rendering in ``notebooks/html/``.
Cell ids are derived from the stem and the cell's position and execution
timestamps are not recorded, so rebuilding an unchanged script gives the same
file.  ``jupytext``, ``nbformat``, ``nbclient``, ``ipykernel`` and ``nbconvert``
are needed only by the functions that build notebooks (the ``docs`` extra).

Inside a Jupyter kernel :meth:`Derivation.show` displays the derivation with
:func:`display_derivation`: each formula as rendered LaTeX, printed by
:func:`latex`, which writes the posterior-moment atoms in the paper's notation.

Examples
========

>>> import sympy as sp
>>> E = sp.Function("E[omega|1,2]")
>>> s1, s2 = sp.symbols("s1 s2")
>>> latex(E(sp.Symbol("s1'"), s2) - E(s1, s2))
"- \\mathbb{E}\\left[\\omega \\mid s_{1}, s_{2}\\right] + \\mathbb{E}\\left[\\omega \\mid s_{1}', s_{2}\\right]"
>>> latex(E(0, s2))
'\\mathbb{E}\\left[\\omega \\mid s_{1} = 0, s_{2}\\right]'
>>> latex(sp.Symbol("V_1,2"))
'\\mathrm{Var}\\left[\\omega \\mid s_{1}, s_{2}\\right]'
>>> latex(sp.Function("E[omega^2|2]")(s2)**2)
'\\mathbb{E}\\left[\\omega^{2} \\mid s_{2}\\right]^{2}'

References
==========

The proof scripts ``proofs/*.py`` and the results they derive (see
:mod:`symbolic_mech.registry`).
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from .core.kernel import Verdict
from .registry import tidy

__all__ = ["MechLatexPrinter", "latex", "check_label", "derivation_items", "display_derivation",
           "in_kernel", "heading_items", "scope_items", "step_items", "verdict_items", "emit", "proof_scripts", "script_to_notebook", "Built", "build_one", "KERNEL",
           "mathml", "offline_notebook", "notebook_html"]

KERNEL = "python3"

# ---------------------------------------------------------------------------
# LaTeX in the paper's notation
# ---------------------------------------------------------------------------

_MOMENT = re.compile(r"^E\[omega(?:\^(\d+))?\|([^\]]*)\]$")   # E[omega^k|1,2] or E[omega|s1,s2]
_VARIANCE = re.compile(r"^V_(\d+(?:,\d+)*)$")                 # V_1,2 = Var[omega | s1, s2]
_HAT = re.compile(r"^([A-Za-z]+)_hat(\d*)$")                   # omega_hat, omega_hat1
_STAR = re.compile(r"^(.+)_star$")                             # x_i_star


class MechLatexPrinter(LatexPrinter):
    r"""sympy's LaTeX printer with the package's atom names in the paper's notation.

    * ``E[omega^k|1,2](a, b)``, the opaque posterior moment E[omega^k | s_1, s_2]
      of :mod:`symbolic_mech.information`, is printed with its arguments:
      an argument that is the signal itself or its misreport (``s1``, ``s1'``)
      is printed as such, any other value ``a`` as ``s_1 = a``;
    * ``V_1,2`` is Var[omega | s_1, s_2];
    * a trailing prime (a misreport, ``theta1'``), ``_hat`` and ``_star``
      suffixes are accents.

    >>> MechLatexPrinter().doprint(sp.Symbol("theta1'")), latex(sp.Symbol("omega_hat2"))
    ("\\theta_{1}'", '\\hat{\\omega}_{2}')
    >>> MechLatexPrinter().doprint(sp.Symbol("x_i_star"))
    'x_{i}^{*}'
    """

    def _name(self, name: str, style: str = "plain") -> str:
        bare = name.rstrip("'")
        if bare != name:
            base = self._name(bare, style)
            return ("{%s}" % base if "^" in base else base) + "'" * (len(name) - len(bare))
        if (match := _VARIANCE.match(name)):
            return r"\mathrm{Var}\left[\omega \mid %s\right]" % self._given(match.group(1).split(","))
        if (match := _MOMENT.match(name)):
            return self._moment(match.group(1), self._given(match.group(2).split(",")))
        if (match := _HAT.match(name)):
            head = r"\hat{%s}" % self._name(match.group(1), style)
            return head + ("_{%s}" % match.group(2) if match.group(2) else "")
        if (match := _STAR.match(name)):
            return self._name(match.group(1), style) + "^{*}"
        return super()._print_Symbol(sp.Symbol(name), style)

    def _given(self, tokens) -> str:
        return ", ".join(self._name(f"s{t}" if t.isdigit() else t) for t in (t.strip() for t in tokens))

    @staticmethod
    def _moment(power, given: str, exp=None) -> str:
        omega = r"\omega" + ("^{%s}" % power if power else "")
        out = r"\mathbb{E}\left[%s \mid %s\right]" % (omega, given)
        return out + ("^{%s}" % exp if exp is not None else "")

    def _print_Symbol(self, expr, style="plain"):
        if expr in self._settings["symbol_names"]:
            return self._settings["symbol_names"][expr]
        return self._name(expr.name, style)

    def _print_Function(self, expr, exp=None):
        match = _MOMENT.match(type(expr).__name__) if isinstance(expr, AppliedUndef) else None
        if match is None or not all(t.strip().isdigit() for t in match.group(2).split(",")):
            return super()._print_Function(expr, exp)
        agents = [int(t) for t in match.group(2).split(",")]
        if len(agents) != len(expr.args):
            return super()._print_Function(expr, exp)
        items = []
        for j, arg in zip(agents, expr.args):
            shown = self._print(arg)
            if not (isinstance(arg, sp.Symbol) and arg.name.rstrip("'") == f"s{j}"):
                shown = f"{self._name(f's{j}')} = {shown}"
            items.append(shown)
        return self._moment(match.group(1), ", ".join(items), exp)


def latex(expr, **settings) -> str:
    """LaTeX of a sympy object in the paper's notation (see :class:`MechLatexPrinter`)."""
    return MechLatexPrinter(settings).doprint(expr)


# ---------------------------------------------------------------------------
# displaying a derivation in a kernel
# ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text) -> str:
    """Plain text as Markdown that renders as written."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def check_label(verdict, expect: str, refutes=()) -> str:
    """How a check came out against what it must show.

    ``proved`` or ``refuted, as required`` when the status is the expected one
    (a negative control, or a failure the paper exhibits, must be refuted);
    ``refuted: the paper's claim fails`` for a designated refuting check of an
    erratum (``Result.refutes``); otherwise the status and the expectation,
    in capitals, as a failure.

    >>> from symbolic_mech.core.kernel import Verdict
    >>> control = Verdict("c", "a mutation fails", "refuted", {"witness": {"point": {}, "gap": 1}})
    >>> check_label(control, "refuted")
    'refuted, as required'
    >>> check_label(control, "proved", refutes=("c",))
    "refuted: the paper's claim fails"
    >>> check_label(control, "proved")
    'REFUTED, EXPECTED PROVED'
    """
    if verdict.status == expect:
        return "refuted, as required" if expect == "refuted" else verdict.status
    if verdict.status == "refuted" and verdict.id in refutes:
        return "refuted: the paper's claim fails"
    return f"{verdict.status}, expected {expect}".upper()


def derivation_items(derivation) -> list[dict[str, str]]:
    """The derivation as display items, one per line or formula shown.

    Each item is a MIME bundle: ``text/plain`` always, ``text/markdown`` for a
    line of text, ``text/latex`` (display math, in the paper's notation) for a
    formula.  Two more keys are not MIME types: ``kind`` is one of

    * ``heading``: the result's label and claim;
    * ``scope``: what the derivation covers (:meth:`Derivation.scope_lines`);
    * ``text``: a step without an expression;
    * ``title``: a step's title, followed by its expression;
    * ``formula``: a sympy expression or matrix, simplified for display with
      ``tidy`` (``text/plain`` is sympy's pretty printer);
    * ``value``: any other step value, as ``str``;
    * ``check``: a check's status against its expectation (``status``, see
      :func:`check_label`), claim and brief evidence;
    * ``verdict``: the result's verdict and expectation;

    and a formula's ``latex`` is its LaTeX without math delimiters, ``expr``
    the expression shown.
    :meth:`Derivation.lines` prints the ``text/plain`` of the items,
    :func:`display_derivation` shows their MIME bundles and
    :mod:`symbolic_mech.report` typesets their ``latex``.  A live derivation
    shows the same items as they come: :func:`heading_items` when it starts,
    :func:`step_items` per step, :func:`scope_items` and :func:`verdict_items`
    when it concludes.
    """
    items = heading_items(derivation) + scope_items(derivation)
    for title, expr in derivation.steps:
        items += step_items(derivation, title, expr)
    return items + verdict_items(derivation)


def _text(kind, rich, plain):
    return {"kind": kind, "text/markdown": rich, "text/plain": plain}


def heading_items(derivation) -> list[dict[str, str]]:
    """The result's label and claim."""
    r = derivation.result
    return [_text("heading", f"**{_md(r.label)}**: {_md(r.claim)}", f"{r.label}: {r.claim}")]


def scope_items(derivation) -> list[dict[str, str]]:
    """What the derivation covers, if stated (:meth:`Derivation.scope_lines`)."""
    scope = derivation.scope_lines()
    if not scope:
        return []
    return [_text("scope", "**Scope**\n\n" + "\n".join(f"- {_md(line)}" for line in scope),
                  "Scope:\n" + "\n".join(f"  {line}" for line in scope))]


def step_items(derivation, title: str, expr) -> list[dict[str, str]]:
    """One step: a line of text, a check against its expectation, or a title and its expression."""
    if isinstance(expr, Verdict):
        expect = next((e for v, e, _ in derivation.checks if v is expr), expr.status)
        brief = f" ({expr.brief()})" if expr.brief() else ""
        how = check_label(expr, expect, derivation.result.refutes)
        return [{**_text("check", f"- **{_md(how)}** {_md(title)}{_md(brief)}", f"[{how}] {title}{brief}"),
                 "status": how, "title": title}]
    if expr is None:
        return [_text("text", _md(title), title)]
    items = [_text("title", _md(title) + ":", title + ":")]
    if isinstance(expr, (sp.Basic, sp.MatrixBase)):
        shown = tidy(expr)
        bare = latex(shown)
        items.append({"kind": "formula", "text/latex": f"$\\displaystyle {bare}$",
                      "text/plain": sp.pretty(shown, use_unicode=True), "latex": bare, "expr": shown})
    else:
        items.append({"kind": "value", "text/plain": str(expr)})
    return items


def verdict_items(derivation) -> list[dict[str, str]]:
    """The verdict and the expectation, once assembled."""
    if derivation.verdict is None:
        return []
    r = derivation.result
    line = f"VERDICT {r.id}: {derivation.verdict.status} (expected {r.expected})"
    return [_text("verdict", f"**{_md(line)}**", line)]


def emit(items) -> None:
    """Show display items now: their MIME bundles in a Jupyter kernel, else their text, indented
    as :meth:`Derivation.lines` prints them."""
    if in_kernel():
        from IPython.display import display
        for item in items:
            # a raw bundle publishes every key as a MIME type
            display({k: v for k, v in item.items() if "/" in k}, raw=True)
        return
    from .registry import item_lines
    print("\n".join(item_lines(items)))


def display_derivation(derivation) -> None:
    """Display a derivation in IPython: Markdown text and rendered formulas."""
    emit(derivation_items(derivation))


def in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel.

    IPython is not a dependency: it is only looked up if already imported,
    as it is in a kernel.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


# ---------------------------------------------------------------------------
# proof script -> notebook
# ---------------------------------------------------------------------------

def _root() -> Path:
    """The repository root: the package's parent if it holds proofs/, else the working directory."""
    here = Path(__file__).resolve().parents[1]
    return here if (here / "proofs").is_dir() else Path.cwd()


def proof_scripts(root=None) -> list[Path]:
    """The proof scripts ``proofs/*.py`` (not those starting with ``_``), sorted by name."""
    root = Path(root) if root is not None else _root()
    return sorted(p for p in (root / "proofs").glob("*.py") if not p.name.startswith("_"))


def _cell_id(stem: str, index: int) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_-]', '-', stem)[:56]}-{index}"


def script_to_notebook(path):
    """The notebook of a proof script, unexecuted (see the module docstring).

    The same script gives the same cells, with ids ``<stem>-<index>``.
    """
    import jupytext
    import nbformat
    path = Path(path)
    nb = jupytext.read(path, fmt="py:percent")
    cells = []
    for cell in nb.cells:
        new = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        cells.append(new(cell.source))
    if cells and cells[0].cell_type == "markdown":
        cells[0].source += (f"\n\n*Built from `proofs/{path.name}` by `symbolic-mech notebooks`; "
                            f"edit the script, not this notebook.*")
    for index, cell in enumerate(cells):
        cell.id = _cell_id(path.stem, index)
    out = nbformat.v4.new_notebook()
    out.metadata = {"kernelspec": {"name": KERNEL, "display_name": "Python 3", "language": "python"},
                    "language_info": {"name": "python"}}
    out.cells = cells
    return out


def _strip(nb):
    """Remove what varies between runs: timings and the interpreter's version."""
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


# ---------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------

def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Built:
    """One notebook build: where it was written, how long it took, what failed."""

    stem: str
    notebook: Path | None
    html: Path | None
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __str__(self) -> str:
        if self.error:
            return f"{self.stem}: FAILED: {self.error} ({self.seconds:.1f}s)"
        html = f" and {_relative(self.html)}" if self.html else ""
        return f"{self.stem}: {_relative(self.notebook)}{html} ({self.seconds:.1f}s)"


def build_one(script, execute: bool = True, timeout: int | None = 3600, html: bool = False,
              root=None) -> Built:
    """Convert one proof script, execute it, write ``notebooks/<stem>.ipynb``
    (and ``notebooks/html/<stem>.html`` if ``html``).

    ``timeout`` is the limit per cell in seconds (None: no limit).  On an
    error the committed notebook is left as it was and ``Built.error`` says why.
    """
    import nbformat
    root = Path(root) if root is not None else _root()
    script = Path(script)
    t0 = time.perf_counter()
    nb = script_to_notebook(script)
    if execute:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                                allow_errors=False, resources={"metadata": {"path": str(root)}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        try:
            client.execute()
        except (CellExecutionError, TimeoutError, RuntimeError) as exc:
            if isinstance(exc, CellExecutionError):
                error = f"{exc.ename}: {exc.evalue}"
            elif isinstance(exc, TimeoutError):
                error = f"a cell ran longer than the timeout ({timeout}s)"
            else:
                error = f"{type(exc).__name__}: {exc}"
            return Built(script.stem, None, None, time.perf_counter() - t0, error)
    _strip(nb)
    out = root / "notebooks" / f"{script.stem}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    nbformat.write(nb, str(out))
    page = None
    if html:
        body = notebook_html(nb, script.stem)
        page = root / "notebooks" / "html" / f"{script.stem}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(body, encoding="utf-8")
    return Built(script.stem, out, page, time.perf_counter() - t0)


# ---------------------------------------------------------------------------
# offline HTML
# ---------------------------------------------------------------------------

_HTML_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{#- offline: no script or stylesheet from the network; the math is MathML, rendered by the browser -#}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
.sm-banner { margin: 0.5em 0 1em; padding: 0.7em 1em; border-radius: 4px; font-size: 1.05em;
             border-left: 6px solid; }
.sm-banner.sm-ok { background: #e8f5e9; border-color: #2e7d32; }
.sm-banner.sm-fail { background: #ffebee; border-color: #c62828; }
.sm-badge { display: inline-block; padding: 0 0.45em; border-radius: 3px; font-weight: bold;
            font-size: 0.92em; white-space: nowrap; }
.sm-badge.sm-ok { background: #e8f5e9; color: #1b5e20; }
.sm-badge.sm-erratum { background: #fff3e0; color: #e65100; }
.sm-badge.sm-fail { background: #ffebee; color: #b71c1c; }
.sm-badge.sm-neutral { background: #eceff1; color: #263238; }
.sm-math { overflow-x: auto; padding: 0.2em 0; }
.sm-math math { font-size: 1.1em; }
</style>
{%- endblock extra_css -%}
"""

_CHECK = re.compile(r"^- \*\*(?P<label>[^*]+)\*\* (?P<rest>.*)$", re.S)
_VERDICT_LINE = re.compile(r"^VERDICT (?P<id>\S+): (?P<status>\w+) \(expected (?P<expected>\w+)\)$")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\$)")
_CODE_SPAN = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def mathml(tex: str, display: bool = True) -> str:
    r"""MathML for a LaTeX formula (math delimiters and ``\displaystyle`` dropped), for offline pages.

    Converted with ``latex2mathml`` (the ``docs`` extra); browsers render MathML
    natively, so a page needs no script and no network.

    >>> pytest_skip = __import__("importlib").util.find_spec("latex2mathml") is None
    >>> pytest_skip or mathml(r"$\displaystyle \theta_{1} + 1$").startswith('<math xmlns=')
    True
    """
    from latex2mathml.converter import convert
    body = tex.strip()
    for left, right in (("$$", "$$"), ("$", "$"), (r"\[", r"\]")):
        if body.startswith(left) and body.endswith(right) and len(body) >= len(left) + len(right):
            body = body[len(left): len(body) - len(right)]
            break
    body = body.strip().removeprefix(r"\displaystyle").strip()
    return convert(body, display="block" if display else "inline")


def _markdown_math(text: str) -> str:
    """Markdown with its ``$...$`` and ``$$...$$`` math replaced by MathML (code spans left alone)."""
    def convert(segment: str) -> str:
        segment = _DISPLAY_MATH.sub(lambda m: _safe_mathml(m.group(1), True, m.group(0)), segment)
        return _INLINE_MATH.sub(lambda m: _safe_mathml(m.group(1), False, m.group(0)), segment)
    return "".join(part if _CODE_SPAN.fullmatch(part) else convert(part) for part in _CODE_SPAN.split(text))


def _safe_mathml(tex: str, display: bool, original: str) -> str:
    try:
        return mathml(tex, display)
    except Exception:          # latex2mathml raises its own exception types; keep the source readable
        return "<code>" + _html_escape(original) + "</code>"


def _html_escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _badge_class(label: str, rest: str) -> str:
    if label in ("proved", "refuted, as required"):
        return "sm-ok"
    if label == "refuted" and rest.startswith("negative control"):
        return "sm-ok"              # a notebook built before the labels said so
    if label.startswith("refuted: "):
        return "sm-erratum"
    return "sm-fail" if label.isupper() or label == "inconclusive" else "sm-neutral"


def _page_title(nb, stem: str | None) -> str:
    from .registry import get, result_ids
    rid = (stem or "").replace("_", "-")
    if rid and rid in result_ids():
        return f"{get(rid).label}: {rid} (symbolic_mech)"
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return stem or "symbolic_mech"


def _banner(nb) -> str | None:
    """The verdict banner: the derivation's VERDICT line and whether it matches the expectation."""
    verdict = None
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            plain = out.get("data", {}).get("text/plain", "") if "data" in out else ""
            if (m := _VERDICT_LINE.match(plain.strip())):
                verdict = m
    if verdict is None:
        return None
    ok = verdict["status"] == verdict["expected"]
    head = f"Verdict: <strong>{verdict['status']}</strong> (expected {verdict['expected']})"
    tail = "matches its expectation" if ok else "<strong>does not match its expectation</strong>"
    return f'<div class="sm-banner {"sm-ok" if ok else "sm-fail"}">{head}: {tail}.</div>'


def offline_notebook(nb, stem: str | None = None):
    """A copy of an executed notebook prepared for offline HTML: every ``text/latex`` output
    and every Markdown formula as MathML, each check's status as a badge (a check that must be
    refuted reads "refuted, as required"), the verdict as a banner under the title, and the
    page title (``metadata.title``) the result's label."""
    import copy
    import nbformat
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = _page_title(nb, stem)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _markdown_math(cell.source)
            continue
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data")
            if not data:
                continue
            if "text/latex" in data:
                tex = data.pop("text/latex")
                data["text/html"] = '<div class="sm-math">' + _safe_mathml(tex, True, tex) + "</div>"
            elif "text/markdown" in data:
                md = _markdown_math(data["text/markdown"])
                if (m := _CHECK.match(md)):
                    label, rest = m["label"], m["rest"]
                    md = f'- <span class="sm-badge {_badge_class(label, rest)}">{label}</span> {rest}'
                data["text/markdown"] = md
    banner = _banner(nb)
    if banner:
        at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(at, nbformat.v4.new_markdown_cell(banner, id=f"{_cell_id(stem or 'nb', 0)}-verdict"))
    return nb


def notebook_html(nb, stem: str | None = None) -> str:
    """The offline HTML page of an executed notebook (:func:`offline_notebook`), with no script,
    stylesheet or font from the network: nbconvert's ``lab`` template without its MathJax,
    require.js and mermaid loaders."""
    import jinja2
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"offline.html.j2": _HTML_TEMPLATE})])
    exporter.template_file = "offline.html.j2"
    body, _ = exporter.from_notebook_node(offline_notebook(nb, stem))
    return body
