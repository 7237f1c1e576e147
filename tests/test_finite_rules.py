"""The finite checker's acceptance rules, each pinned: forgeries it must reject, and a mutation harness.

Every rule listed in finite_checker's docstring (S1 ... F3) has at least one mutant below: a textual
weakening of finite_checker.py's source, exec'd as a fresh module (the file on disk is never touched).
Each mutant's pinning test must pass on the real checker and fail on the mutant.

Expected numbers (posteriors, values, cycle totals) are computed here by hand in Fractions, never by the
engine; the engine only produces the certificates under test.
"""
import copy
import functools
import itertools
import json
import re
import types
from fractions import Fraction as F
from pathlib import Path

import pytest

from symbolic_mech import implementability
from symbolic_mech.core import finite_checker
from symbolic_mech.finite import FiniteEnvironment, FiniteEstimator, FiniteInformation
from symbolic_mech.implementability import exact_regret, implementable
from symbolic_mech.information import GaussianSignals
from symbolic_mech.paper.instances import jensen
from symbolic_mech.symbols import omega, s, theta, x

HALF = F(1, 2)
SOURCE = Path(finite_checker.__file__).read_text()


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def fresh(cert):
    return json.loads(json.dumps(cert))


def restate(cert):
    """A consistent forger: the text (and claim) rendered again from the statement, duplicates synced."""
    st = cert["statement"]
    st["text"] = cert["claim"] = implementability.statement_text(st)
    model, mech = st["model"], st["mechanism"]
    cert.update(model=model, agents=st["agents"], mechanism=mech["class"],
                impossible_reports=mech["impossible_reports"])
    if "family" not in model:
        cert.update(outcomes=model["outcomes"],
                    estimates=None if model["estimator"] is None else model["estimator"]["estimates"])
    return cert


def accepted(fc, cert) -> bool:
    return fc.recheck(fresh(cert)).confirmed


def rejected(fc, cert, *words) -> bool:
    report = fc.recheck(fresh(cert))
    text = " ".join(report.problems)
    return not report.confirmed and all(w in text for w in words)


# ---------------------------------------------------------------------------
# the models and their certificates (built once)
# ---------------------------------------------------------------------------

LAW = {0: {"L": F(3, 4), "H": F(1, 4)}, 1: {"L": F(1, 4), "H": F(3, 4)}}


def project(types1=(0,), types2=(0,), prior=(HALF, HALF)):
    """Agent 1 dislikes the project more in the high state; a high signal makes it efficient."""
    info = FiniteInformation.independent([0, 1], list(prior), [LAW, LAW])
    return FiniteEnvironment(info, [list(types1), list(types2)], [0, 1],
                             [-x * omega + x * theta(1) / 2, 3 * x * omega - x])


# A non-uniform prior and correlated signals: P(omega = 1) = 1/4 and the joint likelihood below is not
# the product of its marginals.  Project iff E[omega | s] > 1/2 (u1 = -x omega, u2 = x (3 omega - 1)).
PRIOR = [F(3, 4), F(1, 4)]
JOINT = {1: {("H", "h"): F(1, 2), ("H", "l"): F(1, 4), ("L", "h"): F(1, 4), ("L", "l"): F(0)},
         0: {("H", "h"): F(1, 5), ("H", "l"): F(1, 10), ("L", "h"): F(1, 10), ("L", "l"): F(3, 5)}}
PROFILES = [("H", "h"), ("H", "l"), ("L", "h"), ("L", "l")]


def correlated(prior=PRIOR, joint=JOINT):
    info = FiniteInformation([0, 1], list(prior), [["L", "H"], ["l", "h"]],
                             {w: {sig: joint[w][sig] for sig in PROFILES} for w in (0, 1)})
    return FiniteEnvironment(info, [[0], [0]], [0, 1], [-x * omega, 3 * x * omega - x])


def by_hand_posterior(prior, lik, sig) -> F:
    """E[omega | s] = P(omega = 1) P(s | 1) / sum_w P(w) P(s | w), omega in {0, 1}."""
    num = prior[1] * lik(1, sig)
    den = prior[0] * lik(0, sig) + num
    return num / den


