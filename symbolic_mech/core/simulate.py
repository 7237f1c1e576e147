r"""A statement's Monte Carlo, re-run from its model's primitives and a seed.

Part of the trust root with :mod:`.checker` and :mod:`.posteriors`: it imports
only the standard library, numpy and its sibling :mod:`.posteriors`; never
sympy or the engine, and it never evaluates text.  The engine draws its
simulations through this module too (:class:`Simulation`), so a saved run's
statistics are reproduced from the statement alone.

The expectation a statement states (its ``expectation`` key, rule S6 of
:mod:`.checker`) is ``null`` or a record

``{"state": "posterior" | "fixed", "given": [j, ...], "redrawn": [j, ...],
"uniform": [name, ...], "estimator": LAW | null, "integrand": TREE}``

meaning ``rhs = E_{omega | s_given} E_{s_redrawn | omega} E_{u} E_{omega_hat | omega}[integrand]``:

* ``state`` ``"posterior"``: omega from the model's prior given the signals of
  the agents in ``given`` at the point's values (``given`` empty: the prior);
  ``"fixed"``: omega is the point's value of ``omega`` (the estimator's law
  given omega; no model is needed, ``given`` and ``redrawn`` are empty);
* ``redrawn``: agents whose signals ``s_j`` are drawn from the likelihood
  given omega (the integrand reads them as the draws), none of them given;
* ``uniform``: names of independent U(0, 1) variables (a lottery, a coin);
* ``estimator``: omega_hat's law given omega, or null (no ``omega_hat``);
* ``integrand``: a tree (the checker's format) in ``omega`` (``omega1``,
  ``omega2``, ... for known rates), ``omega_hat``, the redrawn signals, the
  uniform names and the point's symbols; posterior atoms get their formulas
  from the model (:mod:`.posteriors`), named functions from the statement's
  definitions.

Estimator laws (``LAW``): ``{"law": "ex-post"}`` (omega_hat = omega);
``{"law": "additive-noise", "variance": T, "m": T}`` (omega_hat = omega +
N(0, variance/m)); ``{"law": "sample-click-rate", "m": T}`` (Binomial(m,
omega)/m); ``{"law": "bayesian-shrinkage", "m": T, "noise_var": T,
"prior_mean": T, "prior_var": T}`` (rho = omega + N(0, noise_var/m), omega_hat
= (prior_mean/prior_var + m rho/noise_var) / (1/prior_var + m/noise_var)).

Draws
=====

``rng = numpy.random.default_rng(seed)`` (PCG64 seeded with the entry's
seed), ``size`` draws of each, in this order:

1. the state: ``gaussian`` ``rng.normal(M, sqrt(P), size)`` from the prior,
   log weight ``-sum_{j in given} (s_j - omega)^2 / (2 N_j)``;
   ``beta-bernoulli`` ``rng.beta(a, b, size)``, log weight ``sum_{j in given}
   s_j log omega + (k_j - s_j) log(1 - omega)``; ``wallet`` omega = the given
   signals plus ``rng.normal(mu_j, sqrt(tau2_j), size)`` for each other agent
   in increasing order (equal weights); ``known-rates`` ``omega_j = s_j`` for
   the given agents (equal weights);
2. each redrawn signal, in increasing agent order: ``gaussian`` omega +
   ``rng.normal(0, sqrt(N_j), size)``; ``beta-bernoulli``
   ``rng.binomial(k_j, omega)``;
3. each uniform name in the listed order: ``rng.random(size)``;
4. omega_hat: ``rng.normal(0, sd, size)`` added (additive noise, and rho of
   the shrinkage), or ``rng.binomial(m, omega) / m``.

The weights are ``exp(logw - max logw)`` (self-normalized: the shift drops
out).  Numbers of the model and the point are floats of the exact values;
the integrand is evaluated in float64 over the draws (:class:`Simulation`).

>>> model = {"structure": "gaussian", "n": 1, "prior_mean": ["Integer", "0"], "prior_var": ["Integer", "1"],
...          "noise_var": [["Integer", "1"]]}
>>> record = {"state": "posterior", "given": [1], "redrawn": [], "uniform": [], "estimator": None,
...           "integrand": ["Symbol", "omega"]}
>>> import numpy as np
>>> draws, w = Simulation(model, [], record).sample({"s1": 2}, np.random.default_rng(0), 100_000)
>>> round(float(w @ draws / w.sum()), 2)      # E[omega | s1 = 2] = 1
1.0
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from .posteriors import ModelError, STRUCTURES, definition as posterior_definition, posterior_atom

__all__ = ["Simulation", "SimulationError", "RECORD_KEYS", "LAWS", "check_record"]

RECORD_KEYS = ("state", "given", "redrawn", "uniform", "estimator", "integrand")
LAWS = {"ex-post": (), "additive-noise": ("variance", "m"), "sample-click-rate": ("m",),
        "bayesian-shrinkage": ("m", "noise_var", "prior_mean", "prior_var")}
MAX_NODES = 200_000
MAX_SIZE = 10_000_000
_RAT = re.compile(r"(-?[0-9]+)(?:/([0-9]+))?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_']{0,40}")
_LEAF = {"Integer", "Rational", "Symbol", "pi", "E", "true", "false"}
_UNARY = {"exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan, "Abs": np.abs,
          "sign": np.sign}
_COMPARE = {"Lt": np.less, "Le": np.less_equal, "Gt": np.greater, "Ge": np.greater_equal, "Eq": np.equal,
            "Ne": np.not_equal}
_STATE_FREE = ("omega", "omega_hat")
_ARITY = {"Pow": 2, "Not": 1, "erf": 1, **{u: 1 for u in _UNARY}, **{c: 2 for c in _COMPARE}}


class SimulationError(ValueError):
    """The record, the model or the point does not allow a simulation; the message says why."""


def _agents(value, n, where) -> tuple:
    if not isinstance(value, list) or any(isinstance(j, bool) or not isinstance(j, int) for j in value) \
            or value != sorted(set(value)) or any(not 1 <= j <= n for j in value):
        raise SimulationError(f"{where} must list agents of 1..{n} once each, in increasing order")
    return tuple(value)


def check_record(record, model) -> None:
    """SimulationError unless ``record`` is a formal expectation over ``model`` (the shape above)."""
    if not isinstance(record, dict) or set(record) != set(RECORD_KEYS):
        raise SimulationError(f"an expectation record has exactly the keys {list(RECORD_KEYS)}")
    state = record["state"]
    if state not in ("posterior", "fixed"):
        raise SimulationError("expectation.state must be 'posterior' or 'fixed'")
    uniform = record["uniform"]
    if not isinstance(uniform, list) or len(set(map(str, uniform))) != len(uniform) or not all(
            isinstance(u, str) and _NAME.fullmatch(u) and u not in _STATE_FREE for u in uniform):
        raise SimulationError("expectation.uniform must list distinct plain names")
    law = record["estimator"]
    if law is not None and (not isinstance(law, dict) or law.get("law") not in LAWS
                            or set(law) != {"law", *LAWS[law["law"]]}):
        raise SimulationError(f"expectation.estimator must be null or a law among {sorted(LAWS)} with its keys")
    if state == "fixed":
        if record["given"] != [] or record["redrawn"] != []:
            raise SimulationError("a fixed state conditions on no signal and redraws none")
        return
    if not isinstance(model, dict) or model.get("structure") not in STRUCTURES or not isinstance(model.get("n"), int):
        raise SimulationError("a posterior state needs a model with a rule here (gaussian, beta-bernoulli, "
                              "wallet, known-rates)")
    n = model["n"]
    given = _agents(record["given"], n, "expectation.given")
    redrawn = _agents(record["redrawn"], n, "expectation.redrawn")
    if set(given) & set(redrawn):
        raise SimulationError("a signal is either given or redrawn, not both")
    kind = model["structure"]
    if redrawn and kind not in ("gaussian", "beta-bernoulli"):
        raise SimulationError(f"a {kind} model redraws no signal")
    if kind == "known-rates" and law is not None:
        raise SimulationError("known rates: a vector state has no estimator law here")


class _Dag:
    """Trees interned as nodes (op, payload, kids); identical subtrees are one node."""

    def __init__(self):
        self.nodes, self.index, self.trees = [], {}, {}

    def make(self, op, payload, kids, tree=None) -> int:
        key = (op, payload, kids)
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.nodes)
            self.nodes.append(key)
            if tree is not None and op in ("Symbol", "Function"):
                self.trees[n] = tree
        return n

    def parse(self, tree, where: str) -> int:
        """Intern a JSON tree without recursion; shape errors are SimulationError.

        A list met again within one tree (a subtree the writer shares, as
        :func:`symbolic_mech.core.trees.to_tree` does) is the node it was the
        first time: it is read once, and counted at each reference.  A tree
        read from JSON shares nothing, and is read node by node.
        """
        out, stack, count, seen = [], [(tree, False)], 0, {}
        while stack:
            node, done = stack.pop()
            if not done:
                count += 1
                if count > MAX_NODES:
                    raise SimulationError(f"{where} has more than {MAX_NODES} nodes")
                known = seen.get(id(node))
                if known is not None:
                    out.append(known[1])
                    continue
                if not isinstance(node, list) or not node or not isinstance(node[0], str):
                    raise SimulationError(f"{where}: a node must be a list [op, ...]")
                op = node[0]
                if op in ("Integer", "Rational", "Symbol", "pi", "E", "true", "false"):
                    out.append(self._leaf(node, where))
                    seen[id(node)] = (node, out[-1])       # the node kept: its id is not reused
                    continue
                stack.append((node, True))
                if op == "Piecewise":
                    for pair in reversed(node[1:]):
                        if not isinstance(pair, list) or len(pair) != 2:
                            raise SimulationError(f"{where}: a Piecewise branch must be [value, condition]")
                        stack.append((pair[1], False))
                        stack.append((pair[0], False))
                else:
                    first = 2 if op == "Function" else 1
                    if op == "Function" and (len(node) < 2 or not isinstance(node[1], str)):
                        raise SimulationError(f"{where}: a Function node needs a name")
                    for kid in reversed(node[first:]):
                        stack.append((kid, False))
                continue
            op = node[0]
            k = 2 * (len(node) - 1) if op == "Piecewise" else len(node) - (2 if op == "Function" else 1)
            kids = tuple(out[len(out) - k:]) if k else ()
            del out[len(out) - k:]
            if op not in ("Add", "Mul", "Max", "Min", "And", "Or", "Piecewise", "Function", "Pow", "Not", "erf") \
                    and op not in _UNARY and op not in _COMPARE:
                raise SimulationError(f"{where}: unknown node {op[:30]!r}")
            if op in _ARITY and len(kids) != _ARITY[op] or op in ("Add", "Mul", "Max", "Min", "Piecewise") and not kids:
                raise SimulationError(f"{where}: {op} has the wrong number of arguments")
            out.append(self.make(op, node[1] if op == "Function" else None, kids, node))
            seen[id(node)] = (node, out[-1])
        return out[0]

    def _leaf(self, node, where):
        op = node[0]
        if op in ("pi", "E", "true", "false"):
            if len(node) != 1:
                raise SimulationError(f"{where}: {op} takes no arguments")
            return self.make(op, None, ())
        if op == "Symbol":
            if len(node) != 2 or not isinstance(node[1], str):
                raise SimulationError(f"{where}: a Symbol is ['Symbol', name]")
            return self.make(op, node[1], (), node)
        parts = node[1:]
        if not all(isinstance(p, str) and re.fullmatch(r"-?[0-9]{1,100000}", p) for p in parts) \
                or len(parts) != (1 if op == "Integer" else 2):
            raise SimulationError(f"{where}: a malformed {op}")
        q = Fraction(int(parts[0]), int(parts[1]) if op == "Rational" else 1)
        return self.make("Num", q, ())


def _float(q: Fraction) -> float:
    try:
        return float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def _erf(x):
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(x), dtype=float)


class Simulation:
    """A statement's expectation made ready to draw: ``Simulation(model, definitions,
    record).sample(point, rng, size) -> (draws, weights)`` (see the module docstring).

    ``definitions`` are the statement's ``[{"atom": TREE, "formula": TREE}]`` (named functions
    of the model); posterior atoms get their formulas from ``model``.  ``point`` maps names to
    Fractions (or rational strings).  Any failure is a SimulationError.
    """

    def __init__(self, model, definitions, record):
        check_record(record, model)
        self.model, self.record = model, record
        dag = self.dag = _Dag()
        self.defs = {}
        if not isinstance(definitions, list):
            raise SimulationError("definitions must be a list")
        for k, d in enumerate(definitions):
            if not isinstance(d, dict) or set(d) != {"atom", "formula"}:
                raise SimulationError(f"definitions[{k}] must be {{atom, formula}}")
            atom = dag.parse(d["atom"], f"definitions[{k}].atom")
            if dag.nodes[atom][0] not in ("Symbol", "Function"):
                raise SimulationError(f"definitions[{k}].atom must be a Symbol or a Function")
            self.defs[atom] = dag.parse(d["formula"], f"definitions[{k}].formula")
        self.root = dag.parse(record["integrand"], "expectation.integrand")
        self.laws = {}
        law = record["estimator"]
        if law is not None:
            self.laws = {k: dag.parse(law[k], f"expectation.estimator.{k}") for k in LAWS[law["law"]]}
        self.primitives = {}
        if record["state"] == "posterior":
            model_keys = STRUCTURES[model["structure"]]
            for key in model_keys:
                value = model[key]
                if isinstance(value, list) and value and isinstance(value[0], list):
                    self.primitives[key] = [dag.parse(v, f"model.{key}[{j}]") for j, v in enumerate(value)]
                else:
                    self.primitives[key] = dag.parse(value, f"model.{key}")
        self.order = self._order([self.root, *self.laws.values(), *[
            n for value in self.primitives.values() for n in (value if isinstance(value, list) else [value])]])
        self.integrand_order = self._order([self.root])

    def _children(self, n):
        op, _, kids = self.dag.nodes[n]
        if n in self.defs:
            return (self.defs[n],)
        if op in ("Symbol", "Function") and n in self.dag.trees:
            formula = self._posterior(n)
            if formula is not None:
                return (formula,)
        return kids

    def _posterior(self, n):
        """The formula of a posterior atom from the model (interned), or None."""
        tree = self.dag.trees[n]
        try:
            if posterior_atom(tree) is None:
                return None
        except ModelError as exc:
            raise SimulationError(str(exc)) from None
        model = self.model
        if isinstance(model, dict) and model.get("structure") == "declared":
            for entry in model.get("moments") or []:
                if isinstance(entry, dict) and entry.get("atom") == tree:
                    self.defs[n] = self.dag.parse(entry.get("formula"), "model.moments")
                    return self.defs[n]
            raise SimulationError(f"{tree[1]!r:.60} has no declared formula")
        try:
            self.defs[n] = self.dag.parse(posterior_definition(model, tree), "a posterior formula")
        except ModelError as exc:
            raise SimulationError(f"model: {exc}") from None
        return self.defs[n]

    def _order(self, roots) -> list:
        """Every node the roots reach (definitions followed), children first; a cycle through
        the definitions is an error."""
        order, state = [], {}
        for root in roots:
            stack = [(root, False)]
            while stack:
                n, done = stack.pop()
                if done:
                    state[n] = 2
                    order.append(n)
                    continue
                if state.get(n) == 2:
                    continue
                if state.get(n) == 1:
                    raise SimulationError("the definitions are cyclic")
                state[n] = 1
                stack.append((n, True))
                for kid in self._children(n):
                    if state.get(kid) != 2:
                        if state.get(kid) == 1:
                            raise SimulationError("the definitions are cyclic")
                        stack.append((kid, False))
                if len(order) + len(stack) > 4 * MAX_NODES:
                    raise SimulationError("too many nodes with the definitions substituted")
        return order

    # -- evaluation ---------------------------------------------------------

    def _evaluate(self, env: dict, known=None) -> dict:
        """Values of the nodes in order (float64 scalars or arrays over the draws), starting from
        ``known``; with ``known`` None, the nodes free of the draws only (a symbol ``env`` does
        not fix is left out, and so is every node above it)."""
        partial = known is None
        val, nodes = ({} if partial else dict(known)), self.dag.nodes
        with np.errstate(all="ignore"):
            for n in (self.order if partial else self.integrand_order):
                if n in val:
                    continue
                op, payload, kids = nodes[n]
                kid = self._children(n)
                if kid is not kids:                 # a defined atom: its formula's value
                    if kid[0] in val:
                        val[n] = val[kid[0]]
                    continue
                if op == "Num":
                    val[n] = np.float64(_float(payload))
                elif op == "Symbol":
                    if payload in env:
                        val[n] = env[payload]
                    elif not partial:
                        raise SimulationError(f"the symbol {payload!r:.60} is neither drawn nor fixed by the point")
                elif op == "Function":
                    raise SimulationError(f"the function {payload!r:.60} has no definition")
                elif all(k in val for k in kids):
                    val[n] = self._apply(op, [val[k] for k in kids])
        return val

    @staticmethod
    def _apply(op, a):
        if op in ("Add", "Mul"):
            # the numbers first, then the arrays over the draws: a sum of one array and n numbers
            # is one array operation, not n
            out = None
            for x in [x for x in a if np.ndim(x) == 0] + [x for x in a if np.ndim(x) != 0]:
                out = x if out is None else out + x if op == "Add" else out * x
            return out
        if op == "Pow":
            base, e = a
            if np.ndim(e) == 0 and float(e) == int(float(e)) and abs(float(e)) <= 10_000:
                k = int(float(e))
                return np.float64(1.0) / base ** (-k) if k < 0 else base ** k
            return np.power(base, e)
        if op in _UNARY:
            return _UNARY[op](a[0])
        if op == "erf":
            return _erf(a[0])
        if op in _COMPARE:
            return _COMPARE[op](a[0], a[1])
        if op in ("Max", "Min"):
            return (np.maximum if op == "Max" else np.minimum).reduce(np.broadcast_arrays(*a))
        if op == "And":
            return np.logical_and.reduce(np.broadcast_arrays(*a))
        if op == "Or":
            return np.logical_or.reduce(np.broadcast_arrays(*a))
        if op == "Not":
            return np.logical_not(a[0])
        if op == "Piecewise":
            values, conds = a[0::2], a[1::2]
            arrays = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in values],
                                         *[np.asarray(c, dtype=bool) for c in conds])
            k = len(values)
            applies = np.logical_or.reduce(arrays[k:])
            return np.where(applies, np.select(arrays[k:], arrays[:k]), np.nan)
        if op in ("pi", "E"):
            return np.float64(math.pi if op == "pi" else math.e)
        if op in ("true", "false"):
            return np.bool_(op == "true")
        raise SimulationError(f"no rule for {op}")

    def _scalar(self, vals, n, what) -> float:
        x = vals.get(n)
        if x is None or np.ndim(x) != 0 or not math.isfinite(float(x)):
            raise SimulationError(f"{what} is not a finite number at the point")
        return float(x)

    def sample(self, point, rng, size: int):
        """``(draws, weights)``: ``size`` draws of the integrand and their weights (1-d float64)."""
        if isinstance(size, bool) or not isinstance(size, int) or not 2 <= size <= MAX_SIZE:
            raise SimulationError(f"size must be an integer in 2..{MAX_SIZE}")
        if not isinstance(rng, np.random.Generator):
            raise SimulationError("rng must be a numpy Generator")
        env = {}
        for name, q in point.items():
            if isinstance(q, str):
                m = _RAT.fullmatch(q)
                if not m:
                    raise SimulationError(f"point[{name!r:.40}] is not a rational")
                q = Fraction(int(m.group(1)), int(m.group(2) or 1))
            env[str(name)] = np.float64(_float(Fraction(q)))
        record, model = self.record, self.model
        drawn = {"omega_hat", *record["uniform"]}
        if record["state"] == "posterior":
            drawn |= {f"s{j}" for j in record["redrawn"]}
            drawn |= {"omega"} if model["structure"] != "known-rates" else {f"omega{j}" for j in record["given"]}
        else:
            drawn.discard("omega")
        clash = drawn & set(env)
        if clash:
            raise SimulationError(f"the point fixes {sorted(clash)[0]!r}, which is drawn")
        fixed = self._evaluate(env)                 # the model's numbers and the integrand's fixed parts
        weights = np.ones(size)
        if record["state"] == "fixed":
            if "omega" not in env:
                raise SimulationError("a fixed state needs omega in the point")
            states = np.full(size, float(env["omega"]))
        else:
            states, weights = self._state(fixed, env, rng, size)
        if model is not None and record["state"] == "posterior" and model["structure"] == "known-rates":
            for j in record["given"]:
                env[f"omega{j}"] = np.full(size, float(env[f"s{j}"]))
        else:
            env["omega"] = states
        for j in record["redrawn"]:
            env[f"s{j}"] = self._signal(fixed, j, states, rng, size)
        for name in record["uniform"]:
            env[name] = rng.random(size)
        if record["estimator"] is not None:
            env["omega_hat"] = self._estimate(fixed, states, rng, size)
        vals = self._evaluate(env, fixed)
        draws = np.broadcast_to(np.asarray(vals[self.root], dtype=float), (size,)).copy()
        return draws, weights

    def _prim(self, fixed, key, j=None) -> float:
        n = self.primitives[key] if j is None else self.primitives[key][j - 1]
        return self._scalar(fixed, n, f"the model's {key}" + ("" if j is None else f" of agent {j}"))

    def _signal_value(self, env, j) -> float:
        if f"s{j}" not in env:
            raise SimulationError(f"the point gives no value to the given signal s{j}")
        return float(env[f"s{j}"])

    def _state(self, fixed, env, rng, size):
        kind, given = self.model["structure"], self.record["given"]
        logw = np.zeros(size)
        if kind == "gaussian":
            mean, var = self._prim(fixed, "prior_mean"), self._prim(fixed, "prior_var")
            noise = [self._prim(fixed, "noise_var", j) for j in given]
            if var <= 0 or any(q <= 0 for q in noise):
                raise SimulationError("the model's variances must be positive at the point")
            states = rng.normal(mean, math.sqrt(var), size)
            for j, q in zip(given, noise):
                logw -= (self._signal_value(env, j) - states) ** 2 / (2 * q)
        elif kind == "beta-bernoulli":
            a, b = self._prim(fixed, "a"), self._prim(fixed, "b")
            if a <= 0 or b <= 0:
                raise SimulationError("the model's a and b must be positive at the point")
            states = rng.beta(a, b, size)
            clicks = misses = 0.0
            for j in given:
                t, c = self._prim(fixed, "impressions", j), self._signal_value(env, j)
                if t != int(t) or c != int(c) or not 0 <= c <= t:
                    raise SimulationError(f"s{j} must be a click count in 0..k{j}")
                clicks, misses = clicks + c, misses + (t - c)
            if given:       # the likelihood of all the clicks: omega^C (1 - omega)^(T - C), one pass
                with np.errstate(divide="ignore"):
                    logw += clicks * np.log(states) + misses * np.log1p(-states)
        elif kind == "wallet":
            states = np.full(size, math.fsum(self._signal_value(env, j) for j in given))
            for j in range(1, self.model["n"] + 1):
                if j not in given:
                    mu, q = self._prim(fixed, "signal_mean", j), self._prim(fixed, "signal_var", j)
                    if q <= 0:
                        raise SimulationError("the model's signal variances must be positive at the point")
                    states = states + rng.normal(mu, math.sqrt(q), size)
        else:       # known-rates: omega_j = s_j for the given agents
            for j in given:
                self._signal_value(env, j)
            return np.zeros(size), np.ones(size)
        if not np.isfinite(logw.max()):
            raise SimulationError("the signals have likelihood zero under every draw")
        return states, np.exp(logw - logw.max())

    def _signal(self, fixed, j, states, rng, size):
        if self.model["structure"] == "gaussian":
            q = self._prim(fixed, "noise_var", j)
            if q <= 0:
                raise SimulationError("the model's noise variances must be positive at the point")
            return states + rng.normal(0.0, math.sqrt(q), size)
        t = self._prim(fixed, "impressions", j)
        if t != int(t) or t < 0:
            raise SimulationError(f"k{j} must be a nonnegative integer at the point")
        return rng.binomial(int(t), states).astype(float)

    def _estimate(self, fixed, states, rng, size):
        law = self.record["estimator"]["law"]
        p = {k: self._scalar(fixed, n, f"the estimator's {k}") for k, n in self.laws.items()}
        if law == "ex-post":
            return states.copy()
        if law == "additive-noise":
            if p["variance"] <= 0 or p["m"] <= 0:
                raise SimulationError("the estimator's variance and m must be positive")
            return states + rng.normal(0.0, math.sqrt(p["variance"] / p["m"]), size)
        if law == "sample-click-rate":
            m = p["m"]
            if m != int(m) or m < 1 or np.any((states < 0) | (states > 1)):
                raise SimulationError("the sample click rate needs an integer m >= 1 and rates in [0, 1]")
            return rng.binomial(int(m), states) / m
        m, nv, pm, pv = p["m"], p["noise_var"], p["prior_mean"], p["prior_var"]
        if m <= 0 or nv <= 0 or pv <= 0:
            raise SimulationError("the shrinkage estimator's m and variances must be positive")
        rho = states + rng.normal(0.0, math.sqrt(nv / m), size)
        return (pm / pv + m * rho / nv) / (1 / pv + m / nv)
