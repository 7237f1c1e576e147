r"""The independent checker for schematic certificates ("symbolic_mech-schematic-certificate/1").

Part of the trust root: standard library only (no sympy, no engine), and no text is ever
evaluated.  A schematic statement is about *every* instance of a mechanism: any number of
agents, any outcome set, any utilities u_j(x, omega, theta_j), any h_i.  Its terms are JSON
trees over uninterpreted atoms:

* ``["sym", base, sub, primed]``: theta, s, z (second-stage report), omega, omega_hat, alpha,
  beta (an estimator's bias), with the subscript "", "i", "j" or "-i"; ``primed`` marks agent
  i's report (theta_i', s_i', z_i'), the only symbols a report moves;
* ``["fn", name, sub, [args]]``: an uninterpreted function of exactly these arguments: u, a, b
  (u_k = a_k + b_k omega where affinity is granted), h, x* (the allocation), rho, x0, and
  omega_hat (a two-stage estimate computed from second-stage reports);
* ``["num", "p/q"]``, ``["add", ...]``, ``["mul", ...]``;
* ``["E", kind, body]``: ``joint`` is E over (omega, omega_hat) given (theta, s); ``state`` is
  E over omega given (theta, s); ``signal`` is E over omega given s (the true signals);
  ``estimate`` is E over omega_hat given omega (the estimator's law, Assumption 1);
* ``["sum", body]``: the sum over the other agents j != i, for a symbolic number of agents.

The STATEMENT (``statement``, keys :data:`STATEMENT_KEYS`) names the mechanism and the
hypotheses as data; from it alone the checker builds (:func:`build`) agent i's expected payoff
U at an arbitrary report (theta_i', s_i'[, z_i']) with the others truthful, the social
objective W(x') at x' = x*(theta_i', theta_-i, s_i', s_-i) evaluated with the true
information (x*'s defining property: it maximizes W given the true information), agent i's
transfer, and the rules the statement grants.

What a proved certificate shows is U = W(x') + R with no primed symbol in R (and, for the
two-stage mechanism, agent i's transfer free of z_i').  Implementation then follows in one line
that is not replayed, because it is x*'s definition: W(x*(theta, s)) >= W(x') for every x', so
the truthful report maximizes U.  The law of omega_hat given omega depends on nothing else
(Assumption 1), so E_estimate moves with omega only; the expectations are taken to exist.

A normal form (:func:`canon`) decides identities that hold for every instance: polynomial
arithmetic over the atoms with rational coefficients; E and the sum are linear (a sum of
terms splits, a factor free of the operator's bound variables -- omega and omega_hat for
``joint``, omega for ``state``/``signal``, omega_hat for ``estimate``, every j-indexed atom for
the sum -- comes out, the expectation of a constant is the constant); an expectation of one sum
over j is the sum over j of the expectation (a finite sum).  Every other step is an instance of
a named rule (:data:`RULES`) with its substitution: ``tower`` E_joint[A] = E_state[E_estimate[A]]
(the law of omega_hat given omega depends on nothing else); ``independence`` E_state[A] =
E_signal[A] (theta independent of (s, omega)); ``ex-post`` E_estimate[B] = B[omega_hat :=
omega]; ``unbiased`` E_estimate[omega_hat] = omega; ``biased`` E_estimate[omega_hat] = omega +
beta; ``affine`` u_k(X, W, T) = a_k(X, T) + b_k(X, T) W; ``leave-one-out`` omega_hat_-i(omega)
= omega (the others report the state they observe, and the estimate from their reports alone is
the state).  Each instance replaces every occurrence of its left side in the normal form of
the term (equals for equals: each rule holds for every value of its free symbols).

Acceptance rules (each pinned by a mutant in tests/test_schematic_rules.py)
==========================================================================

R1  the certificate has exactly :data:`CERT_KEYS`, the formats, kind "schematic", a status
    proved or inconclusive (a schematic check never refutes: a refutation needs a concrete
    instance and a certified witness, which the kernel certificates carry);
R2  the statement has exactly :data:`STATEMENT_KEYS`, each field one of its listed values,
    the fields consistent with the mechanism (a reference only for the regularized
    mechanism, a second stage only for the two-stage one);
R3  the claim is the statement's text, and the text is :func:`render` of its fields;
R4  every term parses under the whitelist above (depth <= 60, nodes <= 20000; at most 500
    steps);
R5  every step names a rule the statement grants (:func:`granted`): tower only with an
    estimator's law, ex-post / unbiased / biased only for that estimator, affine only for
    affine utilities, leave-one-out only for the two-stage mechanism;
R6  a step's substitution has exactly its rule's variables, and its left side occurs in the
    term it rewrites (the payoff, or the objective: a granted rule applies to both);
R7  the normal form of U_final - W_final equals the normal form of the stated ``remainder``;
R8  proved: no primed symbol occurs in the remainder and, for the two-stage mechanism, none of
    agent i's second-stage report occurs in the transfer; inconclusive: a primed symbol
    occurs, and ``breaking`` is exactly the remainder's monomials that hold one.

>>> st = statement("data-driven-vcg", "ex-post", "any")
>>> c = certificate("p1", st, "proved", [], ["num", "0"], ["num", "0"])
>>> recheck(c).confirmed, recheck(c).problems[0][:43]
(False, 'p1: the remainder is not U_final - W_final:')
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction

FORMAT = "symbolic_mech-schematic-certificate/1"
STATEMENT_FORMAT = "symbolic_mech-schematic-statement/1"
CERT_KEYS = ("format", "id", "claim", "kind", "status", "statement", "steps", "remainder", "breaking")
STATEMENT_KEYS = ("format", "mechanism", "estimator", "utilities", "utility_args", "h_args", "reference_args",
                  "second_stage", "text")
MECHANISMS = ("data-driven-vcg", "regularized", "two-stage")
ESTIMATORS = ("ex-post", "unbiased", "biased")
UTILITIES = ("any", "affine")
UTILITY_ARGS = (("x", "omega", "theta_j"), ("x", "omega", "theta_j", "theta_i"))
H_ARGS = (("theta_-i", "s_-i", "omega_hat"), ("theta_-i", "s_-i", "omega_hat", "theta_i"),
          ("theta_-i", "s_-i", "omega_hat", "s_i"))
REFERENCE_ARGS = ((), ("s",))
SECOND_STAGES = ("leave-one-out", "with-own-report")
MAX_DEPTH, MAX_NODES, MAX_STEPS = 60, 20000, 500
SYMBOLS = {"theta": ("i", "j", "-i"), "s": ("i", "j", "-i"), "z": ("i", "-i"), "omega": ("",), "omega_hat": ("",),
           "alpha": ("",), "beta": ("",)}
FUNCTIONS = {"u": ("i", "j"), "a": ("i", "j"), "b": ("i", "j"), "h": ("i",), "x*": ("",), "rho": ("",),
             "x0": ("",), "omega_hat": ("-i", "")}
BOUND = {"joint": ("omega", "omega_hat"), "state": ("omega",), "signal": ("omega",), "estimate": ("omega_hat",)}
_RAT = re.compile(r"-?[0-9]{1,400}(/[0-9]{1,400})?")


class Bad(Exception):
    """The certificate is malformed or does not prove its statement; the message says why."""


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`recheck`: confirmed iff there are no problems."""

    confirmed: bool
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    id: str = ""