def marginal_product(w, sig):
    p1 = sum(q for prof, q in JOINT[w].items() if prof[0] == sig[0])
    p2 = sum(q for prof, q in JOINT[w].items() if prof[1] == sig[1])
    return p1 * p2


@functools.lru_cache(maxsize=None)
def certs() -> dict:
    from symbolic_mech import derive
    out = {v.id: v.certificate for v, _, _ in derive("per-impression").checks}
    env = project((0, 1), (0, 1))
    noisy = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {0: F(1, 3), 1: F(2, 3)}})
    blind = FiniteEstimator({0: {0: HALF, 1: HALF}, 1: {0: HALF, 1: HALF}})
    out["project-cycle"] = implementable(project(), 1).certificate
    out["lp-proved"] = implementable(env, kind="data-driven", estimator=noisy).certificate
    out["farkas"] = implementable(env, 1, kind="data-driven", estimator=blind).certificate
    out["auction-1"] = implementable(auction(), 1).certificate
    out["auction"] = implementable(auction()).certificate
    info = FiniteInformation([0, 1], [HALF, HALF], [[0, 1], [0, 1]], {0: {(0, 0): 1}, 1: {(1, 1): 1}})
    twin = FiniteEnvironment(info, [[0], [0]], ["A", "B"], [lambda o, w, t: 0, lambda o, w, t: 0])
    out["pay-disagreement"] = exact_regret(twin, lambda i, th, sig: 100 if sig[0] != sig[1] else 0).certificate
    out["correlated"] = implementable(correlated()).certificate
    out["correlated-uniform"] = implementable(correlated(prior=[HALF, HALF])).certificate
    ind = FiniteInformation([0, 1], PRIOR, [["L", "H"], ["l", "h"]], marginal_product)
    out["correlated-independent"] = implementable(
        FiniteEnvironment(ind, [[0], [0]], [0, 1], [-x * omega, 3 * x * omega - x])).certificate
    out["jensen"] = implementable(jensen(2, GaussianSignals(2, prior_mean=1, prior_var=1, noise_var=1)), 1,
                                  grid={theta(1): [0, 1, 2, 3], s(1): [-2, 0, 2, 4]},
                                  at={theta(2): 1, s(2): 1}).certificate
    for key, cert in out.items():
        assert cert["status"] != "inconclusive", key
    return {k: fresh(v) for k, v in out.items()}


def cert(name):
    return copy.deepcopy(certs()[name])


def auction():
    return FiniteEnvironment(FiniteInformation.independent([0, 1], [HALF, HALF], [LAW, LAW]),
                             [[1, 2, 3], [1, 2, 3]], [1, 2],
                             [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])


def test_every_certificate_is_confirmed_and_states_its_claim():
    for name, c in certs().items():
        assert finite_checker.recheck(c).confirmed, name
        st = c["statement"]
        assert set(st) == {"relation", "mechanism", "agents", "allocation", "model", "text"}
        assert c["claim"] == st["text"] == implementability.statement_text(st) == finite_checker.render(st)
        assert st["mechanism"]["impossible_reports"] == ("given" if st["mechanism"]["transfer_rule"] else "punished")


# ---------------------------------------------------------------------------
# the forgeries of the brief
# ---------------------------------------------------------------------------

def test_forged_per_impression_claim_and_values():
    fc = finite_checker
    real = cert("per-impression-cycle")
    # the claim rewritten alone, then with the statement's text
    bad = copy.deepcopy(real)
    bad["claim"] = bad["claim"].replace("for agent 1", "for every agent")
    assert rejected(fc, bad, "the claim is not the statement's text")
    bad["statement"]["text"] = bad["claim"]
    assert rejected(fc, bad, "statement.text is not the rendering")
    # the values rewritten: a deeper cycle, consistent with itself
    bad = copy.deepcopy(real)
    for step in bad["cycle"]:
        step["c"] = str(F(step["c"]) - 1)
        step["value_next"] = str(F(step["value_next"]) + 1)
    bad["total"] = str(F(bad["total"]) - 2)
    assert rejected(fc, bad, "cycle[0].c is", "total is")
    # the statement rewritten to a stronger claim (every agent, a uniform prior a = b = 2), text re-rendered
    bad = copy.deepcopy(real)
    bad["statement"]["model"]["a"] = bad["statement"]["model"]["b"] = "2"
    assert rejected(fc, restate(bad), "cycle[1].c is")
    # the private-values proof passed off as one about data-driven mechanisms
    bad = cert("per-impression-private-values")
    bad["statement"]["mechanism"]["class"] = "data-driven"
    assert rejected(fc, restate(bad), "needs model.estimator")


