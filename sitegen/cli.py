"""Command-line arguments only: each command parses its options and calls one plain function.

Exit codes: 0 built (warnings allowed), 1 content or config errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sitegen.version import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    unknown = _unknown_command(parser, sys.argv[1:] if argv is None else argv)
    if unknown:
        parser.error(unknown)  # usage, the message, exit 2: as argparse's own usage errors
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("\ninterrupted; output/ was left as it was", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_PROBLEMS
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Build a fact-checking site from Markdown and front matter.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                      help="the site folder (default: the current folder)")
    jobs = argparse.ArgumentParser(add_help=False)
    jobs.add_argument("--jobs", "-j", type=_job_count, default=None, metavar="N",
                      help="processes to read and render with (default: one per core)")
    jobs.add_argument("--no-cache", dest="cache", action="store_false",
                      help="convert every Markdown body again; do not read or update "
                           ".sitegen-cache/")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", parents=[site, jobs], help="build the site into output/")
    build.add_argument("--drafts", action="store_true", help="include drafts, visibly marked")
    build.add_argument("--output", type=Path, metavar="DIR", help="write here instead of output/")
    build.add_argument("--watch", action="store_true",
                       help="keep rebuilding on every change until Ctrl-C")
    build.add_argument("--poll", action="store_true",
                       help="with --watch: poll for changes (network drives, containers, WSL)")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", parents=[site, jobs],
                                help="preview with live reload; never touches output/")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=_port_number, default=None,
                       help="port (default 8000, or the next free one)")
    serve.add_argument("--drafts", action="store_true", help="include drafts, visibly marked")
    serve.add_argument("--poll", action="store_true",
                       help="poll for changes (network drives, containers, WSL)")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", parents=[site, jobs],
                                help="validate everything, write nothing")
    check.add_argument("--drafts", action="store_true", help="check as if drafts were included")
    check.set_defaults(run=_check)

    check.add_argument("--history", action="store_true",
                       help="also warn about verdict changes in git that no update records")

    history = commands.add_parser("history", parents=[site],
                                  help="list a fact-check's verdicts through its git history")
    history.add_argument("path", type=Path, metavar="PATH", help="a content file")
    history.set_defaults(run=_history)

    clean = commands.add_parser("clean", parents=[site],
                                help="remove the build cache (.sitegen-cache/)")
    clean.set_defaults(run=_clean)

    init = commands.add_parser("init", help="make a new site folder that builds at once")
    init.add_argument("directory", type=Path, metavar="DIR", nargs="?",
                      help="the new site folder, made if missing; it must be empty "
                           "(default: --site, else the current folder)")
    init.add_argument("--site", type=Path, default=None, metavar="DIR",
                      help="the same as DIR, as every command takes it")
    init.set_defaults(run=_init)

    new = commands.add_parser("new", parents=[site], help="start a new fact-check file")
    new.add_argument("claim", metavar="CLAIM", help="the claim, as it was made")
    new.add_argument("--claimant", required=True, metavar="WHO", help="who made the claim")
    new.add_argument("--verdict", metavar="ID", help="a verdict id from sitegen.toml")
    new.add_argument("--slug", metavar="SLUG", help="URL name (default: made from the claim)")
    new.add_argument("--lang", metavar="CODE",
                     help="the article's language: on a site with [languages], its edition")
    new.set_defaults(run=_new)
    return parser


def _build(args: argparse.Namespace) -> int:
    from sitegen.commands.build import BuildOptions, build
    from sitegen.report import Bar, report

    if args.watch:
        from sitegen.live.loop import LiveOptions, watch_build

        live = LiveOptions(args.drafts, args.poll, args.jobs, args.cache)
        return watch_build(args.site, args.output, live, sys.stdout, sys.stderr)
    if args.poll:
        return _usage_error("--poll goes with --watch", sys.stderr)

    bar = Bar(sys.stdout)
    options = BuildOptions(args.drafts, args.output, args.jobs, args.cache)
    result = build(args.site, options, bar.update)
    bar.close()
    return report(result, "build", sys.stdout, sys.stderr)


def _serve(args: argparse.Namespace) -> int:
    from sitegen.live.loop import LiveOptions, serve

    options = LiveOptions(args.drafts, args.poll, args.jobs, args.cache)
    return serve(args.site, args.host, args.port, options, sys.stdout, sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from sitegen.commands.check import check
    from sitegen.report import report

    result = check(args.site, args.drafts, args.jobs, args.cache, history=args.history)
    return report(result, "check", sys.stdout, sys.stderr)


def _clean(args: argparse.Namespace) -> int:
    from sitegen.cache.folder import CACHE_DIR, clean
    from sitegen.config.settings import no_config

    missing = no_config(args.site)
    if missing is not None:  # as build says it: the folder is not a site, or not this one
        print(missing.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    folder = args.site / CACHE_DIR
    removed = clean(args.site)
    if removed is not None:
        print(removed)
    else:
        print(f"nothing to remove: {folder} does not exist")
    return 0


def _history(args: argparse.Namespace) -> int:
    from sitegen.history.verdicts import history_command

    return history_command(args.site, args.path, sys.stdout, sys.stderr)


def _init(args: argparse.Namespace) -> int:
    from sitegen.commands.scaffold import ScaffoldError, init_site

    if args.directory and args.site and args.directory != args.site:
        return _usage_error(f"two folders: {args.directory} and --site {args.site}; "
                            "give one", sys.stderr)
    directory: Path = args.directory or args.site or Path(".")
    try:
        written = init_site(directory)
    except ScaffoldError as exc:
        return _usage_error(str(exc), sys.stderr)
    print(f"made a new site in {directory} ({len(written)} files)")
    here = directory.resolve() == Path.cwd().resolve()
    print("next: sitegen build" if here else f"next: cd {directory} && sitegen build")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from sitegen.commands.scaffold import ScaffoldError, new_factcheck

    try:
        path = new_factcheck(args.site, args.claim, args.claimant, args.verdict, args.slug,
                             lang=args.lang)
    except ScaffoldError as exc:
        return _usage_error(str(exc), sys.stderr)
    print(path)
    return EXIT_OK


def _unknown_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """'unknown command ... did you mean' for a misspelt command, which argparse (before
    Python 3.14) answers with the whole list and no guess."""
    from sitegen.problems import choices_hint

    word = next((a for a in argv if not a.startswith("-")), None)
    names = [name for action in parser._actions
             if isinstance(action, argparse._SubParsersAction) for name in action.choices]
    if word is None or word in names:
        return None
    return f"unknown command '{word}' ({choices_hint(word, names, 'commands')})"


def _job_count(text: str) -> int:
    """A positive whole number, or argparse's usage error."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, "
                                         f"not {text!r}")
    return value


def _port_number(text: str) -> int:
    """A TCP port (0: any free one), or argparse's usage error instead of a traceback."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {text!r}")
    return value


def _usage_error(message: str, err: TextIO) -> int:
    print(f"sitegen: error: {message}", file=err)
    return EXIT_USAGE
