"""The coverage ledger: one row per item of the paper, statuses computed from verdicts, the README's table."""
import pathlib
from types import SimpleNamespace

import pytest

import symbolic_mech
from symbolic_mech.coverage import LEDGER, STATUSES, Entry, Hypothesis, entry, ledger, row
from symbolic_mech.paper.items import ITEMS
from symbolic_mech.registry import get, load_statements, result_ids

ROOT = pathlib.Path(__file__).resolve().parents[1]


def fake(rid, status=None, checks=()):
    """A derivation as the ledger reads it: its result, verdict, whether it matched, its checks."""
    r = get(rid)
    status = status or r.expected
    return SimpleNamespace(result=r, verdict=SimpleNamespace(status=status, evidence={"witness": {"s1": 1}}),
                           ok=status == r.expected,
                           checks=[(SimpleNamespace(id=i, status=s), "proved", c) for i, s, c in checks])


def as_registered():
    # every result as registered, its checks with the statuses the catalogue expects of them
    catalogue = load_statements()["results"]
    return {rid: fake(rid, checks=[(cid, c["expected"], c["control"]) for cid, c in catalogue[rid]["checks"].items()])
            for rid in result_ids()}


def test_every_item_once_in_the_papers_order():
    assert [e.item for e in LEDGER] == [i.name for i in ITEMS]
    names = {i.name for i in ITEMS}
    for kind, count in (("Definition", 9), ("Theorem", 2), ("Proposition", 3), ("Corollary", 3),
                        ("Example", 5), ("Lemma", 1), ("Equation", 9)):
        assert sum(n.startswith(kind + " ") for n in names) == count, kind
    assert {"Footnote 8", "Footnote 16", "Footnote 22", "Section 4.2.2", "Section 4.2.3", "Section 4.2.4",
            "Section 4.2.5"} <= names


def test_every_listed_result_is_registered_and_every_row_has_a_status():
    known = set(result_ids())
    for e in LEDGER:
        assert set(e.results) <= known, e.item
        for h in e.hypotheses:
            assert {rid for rid, _ in h.checks} <= known, (e.item, h.text)
            assert h.checks or h.declared, (e.item, h.text)
    rows = ledger(as_registered())
    assert all(r["status"] in STATUSES for r in rows)
    assert all(r["note"] for r in rows if r["status"] == "not covered")


def test_statuses_follow_the_verdicts():
    # an erratum refuted: the row is refuted, with the erratum's witness
    r = row(entry("Example 4"), as_registered())
    assert r["status"] == "refuted" and r["witness"] == {"example4-stated-payoff": {"s1": 1}}
    # the erratum not refuted (it came out proved, against its registration): not covered, saying so
    ds = dict(as_registered(), **{"example4-stated-payoff": fake("example4-stated-payoff", "proved")})
    r = row(entry("Example 4"), ds)
    assert r["status"] == "not covered" and "example4-stated-payoff: proved, expected refuted" in r["note"]
    # an instance inconclusive: not covered, naming it
    ds = dict(as_registered(), example3=fake("example3", "inconclusive"))
    assert row(entry("Example 3"), ds)["status"] == "not covered"
    assert row(entry("Example 3"), as_registered())["status"] == "instances"
    assert row(entry("Proposition 1"), as_registered())["status"] == "general"
    ds = dict(as_registered(), **{"proposition1-general": fake("proposition1-general", "inconclusive")})
    assert row(entry("Proposition 1"), ds)["status"] == "not covered"
    # a result not run is not evidence
    assert row(entry("Proposition 1"), {})["status"] == "not covered"
    # general: every general result proved
    general = Entry("Proposition 1", ("proposition1",), general=("proposition2",))
    assert row(general, as_registered())["status"] == "general"
    ds = dict(as_registered(), proposition2=fake("proposition2", "inconclusive"))
    assert row(general, ds)["status"] == "not covered"


