"""Coroutines of the hub tests, run on an event loop of their own.

The browser tests' Playwright (sync API) keeps an event loop running in the main thread for
the whole test session, and ``asyncio.run`` refuses to start inside a running loop: the hub
tests, collected after them, would all fail in a full run and pass alone. A thread of their
own gives each coroutine a fresh loop whatever ran before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` in a new thread; its result, or its exception."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-test-loop") as pool:
        return pool.submit(asyncio.run, coroutine).result()
