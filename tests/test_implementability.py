"""Implementability on finite and continuous models, each answer recomputed here from the model."""
import copy
import itertools
import json
from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symbolic_mech import implementability
from symbolic_mech.core import finite_checker
from symbolic_mech.environments import Environment, RealLine
from symbolic_mech.finite import FiniteEnvironment, FiniteEstimator, FiniteInformation
from symbolic_mech.implementability import _negative_cycle, exact_regret, implementable, two_cycle
from symbolic_mech.information import BetaBernoulliClicks
from symbolic_mech.information import GaussianSignals
from symbolic_mech.paper.instances import quadratic_loss
from symbolic_mech.symbols import omega, s, theta, x

HALF, Q = F(1, 2), F(3, 4)
LAW = {0: {"L": Q, "H": 1 - Q}, 1: {"L": 1 - Q, "H": Q}}


# ---------------------------------------------------------------------------
# the models, and a brute force written from their primitives
# ---------------------------------------------------------------------------

def project(types1=(0,), types2=(0,)):
    """Agent 1 dislikes the project more in the high state; a high signal makes it efficient."""
    info = FiniteInformation.independent([0, 1], [HALF, HALF], [LAW, LAW])
    return FiniteEnvironment(info, [list(types1), list(types2)], [0, 1],
                             [-x * omega + x * theta(1) / 2, 3 * x * omega - x])


def auction():
    """One object, private values (the signal is payoff-irrelevant): outcome j = agent j wins."""
    info = FiniteInformation.independent([0, 1], [HALF, HALF], [LAW, LAW])
    return FiniteEnvironment(info, [[1, 2, 3], [1, 2, 3]], [1, 2],
                             [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])


class Brute:
    """Posteriors, values and x* recomputed from the tables, with no code of the package."""

    def __init__(self, states, prior, laws, types, outcomes, u):
        self.states, self.prior, self.laws = states, prior, laws
        self.types, self.outcomes, self.u = types, outcomes, u
        self.signals = [sorted({k for row in law.values() for k in row}) for law in laws]

    def posterior(self, sig):
        joint = [p * self.laws[0][w].get(sig[0], 0) * self.laws[1][w].get(sig[1], 0)
                 for w, p in zip(self.states, self.prior)]
        return [j / sum(joint) for j in joint]

    def v(self, i, o, t, sig):
        return sum(p * self.u[i](o, w, t) for w, p in zip(self.states, self.posterior(sig)))

    def x_star(self, th, sig):
        w = [self.v(0, o, th[0], sig) + self.v(1, o, th[1], sig) for o in self.outcomes]
        return self.outcomes[w.index(max(w))]          # index() finds the first maximum

    def profiles(self):
        for th in itertools.product(*self.types):
            for sig in itertools.product(*self.signals):
                yield th, sig

    def gain(self, i, th, sig, th_r, sig_r, transfer):
        """U_i(report) - U_i(truth) for agent i (0-based) with the others truthful."""
        rep_th = tuple(th_r if j == i else th[j] for j in range(2))
        rep_s = tuple(sig_r if j == i else sig[j] for j in range(2))
        return (self.v(i, self.x_star(rep_th, rep_s), th[i], sig) + transfer(i + 1, rep_th, rep_s)
                - self.v(i, self.x_star(th, sig), th[i], sig) - transfer(i + 1, th, sig))

    def regret(self, transfer):
        best = F(0)
        for th, sig in self.profiles():
            for i in range(2):
                for th_r, sig_r in itertools.product(self.types[i], self.signals[i]):
                    best = max(best, self.gain(i, th, sig, th_r, sig_r, transfer))
        return best


def project_brute(types1=(0,), types2=(0,)):
    return Brute([0, 1], [HALF, HALF], [LAW, LAW], [types1, types2], [0, 1],
                 [lambda o, w, t: -o * w + o * F(t) / 2, lambda o, w, t: 3 * o * w - o])


# ---------------------------------------------------------------------------
# exact regret by enumeration
# ---------------------------------------------------------------------------

