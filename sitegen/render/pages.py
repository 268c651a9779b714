"""Site -> RenderedFiles: the Jinja environment, the template context, and template errors.

The environment is built once per build. A site's templates/ folder comes first on the search
path, so any theme template can be replaced by name, and the theme stays reachable under the
'theme/' prefix so an override can `{% extends "theme/base.html" %}` and change one block.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from sitegen.colors import text_color
from sitegen.config.settings import SiteConfig
from sitegen.i18n.languages import text_direction
from sitegen.i18n.messages import Messages
from sitegen.models import Date, FactCheck, Verdict
from sitegen.problems import Problem, error
from sitegen.progress import Progress
from sitegen.render.data import claim_review, json_for_script, render_data
from sitegen.render.fragments import Fragments, remember
from sitegen.render.stylesheet import STYLESHEET, stylesheet_data_url
from sitegen.render.undefined import SiteUndefined, Typo, collecting
from sitegen.runtime.parked import StoredBody
from sitegen.runtime.workers import parallel_map, render_jobs, requested_jobs
from sitegen.site.cards import unquoted
from sitegen.site.graph import Site
from sitegen.site.routes import NotFoundRoute, Route
from sitegen.site.scorecard import scorecard
from sitegen.urls import absolute_url, output_file, relative_url

THEME_PATH = Path(__file__).parent.parent / "theme"
THEME_TEMPLATES = THEME_PATH / "templates"
THEME_STATIC = THEME_PATH / "static"

R = TypeVar("R")

"""Called as progress(stage, done, total) while a long stage runs."""


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """One output file: its path inside the output folder and its exact bytes."""

    path: str
    data: bytes


def make_environment(templates_path: Path) -> jinja2.Environment:
    theme = jinja2.FileSystemLoader(THEME_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = []
    if templates_path.is_dir():
        loaders.append(jinja2.FileSystemLoader(templates_path))
    loaders += [jinja2.PrefixLoader({"theme": theme}), theme]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=SiteUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a template edit gets a new environment (serve); no stat per page
    )
    # `| tojson` of a stored body (runtime.parked, while workers render) gives its text, as a str
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_value}
    env.filters.update(date=_date, isodate=iso_date, text_color=text_color,
                       verdict_shape=verdict_shape, text_direction=text_direction,
                       unquoted=unquoted)
    env.globals.update(url=_url, edition_url=_edition_url, abs_url=_abs_url,
                       claim_review_json=_claim_review_json, scorecard=scorecard, t=_t,
                       t_join=_t_join, remember=remember,
                       stylesheet_data=_stylesheet_data)
    return env


def _json_value(value: object) -> str:
    if isinstance(value, StoredBody):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, so a command does not spend half a second
    compiling the theme again. Jinja's own per-user folder (created private, refused if
    another user owns it), keyed by each template's source: never stale, never shared."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def check_templates(env: jinja2.Environment, templates_path: Path) -> list[Problem]:
    """Compile every template of the site's own, so `sitegen check` finds syntax errors even
    in one no page uses yet; the theme's are compiled as the pages are rendered."""
    problems = []
    own = jinja2.FileSystemLoader(templates_path).list_templates() if templates_path.is_dir() \
        else []
    for name in own:
        if not name.endswith((".html", ".xml")):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(_template_problem(exc, templates_path, exc.lineno, exc.message or ""))
    return problems


def render_site(
    site: Site, env: jinja2.Environment, progress: Progress | None = None,
    routes: Sequence[Route] | None = None,
) -> tuple[list[RenderedFile], list[Problem]]:
    """Render `routes` (default: every route of the site) into memory."""
    return render_each(site, env, lambda route, file: file, progress, routes)


