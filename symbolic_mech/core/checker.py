r"""The independent checker: a kernel certificate ("symbolic_mech-certificate/1") proves its statement.

Trust this short module, not the long search (de Bruijn).  It imports only
the standard library, python-flint and its siblings :mod:`.posteriors` and
:mod:`.simulate` (numpy, to re-run a statement's Monte Carlo); it never
imports sympy or the engine, and never evaluates text (no eval, exec, sympify or parse_expr).
Expression trees are parsed under a whitelist into a small hash-consed DAG of
our own.

A certificate is a formal STATEMENT and EVIDENCE.  The statement
(``"symbolic_mech-statement/1"``, keys :data:`STATEMENT_KEYS`) is what the
verdict is about: the relation (``identity``: lhs = rhs; ``positive``: lhs >
0; ``nonnegative``: lhs >= 0), both sides as trees, the quantifier (for every
point of the domains, or at the listed ``points`` only), the domains (derived
by the engine from the model's supports and the symbols' assumptions), the
model (an information structure as data), the model's other named quantities
(``definitions``), the expectation it states over the model (null or a
record, below), and the claim in words.  Its :func:`fingerprint` is what a catalogue pins.

What :func:`recheck` checks
===========================

The statement (:func:`_stated`), before any evidence:

* S1 the statement has exactly the keys and format; the relation is one of
  the three and matches the certificate's kind;
* S2 the certificate's claim is the statement's claim;
* S3 the certificate carries none of :data:`STATEMENT_OWNED` (residual,
  domains, definitions, sign, quantifier, Monte Carlo requirement): each is
  rebuilt here from the statement -- the residual is ``lhs - rhs``;
* S4 a claim about given points is a sign; a proof checks exactly the
  statement's points, a refutation's witness is one of them;
* S5 definitions: a plain symbol is never defined; the statement defines only
  named functions of the model (a Function node named like ``Z[1,2]`` or
  ``R[3|1,2]``), never a posterior atom or a look-alike of one; the model's
  variances and Beta parameters are shown positive, its trials positive
  integers, on the statement's domains;
  every posterior atom the residual or those definitions reach gets its
  formula from the model's primitives (:mod:`.posteriors`: Gaussian precision
  sums, Beta-Bernoulli conjugacy, the wallet) -- or, for a ``declared`` model
  (a structure with no rule here), from the statement's own table, and the
  report's notes say which;
* S6 Monte Carlo is required exactly when the statement's ``expectation`` is
  not null, and each entry's estimate is compared with the statement's
  right-hand side at its point (a recorded exact value is not used).  The
  expectation is null, or a record stating formally what is simulated
  (:mod:`.simulate` has the format, the laws and how a seed maps to draws):
  ``{"state": "posterior" | "fixed", "given": [j, ...], "redrawn": [j, ...],
  "uniform": [name, ...], "estimator": LAW | null, "integrand": TREE}``,
  meaning rhs = E_{omega | s_given} E_{s_redrawn | omega} E_u
  E_{omega_hat | omega}[integrand] (``"fixed"``: omega is the point's;
  LAW: ex-post, additive-noise N(0, variance/m), sample-click-rate
  Binomial(m, omega)/m, bayesian-shrinkage), checked against the model
  (agents of the model, none both given and redrawn, a posterior state only
  with a model :mod:`.simulate` draws from); or ``{"in_process": name}`` for
  a sampler that states nothing as data (an estimator or a structure with no
  law here, a sampler of the user's own): its Monte Carlo can only be
  replayed in process, and the report's notes say so.
* S7 where the stated expectation can be computed exactly (signals given,
  none redrawn, no uniforms, a Gaussian, Beta-Bernoulli or wallet model or a
  fixed omega, and an integrand polynomial in omega and omega_hat once the
  point is put in and each branch decided there), it is computed from the primitives at every point of the
  certificate -- E[omega_hat^b | omega] from the law, E[omega^k | s] from the
  rebuilt posterior formulas -- and must equal the right-hand side exactly there
  and at OWN_POINTS points of the checker's own, the certificate's points moved
  by amounts drawn from a hash of the statement, so that a right-hand side that
  agrees with the expectation only at points the prover chose is caught
  (:meth:`_Checker.exact_expectation`, :meth:`_Checker.own_points`).  Where
  the integrand is not polynomial there but the law is a point mass (variance
  0 given the signals, no noisy estimate), the integrand is decided at omega =
  E[omega | s].  Elsewhere the notes say why not and the simulation alone
  binds the right-hand side to the model.

Then :func:`replay` checks the evidence against what was rebuilt:


Well-formedness (every status): the format string; a known kind and
status; every tree parses under the whitelist (the nodes written by
``symbolic_mech.core.trees``, with ``erf``; no ``I``: values are real;
depth <= 200, <= 200000 nodes, integers of <= 100000 digits); definitions map Symbol/Function atoms to formulas with
no cycles and no duplicates; every domain has exactly the documented keys;
every point value is a rational string matching ``-?[0-9]+(/[0-9]+)?``;
every name a point fixes has a domain, fixes no defined symbol, and every
free symbol of the (definition-expanded) expression is fixed; a status that
disagrees with what is shown (proved with a witness, refuted without one,
inconclusive with one) is a problem.

Values at a point: exact :class:`~fractions.Fraction` arithmetic while
everything is rational (integer powers with ``|k| <= 10000`` and results
under 2,000,000 bits), otherwise real ``flint.arb`` balls at 64, 128, ...,
4096 bits until the sign is decided.  Division by an exact zero, log of a
nonpositive number, a negative base to a non-integer power or a Piecewise
with no applicable branch is "undefined at the point".  Piecewise
conditions are decided exactly or by a ball that excludes equality.

* ``proved`` identity: the residual ``expr`` is decided zero (atoms opaque,
  then with the definitions substituted), by one of three sound tests
  (:func:`_zero_test`): zero as a rational function over QQ in its
  generators modulo ``sin(u)^2 + cos(u)^2 = 1`` and ``r^q = u`` for
  ``r = u^(1/q)`` (:func:`zero_as_rational_function`); or a numerator
  ``N * sum r_k log(a_k)`` with rational ``r_k``, every ``a_k`` positive on
  the domains and ``prod a_k^(r_k d) = 1``; or zero for every choice of
  Piecewise/Max/Min branches whose conditions can hold together.  A
  choice is skipped only when its conditions are shown to contradict each
  other: each relation ``a REL b`` read as a linear form in the monomials of
  ``a - b`` (the denominator's sign and the generators positive on the
  domains that divide every term taken out), a negated conjunction as a
  disjunction split case by case, each system decided empty exactly (negative
  cycles for difference constraints, else Fourier-Motzkin).
  ``symbolic.regions`` lists sets of conditions the certificate claims
  empty: each must be shown empty so, and a choice containing a confirmed
  one is skipped.  And it
  is zero at >= 20 pairwise distinct points of the domains: exactly, or
  decided zero (as above) at the point; a value only shown by a ball
  containing 0 is a note, and if every point is such, a problem.  With ``decisions.constant`` (no free symbols)
  the one constant residual must be exactly 0 (or zero as a rational
  function) instead of 20 points.
* ``proved`` sign (``expr > 0`` or ``>= 0``): the sign holds at every point
  (exactly, or by a ball excluding 0), with >= 20 distinct points, or >= 1
  if ``at_points_only``; unless ``at_points_only``, ``form - expr`` is zero
  as a rational function and ``form`` has the sign by the rules of
  :func:`_facts` (so the claim holds wherever expr and form are defined).
* ``refuted``: the witness point is in every domain; the gap recomputed at
  the point equals the recorded one (exactly when rational; otherwise the
  two balls overlap, and then the recorded gap's own sign must be decided
  and equal the witness's); the gap's sign is certified and equals the recorded
  sign: nonzero for an identity, ``<= 0`` for "positive", ``< 0`` for
  "nonnegative".
* ``inconclusive``: well-formedness only; confirmed with a note.
* Monte Carlo entries (proved or refuted): finite numbers, an effective
  sample size ``ess`` >= 10000 (draws may carry self-normalized importance
  weights), ``informative == (0 < se <= 0.01 max(|exact|, mean_abs))`` and
  ``agrees == (|estimate - exact| <= 5 se)`` recomputed.  An entry marked
  ``point_mass`` (every draw is one value: the wallet given every signal, a
  fixed omega estimated ex post) is decided exactly instead:
  ``informative == (se == 0 and the law is a point mass there)`` and
  ``agrees == (its value is the right-hand side)``, where the law is a point mass when the
  record redraws no signal, draws no uniform, has omega_hat = omega or none,
  and omega is fixed or its variance given the signals (from the rebuilt
  posterior moments) is exactly 0, and the value is the integrand at omega =
  E[omega | s], computed exactly (rational, like the right-hand side); a
  replay must then give equal draws.  For proved each
  entry informative and agreeing at >= 3 distinct points.  Where the
  statement's expectation is a record, every entry is RE-RUN from it
  (:mod:`.simulate`: the model's prior and likelihood, the estimator's law,
  the integrand evaluated over the draws; ``rng =
  numpy.random.default_rng(seed)``, ``samples`` draws; no sampler from the
  engine is used) and must reproduce estimate, se, mean_abs and ess to 1e-9
  relative; where it is ``in_process``, a sampler given to :func:`recheck`
  is replayed the same way, and without one the statistics are only
  re-checked (a note says so).

Zero as a rational function means zero wherever the expression is defined.

>>> stmt = {"format": STATEMENT_FORMAT, "relation": "nonnegative", "lhs": ["Pow", ["Symbol", "x"], ["Integer", "2"]],
...         "rhs": ["Integer", "0"], "quantifier": "points", "points": [{"x": "-3/7"}], "domains": {"x": domain()},
...         "model": None, "definitions": [], "expectation": None, "claim": "x**2 >= 0 at the 1 point given"}
>>> cert = {"format": FORMAT, "id": "sq", "claim": stmt["claim"], "kind": "sign", "status": "proved",
...         "statement": stmt, "points": [{"x": "-3/7"}]}
>>> recheck(cert).confirmed
True
>>> recheck(dict(cert, claim="x**2 >= 0 for every x")).problems
["sq: the claim is not the statement's claim"]
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import numbers
import re
import operator
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint

from . import simulate as _simulate
from .posteriors import ModelError, check_primitives, definition as posterior_definition, posterior_atom

__all__ = ["Report", "recheck", "replay", "fingerprint", "recheck_all", "load", "domain", "zero_as_rational_function", "FORMAT"]

FORMAT = "symbolic_mech-certificate/1"
MIN_POINTS, MC_POINTS, MC_MIN_SAMPLES, MC_SIGMAS, MC_RELATIVE_SE = 20, 3, 10_000, 5.0, 0.01
OWN_POINTS = 5          # points of its own at which the checker computes a stated expectation exactly
MAX_DEPTH, MAX_NODES, MAX_DIGITS = 200, 200_000, 100_000
MAX_EXPANDED_DEPTH = 1000         # depth with every definition substituted
MAX_EXPONENT = 10_000             # exact integer powers (and polynomial powers) up to this
MAX_BITS = 2_000_000              # exact values beyond this size go to balls
MAX_WORK = 10 ** 7                # term products in one polynomial multiplication
PRECISIONS = (64, 128, 256, 512, 1024, 2048, 4096)
MAX_BRANCHES = 20_000             # Piecewise branch choices tried in one zero test
MAX_BRANCH_NODES = 20_000         # ... on expressions of at most this many nodes

EXPR_ARITY = {"Pow": 2, "exp": 1, "log": 1, "sin": 1, "cos": 1, "tan": 1, "erf": 1, "Abs": 1, "sign": 1, "pi": 0, "E": 0}
COND_ARITY = {"Lt": 2, "Le": 2, "Gt": 2, "Ge": 2, "Eq": 2, "Ne": 2, "Not": 1, "true": 0, "false": 0}
VARIADIC = {"Add", "Mul", "Max", "Min", "And", "Or"}     # also commutative: children are sorted
EXPR_OPS = set(EXPR_ARITY) | {"Add", "Mul", "Max", "Min", "Integer", "Rational", "Symbol", "Function", "Piecewise"}
COND_OPS = set(COND_ARITY) | {"And", "Or"}
_INT = re.compile(r"-?[0-9]+")
_RAT = re.compile(r"(-?[0-9]+)(?:/([0-9]+))?")
FINITE_FORMAT = "symbolic_mech-finite-certificate/1"     # replayed by finite_checker
SCHEMATIC_FORMAT = "symbolic_mech-schematic-certificate/1"     # replayed by schematic_checker
STATEMENT_FORMAT = "symbolic_mech-statement/1"
STATEMENT_KEYS = ("format", "relation", "lhs", "rhs", "quantifier", "points", "domains", "model", "definitions",
                  "expectation", "claim")
# what a kernel certificate may not carry beside its statement: the checker rebuilds these from it
# a name the statement may define: an identifier, optionally with agent indices (Z[1,2], R[3|1,2]);
# never a posterior atom's look-alike
_NAMED = re.compile(r"(?!E\[)(?!V_)[A-Za-z][A-Za-z0-9_]*(?:\[[0-9]+(?:[|,][0-9]+)*\])?")
STATEMENT_OWNED = ("expr", "definitions", "domains", "sign", "monte_carlo_required", "at_points_only", "simulation")
_DOMAIN_KEYS = ("integer", "lo", "hi", "lo_open", "hi_open", "exclude_zero", "parity", "primality",
                "noninteger", "bounds")
_BOUND_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`recheck`: confirmed iff there are no problems."""

    confirmed: bool
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    ball_points: int = 0        # points only shown by a ball containing 0
    id: str = ""


class _Bad(Exception):
    """The certificate is malformed; the message is the problem."""


class _Undefined(Exception):
    """The value is not defined (or not real) at the point."""


class _Undecided(Exception):
    """Not decided at the current precision."""


class _Opaque(Exception):
    """An undefined function without a definition: no number at a point."""


class _TooLarge(Exception):
    """A symbolic step beyond the size limits."""


def _short(text, width=80) -> str:
    text = repr(text) if not isinstance(text, str) else text
    return text if len(text) <= width else text[:width - 3] + "..."


def _no_point_mass(record) -> bool:
    """Signals redrawn, uniforms or a noisy estimate: the stated law is no point mass."""
    return bool(record["redrawn"] or record["uniform"] or record["estimator"] not in (None, {"law": "ex-post"}))


def _point_mass_value(c, integrand, record, moment, pt) -> tuple:
    """(value, None): the integrand at omega = E[omega | s] (and omega_hat = omega, ex post), its branches
    decided there, where the stated law is a point mass: no signal redrawn, no uniform, no noisy
    estimate, variance exactly 0 given the signals (E[omega^2 | s] = E[omega | s]^2 from the rebuilt
    posterior moments); (None, why) where it is not."""
    if _no_point_mass(record):
        return None, "signals redrawn, uniforms or a random estimate: the law is no point mass"
    mean = moment(1)
    if moment(2) != mean ** 2:
        return None, f"the state's variance given the signals is {_show(moment(2) - mean ** 2)}, not 0: no point mass"
    at = {**pt, "omega": mean, **({"omega_hat": mean} if record["estimator"] else {})}
    value, _, _ = _decide(c, _substitute(c, integrand, at), at)
    return value, None