def test_regret_matches_brute_force():
    env, brute = project((0, 1), (0, 1)), project_brute((0, 1), (0, 1))

    def transfer(i, th, sig):          # an arbitrary rule: pay for the project, more for a high signal
        return F(1, 3) * env.efficient_allocation(th, sig) - F(1, 5) * (sig[i - 1] == "H")
    v = exact_regret(env, transfer)
    assert v.status == "refuted"
    assert v.evidence["epsilon"] == brute.regret(transfer) > 0
    w = v.evidence["witness"]
    i = w["agent"]
    truth_th = tuple(F(w["truth"][f"theta{j}"]) for j in (1, 2))
    truth_s = tuple(w["truth"][f"s{j}"] for j in (1, 2))
    gain = brute.gain(i - 1, truth_th, truth_s, F(w["report"][f"theta{i}'"]), w["report"][f"s{i}'"], transfer)
    assert gain == w["gain"] == v.evidence["epsilon"]
    # every ordered pair of distinct types of each agent, in every block of the other's types
    assert v.evidence["constraints"] == 2 * 4 * (4 * 3)
    assert finite_checker.recheck(json.loads(json.dumps(v.certificate))).confirmed


def test_pivot_is_truthful_with_private_values():
    env = auction()

    def pivot(i, th, sig):
        return -th[2 - i] if env.efficient_allocation(th, sig) == i else 0
    v = exact_regret(env, pivot)
    assert v.proved and v.evidence["epsilon"] == 0
    brute = Brute([0, 1], [HALF, HALF], [LAW, LAW], [(1, 2, 3), (1, 2, 3)], [1, 2],
                  [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    slack = min(-brute.gain(i, th, sig, th_r, sig_r, pivot) for th, sig in brute.profiles() for i in range(2)
                for th_r, sig_r in itertools.product(brute.types[i], brute.signals[i])
                if (th_r, sig_r) != (th[i], sig[i]))
    assert v.evidence["smallest_slack"] == slack
    assert v.certificate["constraints"] == v.evidence["constraints"] == 2 * 6 * 30


def test_data_driven_regret_ex_post_vcg():
    """Data-driven VCG with omega_hat = omega (Proposition 1) has regret 0 even with interdependence."""
    env = project((0, 1), (0, 1))
    u = [lambda o, w, t: -o * w + o * t / 2, lambda o, w, t: 3 * o * w - o]

    def vcg(i, th, sig, omega_hat):
        o = env.efficient_allocation(th, sig)
        return u[2 - i](o, omega_hat, th[2 - i])
    assert exact_regret(env, vcg, FiniteEstimator.ex_post([0, 1])).proved
    noisy = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {0: F(1, 3), 1: F(2, 3)}})
    assert exact_regret(env, vcg, noisy).refuted


def test_regret_inputs():
    env = auction()
    with pytest.raises(TypeError, match=r"transfer\(i=1, theta=\('1', '1'\), s=\('L', 'L'\)\)"):
        exact_regret(env, lambda i, th, sig: 0.5)
    with pytest.raises(TypeError, match="transfer must be a callable"):
        exact_regret(env, {})
    with pytest.raises(ValueError, match="agent number"):
        exact_regret(env, lambda i, th, sig: 0, i=3)
    with pytest.raises(TypeError, match="env must be a FiniteEnvironment"):
        exact_regret(quadratic_loss(2), lambda i, th, sig: 0)


# ---------------------------------------------------------------------------
# message-driven implementability
# ---------------------------------------------------------------------------

