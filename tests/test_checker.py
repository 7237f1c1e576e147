"""The independent checker: genuine certificates are confirmed, corrupted ones rejected with their cause.

The checker and the tree writer are loaded by file path, not through the
package, so these tests exercise them without the kernel (the checker must
not depend on it).
"""
import ast
import importlib.util
import json
import sys
import types
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

CORE = Path(__file__).resolve().parents[1] / "symbolic_mech" / "core"


def _module(name):
    # the core as a package of its own, without symbolic_mech/__init__ (the engine)
    if "_standalone_core" not in sys.modules:
        package = types.ModuleType("_standalone_core")
        package.__path__ = [str(CORE)]
        sys.modules["_standalone_core"] = package
    return importlib.import_module(f"_standalone_core.{name}")


checker, trees = _module("checker"), _module("trees")
# these certificates carry their residual, domains and definitions: the evidence replay's input
# (test_statements.py binds certificates to statements)
recheck, domain, to_tree, from_point = checker.replay, checker.domain, trees.to_tree, trees.from_point

a, b = sp.symbols("a b", real=True)
x = sp.Symbol("x", positive=True)
REAL, POSITIVE = domain(), domain(0, None)


def make(expr, kind="identity", status="proved", points=(), domains=None, **extra):
    """A certificate as the kernel writes one."""
    cert = {"format": checker.FORMAT, "id": "c", "claim": "test", "kind": kind, "status": status,
            "expr": expr if isinstance(expr, list) else to_tree(sp.sympify(expr)),
            "definitions": [], "domains": domains if domains is not None else {"a": REAL, "b": REAL},
            "points": [p if all(isinstance(k, str) for k in p) else from_point(p) for p in points],
            "symbolic": {"form": None} if status == "proved" and kind == "identity" else None,
            "witness": None, "monte_carlo": [], "at_points_only": False, "decisions": {"constant": False}}
    if extra.get("at_points_only"):
        cert["claim"] = "test at the points given"
    cert.update(extra)
    return cert


def grid(n=20, syms=(a, b)):
    """n distinct exact points (nonzero, positive for x)."""
    return [{s: sp.Rational(k + j + 1, j + 3) for j, s in enumerate(syms)} for k in range(n)]


def rejected(cert, *words, **kw):
    """Assert the certificate is rejected and some problem names each word; return the report."""
    report = recheck(cert, **kw)
    assert not report.confirmed, report
    for word in words:
        assert any(word in p for p in report.problems), (word, report.problems)
    assert all(p.startswith(f"{cert.get('id', '<no id>') if isinstance(cert, dict) else '<no id>'}: ")
               for p in report.problems)
    return report


def confirmed(cert, **kw):
    report = recheck(cert, **kw)
    assert report.confirmed, report.problems
    return report


# ---------------------------------------------------------------------------
# proved identities
# ---------------------------------------------------------------------------

def test_polynomial_identity_confirmed():
    r = confirmed(make((a + b) ** 2 - (a ** 2 + 2 * a * b + b ** 2), points=grid()))
    assert any("20 points exactly zero" in n for n in r.notes)


def test_rational_function_identity_confirmed():
    residual = a / (a ** 2 + 1) + sp.Rational(1, 3) - (a ** 2 + 3 * a + 1) / (3 * (a ** 2 + 1))
    confirmed(make(residual, points=grid()))


def test_trig_and_exponential_identities_confirmed():
    s2, c2 = to_tree(sp.sin(a) ** 2), to_tree(sp.cos(a) ** 2)
    r = confirmed(make(["Add", s2, c2, ["Integer", "-1"]], points=grid()))
    assert r.ball_points == 0              # each point decided by the relation at the point
    confirmed(make(sp.exp(a + b) - sp.exp(a) * sp.exp(b), points=grid()))
    half = ["Pow", ["exp", ["Mul", ["Rational", "1", "2"], ["Symbol", "a"]]], ["Integer", "2"]]
    confirmed(make(["Add", half, ["Mul", ["Integer", "-1"], ["exp", ["Symbol", "a"]]]], points=grid()))
    e_times = ["Add", ["exp", ["Add", ["Symbol", "a"], ["Integer", "1"]]],
               ["Mul", ["Integer", "-1"], ["E"], ["exp", ["Symbol", "a"]]]]
    confirmed(make(e_times, points=grid()))


