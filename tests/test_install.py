"""An installed package carries its proof scripts: proofs/ is the subpackage symbolic_mech.proofs."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow           # a pip install and a derivation in a fresh interpreter
def test_a_non_editable_install_runs_a_derivation_from_its_own_scripts(tmp_path):
    pytest.importorskip("setuptools")
    target = tmp_path / "site"
    # no build isolation: nothing is downloaded
    build = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                            "--target", str(target), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    assert (target / "symbolic_mech" / "proofs" / "theorem1.py").is_file()
    code = ("import symbolic_mech, symbolic_mech.proofs as p; from symbolic_mech import derive; "
            "d = derive('theorem1'); print(symbolic_mech.__file__, p.__file__, d.ok)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    package, proofs, ok = run.stdout.split()
    assert package.startswith(str(target)) and proofs.startswith(str(target)) and ok == "True"
