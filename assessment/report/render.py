"""Render the scorecard: Jinja2 (autoescaped) to HTML, WeasyPrint to PDF.

Security: text from the workbook is untrusted. Jinja2 autoescapes every value,
and WeasyPrint gets a URL fetcher that serves only the package's own assets
(files under templates/) and the charts carried in the document itself (``data:image/png``
markers, ``data:image/svg+xml`` charts: :func:`charts_as_images`), and refuses every other URL or path, so a
neighbourhood named ``<img src="file:///etc/passwd">`` prints as that text and
nothing is fetched.
"""

from __future__ import annotations

import atexit
import base64
import functools
import io
import mimetypes
import os
import re
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from assessment.i18n import _, ngettext, symbol
from assessment.paths import templates_dir
from assessment.report.glyphs import chinese_faces
from assessment.report.labels import CLAUSE_SEP, LABELLED, PARENTHESISED, SENTENCE_END, list_sep

ASSET_SCHEME = "nzn-asset:"
#: The inline URLs served, carried in the document itself (nothing is fetched): a PNG (a chart's rasterized markers)
#: and an SVG (a chart, :func:`charts_as_images`).
INLINE_PNG = "data:image/png;base64,"
INLINE_SVG = "data:image/svg+xml;base64,"
_INLINE_BODY = {INLINE_PNG: (b"\x89PNG", "image/png"), INLINE_SVG: (b"<svg", "image/svg+xml")}


class AssetOnlyFetcher:
    """A WeasyPrint URL fetcher that serves the package's own template assets and nothing else."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self.root = templates_dir().resolve()

    def fetch(self, url: str, headers=None):
        from weasyprint.urls import URLFetcherResponse  # start-up: WeasyPrint loads in the PDF helper, not in the parent

        inline = next((prefix for prefix in _INLINE_BODY if url.startswith(prefix)), None)
        if inline is not None:  # a chart or its rasterized markers (charts.RASTER_ABOVE), inline: nothing is fetched
            try:
                body = base64.b64decode(url[len(inline) :], validate=False)
            except ValueError:
                body = b""
            magic, mime = _INLINE_BODY[inline]
            if body.startswith(magic):
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        elif url.startswith(ASSET_SCHEME):
            rel = url[len(ASSET_SCHEME) :].lstrip("/")
            path = (self.root / rel).resolve()
            if path.is_file() and self.root in path.parents:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"nzn refuses to fetch {url!r}: only the package's own assets are served")

    # WeasyPrint >= 68 calls the fetcher object itself in some code paths
    def __call__(self, url: str, headers=None):
        return self.fetch(url, headers)


def _labelled(label, value) -> Markup:
    """A label and its value in the reader's pattern (labels.LABELLED), each escaped unless it is already markup."""
    return Markup(escape(symbol(LABELLED))).format(label=label, value=value)


def cell_ref(cell) -> Markup:
    """An input cell (``Nature!B6``, or a JSON path such as ``energy_use[3].amount``) escaped, that a narrow column may
    break after a ``.`` or ``/`` of a path, never inside a part (a sheet reference never breaks after its ``!``)."""
    return Markup("<wbr>").join(Markup('<span class="nobr">{}</span>').format(p) for p in _CELL_PARTS.findall(str(cell)))


_CELL_PARTS = re.compile(r"[^./]*[./]|[^./]+")  # each part keeps the separator that ends it


def _parenthesised(text) -> Markup:
    return Markup(escape(symbol(PARENTHESISED))).format(text=text)


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment of a process: it keeps the compiled templates, which a fresh environment would compile
    again for every report (measured, Riverside's context: 0.21-0.25 s per render with a fresh environment, 0.02 s
    with this one). Nothing in it depends on the language: the callables it holds look the language up when called."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "xml"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # punctuation that follows the reader's language (full-width in Chinese): templates join a label and its value with
    # labelled(), never with an ASCII ": " after a translated word
    env.globals.update(
        labelled=_labelled,
        parenthesised=_parenthesised,
        symbol=symbol,
        clause_sep=lambda: symbol(CLAUSE_SEP),
        sentence_end=lambda: symbol(SENTENCE_END),  # '. ' / '。' between a title and the sentence after it
        list_sep=list_sep,
        markup=Markup,
    )
    env.filters["cell_ref"] = cell_ref
    env.install_gettext_callables(gettext=lambda s: _(s), ngettext=lambda s, p, n: ngettext(s, p, n), newstyle=True)
    return env


def render_html(context: dict, template: str = "report.html.j2") -> str:
    """The report as one self-contained HTML document (CSS inlined, charts as inline SVG)."""
    return environment().get_template(template).render(css=_stylesheet(), **context)


def precompile_templates() -> None:
    """Compile every template once, here: the processes a batch forks from this one (one per input) then inherit them
    compiled (measured, 30 generated inputs, 2 at once: 4.89 core-seconds per input without, 4.74 with)."""
    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        env.get_template(name)
    _stylesheet()