def test_root_identity_confirmed():
    root = ["Pow", ["Symbol", "x"], ["Rational", "1", "2"]]
    residual = ["Add", ["Pow", root, ["Integer", "3"]],
                ["Mul", ["Integer", "-1"], ["Symbol", "x"], root]]
    confirmed(make(residual, points=grid(syms=(x,)), domains={"x": POSITIVE}))


def test_definitions_substituted_when_atoms_opaque_fail():
    m = sp.Function("E[omega|1,2]")(a)
    cert = make(m * (1 + a ** 2) - a, points=grid(),
                definitions=[{"atom": to_tree(m), "formula": to_tree(a / (1 + a ** 2))}])
    r = confirmed(cert)
    assert any("definitions substituted" in n for n in r.notes)
    cert["definitions"][0]["formula"] = to_tree(a / (2 + a ** 2))
    rejected(cert, "not zero as a rational function", "points[0]: the residual is not 0")


def test_opaque_function_cancels_at_points():
    h = sp.Function("h")
    confirmed(make(h(b) * (a + 1) - h(b) * a - h(b), points=grid()))


def test_piecewise_max_min_zero_on_every_branch():
    f = a - b
    residual = -sp.Piecewise((-a * b, f >= 0), (0, True)) + sp.Piecewise((0, f < 0), (-a * b, True))
    confirmed(make(residual, points=grid()))
    confirmed(make(sp.Max(a, b) - sp.Piecewise((a, a >= b), (b, True)), points=grid()))
    rejected(make(sp.Max(a, b) - a, points=[{a: k + 3, b: k} for k in range(20)]), "not zero")


def test_logarithms_combine_only_for_positive_arguments():
    y = sp.Symbol("y", positive=True)
    residual = ["Add", ["log", to_tree(x * y)], ["Mul", ["Integer", "-1"], ["log", ["Symbol", "x"]]],
                ["Mul", ["Integer", "-1"], ["log", ["Symbol", "y"]]]]
    confirmed(make(residual, points=grid(syms=(x, y)), domains={"x": POSITIVE, "y": POSITIVE}))
    rejected(make(residual, points=grid(syms=(x, y)), domains={"x": REAL, "y": REAL}),
             "not zero as a rational function")


def test_constant_identity_one_decision():
    const = ["Add", ["Mul", ["exp", ["Integer", "2"]], ["exp", ["Integer", "3"]]],
             ["Mul", ["Integer", "-1"], ["exp", ["Integer", "5"]]]]
    r = confirmed(make(const, domains={}, decisions={"constant": True}))
    assert any("constant residual" in n for n in r.notes)
    confirmed(make(["Add", ["Rational", "1", "2"], ["Rational", "-1", "2"]], domains={},
                   decisions={"constant": True}))
    rejected(make(["Add", ["pi"], ["Integer", "-3"]], domains={}, decisions={"constant": True}),
             "constant residual is not shown to be 0")
    rejected(make(a - a + b, decisions={"constant": True}), "free symbols ['b']")


def test_identity_needs_symbolic_zero_and_exact_points():
    rejected(make(a - b, points=[{a: k, b: k} for k in range(1, 21)]), "not zero as a rational function")
    rejected(make(a - a, points=grid(), symbolic=None), "without a symbolic decision")
    log_exp = ["Add", ["log", ["exp", ["Symbol", "a"]]], ["Mul", ["Integer", "-1"], ["Symbol", "a"]]]
    r = rejected(make(log_exp, points=grid()), "every point is only shown by a ball")
    assert r.ball_points == 20 and any("ball contains 0 at 4096 bits" in n for n in r.notes)


def test_too_few_and_duplicated_points():
    residual = (a + b) ** 2 - (a ** 2 + 2 * a * b + b ** 2)
    rejected(make(residual, points=grid(19)), "only 19 distinct points; 20 are needed")
    pts = grid(20)
    pts[7] = pts[3]
    rejected(make(residual, points=pts), "points[7] duplicates points[3]", "only 19 distinct")


def test_point_outside_domain_and_undefined_point():
    pts = grid(syms=(x,))
    pts[4] = {x: sp.Rational(-1, 2)}
    rejected(make(x - x, points=pts, domains={"x": POSITIVE}),
             "points[4]: x = -1/2 is outside its domain (below the lower end 0 (open))")
    pts = grid()
    pts[2] = {a: 1, b: 5}
    rejected(make(["Mul", to_tree(a - 1), ["Pow", to_tree(a - 1), ["Integer", "-1"]], ["Integer", "0"]],
                  points=pts), "points[2]: the residual is undefined there (division by zero")


