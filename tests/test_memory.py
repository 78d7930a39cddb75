"""Freed memory stays in the process for reuse (tiktok_lab.lessons.feed.memory), checked by page faults.

Each case runs in a fresh interpreter: the allocator settings are process-wide.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# The simulator of lesson 03, the reason for the module: each run allocates and frees a few MB
# of arrays of many sizes. "default" keeps glibc's own settings (the simulator's call to
# reuse_freed_memory is switched off).
CHURN = """
import resource, sys
import tiktok_lab.lessons.feed.pools as feed_pools
from tiktok_lab.lessons.feed.model import FeedParams, make_world
if sys.argv[1] == "default":
    feed_pools.reuse_freed_memory = lambda: False
params = FeedParams.defaults()
world = make_world(params)
feed_pools._simulate(params, world)  # the first run always faults its memory in
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    feed_pools._simulate(params, world)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings")
def test_freed_memory_is_reused_instead_of_faulted_in_again() -> None:
    from tiktok_lab.lessons.feed.memory import reuse_freed_memory

    assert reuse_freed_memory() is True
    reused, default = _page_faults("reuse"), _page_faults("default")
    # glibc's own settings: ~5,000 page faults per run (20 MB faulted in again); kept: ~none.
    assert default > 3_000
    assert reused < default / 10

