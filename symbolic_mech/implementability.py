r"""Implementability: can ANY mechanism of a class implement the efficient allocation?

Definitions
===========

Fix agent i and the others' true types ``o = (theta_-i, s_-i)`` (a *block*).
Agent i's types are pairs ``a = (theta_i^a, s_i^a)``; write ``s^a = (s_i^a, s_-i)``
and ``x*(a) = x*(theta_i^a, theta_-i, s^a)``.  A message-driven mechanism pays
``t(a)`` (it may depend on o); truth-telling is a posterior equilibrium iff for
all types a, b

    t(b) - t(a) <= c(a, b) = v_i(x*(a), theta_i^a, s^a) - v_i(x*(b), theta_i^a, s^a).

These are difference constraints: transfers exist iff no cycle
``a_1 -> a_2 -> ... -> a_1`` has ``sum c < 0`` (cyclical monotonicity, Rochet
1987).  A negative cycle is an impossibility certificate: adding its constraints
gives ``0 <= total < 0``.  Without one, shortest-path potentials are transfers.
Since ``c(a, b)`` depends on b only through the outcome x*(b), types with the same
outcome get the same transfer and the shortest paths run on the graph of
outcomes, with ``l(x, y) = min_{a : x*(a) = x} [v_i(x, a) - v_i(y, a)]``.

A data-driven mechanism pays ``t(b, omega_hat)``; with a finite estimator law the
constraint at truth a averages over ``P(omega_hat | s^a)``:

    sum_k P(omega_hat_k | s^a) [t(b, k) - t(a, k)] <= c(a, b),

a linear feasibility problem, solved by HiGHS (:func:`scipy.optimize.linprog`) and
certified exactly: a feasible transfer table in rationals checked constraint by
constraint, or a Farkas certificate ``y >= 0`` with ``y^T A = 0`` and
``y^T c < 0``.  A float answer never decides: if neither exact check passes the
verdict is inconclusive.

Reports that make the signal profile impossible (probability 0) are not
constraints of a constructed mechanism: it detects them and may punish them
without bound.  A given transfer rule pays what it pays there, so for it they
are constraints (the allocation there is unspecified: bounded by the best outcome).

Every proved or refuted verdict carries a certificate
(``symbolic_mech-finite-certificate/1``, kinds ``transfers``, ``cycle``,
``farkas``) that :mod:`symbolic_mech.core.finite_checker` replays; the verdict is
returned only once that checker confirms it.  A certificate is a statement and
its evidence: ``cert["statement"]`` holds the relation ("implementable" or
"implementable-by"), the mechanism (class, the given rule's tables, how
impossible reports are treated, derived from whether a rule is given), the
agents, the allocation rule, the model's primitives and the claim's ``text``,
rendered from these by :func:`statement_text`; the verdict's claim is that text.

Examples
========

Agent 1 dislikes the project more when the state is high, but a high signal makes
the project efficient (an interdependent allocation): no message-driven mechanism
implements it.

>>> from fractions import Fraction
>>> from symbolic_mech.finite import FiniteInformation, FiniteEnvironment
>>> from symbolic_mech.symbols import x, omega
>>> half, q = Fraction(1, 2), Fraction(3, 4)
>>> info = FiniteInformation.independent([0, 1], [half, half],
...     [{0: {"L": q, "H": 1 - q}, 1: {"L": 1 - q, "H": q}}, {0: {"-": 1}, 1: {"-": 1}}])
>>> env = FiniteEnvironment(info, [[0], [0]], [0, 1], [-x * omega, 3 * x * omega - x])
>>> v = implementable(env, 1)
>>> v.status, v.evidence["total"]
('refuted', '-1/2')
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

import flint
import numpy as np
import sympy as sp
from scipy.optimize import linprog
from scipy.sparse import coo_array

from .core import budget as _budget
from .core import finite_checker
from .core.domains import outside
from .core.exact import expression, rational
from .core.kernel import INCONCLUSIVE, PROVED, REFUTED, Verdict, exact_value
from .environments import Environment, Interval, Positions, RealLine, SingleSlot
from .finite import FiniteEnvironment, FiniteEstimator, exact_fraction, first_argmax
from .information import BetaBernoulliClicks, GaussianSignals
from .symbols import check_agent, omega as omega_symbol

__all__ = ["exact_regret", "implementable", "two_cycle", "statement_text", "KINDS"]

KINDS = ("message-driven", "data-driven")
_ALLOCATION = "efficient-first-listed"      # x* maximizes the expected welfare, ties to the first listed outcome
_TIES = "x* breaking welfare ties toward the first listed outcome"
_REGRET_CLAIM = (f"truth-telling is a posterior equilibrium of the given transfers ({_TIES}; a report whose "
                 "signal profile is impossible counts with the outcome best for the agent)")
_DENOMINATORS = (10, 10 ** 3, 10 ** 6, 10 ** 9)    # limit_denominator tries, smallest first
_TIGHT = 1e-7                                       # proposes the active constraints; decides nothing


# ---------------------------------------------------------------------------
# blocks: agent i's constraints with the others' types fixed
# ---------------------------------------------------------------------------

@dataclass
class _Block:
    agent: int
    others: dict            # JSON label of the others' true types
    types: list             # agent i's types (theta_i, s_i) with a possible signal profile
    profiles: list          # the profile (theta, s) when agent i has each type
    values: list            # values[a][x] = v_i(x, theta_i^a, s^a)
    welfare: list           # welfare[a][x] at the profile a
    allocation: list        # allocation[a] = index of x*(a), ties to the first outcome
    predictive: list        # predictive[a][k] = P(omega_hat_k | s^a); [[1]] * n if message-driven
    impossible: list        # agent i's types whose report makes the signal profile impossible
    impossible_profiles: list   # the (theta, s) reported by each of them

    def c(self, a: int, b: int) -> Fraction:
        return self.values[a][self.allocation[a]] - self.values[a][self.allocation[b]]

    def label(self, a: int) -> dict:
        return self._label(self.types[a])

    def _label(self, pair) -> dict:
        th, si = pair
        return {f"theta{self.agent}": str(th), f"s{self.agent}": str(si)}

    def tied(self, a: int) -> bool:
        """Whether the welfare at the profile a has more than one maximizer (x* breaks the tie)."""
        top = self.welfare[a][self.allocation[a]]
        return sum(1 for w in self.welfare[a] if w == top) > 1

    def to_json(self, data_driven: bool, transfers=None, impossible_transfers=None) -> dict:
        """The block; values, welfare, allocation and predictive are conveniences the checker recomputes."""
        out = {"agent": self.agent, "others": self.others, "types": [self.label(a) for a in range(len(self.types))],
               "values": _strings(self.values), "welfare": _strings(self.welfare), "allocation": self.allocation}
        if data_driven:
            out["predictive"] = _strings(self.predictive)
        if transfers is not None:
            out["transfers"] = _strings(transfers)
        if impossible_transfers is not None:
            out["impossible"] = [self._label(pair) for pair in self.impossible]
            out["impossible_transfers"] = _strings(impossible_transfers)
        return out


def _strings(table) -> list:
    return [[str(v) for v in row] for row in table]


def _blocks(env: FiniteEnvironment, i: int, estimator: FiniteEstimator | None):
    """Every block of agent i: the others' types with a possible profile for some type of i."""
    others = [j for j in range(1, env.n + 1) if j != i]
    own = env.agent_types(i)
    for combo in itertools.product(*(env.agent_types(j) for j in others)):
        _budget.check()
        fixed = dict(zip(others, combo))
        label = {}
        for j in others:
            label[f"theta{j}"], label[f"s{j}"] = str(fixed[j][0]), str(fixed[j][1])
        block = _Block(i, label, [], [], [], [], [], [], [], [])
        for th, si in own:
            types = {**fixed, i: (th, si)}
            theta_p = tuple(types[j][0] for j in range(1, env.n + 1))
            s_p = tuple(types[j][1] for j in range(1, env.n + 1))
            if env.info.probability(s_p) == 0:
                block.impossible.append((th, si))
                block.impossible_profiles.append((theta_p, s_p))
                continue
            welfare = env.welfares(theta_p, s_p)
            block.types.append((th, si))
            block.profiles.append((theta_p, s_p))
            block.values.append(env.values(i, th, s_p))
            block.welfare.append(welfare)
            block.allocation.append(first_argmax(welfare))
            block.predictive.append(estimator.predictive(env.info.posterior(s_p)) if estimator
                                    else (Fraction(1),))
        if block.types:
            yield block


