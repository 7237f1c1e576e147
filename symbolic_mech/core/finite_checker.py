r"""The independent checker for implementability certificates ("symbolic_mech-finite-certificate/1").

It imports only the standard library (no sympy, numpy or symbolic_mech) and
evaluates no text: every number is a rational string ``-?[0-9]+(/[0-9]+)?``
read into a :class:`~fractions.Fraction`.  It trusts the tabulated values of
a certificate (agent i's expected utilities and the welfare) and re-derives
everything else from them.

Notation: in a *block* agent i's opponents' true types are fixed; the block
lists agent i's types ``a`` (a pair theta_i, s_i), ``values[a][x] =
v_i(x, theta_i^a, s^a)`` for every outcome ``x``, ``welfare[a][x]`` (the
welfare at the reported profile a) and ``allocation[a]``, the outcome x*(a).
The incentive constraint "type a does not gain by reporting b" reads

    E_a[t(b)] - E_a[t(a)] <= c(a, b) = values[a][x*(a)] - values[a][x*(b)],

where ``E_a[t(b)] = sum_k predictive[a][k] * transfers[b][k]`` averages the
transfer over the estimates omega_hat_k given a's true signals (for a
message-driven mechanism there is one column and ``predictive`` is absent).

What :func:`recheck` checks
===========================

* every certificate: ``format``, ``id``, ``claim``, a known ``kind`` and
  ``status``; an ``inconclusive`` one is only read for these keys;
* ``transfers`` (proved or refuted): in every block the allocation is the
  first maximizer of the welfare row (the tie-breaking rule), predictive
  rows are probabilities summing to 1, and every constraint with a != b is
  evaluated: their number equals ``constraints``, the smallest slack
  ``c(a, b) - (E_a[t(b)] - E_a[t(a)])`` equals ``smallest_slack`` and the
  regret ``max(0, largest gain)`` equals ``regret``.  Proved needs regret 0;
  refuted needs a witness (block, truth, report) whose gain, recomputed,
  equals the regret and is positive;
* ``cycle`` (refuted): at least two distinct types, each step's ``next`` is
  the following step's ``type`` (and the last returns to the first), the
  same for the allocations; ``c = value_own - value_next`` at each step;
  ``total`` is the sum of the ``c`` and is negative.  Adding the cycle's
  constraints gives ``0 <= total < 0``;
* ``farkas`` (refuted): the block's allocation and predictive rows as
  above; multipliers ``y(a, b) > 0`` on constraints with a != b, each pair
  once; ``sum y(a, b) * (constraint row)`` is exactly 0 in every variable
  ``t(b, k)``, and ``total = sum y(a, b) c(a, b)`` is negative, so the
  constraints imply ``0 <= total < 0`` (Farkas' lemma).

>>> cert = {"format": FORMAT, "id": "two", "claim": "a 2-cycle", "kind": "cycle", "status": "refuted",
...         "agent": 1, "others": {}, "total": "-1",
...         "cycle": [{"type": "a", "next": "b", "c": "0", "value_own": "1", "value_next": "1",
...                    "allocation": "x", "next_allocation": "y"},
...                   {"type": "b", "next": "a", "c": "-1", "value_own": "0", "value_next": "1",
...                    "allocation": "y", "next_allocation": "x"}]}
>>> recheck(cert)
Report(confirmed=True, problems=[])
>>> cert["total"] = "1"
>>> recheck(cert).problems
["two: total is 1, the steps' c sum to -1"]
>>> cert["cycle"][1]["value_own"] = "1"
>>> recheck(cert).problems
['two: cycle[1].c is -1, value_own - value_next is 0', "two: total is 1, the steps' c sum to 0", 'two: the total 0 of the cycle is not negative']
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import NamedTuple

__all__ = ["FORMAT", "KINDS", "Report", "recheck"]

FORMAT = "symbolic_mech-finite-certificate/1"
KINDS = ("transfers", "cycle", "farkas")
STATUSES = ("proved", "refuted", "inconclusive")
_RAT = re.compile(r"-?[0-9]+(/[0-9]+)?")


class Report(NamedTuple):
    """The outcome of :func:`recheck`: confirmed iff there are no problems."""

    confirmed: bool
    problems: list


class _Bad(Exception):
    """A malformed certificate: checking stops with this problem."""


def _q(value, where: str) -> Fraction:
    match = _RAT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _Bad(f"{where} = {value!r} is not a rational string ('-3/7', '5')")
    num, _, den = value.partition("/")
    # a zero denominator raises ZeroDivisionError: caught by recheck
    return Fraction(int(num), int(den)) if den else Fraction(int(num))


def _int(value, where: str, lo: int = 0, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value >= hi):
        raise _Bad(f"{where} = {value!r} is not an integer in [{lo}, {hi if hi is not None else 'inf'})")
    return value


def _list(value, where: str, length: int | None = None) -> list:
    if not isinstance(value, list):
        raise _Bad(f"{where} is not a list")
    if length is not None and len(value) != length:
        raise _Bad(f"{where} has {len(value)} entries, expected {length}")
    return value


def _matrix(value, where: str, rows: int, cols: int) -> list:
    return [[_q(v, f"{where}[{r}][{k}]") for k, v in enumerate(_list(row, f"{where}[{r}]", cols))]
            for r, row in enumerate(_list(value, where, rows))]


def _first_argmax(row: list) -> int:
    best = 0
    for k, v in enumerate(row):
        if v > row[best]:
            best = k
    return best


class _Block:
    """A block's tables, read and checked: types, values, welfare, allocation, predictive."""

    def __init__(self, data, where: str, outcomes: int, estimates: int | None, problems: list):
        if not isinstance(data, dict):
            raise _Bad(f"{where} is not an object")
        self.where = where
        self.types = _list(data.get("types"), f"{where}.types")
        n = len(self.types)
        if n == 0:
            raise _Bad(f"{where} has no types")
        if len({json.dumps(t, sort_keys=True) for t in self.types}) != n:
            problems.append(f"{where}: a type is listed twice")
        self.values = _matrix(data.get("values"), f"{where}.values", n, outcomes)
        welfare = _matrix(data.get("welfare"), f"{where}.welfare", n, outcomes)
        self.allocation = [_int(x, f"{where}.allocation[{a}]", 0, outcomes)
                           for a, x in enumerate(_list(data.get("allocation"), f"{where}.allocation", n))]
        for a, x in enumerate(self.allocation):
            if x != _first_argmax(welfare[a]):
                problems.append(f"{where}: allocation[{a}] = {x} is not the first welfare maximizer "
                                f"{_first_argmax(welfare[a])}")
        if estimates is None:
            self.predictive = [[Fraction(1)] for _ in range(n)]
        else:
            self.predictive = _matrix(data.get("predictive"), f"{where}.predictive", n, estimates)
            for a, row in enumerate(self.predictive):
                if any(not 0 <= p <= 1 for p in row) or sum(row) != 1:
                    problems.append(f"{where}: predictive[{a}] is not a probability vector")

    def c(self, a: int, b: int) -> Fraction:
        """c(a, b) = v_i(x*(a), a) - v_i(x*(b), a)."""
        return self.values[a][self.allocation[a]] - self.values[a][self.allocation[b]]


