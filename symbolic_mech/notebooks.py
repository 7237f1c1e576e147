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
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol, pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from .core.kernel import Verdict
from .registry import tidy
from .symbols import stood_for

__all__ = ["MechLatexPrinter", "latex", "MechPrettyPrinter", "pretty", "readable", "agents_of",
           "WIDTH", "HEIGHT", "MATRIX_HEIGHT", "LATEX_SIZE", "formula_size", "latex_size", "within_cap",
           "abbreviate", "formula_item", "value_items", "check_label", "derivation_items", "display_derivation",
           "in_kernel", "heading_items", "scope_items", "step_items", "verdict_items", "emit", "proof_scripts", "script_to_notebook", "Built", "build_one", "KERNEL",
           "mathml", "offline_notebook", "notebook_html"]

KERNEL = "python3"

# ---------------------------------------------------------------------------
# the package's atoms in the paper's notation
# ---------------------------------------------------------------------------

_MOMENT = re.compile(r"^E\[omega(?:\^(\d+))?\|([^\]]*)\]$")   # E[omega^k|1,2] or E[omega|s1,s2]
_VARIANCE = re.compile(r"^V_(\d+(?:,\d+)*)$")                 # V_1,2 = Var[omega | s1, s2]
_PARTITION = re.compile(r"^Z\[(\d+(?:,\d+)*)\]$")             # Z[1,2] = Z(theta, s)
_WEIGHT = re.compile(r"^R\[(\d+)\|(\d+(?:,\d+)*)\]$")         # R[t|1,2] = R(t | theta, s)
_HAT = re.compile(r"^([A-Za-z]+)_hat(\d*)$")                   # omega_hat, omega_hat1
_STAR = re.compile(r"^(.+)_star$")                             # x_i_star
_AGENT = re.compile(r"^(?:theta|s)(\d+)$")                     # an agent's type or signal
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _digits(text: str) -> tuple[int, ...] | None:
    tokens = [t.strip() for t in text.split(",")]
    return tuple(int(t) for t in tokens) if all(t.isdigit() for t in tokens) else None


def agents_of(expr) -> tuple[int, ...]:
    """The agents 1..n of an expression, n the largest agent index among its types, signals and
    atoms: the economy that Z(theta, s) and R(t | theta, s) are printed relative to.

    >>> agents_of(sp.Function("Z[2]")(sp.Symbol("theta2"), sp.Symbol("s2")) + sp.Symbol("theta1"))
    (1, 2)
    """
    top = 0
    for atom in expr.atoms(sp.Symbol, AppliedUndef) if isinstance(expr, (sp.Basic, sp.MatrixBase)) else ():
        name = (type(atom).__name__ if isinstance(atom, AppliedUndef) else atom.name).rstrip("'")
        found = ()
        if (m := _AGENT.match(name)):
            found = (int(m.group(1)),)
        elif (m := _VARIANCE.match(name) or _PARTITION.match(name)):
            found = _digits(m.group(1))
        elif (m := _MOMENT.match(name) or _WEIGHT.match(name)):
            found = _digits(m.group(2)) or ()
        top = max((top, *found))
    return tuple(range(1, top + 1))


def _economy(agents, args, everyone):
    """How a Z or R atom's economy is written: ``"all"`` (theta, s), the agent ``i`` left out
    (theta_-i, s_-i), or None (its arguments in full)."""
    names = [a.name if isinstance(a, sp.Symbol) else None for a in args]
    if names != [f"theta{j}" for j in agents] + [f"s{j}" for j in agents]:
        return None
    rest = set(everyone or agents) - set(agents)
    if not rest:
        return "all"
    return rest.pop() if len(rest) == 1 and set(agents) <= set(everyone) else None


# a stand-in's name is the sympy string of its exponent, with the atoms' names in it
_NAME = re.compile(r"(?<![\w\[])[A-Za-z_][A-Za-z0-9_]*'*(?![\w(\[])")


def _stand_in(name: str):
    """exp(a) for a stand-in of exp(a) (:func:`symbolic_mech.symbols.stand_in`); None otherwise.
    Nothing is parsed: the stand-in's creator recorded what it stands for."""
    value = stood_for(name)
    return value if isinstance(value, sp.exp) else None


