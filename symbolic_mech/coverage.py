"""The coverage ledger: each numbered item of the paper, and how the package checks it.

One entry per item of :data:`symbolic_mech.paper.items.ITEMS`.  An entry
names the registered results that check the item on instances, those that
prove it for the whole class its statement quantifies over (``general``),
those that refute it as stated (``errata``), the engine objects that
implement a definition, the hypotheses of a statement with the checks that
decide them, and, for an item no result checks, the reason.

A row's status is computed from the results' verdicts, never stated:

* ``refuted``: an erratum result came out refuted (its witness is shown);
* ``general``: every general result came out proved;
* ``instances``: every instance result came out as registered;
* ``beyond its hypotheses``: as ``instances``, but a hypothesis of the statement is decided to
  fail on the instances (Theorem 2's Lipschitz utilities on a state space ℝ): the conclusion is
  checked there, the statement as written is not;
* ``not covered``: no result checks the item (the reason is given), or a
  result did not come out as registered (which one, and how).

A hypothesis is decided by the checks it names (``proved``, ``refuted``, or
``mixed``); one that only restates an assumption the model declares (the
clicks i.i.d. by construction of the model) is ``declared`` and never
counted as evidence.

>>> from symbolic_mech.paper.items import ITEMS
>>> [e.item for e in LEDGER] == [i.name for i in ITEMS]
True
>>> row(entry("Section 4.2.4"), {})["status"]
'not covered'
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Mapping

from .core.kernel import PROVED, REFUTED
from .paper.items import ITEMS, item

__all__ = ["Hypothesis", "Part", "Entry", "LEDGER", "entry", "row", "ledger", "needed", "STATUSES"]

STATUSES = ("general", "instances", "beyond its hypotheses", "refuted", "not covered")
DECLARED = "declared"


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis of a statement: a short name, its text, the checks deciding it (``(result id,
    check id pattern)``, ``*`` matching any characters), the status that means it holds on the
    instance, and what the model declares when the hypothesis only restates it."""
    name: str
    text: str
    checks: tuple = ()
    holds: str = PROVED
    declared: str = ""


class _Results:
    @property
    def results(self) -> tuple:
        """The results read: the general ones, the instances, the errata."""
        return self.general + self.instances + self.errata


@dataclass(frozen=True)
class Part(_Results):
    """A part of a statement with results of its own (Corollary 3's parts), its status computed
    as an entry's is."""
    label: str
    instances: tuple = ()
    general: tuple = ()
    errata: tuple = ()


@dataclass(frozen=True)
class Entry(_Results):
    item: str
    instances: tuple = ()
    general: tuple = ()
    errata: tuple = ()
    implements: tuple = ()
    hypotheses: tuple = ()
    not_covered: str = ""
    note: str = ""
    parts: tuple = ()

    def __post_init__(self):
        item(self.item)  # a name the paper's list has
        if not (self.instances or self.general or self.errata or self.not_covered):
            raise ValueError(f"{self.item}: name the results that check it, or say why none does")


_LIPSCHITZ = Hypothesis(
    "Lipschitz utilities", r"$u_i$ Lipschitz in $\omega$: fails on the instances, whose state space is $\mathbb{R}$ and whose utilities are "
    r"quadratic in $\omega$ ($\partial^2 u / \partial \omega^2 = 0$ refuted); the paper's spaces are compact, and "
    "footnote 9 truncates",
    (("theorem2", "theorem2-lipschitz*"),))
_CONDITION3 = Hypothesis(
    "condition (3)", r"$\delta_{TV}(P(\cdot \mid s), P(\cdot \mid s')) \leq L_s \|s - s'\|$: $\mathrm{Var}[\omega \mid s]$ free of $s$ "
    r"and $\mathbb{E}[\omega \mid s]$ affine in $s$ (decided); the total-variation bound for two normals of equal "
    "variance is cited, not checked",
    (("theorem2", "theorem2-condition3*"),))