# ---------------------------------------------------------------------------
# terms
# ---------------------------------------------------------------------------

def sym(base: str, sub: str = "", primed: bool = False) -> list:
    """A symbol: ``sym("theta", "i", True)`` is agent i's reported type theta_i'.

    >>> primed(sym("theta", "i", True)), primed(sym("theta", "-i"))
    (True, False)
    """
    return ["sym", base, sub, primed]


def fn(name: str, sub: str, args: list) -> list:
    """An uninterpreted function of exactly ``args``.

    >>> fn("h", "i", [OMEGA_HAT])
    ['fn', 'h', 'i', [['sym', 'omega_hat', '', False]]]
    """
    return ["fn", name, sub, list(args)]


def add(*terms) -> list:
    """A sum of terms.

    >>> tree(canon(add(num(1), num("1/2"))))
    ['num', '3/2']
    """
    return ["add", *terms]


def mul(*terms) -> list:
    """A product of terms.

    >>> tree(canon(mul(num(2), num(3))))
    ['num', '6']
    """
    return ["mul", *terms]


def num(q) -> list:
    """A rational constant.

    >>> num("2/4")
    ['num', '1/2']
    """
    return ["num", str(Fraction(q))]


def E(kind: str, body) -> list:
    """An expectation: ``kind`` is joint, state, signal or estimate (module docstring).

    >>> tree(canon(E("signal", num(3))))
    ['num', '3']
    """
    return ["E", kind, body]


