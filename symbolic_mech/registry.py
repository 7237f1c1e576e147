"""The registry of the paper's results: one derivation per result id.

A result's derivation is its proof script, ``proofs/<stem>.py`` (installed as
the module ``symbolic_mech.proofs.<stem>``): a literate py:percent script that
builds the model with the public API, records each quantity with
:meth:`Derivation.step` and each check with :meth:`Derivation.check`, and ends
with :meth:`Derivation.conclude`.  The catalogue of results (id, the paper's
label, a one-line claim, the expectation, the script) is
``symbolic_mech/proofs/__init__.py``.  :func:`derive` runs the script with a
silent :class:`Derivation` that it collects; run directly (``python
proofs/<stem>.py``) or in a notebook, the same script shows each step as it is
computed.  The CLI, the tests and the notebooks all run these scripts, so there
is one copy of each derivation.

A result's *expectation* is the paper's claim (``proved``) or, for an entry
documented as an erratum of the paper, its refutation with a witness
(``refuted``).  An inconclusive verdict never matches.

>>> from symbolic_mech import result_ids
>>> "theorem1" in result_ids()
True
"""
from __future__ import annotations

import json
import importlib
import runpy
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .core.kernel import INCONCLUSIVE, PROVED, REFUTED, Verdict, paper_order, tex_name

__all__ = ["Result", "Derivation", "register", "script", "start", "result_ids", "get", "derive", "verify",
           "RESULTS", "set_view"]

RESULTS: dict[str, "Result"] = {}
_CATALOGUE = "symbolic_mech.proofs"
# the derivations a running proof script hands its steps to (derive() pushes one per script)
_COLLECTING: list["Derivation"] = []
# what shows a live derivation (a proof script run directly or in a notebook): the presentation
# layer installs it when the package is imported (see set_view), so this module never imports it
_VIEW = [None]


def set_view(view) -> None:
    """Install what shows live derivations and prints them: an object with the methods
    ``heading(d)``, ``step(d, title, expr)``, ``quotes(d, names)``, ``conclude(d)`` (which returns
    whether the script runs as a program), ``lines(d)`` (the derivation as printable lines) and
    ``show(d)``;
    :class:`symbolic_mech.presentation.display.LiveView` is the package's."""
    for method in ("heading", "step", "quotes", "conclude", "lines", "show"):
        if not callable(getattr(view, method, None)):
            raise TypeError(f"view must have a method {method}(), got {type(view).__name__}")
    _VIEW[0] = view


def _view():
    if _VIEW[0] is None:
        raise RuntimeError("no view is installed: import symbolic_mech (it installs the package's)")
    return _VIEW[0]