def _model_json(env: FiniteEnvironment, estimator: FiniteEstimator | None) -> dict:
    """The model's primitives as exact strings: everything the checker recomputes from."""
    info = env.info
    model = {"states": [str(w) for w in info.states], "prior": [str(p) for p in info.prior],
             "signals": [[str(v) for v in sig] for sig in info.signals],
             "likelihood": [[str(law[s]) for s in info.profiles] for law in info._likelihood],
             "types": [[str(t) for t in ts] for ts in env.types], "outcomes": [str(o) for o in env.outcomes],
             "utilities": [[[[str(v) for v in row] for row in ux] for ux in ui] for ui in env._u],
             "estimator": None}
    if estimator is not None:
        model["estimator"] = {"estimates": [str(h) for h in estimator.support],
                              "law": [[str(estimator.law[w].get(h, Fraction(0))) for h in estimator.support]
                                      for w in info.states]}
    return model


# ---------------------------------------------------------------------------
# the statement: the claim as data, and its text rendered from the data
# ---------------------------------------------------------------------------

def statement_text(statement: dict) -> str:
    """The claim a certificate proves, rendered from its statement's fields (never written by hand):
    the independent checker's own rendering (:func:`symbolic_mech.core.finite_checker.render`),
    which it compares with the certificate's claim.  Bulky tables (the model's primitives, a
    given transfer rule) appear by the sha256 of their canonical JSON, so the text names exactly
    one statement.

    >>> st = {"relation": "implementable", "agents": [1, 2], "allocation": "efficient-first-listed",
    ...       "mechanism": {"class": "message-driven", "transfer_rule": None, "impossible_reports": "punished"},
    ...       "model": {"states": ["0", "1"], "prior": ["1/3", "2/3"], "signals": [["L", "H"], ["-"]],
    ...                 "likelihood": [["3/4", "1/4"], ["1/4", "3/4"]], "types": [["0"], ["0"]],
    ...                 "outcomes": ["0", "1"], "utilities": [], "estimator": None}}
    >>> for part in statement_text(st).split("; "):  # doctest: +ELLIPSIS
    ...     print(part)
    some message-driven mechanism implements $x^*$ for every agent ($x^*$ maximizes the expected welfare, ties to the first listed outcome
    a report whose signal profile is impossible is detected and punished), in the finite model: $\\omega$ in $\\{0, 1\\}$, prior $(1/3, 2/3)$
    signals $\\{\\mathrm{L}, \\mathrm{H}\\}$ × $\\{-\\}$
    types $\\{0\\}$ × $\\{0\\}$
    outcomes $\\{0, 1\\}$
    primitives sha256:...
    """
    return finite_checker.render(statement)


def _statement(relation: str, cls: str, agents, model: dict, rule: dict | None = None) -> dict:
    """The statement; how impossible reports are treated follows from whether a rule is given."""
    st = {"relation": relation, "agents": list(agents), "allocation": _ALLOCATION, "model": model,
          "mechanism": {"class": cls, "transfer_rule": rule,
                        "impossible_reports": "punished" if rule is None else "given"}}
    st["text"] = statement_text(st)
    return st


def _finite_statement(env, estimator, agents, rule: dict | None = None) -> dict:
    return _statement("implementable" if rule is None else "implementable-by", KINDS[estimator is not None],
                      agents, _model_json(env, estimator), rule)


def _duplicated(statement: dict) -> dict:
    """Top-level copies of the statement's fields, for readers (the checker compares them)."""
    model, mech = statement["model"], statement["mechanism"]
    out = {"mechanism": mech["class"], "agents": statement["agents"],
           "impossible_reports": mech["impossible_reports"], "model": model}
    if "family" not in model:
        out["outcomes"] = model["outcomes"]
        out["estimates"] = None if model["estimator"] is None else model["estimator"]["estimates"]
    return out


def _rule_tables(env, transfer, estimator, agents):
    """A given rule as data: per agent, its transfers at every report profile.

    Profiles in the order of ``itertools.product`` over the agents of their (type, signal)
    pairs; a row has one entry per estimate (one for a message-driven rule).  Returns the
    JSON tables and the lookup ``{(i, theta, s): row}`` the enumeration reads.
    """
    tables, lookup = [], {}
    profiles = list(itertools.product(*(env.agent_types(j) for j in range(1, env.n + 1))))
    for i in agents:
        rows = []
        for combo in profiles:
            _budget.check()
            theta_p, s_p = tuple(p[0] for p in combo), tuple(p[1] for p in combo)
            name = f"transfer(i={i}, theta={tuple(map(str, theta_p))}, s={s_p!r}"
            if estimator is None:
                row = (exact_fraction(transfer(i, theta_p, s_p), name + ")"),)
            else:
                row = tuple(exact_fraction(transfer(i, theta_p, s_p, h), name + f", omega_hat={h})")
                            for h in estimator.support)
            lookup[(i, theta_p, s_p)] = row
            rows.append([str(v) for v in row])
        tables.append({"agent": i, "t": rows})
    return {"tables": tables}, lookup


def _agents(env, i) -> tuple:
    return tuple(range(1, env.n + 1)) if i is None else (check_agent(i, env.n),)


def _expected(p, t) -> Fraction:
    return sum((pk * tk for pk, tk in zip(p, t)), Fraction(0))


def _gain(block: _Block, t, a: int, b: int) -> Fraction:
    """Agent i's gain from reporting b at truth a: U(b) - U(a)."""
    p = block.predictive[a]
    return _expected(p, t[b]) - _expected(p, t[a]) - block.c(a, b)


# ---------------------------------------------------------------------------
# verdicts: self-checked certificates, budgets
# ---------------------------------------------------------------------------

