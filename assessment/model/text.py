"""A text in English and Simplified Chinese, as the method and lever TOML files hold them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assessment.i18n import both, get_language


class Text(BaseModel):
    """A text in English and Simplified Chinese."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        if lang == "en+zh":
            return both(self.en, self.zh)
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.get()