def render_each(
    site: Site, env: jinja2.Environment, keep: Callable[[Route, RenderedFile], R],
    progress: Progress | None = None, routes: Sequence[Route] | None = None,
) -> tuple[list[R], list[Problem]]:
    """Render `routes` in as many processes as the command asked for (by default one per
    core the free memory allows: runtime.workers.render_jobs) and hand each file to
    `keep` in the process that rendered it, so a build can write pages where they are made
    instead of sending every page's bytes back. A template error is reported once per
    template, not once per page."""
    chosen = site.routes if routes is None else routes
    total = len(chosen)

    views = site.views()

    def work(share: Sequence[Route], scale: int) -> list[R | Problem]:
        done: list[R | Problem] = []
        fragments = {prefix: Fragments() for prefix in views}
        for route in share:
            prefix = site.edition_at(route.path).prefix
            outcome = render_problems(views[prefix], env, route, fragments[prefix])
            if isinstance(outcome, RenderedFile):
                done.append(keep(route, outcome))
            else:
                done += outcome
            if progress and scale and (len(done) % 200 == 0 or len(done) == len(share)):
                progress("rendering", min(total, len(done) * scale), total)
        return done

    kept: list[R] = []
    problems: dict[str, Problem] = {}
    for outcome in parallel_map(work, chosen, render_jobs(requested_jobs())):
        if isinstance(outcome, Problem):
            what = outcome.message.split(" (while rendering ")[0]  # once, not per page
            problems.setdefault(f"{outcome.path}:{outcome.line}:{what}", outcome)
        else:
            kept.append(outcome)
    return kept, list(problems.values())


def render_route(site: Site, env: jinja2.Environment, route: Route,
                 fragments: Fragments | None = None) -> RenderedFile | Problem:
    """One output file, or the first template error that kept it from being made."""
    outcome = render_problems(site, env, route, fragments)
    return outcome if isinstance(outcome, RenderedFile) else outcome[0]


def render_problems(site: Site, env: jinja2.Environment, route: Route,
                    fragments: Fragments | None = None) -> RenderedFile | list[Problem]:
    """One output file, or every template error that kept it from being made: each undefined
    name or attribute the page used (sitegen.render.undefined), then any error that stopped it.
    `site` is the view of the route's edition (Site.view), so the page speaks the edition's
    language; `fragments` are the badges and cards made for the edition's pages before."""
    if route.template is None:
        return RenderedFile(output_file(route.path), render_data(site, route))
    templates = site.config.templates_path
    with collecting() as typos:
        try:
            html = env.get_template(route.template).render(
                page=route, site=site, config=site.config,
                fragments=Fragments() if fragments is None else fragments)
        except Exception as exc:  # a template is site code: report its errors, never crash
            return [*(_typo_problem(t, templates, route) for t in typos),
                    _runtime_problem(exc, templates, route)]
    if typos:
        return [_typo_problem(t, templates, route) for t in typos]
    return RenderedFile(output_file(route.path), html.encode("utf-8"))


def _typo_problem(typo: Typo, templates_path: Path, route: Route) -> Problem:
    where = f"while rendering /{route.path}"
    return error(_display_path(typo.filename, templates_path), typo.line, None,
                 f"template error: {typo.message}",
                 f"{typo.hint}{' ' if typo.hint.endswith('?') else '; '}{where}"
                 if typo.hint else where)


