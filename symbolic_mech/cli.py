"""The ``symbolic-mech`` command: list and verify the registered results.

``symbolic-mech verify [IDS...] [--json] [--markdown FILE] [--latex FILE]`` prints
the verdict table (or JSON) and exits 0 iff every verdict matches
its registered expectation (inconclusive never matches); an unknown id exits
2 naming it.

``symbolic-mech notebooks [STEMS...] [--html] [--no-execute]`` rebuilds
``notebooks/<stem>.ipynb`` from ``proofs/<stem>.py`` (default: all scripts),
executing them unless ``--no-execute``, and with ``--html`` also writes
``notebooks/html/<stem>.html``; it exits 1 if a notebook fails to build.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time

from .registry import get, result_ids

__all__ = ["main"]


def _clip(text, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 3] + "..."


def _verify(ids, as_json: bool, markdown=None, latex=None) -> int:
    known = result_ids()
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(f"symbolic-mech: unknown result id(s): {', '.join(unknown)}; "
              f"known: {', '.join(known)}", file=sys.stderr)
        return 2
    ids = ids or known
    derivations, all_ok, t0 = [], True, time.perf_counter()
    if not as_json:
        print(f"{'id':24} {'paper':28} {'status':13} {'ok':3} {'time':>6}  claim / evidence")
    for k, rid in enumerate(ids, 1):
        result = get(rid)
        print(f"[{k}/{len(ids)}] {rid} ...", end="\r", file=sys.stderr, flush=True)
        d = result.run()
        derivations.append(d)
        all_ok &= d.ok
        if not as_json:
            print(f"{rid:24} {_clip(result.label, 28):28} {d.verdict.status:13} {'yes' if d.ok else 'NO':3} "
                  f"{d.seconds:5.1f}s  {_clip(result.claim, 90)}")
            note = ("erratum of the paper; " if result.erratum else "") + d.verdict.brief()
            print(f"{'':80}  {_clip(note, 110)}")
    if as_json:
        from .report import summary_rows
        # the whole evidence, not the table's one-line summary of it
        rows = [dict(row, evidence=d.verdict.to_dict()["evidence"])
                for row, d in zip(summary_rows(derivations), derivations)]
        print(json.dumps(rows, indent=2))
    else:
        print(f"\n{sum(d.ok for d in derivations)}/{len(derivations)} results "
              f"match their expectation in {time.perf_counter() - t0:.1f}s")
    for path, render in ((markdown, "markdown_report"), (latex, "latex_report")):
        if path:
            from . import report
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(getattr(report, render)(derivations))
            print(f"report written to {path}", file=sys.stderr)
    return 0 if all_ok else 1


def _notebooks(stems, html: bool, execute: bool, timeout) -> int:
    from .notebooks import build_one, proof_scripts
    try:
        for name in ("nbclient", "nbformat"):
            importlib.import_module(name)
    except ImportError as exc:
        print(f"symbolic-mech: {exc.name} is needed to build notebooks "
              "(pip install 'symbolic_mech[docs]')", file=sys.stderr)
        return 2
    scripts = {p.stem: p for p in proof_scripts()}
    wanted = [s.replace("-", "_") for s in stems] or list(scripts)
    unknown = [s for s in wanted if s not in scripts]
    if unknown:
        print(f"symbolic-mech: unknown proof script(s): {', '.join(unknown)}; "
              f"known: {', '.join(scripts)}", file=sys.stderr)
        return 2
    t0, failed = time.perf_counter(), 0
    for k, stem in enumerate(wanted, 1):
        print(f"[{k}/{len(wanted)}] {stem} ...", flush=True)
        built = build_one(scripts[stem], execute=execute, timeout=timeout, html=html)
        failed += not built.ok
        print(f"[{k}/{len(wanted)}] {built}", flush=True)
    print(f"\n{len(wanted) - failed}/{len(wanted)} notebooks built in {time.perf_counter() - t0:.1f}s")
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="symbolic-mech", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the registered results")
    ver = sub.add_parser("verify", help="verify registered results and print the verdict table")
    ver.add_argument("ids", nargs="*", help="result ids (default: all)")
    ver.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    ver.add_argument("--markdown", metavar="FILE", help="write the whole report (derivations included) as Markdown")
    ver.add_argument("--latex", metavar="FILE", help="write the whole report as a LaTeX document")
    nb = sub.add_parser("notebooks", help="rebuild the notebooks from the proof scripts")
    nb.add_argument("stems", nargs="*", help="proof script names, e.g. theorem1 (default: all)")
    nb.add_argument("--html", action="store_true", help="also write notebooks/html/<stem>.html")
    nb.add_argument("--no-execute", dest="execute", action="store_false",
                    help="write the cells without running them")
    nb.add_argument("--timeout", type=int, default=3600, help="limit per cell in seconds (default 3600)")
    args = parser.parse_args(argv)
    if args.command == "notebooks":
        return _notebooks(args.stems, args.html, args.execute, args.timeout)
    if args.command == "list":
        for rid in result_ids():
            r = get(rid)
            print(f"{rid:24s} {r.label:28s} {r.claim}")
        return 0
    return _verify(args.ids, args.json, args.markdown, args.latex)


if __name__ == "__main__":
    raise SystemExit(main())