class MechLatexPrinter(LatexPrinter):
    r"""sympy's LaTeX printer with the package's atom names in the paper's notation.

    * ``E[omega^k|1,2](a, b)``, the opaque posterior moment E[omega^k | s_1, s_2]
      of :mod:`symbolic_mech.information`, is printed with its arguments:
      an argument that is the signal itself or its misreport (``s1``, ``s1'``)
      is printed as such, any other value ``a`` as ``s_1 = a``;
    * ``V_1,2`` is Var[omega | s_1, s_2];
    * ``Z[1,2](theta1, theta2, s1, s2)`` is Z(theta, s) and ``R[t|1,2](...)`` is
      R(t | theta, s) (:mod:`symbolic_mech.environments`); the economy without
      agent i is written (theta_-i, s_-i), relative to the agents 1..n of the
      printed expression (the setting ``agents``, else :func:`agents_of`);
    * a stand-in ``exp[a]`` for a positive exponential is exp(a);
    * a trailing prime (a misreport, ``theta1'``), ``_hat`` and ``_star``
      suffixes are accents.

    >>> MechLatexPrinter().doprint(sp.Symbol("theta1'")), latex(sp.Symbol("omega_hat2"))
    ("\\theta_{1}'", '\\hat{\\omega}_{2}')
    >>> MechLatexPrinter().doprint(sp.Symbol("x_i_star"))
    'x_{i}^{*}'
    >>> th, s = sp.symbols("theta1 theta2"), sp.symbols("s1 s2")
    >>> latex(sp.Function("Z[1,2]")(*th, *s) / sp.Function("Z[2]")(th[1], s[1]))
    '\\frac{Z\\left(\\theta, s\\right)}{Z\\left(\\theta_{-1}, s_{-1}\\right)}'
    """

    _default_settings = {**LatexPrinter._default_settings, "agents": None}

    def doprint(self, expr):
        self._everyone = self._settings["agents"] or agents_of(expr)
        return super().doprint(expr)

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
        if (value := _stand_in(expr.name)) is not None:
            return self._print(value)
        return self._name(expr.name, style)

    def _economy(self, agents, args) -> str:
        how = _economy(agents, args, getattr(self, "_everyone", ()))
        if how == "all":
            return r"\theta, s"
        if how is not None:
            return r"\theta_{-%d}, s_{-%d}" % (how, how)
        return ", ".join(self._print(a) for a in args)

    def _print_Function(self, expr, exp=None):
        name = type(expr).__name__ if isinstance(expr, AppliedUndef) else ""
        power = "^{%s}" % exp if exp is not None else ""
        if (match := _PARTITION.match(name)):
            return r"Z\left(%s\right)" % self._economy(_digits(match.group(1)), expr.args) + power
        if (match := _WEIGHT.match(name)):
            return (r"R\left(%s \mid %s\right)" % (match.group(1), self._economy(_digits(match.group(2)), expr.args))
                    + power)
        match = _MOMENT.match(name)
        agents = _digits(match.group(2)) if match else None
        if agents is None or len(agents) != len(expr.args):
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