def test_hypotheses_are_decided_by_their_checks_and_declared_ones_are_not_evidence():
    h = Hypothesis("h", "a hypothesis", (("theorem1", "hyp-*"),))
    e = Entry("Theorem 1", ("theorem1",), hypotheses=(h, Hypothesis("d", "declared", declared="the model says so")))
    ds = {"theorem1": fake("theorem1", checks=[("hyp-a", "proved", False), ("hyp-b", "proved", False),
                                               ("hyp-c", "refuted", True)])}
    hyps = row(e, ds)["hypotheses"]
    assert hyps[0]["status"] == "proved" and "2 checks" in hyps[0]["note"]  # the control is not counted
    assert hyps[1]["status"] == "declared" and "not" not in hyps[1]["status"]
    ds = {"theorem1": fake("theorem1", checks=[("hyp-a", "proved", False), ("hyp-b", "inconclusive", False)])}
    assert row(e, ds)["hypotheses"][0]["status"] == "mixed"
    ds = {"theorem1": fake("theorem1", checks=[("other", "proved", False)])}
    assert row(e, ds)["hypotheses"][0]["status"] == "not decided"
    refuted = Hypothesis("r", "refuted", (("theorem1", "hyp-*"),), holds="refuted")
    ds = {"theorem1": fake("theorem1", checks=[("hyp-a", "refuted", False)])}
    assert row(Entry("Theorem 1", ("theorem1",), hypotheses=(refuted,)), ds)["hypotheses"][0]["verdict"] == "holds"
    ds = {"theorem1": fake("theorem1", checks=[("hyp-a", "proved", False)])}
    assert row(Entry("Theorem 1", ("theorem1",), hypotheses=(refuted,)), ds)["hypotheses"][0]["verdict"] == "fails"


def test_corollary3_by_parts():
    parts = {p["part"]: p["status"] for p in row(entry("Corollary 3"), as_registered())["parts"]}
    assert parts == {"parts 1-2, a reference free of the reports": "general",
                     r"parts 1-2, a reference $x_0(s)$ of the reported signals": "refuted", "parts 3-4": "instances"}


def test_the_required_hypotheses_have_verdicts():
    for name in ("Theorem 1", "Theorem 2", "Proposition 2", "Proposition 3", "Corollary 2", "Corollary 3"):
        assert entry(name).hypotheses, name


def test_definitions_name_what_implements_them_and_a_result_that_uses_it():
    for e in LEDGER:
        if not e.item.startswith("Definition"):
            continue
        assert e.implements, e.item
        for name in e.implements:
            head = name.split(".")[0]
            obj = getattr(symbolic_mech, head, None) or getattr(__import__("symbolic_mech.environments",
                                                                            fromlist=[head]), head, None)
            obj = obj or getattr(__import__("symbolic_mech.mechanisms", fromlist=[head]), head, None)
            obj = obj or getattr(__import__("symbolic_mech.implementability", fromlist=[head]), head, None)
            assert obj is not None, (e.item, name)
        used = [rid for rid in e.instances
                if any(n.split(".")[-1] in (ROOT / "proofs" / (rid.replace("-", "_") + ".py")).read_text()
                       for n in e.implements)]
        assert used, (e.item, "no listed result's script uses what implements it")


def test_readme_shows_the_ledger():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {r["item"]: r for r in ledger(as_registered())}
    shown = {}
    for ln in text.splitlines():
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if ln.startswith("| ") and cells[0] in rows:
            shown[cells[0]] = cells
    assert list(shown) == [e.item for e in LEDGER]
    for name, cells in shown.items():
        assert cells[2] == rows[name]["status"], name
        results = ", ".join(rows[name]["results"])
        if results:
            assert cells[3] == results, name


@pytest.mark.parametrize("name", ["Theorem 1", "Definition 9", "Section 4.2.4"])
def test_entry_lookup(name):
    assert entry(name).item == name


@pytest.mark.slow
def test_cli_coverage_json_and_table_fit(monkeypatch, capsys):
    import json

    import symbolic_mech.coverage as coverage
    from symbolic_mech.cli import main
    monkeypatch.setattr(coverage, "needed", lambda: ["example3"])
    assert main(["coverage", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [r["item"] for r in items] == [e.item for e in LEDGER]
    assert {"item", "section", "status", "results", "hypotheses", "note"} <= set(items[0])
    by = {r["item"]: r for r in items}
    assert by["Example 3"]["status"] == "instances" and "left_out" in by["Example 3"]
    assert by["Theorem 1"]["status"] == "not covered" and "not run: theorem1" in by["Theorem 1"]["note"]
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["coverage"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= len(LEDGER) and max(map(len, lines)) <= 80


def test_an_instance_outside_a_hypothesis_is_not_counted_as_the_statement():
    # Theorem 2's instances have their state on the real line, where the quadratic utilities are not Lipschitz
    r = row(entry("Theorem 2"), as_registered())
    assert r["status"] == "beyond its hypotheses" and "Lipschitz utilities fails" in r["note"]
    assert row(entry("Proposition 1"), as_registered())["status"] == "general"
