r"""The independent checker for implementability certificates ("symbolic_mech-finite-certificate/1").

It imports only the standard library (no sympy, numpy or symbolic_mech) and
evaluates no text: every number is a rational string ``-?[0-9]+(/[0-9]+)?``
read into a :class:`~fractions.Fraction`.

A finite certificate carries the model's primitives (``model``): the states
and prior, the joint likelihood ``P(s | omega)`` of every signal profile (in
the order of ``itertools.product`` over the agents' signal lists), each
agent's types and signals, the ordered outcomes, the utilities
``u[i][x][omega][theta_i]`` and, for a data-driven mechanism, the estimator
law ``P(omega_hat | omega)`` with its estimates.  From these alone the checker
computes P(s) and the posterior by Bayes' rule, the values
``v_i(x, theta_i, s)``, the welfare, x* (the FIRST maximizer in the listed
order of the outcomes) and the predictive law of omega_hat given s.  It
enumerates every agent the claim is about, every block of the others' types
and signals, and every type of agent i with a possible signal profile.  Values
tabulated in a certificate are compared with its own and never used.

The incentive constraint "type a does not gain by reporting b" in a block is

    E_a[t(b)] - E_a[t(a)] <= c(a, b) = v_i(x*(a), a) - v_i(x*(b), a),

with ``E_a[t(b)] = sum_k P(omega_hat_k | s^a) t(b, k)`` (one column, probability
1, for a message-driven mechanism).

What :func:`recheck` checks
===========================

* every certificate: ``format``, ``id``, ``claim``, a known ``kind`` and
  ``status``; an ``inconclusive`` one is only read for these keys;
* ``mechanism`` is "message-driven" (no estimator, ``estimates`` null) or
  "data-driven"; a claim "some ... mechanism implements x* for ..." names that
  mechanism and the agents (every agent, or agent k) and is never refuted by
  a transfer table;
* ``transfers``: one block per block of the checker's enumeration (none
  missing, none extra), its types the possible types in order, each
  constraint evaluated with the block's transfer table; with
  ``impossible_reports: "given"`` (a given transfer rule) the reports whose
  profile is impossible are constraints too, with the value term bounded by
  the best outcome for the truth.  ``constraints``, ``smallest_slack`` and
  ``regret`` must equal the recomputed ones; proved needs regret 0, refuted a
  witness whose gain, recomputed, is positive;
* ``cycle`` (refuted, message-driven): at least two distinct possible types of
  the named block, each c(a, b) recomputed, the total negative.  A cycle on a
  grid of a continuous model (``model`` null, ``grid`` set) cannot be
  recomputed here: its steps are checked for consistency only (c = value_own -
  value_next, the same allocation twice gives c = 0, the total);
* ``farkas`` (refuted, data-driven): the named block's constraint rows
  rebuilt, multipliers ``y > 0`` on distinct constraints a != b,
  ``y^T A = 0`` in every variable t(b, k) and ``y^T c = total < 0``.

>>> cert = {"format": FORMAT, "id": "two", "claim": "a 2-cycle", "kind": "cycle", "status": "refuted",
...         "mechanism": "message-driven", "model": None, "grid": {}, "agent": 1, "others": {}, "total": "-1",
...         "cycle": [{"type": "a", "next": "b", "c": "0", "value_own": "1", "value_next": "1",
...                    "allocation": "x", "next_allocation": "y"},
...                   {"type": "b", "next": "a", "c": "-1", "value_own": "0", "value_next": "1",
...                    "allocation": "y", "next_allocation": "x"}]}
>>> recheck(cert)
Report(confirmed=True, problems=[])
>>> cert["cycle"][1]["allocation"] = cert["cycle"][0]["next_allocation"] = "x"
>>> recheck(cert).problems
['two: cycle[1] keeps the allocation x, yet c is -1']
"""
from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction
from typing import NamedTuple