def total(body) -> list:
    """The sum over the other agents j != i.

    >>> tree(canon(total(mul(sym("theta", "i"), fn("u", "j", [OMEGA])))))[0]
    'mul'
    """
    return ["sum", body]


OMEGA, OMEGA_HAT = sym("omega"), sym("omega_hat")


def check_term(t, depth: int = 0, count=None) -> None:
    """Raise :class:`Bad` unless ``t`` is a term of the whitelist (rule R4).

    >>> check_term(sym("omega", "", True))
    Traceback (most recent call last):
    ...
    symbolic_mech.core.schematic_checker.Bad: not a symbol of the statements: ['sym', 'omega', '', True]
    """
    count = [0] if count is None else count
    count[0] += 1
    if depth > MAX_DEPTH or count[0] > MAX_NODES:
        raise Bad(f"a term is larger than the limits (depth {MAX_DEPTH}, {MAX_NODES} nodes)")
    if not isinstance(t, list) or not t or not isinstance(t[0], str):
        raise Bad(f"not a term: {str(t)[:60]}")
    head = t[0]
    if head == "sym":
        if len(t) != 4 or t[1] not in SYMBOLS or t[2] not in SYMBOLS[t[1]] or not isinstance(t[3], bool) \
                or (t[3] and (t[1] not in ("theta", "s", "z") or t[2] != "i")):
            raise Bad(f"not a symbol of the statements: {str(t)[:60]}")
    elif head == "fn":
        if len(t) != 4 or t[1] not in FUNCTIONS or t[2] not in FUNCTIONS[t[1]] or not isinstance(t[3], list):
            raise Bad(f"not a function of the statements: {str(t)[:60]}")
        for a in t[3]:
            check_term(a, depth + 1, count)
    elif head == "num":
        if len(t) != 2 or not isinstance(t[1], str) or not _RAT.fullmatch(t[1]) or t[1].endswith("/0"):
            raise Bad(f"not a rational: {str(t)[:60]}")
    elif head in ("add", "mul"):
        for a in t[1:]:
            check_term(a, depth + 1, count)
    elif head == "E":
        if len(t) != 3 or t[1] not in BOUND:
            raise Bad(f"not an expectation: {str(t)[:60]}")
        check_term(t[2], depth + 1, count)
    elif head == "sum":
        if len(t) != 2:
            raise Bad("a sum over j != i has one body")
        check_term(t[1], depth + 1, count)
    else:
        raise Bad(f"unknown term {head!r}")


def _key(t) -> str:
    return json.dumps(t, separators=(",", ":"))


def _free(t) -> set:
    """The free state variables of a term ("omega", "omega_hat")."""
    head = t[0]
    if head == "sym":
        return {t[1]} if t[1] in ("omega", "omega_hat") else set()
    if head == "fn":
        return set().union(*map(_free, t[3])) if t[3] else set()
    if head == "E":
        # the estimator's law is given omega: E_estimate[B] is a function of omega
        return (_free(t[2]) - set(BOUND[t[1]])) | ({"omega"} if t[1] == "estimate" else set())
    if head == "sum":
        return _free(t[1])
    if head == "num":
        return set()
    return set().union(*map(_free, t[1:])) if t[1:] else set()


def _has(t, test) -> bool:
    if test(t):
        return True
    if t[0] == "fn":
        return any(_has(a, test) for a in t[3])
    if t[0] in ("add", "mul", "sum"):
        return any(_has(a, test) for a in t[1:])
    if t[0] == "E":
        return _has(t[2], test)
    return False


