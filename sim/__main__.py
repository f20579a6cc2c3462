"""``python -m sim`` runs the officesim command."""

import sys

from sim.cli import main

sys.exit(main())
