r"""Schematic checks: the exact-implementation results for every n, every utility and every h_i.

The paper's Groves argument does not depend on the instance: agent i's expected payoff at an
arbitrary report (theta_i', s_i') equals the social objective at x' = x*(theta_i', theta_-i,
s_i', s_-i), evaluated with the true information, plus a term the report does not move; by
x*'s defining property (it maximizes that objective) the truth is optimal.  Here u_j(x, omega,
theta_j), h_i(theta_-i, s_-i, omega_hat), rho(x, x0(...)), x0(...) and x*(theta, s) are
uninterpreted functions of exactly the arguments a statement allows, agent i stands beside a
sum over the others j != i for a symbolic number of agents, and the expectations given s and
the estimator's law given omega are linear operators with exactly the rules the statement
grants (:mod:`symbolic_mech.core.schematic_checker` has the terms, the normal form and the
rules; it builds the payoff and the objective from the statement).

:func:`schematic_check` searches for the rule instances (the tower property, the independence
of theta from (s, omega), the estimator's rule, affinity where granted), applies each to the
payoff and the objective until none applies, and states what remains.

Verdict semantics
=================

* ``proved``: the remainder U - W(x') holds no primed symbol (and, for the two-stage
  mechanism, agent i's transfer holds none of her second-stage report), and the independent
  checker confirms the certificate: every step an instance of a granted rule, the remainder
  recomputed.  The statement then holds for every instance of its hypotheses.
* ``inconclusive``: a term with a primed symbol remains; the evidence names it (``breaking``).
  The schematic layer never refutes: a remaining term may vanish in particular instances
  (for a utility with b_j = 0 the bias term is zero), so the universal claim fails only where
  a concrete instance fails, and that is a kernel verdict with a certified witness
  (``refuted_by`` names it: a check of another result, such as ``example5/example5-witness``).
  A negative control of a schematic result is therefore *expected* inconclusive, with its
  breaking term, and its concrete refutation stands beside it.

>>> from symbolic_mech.core.schematic_checker import statement
>>> v = schematic_check(statement("data-driven-vcg", "ex-post", "any"), id="p1")
>>> v.status, v.evidence["breaking"]
('proved', '0')
>>> v = schematic_check(statement("data-driven-vcg", "biased", "affine"), id="biased")
>>> v.status, v.evidence["breaking"]
('inconclusive', "\\beta \\sum_{j \\neq i} b_{j}(x', \\theta_{j})")
"""
from __future__ import annotations

import json

from .core import schematic_checker as sc
from .core.kernel import INCONCLUSIVE, PROVED, Verdict

__all__ = ["schematic_check", "derivation", "show", "statement"]

statement = sc.statement

_SYMBOLS = {"theta": r"\theta", "s": "s", "z": "z", "omega": r"\omega", "omega_hat": r"\hat\omega",
            "alpha": r"\alpha", "beta": r"\beta"}
_E = {"joint": r"\mathbb{E}_{\omega, \hat\omega \mid \theta, s}", "state": r"\mathbb{E}_{\omega \mid \theta, s}",
      "signal": r"\mathbb{E}_{\omega \mid s}", "estimate": r"\mathbb{E}_{\hat\omega \mid \omega}"}
_FUNCTIONS = {"omega_hat": r"\hat\omega", "rho": r"\rho", "x0": "x_0", "x*": "x^*"}
_X1 = sc.fn("x*", "", [sc.sym("theta", "i", True), sc.sym("theta", "-i"), sc.sym("s", "i", True), sc.sym("s", "-i")])


def show(t) -> str:
    r"""A term in the paper's notation, as TeX (to be written between ``$`` signs); x' is
    x*(θ_i', θ_-i, s_i', s_-i).

    >>> show(sc.E("signal", sc.total(sc.fn("u", "j", [_X1, sc.OMEGA, sc.sym("theta", "j")]))))
    "\\mathbb{E}_{\\omega \\mid s}[\\sum_{j \\neq i} u_{j}(x', \\omega, \\theta_{j})]"
    """
    head = t[0]
    if t == _X1:
        return "x'"
    if head == "sym":
        return _SYMBOLS[t[1]] + (f"_{{{t[2]}}}" if t[2] else "") + ("'" if t[3] else "")
    if head == "fn":
        name = _FUNCTIONS.get(t[1], t[1]) + (f"_{{{t[2]}}}" if t[2] else "")
        # a reference free of the reports is a constant: x0, as the paper writes it
        return f"{name}({', '.join(map(show, t[3]))})" if t[3] else name
    if head == "num":
        return t[1]
    if head == "E":
        return f"{_E[t[1]]}[{show(t[2])}]"
    if head == "sum":
        return rf"\sum_{{j \neq i}} {_factor(t[1])}"
    if head == "mul":
        coefficient = t[1][1] if t[1][0] == "num" else None
        # symbols first: α ρ(...), as the paper writes them
        factors = [_factor(f) for f in sorted(t[2:] if coefficient else t[1:], key=lambda f: f[0] != "sym")]
        sign = {"-1": "-", None: "", "1": ""}.get(coefficient, f"{coefficient} ")
        return sign + " ".join(factors)
    text = show(t[1])
    for term in t[2:]:
        shown = show(term)
        text += f" - {shown[1:]}" if shown.startswith("-") else f" + {shown}"
    return text


def _factor(t) -> str:
    return f"({show(t)})" if t[0] == "add" else show(t)


