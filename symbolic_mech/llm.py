r"""KL-regularized generation distributions and the regularized pivot (Section 5.2).

Definitions
===========

A finite set T of output texts; a reference distribution x0 on T with
x0(t) > 0; agents' expected rewards c_i(t) = E[r_i(t, omega, theta_i) | s].
The alpha-regularized efficient generation distribution (Definition 8 with
rho = D_KL) maximizes

    F(x) = sum_t c(t) x(t) - alpha * sum_t x(t) log(x(t) / x0(t)),   c = sum_i c_i,

over the simplex.  F is strictly concave (its Hessian is -alpha diag(1/x(t)))
and its maximizer is the Gibbs distribution (Example 4)

    x*(t) = x0(t) exp(c(t)/alpha) / Z,   Z = sum_t x0(t) exp(c(t)/alpha),

with maximal value alpha log Z.  The regularized pivot transfer of agent i
(Definition 9 with the pivot h_i) is

    t_i = sum_{j != i} c_j . x* - alpha KL(x* || x0)
          - [sum_{j != i} c_j . x*_{-i} - alpha KL(x*_{-i} || x0_{-i})],

where x*_{-i} is the Gibbs distribution of the others' rewards against the
reference x0_{-i} (the reference computed without agent i's data).

Inputs may be numbers (numpy is used) or sympy expressions (exact results).

Examples
========

>>> import numpy as np
>>> res = generation_distribution([0.0, 1.0], [0.5, 0.5], 1.0)
>>> np.round(res.distribution, 4)
array([0.2689, 0.7311])
>>> round(float(res.value), 6) == round(float(np.log(0.5 + 0.5 * np.e)), 6)
True

Exactly, with sympy:

>>> import sympy as sp
>>> c = sp.Symbol("c", real=True)
>>> generation_distribution([0, c], [sp.Rational(1, 2)] * 2, 1).value == sp.log((1 + sp.exp(c)) / 2)
True

References
==========

Definition 8, Definition 9 and Example 4 of the paper.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import sympy as sp

from sympy.core.function import AppliedUndef

from .information import _atom, _parse_atom
from .symbols import omega, s as signal, theta  # noqa: F401 (omega: the doctests)
from .validation import exact

__all__ = ["Generation", "RegularizedVCG", "generation_distribution", "regularized_vcg", "kl_divergence",
           "regularized_welfare"]


def _is_symbolic(*seqs) -> bool:
    return any(isinstance(v, sp.Basic) for seq in seqs for v in seq)


def _vector(values, name: str) -> list:
    if isinstance(values, (str, bytes)) or isinstance(values, sp.Basic):
        raise TypeError(f"{name} must be a sequence of numbers or sympy expressions, "
                        f"got {type(values).__name__}")
    try:
        out = list(np.asarray(values, dtype=object).ravel()) if isinstance(values, np.ndarray) else list(values)
    except TypeError as exc:
        raise TypeError(f"{name} must be a sequence, got {type(values).__name__}") from exc
    if not out:
        raise ValueError(f"{name} must not be empty")
    for k, v in enumerate(out):
        if isinstance(v, (bool, str)) or not isinstance(v, (numbers.Real, sp.Expr)):
            raise TypeError(f"{name}[{k}] must be a real number or sympy expression, got {v!r}")
    return out


def _check_reference(reference, size: int, name: str = "reference") -> list:
    ref = _vector(reference, name)
    if len(ref) != size:
        raise ValueError(f"{name} must have one probability per output ({size}), got {len(ref)}")
    for k, q in enumerate(ref):
        positive = q.is_positive if isinstance(q, sp.Basic) else q > 0
        if positive is False:
            raise ValueError(f"{name}[{k}] must be a positive probability, got {q}")
    if _is_symbolic(ref):
        # exactly: a float entry counts as its shortest decimal, never rounded to a nearby fraction
        total = sp.Add(*[exact(q, f"{name}[{k}]") for k, q in enumerate(ref)])
        wrong = total.is_number and sp.simplify(total - 1) != 0
    else:
        total = float(np.sum(np.asarray(ref, dtype=float)))
        wrong = abs(total - 1.0) > 1e-9
    if wrong:
        raise ValueError(f"{name} must sum to 1, sums to {total}")
    return ref


def _check_alpha(alpha):
    if isinstance(alpha, (bool, str)) or not isinstance(alpha, (numbers.Real, sp.Expr)):
        raise TypeError(f"alpha must be a positive number or sympy expression, got {alpha!r}")
    ok = alpha.is_positive if isinstance(alpha, sp.Basic) else alpha > 0
    if ok is False:
        raise ValueError(f"alpha must be positive, got {alpha}")
    return alpha


@dataclass(frozen=True)
class Generation:
    """The Gibbs distribution, its partition function Z and the value alpha log Z."""

    distribution: object
    partition: object
    value: object

    def __str__(self):
        return f"Generation over {len(self.distribution)} outputs, value alpha*log(Z) = {self.value}"


def kl_divergence(x, reference):
    """D_KL(x || reference) = sum_t x(t) log(x(t)/reference(t)).

    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    xs, ref = _vector(x, "x"), _vector(reference, "reference")
    if len(xs) != len(ref):
        raise ValueError(f"x and reference must have the same length, got {len(xs)} and {len(ref)}")
    if _is_symbolic(xs, ref):
        return sp.Add(*[a * sp.log(a / b) for a, b in zip(xs, ref)])
    a, b = np.asarray(xs, dtype=float), np.asarray(ref, dtype=float)
    nz = a > 0
    return float(np.sum(a[nz] * np.log(a[nz] / b[nz])))


