"""The offline site: the coverage ledger as the front page, one page per result.

``symbolic-mech site OUT`` runs the results, then writes ``OUT/index.html`` (the
ledger with every result's verdict) and ``OUT/<stem>.html`` for each proof
script, from its committed executed notebook: the paper's statement, the
derivation, the checks and the verdict, code cells folded (``<details>``) and
openable, a navigation bar, and links to the related results (those that
check the same item of the paper: a result and its erratum, a definition and
the results that use it).  Nothing is loaded from the network: the pages are
nbconvert's ``lab`` template without its script loaders, the math MathML
(:func:`symbolic_mech.presentation.notebooks.notebook_html`), the index a Jinja template.
"""
from __future__ import annotations

import html
from pathlib import Path

from ..coverage import LEDGER, ledger
from ..paper import PAPER
from .notebooks import _HTML_TEMPLATE, _root, offline_notebook, proof_scripts
from .quotes import quote_html

__all__ = ["build_site", "related"]

_PAGE = r"""{%- extends 'offline.html.j2' -%}
{%- block extra_css -%}
{{ super() }}
<style type="text/css">
.sm-nav { font-family: sans-serif; font-size: 0.95em; padding: 0.6em 1em; margin-bottom: 1em;
          border-bottom: 1px solid #cfd8dc; }
.sm-nav a { margin-right: 1.2em; }
.sm-related { font-family: sans-serif; font-size: 0.95em; padding: 0.6em 1em; margin-top: 2em;
              border-top: 1px solid #cfd8dc; }
details.sm-code > summary { cursor: pointer; color: #546e7a; font-family: sans-serif; font-size: 0.9em;
                            padding: 0.2em 0; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="sm-nav">{{ resources.sm_nav }}</nav>
{%- endblock body_header -%}
{% block input_group -%}
<details class="sm-code"><summary>code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block body_footer %}
<aside class="sm-related">{{ resources.sm_related }}</aside>
{{ super() }}
{% endblock body_footer %}
"""