def test_private_values_implementable_and_transfers_reverified():
    env = auction()
    brute = Brute([0, 1], [HALF, HALF], [LAW, LAW], [(1, 2, 3), (1, 2, 3)], [1, 2],
                  [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    v = implementable(env)
    assert v.proved and v.certificate["kind"] == "transfers"
    for entry in v.evidence["transfers"]:
        i = entry["agent"]
        j = 3 - i
        other_th, other_s = F(entry["others"][f"theta{j}"]), entry["others"][f"s{j}"]
        table = {(F(row["type"][f"theta{i}"]), row["type"][f"s{i}"]): F(row["t"][0]) for row in entry["table"]}

        def profile(a):
            th = (a[0], other_th) if i == 1 else (other_th, a[0])
            sig = (a[1], other_s) if i == 1 else (other_s, a[1])
            return th, sig
        for a, b in itertools.permutations(table, 2):
            th, sig = profile(a)
            th_b, sig_b = profile(b)
            c = brute.v(i - 1, brute.x_star(th, sig), a[0], sig) - brute.v(i - 1, brute.x_star(th_b, sig_b), a[0], sig)
            assert table[b] - table[a] <= c
    assert finite_checker.recheck(json.loads(json.dumps(v.certificate))).confirmed


def test_interdependent_allocation_not_implementable_cycle_recomputed():
    env, brute = project(), project_brute()
    v = implementable(env, 1)
    assert v.refuted and v.certificate["kind"] == "cycle"
    other_s = v.evidence["others"]["s2"]
    total = F(0)
    for step in v.evidence["cycle"]:
        a, b = step["type"], step["next"]
        sig_a, sig_b = (a["s1"], other_s), (b["s1"], other_s)
        th_a, th_b = (F(a["theta1"]), F(0)), (F(b["theta1"]), F(0))
        c = brute.v(0, brute.x_star(th_a, sig_a), th_a[0], sig_a) - brute.v(0, brute.x_star(th_b, sig_b), th_a[0], sig_a)
        assert F(step["c"]) == c
        total += c
    # only s2 = H separates the outcomes: E[omega | H, H] = 9/10 (project) against E[omega | L, H] = 1/2
    # (a tie, broken to no project), so the total is 1/2 - 9/10
    assert v.evidence["others"]["s2"] == "H"
    assert total == F(v.evidence["total"]) == F(1, 2) - F(9, 10)
    assert finite_checker.recheck(v.certificate).confirmed


def test_three_cycle_found_by_bellman_ford():
    """Every 2-cycle sums to 0, the 3-cycle 0 -> 2 -> 1 -> 0 to -3: only shortest paths see it."""
    V = {0: (0, -1, 1), 1: (1, 0, -1), 2: (-1, 1, 0)}       # V[omega][x], omega revealed by s1
    info = FiniteInformation([0, 1, 2], [F(1, 3)] * 3, [[0, 1, 2], [0]], lambda w, sig: int(sig[0] == w))
    env = FiniteEnvironment(info, [[0], [0]], [0, 1, 2],
                            [lambda o, w, t: V[int(w)][o], lambda o, w, t: 10 * (o == w)])
    v = implementable(env, 1)
    assert v.refuted and len(v.evidence["cycle"]) == 3 and v.evidence["total"] == "-3"
    for step in v.evidence["cycle"]:
        a, b = int(step["type"]["s1"]), int(step["next"]["s1"])
        assert F(step["c"]) == V[a][a] - V[a][b]            # x*(s1 = omega) = omega
    assert finite_checker.recheck(v.certificate).confirmed


def test_grid_negative_cycle_beyond_two():
    c = {(0, 1): F(1), (1, 0): F(-1), (1, 2): F(1), (2, 1): F(-1), (2, 0): F(1), (0, 2): F(-1)}
    cycle = _negative_cycle(3, c)
    assert sorted(cycle) == [0, 1, 2]
    assert sum(c[(cycle[k], cycle[(k + 1) % 3])] for k in range(3)) == -3
    assert _negative_cycle(3, {(0, 1): F(1), (1, 2): F(1), (2, 0): F(-2)}) is None


def _floyd_negative(nodes, c):
    """Whether the complete graph on ``nodes`` with weights c(a, b) has a negative cycle (Floyd-Warshall)."""
    d = {(a, b): (F(0) if a == b else c(a, b)) for a in nodes for b in nodes}
    for k in nodes:
        for a in nodes:
            for b in nodes:
                if d[a, k] + d[k, b] < d[a, b]:
                    d[a, b] = d[a, k] + d[k, b]
    return any(d[a, a] < 0 for a in nodes)


@settings(max_examples=25, deadline=None)
@given(table=st.lists(st.integers(-3, 3), min_size=12, max_size=12), tie=st.booleans())
def test_verdict_agrees_with_floyd_warshall(table, tie):
    """Random utilities u_1(x, omega, theta_1) on 3 outcomes: the verdict is the cyclical-monotonicity test."""
    outcomes = [0, 1, 2]
    u1 = {(o, w, t): F(table[o * 4 + w * 2 + t]) for o in outcomes for w in (0, 1) for t in (0, 1)}
    u2 = {0: 0, 1: 1 if tie else 0, 2: 0}
    env = FiniteEnvironment(FiniteInformation.independent([0, 1], [HALF, HALF], [LAW, {0: {0: 1}, 1: {0: 1}}]),
                            [[0, 1], [0]], outcomes,
                            [lambda o, w, t: u1[(o, int(w), int(t))], lambda o, w, t: u2[o]])
    brute = Brute([0, 1], [HALF, HALF], [LAW, {0: {0: 1}, 1: {0: 1}}], [(0, 1), (0,)], outcomes,
                  [lambda o, w, t: u1[(o, int(w), int(t))], lambda o, w, t: u2[o]])
    nodes = list(itertools.product((0, 1), ("L", "H")))

    def c(a, b):
        sig_a, sig_b = (a[1], 0), (b[1], 0)
        return (brute.v(0, brute.x_star((a[0], 0), sig_a), a[0], sig_a)
                - brute.v(0, brute.x_star((b[0], 0), sig_b), a[0], sig_a))
    v = implementable(env, 1)
    assert v.status == ("refuted" if _floyd_negative(nodes, c) else "proved")
    assert finite_checker.recheck(v.certificate).confirmed


# ---------------------------------------------------------------------------
# data-driven implementability: the LP, both ways
# ---------------------------------------------------------------------------

def test_lp_feasible_with_informative_estimator():
    env, brute = project((0, 1), (0, 1)), project_brute((0, 1), (0, 1))
    noisy = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {0: F(1, 3), 1: F(2, 3)}})
    v = implementable(env, kind="data-driven", estimator=noisy)
    assert v.proved and v.certificate["estimates"] == ["0", "1"]
    # re-verify every constraint here: E[t(b, omega_hat) | s^a] from the posterior and the law
    for entry in v.evidence["transfers"]:
        i = entry["agent"]
        j = 3 - i
        o_th, o_s = F(entry["others"][f"theta{j}"]), entry["others"][f"s{j}"]
        table = {(F(r["type"][f"theta{i}"]), r["type"][f"s{i}"]): [F(t) for t in r["t"]] for r in entry["table"]}

        def profile(a):
            return ((a[0], o_th), (a[1], o_s)) if i == 1 else ((o_th, a[0]), (o_s, a[1]))
        for a, b in itertools.permutations(table, 2):
            (th, sig), (th_b, sig_b) = profile(a), profile(b)
            post = brute.posterior(sig)
            pred = [sum(p * noisy.law[w].get(h, 0) for w, p in zip((0, 1), post)) for h in (0, 1)]
            lhs = sum(pk * (tb - ta) for pk, tb, ta in zip(pred, table[b], table[a]))
            c = brute.v(i - 1, brute.x_star(th, sig), a[0], sig) - brute.v(i - 1, brute.x_star(th_b, sig_b), a[0], sig)
            assert lhs <= c
    assert finite_checker.recheck(json.loads(json.dumps(v.certificate))).confirmed


