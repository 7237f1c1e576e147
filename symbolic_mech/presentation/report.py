r"""The verification report: the verdict table and every derivation, as Markdown, LaTeX or JSON.

Built from the same display items as the notebooks
(:func:`symbolic_mech.presentation.display.derivation_items`), so the report, the
notebooks and the terminal show one derivation.

* :func:`markdown_report`: the summary table, then each derivation;
* :func:`latex_report`: a document that reads like a paper's appendix (title,
  the paper's citation, the results table, a section per result with its
  statement and the paper's own (typeset from :mod:`symbolic_mech.paper.items`), scope, derivation, checks and verdict); it compiles with
  ``pdflatex`` (T1 fonts, Latin Modern; every text escaped; formulas
  paper-sized as the notebooks show them, long ones abbreviated with named
  parts, and any display still wider than the text scaled down to it);
* :func:`json_report`: the ``verify --json`` envelope.  Every expression is
  a record (:func:`expression_record`) that a reader can rebuild exactly
  (``srepr``, sympy's constructor form, and the certificate's JSON tree where
  the tree format has the nodes; the package itself never parses either), with its LaTeX and a float approximation beside it
  (for display only: the exact value is the one that counts).

>>> from symbolic_mech.registry import derive
>>> print(markdown_report([derive("example3")]).splitlines()[0])
# symbolic_mech verification report
>>> import sympy as sp
>>> rec = expression_record(sp.Rational(1, 3) + sp.Symbol("x"))
>>> rec["exact"], rec["srepr"], rec["approx"]
('x + 1/3', "Add(Symbol('x'), Rational(1, 3))", None)
>>> expression_record(sp.Rational(-1, 6))["approx"]
-0.16666666666666666
"""
from __future__ import annotations

import base64
import contextlib
import json
import re
import sys
import unicodedata
from fractions import Fraction
from numbers import Integral
from pathlib import Path

import sympy as sp
from sympy.printing.repr import ReprPrinter

from ..core.trees import to_tree
from ..paper import PAPER
from .display import check_label, derivation_items, step_items, title_markdown, title_parts
from .printers import latex, readable
from .quotes import quote_latex

__all__ = ["markdown_report", "latex_report", "json_report", "summary_rows", "expression_record",
           "PAPER", "CITATION"]

CITATION = (r"Dirk Bergemann, Marek Bojko, Paul D\"utting, Renato Paes Leme, Haifeng Xu and Song Zuo. "
            r"Data-Driven Mechanism Design: Jointly Eliciting Preferences and Information. "
            r"In \emph{Proceedings of the ACM Conference on Economics and Computation (EC 2025)}, 2025.")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("symbolic_mech")
    except PackageNotFoundError:
        return "unknown"


def summary_rows(derivations) -> list[dict]:
    """One row per derivation: id, label, claim, status, expectation, brief evidence, scope, seconds."""
    rows = []
    for d in derivations:
        r, v = d.result, d.verdict
        rows.append({"id": r.id, "label": r.label, "claim": r.claim, "status": v.status,
                     "expected": r.expected, "ok": d.ok, "erratum": r.erratum,
                     "evidence": v.brief(), "scope": d.scope_record(), "seconds": round(d.seconds, 3)})
    return rows


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

class _ExactRepr(ReprPrinter):
    """``srepr`` that keeps an undefined function's assumptions (sympy's drops them)."""

    def _print_UndefinedFunction(self, expr):
        kwargs = getattr(expr, "_kwargs", {}) or {}
        return "Function(%r%s)" % (expr.__name__, "".join(f", {k}={v!r}" for k, v in sorted(kwargs.items())))


@contextlib.contextmanager
def _long_integers():
    # exact values may have more digits than Python prints by default
    get, put = getattr(sys, "get_int_max_str_digits", None), getattr(sys, "set_int_max_str_digits", None)
    old = get() if get else None
    if put:
        put(0)
    try:
        yield
    finally:
        if put:
            put(old)


def _approx(expr):
    """A float near the value, for display only (None if it has free symbols or no real value)."""
    try:
        if isinstance(expr, sp.Rational):
            return float(Fraction(int(expr.p), int(expr.q)))
        if not isinstance(expr, sp.Expr) or expr.free_symbols:
            return None
        value = sp.N(expr, 17)
        return float(value) if value.is_real else None
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None