def test_forged_zero_utilities_with_summary_rederived():
    fc = finite_checker
    bad = cert("control-per-impression-first-price")
    zero = [[[["0" for _ in row] for row in ux] for ux in ui] for ui in bad["statement"]["model"]["utilities"]]
    bad["statement"]["model"]["utilities"] = zero
    bad["model"] = bad["statement"]["model"]
    # the summary the zeroed model gives, by hand: x* is always outcome 1 (a tie, to the first listed), so
    # agent 1 always wins and pays her bid: reporting 1/4 at theta1 = 2 gains 7/4; 2 x 16 x 16 x 15 + 0
    # constraints (no impossible profile).  The same summary as the real model's.
    bad.update(constraints=2 * 16 * 16 * 15, smallest_slack="-7/4", regret="7/4")
    assert rejected(fc, bad, "statement.text is not the rendering")
    # the text re-rendered too: the blocks' tabulated values are not the zeroed model's
    assert rejected(fc, restate(copy.deepcopy(bad)), "differ from the ones computed from the model")
    # the proof of the private-values pivot with zeroed utilities: its table is no longer incentive compatible
    bad = cert("per-impression-private-values")
    bad["statement"]["model"]["utilities"] = zero
    for block in bad["blocks"]:
        for key in ("values", "welfare", "allocation"):
            block.pop(key)
    assert rejected(fc, restate(bad), "proved, but a constraint fails")


def test_forged_punished_impossible_reports_for_a_given_rule():
    fc = finite_checker
    real = cert("pay-disagreement")
    assert real["status"] == "refuted" and real["witness"]["impossible"] is True
    bad = copy.deepcopy(real)
    bad["statement"]["mechanism"]["impossible_reports"] = "punished"
    # with the disagreeing reports left out no constraint is left: the author's "proof"
    bad.update(status="proved", constraints=0, smallest_slack=None, regret="0", witness=None)
    assert rejected(fc, restate(bad), "impossible_reports is 'punished', but follows from the mechanism: given")
    # the same for the first-price rule (no impossible profile there), and at the top level only
    bad = cert("control-per-impression-first-price")
    bad["statement"]["mechanism"]["impossible_reports"] = "punished"
    assert rejected(fc, restate(bad), "impossible_reports is 'punished'")
    bad = cert("control-per-impression-first-price")
    bad["impossible_reports"] = "punished"
    assert rejected(fc, bad, "the top-level impossible_reports differs")


def test_forged_grid_cycle_without_model():
    fc = finite_checker
    real = cert("per-impression-cycle")
    # the old form: model null, a grid, no statement
    old = {k: v for k, v in real.items() if k != "statement"}
    old.update(model=None, grid={"theta1": ["3/4", "5/4"], "s1": ["0", "2"]})
    assert rejected(fc, old, "no statement")
    # a statement without a model, or with the model taken away
    bad = copy.deepcopy(real)
    bad["statement"]["model"] = None
    bad["model"] = None
    assert rejected(fc, bad, "statement.model")
    bad = copy.deepcopy(real)
    del bad["statement"]["model"]
    assert rejected(fc, bad, "exactly the keys")


