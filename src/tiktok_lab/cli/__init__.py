"""The ``tiktok-lab`` command: sub-commands, reset, and the rule for touching folders."""