def generation_distribution(rewards: Sequence, reference: Sequence, alpha) -> Generation:
    """The alpha-regularized efficient generation distribution for KL regularization.

    ``rewards[t]`` is the total expected reward sum_i E[r_i(t, omega, theta_i) | s]
    of output t, ``reference[t]`` the reference probability x0(t), ``alpha > 0``.

    Returns a :class:`Generation` with the Gibbs distribution
    x*(t) = x0(t) exp(rewards[t]/alpha) / Z, the partition function Z and the
    maximal value alpha log Z of the regularized objective.

    >>> import numpy as np
    >>> g = generation_distribution(np.zeros(3), [0.2, 0.3, 0.5], 2.0)
    >>> np.allclose(g.distribution, [0.2, 0.3, 0.5]), abs(g.value) < 1e-12
    (True, True)
    >>> generation_distribution([1, 2], [0.5, 0.5], 0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be positive, got 0
    """
    c = _vector(rewards, "rewards")
    ref = _check_reference(reference, len(c))
    alpha = _check_alpha(alpha)
    if _is_symbolic(c, ref) or isinstance(alpha, sp.Basic):
        weights = [exact(q, "reference") * sp.exp(exact(ct, "rewards") / alpha) for ct, q in zip(c, ref)]
        Z = sp.Add(*weights)
        return Generation([w / Z for w in weights], Z, alpha * sp.log(Z))
    c_arr, ref_arr = np.asarray(c, dtype=float), np.asarray(ref, dtype=float)
    shift = float(np.max(c_arr / alpha))  # log-sum-exp for stability
    w = ref_arr * np.exp(c_arr / alpha - shift)
    total = float(w.sum())
    return Generation(w / total, float(np.exp(shift) * total), float(alpha * (np.log(total) + shift)))


@dataclass(frozen=True)
class RegularizedVCG:
    """Outcome of :func:`regularized_vcg`: x* (with Z and its value), each agent's pivot
    transfer, and the Gibbs distribution x*_-i of each economy without agent i."""

    generation: Generation
    transfers: tuple
    without: tuple

    @property
    def distribution(self):
        return self.generation.distribution

    @property
    def value(self):
        return self.generation.value

    def __str__(self):
        return (f"Regularized VCG over {len(self.distribution)} outputs for {len(self.transfers)} agents; "
                f"value {self.value}")