def test_lp_infeasible_with_uninformative_estimator_farkas():
    env = project((0, 1), (0, 1))
    blind = FiniteEstimator({0: {0: HALF, 1: HALF}, 1: {0: HALF, 1: HALF}})
    v = implementable(env, 1, kind="data-driven", estimator=blind)
    assert v.refuted and v.certificate["kind"] == "farkas"
    cert = json.loads(json.dumps(v.certificate))
    assert finite_checker.recheck(cert).confirmed
    # the Farkas total recomputed from the tables: sum y(a, b) c(a, b)
    vals, alloc = cert["values"], cert["allocation"]
    total = sum(F(y) * (F(vals[a][alloc[a]]) - F(vals[a][alloc[b]])) for a, b, y in cert["multipliers"])
    assert total == F(cert["total"]) < 0
    # corrupted certificates are rejected (a type of the combination valuing its own outcome highly
    # makes the total positive)
    a = cert["multipliers"][0][0]
    for corrupt in (lambda c: c["multipliers"][0].__setitem__(2, str(2 * F(c["multipliers"][0][2]))),
                    lambda c: c["values"][a].__setitem__(alloc[a], "1000"),
                    lambda c: c.__setitem__("total", "-1000"),
                    lambda c: c["predictive"][0].__setitem__(0, "1")):
        bad = copy.deepcopy(cert)
        corrupt(bad)
        assert not finite_checker.recheck(bad).confirmed