def _certificate(id: str, statement: dict, kind: str, status: str, **evidence) -> dict:
    """The statement, its fields repeated for readers, and the evidence; the claim is the statement's text."""
    return {"format": finite_checker.FORMAT, "id": id, "claim": statement["text"], "kind": kind, "status": status,
            "statement": statement, **_duplicated(statement), **evidence}


def _certified(id: str, claim: str, status: str, evidence: dict, cert: dict) -> Verdict:
    """The verdict, once the independent checker confirms its certificate (inconclusive otherwise)."""
    if status != INCONCLUSIVE:
        confirmed, problems = finite_checker.recheck(cert)
        if not confirmed:
            evidence = dict(evidence, reason=f"{status} by the search, but the checker does not confirm it: "
                                             + "; ".join(problems[:3]))
            evidence.pop("witness", None)
            return Verdict(id, claim, INCONCLUSIVE, evidence, dict(cert, status=INCONCLUSIVE))
    return Verdict(id, claim, status, evidence, cert)


def _inconclusive(id: str, claim: str, kind: str, reason: str, statement: dict | None = None,
                  **evidence) -> Verdict:
    """An inconclusive verdict: its certificate asserts nothing (it states the claim when it is known)."""
    cert = {"format": finite_checker.FORMAT, "id": id, "claim": claim, "kind": kind, "status": INCONCLUSIVE,
            "reason": reason}
    if statement is not None:
        cert.update(claim=statement["text"], statement=statement)
    return Verdict(id, claim, INCONCLUSIVE, dict(evidence, reason=reason), cert)


def _described(verdict: Verdict, description: str | None) -> Verdict:
    """The caller's words about a check go to the evidence; the claim is the statement's text."""
    if description is not None:
        verdict.evidence["description"] = description
    return verdict


def _seconds(budget) -> float:
    return _budget.default() if budget is None else budget


# ---------------------------------------------------------------------------
# exact regret by enumeration
# ---------------------------------------------------------------------------

def exact_regret(env: FiniteEnvironment, transfer: Callable, estimator: FiniteEstimator | None = None,
                 i: int | None = None, *, id: str = "finite-regret", claim: str | None = None,
                 budget: float | None = None) -> Verdict:
    """The exact regret of a transfer rule on a finite model: max over every truth and misreport.

    For each agent i (or the given one), every profile of the others' true types and
    every pair of types a != b of agent i with possible signal profiles, the gain of
    reporting b at truth a is ``E_a[t_i(b)] - E_a[t_i(a)] - c(a, b)``.  The regret
    ``epsilon`` is the largest gain, or 0.  ``proved`` (truth is a posterior
    equilibrium): every gain is <= 0, and the certificate lists the number of
    constraints and the smallest slack.  ``refuted``: the witness is the maximizing
    truth and report, with the gain.

    Parameters
    ==========
    env : a :class:`~symbolic_mech.finite.FiniteEnvironment`.
    transfer : ``transfer(i, theta, s)`` (message-driven) or, with ``estimator``,
        ``transfer(i, theta, s, omega_hat)`` (data-driven): agent i's transfer at the
        reports ``theta``, ``s`` (tuples, one entry per agent), an exact number.
    estimator : a :class:`~symbolic_mech.finite.FiniteEstimator` for data-driven transfers.
    claim : words describing the check, kept as ``evidence["description"]``; the verdict's
        claim is the statement's text (the rule appears in it by the sha256 of its tables).

    Examples
    ========

    A second-price auction with private values: truthful.

    >>> from symbolic_mech.finite import FiniteInformation, FiniteEnvironment
    >>> from symbolic_mech.symbols import x, theta
    >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
    >>> env = FiniteEnvironment(info, [[1, 2, 3], [1, 2, 3]], [1, 2],
    ...                         [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    >>> def pivot(i, th, s):
    ...     return -th[2 - i] if env.efficient_allocation(th, s) == i else 0
    >>> v = exact_regret(env, pivot)
    >>> v.status, v.evidence["constraints"], v.evidence["smallest_slack"]
    ('proved', 36, 0)
    >>> exact_regret(env, lambda i, th, s: 0).evidence["epsilon"]
    2
    """
    if not isinstance(env, FiniteEnvironment):
        raise TypeError(f"env must be a FiniteEnvironment (use incentives.exact_regret for continuous models), "
                        f"got {type(env).__name__}")
    agents = _agents(env, i)
    if estimator is not None:
        estimator.check(env.info)
    if not callable(transfer):
        raise TypeError(f"transfer must be a callable, got {type(transfer).__name__}")
    try:
        with _budget.time_limit(_seconds(budget)):
            # the rule is tabulated once: the statement carries it, the enumeration reads it
            rule, lookup = _rule_tables(env, transfer, estimator, agents)
            statement = _finite_statement(env, estimator, agents, rule)
            return _described(_regret(env, lookup, estimator, agents, id, statement["text"], statement), claim)
    except _budget.TimeLimit:
        return _inconclusive(id, claim if claim is not None else _REGRET_CLAIM, "transfers", "time limit")


def _regret(env, lookup, estimator, agents, id, claim, statement) -> Verdict:
    # best = (gain, block, truth, report, impossible); an impossible report's allocation is unspecified,
    # so its gain counts at the truth's best outcome (an upper bound; its worst outcome gives a lower one)
    blocks, count, best, low = [], 0, None, None
    for i in agents:
        for block in _blocks(env, i, estimator):
            t = [lookup[(i, th, sig)] for th, sig in block.profiles]
            tz = [lookup[(i, th, sig)] for th, sig in block.impossible_profiles]
            n = len(block.types)
            for a, b in itertools.permutations(range(n), 2):
                g = _gain(block, t, a, b)
                if best is None or g > best[0]:
                    best = (g, len(blocks), a, b, False)
            for a in range(n):
                p, own = block.predictive[a], block.values[a][block.allocation[a]]
                for b in range(len(tz)):
                    base = _expected(p, tz[b]) - _expected(p, t[a]) - own
                    g = base + max(block.values[a])
                    if best is None or g > best[0]:
                        best = (g, len(blocks), a, b, True)
                    g_low = base + min(block.values[a])
                    if low is None or g_low > low[0]:
                        low = (g_low, len(blocks), a, b, True)
            count += n * (n - 1) + n * len(tz)
            blocks.append((block, t, tz))
    regret = max(Fraction(0), best[0]) if best else Fraction(0)
    slack = None if best is None else -best[0]
    evidence = {"epsilon": _sym(regret), "constraints": count,
                "smallest_slack": None if slack is None else _sym(slack)}
    witness, status = None, PROVED if regret <= 0 else REFUTED
    if status == REFUTED and best[4]:
        # the largest bound is at an impossible report: refuted only if it gains even at its worst outcome
        if low[0] > 0:
            best = low
        else:
            possible = max((w for w in _possible_gains(blocks)), default=None)
            if possible is not None and possible[0] > 0:
                best = possible
            else:
                evidence["reason"] = ("the only gains are at reports whose signal profile is impossible, where "
                                      "the allocation is unspecified: they gain at the best outcome, not at the worst")
                status = INCONCLUSIVE
    if status == REFUTED:
        g, j, a, b, impossible = best
        block = blocks[j][0]
        theta_t, s_t = block.profiles[a]
        theta_r, s_r = (block.impossible_profiles if impossible else block.profiles)[b]
        i = block.agent
        evidence["witness"] = {"agent": i,
                               "truth": _profile_label(theta_t, s_t),
                               "report": {f"theta{i}'": str(theta_r[i - 1]), f"s{i}'": str(s_r[i - 1])},
                               "gain": _sym(g)}
        if impossible:
            evidence["witness"]["note"] = ("the report's signal profile is impossible; the gain is at the "
                                           "outcome worst for the agent, whatever the allocation there")
        witness = {"block": j, "truth": a, "report": b, "impossible": impossible, "gain": str(g)}
    if status == INCONCLUSIVE:
        return Verdict(id, claim, INCONCLUSIVE, evidence,
                       _inconclusive(id, claim, "transfers", evidence["reason"], statement).certificate)
    # the blocks carry the computed tables for readers; the transfers are the statement's rule
    cert = _certificate(id, statement, "transfers", status,
                        blocks=[blk.to_json(estimator is not None) for blk, _t, _tz in blocks],
                        constraints=count, smallest_slack=None if slack is None else str(slack),
                        regret=str(regret), witness=witness)
    return _certified(id, claim, status, evidence, cert)