__all__ = ["FORMAT", "KINDS", "Report", "recheck"]

FORMAT = "symbolic_mech-finite-certificate/1"
KINDS = ("transfers", "cycle", "farkas")
STATUSES = ("proved", "refuted", "inconclusive")
MECHANISMS = ("message-driven", "data-driven")
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


def _rats(value, where: str, length: int | None = None) -> list:
    return [_q(v, f"{where}[{k}]") for k, v in enumerate(_list(value, where, length))]


def _labels(value, where: str) -> list:
    out = _list(value, where)
    if not out or not all(isinstance(v, str) for v in out) or len(set(out)) != len(out):
        raise _Bad(f"{where} must be a nonempty list of distinct strings")
    return out


def _probabilities(row: list, where: str) -> None:
    if any(not 0 <= p <= 1 for p in row) or sum(row) != 1:
        raise _Bad(f"{where} is not a probability vector summing to 1")


def _first_argmax(row: list) -> int:
    best = 0
    for k, v in enumerate(row):
        if v > row[best]:
            best = k
    return best


# ---------------------------------------------------------------------------
# the model, from its primitives
# ---------------------------------------------------------------------------

class _Model:
    """The primitives read and checked; posteriors, values, x* and predictive laws computed here."""

    def __init__(self, data, mechanism: str):
        if not isinstance(data, dict):
            raise _Bad("model (the primitives of the finite model) is missing")
        self.states = _rats(data.get("states"), "model.states")
        K = len(self.states)
        if K == 0 or len(set(self.states)) != K:
            raise _Bad("model.states must be a nonempty list of distinct numbers")
        self.prior = _rats(data.get("prior"), "model.prior", K)
        _probabilities(self.prior, "model.prior")
        signals = _list(data.get("signals"), "model.signals")
        self.n = len(signals)
        if self.n == 0:
            raise _Bad("model.signals lists no agent")
        self.signals = [_labels(sig, f"model.signals[{i}]") for i, sig in enumerate(signals)]
        types = _list(data.get("types"), "model.types", self.n)
        self.types = [_rats(t, f"model.types[{i}]") for i, t in enumerate(types)]
        if any(not t or len(set(t)) != len(t) for t in self.types):
            raise _Bad("model.types must be nonempty lists of distinct numbers")
        self.type_labels = [[str(t) for t in ts] for ts in self.types]
        self.outcomes = _labels(data.get("outcomes"), "model.outcomes")
        X = len(self.outcomes)
        self.profiles = list(itertools.product(*(range(len(sig)) for sig in self.signals)))
        self.position = {s: k for k, s in enumerate(self.profiles)}
        lik = _list(data.get("likelihood"), "model.likelihood", K)
        self.likelihood = [_rats(row, f"model.likelihood[{w}]", len(self.profiles)) for w, row in enumerate(lik)]
        for w, row in enumerate(self.likelihood):
            _probabilities(row, f"model.likelihood[{w}]")
        u = _list(data.get("utilities"), "model.utilities", self.n)
        self.u = [[[_rats(row, f"model.utilities[{i}][{x}][{w}]", len(self.types[i]))
                    for w, row in enumerate(_list(ux, f"model.utilities[{i}][{x}]", K))]
                   for x, ux in enumerate(_list(ui, f"model.utilities[{i}]", X))] for i, ui in enumerate(u)]
        est = data.get("estimator")
        if mechanism == "message-driven":
            if est is not None:
                raise _Bad("a message-driven mechanism reads no estimate: model.estimator must be null")
            self.estimates, self.law = None, [[Fraction(1)] for _ in range(K)]
        else:
            if not isinstance(est, dict):
                raise _Bad("a data-driven certificate needs model.estimator {estimates, law}")
            self.estimates = _rats(est.get("estimates"), "model.estimator.estimates")
            if not self.estimates or len(set(self.estimates)) != len(self.estimates):
                raise _Bad("model.estimator.estimates must be distinct numbers")
            self.law = [_rats(row, f"model.estimator.law[{w}]", len(self.estimates))
                        for w, row in enumerate(_list(est.get("law"), "model.estimator.law", K))]
            for w, row in enumerate(self.law):
                _probabilities(row, f"model.estimator.law[{w}]")
        self._post: dict = {}
        self._values: dict = {}

    def posterior(self, s: tuple):
        """P(omega | s) by Bayes' rule; None if P(s) = 0."""
        if s not in self._post:
            k = self.position[s]
            joint = [p * row[k] for p, row in zip(self.prior, self.likelihood)]
            total = sum(joint)
            self._post[s] = None if total == 0 else [j / total for j in joint]
        return self._post[s]

    def values(self, i: int, t: int, s: tuple) -> list:
        """(v_i(x, theta_i, s) for x in outcomes), agent i and type t 0-based."""
        key = (i, t, s)
        if key not in self._values:
            post = self.posterior(s)
            self._values[key] = [sum((p * ux[w][t] for w, p in enumerate(post)), Fraction(0))
                                 for ux in self.u[i]]
        return self._values[key]

    def welfare(self, th: tuple, s: tuple) -> list:
        rows = [self.values(j, th[j], s) for j in range(self.n)]
        return [sum(col) for col in zip(*rows)]

    def predictive(self, s: tuple) -> list:
        post = self.posterior(s)
        return [sum((p * row[k] for p, row in zip(post, self.law)), Fraction(0))
                for k in range(len(self.law[0]))]

    def blocks(self, i: int):
        """Every block of agent i (0-based): (others' label, possible types, impossible types)."""
        others = [j for j in range(self.n) if j != i]
        pairs = [list(itertools.product(range(len(self.types[j])), range(len(self.signals[j])))) for j in others]
        for combo in itertools.product(*pairs):
            yield self.block(i, dict(zip(others, combo)))

    def block(self, i: int, fixed: dict) -> "_Block":
        label = {}
        for j in sorted(fixed):
            label[f"theta{j + 1}"] = self.type_labels[j][fixed[j][0]]
            label[f"s{j + 1}"] = self.signals[j][fixed[j][1]]
        return _Block(self, i, fixed, label)

    def others(self, i: int, label) -> dict:
        """The block's fixed types from its label {thetaj, sj}, or _Bad."""
        if not isinstance(label, dict):
            raise _Bad("others is not an object")
        fixed = {}
        for j in range(self.n):
            if j == i:
                continue
            th, sj = label.get(f"theta{j + 1}"), label.get(f"s{j + 1}")
            if th not in self.type_labels[j] or sj not in self.signals[j]:
                raise _Bad(f"others {label!r} is not a profile of the other agents' types and signals")
            fixed[j] = (self.type_labels[j].index(th), self.signals[j].index(sj))
        if len(label) != 2 * (self.n - 1):
            raise _Bad(f"others {label!r} has extra keys")
        return fixed


