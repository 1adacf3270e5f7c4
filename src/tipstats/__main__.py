import sys

from tipstats.cli import main

sys.exit(main())