def _possible_gains(blocks):
    for j, (block, t, _tz) in enumerate(blocks):
        for a, b in itertools.permutations(range(len(block.types)), 2):
            yield (_gain(block, t, a, b), j, a, b, False)


def _profile_label(theta_p, s_p) -> dict:
    out = {}
    for j, (th, sj) in enumerate(zip(theta_p, s_p), start=1):
        out[f"theta{j}"], out[f"s{j}"] = str(th), str(sj)
    return out


def _sym(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


# ---------------------------------------------------------------------------
# implementable: the front door
# ---------------------------------------------------------------------------

def implementable(env, i: int | None = None, kind: str = "message-driven", *,
                  estimator: FiniteEstimator | None = None, grid: Mapping | None = None,
                  at: Mapping | None = None, id: str | None = None, claim: str | None = None,
                  budget: float | None = None) -> Verdict:
    """Whether some mechanism of class ``kind`` implements the efficient allocation x*.

    The verdict's claim is its statement's text, rendered from the model and the mechanism;
    ``claim`` is kept as ``evidence["description"]`` (say in words which estimate or model it is about).

    On a :class:`~symbolic_mech.finite.FiniteEnvironment` the question is decided for
    agent ``i`` (every agent if None), in every block of the others' types:

    * ``kind="message-driven"``: refuted with a negative cycle of types (evidence
      ``cycle``: ``[{"type", "next", "c"}]`` and ``total``), or proved with the
      transfer table of shortest-path potentials (certificate ``transfers``);
    * ``kind="data-driven"`` with a finite ``estimator``: the linear feasibility
      problem, certified exactly by a rational transfer table (proved) or a Farkas
      certificate (refuted); inconclusive if neither exact check passes.

    On a continuous :class:`~symbolic_mech.environments.Environment` (message-driven
    only) agent i's types are searched on the exact rational ``grid``
    ``{theta_i: [...], s_i: [...]}`` with the others' types and the parameters at
    ``at``: a negative cycle refutes (a mechanism implementing x* would satisfy
    the constraints on the grid); finding none is inconclusive, never proved.

    The evidence of a refutation names where it was found: ``agent`` (i), ``others``
    (the block: the other agents' types and signals held fixed, ``{"theta2": "1",
    "s2": "0", ...}``, the same in every constraint of the cycle or the Farkas
    combination), ``total`` (the cycle's sum of c, or the Farkas combination's:
    negative), ``witness`` (the same as data) and, for a cycle, ``tied`` (True when
    at some type of the cycle the welfare has several maximizers, so x* broke a tie
    there and another tie-break might be implementable; each step of ``cycle``
    carries its own ``tied``).  A proof's evidence has ``constraints`` (how many
    incentive constraints the transfer table meets).

    One object, private values: the winner (outcome 1 or 2) is the higher bid.

    >>> from symbolic_mech.finite import FiniteInformation, FiniteEnvironment
    >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
    >>> env = FiniteEnvironment(info, [[1, 2], [1, 2]], [1, 2],
    ...                         [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    >>> v = implementable(env)
    >>> v.status, v.certificate["kind"], v.evidence["constraints"]
    ('proved', 'transfers', 8)
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if claim is not None and not isinstance(claim, str):
        raise TypeError(f"claim must be a str, got {type(claim).__name__}")
    id = id if id is not None else f"implementable-{kind}"
    if isinstance(env, FiniteEnvironment):
        if grid is not None or at is not None:
            raise ValueError("grid and at are for continuous environments; a finite model is enumerated")
        agents = _agents(env, i)
        who = f"agent {agents[0]}" if i is not None else "every agent"
        if kind == "data-driven":
            if not isinstance(estimator, FiniteEstimator):
                raise TypeError("kind='data-driven' needs estimator=FiniteEstimator(...), got "
                                f"{type(estimator).__name__}")
            estimator.check(env.info)
            default = (f"some data-driven mechanism (transfers on reports and omega_hat) implements x* "
                       f"({_TIES}) for {who}")
        else:
            if estimator is not None:
                raise ValueError("a message-driven mechanism reads no estimate; pass kind='data-driven'")
            default = f"some message-driven mechanism implements x* ({_TIES}) for {who}"
        try:
            with _budget.time_limit(_seconds(budget)):
                statement = _finite_statement(env, estimator, agents)
                return _described(_decide_finite(env, agents, estimator, id, statement["text"], statement), claim)
        except _budget.TimeLimit:
            return _inconclusive(id, claim if claim is not None else default, "transfers", "time limit")
    if isinstance(env, Environment):
        if kind != "message-driven" or estimator is not None:
            raise TypeError("data-driven implementability is decided on a FiniteEnvironment with a "
                            "FiniteEstimator")
        if i is None:
            raise ValueError("a grid search is for one agent: pass i")
        return _grid_search(env, check_agent(i, env.n), grid, at, id, budget, claim)
    raise TypeError(f"env must be a FiniteEnvironment or an Environment, got {type(env).__name__}")


def _decide_finite(env, agents, estimator, id, claim, statement) -> Verdict:
    data_driven = estimator is not None
    solved = []
    for i in agents:
        for block in _blocks(env, i, estimator):
            outcome = _solve_lp(block) if data_driven else _potentials(block)
            if outcome[0] == "transfers":
                solved.append((block, outcome[1]))
            elif outcome[0] == "cycle":
                return _cycle_verdict(env, block, outcome[1], id, claim, statement)
            elif outcome[0] == "farkas":
                return _farkas_verdict(block, outcome[1], id, claim, statement)
            else:
                return _inconclusive(id, claim, "farkas", outcome[1], statement, agent=i, others=block.others)
    count, slack = 0, None
    for block, t in solved:
        n = len(block.types)
        count += n * (n - 1)
        low = _smallest_slack(block, t, data_driven)
        if low is not None and (slack is None or low < slack):
            slack = low
    evidence = {"constraints": count, "blocks": len(solved),
                "smallest_slack": None if slack is None else _sym(slack),
                "transfers": [{"agent": b.agent, "others": b.others,
                               "table": [{"type": b.label(a), "t": [str(v) for v in t[a]]}
                                         for a in range(len(b.types))]} for b, t in solved]}
    cert = _certificate(id, statement, "transfers", PROVED,
                        blocks=[b.to_json(data_driven, t) for b, t in solved], constraints=count,
                        smallest_slack=None if slack is None else str(slack), regret="0", witness=None)
    return _certified(id, claim, PROVED, evidence, cert)


def _smallest_slack(block: _Block, t, data_driven: bool) -> Fraction | None:
    """min over a != b of c(a, b) - (E_a t(b) - E_a t(a)).

    Message-driven potentials depend on the outcome only, so for each truth a it is
    a minimum over the outcomes in use (an outcome shared with another type gives 0).
    """
    n = len(block.types)
    if data_driven:
        return min((-_gain(block, t, a, b) for a, b in itertools.permutations(range(n), 2)), default=None)
    users, potential = {}, {}
    for b in range(n):
        users[block.allocation[b]] = users.get(block.allocation[b], 0) + 1
        potential[block.allocation[b]] = t[b][0]
    low = None
    for a in range(n):
        x = block.allocation[a]
        own = block.values[a][x] + t[a][0]
        for y, k in users.items():
            if y == x and k == 1:
                continue
            slack = own - block.values[a][y] - potential[y]
            low = slack if low is None or slack < low else low
    return low


# ---------------------------------------------------------------------------
# message-driven: shortest paths on the outcome graph
# ---------------------------------------------------------------------------

def _potentials(block: _Block):
    """("transfers", t) with t(a) = d(x*(a)) shortest-path potentials, or ("cycle", [types])."""
    n = len(block.types)
    edges: dict = {}        # (x, y) -> (l(x, y), the type a attaining it)
    used = sorted(set(block.allocation))
    for a in range(n):
        x = block.allocation[a]
        for y in used:
            if y != x:
                w = block.values[a][x] - block.values[a][y]
                if (x, y) not in edges or w < edges[(x, y)][0]:
                    edges[(x, y)] = (w, a)
    # the most negative 2-cycle first: the shortest witness
    pairs = [(edges[(x, y)][0] + edges[(y, x)][0], x, y) for x, y in itertools.combinations(used, 2)]
    worst = min(pairs, default=None)
    if worst is not None and worst[0] < 0:
        return "cycle", [edges[(worst[1], worst[2])][1], edges[(worst[2], worst[1])][1]]
    d = {x: Fraction(0) for x in used}
    pred: dict = {}
    for _ in range(len(used) + 1):
        changed = None
        for (x, y), (w, _a) in edges.items():
            if d[x] + w < d[y]:
                d[y], pred[y], changed = d[x] + w, x, y
        if changed is None:
            return "transfers", [(d[block.allocation[a]],) for a in range(n)]
    y = changed
    for _ in range(len(used)):          # walk back onto the cycle
        y = pred[y]
    cycle, x = [y], pred[y]
    while x != y:
        cycle.append(x)
        x = pred[x]
    cycle.reverse()                     # outcomes x_0 -> x_1 -> ... -> x_0
    return "cycle", [edges[(cycle[k], cycle[(k + 1) % len(cycle)])][1] for k in range(len(cycle))]


def _cycle_verdict(env, block: _Block, cycle: list, id: str, claim: str, statement: dict) -> Verdict:
    outcomes = [str(o) for o in env.outcomes]
    steps = []
    for k, a in enumerate(cycle):
        b = cycle[(k + 1) % len(cycle)]
        xa, xb = block.allocation[a], block.allocation[b]
        steps.append({"type": block.label(a), "next": block.label(b), "c": str(block.c(a, b)),
                      "value_own": str(block.values[a][xa]), "value_next": str(block.values[a][xb]),
                      "allocation": outcomes[xa], "next_allocation": outcomes[xb], "tied": block.tied(a)})
    return _cycle_certified(block.agent, block.others, steps, id, claim, statement)


def _cycle_certified(agent: int, others: dict, steps: list, id: str, claim: str, statement: dict) -> Verdict:
    """A negative cycle of agent ``agent``'s types in the block ``others`` (a finite model or a grid's)."""
    total = sum((Fraction(st["c"]) for st in steps), Fraction(0))
    brief = [{"type": st["type"], "next": st["next"], "c": st["c"], "tied": st["tied"]} for st in steps]
    tied = any(st["tied"] for st in steps)
    evidence = {"cycle": brief, "total": str(total), "agent": agent, "others": others, "tied": tied,
                "witness": {"agent": agent, "others": others, "cycle": brief, "gap": str(total)}}
    cert = _certificate(id, statement, "cycle", REFUTED, agent=agent, others=others, cycle=steps,
                        total=str(total), tied=tied)
    return _certified(id, claim, REFUTED, evidence, cert)


# ---------------------------------------------------------------------------
# data-driven: the linear feasibility problem, certified exactly
# ---------------------------------------------------------------------------

def _solve_lp(block: _Block):
    """("transfers", t), ("farkas", [(a, b, y)]) or ("unknown", reason).

    HiGHS maximizes a margin tau: A t + tau <= c, tau <= 1, with t(first type, .) = 0
    (adding g(k) to every t(., k) changes no constraint).  Its dual is Farkas'
    alternative: y >= 0, y^T A = 0, sum y = 1, minimizing y^T c = tau.  Either
    answer is only a proposal for the exact checks.
    """
    n, K = len(block.types), len(block.predictive[0])
    rows = list(itertools.permutations(range(n), 2))
    if not rows:
        return "transfers", [tuple(Fraction(0) for _ in range(K))]
    ri, ci, data = [], [], []
    for r, (a, b) in enumerate(rows):
        for k, p in enumerate(block.predictive[a]):
            if p:
                ri += [r, r]
                ci += [b * K + k, a * K + k]
                data += [float(p), -float(p)]
        ri.append(r)
        ci.append(n * K)
        data.append(1.0)
    A = coo_array((data, (ri, ci)), shape=(len(rows), n * K + 1)).tocsr()
    rhs = np.array([float(block.c(a, b)) for a, b in rows])
    cost = np.zeros(n * K + 1)
    cost[-1] = -1.0
    bounds = [(0, 0)] * K + [(None, None)] * ((n - 1) * K) + [(None, 1)]
    res = linprog(cost, A_ub=A, b_ub=rhs, bounds=bounds, method="highs")
    _budget.check()
    if res.status != 0:
        return "unknown", f"the LP solver stopped: {res.message}"
    t_float = res.x[:-1].reshape(n, K)
    slack = rhs - A[:, :-1] @ res.x[:-1]
    y_float = -res.ineqlin.marginals
    primal = lambda: _exact_transfers(block, rows, t_float, slack)     # noqa: E731
    dual = lambda: _exact_farkas(block, rows, y_float)                 # noqa: E731
    for kind, attempt in ((("transfers", primal), ("farkas", dual)) if res.x[-1] >= -_TIGHT
                          else (("farkas", dual), ("transfers", primal))):
        found = attempt()
        if found is not None:
            return kind, found
    return "unknown", (f"the LP's answer (margin {res.x[-1]:.3g}) passed neither exact check: no rational "
                       "transfer table satisfies every constraint and no Farkas certificate was found")


def _feasible(block: _Block, t) -> bool:
    return all(_gain(block, t, a, b) <= 0 for a, b in itertools.permutations(range(len(block.types)), 2))


def _farkas_total(block: _Block, rows, y) -> Fraction | None:
    """y^T c if y >= 0 and y^T A = 0 exactly (A the rows of the constraints), else None."""
    n, K = len(block.types), len(block.predictive[0])
    combination = [[Fraction(0)] * K for _ in range(n)]
    for (a, b), yr in zip(rows, y):
        if yr < 0:
            return None
        for k, p in enumerate(block.predictive[a]):
            combination[b][k] += yr * p
            combination[a][k] -= yr * p
    if any(v != 0 for row in combination for v in row):
        return None
    return sum((yr * block.c(a, b) for (a, b), yr in zip(rows, y)), Fraction(0))


def _solve_exact(equations: list, rhs: list, guess: list) -> list | None:
    """A rational z with equations . z = rhs (sparse rows {column: Fraction}), free coordinates at ``guess``."""
    m = len(guess)
    M = flint.fmpq_mat(len(equations), m + 1)
    for r, (row, v) in enumerate(zip(equations, rhs)):
        for j, e in row.items():
            M[r, j] = flint.fmpq(e.numerator, e.denominator)
        M[r, m] = flint.fmpq(v.numerator, v.denominator)
    R, rank = M.rref()
    pivots = []
    for r in range(rank):
        j = next(j for j in range(m + 1) if R[r, j] != 0)
        if j == m:
            return None             # inconsistent: the proposed active set has no solution
        pivots.append(j)
    free = [j for j in range(m) if j not in set(pivots)]
    z = list(guess)
    for r, j in enumerate(pivots):
        val = R[r, m] - sum((R[r, f] * flint.fmpq(guess[f].numerator, guess[f].denominator) for f in free),
                            flint.fmpq(0))
        z[j] = Fraction(int(val.p), int(val.q))
    return z


def _exact_transfers(block: _Block, rows, t_float, slack) -> list | None:
    n, K = t_float.shape
    for D in _DENOMINATORS:
        t = [tuple(Fraction(float(v)).limit_denominator(D) for v in row) for row in t_float]
        if _feasible(block, t):
            return t
    # the active constraints, solved exactly (t(first type, .) = 0), the rest at the rounded guess
    scale = max(1.0, float(np.max(np.abs(t_float))))
    equations, rhs = [], []
    for (a, b), sl in zip(rows, slack):
        if sl <= _TIGHT * scale:
            row: dict = {}
            for k, p in enumerate(block.predictive[a]):
                if p:
                    if b:
                        row[(b - 1) * K + k] = row.get((b - 1) * K + k, Fraction(0)) + p
                    if a:
                        row[(a - 1) * K + k] = row.get((a - 1) * K + k, Fraction(0)) - p
            equations.append(row)
            rhs.append(block.c(a, b))
    guess = [Fraction(float(v)).limit_denominator(10 ** 6) for row in t_float[1:] for v in row]
    z = _solve_exact(equations, rhs, guess) if equations else guess
    if z is None:
        return None
    t = [tuple(Fraction(0) for _ in range(K))] + [tuple(z[(b - 1) * K:b * K]) for b in range(1, n)]
    return t if _feasible(block, t) else None


def _exact_farkas(block: _Block, rows, y_float) -> list | None:
    def certified(y):
        total = _farkas_total(block, rows, y)
        return total is not None and total < 0
    top = float(np.max(y_float)) if len(y_float) else 0.0
    if top <= 0:
        return None
    for D in _DENOMINATORS:
        y = [Fraction(float(v)).limit_denominator(D) if v > 0 else Fraction(0) for v in y_float]
        if certified(y):
            return [(a, b, yr) for (a, b), yr in zip(rows, y) if yr]
    # the support, solved exactly: y^T A = 0 on every variable but t(first type, .), sum y = 1
    support = [r for r, v in enumerate(y_float) if v > _TIGHT * top]
    columns: dict = {}      # variable (type, k) -> {position in support: coefficient of y}
    for j, r in enumerate(support):
        a, b = rows[r]
        for k, p in enumerate(block.predictive[a]):
            for node, sign in ((b, 1), (a, -1)):
                if p and node:
                    col = columns.setdefault((node, k), {})
                    col[j] = col.get(j, Fraction(0)) + sign * p
    equations = list(columns.values()) + [{j: Fraction(1) for j in range(len(support))}]
    rhs = [Fraction(0)] * len(columns) + [Fraction(1)]
    guess = [Fraction(float(y_float[r])).limit_denominator(10 ** 6) for r in support]
    z = _solve_exact(equations, rhs, guess)
    if z is None:
        return None
    y = [Fraction(0)] * len(rows)
    for r, v in zip(support, z):
        y[r] = v
    return [(a, b, yr) for (a, b), yr in zip(rows, y) if yr] if certified(y) else None


def _farkas_verdict(block: _Block, multipliers: list, id: str, claim: str, statement: dict) -> Verdict:
    total = sum((y * block.c(a, b) for a, b, y in multipliers), Fraction(0))
    listed = [[a, b, str(y)] for a, b, y in multipliers]
    evidence = {"agent": block.agent, "others": block.others, "total": str(total),
                "multipliers": [{"type": block.label(a), "report": block.label(b), "y": str(y)}
                                for a, b, y in multipliers],
                "witness": {"agent": block.agent, "others": block.others, "multipliers": listed,
                            "gap": str(total)}}
    cert = _certificate(id, statement, "farkas", REFUTED, **block.to_json(True), multipliers=listed,
                        total=str(total))
    return _certified(id, claim, REFUTED, evidence, cert)


# ---------------------------------------------------------------------------
# continuous environments: exact rational grids, symbolic 2-cycles
# ---------------------------------------------------------------------------

def _grid_search(env: Environment, i: int, grid, at, id: str, budget, claim: str | None) -> Verdict:
    th, si = env.theta[i - 1], env.s[i - 1]
    if not isinstance(grid, Mapping) or set(grid) != {th, si}:
        raise ValueError(f"grid must map exactly {th} and {si} to lists of exact rationals "
                         f"(agent {i}'s types), got {grid!r}")
    axes = {sym: [rational(v, f"grid[{sym}][{k}]") for k, v in enumerate(grid[sym])] for sym in (th, si)}
    if not all(axes.values()):
        raise ValueError("grid lists must not be empty")
    at = {} if at is None else dict(at)
    fixed = {sym: rational(v, f"at[{sym}]") for sym, v in at.items()}
    alloc = env.efficient_allocation()
    value = env.value(i)
    outcome_vars = set(env.outcome.variables)
    needed = set()
    for e in (value, *alloc.values()):
        needed |= env.info.explicit(e).free_symbols
    missing = sorted(map(str, needed - outcome_vars - {th, si} - set(fixed)))
    if missing:
        raise ValueError(f"at must give exact values for {', '.join(missing)}")
    # a cycle of types the model cannot have proves nothing about it: every grid value and every
    # value in ``at`` lies in the model's supports (type spaces, click counts, parameters)
    doms = env.domains()
    for sym, values in axes.items():
        for q in values:
            if sym in doms and not doms[sym].contains(q, fixed):
                raise ValueError(f"grid[{sym}] has {q}, outside {sym}'s support {doms[sym]}")
    bad = outside({k: q for k, q in fixed.items() if k in doms}, {k: doms[k] for k in fixed if k in doms})
    if bad:
        raise ValueError(f"at puts {', '.join(bad)} outside the model's supports")
    given = {str(k): str(v) for k, v in sorted(fixed.items(), key=lambda kv: str(kv[0]))}
    fallback = (f"some message-driven mechanism implements x* for agent {i} "
                f"(others' types and parameters at {', '.join(f'{k} = {v}' for k, v in given.items())})")
    try:
        statement = _grid_statement(env, i, axes, fixed)
    except _Unrecomputable as exc:
        # the checker could only check the cycle's arithmetic, not that it is the model's: no verdict
        return _inconclusive(id, claim if claim is not None else fallback, "cycle",
                             f"the grid's model cannot be stated for the independent checker: {exc}")
    others = {}
    for j in range(1, env.n + 1):
        if j != i:
            others[f"theta{j}"], others[f"s{j}"] = str(fixed[env.theta[j - 1]]), str(fixed[env.s[j - 1]])
    try:
        with _budget.time_limit(_seconds(budget)):
            verdict = _grid_cycle(env, i, axes, fixed, alloc, value, others, id, statement["text"], statement)
    except _budget.TimeLimit:
        verdict = _inconclusive(id, statement["text"], "cycle", "time limit", statement)
    return _described(verdict, claim)


class _Unrecomputable(ValueError):
    """A continuous model the finite checker cannot recompute from primitives."""


def _grid_statement(env: Environment, i: int, axes: dict, fixed: dict) -> dict:
    """The statement of a grid search: the family's parameters, the grid, polynomial utility tables.

    The checker recomputes every c(a, b) from these: posterior moments of omega from the family
    (Gaussian or Beta-binomial), values as exact polynomials in the moments, x* as the first
    maximizing vertex (a single slot) or the stationary point of a concave quadratic (the line).
    """
    info, n = env.info, env.n

    def exact(e, name: str) -> sp.Rational:
        q = expression(e, name).xreplace(fixed)     # the strict converter: nothing is parsed
        if not q.is_Rational:
            raise _Unrecomputable(f"{name} is {q}, not an exact rational at the given point")
        return q
    if isinstance(info, GaussianSignals):
        model = {"family": "gaussian", "mean": str(exact(info.prior_mean, "the prior mean")),
                 "variance": str(exact(info.prior_var, "the prior variance")),
                 "noise": [str(exact(v, f"noise_var[{j}]")) for j, v in enumerate(info.noise_var, 1)]}
    elif isinstance(info, BetaBernoulliClicks):
        model = {"family": "beta-binomial", "a": str(exact(info.a, "a")), "b": str(exact(info.b, "b")),
                 "impressions": [str(exact(k, f"impressions[{j}]")) for j, k in enumerate(info.impressions, 1)]}
    else:
        raise _Unrecomputable(f"grid cycles are recomputed for Gaussian and Beta-binomial signals, "
                              f"not {type(info).__name__}")
    th_i, s_i = env.theta[i - 1], env.s[i - 1]
    types, signals = [], []
    for j in range(1, n + 1):
        if j == i:
            types.append(list(axes[th_i]))
            signals.append(list(axes[s_i]))
        else:
            tj, sj = env.theta[j - 1], env.s[j - 1]
            if tj not in fixed or sj not in fixed:
                raise _Unrecomputable(f"at must fix {tj} and {sj}, agent {j}'s type")
            types.append([fixed[tj]])
            signals.append([fixed[sj]])
    space, xs = env.outcome, env.outcome.variables
    if isinstance(space, Positions):
        raise _Unrecomputable("a grid search on Positions is not supported (its outcomes are rankings, "
                              "not a slot's vertices)")
    if isinstance(space, SingleSlot):
        # the slot's vertices in agent order: the first maximizer is the lowest agent, SingleSlot's tie rule
        points = [{v: sp.Integer(int(m == k)) for m, v in enumerate(xs)} for k in range(len(xs))]
        labels = [json.dumps({str(v): str(q) for v, q in sorted(p.items(), key=lambda kv: str(kv[0]))})
                  for p in points]
        model["outcome_space"] = {"kind": "finite", "outcomes": labels}
    elif isinstance(space, RealLine):
        bounded = isinstance(space, Interval)
        model["outcome_space"] = {"kind": "real-line", "variable": str(space.x),
                                  "lo": str(exact(space.lo, "lo")) if bounded else None,
                                  "hi": str(exact(space.hi, "hi")) if bounded else None}
    else:
        raise _Unrecomputable(f"grid cycles are recomputed on a single slot or the real line, not {space!r}")
    w = getattr(info, "omega", omega_symbol)
    model["types"] = [[str(t) for t in ts] for ts in types]
    model["signals"] = [[str(v) for v in vs] for vs in signals]
    model["utilities"] = [_coefficients(env, j, types[j - 1], fixed, w) for j in range(1, n + 1)]
    return _statement("implementable", "message-driven", [i], model)


def _coefficients(env, j: int, types: list, fixed: dict, w) -> list:
    """u_j's exact coefficients: [x][k][t] of omega^k per outcome, or [p][k][t] of x^p omega^k on the line."""
    space, xs = env.outcome, env.outcome.variables
    line = not isinstance(space, SingleSlot)
    polys = []
    for t in types:
        e = sp.expand(env.utilities[j - 1].xreplace(fixed).xreplace({env.theta[j - 1]: t}))
        parts = [e] if line else [e.xreplace({v: int(m == k) for m, v in enumerate(xs)}) for k in range(len(xs))]
        gens = (space.x, w) if line else (w,)
        out = []
        for part in parts:
            extra = part.free_symbols - set(gens)
            if extra:
                raise _Unrecomputable(f"u{j} at theta{j} = {t} still has {sorted(map(str, extra))}")
            poly = sp.Poly(part, *gens)
            if not all(c.is_Rational for c in poly.coeffs()):
                raise _Unrecomputable(f"u{j} has a coefficient that is not an exact rational")
            out.append(dict(poly.terms()))
        polys.append(out)
    # one table per outcome (or power of x), indexed [k][t], zero-padded to the highest power of omega
    if line:
        top_x = max((m[0] for per in polys for terms in per for m in terms), default=0)
        if top_x > 2:
            raise _Unrecomputable(f"u{j} is not quadratic in {space.x}")
        rows = range(top_x + 1)
        top_w = max((m[1] for per in polys for terms in per for m in terms), default=0)

        def coefficient(per, r, k):
            return per[0].get((r, k), 0)
    else:
        rows = range(len(xs))
        top_w = max((m[0] for per in polys for terms in per for m in terms), default=0)

        def coefficient(per, r, k):
            return per[r].get((k,), 0)
    return [[[str(sp.Rational(coefficient(per, r, k))) for per in polys] for k in range(top_w + 1)] for r in rows]


