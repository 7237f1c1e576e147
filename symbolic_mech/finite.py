r"""Finite models: finite states, signals, types, outcomes and estimator laws, all exact.

Definitions
===========

A *finite information structure* has states ``omega_1, ..., omega_K`` (each
an exact number), a prior ``P(omega)``, a finite signal set ``S_i`` for each
agent ``i = 1..n`` and a joint likelihood ``P(s | omega)`` of signal profiles
``s = (s_1, ..., s_n)`` in ``S_1 x ... x S_n`` (signals may be correlated).
Bayes' rule gives the posterior given the signals of the agents in ``G``:

    P(omega | s_G) = sum_{s' : s'_G = s_G} P(omega) P(s' | omega) / P(s_G),

defined where ``P(s_G) > 0``, and ``E[f(omega) | s_G] = sum_omega f(omega) P(omega | s_G)``.

A *finite environment* adds type sets ``Theta_i``, a finite ordered outcome
set ``X`` and utilities ``u_i(x, omega, theta_i)``.  Agent i's value is
``v_i(x, theta_i, s) = E[u_i(x, omega, theta_i) | s]`` and the efficient
allocation ``x*(theta, s)`` maximizes ``sum_i v_i(x, theta_i, s)`` over ``X``;
ties go to the *first outcome in the listed order*.

A *finite estimator law* is a table ``P(omega_hat | omega)`` (Definition 5's
estimator, with finite support).

Every number is exact: int, :class:`fractions.Fraction` or a sympy
Rational; floats and strings are refused (TypeError naming the entry), a
probability outside [0, 1] or a law not summing to 1 is a ValueError naming
the entry.  Arithmetic is in :class:`~fractions.Fraction`.

Examples
========

A fair coin ``omega`` in {0, 1}, one agent seeing a signal correct with probability 3/4:

>>> info = FiniteInformation.independent([0, 1], [Fraction(1, 2), Fraction(1, 2)],
...     [{0: {"L": Fraction(3, 4), "H": Fraction(1, 4)}, 1: {"L": Fraction(1, 4), "H": Fraction(3, 4)}}])
>>> info.posterior(("H",))[1]
Fraction(3, 4)
>>> info.expect(lambda w: w, ("H",))
Fraction(3, 4)
"""
from __future__ import annotations

import itertools
import numbers
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import sympy as sp

from .core.exact import rational
from .symbols import check_agent, omega as omega_symbol, theta as theta_symbol, x as x_symbol

__all__ = ["FiniteInformation", "FiniteEnvironment", "FiniteEstimator", "exact_fraction"]


def exact_fraction(value, name: str) -> Fraction:
    """``value`` as a Fraction: int, Fraction or sympy Rational; TypeError naming ``name`` otherwise.

    >>> exact_fraction(3, "prior[0]"), exact_fraction(sp.Rational(1, 3), "prior[1]")
    (Fraction(3, 1), Fraction(1, 3))
    >>> exact_fraction(0.5, "prior[0]")
    Traceback (most recent call last):
    ...
    TypeError: prior[0] must be an exact rational (int, Fraction or sympy Rational), got the float 0.5
    """
    if type(value) is Fraction:     # the common case, without a round trip through sympy
        return value
    q = rational(value, name)
    return Fraction(int(q.p), int(q.q))


def _probability(value, name: str) -> Fraction:
    q = exact_fraction(value, name)
    if not 0 <= q <= 1:
        raise ValueError(f"{name} must be a probability in [0, 1], got {q}")
    return q


def _sums_to_one(total: Fraction, name: str) -> None:
    if total != 1:
        raise ValueError(f"{name} must sum to 1, sums to {total}")


def _sequence(value, name: str) -> tuple:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    return tuple(value)


def _distinct(values: tuple, name: str) -> tuple:
    """``values``, none repeated, and no two with the same str() (certificates name them by str()).

    >>> _distinct((1, "1"), "signals[1]")
    Traceback (most recent call last):
    ...
    ValueError: signals[1] lists 1 and '1', which print alike
    """
    seen, printed = set(), {}
    for v in values:
        if v in seen:
            raise ValueError(f"{name} lists {v!r} more than once")
        seen.add(v)
        if str(v) in printed:
            raise ValueError(f"{name} lists {printed[str(v)]!r} and {v!r}, which print alike")
        printed[str(v)] = v
    return values