_INDEX = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>symbolic_mech: {{ paper }}</title>
<style type="text/css">
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #263238; }
table { border-collapse: collapse; width: 100%; margin: 1em 0 2em; }
th, td { text-align: left; vertical-align: top; padding: 0.35em 0.6em; border-bottom: 1px solid #eceff1; }
th { background: #f5f7f8; }
.st { font-weight: bold; white-space: nowrap; }
.st-proved, .st-instances, .st-general { color: #1b5e20; }
.st-refuted { color: #e65100; }
.st-inconclusive, .st-not-covered { color: #b71c1c; }
.small { font-size: 0.9em; color: #546e7a; }
details > summary { cursor: pointer; }
blockquote { margin: 0.4em 0 0.4em 0.6em; }
</style></head>
<body>
<h1>{{ paper }}</h1>
<p>Each numbered item of the paper and how it is checked. A status is computed from the verdicts:
<b>refuted</b> (an erratum result refutes the item as stated), <b>general</b> (proved for the whole class the
statement quantifies over), <b>instances</b> (proved on the listed results' instances), <b>beyond its
hypotheses</b> (as instances, but a hypothesis of the statement fails on them: the conclusion is checked there, the
statement as written is not), <b>not covered</b> (with the reason). A hypothesis <i>holds</i> or <i>fails</i> by the checks that decide it; <i>declared</i>
means it restates what the model assumes and is not evidence.</p>
<h2>The paper, item by item</h2>
<table>
<tr><th>item</th><th>section</th><th>status</th><th>results</th><th>hypotheses and notes</th></tr>
{% for r in rows %}<tr id="{{ r.anchor }}">
<td>{{ r.item }}{% if r.quote %}<details class="small"><summary>the paper</summary>{{ r.quote|safe }}</details>{% endif %}</td>
<td class="small">{{ r.section }}</td>
<td class="st st-{{ r.status_class }}">{{ r.status }}</td>
<td>{% for rid in r.results %}<a href="{{ pages[rid] }}">{{ rid }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</td>
<td class="small">{% for h in r.hypotheses %}{{ h.name }}: <b>{{ h.verdict }}</b><br>{% endfor %}{{ r.note }}</td>
</tr>
{% endfor %}</table>
<h2>Results</h2>
<table>
<tr><th>result</th><th>paper</th><th>verdict</th><th>expected</th><th>claim</th></tr>
{% for d in results %}<tr>
<td><a href="{{ pages[d.id] }}">{{ d.id }}</a></td><td>{{ d.label }}</td>
<td class="st st-{{ d.status }}">{{ d.status }}</td><td>{{ d.expected }}</td><td class="small">{{ d.claim }}</td>
</tr>
{% endfor %}</table>
</body></html>
"""


def related(result_id: str) -> list[str]:
    """The results that check an item of the paper that ``result_id`` also checks, in the ledger's order.

    >>> "example4" in related("example4-stated-payoff")
    True
    """
    out: dict = {}
    for e in LEDGER:
        if result_id in e.results:
            for rid in e.results:
                if rid != result_id:
                    out.setdefault(rid, None)
    return list(out)


def _items_of(result_id: str) -> list[str]:
    return [e.item for e in LEDGER if result_id in e.results]


def build_site(out, derivations, root=None) -> list[Path]:
    """Write the site into the directory ``out`` from ``derivations`` (``{result id: Derivation}``)
    and the committed notebooks; return the paths written."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    by_stem = {d.result.id.replace("-", "_"): d for d in derivations.values()}
    scripts = [p for p in proof_scripts(root) if p.stem in by_stem]
    notebooks_dir = (Path(root) if root is not None else _root()) / "notebooks"
    pages = {by_stem[p.stem].result.id: f"{p.stem}.html" for p in scripts}
    loader = jinja2.DictLoader({"offline.html.j2": _HTML_TEMPLATE, "site.html.j2": _PAGE})
    exporter = HTMLExporter(template_name="lab", extra_loaders=[loader])
    exporter.template_file = "site.html.j2"
    written = []
    for k, path in enumerate(scripts):
        d = by_stem[path.stem]
        rid = d.result.id
        nb = nbformat.read(notebooks_dir / f"{path.stem}.ipynb", as_version=4)
        nav = ['<a href="index.html">the paper, item by item</a>']
        if k > 0:
            nav.append(f'<a href="{scripts[k - 1].stem}.html">&larr; {html.escape(by_stem[scripts[k - 1].stem].result.label)}</a>')
        if k + 1 < len(scripts):
            nav.append(f'<a href="{scripts[k + 1].stem}.html">{html.escape(by_stem[scripts[k + 1].stem].result.label)} &rarr;</a>')
        links = [f'<a href="{pages[r]}">{html.escape(r)}</a>' for r in related(rid) if r in pages]
        items = [f'<a href="index.html#{_anchor(i)}">{html.escape(i)}</a>' for i in _items_of(rid)]
        aside = []
        if items:
            aside.append("Checks the paper's " + ", ".join(items) + ".")
        if links:
            aside.append("Related results (the same items): " + ", ".join(links) + ".")
        body, _ = exporter.from_notebook_node(offline_notebook(nb, path.stem),
                                              resources={"sm_nav": " ".join(nav), "sm_related": " ".join(aside)})
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    rows = []
    markup = jinja2.utils.markupsafe.Markup
    for r in ledger(derivations):
        # the ledger's words hold TeX math, as claims do: typeset here
        hypotheses = [dict(h, name=markup(claim_html(h["name"]))) for h in r["hypotheses"]]
        rows.append(dict(r, anchor=_anchor(r["item"]), status_class=r["status"].replace(" ", "-"),
                         results=[rid for rid in r["results"] if rid in pages], hypotheses=hypotheses,
                         note=markup(claim_html(r["note"] or "")),
                         quote=quote_html(r["item"]) if r["statement"] else ""))
    results = [{"id": d.result.id, "label": d.result.label, "status": d.verdict.status,
                "expected": d.result.expected, "claim": jinja2.utils.markupsafe.Markup(claim_html(d.result.claim))}
               for d in derivations.values()]
    index = jinja2.Environment(autoescape=True).from_string(_INDEX).render(
        paper=PAPER, rows=rows, results=results, pages=pages)
    (out / "index.html").write_text(index, encoding="utf-8")
    written.append(out / "index.html")
    return written


def claim_html(text: str) -> str:
    """Words with ``$...$`` math (a result's claim) as HTML: the words escaped, the math as MathML.

    >>> import importlib.util
    >>> importlib.util.find_spec("latex2mathml") is None or claim_html(r"if $x > 0$ & <y>").count("<math") == 1
    True
    """
    from .display import title_parts
    from .notebooks import _safe_mathml
    from .printers import readable
    return "".join(_safe_mathml(part, False, f"${part}$") if math else html.escape(readable(part))
                   for math, part in title_parts(text))


def _anchor(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
