r"""The paper's statements rendered: Markdown, MathML HTML, LaTeX and terminal text.

Each renderer takes an item's name (:func:`symbolic_mech.paper.items.item`) and
shows its heading (name, title, section) and its statement:

* :func:`quote_markdown`: Markdown with TeX math, for notebooks (every display
  on a line of its own that starts with ``$$``, so no sign becomes a list bullet);
* :func:`quote_html`: the same Markdown as the offline notebook pages show it,
  each formula MathML (``latex2mathml`` and ``nbconvert``, the ``docs`` extra);
* :func:`quote_latex`: LaTeX for the report (displays in the report's ``\smfit``,
  scaled to the line if wider);
* :func:`quote_unicode`: plain text for a terminal, the math in Unicode
  (:func:`tex_to_unicode`), wrapped at word boundaries to ``$COLUMNS`` (80 if unset).

>>> print(quote_unicode("Proposition 1", width=60))
Proposition 1 (Ex-post), Section 4.1 Mechanisms and
Implementation:
  If ω̂ = ω, every data-driven VCG mechanism permits
  implementation in posterior equilibrium.
"""
from __future__ import annotations

import os
import re
import textwrap

from ..paper.items import item

__all__ = ["quote_markdown", "quote_html", "quote_latex", "quote_unicode", "tex_to_unicode", "width"]

# ---------------------------------------------------------------------------
# TeX -> Unicode, for exactly the macros the statements use
# ---------------------------------------------------------------------------

