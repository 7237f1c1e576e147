"""The offline site: index and result pages, read back as a browser renders them."""
import re
import shutil
import subprocess

import pytest

from symbolic_mech.registry import get
from symbolic_mech.presentation.site import build_site, related

pytest.importorskip("nbconvert")
pytest.importorskip("latex2mathml")

IDS = ("example5", "per-impression", "footnote22")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    derivations = {rid: get(rid).run() for rid in IDS}
    build_site(out, derivations)
    return out


def test_index_links_every_page_and_pages_link_back(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for rid in IDS:
        page = site / f"{rid.replace('-', '_')}.html"
        assert page.exists(), rid
        assert f'href="{page.name}"' in index, rid
        text = page.read_text(encoding="utf-8")
        assert 'href="index.html"' in text
        assert '<details class="sm-code">' in text  # code folded, openable
    assert "Example 5" in index and "Footnote 22" in index
    # a result run shows its verdict on the index; items whose results were not run say so
    assert re.search(r"st-proved\">proved", index)
    assert "not run: theorem1" in index


def test_related_results_are_those_checking_the_same_item():
    assert "example4-stated-payoff" in related("example4")
    assert "corollary3-signal-reference" in related("corollary3")
    assert "example4" not in related("theorem1")


def test_nothing_is_loaded_from_the_network(site):
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", text), page.name
        assert "mathjax" not in text.lower(), page.name


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (.ci/run installs it)")
def test_pages_render_in_a_headless_browser(site):
    for page in sorted(site.glob("*.html")):
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                              page.as_uri()], capture_output=True, text=True, timeout=120).stdout
        assert "</html>" in dom, page.name
        prose = re.sub(r"<(pre|code|details|math|style|script)\b.*?</\1>", " ", dom, flags=re.S)
        prose = re.sub(r"<[^>]+>", " ", prose)
        # math rendered: no TeX left in the text a reader sees, and MathML where the page has formulas
        assert "$$" not in prose and "\\frac" not in prose and "\\mathbb" not in prose, page.name
        assert "**" not in prose, page.name
        if page.name != "index.html":
            assert "<math" in dom, page.name
