"""Every acceptance rule of the schematic checker is pinned by a test that kills its weakening.

As in tests/test_checker_rules.py: each row of :data:`MUTANTS` names a rule, a piece of
``symbolic_mech/core/schematic_checker.py`` (the OLD text, occurring exactly once) and a
weakened replacement.  Its pin must pass against the checker as it is and fail (raise
:class:`RuleBroken`) against the source with that one replacement, executed as a fresh module
(never written to disk).  Most pins forge a certificate of a false or unstated claim from the
engine's own sound steps (a rule the statement does not grant, a remainder that is not the
replayed one, a status the remainder does not support) that only the rule under test rejects.
"""
import copy
import json
import sys
import types
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Callable

import pytest

from symbolic_mech.core import checker, schematic_checker as sc
from symbolic_mech.schematic import schematic_check, statement

SOURCE_PATH = Path(sc.__file__)
_serial = count()


class RuleBroken(AssertionError):
    """The rule a pin is about did not hold."""


def load(source: str):
    name = f"symbolic_mech.core._schematic_rules_{next(_serial)}"
    mod = types.ModuleType(name)
    mod.__package__ = "symbolic_mech.core"
    mod.__file__ = str(SOURCE_PATH)
    sys.modules[name] = mod         # dataclasses look their module up while the class is made
    try:
        exec(compile(source, str(SOURCE_PATH), "exec"), mod.__dict__)
    finally:
        del sys.modules[name]
    return mod


EX_POST = statement("data-driven-vcg", "ex-post", "any")
UNBIASED_AFFINE = statement("data-driven-vcg", "unbiased", "affine")
BIASED_AFFINE = statement("data-driven-vcg", "biased", "affine")
JENSEN = statement("data-driven-vcg", "unbiased", "any")


def sound(st, id="c"):
    """The engine's certificate of ``st`` (confirmed by the checker as it is)."""
    cert = schematic_check(st, id=id).certificate
    assert sc.recheck(cert).confirmed
    return json.loads(json.dumps(cert))


def relabel(cert, st):
    """The certificate's steps and remainder under another statement (its text rendered)."""
    out = copy.deepcopy(cert)
    out["statement"], out["claim"] = st, st["text"]
    return out


def rejected(ck, cert, *words):
    report = ck.recheck(cert)
    if report.confirmed:
        raise RuleBroken("confirmed")
    for word in words:
        if not any(word in p for p in report.problems):
            raise RuleBroken(f"no problem names {word!r}: {report.problems}")


# ---------------------------------------------------------------------------
# pins
# ---------------------------------------------------------------------------

def pin_unbiased_not_granted_when_biased(ck):
    """The unbiased proof relabelled as a proof for a biased estimator."""
    rejected(ck, relabel(sound(UNBIASED_AFFINE), BIASED_AFFINE), "does not grant")


def pin_affine_not_granted_for_any_utility(ck):
    """The affine proof relabelled as a proof for utilities not affine in omega (Jensen)."""
    rejected(ck, relabel(sound(UNBIASED_AFFINE), JENSEN), "does not grant")


def pin_ex_post_not_granted_when_unbiased(ck):
    """The ex-post proof relabelled as a proof for an unbiased estimator and any utilities."""
    rejected(ck, relabel(sound(EX_POST), JENSEN), "does not grant")


def pin_step_must_apply(ck):
    """A step whose left side occurs nowhere (a harmless no-op, but not an instance)."""
    cert = sound(EX_POST)
    cert["steps"].append(cert["steps"][-1])
    rejected(ck, cert, "does not occur")


def pin_substitution_has_its_variables(ck):
    cert = sound(EX_POST)
    cert["steps"][0]["subst"]["C"] = sc.OMEGA
    rejected(ck, cert, "exactly the variables")


def pin_remainder_is_replayed(ck):
    """A proof whose stated remainder is not the replayed one."""
    cert = sound(EX_POST)
    cert["remainder"] = sc.num(0)
    rejected(ck, cert, "remainder is not")


def pin_proved_needs_no_primed_symbol(ck):
    """Jensen's case claimed proved, its true remainder stated."""
    cert = sound(JENSEN)
    cert["status"] = "proved"
    rejected(ck, cert, "moves with the report")