def _grid_cycle(env, i, axes, fixed, alloc, value, others, id, claim, statement) -> Verdict:
    th, si = env.theta[i - 1], env.s[i - 1]
    explicit = env.info.explicit
    nodes, xs = [], []
    for tv, sv in itertools.product(axes[th], axes[si]):
        point = {**fixed, th: tv, si: sv}
        x = {var: exact_value(e, point, explicit) for var, e in alloc.items()}
        if all(v is not None and v.is_Rational for v in x.values()):
            nodes.append(point)
            xs.append(x)
    n = len(nodes)
    # V[a][b] = v_i(x*(b), theta_i^a, s^a); None where it is not an exact rational
    V = []
    for a in range(n):
        row = []
        for b in range(n):
            val = exact_value(value, {**nodes[a], **xs[b]}, explicit)
            row.append(Fraction(int(val.p), int(val.q)) if val is not None and val.is_Rational else None)
        V.append(row)
    c = {(a, b): V[a][a] - V[a][b] for a, b in itertools.permutations(range(n), 2)
         if V[a][a] is not None and V[a][b] is not None}
    tied = _grid_ties(env, nodes, xs, explicit)
    # a cycle through types where x* only breaks a welfare tie leans on the tie-breaking rule: prefer one without
    untied = {(a, b): w for (a, b), w in c.items() if not tied[a] and not tied[b]}
    cycle = _negative_cycle(n, untied) if untied else None
    if cycle is None:
        cycle = _negative_cycle(n, c)
    if cycle is None:
        return _inconclusive(id, claim, "cycle",
                             f"no negative cycle among the {n} grid types of agent {i}; a grid proves nothing",
                             statement, grid_types=n)

    def label(a):
        return {str(th): str(nodes[a][th]), str(si): str(nodes[a][si])}

    def outcome(b):
        return json.dumps({str(k): str(v) for k, v in sorted(xs[b].items(), key=lambda kv: str(kv[0]))})
    steps = []
    for k, a in enumerate(cycle):
        b = cycle[(k + 1) % len(cycle)]
        steps.append({"type": label(a), "next": label(b), "c": str(c[(a, b)]), "value_own": str(V[a][a]),
                      "value_next": str(V[a][b]), "allocation": outcome(a), "next_allocation": outcome(b),
                      "tied": tied[a]})
    return _cycle_certified(i, others, steps, id, claim, statement)