def test_grid_values_recomputed_by_hand():
    """Per-impression: E[omega | s] = (1 + s1 + s2)/6 (Beta(1, 1), 2 + 2 impressions); agent 2 at (1, 1)."""
    c = cert("per-impression-cycle")
    a, b = c["cycle"][0]["type"], c["cycle"][0]["next"]
    assert (a, b) == ({"theta1": "3/4", "s1": "2"}, {"theta1": "5/4", "s1": "0"})
    mean = {k: F(1 + k + 1, 6) for k in (0, 1, 2)}
    # a = (3/4, 2) loses to agent 2's bid 1; b = (5/4, 0) wins: v_1 = theta1 x1 E[omega | s]
    c_ab = 0 - F(3, 4) * mean[2]
    c_ba = F(5, 4) * mean[0] - 0
    assert [F(st["c"]) for st in c["cycle"]] == [c_ab, c_ba] and F(c["total"]) == c_ab + c_ba == F(-1, 12)


def test_gaussian_grid_with_a_prior_mean_recomputed_by_hand():
    """jensen: u_i = -(theta_i - omega x)^2, omega ~ N(1, 1), unit noise: E[omega | s] = (1 + s1 + s2)/3."""
    c = cert("jensen")
    th2, s2, var = F(1), F(1), F(1, 3)

    def x_star(t1, s1):
        m = (1 + s1 + s2) / 3
        return (t1 + th2) * m / (2 * (m * m + var))

    def v1(t1, s1, xx):
        m = (1 + s1 + s2) / 3
        return -t1 * t1 + 2 * t1 * m * xx - (m * m + var) * xx * xx
    total = F(0)
    for st in c["cycle"]:
        ta, sa = F(st["type"]["theta1"]), F(st["type"]["s1"])
        tb, sb = F(st["next"]["theta1"]), F(st["next"]["s1"])
        step = v1(ta, sa, x_star(ta, sa)) - v1(ta, sa, x_star(tb, sb))
        assert F(st["c"]) == step
        total += step
    assert F(c["total"]) == total < 0


# ---------------------------------------------------------------------------
# non-uniform prior, correlated signals: the posterior decides the verdict
# ---------------------------------------------------------------------------

def test_nonuniform_prior_and_correlation_decide_the_verdict():
    joint = lambda w, sig: JOINT[w][sig]          # noqa: E731
    right = {sig: by_hand_posterior(PRIOR, joint, sig) for sig in PROFILES}
    uniform = {sig: by_hand_posterior([HALF, HALF], joint, sig) for sig in PROFILES}
    product = {sig: by_hand_posterior(PRIOR, marginal_product, sig) for sig in PROFILES}
    # by hand: the joint likelihood ratio is 5/2 off (L, l), so E = (5/2)/(5/2 + 3) = 5/11 < 1/2: no project
    assert right == {("H", "h"): F(5, 11), ("H", "l"): F(5, 11), ("L", "h"): F(5, 11), ("L", "l"): 0}
    # without the prior: 5/7 > 1/2; as if independent (marginals 3/4 and 3/10): 25/37 at (H, h)
    assert uniform[("H", "l")] == F(5, 7) and product[("H", "h")] == F(25, 37) and product[("L", "h")] == F(25, 109)
    ok = cert("correlated")
    assert ok["status"] == "proved" and finite_checker.recheck(ok).confirmed
    # the certificate's tables are the right posterior's: v_1(project) = -E[omega | s]
    for block in ok["blocks"]:
        for typ, values in zip(block["types"], block["values"]):
            sig = (typ["s1"], block["others"]["s2"]) if block["agent"] == 1 else (block["others"]["s1"], typ["s2"])
            if block["agent"] == 1:
                assert [F(v) for v in values] == [0, -right[sig]]
            assert block["allocation"] == [0] * len(block["types"])
    # with the wrong posterior the engine refutes; that refutation does not prove the right statement
    for wrong, total in (("correlated-uniform", -F(5, 7)), ("correlated-independent", F(25, 109) - F(25, 37))):
        bad = cert(wrong)
        assert bad["status"] == "refuted" and F(bad["total"]) == total
        forged = dict(bad, statement=copy.deepcopy(ok["statement"]))
        assert rejected(finite_checker, restate(forged), "is not negative")


# ---------------------------------------------------------------------------
# pinning tests: each passes on the real checker and fails on its mutant
# ---------------------------------------------------------------------------

def pin_statement_required(fc):
    old = {k: v for k, v in cert("per-impression-cycle").items() if k != "statement"}
    assert rejected(fc, old)