def _state_keys(table: Mapping, name: str) -> None:
    """ValueError if two keys of ``table`` are the same number (1/2 as a Fraction and as a sympy Rational).

    >>> _state_keys({Fraction(1, 2): 0, sp.Rational(1, 2): 1}, "prior")
    Traceback (most recent call last):
    ...
    ValueError: prior has two keys for the number 1/2: Fraction(1, 2) and 1/2
    """
    seen = {}
    for k in table:
        q = exact_fraction(k, f"{name} key {k!r}")
        if q in seen:
            raise ValueError(f"{name} has two keys for the number {q}: {seen[q]!r} and {k!r}")
        seen[q] = k


def _label(value, name: str):
    # labels are compared for equality: a float label would make 0.1 + 0.2 a different signal
    if isinstance(value, (float, sp.Float)) or (isinstance(value, numbers.Real)
                                                and not isinstance(value, numbers.Rational)):
        raise TypeError(f"{name} must be an int, str or other exact label, got the float {value!r}")
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"{name} must be hashable (an int, str or tuple), got {type(value).__name__}") from None
    return value


def _keyed(values: tuple, table, name: str) -> tuple:
    """A table given as a sequence aligned with ``values`` or a mapping keyed by them."""
    if isinstance(table, Mapping):
        _state_keys(table, name)
        extra = [k for k in table if k not in values]
        if extra:
            raise ValueError(f"{name} has entries for unknown keys {extra!r}")
        return tuple(table.get(v, 0) for v in values)
    table = _sequence(table, name)
    if len(table) != len(values):
        raise ValueError(f"{name} must have {len(values)} entries, got {len(table)}")
    return table