def primed(t) -> bool:
    """Whether a primed symbol (agent i's report) occurs in ``t``.

    >>> primed(E("signal", fn("u", "j", [fn("x*", "", [sym("s", "i", True)]), OMEGA])))
    True
    """
    return _has(t, lambda n: n[0] == "sym" and n[3])


def second_stage_report(t) -> bool:
    """Whether agent i's second-stage report z_i' occurs in ``t``.

    >>> second_stage_report(fn("omega_hat", "", [sym("z", "i", True), OMEGA]))
    True
    """
    return _has(t, lambda n: n[0] == "sym" and n[1] == "z" and n[3])


def _indexed(t) -> bool:
    return _has(t, lambda n: n[0] in ("sym", "fn") and n[2] == "j")


# ---------------------------------------------------------------------------
# the normal form: {monomial: coefficient}, a monomial a sorted tuple of atom keys (with repeats)
# ---------------------------------------------------------------------------

def _times(p: dict, q: dict) -> dict:
    out: dict = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2))
            out[m] = out.get(m, 0) + c1 * c2
    return {m: c for m, c in out.items() if c}


def _plus(p: dict, q: dict, k=1) -> dict:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, 0) + k * c
    return {m: c for m, c in out.items() if c}


def _atom(t) -> dict:
    return {(_key(t),): Fraction(1)}


def tree(p: dict) -> list:
    """The canonical term of a normal form.

    >>> tree(canon(add(OMEGA, OMEGA)))
    ['mul', ['num', '2'], ['sym', 'omega', '', False]]
    """
    terms = []
    for m in sorted(p):
        factors = [json.loads(k) for k in m]
        c = p[m]
        if c != 1 or not factors:
            factors = [num(c)] + factors
        terms.append(factors[0] if len(factors) == 1 else mul(*factors))
    if not terms:
        return num(0)
    return terms[0] if len(terms) == 1 else add(*terms)


def _operator(head: str, kind, body: dict) -> dict:
    """E_kind[body] or the sum over j of body, by linearity: a factor the operator does not bind
    comes out; what stays inside is one atom."""
    out: dict = {}
    for m, c in body.items():
        factors = [json.loads(k) for k in m]
        bound = (lambda f: bool(_free(f) & set(BOUND[kind]))) if head == "E" else _indexed
        inside = [f for f in factors if bound(f)]
        part = {tuple(sorted(_key(f) for f in factors if not bound(f))): c}
        sums = [f for f in inside if f[0] == "sum"]
        rest = [f for f in inside if f[0] != "sum"]
        if head == "E" and len(sums) == 1 and not any(map(_indexed, rest)):
            # E[R sum_j A] = sum_j E[R A] for R free of j: a finite sum
            inner = canon(total(E(kind, mul(*rest, sums[0][1]))))
            out = _plus(out, _times(part, inner))
            continue
        if not inside and head == "E":
            out = _plus(out, part)
            continue
        body_tree = tree({tuple(sorted(map(_key, inside))): Fraction(1)})
        out = _plus(out, _times(part, _atom([head, kind, body_tree] if head == "E" else [head, body_tree])))
    return out


def canon(t) -> dict:
    """The normal form of a term (see the module docstring); equal normal forms are equal
    terms in every instance.

    >>> theta = sym("theta", "i")
    >>> canon(E("signal", mul(theta, OMEGA))) == canon(mul(theta, E("signal", OMEGA)))
    True
    >>> canon(E("signal", mul(OMEGA, OMEGA))) == canon(mul(OMEGA, E("signal", OMEGA)))
    False
    """
    head = t[0]
    if head == "num":
        q = Fraction(t[1])
        return {(): q} if q else {}
    if head == "sym":
        return _atom(t)
    if head == "fn":
        return _atom(["fn", t[1], t[2], [tree(canon(a)) for a in t[3]]])
    if head == "add":
        out: dict = {}
        for a in t[1:]:
            out = _plus(out, canon(a))
        return out
    if head == "mul":
        out = {(): Fraction(1)}
        for a in t[1:]:
            out = _times(out, canon(a))
        return out
    if head == "E":
        return _operator("E", t[1], canon(t[2]))
    return _operator("sum", None, canon(t[1]))


