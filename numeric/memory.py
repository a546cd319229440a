"""Keep freed heap memory in the process while the vectorized solver runs.

Each chunk of the solver allocates and frees dozens of array temporaries of
CHUNK doubles.  glibc's malloc hands freed memory at the top of the heap back
to the operating system once it exceeds M_TRIM_THRESHOLD (and serves blocks
above M_MMAP_THRESHOLD with fresh mappings), so the next pass faults the same
pages back in.  On virtual machines a page fault costs microseconds, and the
faults alone cost the solver 10-20 % of its time on the reference grid.

:func:`keep_freed_memory` raises both thresholds once per process.  The
process then keeps up to TRIM_THRESHOLD bytes of freed memory for reuse
instead of returning it.  It is a no-op where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

#: mallopt parameter numbers from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: Freed memory kept at the top of the heap before it is returned to the system.
TRIM_THRESHOLD = 64 << 20
#: Blocks below this size come from the heap (reused) rather than fresh mappings.
MMAP_THRESHOLD = 32 << 20


@lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Raise glibc's trim and mmap thresholds (once); True if they were set."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc: nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)) and \
        bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