def test_integer_parity_and_prime_domains():
    k = {"k": domain(integer=True, primality="prime")}
    rejected(make(["Add", ["Symbol", "k"], ["Mul", ["Integer", "-1"], ["Symbol", "k"]]], domains=k,
                  points=[{"k": str(n)} for n in (2, 3, 5, 7, 9)] + [{"k": str(p)} for p in sp.primerange(11, 80)]),
             "k = 9 is outside its domain (not prime)")
    odd = {"k": domain(integer=True, parity="odd")}
    rejected(make(["Symbol", "k"], "sign", status="proved", sign="positive", at_points_only=True, domains=odd,
                  points=[{"k": "5/2"}, {"k": "4"}]), "k = 5/2 is outside its domain (not an integer)",
             "k = 4 is outside its domain (not odd)")


# ---------------------------------------------------------------------------
# proved signs
# ---------------------------------------------------------------------------

SEVENTHS = [{x: sp.Rational(k, 7)} for k in range(8, 27)]      # 19 points, none at x = 1


def sign_cert(expr, form=None, sign="positive", points=None, domains=None, **extra):
    return make(expr, "sign", "proved", points=grid(syms=(x,)) if points is None else points,
                domains=domains or {"x": POSITIVE}, sign=sign,
                symbolic=None if form is None else {"form": to_tree(form)}, **extra)


def test_sign_confirmed_by_form_and_points():
    confirmed(sign_cert(x ** 2 + 1, x ** 2 + 1))
    confirmed(sign_cert(x + 1 / x - 2, (x - 1) ** 2 / x, "nonnegative", points=[{x: 1}] + SEVENTHS))
    confirmed(sign_cert(sp.Abs(a) + sp.exp(a), sp.Abs(a) + sp.exp(a), points=grid(syms=(a,)),
                        domains={"a": REAL}))


def test_sign_rejections():
    rejected(sign_cert(x - 1, x - 1), "not shown positive by the sign rules", "points[0]: expr is negative")
    rejected(sign_cert(x ** 2 + 1, x ** 2 + 2), "symbolic.form - expr is not zero")
    rejected(sign_cert(x ** 2 + 1), "without a symbolic form")
    rejected(sign_cert(x ** 2 + 1, x ** 2 + 1, points=grid(5, (x,))), "only 5 distinct points")
    rejected(sign_cert((x - 1) ** 2, (x - 1) ** 2, points=[{x: 1}] + SEVENTHS),
             "points[0]: expr is zero there (exact), not positive")


def test_sign_at_points_only():
    cert = sign_cert(a - 1, points=[{a: 2}, {a: 3}, {a: 3}], domains={"a": REAL}, at_points_only=True)
    # a claim about finitely many points must say so
    rejected(dict(cert, claim="a - 1 > 0"), "the claim does not say it is about the points given")
    r = confirmed(cert)
    assert any("duplicates" in n for n in r.notes)
    cert["points"].append({"a": "1/2"})
    rejected(cert, "points[3]: expr is negative there (exact)")
    rejected(sign_cert(a, points=[], domains={"a": REAL}, at_points_only=True), "only 0 distinct points")
    transcendental = sign_cert(sp.exp(a) - 2, points=[{a: 1}], domains={"a": REAL}, at_points_only=True,
                               claim="exp(a) - 2 > 0 at the 1 point given")
    confirmed(transcendental)


def test_undecidable_piecewise_condition_is_a_problem():
    cond = sp.Eq(sp.sin(a) ** 2 + sp.cos(a) ** 2, 1, evaluate=False)
    expr = ["Piecewise", [["Integer", "1"], trees._condition(cond)], [["Integer", "-1"], ["true"]]]
    rejected(sign_cert(expr, points=[{a: 1}], domains={"a": REAL}, at_points_only=True),
             "the sign is not decided (a Piecewise condition Eq is not decided")
    decided = ["Piecewise", [["Integer", "1"], ["Gt", ["Symbol", "a"], ["pi"]]], [["Integer", "2"], ["true"]]]
    confirmed(sign_cert(decided, points=[{a: 1}, {a: 4}], domains={"a": REAL}, at_points_only=True))


