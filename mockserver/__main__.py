"""`python -m mockserver` is `fleetbox`."""

import sys

from .cli import main

sys.exit(main())