def test_lp_certified_by_exact_solves_when_rounding_fails(monkeypatch):
    """With no rounding tried, the exact solve on the LP's active set (or support) must certify."""
    monkeypatch.setattr(implementability, "_DENOMINATORS", ())
    env = project((0, 1), (0, 1))
    noisy = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {0: F(1, 3), 1: F(2, 3)}})
    blind = FiniteEstimator({0: {0: HALF, 1: HALF}, 1: {0: HALF, 1: HALF}})
    assert implementable(env, kind="data-driven", estimator=noisy).proved
    assert implementable(env, kind="data-driven", estimator=blind).refuted


def test_lp_agrees_with_message_driven_when_the_estimate_is_uninformative():
    env = auction()
    blind = FiniteEstimator({0: {0: HALF, 1: HALF}, 1: {0: HALF, 1: HALF}})
    assert implementable(env, kind="data-driven", estimator=blind).proved
    assert implementable(env).proved


def test_corrupted_transfers_and_cycle_certificates_rejected():
    proved = implementable(auction()).certificate
    refuted = implementable(project(), 1).certificate
    cases = [(proved, lambda c: c["blocks"][0]["transfers"][0].__setitem__(0, "100")),
             (proved, lambda c: c.__setitem__("constraints", c["constraints"] + 1)),
             (proved, lambda c: c["blocks"][0]["allocation"].__setitem__(0, 1 - c["blocks"][0]["allocation"][0])),
             (proved, lambda c: c["blocks"][0]["values"][0].__setitem__(0, "0.5")),
             (refuted, lambda c: c["cycle"][0].__setitem__("c", "-9")),
             (refuted, lambda c: c["cycle"][0].__setitem__("value_next", "-9")),
             (refuted, lambda c: c["cycle"].pop()),
             (refuted, lambda c: c.__setitem__("status", "proved"))]
    for cert, corrupt in cases:
        assert finite_checker.recheck(cert).confirmed
        bad = copy.deepcopy(cert)
        corrupt(bad)
        report = finite_checker.recheck(bad)
        assert not report.confirmed and report.problems


def test_unconfirmed_certificate_is_inconclusive(monkeypatch):
    monkeypatch.setattr(finite_checker, "recheck", lambda cert: finite_checker.Report(False, ["rejected"]))
    v = implementable(project(), 1)
    assert v.status == "inconclusive" and "rejected" in v.evidence["reason"] and "witness" not in v.evidence


def test_time_limit_is_inconclusive():
    v = implementable(auction(), budget=1e-9)
    assert v.status == "inconclusive" and v.evidence["reason"] == "time limit"


def test_implementable_inputs():
    env = auction()
    with pytest.raises(ValueError, match="kind must be one of"):
        implementable(env, kind="ex-post")
    with pytest.raises(TypeError, match="needs estimator=FiniteEstimator"):
        implementable(env, kind="data-driven")
    with pytest.raises(ValueError, match="reads no estimate"):
        implementable(env, estimator=FiniteEstimator.ex_post([0, 1]))
    with pytest.raises(ValueError, match="no row for omega=1"):
        implementable(env, kind="data-driven", estimator=FiniteEstimator({0: {0: 1}}))
    with pytest.raises(TypeError, match="env must be"):
        implementable("model")


# ---------------------------------------------------------------------------
# continuous models
# ---------------------------------------------------------------------------