LEDGER: tuple[Entry, ...] = (
    Entry("Definition 1", ("proposition1", "example2", "theorem1"),
          implements=("Environment.efficient_allocation",),
          note=r"$x^*$ maximizes $\sum_i v_i(x, \theta_i, s)$, derived by the engine on each outcome space"),
    Entry("Definition 2", ("theorem1", "per-impression", "data-driven-lp"),
          implements=("MessageDrivenVCG", "GeneralizedVCG", "implementable"),
          note="transfers that depend on the reports only"),
    Entry("Definition 3", ("theorem1", "per-impression"), implements=("two_cycle", "implementable"),
          note="posterior incentive constraints, as difference constraints between reports"),
    Entry("Definition 4", ("proposition1", "proposition2", "data-driven-lp"),
          implements=("DataDrivenVCG", "FiniteEstimator"),
          note=r"transfers that depend on the estimate $\hat\omega$ too, with the estimator's law"),
    Entry("Definition 5", ("proposition1", "proposition2", "corollary1"),
          implements=("groves_certificate", "expected_transfer"),
          note=r"$\bar t_i = \mathbb{E}_{\hat\omega \mid s}[t_i]$: the expectation over the posterior and the estimator's law"),
    Entry("Definition 6", ("proposition1", "example2", "proposition2", "theorem2"), implements=("DataDrivenVCG",)),
    Entry("Definition 7", ("theorem2", "proposition3", "proposition2-jensen", "corollary3"),
          implements=("exact_regret",),
          note=r"$\epsilon$ as the exact regret, the supremum over reports"),
    Entry("Definition 8", ("example4", "corollary3"), implements=("Distributions",),
          note=r"KL regularization (Example 4's $\rho$); other $\rho$ are not modelled"),
    Entry("Definition 9", ("example4", "corollary3"), implements=("RegularizedDataDrivenVCG",),
          note=r"a definition is implemented, not refuted; what fails is a claim about it: with a reference $x_0(s)$ "
               "that moves with an agent's report, that agent's incentives fail (corollary3-signal-reference, "
               "the erratum of Corollary 3)"),
    Entry("Theorem 1", ("theorem1",), hypotheses=(
        Hypothesis("single-dimensional signals", r"each $s_i$ one real number", declared="each agent's signal is one real number in the model"),
        Hypothesis(r"supermodular $v_i$", r"$v_i$ supermodular in $(x, s_j)$: $\partial^2 v_i / \partial x \partial s_j \geq 0$", (("theorem1", "theorem1-supermodular*"),)),
        Hypothesis("increasing posterior mean", r"$\partial \mathbb{E}[\omega \mid s] / \partial s_j > 0$", (("theorem1", "theorem1-increasing*"),)),
        Hypothesis("condition (*)", r"$\mathbb{E}[\omega \mid s_1, s_2] \neq \mathbb{E}[\omega \mid s_1', s_2]$ for some $s_1 \neq s_1'$ (the identity refuted)",
                   (("theorem1", "theorem1-informative*"),), holds=REFUTED))),
    Entry("Theorem 2", ("theorem2",), hypotheses=(
        _LIPSCHITZ, _CONDITION3,
        Hypothesis("consistent estimator", r"$\hat\omega_m \to_p \omega$, decided as $\mathbb{E}[(\hat\omega_m - \omega)^2 \mid \omega] \to 0$", (("theorem2", "theorem2-case*-consistent*"),))),
          note=r"the instances are outside the Lipschitz hypothesis (state on $\mathbb{R}$); the conclusion holds on them"),
    Entry("Proposition 1", ("proposition1",), general=("proposition1-general",)),
    Entry("Proposition 2", ("proposition2",), general=("proposition2-general",), hypotheses=(
        Hypothesis("unbiased estimator", r"$\mathbb{E}[\hat\omega \mid \omega] = \omega$", (("proposition2", "prop2-case*-unbiased"),)),
        Hypothesis("affine utilities", r"$u_j(x, \omega) - u_j(x', \omega)$ affine in $\omega$", (("proposition2", "prop2-case*-affine*"),))),
          note="beyond its hypotheses see proposition2-jensen (affinity fails: a positive regret)"),
    Entry("Proposition 3", ("proposition3",), hypotheses=(
        Hypothesis("Lipschitz utilities", r"$u_j$ Lipschitz in $\omega$ on the box the bound uses",
                   declared=r"$L_j$ is computed as the maximum of $|\partial u_j / \partial \omega|$ over the box, which a polynomial has "
                            "on a bounded box"),
        _CONDITION3,
        Hypothesis("the estimator's rate", r"$\hat\omega_m$ consistent; its order is read off the exact mean absolute error",
                   (("theorem2", "theorem2-case*-consistent*"),))),
          note="uniform integrability is not checked separately: the estimators' errors are Gaussian with "
               r"variance $v/m$ (all moments of $\sqrt{m}(\hat\omega - \omega)$ bounded)"),
    Entry("Corollary 1", ("corollary1",), general=("corollary1-general",)),
    Entry("Corollary 2", ("corollary2",), hypotheses=(
        Hypothesis("common rate", r"one click-through rate $\omega$ for every agent", declared=r"the model has one state $\omega$ for every agent"),
        Hypothesis("i.i.d. clicks", r"clicks i.i.d. $\mathrm{Bernoulli}(\omega)$", declared="the Beta–Bernoulli model draws them so"),
        Hypothesis("unbiased estimator", "the sample click rate unbiased", (("corollary2", "cor2-unbiased"),)))),
    Entry("Corollary 3", ("corollary3",), general=("corollary3-general",), errata=("corollary3-signal-reference",),
          hypotheses=(
        Hypothesis("part 2: unbiased estimator", r"$\mathbb{E}[\hat\omega \mid \omega] = \omega$", (("corollary3", "cor3-unbiased"),)),
        Hypothesis("part 2: linear rewards", r"rewards linear in $\omega$ (the linear instance)", (("corollary3", "cor3-linear-rewards*"),)),
        Hypothesis("parts 3-4: Lipschitz rewards", r"$r_i$ Lipschitz in $\omega$: fails on the quadratic instance, whose state space is $\mathbb{R}$",
                   (("corollary3", "cor3-lipschitz*"),)),
        Hypothesis("parts 3-4: condition (3)", r"$\mathrm{Var}[\omega \mid s]$ free of $s$ and $\mathbb{E}[\omega \mid s]$ affine in $s$ (decided; the "
                   "total-variation bound for normals cited)", (("corollary3", "cor3-condition3*"),)),
        Hypothesis("parts 3-4: consistent estimator", r"$\mathbb{E}[(\hat\omega_m - \omega)^2 \mid \omega] \to 0$", (("corollary3", "cor3-consistent-estimator*"),))),
          note=r"parts 1-2 fail for a reference $x_0(s)$ that moves with an agent's report; they hold for a "
               "reference free of the reports, for every instance (corollary3-general)",
          parts=(Part("parts 1-2, a reference free of the reports", ("corollary3",), general=("corollary3-general",)),
                 Part(r"parts 1-2, a reference $x_0(s)$ of the reported signals", errata=("corollary3-signal-reference",)),
                 Part("parts 3-4", ("corollary3",)))),
    Entry("Example 1", ("theorem1",)),
    Entry("Example 2", ("example2",)),
    Entry("Example 3", ("example3",)),
    Entry("Example 4", ("example4",), errata=("example4-stated-payoff",),
          note=r"the stated expected transfer drops $\sum_{j \neq i}[v_j(x^*_{-i}, s_{-i}) - v_j(x^*_{-i}, s)]$; its implementation "
               "needs a reference free of the reports (corollary3-signal-reference)"),
    Entry("Example 5", ("example5",)),
    Entry("Lemma 1", not_covered=r"the uniform convergence over $(\theta_i, x, s)$ is not checked; theorem2 and "
                                 "proposition3 decide the limits in $m$ of the exact regret on instances"),
    Entry("Equation (1)", ("proposition1", "example2")),
    Entry("Equation (2)", ("proposition1",), note="the Groves certificate is (2) minus the social objective"),
    Entry("Equation (3)", ("theorem2",), note="as a hypothesis of Theorem 2, decided as far as the instance allows"),
    Entry("Equation (4)", ("proposition3",)),
    Entry("Equation (5)", ("corollary1",)),
    Entry("Equation (6)", ("equation6",)),
    Entry("Equation (7)", ("footnote22",)),
    Entry("Equation (8)", ("example4", "corollary3")),
    Entry("Equation (9)", ("example4", "corollary3")),
    Entry("Footnote 8", ("theorem1",), note=r"the wallet structure $\omega = \sum_i s_i$"),
    Entry("Footnote 16", ("theorem2", "proposition3"), note="the Bayesian shrinkage estimator"),
    Entry("Footnote 22", ("footnote22",)),
    Entry("Section 4.2.2", not_covered="estimators of utilities and Mezzetti's two-stage payoff reports are not "
                                       "modelled"),
    Entry("Section 4.2.3", ("theorem1",),
          note=r"the wallet structure's impossibility; replacing $\hat\omega$ by a state built from the reports is not "
               "checked"),
    Entry("Section 4.2.4", not_covered="a payment split over stages changes timing only; every check uses the "
                                       "total transfer"),
    Entry("Section 4.2.5", ("example5",)),
)

