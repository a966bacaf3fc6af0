"""The frozen program's entry point (PyInstaller runs this file; the source install does not).

`freeze_support()` comes before anything else: the sandbox starts its workers with the spawn
method, which in a frozen program runs this same executable with `--multiprocessing-fork`
(and the resource tracker with `-c ...`). Those runs must become the worker here, before the
command line below ever sees their arguments.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a worker does its work inside this call, then exits
    from app.__main__ import main

    sys.exit(main())
