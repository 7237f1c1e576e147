r"""The paper's notation for sympy expressions: LaTeX for pages and the report, Unicode for the terminal.

The package's atoms (posterior moments ``E[omega^k|...]``, variances ``V_...``, the partition
function ``Z[...]``, the LLM's weights ``R[t|...]``, hats and stars) are printed as the paper
writes them; a formula wider than the display's cap is shown with named parts
(:func:`abbreviate`).

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
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol, pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from ..symbols import stood_for

__all__ = ["MechLatexPrinter", "latex", "MechPrettyPrinter", "pretty", "readable", "agents_of",
           "WIDTH", "HEIGHT", "MATRIX_HEIGHT", "LATEX_SIZE", "formula_size", "latex_size", "within_cap",
           "abbreviate"]



# ---------------------------------------------------------------------------
# the package's atoms in the paper's notation
# ---------------------------------------------------------------------------

_MOMENT = re.compile(r"^E\[omega(?:\^(\d+))?\|([^\]]*)\]$")   # E[omega^k|1,2] or E[omega|s1,s2]
_VARIANCE = re.compile(r"^V_(\d+(?:,\d+)*)$")                 # V_1,2 = Var[omega | s1, s2]
_PARTITION = re.compile(r"^Z\[(\d+(?:,\d+)*)\]$")             # Z[1,2] = Z(theta, s)
_WEIGHT = re.compile(r"^R\[(\d+)\|(\d+(?:,\d+)*)\]$")         # R[t|1,2] = R(t | theta, s)
_ALLOCATION = re.compile(r"^([A-Za-z]\w*?)_star\[(\d+(?:,\d+)*)\]$")  # x_star[1,2] = x*(theta, s)
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
        elif (m := _MOMENT.match(name) or _WEIGHT.match(name) or _ALLOCATION.match(name)):
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
        if (match := _ALLOCATION.match(name)):
            head = self._name(match.group(1)) + "^{*}"
            return (r"%s\left(%s\right)" % ("{%s}" % head if power else head,
                                           self._economy(_digits(match.group(2)), expr.args)) + power)
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
        if (match := _ALLOCATION.match(name)):
            return self._join(f"{self._name(match.group(1))}*(", self._economy(_digits(match.group(2)), e.args), ")")
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


_TEXT_ATOM = re.compile(r"(?P<name>E\[omega(?:\^\d+)?\|[\d,]+\]|Z\[[\d,]+\]|R\[\d+\|[\d,]+\]"
                        r"|\b[A-Za-z]\w*?_star\[[\d,]+\])"
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
        else:                       # Z[A], R[t|A] or x_star[A] named without arguments: of the economy A
            agents = _digits(name[name.index("[") + 1:-1].split("|")[-1])
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

    def __init__(self, expr, agents, width=WIDTH, avoid=()):
        self.agents, self.cap = agents, width
        taken = {str(s) for s in expr.free_symbols} if isinstance(expr, (sp.Basic, sp.MatrixBase)) else set()
        taken |= {str(s) for s in avoid}
        self.fresh = (sp.Symbol(name) for name in _names() if name not in taken)
        self.parts: dict = {}                  # part -> its name, in the order they were named
        self._fit: dict = {}

    def fits(self, expr, width=None, height=HEIGHT) -> bool:
        width = width or self.cap
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

    def shrink(self, expr, width=None, height=HEIGHT):
        """``expr`` with parts named until it fits (or nothing is left to name)."""
        width = width or self.cap
        room = (self.cap - _WHERE, HEIGHT)        # a part is shown as "where A = part"
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
        """(a sum or product, the same with its terms in named runs) for the first sum or product too
        large, of ``terms_at_least`` terms or more, whose terms each fit ``room``.  A sum's terms are
        first ordered by the named quantities they hold (the terms of log Z(θ, s) together, those of
        E[ω | s] together, as the paper groups them); the runs are disjoint, each as long as fits, so
        no part is defined through another run of the same sum."""
        for node in sp.preorder_traversal(expr):
            if (not isinstance(node, (sp.Add, sp.Mul)) or len(node.args) < terms_at_least
                    or self.fits(node)):
                continue
            terms = list(node.as_ordered_terms() if isinstance(node, sp.Add) else node.args)
            if not all(self.fits(t, *room) for t in terms):
                continue
            kind = _quantities if isinstance(node, sp.Add) else (lambda term: ())
            terms.sort(key=kind)
            runs = self._runs(node.func, terms, room, kind)
            if len(runs) == len(terms):                 # no two terms of a kind fit together
                runs = self._runs(node.func, terms, room, lambda term: ())
            if len(runs) == len(terms):
                continue
            return node, node.func(*[self.name(node.func(*run)) if len(run) > 1 else run[0] for run in runs])
        return None

    def _runs(self, func, terms, room, kind) -> list:
        """Consecutive terms of one kind, each run as long as fits ``room``."""
        runs = [[terms[0]]]
        for term in terms[1:]:
            if kind(term) == kind(runs[-1][-1]) and self.fits(func(*runs[-1], term), *room):
                runs[-1].append(term)
            else:
                runs.append([term])
        return runs


def _quantities(term) -> tuple:
    """The named quantities a term holds (posterior moments, Z, the weights R), as sortable text."""
    return tuple(sorted(str(q) for q in term.atoms(AppliedUndef)))


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


def abbreviate(expr, agents=None, width: int = WIDTH, avoid=()):
    """A displayed formula within the cap: ``(shown, where)``, ``where`` the named parts
    ``[(A, part), ...]`` in the order they are defined (a part may use earlier names).

    Substituting the parts back, last first, gives ``expr`` exactly (nothing is rounded).
    Parts are chosen widest first, among the subexpressions that fit the cap beside
    ``where A = `` (a repeated part counts once per occurrence, so common subexpressions
    are named first); a sum or product whose terms each fit is split into named runs of
    terms.  A column vector too tall is shown as a transposed row.  ``agents``: the
    agents that Z(theta, s) is printed relative to (:func:`agents_of` by default);
    ``width``: the columns of the cap (a terminal narrower than :data:`WIDTH` asks for its
    own); ``avoid``: names not to give to parts (those a display already uses).

    >>> x = sp.symbols("x1:30")
    >>> shown, where = abbreviate(sp.Add(*[k * v ** 2 for k, v in enumerate(x, 1)]))
    >>> len(where) > 0 and within_cap(pretty(shown))
    True
    >>> sp.expand(shown.subs(list(reversed(where)))) == sp.Add(*[k * v ** 2 for k, v in enumerate(x, 1)])
    True
    """
    agents = agents or agents_of(expr)
    parts = _Parts(expr, agents, width, avoid)
    if isinstance(expr, sp.MatrixBase):
        shown = _abbreviate_matrix(sp.ImmutableMatrix(expr), parts)
    elif isinstance(expr, sp.Basic):
        shown = parts.shrink(expr)
    else:
        return expr, []
    return shown, [(name, part) for part, name in parts.parts.items()]


def _abbreviate_matrix(matrix, parts):
    rows, cols = matrix.shape
    if parts.fits(matrix, parts.cap, MATRIX_HEIGHT):
        return matrix
    cell = (max(parts.cap // max(cols, 1) - 3, _MIN_PART), max(MATRIX_HEIGHT // max(rows, 1) - 1, 3))
    entries = sp.ImmutableMatrix(rows, cols, [parts.shrink(e, *cell) if isinstance(e, sp.Basic) else e
                                              for e in matrix])
    if cols == 1 and rows > 1 and not parts.fits(entries, parts.cap, MATRIX_HEIGHT):
        row = sp.ImmutableMatrix(1, rows, [parts.shrink(e, parts.cap // rows - 3) for e in matrix])
        return sp.Transpose(row)
    return entries


# ---------------------------------------------------------------------------
# displaying a derivation in a kernel
# ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text) -> str:
    """Plain text as Markdown that renders as written."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