def pin_claim_is_text(fc):
    bad = cert("per-impression-cycle")
    bad["claim"] = "some message-driven mechanism implements x* for every agent"
    assert rejected(fc, bad)


def pin_text_is_rendered(fc):
    bad = cert("per-impression-cycle")
    bad["claim"] = bad["statement"]["text"] = "no mechanism of any class implements x* for anyone"
    assert rejected(fc, bad)


def pin_duplicates(fc):
    bad = cert("per-impression-private-values")
    bad["model"] = copy.deepcopy(bad["model"])
    bad["model"]["types"][0][0] = "100"
    assert rejected(fc, bad)


def pin_unknown_keys(fc):
    bad = cert("per-impression-cycle")
    bad["grid"] = {"theta1": ["3/4", "5/4"]}
    assert rejected(fc, bad)


def pin_impossible_reports_derived(fc):
    bad = cert("control-per-impression-first-price")
    bad["statement"]["mechanism"]["impossible_reports"] = "punished"
    assert rejected(fc, restate(bad))


def pin_rule_iff_given(fc):
    bad = cert("per-impression-private-values")
    bad["statement"]["relation"] = "implementable-by"
    assert rejected(fc, restate(bad))


def pin_cycle_refutes_message_driven_only(fc):
    bad = cert("project-cycle")
    st = bad["statement"]
    st["mechanism"]["class"] = "data-driven"
    st["model"]["estimator"] = {"estimates": ["0", "1"], "law": [["1", "0"], ["0", "1"]]}
    assert accepted(fc, cert("project-cycle")) and rejected(fc, restate(bad))


def pin_probabilities(fc):
    bad = cert("project-cycle")
    bad["statement"]["model"]["prior"] = ["1/4", "1/4"]      # sums to 1/2; the posteriors would not notice
    assert rejected(fc, restate(bad))


def pin_bayes_with_prior(fc):
    assert accepted(fc, cert("correlated"))
    forged = dict(cert("correlated-uniform"), statement=cert("correlated")["statement"])
    assert rejected(fc, restate(forged))


def pin_joint_likelihood(fc):
    assert accepted(fc, cert("correlated"))
    forged = dict(cert("correlated-independent"), statement=cert("correlated")["statement"])
    assert rejected(fc, restate(forged))


def pin_first_maximizer(fc):
    # the project cycle runs through a tie (E[omega | L, H] = 1/2) broken to "no project"
    assert accepted(fc, cert("project-cycle"))


def pin_predictive(fc):
    assert accepted(fc, cert("lp-proved")) and accepted(fc, cert("farkas"))


def pin_gaussian(fc):
    assert accepted(fc, cert("jensen"))


def pin_beta(fc):
    assert accepted(fc, cert("per-impression-cycle"))


def pin_beta_support(fc):
    # a cycle through 3 clicks in 2 impressions: (3/4, 3) -> (5/4, 0), E[omega | s] = (1 + s1 + 1)/6
    bad = cert("per-impression-cycle")
    bad["statement"]["model"]["signals"][0] = ["0", "1", "2", "3"]
    c_ab, c_ba = -F(3, 4) * F(5, 6), F(5, 4) * F(2, 6)
    bad["cycle"][0].update(type={"theta1": "3/4", "s1": "3"}, c=str(c_ab), value_next=str(-c_ab))
    bad["cycle"][1].update(next={"theta1": "3/4", "s1": "3"}, c=str(c_ba), value_own=str(c_ba))
    bad["total"] = str(c_ab + c_ba)
    assert rejected(fc, restate(bad))


def pin_line_maximizer(fc):
    assert accepted(fc, cert("jensen"))