class _Block:
    """Agent i's types with the others' fixed: x*, values and predictive laws, all computed."""

    def __init__(self, model: _Model, i: int, fixed: dict, label: dict):
        self.model, self.i, self.label = model, i, label
        self.possible, self.impossible = [], []     # (type index, signal index, theta, s)
        for t, si in itertools.product(range(len(model.types[i])), range(len(model.signals[i]))):
            th = tuple(t if j == i else fixed[j][0] for j in range(model.n))
            s = tuple(si if j == i else fixed[j][1] for j in range(model.n))
            (self.possible if model.posterior(s) is not None else self.impossible).append((t, si, th, s))
        self.x = [_first_argmax(model.welfare(th, s)) for _, _, th, s in self.possible]
        self.v = [model.values(i, t, s) for t, _, _, s in self.possible]
        self.p = [model.predictive(s) for _, _, _, s in self.possible]

    def type_label(self, entry) -> dict:
        t, si = entry[0], entry[1]
        return {f"theta{self.i + 1}": self.model.type_labels[self.i][t],
                f"s{self.i + 1}": self.model.signals[self.i][si]}

    def labels(self, entries) -> list:
        return [self.type_label(e) for e in entries]

    def c(self, a: int, b: int) -> Fraction:
        return self.v[a][self.x[a]] - self.v[a][self.x[b]]


