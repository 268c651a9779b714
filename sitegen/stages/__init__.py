"""The build's stages, in the order they run, shared by `sitegen build` (commands/build.py, a
short script of them) and a watch session's full build (live/session.py):

    load -> save caches -> plan -> cards -> render and publish (+ search) -> record

`load` (stages/load.py) is all `sitegen check` needs; the writing stages (stages/write.py)
bring in the output folder, the search indexer and the card drawers, so nothing here is
imported until asked for.
"""