class MechPrettyPrinter(PrettyPrinter):
    """sympy's pretty printer (the terminal's ``text/plain``) with the atoms in the paper's notation,
    as :class:`MechLatexPrinter` writes them: ``E[ω | s₁, s₂]``, ``E[ω² | s₁' , s₂]``,
    ``E[ω | s₁ = 0, s₂]``, ``Var[ω | s₁, s₂]``, ``Z(θ, s)``, ``Z(θ₋₁, s₋₁)``, ``R(1 | θ, s)``,
    a stand-in ``exp[a]`` as exp(a), ``θ₁'``, ``ω̂``, ``xᵢ*``.

    >>> s1, s2 = sp.symbols("s1 s2")
    >>> print(pretty(sp.Function("E[omega^2|1,2]")(sp.Symbol("s1'"), s2) - sp.Symbol("V_1,2")))
    -Var[ω | s₁, s₂] + E[ω² | s₁', s₂]
    >>> print(pretty(sp.Function("E[omega|1,2]")(0, s2) ** 2, use_unicode=False))
                     2
    E[omega | s1 = 0, s2]
    """

    _default_settings = {**PrettyPrinter._default_settings, "agents": None}

    def doprint(self, expr):
        self._everyone = self._settings["agents"] or agents_of(expr)
        return super().doprint(expr)

    def _symbol(self, name: str) -> str:
        return pretty_symbol(name)

    def _omega(self, power=None) -> str:
        if not self._use_unicode:
            return "omega" + (f"^{power}" if power else "")
        return self._symbol("omega") + (str(power).translate(_SUPERSCRIPT) if power else "")

    def _name(self, name: str) -> str:
        bare = name.rstrip("'")
        if bare != name:
            return self._name(bare) + "'" * (len(name) - len(bare))
        if (match := _VARIANCE.match(name)):
            return f"Var[{self._omega()} | {self._given(match.group(1))}]"
        if (match := _MOMENT.match(name)):
            return f"E[{self._omega(match.group(1))} | {self._given(match.group(2))}]"
        if (match := _HAT.match(name)):
            return self._symbol(f"{match.group(1)}hat" + (f"_{match.group(2)}" if match.group(2) else ""))
        if (match := _STAR.match(name)):
            return self._name(match.group(1)) + "*"
        return self._symbol(name)

    def _given(self, tokens: str) -> str:
        return ", ".join(self._name(f"s{t}" if t.isdigit() else t) for t in (t.strip() for t in tokens.split(",")))

    def _print_Symbol(self, e, bold_name=False):
        if (value := _stand_in(e.name)) is not None:
            return self._print(value)
        return prettyForm(self._name(e.name))

    def _join(self, head: str, parts, tail: str):
        out = prettyForm(head)
        for k, part in enumerate(parts):
            out = prettyForm(*out.right(", " if k else "", part))
        out = prettyForm(*out.right(tail))
        out.binding = prettyForm.ATOM          # E[...]² needs no parentheses
        return out

    def _economy(self, agents, args) -> list:
        how = _economy(agents, args, getattr(self, "_everyone", ()))
        if how == "all":
            return [prettyForm(self._symbol("theta")), prettyForm("s")]
        if how is not None:
            return [prettyForm(self._symbol(f"theta_-{how}")), prettyForm(self._symbol(f"s_-{how}"))]
        return [self._print(a) for a in args]

    def _print_Function(self, e, sort=False, func_name=None, left="(", right=")"):
        name = type(e).__name__ if isinstance(e, AppliedUndef) else ""
        if (match := _PARTITION.match(name)):
            return self._join("Z(", self._economy(_digits(match.group(1)), e.args), ")")
        if (match := _WEIGHT.match(name)):
            return self._join(f"R({match.group(1)} | ", self._economy(_digits(match.group(2)), e.args), ")")
        match = _MOMENT.match(name)
        agents = _digits(match.group(2)) if match else None
        if agents is None or len(agents) != len(e.args):
            return super()._print_Function(e, sort, func_name, left, right)
        items = []
        for j, arg in zip(agents, e.args):
            shown = self._print(arg)
            if not (isinstance(arg, sp.Symbol) and arg.name.rstrip("'") == f"s{j}"):
                shown = prettyForm(*shown.left(f"{self._name(f's{j}')} = "))
            items.append(shown)
        return self._join(f"E[{self._omega(match.group(1))} | ", items, "]")


def pretty(expr, **settings) -> str:
    """sympy's ``pretty`` (Unicode unless ``use_unicode=False``) in the paper's notation
    (:class:`MechPrettyPrinter`).

    >>> print(pretty(sp.Symbol("V_1,2") + sp.Symbol("theta1'")))
    Var[ω | s₁, s₂] + θ₁'
    """
    settings.setdefault("use_unicode", True)
    printer = MechPrettyPrinter(settings)
    previous = pretty_use_unicode(settings["use_unicode"])
    try:
        return printer.doprint(expr)
    finally:
        pretty_use_unicode(previous)


_TEXT_ATOM = re.compile(r"(?P<name>E\[omega(?:\^\d+)?\|[\d,]+\]|Z\[[\d,]+\]|R\[\d+\|[\d,]+\])"
                        r"(?:\((?P<args>[^()]*)\))?|\bV_\d+(?:,\d+)*"
                        # a posterior mean at given signals, as a symbol: E[omega|s1,s2]
                        r"|E\[omega\|[\w']+(?:,[\w']+)*\]")
_NUMBER = re.compile(r"^-?\d+(?:/\d+)?$")


def _text_arg(token: str):
    token = token.strip()
    return sp.Rational(token) if _NUMBER.match(token) else sp.Symbol(token)


