"""The ``d3k2db`` command (and ``python -m d3k2db``): the CLI, started without the garbage collector.

Start-up creates some 200,000 objects (the imports) and none of them is garbage, yet the collector
walks them about 75 times during a lookup: 15-20 % of its CPU. So the collector stays off while the
command starts; ``gc.freeze`` then moves everything imported so far out of its sight, and it is
switched back on after :data:`GC_PAUSE_S`, so that a command that runs long (serve, the imports,
plan) collects as usual, while a lookup is over before it would have run.
"""

import gc
import threading

GC_PAUSE_S = 1.0


def run() -> None:
    gc.disable()
    from d3k2db.cli import main

    gc.freeze()
    resume = threading.Timer(GC_PAUSE_S, gc.enable)
    resume.daemon = True
    resume.start()
    main()


if __name__ == "__main__":
    run()