def _expected(p: list, t: list) -> Fraction:
    return sum((pk * tk for pk, tk in zip(p, t)), Fraction(0))


def _gains(block: _Block, t: list):
    """(count, (gain, a, b) with the largest gain over a != b): every constraint evaluated.

    With one transfer column, E_a[t(b)] = t(b) for every a, so for each truth a the best
    report b != a with outcome x is the one with the largest t(b): keeping the two largest
    per outcome evaluates all n(n - 1) constraints in n * |X| steps.
    """
    n = len(block.types)
    best = None
    if len(t[0]) == 1:
        top: dict = {}
        for b in range(n):
            entries = top.setdefault(block.allocation[b], [])
            entries.append((t[b][0], b))
            entries.sort(key=lambda e: e[0], reverse=True)
            del entries[2:]
        for a in range(n):
            own = t[a][0] + block.values[a][block.allocation[a]]
            for x, entries in top.items():
                tb, b = next(((tb, b) for tb, b in entries if b != a), (None, None))
                if b is not None:
                    gain = tb + block.values[a][x] - own
                    if best is None or gain > best[0]:
                        best = (gain, a, b)
    else:
        for a in range(n):
            own = _expected(block.predictive[a], t[a]) + block.values[a][block.allocation[a]]
            for b in range(n):
                if b != a:
                    gain = _expected(block.predictive[a], t[b]) + block.values[a][block.allocation[b]] - own
                    if best is None or gain > best[0]:
                        best = (gain, a, b)
    return n * (n - 1), best