class FiniteInformation:
    """A finite information structure: states, prior, signal sets and a joint likelihood.

    Parameters
    ==========
    states : distinct exact numbers, the values of omega.
    prior : probabilities aligned with ``states`` (or a mapping state -> probability).
    signals : one list of distinct signal labels per agent (ints or strings).
    likelihood : ``P(s | omega)`` as a callable ``likelihood(omega, s)`` with ``s`` a
        tuple of signals, or a mapping ``{omega: {s: probability}}`` (profiles left
        out have probability 0).  Each state's law must sum to 1.

    Use :meth:`independent` for signals independent given the state.

    >>> info = FiniteInformation([0, 1], [Fraction(1, 2), Fraction(1, 2)], [["a", "b"], ["a", "b"]],
    ...                          {0: {("a", "a"): 1}, 1: {("b", "b"): 1}})
    >>> info
    FiniteInformation(n=2): 2 states, signals 2 x 2
    >>> info.probability(("a", "b"))
    Fraction(0, 1)
    """

    def __init__(self, states: Sequence, prior, signals: Sequence, likelihood):
        self.states = _distinct(tuple(exact_fraction(w, f"states[{k}]")
                                      for k, w in enumerate(_sequence(states, "states"))), "states")
        prior = _keyed(self.states, prior, "prior")
        self.prior = tuple(_probability(p, f"prior[omega={w}]") for w, p in zip(self.states, prior))
        _sums_to_one(sum(self.prior), "prior")
        self.signals = tuple(_distinct(tuple(_label(v, f"signals[{i}][{k}]")
                                             for k, v in enumerate(_sequence(sig, f"signals[{i}]"))),
                                       f"signals[{i}]")
                             for i, sig in enumerate(_sequence(signals, "signals"), start=1))
        self.n = len(self.signals)
        self.profiles = tuple(itertools.product(*self.signals))
        self._likelihood = tuple(self._law(w, likelihood) for w in self.states)
        # P(omega, s) for every profile: the only table the posteriors read
        self._joint = {s: tuple(p * law[s] for p, law in zip(self.prior, self._likelihood))
                       for s in self.profiles}
        self._posteriors: dict = {}

    def _law(self, w: Fraction, likelihood) -> dict:
        name = f"likelihood[omega={w}]"
        if callable(likelihood):
            law = {s: _probability(likelihood(w, s), f"{name}[s={s!r}]") for s in self.profiles}
        else:
            if not isinstance(likelihood, Mapping):
                raise TypeError(f"likelihood must be a callable or a mapping, got {type(likelihood).__name__}")
            _state_keys(likelihood, "likelihood")
            row = _row(likelihood, w)
            if not isinstance(row, Mapping):
                raise ValueError(f"{name} is missing (a mapping from signal profiles to probabilities)")
            known = set(self.profiles)
            extra = [s for s in row if tuple(s) not in known]
            if extra:
                raise ValueError(f"{name} has entries for unknown signal profiles {extra!r}")
            law = {s: _probability(row.get(s, 0), f"{name}[s={s!r}]") for s in self.profiles}
        _sums_to_one(sum(law.values()), name)
        return law

    @classmethod
    def independent(cls, states, prior, laws: Sequence) -> "FiniteInformation":
        """Signals independent given the state: ``laws[i-1] = {omega: {s_i: probability}}``.

        The signal set of agent i is the union of the labels in her table, in order of
        first appearance.

        >>> info = FiniteInformation.independent([0, 1], [Fraction(1, 3), Fraction(2, 3)],
        ...     [{0: {0: 1}, 1: {0: Fraction(1, 2), 1: Fraction(1, 2)}}])
        >>> info.posterior((0,))[0]
        Fraction(1, 2)
        """
        laws = _sequence(laws, "laws")
        states_t = _sequence(states, "states")
        signals = []
        for i, law in enumerate(laws, start=1):
            if not isinstance(law, Mapping):
                raise TypeError(f"laws[{i}] must be a mapping {{omega: {{signal: probability}}}}, "
                                f"got {type(law).__name__}")
            _state_keys(law, f"laws[{i}]")
            labels = []
            for row in law.values():
                if not isinstance(row, Mapping):
                    raise TypeError(f"laws[{i}] rows must be mappings from signals to probabilities")
                labels += [k for k in row if k not in labels]
            signals.append(labels)

        def likelihood(w, s):
            p = Fraction(1)
            for i, (law, si) in enumerate(zip(laws, s), start=1):
                row = _row(law, w)
                if row is None:
                    raise ValueError(f"laws[{i}] has no row for omega={w}")
                p *= exact_fraction(row.get(si, 0), f"laws[{i}][omega={w}][{si!r}]")
            return p
        for i, law in enumerate(laws, start=1):
            for w, row in law.items():
                _sums_to_one(sum(_probability(p, f"laws[{i}][omega={w}][{k!r}]") for k, p in row.items()),
                             f"laws[{i}][omega={w}]")
        return cls(states_t, prior, signals, likelihood)

    def __repr__(self) -> str:
        sizes = " x ".join(str(len(sig)) for sig in self.signals)
        return f"FiniteInformation(n={self.n}): {len(self.states)} states, signals {sizes}"

    def _observed(self, observed) -> dict:
        """``{agent: signal}`` from a full profile tuple or a partial mapping, checked."""
        if isinstance(observed, Mapping):
            obs = dict(observed)
        elif isinstance(observed, tuple):
            if len(observed) != self.n:
                raise ValueError(f"observed must be a profile of {self.n} signals, got {observed!r}")
            obs = dict(enumerate(observed, start=1))
        else:
            raise TypeError(f"observed must be a tuple of signals or a mapping {{agent: signal}}, "
                            f"got {type(observed).__name__}")
        for j, sj in obs.items():
            check_agent(j, self.n, "observed")
            if sj not in self.signals[j - 1]:
                raise ValueError(f"observed[{j}] = {sj!r} is not a signal of agent {j}")
        return obs

    def _joint_given(self, obs: dict) -> tuple:
        if len(obs) == self.n:
            return self._joint[tuple(obs[j] for j in range(1, self.n + 1))]
        rows = [self._joint[s] for s in self.profiles if all(s[j - 1] == sj for j, sj in obs.items())]
        return tuple(sum(col) for col in zip(*rows))

    def probability(self, observed) -> Fraction:
        """P(s_G): the marginal probability of the observed signals.

        >>> info = FiniteInformation.independent([0, 1], [Fraction(1, 2), Fraction(1, 2)],
        ...     [{0: {"L": Fraction(3, 4), "H": Fraction(1, 4)}, 1: {"L": Fraction(1, 4), "H": Fraction(3, 4)}}])
        >>> info.probability({1: "H"})
        Fraction(1, 2)
        """
        return sum(self._joint_given(self._observed(observed)), Fraction(0))

    def posterior(self, observed) -> dict:
        """P(omega | s_G) by Bayes' rule, as ``{omega: probability}``.

        ``observed`` is a full signal profile (a tuple) or ``{agent: signal}``
        for some agents; ValueError if it has probability 0.

        >>> info = FiniteInformation.independent([0, 1], [Fraction(1, 2), Fraction(1, 2)],
        ...     [{0: {"L": Fraction(3, 4), "H": Fraction(1, 4)}, 1: {"L": Fraction(1, 4), "H": Fraction(3, 4)}}] * 2)
        >>> info.posterior(("H", "H")) == {0: Fraction(1, 10), 1: Fraction(9, 10)}
        True
        >>> info.posterior({1: "H"})[1], info.posterior({})[1]
        (Fraction(3, 4), Fraction(1, 2))
        """
        return dict(zip(self.states, self.posterior_weights(observed)))

    def posterior_weights(self, observed) -> tuple:
        """The posterior as a tuple aligned with ``states`` (the engine's fast path).

        >>> info = FiniteInformation([0, 1], [Fraction(1, 2), Fraction(1, 2)], [[0]], lambda w, s: 1)
        >>> info.posterior_weights((0,))
        (Fraction(1, 2), Fraction(1, 2))
        """
        # full profiles are looked up once per constraint: cache them before validating anything
        if isinstance(observed, tuple) and observed in self._posteriors:
            return self._posteriors[observed]
        obs = self._observed(observed)
        joint = self._joint_given(obs)
        total = sum(joint, Fraction(0))
        if total == 0:
            raise ValueError(f"observed signals {obs!r} have probability 0: no posterior")
        weights = tuple(p / total for p in joint)
        if isinstance(observed, tuple):
            self._posteriors[observed] = weights
        return weights

    def expect(self, f, observed) -> Fraction:
        """E[f(omega) | s_G]: a finite sum over the states.

        ``f`` is a callable of the state's value returning an exact number, or a
        sympy expression in ``omega`` (from :mod:`symbolic_mech.symbols`).

        >>> from symbolic_mech.symbols import omega
        >>> info = FiniteInformation([0, 2], [Fraction(1, 2), Fraction(1, 2)], [[0]], lambda w, s: 1)
        >>> info.expect(omega**2 + 1, (0,))
        Fraction(3, 1)
        """
        g = _function_of_state(f, "f")
        return sum((p * g(w) for w, p in self.posterior(observed).items() if p), Fraction(0))