def test_grid_search_finds_example1_cycle():
    env = quadratic_loss(2, GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1))
    # E[omega | s] = (s1 + s2)/3: the types (0, 0) and (2, -9/2) form Example 1's cycle with delta = 1
    v = implementable(env, 1, grid={theta(1): [0, 2], s(1): [0, sp.Rational(-9, 2)]}, at={theta(2): 0, s(2): 0})
    assert v.refuted and F(v.evidence["total"]) <= F(-1, 2)
    assert finite_checker.recheck(v.certificate).confirmed


def test_grid_search_without_cycle_is_inconclusive():
    # private values on the real line: cyclically monotone, so no grid finds a cycle
    env = Environment(GaussianSignals(1, 0, 1, 1), [-(x - theta(1)) ** 2], RealLine())
    v = implementable(env, 1, grid={theta(1): [-1, 0, 1, 2], s(1): [0, 1]})
    assert v.status == "inconclusive" and "a grid proves nothing" in v.evidence["reason"]


def test_grid_inputs():
    env = quadratic_loss(2, GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1))
    with pytest.raises(ValueError, match="grid must map exactly"):
        implementable(env, 1, grid={theta(1): [0]})
    with pytest.raises(ValueError, match="at must give exact values for s2, theta2"):
        implementable(env, 1, grid={theta(1): [0], s(1): [0]})
    with pytest.raises(TypeError, match=r"grid\[theta1\]\[0\]"):
        implementable(env, 1, grid={theta(1): [0.5], s(1): [0]}, at={theta(2): 0, s(2): 0})
    with pytest.raises(TypeError, match="data-driven implementability is decided on a FiniteEnvironment"):
        implementable(env, 1, kind="data-driven")
    with pytest.raises(ValueError, match="pass i"):
        implementable(env, grid={theta(1): [0], s(1): [0]}, at={theta(2): 0, s(2): 0})


def test_example1_two_cycle_derived():
    from symbolic_mech import derive
    d = derive("theorem1")
    checks = {v.id: v for v, _, _ in d.checks}
    for label in ("Gaussian", "wallet"):
        assert checks[f"{label}-two-cycle"].proved and checks[f"{label}-two-cycle-negative"].proved
    # the total recomputed here from the model's values, at a rational point
    env = quadratic_loss(2)
    delta = sp.Rational(1, 3)
    w1 = sp.cancel(sp.diff(env.info.posterior_mean(), s(1)))
    total = two_cycle(env, 1, {theta(1): theta(1), s(1): s(1)},
                      {theta(1): theta(1) + 2 * delta, s(1): s(1) - 3 * delta / (2 * w1)})
    assert sp.cancel(total + delta ** 2 / 2) == 0


def test_two_cycle_matches_grid_values():
    env = quadratic_loss(2, GaussianSignals(2, prior_mean=0, prior_var=1, noise_var=1))
    a, b = {theta(1): 0, s(1): 0}, {theta(1): 2, s(1): sp.Rational(-9, 2)}
    total = two_cycle(env, 1, a, b)
    assert sp.expand(total) == sp.Rational(-1, 2)
    with pytest.raises(ValueError, match="a must map exactly"):
        two_cycle(env, 1, {theta(1): 0}, b)


def test_per_impression_payments_cycle():
    from symbolic_mech.paper.section5 import click_environment
    env = click_environment(BetaBernoulliClicks(2, a=1, b=1, impressions=2))
    grid = {theta(1): [F(k, 4) for k in range(1, 9)], s(1): [0, 1, 2]}
    v = implementable(env, 1, grid=grid, at={theta(2): 1, s(2): 1})
    # theta1 = 1 ties with theta2 = 1 (a common rate): the cycle avoids it, 5/4 * 1/3 against 3/4 * 2/3
    assert v.refuted and v.evidence["total"] == "-1/12" and v.evidence["tied"] is False
    winner = [st_["type"] for st_ in v.certificate["cycle"] if st_["allocation"] == '{"x1": "1", "x2": "0"}']
    assert winner == [{"theta1": "5/4", "s1": "0"}]
    assert not any(st_["tied"] for st_ in v.evidence["cycle"])
    assert finite_checker.recheck(v.certificate).confirmed