def pin_inconclusive_names_the_breaking_term(ck):
    cert = sound(JENSEN)
    cert["breaking"] = sc.num(0)
    rejected(ck, cert, "breaking term")


def pin_inconclusive_needs_a_primed_symbol(ck):
    cert = sound(EX_POST)
    cert["status"], cert["breaking"] = "inconclusive", sc.num(0)
    rejected(ck, cert, "breaking term")


def pin_two_stage_transfer_holds_no_second_stage_report(ck):
    """The second stage's claim is about agent i's transfer itself: a transfer holding z_i' is
    rejected even where the first stage's remainder is free of the report (here a transfer built
    with z_i' added, the payoff unchanged)."""
    cert = sound(statement("two-stage", "ex-post", "any", second_stage="leave-one-out"))
    build = ck.build

    def leaky(st):
        out = build(st)
        out["transfer"] = sc.add(out["transfer"], sc.sym("z", "i", True))
        return out

    ck.build = leaky
    try:
        rejected(ck, cert, "second-stage report")
    finally:
        ck.build = build


def pin_never_refuted(ck):
    cert = sound(JENSEN)
    cert["status"] = "refuted"
    rejected(ck, cert, "proved or inconclusive")


def pin_claim_is_the_rendered_text(ck):
    """The ex-post proof with the claim of the unbiased statement written over it."""
    cert = sound(EX_POST)
    cert["claim"] = cert["statement"]["text"] = JENSEN["text"]
    rejected(ck, cert, "rendered from its fields")


def pin_estimate_depends_on_omega(ck):
    """E_{omega_hat|omega}[f(omega_hat)] is a function of omega: it stays inside E_{omega|s}."""
    inner = sc.E("estimate", sc.fn("h", "i", [sc.OMEGA_HAT]))
    if ck.canon(sc.E("signal", inner)) == ck.canon(inner):
        raise RuleBroken("E[E[f(omega_hat) | omega] | s] normalized to E[f(omega_hat) | omega]")


def pin_bound_factor_stays_inside(ck):
    """A factor with omega does not come out of E_{omega|s}; one without it does."""
    theta = sc.sym("theta", "i")
    if ck.canon(sc.E("signal", sc.mul(sc.OMEGA, sc.OMEGA))) == ck.canon(sc.mul(sc.OMEGA, sc.E("signal", sc.OMEGA))):
        raise RuleBroken("E[omega^2 | s] normalized to omega E[omega | s]")
    assert ck.canon(sc.E("signal", sc.mul(theta, sc.OMEGA))) == ck.canon(sc.mul(theta, sc.E("signal", sc.OMEGA)))


def pin_indexed_factor_stays_in_the_sum(ck):
    u = sc.fn("u", "j", [sc.OMEGA])
    if ck.canon(sc.total(sc.mul(u, u))) == ck.canon(sc.mul(u, sc.total(u))):
        raise RuleBroken("sum_j u_j^2 normalized to u_j sum_j u_j")


def pin_primed_only_for_reports(ck):
    """Only agent i's report is primed: a primed omega is not a term."""
    try:
        ck.check_term(["sym", "omega", "", True])
    except ck.Bad:
        return
    raise RuleBroken("a primed omega was accepted")


@dataclass(frozen=True)
class Mutant:
    rule: str
    old: str
    new: str
    pin: Callable