def _row(table: Mapping, w: Fraction):
    """The entry of ``table`` for the state value ``w``: keys may be int, Fraction or sympy Rational."""
    if w in table:      # int and Fraction keys hash alike
        return table[w]
    for k, row in table.items():
        if isinstance(k, sp.Rational) and k == w:
            return row
    return None


def _function_of_state(f, name: str) -> Callable:
    if isinstance(f, sp.Basic):
        extra = f.free_symbols - {omega_symbol}
        if extra:
            raise ValueError(f"{name} may use only omega, got {sorted(map(str, extra))}")
        return lambda w: exact_fraction(f.xreplace({omega_symbol: sp.Rational(w.numerator, w.denominator)}),
                                        f"{name}(omega={w})")
    if not callable(f):
        raise TypeError(f"{name} must be a callable or a sympy expression in omega, got {type(f).__name__}")
    return lambda w: exact_fraction(f(w), f"{name}(omega={w})")


class FiniteEnvironment:
    """Finite types, a finite ordered outcome set and utilities on a finite information structure.

    Parameters
    ==========
    info : a :class:`FiniteInformation`.
    types : one list of distinct exact numbers per agent, the sets Theta_i.
    outcomes : distinct outcome labels, in the order that breaks ties.
    utilities : one entry per agent: a callable ``u(outcome, omega, theta_i)`` returning an
        exact number, or a sympy expression in ``x`` (the outcome, which must then be a
        number), ``omega`` and ``theta_i`` from :mod:`symbolic_mech.symbols`.

    Agent i's type is a pair ``(theta_i, s_i)``.  Utilities are tabulated exactly at
    construction (every outcome, state and type).

    >>> from symbolic_mech.symbols import x, theta
    >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
    >>> env = FiniteEnvironment(info, [[1, 3], [2]], [0, 1], [x * theta(1), (1 - x) * theta(2)])
    >>> env.efficient_allocation((3, 2), (0, 0)), env.efficient_allocation((1, 2), (0, 0))
    (1, 0)
    """

    def __init__(self, info: FiniteInformation, types: Sequence, outcomes: Sequence, utilities: Sequence):
        if not isinstance(info, FiniteInformation):
            raise TypeError(f"info must be a FiniteInformation, got {type(info).__name__}")
        self.info, self.n = info, info.n
        types = _sequence(types, "types")
        if len(types) != self.n:
            raise ValueError(f"types must have one list per agent ({self.n}), got {len(types)}")
        self.types = tuple(_distinct(tuple(exact_fraction(t, f"types[{i}][{k}]")
                                           for k, t in enumerate(_sequence(ti, f"types[{i}]"))), f"types[{i}]")
                           for i, ti in enumerate(types, start=1))
        self.outcomes = _distinct(tuple(_label(o, f"outcomes[{k}]")
                                        for k, o in enumerate(_sequence(outcomes, "outcomes"))), "outcomes")
        utilities = _sequence(utilities, "utilities")
        if len(utilities) != self.n:
            raise ValueError(f"utilities must have one entry per agent ({self.n}), got {len(utilities)}")
        # u[i-1][outcome index][state index][type index]
        self._u = tuple(self._tabulate(i, u) for i, u in enumerate(utilities, start=1))
        self._cache: dict = {}

    def _tabulate(self, i: int, u) -> tuple:
        name = f"the utility of agent {i}"
        if isinstance(u, sp.Basic):
            th = theta_symbol(i)
            extra = u.free_symbols - {x_symbol, omega_symbol, th}
            if extra:
                raise ValueError(f"{name} may use only x, omega and {th}, got {sorted(map(str, extra))}")

            def call(o, w, t):
                reps = {x_symbol: rational(o, f"outcome {o!r} (a number, for {name})"),
                        omega_symbol: rational(w, "omega"), th: rational(t, str(th))}
                return u.xreplace(reps)
        elif callable(u):
            call = u
        else:
            raise TypeError(f"{name} must be a callable or a sympy expression, got {type(u).__name__}")
        return tuple(tuple(tuple(exact_fraction(call(o, w, t), f"{name}(x={o!r}, omega={w}, theta{i}={t})")
                                 for t in self.types[i - 1])
                           for w in self.info.states)
                     for o in self.outcomes)

    def __repr__(self) -> str:
        sizes = " x ".join(str(len(t)) for t in self.types)
        return f"FiniteEnvironment(n={self.n}, {len(self.outcomes)} outcomes, types {sizes}; {self.info})"

    def agent_types(self, i: int) -> tuple:
        """Agent i's types ``(theta_i, s_i)``: every pair of Theta_i x S_i.

        >>> info = FiniteInformation([0], [1], [["a", "b"]], lambda w, s: Fraction(1, 2))
        >>> FiniteEnvironment(info, [[0]], ["x"], [lambda o, w, t: 0]).agent_types(1)
        ((Fraction(0, 1), 'a'), (Fraction(0, 1), 'b'))
        """
        i = check_agent(i, self.n)
        return tuple(itertools.product(self.types[i - 1], self.info.signals[i - 1]))

    def _index(self, i: int, outcome, theta_i) -> tuple:
        if outcome not in self.outcomes:
            raise ValueError(f"outcome {outcome!r} is not one of the outcomes")
        t = exact_fraction(theta_i, f"theta{i}")
        if t not in self.types[i - 1]:
            raise ValueError(f"theta{i} = {t} is not a type of agent {i}")
        return self.outcomes.index(outcome), self.types[i - 1].index(t)

    def utility(self, i: int, outcome, omega, theta_i) -> Fraction:
        """u_i(x, omega, theta_i) from the exact table.

        >>> from symbolic_mech.symbols import x, omega, theta
        >>> info = FiniteInformation([0, 1], [Fraction(1, 2), Fraction(1, 2)], [[0]], lambda w, s: 1)
        >>> FiniteEnvironment(info, [[2]], [0, 1], [x * (theta(1) - omega)]).utility(1, 1, 1, 2)
        Fraction(1, 1)
        """
        i = check_agent(i, self.n)
        k, t = self._index(i, outcome, theta_i)
        w = exact_fraction(omega, "omega")
        if w not in self.info.states:
            raise ValueError(f"omega = {w} is not a state")
        return self._u[i - 1][k][self.info.states.index(w)][t]

    def value(self, i: int, outcome, theta_i, s: tuple) -> Fraction:
        """v_i(x, theta_i, s) = E[u_i(x, omega, theta_i) | s] for a full signal profile s.

        >>> from symbolic_mech.symbols import x, omega, theta
        >>> info = FiniteInformation([0, 1], [Fraction(1, 2), Fraction(1, 2)], [[0]], lambda w, s: 1)
        >>> FiniteEnvironment(info, [[2]], [0, 1], [x * (theta(1) - omega)]).value(1, 1, 2, (0,))
        Fraction(3, 2)
        """
        i = check_agent(i, self.n)
        k, t = self._index(i, outcome, theta_i)
        return self._values(i, t, s)[k]

    def values(self, i: int, theta_i, s: tuple) -> tuple:
        """(v_i(x, theta_i, s) for x in outcomes), in the listed order of the outcomes.

        >>> from symbolic_mech.symbols import x, omega, theta
        >>> info = FiniteInformation([0, 1], [Fraction(1, 2), Fraction(1, 2)], [[0]], lambda w, s: 1)
        >>> FiniteEnvironment(info, [[2]], [0, 1], [x * (theta(1) - omega)]).values(1, 2, (0,))
        (Fraction(0, 1), Fraction(3, 2))
        """
        i = check_agent(i, self.n)
        return self._values(i, self._index(i, self.outcomes[0], theta_i)[1], s)

    def _values(self, i: int, t: int, s: tuple) -> tuple:
        """(v_i(x, theta_i, s) for x in outcomes) with theta_i the t-th type."""
        key = (i, t, s)
        if key not in self._cache:      # every agent's analysis visits every profile
            post = self.info.posterior_weights(s)
            self._cache[key] = tuple(sum((p * row[w][t] for w, p in enumerate(post) if p), Fraction(0))
                                     for row in self._u[i - 1])
        return self._cache[key]

    def welfare(self, outcome, theta: tuple, s: tuple) -> Fraction:
        """sum_i v_i(x, theta_i, s).

        >>> from symbolic_mech.symbols import x, theta
        >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
        >>> FiniteEnvironment(info, [[1], [2]], [0, 1], [x * theta(1), x * theta(2)]).welfare(1, (1, 2), (0, 0))
        Fraction(3, 1)
        """
        if outcome not in self.outcomes:
            raise ValueError(f"outcome {outcome!r} is not one of the outcomes")
        return self._welfare(self._type_indices(theta), s)[self.outcomes.index(outcome)]

    def _type_indices(self, theta: tuple) -> tuple:
        if not isinstance(theta, tuple) or len(theta) != self.n:
            raise ValueError(f"theta must be a tuple of {self.n} types, got {theta!r}")
        out = []
        for i, t in enumerate(theta, start=1):
            q = exact_fraction(t, f"theta[{i}]")
            if q not in self.types[i - 1]:
                raise ValueError(f"theta[{i}] = {q} is not a type of agent {i}")
            out.append(self.types[i - 1].index(q))
        return tuple(out)

    def _welfare(self, type_index: tuple, s: tuple) -> tuple:
        rows = [self._values(i, t, s) for i, t in enumerate(type_index, start=1)]
        return tuple(sum(col) for col in zip(*rows))

    def welfares(self, theta: tuple, s: tuple) -> tuple:
        """(sum_i v_i(x, theta_i, s) for x in outcomes).

        >>> from symbolic_mech.symbols import x, theta
        >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
        >>> FiniteEnvironment(info, [[1], [2]], [0, 1], [x * theta(1), x * theta(2)]).welfares((1, 2), (0, 0))
        (Fraction(0, 1), Fraction(3, 1))
        """
        return self._welfare(self._type_indices(theta), s)

    def efficient_allocation(self, theta: tuple, s: tuple):
        """x*(theta, s): the welfare maximizer, ties to the first outcome in the listed order.

        >>> from symbolic_mech.symbols import x, theta
        >>> info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
        >>> env = FiniteEnvironment(info, [[1], [1]], ["A", "B"], [lambda o, w, t: t, lambda o, w, t: t])
        >>> env.efficient_allocation((1, 1), (0, 0))
        'A'
        """
        return self.outcomes[first_argmax(self._welfare(self._type_indices(theta), s))]