def convex_cycle():
    """One agent, u = +(x - theta - omega)^2 (convex: no maximizer), omega ~ N(0, 1), s = 0 on the grid."""
    model = {"family": "gaussian", "mean": "0", "variance": "1", "noise": ["1"],
             "outcome_space": {"kind": "real-line", "variable": "x", "lo": None, "hi": None},
             "types": [["0", "1"]], "signals": [["0"]],
             # coefficients [power of x][power of omega][type]: theta^2 + 2 theta omega + omega^2, -2 theta - 2 omega, 1
             "utilities": [[[["0", "1"], ["0", "2"], ["1", "1"]], [["0", "-2"], ["-2", "-2"]], [["1", "1"]]]]}
    st = {"relation": "implementable", "agents": [1], "allocation": "efficient-first-listed", "model": model,
          "mechanism": {"class": "message-driven", "transfer_rule": None, "impossible_reports": "punished"}}
    # the stationary point x = theta + E[omega | s] = theta; c(a, b) = -(theta_b - theta_a)^2 = -1
    steps = [{"type": {"theta1": "0", "s1": "0"}, "next": {"theta1": "1", "s1": "0"}, "c": "-1"},
             {"type": {"theta1": "1", "s1": "0"}, "next": {"theta1": "0", "s1": "0"}, "c": "-1"}]
    return restate({"format": finite_checker.FORMAT, "id": "convex", "claim": "", "kind": "cycle",
                    "status": "refuted", "statement": st, "agent": 1, "others": {}, "cycle": steps, "total": "-2"})


def pin_line_concave(fc):
    assert rejected(fc, convex_cycle())


def pin_block_missing(fc):
    bad = cert("per-impression-private-values")
    block = bad["blocks"].pop(0)
    bad["constraints"] -= len(block["types"]) * (len(block["types"]) - 1)
    assert rejected(fc, bad)


def pin_block_extra(fc):
    bad = cert("auction-1")
    bad["blocks"].append(next(b for b in cert("auction")["blocks"] if b["agent"] == 2))
    assert rejected(fc, bad)


def pin_rule_not_in_blocks(fc):
    bad = cert("control-per-impression-first-price")
    bad["blocks"][0]["transfers"] = [["1000"] for _ in bad["blocks"][0]["types"]]
    assert rejected(fc, bad)


def pin_impossible_reports_counted(fc):
    # each block has one possible type of agent 1 and one impossible report: 4 constraints in all
    assert accepted(fc, cert("pay-disagreement"))
    bad = cert("pay-disagreement")
    bad.update(status="proved", constraints=4, smallest_slack=None, regret="0", witness=None)
    assert rejected(fc, bad)


def pin_constraints(fc):
    bad = cert("per-impression-private-values")
    bad["constraints"] += 1
    assert rejected(fc, bad)


def pin_regret(fc):
    bad = cert("control-per-impression-first-price")
    bad["regret"] = "1"
    assert rejected(fc, bad)


def pin_proved_needs_zero_regret(fc):
    bad = cert("control-per-impression-first-price")
    bad.update(status="proved", witness=None)
    assert rejected(fc, bad)


def pin_witness_gains(fc):
    bad = cert("control-per-impression-first-price")
    bad["witness"].update(report=bad["witness"]["truth"], gain="0")
    assert rejected(fc, bad)


def pin_cycle_agent(fc):
    bad = cert("project-cycle")
    bad["statement"]["agents"] = [2]
    assert rejected(fc, restate(bad))


def pin_cycle_distinct(fc):
    bad = cert("project-cycle")
    bad["cycle"] = bad["cycle"] * 2
    bad["total"] = str(2 * F(bad["total"]))
    assert rejected(fc, bad)


def pin_cycle_next(fc):
    bad = cert("per-impression-cycle")
    bad["cycle"][0]["next"] = {"theta1": "2", "s1": "0"}
    assert rejected(fc, bad)


def same_outcome_cycle(c0: str, c1: str):
    """Two of agent 1's types with the same x* in the project's block: every true c is 0.

    The project's welfare is 2 E[omega | s] + theta1/2 - 1: with s1 = s2 = L (E = 1/10) it is negative for
    theta1 in {0, 1}, with s1 = s2 = H (E = 9/10) positive.
    """
    bad = fresh(implementable(project((0, 1)), 1).certificate)
    sig = bad["others"]["s2"]
    a, b = {"theta1": "0", "s1": sig}, {"theta1": "1", "s1": sig}
    bad.update(cycle=[{"type": a, "next": b, "c": c0}, {"type": b, "next": a, "c": c1}], total=str(F(c0) + F(c1)))
    return bad


