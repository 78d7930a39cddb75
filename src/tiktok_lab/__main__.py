"""``python -m tiktok_lab`` is the same as the ``tiktok-lab`` command."""

import sys

from tiktok_lab.cli.main import main

sys.exit(main())
