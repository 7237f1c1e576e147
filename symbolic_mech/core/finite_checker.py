r"""The independent checker for implementability certificates ("symbolic_mech-finite-certificate/1").

It imports only the standard library (no sympy, numpy or symbolic_mech) and
evaluates no text: every number is a rational string ``-?[0-9]+(/[0-9]+)?``
read into a :class:`~fractions.Fraction`.

A certificate is a STATEMENT and its EVIDENCE.  ``cert["statement"]`` is the
claim as data:

* ``relation``: "implementable" (some mechanism of the class implements x*)
  or "implementable-by" (the given transfer rule does: truth-telling is a
  posterior equilibrium); the ``status`` (proved / refuted) is the verdict;
* ``mechanism``: ``{"class", "transfer_rule", "impossible_reports"}``, the
  class "message-driven" or "data-driven", the given rule's tables (null for
  "implementable") and how reports of an impossible signal profile are
  treated: "given" (the rule's own payments there) exactly when a rule is
  given, "punished" (the mechanism detects and punishes them) otherwise;
* ``agents``: the agents the claim is about;
* ``allocation``: "efficient-first-listed" (x* maximizes the expected welfare,
  ties to the first listed outcome);
* ``model``: the primitives.  A finite model: ``states``, ``prior``, the joint
  likelihood ``P(s | omega)`` of every signal profile (``itertools.product``
  order over the agents' signal lists), ``signals``, ``types``, ``outcomes``,
  utilities ``u[i][x][omega][theta_i]`` and the ``estimator`` law
  ``P(omega_hat | omega)`` (null for a message-driven class).  A continuous
  model on a grid: a ``family`` ("gaussian": omega ~ N(mean, variance),
  s_j = omega + N(0, noise_j); "beta-binomial": omega ~ Beta(a, b),
  s_j | omega ~ Binomial(impressions_j, omega)), the grid's ``types`` and
  ``signals`` (singletons for the agents held fixed), an ``outcome_space``
  ({"kind": "finite", "outcomes"} or {"kind": "real-line", "variable", "lo",
  "hi"}) and utilities as exact coefficient tables: ``u[i][x][k][t]`` of
  omega^k (finite outcomes) or ``u[i][j][k][t]`` of x^j omega^k (real line);
* ``text``: the claim rendered from these fields; the transfer rule and the
  model appear in it by their sha256 (first 16 hex digits of the canonical
  JSON), so a text names exactly one statement.

Transfer rule tables: ``{"tables": [{"agent": i, "t": rows}]}``, one per agent
of ``agents`` in order, a row (one entry per estimate, one for a
message-driven class) for every report profile in the order of
``itertools.product`` over the agents of their (type, signal) pairs.

From the statement alone the checker computes P(s) and the posterior by Bayes'
rule (or the family's posterior moments), the values ``v_i(x, theta_i, s)``,
the welfare, x* and the predictive law of omega_hat given s.  It enumerates
every agent of the claim, every block of the others' types and signals, and
every type of agent i with a possible signal profile.  The constraint "type a
does not gain by reporting b" in a block is

    E_a[t(b)] - E_a[t(a)] <= c(a, b) = v_i(x*(a), a) - v_i(x*(b), a),

with ``E_a[t(b)] = sum_k P(omega_hat_k | s^a) t(b, k)``.

Acceptance rules (each pinned by a mutant in tests/test_finite_rules.py)
=======================================================================

S1  a proved or refuted certificate has a ``statement`` with exactly the keys
    above; an inconclusive one asserts nothing and is read only for
    ``format``, ``id``, ``claim``, ``kind``, ``status``;
S2  ``claim`` equals ``statement["text"]``;
S3  ``statement["text"]`` is the rendering of the statement's fields (here);
S4  each duplicated top-level field (``model``, ``mechanism`` (the class),
    ``agents``, ``impossible_reports``, ``outcomes``, ``estimates``), if
    present, equals the statement's;
S5  no top-level key beyond the statement, its duplicates and the kind's
    evidence;
S6  ``impossible_reports`` is derived: "given" iff a transfer rule is given,
    and a rule is given iff the relation is "implementable-by";
S7  the kind fits the statement: "implementable-by" is decided by
    ``transfers``; "implementable" is proved by ``transfers``, refuted by a
    ``cycle`` (message-driven) or ``farkas`` (data-driven); a continuous model
    only by a refuting cycle;
M1  probabilities lie in [0, 1] and every law sums to 1;
M2  the posterior is Bayes' rule with the prior: P(omega | s) ~ P(omega) P(s | omega);
M3  the likelihood is the joint table of the profile (correlated signals), not a product;
M4  x* is the FIRST maximizer of the welfare in the listed order;
M5  the predictive law of omega_hat given s averages the estimator law over the posterior;
G1  Gaussian: posterior precision 1/variance + sum 1/noise_j, mean
    (mean/variance + sum s_j/noise_j)/precision, E[omega^k | s] its normal moments;
G2  Beta-binomial: omega | s ~ Beta(a + sum s_j, b + sum (impressions_j - s_j)), signals in {0..impressions_j};
G3  on the real line the expected welfare is a strictly concave quadratic and
    x* = -b/(2a) (clipped to [lo, hi]);
T1  ``transfers``: one block per block of the enumeration, none missing ...
T2  ... and none extra, each block's types the possible types in order;
T3  a given rule's transfers are read from the statement (a block carries no
    table of its own); a constructed mechanism's from the blocks;
T4  with a given rule the reports whose profile is impossible are constraints,
    the value term bounded by the truth's best outcome;
T5  ``constraints``, ``smallest_slack`` and ``regret`` equal the recomputed ones;
T6  proved needs regret 0 and no witness;
T7  refuted needs a witness whose gain, recomputed (at the worst outcome for
    an impossible report), is positive; "implementable" is never refuted by a table;
C1  ``cycle``: the named block's agent is an agent of the claim and its types
    are at least two distinct possible types, each step's ``next`` the
    following step's type;
C2  every step's c(a, b) is recomputed from the statement's model (the
    tabulated c, value_own, value_next and allocation are compared, never used);
C3  the recomputed total is negative;
F1  ``farkas``: multipliers y > 0 on distinct constraints a != b of the named block;
F2  y^T A = 0 in every variable t(b, k);
F3  y^T c = total < 0.

>>> recheck({"format": FORMAT, "id": "bare", "claim": "x* is implementable", "kind": "cycle",
...          "status": "refuted"}).problems
['bare: no statement: a proved or refuted certificate states its claim as data']
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
from fractions import Fraction
from typing import NamedTuple

__all__ = ["FORMAT", "KINDS", "RELATIONS", "Report", "recheck", "render"]

FORMAT = "symbolic_mech-finite-certificate/1"
KINDS = ("transfers", "cycle", "farkas")
STATUSES = ("proved", "refuted", "inconclusive")
RELATIONS = ("implementable", "implementable-by")
CLASSES = ("message-driven", "data-driven")
ALLOCATION = "efficient-first-listed"
_STATEMENT_KEYS = {"relation", "mechanism", "agents", "allocation", "model", "text"}
_MECHANISM_KEYS = {"class", "transfer_rule", "impossible_reports"}
_HEAD = ("format", "id", "claim", "kind", "status")
_DUPLICATES = ("model", "mechanism", "agents", "impossible_reports", "outcomes", "estimates")
_EVIDENCE = {"transfers": ("blocks", "constraints", "smallest_slack", "regret", "witness"),
             "cycle": ("agent", "others", "cycle", "total", "tied"),
             "farkas": ("agent", "others", "types", "values", "welfare", "allocation", "predictive",
                        "multipliers", "total")}
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


def _distinct(values: list, where: str) -> list:
    if not values or len(set(values)) != len(values):
        raise _Bad(f"{where} must be a nonempty list of distinct numbers")
    return values


def _probabilities(row: list, where: str) -> None:
    # M1: a law that does not sum to 1 would make "possible" and the posteriors meaningless
    if any(not 0 <= p <= 1 for p in row) or sum(row) != 1:
        raise _Bad(f"{where} is not a probability vector summing to 1")


def _first_argmax(row: list) -> int:
    # M4: strict > keeps the first of tied maximizers, the statement's tie rule
    best = 0
    for k, v in enumerate(row):
        if v > row[best]:
            best = k
    return best


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _digest(data) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()[:16]


# ---------------------------------------------------------------------------
# the claim's text, rendered here from the statement's fields (S3)
# ---------------------------------------------------------------------------

def _brief(values, left: str = r"\{", right: str = r"\}") -> str:
    """A list of values as math between $ signs (claims write their math as TeX), shortened past six."""
    values = [_tex_value(v) for v in values]
    if len(values) > 6:
        return f"${left}{values[0]}, {values[1]}, \\dots, {values[-1]}{right}$ ({len(values)} values)"
    return "$" + left + ", ".join(values) + right + "$"


def _tex_value(value) -> str:
    # a number as written; an outcome of several coordinates as (x_1 = 1, x_2 = 0); a label as upright text
    if isinstance(value, str) and value.startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, dict):
        return "(" + ", ".join(f"{_tex_name(k)} = {_tex_value(v)}" for k, v in value.items()) + ")"
    text = str(value)
    return text if all(c in "0123456789/-." for c in text) else r"\mathrm{" + text.replace("_", r"\_") + "}"


def _tex_name(name: str) -> str:
    stem = name.rstrip("0123456789")
    return f"{stem}_{{{name[len(stem):]}}}" if stem and stem != name else name


def _model_text(model: dict) -> str:
    def product(lists):
        return " × ".join(_brief(v) for v in lists)
    sets = f"signals {product(model['signals'])}; types {product(model['types'])}"
    if "family" not in model:
        text = (rf"finite model: $\omega$ in {_brief(model['states'])}, prior {_brief(model['prior'], '(', ')')}; "
                f"{sets}; outcomes {_brief(model['outcomes'])}")
        if model["estimator"] is not None:
            text += f"; estimates {_brief(model['estimator']['estimates'])}"
    else:
        if model["family"] == "gaussian":
            law = (rf"$\omega \sim N({model['mean']}, {model['variance']})$, $s_j = \omega + N(0, v_j)$ noise with "
                   f"$v =$ {_brief(model['noise'], '(', ')')}")
        else:
            law = (rf"$\omega \sim \mathrm{{Beta}}({model['a']}, {model['b']})$, "
                   rf"$s_j \mid \omega \sim \mathrm{{Binomial}}(k_j, \omega)$ with $k =$ {_brief(model['impressions'], '(', ')')}")
        space = model["outcome_space"]
        if space["kind"] == "finite":
            where = f"outcomes {_brief(space['outcomes'])}"
        elif space["lo"] is None:
            where = f"${space['variable']}$ real"
        else:
            where = f"${space['variable']} \\in [{space['lo']}, {space['hi']}]$"
        text = rf"continuous model on a grid: {law}; utilities polynomial in $\omega$; {sets}; {where}"
    return f"{text}; primitives sha256:{_digest(model)}"


def render(statement: dict) -> str:
    """The claim's text from the statement's fields (the checker's own rendering).

    >>> st = {"relation": "implementable", "agents": [1], "allocation": ALLOCATION,
    ...       "mechanism": {"class": "message-driven", "transfer_rule": None, "impossible_reports": "punished"},
    ...       "model": {"states": ["0"], "prior": ["1"], "signals": [["a"]], "likelihood": [["1"]],
    ...                 "types": [["0"]], "outcomes": ["x"], "utilities": [[[["0"]]]], "estimator": None}}
    >>> render(st)[:64]
    'some message-driven mechanism implements $x^*$ for every agent ('
    """
    mech, model, agents = statement["mechanism"], statement["model"], statement["agents"]
    n = len(model["types"])
    if agents == list(range(1, n + 1)):
        who = "every agent"
    else:
        who = ("agent " if len(agents) == 1 else "agents ") + ", ".join(str(a) for a in agents)
    if statement["relation"] == "implementable":
        head = f"some {mech['class']} mechanism implements $x^*$ for {who}"
    else:
        head = (f"the given {mech['class']} transfer rule (tables sha256:{_digest(mech['transfer_rule'])}) "
                f"makes truth-telling a posterior equilibrium for {who}")
    ties = {ALLOCATION: "$x^*$ maximizes the expected welfare, ties to the first listed outcome"}[statement["allocation"]]
    reports = {"given": "a report whose signal profile is impossible is paid by the rule and counts at the "
                        "outcome best for the agent",
               "punished": "a report whose signal profile is impossible is detected and punished"}
    return f"{head} ({ties}; {reports[mech['impossible_reports']]}), in the {_model_text(model)}"


# ---------------------------------------------------------------------------
# the models, from their primitives
# ---------------------------------------------------------------------------

class _Model:
    """A finite model: posteriors, values, x* and predictive laws computed from the primitives."""

    finite = True

    def __init__(self, data: dict, cls: str):
        self.states = _distinct(_rats(data.get("states"), "model.states"), "model.states")
        K = len(self.states)
        self.prior = _rats(data.get("prior"), "model.prior", K)
        _probabilities(self.prior, "model.prior")
        signals = _list(data.get("signals"), "model.signals")
        self.n = len(signals)
        if self.n == 0:
            raise _Bad("model.signals lists no agent")
        self.signals = [_labels(sig, f"model.signals[{i}]") for i, sig in enumerate(signals)]
        types = _list(data.get("types"), "model.types", self.n)
        self.types = [_distinct(_rats(t, f"model.types[{i}]"), f"model.types[{i}]") for i, t in enumerate(types)]
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
        if cls == "message-driven":
            if est is not None:
                raise _Bad("a message-driven mechanism reads no estimate: model.estimator must be null")
            self.estimates, self.law = None, [[Fraction(1)] for _ in range(K)]
        else:
            if not isinstance(est, dict) or set(est) != {"estimates", "law"}:
                raise _Bad("a data-driven model needs model.estimator {estimates, law}")
            self.estimates = _distinct(_rats(est["estimates"], "model.estimator.estimates"),
                                       "model.estimator.estimates")
            self.law = [_rats(row, f"model.estimator.law[{w}]", len(self.estimates))
                        for w, row in enumerate(_list(est["law"], "model.estimator.law", K))]
            for w, row in enumerate(self.law):
                _probabilities(row, f"model.estimator.law[{w}]")
        self._post: dict = {}
        self._values: dict = {}

    def posterior(self, s: tuple):
        """P(omega | s) by Bayes' rule; None if P(s) = 0."""
        if s not in self._post:
            k = self.position[s]
            # M2, M3: the prior times the JOINT likelihood of the whole profile
            joint = [p * row[k] for p, row in zip(self.prior, self.likelihood)]
            total = sum(joint)
            self._post[s] = None if total == 0 else [j / total for j in joint]
        return self._post[s]

    def possible(self, s: tuple) -> bool:
        return self.posterior(s) is not None

    def values(self, i: int, t: int, s: tuple) -> list:
        """(v_i(x, theta_i, s) for x in outcomes), agent i and type t 0-based."""
        key = (i, t, s)
        if key not in self._values:
            post = self.posterior(s)
            self._values[key] = [sum((p * ux[w][t] for w, p in enumerate(post)), Fraction(0))
                                 for ux in self.u[i]]
        return self._values[key]

    def value(self, i: int, t: int, s: tuple, x: int) -> Fraction:
        return self.values(i, t, s)[x]

    def welfare(self, th: tuple, s: tuple) -> list:
        rows = [self.values(j, th[j], s) for j in range(self.n)]
        return [sum(col) for col in zip(*rows)]

    def best(self, th: tuple, s: tuple) -> int:
        return _first_argmax(self.welfare(th, s))

    def label(self, x: int) -> str:
        return self.outcomes[x]

    def predictive(self, s: tuple) -> list:
        # M5: P(omega_hat_k | s) = sum_omega P(omega | s) P(omega_hat_k | omega)
        post = self.posterior(s)
        return [sum((p * row[k] for p, row in zip(post, self.law)), Fraction(0))
                for k in range(len(self.law[0]))]


def _double_factorial(k: int) -> int:
    out = 1
    while k > 1:
        out, k = out * k, k - 2
    return out


class _Family:
    """A continuous model on a grid: the family's posterior moments, polynomial utilities, x* from them."""

    finite = False

    def __init__(self, data: dict, cls: str):
        if cls != "message-driven":
            raise _Bad("a continuous model is checked for message-driven mechanisms only")
        types = _list(data.get("types"), "model.types")
        self.n = len(types)
        if self.n == 0:
            raise _Bad("model.types lists no agent")
        self.types = [_distinct(_rats(t, f"model.types[{i}]"), f"model.types[{i}]") for i, t in enumerate(types)]
        self.type_labels = [[str(t) for t in ts] for ts in self.types]
        sig = _list(data.get("signals"), "model.signals", self.n)
        self.signal_values = [_distinct(_rats(v, f"model.signals[{i}]"), f"model.signals[{i}]")
                              for i, v in enumerate(sig)]
        self.signals = [[str(v) for v in vs] for vs in self.signal_values]
        self.family = data.get("family")
        if self.family == "gaussian":
            self.mean = _q(data.get("mean"), "model.mean")
            self.variance = _q(data.get("variance"), "model.variance")
            self.noise = _rats(data.get("noise"), "model.noise", self.n)
            if self.variance <= 0 or any(v <= 0 for v in self.noise):
                raise _Bad("model.variance and model.noise must be positive")
        elif self.family == "beta-binomial":
            self.a, self.b = _q(data.get("a"), "model.a"), _q(data.get("b"), "model.b")
            self.k = _rats(data.get("impressions"), "model.impressions", self.n)
            if self.a <= 0 or self.b <= 0 or any(k.denominator != 1 or k < 1 for k in self.k):
                raise _Bad("model.a, model.b must be positive and model.impressions positive integers")
            # G2: a click count outside {0..k_j} has probability 0: the grid lies in the support
            for i, vs in enumerate(self.signal_values):
                if any(v.denominator != 1 or not 0 <= v <= self.k[i] for v in vs):
                    raise _Bad(f"model.signals[{i}] must be click counts in 0..{self.k[i]}")
        else:
            raise _Bad(f"model.family {self.family!r} is not 'gaussian' or 'beta-binomial'")
        space = data.get("outcome_space")
        if not isinstance(space, dict) or space.get("kind") not in ("finite", "real-line"):
            raise _Bad("model.outcome_space must be {'kind': 'finite' | 'real-line', ...}")
        self.line = space["kind"] == "real-line"
        if self.line:
            if set(space) != {"kind", "variable", "lo", "hi"} or not isinstance(space["variable"], str):
                raise _Bad("a real-line outcome space is {kind, variable, lo, hi}")
            self.variable = space["variable"]
            self.lo = None if space["lo"] is None else _q(space["lo"], "model.outcome_space.lo")
            self.hi = None if space["hi"] is None else _q(space["hi"], "model.outcome_space.hi")
            if (self.lo is None) != (self.hi is None) or (self.lo is not None and self.lo >= self.hi):
                raise _Bad("model.outcome_space needs lo < hi, or both null")
        else:
            if set(space) != {"kind", "outcomes"}:
                raise _Bad("a finite outcome space is {kind, outcomes}")
            self.outcomes = _labels(space["outcomes"], "model.outcome_space.outcomes")
        u = _list(data.get("utilities"), "model.utilities", self.n)
        rows = None if self.line else len(self.outcomes)
        self.u = [[[_rats(c, f"model.utilities[{i}][{x}][{k}]", len(self.types[i]))
                    for k, c in enumerate(_list(ux, f"model.utilities[{i}][{x}]"))]
                   for x, ux in enumerate(_list(ui, f"model.utilities[{i}]", rows))] for i, ui in enumerate(u)]
        self.degree = max((len(ux) for ui in self.u for ux in ui), default=1)
        self.profiles = list(itertools.product(*(range(len(v)) for v in self.signal_values)))
        self._moments: dict = {}

    def possible(self, s: tuple) -> bool:
        return True             # a positive density (Gaussian) or a click count in the support (checked)

    def moments(self, s: tuple) -> list:
        """E[omega^k | s] for k = 0 .. degree - 1."""
        if s not in self._moments:
            obs = [self.signal_values[j][s[j]] for j in range(self.n)]
            out = []
            if self.family == "gaussian":
                # G1: precisions add; the mean weighs each observation by its precision
                precision = 1 / self.variance + sum(1 / v for v in self.noise)
                m = (self.mean / self.variance + sum(o / v for o, v in zip(obs, self.noise))) / precision
                var = 1 / precision
                for k in range(self.degree):
                    out.append(sum((_binomial(k, j) * m ** (k - j) * var ** (j // 2) * _double_factorial(j - 1)
                                    for j in range(0, k + 1, 2)), Fraction(0)))
            else:
                # G2: Beta(A, B) moments prod_{r<k} (A + r)/(A + B + r)
                A = self.a + sum(obs)
                B = self.b + sum(k - o for k, o in zip(self.k, obs))
                m = Fraction(1)
                for k in range(self.degree):
                    out.append(m)
                    m = m * (A + k) / (A + B + k)
            self._moments[s] = out
        return self._moments[s]

    def _poly(self, i: int, t: int, s: tuple) -> list:
        """Agent i's expected utility: per outcome (finite) or per power of x (real line)."""
        m = self.moments(s)
        return [sum((c[t] * mk for c, mk in zip(ux, m)), Fraction(0)) for ux in self.u[i]]

    def value(self, i: int, t: int, s: tuple, x) -> Fraction:
        poly = self._poly(i, t, s)
        if not self.line:
            return poly[x]
        return sum((c * x ** j for j, c in enumerate(poly)), Fraction(0))

    def best(self, th: tuple, s: tuple):
        polys = [self._poly(j, th[j], s) for j in range(self.n)]
        w = [sum(col) for col in itertools.zip_longest(*polys, fillvalue=Fraction(0))]
        if not self.line:
            return _first_argmax(w)
        # G3: a strictly concave quadratic has the unique maximizer -b/(2a)
        w = w + [Fraction(0)] * (3 - len(w))
        if any(w[3:]) or w[2] >= 0:
            raise _Bad("the expected welfare is not a strictly concave quadratic in the outcome")
        x = -w[1] / (2 * w[2])
        if self.lo is not None:
            x = min(max(x, self.lo), self.hi)
        return x

    def label(self, x) -> str:
        if not self.line:
            return self.outcomes[x]
        return json.dumps({self.variable: str(x)})


def _binomial(k: int, j: int) -> int:
    out = 1
    for r in range(j):
        out = out * (k - r) // (r + 1)
    return out


def _model(data, cls: str):
    if not isinstance(data, dict):
        raise _Bad("statement.model (the model's primitives) is missing")
    return _Family(data, cls) if "family" in data else _Model(data, cls)


class _Block:
    """Agent i's types with the others' fixed: x*, values and predictive laws, all computed."""

    def __init__(self, model, i: int, fixed: dict):
        self.model, self.i, self.fixed = model, i, fixed
        self.label = {}
        for j in sorted(fixed):
            self.label[f"theta{j + 1}"] = model.type_labels[j][fixed[j][0]]
            self.label[f"s{j + 1}"] = model.signals[j][fixed[j][1]]
        self.possible, self.impossible = [], []     # (type index, signal index, theta, s)
        for t, si in itertools.product(range(len(model.types[i])), range(len(model.signals[i]))):
            th = tuple(t if j == i else fixed[j][0] for j in range(model.n))
            s = tuple(si if j == i else fixed[j][1] for j in range(model.n))
            (self.possible if model.possible(s) else self.impossible).append((t, si, th, s))
        self.x = [model.best(th, s) for _, _, th, s in self.possible]
        if model.finite:
            self.v = [model.values(i, t, s) for t, _, _, s in self.possible]
            self.p = [model.predictive(s) for _, _, _, s in self.possible]

    def val(self, a: int, x) -> Fraction:
        t, _, _, s = self.possible[a]
        return self.model.value(self.i, t, s, x)

    def type_label(self, entry) -> dict:
        return {f"theta{self.i + 1}": self.model.type_labels[self.i][entry[0]],
                f"s{self.i + 1}": self.model.signals[self.i][entry[1]]}

    def labels(self, entries) -> list:
        return [self.type_label(e) for e in entries]

    def c(self, a: int, b: int) -> Fraction:
        return self.val(a, self.x[a]) - self.val(a, self.x[b])


def _blocks(model, i: int):
    """Every block of agent i (0-based)."""
    others = [j for j in range(model.n) if j != i]
    pairs = [list(itertools.product(range(len(model.types[j])), range(len(model.signals[j])))) for j in others]
    for combo in itertools.product(*pairs):
        yield _Block(model, i, dict(zip(others, combo)))


def _named_block(cert: dict, model, agents: list) -> _Block:
    i = _int(cert.get("agent"), "agent", 1, model.n + 1)
    if i not in agents:
        raise _Bad(f"agent {i} is not an agent of the statement {agents}")
    label = cert.get("others")
    if not isinstance(label, dict) or len(label) != 2 * (model.n - 1):
        raise _Bad(f"others {label!r} is not a profile of the other agents' types and signals")
    fixed = {}
    for j in range(model.n):
        if j != i - 1:
            th, sj = label.get(f"theta{j + 1}"), label.get(f"s{j + 1}")
            if th not in model.type_labels[j] or sj not in model.signals[j]:
                raise _Bad(f"others {label!r} is not a profile of the other agents' types and signals")
            fixed[j] = (model.type_labels[j].index(th), model.signals[j].index(sj))
    block = _Block(model, i - 1, fixed)
    if not block.possible:
        raise _Bad("the named block has no type with a possible signal profile")
    return block


def _expected(p: list, t: list) -> Fraction:
    return sum((pk * tk for pk, tk in zip(p, t)), Fraction(0))


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


# ---------------------------------------------------------------------------
# the statement
# ---------------------------------------------------------------------------

def _statement(cert: dict, problems: list) -> dict:
    st = cert.get("statement")
    if st is None:
        raise _Bad("no statement: a proved or refuted certificate states its claim as data")
    if not isinstance(st, dict) or set(st) != _STATEMENT_KEYS:
        raise _Bad(f"the statement must have exactly the keys {sorted(_STATEMENT_KEYS)}")
    if st["relation"] not in RELATIONS:
        raise _Bad(f"statement.relation {st['relation']!r} is not one of {RELATIONS}")
    mech = st["mechanism"]
    if not isinstance(mech, dict) or set(mech) != _MECHANISM_KEYS or mech["class"] not in CLASSES:
        raise _Bad(f"statement.mechanism must be {{class in {CLASSES}, transfer_rule, impossible_reports}}")
    # S6: a given rule pays what it pays at an impossible report; a constructed mechanism punishes it
    given = mech["transfer_rule"] is not None
    if given != (st["relation"] == "implementable-by"):
        problems.append("a transfer rule is given exactly when the relation is 'implementable-by'")
    if mech["impossible_reports"] != ("given" if given else "punished"):
        problems.append(f"impossible_reports is {mech['impossible_reports']!r}, but follows from the mechanism: "
                        f"{'given' if given else 'punished'}")
    if st["allocation"] != ALLOCATION:
        raise _Bad(f"statement.allocation must be {ALLOCATION!r}")
    if not isinstance(st["model"], dict) or not isinstance(st["model"].get("types"), list):
        raise _Bad("statement.model (the model's primitives) is missing")
    if not isinstance(st["agents"], list) or not isinstance(st["text"], str):
        raise _Bad("statement.agents must be a list and statement.text a string")
    if mech["impossible_reports"] in ("given", "punished"):
        text = render(st)
        if st["text"] != text:
            problems.append("statement.text is not the rendering of the statement's fields")
    if cert["claim"] != st["text"]:
        problems.append("the claim is not the statement's text")
    return st


def _duplicates(cert: dict, st: dict, problems: list) -> None:
    """S4: a field repeated at the top level for readers must say what the statement says."""
    model = st["model"]
    space = model.get("outcome_space")
    est = model.get("estimator")
    mine = {"model": model, "mechanism": st["mechanism"]["class"], "agents": st["agents"],
            "impossible_reports": st["mechanism"]["impossible_reports"],
            "outcomes": model.get("outcomes", space.get("outcomes") if isinstance(space, dict) else None),
            "estimates": est.get("estimates") if isinstance(est, dict) else None}
    for key in _DUPLICATES:
        if key in cert and cert[key] != mine[key]:
            problems.append(f"the top-level {key} differs from the statement's")
    # S5: nothing else rides along unchecked
    extra = sorted(set(cert) - set(_HEAD) - {"statement"} - set(_DUPLICATES) - set(_EVIDENCE[cert["kind"]]))
    if extra:
        problems.append(f"unknown keys {extra}")


def _agents(st: dict, model) -> list:
    agents = [_int(a, f"statement.agents[{k}]", 1, model.n + 1) for k, a in enumerate(st["agents"])]
    if not agents or agents != sorted(set(agents)):
        raise _Bad("statement.agents must list distinct agents in increasing order")
    return agents


def _fits(cert: dict, st: dict, model, problems: list) -> bool:
    """S7: which kind of evidence can decide which statement."""
    kind, status, cls = cert["kind"], cert["status"], st["mechanism"]["class"]
    if not model.finite:
        ok = st["relation"] == "implementable" and kind == "cycle" and status == "refuted"
    elif st["relation"] == "implementable-by":
        ok = kind == "transfers"
    elif status == "proved":
        ok = kind == "transfers"
    else:
        ok = kind == ("cycle" if cls == "message-driven" else "farkas")
    if not ok:
        problems.append(f"a {kind} certificate cannot make '{st['relation']}' ({cls}) {status}")
    return ok


# ---------------------------------------------------------------------------
# the three kinds
# ---------------------------------------------------------------------------

def _rule(st: dict, model: _Model, agents: list):
    """The given rule as a lookup (agent, pair per agent) -> transfers, or None."""
    rule = st["mechanism"]["transfer_rule"]
    if rule is None:
        return None
    if not isinstance(rule, dict) or set(rule) != {"tables"}:
        raise _Bad("statement.mechanism.transfer_rule must be {tables}")
    pairs = [list(itertools.product(range(len(model.types[j])), range(len(model.signals[j]))))
             for j in range(model.n)]
    profiles = list(itertools.product(*pairs))
    K = len(model.law[0])
    tables = _list(rule["tables"], "transfer_rule.tables", len(agents))
    lookup = {}
    for k, (i, table) in enumerate(zip(agents, tables)):
        where = f"transfer_rule.tables[{k}]"
        if not isinstance(table, dict) or set(table) != {"agent", "t"} or table["agent"] != i:
            raise _Bad(f"{where} must be {{agent: {i}, t}}")
        rows = _list(table["t"], f"{where}.t", len(profiles))
        for profile, row in zip(profiles, rows):
            lookup[(i - 1, profile)] = row
    return lookup, K


def _rule_row(rule, block: _Block, t: int, si: int, where: str) -> list:
    lookup, K = rule
    profile = tuple((t, si) if j == block.i else block.fixed[j] for j in range(block.model.n))
    return _rats(lookup[(block.i, profile)], where, K)


def _check_transfers(cert: dict, st: dict, model: _Model, agents: list, problems: list) -> None:
    rule = _rule(st, model, agents)
    given = rule is not None
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
        for block in _blocks(model, i - 1):
            if not block.possible:
                continue
            key = (i, json.dumps(block.label, sort_keys=True))
            if key not in listed:
                # T1: a block left out is a block whose constraints nobody checked
                problems.append(f"the block of agent {i} with others {block.label} is missing")
                continue
            j, data = listed[key]
            used.add(key)
            where = f"blocks[{j}]"
            if data.get("types") != block.labels(block.possible):
                raise _Bad(f"{where}.types are not agent {i}'s possible types in this block, in order")
            _compare_tables(data, block, where, problems)
            n = len(block.possible)
            if given:
                # T3: the rule is the statement's; a table in the evidence could say anything
                if any(k in data for k in ("transfers", "impossible", "impossible_transfers")):
                    problems.append(f"{where} carries transfers of its own; the given rule is the statement's")
                t = [_rule_row(rule, block, e[0], e[1], f"{where} rule at truth {a}")
                     for a, e in enumerate(block.possible)]
                tz = [_rule_row(rule, block, e[0], e[1], f"{where} rule at impossible {b}")
                      for b, e in enumerate(block.impossible)]
            else:
                if any(k in data for k in ("impossible", "impossible_transfers")):
                    problems.append(f"{where} lists impossible reports; a constructed mechanism punishes them")
                t = [_rats(row, f"{where}.transfers[{a}]", K)
                     for a, row in enumerate(_list(data.get("transfers"), f"{where}.transfers", n))]
                tz = []
            mine.append((j, block, t, tz))
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
                # T4: the allocation at an impossible profile is unspecified: bounded by the best outcome
                top = max(block.v[a])
                for b in range(len(tz)):
                    gain = _expected(block.p[a], tz[b]) + top - own
                    if best is None or gain > best[0]:
                        best = (gain, j, a, b, True)
            count += n * (n - 1) + n * len(tz)
    for key in listed:
        if key not in used:
            # T2: a block outside the enumeration is not a constraint of this model
            problems.append(f"blocks[{listed[key][0]}] is not a block of the claim's agents with a possible type")
    # T5: the summary is recomputed
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
        # T6
        if regret != 0:
            problems.append(f"proved, but a constraint fails: the regret is {regret}")
        if witness is not None:
            problems.append("a proved certificate carries a witness")
        return
    # T7
    if not isinstance(witness, dict):
        raise _Bad("a refuted certificate needs a witness {block, truth, report, impossible, gain}")
    j = _int(witness.get("block"), "witness.block", 0)
    found = next((m for m in mine if m[0] == j), None)
    if found is None:
        raise _Bad("witness.block is not a checked block")
    _, block, t, tz = found
    a = _int(witness.get("truth"), "witness.truth", 0, len(block.possible))
    own = _expected(block.p[a], t[a]) + block.v[a][block.x[a]]
    if witness.get("impossible") is True and given:
        # the allocation at an impossible profile is unspecified: the gain at its worst outcome
        b = _int(witness.get("report"), "witness.report", 0, len(tz))
        gain = _expected(block.p[a], tz[b]) + min(block.v[a]) - own
    elif witness.get("impossible") is False:
        b = _int(witness.get("report"), "witness.report", 0, len(block.possible))
        gain = _expected(block.p[a], t[b]) + block.v[a][block.x[b]] - own if a != b else Fraction(0)
    else:
        raise _Bad("witness.impossible must be true (only for a given rule) or false")
    if gain <= 0 or gain != _q(witness.get("gain"), "witness.gain"):
        problems.append(f"the witness's gain, recomputed, is {gain}; recorded {witness.get('gain')!r}")


def _check_cycle(cert: dict, st: dict, model, agents: list, problems: list) -> None:
    steps = _list(cert.get("cycle"), "cycle")
    if len(steps) < 2 or not all(isinstance(step, dict) for step in steps):
        raise _Bad("a cycle needs at least two steps, each an object")
    block = _named_block(cert, model, agents)
    labels = [json.dumps(lab, sort_keys=True) for lab in block.labels(block.possible)]
    index = []
    for k, step in enumerate(steps):
        lab = json.dumps(step.get("type"), sort_keys=True)
        if lab not in labels:
            raise _Bad(f"cycle[{k}].type is not a type of agent {cert['agent']} with a possible profile here")
        index.append(labels.index(lab))
    # C1: a cycle through a type twice is two cycles; each must be negative on its own
    if len(set(index)) != len(index):
        problems.append("the cycle visits a type twice")
    total = Fraction(0)
    for k, a in enumerate(index):
        b = index[(k + 1) % len(index)]
        step = steps[k]
        if json.dumps(step.get("next"), sort_keys=True) != labels[b]:
            problems.append(f"cycle[{k}].next is not the type of the following step")
        # C2: every number from the statement's model
        c = block.c(a, b)
        _compare(step.get("c"), c, f"cycle[{k}].c", problems)
        _compare(step.get("value_own"), block.val(a, block.x[a]), f"cycle[{k}].value_own", problems)
        _compare(step.get("value_next"), block.val(a, block.x[b]), f"cycle[{k}].value_next", problems)
        for key, x in (("allocation", block.x[a]), ("next_allocation", block.x[b])):
            if step.get(key, model.label(x)) != model.label(x):
                problems.append(f"cycle[{k}].{key} is not x* = {model.label(x)}")
        total += c
    _compare(cert.get("total"), total, "total", problems)
    # C3
    if total >= 0:
        problems.append(f"the total {total} of the cycle, recomputed, is not negative")


def _check_farkas(cert: dict, st: dict, model: _Model, agents: list, problems: list) -> None:
    block = _named_block(cert, model, agents)
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
        # F1: a zero or negative multiplier, or a == b, is no inequality of the system
        if a == b or (a, b) in seen or y <= 0:
            problems.append(f"multipliers[{r}] is not a positive multiplier of a new constraint a != b")
        seen.add((a, b))
        for col, p in enumerate(block.p[a]):
            combination[b][col] += y * p
            combination[a][col] -= y * p
        total += y * block.c(a, b)
    # F2
    nonzero = [(b, col) for b in range(n) for col in range(K) if combination[b][col] != 0]
    if nonzero:
        problems.append(f"the combination of the constraints is not zero in {len(nonzero)} variables "
                        f"(first: t(type {nonzero[0][0]}, estimate {nonzero[0][1]}))")
    if not seen:
        problems.append("no multipliers")
    _compare(cert.get("total"), total, "total", problems)
    # F3
    if total >= 0:
        problems.append(f"the combination's right-hand side {total} is not negative")


_CHECKS = {"transfers": _check_transfers, "cycle": _check_cycle, "farkas": _check_farkas}


def _check(cert: dict, problems: list) -> None:
    st = _statement(cert, problems)
    _duplicates(cert, st, problems)
    model = _model(st["model"], st["mechanism"]["class"])
    agents = _agents(st, model)
    if _fits(cert, st, model, problems):
        _CHECKS[cert["kind"]](cert, st, model, agents, problems)


def recheck(cert) -> Report:
    """Replay one certificate from its statement; every failure is a problem string, never an exception.

    >>> recheck({"format": FORMAT}).problems
    ["<no id>: missing key 'id'"]
    """
    cid = cert.get("id") if isinstance(cert, dict) and isinstance(cert.get("id"), str) else "<no id>"
    problems: list = []
    try:
        if not isinstance(cert, dict):
            raise _Bad("a certificate is a JSON object")
        for key in _HEAD:
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
        # S1: an inconclusive certificate asserts nothing
        if cert["status"] != "inconclusive":
            _check(cert, problems)
    except _Bad as exc:
        problems.append(str(exc))
    except Exception as exc:        # hostile or corrupted input: reject, never crash
        problems.append(f"internal error while checking: {type(exc).__name__}: {exc}"[:300])
    return Report(not problems, [f"{cid}: {p}" for p in problems])
