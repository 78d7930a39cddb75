"""The workshop kit's front page: every lesson with its handout, slides and Binder link.

A trainer puts the built folder on a USB stick or a web server; participants
open ``index.html``. The handout and slide links are relative (they work from
a file:// page); the Binder links are the only outside addresses, plain links
built like the README's badges from the repository the package declares.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import metadata

from tiktok_lab.core.i18n import get_language, t
from tiktok_lab.kit.workshop.paths import learner_notebook

BINDER = "https://mybinder.org/v2/gh"
APP_NOTEBOOK = "07_my_strategy.ipynb"


@dataclass(frozen=True)
class KitLesson:
    id: str
    title: str  # "03 · How the For You feed picks videos"
    goal: str
    minutes: int
    handout: str | None  # relative link, None when not built
    slides: str | None


def binder_url(repository: str, urlpath: str) -> str:
    """A Binder launch link for a GitHub repository, as the README's badges are made."""
    slug = repository.rstrip("/").removeprefix("https://github.com/")
    return f"{BINDER}/{slug}/HEAD?urlpath={urlpath}"


def lesson_binder_url(repository: str, lesson_id: str) -> str:
    return binder_url(repository, f"lab/tree/{learner_notebook(lesson_id + '.ipynb')}")


def _link(href: str, text: str, css: str = "", about: str = "") -> str:
    """A link; ``about`` names what it opens for screen readers ("Slides: 03 · ...")."""
    cls = f' class="{css}"' if css else ""
    label = f' aria-label="{html.escape(f"{text}: {about}")}"' if about else ""
    return f'<a{cls} href="{html.escape(href)}"{label}>{html.escape(text)}</a>'


def _lesson_row(lesson: KitLesson, repository: str) -> str:
    title = lesson.title
    links = [_link(lesson.handout, t("kit.site.handout"), "button", title) if lesson.handout
             else "",
             _link(lesson.slides, t("kit.site.slides"), "button", title) if lesson.slides else "",
             _link(lesson_binder_url(repository, lesson.id), t("kit.site.binder"), "online",
                   title)]
    return (f'<li><h3>{html.escape(lesson.title)}</h3>'
            f'<p>{html.escape(lesson.goal)} '
            f'<span class="minutes">{html.escape(t("kit.site.minutes", minutes=lesson.minutes))}'
            f'</span></p><p class="links">{" ".join(link for link in links if link)}</p></li>')


def index_html(lessons: list[KitLesson], repository: str) -> str:
    """The index page, in the course language, with no script and no outside resource."""
    course = binder_url(repository, f"lab/tree/{learner_notebook('00_start_here.ipynb')}")
    app = binder_url(repository, f"voila/render/{learner_notebook(APP_NOTEBOOK)}")
    rows = "\n".join(_lesson_row(lesson, repository) for lesson in lessons)
    version = metadata.version("tiktok-lab")
    title = html.escape(t("kit.site.title"))
    return f"""<!DOCTYPE html>
<html lang="{get_language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  color: #1b1b1b; max-width: 52rem; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }}
h1 {{ color: #10303f; margin-bottom: 0.25rem; }}
h2 {{ color: #10303f; border-bottom: 2px solid #e0e7eb; padding-bottom: 0.2rem; }}
ol.lessons {{ list-style: none; padding: 0; }}
ol.lessons li {{ border: 1px solid #d5dee3; border-radius: 8px; padding: 0.75rem 1rem;
  margin: 0 0 0.75rem; }}
ol.lessons h3 {{ margin: 0 0 0.25rem; font-size: 1.15rem; }}
ol.lessons p {{ margin: 0.25rem 0; }}
.minutes {{ color: #4a5b63; white-space: nowrap; }}
a {{ color: #0b5cad; }}
a.button {{ display: inline-block; background: #0b5cad; color: #fff; text-decoration: none;
  border-radius: 6px; padding: 0.3rem 0.9rem; margin-right: 0.4rem; font-weight: 600; }}
a.button:hover, a.button:focus {{ background: #084a8c; }}
a:focus {{ outline: 3px solid #f2a900; outline-offset: 2px; }}
.note {{ color: #4a5b63; font-size: 0.95rem; }}
@media print {{ a.button {{ color: #000; background: none; border: 1px solid #000; }} }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{html.escape(t("kit.site.intro"))}</p>
<h2>{html.escape(t("kit.site.lessons"))}</h2>
<ol class="lessons">
{rows}
</ol>
<p class="note">{html.escape(t("kit.site.slides_help"))}</p>
<h2>{html.escape(t("kit.site.launch"))}</h2>
<ul>
<li>{_link(course, t("kit.site.course_badge"))}</li>
<li>{_link(app, t("kit.site.app_badge"))}</li>
</ul>
<p class="note">{html.escape(t("kit.site.binder_note"))}</p>
</main>
<footer><p class="note">{html.escape(t("kit.site.built", version=version))}</p></footer>
</body>
</html>
"""
