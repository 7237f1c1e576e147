"""The ``symbolic-mech`` command: list and verify the registered results.

``symbolic-mech verify [IDS...] [--json] [--wide] [--markdown FILE] [--latex FILE] [--recheck]``
prints the verdict table (or JSON) and exits 0 iff every verdict matches
its registered expectation (inconclusive never matches) and, with
``--recheck``, the independent checker confirms every certificate; an
unknown id exits 2 naming it.

The table fits the terminal's width (``$COLUMNS``): one row per result
(id, paper label, status, whether it matches its expectation, time), then
the claim, the evidence, the scope and every refuted or unexpected check
(its witness's truth and report), wrapped or shortened at word boundaries;
``--wide`` prints every field in full on one line.  Progress goes to
stderr only when it is a terminal, and is cleared before each row.  A
closed pipe (``symbolic-mech verify | head``) ends the command quietly.

``symbolic-mech show ID`` prints the result's derivation as its proof script
does (formulas in the paper's notation, long ones abbreviated) and exits 0 iff
its verdict matches the expectation.

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
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path

from .core.checker import fingerprint
from .paper import PAPER
from .registry import get, result_ids

__all__ = ["main"]

_STATUS_WIDTH = len("inconclusive")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("symbolic_mech")
    except PackageNotFoundError:
        return "unknown"


def _clip(text, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


def _wrap(text, width: int, max_lines: int | None, indent: str = "  ", label: str = "",
          hang: str | None = None) -> list[str]:
    """``label + text`` wrapped at word boundaries to ``width`` columns, continuation lines
    indented under the text, at most ``max_lines`` lines (the last ending in " ..."); a word
    longer than a line is broken only when the lines are capped (``max_lines`` given), so that
    ``verify --wide`` never splits a word."""
    hang = indent + " " * min(len(label), 12) if hang is None else hang
    wrapper = textwrap.TextWrapper(width=max(width, len(hang) + 20), initial_indent=indent + label,
                                   subsequent_indent=hang, max_lines=max_lines, placeholder=" ...",
                                   break_on_hyphens=False, break_long_words=max_lines is not None)
    return wrapper.wrap(text) or [indent + label.rstrip()]


class _Table:
    """The verdict table, fitted to ``width`` columns; ``wide``: every field in full, wrapped at word
    boundaries."""

    def __init__(self, ids, labels, width: int, wide: bool = False):
        self.width, self.wide = width, wide
        self.id_width = max([len("id"), *map(len, ids)])
        fixed = self.id_width + 1 + _STATUS_WIDTH + 1 + 3 + 1 + 6
        longest = max([len("paper"), *map(len, labels)])
        self.label_width = longest if wide else max(min(longest, width - fixed - 1), 8)

    def header(self) -> str:
        return (f"{'id':{self.id_width}} {'paper':{self.label_width}} {'status':{_STATUS_WIDTH}} "
                f"{'ok':3} {'time':>6}")

    def rows(self, d) -> list[str]:
        # the atoms' internal names read in the paper's notation, as in the derivations
        from .presentation.display import check_label, title_plain
        r, v = d.result, d.verdict
        wide = self.wide
        label = r.label if wide else _clip(r.label, self.label_width)
        out = [f"{r.id:{self.id_width}} {label:{self.label_width}} {v.status:{_STATUS_WIDTH}} "
               f"{'yes' if d.ok else 'NO':3} {d.seconds:5.1f}s"]
        out += _wrap(title_plain(r.claim), self.width, None if wide else 2, label="claim: ")
        note = ("erratum of the paper; " if r.erratum else "") + title_plain(v.brief())
        out += _wrap(note or "none recorded", self.width, None if wide else 3, label="evidence: ")
        out += _wrap(title_plain(d.scope_summary()), self.width, None if wide else 1, label="scope: ")
        for check, expect, _ in d.checks:
            if check.status == "refuted" or check.status != expect:
                how = check_label(check, expect, r.refutes)
                # a check named by its words (a control by what it changes), then what decided it
                words = check.evidence.get("description") or check.claim
                out += _wrap(title_plain(f"{check.id}, {words}: {check.brief() or check.status}"), self.width,
                             None if wide else 4, indent="    ", label=f"{how}: ", hang=" " * 8)
        return out


class _Progress:
    """``[k/n] id ...`` on stderr while a result runs, only when stderr is a terminal: rewritten in
    place and erased before any output when stdout is that terminal too, else one line per step
    (so that it never runs into a table another program prints from stdout)."""

    def __init__(self, width: int):
        self.on = sys.stderr.isatty()
        self.in_place = self.on and sys.stdout.isatty()
        self.width = width

    def show(self, text: str) -> None:
        if self.on:
            text = _clip(text, max(self.width - 1, 10))
            sys.stderr.write("\r\x1b[2K" + text if self.in_place else text + "\n")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.in_place:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def _recheck_derivation(d) -> tuple[int, list[str], float]:
    """Replay every check's certificate with the independent checker and compare its statement's
    fingerprint with the installed catalogue: (confirmed, problems, seconds)."""
    from .core import checker
    from .registry import load_statements
    t0, confirmed, problems = time.perf_counter(), 0, []
    registered = load_statements()["results"].get(d.result.id, {}).get("checks", {})
    for v, _, _ in d.checks:
        stmt = (v.certificate or {}).get("statement")
        if stmt is not None and registered.get(v.id, {}).get("fingerprint") != fingerprint(stmt):
            problems.append(f"{d.result.id}/{v.id}: its statement is not the registered one "
                            "(proofs/statements.json; 'symbolic-mech statements --write' after a deliberate change)")
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


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"a JSON object repeats the key {next(k for k in keys if keys.count(k) > 1)!r}")
    return dict(pairs)


def _certificate_count(obj) -> int:
    """Every object anywhere in a run that has a certificate's format (statements aside)."""
    from .core import checker
    formats, count, stack = {checker.FORMAT, checker.FINITE_FORMAT, checker.SCHEMATIC_FORMAT}, 0, [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            count += node.get("format") in formats
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _recheck_file(path, statements=None) -> int:
    """Replay a saved run: its envelope against the catalogue of statements, then the certificate
    of every check it lists (and nothing else); exit 0 only if nothing is wrong, 1 naming each
    problem, 2 if unreadable."""
    from .core import checker, envelope
    from .registry import load_statements
    try:
        with open(path, encoding="utf-8") as fh:
            run = json.load(fh, object_pairs_hook=_no_duplicate_keys)
        catalogue = load_statements(statements)
    except (OSError, ValueError, RecursionError) as exc:
        print(f"symbolic-mech: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(run, dict) or "results" not in run:
        print(f"symbolic-mech: {path} is not a 'verify --json' run", file=sys.stderr)
        return 2
    outer = envelope.problems(run, catalogue)
    checks = [(r.get("id"), c) for r in run["results"] if isinstance(r, dict)
              for c in (r.get("evidence", {}).get("checks") or []) if isinstance(c, dict)]
    certs = [(f"{rid}/{c.get('id')}", c["certificate"]) for rid, c in checks if c.get("certificate") is not None]
    if _certificate_count(run) != len(certs):
        outer.append(f"the run holds {_certificate_count(run)} certificates, but its checks cite {len(certs)}: "
                     "a certificate outside a check, or a check disguised as one")
    for p in outer:
        print(f"REJECTED   {p}")
    bad = 0
    for name, cert in certs:
        report = checker.recheck(cert)
        if report.confirmed:
            print(f"confirmed  {name}")
        else:
            bad += 1
            print(f"REJECTED   {name}: " + "; ".join(report.problems))
    missing = envelope.coverage(run, catalogue)
    if missing:
        print(f"\nthe run lists {len(run['results'])} of {len(catalogue['results'])} registered results "
              f"(not: {', '.join(missing)})")
    print(f"\n{len(certs) - bad}/{len(certs)} certificates confirmed by the independent checker; "
          f"{len(outer)} problem{'s' if len(outer) != 1 else ''} with the run's envelope")
    return 0 if certs and not bad and not outer else 1


def _show_statements(rid: str) -> int:
    """Each check's formal statement, rendered from its certificate, with its fingerprint."""
    from .presentation.display import title_plain
    from .registry import derive
    from .presentation.statement import Statement
    width = shutil.get_terminal_size().columns
    d = derive(rid)
    for v, expect, control in d.checks:
        cert = v.certificate or {}
        head = f"{v.id} ({'negative control, ' if control else ''}expected {expect}, {v.status})"
        print(head)
        print(textwrap.fill(title_plain(v.claim), width - 2, initial_indent="  ", subsequent_indent="    "))
        stmt = cert.get("statement")
        if stmt is None:
            print("  no statement (no certificate)\n")
            continue
        fp = Statement(stmt).fingerprint if "lhs" in stmt else fingerprint(stmt)
        print(f"  fingerprint {fp[:16]}")
        text = Statement(stmt).text(width - 2) if "lhs" in stmt else textwrap.fill(stmt.get("text", ""), width - 2)
        print(textwrap.indent(text, "  ") + "\n")
    return 0


def _statements(write: bool, show: str | None = None, ids=()) -> int:
    """Print the catalogue of statements (or write proofs/statements.json, or show one result's);
    with ``ids``, only those results are derived again and the others kept as catalogued."""
    from .registry import derive, load_statements, statements, statements_path
    for rid in ([show] if show is not None else []) + list(ids):
        if rid not in result_ids():
            print(f"symbolic-mech: unknown result {rid!r}; try 'symbolic-mech list'", file=sys.stderr)
            return 2
    if show is not None:
        return _show_statements(show)
    doc = statements([derive(rid) for rid in (ids or result_ids())])
    if ids:
        kept = load_statements()["results"]
        doc["results"] = {rid: doc["results"].get(rid, kept.get(rid)) for rid in result_ids()
                          if rid in doc["results"] or rid in kept}
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if write:
        statements_path().write_text(text, encoding="utf-8")
        print(f"wrote {statements_path().name}: "
              f"{sum(len(r['checks']) for r in doc['results'].values())} statements")
    else:
        sys.stdout.write(text)
    return 0


def _verify(ids, as_json: bool, markdown=None, latex=None, recheck: bool = False, wide: bool = False) -> int:
    known = result_ids()
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(f"symbolic-mech: unknown result id(s): {', '.join(unknown)}; "
              f"known: {', '.join(known)}", file=sys.stderr)
        return 2
    ids = ids or known
    derivations, all_ok, t0 = [], True, time.perf_counter()
    rechecked, recheck_seconds = [], 0.0
    columns = shutil.get_terminal_size().columns
    table = _Table(ids, [get(rid).label for rid in ids], columns, wide)
    progress = _Progress(columns)
    if not as_json:
        print(table.header(), flush=True)
    for k, rid in enumerate(ids, 1):
        result = get(rid)
        progress.show(f"[{k}/{len(ids)}] {rid} ...")
        try:
            d = result.run()
        finally:
            progress.clear()
        derivations.append(d)
        all_ok &= d.ok
        if recheck:
            confirmed, problems, secs = _recheck_derivation(d)
            recheck_seconds += secs
            rechecked.append((rid, confirmed, problems))
            all_ok &= not problems
        if not as_json:
            print("\n".join(table.rows(d)), flush=True)
    if as_json:
        from .presentation.report import json_report
        print(json.dumps(json_report(derivations, version=_version(), paper=PAPER), indent=2))
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
    if markdown or latex:
        from .presentation import report
    if markdown:
        Path(markdown).write_text(report.markdown_report(derivations), encoding="utf-8")
        print(f"report written to {markdown}", file=sys.stderr)
    if latex:
        # the figures go to a folder beside the .tex, which the document includes them from
        figures = Path(latex).with_name(Path(latex).stem + "-figures")
        Path(latex).write_text(report.latex_report(derivations, figures=figures), encoding="utf-8")
        print(f"report written to {latex}" + (f", its figures to {figures}" if figures.is_dir() else ""),
              file=sys.stderr)
    return 0 if all_ok else 1


def _derive_all(ids, progress) -> dict:
    """``{id: Derivation}`` of the results ``ids``, each run with its progress line shown."""
    derivations = {}
    for k, rid in enumerate(ids, 1):
        progress.show(f"[{k}/{len(ids)}] {rid} ...")
        try:
            derivations[rid] = get(rid).run()
        finally:
            progress.clear()
    return derivations


def _coverage(as_json: bool, as_markdown: bool) -> int:
    """Run the results the ledger reads, then print the ledger (a table fitted to the terminal,
    JSON or Markdown); exit 0 iff every result came out as registered."""
    from .coverage import ledger, markdown, needed
    columns = shutil.get_terminal_size().columns
    derivations = _derive_all(needed(), _Progress(columns))
    rows = ledger(derivations)
    if as_json:
        print(json.dumps({"version": _version(), "paper": PAPER, "items": rows}, indent=2, ensure_ascii=False))
    elif as_markdown:
        sys.stdout.write(markdown(rows))
    else:
        from .presentation.display import title_plain      # the ledger's words hold TeX math, as claims do
        width = max(len(r["item"]) for r in rows)
        status_width = max(len(r["status"]) for r in rows)
        for r in rows:
            head = f"{r['item']:{width}} {r['status']:{status_width}} "
            note = title_plain(r["note"] or "")
            print("\n".join(_wrap(", ".join(r["results"]) or note, columns, 2, indent=head,
                                   hang=" " * len(head))))
            for h in r["hypotheses"]:
                print("\n".join(_wrap(title_plain(f"{h['name']}: {h['text']} ({h['note']})"), columns, 3,
                                       indent="    ", label=f"{h['verdict']}: ", hang=" " * 8)))
            for part in r.get("parts", []):
                print("\n".join(_wrap(title_plain(f"{part['part']}: {', '.join(part['results'])}"), columns, 2,
                                       indent="    ", label=f"{part['status']}: ", hang=" " * 8)))
            if r["results"] and note:
                print("\n".join(_wrap(note, columns, 2, indent="    ", label="note: ", hang=" " * 8)))
    return 0 if all(d.ok for d in derivations.values()) else 1


def _site(out) -> int:
    """Run every result, then write the offline site into ``out``; exit 0 iff every result came out
    as registered."""
    from .presentation.site import build_site
    progress, t0 = _Progress(shutil.get_terminal_size().columns), time.perf_counter()
    derivations = _derive_all(result_ids(), progress)
    progress.show("writing the pages ...")
    try:
        written = build_site(out, derivations)
    finally:
        progress.clear()
    print(f"wrote {len(written)} pages to {out} (index.html first) in {time.perf_counter() - t0:.1f}s")
    return 0 if all(d.ok for d in derivations.values()) else 1


def _show(rid: str) -> int:
    if rid not in result_ids():
        print(f"symbolic-mech: unknown result id: {rid}; known: {', '.join(result_ids())}", file=sys.stderr)
        return 2
    d = get(rid).run()
    print("\n".join(d.lines()))
    return 0 if d.ok else 1


def _notebooks(stems, html: bool, execute: bool, timeout) -> int:
    from .presentation.notebooks import build_one, proof_scripts
    try:
        for name in ("jupytext", "nbclient", "nbformat") + (("nbconvert", "latex2mathml") if html else ()):
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
    """Run the command; a closed output pipe ends it quietly (exit status 1)."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # the reader went away (``| head``): send what Python still flushes at exit to
        # devnull, so that no second BrokenPipeError is printed (as the Python docs advise)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 1


def _main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="symbolic-mech", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the registered results")
    ver = sub.add_parser("verify", help="verify registered results and print the verdict table")
    ver.add_argument("ids", nargs="*", help="result ids (default: all)")
    ver.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    ver.add_argument("--wide", action="store_true",
                     help="print every field of the table in full, whatever the terminal's width")
    ver.add_argument("--markdown", metavar="FILE", help="write the whole report (derivations included) as Markdown")
    ver.add_argument("--latex", metavar="FILE", help="write the whole report as a LaTeX document (its figures in a folder beside it, FILE without .tex plus -figures)")
    ver.add_argument("--recheck", action="store_true",
                     help="replay every certificate with the independent checker (exit 1 on any disagreement)")
    sh = sub.add_parser("show", help="print a result's derivation, step by step, as its proof script does")
    sh.add_argument("id", help="a result id")
    rc = sub.add_parser("recheck", help="replay the certificates in a saved 'verify --json' output")
    rc.add_argument("file", help="a JSON file written by 'symbolic-mech verify --json'")
    rc.add_argument("--statements", metavar="FILE",
                    help="the catalogue of statements to hold the run against (default: the installed one)")
    st = sub.add_parser("statements", help="print the catalogue of formal statements (fingerprints)")
    st.add_argument("--write", action="store_true", help="write it to proofs/statements.json")
    st.add_argument("--show", metavar="ID", help="print one result's statements, rendered, with their fingerprints")
    st.add_argument("ids", nargs="*", metavar="ID",
                    help="derive only these results again (the others as catalogued; default: all)")
    cv = sub.add_parser("coverage", help="the paper's items and how each is checked (runs the results it reads)")
    fmt = cv.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the ledger as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print the ledger as a Markdown table")
    si = sub.add_parser("site", help="write the offline site: the coverage ledger and one page per result")
    si.add_argument("out", help="the directory to write (created if missing)")
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
        columns = shutil.get_terminal_size().columns
        ids = result_ids()
        id_width = max(map(len, ids))
        label_width = max(len(get(rid).label) for rid in ids)
        for rid in ids:
            r = get(rid)
            head = f"{rid:{id_width}} {r.label:{label_width}} "
            room = columns - len(head)
            from .presentation.display import title_plain
            claim = title_plain(r.claim)
            print(head + (claim if room < 20 else textwrap.shorten(claim, room, placeholder=" ...")))
        return 0
    if args.command == "recheck":
        return _recheck_file(args.file, args.statements)
    if args.command == "statements":
        return _statements(args.write, args.show, args.ids)
    if args.command == "show":
        return _show(args.id)
    if args.command == "site":
        return _site(args.out)
    if args.command == "coverage":
        return _coverage(args.json, args.markdown)
    return _verify(args.ids, args.json, args.markdown, args.latex, args.recheck, args.wide)


if __name__ == "__main__":
    raise SystemExit(main())