GRANT = '        rules |= {"tower", stmt["estimator"]}'
MUTANTS = [
    Mutant("R5 unbiasedness only for an unbiased estimator", GRANT,
           '        rules |= {"tower", stmt["estimator"], "unbiased"}', pin_unbiased_not_granted_when_biased),
    Mutant("R5 ex post only for the ex-post estimator", GRANT,
           '        rules |= {"tower", stmt["estimator"], "ex-post"}', pin_ex_post_not_granted_when_unbiased),
    Mutant("R5 affinity only for affine utilities", '    if stmt["utilities"] == "affine":\n        rules.add',
           '    if True:\n        rules.add', pin_affine_not_granted_for_any_utility),
    Mutant("R5 a step names a granted rule", 'if step["rule"] not in RULES or step["rule"] not in granted(st):',
           'if step["rule"] not in RULES:', pin_unbiased_not_granted_when_biased),
    Mutant("R6 a step's left side occurs", "    if not hits:\n        raise",
           "    if False:\n        raise", pin_step_must_apply),
    Mutant("R6 a substitution has exactly its variables", "set(subst) != set(names)",
           "not set(names) <= set(subst)", pin_substitution_has_its_variables),
    Mutant("R7 the remainder is the replayed one", "    if difference != canon(cert[\"remainder\"]):",
           "    if False:", pin_remainder_is_replayed),
    Mutant("R8 proved: no primed symbol remains", "        if moving:\n",
           "        if False:\n", pin_proved_needs_no_primed_symbol),
    Mutant("R8 inconclusive: the breaking term is the primed part",
           'elif not moving or canon(cert["breaking"]) != moving:', "elif not moving:",
           pin_inconclusive_names_the_breaking_term),
    Mutant("R8 inconclusive: a primed symbol remains",
           'elif not moving or canon(cert["breaking"]) != moving:', 'elif canon(cert["breaking"]) != moving:',
           pin_inconclusive_needs_a_primed_symbol),
    Mutant("R8 two-stage: agent i's transfer holds no second-stage report",
           '        if st["mechanism"] == "two-stage" and second_stage_report(build(st)["transfer"]):',
           "        if False:", pin_two_stage_transfer_holds_no_second_stage_report),
    Mutant("R1 a schematic certificate never refutes", 'if cert["status"] not in ("proved", "inconclusive"):',
           'if cert["status"] not in ("proved", "inconclusive", "refuted"):', pin_never_refuted),
    Mutant("R3 the claim is the rendered text", 'if st["text"] != render(st) or cert["claim"] != st["text"]:',
           'if cert["claim"] != st["text"]:', pin_claim_is_the_rendered_text),
    Mutant("R4 only agent i's report is primed", '(t[1] not in ("theta", "s", "z") or t[2] != "i")',
           '(t[1] not in SYMBOLS)', pin_primed_only_for_reports),
    Mutant("normal form: the estimator's law is given omega",
           '| ({"omega"} if t[1] == "estimate" else set())', "", pin_estimate_depends_on_omega),
    Mutant("normal form: a bound factor stays inside E",
           'bound = (lambda f: bool(_free(f) & set(BOUND[kind]))) if head == "E" else _indexed',
           'bound = (lambda f: f[0] == "E") if head == "E" else _indexed', pin_bound_factor_stays_inside),
    Mutant("normal form: an indexed factor stays inside the sum",
           'bound = (lambda f: bool(_free(f) & set(BOUND[kind]))) if head == "E" else _indexed',
           'bound = (lambda f: bool(_free(f) & set(BOUND[kind]))) if head == "E" else (lambda f: f[0] == "sum")',
           pin_indexed_factor_stays_in_the_sum),
]


def test_rule_names_are_unique():
    names = [m.rule for m in MUTANTS]
    assert len(names) == len(set(names))


def test_every_listed_rule_has_a_mutant():
    """Each rule R1..R8 of the module docstring is pinned, except R2 (the statement's fields, pinned in
    test_schematic.py by malformed statements)."""
    pinned = {m.rule.split()[0] for m in MUTANTS}
    assert {f"R{k}" for k in (1, 3, 4, 5, 6, 7, 8)} <= pinned


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.rule for m in MUTANTS])
def test_rule_is_pinned(mutant):
    source = SOURCE_PATH.read_text(encoding="utf-8")
    assert source.count(mutant.old) == 1, f"the old text occurs {source.count(mutant.old)} times, not once"
    mutant.pin(load(source))                        # the rule holds in the checker as it is
    weakened = load(source.replace(mutant.old, mutant.new))
    try:
        mutant.pin(weakened)
    except RuleBroken:
        return
    pytest.fail(f"the weakening survives its pin {mutant.pin.__name__}")


def test_dispatch_through_the_checker():
    """checker.recheck replays a schematic certificate and rejects a forged one."""
    cert = sound(UNBIASED_AFFINE)
    assert checker.recheck(cert).confirmed
    assert not checker.recheck(relabel(cert, BIASED_AFFINE)).confirmed