@dataclass
class Derivation:
    """Named steps of a derivation and the checks made along the way.

    ``step`` records an expression (or a text line) for the reader;
    ``check`` records a sub-verdict together with the status it must have
    (``refuted`` for negative controls and for failures the paper exhibits).
    """

    result: "Result"
    steps: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    verdict: Verdict | None = None
    seconds: float = 0.0
    hypotheses: list = field(default_factory=list)
    scope_parts: dict = field(default_factory=dict)
    live: bool = False
    quotes: list = field(default_factory=list)
    # the script that called start(), and where each step was recorded in it: (file, line), so a reader
    # can place the steps among the script's prose (the report does)
    source: str | None = None
    origins: list = field(default_factory=list)

    def step(self, title: str, expr=None):
        """Record a step (a title and an expression, or a line of text) and return the expression.

        A live derivation (a proof script run directly or in a notebook) shows it at once.
        """
        if not isinstance(title, str):
            raise TypeError(f"title must be a str, got {type(title).__name__}")
        self.steps.append((title, expr))
        # the script's line, through check(), hypothesis() and the helpers a script calls
        caller = sys._getframe(1)
        while caller is not None and caller.f_code.co_filename != self.source:
            caller = caller.f_back
        self.origins.append((self.source, caller.f_lineno) if caller is not None else None)
        if self.live:
            _view().step(self, title, expr)
        return expr

    def paper(self, *names: str) -> None:
        """Quote the paper's statement of each named item (``d.paper("Theorem 1")``), from
        :mod:`symbolic_mech.paper.items`: live, it is shown at once (rendered Markdown in a
        notebook, Unicode text fitted to ``$COLUMNS`` in a terminal); the report quotes it too.

        >>> d = start(Result("toy", "Lemma 0", "1 + 1 = 2"))
        Lemma 0: 1 + 1 = 2
        >>> d.paper("Proposition 1")
        Proposition 1 (Ex-post), Section 4.1 Mechanisms and Implementation:
          If ω̂ = ω, every data-driven VCG mechanism permits implementation in
          posterior equilibrium.
        <BLANKLINE>
        >>> d.quotes
        ['Proposition 1']
        """
        from .paper.items import item
        for name in names:
            item(name)                   # an unknown name fails here, before anything is shown
        new = [n for n in dict.fromkeys(names) if n not in self.quotes]
        self.quotes.extend(new)
        if self.live:
            _view().quotes(self, new)

    def check(self, verdict: Verdict, expect: str = PROVED, control: bool = False) -> Verdict:
        """Record a sub-verdict; ``control=True`` marks a negative control.

        A negative control may expect ``inconclusive``: a schematic check that must not be
        proved and cannot refute by itself (:mod:`symbolic_mech.schematic`); its concrete
        refutation is a check of its own.  A check of the claim itself never expects it.
        """
        if not isinstance(verdict, Verdict):
            raise TypeError(f"verdict must be a Verdict, got {type(verdict).__name__}")
        if expect not in (PROVED, REFUTED) and not (control and expect == INCONCLUSIVE):
            raise ValueError(f"expect must be 'proved' or 'refuted' ('inconclusive' only for a negative control), "
                             f"got {expect!r}")
        used = {v.id for v, _, _ in self.checks}
        if verdict.id in used:
            # a step shared by several cases or agents records the same id again: each check of a
            # result keeps an id of its own, numbered in the order recorded
            k = 2
            while f"{verdict.id}-{k}" in used:
                k += 1
            new = f"{verdict.id}-{k}"
            verdict = replace(verdict, id=new,
                              certificate=dict(verdict.certificate, id=new) if verdict.certificate else None)
        self.checks.append((verdict, expect, control))
        # a finite check claims its statement's long rendered text; its author's words read better here
        # (the text is one 'symbolic-mech statements --show' away)
        words = verdict.evidence.get("description") or verdict.claim
        self.step(("negative control: " if control else "check: ") + words, verdict)
        return verdict

    def conclude(self) -> None:
        """End the derivation: assemble the verdict (unless the script assembled it with evidence
        of its own).  Live, show the scope and the verdict; a proof script run as a program then
        exits with status 1 if the verdict is not the result's expectation."""
        if self.verdict is None:
            self.assemble()
        if not self.live:
            return
        if _view().conclude(self) and not self.ok:
            raise SystemExit(1)

    def hypothesis(self, decided, expect: str = PROVED) -> None:
        """Record a hypothesis of the paper's statement, ``(statement, verdicts)`` or
        ``(statement, verdicts, holds)`` as the functions of :mod:`symbolic_mech.hypotheses` return
        it: each verdict is a check, shown as it is recorded, with the status ``expect`` (``refuted``
        where the derivation shows it refuted); ``holds`` is the status that means the hypothesis
        holds (``proved`` unless the function says otherwise: an existential hypothesis holds when
        its negation is refuted)."""
        statement, verdicts, *rest = decided
        holds = rest[0] if rest else PROVED
        recorded = [self.check(v, expect) for v in verdicts]
        self.hypotheses.append((statement, [v.id for v in recorded], [v.status for v in recorded], expect, holds))

    def scope(self, instances: str, covers: str | None = None, not_covered: str | None = None) -> None:
        """State what the derivation covers: the instances (n, which parameters are numeric),
        the class of h_i or utilities, and what is not covered."""
        self.scope_parts = {"instances": instances, "covers": covers, "not_covered": not_covered}

    def scope_record(self) -> dict:
        """The result's scope: the stated parts, the symbols left symbolic in its checks
        (read off the certificates' domains), and each hypothesis with how it was decided."""
        symbols = set()
        for v, _, control in self.checks:
            if not control and v.certificate:
                symbols |= set(v.certificate.get("statement", {}).get("domains", {}))
        hyps = []
        for statement, ids, statuses, expect, holds in self.hypotheses:
            status = statuses[0] if len(set(statuses)) == 1 else "mixed"
            verdict = "holds" if status == holds else "fails" if status in (PROVED, REFUTED) else "not decided"
            hyps.append({"statement": statement, "checks": ids, "status": status, "expected": expect,
                         "verdict": verdict})
        return {**{k: v for k, v in self.scope_parts.items() if v}, "symbolic": sorted(symbols, key=str),
                "hypotheses": hyps}

    def scope_lines(self) -> list[str]:
        """The scope as short lines for the terminal and the notebooks."""
        sc = self.scope_record()
        out = [f"instances: {sc['instances']}"] if "instances" in sc else []
        if "covers" in sc:
            out.append(f"covers: {sc['covers']}")
        for h in sc["hypotheses"]:
            how = f"its check {h['status']}" if h["status"] in ("proved", "refuted") else "not decided"
            out.append(f"hypothesis: {h['statement']}: {h['verdict']} ({how}: {', '.join(h['checks'])})")
        if "not_covered" in sc:
            out.append(f"not covered: {sc['not_covered']}")
        if sc["symbolic"]:
            names = paper_order(sc["symbolic"])
            # a plain name as math; an atom's internal name as words, which the renderers show in the paper's notation
            shown = ", ".join(n if tex_name(n).startswith(r"\text") else f"${tex_name(n)}$" for n in names[:24])
            shown += ", ..." if len(names) > 24 else ""
            out.append(f"symbolic in the checks: {shown}")
        return out

    def scope_summary(self) -> str:
        """One line for the verdict table: the instances and each hypothesis's status."""
        sc = self.scope_record()
        hyps = "; ".join(f"{h['statement'].split(':')[0]}: {h['verdict']}" for h in sc["hypotheses"])
        return (f"hypotheses: {hyps} | " if hyps else "") + sc.get("instances", "scope not stated")

    def assemble(self, **evidence) -> Verdict:
        """The result's verdict: every check must have its expected status, and none is hidden.

        * proved: every check has its expected status;
        * refuted: the result's designated refuting checks (``Result.refutes``,
          an erratum's statement of the paper's claim) are refuted and every
          other check has its expected status; or, for a result with no
          designated check, every miss is a check expected proved and refuted
          (the claim fails; the first witness is carried up);
        * inconclusive otherwise, naming each miss, and whenever every check is a negative
          control (or none was made).

        Witnesses and Monte Carlo figures come from the checks, never from negative
        controls; a witness carries the id of the check it refutes (``witness_of``), and is
        shown with it.
        """
        r = self.result
        merged: dict = {"checks": [{"id": v.id, "claim": v.claim, "status": v.status, "expected": e,
                                    "control": c, "decided": v.decided(), "certificate": v.certificate}
                                   for v, e, c in self.checks]}
        merged["points_checked"] = sum(v.evidence.get("points_checked", 0) for v, _, _ in self.checks)
        for v, _, control in self.checks:
            for key in ("monte_carlo", "epsilon", "witness", "schematic"):
                if key in v.evidence and key not in merged and not control:
                    merged[key] = v.evidence[key]
                    if key == "witness":
                        merged["witness_of"] = v.id     # shown with the check it refutes
        merged.update(evidence)
        designated = [v for v, _, _ in self.checks if v.id in r.refutes]
        misses = [(v, e) for v, e, _ in self.checks
                  if v.status != e and not (v.id in r.refutes and v.status == REFUTED)]
        failing = [v for v, e in misses if e == PROVED and v.status == REFUTED]
        missing = sorted(set(r.refutes) - {v.id for v in designated})
        if all(c for _, _, c in self.checks):
            # negative controls say nothing about the claim itself
            status, merged["reason"] = INCONCLUSIVE, "no check of the claim itself was made"
        elif missing:
            status, merged["reason"] = INCONCLUSIVE, f"designated refuting check(s) not made: {', '.join(missing)}"
        elif misses and not (len(failing) == len(misses) and not r.refutes):
            status = INCONCLUSIVE
            merged["reason"] = "; ".join(f"{v.id}: {v.status}, expected {e}" for v, e in misses)
        elif failing or (designated and all(v.status == REFUTED for v in designated)):
            status = REFUTED
            source = (failing or designated)[0]
            merged["witness"], merged["witness_of"] = source.evidence.get("witness"), source.id
            merged["reason"] = f"{source.id}: refuted"
        else:
            status = PROVED
        self.verdict = Verdict(r.id, r.claim, status, merged)
        return self.verdict

    @property
    def ok(self) -> bool:
        """Whether the verdict is the result's expectation.

        An inconclusive verdict never is: a result can only expect ``proved``
        or ``refuted`` (see :class:`Result`).
        """
        return self.verdict is not None and self.verdict.status == self.result.expected

    def lines(self) -> list[str]:
        """The derivation as printable lines, as the installed view prints them (the package's:
        the ``text/plain`` of the items a notebook shows, :mod:`symbolic_mech.presentation.display`)."""
        return _view().lines(self)

    def show(self) -> None:
        """Show the whole derivation as the installed view does (the package's: :meth:`lines`
        printed or, in a Jupyter kernel, Markdown and typeset formulas)."""
        _view().show(self)


