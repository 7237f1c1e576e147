"""Extensions beyond the paper's statements, computed with the same engine and labelled as such.

``data-driven-lp`` answers a question Proposition 2 leaves open.  With a noisy
unbiased estimator and utilities whose differences are not affine in the state
(u_i = -(theta_i - omega x)^2, the Jensen case), the data-driven VCG mechanism is
not truthful; is ANY data-driven mechanism, with transfers on the reports and the
estimate, truthful?  On a finite model the question is a linear feasibility
problem, solved by HiGHS and certified exactly (a rational transfer table checked
constraint by constraint, or a Farkas certificate).
"""
from __future__ import annotations

from fractions import Fraction


from ..core.kernel import REFUTED
from ..finite import FiniteEnvironment, FiniteEstimator, FiniteInformation
from ..implementability import exact_regret, implementable
from ..registry import register
from ..symbols import omega, theta, x

__all__ = ["jensen_finite"]

HALF = Fraction(1, 2)


def jensen_finite():
    """The finite Jensen model: (environment, noisy unbiased estimator, uninformative estimator).

    States omega in {1, 2} equally likely; two agents, each with a signal in {0, 1}
    that matches the state with probability 3/4; types theta_i in {0, 1/2, ..., 2};
    outcomes x in {0, 1/4, ..., 2}; u_i = -(theta_i - omega x)^2.  The estimate is
    omega +- 1/2 with probability 1/2 each (unbiased), or a constant (no information).

    >>> env, noisy, flat = jensen_finite()
    >>> env.n, len(env.outcomes), noisy.probability(Fraction(3, 2), 1)
    (2, 9, Fraction(1, 2))
    """
    accuracy = Fraction(3, 4)
    signal = {1: {0: accuracy, 1: 1 - accuracy}, 2: {0: 1 - accuracy, 1: accuracy}}
    info = FiniteInformation.independent([1, 2], [HALF, HALF], [signal, signal])
    types = [Fraction(k, 2) for k in range(5)]
    env = FiniteEnvironment(info, [types, types], [Fraction(k, 4) for k in range(9)],
                            [-(theta(i) - omega * x) ** 2 for i in (1, 2)])
    noisy = FiniteEstimator({w: {w - HALF: HALF, w + HALF: HALF} for w in (1, 2)})
    flat = FiniteEstimator({w: {Fraction(3, 2): 1} for w in (1, 2)})
    return env, noisy, flat


@register("data-driven-lp", "Extension: data-driven implementability (LP)",
          "Beyond Proposition 2 (an extension, not a result of the paper): with a noisy unbiased estimator and "
          "u_i = -(theta_i - omega x)^2 the data-driven VCG mechanism is not truthful, no message-driven mechanism "
          "implements x*, yet another data-driven mechanism does (finite model, certified LP)")
def data_driven_lp(d):
    env, noisy, flat = jensen_finite()
    d.scope("a finite model: omega in {1, 2} equally likely, two agents with signals in {0, 1} of accuracy 3/4, "
            "types {0, 1/2, ..., 2}, outcomes {0, 1/4, ..., 2}, u_i = -(theta_i - omega x)^2; the estimate "
            "omega +- 1/2 (unbiased); every number exact",
            covers="every message-driven and every data-driven transfer rule on this model (all agents, all "
                   "profiles of the others' types)",
            not_covered="other models: the answer is for this instance")
    d.step("x*(theta, s) maximizes sum_i E[u_i | s] over the 9 outcomes (ties to the first listed)")

    def vcg(i, th, sig, estimate):
        # Definition 6 with h_i = 0: the others' utilities at the estimate
        o = env.efficient_allocation(th, sig)
        return sum(-(th[j - 1] - estimate * o) ** 2 for j in (1, 2) if j != i)

    d.check(exact_regret(env, vcg, noisy, id="lp-vcg-noisy",
                         claim="the data-driven VCG mechanism (h_i = 0) with the noisy unbiased estimate is truthful"),
            expect=REFUTED)
    d.check(implementable(env, id="lp-message-driven"), expect=REFUTED)
    v = d.check(implementable(env, kind="data-driven", estimator=noisy, id="lp-data-driven"))
    d.step(f"certified by a rational transfer table: {v.evidence.get('constraints')} constraints, smallest "
           f"slack {v.evidence.get('smallest_slack')}")
    d.check(implementable(env, kind="data-driven", estimator=flat, id="control-lp-uninformative"),
            expect=REFUTED, control=True)
    return d.assemble()