def _replace(t, old: str, new, hits: list):
    """``t`` with every subterm whose key is ``old`` replaced by ``new``."""
    if _key(t) == old:
        hits.append(1)
        return new
    head = t[0]
    if head == "fn":
        return ["fn", t[1], t[2], [_replace(a, old, new, hits) for a in t[3]]]
    if head in ("add", "mul", "sum"):
        return [head, *[_replace(a, old, new, hits) for a in t[1:]]]
    if head == "E":
        return ["E", t[1], _replace(t[2], old, new, hits)]
    return t


# ---------------------------------------------------------------------------
# rules: (variables, left side, right side) from a substitution
# ---------------------------------------------------------------------------

def _hat_to_omega(t):
    """``t`` with omega_hat replaced by omega where it is free.  Under an expectation that binds
    omega but not omega_hat the replacement would be captured (the outer omega would become the
    bound one): such a term is refused, not rewritten."""
    if t == OMEGA_HAT:
        return OMEGA
    head = t[0]
    if head == "fn":
        return ["fn", t[1], t[2], [_hat_to_omega(a) for a in t[3]]]
    if head in ("add", "mul", "sum"):
        return [head, *map(_hat_to_omega, t[1:])]
    if head == "E" and "omega_hat" not in BOUND[t[1]]:
        if "omega" in BOUND[t[1]] and "omega_hat" in _free(t[2]):
            raise Bad("rule ex-post: omega_hat under an expectation that binds omega would be captured")
        return ["E", t[1], _hat_to_omega(t[2])]
    return t


RULES = {
    "tower": (("A",), lambda v: (E("joint", v["A"]), E("state", E("estimate", v["A"])))),
    "independence": (("A",), lambda v: (E("state", v["A"]), E("signal", v["A"]))),
    "ex-post": (("B",), lambda v: (E("estimate", v["B"]), _hat_to_omega(v["B"]))),
    "unbiased": ((), lambda v: (E("estimate", OMEGA_HAT), OMEGA)),
    "biased": ((), lambda v: (E("estimate", OMEGA_HAT), add(OMEGA, sym("beta")))),
    "affine": (("k", "X", "W", "T"), lambda v: (fn("u", v["k"], [v["X"], v["W"], v["T"]]),
                                                add(fn("a", v["k"], [v["X"], v["T"]]),
                                                    mul(fn("b", v["k"], [v["X"], v["T"]]), v["W"])))),
    "leave-one-out": ((), lambda v: (fn("omega_hat", "-i", [OMEGA]), OMEGA)),
}


def granted(stmt: dict) -> set:
    """The rules a statement grants (R5).

    >>> sorted(granted(statement("data-driven-vcg", "biased", "affine")))
    ['affine', 'biased', 'independence', 'tower']
    """
    rules = {"independence"}
    if stmt["mechanism"] == "two-stage":
        rules.add("leave-one-out")
    else:
        rules |= {"tower", stmt["estimator"]}
    if stmt["utilities"] == "affine":
        rules.add("affine")
    return rules


def instance(rule: str, subst: dict) -> tuple:
    """The rule's left and right sides under ``subst`` (R6: exactly its variables).

    >>> instance("unbiased", {})
    (['E', 'estimate', ['sym', 'omega_hat', '', False]], ['sym', 'omega', '', False])
    """
    names, sides = RULES[rule]
    if not isinstance(subst, dict) or set(subst) != set(names):
        raise Bad(f"rule {rule} takes exactly the variables {list(names)}")
    for name, value in subst.items():
        if name == "k":
            if value not in ("i", "j"):
                raise Bad("rule affine: k is i or j")
        else:
            check_term(value)
    return sides(subst)


# ---------------------------------------------------------------------------
# statements: the payoff, the objective and the transfer, built from the fields
# ---------------------------------------------------------------------------

