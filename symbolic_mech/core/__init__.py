"""The trusted core: the kernel that decides verdicts and the checker that replays them.

* :mod:`~symbolic_mech.core.exact` -- the one strict converter of values (no strings, no floats);
* :mod:`~symbolic_mech.core.domains` -- a symbol's domain: its assumptions and a declared interval;
* :mod:`~symbolic_mech.core.budget` -- time limits on every decision;
* :mod:`~symbolic_mech.core.shared` -- an expression's atoms, each distinct subtree read once;
* :mod:`~symbolic_mech.core.kernel` -- proved / refuted / inconclusive, each with a certificate;
* :mod:`~symbolic_mech.core.trees` -- expressions and points written as JSON for the checker;
* :mod:`~symbolic_mech.core.checker` -- the independent replay of a certificate.  It imports
  nothing from this package and no part of sympy: a bug in the search cannot vouch for itself.

The engine (information structures, estimators, mechanisms, incentives) sits outside and only
proposes; a verdict counts once the kernel has decided it and the checker has replayed it.
"""
