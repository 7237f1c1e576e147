"""The package's layout: the presentation layer sits on top, and nothing below imports it.

The engine, the trusted core, the paper's data and the registry must work without the printers,
notebooks, report and site (symbolic_mech.presentation): the registry shows live derivations
through the view the package installs (registry.set_view), not by importing the layer.
"""
import ast
from pathlib import Path

import pytest

import symbolic_mech
from symbolic_mech import registry

PACKAGE = Path(symbolic_mech.__file__).parent
# the package's facade installs the view; the command line is the application on top of everything
ON_TOP = {"__init__.py", "cli.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (at any depth), as absolute dotted names."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1] if path.name != "__init__.py" else parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def below_presentation():
    return [p for p in PACKAGE.rglob("*.py")
            if "presentation" not in p.relative_to(PACKAGE).parts and p.relative_to(PACKAGE).as_posix() not in ON_TOP]


@pytest.mark.parametrize("path", below_presentation(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_nothing_below_imports_the_presentation_layer(path):
    bad = sorted(m for m in imported_modules(path) if m.startswith("symbolic_mech.presentation"))
    assert not bad, f"{path.name} imports {bad}"


def test_the_import_finder_sees_relative_imports():
    # the rule above is only as good as this reader of imports
    mods = imported_modules(PACKAGE / "presentation" / "site.py")
    assert "symbolic_mech.presentation.notebooks" in mods and "symbolic_mech.coverage" in mods
    assert "symbolic_mech.core.kernel" in imported_modules(PACKAGE / "registry.py")


def test_the_registry_refuses_a_view_without_its_methods():
    with pytest.raises(TypeError, match="view must have a method"):
        registry.set_view(object())
