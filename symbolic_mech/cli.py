"""The ``symbolic-mech`` command: list and verify the registered results.

``symbolic-mech verify [IDS...] [--json] [--markdown FILE] [--latex FILE] [--recheck]``
prints the verdict table (or JSON) and exits 0 iff every verdict matches
its registered expectation (inconclusive never matches) and, with
``--recheck``, the independent checker confirms every certificate; an
unknown id exits 2 naming it.

``symbolic-mech recheck FILE`` replays the certificates in a saved
``verify --json`` output and exits 0 iff every one is confirmed.

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

PAPER = ("Bergemann, Bojko, Duetting, Paes Leme, Xu, Zuo: Data-Driven Mechanism Design: "
         "Jointly Eliciting Preferences and Information (EC 2025)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("symbolic_mech")
    except PackageNotFoundError:
        return "unknown"


def _clip(text, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 3] + "..."


def _recheck_derivation(d) -> tuple[int, list[str], float]:
    """Replay every check's certificate with the independent checker: (confirmed, problems, seconds)."""
    from .core import checker
    t0, confirmed, problems = time.perf_counter(), 0, []
    for v, _, _ in d.checks:
        if v.certificate is None:
            if v.status != "inconclusive":
                problems.append(f"{d.result.id}/{v.id}: {v.status} without a certificate")
            continue
        report = checker.recheck(v.certificate, samplers={v.id: v.sampler} if v.sampler else None)
        if report.confirmed:
            confirmed += 1
        else:
            problems.extend(f"{d.result.id}/{v.id}: {p}" for p in report.problems)
    return confirmed, problems, time.perf_counter() - t0


def _recheck_file(path) -> int:
    from .core import checker
    try:
        certs = checker.load(path)
    except (OSError, ValueError) as exc:
        print(f"symbolic-mech: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    bad = 0
    for cert in certs:
        report = checker.recheck(cert)
        name = cert.get("id", "?") if isinstance(cert, dict) else "?"
        if report.confirmed:
            print(f"confirmed  {name}")
        else:
            bad += 1
            print(f"REJECTED   {name}: " + "; ".join(report.problems))
    print(f"\n{len(certs) - bad}/{len(certs)} certificates confirmed by the independent checker")
    return 0 if certs and not bad else 1


def _verify(ids, as_json: bool, markdown=None, latex=None, recheck: bool = False) -> int:
    known = result_ids()
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(f"symbolic-mech: unknown result id(s): {', '.join(unknown)}; "
              f"known: {', '.join(known)}", file=sys.stderr)
        return 2
    ids = ids or known
    derivations, all_ok, t0 = [], True, time.perf_counter()
    rechecked, recheck_seconds = [], 0.0
    if not as_json:
        print(f"{'id':24} {'paper':28} {'status':13} {'ok':3} {'time':>6}  claim / evidence")
    for k, rid in enumerate(ids, 1):
        result = get(rid)
        print(f"[{k}/{len(ids)}] {rid} ...", end="\r", file=sys.stderr, flush=True)
        d = result.run()
        derivations.append(d)
        all_ok &= d.ok
        if recheck:
            confirmed, problems, secs = _recheck_derivation(d)
            recheck_seconds += secs
            rechecked.append((rid, confirmed, problems))
            all_ok &= not problems
        if not as_json:
            print(f"{rid:24} {_clip(result.label, 28):28} {d.verdict.status:13} {'yes' if d.ok else 'NO':3} "
                  f"{d.seconds:5.1f}s  {_clip(result.claim, 90)}")
            note = ("erratum of the paper; " if result.erratum else "") + d.verdict.brief()
            print(f"{'':80}  {_clip(note, 110)}")
            print(f"{'':80}  {_clip('scope: ' + d.scope_summary(), 110)}")
    if as_json:
        from .report import summary_rows
        # the whole evidence, not the table's one-line summary of it
        rows = [dict(row, evidence=d.verdict.to_dict()["evidence"])
                for row, d in zip(summary_rows(derivations), derivations)]
        print(json.dumps({"version": _version(), "paper": PAPER, "all_ok": all_ok, "results": rows}, indent=2))
    else:
        print(f"\n{sum(d.ok for d in derivations)}/{len(derivations)} results "
              f"match their expectation in {time.perf_counter() - t0:.1f}s")
    if recheck:
        total = sum(c for _, c, _ in rechecked)
        problems = [p for _, _, ps in rechecked for p in ps]
        out = sys.stderr if as_json else sys.stdout
        print(f"independent checker: {total} certificates confirmed, {len(problems)} problems "
              f"({recheck_seconds:.1f}s)", file=out)
        for p in problems:
            print(f"  REJECTED {p}", file=out)
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
    ver.add_argument("--recheck", action="store_true",
                     help="replay every certificate with the independent checker (exit 1 on any disagreement)")
    rc = sub.add_parser("recheck", help="replay the certificates in a saved 'verify --json' output")
    rc.add_argument("file", help="a JSON file written by 'symbolic-mech verify --json'")
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
    if args.command == "recheck":
        return _recheck_file(args.file)
    return _verify(args.ids, args.json, args.markdown, args.latex, args.recheck)


if __name__ == "__main__":
    raise SystemExit(main())