def readable(text) -> str:
    """Free text (a claim, a scope line, a value's ``str``) with the atoms' internal names in the
    paper's notation, as :func:`pretty` prints them.

    >>> readable("symbolic: alpha, E[omega|1,2](s1, s2), V_1,2, exp[b11*E[omega|2](s2)/alpha]")
    'symbolic: alpha, E[ω | s₁, s₂], Var[ω | s₁, s₂], exp(b₁₁*E[ω | s₂]/α)'
    >>> readable("E[omega|s1,s2] > 0")
    'E[ω | s₁, s₂] > 0'
    """
    text = str(text)
    out, k = [], 0
    while (at := text.find("exp[", k)) >= 0:       # a stand-in's name holds brackets: match them
        depth, end = 0, at + 3
        for end in range(at + 3, len(text)):
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            if depth == 0:
                break
        value = _stand_in(text[at:end + 1]) if depth == 0 else None
        if value is not None:
            shown = f"exp({_OneLine().doprint(value.args[0])})"
        elif depth == 0:      # a name not recorded: the same text, as exp(...), names as pretty prints them
            inner = _atoms_in_text(text[at + 4:end])
            shown = f"exp({_NAME.sub(lambda n: _OneLine().doprint(sp.Symbol(n.group(0))), inner)})"
        else:
            shown = _atoms_in_text(text[at:])
        out.append(text[k:at] + shown)
        k = end + 1
    out.append(text[k:])
    return _atoms_in_text("".join(out))


class _OneLine(StrPrinter):
    """sympy's string printer with names and atoms as :func:`pretty` prints them, for a line of text."""

    def _print_Symbol(self, expr):
        shown = pretty(expr)
        return shown if "\n" not in shown else super()._print_Symbol(expr)

    def _print_Function(self, expr):
        shown = pretty(expr) if isinstance(expr, AppliedUndef) else "\n"
        return shown if "\n" not in shown else super()._print_Function(expr)


def _atoms_in_text(text: str) -> str:
    def one(m):
        name = m.group("name")
        if name is None:
            return pretty(sp.Symbol(m.group(0)))
        if m.group("args") is not None:
            args = [_text_arg(a) for a in m.group("args").split(",")]
        elif name.startswith("E["):
            return pretty(sp.Symbol(name))
        else:                       # Z[A] or R[t|A] named without arguments: of the economy A
            agents = _digits(name[2:-1].split("|")[-1])
            args = [sp.Symbol(f"theta{j}") for j in agents] + [sp.Symbol(f"s{j}") for j in agents]
        shown = _OneLine().doprint(sp.Function(name)(*args))
        return shown if "\n" not in shown else m.group(0)
    return _TEXT_ATOM.sub(one, text)


# ---------------------------------------------------------------------------
# paper-sized formulas
# ---------------------------------------------------------------------------

WIDTH = 100          # columns of a displayed formula's text/plain (Unicode pretty form, unwrapped)
HEIGHT = 8           # its lines: five, and the three a fraction's bar and denominator add
MATRIX_HEIGHT = 12   # a matrix's lines (three rows of fractions)
LATEX_SIZE = 320     # characters of rendered content in its LaTeX (see latex_size)
_WHERE = len("where A = ")
_MIN_PART = 12       # a part narrower than this is not worth a name of its own
_MANY = 5            # terms of a sum that are named in runs rather than one by one
# names for parts: capitals that do not read as an operator or a constant (E, I, O, S, N, Z, R, V)
_PART_NAMES = "ABCDFGHJKLMPQTUWXY"


def formula_size(text: str) -> tuple[int, int]:
    """(columns, lines) of a formula's ``text/plain``.

    >>> formula_size(" 1\\n───\\n x₁")
    (3, 3)
    """
    lines = str(text).splitlines() or [""]
    return max(len(line) for line in lines), len(lines)


_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")
_INVISIBLE = {r"\left", r"\right", r"\displaystyle", r"\mathrm", r"\mathbb", r"\operatorname", r"\text"}


def latex_size(tex: str) -> int:
    r"""Characters of rendered content in a formula's LaTeX: a command is one character
    (``\left``, ``\mathrm`` and the like none), braces, ``^``, ``_``, ``$``, ``&`` and
    spaces none.

    >>> latex_size(r"$\displaystyle \frac{\alpha}{x_{1}} + \mathbb{E}\left[\omega \mid s_{1}\right]$")
    12
    """
    def one(m):
        return "" if m.group(0) in _INVISIBLE else "c"
    return len(re.sub(r"[\s{}^_$&]", "", _LATEX_COMMAND.sub(one, tex)))