def _check_transfers(cert: dict, problems: list) -> None:
    outcomes = len(_list(cert.get("outcomes"), "outcomes"))
    estimates = cert.get("estimates")
    k = None if estimates is None else len([_q(e, "estimates") for e in _list(estimates, "estimates")])
    blocks = [_Block(b, f"blocks[{j}]", outcomes, k, problems)
              for j, b in enumerate(_list(cert.get("blocks"), "blocks"))]
    count, best = 0, None
    for j, (block, data) in enumerate(zip(blocks, cert["blocks"])):
        _int(data.get("agent"), f"blocks[{j}].agent", 1)
        t = _matrix(data.get("transfers"), f"blocks[{j}].transfers", len(block.types), k or 1)
        m, worst = _gains(block, t)
        count += m
        if worst is not None and (best is None or worst[0] > best[0]):
            best = worst
    if count != cert.get("constraints"):
        problems.append(f"constraints is {cert.get('constraints')!r}, {count} were evaluated")
    slack = None if best is None else -best[0]
    recorded = cert.get("smallest_slack")
    if (slack is None) != (recorded is None) or (slack is not None and _q(recorded, "smallest_slack") != slack):
        problems.append(f"smallest_slack is {recorded!r}, recomputed {slack}")
    regret = max(Fraction(0), best[0]) if best is not None else Fraction(0)
    if _q(cert.get("regret"), "regret") != regret:
        problems.append(f"regret is {cert.get('regret')!r}, recomputed {regret}")
    witness = cert.get("witness")
    if cert["status"] == "proved":
        if regret != 0:
            problems.append(f"proved, but a constraint fails: the regret is {regret}")
        if witness is not None:
            problems.append("a proved certificate carries a witness")
        return
    if regret <= 0:
        problems.append("refuted, but no constraint fails")
    if not isinstance(witness, dict):
        raise _Bad("a refuted certificate needs a witness {block, truth, report, gain}")
    j = _int(witness.get("block"), "witness.block", 0, len(blocks))
    block = blocks[j]
    n = len(block.types)
    a = _int(witness.get("truth"), "witness.truth", 0, n)
    b = _int(witness.get("report"), "witness.report", 0, n)
    t = _matrix(cert["blocks"][j]["transfers"], f"blocks[{j}].transfers", n, k or 1)
    gain = (_expected(block.predictive[a], t[b]) - _expected(block.predictive[a], t[a])
            - block.c(a, b))
    if a == b or gain != _q(witness.get("gain"), "witness.gain") or gain != regret:
        problems.append(f"the witness's gain, recomputed, is {gain}; recorded {witness.get('gain')!r}, "
                        f"regret {regret}")


def _check_cycle(cert: dict, problems: list) -> None:
    if cert["status"] != "refuted":
        problems.append(f"a cycle certificate refutes; status is {cert['status']!r}")
    _int(cert.get("agent"), "agent", 1)
    steps = _list(cert.get("cycle"), "cycle")
    if len(steps) < 2:
        raise _Bad("a cycle needs at least two steps")
    if len({json.dumps(s.get("type") if isinstance(s, dict) else None, sort_keys=True) for s in steps}) \
            != len(steps):
        problems.append("the cycle visits a type twice")
    total = Fraction(0)
    for k, step in enumerate(steps):
        if not isinstance(step, dict):
            raise _Bad(f"cycle[{k}] is not an object")
        after = steps[(k + 1) % len(steps)]
        if not isinstance(after, dict) or step.get("next") != after.get("type"):
            problems.append(f"cycle[{k}].next is not the type of the following step")
        if step.get("next_allocation") != after.get("allocation"):
            problems.append(f"cycle[{k}].next_allocation is not the allocation of the following step")
        c = _q(step.get("c"), f"cycle[{k}].c")
        diff = _q(step.get("value_own"), f"cycle[{k}].value_own") - _q(step.get("value_next"),
                                                                        f"cycle[{k}].value_next")
        if c != diff:
            problems.append(f"cycle[{k}].c is {c}, value_own - value_next is {diff}")
        total += diff
    if _q(cert.get("total"), "total") != total:
        problems.append(f"total is {cert.get('total')}, the steps' c sum to {total}")
    if total >= 0:
        problems.append(f"the total {total} of the cycle is not negative")