def pin_cycle_recomputed(fc):
    assert rejected(fc, same_outcome_cycle("-1", "0"))


def pin_cycle_negative(fc):
    assert rejected(fc, same_outcome_cycle("0", "0"))


def pin_farkas_positive(fc):
    bad = cert("farkas")
    used = {(a, b) for a, b, _ in bad["multipliers"]}
    n = len(bad["types"])
    spare = next(p for p in itertools.permutations(range(n), 2) if p not in used)
    bad["multipliers"].append([spare[0], spare[1], "0"])
    assert rejected(fc, bad)


def _c(c, a, b):
    vals, alloc = c["values"], c["allocation"]
    return F(vals[a][alloc[a]]) - F(vals[a][alloc[b]])


def pin_farkas_combination(fc):
    bad = cert("farkas")
    a, b, y = next(m for m in bad["multipliers"] if _c(bad, m[0], m[1]) < 0)
    bad["multipliers"] = [[a, b, y]]
    bad["total"] = str(F(y) * _c(bad, a, b))
    assert rejected(fc, bad)


def pin_farkas_negative(fc):
    bad = cert("farkas")
    n = len(bad["types"])
    a, b = next((a, b) for a, b in itertools.combinations(range(n), 2)
                if bad["predictive"][a] == bad["predictive"][b] and bad["allocation"][a] == bad["allocation"][b])
    bad.update(multipliers=[[a, b, "1"], [b, a, "1"]], total="0")
    assert rejected(fc, bad)


