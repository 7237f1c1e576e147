"""Every committed notebook's formulas are paper-sized and its text uses the paper's notation.

The cap is symbolic_mech.presentation.printers.within_cap: a formula's text/plain at most WIDTH columns and
HEIGHT lines (MATRIX_HEIGHT for a matrix), its LaTeX at most LATEX_SIZE characters of content.
"""
import re
from pathlib import Path

import pytest

from symbolic_mech.presentation.printers import formula_size, latex_size, within_cap, LATEX_SIZE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# the atoms' internal names, never shown to a reader
INTERNAL = re.compile(r"E\[omega(?:\^\d+)?\|[\d,]+\]|E\[omega\|s\d+,|omega__|\bV_\d+(?:,\d+)*|\bZ\[\d|\bR\[\d+\||exp\[|_star\[")


@pytest.fixture(scope="module")
def nbformat():
    return pytest.importorskip("nbformat")


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _texts(output):
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [data[k] for k in ("text/plain", "text/markdown", "text/latex", "text/html") if k in data]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_formula_is_within_the_cap(nbformat, path):
    nb = nbformat.read(str(path), as_version=4)
    for out in _outputs(nb):
        data = out.get("data", {})
        if "text/latex" not in data:
            continue
        plain, tex = data.get("text/plain", ""), data["text/latex"]
        matrix = plain.lstrip().startswith(("⎡", "["))
        assert latex_size(tex) <= LATEX_SIZE, f"{path.stem}: LaTeX of {latex_size(tex)} characters: {tex[:120]}"
        assert within_cap(plain, matrix=matrix), f"{path.stem}: a formula of {formula_size(plain)}:\n{plain[:2000]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_internal_atom_names_in_the_output(nbformat, path):
    nb = nbformat.read(str(path), as_version=4)
    found = [m.group(0) for out in _outputs(nb) for text in _texts(out) for m in INTERNAL.finditer(text)]
    assert not found, f"{path.stem}: internal names in the output: {sorted(set(found))[:8]}"