@dataclass(frozen=True)
class Result:
    """A registered result: id, the paper's label, a one-line claim, its derivation
    and its expectation, ``proved`` or ``refuted`` (ValueError otherwise)."""

    id: str
    label: str
    claim: str
    derive: Callable[[Derivation], object] | None = None
    expected: str = PROVED
    erratum: bool = False
    refutes: tuple = ()

    def __post_init__(self):
        # Derivation.ok compares the verdict with this: an inconclusive
        # expectation would let an unsettled derivation count as a success
        if self.expected not in (PROVED, REFUTED):
            raise ValueError(f"expected must be {PROVED!r} or {REFUTED!r}, got {self.expected!r}")
        if self.expected == REFUTED and not self.refutes:
            raise ValueError("a result expected refuted names its refuting check(s) in refutes")

    def run(self) -> Derivation:
        """Run the derivation silently and return it, its verdict assembled."""
        if self.derive is None:
            raise ValueError(f"result {self.id!r} has no derivation to run")
        d = Derivation(self)
        t0 = time.perf_counter()
        self.derive(d)
        if d.verdict is None:
            d.assemble()
        d.seconds = time.perf_counter() - t0
        return d


def register(id: str, label: str, claim: str, expected: str = PROVED, erratum: bool = False,
             refutes: tuple = ()):
    """Decorator adding a derivation function to the registry under ``id``.

    ``expected`` is ``proved`` or ``refuted`` (ValueError otherwise); a result
    expected refuted names in ``refutes`` the ids of the checks that must be
    refuted (every other check keeps its own expectation).
    """
    def wrap(fn):
        if id in RESULTS:
            raise ValueError(f"result id {id!r} is registered twice")
        RESULTS[id] = Result(id, label, claim, fn, expected, erratum, tuple(refutes))
        return fn
    return wrap