def test_huge_powers_and_numbers_go_to_balls():
    big = sign_cert(["Add", ["Pow", ["Symbol", "x"], ["Integer", "1000000"]], ["Integer", "-1"]],
                    points=[{x: 2}, {x: sp.Rational(3, 2)}], at_points_only=True)
    confirmed(big)
    digits = "7" * 5000
    confirmed(sign_cert(["Add", ["Symbol", "x"], ["Integer", digits]], points=[{"x": "-" + "7" * 4999}],
                        at_points_only=True, domains={"x": REAL}))


# ---------------------------------------------------------------------------
# refutations
# ---------------------------------------------------------------------------

def refuted_identity(**witness):
    w = {"point": {"a": "1", "b": "2"}, "gap": "4", "sign": 1}
    w.update(witness)
    return make((a + b) ** 2 - (a ** 2 + b ** 2), status="refuted", witness=w)


def test_refuted_identity_confirmed_and_corruptions_rejected():
    confirmed(refuted_identity())
    rejected(refuted_identity(point={"a": "1", "b": "3"}), "witness.gap is 4, but the gap recomputed at the point is 6")
    rejected(refuted_identity(gap="5"), "witness.gap is 5, but the gap recomputed")
    rejected(refuted_identity(sign=-1), "witness.sign is -1 but the recomputed gap has sign 1")
    rejected(refuted_identity(point={"a": "0", "b": "2"}, gap="0", sign=0), "the gap is zero",
             "which does not refute the claim")
    rejected(refuted_identity(point={"a": "1"}), "leaves the free symbols ['b'] without a value")
    outside = refuted_identity()
    outside["domains"]["a"] = domain(2, 5)
    rejected(outside, "witness.point: a = 1 is outside its domain (below the lower end 2 (open))")
    rejected(refuted_identity(point={"a": "1", "b": "2", "c": "0"}), "'c' has no domain")


def test_flipped_status_rejected():
    flipped = refuted_identity()
    flipped["status"] = "proved"
    rejected(flipped, "status is proved but the certificate carries a witness")
    proved = make((a + b) ** 2 - (a ** 2 + 2 * a * b + b ** 2), points=grid())
    proved["status"] = "refuted"
    rejected(proved, "status is refuted but the certificate carries no witness")
    unsure = refuted_identity()
    unsure["status"] = "inconclusive"
    rejected(unsure, "inconclusive but the certificate carries a witness")


def test_refuted_signs():
    w = {"point": {"x": "1"}, "gap": to_tree(sp.E - 3), "sign": -1}
    cert = make(sp.exp(x) - 3, "sign", "refuted", domains={"x": POSITIVE}, sign="nonnegative", witness=w)
    r = confirmed(cert)
    assert any("agree as balls" in n for n in r.notes)
    cert["witness"]["gap"] = to_tree(sp.E - 4)
    rejected(cert, "witness.gap differs from the gap recomputed")
    cert["witness"]["gap"] = None
    assert any("no recorded gap" in n for n in confirmed(cert).notes)
    cert["witness"]["point"] = {"x": "2"}
    rejected(cert, "the gap is positive", "witness.sign is -1 but the recomputed gap has sign 1")
    zero = {"point": {"x": "1"}, "gap": "0", "sign": 0}
    confirmed(make(x - 1, "sign", "refuted", domains={"x": POSITIVE}, sign="positive", witness=zero))
    rejected(make(x - 1, "sign", "refuted", domains={"x": POSITIVE}, sign="nonnegative", witness=zero),
             "the gap is zero (exact), which does not refute the claim")


def test_inconclusive_is_wellformedness_only():
    r = confirmed(make(a - b, status="inconclusive", points=grid(3)))
    assert any("nothing to confirm" in n for n in r.notes)
    rejected(make(a - b, status="inconclusive", points=[{"a": "1"}]), "leaves the free symbols ['b']")