def regularized_vcg(rewards_by_agent: Sequence, reference: Sequence, alpha, reference_without=None,
                    rewards_without=None, transfer_rewards=None) -> RegularizedVCG:
    """The alpha-regularized data-driven pivot (Definition 9, KL regularization).

    Parameters
    ==========
    rewards_by_agent : one sequence per agent, ``rewards_by_agent[i][t]`` the
        reward of output t that enters the transfers (an expected reward
        v_i, or a realized reward at the estimate omega_hat); x* is computed
        from their sum.
    reference : x0(s), positive probabilities summing to 1.
    alpha : positive regularization weight.
    reference_without : optional, one reference per agent, x0(s_{-i}) for the
        economy without agent i (default: ``reference``).
    rewards_without : optional, per agent i the list of the other agents'
        expected rewards given s_{-i}, from which x*_{-i} is computed.
        Default: the rows of ``rewards_by_agent`` without i, conditioned on the
        others' signals only: each posterior-moment atom given a set G of
        signals containing s_i (``E[omega|1,2](s1, s2)``, ``V_1,2``) becomes the
        atom given G without i (``E[omega|2](s2)``, ``V_2``); a row that still
        involves agent i's signal or type is a ValueError (pass
        ``rewards_without``).  Numbers carry no signal: with numeric rewards
        that depend on signals, pass ``rewards_without``.
    transfer_rewards : optional, one sequence per agent: the rewards that
        enter the transfers when they differ from those that choose x*, e.g.
        realized rewards at omega_hat while x* maximizes expected rewards
        (default: ``rewards_by_agent``).

    Returns :class:`RegularizedVCG` with the Gibbs x*, alpha log Z, the transfers
    t_i (paid to agent i) and the economies without each agent.

    >>> r = regularized_vcg([[1.0, 0.0], [0.0, 1.0]], [0.5, 0.5], 1.0)
    >>> round(r.transfers[0], 6) == round(r.transfers[1], 6)
    True
    >>> regularized_vcg([[1.0, 0.0]], [0.5, 0.5, 0.0], 1.0)
    Traceback (most recent call last):
    ...
    ValueError: reference must have one probability per output (2), got 3
    """
    if isinstance(rewards_by_agent, (str, bytes, sp.Basic)):
        raise TypeError("rewards_by_agent must be a list with one reward sequence per agent")
    rows = [_vector(r, f"rewards_by_agent[{i}]") for i, r in enumerate(rewards_by_agent)]
    if not rows:
        raise ValueError("rewards_by_agent must list at least one agent")
    size, n = len(rows[0]), len(rows)
    for i, r in enumerate(rows):
        if len(r) != size:
            raise ValueError(f"rewards_by_agent[{i}] has {len(r)} entries, expected {size}")
    ref = _check_reference(reference, size)
    paid = rows if transfer_rewards is None else [
        _vector(r, f"transfer_rewards[{i}]") for i, r in enumerate(transfer_rewards)]
    if len(paid) != n or any(len(r) != size for r in paid):
        raise ValueError(f"transfer_rewards must give {size} rewards for each of the {n} agents")
    symbolic = _is_symbolic(ref, *rows, *paid) or isinstance(alpha, sp.Basic)
    main = generation_distribution(_column_sums(rows, size, symbolic), ref, alpha)
    refs = [ref] * n if reference_without is None else list(reference_without)
    if len(refs) != n:
        raise ValueError(f"reference_without must give one reference per agent ({n}), got {len(refs)}")
    refs = [_check_reference(q, size, f"reference_without[{i}]") for i, q in enumerate(refs)]
    if rewards_without is not None and len(rewards_without) != n:
        raise ValueError(f"rewards_without must give one entry per agent ({n}), got {len(rewards_without)}")

    transfers, without = [], []
    for i in range(n):
        basis = [[_without_agent(v, i + 1, f"rewards_by_agent[{j}]") for v in rows[j]] for j in range(n) if j != i] \
            if rewards_without is None else [
            _vector(r, f"rewards_without[{i}][{k}]") for k, r in enumerate(rewards_without[i])]
        alt = generation_distribution(_column_sums(basis, size, symbolic), refs[i], alpha)
        without.append(alt)
        others = [paid[j] for j in range(n) if j != i]
        transfers.append(regularized_welfare(others, main.distribution, ref, alpha)
                         - regularized_welfare(others, alt.distribution, refs[i], alpha))
    return RegularizedVCG(main, tuple(transfers), tuple(without))


def regularized_welfare(rewards, x, reference, alpha):
    """sum_j r_j . x - alpha KL(x || reference), for reward rows r_j (the others' side of Definition 9).

    >>> import sympy as sp
    >>> regularized_welfare([[1, 0]], [sp.Rational(1, 2)] * 2, [sp.Rational(1, 2)] * 2, 1)
    1/2
    """
    symbolic = _is_symbolic(x, reference, *rewards) or isinstance(alpha, sp.Basic)
    value = sum((sp.Add(*[a * b for a, b in zip(r, x)]) if symbolic else float(np.dot(r, x))
                 for r in rewards), sp.Integer(0) if symbolic else 0.0)
    return value - alpha * kl_divergence(x, reference)


def _without_agent(value, agent: int, name: str):
    """An expected reward given all signals, conditioned instead on the signals of the others:
    the posterior-moment atoms given a set G containing ``agent`` become those given G without it.

    >>> from symbolic_mech import GaussianSignals
    >>> g = GaussianSignals(2)
    >>> _without_agent(g.expect(theta(2) * omega, atomic=True), 1, "r")
    theta2*E[omega|2](s2)
    """
    if not isinstance(value, sp.Basic):
        return value
    reps = {}
    for atom in value.atoms(AppliedUndef):
        parsed = _parse_atom(atom.func.__name__)
        if parsed is None or agent not in parsed[1]:
            continue
        k, given = parsed
        rest = tuple(j for j in given if j != agent)
        if not rest:
            raise ValueError(f"{name}: without agent {agent} the moment {atom} is a prior moment; "
                             f"pass rewards_without")
        args = [a for j, a in zip(given, atom.args) if j != agent]
        reps[atom] = _atom(k, rest)(*args)
    for sym in value.free_symbols:
        if sym.name.startswith("V_") and sym.is_positive:
            given = tuple(int(j) for j in sym.name[2:].split(",") if j.isdigit())
            if agent in given:
                rest = tuple(j for j in given if j != agent)
                if not rest:
                    raise ValueError(f"{name}: without agent {agent} the variance {sym} is the prior's; "
                                     f"pass rewards_without")
                reps[sym] = sp.Symbol("V_" + ",".join(map(str, rest)), positive=True)
    out = value.xreplace(reps) if reps else value
    own = {theta(agent), signal(agent)} & out.free_symbols
    if own:
        raise ValueError(f"{name}: the economy without agent {agent} would use {sorted(map(str, own))}; "
                         f"pass rewards_without")
    return out


def _column_sums(rows, size: int, symbolic: bool) -> list:
    if not rows:
        return [sp.Integer(0) if symbolic else 0.0] * size
    return [sp.Add(*col) if symbolic else float(sum(col)) for col in zip(*rows)]