def expression_record(expr) -> dict:
    """An exact value or expression for JSON: ``exact`` (sympy's string, for reading),
    ``srepr`` (sympy's constructor form, assumptions included, for a reader's own tools; this
    package never parses it), ``tree`` (the
    certificate format of :mod:`symbolic_mech.core.trees`, if its nodes allow), ``latex``
    (the paper's notation) and ``approx`` (a float, or None; for display only)."""
    # exact numbers built directly (nothing is parsed)
    if isinstance(expr, Fraction):
        expr = sp.Rational(expr.numerator, expr.denominator)
    elif isinstance(expr, int) and not isinstance(expr, bool):
        expr = sp.Integer(expr)
    with _long_integers():
        rec = {"exact": sp.sstr(expr), "srepr": _ExactRepr().doprint(expr)}
        try:
            rec["tree"] = to_tree(expr)
        except (TypeError, ValueError):
            pass
    rec["latex"] = latex(expr)
    rec["approx"] = _approx(expr)
    return rec


# keys whose values are points (names to exact rationals, kept as the certificates write them)
_POINT_KEYS = {"point", "truth", "report", "others", "type", "next"}
# keys whose values are exact numbers even when a producer wrote them as strings or ints
_EXACT_KEYS = {"gap", "gain", "epsilon", "lhs", "rhs", "total", "c", "exact_value", "best_gain",
               "smallest_slack", "m0", "value", "bound"}


def _rational_text(text: str) -> Fraction | None:
    head, slash, tail = text.removeprefix("-").partition("/")
    if head.isascii() and head.isdigit() and (not slash or (tail.isascii() and tail.isdigit() and int(tail))):
        return Fraction(text)
    return None


def _point_value(value):
    if isinstance(value, sp.Basic) or isinstance(value, Fraction):
        with _long_integers():
            return str(value)
    return _json(value)


