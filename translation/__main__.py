"""``python -m translation`` → ``translation.cli``."""

import sys

from translation.cli import main

sys.exit(main())
