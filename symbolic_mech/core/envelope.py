r"""The envelope of a saved run is evidence too: what ``verify --json`` says must be what its
certificates prove, about the statements the catalogue registers.

Part of the trust root (standard library only, with :func:`.checker.fingerprint`).  The
catalogue (``proofs/statements.json``) lists, for each result, its expectation, its designated
refuting checks and, for each check, the fingerprint of its statement, its expectation and
whether it is a negative control.  :func:`problems` applies these rules to a saved run; each
problem names the result and the check:

* E1 every result and check of the run is in the catalogue, and every catalogued check of a
  result in the run is in it (none missing, none extra);
* E2 expectations and control flags are the catalogue's;
* E3 a proved or refuted check has a certificate; its status, id and claim are the
  certificate's, and ``as_required`` is ``status == expected``;
* E4 the fingerprint of the certificate's statement is the catalogue's;
* E5 a shown witness of a kernel certificate is the certified one: the same point (truth and
  report together) and the same gap (a gain is the gap's absolute value; rationals compared
  exactly, other numbers by balls at 256 bits, a display check);
* E6 each result's status follows from its checks (the rule below), ``ok`` is ``status ==
  expected`` and ``all_ok`` is every result ok.

A result is refuted when its designated checks are all refuted (or, with none designated,
when every miss is a check expected proved and refuted), proved when every check has its
expected status, and inconclusive otherwise.

The certificates themselves are replayed by :func:`.checker.recheck`.

>>> problems({"results": []}, {"results": {}})
['the run has no results']
"""
from __future__ import annotations

from fractions import Fraction

import flint

from .checker import FORMAT, fingerprint

__all__ = ["problems", "result_status"]

_STATUSES = ("proved", "refuted", "inconclusive")


def result_status(checks: list, refutes: list) -> str:
    """The result's status from its checks ``[(id, status, expected)]`` (see the module docstring).

    >>> result_status([("a", "refuted", "proved"), ("b", "proved", "proved")], [])
    'refuted'
    >>> result_status([("a", "inconclusive", "proved")], [])
    'inconclusive'
    """
    if not checks or set(refutes) - {c for c, _, _ in checks}:
        return "inconclusive"
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


def _witness(shown, cert) -> str | None:
    """Why the shown witness is not the certified one, or None."""
    certified = cert.get("witness")
    if not shown or cert.get("format") != FORMAT:
        return None                  # a finite model's witness is recomputed from its statement
    if not isinstance(certified, dict) or not isinstance(shown, dict):
        return "a witness is shown but none is certified"
    point = shown["point"] if "point" in shown else {**shown.get("truth", {}), **shown.get("report", {})}
    if point != certified.get("point"):
        return "the shown witness's point is not the certified one"
    value = shown.get("gap", shown.get("gain"))
    value = value.get("tree") if isinstance(value, dict) else None
    if value is None or certified.get("gap") is None:
        return None if certified.get("gap") is None and value is None else "the shown gap is not the certified one"
    same = _same_size(value, certified["gap"], signed="gap" in shown)
    return None if same else "the shown gap is not the certified one"


def problems(run, catalogue) -> list[str]:
    """Every rule above broken by ``run`` (a ``verify --json`` document) against ``catalogue``."""
    out = []
    results = run.get("results") if isinstance(run, dict) else None
    if not isinstance(results, list) or not results:
        return ["the run has no results"]
    registered = catalogue.get("results", {}) if isinstance(catalogue, dict) else {}
    all_ok = True
    for r in results:
        rid = r.get("id") if isinstance(r, dict) else None
        entry = registered.get(rid) if isinstance(rid, str) else None
        if entry is None:
            out.append(f"{rid}: not a registered result")
            continue
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
        status = result_status([(c.get("id"), c.get("status"), c.get("expected")) for c in checks],
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
    if registered is None:
        return ["not a registered check of this result"]
    out = []
    status, cert = c.get("status"), c.get("certificate")
    if status not in _STATUSES:
        return [f"status {status!r} is not one of {_STATUSES}"]
    for key in ("expected", "control"):
        if c.get(key) != registered[key]:
            out.append(f"{key} is {c.get(key)!r}, registered {registered[key]!r}")
    designated = c.get("id") in refutes and status == "refuted"      # an erratum's refuted statement
    if c.get("as_required") is not (status == c.get("expected") or designated):
        out.append("as_required does not follow from the status and the expectation")
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
