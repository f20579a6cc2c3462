"""``python -m sim`` runs the officesim command."""

import sys

from sim.cli.main import main

sys.exit(main())
