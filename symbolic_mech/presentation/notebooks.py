r"""Notebooks built from the proof scripts, and their offline HTML.

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
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["proof_scripts", "script_to_notebook", "Built", "build_one", "KERNEL", "mathml", "offline_notebook",
           "notebook_html", "offline_markdown"]

KERNEL = "python3"


def _root() -> Path:
    """The repository root: the package's parent if it holds proofs/, else the working directory."""
    here = Path(__file__).resolve().parents[2]
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
.sm-math { overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; }
.sm-math math { font-size: 1.1em; }
/* a display in prose or a quote scrolls within the column instead of running past it */
math[display="block"] { max-width: 100%; overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; }
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
    # latex2mathml shows \arg as written and the star of \operatorname*; \tag set apart
    body = body.replace(r"\arg\max", r"\operatorname{arg\,max}")
    body = re.sub(r"\\operatorname\*\{([^}]*)\}_\{([^}]*)\}", r"\\underset{\2}{\\operatorname{\1}}", body)
    body = re.sub(r"\\tag\{([^}]*)\}", r"\\qquad\\text{(\1)}", body)
    return convert(body, display="block" if display else "inline")


def offline_markdown(text: str) -> str:
    r"""Markdown with its ``$...$`` and ``$$...$$`` math replaced by MathML (code spans left alone),
    as the offline pages show every Markdown cell and output.

    >>> pytest_skip = __import__("importlib").util.find_spec("latex2mathml") is None
    >>> pytest_skip or offline_markdown("if $x > 0$").startswith("if <math")
    True
    """
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
    if label in ("proved", "refuted, as required", "inconclusive, as required"):
        return "sm-ok"
    if label == "refuted" and rest.startswith("negative control"):
        return "sm-ok"              # a notebook built before the labels said so
    if label.startswith("refuted: "):
        return "sm-erratum"
    return "sm-fail" if label.isupper() or label == "inconclusive" else "sm-neutral"


def _page_title(nb, stem: str | None) -> str:
    from ..registry import get, result_ids
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
            cell.source = offline_markdown(cell.source)
            continue
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data")
            if not data:
                continue
            if "text/latex" in data:
                tex = data.pop("text/latex")
                data["text/html"] = '<div class="sm-math">' + _safe_mathml(tex, True, tex) + "</div>"
            elif "text/markdown" in data:
                md = offline_markdown(data["text/markdown"])
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
