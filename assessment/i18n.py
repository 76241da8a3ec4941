"""One translation function for every text a person reads.

All user-facing strings in the code are marked ``_("...")`` (translated when
called) or ``N_("...")`` (marked for extraction, translated later with ``_``);
templates use ``{{ _("...") }}``. Catalogues are gettext PO files under
``assessment/locales/<locale>/LC_MESSAGES/nzn.po`` (extracted and updated with
Babel, see docs/translation.md), read with Babel at first use, so no compiled
binary is kept in the repository.

Languages: ``en``, ``zh`` (Simplified Chinese) and ``en+zh``, the bilingual
edition, where every label shows both languages. The active language lives in a
context variable, so a report in Chinese and a validation in English can run
side by side.
"""

from __future__ import annotations

import contextvars
import gettext
import io
from contextlib import contextmanager
from functools import cache
from typing import Callable, Iterator

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from assessment.paths import locales_dir

DOMAIN = "nzn"
LANGUAGES = ("en", "zh", "en+zh")
LOCALES = {"zh": "zh_CN"}
#: Texts longer than this are shown on two lines in the bilingual edition, shorter ones as "English / 中文".
BILINGUAL_INLINE_CHARS = 60
_current: contextvars.ContextVar[str] = contextvars.ContextVar("nzn_language", default="en")


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations of one language (English: the messages themselves)."""
    locale = LOCALES.get(lang)
    if locale is None:
        return gettext.NullTranslations()
    po = locales_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        cat = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def get_language() -> str:
    return _current.get()


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")


def set_language(lang: str) -> None:
    _check(lang)
    _current.set(lang)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` and restore the previous language afterwards."""
    _check(lang)
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def both(en: str, zh: str) -> str:
    """The bilingual form of a text: inline for labels, two lines for sentences."""
    if en == zh:
        return en
    return f"{en} / {zh}" if len(en) <= BILINGUAL_INLINE_CHARS else f"{en}\n{zh}"


def each_language(compose: Callable[[], str]) -> str:
    """A text of several translated sentences, ``compose()``-d in the active language; in the bilingual edition composed
    whole in English, then whole in Chinese (:func:`both`), so a paragraph never alternates the languages sentence by
    sentence."""
    if _current.get() != "en+zh":
        return compose()
    texts = []
    for lang in ("en", "zh"):
        with language(lang):
            texts.append(compose())
    return both(*texts)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    lang = _current.get()
    if lang == "en+zh":
        return both(message, catalogue("zh").gettext(message))
    return catalogue(lang).gettext(message)


def symbol(message: str) -> str:
    """A unit symbol in the active language; the bilingual edition shows it once, in English (tCO2e/yr, not
    'tCO2e/yr / tCO2e/年'), since a symbol reads the same to both readers."""
    lang = _current.get()
    return catalogue("en" if lang == "en+zh" else lang).gettext(message)


def translate_format(message: str, **params) -> str:
    """``_(message).format(**params)``, where a parameter may have a ``.get(lang)`` (a bilingual method text):
    each language's sentence gets that language's text, and the bilingual edition joins the two sentences."""

    def one(lang: str) -> str:
        values = {k: (v.get(lang) if hasattr(v, "get") and not isinstance(v, dict) else v) for k, v in params.items()}
        return catalogue(lang).gettext(message).format(**values)

    lang = _current.get()
    if lang == "en+zh":
        return both(one("en"), one("zh"))
    return one(lang)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = _current.get()
    if lang == "en+zh":
        return both(gettext.NullTranslations().ngettext(singular, plural, n), catalogue("zh").ngettext(singular, plural, n))
    return catalogue(lang).ngettext(singular, plural, n)