def _json(value, key=None):
    """Evidence as JSON: points as exact rational strings, numbers and expressions as records."""
    if isinstance(value, dict):
        if key in _POINT_KEYS:
            return {str(k): _point_value(v) for k, v in value.items()}
        return {str(k): _json(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v, key) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        q = _rational_text(value) if key in _EXACT_KEYS else None
        return expression_record(q) if q is not None else value
    if isinstance(value, float):
        return value
    if isinstance(value, Integral):
        return expression_record(sp.Integer(int(value))) if key in _EXACT_KEYS else int(value)
    if hasattr(value, "item"):                      # numpy scalars
        return _json(value.item(), key)
    if isinstance(value, Fraction):
        return expression_record(value)
    if isinstance(value, sp.Basic):
        return expression_record(value)
    return str(value)


def _check_record(verdict, expect, control, refutes) -> dict:
    evidence = dict(verdict.evidence)
    if "certificate" in evidence:          # a note, not a kernel certificate (those sit beside it)
        evidence["certificate_note"] = evidence.pop("certificate")
    return {"id": verdict.id, "claim": verdict.claim, "status": verdict.status, "expected": expect,
            "control": control, "as_required": verdict.status == expect or
            (verdict.status == "refuted" and verdict.id in refutes),
            "shown_as": check_label(verdict, expect, refutes), "brief": verdict.brief(),
            "evidence": _json(evidence), "certificate": verdict.certificate}


def json_report(derivations, version: str | None = None, paper: str = PAPER) -> dict:
    """The ``verify --json`` envelope: ``version``, ``paper``, ``all_ok`` and ``results``.

    Each result has ``id``, ``label``, ``claim``, ``status``, ``expected``, ``ok``,
    ``erratum``, ``seconds``, ``brief`` (the table's evidence line), ``scope``,
    ``evidence`` (witness, Monte Carlo, epsilon, reason, and ``checks``: each check's
    id, claim, status, expectation, whether it is a negative control, its own evidence
    and its certificate) and ``steps`` (the derivation's titled expressions).  Every
    exact number or expression is an :func:`expression_record`; points (a witness's
    ``truth`` and ``report``, Monte Carlo points) map names to exact rational strings.
    """
    results = []
    for d in derivations:
        r, v = d.result, d.verdict
        evidence = {k: val for k, val in v.evidence.items() if k != "checks"}
        record = {"id": r.id, "label": r.label, "claim": r.claim, "status": v.status, "expected": r.expected,
                  "ok": d.ok, "erratum": r.erratum, "seconds": round(d.seconds, 3), "brief": v.brief(),
                  "scope": d.scope_record(), "evidence": _json(evidence)}
        record["evidence"]["checks"] = [_check_record(c, e, control, r.refutes) for c, e, control in d.checks]
        record["steps"] = [{"title": title, "expression": expression_record(expr)}
                           for title, expr in d.steps if isinstance(expr, sp.Basic)]
        results.append(record)
    return {"version": version or _version(), "paper": paper, "all_ok": all(d.ok for d in derivations),
            "results": results}


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

def _cell(text) -> str:
    # words escaped, ``$...$`` math kept for rendering; a bar escaped for the table
    return title_markdown(str(text)).replace("|", "\\|")


def markdown_report(derivations) -> str:
    """The whole report in Markdown: summary table, then each derivation with its formulas."""
    rows = summary_rows(derivations)
    out = ["# symbolic_mech verification report", "", f"Checks of {PAPER}.", "",
           f"{sum(r['ok'] for r in rows)}/{len(rows)} results match their expectation.", "",
           "| id | paper | claim | status | expected | evidence |", "|---|---|---|---|---|---|"]
    out += [f"| {r['id']} | {_cell(r['label'])} | {_cell(r['claim'])} | {r['status']} | "
            f"{r['expected']}{' (erratum)' if r['erratum'] else ''} | {_cell(r['evidence'])} |" for r in rows]
    for d in derivations:
        out += ["", f"## {d.result.label} (`{d.result.id}`)", ""]
        for item in derivation_items(d):
            if "latex" in item:
                out += ["", "$$" + item["latex"] + "$$", ""]
            elif item["kind"] == "quote":
                out += ["", item["text/markdown"]]
            else:
                out.append(item.get("text/markdown", item["text/plain"]) + "  ")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# LaTeX
# ---------------------------------------------------------------------------

_LATEX_SPECIAL = re.compile(r"([\\&%$#_{}~^])")
_LATEX_REPLACEMENT = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# characters outside what T1 + utf8 typeset in text, as LaTeX
_UNICODE = {"≤": r"\ensuremath{\leq}", "≥": r"\ensuremath{\geq}", "≠": r"\ensuremath{\neq}",
            "→": r"\ensuremath{\to}", "←": r"\ensuremath{\leftarrow}", "↦": r"\ensuremath{\mapsto}",
            "∈": r"\ensuremath{\in}", "∉": r"\ensuremath{\notin}", "∞": r"\ensuremath{\infty}",
            "−": "-", "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\dots{}",
            "×": r"\ensuremath{\times}", "·": r"\ensuremath{\cdot}", "√": r"\ensuremath{\surd}",
            "∑": r"\ensuremath{\sum}", "∏": r"\ensuremath{\prod}", "≈": r"\ensuremath{\approx}",
            "∼": r"\ensuremath{\sim}", "⊆": r"\ensuremath{\subseteq}", "⊂": r"\ensuremath{\subset}",
            "∪": r"\ensuremath{\cup}", "∩": r"\ensuremath{\cap}", "∀": r"\ensuremath{\forall}",
            "∃": r"\ensuremath{\exists}", "‖": r"\ensuremath{\|}", "∣": r"\ensuremath{\mid}",
            "±": r"\ensuremath{\pm}", "∂": r"\ensuremath{\partial}", "∇": r"\ensuremath{\nabla}",
            "⟨": r"\ensuremath{\langle}", "⟩": r"\ensuremath{\rangle}", "≡": r"\ensuremath{\equiv}",
            "✓": "yes", "✗": "no", "\u00a0": "~"}
_SUPER_SUB = {**{c: f"\\textsuperscript{{{d}}}" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")},
              **{c: f"\\textsubscript{{{d}}}" for c, d in zip("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-")}}
_BREAK_AFTER = set("/,;=|(-_+*:")
_LONG = 16            # a token longer than this may break after punctuation and inside long digit runs


def _char(c: str) -> str:
    if c in _LATEX_REPLACEMENT:
        return _LATEX_REPLACEMENT[c]
    if _LATEX_SPECIAL.fullmatch(c):
        return "\\" + c
    if ord(c) < 128 or c in "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ":
        return c
    if c in _UNICODE:
        return _UNICODE[c]
    if c in _SUPER_SUB:
        return _SUPER_SUB[c]
    name = unicodedata.name(c, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        letter = name.split()[-1].lower()
        letter = {"lamda": "lambda", "final": "varsigma"}.get(letter, letter)
        if name.startswith("GREEK CAPITAL"):
            letter = letter.capitalize()
            if letter in ("Alpha", "Beta", "Epsilon", "Zeta", "Eta", "Iota", "Kappa", "Mu", "Nu", "Omicron",
                          "Rho", "Tau", "Chi"):
                return unicodedata.normalize("NFKD", letter)[0]      # the Latin look-alike
        if letter == "omicron":
            return "o"
        return rf"\ensuremath{{\{letter}}}"
    decomposed = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
    return _tex(decomposed) if decomposed else "?"


def _title_tex(text) -> str:
    """Words with ``$...$`` math (a title, a claim, a scope line, evidence) as LaTeX: the words
    escaped, the math typeset."""
    return "".join(f"${part}$" if math else _tex(part) for math, part in title_parts(str(text)))


def _tex(text) -> str:
    """Text escaped for LaTeX: atoms' names in the paper's notation, specials, ``|`` and brackets
    safe, Unicode mapped, long tokens breakable."""
    out = []
    for token in re.split(r"(\s+)", readable(text)):
        if token.isspace() or not token:
            out.append(" " if token else "")
            continue
        pieces, run = [], ""
        for c in token:
            run += _char(c)
            if len(token) > _LONG and (c in _BREAK_AFTER or (c.isdigit() and len(run) >= 12)):
                pieces.append(run)
                run = ""
        pieces.append(run)
        out.append(r"\allowbreak{}".join(p for p in pieces if p))
    # "[" right after a line break would be read as its optional argument
    return "".join(out).replace("[", "{[}").replace("]", "{]}")


def _tt(text) -> str:
    return r"\texttt{" + _tex(text) + "}"


def _formula(item) -> list[str]:
    """A display: the item's formula, within the cap of :func:`symbolic_mech.presentation.printers.within_cap`
    (long formulas come abbreviated, their parts as "where" items), scaled to the line if wider."""
    return [r"\begin{center}", r"\smfit{" + item["latex"] + "}", r"\end{center}"]


_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[margin=1in]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{array,longtable,booktabs}
\usepackage{graphicx}
\usepackage{microtype}
\usepackage[hidelinks]{hyperref}
\newsavebox{\smbox}
% a display at its natural size, scaled down to the line only if it is wider
\newcommand{\smfit}[1]{\sbox{\smbox}{$\displaystyle #1$}%
  \ifdim\wd\smbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\smbox}}\else\usebox{\smbox}\fi}
\newcolumntype{L}[1]{>{\raggedright\arraybackslash}p{#1}}
\setlength{\emergencystretch}{3em}
\sloppy
"""


def latex_report(derivations, version: str | None = None, figures=None) -> str:
    """The whole report as a LaTeX document, an appendix to the paper (see the module docstring).

    ``figures``: a directory beside the ``.tex`` file where the scripts' figures (the PNGs of their
    executed notebooks) are written and from which the document includes them; None leaves them out."""
    figures = Path(figures) if figures is not None else None
    rows = summary_rows(derivations)
    ok = sum(r["ok"] for r in rows)
    out = [_PREAMBLE.rstrip("\n"),
           r"\title{Machine-checked results of \emph{Data-Driven Mechanism Design: Jointly Eliciting "
           r"Preferences and Information}}",
           r"\author{Verification report of \texttt{symbolic\_mech} " + _tex(version or _version()) + "}",
           r"\date{}", r"\begin{document}", r"\maketitle",
           r"\begin{abstract}",
           r"This appendix reports the machine checks of the results of Bergemann, Bojko, D\"utting, "
           r"Paes Leme, Xu and Zuo~\cite{ddmd}. " + f"{ok} of {len(rows)} results match their expectation: "
           r"\emph{proved}, or \emph{refuted} with an exact witness where the entry documents an erratum of "
           r"the paper. A check is \emph{proved} when its residual is decided to be zero (or its sign decided) "
           r"and it is exactly zero at random points of the symbols' domains, with Monte Carlo agreement "
           r"where an expectation is involved; \emph{refuted} when a witness inside the domains has a "
           r"certified nonzero gap; a schematic check (a statement for every instance) is \emph{proved} when "
           r"agent $i$'s payoff, normalized by the rules its statement grants, is the objective at the "
           r"reported allocation plus a term free of the report. Every negative control must be refuted, "
           r"or, for a schematic result, stay unproved with the term that remains named. Each certificate can be "
           r"replayed by the package's independent checker.",
           r"\end{abstract}", "",
           r"\section{Summary}",
           r"\begin{longtable}{@{}L{0.22\linewidth}L{0.48\linewidth}L{0.13\linewidth}L{0.08\linewidth}@{}}",
           r"\toprule result & claim & status & ok \\ \midrule \endhead",
           r"\bottomrule \endfoot"]
    for r in rows:
        status = r["status"] + (" (erratum)" if r["erratum"] else "")
        matches = "yes" if r["ok"] else r"\textbf{NO}"
        out.append(rf"\hyperref[res:{r['id']}]{{{_tex(r['label'])}}} \newline {{\footnotesize {_tt(r['id'])}}} & "
                   rf"{{\small {_title_tex(r['claim'])}}} & {_tex(status)} & {matches} \\")
    out += [r"\end{longtable}", "", r"\section{Results}"]
    for d in derivations:
        out += _result_section(d, figures)
    out += ["", r"\begin{thebibliography}{1}", r"\bibitem{ddmd} " + CITATION, r"\end{thebibliography}",
            r"\end{document}"]
    return "\n".join(out) + "\n"


def _result_section(d, figures: Path | None = None) -> list[str]:
    r, v = d.result, d.verdict
    out = ["", rf"\subsection{{{_tex(r.label)}}}\label{{res:{r.id}}}",
           rf"Result {_tt(r.id)}" + (r", an erratum of the paper." if r.erratum else "."), ""]
    if d.quotes:
        out += [r"\paragraph{The paper.}", ""] + [quote_latex(name) for name in d.quotes]
    out += [r"\paragraph{What is checked.} " + _title_tex(r.claim), ""]
    scope = d.scope_lines()
    if scope:
        out += [r"\paragraph{Scope.}", r"\begin{itemize}"]
        out += [r"\item " + _title_tex(line) for line in scope]
        out += [r"\end{itemize}"]
    out += [r"\paragraph{Derivation.}", ""]
    script = _script_of(d)
    if script is None:                  # a derivation of one's own: its steps in order
        for title, expr in d.steps:
            out += _step_latex(d, title, expr)
    else:                               # the script's prose, each code cell's steps and figures in their place
        cells = script_cells(script)
        lines = [origin[1] if origin else 0 for origin in d.origins]
        images = _notebook_images(script)
        for index, (kind, source, first, last) in enumerate(cells):
            if kind == "markdown":
                out += markdown_latex(source, skip_title=index == 0)
                continue
            for line, (title, expr) in zip(lines, d.steps):
                if first <= line <= last:
                    out += _step_latex(d, title, expr)
            for k, png in enumerate(images.get(index, [])):
                out += _figure(png, f"{r.id}-{index}-{k}.png", _caption(cells, index), figures)
        # a step recorded outside the script's cells (none of the registered results has one) comes last
        for line, (title, expr) in zip(lines, d.steps):
            if not any(kind == "code" and first <= line <= last for kind, _, first, last in cells):
                out += _step_latex(d, title, expr)
    out += [r"\paragraph{Checks.}", "",
            r"\begin{longtable}{@{}L{0.27\linewidth}L{0.17\linewidth}L{0.5\linewidth}@{}}",
            r"\toprule check & status & evidence \\ \midrule \endhead", r"\bottomrule \endfoot"]
    for check, expect, control in d.checks:
        how = check_label(check, expect, r.refutes) + (" (negative control)" if control else "")
        out.append(rf"{{\footnotesize {_tt(check.id)}}} & {_tex(how)} & "
                   rf"{{\small {_title_tex(check.claim)}" + (rf"\newline {_title_tex(check.brief())}" if check.brief() else "")
                   + r"} \\")
    out += [r"\end{longtable}", ""]
    verdict = (rf"\paragraph{{Verdict.}} \textbf{{{_tex(v.status)}}} (expected {_tex(r.expected)}): "
               + ("the verdict matches its expectation." if d.ok else r"\textbf{the verdict does not match its expectation.}"))
    out += [verdict + (" " + _title_tex(v.brief()) + "." if v.brief() else ""), ""]
    return out


def _step_latex(d, title, expr) -> list[str]:
    """One step as LaTeX: its title's words escaped and math typeset, its formula displayed; a check is
    left to the table of checks."""
    out = []
    for item in step_items(d, title, expr):
        kind = item["kind"]
        if kind in ("check", "whole"):     # a check is in the table; the whole form is the parts put back
            continue
        if kind == "formula":
            out += _formula(item)
        elif kind == "value":
            out += [r"\begin{quote}\small " + _tex(item["text/plain"]) + r"\end{quote}"]
        else:
            words = "".join(f"${text}$" if math else _tex(text) for math, text in title_parts(item["source"]))
            out += [words + (":" if kind == "title" else ""), ""]
    return out


_CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?")


def _script_of(d) -> Path | None:
    """The py:percent script a derivation's steps were recorded from, if there is one."""
    if d.source is None:
        return None
    path = Path(d.source)
    return path if path.suffix == ".py" and path.is_file() and "# %%" in path.read_text(encoding="utf-8") else None


def script_cells(path) -> list[tuple[str, str, int, int]]:
    """A py:percent script's cells as ``(kind, source, first line, last line)``: the sources as jupytext
    reads them, the lines from the cell markers (``# %%``, ``# %% [markdown]``), 1-based.

    >>> from symbolic_mech.presentation.notebooks import proof_scripts
    >>> kind, source, first, last = script_cells(proof_scripts()[0])[0]
    >>> kind, source.startswith("# "), first
    ('markdown', True, 1)
    """
    try:
        import jupytext
    except ImportError as exc:      # pragma: no cover - depends on the environment
        raise ImportError("the report reads the proof scripts with jupytext: pip install symbolic_mech[docs]") from exc
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [k + 1 for k, line in enumerate(lines) if _CELL.match(line)]
    cells = jupytext.read(path, fmt="py:percent").cells
    if len(starts) != len(cells) or starts[:1] != [1]:
        raise ValueError(f"{path.name}: every cell must start with a '# %%' marker, the first on line 1")
    ends = [s - 1 for s in starts[1:]] + [len(lines)]
    return [(c.cell_type, c.source, s, e) for c, s, e in zip(cells, starts, ends)]


def _notebook_images(script: Path) -> dict[int, list[bytes]]:
    """The PNG figures of the script's executed notebook (``notebooks/<stem>.ipynb`` beside ``proofs/``),
    by cell index; empty where it has not been built."""
    path = script.resolve().parent.parent / "notebooks" / f"{script.stem}.ipynb"
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return {k: [base64.b64decode(o["data"]["image/png"]) for o in cell.get("outputs", [])
                if "image/png" in o.get("data", {})]
            for k, cell in enumerate(cells) if cell.get("cell_type") == "code"}


def _caption(cells, index: int) -> str:
    """A figure's caption: the heading, else the first sentence, of the prose just before its cell."""
    kind, source, _, _ = cells[index - 1] if index else ("code", "", 0, 0)
    if kind != "markdown":
        return "A figure computed by the engine."
    heading = next((line.lstrip("#").strip() for line in source.splitlines() if line.startswith("#")), None)
    text = heading or re.split(r"(?<=[.!?])\s", " ".join(source.split()), maxsplit=1)[0]
    return "".join(markdown_latex(text, inline=True))


def _figure(png: bytes, name: str, caption: str, figures: Path | None) -> list[str]:
    """A figure written to ``figures/name`` and included from there (nothing without a directory)."""
    if figures is None:
        return []
    figures.mkdir(parents=True, exist_ok=True)
    (figures / name).write_bytes(png)
    return [r"\begin{figure}[htbp]", r"\centering",
            rf"\includegraphics[width=0.85\linewidth]{{{figures.name}/{name}}}",
            rf"\caption{{{caption}}}", r"\end{figure}", ""]


def markdown_latex(text: str, skip_title: bool = False, inline: bool = False) -> list[str]:
    r"""Markdown with ``$...$`` math as LaTeX lines, parsed with markdown-it-py: words escaped, math kept,
    lists, quotes, emphasis and code as LaTeX has them; ``skip_title`` leaves out a top-level heading
    (the section names the result), ``inline`` renders one paragraph's inline content.

    >>> markdown_latex(r"The *gain* of $\theta_1'$ is `gain`.", inline=True)
    ["The \\emph{gain} of $\\theta_1'$ is \\texttt{gain}."]
    >>> markdown_latex("## Scope\n- one\n- two")
    ['\\subsubsection*{Scope}', '\\begin{itemize}', '\\item one', '\\item two', '\\end{itemize}', '']
    """
    try:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
    except ImportError as exc:      # pragma: no cover - depends on the environment
        raise ImportError("the report's prose needs markdown-it-py and mdit-py-plugins: "
                          "pip install symbolic_mech[docs]") from exc
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=True, double_inline=True)
    if inline:
        return ["".join(_inline_latex(tok.children or []) for tok in md.parse(text) if tok.type == "inline")]
    out, heading, body = [], None, ""
    for tok in md.parse(text):
        kind = tok.type
        if kind == "heading_open":
            heading = tok.tag
        elif kind == "heading_close":
            if not (skip_title and heading == "h1"):
                out.append((r"\subsubsection*{" if heading in ("h1", "h2") else r"\paragraph{") + body + "}")
            heading = None
        elif kind == "inline":
            body = _inline_latex(tok.children or [])
            if heading is None and out and out[-1] == r"\item":
                out[-1] = r"\item " + body
            elif heading is None:
                out.append(body)
        elif kind == "paragraph_close" and not tok.hidden:
            out.append("")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            out.append(r"\begin{itemize}" if kind == "bullet_list_open" else r"\begin{enumerate}")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out += [r"\end{itemize}" if kind == "bullet_list_close" else r"\end{enumerate}", ""]
        elif kind == "list_item_open":
            out.append(r"\item")
        elif kind == "blockquote_open":
            out.append(r"\begin{quote}")
        elif kind == "blockquote_close":
            out.append(r"\end{quote}")
        elif kind in ("math_block", "math_block_label"):
            out += [r"\[", tok.content.strip(), r"\]", ""]
        elif kind in ("fence", "code_block"):
            out += [r"\begin{verbatim}", tok.content.rstrip("\n"), r"\end{verbatim}", ""]
    return out


def _inline_latex(children) -> str:
    """A paragraph's inline tokens as LaTeX."""
    out = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            out.append(_tex(tok.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" " if kind == "softbreak" else r"\\ ")
        elif kind == "math_inline":
            out.append(f"${tok.content.strip()}$")
        elif kind == "math_inline_double":
            out.append(rf"\[{tok.content.strip()}\]")
        elif kind == "code_inline":
            out.append(_tt(tok.content))
        elif kind in ("em_open", "strong_open"):
            out.append(r"\emph{" if kind == "em_open" else r"\textbf{")
        elif kind in ("em_close", "strong_close", "link_close"):
            out.append("}")
        elif kind == "link_open":
            href = "".join("\\" + c if c in "#%&_{}$" else c for c in str(tok.attrs.get("href", "")))
            out.append(r"\href{" + href + "}{")
        else:
            out.append(_tex(tok.content))
    return "".join(out)
