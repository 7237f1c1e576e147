r"""The envelope of a saved run is evidence too: what ``verify --json`` says must be what its
certificates prove, about the statements the catalogue registers.

Part of the trust root (standard library only, with :func:`.checker.fingerprint`).  The
catalogue (``proofs/statements.json``) lists, for each result, its expectation, its designated
refuting checks and, for each check, the fingerprint of its statement, its expectation and
whether it is a negative control.  :func:`problems` applies these rules to a saved run; each
problem names the result and the check:

* E1 every result and check of the run is in the catalogue, each listed once, and every
  catalogued check of a result in the run is in it (none missing, none extra); the run,
  each result and each check have only the documented keys;
* E2 expectations, control flags, each result's label and claim are the catalogue's;
* E3 a proved or refuted check has a certificate; its status, id and claim are the
  certificate's; ``as_required`` is ``status == expected`` (or a designated check of an
  erratum refuted) and ``shown_as`` is the label those give;
* E4 the fingerprint of the certificate's statement is the catalogue's;
* E5 a shown witness of a kernel certificate is the certified one: the point (``truth`` and
  ``report`` disjoint, together the certified point), the gap (a ``gain`` is minus the gap and
  positive; rationals compared exactly, other numbers by balls at 256 bits, a display check),
  its ``approx`` within 1e-9 of the tree's value and, for a rational, ``exact`` its digits;
  a result's own witness and Monte Carlo lines are those of one of its checks; a finite
  model's shown cycle (types, c, total), Farkas multipliers and gain are its certificate's;
* E6 each result's status follows from its checks (the rule below), ``ok`` is ``status ==
  expected`` and ``all_ok`` is every listed result ok.

Free text the engine writes for a reader (``brief``, ``scope``, ``steps``, a witness's
``lhs``/``rhs``/``how``, ``srepr`` and ``latex`` of a number) is display, not evidence: it is
not checked here.  A run may list some of the registered results (``verify ID ...``);
:func:`coverage` says which are missing.

A result is refuted when its designated checks are all refuted (or, with none designated,
when every miss is a check expected proved and refuted), proved when every check has its
expected status, and inconclusive otherwise; a result whose checks are all negative controls
(or that has none) is inconclusive.

The certificates themselves are replayed by :func:`.checker.recheck`.

>>> problems({"results": []}, {"results": {}})
['the run has no results']
"""
from __future__ import annotations

from fractions import Fraction

import flint

from .checker import FORMAT, fingerprint

__all__ = ["problems", "result_status", "coverage"]

_STATUSES = ("proved", "refuted", "inconclusive")


def result_status(checks: list, refutes: list) -> str:
    """The result's status from its checks ``[(id, status, expected, control)]`` (see the module
    docstring); negative controls alone say nothing about the claim.

    >>> result_status([("a", "refuted", "proved", False), ("b", "proved", "proved", False)], [])
    'refuted'
    >>> result_status([("a", "inconclusive", "proved", False)], [])
    'inconclusive'
    >>> result_status([("a", "inconclusive", "inconclusive", True)], [])
    'inconclusive'
    """
    if all(control for _, _, _, control in checks) or set(refutes) - {c for c, _, _, _ in checks}:
        return "inconclusive"
    checks = [(c, s, e) for c, s, e, _ in checks]
    misses = [(s, e) for c, s, e in checks if s != e and not (c in refutes and s == "refuted")]
    failing = [m for m in misses if m == ("refuted", "proved")]
    if misses and not (len(failing) == len(misses) and not refutes):
        return "inconclusive"
    if failing or (refutes and all(s == "refuted" for c, s, _ in checks if c in refutes)):
        return "refuted"
    return "proved"


def _number(tree):
    """An exact rational from an Integer/Rational tree, else None."""
    try:
        if tree[0] == "Integer" and len(tree) == 2:
            return Fraction(int(tree[1]))
        if tree[0] == "Rational" and len(tree) == 3:
            return Fraction(int(tree[1]), int(tree[2]))
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    return None


_UNARY = {"exp": flint.arb.exp, "log": flint.arb.log, "sin": flint.arb.sin, "cos": flint.arb.cos,
          "erf": flint.arb.erf, "Abs": abs}


def _ball(tree, depth: int = 0):
    """A real ball for a constant tree (numbers, + * ^, exp, log, sin, cos, erf, |.|, pi, e)."""
    if depth > 200 or not isinstance(tree, list) or not tree:
        raise ValueError("not a constant expression tree")
    op, args = tree[0], tree[1:]
    q = _number(tree)
    if q is not None:
        return flint.arb(q.numerator) / q.denominator
    if op == "pi" or op == "E":
        return flint.arb.pi() if op == "pi" else flint.arb(1).exp()
    kids = [_ball(a, depth + 1) for a in args]
    if op == "Add" and kids:
        return sum(kids[1:], kids[0])
    if op == "Mul" and kids:
        out = kids[0]
        for k in kids[1:]:
            out *= k
        return out
    if op == "Pow" and len(kids) == 2:
        e = _number(args[1])
        return kids[0] ** int(e) if e is not None and e.denominator == 1 else kids[0] ** kids[1]
    if op in _UNARY and len(kids) == 1:
        return _UNARY[op](kids[0])
    raise ValueError(f"{op!r:.20} is not evaluated here")


