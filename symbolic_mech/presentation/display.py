r"""A derivation as display items: the same lines in the terminal, in a notebook and in the report.

:func:`derivation_items` turns a :class:`~symbolic_mech.registry.Derivation` into MIME bundles
(Markdown and LaTeX for a notebook, Unicode text for the terminal); :func:`item_lines` fits their
text to the terminal.  :class:`LiveView` shows a proof script's steps as it records them: the
package installs it in the registry (:func:`symbolic_mech.registry.set_view`) when it is imported,
so the registry itself never imports this layer.  Inside a Jupyter kernel each formula is shown as
rendered LaTeX in the paper's notation.
"""
from __future__ import annotations

import re
import shutil
import sys
import textwrap

import sympy as sp

from ..core.budget import TimeLimit, time_limit
from ..core.kernel import Verdict
from .printers import abbreviate, agents_of, latex, pretty, readable, _md

__all__ = ["check_label", "derivation_items", "display_derivation", "in_kernel", "heading_items", "quote_items",
           "scope_items", "step_items", "verdict_items", "formula_item", "value_items", "emit", "item_lines",
           "tidy", "whole_item", "title_parts", "title_markdown", "title_plain", "LiveView"]


# checks stand out from the titles; an expression sits under its title
_INDENT = {"check": "  ", "formula": "    ", "value": "    "}


def item_lines(items, width: int | None = None) -> list[str]:
    """The ``text/plain`` of display items as lines fitted to ``width`` columns (the terminal's,
    ``$COLUMNS``, by default): checks indented by two spaces, expressions by four, a blank line after
    the heading and the scope and before the verdict.  Text wraps at word boundaries, continuation
    lines indented under it; a formula wider than its room is abbreviated again for that room, with
    parts named as the notebooks name them (:func:`~symbolic_mech.presentation.printers.abbreviate`),
    and only a part that no name can narrow is wrapped by sympy.

    >>> item_lines([{"kind": "check", "text/plain": "[proved] check: " + "word " * 20}], width=40)
    ['  [proved] check: word word word word', '      word word word word word word word', '      word word word word word word word', '      word word']
    """
    width = width or shutil.get_terminal_size().columns
    out, skip = [], 0
    for k, item in enumerate(items):
        kind, text = item["kind"], item["text/plain"]
        if kind == "verdict":
            out.append("")
        if kind == "whole" or skip:             # opened on a page, not printed; or abbreviated again below
            skip = max(skip - 1, 0)
            continue
        indent = _INDENT.get(kind, "")
        lines = text.splitlines() or [""]
        if kind == "quote":                     # fitted to the width where it is rendered
            out.extend(lines)
        elif kind in ("formula", "value"):
            room = width - len(indent)
            # a formula and its named parts: abbreviated again from the whole if any line is too wide
            parts = list(_parts_after(items, k))
            if "whole" in item and any(max(map(len, i["text/plain"].splitlines())) > room for i in [item] + parts):
                lines, skip = _narrowed({"expr": item["whole"]}, room), len(parts)
            elif max(map(len, lines)) > room and "expr" in item:
                lines = _narrowed(item, room)
            out.extend(indent + ln for ln in lines)
        else:
            for ln in lines:
                out.extend(textwrap.wrap(ln, width, initial_indent=indent, subsequent_indent=indent + "    ",
                                         break_on_hyphens=False) or [indent])
        if kind in ("heading", "scope", "quote"):
            out.append("")
    return out


def _parts_after(items, k):
    """The "where" items that follow the formula item ``items[k]``."""
    for item in items[k + 1:]:
        if "where" not in item:
            return
        yield item


def _narrowed(item, room: int) -> list[str]:
    """A formula item's expression abbreviated for ``room`` columns: the formula, then the parts it
    names, each as "where" (a part no name narrows is wrapped by sympy)."""
    expr = item["expr"]
    agents = agents_of(expr)
    shown, parts = abbreviate(expr, agents, width=room, avoid=expr.free_symbols)
    items = [formula_item(shown, agents)] + [formula_item(sp.Eq(n, p, evaluate=False), agents, where=n)
                                             for n, p in parts]
    lines = []
    for it in items:
        text = it["text/plain"].splitlines()
        if max(map(len, text)) > room:
            wrapped = pretty(it["expr"], wrap_line=True, num_columns=room - len("where ")).splitlines()
            text = [("where " if k == 0 else " " * len("where ")) + ln for k, ln in enumerate(wrapped)] \
                if "where" in it else wrapped
        lines += text
    return lines