_BY_ITEM = {e.item: e for e in LEDGER}


def entry(name: str) -> Entry:
    """The ledger's entry for the paper's item ``name``."""
    item(name)
    return _BY_ITEM[name]


def needed() -> list[str]:
    """The results the ledger reads, in the ledger's order."""
    seen: dict = {}
    for e in LEDGER:
        for rid in e.results + tuple(r for h in e.hypotheses for r, _ in h.checks):
            seen.setdefault(rid, None)
    return list(seen)


def _hypothesis(h: Hypothesis, derivations: Mapping) -> dict:
    if h.declared:
        return {"name": h.name, "text": h.text, "status": DECLARED, "verdict": DECLARED,
                "note": f"restates the model's assumption: {h.declared}; not evidence"}
    statuses, missing = [], []
    for rid, pattern in h.checks:
        d = derivations.get(rid)
        found = [v.status for v, _, control in (d.checks if d else []) if not control and fnmatchcase(v.id, pattern)]
        statuses += found
        if d is not None and not found:
            missing.append(f"{rid}/{pattern}")
    if missing or not statuses:
        why = f"no check {', '.join(missing)}" if missing else "its result was not run"
        return {"name": h.name, "text": h.text, "status": "not decided", "verdict": "not decided", "note": why}
    status = statuses[0] if len(set(statuses)) == 1 else "mixed"
    verdict = "holds" if status == h.holds else "fails" if status in (PROVED, REFUTED) else "not decided"
    return {"name": h.name, "text": h.text, "status": status, "verdict": verdict,
            "note": f"{verdict} on the instance: {len(statuses)} check{'s' * (len(statuses) != 1)} {status}"}