def test_grid_outside_the_supports_is_refused():
    from symbolic_mech.paper.section5 import click_environment
    env = click_environment(BetaBernoulliClicks(2, a=1, b=1, impressions=2))
    with pytest.raises(ValueError, match=r"grid\[s1\] has 3, outside"):
        implementable(env, 1, grid={theta(1): [1], s(1): [0, 3]}, at={theta(2): 1, s(2): 1})
    with pytest.raises(ValueError, match="outside"):
        implementable(env, 1, grid={theta(1): [-1, 1], s(1): [0]}, at={theta(2): 1, s(2): 1})


def test_the_main_checker_replays_finite_certificates():
    from symbolic_mech import derive
    from symbolic_mech.core import checker
    d = derive("per-impression")
    for check, _, _ in d.checks:
        assert checker.recheck(check.certificate).confirmed
    bad = json.loads(json.dumps(d.checks[0][0].certificate))
    bad["total"] = "1/6"
    assert not checker.recheck(bad).confirmed


# ---------------------------------------------------------------------------
# the checker recomputes from the model's primitives: fabricated certificates
# ---------------------------------------------------------------------------

NOISY = FiniteEstimator({0: {0: F(2, 3), 1: F(1, 3)}, 1: {0: F(1, 3), 1: F(2, 3)}})


def restated(cert):
    """``cert`` with its statement's text (and claim) rendered again from its fields: a consistent forger."""
    cert["statement"]["text"] = cert["claim"] = implementability.statement_text(cert["statement"])
    for key in ("model", "agents"):
        if key in cert:
            cert[key] = cert["statement"][key]
    return cert


def _rejected(cert):
    report = finite_checker.recheck(json.loads(json.dumps(cert)))
    return not report.confirmed and report.problems


def test_fabricated_certificates_rejected():
    env = project((0, 1), (0, 1))
    md = implementable(env)                      # refuted by a negative cycle
    dd = implementable(env, kind="data-driven", estimator=NOISY)
    assert md.refuted and dd.proved
    assert finite_checker.recheck(md.certificate).confirmed and finite_checker.recheck(dd.certificate).confirmed
    model = md.certificate["model"]
    # a proved message-driven claim with no blocks, or with the model's primitives but no blocks
    empty = {"format": finite_checker.FORMAT, "id": "e", "claim": md.claim, "kind": "transfers",
             "status": "proved", "outcomes": ["0", "1"], "estimates": None, "blocks": [], "constraints": 0,
             "smallest_slack": None, "regret": "0", "witness": None}
    assert _rejected(empty)
    assert _rejected(dict(empty, mechanism="message-driven", agents=[1, 2], model=model,
                          impossible_reports="punished"))
    # a truncated block list
    cut = copy.deepcopy(dd.certificate)
    cut["blocks"] = cut["blocks"][:1]
    n = len(cut["blocks"][0]["types"])
    cut["constraints"] = n * (n - 1)
    assert _rejected(cut)
    # the data-driven table passed off for the message-driven claim, with or without relabelling
    assert _rejected(dict(dd.certificate, claim=md.claim))
    assert _rejected(dict(dd.certificate, claim=md.claim, mechanism="message-driven"))
    assert _rejected(dict(dd.certificate, claim=md.claim, mechanism="message-driven", estimates=None,
                          model=model))
    # a 2-cycle whose two types get the same allocation, with c = -1 tabulated
    fake = copy.deepcopy(md.certificate)
    block = next(b for b in dd.certificate["blocks"] if b["agent"] == fake["agent"] and b["others"] == fake["others"])
    same = [a for a in range(len(block["types"])) if block["allocation"][a] == block["allocation"][0]][:2]
    assert len(same) == 2
    ta, tb = (block["types"][a] for a in same)
    x = md.certificate["model"]["outcomes"][block["allocation"][0]]
    fake["cycle"] = [{"type": ta, "next": tb, "c": "-1", "value_own": "0", "value_next": "1",
                      "allocation": x, "next_allocation": x},
                     {"type": tb, "next": ta, "c": "0", "value_own": "5", "value_next": "5",
                      "allocation": x, "next_allocation": x}]
    fake["total"] = "-1"
    assert _rejected(fake)
    # the same cycle presented as a grid cycle of a continuous model
    grid = {k: v for k, v in fake.items() if k not in ("model",)}
    assert _rejected(dict(grid, model=None, grid={}))
    # a tampered utility changes what the checker computes: the tabulated values no longer agree
    bad = copy.deepcopy(dd.certificate)
    bad["model"]["utilities"][0][1][0][0] = "100"
    assert _rejected(bad)
    # a witness-free refutation of every mechanism by one transfer table
    r = exact_regret(env, lambda i, th, sig: 0)
    assert r.refuted and _rejected(dict(r.certificate, claim=md.claim))


