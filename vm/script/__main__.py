"""python -m vm.script FILE.wast... : run spec scripts on the VM; the last line is `N passed, M failed`."""

import sys

from .run import main

sys.exit(main())