def script(id: str, label: str, claim: str, stem: str, expected: str = PROVED, erratum: bool = False,
           refutes: tuple = ()) -> None:
    """Register a result whose derivation is the proof script ``symbolic_mech.proofs.<stem>``
    (``proofs/<stem>.py``); the arguments are :func:`register`'s."""
    if not isinstance(stem, str) or not stem.isidentifier():
        raise ValueError(f"stem must name a module of symbolic_mech.proofs, got {stem!r}")

    def run(d):
        _COLLECTING.append(d)
        try:
            # a fresh namespace per run: the script's cells execute top to bottom, as in its notebook
            runpy.run_module(f"{_CATALOGUE}.{stem}", run_name=f"{_CATALOGUE}.{stem}")
        finally:
            _COLLECTING.pop()
        if d.verdict is None:
            raise RuntimeError(f"the proof script {stem}.py ended without d.conclude()")

    register(id, label, claim, expected, erratum, refutes)(run)


def start(result) -> Derivation:
    """The derivation a proof script records its steps in: ``d = start("theorem1")``.

    Under :func:`derive` (the CLI, the tests) it is the derivation being collected, silent; run
    directly or in a notebook it is a live derivation that shows the result's heading now and each
    step as it is recorded.  ``result`` is a registered id or a :class:`Result` of one's own.

    >>> import sympy as sp
    >>> d = start(Result("toy", "Lemma 0", "1 + 1 = 2"))
    Lemma 0: 1 + 1 = 2
    >>> d.step("the sum", sp.Integer(1) + 1)
    the sum:
        2
    2
    """
    r = result if isinstance(result, Result) else get(result)
    source = sys._getframe(1).f_code.co_filename
    if _COLLECTING:
        if _COLLECTING[-1].result is not r:
            raise ValueError(f"the proof script of {_COLLECTING[-1].result.id!r} starts {r.id!r}")
        _COLLECTING[-1].source = source
        return _COLLECTING[-1]
    d = Derivation(r, live=True, source=source)
    _view().heading(d)
    return d