def iter_static(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, file) for every file of a static folder, hidden files and links out of
    the folder left out (content.files.static_link_problems reports those)."""
    if not folder.is_dir():
        return
    inside = folder.resolve()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) and (
                not path.is_symlink() or path.resolve().is_relative_to(inside)):
            yield rel.as_posix(), path


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """A relative link from the page being rendered to the site path `target`.

    The 404 page is served at whatever address was missing, so its links start at the root.
    """
    page = context["page"]
    if isinstance(page, NotFoundRoute):
        return str(urlsplit(context["config"].site.base_url).path) + target
    return relative_url(page.path, target)


@jinja2.pass_context
def _stylesheet_data(context: jinja2.runtime.Context, path: str = STYLESHEET) -> str:
    """The stylesheet published at `path` as a data: URL, for a page served at any address
    (the 404 page's <link>)."""
    config: SiteConfig = context["config"]
    return stylesheet_data_url((config.static_path, THEME_STATIC), path)


@jinja2.pass_context
def _edition_url(context: jinja2.runtime.Context, target: str) -> str:
    """A relative link to `target` inside the page's own edition: `edition_url('verdicts/')`
    goes to /verdicts/ on the main edition's pages and to /ru/verdicts/ on the Russian one's."""
    site: Site = context["site"]
    return _url(context, site.prefix + target)


@jinja2.pass_context
def _abs_url(context: jinja2.runtime.Context, target: str) -> str:
    config: SiteConfig = context["config"]
    return absolute_url(config.site.base_url, target)


@jinja2.pass_context
def _claim_review_json(context: jinja2.runtime.Context, fc: FactCheck) -> Markup:
    """The page's ClaimReview, serialised so that no value can end the <script> element."""
    return Markup(json_for_script(claim_review(context["site"], fc)))


@jinja2.pass_context
def _t(context: jinja2.runtime.Context, key: str, **args: Any) -> Markup:
    """A theme string in the site's language, as HTML: `t("sources_heading")`,
    `t("factchecks_count", n=3)`; values are escaped unless they are Markup."""
    messages: Messages = context["config"].messages
    return messages.markup(key, **args)


@jinja2.pass_context
def _t_join(context: jinja2.runtime.Context, parts: Sequence[Any]) -> Markup:
    """'A, B and C' in the site's language."""
    messages: Messages = context["config"].messages
    return messages.join(parts)


@jinja2.pass_context
def _date(context: jinja2.runtime.Context, value: Date | None, style: str = "long") -> str:
    """'28 May 2018', '28 мая 2018': day, month, year in the newsroom's order, unambiguous to
    readers everywhere, with the month named in the page's language."""
    messages: Messages = context["config"].messages
    return messages.date(value, style)


def iso_date(value: Date | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


OWN_ICONS = frozenset(("true", "likely-true", "partially-true", "misleading", "partially-false",
                       "likely-false", "false", "unclear"))
"""The default scale's verdicts, each with an icon of its own (_macros.html, verdict_icon)."""


def verdict_shape(verdict: Verdict, scale: tuple[Verdict, ...]) -> str:
    """Which icon a badge carries, so the verdict never depends on colour alone: a verdict of
    the default scale has its own; another is placed by its rating (true, mixed or false)."""
    if verdict.id in OWN_ICONS:
        return verdict.id
    ratings = [v.rating for v in scale if v.rating is not None]
    if verdict.rating is None or len(ratings) < 2:
        return "unknown"
    low, high = min(ratings), max(ratings)
    position = (verdict.rating - low) / (high - low)
    if position >= 2 / 3:
        return "true"
    return "false" if position <= 1 / 3 else "mixed"


def _template_problem(exc: jinja2.TemplateError, templates_path: Path, line: int | None,
                      message: str) -> Problem:
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
    return error(_display_path(str(filename), templates_path), line, None,
                 f"template error: {message}")


def _runtime_problem(exc: Exception, templates_path: Path, route: Route) -> Problem:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _template_problem(exc, templates_path, exc.lineno, exc.message or "")
    filename, line = _template_frame(exc)
    return error(_display_path(filename, templates_path), line, None,
                 f"template error: {exc} (while rendering /{route.path})")


def _template_frame(exc: BaseException) -> tuple[str, int | None]:
    """The innermost template line of a rendering error; Jinja puts templates in the traceback."""
    found: tuple[str, int | None] = ("template", None)
    for frame in traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2]):
        if frame.filename.endswith((".html", ".xml")):
            found = (frame.filename, frame.lineno)
    return found


def _display_path(filename: str, templates_path: Path) -> str:
    path = Path(filename)
    for root, prefix in ((templates_path, templates_path.name), (THEME_TEMPLATES, "theme")):
        if path.is_relative_to(root):
            return f"{prefix}/{path.relative_to(root).as_posix()}"
    return filename