def _grid_ties(env, nodes, xs, explicit) -> list:
    """tied[a]: at grid type a another allocation found on the grid has the same welfare as x*(a).

    Only the allocations x* takes on the grid are compared (an outcome space may be a continuum).
    """
    welfare = env.welfare()
    distinct = []
    for x in xs:
        if x not in distinct:
            distinct.append(x)
    tied = []
    for point, x in zip(nodes, xs):
        own = exact_value(welfare, {**point, **x}, explicit)
        tie = False
        for y in distinct:
            if y != x:
                w = exact_value(welfare, {**point, **y}, explicit)
                if own is not None and w is not None and w == own:
                    tie = True
                    break
        tied.append(tie)
    return tied


def _negative_cycle(n: int, c: Mapping) -> list | None:
    """A cycle of nodes with negative total weight (the most negative 2-cycle if any), else None."""
    pairs = [(c[(a, b)] + c[(b, a)], a, b) for a, b in itertools.combinations(range(n), 2)
             if (a, b) in c and (b, a) in c]
    worst = min(pairs, default=None)
    if worst is not None and worst[0] < 0:
        return [worst[1], worst[2]]
    d, pred, changed = [Fraction(0)] * n, {}, None
    for _ in range(n + 1):
        _budget.check()
        changed = None
        for (a, b), w in c.items():
            if d[a] + w < d[b]:
                d[b], pred[b], changed = d[a] + w, a, b
        if changed is None:
            return None
    b = changed
    for _ in range(n):
        b = pred[b]
    cycle, a = [b], pred[b]
    while a != b:
        cycle.append(a)
        a = pred[a]
    return cycle[::-1]