def _same_size(shown, certified, signed: bool) -> bool:
    """Whether two constant trees may be the same number (up to sign unless ``signed``): exactly
    for rationals, else not told apart by balls at 256 bits (a display check, never a verdict)."""
    a, b = _number(shown), _number(certified)
    if a is not None and b is not None:
        return a == b if signed else abs(a) == abs(b)
    old = flint.ctx.prec
    try:
        flint.ctx.prec = 256
        x, y = _ball(shown), _ball(certified)
        return (x - y).contains(0) or (not signed and (x + y).contains(0))
    except (ValueError, ZeroDivisionError, TypeError):
        return shown == certified
    finally:
        flint.ctx.prec = old


def _shown_number(record, tree_value) -> str | None:
    """Why a shown number's ``approx`` or ``exact`` is not its tree's value, or None."""
    approx = record.get("approx")
    q = _number(tree_value)
    if q is not None and "exact" in record:
        digits = str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
        if record["exact"] != digits:
            return "its exact digits are not its tree's"
    if approx is not None:
        try:
            value = float(q) if q is not None else float(_ball(tree_value).mid())
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return None
        if not isinstance(approx, (int, float)) or isinstance(approx, bool) \
                or abs(approx - value) > 1e-9 * max(1.0, abs(value)):
            return "its approx is not its tree's value"
    return None


def _exact_is(record, text) -> bool:
    """Whether a shown number record's tree is the rational string ``text``."""
    try:
        q = Fraction(text)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return isinstance(record, dict) and _number(record.get("tree")) == q and _shown_number(record, record["tree"]) is None


def _finite_witness(shown, cert) -> str | None:
    """A finite model's shown witness against its certificate: the agent, the others' block, the
    Farkas multipliers, each step of a cycle (types and c) and its total, a transfer witness's
    gain (its truth and report are shown by name, certified by index: not compared here)."""
    for key in ("agent", "others", "multipliers"):
        if key == "agent" and "agent" in shown and "agent" not in cert:       # a transfer table's witness: one of its agents
            if shown[key] not in (cert.get("agents") or []):
                return "the shown agent is not one the certificate is about"
        elif key in shown and shown[key] != cert.get(key):
            return f"the shown {key} is not the certified one"
    if "cycle" in shown:
        steps, certified = shown["cycle"], cert.get("cycle")
        if not isinstance(steps, list) or not isinstance(certified, list) or len(steps) != len(certified):
            return "the shown cycle is not the certified one"
        for a, b in zip(steps, certified):
            if not isinstance(a, dict) or not isinstance(b, dict) \
                    or any(a.get(k) != b.get(k) for k in ("type", "next", "tied")) or not _exact_is(a.get("c"), b.get("c")):
                return "the shown cycle is not the certified one"
    if "gap" in shown and not _exact_is(shown["gap"], cert.get("total")):
        return "the shown total is not the certified one"
    if "gain" in shown and not _exact_is(shown["gain"], (cert.get("witness") or {}).get("gain")):
        return "the shown gain is not the certified one"
    return None


def _witness(shown, cert) -> str | None:
    """Why the shown witness is not the certified one, or None."""
    certified = cert.get("witness")
    if not shown:
        return None
    if cert.get("format") != FORMAT:
        return _finite_witness(shown, cert) if isinstance(shown, dict) else "the shown witness is not a record"
    if not isinstance(certified, dict) or not isinstance(shown, dict):
        return "a witness is shown but none is certified"
    if "point" in shown:
        point = shown["point"]
    else:
        truth, report = shown.get("truth", {}), shown.get("report", {})
        if not isinstance(truth, dict) or not isinstance(report, dict) or set(truth) & set(report):
            return "the shown truth and report overlap"
        point = {**truth, **report}
    if point != certified.get("point"):
        return "the shown witness's point is not the certified one"
    key = "gap" if "gap" in shown else "gain"
    record = shown.get(key)
    value = record.get("tree") if isinstance(record, dict) else None
    if value is None or certified.get("gap") is None:
        return None if certified.get("gap") is None and value is None else "the shown gap is not the certified one"
    if key == "gain":
        # a gain is what the agent wins: minus the gap of "no gain", and positive
        value_neg = ["Mul", ["Integer", "-1"], value]
        if not _same_size(value_neg, certified["gap"], signed=True) or certified.get("sign") != -1:
            return "the shown gain is not minus the certified gap"
    elif not _same_size(value, certified["gap"], signed=True):
        return "the shown gap is not the certified one"
    return _shown_number(record, value)


_RUN_KEYS = {"version", "paper", "all_ok", "results"}
_RESULT_KEYS = {"id", "label", "claim", "status", "expected", "ok", "erratum", "seconds", "brief", "scope",
                "evidence", "steps"}
_CHECK_KEYS = {"id", "claim", "status", "expected", "control", "as_required", "shown_as", "brief", "evidence",
               "certificate"}