# ---------------------------------------------------------------------------
# hostile or malformed input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("tree, cause", [
    (["__import__", "os"], "node '__import__' is not allowed"),
    (["Add", "x", ["Integer", "1"]], "expr[1]: 'x' is not a node"),
    (["Float", "0.1"], "node 'Float' is not allowed"),
    (["Mul", ["Integer", "2"], 0.5], "expr[2]: 0.5 is not a node"),
    (["Integer", "1e5"], "malformed Integer"),
    (["Integer", " 5"], "malformed Integer"),
    (["Integer", "+5"], "malformed Integer"),
    (["Integer", "1_000"], "malformed Integer"),
    (["Integer", 5], "malformed Integer"),
    (["Rational", "1", "0"], "malformed Rational"),
    (["Rational", "1", "-2"], "malformed Rational"),
    (["Symbol"], "Symbol needs a name"),
    (["I"], "node 'I' is not allowed"),
    (["gamma", ["Symbol", "a"]], "node 'gamma' is not allowed"),
    (["Pow", ["Symbol", "a"]], "Pow takes 2 arguments, got 1"),
    (["Piecewise", [["Integer", "1"], ["Integer", "1"]]], "node 'Integer' is not allowed as a condition"),
    (["Lt", ["Symbol", "a"], ["Integer", "1"]], "node 'Lt' is not allowed as an expression"),
])
def test_forbidden_trees_rejected(tree, cause):
    rejected(make(tree, points=grid()), cause)


@pytest.mark.parametrize("value, cause", [
    (0.5, "a float (0.5), not a rational string"),
    ("0.5", "'0.5' is not a rational string"),
    ("1e5", "'1e5' is not a rational string"),
    (" 1", "' 1' is not a rational string"),
    ("1/0", "has a zero denominator"),
    ("١", "is not a rational string"),     # a non-ASCII digit
])
def test_bad_point_values_rejected(value, cause):
    pts = [from_point(p) for p in grid()]
    pts[0]["a"] = value
    rejected(make(a - a, points=pts), "points[0]: a", cause)


def test_malformed_certificates_never_raise():
    for bad in (None, [], "text", 3, {}, {"format": "other/1", "id": "c"}):
        assert not recheck(bad).confirmed
    rejected(dict(make(a - a, points=grid()), format="symbolic_mech-certificate/2"), "format is")
    rejected(dict(make(a - a, points=grid()), status="maybe"), "unknown status 'maybe'")
    rejected(dict(make(a - a, points=grid()), kind="sign"), "a sign claim needs sign")
    rejected(dict(make(a - a, points=grid()), domains={"a": {"lo": None}, "b": REAL}), "domains['a'] must have")
    rejected(make(a - a, points=grid(), domains={"a": REAL}), "'b' has no domain")
    deep = ["Integer", "1"]
    for _ in range(1000):
        deep = ["Add", deep]
    rejected(make(deep, points=grid()), "nested deeper than 200")
    wide = ["Add"] + [["Integer", "1"]] * 200_001
    rejected(make(wide, points=grid()), "more than 200000 nodes")
    m = sp.Function("m")
    cyclic = make(m(a) - a, points=grid(), definitions=[{"atom": to_tree(m(a)), "formula": to_tree(m(a) + 1)}])
    rejected(cyclic, "definitions are cyclic")
    defined = make(m(a) - a, points=grid(), definitions=[{"atom": to_tree(a), "formula": to_tree(b)}])
    rejected(defined, "'a' has a definition and cannot be given a value")


TRUST_ROOT = ("checker", "posteriors", "simulate", "envelope", "finite_checker", "schematic_checker")


@pytest.mark.parametrize("name", TRUST_ROOT)
def test_checker_is_independent(name):
    """The trust root imports only the standard library, flint (numpy lazily) and its own modules;
    nothing from the engine; no text evaluated."""
    tree = ast.parse((CORE / f"{name}.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    relative = {(node.module or "").split(".")[0] or node.names[0].name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level}
    assert relative <= set(TRUST_ROOT), relative
    assert imported <= {"__future__", "contextlib", "hashlib", "itertools", "json", "math", "numbers", "operator", "random",
                        "re", "signal", "sys", "threading", "time", "dataclasses", "fractions", "typing", "flint",
                        "numpy"}, imported
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call)
              and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "sympify", "parse_expr", "simplify", "__import__"}


# ---------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------

def sampler(point, rng):
    return rng.normal(float(point["a"]) ** 2, 1.0, 20_000)


def weighted_sampler(point, rng):
    """a^2 by importance sampling: draws from N(0, 2^2) weighted toward N(a^2, 1)."""
    draws = rng.normal(0.0, 2.0, 60_000) + float(point["a"]) ** 2
    return draws, np.exp(-(draws - float(point["a"]) ** 2) ** 2 * (1 / 2 - 1 / 8))


