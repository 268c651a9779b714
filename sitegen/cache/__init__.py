"""The build cache, `.sitegen-cache/` in the site: what earlier builds made, kept so that the
next build need not make it again. Every cache follows one pattern:

- `folder` owns the folder: what is in it and under which name, the stamp line that starts
  each cache file (`sitegen WHAT cache VERSION`), writing a file whole and atomically, the
  notice a build prints about a cache it could not use, symbolic links refused, `clean`;
- each cache is a module named for what it holds, and says how it is keyed and what makes
  an entry stale: `bodies` (Markdown bodies converted), `documents` (what each content file
  became), `pages` (every file the last build wrote into its output folder), `cards` (share
  cards drawn);
- `segments` is the format of the two caches of keyed strings (bodies, documents), which a
  build extends instead of writing again.

A cache is never needed and never trusted: one that is missing, damaged or another
version's is a miss (the build makes everything, as without it), never an error. What a
cache's entries mean stays in the layer that makes them: Markdown is converted in markup/,
cards are drawn in cards/, and output/ decides which pages may be kept.
"""
