"""Where the package's own data lives, from a checkout or from an installed wheel.

The wheel carries ``modules/`` and ``templates/`` under ``assessment/_bundled/``
(see ``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml); a
checkout or an editable install finds them at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _bundled_or_repo(name: str) -> Path:
    bundled = PACKAGE_DIR / "_bundled" / name
    if bundled.is_dir():
        return bundled
    repo = PACKAGE_DIR.parent / name
    if repo.is_dir():
        return repo
    raise FileNotFoundError(f"package data folder {name!r} not found (looked in {bundled} and {repo})")


def modules_dir() -> Path:
    """Folder of the default method (``method.toml`` and the ten module files)."""
    return _bundled_or_repo("modules")


def templates_dir() -> Path:
    """Folder of the report templates (Jinja2 HTML, CSS, fonts)."""
    return _bundled_or_repo("templates")


def factors_dir() -> Path:
    """Folder of the shipped emission-factor library (CSV files)."""
    return PACKAGE_DIR / "data" / "factors"


def examples_dir() -> Path:
    """Folder of the filled example neighbourhoods (JSON) used by ``nzn template --example``."""
    return PACKAGE_DIR / "data" / "examples"


def locales_dir() -> Path:
    return PACKAGE_DIR / "locales"