def mc_entry(point, seed, exact=None, draw=sampler, **over):
    out = draw({"a": Fraction(str(point[a])), "b": Fraction(str(point[b]))}, np.random.default_rng(seed))
    draws, w = out if isinstance(out, tuple) else (out, np.ones(out.size))
    # the statistics written out here, independently of the kernel's and the checker's code
    est = float(np.sum(w * draws) / np.sum(w))
    se = float(np.sqrt(np.sum(w ** 2 * (draws - est) ** 2)) / np.sum(w))
    mean_abs = float(np.sum(w * np.abs(draws)) / np.sum(w))
    ess = float(np.sum(w) ** 2 / np.sum(w ** 2))
    exact_f = float(point[a]) ** 2
    entry = {"point": from_point(point), "estimate": est, "se": se,
             "exact": to_tree(point[a] ** 2) if exact is None else exact, "mean_abs": mean_abs,
             "ess": ess, "samples": draws.size, "seed": seed, "agrees": abs(est - exact_f) <= 5 * se,
             "informative": 0 < se <= 0.01 * max(abs(exact_f), mean_abs) and ess >= 10_000}
    entry.update(over)
    return entry


def mc_cert(entries):
    return make((a + b) ** 2 - (a ** 2 + 2 * a * b + b ** 2), points=grid(), monte_carlo=entries)


def test_monte_carlo_confirmed_and_replayed():
    pts = grid()[5:8]
    entries = [mc_entry({a: p[a], b: p[b]}, 100 + k) for k, p in enumerate(pts)]
    r = confirmed(mc_cert(entries))
    assert any("sampler not replayed" in n for n in r.notes)
    confirmed(mc_cert(entries), samplers={"c": lambda p, rng: sampler(p, rng)})
    entries[1]["exact"] = str(sp.Rational(pts[1][a]) ** 2)     # an exact value as a rational string
    confirmed(mc_cert(entries))


def test_monte_carlo_corruptions_rejected():
    pts = grid()[5:8]
    good = [mc_entry({a: p[a], b: p[b]}, 100 + k) for k, p in enumerate(pts)]
    bad = [dict(e) for e in good]
    bad[0]["estimate"] += 1e-6
    rejected(mc_cert(bad), "monte_carlo[0]: replayed estimate", samplers={"c": sampler})
    bad = [dict(e) for e in good]
    bad[2]["seed"] = 7
    rejected(mc_cert(bad), "monte_carlo[2]: replayed estimate", samplers={"c": sampler})
    bad = [dict(e) for e in good]
    bad[1]["informative"] = False
    rejected(mc_cert(bad), "monte_carlo[1]: informative is recorded False but the rule gives True")
    bad = [dict(e) for e in good]
    bad[1]["estimate"] += 1.0
    rejected(mc_cert(bad), "monte_carlo[1]: agrees is recorded True but the rule gives False")
    rejected(mc_cert(good[:2]), "Monte Carlo at 2 distinct points; 3 are needed")
    rejected(mc_cert([good[0], good[0], good[1]]), "Monte Carlo at 2 distinct points")
    bad = [dict(e) for e in good]
    bad[0]["samples"], bad[0]["ess"] = 500, 500.0
    rejected(mc_cert(bad), "monte_carlo[0]: effective sample size 500; at least 10000",
             "sampler failed on replay", samplers={"c": sampler})
    bad = [dict(e) for e in good]
    bad[0]["ess"] = 30_000.0
    rejected(mc_cert(bad), "0 < ess <= samples")
    bad = [dict(e) for e in good]
    bad[0]["se"] = float("nan")
    rejected(mc_cert(bad), "must be finite")
    rejected(mc_cert(good), "all equal", samplers={"c": lambda p, rng: np.ones(20_000)})


def test_weighted_monte_carlo_replayed_and_corruptions_rejected():
    pts = grid()[5:8]
    good = [mc_entry({a: p[a], b: p[b]}, 200 + k, draw=weighted_sampler) for k, p in enumerate(pts)]
    assert all(e["informative"] and e["agrees"] and e["ess"] < e["samples"] for e in good)
    confirmed(mc_cert(good), samplers={"c": weighted_sampler})
    bad = [dict(e) for e in good]
    bad[1]["ess"] *= 1.01
    rejected(mc_cert(bad), "monte_carlo[1]: replayed ess", samplers={"c": weighted_sampler})
    # the same draws with equal weights give other statistics: the weights are replayed too
    unweighted = lambda p, rng: weighted_sampler(p, rng)[0]
    rejected(mc_cert(good), "monte_carlo[0]: replayed", samplers={"c": unweighted})
    negative = lambda p, rng: (lambda d, w: (d, -w))(*weighted_sampler(p, rng))
    rejected(mc_cert(good), "weights negative", samplers={"c": negative})


