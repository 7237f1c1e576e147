r"""A check's formal statement, read back from its certificate and rendered for a reader.

The kernel writes each verdict's statement as data (``certificate["statement"]``, format
``symbolic_mech-statement/1``: relation, both sides as trees, quantifier, domains, model,
the model's definitions, the expectation it states, the claim in words); the independent
checker proves that record, and :func:`symbolic_mech.core.checker.fingerprint` pins it in the
catalogue ``proofs/statements.json``.  This module renders the same record in the paper's
notation (Unicode in the terminal, LaTeX on pages), so that what a reader sees is produced
from what was checked and nothing else.

>>> import sympy as sp
>>> from symbolic_mech.core.kernel import check_identity
>>> a = sp.Symbol("a", positive=True)
>>> st = Statement.of(check_identity((a + 1) ** 2, a ** 2 + 2 * a + 1, id="sq", claim="square"))
>>> print(st.text())
       2    2
(a + 1)  = a  + 2⋅a + 1
for every a ∈ (0, ∞)
>>> st.latex()
'\\left(a + 1\\right)^{2} = a^{2} + 2 a + 1 \\quad \\text{for every } a \\in \\left(0, \\infty\\right)'
"""
from __future__ import annotations

import textwrap

import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.checker import fingerprint
from .printers import abbreviate, agents_of, latex, pretty
from .display import formula_item

__all__ = ["Statement", "from_tree"]

_FUNCTIONS = {"exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "erf": sp.erf,
              "Abs": sp.Abs, "sign": sp.sign, "Max": sp.Max, "Min": sp.Min}
_RELATIONS = {"Lt": sp.Lt, "Le": sp.Le, "Gt": sp.Gt, "Ge": sp.Ge, "Eq": sp.Eq, "Ne": sp.Ne}
_LOGIC = {"And": sp.And, "Or": sp.Or, "Not": sp.Not}


def from_tree(tree, cond: bool = False):
    """The sympy expression of a certificate's tree, for display (symbols real, functions
    undefined; nothing is evaluated from text).

    >>> from_tree(["Add", ["Symbol", "x"], ["Rational", "1", "2"]])
    x + 1/2
    """
    op, args = tree[0], tree[1:]
    if op == "Integer":
        return sp.Integer(int(args[0]))
    if op == "Rational":
        return sp.Rational(int(args[0]), int(args[1]))
    if op == "Symbol":
        return sp.Symbol(args[0], real=True)
    if op == "Function":
        return sp.Function(args[0], real=True)(*map(from_tree, args[1:]))
    if op in ("pi", "E"):
        return sp.pi if op == "pi" else sp.E
    if op in ("true", "false"):
        return sp.true if op == "true" else sp.false
    if op == "Add":
        return sp.Add(*map(from_tree, args))
    if op == "Mul":
        return sp.Mul(*map(from_tree, args))
    if op == "Pow":
        return sp.Pow(from_tree(args[0]), from_tree(args[1]))
    if op == "Piecewise":
        return sp.Piecewise(*[(from_tree(e), from_tree(c, True)) for e, c in args])
    if op in _RELATIONS:
        return _RELATIONS[op](from_tree(args[0]), from_tree(args[1]))
    if op in _LOGIC:
        return _LOGIC[op](*[from_tree(a, True) for a in args])
    if op in _FUNCTIONS:
        return _FUNCTIONS[op](*map(from_tree, args))
    raise ValueError(f"from_tree: node {op!r} is not one the certificates use")