def _load():
    importlib.import_module(_CATALOGUE)


def result_ids() -> list[str]:
    """All registered result ids, in the paper's order."""
    _load()
    return list(RESULTS)


def get(result_id: str) -> Result:
    if not isinstance(result_id, str):
        raise TypeError(f"result_id must be a str, got {type(result_id).__name__}")
    _load()
    if result_id not in RESULTS:
        raise KeyError(f"unknown result id {result_id!r}; known: {', '.join(RESULTS)}")
    return RESULTS[result_id]


def derive(result_id: str) -> Derivation:
    """Run a result's derivation and return it (steps, checks and verdict)."""
    return get(result_id).run()


def verify(result_id: str) -> Verdict:
    """The verdict of one registered result."""
    return derive(result_id).verdict


STATEMENTS = "symbolic_mech-statements/1"


def statements_path() -> Path:
    """The committed catalogue of statements: ``proofs/statements.json``."""
    return Path(importlib.import_module(_CATALOGUE).__file__).parent / "statements.json"


def statements(derivations) -> dict:
    """The catalogue of formal statements of ``derivations``: for each result its expectation and
    designated refuting checks, for each check its claim, expectation, control flag and the
    fingerprint of its statement (:func:`symbolic_mech.core.checker.fingerprint`); the file a
    reviewer reads like a golden file (see :mod:`symbolic_mech.core.envelope`)."""
    from .core.checker import fingerprint
    out = {}
    for d in derivations:
        r = d.result
        out[r.id] = {"label": r.label, "claim": r.claim, "expected": r.expected, "refutes": sorted(r.refutes),
                     "checks": {v.id: {"claim": v.claim, "expected": e, "control": c,
                                       "fingerprint": fingerprint(v.certificate.get("statement"))
                                       if v.certificate else None}
                                for v, e, c in d.checks}}
    return {"format": STATEMENTS, "results": out}


def load_statements(path=None) -> dict:
    """The catalogue at ``path`` (default: the installed one); ValueError if unreadable."""
    path = statements_path() if path is None else Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the statements catalogue {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != STATEMENTS or not isinstance(doc.get("results"), dict):
        raise ValueError(f"{path} is not a statements catalogue ({STATEMENTS})")
    return doc