def _expected(p: list, t: list) -> Fraction:
    return sum((pk * tk for pk, tk in zip(p, t)), Fraction(0))


def _agents(cert: dict, model: _Model) -> list:
    agents = _list(cert.get("agents"), "agents")
    agents = [_int(a, f"agents[{k}]", 1, model.n + 1) for k, a in enumerate(agents)]
    if not agents or len(set(agents)) != len(agents):
        raise _Bad("agents must list distinct agents")
    return agents


def _check_claim(cert: dict, mechanism: str, agents: list, n: int, problems: list) -> None:
    """A claim "some <mechanism> mechanism implements x* ... for <who>" must match the certificate."""
    claim = cert["claim"]
    if not claim.startswith("some "):
        return
    if not claim.startswith(f"some {mechanism} mechanism"):
        problems.append(f"the claim is not about a {mechanism} mechanism, the certificate's mechanism")
    if "every agent" in claim:
        if sorted(agents) != list(range(1, n + 1)):
            problems.append(f"the claim is about every agent, the certificate covers agents {agents}")
    elif not claim.endswith(f"for agent {agents[0]}") or len(agents) != 1:
        problems.append(f"the claim's agent is not the certificate's agents {agents}")
    if cert["kind"] == "transfers" and cert["status"] == "refuted":
        problems.append("a transfer table refutes one rule, not every mechanism")


# ---------------------------------------------------------------------------
# the three kinds
# ---------------------------------------------------------------------------

def _compare(recorded, mine, where: str, problems: list) -> None:
    """A tabulated convenience value must agree with the recomputed one."""
    if recorded is not None and _q(recorded, where) != mine:
        problems.append(f"{where} is {recorded}, recomputed {mine}")


def _compare_tables(data: dict, block: _Block, where: str, problems: list) -> None:
    """The block's tabulated values, welfare, allocation and predictive rows, if given, against ours."""
    model = block.model
    mine = {"values": block.v, "allocation": block.x, "predictive": block.p,
            "welfare": [model.welfare(th, s) for _, _, th, s in block.possible]}
    for key, table in mine.items():
        given = data.get(key)
        if given is None:
            continue
        if key == "allocation":
            same = given == table
        else:
            rows = _list(given, f"{where}.{key}", len(table))
            same = all(_rats(row, f"{where}.{key}[{a}]", len(table[a])) == table[a] for a, row in enumerate(rows))
        if not same:
            problems.append(f"{where}.{key} differ from the ones computed from the model")