def row(e: Entry, derivations: Mapping) -> dict:
    """The ledger's row for ``e`` from the results' derivations (``{result id: Derivation}``)."""
    it = item(e.item)
    out = {"item": e.item, "section": it.section, "title": it.title, "statement": it.statement,
           "results": list(e.results),
           "hypotheses": [_hypothesis(h, derivations) for h in e.hypotheses], "note": e.note}
    if e.implements:
        out["implements"] = list(e.implements)
    # what each result's instances leave out of the statement's quantifiers, as its scope says
    out["left_out"] = {rid: derivations[rid].scope_record().get("not_covered", "")
                       for rid in e.results if rid in derivations and hasattr(derivations[rid], "scope_record")}
    out.update(_status(e, derivations))
    failing = [h["name"] for h in out["hypotheses"] if h["verdict"] == "fails"]
    if out["status"] == "instances" and failing:
        out["status"] = "beyond its hypotheses"
        out["note"] = (f"{', '.join(failing)} fails on the instances; " + (e.note or "")).rstrip("; ")
    if not e.results:
        out["note"] = e.not_covered
    if e.parts:
        out["parts"] = [{"part": p.label, "results": list(p.results), **_status(p, derivations)} for p in e.parts]
    return out


def _status(e, derivations: Mapping) -> dict:
    """The status of an entry or a part from its results' verdicts (see the module docstring)."""
    missing = [rid for rid in e.results if rid not in derivations]
    astray = [f"{rid}: {derivations[rid].verdict.status}, expected {derivations[rid].result.expected}"
              for rid in e.results if rid in derivations and not derivations[rid].ok]
    refuted = [derivations[rid] for rid in e.errata if rid in derivations
               and derivations[rid].ok and derivations[rid].verdict.status == REFUTED]
    if not e.results:
        return {"status": "not covered"}
    if missing or astray:
        return {"status": "not covered",
                "note": "; ".join(astray + ([f"not run: {', '.join(missing)}"] if missing else []))}
    if refuted:
        return {"status": "refuted", "witness": {d.result.id: d.verdict.evidence.get("witness") for d in refuted}}
    if e.general and all(derivations[rid].verdict.status == PROVED for rid in e.general):
        return {"status": "general"}
    return {"status": "instances"}


def ledger(derivations: Mapping) -> list[dict]:
    """Every row, in the paper's order."""
    return [row(e, derivations) for e in LEDGER]


def markdown(rows) -> str:
    """The ledger as a Markdown table (item, section number, status, results, each hypothesis's verdict)."""
    def cell(text):
        return str(text).replace("|", "&#124;")
    out = ["| item | section | status | results | parts and hypotheses |", "|---|---|---|---|---|"]
    for r in rows:
        hyps = "; ".join([f"{p['part']}: {p['status']}" for p in r.get("parts", [])]
                         + [f"{h['name']}: {h['verdict']}" for h in r["hypotheses"]])
        results = ", ".join(r["results"]) or cell(r["note"])
        section = r["section"].split()[0] if r["section"][0].isdigit() else r["section"].split()[1]
        out.append(f"| {r['item']} | {section} | {r['status']} | {cell(results)} | {cell(hyps)} |")
    return "\n".join(out) + "\n"