def _dump(t, n) -> list:
    """A parsed tree written back as nested lists (for hashing), without recursion."""
    out: dict = {}
    stack = [(n, False)]
    while stack:
        m, done = stack.pop()
        if m in out:
            continue
        if done:
            out[m] = [t.op(m), str(t.payload(m)), [out[k] for k in t.kids(m)]]
        else:
            stack.append((m, True))
            stack.extend((k, False) for k in t.kids(m) if k not in out)
    return out[n]


def _show(q: Fraction) -> str:
    if max(q.numerator.bit_length(), q.denominator.bit_length()) > 10_000:
        return f"<a {q.numerator.bit_length()}-bit rational>"
    return str(q)


def _int(text: str) -> int:
    """int(text) for a checked digit string, past Python's 4300-digit conversion limit."""
    neg, digits, value = text.startswith("-"), text.lstrip("-"), 0
    for i in range(0, len(digits), 4000):
        chunk = digits[i:i + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return -value if neg else value


def _rational(text, where: str) -> Fraction:
    """A rational string "-3/7" or "5" (nothing else: no floats, spaces, signs, underscores)."""
    if not isinstance(text, str):
        raise _Bad(f"{where} is a {type(text).__name__} ({_short(text, 40)}), not a rational string ('-3/7', '5')")
    m = _RAT.fullmatch(text) if len(text) <= 2 * MAX_DIGITS + 2 else None
    if m is None or len(m.group(1)) > MAX_DIGITS + 1 or (m.group(2) and len(m.group(2)) > MAX_DIGITS):
        raise _Bad(f"{where} = {_short(text, 40)!r} is not a rational string ('-3/7', '5')")
    den = _int(m.group(2)) if m.group(2) else 1
    if den == 0:
        raise _Bad(f"{where} = {_short(text, 40)!r} has a zero denominator")
    return Fraction(_int(m.group(1)), den)


# ---------------------------------------------------------------------------
# expressions: a hash-consed DAG of (op, payload, *children)
# ---------------------------------------------------------------------------

class _Terms:
    """Every node once: equal subtrees get one id, so an id is a canonical key."""

    def __init__(self):
        self.nodes, self.ids, self.count = [], {}, 0
        # a list object met again (a subtree its writer shared) is the node it was: read once, and
        # counted at each reference; {(id, cond): (the list, kept so its id is not reused; node;
        # height)}
        self.read, self.deepest = {}, 0

    def make(self, op, payload=None, kids=()) -> int:
        kids = tuple(sorted(kids)) if op in VARIADIC else tuple(kids)
        key = (op, payload, *kids)
        if key not in self.ids:
            self.ids[key] = len(self.nodes)
            self.nodes.append(key)
        return self.ids[key]

    def num(self, q) -> int:
        return self.make("Num", Fraction(q))

    def op(self, n):
        return self.nodes[n][0]

    def payload(self, n):
        return self.nodes[n][1]

    def kids(self, n):
        return self.nodes[n][2:]

    def parse(self, tree, where: str, cond=False, depth=0) -> int:
        """Parse a JSON tree under the whitelist; a _Bad names the node and its path."""
        known = self.read.get((id(tree), cond))
        if known is not None:
            self.count += 1             # each reference counts: the limit bounds the reading's work
            if self.count > MAX_NODES:
                raise _Bad(f"{where}: more than {MAX_NODES} nodes")
            if depth + known[2] > MAX_DEPTH:
                raise _Bad(f"{where}: nested deeper than {MAX_DEPTH}")
            self.deepest = max(self.deepest, depth + known[2])
            return known[1]
        outer, self.deepest = self.deepest, depth
        node = self._parse(tree, where, cond, depth)
        self.read[(id(tree), cond)] = (tree, node, self.deepest - depth)
        self.deepest = max(outer, self.deepest)
        return node

    def _parse(self, tree, where: str, cond, depth) -> int:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Bad(f"{where}: more than {MAX_NODES} nodes")
        if depth > MAX_DEPTH:
            raise _Bad(f"{where}: nested deeper than {MAX_DEPTH}")
        if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
            raise _Bad(f"{where}: {_short(repr(tree), 40)} is not a node (a list starting with an operator name)")
        op, args = tree[0], tree[1:]
        allowed = COND_ARITY if cond else EXPR_ARITY
        if op not in (COND_OPS if cond else EXPR_OPS):
            kind = "a condition" if cond else "an expression"
            raise _Bad(f"{where}: node {_short(op, 40)!r} is not allowed as {kind}")
        if op in ("Integer", "Rational"):
            ok = len(args) == (1 if op == "Integer" else 2) and all(
                isinstance(a, str) and len(a) <= MAX_DIGITS + 1 and _INT.fullmatch(a) for a in args)
            if not ok or (op == "Rational" and (args[1].startswith("-") or _int(args[1]) == 0)):
                raise _Bad(f"{where}: malformed {op} node {_short(tree, 60)} (digit strings, a positive denominator)")
            return self.num(Fraction(_int(args[0]), _int(args[1]) if op == "Rational" else 1))
        if op in ("Symbol", "Function"):
            if not args or not isinstance(args[0], str) or not args[0] or len(args[0]) > 1000:
                raise _Bad(f"{where}: {op} needs a name (a nonempty string), got {_short(tree, 60)}")
            if op == "Symbol" and len(args) != 1:
                raise _Bad(f"{where}: Symbol {args[0]!r} takes only a name")
            kids = [self.parse(a, f"{where}[{i + 2}]", False, depth + 1) for i, a in enumerate(args[1:])]
            return self.make("Sym" if op == "Symbol" else "Fn", args[0], kids)
        if op == "Piecewise":
            kids = []
            for i, pair in enumerate(args):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _Bad(f"{where}[{i + 1}]: a Piecewise branch must be [expr, cond]")
                kids.append(self.parse(pair[0], f"{where}[{i + 1}][0]", False, depth + 1))
                kids.append(self.parse(pair[1], f"{where}[{i + 1}][1]", True, depth + 1))
            if not kids:
                raise _Bad(f"{where}: a Piecewise needs a branch")
            return self.make(op, None, kids)
        if (op in allowed and len(args) != allowed[op]) or (op in VARIADIC and not args):
            raise _Bad(f"{where}: {op} takes {allowed.get(op, 'at least 1')} arguments, got {len(args)}")
        sub = cond and op in ("And", "Or", "Not")      # a logical connective takes conditions
        return self.make(op, None, [self.parse(a, f"{where}[{i + 1}]", sub, depth + 1)
                                    for i, a in enumerate(args)])


def _postorder(roots, children) -> list:
    """Nodes reachable from roots, each after its children (no recursion)."""
    order, seen, stack = [], set(), [(r, False) for r in roots]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(n)
        elif n not in seen:
            seen.add(n)
            stack.append((n, True))
            stack.extend((k, False) for k in children(n) if k not in seen)
    return order


# ---------------------------------------------------------------------------
# domains
# ---------------------------------------------------------------------------

def domain(lo=None, hi=None, *, integer=False, lo_open=True, hi_open=True, exclude_zero=False,
           parity=None, primality=None, noninteger=False, bounds=()) -> dict:
    """A DOMAIN record as certificates carry it (ends are rational strings or None).

    >>> domain(0, None)["lo"], domain(0, None)["hi"]
    ('0', None)
    """
    return {"integer": integer, "lo": None if lo is None else str(lo), "hi": None if hi is None else str(hi),
            "lo_open": lo_open, "hi_open": hi_open, "exclude_zero": exclude_zero, "parity": parity,
            "primality": primality, "noninteger": noninteger, "bounds": [list(b) for b in bounds]}


def _parse_domain(d, where: str) -> dict:
    if not isinstance(d, dict) or set(d) != set(_DOMAIN_KEYS):
        got = sorted(d) if isinstance(d, dict) else type(d).__name__
        raise _Bad(f"{where} must have exactly the keys {list(_DOMAIN_KEYS)}, got {_short(got)}")
    out = dict(d)
    for k in ("integer", "lo_open", "hi_open", "exclude_zero", "noninteger"):
        if not isinstance(d[k], bool):
            raise _Bad(f"{where}.{k} must be true or false")
    for k in ("lo", "hi"):
        out[k] = None if d[k] is None else _rational(d[k], f"{where}.{k}")
    if d["parity"] not in (None, "even", "odd") or d["primality"] not in (None, "prime", "composite"):
        raise _Bad(f"{where}: parity must be null/even/odd and primality null/prime/composite")
    bounds = d["bounds"]
    if not isinstance(bounds, list) or not all(
            isinstance(b, list) and len(b) == 2 and b[0] in _BOUND_OPS and isinstance(b[1], str) for b in bounds):
        raise _Bad(f"{where}.bounds must be a list of [op, symbol name] with op one of {list(_BOUND_OPS)}")
    out["bounds"] = [tuple(b) for b in bounds]
    return out


def _outside(d: dict, q: Fraction, point=None) -> str | None:
    """Why q is not in the domain d, or None if it is (exact comparisons); ``point`` gives the
    values of the symbols that bound d."""
    for op, name in d["bounds"]:
        if point is None or name not in point:
            return f"bounded by {name}, which the point does not fix"
        if not _BOUND_OPS[op](q, point[name]):
            return f"not {op} {name} = {_show(point[name])}"
    whole = q.denominator == 1
    if (d["integer"] or d["parity"] or d["primality"]) and not whole:
        return "not an integer"
    if d["noninteger"] and whole:
        return "an integer, which the domain excludes"
    if d["lo"] is not None and (q < d["lo"] or (q == d["lo"] and d["lo_open"])):
        return f"below the lower end {_show(d['lo'])}{' (open)' if d['lo_open'] else ''}"
    if d["hi"] is not None and (q > d["hi"] or (q == d["hi"] and d["hi_open"])):
        return f"above the upper end {_show(d['hi'])}{' (open)' if d['hi_open'] else ''}"
    if d["exclude_zero"] and q == 0:
        return "zero, which the domain excludes"
    n = q.numerator
    if d["parity"] and (n % 2 == 0) != (d["parity"] == "even"):
        return f"not {d['parity']}"
    if d["primality"]:
        if n.bit_length() > 4096:
            return "too large to test for primality"
        prime = n >= 2 and bool(flint.fmpz(n).is_prime())
        if d["primality"] == "prime" and not prime or d["primality"] == "composite" and (prime or n < 4):
            return f"not {d['primality']}"
    return None


# ---------------------------------------------------------------------------
# the certificate, parsed
# ---------------------------------------------------------------------------

class _Cert:
    """A parsed certificate: trees as node ids, points as {name: Fraction}."""

    def __init__(self, raw):
        if not isinstance(raw, dict):
            raise _Bad(f"a certificate must be a JSON object, got {type(raw).__name__}")
        for key in ("format", "id", "claim", "kind", "status", "expr"):
            if key not in raw:
                raise _Bad(f"missing key {key!r}")
        if raw["format"] != FORMAT:
            raise _Bad(f"format is {_short(raw['format'], 60)!r}, not {FORMAT!r}")
        if not isinstance(raw["id"], str) or not isinstance(raw["claim"], str):
            raise _Bad("id and claim must be strings")
        self.id, self.kind, self.status, self.claim = raw["id"], raw["kind"], raw["status"], raw["claim"]
        if self.kind not in ("identity", "sign"):
            raise _Bad(f"unknown kind {_short(self.kind, 40)!r}")
        if self.status not in ("proved", "refuted", "inconclusive"):
            raise _Bad(f"unknown status {_short(self.status, 40)!r}")
        self.sign = raw.get("sign")
        if self.kind == "sign" and self.sign not in ("positive", "nonnegative"):
            raise _Bad(f"a sign claim needs sign 'positive' or 'nonnegative', got {_short(self.sign, 40)!r}")
        if self.kind == "identity" and self.sign is not None:
            raise _Bad("an identity has no 'sign'")
        self.t = t = _Terms()
        self.expr = t.parse(raw["expr"], "expr")
        self.defs = {}
        defs = raw.get("definitions") or []
        if not isinstance(defs, list):
            raise _Bad("definitions must be a list")
        for i, d in enumerate(defs):
            if not isinstance(d, dict) or set(d) != {"atom", "formula"}:
                raise _Bad(f"definitions[{i}] must be {{'atom': TREE, 'formula': TREE}}")
            atom = t.parse(d["atom"], f"definitions[{i}].atom")
            if t.op(atom) not in ("Sym", "Fn"):
                raise _Bad(f"definitions[{i}].atom must be a Symbol or a Function")
            if atom in self.defs:
                raise _Bad(f"definitions[{i}]: {t.payload(atom)!r} is defined twice")
            self.defs[atom] = t.parse(d["formula"], f"definitions[{i}].formula")
        self._check_acyclic()
        doms = raw.get("domains") or {}
        if not isinstance(doms, dict):
            raise _Bad("domains must be an object {name: DOMAIN}")
        self.domains = {k: _parse_domain(v, f"domains[{k!r}]") for k, v in doms.items()}
        pts = raw.get("points") or []
        if not isinstance(pts, list):
            raise _Bad("points must be a list")
        self.points = [self.point(p, f"points[{i}]") for i, p in enumerate(pts)]
        self.at_points_only = raw.get("at_points_only", False)
        dec = raw.get("decisions") or {}
        self.constant = dec.get("constant", False) if isinstance(dec, dict) else None
        if not isinstance(self.at_points_only, bool) or not isinstance(self.constant, bool):
            raise _Bad("at_points_only and decisions.constant must be true or false")
        sym = raw.get("symbolic")
        if sym is not None and (not isinstance(sym, dict) or set(sym) not in ({"form"}, {"form", "regions"})):
            raise _Bad("symbolic must be null or {'form': TREE or null} (with 'regions' for a Piecewise)")
        self.symbolic = sym is not None
        self.form = None if sym is None or sym["form"] is None else t.parse(sym["form"], "symbolic.form")
        self.regions = self._regions(sym.get("regions") if sym is not None else None)
        self.cores = []     # the regions confirmed empty, as sets of (condition node, holds)
        self.witness = self._witness(raw.get("witness"))
        mc = raw.get("monte_carlo") or []
        if not isinstance(mc, list):
            raise _Bad("monte_carlo must be a list")
        self.mc = [self._mc_entry(e, f"monte_carlo[{i}]") for i, e in enumerate(mc)]
        self.mc_required = raw.get("monte_carlo_required", False)
        if not isinstance(self.mc_required, bool):
            raise _Bad("monte_carlo_required must be true or false")
        # the statement's model, definitions and expectation record, to re-run the simulation
        self.simulation = raw.get("simulation")
        if self.simulation is not None and (not isinstance(self.simulation, dict)
                                            or set(self.simulation) != {"model", "definitions", "expectation"}):
            raise _Bad("simulation must be {'model', 'definitions', 'expectation'}")
        self.free = self.free_symbols(self.expr)
        roots = [self.expr, self.form, self.witness and self.witness["gap"], *(e["exact"] for e in self.mc)]
        if _expanded_depth(self, *roots) > MAX_EXPANDED_DEPTH:
            raise _Bad(f"a tree is nested deeper than {MAX_EXPANDED_DEPTH} with the definitions substituted")

    def point(self, p, where: str) -> dict:
        if not isinstance(p, dict):
            raise _Bad(f"{where} must be an object {{name: 'p/q'}}")
        return {str(k): _rational(v, f"{where}: {_short(k, 40)}") for k, v in p.items()}

    def value_tree(self, v, where: str) -> int:
        """A gap or exact value: a rational string or a tree."""
        return self.t.num(_rational(v, where)) if isinstance(v, str) else self.t.parse(v, where)

    def _regions(self, r) -> list:
        """The regions shown empty: [(index, [(condition node, holds), ...]), ...]."""
        if r is None:
            return []
        if not isinstance(r, dict) or set(r) != {"conditions", "empty"} or not isinstance(r["conditions"], list) \
                or not isinstance(r["empty"], list):
            raise _Bad("symbolic.regions must be {'conditions': [TREE, ...], 'empty': [[[index, holds], ...], ...]}")
        conds = [self.t.parse(tree, f"symbolic.regions.conditions[{i}]", cond=True)
                 for i, tree in enumerate(r["conditions"])]
        out = []
        for k, region in enumerate(r["empty"]):
            ok = isinstance(region, list) and all(
                isinstance(lit, list) and len(lit) == 2 and isinstance(lit[0], int) and not isinstance(lit[0], bool)
                and 0 <= lit[0] < len(conds) and isinstance(lit[1], bool) for lit in region)
            if not ok:
                raise _Bad(f"symbolic.regions.empty[{k}] must be a list of [condition index, true/false]")
            out.append((k, [(conds[i], holds) for i, holds in region]))
        return out

    def _witness(self, w):
        if w is None:
            return None
        if not isinstance(w, dict) or not {"point", "sign"} <= set(w) <= {"point", "sign", "gap"}:
            raise _Bad("witness must be {'point': {...}, 'gap': ..., 'sign': ...}")
        if isinstance(w["sign"], bool) or w["sign"] not in (-1, 0, 1, 2):
            raise _Bad(f"witness.sign must be 1, -1 or 0, got {_short(w['sign'], 20)}")
        gap = w.get("gap")
        return {"point": self.point(w["point"], "witness.point"), "sign": w["sign"],
                "gap": None if gap is None else self.value_tree(gap, "witness.gap")}

    def _mc_entry(self, e, where: str) -> dict:
        types = {"point": dict, "estimate": numbers.Real, "se": numbers.Real, "mean_abs": numbers.Real,
                 "ess": numbers.Real, "samples": int, "seed": int, "agrees": bool, "informative": bool}
        keys = set(types) | {"exact"}
        if not isinstance(e, dict) or set(e) not in (keys, keys | {"point_mass"}):
            raise _Bad(f"{where} must have exactly the keys {sorted(keys)} (and optionally 'point_mass')")
        if e.get("point_mass", True) is not True:
            raise _Bad(f"{where}.point_mass, where given, must be true")
        for k, ty in types.items():
            if not isinstance(e[k], ty) or (ty is not bool and isinstance(e[k], bool)):
                raise _Bad(f"{where}.{k} must be a {ty.__name__}, got {_short(e[k], 30)}")
        return dict(e, point=self.point(e["point"], f"{where}.point"),
                    exact=self.value_tree(e["exact"], f"{where}.exact"), point_mass="point_mass" in e)

    def children(self, n):
        """Children with definitions followed: an atom's child is its formula."""
        return (self.defs[n],) if n in self.defs else self.t.kids(n)

    def free_symbols(self, *roots) -> set:
        t = self.t
        return {t.payload(n) for n in _postorder(roots, self.children) if t.op(n) == "Sym" and n not in self.defs}

    def _check_acyclic(self):
        t, deps = self.t, {}
        for a, f in self.defs.items():
            deps[a] = {n for n in _postorder([f], t.kids) if n in self.defs}
        while deps:
            ready = [a for a, d in deps.items() if not d & deps.keys()]
            if not ready:
                raise _Bad(f"definitions are cyclic (through {t.payload(min(deps))!r})")
            for a in ready:
                del deps[a]


def _expanded_depth(c: _Cert, *roots) -> int:
    depth = {}
    for n in _postorder([r for r in roots if r is not None], c.children):
        depth[n] = 1 + max((depth[k] for k in c.children(n)), default=0)
    return max(depth.values(), default=0)


# ---------------------------------------------------------------------------
# values at a point: Fractions while exact, arb balls otherwise
# ---------------------------------------------------------------------------

def _ball(v):
    if isinstance(v, Fraction):
        return flint.arb(flint.fmpq(v.numerator, v.denominator))
    return flint.arb(v) if isinstance(v, flint.fmpq) else v


def _big(q: Fraction) -> bool:
    return max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_BITS


def _iroot(n: int, q: int) -> int:
    """floor(n ** (1/q)) for n >= 0, by integer Newton steps."""
    if n < 2:
        return n
    x = 1 << -(-n.bit_length() // q)
    while True:
        y = ((q - 1) * x + n // x ** (q - 1)) // q
        if y >= x:
            return x
        x = y


class _Evaluator:
    """The value of each node at one point (symbols from the point, atoms through their formulas)."""

    def __init__(self, c: _Cert, point: dict):
        self.c, self.t, self.point = c, c.t, point
        self.exact, self.balls = {}, {}      # exact values survive a change of precision

    def value(self, n):
        if n in self.exact:
            return self.exact[n]
        if n in self.balls:
            return self.balls[n]
        v = self._compute(n)
        if isinstance(v, Fraction):
            if not _big(v):
                self.exact[n] = v
                return v
            v = _ball(v)
        if not v.is_finite():
            raise _Undecided("a ball is not finite")
        self.balls[n] = v
        return v

    def _compute(self, n):
        t, op, kids = self.t, self.t.op(n), self.t.kids(n)
        if op == "Num":
            return t.payload(n)
        if n in self.c.defs:
            return self.value(self.c.defs[n])
        if op == "Sym":
            if t.payload(n) not in self.point:
                raise _Undefined(f"the symbol {t.payload(n)!r} has no value at the point")
            return self.point[t.payload(n)]
        if op == "Fn":
            raise _Opaque(f"the function {t.payload(n)!r} has no definition")
        if op == "pi":
            return flint.arb.pi()
        if op == "E":
            return flint.arb(1).exp()
        if op in ("Add", "Mul"):
            return self._combine(op, [self.value(k) for k in kids])
        if op == "Pow":
            return self._pow(self.value(kids[0]), self.value(kids[1]))
        if op in ("exp", "log", "sin", "cos", "tan", "erf"):
            return self._function(op, self.value(kids[0]))
        if op == "Abs":
            return abs(self.value(kids[0]))
        if op == "sign":
            v = self.value(kids[0])
            if isinstance(v, Fraction):
                return Fraction((v > 0) - (v < 0))
            if v > 0 or v < 0:
                return Fraction(1 if v > 0 else -1)
            raise _Undecided("the sign of a ball containing 0")
        if op in ("Max", "Min"):
            vals = [self.value(k) for k in kids]
            if all(isinstance(v, Fraction) for v in vals):
                return max(vals) if op == "Max" else min(vals)
            acc = _ball(vals[0])
            for v in vals[1:]:      # arb max/min are rigorous without deciding the comparison
                acc = acc.max(_ball(v)) if op == "Max" else acc.min(_ball(v))
            return acc
        if op == "Piecewise":
            for e, cond in zip(kids[::2], kids[1::2]):
                if self.holds(cond):
                    return self.value(e)
            raise _Undefined("no branch of a Piecewise applies")
        raise _Undefined(f"{op} is not an expression")

    def _combine(self, op, vals):
        acc = vals[0]
        if isinstance(acc, Fraction):
            acc = flint.fmpq(acc.numerator, acc.denominator)     # exact, in C: a tenth of the time
        for v in vals[1:]:
            if isinstance(acc, flint.fmpq) and isinstance(v, Fraction):
                v = flint.fmpq(v.numerator, v.denominator)
                acc = acc + v if op == "Add" else acc * v
                if acc.height_bits() > MAX_BITS:
                    acc = flint.arb(acc)
            else:
                acc = _ball(acc) + _ball(v) if op == "Add" else _ball(acc) * _ball(v)
        return Fraction(int(acc.p), int(acc.q)) if isinstance(acc, flint.fmpq) else acc

    def _pow(self, b, e):
        if isinstance(e, Fraction) and e.denominator == 1:
            k = e.numerator
            if isinstance(b, Fraction):
                if b == 0:
                    if k < 0:
                        raise _Undefined("division by zero (0 to a negative power)")
                    return Fraction(int(k == 0))
                size = max(b.numerator.bit_length(), b.denominator.bit_length())
                if abs(k) <= MAX_EXPONENT and abs(k) * size <= MAX_BITS:
                    return b ** k
            b = _ball(b)
            if k < 0 and 0 in b:
                raise _Undecided("a ball containing 0 to a negative power")
            if abs(k) <= MAX_EXPONENT:
                return b ** k
            if 0 in b:
                raise _Undecided("a ball containing 0 to a huge power")
            mag = (flint.arb(k) * abs(b).log()).exp()      # |b|^k, then the sign
            return -mag if (b < 0 and k % 2) else mag
        if isinstance(b, Fraction):
            if b < 0:
                raise _Undefined("not real: a negative base to a non-integer power")
            if b == 0:
                if e > 0:
                    return Fraction(0)
                raise _Undefined("0 to a nonpositive non-integer power")
            if isinstance(e, Fraction) and e.denominator <= MAX_EXPONENT and not _big(b):
                p, q = b.numerator, b.denominator
                rp, rq = _iroot(p, e.denominator), _iroot(q, e.denominator)
                if rp ** e.denominator == p and rq ** e.denominator == q:     # an exact rational root
                    return self._pow(Fraction(rp, rq), Fraction(e.numerator))
        b = _ball(b)
        if b > 0:
            return b ** _ball(e)
        if b < 0 and isinstance(e, Fraction):
            raise _Undefined("not real: a negative base to a non-integer power")
        raise _Undecided("a base not certified positive to a non-integer power")

    @staticmethod
    def _function(op, v):
        if isinstance(v, Fraction):
            if v == 0 and op in ("exp", "cos"):
                return Fraction(1)
            if v == 0 and op in ("sin", "tan", "erf"):
                return Fraction(0)
            if op == "log" and v <= 0:
                raise _Undefined(f"log of {_show(v)}")
            if op == "log" and v == 1:
                return Fraction(0)
            v = _ball(v)
        if op == "log":
            if v > 0:
                return v.log()
            if v <= 0:
                raise _Undefined("log of a nonpositive number")
            raise _Undecided("log of a ball containing 0")
        return getattr(v, op)()         # arb's exp, sin, cos, tan, erf

    def holds(self, cond) -> bool:
        """A Piecewise condition, decided exactly or by a ball excluding equality."""
        op, kids = self.t.op(cond), self.t.kids(cond)
        if op in ("true", "false"):
            return op == "true"
        if op == "Not":
            return not self.holds(kids[0])
        if op in ("And", "Or"):
            vals = [self.holds(k) for k in kids]
            return all(vals) if op == "And" else any(vals)
        a, b = self.value(kids[0]), self.value(kids[1])
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            s = (a > b) - (a < b)
        else:
            d = _ball(a) - _ball(b)
            if not (d > 0 or d < 0):
                raise _Undecided(f"a Piecewise condition {op} is not decided")
            s = 1 if d > 0 else -1
        return {"Lt": s < 0, "Le": s <= 0, "Gt": s > 0, "Ge": s >= 0, "Eq": s == 0, "Ne": s != 0}[op]


def _decide(c: _Cert, n: int, point: dict):
    """(value, sign, how) of node n at point; sign None if no ball up to 4096 bits decides it.

    Raises _Undefined (and _Opaque) where the value does not exist (is not known).
    """
    ev, old, how = _Evaluator(c, point), flint.ctx.prec, ""
    try:
        for bits in PRECISIONS:
            flint.ctx.prec = bits
            ev.balls.clear()
            try:
                v = ev.value(n)
            except _Undecided as exc:
                how = f"{exc} at {bits} bits"
                continue
            if isinstance(v, Fraction):
                return v, (v > 0) - (v < 0), "exact"
            if v > 0 or v < 0:
                return v, 1 if v > 0 else -1, f"ball at {bits} bits"
            how = f"ball contains 0 at {bits} bits"
        return None, None, how
    finally:
        flint.ctx.prec = old


def _float(c: _Cert, n: int, point: dict) -> float:
    """A float for statistics only (Monte Carlo compares, it never decides)."""
    ev, old = _Evaluator(c, point), flint.ctx.prec
    try:
        flint.ctx.prec = 128
        v = ev.value(n)
        return float(v) if isinstance(v, Fraction) else float(v.mid())
    finally:
        flint.ctx.prec = old


# ---------------------------------------------------------------------------
# zero as a rational function over QQ
# ---------------------------------------------------------------------------

def _substitute(c: _Cert, root: int, point=None) -> int:
    """root with every definition substituted (and the point's values), constants folded."""
    t, new = c.t, {}
    for n in _postorder([root], c.children):
        op, kids = t.op(n), [new[k] for k in c.children(n)]
        if n in c.defs:
            new[n] = kids[0]
        elif op == "Sym" and point is not None and t.payload(n) in point:
            new[n] = t.num(point[t.payload(n)])
        elif kids and all(t.op(k) == "Num" for k in kids) and op in ("Add", "Mul", "Pow"):
            vals = [t.payload(k) for k in kids]
            try:
                v = _Evaluator(c, {})._pow(*vals) if op == "Pow" else _Evaluator(c, {})._combine(op, vals)
            except (_Undefined, _Undecided):
                v = None
            ok = isinstance(v, Fraction) and not _big(v)
            new[n] = t.num(v) if ok else t.make(op, t.payload(n), kids)
        else:
            new[n] = t.make(op, t.payload(n), kids)
    return new[root]


def _exp_terms(t: _Terms, u: int) -> dict:
    """exp(u) = prod exp(m)^c: {m (a node, or None for the constant 1): rational c}."""
    out = {}
    for s in (t.kids(u) if t.op(u) == "Add" else (u,)):
        c, rest = Fraction(1), []
        for k in (t.kids(s) if t.op(s) == "Mul" else (s,)):
            if t.op(k) == "Num":
                c *= t.payload(k)
            else:
                rest.append(k)
        m = None if not rest else rest[0] if len(rest) == 1 else t.make("Mul", None, rest)
        out[m] = out.get(m, 0) + c
    return {m: c for m, c in out.items() if c != 0}


class _RationalFunction:
    """num/den in QQ[g1..gn] for the DAG below a root, and the reduction of num by the relations.

    Generators: symbols, atoms, and every node that is not a rational
    operation, keyed by its (hash-consed, canonical) node; sin(u) and
    cos(u) with sin(u)^2 = 1 - cos(u)^2; tan(u) = sin(u)/cos(u);
    u^(p/q) = r^p with r = u^(1/q) and r^q = u (true for the principal
    branch); exp(sum c_i m_i) = prod e_i^(c_i d_i) with e_i = exp(m_i / d_i)
    and d_i the lcm of the denominators of the c_i (E = exp(1)).
    """

    def __init__(self, t: _Terms, root: int):
        self.t, self.gens, self.den_lcm = t, {}, {}
        self.order = _postorder([root], self._scan)
        self.ctx = flint.fmpq_mpoly_ctx.get(tuple(f"g{i}" for i in range(max(1, len(self.gens)))))
        self.rf = {}
        for n in self.order:
            self.rf[n] = self._build(n)
        self.num, self.den = self.rf[root]

    def _gen(self, key):
        self.gens.setdefault(key, len(self.gens))

    def _exponent(self, n):
        """The exponent of a Pow by a moderate rational number (handled structurally), else None."""
        base, e = self.t.kids(n)
        q = self.t.payload(e) if self.t.op(e) == "Num" else None
        return q if q is not None and max(abs(q.numerator), q.denominator) <= MAX_EXPONENT else None

    def _scan(self, n):
        """Register generators; return the children whose rational functions are needed."""
        t, op, kids = self.t, self.t.op(n), self.t.kids(n)
        if op in ("Num",):
            return ()
        if op in ("Add", "Mul"):
            return kids
        if op in ("sin", "cos", "tan"):
            self._gen(("sin", kids[0]))
            self._gen(("cos", kids[0]))
            return ()
        if op in ("exp", "E"):
            for m, c in (_exp_terms(t, kids[0]) if op == "exp" else {None: Fraction(1)}).items():
                self._gen(("exp", m))
                self.den_lcm[m] = math.lcm(self.den_lcm.get(m, 1), c.denominator)
            return ()
        if op == "Pow" and self._exponent(n) is not None:
            if self._exponent(n).denominator > 1:
                self._gen(("root", kids[0], self._exponent(n).denominator))
            return (kids[0],)
        self._gen(n)          # anything else is an opaque generator
        return ()

    def _power(self, a, k: int):
        """(num, den) ** k by repeated squaring (k may be negative)."""
        if k < 0:
            if a[0].is_zero():
                raise _Undefined("division by zero as a rational function")
            a, k = (a[1], a[0]), -k
        out, base = (self.ctx.constant(1), self.ctx.constant(1)), a
        while k:
            if k & 1:
                out = self._mul(out, base)
            k >>= 1
            if k:
                base = self._mul(base, base)
        return out

    def _gen_power(self, key, k: int):
        g = self.ctx.gen(self.gens[key])
        return self._power((g, self.ctx.constant(1)), k)

    def _build(self, n):
        t, op, kids, one = self.t, self.t.op(n), self.t.kids(n), self.ctx.constant(1)
        if n in self.gens:
            return self._gen_power(n, 1)
        if op == "Num":
            q = t.payload(n)
            return self.ctx.constant(flint.fmpq(q.numerator, q.denominator)), one
        if op in ("Add", "Mul"):
            acc = self.rf[kids[0]]
            for k in kids[1:]:
                acc = self._add(acc, self.rf[k]) if op == "Add" else self._mul(acc, self.rf[k])
            return acc
        if op in ("sin", "cos"):
            return self._gen_power((op, kids[0]), 1)
        if op == "tan":
            return self._mul(self._gen_power(("sin", kids[0]), 1), self._gen_power(("cos", kids[0]), -1))
        if op in ("exp", "E"):
            acc = (one, one)
            for m, c in (_exp_terms(t, kids[0]) if op == "exp" else {None: Fraction(1)}).items():
                k = c * self.den_lcm[m]
                if abs(k) > MAX_EXPONENT:
                    raise _TooLarge("an exponential with a huge coefficient")
                acc = self._mul(acc, self._gen_power(("exp", m), int(k)))
            return acc
        e = self._exponent(n)       # a Pow: every other node is a generator
        if e.denominator == 1:
            return self._power(self.rf[kids[0]], e.numerator)
        return self._gen_power(("root", kids[0], e.denominator), e.numerator)

    def _poly_mul(self, p, q):
        if len(p) * len(q) > MAX_WORK:
            raise _TooLarge("a polynomial product beyond the size limit")
        return p * q

    def _mul(self, a, b):
        (n1, d1), (n2, d2) = a, b
        if n1.is_zero() or n2.is_zero():
            return self.ctx.constant(0), self.ctx.constant(1)
        g1, g2 = n1.gcd(d2), n2.gcd(d1)       # cross cancellation keeps fractions small
        return self._poly_mul(n1 / g1, n2 / g2), self._poly_mul(d1 / g2, d2 / g1)

    def _add(self, a, b):
        (n1, d1), (n2, d2) = a, b
        if d1 == d2:
            num, den = n1 + n2, d1
        else:
            g = d1.gcd(d2)
            num = self._poly_mul(n1, d2 / g) + self._poly_mul(n2, d1 / g)
            den = self._poly_mul(d1 / g, d2)
        if num.is_zero():
            return num, self.ctx.constant(1)
        g = num.gcd(den)
        return num / g, den / g

    def _replace_powers(self, p, index: int, q: int, value):
        """p with every g^e (e >= q) of generator `index` written g^(e mod q) * value^(e div q)."""
        if p.degrees()[index] < q:
            return p
        groups = {}
        for exps, coeff in p.terms():
            a, r = divmod(exps[index], q)
            exps = exps[:index] + (r,) + exps[index + 1:]
            groups.setdefault(a, {})[exps] = coeff
        out = self.ctx.constant(0)
        for a, terms in groups.items():
            out += self._poly_mul(self.ctx.from_dict(terms), self._power((value, self.ctx.constant(1)), a)[0])
        return out

    def reduced_numerator(self):
        """num modulo r^q = u (larger u first: a reduction only brings in smaller generators),
        then modulo sin(u)^2 = 1 - cos(u)^2.  Only ever subtracts multiples of true relations."""
        num, height = self.num, {}
        for n in _postorder([k[1] for k in self.gens if isinstance(k, tuple) and k[0] == "root"], self.t.kids):
            height[n] = 1 + max((height[k] for k in self.t.kids(n)), default=0)
        roots = sorted((k for k in self.gens if isinstance(k, tuple) and k[0] == "root"), key=lambda k: -height[k[1]])
        for key in roots:
            base_num, base_den = self.rf[key[1]]
            if base_den.is_constant():      # only a polynomial base gives a polynomial relation
                num = self._replace_powers(num, self.gens[key], key[2], base_num / base_den)
        for key in self.gens:
            if isinstance(key, tuple) and key[0] == "sin":
                cos = self.ctx.gen(self.gens[("cos", key[1])])
                num = self._replace_powers(num, self.gens[key], 2, 1 - cos * cos)
        return num


def zero_as_rational_function(t: _Terms, root: int) -> bool:
    """Whether the expression at root is zero as a rational function over QQ (sound: True only if zero).

    >>> t = _Terms()
    >>> x = ["Symbol", "x"]
    >>> s2 = ["Pow", ["sin", x], ["Integer", "2"]]
    >>> c2 = ["Pow", ["cos", x], ["Integer", "2"]]
    >>> zero_as_rational_function(t, t.parse(["Add", s2, c2, ["Integer", "-1"]], "e"))
    True
    >>> zero_as_rational_function(t, t.parse(["Add", s2, c2], "e"))
    False
    """
    try:
        return _RationalFunction(t, root).reduced_numerator().is_zero()
    except (_TooLarge, _Undefined):
        return False


def _positive(c: _Cert, n: int) -> bool:
    """n > 0 on the domains: by the sign rules, or as num/den whose coefficients have one
    sign each, in generators that are positive there."""
    if "pos" in _facts(c, n):
        return True
    try:
        rf = _RationalFunction(c.t, n)
    except (_TooLarge, _Undefined):
        return False

    def positive(key):
        if isinstance(key, int):
            return "pos" in _facts(c, key)
        if key[0] == "exp":     # exp(m/d) with m real
            return key[1] is None or "real" in _facts(c, key[1])
        return key[0] == "root" and "pos" in _facts(c, key[1])     # u^(1/q) with u > 0

    def sign(p):
        cs = p.coeffs()
        return 1 if all(x > 0 for x in cs) else -1 if all(x < 0 for x in cs) else 0

    used = [k for k, i in rf.gens.items() if rf.num.degrees()[i] or rf.den.degrees()[i]]
    return all(map(positive, used)) and not rf.num.is_zero() and sign(rf.num) * sign(rf.den) == 1


def _logarithms_cancel(c: _Cert, rf: _RationalFunction, num) -> bool:
    """num = N * sum_k r_k log(a_k) with rational r_k, every a_k > 0 on the domains, and
    prod_k a_k^(r_k d) = 1 as a rational function: then the sum is log(1)/d = 0
    (log(ab) = log(a) + log(b) and log(a^k) = k log(a) for a, b > 0)."""
    t = c.t
    logs = {i: k for k, i in rf.gens.items() if isinstance(k, int) and t.op(k) == "log"}
    parts = {}
    for exps, coeff in num.terms():
        used = [i for i in logs if exps[i]]
        if len(used) != 1 or exps[used[0]] != 1:
            return False        # a term free of logarithms, or a product of them
        i = used[0]
        parts.setdefault(i, {})[exps[:i] + (0,) + exps[i + 1:]] = coeff
    polys = {i: rf.ctx.from_dict(terms) for i, terms in parts.items()}
    if not polys:
        return False
    first, factors, ratios = next(iter(polys.values())), [], {}
    for i, p in polys.items():
        r = p.leading_coefficient() / first.leading_coefficient()
        if p != first * r:
            return False        # coefficients that are not rational multiples of each other
        ratios[i] = Fraction(int(r.p), int(r.q))
    scale = math.lcm(*(r.denominator for r in ratios.values()))
    for i, r in ratios.items():
        arg = t.kids(logs[i])[0]
        if abs(r * scale) > MAX_EXPONENT or not _positive(c, arg):
            return False
        factors.append(t.make("Pow", None, [arg, t.num(r * scale)]))
    return zero_as_rational_function(t, t.make("Add", None, [t.make("Mul", None, factors), t.num(-1)]))


def _zero(c: _Cert, root: int) -> str | None:
    try:
        rf = _RationalFunction(c.t, root)
        num = rf.reduced_numerator()
        if num.is_zero():
            return "zero as a rational function"
        return "zero: logarithms of positive arguments combine" if _logarithms_cancel(c, rf, num) else None
    except (_TooLarge, _Undefined):
        return None


_SIGNS = {"Lt": {-1}, "Le": {-1, 0}, "Gt": {1}, "Ge": {0, 1}, "Eq": {0}, "Ne": {-1, 1}}
FM_ROWS = 4000                    # Fourier-Motzkin gives up (feasible: the sound side) beyond this many rows
MAX_SPLITS = 20000                # case splits on disjunctions in one feasibility test


def _literals(t: _Terms, cond: int, holds: bool):
    """What a condition (holding or not) says, as a list of items, or None if impossible: an item
    is ("rel", (a, b), signs a - b may have), or ("or", alternatives), each alternative a list of
    items one of which lists holds together.  A part not understood says nothing."""
    op, kids = t.op(cond), t.kids(cond)
    if op in ("true", "false"):
        return [] if (op == "true") == holds else None
    if op == "Not":
        return _literals(t, kids[0], not holds)
    if op in ("And", "Or"):
        parts = [_literals(t, k, holds) for k in kids]
        if (op == "And") == holds:      # every part holds
            return None if None in parts else [lit for part in parts for lit in part]
        alts = [part for part in parts if part is not None]     # some part holds
        return None if not alts else alts[0] if len(alts) == 1 else [("or", alts)]
    a, b = kids
    signs = _SIGNS[op] if holds else {-1, 0, 1} - _SIGNS[op]
    return [("rel", (a, b), signs)] if a <= b else [("rel", (b, a), {-x for x in signs})]


def _positive_generator(c: _Cert, key) -> bool:
    """A generator of a rational function that is positive on the domains."""
    if isinstance(key, int):
        return "pos" in _facts(c, key)
    if key[0] == "exp":     # exp(m/d) with m real
        return key[1] is None or "real" in _facts(c, key[1])
    return key[0] == "root" and "pos" in _facts(c, key[1])     # u^(1/q) with u > 0


def _one_sign(p) -> int:
    cs = p.coeffs()
    return 1 if all(x > 0 for x in cs) else -1 if all(x < 0 for x in cs) else 0


def _shared_key(rf, key):
    """A generator's name valid across rational functions: exp(m/d) carries its d."""
    return (*key, rf.den_lcm[key[1]]) if isinstance(key, tuple) and key[0] == "exp" else key


def _linear_form(c: _Cert, pair, memo: dict):
    """a - b as (coefficients {monomial: q}, constant) of a linear form with the sign of a - b wherever
    it is defined: the denominator's sign and the positive generators common to every term of the
    numerator divided out, each remaining monomial a variable; else a - b itself is the variable."""
    if pair in memo:
        return memo[pair]
    a, b = pair
    t = c.t
    form = {("pair", a, b): 1}, 0
    try:
        rf = _RationalFunction(t, t.make("Add", None, [a, t.make("Mul", None, [t.num(-1), b])]))
        keys = {i: k for k, i in rf.gens.items()}
        used = [i for i in keys if rf.num.degrees()[i] or rf.den.degrees()[i]]
        den_gens = [i for i in used if rf.den.degrees()[i]]
        flip = _one_sign(rf.den) if all(_positive_generator(c, keys[i]) for i in den_gens) else 0
        if flip and not rf.num.is_zero():
            terms = list(rf.num.terms())
            low = {i: min(e[i] for e, _ in terms) for i in used if _positive_generator(c, keys[i])}
            coeffs, const = {}, Fraction(0)
            for exps, q in terms:
                # a generator exp(m/d) is named with its d: the forms of one system share variables,
                # and exp(x) is not exp(x/2)
                mono = tuple(sorted(((_shared_key(rf, keys[i]), e - low.get(i, 0)) for i, e in enumerate(exps)
                                     if i in keys and e - low.get(i, 0)), key=repr))
                q = Fraction(int(q.p), int(q.q)) * flip
                if mono:
                    coeffs[mono] = q
                else:
                    const = q
            # a positive multiple with integer coefficients has the same sign
            scale = math.lcm(const.denominator, *(q.denominator for q in coeffs.values()))
            form = {v: int(q * scale) for v, q in coeffs.items()}, int(const * scale)
        elif flip:
            form = {}, 0
    except (_TooLarge, _Undefined):
        pass
    memo[pair] = form
    return form


def _cycles(rows):
    """Difference constraints (rows c (u - w) + k or c u + k): True iff some cycle of the graph with
    edges u -> w of weight k/|c| (0 for the lone variable's other end) is negative, or zero through
    a strict row (Bellman-Ford on (sum k, -strict rows), lexicographic); None for other rows."""
    edges, nodes = [], {None}
    for coeffs, const, strict in rows:
        items = list(coeffs.items())
        if len(items) == 1:
            (v, q), = items
            u, w = (v, None) if q > 0 else (None, v)
        elif len(items) == 2 and items[0][1] == -items[1][1]:
            (a, q), (b, _) = items
            u, w = (a, b) if q > 0 else (b, a)
        elif not items:
            if const < 0 or (strict and const == 0):
                return True
            continue
        else:
            return None
        edges.append((u, w, const // abs(q) if const % abs(q) == 0 else Fraction(const) / abs(q), strict))
        nodes |= {u, w}
    scale = math.lcm(*(k.denominator for _, _, k, _ in edges)) if edges else 1
    edges = [(u, w, int(k * scale), -int(strict)) for u, w, k, strict in edges]
    dist = dict.fromkeys(nodes, (0, 0))
    for _ in range(len(nodes)):
        changed = False
        for u, w, k, s in edges:
            cand = (dist[u][0] + k, dist[u][1] + s)
            if cand < dist[w]:
                dist[w], changed = cand, True
        if not changed:
            return False
    return True


def _fm_empty(rows) -> bool:
    """True only if the rows ({variable: integer q}, constant, strict) -- sum q v + constant > 0 (or
    >= 0) -- have no real solution: by negative cycles for difference constraints, else exact
    Fourier-Motzkin elimination; False if feasible or too large."""
    by_cycles = _cycles(rows)
    if by_cycles is not None:
        return by_cycles
    table = {}

    def add(coeffs, const, strict, into):
        if not coeffs:
            return const < 0 or (strict and const == 0)
        items = sorted(coeffs.items(), key=lambda kv: repr(kv[0]))
        scale = math.gcd(*(q for _, q in items))
        key = tuple((v, q // scale) for v, q in items)
        const = Fraction(const) / scale
        old = into.get(key)
        if old is None or const < old[0] or (const == old[0] and strict and not old[1]):
            into[key] = (const, strict)
        return False

    for coeffs, const, strict in rows:
        if add({v: q for v, q in coeffs.items() if q != 0}, const, strict, table):
            return True
    while table:
        count = {}
        for key in table:
            for v, q in key:
                pos, neg = count.get(v, (0, 0))
                count[v] = (pos + (q > 0), neg + (q < 0))
        var = min(count, key=lambda v: (count[v][0] * count[v][1] - sum(count[v]), repr(v)))
        keep, pos, neg = {}, [], []
        for key, (const, strict) in table.items():
            q = dict(key).get(var)
            if q is None:
                keep[key] = (const, strict)
            else:
                (pos if q > 0 else neg).append((dict(key), const, strict, q))
        if len(keep) + len(pos) * len(neg) > FM_ROWS:
            return False
        for p, pc, ps, pq in pos:
            for r, rc, rs, rq in neg:
                combo = {v: -rq * p.get(v, 0) + pq * r.get(v, 0) for v in set(p) | set(r) if v != var}
                if add({v: q for v, q in combo.items() if q != 0}, -rq * pc + pq * rc, ps or rs, keep):
                    return True
        table = keep
    return False


def _rows(c: _Cert, pair, signs, memo):
    """The alternatives (lists of rows) for a - b having a sign in signs; None if no sign is allowed."""
    if not signs:
        return None
    if signs == {-1, 0, 1}:
        return [[]]
    coeffs, const = _linear_form(c, pair, memo)
    neg = {v: -q for v, q in coeffs.items()}
    return {frozenset({1}): [[(coeffs, const, True)]], frozenset({0, 1}): [[(coeffs, const, False)]],
            frozenset({-1}): [[(neg, -const, True)]], frozenset({-1, 0}): [[(neg, -const, False)]],
            frozenset({0}): [[(coeffs, const, False), (neg, -const, False)]],
            frozenset({-1, 1}): [[(coeffs, const, True)], [(neg, -const, True)]]}[frozenset(signs)]


def _system(c: _Cert, items, memo):
    """(rows, clauses) for a list of literal items; rows None if impossible.  A disjunction whose
    alternatives are not plain lists of rows is left out (it only could have excluded more)."""
    rows, clauses = [], []
    for item in items:
        if item[0] == "rel":
            alts = _rows(c, item[1], item[2], memo)
            if alts is None:
                return None, []
            if len(alts) == 1:
                rows += alts[0]
            else:
                clauses.append(alts)
            continue
        alts = []
        for alt in item[1]:
            r, cls = _system(c, alt, memo)
            if r is None:
                continue
            if len(cls) > 1:
                alts = None
                break
            alts += [r + x for x in cls[0]] if cls else [r]
        if alts is None:
            continue
        if not alts:
            return None, []
        if len(alts) == 1:
            rows += alts[0]
        else:
            clauses.append(alts)
    return rows, clauses


def _bounds(c: _Cert, rows, clauses) -> list:
    """Rows from the domains: a variable that is one symbol lies between its numeric ends."""
    out, seen = [], set()
    for coeffs, _, _ in rows + [row for cl in clauses for alt in cl for row in alt]:
        for v in coeffs:
            if v in seen or not (isinstance(v, tuple) and len(v) == 1 and v[0][1] == 1 and isinstance(v[0][0], int)):
                continue
            seen.add(v)
            n = v[0][0]
            d = c.domains.get(c.t.payload(n)) if c.t.op(n) == "Sym" and n not in c.defs else None
            if d is not None and d["lo"] is not None:     # q v - p >= 0 for lo = p/q
                out.append(({v: d["lo"].denominator}, -d["lo"].numerator, d["lo_open"]))
            if d is not None and d["hi"] is not None:
                out.append(({v: -d["hi"].denominator}, d["hi"].numerator, d["hi_open"]))
    return out


def _satisfiable(rows, clauses, splits) -> bool:
    while True:
        if _fm_empty(rows):
            return False
        still, grew = [], False
        for clause in clauses:
            alive = [alt for alt in clause if not _fm_empty(rows + alt)]
            if not alive:
                return False
            if len(alive) == 1:
                rows, grew = rows + alive[0], True
            else:
                still.append(alive)
        clauses = still
        if not grew:
            break
    if not clauses:
        return True
    splits[0] -= 1
    if splits[0] < 0:
        return True
    clause = min(clauses, key=len)
    rest = [cl for cl in clauses if cl is not clause]
    return any(_satisfiable(rows + alt, rest, splits) for alt in clause)


def _feasible(c: _Cert, literals, memo=None) -> bool:
    """False only if the literals are shown to have no common solution on the domains: relations as
    linear forms in monomials (positive factors divided out), disjunctions split case by case, each
    system decided empty by exact Fourier-Motzkin elimination."""
    memo = {} if memo is None else memo
    rows, clauses = _system(c, literals, memo)
    if rows is None:
        return False
    return _satisfiable(rows + _bounds(c, rows, clauses), clauses, [MAX_SPLITS])


def _as_piecewise(t: _Terms, root: int) -> int:
    """Max(a_1..a_n) as Piecewise((a_i, a_i >= every later a_j), ..., (a_n, True)); Min alike."""
    out = {}
    for n in _postorder([root], t.kids):
        op, kids = t.op(n), [out[k] for k in t.kids(n)]
        if op in ("Max", "Min") and len(kids) == 1:
            out[n] = kids[0]
        elif op in ("Max", "Min"):
            # a_i when it is >= every later a_j: reaching branch i, the earlier ones are each below a later one
            rel, branches = "Ge" if op == "Max" else "Le", []
            for i, a in enumerate(kids[:-1]):
                conds = [t.make(rel, None, [a, b]) for b in kids[i + 1:]]
                branches += [a, conds[0] if len(conds) == 1 else t.make("And", None, conds)]
            out[n] = t.make("Piecewise", None, branches + [kids[-1], t.make("true")])
        else:
            out[n] = t.make(op, t.payload(n), kids)
    return out[root]


def _replace(t: _Terms, root: int, old: int, new: int) -> int:
    out = {}
    for n in _postorder([root], t.kids):
        out[n] = new if n == old else t.make(t.op(n), t.payload(n), [out[k] for k in t.kids(n)])
    return out[root]


def _pairs(t: _Terms, cond: int, holds: bool) -> list:
    """The (condition, holds) pairs a condition holding (or not) implies, a conjunction split."""
    op = t.op(cond)
    if op == "Not":
        return _pairs(t, t.kids(cond)[0], not holds)
    if (op == "And") == holds and op in ("And", "Or"):
        return [p for k in t.kids(cond) for p in _pairs(t, k, holds)]
    return [(cond, holds)]


def _zero_on_branches(c: _Cert, root: int, literals=(), budget=None, memo=None, pairs=()) -> bool:
    """Zero for every choice of Piecewise branches whose conditions can hold together.

    At a point, each Piecewise takes its first branch whose condition holds:
    that choice's literals hold there, so it is never skipped by _feasible;
    nor by a region this checker has confirmed empty (``c.cores``), which it
    skips only if the branch's conditions include all of the region's.
    """
    t, budget, memo = c.t, budget or [MAX_BRANCHES], {} if memo is None else memo
    pw = next((n for n in _postorder([root], t.kids) if t.op(n) == "Piecewise"), None)
    if pw is None:
        return _zero(c, root) is not None
    kids, earlier, earlier_pairs = t.kids(pw), [], []
    for e, cond in zip(kids[::2], kids[1::2]):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        here = _literals(t, cond, True)
        branch_pairs = (*pairs, *earlier_pairs, *_pairs(t, cond, True))
        chosen = set(branch_pairs)
        if here is not None and not any(core <= chosen for core in c.cores) \
                and _feasible(c, [*literals, *earlier, *here], memo):
            if not _zero_on_branches(c, _replace(t, root, pw, e), (*literals, *earlier, *here), budget, memo,
                                     branch_pairs):
                return False
        not_here = _literals(t, cond, False)
        if not_here is None:
            break               # the condition always holds: later branches never apply
        earlier += not_here
        earlier_pairs += _pairs(t, cond, False)
    return True


def _zero_test(c: _Cert, root: int, point=None) -> str | None:
    """How root is shown zero (atoms opaque, then definitions and the point substituted), or None."""
    forms = []
    if point is None:
        if how := _zero(c, root):
            return f"{how} (atoms opaque)"     # the substitution is then not needed
        forms.append(("atoms opaque", root))
    label = "at the point" if point is not None else "definitions substituted"
    forms.append((label, _substitute(c, root, point)))
    if how := _zero(c, forms[-1][1]):
        return f"{how} ({label})"
    for label, r in forms:
        nodes = _postorder([r], c.t.kids)
        if len(nodes) <= MAX_BRANCH_NODES and any(c.t.op(n) in ("Piecewise", "Max", "Min") for n in nodes) \
                and _zero_on_branches(c, _as_piecewise(c.t, r)):
            return f"zero on every branch of its Piecewise/Max/Min ({label})"
    return None


# ---------------------------------------------------------------------------
# sign rules
# ---------------------------------------------------------------------------

def _close(facts: set) -> frozenset:
    if "pos" in facts:
        facts |= {"nonneg", "nonzero"}
    if "neg" in facts:
        facts |= {"nonpos", "nonzero"}
    if facts & {"nonneg", "nonpos", "nonzero"}:
        facts.add("real")
    return frozenset(facts)


def _sign_class(f) -> tuple | None:
    """(negative?, strict?) for a factor of known sign, else None."""
    for name, cls in (("pos", (False, True)), ("neg", (True, True)), ("nonneg", (False, False)),
                      ("nonpos", (True, False))):
        if name in f:
            return cls
    return None


def _facts(c: _Cert, root: int) -> frozenset:
    """Sign facts of root ({"pos", "neg", "nonneg", "nonpos", "nonzero", "real"}) by a few sound rules.

    Symbols range over their domains (rational, so real); an atom has the
    facts of its formula; sums and products by sign; even powers; powers of
    a positive base; exp of a real; Abs >= 0; Max/Min; a Piecewise has the
    facts common to its branches.  Each fact holds wherever root is defined.
    """
    t, F = c.t, {}
    for n in _postorder([root], c.children):
        op, kids = t.op(n), t.kids(n)
        kf = [F[k] for k in c.children(n)]
        f = set()
        if n in c.defs:
            f = set(kf[0])
        elif op == "Num":
            q = t.payload(n)
            f = {"pos"} if q > 0 else {"neg"} if q < 0 else {"nonneg", "nonpos"}
        elif op in ("pi", "E"):
            f = {"pos"}
        elif op == "Sym" and t.payload(n) in c.domains:
            d = c.domains[t.payload(n)]
            lo, hi, z = d["lo"], d["hi"], d["exclude_zero"]
            f = {"real"} | ({"nonzero"} if z else set())
            if d["primality"] or lo is not None and (lo > 0 or lo == 0 and (d["lo_open"] or z)):
                f.add("pos")
            elif lo is not None and lo >= 0:
                f.add("nonneg")
            if hi is not None and (hi < 0 or hi == 0 and (d["hi_open"] or z)):
                f.add("neg")
            elif hi is not None and hi <= 0:
                f.add("nonpos")
        elif op == "Add":
            if all("real" in k for k in kf):
                f.add("real")
            if all("nonneg" in k for k in kf):
                f.add("pos" if any("pos" in k for k in kf) else "nonneg")
            if all("nonpos" in k for k in kf):
                f.add("neg" if any("neg" in k for k in kf) else "nonpos")
        elif op == "Mul":
            if all("real" in k for k in kf):
                f.add("real")
            if all("nonzero" in k for k in kf):
                f.add("nonzero")
            classes = [_sign_class(k) for k in kf]
            if all(cl is not None for cl in classes):
                negative = sum(cl[0] for cl in classes) % 2 == 1
                strict = all(cl[1] for cl in classes)
                f.add(("neg" if strict else "nonpos") if negative else ("pos" if strict else "nonneg"))
        elif op == "Pow":
            b, e = kf
            q = t.payload(kids[1]) if t.op(kids[1]) == "Num" else None
            if q is not None and q.denominator == 1:
                k = q.numerator
                if k == 0 or k % 2 == 0 and "nonzero" in b:
                    f.add("pos")
                elif k % 2 == 0 and k > 0 and "real" in b:
                    f.add("nonneg")
                elif "pos" in b or "neg" in b:
                    f.add("pos" if "pos" in b else "neg")
                elif k > 0 and ("nonneg" in b or "nonpos" in b):
                    f.add("nonneg" if "nonneg" in b else "nonpos")
                elif "real" in b and (k > 0 or "nonzero" in b):
                    f.add("real")
            elif "pos" in b and "real" in e:
                f.add("pos")
            elif q is not None and q > 0 and "nonneg" in b:
                f.add("nonneg")
        elif op == "exp" and "real" in kf[0]:
            f.add("pos")
        elif op == "log" and "pos" in kf[0]:
            f.add("real")
        elif op in ("sin", "cos", "tan") and "real" in kf[0]:
            f.add("real")
        elif op == "erf" and "real" in kf[0]:      # odd and increasing: the sign of its argument
            f = {"real"} | (kf[0] & {"pos", "neg", "nonneg", "nonpos", "nonzero"})
        elif op == "Abs":
            f = {"pos"} if "nonzero" in kf[0] else {"nonneg"}
        elif op == "sign" and "real" in kf[0]:
            f = {"real"} | (kf[0] & {"pos", "neg", "nonneg", "nonpos", "nonzero"})
        elif op in ("Max", "Min") and all("real" in k for k in kf):
            some, every = (any, all) if op == "Max" else (all, any)
            f = {"real"} | {s for s in ("pos", "nonneg") if some(s in k for k in kf)} \
                | {s for s in ("neg", "nonpos") if every(s in k for k in kf)}
        elif op == "Piecewise":
            f = set.intersection(*(set(k) for k in kf[::2]))
        F[n] = _close(f)
    return F[root]


# ---------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------

class _NotRational(Exception):
    """A number the exact expectation needs is not rational at the point."""


def _exact_expectation_unsupported(record, model) -> str | None:
    """Why a stated expectation is not computed exactly here, or None."""
    if not isinstance(record, dict) or "integrand" not in record:
        return "it is simulated in process only"
    if record.get("redrawn") or record.get("uniform"):
        return "signals are redrawn or uniforms drawn"
    if record.get("state") == "fixed":
        return None
    if record.get("state") != "posterior" or not record.get("given"):
        return "the state is not drawn given signals"
    if not isinstance(model, dict) or model.get("structure") not in ("gaussian", "beta-bernoulli", "wallet"):
        return "no posterior moments for this model here"
    return None


def _fold_branches(c: _Cert, root: int) -> int:
    """root (the point already put in) with each Piecewise, Max and Min whose conditions are decided
    without omega or omega_hat replaced by its branch there (who wins a slot, at given reports)."""
    t, ev, out = c.t, _Evaluator(c, {}), {}
    root = _as_piecewise(t, root)
    for n in _postorder([root], t.kids):
        op, kids = t.op(n), [out[k] for k in t.kids(n)]
        chosen = None
        if op == "Piecewise":
            for e, cond in zip(kids[::2], kids[1::2]):
                try:
                    if ev.holds(cond):
                        chosen = e
                        break
                except (_Undefined, _Undecided, _Opaque):
                    break           # a condition on omega or omega_hat: kept as it is
        out[n] = chosen if chosen is not None else t.make(op, t.payload(n), kids)
    return out[root]


def _rational_at(c: _Cert, tree, pt: dict) -> Fraction:
    node = _substitute(c, c.t.parse(tree, "a primitive"), pt)
    if c.t.op(node) != "Num":
        raise _NotRational("a primitive or moment is not a rational number at the point")
    return c.t.payload(node)


def _normal_moments(k: int, var: Fraction) -> Fraction:
    """E[N(0, var)^k]: (k-1)!! var^(k/2) for even k, else 0."""
    return Fraction(math.prod(range(k - 1, 0, -2)) if k > 0 else 1) * var ** (k // 2) if k % 2 == 0 else Fraction(0)


def _law_polynomial(c: _Cert, law, pt: dict):
    """b -> {k: w}: E[omega_hat^b | omega] = sum_k w omega^k under the estimator's law at the point.
    Every law here but the click rate is omega_hat = alpha + beta omega + N(0, var)."""
    if law is None:         # no estimate drawn: the integrand may not depend on one

        def none(b):
            if b:
                raise _NotRational("omega_hat occurs but no estimator law is stated")
            return {0: Fraction(1)}
        return none
    p = {k: _rational_at(c, v, pt) for k, v in law.items() if k != "law"}
    kind = law["law"]
    if kind == "sample-click-rate":
        m = p["m"]
        if m.denominator != 1 or m < 1:
            raise _NotRational("the sample click rate needs an integer m >= 1")
        m = int(m)

        def binomial(b):
            # E[X^b] = sum_k S(b, k) m (m-1) ... (m-k+1) omega^k, X ~ Binomial(m, omega)
            stirling = [[Fraction(0)] * (b + 1) for _ in range(b + 1)]
            stirling[0][0] = Fraction(1)
            for n in range(1, b + 1):
                for k in range(1, n + 1):
                    stirling[n][k] = k * stirling[n - 1][k] + stirling[n - 1][k - 1]
            return {k: stirling[b][k] * math.prod(range(m - k + 1, m + 1)) / Fraction(m) ** b for k in range(b + 1)}
        return binomial
    if kind == "ex-post":
        alpha, beta, var = Fraction(0), Fraction(1), Fraction(0)
    elif kind == "additive-noise":
        alpha, beta, var = Fraction(0), Fraction(1), p["variance"] / p["m"]
    else:       # bayesian-shrinkage: (pm/pv + m rho/nv) / (1/pv + m/nv), rho = omega + N(0, nv/m)
        weight = 1 / p["prior_var"] + p["m"] / p["noise_var"]
        alpha, beta = p["prior_mean"] / p["prior_var"] / weight, p["m"] / p["noise_var"] / weight
        var = beta ** 2 * p["noise_var"] / p["m"]

    def affine(b):
        out = {}
        for i in range(0, b + 1, 2):            # (alpha + beta omega + eps)^b, eps ~ N(0, var)
            w = math.comb(b, i) * _normal_moments(i, var)
            for l in range(b - i + 1):
                out[l] = out.get(l, 0) + w * math.comb(b - i, l) * alpha ** (b - i - l) * beta ** l
        return out
    return affine


def _moments(c: _Cert, model, record, pt: dict):
    """k -> E[omega^k | s_given] at the point, from the model's rebuilt formulas (omega^k if fixed)."""
    if record["state"] == "fixed":
        if "omega" not in pt:
            raise _NotRational("the point gives no value of omega")
        return lambda k: pt["omega"] ** k
    given = record["given"]
    args = []
    for j in given:
        if f"s{j}" not in pt:
            raise _NotRational(f"the point gives no value of s{j}")
        q = pt[f"s{j}"]
        args.append(["Rational", str(q.numerator), str(q.denominator)])
    memo = {0: Fraction(1)}

    def moment(k):
        if k not in memo:
            head = "E[omega" + ("" if k == 1 else f"^{k}") + "|" + ",".join(map(str, given)) + "]"
            try:
                memo[k] = _rational_at(c, posterior_definition(model, ["Function", head, *args]), pt)
            except ModelError as exc:
                raise _NotRational(str(exc)) from None
        return memo[k]
    return moment


class _Checker:
    def __init__(self, c: _Cert, samplers, problems: list, notes: list, rerun: bool = True):
        self.c, self.problems, self.notes, self.rerun = c, problems, notes, rerun
        self.sampler = samplers.get(c.id) if isinstance(samplers, dict) else None
        self.ball_points = 0
        if c.simulation is not None and rerun and c.mc:
            # the statement states what is simulated: re-run from it, never with the engine's sampler
            try:
                sim = c.simulation
                self.sampler = _Rerun(_simulate.Simulation(sim["model"], sim["definitions"], sim["expectation"]))
                self.notes.append("Monte Carlo re-run from the statement's model and the recorded seeds")
            except (_simulate.SimulationError, RecursionError) as exc:
                self.sampler = None
                self.problem(f"the stated expectation cannot be simulated ({_short(str(exc))})")

    def problem(self, text):
        self.problems.append(text)

    def run(self):
        c = self.c
        if c.status == "proved" and c.witness is not None:
            self.problem("status is proved but the certificate carries a witness")
        if c.status == "refuted" and c.witness is None:
            self.problem("status is refuted but the certificate carries no witness")
        if c.status == "inconclusive" and c.witness is not None:
            self.problem("status is inconclusive but the certificate carries a witness")
        for i, p in enumerate(c.points):
            self.point_names(p, f"points[{i}]")
        if c.status == "inconclusive":
            self.notes.append("inconclusive: nothing to confirm (well-formedness checked)")
            return
        if c.status == "refuted" and c.witness is not None:
            self.refutation()
        if c.status == "proved":
            self.identity() if c.kind == "identity" else self.sign()
        if c.mc_required and c.status == "proved" and len(c.mc) < MC_POINTS:
            self.problem(f"the claim involves an expectation, but only {len(c.mc)} Monte Carlo entries are given")
        if c.mc:
            self.monte_carlo()
        if c.status == "proved" and c.simulation is not None and c.mc and self.rerun:
            self.exact_expectation()     # with the re-run: not in the kernel's own check of a fresh verdict

    def exact_expectation(self):
        """The stated expectation computed exactly from the primitives at every point of the
        certificate (the proof's and the simulation's):
        the integrand, with the point put in, as a polynomial in omega and omega_hat; E[omega_hat^b
        | omega] from the estimator's law; E[omega^k | s_given] from the model's rebuilt posterior
        formulas (or omega^k at a fixed omega).  It must equal the right-hand side there.  Where this
        cannot be done (signals redrawn, uniforms, no posterior given signals, an integrand not
        polynomial in omega and omega_hat, a number not rational) the notes say why and the
        simulation alone binds the right-hand side to the model."""
        c, t = self.c, self.c.t
        record, model = c.simulation["expectation"], c.simulation["model"]
        why = _exact_expectation_unsupported(record, model)
        if why:
            self.notes.append(f"expectation not computed exactly: {why}")
            return
        om, oh = t.make("Sym", "omega"), t.make("Sym", "omega_hat")
        integrand = t.parse(record["integrand"], "statement.expectation.integrand")
        agreed, rhs = 0, c.mc[0]["exact"]          # every entry's exact is the statement's rhs
        stops = [(f"points[{j}]", p) for j, p in enumerate(c.points)]
        stops += [(f"monte_carlo[{j}]", e["point"]) for j, e in enumerate(c.mc)]
        # points the prover did not choose: a right-hand side that agrees with the expectation only
        # at the certificate's points (a polynomial with roots there) is caught at these
        stops += [(f"the checker's point {j}", p) for j, p in enumerate(self.own_points(record, model))]
        for where, p in stops:
            pt = dict(p)
            fixed = record["state"] == "fixed"
            try:
                moment = _moments(c, model, record, pt)
                node = _fold_branches(c, _substitute(c, integrand, {k: v for k, v in pt.items()
                                                                    if k != "omega_hat" and (fixed or k != "omega")}))
                poly = _RationalFunction(t, node)
                gens = {i: key for key, i in poly.gens.items()}
                used = [i for i in gens if poly.num.degrees()[i] or poly.den.degrees()[i]]
                if any(gens[i] not in (om, oh) for i in used) or not poly.den.is_constant():
                    total, why = _point_mass_value(c, integrand, record, moment, pt)
                    if why or not isinstance(total, Fraction):
                        self.notes.append(f"{where}: the integrand is not a polynomial in omega and omega_hat "
                                          "there: expectation not computed exactly")
                        continue
                else:
                    den = Fraction(int(poly.den.coeffs()[0].p), int(poly.den.coeffs()[0].q))
                    law = _law_polynomial(c, record["estimator"], pt)
                    total = Fraction(0)
                    for exps, q in poly.num.terms():
                        a = sum(int(exps[i]) for i in used if gens[i] == om)
                        b = sum(int(exps[i]) for i in used if gens[i] == oh)
                        total += Fraction(int(q.p), int(q.q)) / den * sum(w * moment(a + k) for k, w in law(b).items())
                v, _, how = _decide(c, rhs, pt)
            except (_Undefined, _Opaque, _TooLarge, _NotRational) as exc:
                self.notes.append(f"{where}: expectation not computed exactly ({_short(str(exc), 60)})")
                continue
            if not isinstance(v, Fraction):
                self.notes.append(f"{where}: the right-hand side is not rational there ({how})")
            elif v != total:
                self.problem(f"{where}: the expectation computed exactly from the model's primitives is "
                             f"{_show(total)}, not the right-hand side {_show(v)}")
            else:
                agreed += 1
        self.notes.append(f"the expectation computed exactly from the primitives equals the right-hand side "
                          f"at {agreed} of {len(stops)} points (the proof's, the simulation's and the checker's)")

    def own_points(self, record, model, count: int = OWN_POINTS) -> list:
        """Points of the domains the prover did not choose: the certificate's points moved by amounts
        drawn from a seed that is the hash of what is stated (the right-hand side, the expectation's
        record, the model), so a prover cannot choose them without changing the statement.  A
        coordinate is moved by a small rational (an integer for an integer domain) and kept only
        where the point stays inside every domain."""
        c = self.c
        if not c.points:
            return []
        seed = fingerprint({"rhs": _dump(c.t, c.mc[0]["exact"]), "expectation": record, "model": model})
        rng = random.Random(int(seed, 16))
        seen = {frozenset(p.items()) for p in c.points}
        out = []
        for _ in range(20 * count):
            if len(out) == count:
                break
            p = dict(rng.choice(c.points))
            for name in sorted(p):
                d = c.domains.get(name)
                if d is None:
                    continue
                step = (Fraction(rng.choice((1, 2, 3))) if d["integer"]
                        else Fraction(rng.randint(1, 96), 97 * rng.choice((1, 2))))
                moved = {**p, name: p[name] + rng.choice((-1, 1)) * step}
                if _outside(d, moved[name], moved) is None:
                    p = moved
            key = frozenset(p.items())
            if key not in seen and all(_outside(c.domains[k], q, p) is None for k, q in p.items() if k in c.domains):
                seen.add(key)
                out.append(p)
        return out


    def point_names(self, p: dict, where: str, need_free=True) -> bool:
        c, ok = self.c, True
        for name in p:
            if name not in c.domains:
                self.problem(f"{where}: {name!r} has no domain")
                ok = False
            elif any(c.t.op(a) == "Sym" and c.t.payload(a) == name for a in c.defs):
                self.problem(f"{where}: {name!r} has a definition and cannot be given a value")
                ok = False
        missing = sorted(c.free - set(p)) if need_free else []
        if missing:
            self.problem(f"{where} leaves the free symbols {missing} without a value")
        return ok and not missing

    def in_domains(self, p: dict, where: str) -> bool:
        ok = True
        for name, q in p.items():
            why = _outside(self.c.domains[name], q, p) if name in self.c.domains else None   # else reported already
            if why:
                self.problem(f"{where}: {name} = {_show(q)} is outside its domain ({why})")
                ok = False
        return ok

    def distinct(self, need: int, duplicates_ok=False) -> None:
        c, seen = self.c, {}
        for i, p in enumerate(c.points):
            # values of symbols the expression does not use make no point different
            key = frozenset((k, q) for k, q in p.items() if k in c.free)
            if key in seen:
                text = f"points[{i}] duplicates points[{seen[key]}]"
                self.notes.append(text) if duplicates_ok else self.problem(text)
            seen.setdefault(key, i)
        if len(seen) < need:
            self.problem(f"only {len(seen)} distinct points; {need} are needed")

    def identity(self):
        c = self.c
        if c.constant:
            if c.free:
                self.problem(f"decisions.constant is set but the residual has free symbols {sorted(c.free)}")
                return
            try:
                v, s, how = _decide(c, c.expr, {})
            except _Undefined as exc:
                # over the reals, as at a point: log 0 - log 0 is undefined, not 0
                self.problem(f"the constant residual is undefined over the reals ({exc})")
                return
            except _Opaque as exc:
                v, s, how = None, None, str(exc)
            zero = "exactly 0" if s == 0 else _zero_test(c, c.expr) if s is None else None
            if zero:
                self.notes.append(f"constant residual: {zero}")
            else:
                self.problem(f"the constant residual is not shown to be 0 ({how})")
            return
        if not c.symbolic:
            self.problem("proved identity without a symbolic decision (symbolic is null)")
        self.regions()
        if c.symbolic:
            how = _zero_test(c, c.expr)
            if how is None:
                self.problem("the residual is not zero as a rational function (atoms opaque or substituted)")
            else:
                self.notes.append(f"symbolic: {how}")
        self.distinct(MIN_POINTS)
        exact = 0
        for i, p in enumerate(c.points):
            if not self.in_domains(p, f"points[{i}]"):
                continue
            try:
                v, s, how = _decide(c, c.expr, p)
            except _Undefined as exc:
                self.problem(f"points[{i}]: the residual is undefined there ({exc})")
                continue
            except _Opaque as exc:
                s, how = None, str(exc)
            if s == 0:
                exact += 1
            elif s is not None:
                self.problem(f"points[{i}]: the residual is not 0 there ({_sign_word(s)}, {how})")
            elif _zero_test(c, c.expr, p):
                exact += 1
            elif how.startswith("ball contains 0"):
                self.ball_points += 1
                self.notes.append(f"points[{i}]: transcendental value, {how}")
            else:
                self.problem(f"points[{i}]: the residual is not decided there ({how})")
        if c.points and exact == 0 and self.ball_points == len(c.points):
            self.problem("every point is only shown by a ball containing 0; none is exactly 0")
        self.notes.append(f"{exact} points exactly zero, {self.ball_points} only by a ball containing 0")

    def regions(self):
        """Each region the certificate says is empty must be shown empty here."""
        c, memo = self.c, {}
        for k, conds in c.regions:
            items = []
            for cond, holds in conds:
                lits = _literals(c.t, cond, holds)
                if lits is None:
                    items = None
                    break
                items += lits
            if items is not None and _feasible(c, items, memo):
                self.problem(f"symbolic.regions.empty[{k}] is said to be empty, but its conditions are not "
                             "shown to contradict each other")
            else:
                c.cores.append(frozenset(p for cond, holds in conds for p in _pairs(c.t, cond, holds)))
        if c.regions:
            self.notes.append(f"{len(c.regions)} regions confirmed empty")

    def sign(self):
        c = self.c
        self.distinct(1 if c.at_points_only else MIN_POINTS, duplicates_ok=c.at_points_only)
        for i, p in enumerate(c.points):
            if not self.in_domains(p, f"points[{i}]"):
                continue
            try:
                v, s, how = _decide(c, c.expr, p)
            except (_Undefined, _Opaque) as exc:
                self.problem(f"points[{i}]: expr is not evaluated there ({exc})")
                continue
            if s is None:
                self.problem(f"points[{i}]: the sign is not decided ({how})")
            elif not (s == 1 or s == 0 and c.sign == "nonnegative"):
                self.problem(f"points[{i}]: expr is {_sign_word(s)} there ({how}), not {c.sign}")
        if c.at_points_only:
            if not c.claim.endswith(" given"):
                self.problem("at_points_only, but the claim does not say it is about the points given")
            self.notes.append(f"the claim is about the {len(c.points)} points given only")
            return
        if c.form is None:
            self.problem("proved sign without a symbolic form (symbolic.form is null)")
            return
        t = c.t
        if any(t.op(n) == "Piecewise" for n in _postorder([c.form], c.children)):
            # a Piecewise may be undefined exactly where the claim fails: the form must be total
            self.problem("symbolic.form contains a Piecewise; a sign form must be defined everywhere")
            return
        diff = t.make("Add", None, [c.form, t.make("Mul", None, [t.num(-1), c.expr])])
        how = _zero_test(c, diff)
        if how is None:
            self.problem("symbolic.form - expr is not zero as a rational function")
        facts = _facts(c, c.form)
        if ("pos" if c.sign == "positive" else "nonneg") not in facts:
            self.problem(f"symbolic.form is not shown {c.sign} by the sign rules (found {sorted(facts) or 'nothing'})")
        elif how:
            self.notes.append(f"symbolic: form == expr ({how}) and form is {c.sign} by the sign rules")

    def refutation(self):
        c, w = self.c, self.c.witness
        if w["sign"] == 2:
            self.problem("witness.sign 2 (a value off the real line) is not checked: this checker works over the reals")
            return
        if not self.point_names(w["point"], "witness.point") or not self.in_domains(w["point"], "witness.point"):
            return
        try:
            v, s, how = _decide(c, c.expr, w["point"])
        except (_Undefined, _Opaque) as exc:
            self.problem(f"witness: expr is not evaluated at the witness point ({exc})")
            return
        if s is None:
            self.problem(f"witness: the gap's sign is not certified ({how})")
            return
        if w["gap"] is None:
            self.notes.append(f"witness: no recorded gap; the recomputed gap is {_sign_word(s)} ({how})")
        else:
            self.compare_gap(v, w)
        wanted = {"identity": (1, -1), "positive": (0, -1), "nonnegative": (-1,)}[c.sign or c.kind]
        if s not in wanted:
            self.problem(f"witness: the gap is {_sign_word(s)} ({how}), which does not refute the claim")
        if w["sign"] != s:
            self.problem(f"witness.sign is {w['sign']} but the recomputed gap has sign {s}")

    def compare_gap(self, v, w):
        c, t = self.c, self.c.t
        diff = t.make("Add", None, [c.expr, t.make("Mul", None, [t.num(-1), w["gap"]])])
        try:
            g, gs, _ = _decide(c, w["gap"], w["point"])
            d, ds, how = _decide(c, diff, w["point"])
        except (_Undefined, _Opaque) as exc:
            self.problem(f"witness.gap is not evaluated ({exc})")
            return
        if isinstance(v, Fraction):
            if not isinstance(g, Fraction) or g != v:
                shown = _show(g) if isinstance(g, Fraction) else "not that rational"
                self.problem(f"witness.gap is {shown}, but the gap recomputed at the point is {_show(v)}")
        elif ds not in (None, 0):
            self.problem(f"witness.gap differs from the gap recomputed at the point ({how})")
        elif gs != w.get("sign"):
            # the recorded gap must itself be decided, with the witness's sign
            self.problem("witness.gap's own sign is not decided as the witness's sign")
        else:
            self.notes.append("witness: the recorded gap and the recomputed one agree as balls")

    def monte_carlo(self):
        c, proved = self.c, self.c.status == "proved"
        sampler = self.sampler
        points = set()
        for j, e in enumerate(c.mc):
            where = f"monte_carlo[{j}]"
            if not self.point_names(e["point"], f"{where}.point", need_free=False) \
                    or not self.in_domains(e["point"], f"{where}.point"):
                continue
            points.add(frozenset(e["point"].items()))
            est, se, mean_abs, ess = e["estimate"], e["se"], e["mean_abs"], e["ess"]
            if not all(math.isfinite(x) for x in (est, se, mean_abs, ess)) or min(se, mean_abs) < 0 \
                    or not 0 < ess <= e["samples"] * (1 + 1e-9):
                self.problem(f"{where}: estimate, se, mean_abs and ess must be finite (se, mean_abs >= 0, "
                             "0 < ess <= samples)")
                continue
            if ess < MC_MIN_SAMPLES:
                self.problem(f"{where}: effective sample size {ess:.0f}; at least {MC_MIN_SAMPLES} is needed")
            try:
                exact = _float(c, e["exact"], e["point"])
            except (_Undefined, _Opaque, _Undecided, OverflowError) as exc:
                self.problem(f"{where}: the exact value is not evaluated ({exc})")
                continue
            if e["point_mass"]:
                # every draw is one value, decided exactly here rather than from the float statistics
                informative, agrees = self.point_mass(e, where)
                informative = informative and se == 0
            else:
                informative = 0 < se <= MC_RELATIVE_SE * max(abs(exact), mean_abs) and ess >= MC_MIN_SAMPLES
                agrees = abs(est - exact) <= MC_SIGMAS * se
            for name, got in (("informative", informative), ("agrees", agrees)):
                if e[name] != got:
                    self.problem(f"{where}: {name} is recorded {e[name]} but the rule gives {got}")
            if proved and not (informative and agrees):
                self.problem(f"{where}: a proof needs an informative, agreeing Monte Carlo entry")
            if sampler is not None:
                self.replay(sampler, e, where)
        if proved and len(points) < MC_POINTS:
            self.problem(f"Monte Carlo at {len(points)} distinct points; {MC_POINTS} are needed")
        if sampler is None:
            self.notes.append("Monte Carlo statistics re-checked; sampler not replayed")

    def point_mass(self, e, where: str) -> tuple:
        """(informative, agrees) of an entry marked point_mass: whether the stated law is a point
        mass at the entry's point (no signal redrawn, no uniform, omega_hat = omega or none, omega
        fixed by the point or of variance exactly 0 given the signals by the rebuilt posterior
        moments: E[omega^2 | s] = E[omega | s]^2), and whether its value, the integrand at omega =
        E[omega | s] computed exactly, is the right-hand side there (both rational)."""
        c, t, sim = self.c, self.c.t, self.c.simulation
        record = sim["expectation"] if sim is not None else None
        if not isinstance(record, dict) or "integrand" not in record:
            self.problem(f"{where}: a point mass is decided only from an expectation stated as a record")
            return False, False
        pt = dict(e["point"])
        try:
            value, why = _point_mass_value(c, t.parse(record["integrand"], f"{where}: integrand"), record,
                                           _moments(c, sim["model"], record, pt), pt)
            if why:
                self.problem(f"{where}: {why}")
                return False, False
            exact, _, _ = _decide(c, e["exact"], pt)
        except (_Undefined, _Opaque, _TooLarge, _NotRational, _Bad) as exc:
            self.problem(f"{where}: the point mass's value is not computed exactly ({_short(str(exc), 60)})")
            return False, False
        if not (isinstance(value, Fraction) and isinstance(exact, Fraction)):
            self.problem(f"{where}: the point mass's value or the right-hand side is not rational there")
            return False, False
        return True, value == exact

    def replay(self, sampler, e, where):
        import numpy as np      # only to replay a sampler
        if isinstance(sampler, _Rerun):
            sampler.size = e["samples"]
        try:
            out = sampler(dict(e["point"]), np.random.default_rng(e["seed"]))
            draws, weights = out if isinstance(out, tuple) else (out, None)
            draws = np.asarray(draws)
            weights = np.ones(draws.shape) if weights is None else np.asarray(weights)
            if np.iscomplexobj(draws) or draws.ndim != 1 or draws.size != e["samples"] \
                    or np.iscomplexobj(weights) or weights.shape != draws.shape:
                raise ValueError(f"expected real 1-d arrays of {e['samples']} draws and weights, "
                                 f"got shapes {draws.shape} and {weights.shape}")
            draws, weights = draws.astype(float), weights.astype(float)
        except Exception as exc:        # a sampler is user code: any failure is a problem
            self.problem(f"{where}: the sampler failed on replay ({type(exc).__name__}: {_short(str(exc))})")
            return
        live = weights > 0
        if not (np.all(np.isfinite(draws)) and np.all(np.isfinite(weights))) or np.any(weights < 0) \
                or not live.any() or bool(np.all(draws[live] == draws[live][0])) != e["point_mass"]:
            self.problem(f"{where}: replayed draws or weights are not all finite, weights negative, "
                         "or the draws all equal (unequal for a point mass)")
            return
        total = float(math.fsum(weights))
        est = float(math.fsum(weights * draws)) / total
        got = {"estimate": est, "se": math.sqrt(math.fsum(weights ** 2 * (draws - est) ** 2)) / total,
               "mean_abs": float(math.fsum(weights * np.abs(draws))) / total,
               "ess": total ** 2 / float(math.fsum(weights ** 2))}
        for k, x in got.items():
            if not abs(x - e[k]) <= 1e-9 * max(abs(x), abs(e[k])) + 1e-300:
                self.problem(f"{where}: replayed {k} {x!r} differs from the recorded {e[k]!r}")


class _Rerun:
    """The statement's simulation as a sampler ``f(point, rng)`` of ``size`` draws."""

    def __init__(self, simulation):
        self.simulation, self.size = simulation, 0

    def __call__(self, point, rng):
        return self.simulation.sample(point, rng, self.size)


def _sign_word(s) -> str:
    return {1: "positive", -1: "negative", 0: "zero"}.get(s, "undecided")


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

REPLAY_SECONDS = 60.0


class _OutOfTime(BaseException):
    """The replay's time budget is spent (a BaseException: no ``except Exception`` swallows it)."""


_PLAIN = (str, int, float, bool, type(None))


def _plain(obj):
    """A private copy of a certificate built only of JSON's own types (dict with string keys,
    list, str, int, float, bool, None: exact types, never subclasses), or a _Bad naming the first
    other object.  A list or dict met again is copied once, so what its writer shared stays shared
    (and a cycle stays a cycle, which the parsers reject); no method of the caller's objects runs,
    and nothing the caller holds is read after this, so every reading sees the JSON the
    certificate serializes to."""
    def fresh(x, where):
        kind = type(x)
        if kind in _PLAIN:
            return x
        if kind is list or kind is dict:
            known = copies.get(id(x))
            if known is None:
                known = copies[id(x)] = ([] if kind is list else {}), x     # x kept: its id is not reused
                todo.append((x, known[0], where))
            return known[0]
        raise _Bad(f"{where} is a {kind.__name__}, not a JSON value (object, list, string, number, "
                   "true, false, null)")

    copies, todo = {}, []
    root = fresh(obj, "the certificate")
    while todo:
        x, into, where = todo.pop()
        if type(x) is list:
            into.extend(fresh(v, f"{where}[{i}]") for i, v in enumerate(list.__iter__(x)))
        else:
            for k, v in dict.items(x):
                if type(k) is not str:
                    raise _Bad(f"{where} has a key that is a {type(k).__name__}, not a string")
                into[k] = fresh(v, f"{where}.{k}")
    return root


@contextlib.contextmanager
def _time_budget(seconds: float):
    """Interrupt the block after ``seconds`` with _OutOfTime (main thread only; elsewhere no limit).

    An outer timer (the kernel replays its certificates inside its own budget) is put back
    afterwards with what is left of it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise _OutOfTime
    start = time.monotonic()
    handler = signal.signal(signal.SIGALRM, alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    if 0 < outer < seconds:
        signal.setitimer(signal.ITIMER_REAL, outer)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        if outer > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


def replay(cert, samplers=None, seconds: float | None = None, *, rerun: bool = True) -> Report:
    """Replay one certificate's evidence against the expression, domains and definitions it
    carries; every failure is a problem string, never an exception.

    ``samplers`` maps a certificate id to ``f(point, rng) -> 1-d array`` with
    ``point = {name: Fraction}`` and ``rng = numpy.random.default_rng(seed)``; a certificate
    with a ``simulation`` (the statement's model, definitions and expectation record) is
    re-run through :mod:`.simulate` instead, and its expectation computed exactly (S7)
    where it can be (``rerun=False``: the statistics are only re-checked, as the kernel does
    right after drawing them through the same module).
    The replay runs under a time budget of ``seconds`` (:data:`REPLAY_SECONDS`
    if None); a certificate not replayed in time is not confirmed.

    >>> replay({"format": FORMAT}).problems
    ["<no id>: missing key 'id'"]
    """
    cert, rejected = _json_copy(cert)
    return rejected or _replay(cert, samplers, seconds, rerun=rerun)


def _json_copy(cert) -> tuple:
    """(the certificate copied in JSON's own types, None), or (None, the Report rejecting it)."""
    try:
        return _plain(cert), None  # what is read is what the certificate says
    except _Bad as exc:
        return None, Report(False, [f"<no id>: {exc}"], [], 0, "<no id>")


def _replay(cert, samplers, seconds, *, rerun: bool) -> Report:
    """:func:`replay` of a certificate already copied by :func:`_plain`."""
    if isinstance(cert, dict) and cert.get("format") == FINITE_FORMAT:
        # finite models: tables replayed in exact fractions by the other small checker
        from . import finite_checker
        report = finite_checker.recheck(cert)
        return Report(report.confirmed, list(report.problems), ["finite-model certificate"], 0,
                      cert.get("id") if isinstance(cert.get("id"), str) else "<no id>")
    if isinstance(cert, dict) and cert.get("format") == SCHEMATIC_FORMAT:
        # statements for every instance: rewrite steps replayed by the schematic checker
        from . import schematic_checker
        report = schematic_checker.recheck(cert)
        return Report(report.confirmed, list(report.problems), list(report.notes), 0, report.id)
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                or not 0 < seconds < math.inf):
        raise ValueError(f"seconds must be a positive finite number, got {seconds!r}")
    cid = cert.get("id") if isinstance(cert, dict) else None
    cid = _short(cid, 100) if isinstance(cid, str) else "<no id>"
    problems, notes, balls = [], [], 0
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(old, 20_000))     # evaluation recurses along (bounded) expression depth
        with _time_budget(limit := REPLAY_SECONDS if seconds is None else float(seconds)):
            checker = _Checker(_Cert(cert), samplers, problems, notes, rerun)
            checker.run()
            balls = checker.ball_points
    except _OutOfTime:
        problems.append(f"not replayed within the time budget ({limit:g} s)")
    except _Bad as exc:
        problems.append(str(exc))
    except RecursionError:
        problems.append("too deeply nested to check")
    except Exception as exc:        # a checker bug or hostile input: reject, never crash
        problems.append(f"internal error while checking: {type(exc).__name__}: {_short(str(exc))}")
    finally:
        sys.setrecursionlimit(old)
    problems = [f"{cid}: {p}" for p in problems]
    return Report(not problems, problems, notes, balls, cid)


def fingerprint(statement) -> str:
    """The statement's fingerprint: sha256 of its canonical JSON (sorted keys, no spaces, UTF-8).

    >>> fingerprint({"relation": "identity"})[:12]
    '79d24ad6b639'
    """
    text = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _nodes(tree, limit: int = MAX_NODES):
    """Every list node of a JSON tree, without recursion (the replay parses it under its limits);
    a list met again (a subtree its writer shared) is given once."""
    stack, count, seen = [tree], 0, set()
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            count += 1              # each reference counts: the limit bounds the walk's work
            if count > limit:
                raise _Bad(f"the statement has more than {limit} nodes")
            if id(node) in seen:
                continue
            seen.add(id(node))      # the tree holds every node while this runs: no id is reused
            yield node
            stack.extend(node[1:] if node and isinstance(node[0], str) else node)


def _key(tree) -> str:
    return json.dumps(tree, sort_keys=True, separators=(",", ":"))


def _definitions(stmt: dict, expr, notes: list) -> list:
    """The definitions the replay substitutes: the model's posterior atoms rebuilt from its
    primitives (or, for a declared model, as the statement declares them) and the statement's
    definitions of the model's other named quantities.  A plain symbol is never defined."""
    table, posterior = {}, {}
    for k, entry in enumerate(_list_of(stmt["definitions"], "statement.definitions")):
        if not isinstance(entry, dict) or set(entry) != {"atom", "formula"}:
            raise _Bad(f"statement.definitions[{k}] must have exactly the keys atom and formula")
        atom = entry["atom"]
        if not (isinstance(atom, list) and len(atom) >= 2 and atom[0] == "Function"
                and isinstance(atom[1], str) and _NAMED.fullmatch(atom[1])):
            raise _Bad(f"statement.definitions[{k}] defines {_short(atom, 40)}: only a named function of the "
                       "model (a Function node named like Z[1,2] or R[3|1,2], never like a posterior atom) "
                       "can be defined, never a symbol")
        if _key(atom) in table:
            raise _Bad(f"statement.definitions[{k}] defines {atom[1]} twice")
        table[_key(atom)] = entry
    model = stmt["model"]
    declared = None
    if isinstance(model, dict) and model.get("structure") == "declared":
        if set(model) != {"structure", "moments"}:
            raise _Bad("a declared model has exactly the keys structure and moments")
        declared = {}
        for k, entry in enumerate(_list_of(model["moments"], "statement.model.moments")):
            if not isinstance(entry, dict) or set(entry) != {"atom", "formula"} \
                    or posterior_atom(entry["atom"]) is None:
                raise _Bad(f"statement.model.moments[{k}] must be {{atom: a posterior atom, formula}}")
            declared[_key(entry["atom"])] = entry
        notes.append("posterior formulas declared by the statement (no rule here for its structure)")
    elif model is not None:
        try:
            check_primitives(model, stmt["domains"] if isinstance(stmt["domains"], dict) else {})
        except ModelError as exc:
            raise _Bad(f"statement.model: {exc}") from None
        notes.append(f"posterior formulas rebuilt from the {model.get('structure') if isinstance(model, dict) else '?'}"
                     " model's primitives")
    roots = [expr] + [e["formula"] for e in table.values()]
    if isinstance(stmt.get("expectation"), dict) and "integrand" in stmt["expectation"]:
        roots.append(stmt["expectation"]["integrand"])      # evaluated exactly too (exact_expectation)
    for root in roots:
        for node in _nodes(root):
            atom = posterior_atom(node) if node and node[0] in ("Function", "Symbol") else None
            if atom is None or _key(node) in posterior or model is None:
                continue
            if declared is not None:
                if _key(node) in declared:
                    posterior[_key(node)] = declared[_key(node)]
                continue
            try:
                posterior[_key(node)] = {"atom": node, "formula": posterior_definition(model, node)}
            except ModelError as exc:
                raise _Bad(f"statement.model: {exc}") from None
    return list(table.values()) + list(posterior.values())


def _list_of(value, where: str) -> list:
    if not isinstance(value, list):
        raise _Bad(f"{where} must be a list")
    return value


def _stated(cert) -> tuple[dict, list]:
    """The certificate to replay: its evidence, with everything the verdict is about (the
    residual, domains, definitions, quantifier, whether Monte Carlo is required, the claim)
    rebuilt from its statement."""
    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise _Bad(f"format must be {FORMAT!r}")
    stmt = cert.get("statement")
    if not isinstance(stmt, dict) or set(stmt) != set(STATEMENT_KEYS):
        got = sorted(stmt) if isinstance(stmt, dict) else type(stmt).__name__
        raise _Bad(f"the statement must have exactly the keys {list(STATEMENT_KEYS)}, got {_short(got)}")
    if stmt["format"] != STATEMENT_FORMAT:
        raise _Bad(f"statement.format must be {STATEMENT_FORMAT!r}")
    owned = sorted(k for k in STATEMENT_OWNED if k in cert)
    if owned:
        raise _Bad(f"{', '.join(owned)} belong to the statement, not to the evidence")
    relation = stmt["relation"]
    if relation not in ("identity", "positive", "nonnegative"):
        raise _Bad("statement.relation must be identity, positive or nonnegative")
    kind = "identity" if relation == "identity" else "sign"
    if cert.get("kind") != kind:
        raise _Bad(f"a statement of relation {relation} is certified by kind {kind!r}, not {cert.get('kind')!r}")
    if not isinstance(stmt["claim"], str) or cert.get("claim") != stmt["claim"]:
        raise _Bad("the claim is not the statement's claim")
    expectation = stmt["expectation"]
    in_process = isinstance(expectation, dict) and set(expectation) == {"in_process"} \
        and isinstance(expectation["in_process"], str)
    if expectation is not None and not in_process:
        try:
            _simulate.check_record(expectation, stmt["model"])
        except _simulate.SimulationError as exc:
            raise _Bad(f"statement.expectation must be null, {{'in_process': name}} or a record "
                       f"{list(_simulate.RECORD_KEYS)}: {exc}") from None
    if stmt["quantifier"] == "all":
        if stmt["points"] is not None:
            raise _Bad("a statement for every point of the domains lists no points")
    elif stmt["quantifier"] == "points":
        if kind != "sign" or not _list_of(stmt["points"], "statement.points"):
            raise _Bad("a statement about given points is a sign at a nonempty list of points")
        witness = cert.get("witness")
        if cert.get("status") == "proved" and cert.get("points") != stmt["points"]:
            raise _Bad("the points checked are not the statement's points")
        if cert.get("status") == "refuted" and not (isinstance(witness, dict)
                                                    and witness.get("point") in stmt["points"]):
            raise _Bad("the witness is not one of the statement's points")
    else:
        raise _Bad("statement.quantifier must be 'all' or 'points'")
    if stmt["rhs"] == ["Integer", "0"]:
        expr = stmt["lhs"]
    else:
        expr = ["Add", stmt["lhs"], ["Mul", ["Integer", "-1"], stmt["rhs"]]]
    notes: list = []
    effective = {k: v for k, v in cert.items() if k != "statement"}
    effective.update(expr=expr, domains=stmt["domains"], definitions=_definitions(stmt, expr, notes),
                     monte_carlo_required=expectation is not None, at_points_only=stmt["quantifier"] == "points")
    if expectation is not None and not in_process:
        effective["simulation"] = {"model": stmt["model"], "definitions": stmt["definitions"],
                                   "expectation": expectation}
    elif in_process:
        notes.append(f"the expectation is not stated as data (sampler {_short(expectation['in_process'], 60)!r}): "
                     "its Monte Carlo can only be replayed in process, with the sampler")
    if kind == "sign":
        effective["sign"] = relation
    if isinstance(cert.get("monte_carlo"), list):
        # a simulation estimates the statement's right-hand side: compared with it, not with a
        # value the certificate records
        effective["monte_carlo"] = [dict(e, exact=stmt["rhs"]) if isinstance(e, dict) else e
                                    for e in cert["monte_carlo"]]
    return effective, notes


def recheck(cert, samplers=None, seconds: float | None = None, *, rerun: bool = True) -> Report:
    """Check one certificate against its statement: see the module docstring.

    >>> recheck({"format": FORMAT, "id": "c"}).problems
    ["c: the statement must have exactly the keys ['format', 'relation', 'lhs', 'rhs', 'quantifier', \
'points', 'domains', 'model', 'definitions', 'expectation', 'claim'], got NoneType"]
    """
    cert, rejected = _json_copy(cert)
    if rejected:
        return rejected
    if isinstance(cert, dict) and cert.get("format") in (FINITE_FORMAT, SCHEMATIC_FORMAT):
        return _replay(cert, samplers, seconds, rerun=rerun)
    cid = cert.get("id") if isinstance(cert, dict) else None
    cid = _short(cid, 100) if isinstance(cid, str) else "<no id>"
    try:
        effective, notes = _stated(cert)
    except (_Bad, ModelError) as exc:
        return Report(False, [f"{cid}: {exc}"], [], 0, cid)
    except RecursionError:
        return Report(False, [f"{cid}: too deeply nested to check"], [], 0, cid)
    except Exception as exc:        # hostile input: reject, never crash
        return Report(False, [f"{cid}: internal error while reading the statement: {type(exc).__name__}"], [], 0, cid)
    report = _replay(effective, samplers, seconds, rerun=rerun)
    return Report(report.confirmed, report.problems, notes + report.notes, report.ball_points, report.id)


def recheck_all(certs, samplers=None) -> list:
    """A :class:`Report` for each certificate.

    >>> [r.confirmed for r in recheck_all([{}, []])]
    [False, False]
    """
    return [recheck(c, samplers) for c in certs]


def _collect(obj, out: list) -> None:
    """Certificates under keys 'certificate' / 'certificates', or objects with our format, anywhere."""
    if isinstance(obj, dict):
        if "format" in obj and ("statement" in obj or "expr" in obj or obj["format"] in (FINITE_FORMAT,
                                                                                       SCHEMATIC_FORMAT)):
            # a certificate (a wrong format is recheck's to report)
            out.append(obj)
            return
        for k, v in obj.items():
            if k == "certificate" and v is not None:
                out.append(v)
            elif k == "certificates" and isinstance(v, (list, dict)):
                out.extend(v if isinstance(v, list) else v.values())
            else:
                _collect(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _collect(v, out)


def load(path) -> list:
    """The certificates in a JSON file: one, a list, or nested under "certificate(s)" keys.

    An unreadable file is a ValueError naming it (the certificates themselves
    are judged by :func:`recheck`).
    """
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError, RecursionError) as exc:
        raise ValueError(f"cannot read certificates from {path}: {type(exc).__name__}: {_short(str(exc))}") from None
    out = []
    try:
        _collect(doc, out)
    except RecursionError:
        raise ValueError(f"cannot read certificates from {path}: nested too deeply") from None
    return out
