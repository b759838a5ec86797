import sys

from jalverify.cli import main

sys.exit(main())
