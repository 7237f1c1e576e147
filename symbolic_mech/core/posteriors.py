r"""The checker's own posterior formulas, rebuilt from an information structure's primitives.

Part of the trust root with :mod:`symbolic_mech.core.checker`: it imports only
the standard library and never the engine, so a wrong formula in the engine
(:mod:`symbolic_mech.information`) cannot pass by being copied.  A formal
statement names its model as data (``{"structure": ..., primitives as
expression trees}``); for each posterior atom the statement's expressions
reach, :func:`definition` writes the formula as a tree:

* ``gaussian``: omega ~ N(M, P), s_j = omega + eps_j, eps_j ~ N(0, N_j):
  precision ``1/P + sum_{j in G} 1/N_j``, mean ``(M/P + sum s_j/N_j) /
  precision``, variance ``1/precision``;
* ``wallet``: omega = s_1 + ... + s_n, s_j ~ N(mu_j, tau2_j) independent:
  mean ``sum_{j in G} s_j + sum_{j not in G} mu_j``, variance
  ``sum_{j not in G} tau2_j``;
* both normal: ``E[omega^k] = sum_{i even} C(k, i) (i-1)!! mean^(k-i) var^(i/2)``;
* ``beta-bernoulli``: omega ~ Beta(a, b), s_j | omega ~ Binomial(k_j, omega):
  ``E[omega^k | s_G] = prod_{r<k} (A + r)/(A + B + r)`` with ``A = a + sum
  s_j``, ``A + B = a + b + sum k_j`` (conjugacy);
* ``known-rates``: moments are explicit in the engine (no atoms).

An atom is ``E[omega^k|G](args)`` (``k`` omitted when 1, ``G`` the agents,
``args`` the values put in for their signals, in order) or the Gaussian
variance symbol ``V_G``.

>>> model = {"structure": "beta-bernoulli", "n": 1, "a": ["Integer", "1"], "b": ["Integer", "1"],
...          "impressions": [["Integer", "3"]]}
>>> definition(model, ["Function", "E[omega|1]", ["Symbol", "s1"]])  # (1 + s1 + 0)/(1 + 1 + 3 + 0)
['Mul', ['Add', ['Add', ['Integer', '1'], ['Symbol', 's1']], ['Integer', '0']], ['Pow', ['Add', ['Add', ['Integer', '1'], ['Integer', '1'], ['Integer', '3']], ['Integer', '0']], ['Integer', '-1']]]
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

__all__ = ["STRUCTURES", "posterior_atom", "definition", "check_primitives"]

STRUCTURES = {"gaussian": ("prior_mean", "prior_var", "noise_var"), "wallet": ("signal_mean", "signal_var"),
              "beta-bernoulli": ("a", "b", "impressions"), "known-rates": ("prior_mean",)}
# the primitives given per agent (the others are one tree)
_PER_AGENT = {"gaussian": {"noise_var"}, "wallet": {"signal_mean", "signal_var"},
              "beta-bernoulli": {"impressions"}, "known-rates": {"prior_mean"}}
_MOMENT = re.compile(r"E\[omega(?:\^([1-9][0-9]?))?\|([1-9][0-9]*(?:,[1-9][0-9]*)*)\]")
_VARIANCE = re.compile(r"V_([1-9][0-9]*(?:,[1-9][0-9]*)*)")


class ModelError(ValueError):
    """The model record or an atom does not fit the rules above."""


def _num(k: int) -> list:
    return ["Integer", str(k)]


def _add(*terms) -> list:
    return ["Add", *terms] if terms else _num(0)


def _mul(*factors) -> list:
    return ["Mul", *factors] if factors else _num(1)


def _pow(base, k: int) -> list:
    return ["Pow", base, _num(k)]


def _agents(text: str) -> tuple:
    agents = tuple(int(j) for j in text.split(","))
    if list(agents) != sorted(set(agents)):
        raise ModelError(f"the agents {text} are not listed once each in increasing order")
    return agents


def posterior_atom(node) -> tuple | None:
    """``(k, G, args)`` for a moment atom, ``(None, G, ())`` for a variance symbol, else None.

    >>> posterior_atom(["Function", "E[omega^2|1,3]", ["Symbol", "s1"], ["Symbol", "s3"]])
    (2, (1, 3), (['Symbol', 's1'], ['Symbol', 's3']))
    >>> posterior_atom(["Symbol", "V_2"]), posterior_atom(["Symbol", "x"])
    ((None, (2,), ()), None)
    """
    if not isinstance(node, list) or len(node) < 2 or not isinstance(node[1], str):
        return None
    if node[0] == "Function" and (m := _MOMENT.fullmatch(node[1])):
        agents = _agents(m.group(2))
        if len(node) - 2 != len(agents):
            raise ModelError(f"{node[1]} takes {len(agents)} arguments, got {len(node) - 2}")
        return int(m.group(1) or 1), agents, tuple(node[2:])
    if node[0] == "Symbol" and len(node) == 2 and (m := _VARIANCE.fullmatch(node[1])):
        return None, _agents(m.group(1)), ()
    return None


def _checked(model) -> dict:
    if not isinstance(model, dict) or model.get("structure") not in STRUCTURES:
        raise ModelError(f"the model's structure must be one of {sorted(STRUCTURES)}")
    keys = {"structure", "n", *STRUCTURES[model["structure"]]}
    if set(model) != keys:
        raise ModelError(f"a {model['structure']} model has exactly the keys {sorted(keys)}")
    n = model["n"]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 1000:
        raise ModelError("the model's n must be an integer in [1, 1000]")
    for key in STRUCTURES[model["structure"]]:
        if key in _PER_AGENT[model["structure"]] and (not isinstance(model[key], list) or len(model[key]) != n):
            raise ModelError(f"the model's {key} must list one tree per agent ({n})")
    return model


# the primitives that must be positive (variances, Beta parameters) or positive integers (trials)
_POSITIVE = {"gaussian": ("prior_var", "noise_var"), "wallet": ("signal_var",), "beta-bernoulli": ("a", "b"),
             "known-rates": ()}


def _rational(text) -> Fraction | None:
    try:
        return Fraction(text) if isinstance(text, str) else None
    except (ValueError, ZeroDivisionError):
        return None


def _positive(tree, domains: dict, integer: bool = False) -> bool:
    """Whether a primitive's tree is positive on the statement's domains, by a few plain rules:
    a positive number; a symbol whose domain lies above 0; an even power of a symbol whose domain
    excludes 0 or lies above it; products and sums of positives (integer: a positive integer)."""
    if not isinstance(tree, list) or not tree:
        return False
    op, args = tree[0], tree[1:]
    if op in ("Integer", "Rational"):
        q = Fraction(int(args[0]), int(args[1]) if op == "Rational" else 1)
        return q > 0 and (not integer or q.denominator == 1)
    if op == "Symbol":
        d = domains.get(args[0])
        if not isinstance(d, dict) or (integer and not d.get("integer")):
            return False
        lo = _rational(d.get("lo"))
        return lo is not None and (lo > 0 or (lo == 0 and d.get("lo_open") is True))
    if integer:
        return False
    if op == "Pow" and len(args) == 2 and args[1][0] == "Integer" and int(args[1][1]) % 2 == 0:
        base = args[0]
        d = domains.get(base[1]) if base[0] == "Symbol" else None
        return _positive(base, domains) or (isinstance(d, dict) and d.get("exclude_zero") is True)
    if op in ("Add", "Mul") and args:
        return all(_positive(a, domains) for a in args)
    return False


def _symbols(tree) -> set:
    stack, out = [tree], set()
    while stack:
        node = stack.pop()
        if isinstance(node, list) and node and node[0] == "Symbol" and len(node) == 2:
            out.add(node[1])
        elif isinstance(node, list):
            stack.extend(node[1:] if node and isinstance(node[0], str) else node)
    return out


def check_primitives(model, domains: dict) -> None:
    """ModelError unless the model's variances and Beta parameters are positive and its trials
    positive integers on ``domains`` (a statement's domain records).  A primitive with a symbol
    the statement gives no domain is one no formula of the statement reaches (a reached symbol
    is fixed at every point, and only a symbol with a domain can be), so it is not judged."""
    model = _checked(model)
    kind = model["structure"]
    checks = [(key, tree, False) for key in _POSITIVE[kind]
              for tree in (model[key] if key in _PER_AGENT[kind] else [model[key]])]
    checks += [("impressions", tree, True) for tree in model.get("impressions", [])]
    for key, tree, integer in checks:
        if _symbols(tree) <= set(domains) and not _positive(tree, domains, integer):
            raise ModelError(f"the {kind} model's {key} is not shown positive"
                             f"{' integers' if integer else ''} on the domains")


def _normal_moment(k: int, mean, var) -> list:
    terms = [_mul(_num(math.comb(k, i) * math.prod(range(i - 1, 0, -2))), _pow(mean, k - i), _pow(var, i // 2))
             for i in range(0, k + 1, 2)]
    return _add(*terms)


def _mean_var(model, agents, args) -> tuple:
    if model["structure"] == "gaussian":
        noise = model["noise_var"]
        precision = _add(_pow(model["prior_var"], -1), *[_pow(noise[j - 1], -1) for j in agents])
        weighted = _add(_mul(model["prior_mean"], _pow(model["prior_var"], -1)),
                        *[_mul(a, _pow(noise[j - 1], -1)) for j, a in zip(agents, args)])
        return _mul(weighted, _pow(precision, -1)), _pow(precision, -1)
    rest = [j for j in range(1, model["n"] + 1) if j not in agents]
    return (_add(*args, *[model["signal_mean"][j - 1] for j in rest]),
            _add(*[model["signal_var"][j - 1] for j in rest]))


def definition(model, node) -> list:
    """The formula (a tree) of the posterior atom ``node`` under ``model``; ModelError if the
    model has no rule for it."""
    model = _checked(model)
    atom = posterior_atom(node)
    if atom is None:
        raise ModelError(f"{node!r:.60} is not a posterior atom")
    k, agents, args = atom
    kind = model["structure"]
    if agents[-1] > model["n"]:
        raise ModelError(f"{node[1]} names agent {agents[-1]} of a model with {model['n']} agents")
    if k is None:
        if kind != "gaussian":
            raise ModelError(f"{node[1]}: only a gaussian model defines variance symbols")
        return _mean_var(model, agents, [["Symbol", f"s{j}"] for j in agents])[1]
    if kind in ("gaussian", "wallet"):
        return _normal_moment(k, *_mean_var(model, agents, args))
    if kind == "beta-bernoulli":
        clicks = _add(model["a"], *args)
        trials = _add(model["a"], model["b"], *[model["impressions"][j - 1] for j in agents])
        return _mul(*[f for r in range(k) for f in (_add(clicks, _num(r)), _pow(_add(trials, _num(r)), -1))])
    raise ModelError(f"a {kind} model has no posterior atoms")