def _type_point(value, th, si, name: str) -> dict:
    if not isinstance(value, Mapping) or set(value) != {th, si}:
        raise ValueError(f"{name} must map exactly {th} and {si} to expressions, got {value!r}")
    return {sym: expression(value[sym], f"{name}[{sym}]") for sym in (th, si)}


def two_cycle(env: Environment, i: int, a: Mapping, b: Mapping) -> sp.Expr:
    """c(a, b) + c(b, a) for two types of agent i, symbolically, posterior atoms replaced.

    ``a`` and ``b`` map agent i's type symbols ``theta_i`` and ``s_i`` to expressions;
    the others' types stay symbolic.  c is derived from the environment:
    ``c(a, b) = v_i(x*(a), theta_i^a, s^a) - v_i(x*(b), theta_i^a, s^a)`` with
    ``env.value`` and ``env.efficient_allocation``, then ``env.info.explicit``.
    A negative total for some a, b means no message-driven mechanism implements x*.

    With standard normal prior and noise, E[omega | s] = (s1 + s2)/3: raising theta1 by 2
    while lowering s1 by 9/2 lowers the allocation, and the cycle is negative.

    >>> from symbolic_mech import Environment, GaussianSignals, RealLine
    >>> from symbolic_mech.symbols import theta, s, x, omega
    >>> env = Environment(GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1),
    ...                   [-(x - theta(i) - omega) ** 2 for i in (1, 2)], RealLine())
    >>> sp.expand(two_cycle(env, 1, {theta(1): 0, s(1): 0}, {theta(1): 2, s(1): sp.Rational(-9, 2)}))
    -1/2
    >>> sp.expand(two_cycle(env, 1, {theta(1): 0, s(1): 0}, {theta(1): 2, s(1): 0}))
    4
    """
    i = check_agent(i, env.n)
    th, si = env.theta[i - 1], env.s[i - 1]
    a, b = _type_point(a, th, si, "a"), _type_point(b, th, si, "b")
    alloc = env.efficient_allocation()
    value = env.value(i)

    def at(q):
        return {var: e.xreplace(q) for var, e in alloc.items()}

    def c(p, q):
        # agent i's truth p: her value at her own allocation minus at the report q's
        own = value.xreplace(p)
        return own.xreplace(at(p)) - own.xreplace(at(q))
    return env.info.explicit(c(a, b) + c(b, a))