def _check_transfers(cert: dict, model: _Model, problems: list) -> None:
    agents = _agents(cert, model)
    _check_claim(cert, cert["mechanism"], agents, model.n, problems)
    given = cert.get("impossible_reports")
    if given not in ("given", "punished"):
        raise _Bad("impossible_reports must be 'given' (a given rule) or 'punished' (a constructed mechanism)")
    given = given == "given"
    K = len(model.law[0])
    listed = {}
    for j, data in enumerate(_list(cert.get("blocks"), "blocks")):
        if not isinstance(data, dict):
            raise _Bad(f"blocks[{j}] is not an object")
        key = (data.get("agent"), json.dumps(data.get("others"), sort_keys=True))
        if key in listed:
            problems.append(f"blocks[{j}] repeats a block")
        listed[key] = (j, data)
    count, best, used, mine = 0, None, set(), []
    for i in agents:
        for block in model.blocks(i - 1):
            if not block.possible:
                continue
            key = (i, json.dumps(block.label, sort_keys=True))
            if key not in listed:
                problems.append(f"the block of agent {i} with others {block.label} is missing")
                continue
            j, data = listed[key]
            used.add(key)
            mine.append((j, block))
            where = f"blocks[{j}]"
            if data.get("types") != block.labels(block.possible):
                raise _Bad(f"{where}.types are not agent {i}'s possible types in this block, in order")
            _compare_tables(data, block, where, problems)
            t = [_rats(row, f"{where}.transfers[{a}]", K)
                 for a, row in enumerate(_list(data.get("transfers"), f"{where}.transfers", len(block.possible)))]
            reports = block.impossible if given else []
            if given and data.get("impossible") != block.labels(block.impossible):
                raise _Bad(f"{where}.impossible are not agent {i}'s types with an impossible profile here")
            tz = [_rats(row, f"{where}.impossible_transfers[{b}]", K) for b, row in
                  enumerate(_list(data.get("impossible_transfers", []) if given else [],
                                  f"{where}.impossible_transfers", len(reports)))]
            n = len(block.possible)
            if K == 1:
                # one estimate: E_a[t(b)] = p_a t(b) with p_a >= 0, and v_a(x(b)) depends on b only
                # through its outcome, so each outcome's best report is its largest transfer among
                # the types (other than a) allocated it: the same maximum, in n |X| steps
                tops: dict = {}
                for b in range(n):
                    tops.setdefault(block.x[b], []).append((t[b][0], b))
                tops = {g: sorted(c, key=lambda e: e[0], reverse=True)[:2] for g, c in tops.items()}
            for a in range(n):
                own = _expected(block.p[a], t[a]) + block.v[a][block.x[a]]
                if K == 1:
                    pairs = [next((e for e in cand if e[1] != a), None) for cand in tops.values()]
                    options = [(block.p[a][0] * tb + block.v[a][block.x[b]] - own, b)
                               for tb, b in (e for e in pairs if e is not None)]
                else:
                    options = [(_expected(block.p[a], t[b]) + block.v[a][block.x[b]] - own, b)
                               for b in range(n) if b != a]
                for gain, b in options:
                    if best is None or gain > best[0]:
                        best = (gain, j, a, b, False)
                top = max(block.v[a])
                for b in range(len(reports)):
                    gain = _expected(block.p[a], tz[b]) + top - own
                    if best is None or gain > best[0]:
                        best = (gain, j, a, b, True)
            count += n * (n - 1) + n * len(reports)
    for key in listed:
        if key not in used:
            problems.append(f"blocks[{listed[key][0]}] is not a block of the claim's agents with a possible type")
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
    if not isinstance(witness, dict):
        raise _Bad("a refuted certificate needs a witness {block, truth, report, impossible, gain}")
    j = _int(witness.get("block"), "witness.block", 0)
    block = next((blk for jj, blk in mine if jj == j), None)
    if block is None:
        raise _Bad("witness.block is not a checked block")
    data = cert["blocks"][j]
    a = _int(witness.get("truth"), "witness.truth", 0, len(block.possible))
    t = [_rats(row, f"blocks[{j}].transfers[{k}]", K) for k, row in enumerate(data["transfers"])]
    own = _expected(block.p[a], t[a]) + block.v[a][block.x[a]]
    if witness.get("impossible") is True and given:
        # the allocation at an impossible profile is unspecified: the gain at its worst outcome
        b = _int(witness.get("report"), "witness.report", 0, len(block.impossible))
        tb = _rats(data["impossible_transfers"][b], f"blocks[{j}].impossible_transfers[{b}]", K)
        gain = _expected(block.p[a], tb) + min(block.v[a]) - own
    elif witness.get("impossible") is False:
        b = _int(witness.get("report"), "witness.report", 0, len(block.possible))
        gain = _expected(block.p[a], t[b]) + block.v[a][block.x[b]] - own if a != b else Fraction(0)
    else:
        raise _Bad("witness.impossible must be true (only for a given rule) or false")
    if gain <= 0 or gain != _q(witness.get("gain"), "witness.gain"):
        problems.append(f"the witness's gain, recomputed, is {gain}; recorded {witness.get('gain')!r}")


