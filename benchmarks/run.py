"""Benchmarks of the verification engine (speed is measured here, never in tests).

Rows
====

prop1_scaling
    The Proposition 1 certificate, ``groves_certificate(DataDrivenVCG(
    quadratic_loss(n), h="pivot"), 1, ExPost())``, for growing n: posterior
    moments are carried as opaque atoms and the residual is decided by
    expansion.  For small n the same certificate is also built the naive way
    (posteriors by generic Gaussian conditioning with a symbolic matrix
    inverse, no atoms, residual decided by ``sympy.simplify``), so the two
    columns differ only in the posterior machinery and the zero test.
epsilon_exact_vs_mc
    The exact regret epsilon_m of the Jensen instance (u_i = -(theta_i -
    omega x)^2, additive noise of variance v/m) at a fixed rational profile,
    beside a Monte Carlo estimate of the same regret given the same wall time.
implementability
    Deciding whether ANY mechanism implements x* on finite models: message-driven
    (negative cycles or shortest-path transfers, the certificate replayed) with
    10, 30 and 100 types per agent and two agents (goal: 100 types under 5 s),
    and the data-driven LP (HiGHS, then certified exactly) on the finite Jensen
    model with 48 and 2,548 incentive constraints (2 and 7 types per agent).
llm_certificate
    The Groves certificate of the alpha-regularized data-driven pivot (Definition 9,
    ``RegularizedDataDrivenVCG`` on ``Distributions``) for |T| = 2, 10, 50 outputs and
    n = 2, 3 agents: Gaussian signals, rewards r_i(1) = -(theta_i - omega)^2 and symbolic
    constants g_it for the other outputs, reference weights w_t, ex-post estimator.
common_rate_certificate
    The Groves certificate of the per-click pivot on a single slot with a common click rate
    (Corollary 2), ``groves_certificate(PerClickPivot(env), 1, SampleClickRate(m))`` with
    omega ~ Beta(a, b), s_i clicks in k_i impressions, a, b, k_i, m, theta_i symbolic, for
    n = 2, 3, 4, 6 bidders: the median of three runs, each in a fresh interpreter (goal: n = 4
    under 10 s).  The residual is decided region by region of who wins the slot.
verify_all_seconds
    Wall time of ``symbolic-mech verify --json --recheck`` over the registered
    results, with the seconds of each result, the independent checker's
    seconds and their ratio to the verification (goal: under 20%), and the
    time of ``symbolic-mech recheck FILE`` on the saved JSON.
verify_vs_commit
    ``symbolic-mech verify`` at a given commit (default c50c5b6) and at the
    working tree, alternated in one run: the wall medians and their ratio
    (goal: at most 0.4), each run's wall time, and each side's CPU seconds.
prop1_vs_commit
    The Proposition 1 certificate at n = 50 and 100 at the same commit and at
    the working tree, alternated in one run (goals: at n = 100 at most 0.25
    times the commit's time, t(100)/t(50) at most 2.5).

Every timed computation runs in a fresh interpreter (no warm sympy cache
from an earlier row) under a time cap; import time is not counted.

Usage::

    python benchmarks/run.py            # full run
    python benchmarks/run.py --quick    # same rows, tighter time caps: under 5 minutes
    python benchmarks/run.py --json     # one JSON object instead of the table
    python benchmarks/run.py --profile 20   # cProfile of the n = 20 certificate
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
HERE = pathlib.Path(__file__).resolve()

PROP1_N = (2, 5, 12, 20, 50, 100)
EPS_M = tuple(10 ** k for k in range(1, 7))

# goals the engine is held to
GOAL_N100_SECONDS = 10.0
GOAL_SPEEDUP_N12 = 50.0
GOAL_VERIFY_SECONDS = 30.0
GOAL_CHECKER_OVERHEAD = 0.20
GOAL_IMPLEMENTABLE_100_SECONDS = 5.0
IMPLEMENTABLE_TYPES = (10, 30, 100)
LP_TYPES = (2, 7)          # 48 and 2,548 constraints
LLM_SIZES = (2, 10, 50)
LLM_AGENTS = (2, 3)
COMMON_RATE_N = (2, 3, 4, 6)
COMMON_RATE_RUNS = 3
GOAL_COMMON_RATE_N4_SECONDS = 10.0
GOAL_VERIFY_RATIO = 0.4          # verify against BASELINE_COMMIT, in the same run
GOAL_PROP1_RATIO = 0.25          # the n = 100 certificate against BASELINE_COMMIT's, in the same run
GOAL_PROP1_GROWTH = 2.5          # t(100) / t(50): linear in n, with room for the quadratic sums
PROP1_SIDE_N = (50, 100)
BASELINE_COMMIT = "c50c5b6"

# per-run time caps in seconds; a capped run is reported as ">cap"
SETTINGS = {
    "full": {"atoms_cap": 600.0, "naive_cap": 600.0, "verify_cap": 3600.0, "repeats": 3},
    "quick": {"atoms_cap": 40.0, "naive_cap": 90.0, "verify_cap": 150.0, "repeats": 1},
}


# ---------------------------------------------------------------------------
# workers: each runs in its own interpreter and prints one JSON line
# ---------------------------------------------------------------------------

def _prop1_atoms(n: int) -> dict:
    from symbolic_mech.estimators import ExPost
    from symbolic_mech.incentives import groves_certificate
    from symbolic_mech.mechanisms import DataDrivenVCG
    from symbolic_mech.paper.instances import quadratic_loss

    t0 = time.perf_counter()
    verdict = groves_certificate(DataDrivenVCG(quadratic_loss(n), h="pivot"), 1, ExPost())
    seconds = time.perf_counter() - t0
    return {"n": n, "seconds": seconds, "status": verdict.status}


def _generic_signals_class():
    """GaussianSignals whose posteriors come from generic conditioning, without atoms."""
    from symbolic_mech.information import GaussianSignals

    class GenericConditioningSignals(GaussianSignals):
        """Posterior mean and variance by the matrix Schur complement; no atoms.

        Each posterior is computed once per conditioning set (the inverse is
        not recomputed), so the comparison charges the generic formulas, not
        repeated work.
        """

        def __init__(self, n):
            super().__init__(n)
            self._memo = {}

        def _memoized(self, kind, given, compute):
            key = (kind, self._given(given))
            if key not in self._memo:
                self._memo[key] = compute(key[1])
            return self._memo[key]

        def posterior_mean(self, given=None):
            return self._memoized("mean", given, self.posterior_mean_generic)

        def posterior_var(self, given=None):
            return self._memoized("var", given, self.posterior_var_generic)

        def moment_atom(self, k, given=None):
            # the explicit moment itself: nothing is kept opaque
            return self.moment(k, given)

        def explicit(self, expr):
            return expr

    return GenericConditioningSignals


def _prop1_naive(n: int) -> dict:
    """The Proposition 1 certificate with generic conditioning and sympy.simplify.

    The residual is the one groves_certificate builds (D = U_1 - welfare(x')
    minus its value at the truth); it is checked at the same random exact
    points with the same Monte Carlo comparison, and its symbolic zero is
    decided by sympy.simplify.
    """
    import sympy as sp

    from symbolic_mech.estimators import ExPost
    from symbolic_mech.incentives import (Misreport, expectation_sampler, net_utility,
                                          realized_net_utility)
    from symbolic_mech.core.kernel import check_identity
    from symbolic_mech.mechanisms import DataDrivenVCG
    from symbolic_mech.paper.instances import quadratic_loss
    from symbolic_mech.symbols import omega_hat

    signals = _generic_signals_class()
    t0 = time.perf_counter()
    info = signals(n)
    env = quadratic_loss(n, info)
    mech = DataDrivenVCG(env, h="pivot")
    est = ExPost()
    rep = Misreport.of(mech, 1)
    U = net_utility(mech, 1, est)
    reported = {k: val.xreplace(rep.substitution) for k, val in mech.allocation().items()}
    W = env.welfare(allocation=reported)
    D = U - W
    residual = D - D.xreplace(rep.back)
    t_build = time.perf_counter()

    realized = realized_net_utility(mech, 1)
    terms = [(1, realized), (-1, realized.xreplace(rep.back)), (-1, W), (1, W.xreplace(rep.back))]
    sampler = expectation_sampler(info, terms, est)
    needed = set().union(*(e.free_symbols for _, e in terms)) - {env.states[0], omega_hat}
    needed |= set(info.parameters)
    pts = check_identity(residual, 0, points=20, seed=0, simplify=False,
                         monte_carlo=sampler, variables=needed)
    t_points = time.perf_counter()

    zero = sp.simplify(residual) == 0
    t_end = time.perf_counter()

    if pts.status == "refuted":
        status = "refuted"
    elif zero and pts.evidence.get("reason") == "symbolic step skipped" \
            and pts.evidence.get("points_checked", 0) >= 20:
        status = "proved"
    else:
        status = "inconclusive"
    return {"n": n, "seconds": t_end - t0, "status": status,
            "phases": {"derive": t_build - t0, "points_and_mc": t_points - t_build,
                       "simplify": t_end - t_points}}


def _jensen_profile(info):
    import sympy as sp

    from symbolic_mech.symbols import s, theta, v
    return {theta(1): sp.Integer(1), theta(2): sp.Integer(2), s(1): sp.Rational(1, 2),
            s(2): sp.Integer(1), v: sp.Integer(1), **{p: sp.Integer(1) for p in info.parameters}}


def _epsilon(m_value: int, seed: int | None = None) -> dict:
    """Exact epsilon_m at the profile, then Monte Carlo of the same regret in the same time."""
    import numpy as np
    import sympy as sp

    from symbolic_mech.estimators import AdditiveNoise
    from symbolic_mech.incentives import Misreport, exact_regret, realized_net_utility
    from symbolic_mech.mechanisms import DataDrivenVCG
    from symbolic_mech.paper.instances import jensen
    from symbolic_mech.symbols import omega, omega_hat, v

    # exact: derive epsilon_m in closed form, then evaluate at the profile
    t0 = time.perf_counter()
    env = jensen(2)
    info = env.info
    mech = DataDrivenVCG(env, h="pivot")
    est = AdditiveNoise(v, m_value)
    regret = exact_regret(mech, 1, est)
    profile = _jensen_profile(info)
    exact = sp.cancel(info.explicit(regret.epsilon).xreplace(profile))
    exact_seconds = time.perf_counter() - t0
    if not exact.is_Rational:
        raise RuntimeError(f"epsilon at the rational profile is not rational: {exact}")

    # Monte Carlo, given the regret-attaining report: simulate the realized
    # payoff of that report minus the truthful one (common draws of omega
    # from the posterior given s and of omega_hat given omega) and average.
    t1 = time.perf_counter()
    rep = Misreport.of(mech, 1)
    realized = realized_net_utility(mech, 1)
    report = {k: info.explicit(val).xreplace(profile) for k, val in regret.report.items()}
    difference = realized.xreplace(report) - realized.xreplace(rep.back)
    difference = info.explicit(difference).xreplace(profile)
    f = sp.lambdify((omega, omega_hat), difference, "numpy")
    rng = np.random.default_rng(m_value if seed is None else seed)
    point = dict(profile)
    batch = 1 << 14
    count, mean, m2 = 0, 0.0, 0.0
    while True:
        w = info.sample_posterior(point, batch, rng)
        w_hat = est.sample(w, rng, params=point)
        draws = np.broadcast_to(np.asarray(f(w, w_hat), dtype=float), (batch,))
        b_mean = float(draws.mean())
        b_m2 = float(((draws - b_mean) ** 2).sum())
        delta = b_mean - mean
        total = count + batch
        mean += delta * batch / total
        m2 += b_m2 + delta * delta * count * batch / total
        count = total
        if count >= 2 * batch and time.perf_counter() - t1 >= exact_seconds:
            break
    mc_seconds = time.perf_counter() - t1
    se = math.sqrt(m2 / (count - 1) / count)
    exact_f = float(exact)
    return {"m": m_value, "exact": str(exact), "exact_float": exact_f,
            "exact_seconds": exact_seconds, "mc_estimate": mean, "mc_se": se,
            "mc_abs_error": abs(mean - exact_f),
            "mc_rel_error": abs(mean - exact_f) / abs(exact_f) if exact_f else None,
            "mc_samples": count, "mc_seconds": mc_seconds}


def _epsilon_symbolic(_unused: int = 0) -> dict:
    """epsilon_m derived once with m symbolic, then evaluated at each m of the row."""
    import sympy as sp

    from symbolic_mech.estimators import AdditiveNoise
    from symbolic_mech.incentives import exact_regret
    from symbolic_mech.mechanisms import DataDrivenVCG
    from symbolic_mech.paper.instances import jensen
    from symbolic_mech.symbols import m, v

    t0 = time.perf_counter()
    env = jensen(2)
    regret = exact_regret(DataDrivenVCG(env, h="pivot"), 1, AdditiveNoise(v, m))
    closed = sp.cancel(env.info.explicit(regret.epsilon).xreplace(_jensen_profile(env.info)))
    derive = time.perf_counter() - t0
    values, t1 = {}, time.perf_counter()
    for m_value in EPS_M:
        values[str(m_value)] = str(sp.cancel(closed.xreplace({m: m_value})))
    return {"epsilon_m": str(closed), "derive_seconds": derive,
            "evaluate_all_m_seconds": time.perf_counter() - t1, "values": values}


def _message_driven(types: int) -> dict:
    """A single slot with private values, ``types`` values per agent: implementable (the pivot)."""
    from fractions import Fraction

    from symbolic_mech.finite import FiniteEnvironment, FiniteInformation
    from symbolic_mech.implementability import implementable

    t0 = time.perf_counter()
    info = FiniteInformation([0], [1], [[0], [0]], lambda w, sig: 1)
    values = [Fraction(j, types) for j in range(1, types + 1)]
    env = FiniteEnvironment(info, [values, values], [1, 2],
                            [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    verdict = implementable(env)
    return {"types": types, "seconds": time.perf_counter() - t0, "status": verdict.status,
            "constraints": verdict.evidence.get("constraints")}


def _data_driven_lp(types: int) -> dict:
    """The finite Jensen model of the data-driven-lp result with ``types`` types per agent."""
    from fractions import Fraction

    from symbolic_mech.finite import FiniteEnvironment, FiniteEstimator, FiniteInformation
    from symbolic_mech.implementability import implementable
    from symbolic_mech.symbols import omega, theta, x

    half, accuracy = Fraction(1, 2), Fraction(3, 4)
    t0 = time.perf_counter()
    signal = {1: {0: accuracy, 1: 1 - accuracy}, 2: {0: 1 - accuracy, 1: accuracy}}
    info = FiniteInformation.independent([1, 2], [half, half], [signal, signal])
    grid = [Fraction(2 * k, types - 1) for k in range(types)]
    env = FiniteEnvironment(info, [grid, grid], [Fraction(k, 4) for k in range(9)],
                            [-(theta(i) - omega * x) ** 2 for i in (1, 2)])
    noisy = FiniteEstimator({w: {w - half: half, w + half: half} for w in (1, 2)})
    verdict = implementable(env, 1, kind="data-driven", estimator=noisy)
    return {"types": types, "seconds": time.perf_counter() - t0, "status": verdict.status,
            "constraints": verdict.evidence.get("constraints")}


def _llm_certificate(n: int, size: int) -> dict:
    import sympy as sp
    from symbolic_mech.environments import Distributions, Environment
    from symbolic_mech.estimators import ExPost
    from symbolic_mech.incentives import groves_certificate
    from symbolic_mech.information import GaussianSignals
    from symbolic_mech.mechanisms import RegularizedDataDrivenVCG
    from symbolic_mech.symbols import omega, theta

    g = [[sp.Symbol(f"g{i}_{t}", real=True) for t in range(2, size + 1)] for i in range(1, n + 1)]
    w = [sp.Symbol(f"w{t}", positive=True) for t in range(1, size + 1)]
    rewards = [[-(theta(i) - omega) ** 2, *g[i - 1]] for i in range(1, n + 1)]
    env = Environment(GaussianSignals(n), rewards, Distributions(size, [wt / sp.Add(*w) for wt in w]),
                      parameters=[q for row in g for q in row])
    t0 = time.perf_counter()
    verdict = groves_certificate(RegularizedDataDrivenVCG(env, h="pivot"), 1, ExPost())
    return {"n": n, "size": size, "seconds": time.perf_counter() - t0, "status": verdict.status}


def _common_rate_certificate(n: int) -> dict:
    from symbolic_mech.environments import Environment, SingleSlot
    from symbolic_mech.estimators import SampleClickRate
    from symbolic_mech.incentives import groves_certificate
    from symbolic_mech.information import BetaBernoulliClicks
    from symbolic_mech.mechanisms import PerClickPivot
    from symbolic_mech.symbols import m, omega, theta

    X = SingleSlot(n)
    env = Environment(BetaBernoulliClicks(n), [theta(i) * X.variables[i - 1] * omega for i in range(1, n + 1)], X)
    t0 = time.perf_counter()
    verdict = groves_certificate(PerClickPivot(env), 1, SampleClickRate(m), search=False)
    regions = (verdict.certificate or {}).get("symbolic") or {}
    return {"n": n, "seconds": time.perf_counter() - t0, "status": verdict.status,
            "empty_regions": len(regions.get("regions", {}).get("empty", []))}


WORKERS = {"common-rate": _common_rate_certificate, "llm-certificate-n2": lambda size: _llm_certificate(2, size),
           "llm-certificate-n3": lambda size: _llm_certificate(3, size),
           "prop1-atoms": _prop1_atoms, "prop1-naive": _prop1_naive, "epsilon": _epsilon,
           "epsilon-symbolic": _epsilon_symbolic, "message-driven": _message_driven,
           "data-driven-lp": _data_driven_lp}


def _worker(spec: str) -> None:
    name, arg = spec.split(":")
    print(json.dumps(WORKERS[name](int(arg))), flush=True)


def _spawn(spec: str, cap: float, tree: pathlib.Path = ROOT) -> dict:
    """Run a worker in a fresh interpreter on the package of ``tree``; {"timeout": cap} if it
    exceeds the cap."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tree)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
    try:
        out = subprocess.run([sys.executable, str(HERE), "--worker", spec], cwd=tree, env=env,
                             capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"timeout": cap}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else
                f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------

def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def _timed_columns(res: dict, prefix: str = "") -> dict:
    """A worker's outcome as row columns: seconds (or ">cap"), status, and phases if any."""
    if "timeout" in res:
        cols = {"seconds": f">{res['timeout']:g}", "status": "timeout"}
    elif "error" in res:
        cols = {"seconds": None, "status": f"error: {res['error']}"}
    else:
        cols = {"seconds": res["seconds"], "status": res["status"]}
        if "phases" in res:
            cols["phases"] = res["phases"]
    return {prefix + k: val for k, val in cols.items()}


def prop1_scaling(cfg: dict, quiet: bool) -> list:
    rows = []
    for n in PROP1_N:
        _log(f"prop1 n={n} (atoms) ...", quiet)
        row = {"n": n, **_timed_columns(_spawn(f"prop1-atoms:{n}", cfg["atoms_cap"]))}
        if n <= 12:
            _log(f"prop1 n={n} (naive) ...", quiet)
            row.update(_timed_columns(_spawn(f"prop1-naive:{n}", cfg["naive_cap"]), "naive_"))
            row["speedup"] = _speedup(row)
        rows.append(row)
    return rows


def prop1_vs_commit(cfg: dict, quiet: bool, commit: str = BASELINE_COMMIT) -> dict:
    """The Proposition 1 certificate at n = 50 and 100 at ``commit`` and at the working tree,
    alternated in one run (``cfg["repeats"]`` each): medians, the ratio at n = 100 and the
    growth t(100) / t(50) of the working tree."""
    import statistics
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        base = _tree_at(commit, pathlib.Path(tmp))
        times = {name: {n: [] for n in PROP1_SIDE_N} for name in ("baseline", "current")}
        status = {name: {} for name in times}
        for k in range(cfg["repeats"]):
            for n in PROP1_SIDE_N:
                for name, tree in (("baseline", base), ("current", ROOT)):
                    _log(f"prop1 n={n} at {name} ({k + 1}/{cfg['repeats']}) ...", quiet)
                    res = _spawn(f"prop1-atoms:{n}", cfg["atoms_cap"], tree)
                    times[name][n].append(res.get("seconds"))
                    status[name][n] = res.get("status", "timeout" if "timeout" in res else "error")

    def median(v):
        return statistics.median(v) if v and None not in v else None
    med = {name: {n: median(v) for n, v in by_n.items()} for name, by_n in times.items()}
    top, half = max(PROP1_SIDE_N), min(PROP1_SIDE_N)
    ratio = med["current"][top] / med["baseline"][top] if None not in (med["current"][top], med["baseline"][top]) \
        else None
    growth = med["current"][top] / med["current"][half] if None not in (med["current"][top], med["current"][half]) \
        else None
    return {"commit": commit, "seconds": {name: {str(n): v for n, v in by_n.items()} for name, by_n in times.items()},
            "median": {name: {str(n): v for n, v in by_n.items()} for name, by_n in med.items()},
            "status": {name: {str(n): v for n, v in by_n.items()} for name, by_n in status.items()},
            "ratio": ratio, "growth": growth}


def _speedup(row):
    """naive/atoms; a string '>x' when the naive run hit its cap."""
    atoms, naive = row.get("seconds"), row.get("naive_seconds")
    if not isinstance(atoms, float) or atoms <= 0 or naive is None:
        return None
    if isinstance(naive, str):
        return f">{float(naive[1:]) / atoms:.0f}"
    return naive / atoms


def epsilon_exact_vs_mc(cfg: dict, quiet: bool) -> list:
    rows = []
    for m_value in EPS_M:
        _log(f"epsilon m={m_value} ...", quiet)
        res = _spawn(f"epsilon:{m_value}", 600.0)
        rows.append(res if "m" in res else {"m": m_value, **res})
    return rows


def epsilon_symbolic_m(cfg: dict, quiet: bool, rows: list) -> dict:
    """The same epsilon_m with m symbolic: one derivation, then a substitution per m."""
    _log("epsilon with m symbolic ...", quiet)
    res = _spawn("epsilon-symbolic:0", 600.0)
    if "values" in res:
        per_m = {str(r["m"]): r.get("exact") for r in rows}
        res["agrees_with_per_m"] = all(per_m.get(k) in (None, val) for k, val in res["values"].items())
    return res


def implementability(cfg: dict, quiet: bool) -> dict:
    rows = {"message_driven": [], "data_driven_lp": []}
    for k in IMPLEMENTABLE_TYPES:
        _log(f"implementable, message-driven, {k} types ...", quiet)
        res = _spawn(f"message-driven:{k}", cfg["verify_cap"])
        rows["message_driven"].append({"types": k, **_timed_columns(res), "constraints": res.get("constraints")})
    for k in LP_TYPES:
        _log(f"implementable, data-driven LP, {k} types ...", quiet)
        res = _spawn(f"data-driven-lp:{k}", cfg["verify_cap"])
        rows["data_driven_lp"].append({"types": k, **_timed_columns(res), "constraints": res.get("constraints")})
    return rows


def llm_certificate(cfg: dict, quiet: bool) -> list:
    rows = []
    for n in LLM_AGENTS:
        for size in LLM_SIZES:
            _log(f"llm certificate, n = {n}, |T| = {size} ...", quiet)
            rows.append({"n": n, "size": size, **_timed_columns(_spawn(f"llm-certificate-n{n}:{size}",
                                                                       cfg["atoms_cap"]))})
    return rows


def common_rate_certificate(cfg: dict, quiet: bool) -> list:
    rows = []
    for n in COMMON_RATE_N:
        runs = []
        for k in range(COMMON_RATE_RUNS):
            _log(f"common-rate certificate, n = {n}, run {k + 1} ...", quiet)
            runs.append(_spawn(f"common-rate:{n}", cfg["atoms_cap"]))
        done = sorted(r["seconds"] for r in runs if "seconds" in r)
        row = {"n": n, **_timed_columns(runs[-1])}
        if len(done) == len(runs):
            row["seconds"] = done[len(done) // 2]
            row["runs"] = done
            row["empty_regions"] = runs[-1]["empty_regions"]
        rows.append(row)
    return rows


def verify_all(cfg: dict, quiet: bool) -> dict:
    """``verify --json --recheck`` (the checker's own seconds read off its summary line), then
    ``recheck FILE`` on the saved JSON: the checker's overhead beside the verification's time."""
    import re
    import tempfile

    from symbolic_mech.registry import result_ids

    exe = shutil.which("symbolic-mech")
    base = [exe] if exe else [sys.executable, "-m", "symbolic_mech.cli"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    _log(f"symbolic-mech verify --recheck over {len(result_ids())} results ...", quiet)
    t0 = time.perf_counter()
    try:
        out = subprocess.run(base + ["verify", "--json", "--recheck"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=cfg["verify_cap"])
    except subprocess.TimeoutExpired:
        return {"seconds": f">{cfg['verify_cap']:g}", "results": [], "exit_code": None}
    wall = time.perf_counter() - t0
    try:
        rows = json.loads(out.stdout)["results"]
    except (json.JSONDecodeError, KeyError, TypeError):
        rows = []
    results = [{"id": r["id"], "seconds": r["seconds"], "status": r["status"], "ok": r["ok"]}
               for r in rows]
    found = re.search(r"independent checker: (\d+) certificates confirmed, (\d+) problems \(([\d.]+)s\)",
                      out.stderr)
    report = {"seconds": wall, "sum_of_result_seconds": sum(r["seconds"] for r in results),
              "exit_code": out.returncode, "results": results}
    if found:
        report.update(certificates=int(found.group(1)), checker_problems=int(found.group(2)),
                      checker_seconds=float(found.group(3)))
        report["checker_overhead"] = report["checker_seconds"] / max(report["sum_of_result_seconds"], 1e-9)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        fh.write(out.stdout)
    t1 = time.perf_counter()
    rc = subprocess.run(base + ["recheck", fh.name], cwd=ROOT, env=env, capture_output=True, text=True,
                        timeout=cfg["verify_cap"])
    report["recheck_file_seconds"] = time.perf_counter() - t1
    report["recheck_file_exit_code"] = rc.returncode
    os.unlink(fh.name)
    return report


def _tree_at(commit: str, where: pathlib.Path) -> pathlib.Path:
    """The source tree of ``commit`` (git archive), importable from ``where`` with the proof
    scripts where the installed package has them (symbolic_mech/proofs)."""
    data = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=data, check=True)
    (where / "symbolic_mech" / "proofs").symlink_to(where / "proofs", target_is_directory=True)
    return where


def _verify_seconds(tree: pathlib.Path, cap: float) -> tuple:
    """Wall seconds of ``symbolic-mech verify`` run from ``tree``, whether it exited 0, and its
    CPU seconds (user + system: on a shared machine the wall time also counts waits for the
    processor, the CPU time does not; a process with threads may use more than its wall time)."""
    import resource
    env = dict(os.environ, PYTHONPATH=str(tree))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-m", "symbolic_mech.cli", "verify"], cwd=tree, env=env,
                             capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None, False, None
    wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, out.returncode == 0, cpu


def verify_vs_commit(cfg: dict, quiet: bool, commit: str = BASELINE_COMMIT) -> dict:
    """``symbolic-mech verify`` at ``commit`` and at the working tree, alternated in one run
    (``cfg["repeats"]`` each): the medians and their ratio."""
    import statistics
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        base = _tree_at(commit, pathlib.Path(tmp))
        times, cpu = {"baseline": [], "current": []}, {"baseline": [], "current": []}
        for k in range(cfg["repeats"]):
            for name, tree in (("baseline", base), ("current", ROOT)):
                _log(f"verify at {name} ({k + 1}/{cfg['repeats']}) ...", quiet)
                secs, ok, used = _verify_seconds(tree, cfg["verify_cap"])
                times[name].append(secs if ok else None)
                cpu[name].append(used if ok else None)

    def medians(by_side):
        med = {k: statistics.median(v) if v and None not in v else None for k, v in by_side.items()}
        return med, (med["current"] / med["baseline"] if None not in med.values() else None)
    (med, ratio), (cpu_med, cpu_ratio) = medians(times), medians(cpu)
    return {"commit": commit, "seconds": times, "median_baseline": med["baseline"],
            "median_current": med["current"], "ratio": ratio, "cpu_seconds": cpu,
            "cpu_median_baseline": cpu_med["baseline"], "cpu_median_current": cpu_med["current"],
            "cpu_ratio": cpu_ratio}


# ---------------------------------------------------------------------------
# machine, goals, table
# ---------------------------------------------------------------------------

def _cpu_model() -> str | None:
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def machine() -> dict:
    import numpy
    import sympy

    info = {"platform": platform.platform(), "processor": _cpu_model() or platform.machine(),
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "sympy": sympy.__version__, "numpy": numpy.__version__}
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "symbolic_mech"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if commit:
            info["commit"] = commit + ("+modified" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _proved_within(row: dict, limit: float) -> dict:
    """A timed row's goal: proved within ``limit`` seconds."""
    sec = row.get("seconds")
    return {"met": isinstance(sec, float) and sec <= limit and row["status"] == "proved", "seconds": sec}


def goals(report: dict) -> dict:
    out = {}
    side = report.get("verify_vs_commit") or {}
    if side.get("ratio") is not None:
        out["verify_within_0.4x_of_baseline"] = {"met": side["ratio"] <= GOAL_VERIFY_RATIO,
                                                 "ratio": round(side["ratio"], 2), "commit": side["commit"]}
    p1 = report.get("prop1_vs_commit") or {}
    if "ratio" in p1:
        proved = p1["status"]["current"].get(str(max(PROP1_SIDE_N))) == "proved"
        out["prop1_n100_within_0.25x_of_baseline"] = {
            "met": None if p1["ratio"] is None else proved and p1["ratio"] <= GOAL_PROP1_RATIO,
            "ratio": None if p1["ratio"] is None else round(p1["ratio"], 3), "commit": p1["commit"]}
        out["prop1_t100_over_t50_within_2.5"] = {
            "met": None if p1["growth"] is None else p1["growth"] <= GOAL_PROP1_GROWTH,
            "growth": None if p1["growth"] is None else round(p1["growth"], 2)}
    v = report.get("verify_all_seconds") or {}
    if isinstance(v.get("sum_of_result_seconds"), float) and v.get("results"):
        out["verify_within_30s"] = {"met": v["sum_of_result_seconds"] <= GOAL_VERIFY_SECONDS,
                                    "seconds": round(v["sum_of_result_seconds"], 1)}
    if "checker_overhead" in v:
        out["checker_overhead_below_20pct"] = {"met": v["checker_overhead"] < GOAL_CHECKER_OVERHEAD
                                               and v["checker_problems"] == 0,
                                               "overhead": round(v["checker_overhead"], 3)}
    md = {r["types"]: r for r in (report.get("implementability") or {}).get("message_driven", [])}
    if 100 in md:
        out["implementable_100_types_within_5s"] = _proved_within(md[100], GOAL_IMPLEMENTABLE_100_SECONDS)
    cr = {r["n"]: r for r in report.get("common_rate_certificate", [])}
    if 4 in cr:
        out["common_rate_n4_within_10s"] = _proved_within(cr[4], GOAL_COMMON_RATE_N4_SECONDS)
    rows = {r["n"]: r for r in report.get("prop1_scaling", [])}
    if 100 in rows:
        out["prop1_n100_within_10s"] = _proved_within(rows[100], GOAL_N100_SECONDS)
    if 12 in rows:
        sp_ = rows[12].get("speedup")
        if sp_ is None:
            out["prop1_n12_speedup_50x"] = {"met": None, "speedup": None}
        else:
            value = float(sp_[1:]) if isinstance(sp_, str) else sp_
            # a lower bound (naive hit its cap) settles the goal only when it is already >= 50
            met = value >= GOAL_SPEEDUP_N12 if not isinstance(sp_, str) or value >= GOAL_SPEEDUP_N12 \
                else None
            out["prop1_n12_speedup_50x"] = {"met": met, "speedup": sp_}
    return out


def _fmt_s(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x + "s" if x.startswith(">") else x
    return f"{x:.2f}s" if x < 100 else f"{x:.0f}s"


def table(report: dict) -> str:
    lines = []
    mc = report["machine"]
    lines.append(f"machine: {mc['platform']}, {mc['processor']}, {mc['cpu_count']} cpus, python {mc['python']}, "
                 f"sympy {mc['sympy']}, numpy {mc['numpy']}"
                 + (f", load {mc['load_average_at_start']}" if "load_average_at_start" in mc else "")
                 + (f", commit {mc['commit']}" if "commit" in mc else ""))
    lines.append(f"mode: {report['mode']}")
    side = report.get("verify_vs_commit")
    if side:
        lines.append("")
        lines.append(f"verify_vs_commit: symbolic-mech verify, alternated in this run (medians of "
                     f"{len(side['seconds']['current'])})")
        lines.append(f"  at {side['commit']}: {_fmt_s(side['median_baseline'])}   now: "
                     f"{_fmt_s(side['median_current'])}   ratio: "
                     + (f"{side['ratio']:.2f}" if side["ratio"] is not None else "-"))
        if side.get("cpu_ratio") is not None:
            lines.append(f"  CPU (user + system): {_fmt_s(side['cpu_median_baseline'])} then, "
                         f"{_fmt_s(side['cpu_median_current'])} now: ratio {side['cpu_ratio']:.2f}")
        runs = "; ".join(f"{name} " + ", ".join(_fmt_s(x) for x in side["seconds"][name])
                         for name in ("baseline", "current"))
        lines.append(f"  each run (wall): {runs}")
    p1 = report.get("prop1_vs_commit")
    if p1:
        lines.append("")
        lines.append(f"prop1_vs_commit: Proposition 1 certificate, alternated in this run (medians of "
                     f"{len(p1['seconds']['current'][str(max(PROP1_SIDE_N))])})")
        for n in PROP1_SIDE_N:
            lines.append(f"  n = {n:>3}  at {p1['commit']}: {_fmt_s(p1['median']['baseline'][str(n)]):>8} "
                         f"({p1['status']['baseline'][str(n)]})   now: {_fmt_s(p1['median']['current'][str(n)]):>8} "
                         f"({p1['status']['current'][str(n)]})")
        lines.append("  ratio at n = 100: " + (f"{p1['ratio']:.2f}" if p1["ratio"] is not None else "-")
                     + "   t(100)/t(50) now: " + (f"{p1['growth']:.2f}" if p1["growth"] is not None else "-"))
    if "prop1_scaling" in report:
        lines.append("")
        lines.append("prop1_scaling: Proposition 1 certificate (pivot, ex-post estimator), agent 1")
        lines.append(f"  {'n':>4}  {'atoms':>9}  {'status':<12} {'naive':>9}  {'naive status':<18} {'speedup':>8}")
        for r in report["prop1_scaling"]:
            sp_ = r.get("speedup")
            sp_s = "-" if sp_ is None else (sp_ + "x" if isinstance(sp_, str) else f"{sp_:.0f}x")
            lines.append(f"  {r['n']:>4}  {_fmt_s(r.get('seconds')):>9}  {r['status']:<12} "
                         f"{_fmt_s(r.get('naive_seconds')):>9}  {r.get('naive_status', '-'):<18} {sp_s:>8}")
    if "epsilon_exact_vs_mc" in report:
        lines.append("")
        lines.append("epsilon_exact_vs_mc: Jensen instance, additive noise v/m, profile "
                     "theta=(1,2), s=(1/2,1), v=mu=sigma=sigma_i=1")
        lines.append(f"  {'m':>8}  {'exact eps_m':>12}  {'exact t':>8}  {'MC estimate':>12}  "
                     f"{'MC se':>9}  {'|MC err|':>9}  {'rel err':>8}  {'MC draws':>9}  {'MC t':>7}")
        for r in report["epsilon_exact_vs_mc"]:
            if "exact_float" not in r:
                lines.append(f"  {r['m']:>8}  {r}")
                continue
            rel = r["mc_rel_error"]
            lines.append(f"  {r['m']:>8}  {r['exact_float']:>12.4e}  {_fmt_s(r['exact_seconds']):>8}  "
                         f"{r['mc_estimate']:>12.4e}  {r['mc_se']:>9.2e}  {r['mc_abs_error']:>9.2e}  "
                         f"{(f'{rel:.2g}' if rel is not None else '-'):>8}  {r['mc_samples']:>9}  "
                         f"{_fmt_s(r['mc_seconds']):>7}")
    sym = report.get("epsilon_symbolic_m")
    if sym and "derive_seconds" in sym:
        lines.append(f"  with m symbolic: epsilon_m = {sym['epsilon_m']} derived once in "
                     f"{_fmt_s(sym['derive_seconds'])}, all six m evaluated in "
                     f"{sym['evaluate_all_m_seconds'] * 1e3:.1f} ms; agrees with the per-m rows: "
                     f"{sym.get('agrees_with_per_m')}")
    if "implementability" in report:
        lines.append("")
        lines.append("implementability: finite models, two agents (certificate replayed by the finite checker)")
        lines.append(f"  {'kind':<16} {'types':>5}  {'constraints':>11}  {'time':>8}  status")
        for kind, label in (("message_driven", "message-driven"), ("data_driven_lp", "data-driven LP")):
            for r in report["implementability"][kind]:
                lines.append(f"  {label:<16} {r['types']:>5}  {str(r.get('constraints')):>11}  "
                             f"{_fmt_s(r.get('seconds')):>8}  {r['status']}")
    if "llm_certificate" in report:
        lines.append("")
        lines.append("llm_certificate: Definition 9 pivot, ex-post estimator, agent 1 (Groves certificate)")
        lines.append(f"  {'n':>3}  {'|T|':>4}  {'time':>8}  status")
        for r in report["llm_certificate"]:
            lines.append(f"  {r['n']:>3}  {r['size']:>4}  {_fmt_s(r.get('seconds')):>8}  {r['status']}")
    if "common_rate_certificate" in report:
        lines.append("")
        lines.append("common_rate_certificate: per-click pivot, common click rate, agent 1 (median of "
                     f"{COMMON_RATE_RUNS} runs)")
        lines.append(f"  {'n':>3}  {'time':>8}  {'empty regions':>13}  status")
        for r in report["common_rate_certificate"]:
            lines.append(f"  {r['n']:>3}  {_fmt_s(r.get('seconds')):>8}  {str(r.get('empty_regions', '-')):>13}  "
                         f"{r['status']}")
    if "verify_all_seconds" in report:
        v = report["verify_all_seconds"]
        lines.append("")
        lines.append(f"verify_all_seconds: {_fmt_s(v['seconds'])} wall"
                     + (f" (sum of results {v['sum_of_result_seconds']:.1f}s)" if v.get("results") else "")
                     + (f", exit code {v['exit_code']}" if v.get("exit_code") is not None else ""))
        if "checker_seconds" in v:
            lines.append(f"  independent checker: {v['certificates']} certificates, {v['checker_problems']} "
                         f"problems, {_fmt_s(v['checker_seconds'])} = {v['checker_overhead']:.0%} of the "
                         f"verification; recheck FILE {_fmt_s(v['recheck_file_seconds'])} "
                         f"(exit code {v['recheck_file_exit_code']})")
        for r in v.get("results", []):
            lines.append(f"  {r['id']:<24} {_fmt_s(r['seconds']):>8}  {r['status']:<12} "
                         f"{'ok' if r['ok'] else 'NOT OK'}")
    if report.get("goals"):
        lines.append("")
        lines.append("goals:")
        for name, g in report["goals"].items():
            state = {True: "met", False: "MISSED", None: "not decided"}[g["met"]]
            lines.append(f"  {name}: {state} ({', '.join(f'{k}={v}' for k, v in g.items() if k != 'met')})")
    return "\n".join(lines)


def _engine_attribution(stats, package: str = "symbolic_mech") -> list:
    """Per package function: calls, cumulative seconds, and the seconds spent in it or in
    library code below it, excluding time inside other package functions it calls."""
    def mine(func):
        return f"{os.sep}{package}{os.sep}" in func[0]

    raw = stats.stats
    rows = []
    for func, (_, calls, _, cum, _) in raw.items():
        if not mine(func):
            continue
        inner = sum(entry[3] for callee, (*_, callers) in raw.items()
                    if mine(callee) and callee != func
                    for caller, entry in callers.items() if caller == func)
        parts = pathlib.Path(func[0]).parts
        start = max(k for k, part in enumerate(parts[:-1]) if part == package)
        where = "/".join(parts[start:])
        rows.append({"function": f"{where}:{func[1]}:{func[2]}", "calls": calls,
                     "cumulative": cum, "own_and_library": max(cum - inner, 0.0)})
    return sorted(rows, key=lambda r: -r["own_and_library"])


def profile(n: int, limit: int = 25) -> None:
    """cProfile of the atoms certificate at n.

    First the package functions ranked by the time spent in them and in the
    library code they call (time inside other package functions excluded),
    then the hottest library functions by their own time.  Times are inflated
    by the profiler, roughly uniformly.
    """
    import cProfile
    import pstats

    from symbolic_mech.estimators import ExPost
    from symbolic_mech.incentives import groves_certificate
    from symbolic_mech.mechanisms import DataDrivenVCG
    from symbolic_mech.paper.instances import quadratic_loss

    mech = DataDrivenVCG(quadratic_loss(n), h="pivot")
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    verdict = groves_certificate(mech, 1, ExPost())
    prof.disable()
    print(f"n = {n}: {verdict.status} in {time.perf_counter() - t0:.1f}s under the profiler\n")
    stats = pstats.Stats(prof)
    print(f"{'own+library s':>13}  {'cumulative s':>12}  {'calls':>6}  package function")
    for r in _engine_attribution(stats)[:limit]:
        print(f"{r['own_and_library']:>13.2f}  {r['cumulative']:>12.2f}  {r['calls']:>6}  {r['function']}")
    print()
    stats.sort_stats("tottime").print_stats(limit)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tighter time caps (under five minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rows", default="prop1_scaling,epsilon_exact_vs_mc,implementability,llm_certificate,"
                                          "common_rate_certificate,verify_all_seconds",
                        help="comma-separated rows to run")
    parser.add_argument("--out", help="also write the JSON object to this file")
    parser.add_argument("--repeats", type=int, metavar="K",
                        help="runs of each side in the *_vs_commit rows (default: 3, 1 with --quick)")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="profile the Proposition 1 certificate at n = N and exit")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return 0
    if args.profile:
        profile(args.profile)
        return 0
    mode = "quick" if args.quick else "full"
    cfg = dict(SETTINGS[mode])
    if args.repeats:
        cfg["repeats"] = args.repeats
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    known = {"prop1_scaling": prop1_scaling, "epsilon_exact_vs_mc": epsilon_exact_vs_mc,
             "implementability": implementability, "llm_certificate": llm_certificate,
             "common_rate_certificate": common_rate_certificate, "verify_all_seconds": verify_all,
             "verify_vs_commit": verify_vs_commit, "prop1_vs_commit": prop1_vs_commit}
    unknown = [r for r in rows if r not in known]
    if unknown:
        parser.error(f"unknown row(s) {unknown}; known: {sorted(known)}")
    report = {"mode": mode, "machine": machine()}
    t0 = time.perf_counter()
    for name in rows:
        report[name] = known[name](cfg, args.json)
        if name == "epsilon_exact_vs_mc":
            report["epsilon_symbolic_m"] = epsilon_symbolic_m(cfg, args.json, report[name])
    report["total_seconds"] = time.perf_counter() - t0
    report["goals"] = goals(report)
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
