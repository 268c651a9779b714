"""sitegen's version, in a module of its own at the bottom layer: the caches stamp their
entries with it and the preview names it, and reading it from the `sitegen` package (the
Python API, above every stage) would tie those low modules to everything above them."""

__version__ = "0.1.0"