#: This process's WeasyPrint font configuration and the id of the process that made it (see :func:`font_config`).
_FONTS: list = []


def font_config():
    """The one WeasyPrint font configuration of a process, made on first use.

    WeasyPrint copies the fonts each document declares with @font-face (the bundled Chinese faces: 16 MB) into a
    temporary folder of its font configuration, and removes that folder only when the configuration is collected. A
    process that leaves with ``os._exit`` (the PDF helper, a batch's process per input) never collects it: each report
    left 16 MB in the temporary folder (measured: 244 folders, 3.9 GB, after one working day of tests and batches).
    One configuration per process copies the fonts once, and :func:`release_fonts` removes the folder when the
    process that made it is done. Processes forked after :func:`preload_fonts` share the parent's copy and write none.
    """
    from weasyprint.text.fonts import FontConfiguration  # start-up: WeasyPrint loads in the PDF helper

    if not _FONTS:
        _FONTS[:] = [FontConfiguration(), os.getpid()]
        atexit.register(release_fonts)
    return _FONTS[0]


def preload_fonts() -> None:
    """Register the bundled faces that templates/report.css declares now, in this process's font configuration, so the
    processes a batch forks from this one find them there and copy nothing."""
    from weasyprint import CSS  # start-up: as above

    CSS(string=chinese_faces(_stylesheet()), base_url=ASSET_SCHEME + "/", url_fetcher=AssetOnlyFetcher(), font_config=font_config())


def release_fonts() -> None:
    """Remove the font copies of this process's font configuration, if this process made it (a forked process that
    inherited its parent's leaves them to the parent, which still uses them). Safe to call more than once."""
    if _FONTS and _FONTS[1] == os.getpid():
        folder = getattr(_FONTS[0], "_folder", None)  # WeasyPrint's temporary folder (weasyprint.text.fonts)
        _FONTS.clear()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def _stylesheet() -> str:
    return (templates_dir() / "report.css").read_text(encoding="utf-8")


#: A chart as the document carries it inline (charts._svg): matplotlib nests no <svg>, and text inside is escaped, so the
#: first end tag closes it.
_INLINE_CHART = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
#: Its accessible name, quoted as charts._svg wrote it (xml.sax.saxutils.quoteattr: double quotes, or single quotes
#: around a name that has double quotes).
_ARIA_LABEL = re.compile(r"""\saria-label=("[^"]*"|'[^']*')""")


def charts_as_images(html: str) -> str:
    """``html`` with each inline SVG chart turned into an image carrying the same SVG (a ``data:image/svg+xml`` URL
    that :class:`AssetOnlyFetcher` serves) and its accessible name as ``alt`` (WeasyPrint's tagged PDF takes it as the
    figure's /Alt). WeasyPrint draws both alike, but it cascades the report's CSS over every element of an inline SVG
    and parses it with the HTML parser; an image's SVG it parses as XML and styles alone. Measured on Riverside's lean
    report (6 charts, 648 SVG elements of 2,333): 11% fewer Python calls in the render. Only the PDF gets this: the
    HTML report keeps its charts inline (their text selectable), and the glyph check reads the inline text."""

    def image(match: re.Match) -> str:
        svg = match.group(0)
        name = _ARIA_LABEL.search(svg[: svg.index(">")])
        alt = name.group(1) if name else '""'
        src = INLINE_SVG + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart-svg" alt={alt} src="{src}">'

    return _INLINE_CHART.sub(image, html)


def render_pdf(
    html: str, target: Path, metadata: dict, variant: str | None = None, attachments: list[tuple[str, bytes, str]] = ()
) -> AssetOnlyFetcher:
    """Write the PDF of ``html`` to ``target`` (a temporary path: the caller renames it). Returns the fetcher (for its refusals)."""
    from weasyprint import HTML, Attachment  # start-up: as above

    fetcher = AssetOnlyFetcher()
    doc = HTML(string=charts_as_images(html), base_url=ASSET_SCHEME + "/", url_fetcher=fetcher).render(font_config=font_config())
    doc.metadata.title = metadata.get("title")
    doc.metadata.description = metadata.get("subject")
    doc.metadata.authors = [metadata["author"]] if metadata.get("author") else []
    doc.metadata.created = metadata.get("created")
    doc.metadata.modified = metadata.get("created")
    doc.metadata.generator = metadata.get("generator")
    options = {"pdf_identifier": metadata.get("identifier", b"nzn").ljust(16, b"0")[:32]}
    if variant == "pdf/a-3b":
        options["pdf_variant"] = "pdf/a-3b"
        options["attachments"] = [
            Attachment(file_obj=io.BytesIO(data), url_fetcher=fetcher, description=desc, name=name) for name, data, desc in attachments
        ] or None
    elif variant == "pdf/ua":
        options["pdf_variant"] = "pdf/ua-1"
        options["pdf_tags"] = True
    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set:
    # pin it to the document's creation date so the same input gives the same bytes.
    epoch = metadata.get("epoch")
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        doc.write_pdf(target, **options)
    finally:
        if epoch is not None:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
    return fetcher