def statement(mechanism: str, estimator: str, utilities: str, utility_args=UTILITY_ARGS[0], h_args=H_ARGS[0],
              reference_args=None, second_stage=None) -> dict:
    """A schematic statement with its text rendered from its fields.

    >>> statement("data-driven-vcg", "unbiased", "affine")["text"][:56]
    'data-driven VCG (Definition 6), any $n$, any outcome set'
    """
    st = {"format": STATEMENT_FORMAT, "mechanism": mechanism, "estimator": estimator, "utilities": utilities,
          "utility_args": list(utility_args), "h_args": list(h_args),
          "reference_args": None if reference_args is None else list(reference_args), "second_stage": second_stage}
    st["text"] = render(st)
    return st


def _fields(st) -> None:
    if not isinstance(st, dict) or set(st) != set(STATEMENT_KEYS) or st["format"] != STATEMENT_FORMAT:
        raise Bad(f"the statement must have exactly the keys {list(STATEMENT_KEYS)} and format {STATEMENT_FORMAT!r}")
    ok = (st["mechanism"] in MECHANISMS and st["estimator"] in ESTIMATORS and st["utilities"] in UTILITIES
          and isinstance(st["utility_args"], list) and tuple(st["utility_args"]) in UTILITY_ARGS
          and isinstance(st["h_args"], list) and tuple(st["h_args"]) in H_ARGS)
    if not ok:
        raise Bad("a statement field is not one of its listed values")
    if (st["reference_args"] is None) != (st["mechanism"] != "regularized") or (
            st["reference_args"] is not None and (not isinstance(st["reference_args"], list)
                                                  or tuple(st["reference_args"]) not in REFERENCE_ARGS)):
        raise Bad("a reference x0 is stated exactly for the regularized mechanism")
    if (st["second_stage"] is None) != (st["mechanism"] != "two-stage") or (
            st["second_stage"] is not None and st["second_stage"] not in SECOND_STAGES):
        raise Bad("a second stage is stated exactly for the two-stage mechanism")
    if st["mechanism"] == "two-stage" and st["estimator"] != "ex-post":
        raise Bad("the two-stage mechanism is stated for the ex-post case (Corollary 1)")
    if st["utilities"] == "affine" and len(st["utility_args"]) != 3:
        raise Bad("affinity is stated for utilities u_j(x, omega, theta_j)")


def render(st: dict) -> str:
    """The statement's text, from its fields.

    >>> render(statement("two-stage", "ex-post", "any", second_stage="leave-one-out"))[:50]
    'two-stage data-driven VCG (equation 5), first stag'
    """
    mech = {"data-driven-vcg": "data-driven VCG (Definition 6)",
            "regularized": r"$\alpha$-regularized data-driven VCG (Definition 9)",
            "two-stage": "two-stage data-driven VCG (equation 5), first stage"}[st["mechanism"]]
    est = {"ex-post": r"$\hat\omega = \omega$", "unbiased": r"$\mathbb{E}[\hat\omega \mid \omega] = \omega$",
           "biased": r"$\mathbb{E}[\hat\omega \mid \omega] = \omega + \beta$"}[st["estimator"]]
    if st["mechanism"] == "two-stage":
        est = (r"each agent observes $\omega$, the others report it, and agent $i$'s transfer uses the estimate "
               + (r"$\hat\omega_{-i}(z_{-i})$ from the others' reports" if st["second_stage"] == "leave-one-out"
                  else r"$\hat\omega(z_i, z_{-i})$ from every report"))
    util = "u_j(" + ", ".join(map(_tex, st["utility_args"])) + ")" + (
        r" = a_j(x, \theta_j) + b_j(x, \theta_j) \omega" if st["utilities"] == "affine" else "")
    ref = {None: "", (): r"; any $\alpha$ and $\rho$, a reference $x_0$ free of the reports",
           ("s",): r"; any $\alpha$ and $\rho$, the reference $x_0(s)$ of the reported signals"}[
        None if st["reference_args"] is None else tuple(st["reference_args"])]
    report = r"\theta_i', s_i'" + (", z_i'" if st["mechanism"] == "two-stage" else "")
    return (f"{mech}, any $n$, any outcome set, any ${util}$, any $h_i({', '.join(map(_tex, st['h_args']))})${ref}; "
            rf"{est}; $\theta$ independent of $(s, \omega)$: agent $i$'s expected payoff at any report $({report})$ "
            r"with the others truthful is the objective at $x^*(\theta_i', \theta_{-i}, s_i', s_{-i})$ given the true "
            "information plus a term free of the report")