_SYMBOLS = {
    "alpha": "α", "delta": "δ", "epsilon": "ϵ", "mu": "μ", "omega": "ω", "rho": "ρ", "sigma": "σ",
    "theta": "θ", "Delta": "Δ", "Omega": "Ω", "Theta": "Θ",
    "beta": "β", "varepsilon": "ε", "kappa": "κ", "lambda": "λ", "tau": "τ", "pi": "π", "approx": "≈",
    "dots": "…", "quad": "  ", "pm": "±",
    "in": "∈", "times": "×", "to": "→", "ne": "≠", "neq": "≠", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "equiv": "≡", "sum": "∑", "int": "∫", "forall": "∀", "exists": "∃", "cdot": "·",
    "ldots": "…", "infty": "∞", "mid": "|", "subset": "⊂", "subseteq": "⊆", "setminus": "∖", "sim": "∼", "mapsto": "↦",
    "partial": "∂", "exp": "exp", "log": "log", "max": "max", "sup": "sup", "lim": "lim", "arg": "arg",
    "|": "‖", "{": "{", "}": "}", ",": "", " ": " ",
}
_BLACKBOARD = {"E": "𝔼", "R": "ℝ", "N": "ℕ", "1": "𝟙"}
_CALLIGRAPHIC = {"S": "𝒮", "D": "𝒟", "F": "ℱ"}
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304"}
_SIZES = {"left", "right", "Big", "big", "Bigg", "bigg"}
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
_SUB["−"] = "₋"
_SUP = dict(zip("0123456789+-=()abcdeghijklmnoprstuvwxyzN", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴺ"))
_SUP["*"] = "*"
_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.S)
# Unicode subscripts, as tests count them: a run of these characters is one subscript
SUBSCRIPTS = "".join(sorted(set(_SUB.values())))


class _Parser:
    def __init__(self, tex: str):
        self.tokens = _TOKEN.findall(tex)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def group(self) -> str:
        """The next argument: a braced group or a single token, converted."""
        while (token := self.peek()) is not None and token.isspace():
            self.pos += 1
        if token is None:
            raise ValueError("a macro lacks its argument")
        if token == "{":
            self.pos += 1
            return self.sequence(until="}")
        return self.atom()

    def raw_group(self) -> str:
        """The next braced group's source text (for \\text and \\operatorname)."""
        if self.take() != "{":
            raise ValueError("expected '{'")
        depth, out = 1, []
        while (token := self.take()) is not None:
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                return "".join(out)
            out.append(token)
        raise ValueError("unbalanced braces")

    def sequence(self, until=None) -> str:
        pieces = []
        while (token := self.peek()) is not None and token != until:
            if token.isspace():
                self.pos += 1
                pieces.append(" ")
                continue
            pieces.append(self.atom())
        if until is not None:
            if token != until:
                raise ValueError(f"missing {until!r}")
            self.pos += 1
        return _join(pieces)

    def atom(self) -> str:
        token = self.take()
        if token in ("_", "^"):
            return _script(token, _tight(self.group()))
        if token == "{":
            return self.sequence(until="}")
        if token == "}":
            raise ValueError("unbalanced '}'")
        if not token.startswith("\\"):
            return token
        name = token[1:]
        if name == "partial":              # a derivative's operator binds to what follows: ∂x
            while (nxt := self.peek()) is not None and nxt.isspace():
                self.pos += 1
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _SIZES:
            return ""                      # the delimiter that follows is shown as itself
        if name == "sqrt":
            return "√" + _paren(self.group())
        if name == "frac":
            return "\0frac" + _paren(self.group()) + "/" + _paren(self.group())
        if name in _ACCENTS:
            body = self.group()
            return body + _ACCENTS[name] if len(body) == 1 else f"{name}({body})"
        if name == "mathbb":
            return "".join(_BLACKBOARD.get(c, c) for c in self.group())
        if name == "mathcal":
            return "".join(_CALLIGRAPHIC.get(c, c) for c in self.group())
        if name in ("text", "operatorname", "operatorname*", "mathrm"):
            return self.raw_group().replace("\\,", "")
        if name == "underset":
            below = _tight(self.group())
            return self.group() + _script("_", below)
        if name == "tag":
            return "\0tag" + self.group()
        raise ValueError(f"no Unicode form for the macro {token}")


def _paren(text: str) -> str:
    text = text.strip()
    # a name, or a name applied to arguments without nested parentheses, needs none
    name = r"[\w'\u0302\u0304" + SUBSCRIPTS + "]+"
    return text if re.fullmatch(rf"{name}(\([^()]*\))?", text) else f"({text})"


def _tight(text: str) -> str:
    # a script keeps a space between two terms (θ₁' s₁'), none around relations and commas
    return re.sub(r"\s*([≠∈=|,→≤≥<>+-])\s*", r"\1", " ".join(text.split()))


def _script(kind: str, body: str) -> str:
    table = _SUB if kind == "_" else _SUP
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    return kind + (body if len(body) == 1 else "{" + body + "}")


def _join(pieces) -> str:
    # a fraction beside a factor is parenthesized: (1/2)θ, not 1/2θ
    out = []
    for k, piece in enumerate(pieces):
        if piece.startswith("\0frac"):
            piece = piece[5:]
            before = "".join(out).rstrip()
            after = "".join(pieces[k + 1:]).lstrip().replace("\0frac", "")
            if (before and (before[-1].isalnum() or before[-1] in ")]")) or (after and (after[0].isalnum() or after[0] in "([")):
                piece = f"({piece})"
        out.append(piece)
    return re.sub(r" {2,}", " ", "".join(out))


def tex_to_unicode(tex: str) -> str:
    r"""A TeX formula (without ``$``) as Unicode text, for the macros the paper's statements use.

    Subscripts and superscripts become Unicode subscripts where every character
    has one, else ``_{...}``/``^{...}``; hats and bars are combining accents;
    ``\tag{n}`` becomes a trailing ``(n)``.  An unknown macro raises ``ValueError``.

    >>> tex_to_unicode(r"\theta'_i, s_{-i}, \widehat{\omega}_m \to_p \omega")
    "θ'ᵢ, s₋ᵢ, ω̂ₘ →ₚ ω"
    >>> tex_to_unicode(r"\sum_{j \neq i} \mathbb{E}_{\omega|s_1, s_2}[\omega] \tag{6}")
    '∑_{j≠i} 𝔼_{ω|s₁,s₂}[ω]    (6)'
    >>> tex_to_unicode(r"-\frac{1}{4}(\theta_i - \theta_j)^2 + \operatorname{Var}_{\omega|s}[\omega]")
    '-(1/4)(θᵢ - θⱼ)² + Var_{ω|s}[ω]'
    >>> tex_to_unicode(r"\underset{x \in X}{\arg\max} \|s - s'\|")
    "argmax_{x∈X} ‖s - s'‖"
    >>> tex_to_unicode(r"\frac{1+p}{2}")
    '(1+p)/2'
    >>> tex_to_unicode(r"\varepsilon_1 \sim N(0, \sigma_1^2), \beta = \kappa \tau, \lambda \approx \pi")
    'ε₁ ∼ N(0, σ₁²), β = κ τ, λ ≈ π'
    >>> tex_to_unicode(r"\partial C / \partial (\sigma_1^2)")
    '∂C / ∂(σ₁²)'
    >>> tex_to_unicode(r"\omega \sim \mathrm{Beta}(a, b)")
    'ω ∼ Beta(a, b)'
    >>> tex_to_unicode(r"s_e \sqrt{2/\pi}, \sqrt{m}")
    'sₑ √(2/π), √m'
    >>> tex_to_unicode(r"\oint")
    Traceback (most recent call last):
    ValueError: no Unicode form for the macro \oint
    """
    text = _Parser(tex).sequence().strip()
    text = text.replace("\0frac", "")
    if "\0tag" in text:
        body, tag = text.split("\0tag", 1)
        text = f"{body.rstrip()}    ({tag})"
    return text


# ---------------------------------------------------------------------------
# the statement's parts
# ---------------------------------------------------------------------------

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"\$([^$]+)\$")
_EMPH = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_LIST = re.compile(r"^(\d+)\. ")