def first_argmax(values: Sequence) -> int:
    """The index of the first maximal entry (the tie-breaking rule of the finite allocation).

    >>> first_argmax([1, 3, 3])
    1
    """
    best = 0
    for k, v in enumerate(values):
        if v > values[best]:
            best = k
    return best


class FiniteEstimator:
    """A finite estimator law: the table ``P(omega_hat | omega)``.

    Parameters
    ==========
    law : ``{omega: {omega_hat: probability}}`` with exact numbers; every row sums to 1.

    ``support`` lists the estimates in increasing order.

    >>> est = FiniteEstimator({0: {0: Fraction(3, 4), 1: Fraction(1, 4)}, 1: {0: Fraction(1, 4), 1: Fraction(3, 4)}})
    >>> est.support
    (Fraction(0, 1), Fraction(1, 1))
    >>> est.predictive({0: Fraction(1, 2), 1: Fraction(1, 2)})
    (Fraction(1, 2), Fraction(1, 2))
    """

    def __init__(self, law: Mapping):
        if not isinstance(law, Mapping) or not law:
            raise TypeError(f"law must be a nonempty mapping {{omega: {{omega_hat: probability}}}}, "
                            f"got {type(law).__name__}")
        rows = {}
        _state_keys(law, "law")
        for w, row in law.items():
            wq = exact_fraction(w, "law key omega")
            if not isinstance(row, Mapping):
                raise TypeError(f"law[omega={wq}] must be a mapping from estimates to probabilities")
            _state_keys(row, f"law[omega={wq}]")
            rows[wq] = {exact_fraction(h, f"law[omega={wq}] key omega_hat"):
                        _probability(p, f"law[omega={wq}][omega_hat={h}]") for h, p in row.items()}
            _sums_to_one(sum(rows[wq].values()), f"law[omega={wq}]")
        self.law = rows
        self.support = tuple(sorted({h for row in rows.values() for h, p in row.items() if p}))

    @classmethod
    def ex_post(cls, states: Sequence) -> "FiniteEstimator":
        """omega_hat = omega (the ex-post estimator of Proposition 1).

        >>> FiniteEstimator.ex_post([0, 1]).law
        {Fraction(0, 1): {Fraction(0, 1): Fraction(1, 1)}, Fraction(1, 1): {Fraction(1, 1): Fraction(1, 1)}}
        """
        return cls({w: {w: 1} for w in _sequence(states, "states")})

    def __repr__(self) -> str:
        return f"FiniteEstimator({len(self.law)} states, support {[str(h) for h in self.support]})"

    def probability(self, omega_hat, omega) -> Fraction:
        """P(omega_hat | omega).

        >>> FiniteEstimator.ex_post([0, 1]).probability(1, 0)
        Fraction(0, 1)
        """
        w = exact_fraction(omega, "omega")
        if w not in self.law:
            raise ValueError(f"the law has no row for omega={w}")
        return self.law[w].get(exact_fraction(omega_hat, "omega_hat"), Fraction(0))

    def check(self, info: FiniteInformation) -> None:
        """ValueError naming the first state of ``info`` without a row.

        >>> FiniteEstimator({0: {0: 1}}).check(FiniteInformation([0, 1], [0, 1], [[0]], lambda w, s: 1))
        Traceback (most recent call last):
        ...
        ValueError: the estimator law has no row for omega=1
        """
        for w in info.states:
            if w not in self.law:
                raise ValueError(f"the estimator law has no row for omega={w}")

    def predictive(self, posterior: Mapping) -> tuple:
        """P(omega_hat | s) = sum_omega P(omega | s) P(omega_hat | omega), aligned with ``support``."""
        out = [Fraction(0)] * len(self.support)
        for w, p in posterior.items():
            row = self.law[exact_fraction(w, "posterior key omega")]
            for k, h in enumerate(self.support):
                out[k] += p * row.get(h, Fraction(0))
        return tuple(out)