def within_cap(plain: str, tex: str | None = None, matrix: bool = False) -> bool:
    """Whether a displayed formula is paper-sized: its ``text/plain`` at most :data:`WIDTH`
    columns and :data:`HEIGHT` lines (:data:`MATRIX_HEIGHT` for a matrix), its LaTeX at most
    :data:`LATEX_SIZE` characters of content (:func:`latex_size`).

    >>> within_cap("x₁ + 1", "x_{1} + 1"), within_cap("x" * 101)
    (True, False)
    """
    width, height = formula_size(plain)
    return (width <= WIDTH and height <= (MATRIX_HEIGHT if matrix else HEIGHT)
            and (tex is None or latex_size(tex) <= LATEX_SIZE))


class _Parts:
    """Names for the parts of one displayed formula, fitted to the cap with one printing context."""

    def __init__(self, expr, agents):
        self.agents = agents
        taken = {str(s) for s in expr.free_symbols} if isinstance(expr, (sp.Basic, sp.MatrixBase)) else set()
        self.fresh = (sp.Symbol(name) for name in _names() if name not in taken)
        self.parts: dict = {}                  # part -> its name, in the order they were named
        self._fit: dict = {}

    def fits(self, expr, width=WIDTH, height=HEIGHT) -> bool:
        key = (expr, width, height)
        if key not in self._fit:
            plain = pretty(expr, agents=self.agents, wrap_line=False)
            w, h = formula_size(plain)
            self._fit[key] = (w <= width and h <= height
                              and latex_size(latex(expr, agents=self.agents)) * WIDTH <= LATEX_SIZE * width)
        return self._fit[key]

    def width(self, expr) -> int:
        return formula_size(pretty(expr, agents=self.agents, wrap_line=False))[0]

    def name(self, part):
        if part not in self.parts:
            self.parts[part] = next(self.fresh)
        return self.parts[part]

    def shrink(self, expr, width=WIDTH, height=HEIGHT):
        """``expr`` with parts named until it fits (or nothing is left to name)."""
        room = (WIDTH - _WHERE, HEIGHT)        # a part is shown as "where A = part"
        while not self.fits(expr, width, height):
            # a long sum is cut into runs of terms before its terms get names one by one
            step = (self._repeated(expr, room) or self._group(expr, room, _MANY) or self._largest_part(expr, room)
                    or self._group(expr, room))
            if step is None:
                return expr
            old, new = step
            expr = expr.xreplace({old: new})
        return expr

    def _repeated(self, expr, room):
        """(part, its name) for the widest subexpression that occurs more than once and fits ``room``
        (common subexpressions first: naming one shortens every place it occurs)."""
        counts: dict = {}
        for node in sp.preorder_traversal(expr):
            if _nameable(node) and node is not expr:
                counts[node] = counts.get(node, 0) + 1
        repeated = sorted((part for part, n in counts.items() if n > 1 and len(sp.sstr(part)) >= _MIN_PART),
                          key=lambda part: -counts[part] * len(sp.sstr(part)))
        for part in repeated:
            if self.width(part) >= _MIN_PART and self.fits(part, *room):
                return part, self.name(part)
        return None

    def _largest_part(self, expr, room):
        """(part, its name) for the widest proper subexpression that fits ``room`` (a repeated one
        counts once per occurrence), if one is at least _MIN_PART wide."""
        counts: dict = {}

        def walk(node, top):
            if not _nameable(node):
                return
            if not top and self.fits(node, *room):
                counts[node] = counts.get(node, 0) + 1
                return
            for arg in node.args:
                walk(arg, False)
        walk(expr, True)
        scored = [(self.width(part) * n, part) for part, n in counts.items()]
        scored = [(score, part) for score, part in scored if score >= _MIN_PART]
        if not scored:
            return None
        part = max(scored, key=lambda sp_: (sp_[0], -len(sp.srepr(sp_[1]))))[1]
        return part, self.name(part)

    def _group(self, expr, room, terms_at_least=2):
        """(a sum or product, the same with a run of its terms named) for the first sum or product
        too large, of ``terms_at_least`` terms or more, whose terms each fit, the run as long as fits
        ``room``."""
        for node in sp.preorder_traversal(expr):
            if (not isinstance(node, (sp.Add, sp.Mul)) or len(node.args) < terms_at_least
                    or self.fits(node)):
                continue
            terms = list(node.as_ordered_terms() if isinstance(node, sp.Add) else node.args)
            if not all(self.fits(t, *room) for t in terms):
                continue
            run = 2
            while run < len(terms) and self.fits(node.func(*terms[:run + 1]), *room):
                run += 1
            if run == len(terms) or not self.fits(node.func(*terms[:run]), *room):
                continue
            return node, node.func(self.name(node.func(*terms[:run])), *terms[run:])
        return None