def _named_block(cert: dict, model: _Model) -> _Block:
    i = _int(cert.get("agent"), "agent", 1, model.n + 1)
    block = model.block(i - 1, model.others(i - 1, cert.get("others")))
    if not block.possible:
        raise _Bad("the named block has no type with a possible signal profile")
    return block


def _check_cycle(cert: dict, model, problems: list) -> None:
    if cert["status"] != "refuted":
        problems.append(f"a cycle certificate refutes; status is {cert['status']!r}")
    if cert["mechanism"] != "message-driven":
        problems.append("a cycle refutes message-driven mechanisms only")
    steps = _list(cert.get("cycle"), "cycle")
    if len(steps) < 2 or not all(isinstance(st, dict) for st in steps):
        raise _Bad("a cycle needs at least two steps, each an object")
    if len({json.dumps(st.get("type"), sort_keys=True) for st in steps}) != len(steps):
        problems.append("the cycle visits a type twice")
    if model is None:
        _check_grid_cycle(cert, steps, problems)
        return
    block = _named_block(cert, model)
    who = list(range(1, model.n + 1)) if "every agent" in cert["claim"] else [cert["agent"]]
    _check_claim(cert, "message-driven", who, model.n, problems)
    labels = [json.dumps(lab, sort_keys=True) for lab in block.labels(block.possible)]
    index = []
    for k, st in enumerate(steps):
        lab = json.dumps(st.get("type"), sort_keys=True)
        if lab not in labels:
            raise _Bad(f"cycle[{k}].type is not a type of agent {cert['agent']} with a possible profile here")
        index.append(labels.index(lab))
    total = Fraction(0)
    for k, a in enumerate(index):
        b = index[(k + 1) % len(index)]
        st = steps[k]
        if json.dumps(st.get("next"), sort_keys=True) != labels[b]:
            problems.append(f"cycle[{k}].next is not the type of the following step")
        c = block.c(a, b)
        _compare(st.get("c"), c, f"cycle[{k}].c", problems)
        _compare(st.get("value_own"), block.v[a][block.x[a]], f"cycle[{k}].value_own", problems)
        _compare(st.get("value_next"), block.v[a][block.x[b]], f"cycle[{k}].value_next", problems)
        if st.get("allocation", model.outcomes[block.x[a]]) != model.outcomes[block.x[a]]:
            problems.append(f"cycle[{k}].allocation is not x* = {model.outcomes[block.x[a]]}")
        total += c
    _compare(cert.get("total"), total, "total", problems)
    if total >= 0:
        problems.append(f"the total {total} of the cycle, recomputed, is not negative")


def _check_grid_cycle(cert: dict, steps: list, problems: list) -> None:
    """A grid cycle of a continuous model: its values cannot be recomputed here, only its consistency."""
    if not isinstance(cert.get("grid"), dict):
        raise _Bad("a cycle without a finite model must name its grid (a continuous model)")
    total = Fraction(0)
    for k, step in enumerate(steps):
        after = steps[(k + 1) % len(steps)]
        if step.get("next") != after.get("type"):
            problems.append(f"cycle[{k}].next is not the type of the following step")
        if step.get("next_allocation") != after.get("allocation"):
            problems.append(f"cycle[{k}].next_allocation is not the allocation of the following step")
        c = _q(step.get("c"), f"cycle[{k}].c")
        diff = _q(step.get("value_own"), f"cycle[{k}].value_own") - _q(step.get("value_next"),
                                                                        f"cycle[{k}].value_next")
        if c != diff:
            problems.append(f"cycle[{k}].c is {c}, value_own - value_next is {diff}")
        if step.get("allocation") == step.get("next_allocation") and c != 0:
            problems.append(f"cycle[{k}] keeps the allocation {step.get('allocation')}, yet c is {c}")
        total += c
    if _q(cert.get("total"), "total") != total:
        problems.append(f"total is {cert.get('total')}, the steps' c sum to {total}")
    if total >= 0:
        problems.append(f"the total {total} of the cycle is not negative")


