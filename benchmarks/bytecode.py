"""Whole-command timings start from compiled bytecode, the way an installed officesim runs.

``pip install`` compiles a wheel's modules to bytecode, and a checkout writes ``__pycache__``
the first time it is imported, so a user's second command never compiles anything. A machine
that sets ``PYTHONDONTWRITEBYTECODE`` (as some containers and CI images do) never keeps the
bytecode of a checkout, and every timed command would then compile the package's modules again
(about 0.2 s of every command on the benchmark machine): a cost no user waits for. The scripts
that time whole commands therefore compile each checkout first; ``compileall`` writes the
bytecode whatever that variable says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_bytecode(checkout: Path) -> None:
    """Write the bytecode of ``checkout``'s package (``sim/``), as an install would."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "sim")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
