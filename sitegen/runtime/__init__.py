"""The machinery of speed, the bottom layer: every process, memory and priority trick the
build plays lives here, and nowhere else (tests/test_runtime_seam.py checks it).

- `workers`: a stage's work spread over forked worker processes (`parallel_map`), and how
  many to use;
- `memory`: the heap kept out of the collector's way while forked processes share it,
  and given back to the system when a build is done with it;
- `priority`: lower priorities, the idle class, pausing a process group;
- `detached`: a folder removed by a detached process; the preview's background child;
- `tether`: a command that stops when the build that started it goes away;
- `parked`: Markdown bodies stored in a file (`StoredBody`, a frozen reference read back
  when shown) for forked renderers.

Domain code calls a named function of these modules; it never forks, renices, freezes the
collector or trims malloc itself. Importing this package imports none of them.
"""

__all__ = ["detached", "memory", "parked", "priority", "tether", "workers"]