_TEX = {"omega": r"\omega", "omega_hat": r"\hat\omega", "theta_j": r"\theta_j", "theta_i": r"\theta_i",
        "theta_-i": r"\theta_{-i}", "s_-i": r"s_{-i}", "s_i": "s_i", "x": "x"}


def _tex(name: str) -> str:
    return _TEX[name]


def build(st: dict) -> dict:
    """From the statement alone: agent i's ``payoff`` U at the report, the ``objective``
    W(x') with the true information, and i's ``transfer`` at the report.

    >>> built = build(statement("data-driven-vcg", "ex-post", "any"))
    >>> built["payoff"][:2], primed(built["transfer"]), primed(built["objective"])
    (['E', 'joint'], True, True)
    """
    truth = {"theta_i": sym("theta", "i"), "s_i": sym("s", "i"), "theta_-i": sym("theta", "-i"),
             "s_-i": sym("s", "-i"), "theta_j": sym("theta", "j"), "omega": OMEGA, "s": None}
    report = dict(truth, theta_i=sym("theta", "i", True), s_i=sym("s", "i", True))
    x1 = fn("x*", "", [report["theta_i"], truth["theta_-i"], report["s_i"], truth["s_-i"]])
    two = st["mechanism"] == "two-stage"
    if not two:
        estimate = OMEGA_HAT
    elif st["second_stage"] == "leave-one-out":
        estimate = fn("omega_hat", "-i", [OMEGA])          # the others' truthful reports z_-i = omega
    else:
        estimate = fn("omega_hat", "", [sym("z", "i", True), OMEGA])

    def u(k, x, w, values):
        args = [x, w, values["theta_" + k]] + ([values["theta_i"]] if k == "j" and len(st["utility_args"]) == 4 else [])
        return fn("u", k, args)

    def reference(values):
        args = [values["s_i"], values["s_-i"]] if st["reference_args"] == ["s"] else []
        return mul(num(-1), sym("alpha"), fn("rho", "", [x1, fn("x0", "", args)]))

    h = fn("h", "i", [estimate if a == "omega_hat" else report[a] for a in st["h_args"]])
    transfer = add(h, total(u("j", x1, estimate, report)))
    objective = add(u("i", x1, OMEGA, truth), total(u("j", x1, OMEGA, truth)))
    if st["mechanism"] == "regularized":
        transfer = add(transfer, reference(report))
    payoff = E("state" if two else "joint", add(u("i", x1, OMEGA, truth), transfer))
    objective = E("signal", objective)
    if st["mechanism"] == "regularized":
        objective = add(objective, reference(truth))
    return {"payoff": payoff, "objective": objective, "transfer": transfer, "allocation": x1}


def certificate(id: str, st: dict, status: str, steps: list, remainder, breaking) -> dict:
    """A schematic certificate: the statement, the steps and the stated remainder.

    >>> sorted(certificate("c", statement("data-driven-vcg", "ex-post", "any"), "proved", [], num(0), num(0)))
    ['breaking', 'claim', 'format', 'id', 'kind', 'remainder', 'statement', 'status', 'steps']
    """
    return {"format": FORMAT, "id": id, "claim": st["text"], "kind": "schematic", "status": status,
            "statement": st, "steps": steps, "remainder": remainder, "breaking": breaking}


def replay_steps(st: dict, steps) -> dict:
    """U and W(x') after the certificate's steps (R5, R6).

    >>> st = statement("data-driven-vcg", "ex-post", "any")
    >>> replay_steps(st, [{"rule": "unbiased", "subst": {}, "side": "payoff"}])
    Traceback (most recent call last):
    ...
    symbolic_mech.core.schematic_checker.Bad: step 0 uses the rule 'unbiased', which the statement does not grant
    """
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise Bad(f"steps must be a list of at most {MAX_STEPS}")
    current = initial(st)
    for k, step in enumerate(steps):
        current = apply_step(st, current, k, step)
    return current