def _nameable(node) -> bool:
    # a named quantity of the paper (E[omega | s], Z(theta, s), ...) keeps its own name
    return not (node.is_Atom or not node.args or isinstance(node, AppliedUndef))


def _names():
    for letter in _PART_NAMES:
        yield letter
    k = 1
    while True:
        for letter in _PART_NAMES:
            yield f"{letter}{k}"
        k += 1


def abbreviate(expr, agents=None):
    """A displayed formula within the cap: ``(shown, where)``, ``where`` the named parts
    ``[(A, part), ...]`` in the order they are defined (a part may use earlier names).

    Substituting the parts back, last first, gives ``expr`` exactly (nothing is rounded).
    Parts are chosen widest first, among the subexpressions that fit the cap beside
    ``where A = `` (a repeated part counts once per occurrence, so common subexpressions
    are named first); a sum or product whose terms each fit is split into named runs of
    terms.  A column vector too tall is shown as a transposed row.  ``agents``: the
    agents that Z(theta, s) is printed relative to (:func:`agents_of` by default).

    >>> x = sp.symbols("x1:30")
    >>> shown, where = abbreviate(sp.Add(*[k * v ** 2 for k, v in enumerate(x, 1)]))
    >>> len(where) > 0 and within_cap(pretty(shown))
    True
    >>> sp.expand(shown.subs(list(reversed(where)))) == sp.Add(*[k * v ** 2 for k, v in enumerate(x, 1)])
    True
    """
    agents = agents or agents_of(expr)
    parts = _Parts(expr, agents)
    if isinstance(expr, sp.MatrixBase):
        shown = _abbreviate_matrix(sp.ImmutableMatrix(expr), parts)
    elif isinstance(expr, sp.Basic):
        shown = parts.shrink(expr)
    else:
        return expr, []
    return shown, [(name, part) for part, name in parts.parts.items()]


def _abbreviate_matrix(matrix, parts):
    rows, cols = matrix.shape
    if parts.fits(matrix, WIDTH, MATRIX_HEIGHT):
        return matrix
    cell = (max(WIDTH // max(cols, 1) - 3, _MIN_PART), max(MATRIX_HEIGHT // max(rows, 1) - 1, 3))
    entries = sp.ImmutableMatrix(rows, cols, [parts.shrink(e, *cell) if isinstance(e, sp.Basic) else e
                                              for e in matrix])
    if cols == 1 and rows > 1 and not parts.fits(entries, WIDTH, MATRIX_HEIGHT):
        row = sp.ImmutableMatrix(1, rows, [parts.shrink(e, WIDTH // rows - 3) for e in matrix])
        return sp.Transpose(row)
    return entries


# ---------------------------------------------------------------------------
# displaying a derivation in a kernel
# ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text) -> str:
    """Plain text as Markdown that renders as written."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


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
    :mod:`symbolic_mech.report` typesets their ``latex``.  A live derivation
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
    the terminal (:mod:`symbolic_mech.paper.quotes`).

    >>> quote_items(["Proposition 1"])[0]["text/markdown"].splitlines()[0]
    '**Proposition 1** (Ex-post), Section 4.1 Mechanisms and Implementation:'
    """
    from .paper.quotes import quote_markdown, quote_unicode
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
    r"""A step's title as terminal text: its math in Unicode (:func:`symbolic_mech.paper.quotes.tex_to_unicode`).

    >>> title_plain(r"$x^* = \frac{\theta_1 + \theta_2}{2} + \mathbb{E}[\omega \mid s]$ at $\hat\omega$")
    'x* = (θ₁ + θ₂)/2 + 𝔼[ω | s] at ω̂'
    """
    from .paper.quotes import tex_to_unicode
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
    else:
        items.append({"kind": "value", "text/plain": readable(expr)})
    return items


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
    from .registry import item_lines
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
.sm-math { overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; }
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