def _label(status, expected, designated) -> str:
    if status == expected:
        return status if expected == "proved" else f"{expected}, as required"
    if status == "refuted" and designated:
        return "refuted: the paper's claim fails"
    return f"{status}, expected {expected}".upper()


def coverage(run, catalogue) -> list[str]:
    """The registered results a run does not list (it may be a partial run)."""
    listed = {r.get("id") for r in run.get("results", []) if isinstance(r, dict)}
    return sorted(set(catalogue.get("results", {})) - listed)


def problems(run, catalogue) -> list[str]:
    """Every rule above broken by ``run`` (a ``verify --json`` document) against ``catalogue``."""
    out = []
    results = run.get("results") if isinstance(run, dict) else None
    if not isinstance(results, list) or not results:
        return ["the run has no results"]
    registered = catalogue.get("results", {}) if isinstance(catalogue, dict) else {}
    if set(run) != _RUN_KEYS:
        out.append(f"the run must have exactly the keys {sorted(_RUN_KEYS)}")
    all_ok, seen_results = True, set()
    for r in results:
        rid = r.get("id") if isinstance(r, dict) else None
        entry = registered.get(rid) if isinstance(rid, str) else None
        if entry is None:
            out.append(f"{rid}: not a registered result")
            continue
        if rid in seen_results:
            out.append(f"{rid}: listed twice")
            continue
        seen_results.add(rid)
        if set(r) != _RESULT_KEYS:
            out.append(f"{rid}: a result has exactly the keys {sorted(_RESULT_KEYS)}")
        for key in ("label", "claim"):
            if r.get(key) != entry[key]:
                out.append(f"{rid}: its {key} is not the registered one")
        checks = r.get("evidence", {}).get("checks") if isinstance(r.get("evidence"), dict) else None
        if not isinstance(checks, list):
            out.append(f"{rid}: no checks")
            continue
        listed = entry["checks"]
        seen = [c.get("id") for c in checks if isinstance(c, dict)]
        for cid in sorted(set(listed) - set(seen)):
            out.append(f"{rid}/{cid}: registered but missing from the run")
        if len(seen) != len(set(seen)):
            out.append(f"{rid}: a check id is listed twice")
        for c in checks:
            out += [f"{rid}/{c.get('id')}: {p}" for p in _check(c, listed.get(c.get("id")), entry["refutes"])]
        for key in ("witness", "monte_carlo"):
            own = r["evidence"].get(key)
            if own is not None and not any(isinstance(c, dict) and isinstance(c.get("evidence"), dict)
                                           and c["evidence"].get(key) == own for c in checks):
                out.append(f"{rid}: its {key} is not one of its checks'")
        status = result_status([(c.get("id"), c.get("status"), c.get("expected"), c.get("control") is True)
                                for c in checks],
                               entry["refutes"])
        if r.get("expected") != entry["expected"]:
            out.append(f"{rid}: expected {r.get('expected')!r}, registered {entry['expected']!r}")
        if r.get("status") != status:
            out.append(f"{rid}: status {r.get('status')!r}, but its checks give {status!r}")
        ok = status == entry["expected"]
        if r.get("ok") is not ok:
            out.append(f"{rid}: ok is {r.get('ok')!r}, but the status {'is' if ok else 'is not'} the expected one")
        all_ok &= ok
    if run.get("all_ok") is not (all_ok and not out):
        out.append(f"all_ok is {run.get('all_ok')!r}, but the results say {all_ok and not out!r}")
    return out


def _check(c, registered, refutes) -> list[str]:
    if not isinstance(c, dict):
        return ["a check must be a record"]
    if registered is None:
        return ["not a registered check of this result"]
    out = [] if set(c) == _CHECK_KEYS else [f"a check has exactly the keys {sorted(_CHECK_KEYS)}"]
    status, cert = c.get("status"), c.get("certificate")
    if status not in _STATUSES:
        return [f"status {status!r} is not one of {_STATUSES}"]
    for key in ("expected", "control"):
        if c.get(key) != registered[key]:
            out.append(f"{key} is {c.get(key)!r}, registered {registered[key]!r}")
    designated = c.get("id") in refutes and status == "refuted"      # an erratum's refuted statement
    if c.get("as_required") is not (status == c.get("expected") or designated):
        out.append("as_required does not follow from the status and the expectation")
    if c.get("shown_as") != _label(status, c.get("expected"), c.get("id") in refutes):
        out.append("shown_as does not follow from the status and the expectation")
    if cert is None:
        return out + ([f"{status} without a certificate"] if status != "inconclusive" else [])
    if not isinstance(cert, dict):
        return out + ["the certificate is not a record"]
    for key in ("status", "id", "claim"):
        if c.get(key) != cert.get(key):
            out.append(f"its {key} {c.get(key)!r:.60} is not the certificate's {cert.get(key)!r:.60}")
    stmt = cert.get("statement")
    if stmt is None or fingerprint(stmt) != registered["fingerprint"]:
        out.append("its statement is not the registered one (fingerprint)")
    why = _witness(c.get("evidence", {}).get("witness") if isinstance(c.get("evidence"), dict) else None, cert)
    if why:
        out.append(why)
    return out