def initial(st: dict) -> dict:
    """U and W(x') as the statement builds them, in normal form (R5)."""
    terms = build(st)
    return {"payoff": tree(canon(terms["payoff"])), "objective": tree(canon(terms["objective"]))}


def apply_step(st: dict, current: dict, k: int, step) -> dict:
    """``current`` after step ``k`` (R6): a rule the statement grants, whose left side occurs
    in the side it rewrites; a new dict, ``current`` is left as it was."""
    if not isinstance(step, dict) or set(step) != {"rule", "subst", "side"} or step["side"] not in current:
        raise Bad(f"step {k} must be {{rule, subst, side: payoff | objective}}")
    if step["rule"] not in RULES or step["rule"] not in granted(st):
        raise Bad(f"step {k} uses the rule {str(step['rule'])[:40]!r}, which the statement does not grant")
    lhs, rhs = instance(step["rule"], step["subst"])
    hits: list = []
    rewritten = _replace(current[step["side"]], _key(tree(canon(lhs))), rhs, hits)
    if not hits:
        raise Bad(f"step {k} ({step['rule']}): its left side does not occur in the {step['side']}")
    return {**current, step["side"]: tree(canon(rewritten))}


def check(cert) -> None:
    """Raise :class:`Bad` unless the certificate proves what its status says (R1-R8).

    >>> check({"format": FORMAT})
    Traceback (most recent call last):
    ...
    symbolic_mech.core.schematic_checker.Bad: a schematic certificate has exactly the keys ...
    """
    if not isinstance(cert, dict) or set(cert) != set(CERT_KEYS) or cert["format"] != FORMAT \
            or cert["kind"] != "schematic":
        raise Bad(f"a schematic certificate has exactly the keys {list(CERT_KEYS)}, format {FORMAT!r}, kind schematic")
    if cert["status"] not in ("proved", "inconclusive"):
        raise Bad("a schematic certificate is proved or inconclusive (a refutation needs a concrete instance)")
    st = cert["statement"]
    _fields(st)
    if st["text"] != render(st) or cert["claim"] != st["text"]:
        raise Bad("the claim is not the statement's text rendered from its fields")
    check_term(cert["remainder"])
    check_term(cert["breaking"])
    final = replay_steps(st, cert["steps"])
    difference = _plus(canon(final["payoff"]), canon(final["objective"]), -1)
    if difference != canon(cert["remainder"]):
        raise Bad("the remainder is not U_final - W_final: does not match the replayed steps")
    moving = {m: c for m, c in difference.items() if any(primed(json.loads(a)) for a in m)}
    if cert["status"] == "proved":
        if moving:
            raise Bad(f"proved, but the remainder moves with the report: {tree(moving)}")
        if st["mechanism"] == "two-stage" and second_stage_report(build(st)["transfer"]):
            raise Bad("proved, but agent i's transfer depends on her second-stage report")
    elif not moving or canon(cert["breaking"]) != moving:
        raise Bad("inconclusive, but the breaking term is not the remainder's part that holds a primed symbol")


def recheck(cert) -> Report:
    """Check a schematic certificate; every failure is a problem string, never an exception.

    >>> recheck([]).problems
    ["<no id>: a schematic certificate has exactly the keys ['format', 'id', 'claim', 'kind', 'status', \
'statement', 'steps', 'remainder', 'breaking'], format 'symbolic_mech-schematic-certificate/1', kind schematic"]
    """
    cid = cert.get("id") if isinstance(cert, dict) and isinstance(cert.get("id"), str) else "<no id>"
    try:
        check(cert)
    except Bad as exc:
        return Report(False, [f"{cid}: {exc}"], [], cid)
    except RecursionError:
        return Report(False, [f"{cid}: too deeply nested to check"], [], cid)
    except Exception as exc:        # hostile input: reject, never crash
        return Report(False, [f"{cid}: internal error while checking: {type(exc).__name__}"], [], cid)
    note = ("schematic: U - W(x') is free of the report" if cert["status"] == "proved"
            else "schematic: a term with a primed symbol remains")
    return Report(True, [], [note], cid)