def _domain_text(name: str, d: dict, unicode: bool = True) -> str:
    """A domain record as a set: (0, ∞), integers in [0, k1], ..."""
    lo, hi, lo_open, hi_open = d["lo"], d["hi"], d["lo"] is None or d["lo_open"], d["hi"] is None or d["hi_open"]
    for op, other in d["bounds"]:
        if op.startswith(">"):
            lo, lo_open = (other if lo is None else f"max({other}, {lo})"), op == ">"
        else:
            hi, hi_open = (other if hi is None else f"min({other}, {hi})"), op == "<"
    inf = "∞" if unicode else "oo"
    span = f"{'(' if lo_open else '['}{'-' + inf if lo is None else lo}, {inf if hi is None else hi}{')' if hi_open else ']'}"
    kind = [w for w in (d["parity"], d["primality"]) if w]
    if d["integer"]:
        span = f"{' '.join(kind) + ' ' if kind else ''}integers in {span}"
    elif d["noninteger"]:
        span = f"non-integers in {span}"
    return span + (" without 0" if d["exclude_zero"] else "")


class Statement:
    """The formal statement of one kernel certificate (see the module docstring)."""

    def __init__(self, record: dict):
        if not isinstance(record, dict) or record.get("format") != "symbolic_mech-statement/1":
            raise ValueError("record must be a kernel statement (format symbolic_mech-statement/1)")
        self.record = record
        self.relation = record["relation"]
        self.lhs, self.rhs = from_tree(record["lhs"]), from_tree(record["rhs"])

    @classmethod
    def of(cls, verdict) -> "Statement":
        """The statement of a verdict (ValueError if it has none, e.g. an inconclusive one)."""
        cert = getattr(verdict, "certificate", None)
        if not cert or "statement" not in cert:
            raise ValueError(f"{getattr(verdict, 'id', verdict)!r} carries no statement")
        return cls(cert["statement"])

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.record)

    def formula(self):
        """The relation as one sympy object: ``Eq(lhs, rhs)``, ``lhs > 0`` or ``lhs >= 0``."""
        if self.relation == "identity":
            return sp.Eq(self.lhs, self.rhs, evaluate=False)
        return (sp.Gt if self.relation == "positive" else sp.Ge)(self.lhs, self.rhs, evaluate=False)

    def _scope(self, unicode: bool) -> str:
        name = (lambda n: pretty(sp.Symbol(n))) if unicode else str
        into = " ∈ " if unicode else " in "
        if self.record["quantifier"] == "points":
            pts = "; ".join(", ".join(f"{name(k)} = {v}" for k, v in sorted(p.items())) for p in self.record["points"])
            return f"at {pts}" if pts.strip("; ") else "(a constant)"
        doms = self.record["domains"]
        parts = [f"{name(n)}{into}{_domain_text(n, d, unicode)}" for n, d in sorted(doms.items())]
        return "for every " + ", ".join(parts) if parts else ""

    def definitions(self) -> list:
        """The definitions of the named functions the relation uses (such as x*), one per name, at
        its own arguments where the statement has it so: ``[Eq(atom, formula)]``, in the record's
        order.  (Those only the simulated integrand reaches are the simulation's, not shown.)"""
        used = {type(a).__name__ for side in (self.lhs, self.rhs) for a in side.atoms(AppliedUndef)}
        chosen: dict = {}
        for entry in self.record.get("definitions") or []:
            atom = from_tree(entry["atom"])
            own = all(isinstance(a, sp.Symbol) and not a.name.endswith("'") for a in atom.args)
            name = type(atom).__name__
            if name not in used:
                continue
            if name not in chosen or own and not chosen[name][0]:
                chosen[name] = (own, sp.Eq(atom, from_tree(entry["formula"]), evaluate=False))
        return [eq for _, eq in chosen.values()]

    def _parts(self):
        f = self.formula()
        agents = agents_of(f)
        shown, where = abbreviate(f, agents)
        # each definition shown as well, its long parts named apart from the relation's
        taken = {n for n, _ in where}
        defined = []
        for eq in self.definitions():
            d_shown, d_where = abbreviate(eq, agents, avoid=tuple(map(str, taken)))
            taken |= {n for n, _ in d_where}
            defined.append((d_shown, d_where))
        return (shown, where), agents, defined

    def expectation(self) -> str | None:
        """What the right-hand side is the expectation of, in words (None if nothing is stated):
        the laws drawn from; the integrand is the record's tree."""
        e = self.record.get("expectation")
        if not isinstance(e, dict):
            return None
        if "in_process" in e:
            return f"the right-hand side is an expectation simulated in process only ({e['in_process']})"
        given = ", ".join(pretty(sp.Symbol(f"s{j}")) for j in e.get("given", []))
        laws = [f"ω | {given}" if e.get("state") == "posterior" and given else
                "ω from the prior" if e.get("state") == "posterior" else "ω fixed"]
        laws += [f"{pretty(sp.Symbol(f's{j}'))} | ω redrawn" for j in e.get("redrawn", [])]
        laws += [f"{u} uniform on [0, 1]" for u in e.get("uniform", [])]
        if e.get("estimator"):
            laws.append(f"ω̂ | ω by the {e['estimator'].get('law', '?')} law")
        return "the right-hand side is the expectation, over " + "; ".join(laws) + ", of the stated integrand"

    def text(self, width: int = 100) -> str:
        """The statement in the terminal's notation: the relation (with named parts where it is
        long, as the notebooks show them), then the quantifier and the domains and the
        expectation it states, wrapped to ``width`` columns."""
        (shown, where), agents, defined = self._parts()
        lines = [formula_item(shown, agents)["text/plain"]]
        lines += [formula_item(sp.Eq(n, part, evaluate=False), agents, where=n)["text/plain"] for n, part in where]
        for eq, parts in defined:
            lines += [formula_item(eq, agents, where=eq.lhs)["text/plain"]]
            lines += [formula_item(sp.Eq(n, part, evaluate=False), agents, where=n)["text/plain"] for n, part in parts]
        lines += textwrap.wrap(self._scope(True), width, subsequent_indent="  ")
        return "\n".join(lines + textwrap.wrap(self.expectation() or "", width, subsequent_indent="  "))

    def latex(self) -> str:
        """The statement as LaTeX (no math delimiters)."""
        (shown, where), agents, defined = self._parts()
        out = latex(shown, agents=agents)
        out += "".join(fr" \quad \text{{where }} {latex(name)} = {latex(part, agents=agents)}" for name, part in where)
        for eq, parts in defined:
            out += fr" \quad \text{{where }} {latex(eq, agents=agents)}"
            out += "".join(fr" \quad \text{{where }} {latex(n)} = {latex(part, agents=agents)}" for n, part in parts)
        if self.record["quantifier"] == "points":
            return out + r" \quad \text{" + self._scope(False).replace("_", r"\_") + "}"
        doms = self.record["domains"]
        if not doms:
            return out
        sets = ", ".join(fr"{latex(sp.Symbol(n))} \in {_latex_domain(d)}" for n, d in sorted(doms.items()))
        return out + r" \quad \text{for every } " + sets


def _latex_domain(d: dict) -> str:
    lo = r"-\infty" if d["lo"] is None else latex(sp.Rational(d["lo"]))
    hi = r"\infty" if d["hi"] is None else latex(sp.Rational(d["hi"]))
    for op, other in d["bounds"]:
        if op.startswith(">"):
            lo = latex(sp.Symbol(other)) if d["lo"] is None else fr"\max({latex(sp.Symbol(other))}, {lo})"
        else:
            hi = latex(sp.Symbol(other)) if d["hi"] is None else fr"\min({latex(sp.Symbol(other))}, {hi})"
    left = "(" if d["lo"] is None or d["lo_open"] else "["
    right = ")" if d["hi"] is None or d["hi_open"] else "]"
    span = fr"\left{left}{lo}, {hi}\right{right}"
    if d["integer"]:
        span = r"\mathbb{Z} \cap " + span
    return span + (r" \setminus \{0\}" if d["exclude_zero"] else "")
