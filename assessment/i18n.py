"""One translation function for every text a person reads.

All user-facing strings in the code are marked ``_("...")`` (translated when
called) or ``N_("...")`` (marked for extraction, translated later with ``_``).
The active language lives in a context variable so a report in Chinese and a
validation run in English can run side by side (threads, batch workers).
Catalogues are gettext ``.mo`` files under ``assessment/locales/<lang>/LC_MESSAGES``.
"""

from __future__ import annotations

import contextvars
import gettext
from contextlib import contextmanager
from functools import cache
from typing import Iterator

from assessment.paths import locales_dir

DOMAIN = "nzn"
LANGUAGES = ("en", "zh")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("nzn_language", default="en")


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    locale = {"zh": "zh_CN"}.get(lang, lang)
    return gettext.translation(DOMAIN, localedir=str(locales_dir()), languages=[locale], fallback=True)


def get_language() -> str:
    return _current.get()


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current.set(lang)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` and restore the previous language afterwards."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _catalogue(_current.get()).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(_current.get()).ngettext(singular, plural, n)
