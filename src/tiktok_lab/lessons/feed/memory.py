"""Keep freed memory in the process for reuse (Linux with glibc; nothing changes elsewhere).

Why: each round of the feed simulator allocates and frees a few megabytes of NumPy arrays.
With glibc's start-up settings, freed blocks above 128 KB go back to the operating system and
the next round faults them in again page by page: about 3,900 page faults per run of the
default scenario, a quarter of its time on the course machine (``docs/performance.md``).

glibc raises these thresholds by itself as a program frees large blocks, up to 32 MB (mmap)
and 64 MB (trim); :func:`reuse_freed_memory` sets them to those ceilings at once. Memory in
use never grows: only up to 64 MB of freed memory stays in the process instead of being handed
back, which a Jupyter kernel re-uses at the next cell anyway.

Kept because it is measured (issue 15): ``benchmarks/feed.py --against`` a copy of the package
with the call removed, default world, one core, 80 runs each, twice: median 24.6 and 25.0 ms
with it, 32.8 and 32.6 ms without (about a quarter of each slider move). Remove it when that
benchmark stops showing a difference.
"""

from __future__ import annotations

import ctypes
import functools
import sys

M_TRIM_THRESHOLD = -1   # mallopt parameter numbers, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024   # glibc's own ceiling for its dynamic threshold
TRIM_THRESHOLD_BYTES = 2 * MMAP_THRESHOLD_BYTES


@functools.cache
def reuse_freed_memory() -> bool:
    """Tell glibc to keep freed memory for reuse; True when it took effect. Safe to call often
    (it acts once) and on any system (False without glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, for instance)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