# a display's factoring may take a second, never minutes: past this it shows the expression as it is
TIDY_SECONDS = 3.0


def tidy(expr):
    """A shorter equal form for display: the factored rational function if it is shorter, and if
    factoring ends within :data:`TIDY_SECONDS` (its cost depends on the order sympy gives the
    variables, which can vary from run to run).

    >>> x = sp.Symbol("x")
    >>> tidy(x**2 + 2*x + 1)
    (x + 1)**2
    """
    if not isinstance(expr, sp.Expr) or expr.has(sp.Piecewise, sp.Max, sp.Min):
        return expr
    try:
        with time_limit(TIDY_SECONDS):
            candidate = sp.factor(sp.cancel(sp.together(expr)))
    except (sp.PolynomialError, NotImplementedError, TimeLimit):
        return expr
    return candidate if sp.count_ops(candidate) < sp.count_ops(expr) else expr


def check_label(verdict, expect: str, refutes=()) -> str:
    """How a check came out against what it must show.

    ``proved``, ``refuted, as required`` or ``inconclusive, as required`` when the
    status is the expected one (a negative control, or a failure the paper exhibits,
    must be refuted; a schematic control must stay unproved);
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
        return verdict.status if expect == "proved" else f"{expect}, as required"
    if verdict.status == "refuted" and verdict.id in refutes:
        return "refuted: the paper's claim fails"
    return f"{verdict.status}, expected {expect}".upper()


def derivation_items(derivation) -> list[dict[str, str]]:
    """The derivation as display items, one per line or formula shown.

    Each item is a MIME bundle: ``text/plain`` always, ``text/markdown`` for a
    line of text, ``text/latex`` (display math, in the paper's notation) for a
    formula.  Two more keys are not MIME types: ``kind`` is one of

    * ``heading``: the result's label and claim;
    * ``quote``: the paper's statement of an item the script quotes
      (:meth:`Derivation.paper`; ``name`` is the item's name);
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
    :mod:`symbolic_mech.presentation.report` typesets their ``latex``.  A live derivation
    shows the same items as they come: :func:`heading_items` when it starts,
    :func:`step_items` per step, :func:`scope_items` and :func:`verdict_items`
    when it concludes.
    """
    items = heading_items(derivation) + quote_items(derivation.quotes) + scope_items(derivation)
    for title, expr in derivation.steps:
        items += step_items(derivation, title, expr)
    return items + verdict_items(derivation)


def _text(kind, rich, plain):
    # the same text twice: Markdown (escaped) and plain, both with the atoms' names in the paper's notation
    return {"kind": kind, "text/markdown": readable(rich), "text/plain": readable(plain)}


def heading_items(derivation) -> list[dict[str, str]]:
    """The result's label and claim."""
    r = derivation.result
    return [{"kind": "heading", "text/markdown": f"**{_md(r.label)}**: {title_markdown(r.claim)}",
             "text/plain": f"{r.label}: {title_plain(r.claim)}"}]


def quote_items(names) -> list[dict[str, str]]:
    """The paper's statements of the named items: Markdown with TeX math, and Unicode text fitted to
    the terminal (:mod:`symbolic_mech.presentation.quotes`).

    >>> quote_items(["Proposition 1"])[0]["text/markdown"].splitlines()[0]
    '**Proposition 1** (Ex-post), Section 4.1 Mechanisms and Implementation:'
    """
    from .quotes import quote_markdown, quote_unicode
    return [{"kind": "quote", "name": n, "text/markdown": quote_markdown(n), "text/plain": quote_unicode(n)}
            for n in names]


def scope_items(derivation) -> list[dict[str, str]]:
    """What the derivation covers, if stated (:meth:`Derivation.scope_lines`)."""
    scope = derivation.scope_lines()
    if not scope:
        return []
    return [{"kind": "scope", "text/markdown": "**Scope**\n\n" + "\n".join(f"- {title_markdown(line)}" for line in scope),
             "text/plain": "Scope:\n" + "\n".join(f"  {title_plain(line)}" for line in scope)}]


_TITLE_MATH = re.compile(r"\$([^$]+)\$")


def title_parts(title: str) -> list[tuple[bool, str]]:
    r"""A step's title split into words and math: ``(is_math, text)`` pairs, math written ``$...$``.

    >>> title_parts(r"the outcome $x^*$, at truth")
    [(False, 'the outcome '), (True, 'x^*'), (False, ', at truth')]
    """
    parts, at = [], 0
    for m in _TITLE_MATH.finditer(title):
        parts += [(False, title[at:m.start()])] if m.start() > at else []
        parts.append((True, m.group(1)))
        at = m.end()
    return parts + ([(False, title[at:])] if at < len(title) else [])


def title_markdown(title: str) -> str:
    r"""A step's title as Markdown: its words escaped, its ``$...$`` math kept for rendering.

    >>> title_markdown(r"posterior mean $\mathbb{E}[\omega \mid s_2]$ (agent_2)")
    'posterior mean $\\mathbb{E}[\\omega \\mid s_2]$ (agent\\_2)'
    """
    return "".join(f"${text}$" if math else readable(_md(text)) for math, text in title_parts(title))


def title_plain(title: str) -> str:
    r"""A step's title as terminal text: its math in Unicode (:func:`symbolic_mech.presentation.quotes.tex_to_unicode`).

    >>> title_plain(r"$x^* = \frac{\theta_1 + \theta_2}{2} + \mathbb{E}[\omega \mid s]$ at $\hat\omega$")
    'x* = (θ₁ + θ₂)/2 + 𝔼[ω | s] at ω̂'
    """
    from .quotes import tex_to_unicode
    return "".join(tex_to_unicode(text) if math else readable(text) for math, text in title_parts(title))


def step_items(derivation, title: str, expr) -> list[dict[str, str]]:
    """One step: a line of text, a check against its expectation, or a title and its expression.

    A title may hold ``$...$`` math: Markdown shows it typeset (:func:`title_markdown`), the
    terminal in Unicode (:func:`title_plain`); a check's title is its claim and its evidence
    (:meth:`Verdict.brief`), both rendered the same way."""
    if isinstance(expr, Verdict):
        expect = next((e for v, e, _ in derivation.checks if v is expr), expr.status)
        brief = f" ({expr.brief()})" if expr.brief() else ""
        how = check_label(expr, expect, derivation.result.refutes)
        return [{"kind": "check", "text/markdown": f"- **{_md(how)}** {title_markdown(title + brief)}",
                 "text/plain": f"[{how}] {title_plain(title + brief)}", "status": how, "title": title}]
    shown = {"text/markdown": title_markdown(title), "text/plain": title_plain(title), "source": title}
    if expr is None:
        return [{"kind": "text", **shown}]
    items = [{"kind": "title", **{k: v + ":" if "/" in k else v for k, v in shown.items()}}]
    if isinstance(expr, (sp.Basic, sp.MatrixBase)):
        tidied = tidy(expr)
        agents = agents_of(tidied)
        shown, where = abbreviate(tidied, agents)
        items.append(formula_item(shown, agents))
        items += [formula_item(sp.Eq(name, part, evaluate=False), agents, where=name) for name, part in where]
        if where:
            items[-len(where) - 1]["whole"] = tidied       # what a narrower display abbreviates afresh
            items.append(whole_item(tidied, agents))
    else:
        items.append({"kind": "value", "text/plain": readable(expr)})
    return items


def whole_item(expr, agents=None) -> dict:
    r"""The whole of an abbreviated formula, without named parts, folded under its parts: a page opens
    it (``<details>``); the terminal and the report leave it out (``text/plain`` is empty).

    >>> whole_item(sp.Symbol("x") + 1)["text/markdown"].splitlines()[0]
    '<details><summary>the whole expression, without named parts</summary>'
    """
    return {"kind": "whole", "text/plain": "",
            "text/markdown": "<details><summary>the whole expression, without named parts</summary>\n\n"
                             f"$$ {latex(expr, agents=agents)} $$\n\n</details>"}


def formula_item(expr, agents=None, where=None) -> dict:
    r"""The display item of a formula (already within the cap, see :func:`abbreviate`):
    ``text/plain`` (:func:`pretty`), ``text/latex`` (display math, :func:`latex`), ``latex``
    without delimiters and ``expr``; ``where``: the name a part defines, shown as
    "where A = ...".

    >>> formula_item(sp.Eq(sp.Symbol("A"), sp.Symbol("x") + 1, evaluate=False), where=sp.Symbol("A"))["latex"]
    '\\text{where } A = x + 1'
    """
    bare = latex(expr, agents=agents)
    plain = pretty(expr, agents=agents, wrap_line=False)
    item = {"kind": "formula", "expr": expr}
    if where is not None:
        bare = r"\text{where } " + bare
        lines = plain.splitlines()
        named = f"{pretty(where)} = "
        at = next((k for k, line in enumerate(lines) if line.startswith(named)), 0)
        plain = "\n".join(("where " if k == at else "      ") + line for k, line in enumerate(lines))
        item["where"] = str(where)
    return {**item, "text/latex": f"$\\displaystyle {bare}$", "text/plain": plain, "latex": bare}


def verdict_items(derivation) -> list[dict[str, str]]:
    """The verdict and the expectation, once assembled."""
    if derivation.verdict is None:
        return []
    r = derivation.result
    line = f"VERDICT {r.id}: {derivation.verdict.status} (expected {r.expected})"
    return [_text("verdict", f"**{_md(line)}**", line)]


# the value a live derivation showed last: a cell ending in ``d.step(...)`` or ``d.check(...)``
# must not show it a second time as the cell's value
_shown = [None]


def emit(items, value=None) -> None:
    """Show display items now: their MIME bundles in a Jupyter kernel, else their text, indented
    as :meth:`Derivation.lines` prints them.  ``value`` is the object the items show (a step's
    expression, a check's verdict): in a kernel, the cell's value is not shown again if it is it."""
    if in_kernel():
        from IPython.display import display
        _show_values_as_items()
        _shown[0] = value
        for item in items:
            # a raw bundle publishes every key as a MIME type
            display({k: v for k, v in item.items() if "/" in k}, raw=True)
        return
    from .display import item_lines
    print("\n".join(item_lines(items)))


def value_items(expr) -> list[dict]:
    """A sympy object as formula items within the cap: the abbreviated formula, then its parts.

    >>> [i["text/plain"] for i in value_items(sp.Symbol("V_1,2") + 1)]
    ['Var[ω | s₁, s₂] + 1']
    """
    agents = agents_of(expr)
    shown, where = abbreviate(expr, agents)
    return [formula_item(shown, agents)] + [formula_item(sp.Eq(name, part, evaluate=False), agents, where=name)
                                            for name, part in where]


def _show_values_as_items():
    # a cell's last value that is an expression or a verdict is shown as the derivation shows it
    # (sympy's own repr writes the atoms' internal names and has no size cap; a verdict's dumps
    # its certificate), and not at all if a live derivation has just shown it
    from IPython import get_ipython
    from IPython.display import display
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters

    def plain(obj, p, cycle):
        p.text("\n".join(item["text/plain"] for item in value_items(obj)))

    def verdict_line(v):
        return f"{v.status}: " + title_plain(v.claim + (f" ({v.brief()})" if v.brief() else ""))

    def shown_once(obj):
        # handled here, so IPython shows nothing more; a value not just shown is displayed as items
        if obj is not _shown[0]:
            items = ([{"text/plain": verdict_line(obj)}] if isinstance(obj, Verdict) else value_items(obj))
            for item in items:
                display({k: v for k, v in item.items() if "/" in k}, raw=True)
        return True
    for kind in (sp.Basic, sp.MatrixBase):
        formatters["text/plain"].for_type(kind, plain)       # inside lists and tuples
    formatters["text/plain"].for_type(Verdict, lambda v, p, cycle: p.text(verdict_line(v)))
    for kind in (sp.Basic, sp.MatrixBase, Verdict):
        shell.display_formatter.ipython_display_formatter.for_type(kind, shown_once)


def display_derivation(derivation) -> None:
    """Display a derivation in IPython: Markdown text and rendered formulas."""
    emit(derivation_items(derivation))


class LiveView:
    """The package's view of derivations (installed with :func:`symbolic_mech.registry.set_view`):
    a live derivation's items shown as they come, and a whole derivation printed or displayed."""

    def heading(self, derivation) -> None:
        emit(heading_items(derivation))

    def step(self, derivation, title, expr) -> None:
        emit(step_items(derivation, title, expr), value=expr)

    def quotes(self, derivation, names) -> None:
        emit(quote_items(names))

    def conclude(self, derivation) -> bool:
        """Show the scope and the verdict; whether the script runs as a program (not in a kernel)."""
        emit(scope_items(derivation) + verdict_items(derivation))
        return not in_kernel() and getattr(sys.modules.get("__main__"), "__file__", None) is not None

    def lines(self, derivation) -> list[str]:
        """The ``text/plain`` of the items a notebook shows, so the terminal and the notebooks print the
        same text; checks are indented by two spaces, expressions (sympy's pretty printer) by four."""
        return item_lines(derivation_items(derivation))

    def show(self, derivation) -> None:
        display_derivation(derivation)


def in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel.

    IPython is not a dependency: it is only looked up if already imported,
    as it is in a kernel.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