def test_regret_counts_reports_with_impossible_profiles():
    """s1 = s2 = omega: a rule paying for disagreeing signals is not truthful, though x* ignores them."""
    info = FiniteInformation([0, 1], [HALF, HALF], [[0, 1], [0, 1]], {0: {(0, 0): 1}, 1: {(1, 1): 1}})
    env = FiniteEnvironment(info, [[0], [0]], ["A", "B"], [lambda o, w, t: 0, lambda o, w, t: 0])
    v = exact_regret(env, lambda i, th, sig: 100 if sig[0] != sig[1] else 0)
    assert v.status in ("refuted", "inconclusive") and v.status == "refuted"
    assert v.evidence["witness"]["gain"] == 100 and "impossible" in v.evidence["witness"]["note"]
    assert finite_checker.recheck(json.loads(json.dumps(v.certificate))).confirmed
    # agent 1's payments at disagreeing signals lowered to 0, the text re-rendered: her gain is gone
    bad = copy.deepcopy(v.certificate)
    rule = bad["statement"]["mechanism"]["transfer_rule"]["tables"][0]["t"]
    assert rule == [["0"], ["100"], ["100"], ["0"]]     # profiles (s1, s2) = (0, 0), (0, 1), (1, 0), (1, 1)
    rule[1] = rule[2] = ["0"]
    assert _rejected(restated(bad))
    # the value at an impossible report is unspecified: a gain only at the best outcome is inconclusive
    env2 = FiniteEnvironment(info, [[0], [0]], ["A", "B"], [lambda o, w, t: 3 * (o == "B"), lambda o, w, t: 0])
    v2 = exact_regret(env2, lambda i, th, sig: 1 if sig[0] != sig[1] else 0, i=1)
    assert v2.status == "inconclusive" and "impossible" in v2.evidence["reason"]
    # a rule punishing such reports is proved, and the certificate lists them as constraints
    v3 = exact_regret(env, lambda i, th, sig: -1 if sig[0] != sig[1] else 0)
    assert v3.proved and v3.evidence["constraints"] == 4
    assert finite_checker.recheck(v3.certificate).confirmed
    assert "impossible" in v3.claim


def test_claims_name_the_tie_breaking_rule():
    assert "ties to the first listed outcome" in implementable(project(), 1).claim
    assert "ties to the first listed outcome" in exact_regret(auction(), lambda i, th, sig: 0).claim
    v = implementable(project(), 1)
    assert isinstance(v.evidence["tied"], bool) and all("tied" in st_ for st_ in v.evidence["cycle"])


def test_stated_words_describe_and_the_statement_claims():
    from symbolic_mech.finite import FiniteEnvironment, FiniteInformation
    info = FiniteInformation([0], [1], [[0], [0]], lambda w, s: 1)
    env = FiniteEnvironment(info, [[1, 2], [1, 2]], [1, 2],
                            [lambda o, w, t: t * (o == 1), lambda o, w, t: t * (o == 2)])
    v = implementable(env, claim="one object, private values: the pivot exists")
    assert v.status == "proved" and v.evidence["description"] == "one object, private values: the pivot exists"
    # the verdict claims its statement, whose text is rendered from the fields, never the stated words
    st = v.certificate["statement"]
    assert v.claim == v.certificate["claim"] == st["text"] == implementability.statement_text(st)
    assert st["text"].startswith("some message-driven mechanism implements $x^*$ for every agent")
    with pytest.raises(TypeError, match="claim"):
        implementable(env, claim=3)