def _check_farkas(cert: dict, model: _Model, problems: list) -> None:
    if cert["status"] != "refuted":
        problems.append(f"a Farkas certificate refutes; status is {cert['status']!r}")
    if cert["mechanism"] != "data-driven":
        problems.append("a Farkas certificate here refutes data-driven mechanisms")
    block = _named_block(cert, model)
    who = list(range(1, model.n + 1)) if "every agent" in cert["claim"] else [cert["agent"]]
    _check_claim(cert, cert["mechanism"], who, model.n, problems)
    if cert.get("types") is not None and cert.get("types") != block.labels(block.possible):
        raise _Bad("types are not the block's possible types, in order")
    _compare_tables(cert, block, "block", problems)
    n, K = len(block.possible), len(model.law[0])
    combination = [[Fraction(0)] * K for _ in range(n)]     # sum of y * row, per variable t(b, k)
    total, seen = Fraction(0), set()
    for r, entry in enumerate(_list(cert.get("multipliers"), "multipliers")):
        a, b, y = _list(entry, f"multipliers[{r}]", 3)
        a, b = _int(a, f"multipliers[{r}][0]", 0, n), _int(b, f"multipliers[{r}][1]", 0, n)
        y = _q(y, f"multipliers[{r}][2]")
        if a == b or (a, b) in seen or y <= 0:
            problems.append(f"multipliers[{r}] is not a positive multiplier of a new constraint a != b")
        seen.add((a, b))
        for col, p in enumerate(block.p[a]):
            combination[b][col] += y * p
            combination[a][col] -= y * p
        total += y * block.c(a, b)
    nonzero = [(b, col) for b in range(n) for col in range(K) if combination[b][col] != 0]
    if nonzero:
        problems.append(f"the combination of the constraints is not zero in {len(nonzero)} variables "
                        f"(first: t(type {nonzero[0][0]}, estimate {nonzero[0][1]}))")
    if not seen:
        problems.append("no multipliers")
    _compare(cert.get("total"), total, "total", problems)
    if total >= 0:
        problems.append(f"the combination's right-hand side {total} is not negative")


_CHECKS = {"transfers": _check_transfers, "cycle": _check_cycle, "farkas": _check_farkas}


def _check(cert: dict, problems: list) -> None:
    mechanism = cert.get("mechanism")
    if mechanism not in MECHANISMS:
        raise _Bad(f"mechanism {mechanism!r} is not one of {MECHANISMS}")
    if cert["kind"] == "cycle" and cert.get("model") is None and "grid" in cert:
        _check_cycle(cert, None, problems)
        return
    model = _Model(cert.get("model"), mechanism)
    if mechanism == "message-driven" and cert.get("estimates") is not None:
        problems.append("estimates must be null for a message-driven mechanism")
    if cert.get("outcomes") is not None and cert.get("outcomes") != model.outcomes:
        problems.append("outcomes differ from the model's")
    if mechanism == "data-driven" and cert.get("estimates") is not None \
            and _rats(cert["estimates"], "estimates") != model.estimates:
        problems.append("estimates differ from the model's estimator")
    _CHECKS[cert["kind"]](cert, model, problems)


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
            _check(cert, problems)
    except _Bad as exc:
        problems.append(str(exc))
    except Exception as exc:        # hostile or corrupted input: reject, never crash
        problems.append(f"internal error while checking: {type(exc).__name__}: {exc}"[:300])
    return Report(not problems, [f"{cid}: {p}" for p in problems])