# ---------------------------------------------------------------------------
# files and the tree writer
# ---------------------------------------------------------------------------

def test_load_collects_nested_certificates(tmp_path):
    one = make((a + b) ** 2 - (a ** 2 + 2 * a * b + b ** 2), points=grid())
    two = refuted_identity()
    doc = {"results": [{"id": "r1", "certificate": one, "checks": [{"certificate": None}]},
                       {"nested": {"certificates": [two, dict(two, id="c3")]}}]}
    path = tmp_path / "certs.json"
    path.write_text(json.dumps(doc))
    certs = checker.load(path)
    assert len(certs) == 3 and all(checker.replay(c).confirmed for c in certs)
    path.write_text(json.dumps([one, two]))
    assert len(checker.load(path)) == 2
    path.write_text(json.dumps(one))
    assert checker.load(path) == [one]
    path.write_text("{not json")
    with pytest.raises(ValueError, match="cannot read certificates"):
        checker.load(path)


def test_to_tree_whitelist_and_from_point():
    assert to_tree(sp.Rational(-3, 7)) == ["Rational", "-3", "7"]
    assert to_tree(sp.Max(a, 1)) == ["Max", ["Integer", "1"], ["Symbol", "a"]]
    assert to_tree(sp.Integer(10) ** 5000)[1] == "1" + "0" * 5000
    for bad, word in ((sp.Float(0.1) * a, "Float"), (sp.gamma(a), "gamma"),
                      (sp.oo, "Infinity"), (sp.Piecewise((a, a > 0), (sp.floor(a), True)), "floor")):
        with pytest.raises(TypeError, match=word):
            to_tree(bad)
    assert from_point({a: sp.Rational(6, 4), b: -2}) == {"a": "3/2", "b": "-2"}
    with pytest.raises(TypeError, match="exact rational"):
        from_point({a: 0.5})
    with pytest.raises(ValueError, match="two symbols are named 'a'"):
        from_point({a: 1, sp.Symbol("a", positive=True): 2})
    with pytest.raises(TypeError, match="keys must be sympy Symbols"):
        from_point({"a": 1})


def test_complex_witnesses_are_outside_the_reals():
    """The checker works over the reals: a gap off the real line (kernel sign 2) is not confirmed."""
    w = {"point": {"a": "-1", "b": "-1"}, "gap": ["Mul", ["Integer", "-2"], ["I"], ["pi"]], "sign": 2}
    log_ab = to_tree(sp.log(a * b) - sp.log(a) - sp.log(b))
    rejected(make(log_ab, status="refuted", witness=w), "node 'I' is not allowed")
    w["gap"] = None
    rejected(make(log_ab, status="refuted", witness=w), "witness.sign 2 (a value off the real line)")
    w["sign"] = 1
    rejected(make(log_ab, status="refuted", witness=w), "not evaluated at the witness point (log of -1)")


def test_a_replay_runs_under_a_time_budget():
    import sympy as sp
    from symbolic_mech import check_identity
    x = sp.Symbol("x")
    cert = check_identity((x + 1) ** 2, x ** 2 + 2 * x + 1).certificate
    assert checker.recheck(cert).confirmed
    late = checker.recheck(cert, seconds=1e-6)
    assert not late.confirmed and "time budget" in late.problems[0]
    with pytest.raises(ValueError, match="seconds"):
        checker.recheck(cert, seconds=0)


def test_a_shared_subtree_is_read_once_with_the_limits_of_its_copies():
    """A list the writer shares is one node to the checker; its JSON copy (which shares nothing)
    gets the same verdict, and the depth and node limits hold at every place it stands."""
    cube = to_tree(sp.expand((a + b) ** 3))
    zero = make(["Add", cube, ["Mul", ["Integer", "-1"], cube]], points=grid())
    assert recheck(zero).confirmed and recheck(json.loads(json.dumps(zero))).confirmed
    deep = ["Integer", "1"]
    for _ in range(150):
        deep = ["Add", deep]
    outer = deep
    for _ in range(60):
        outer = ["Add", outer]
    nested = ["Add", deep, outer]         # fine where it first stands, 210 deep at the second place
    rejected(make(nested, points=grid()), "nested deeper than 200")
    rejected(make(json.loads(json.dumps(nested)), points=grid()), "nested deeper than 200")
