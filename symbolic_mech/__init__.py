"""symbolic_mech: machine-checked mathematics of mechanism design.

The engine (one module per mathematical object):

* :mod:`symbolic_mech.information` -- information structures (prior, signals, posteriors);
* :mod:`symbolic_mech.estimators` -- the designer's post-allocation estimate omega_hat | omega;
* :mod:`symbolic_mech.environments` -- utilities, outcome spaces, efficient allocation;
* :mod:`symbolic_mech.mechanisms` -- transfer rules (VCG, Bergemann–Välimäki, data-driven VCG);
* :mod:`symbolic_mech.incentives` -- misreports, Groves certificates, regret, witnesses;
* :mod:`symbolic_mech.simulation` -- Monte Carlo from the model's definition;
* :mod:`symbolic_mech.hypotheses`, :mod:`symbolic_mech.asymptotics` -- the paper's hypotheses
  decided; limits in m and signs for all m >= m0;
* :mod:`symbolic_mech.finite`, :mod:`symbolic_mech.implementability` -- finite models; whether
  any message-driven or data-driven mechanism implements x* (negative cycles, certified LP);
* :mod:`symbolic_mech.core` -- the trusted core: the kernel (verdicts: proved / refuted /
  inconclusive, each with a certificate) and the independent checker that replays them.

Above it, :mod:`symbolic_mech.paper` holds the paper's statements and instances,
:mod:`symbolic_mech.registry` the results, and :mod:`symbolic_mech.presentation` (which nothing
below imports) prints them in the paper's notation: terminal, notebooks, report, site.

The paper's results are instances computed by this engine, registered in
:mod:`symbolic_mech.registry` and verified by :func:`verify`.
"""
from .core.kernel import Verdict, check_identity, check_sign, refute_at, INCONCLUSIVE, PROVED, REFUTED
from .core.domains import Domain
from .core.checker import recheck
from .information import (InformationStructure, GaussianSignals, BetaBernoulliClicks,
                          WalletSignals, KnownRates)
from .estimators import Estimator, ExPost, AdditiveNoise, SampleClickRate, BayesianShrinkage
from .environments import Environment, RealLine, Interval, SingleSlot, Positions, Distributions
from .mechanisms import (Mechanism, MessageDrivenVCG, GeneralizedVCG, DataDrivenVCG,
                         PerClickPivot, GeneralizedSecondPrice, TwoStageLeaveOneOut, CustomTransfers,
                         RegularizedDataDrivenVCG)
from .incentives import (net_utility, gain, groves_certificate, search_gain, exact_regret,
                         expected_transfer, witness_at, refutation, search_by_regions)
from .finite import FiniteInformation, FiniteEnvironment, FiniteEstimator
from .implementability import implementable
from .checks import identity, sign
from .registry import verify, result_ids, derive, start
from . import presentation  # noqa: F401 (installs the registry's view of live derivations)

__all__ = [
    "Verdict", "check_identity", "check_sign", "refute_at", "Domain", "recheck",
    "PROVED", "REFUTED", "INCONCLUSIVE",
    "InformationStructure", "GaussianSignals", "BetaBernoulliClicks", "WalletSignals", "KnownRates",
    "Estimator", "ExPost", "AdditiveNoise", "SampleClickRate", "BayesianShrinkage",
    "Environment", "RealLine", "Interval", "SingleSlot", "Positions", "Distributions",
    "Mechanism", "MessageDrivenVCG", "GeneralizedVCG", "DataDrivenVCG", "PerClickPivot", "GeneralizedSecondPrice",
    "TwoStageLeaveOneOut", "CustomTransfers", "RegularizedDataDrivenVCG",
    "net_utility", "gain", "groves_certificate", "search_gain", "exact_regret", "expected_transfer",
    "witness_at", "refutation", "search_by_regions",
    "FiniteInformation", "FiniteEnvironment", "FiniteEstimator", "implementable", "identity", "sign",
    "verify", "result_ids", "derive", "start",
]