def _check_farkas(cert: dict, problems: list) -> None:
    if cert["status"] != "refuted":
        problems.append(f"a Farkas certificate refutes; status is {cert['status']!r}")
    _int(cert.get("agent"), "agent", 1)
    outcomes = len(_list(cert.get("outcomes"), "outcomes"))
    k = len([_q(e, "estimates") for e in _list(cert.get("estimates"), "estimates")])
    block = _Block(cert, "block", outcomes, k, problems)
    n = len(block.types)
    combination = [[Fraction(0)] * k for _ in range(n)]    # sum of y * row, per variable t(b, k)
    total, seen = Fraction(0), set()
    for r, entry in enumerate(_list(cert.get("multipliers"), "multipliers")):
        a, b, y = _list(entry, f"multipliers[{r}]", 3)
        a, b = _int(a, f"multipliers[{r}][0]", 0, n), _int(b, f"multipliers[{r}][1]", 0, n)
        y = _q(y, f"multipliers[{r}][2]")
        if a == b or (a, b) in seen or y <= 0:
            problems.append(f"multipliers[{r}] is not a positive multiplier of a new constraint a != b")
        seen.add((a, b))
        for col, p in enumerate(block.predictive[a]):
            combination[b][col] += y * p
            combination[a][col] -= y * p
        total += y * block.c(a, b)
    nonzero = [(b, col) for b in range(n) for col in range(k) if combination[b][col] != 0]
    if nonzero:
        problems.append(f"the combination of the constraints is not zero in {len(nonzero)} variables "
                        f"(first: t(type {nonzero[0][0]}, estimate {nonzero[0][1]}))")
    if not seen:
        problems.append("no multipliers")
    if _q(cert.get("total"), "total") != total:
        problems.append(f"total is {cert.get('total')}, the combination gives {total}")
    if total >= 0:
        problems.append(f"the combination's right-hand side {total} is not negative")


_CHECKS = {"transfers": _check_transfers, "cycle": _check_cycle, "farkas": _check_farkas}


def recheck(cert) -> Report:
    """Replay one certificate; every failure is a problem string, never an exception.

    >>> recheck({"format": FORMAT}).problems
    ["<no id>: missing key 'id'"]
    """
    cid = cert.get("id") if isinstance(cert, dict) and isinstance(cert.get("id"), str) else "<no id>"
    problems: list = []
    try:
        if not isinstance(cert, dict):
            raise _Bad("a certificate is a JSON object")
        for key in ("format", "id", "claim", "kind", "status"):
            if key not in cert:
                raise _Bad(f"missing key {key!r}")
        if cert["format"] != FORMAT:
            raise _Bad(f"format is {cert['format']!r}, expected {FORMAT!r}")
        if not isinstance(cert["id"], str) or not isinstance(cert["claim"], str):
            raise _Bad("id and claim must be strings")
        if cert["kind"] not in KINDS:
            raise _Bad(f"kind {cert['kind']!r} is not one of {KINDS}")
        if cert["status"] not in STATUSES:
            raise _Bad(f"status {cert['status']!r} is not one of {STATUSES}")
        if cert["status"] != "inconclusive":
            _CHECKS[cert["kind"]](cert, problems)
    except _Bad as exc:
        problems.append(str(exc))
    except Exception as exc:        # hostile or corrupted input: reject, never crash
        problems.append(f"internal error while checking: {type(exc).__name__}: {exc}"[:300])
    return Report(not problems, [f"{cid}: {p}" for p in problems])
