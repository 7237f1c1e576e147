"""The ``symbolic-mech`` command: list and verify the registered results.

``symbolic-mech verify [IDS...] [--json]`` exits 0 iff every verdict matches
its registered expectation (inconclusive never matches); an unknown id exits
2 naming it.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from .kernel import INCONCLUSIVE
from .registry import get, result_ids

__all__ = ["main"]


def _matches(result, verdict) -> bool:
    return verdict.status != INCONCLUSIVE and verdict.status == result.expected


def _row(cells, widths):
    return "  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths))


def _verify(ids, as_json: bool) -> int:
    known = result_ids()
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(f"symbolic-mech: unknown result id(s): {', '.join(unknown)}; "
              f"known: {', '.join(known)}", file=sys.stderr)
        return 2
    ids = ids or known
    widths = (24, 26, 13, 4, 60)
    rows, all_ok, t0 = [], True, time.perf_counter()
    if not as_json:
        print(_row(("id", "paper", "status", "ok", "evidence"), widths))
    for k, rid in enumerate(ids, 1):
        result = get(rid)
        if not as_json:
            print(f"[{k}/{len(ids)}] {rid} ...", end="\r", file=sys.stderr, flush=True)
        d = result.run()
        ok = _matches(result, d.verdict)
        all_ok &= ok
        rows.append(dict(d.verdict.to_dict(), ok=ok, label=result.label, expected=result.expected,
                         erratum=result.erratum, seconds=round(d.seconds, 3)))
        if not as_json:
            note = ("erratum: " if result.erratum else "") + d.verdict.brief()
            print(_row((rid, result.label, d.verdict.status, "yes" if ok else "NO", note), widths)
                  + f"  ({d.seconds:.1f}s)")
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"\n{sum(r['ok'] for r in rows)}/{len(rows)} results match their expectation "
              f"in {time.perf_counter() - t0:.1f}s")
    return 0 if all_ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="symbolic-mech", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the registered results")
    ver = sub.add_parser("verify", help="verify registered results and print the verdict table")
    ver.add_argument("ids", nargs="*", help="result ids (default: all)")
    ver.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    args = parser.parse_args(argv)
    if args.command == "list":
        for rid in result_ids():
            r = get(rid)
            print(f"{rid:24s} {r.label:28s} {r.claim}")
        return 0
    return _verify(args.ids, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
