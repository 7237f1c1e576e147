"""The verification report: the verdict table and every derivation, as Markdown or LaTeX.

Built from the same display items as the notebooks
(:func:`symbolic_mech.notebooks.derivation_items`), so the report, the
notebooks and the terminal show one derivation.

>>> from symbolic_mech.registry import derive
>>> print(markdown_report([derive("example3")]).splitlines()[0])
# symbolic_mech verification report
"""
from __future__ import annotations

import re

from .notebooks import derivation_items

__all__ = ["markdown_report", "latex_report", "summary_rows"]

_LATEX_SPECIAL = re.compile(r"([\\&%$#_{}~^])")
_LATEX_REPLACEMENT = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def summary_rows(derivations) -> list[dict]:
    """One row per derivation: id, label, claim, status, expectation, brief evidence, scope, seconds."""
    rows = []
    for d in derivations:
        r, v = d.result, d.verdict
        rows.append({"id": r.id, "label": r.label, "claim": r.claim, "status": v.status,
                     "expected": r.expected, "ok": d.ok, "erratum": r.erratum,
                     "evidence": v.brief(), "scope": d.scope_record(), "seconds": round(d.seconds, 3)})
    return rows


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def markdown_report(derivations) -> str:
    """The whole report in Markdown: summary table, then each derivation with its formulas."""
    rows = summary_rows(derivations)
    out = ["# symbolic_mech verification report", "",
           f"{sum(r['ok'] for r in rows)}/{len(rows)} results match their expectation.", "",
           "| id | paper | claim | status | expected | evidence |", "|---|---|---|---|---|---|"]
    out += [f"| {r['id']} | {_cell(r['label'])} | {_cell(r['claim'])} | {r['status']} | "
            f"{r['expected']}{' (erratum)' if r['erratum'] else ''} | {_cell(r['evidence'])} |" for r in rows]
    for d in derivations:
        out += ["", f"## {d.result.label} (`{d.result.id}`)", ""]
        for item in derivation_items(d):
            if "latex" in item:
                out += ["", "$$" + item["latex"] + "$$", ""]
            else:
                out.append(item.get("text/markdown", item["text/plain"]) + "  ")
    return "\n".join(out) + "\n"


def _tex(text) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_REPLACEMENT.get(m.group(1), "\\" + m.group(1)), str(text))


def latex_report(derivations) -> str:
    """The whole report as a LaTeX document (an appendix-ready section per result)."""
    rows = summary_rows(derivations)
    out = [r"\documentclass{article}", r"\usepackage{amsmath,amssymb,longtable}", r"\begin{document}",
           r"\section*{Verification report}",
           f"{sum(r['ok'] for r in rows)}/{len(rows)} results match their expectation.", "",
           r"\begin{longtable}{p{0.2\linewidth}p{0.18\linewidth}p{0.12\linewidth}p{0.4\linewidth}}",
           r"id & paper & status & evidence \\ \hline"]
    out += [f"{_tex(r['id'])} & {_tex(r['label'])} & {r['status']} & {_tex(r['evidence'])} \\\\" for r in rows]
    out += [r"\end{longtable}"]
    for d in derivations:
        out += ["", rf"\subsection*{{{_tex(d.result.label)}}}"]
        for item in derivation_items(d):
            if "latex" in item:
                out += [r"\[", item["latex"], r"\]"]
            else:
                out += [_tex(item["text/plain"]) + r"\\"]
    out += [r"\end{document}"]
    return "\n".join(out) + "\n"