def _nodes(t):
    yield t
    if t[0] == "fn":
        for a in t[3]:
            yield from _nodes(a)
    elif t[0] in ("add", "mul", "sum"):
        for a in t[1:]:
            yield from _nodes(a)
    elif t[0] == "E":
        yield from _nodes(t[2])


def _candidate(rule: str, node):
    """The substitution that makes ``node`` the rule's left side, if it does."""
    if rule in ("tower", "independence", "ex-post") and node[0] == "E" \
            and node[1] == {"tower": "joint", "independence": "state", "ex-post": "estimate"}[rule]:
        return {"ex-post": "B"}.get(rule, "A"), node[2]
    if rule in ("unbiased", "biased") and node == sc.E("estimate", sc.OMEGA_HAT):
        return {}
    if rule == "leave-one-out" and node == sc.fn("omega_hat", "-i", [sc.OMEGA]):
        return {}
    if rule == "affine" and node[0] == "fn" and node[1] == "u" and len(node[3]) == 3:
        return {"k": node[2], "X": node[3][0], "W": node[3][1], "T": node[3][2]}
    return None


_ORDER = ("tower", "independence", "leave-one-out", "affine", "ex-post", "unbiased", "biased")


def _steps(st: dict) -> list:
    """Rule instances, one at a time, until none of the granted rules applies."""
    steps, rules = [], [r for r in _ORDER if r in sc.granted(st)]
    current = sc.initial(st)
    for _ in range(200):
        found = None
        for rule in rules:
            for side in ("payoff", "objective"):
                for node in _nodes(current[side]):
                    match = _candidate(rule, node)
                    if match is not None:
                        subst = dict([match]) if isinstance(match, tuple) else match
                        found = {"rule": rule, "subst": subst, "side": side}
                        break
                if found:
                    break
            if found:
                break
        if found is None:
            return steps
        current = sc.apply_step(st, current, len(steps), found)    # the checker's own rewriting
        steps.append(found)
    raise RuntimeError("the rewriting did not end within 200 steps")


def derivation(verdict: Verdict) -> list:
    """The certificate's steps as ``(title, tex)``: the payoff and the objective as built, then
    each rule instance with the side it rewrites and that side after it, in the paper's notation
    (titles TeX in words, the terms TeX to be written between ``$`` signs).

    >>> v = schematic_check(statement("data-driven-vcg", "ex-post", "any"), id="p1")
    >>> [title for title, _ in derivation(v)][2]
    'step 1, tower (the payoff)'
    """
    cert = verdict.certificate
    st, steps = cert["statement"], cert["steps"]
    built = sc.build(st)
    out = [("agent $i$'s expected payoff $U$ at the report", show(built["payoff"])),
           (r"the objective $W(x')$ at $x' = x^*(\theta_i', \theta_{-i}, s_i', s_{-i})$, with the true information",
            show(built["objective"]))]
    current = sc.initial(st)
    for k, step in enumerate(steps, 1):
        current = sc.apply_step(st, current, k - 1, step)
        out.append((f"step {k}, {step['rule']} (the {step['side']})", show(current[step["side"]])))
    out.append(("$U - W(x')$, the remainder", show(cert["remainder"])))
    return out


def schematic_check(st: dict, *, id: str, description: str | None = None, refuted_by: str | None = None) -> Verdict:
    """Check a schematic statement: ``proved`` or ``inconclusive`` (see the module docstring).

    The verdict's claim is the statement's text (the checker renders it from the fields);
    ``description``, the caller's words, goes to the evidence.  ``refuted_by`` names a kernel
    check of a concrete instance that refutes the statement's claim (shown in the evidence of
    an inconclusive verdict).

    >>> v = schematic_check(statement("two-stage", "ex-post", "any", second_stage="with-own-report"), id="c")
    >>> v.status, v.evidence["rules"]
    ('inconclusive', ['independence'])
    """
    steps = _steps(st)
    final = sc.replay_steps(st, steps)
    difference = sc._plus(sc.canon(final["payoff"]), sc.canon(final["objective"]), -1)
    moving = {m: c for m, c in difference.items() if any(sc.primed(json.loads(a)) for a in m)}
    two_stage_moves = st["mechanism"] == "two-stage" and sc.second_stage_report(sc.build(st)["transfer"])
    status = INCONCLUSIVE if moving or two_stage_moves else PROVED
    remainder, breaking = sc.tree(difference), sc.tree(moving)
    cert = sc.certificate(id, st, status, steps, remainder, breaking)
    evidence = {"schematic": f"{len(steps)} rule steps, remainder ${show(remainder)}$",
                "payoff": show(sc.build(st)["payoff"]), "objective": show(sc.build(st)["objective"]),
                "rules": sorted({s["rule"] for s in steps}), "remainder": show(remainder), "breaking": show(breaking)}
    if description is not None:
        evidence["description"] = description
    if status == INCONCLUSIVE:
        evidence["reason"] = (f"the term ${show(breaking)}$ remains and moves with the report"
                              + (f"; a concrete instance refutes the claim: {refuted_by}" if refuted_by else ""))
        if refuted_by:
            evidence["refuted_by"] = refuted_by
    report = sc.recheck(cert)
    if not report.confirmed:
        evidence["reason"] = "the checker does not confirm the certificate: " + "; ".join(report.problems)
        status = INCONCLUSIVE
    return Verdict(id, st["text"], status, evidence, cert)