def _paragraphs(statement: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", statement.strip()) if p.strip()]


def _is_display(paragraph: str) -> bool:
    return paragraph.startswith("$$") and paragraph.endswith("$$") and paragraph.count("$$") == 2


def _lines(paragraph: str) -> list[str]:
    # a paragraph holds one line, or one list item per line
    return [ln.strip() for ln in paragraph.splitlines() if ln.strip()]


def _heading(it) -> str:
    title = f" ({it.title})" if it.title else ""
    return f"{it.name}{title}, Section {it.section}"


def width() -> int:
    """The terminal's width for quotes: ``$COLUMNS``, 80 if unset or not a number.

    >>> width() >= 20
    True
    """
    try:
        return max(int(os.environ.get("COLUMNS", "80")), 20)
    except ValueError:
        return 80


# ---------------------------------------------------------------------------
# renderers
# ---------------------------------------------------------------------------

def quote_markdown(name: str) -> str:
    r"""The item as Markdown: a bold heading, then the statement as a block quote whose displays
    each sit on a line of their own starting with ``$$``.

    >>> print(quote_markdown("Equation (7)").splitlines()[0])
    **Equation (7)**, Section 5.1 Click-Through Auctions:
    >>> quote_markdown("Equation (7)").splitlines()[4]
    '> $$\\frac{2}{1-p}\\theta_j, \\tag{7}$$'
    """
    it = item(name)
    head = f"**{it.name}**" + (f" ({it.title})" if it.title else "") + f", Section {it.section}:"
    out = [head, ""]
    for k, paragraph in enumerate(_paragraphs(it.statement)):
        if k:
            out.append(">")
        if _is_display(paragraph):
            out.append("> $$" + " ".join(paragraph[2:-2].split()) + "$$")
        else:
            out += ["> " + line for line in _lines(paragraph)]
    return "\n".join(out) + "\n"


def quote_html(name: str) -> str:
    """The item as the offline notebook pages show it: :func:`quote_markdown` with each formula
    as MathML (:func:`symbolic_mech.presentation.notebooks.offline_markdown`), rendered by nbconvert's Markdown
    engine (mistune).  Needs the ``docs`` extra.

    >>> pytest_skip = __import__("importlib").util.find_spec("latex2mathml") is None
    >>> pytest_skip or "<math" in quote_html("Proposition 1")
    True
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from .notebooks import offline_markdown
    return markdown2html_mistune(offline_markdown(quote_markdown(name)))


_LATEX_TEXT = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}", "\\": r"\textbackslash{}", "…": r"\dots{}", "ϵ": r"$\epsilon$",
               "α": r"$\alpha$", "[": "{[}", "]": "{]}"}


def _latex_text(text: str) -> str:
    text = "".join(_LATEX_TEXT.get(c, c) for c in text)
    text = re.sub(r'"([^"]*)"', r"``\1''", text)
    return _EMPH.sub(r"\\emph{\1}", text)


def _latex_math(tex: str) -> str:
    # amsfonts has no blackboard 1: the indicator is set bold
    return tex.replace(r"\mathbb{1}", r"\mathbf{1}")


def _latex_prose(line: str) -> str:
    out, at = [], 0
    for m in _INLINE.finditer(line):
        out.append(_latex_text(line[at:m.start()]))
        out.append("$" + _latex_math(m.group(1)) + "$")
        at = m.end()
    return "".join(out) + _latex_text(line[at:])


def quote_latex(name: str) -> str:
    r"""The item as LaTeX for the report: a quotation with the heading in bold, inline math kept,
    each display centred in the report's ``\smfit`` (its ``\tag`` set as a number beside it).

    >>> print(quote_latex("Equation (7)").splitlines()[1])
    \textbf{Equation (7)}, Section 5.1 Click-Through Auctions:\par
    >>> [ln for ln in quote_latex("Equation (7)").splitlines() if "smfit" in ln]
    ['\\smfit{\\frac{2}{1-p}\\theta_j, \\qquad\\text{(7)}}']
    """
    it = item(name)
    head = rf"\textbf{{{_latex_text(it.name)}}}" + (f" ({_latex_text(it.title)})" if it.title else "")
    out = [r"\begin{quote}\small", head + f", Section {_latex_text(it.section)}:\\par"]
    for paragraph in _paragraphs(it.statement):
        if _is_display(paragraph):
            body = _latex_math(" ".join(paragraph[2:-2].split()))
            body = re.sub(r"\s*\\tag\{([^}]*)\}", r" \\qquad\\text{(\1)}", body)
            out += [r"\begin{center}", r"\smfit{" + body + "}", r"\end{center}"]
            continue
        for line in _lines(paragraph):
            m = _LIST.match(line)
            if m:
                line = line[m.end():]
                out.append(rf"\par\noindent {m.group(1)}.~" + _latex_prose(line))
            else:
                out.append(_latex_prose(line))
        out.append(r"\par")
    out.append(r"\end{quote}")
    return "\n".join(out) + "\n"


def _unicode_prose(line: str, cols: int) -> str:
    def math(m):
        text = tex_to_unicode(m.group(1))
        # a formula that fits on a line is not broken across two
        return text.replace(" ", "\u00a0") if len(text) <= cols // 2 else text
    return _EMPH.sub(r"\1", _INLINE.sub(math, line))


def quote_unicode(name: str, width: int | None = None) -> str:
    """The item as terminal text: the heading, then the statement indented by two, the math in
    Unicode (:func:`tex_to_unicode`), displays indented by six, every line at most ``width``
    columns (default :func:`width`), wrapped at word boundaries.

    >>> print(quote_unicode("Equation (7)", width=50))
    Equation (7), Section 5.1 Click-Through Auctions:
      Setting i's payment as
    <BLANKLINE>
          (2/(1-p))θⱼ,    (7)
    <BLANKLINE>
      whenever agent j's ad is clicked when assigned
      the slot (occurring with probability ωⱼ), makes
      i's expected payment match (6).
    """
    it = item(name)
    cols = width or globals()["width"]()

    def wrap(text, first, rest):
        lines = textwrap.wrap(text, cols, initial_indent=first, subsequent_indent=rest,
                              break_on_hyphens=False) or [first.rstrip()]
        return [ln.replace("\u00a0", " ") for ln in lines]

    out = wrap(_heading(it) + ":", "", "")
    for k, paragraph in enumerate(_paragraphs(it.statement)):
        if _is_display(paragraph):
            text = tex_to_unicode(" ".join(paragraph[2:-2].split()))
            text = re.sub(r" {4}(\([^)]*\))$", "\u00a0" * 4 + r"\1", text)     # the number beside the formula
            out += ([] if out[-1] == "" else [""]) + wrap(text, "      ", "        ") + [""]
            continue
        if k and out[-1] != "":
            out.append("")
        for line in _lines(paragraph):
            m = _LIST.match(line)
            rest = "  " + " " * len(m.group(0)) if m else "  "
            out += wrap(_unicode_prose(line, cols), "  ", rest)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