# (rule, old text, new text, pinning test): the old text must occur exactly once in the source
MUTANTS = [
    ("S1", "    st = _statement(cert, problems)\n    _duplicates",
     "    if cert.get(\"statement\") is None:\n        return\n    st = _statement(cert, problems)\n    _duplicates",
     pin_statement_required),
    ("S2", "    if cert[\"claim\"] != st[\"text\"]:", "    if False:", pin_claim_is_text),
    ("S3", "        if st[\"text\"] != text:", "        if False:", pin_text_is_rendered),
    ("S4", "        if key in cert and cert[key] != mine[key]:", "        if False:", pin_duplicates),
    ("S5", "    if extra:\n", "    if False:\n", pin_unknown_keys),
    ("S6", "    if mech[\"impossible_reports\"] != (\"given\" if given else \"punished\"):",
     "    if mech[\"impossible_reports\"] not in (\"given\", \"punished\"):", pin_impossible_reports_derived),
    ("S6", "    if given != (st[\"relation\"] == \"implementable-by\"):", "    if False:", pin_rule_iff_given),
    ("S7", "        ok = kind == (\"cycle\" if cls == \"message-driven\" else \"farkas\")",
     "        ok = kind in (\"cycle\", \"farkas\")", pin_cycle_refutes_message_driven_only),
    ("M1", "    if any(not 0 <= p <= 1 for p in row) or sum(row) != 1:",
     "    if any(not 0 <= p <= 1 for p in row):", pin_probabilities),
    ("M2", "            joint = [p * row[k] for p, row in zip(self.prior, self.likelihood)]",
     "            joint = [row[k] for p, row in zip(self.prior, self.likelihood)]", pin_bayes_with_prior),
    ("M3", "            joint = [p * row[k] for p, row in zip(self.prior, self.likelihood)]",
     "            joint = [p * __import__('math').prod(sum(row[m] for m, q in enumerate(self.profiles) "
     "if q[j] == s[j]) for j in range(self.n)) for p, row in zip(self.prior, self.likelihood)]",
     pin_joint_likelihood),
    ("M4", "        if v > row[best]:", "        if v >= row[best]:", pin_first_maximizer),
    ("M5", "        post = self.posterior(s)\n        return [sum((p * row[k]",
     "        post = self.prior\n        return [sum((p * row[k]", pin_predictive),
    ("G1", "m = (self.mean / self.variance + sum(", "m = (0 + sum(", pin_gaussian),
    ("G1", "var ** (j // 2)", "0 ** (j // 2)", pin_gaussian),
    ("G2", "                A = self.a + sum(obs)", "                A = sum(obs)", pin_beta),
    ("G2", "                if any(v.denominator != 1 or not 0 <= v <= self.k[i] for v in vs):",
     "                if False:", pin_beta_support),
    ("G3", "        x = -w[1] / (2 * w[2])", "        x = -w[1] / w[2]", pin_line_maximizer),
    ("G3", "        if any(w[3:]) or w[2] >= 0:", "        if any(w[3:]):", pin_line_concave),
    ("T1", "                problems.append(f\"the block of agent {i} with others {block.label} is missing\")",
     "                pass", pin_block_missing),
    ("T2", "            problems.append(f\"blocks[{listed[key][0]}] is not a block of the claim's agents",
     "            pass  # (f\"", pin_block_extra),
    ("T3", "                    problems.append(f\"{where} carries transfers of its own; the given rule is the "
     "statement's\")", "                    pass", pin_rule_not_in_blocks),
    ("T4", "                for b in range(len(tz)):\n                    gain = _expected(block.p[a], tz[b]) + top",
     "                for b in range(0):\n                    gain = _expected(block.p[a], tz[b]) + top",
     pin_impossible_reports_counted),
    ("T4", "            count += n * (n - 1) + n * len(tz)", "            count += n * (n - 1)",
     pin_impossible_reports_counted),
    ("T5", "    if count != cert.get(\"constraints\"):", "    if False:", pin_constraints),
    ("T5", "    if _q(cert.get(\"regret\"), \"regret\") != regret:", "    if False:", pin_regret),
    ("T6", "        if regret != 0:\n            problems.append(f\"proved, but",
     "        if regret < 0:\n            problems.append(f\"proved, but", pin_proved_needs_zero_regret),
    ("T7", "    if gain <= 0 or gain != _q(", "    if gain < 0 or gain != _q(", pin_witness_gains),
    ("C1", "    if i not in agents:", "    if False:", pin_cycle_agent),
    ("C1", "    if len(set(index)) != len(index):", "    if False:", pin_cycle_distinct),
    ("C1", "        if json.dumps(step.get(\"next\"), sort_keys=True) != labels[b]:", "        if False:",
     pin_cycle_next),
    ("C2", "        c = block.c(a, b)\n", "        c = _q(step.get(\"c\"), \"c\")\n", pin_cycle_recomputed),
    ("C3", "    if total >= 0:\n        problems.append(f\"the total {total} of the cycle",
     "    if total > 0:\n        problems.append(f\"the total {total} of the cycle", pin_cycle_negative),
    ("F1", "        if a == b or (a, b) in seen or y <= 0:", "        if a == b or (a, b) in seen or y < 0:",
     pin_farkas_positive),
    ("F2", "    if nonzero:\n", "    if False:\n", pin_farkas_combination),
    ("F3", "    if total >= 0:\n        problems.append(f\"the combination's",
     "    if total > 0:\n        problems.append(f\"the combination's", pin_farkas_negative),
]


def load(source: str, name: str = "finite_checker_mutant") -> types.ModuleType:
    """Exec ``source`` as a fresh module (nothing is written to disk or to sys.modules)."""
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def test_every_rule_of_the_docstring_is_pinned():
    listed = set(re.findall(r"^([SMGTCF][0-9])  ", finite_checker.__doc__, re.M))
    assert listed == {rule for rule, *_ in MUTANTS}


def test_the_unmutated_source_loads_and_passes_every_pin():
    clone = load(SOURCE, "finite_checker_clone")
    for _rule, _old, _new, pin in MUTANTS:
        pin(clone)


@pytest.mark.parametrize("rule, old, new, pin", MUTANTS, ids=[f"{m[0]}-{m[3].__name__}" for m in MUTANTS])
def test_mutant_is_killed(rule, old, new, pin):
    assert SOURCE.count(old) == 1, f"{rule}: the patched text must occur exactly once"
    pin(finite_checker)
    mutant = load(SOURCE.replace(old, new))
    with pytest.raises(AssertionError):
        pin(mutant)
