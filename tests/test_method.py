"""The method as data: modules/method.toml and the ten module files.

Checks the shipped method's shape (ten modules, indicator and action counts,
bilingual names, known formulas) and that a malformed method folder fails on
load with a MethodError naming the broken file, both in the library and in
``nzn assess --method``.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from assessment.errors import MethodError
from assessment.model.method import MethodSettings, Module, load_method
from assessment.paths import modules_dir
from assessment.scoring.green import GREEN_FORMULAS
from assessment.scoring.indicators import FORMULAS
from assessment.scoring.score import check_formulas
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()

MODULES = ROOT / "modules"
MODULE_FILES = sorted(MODULES.glob("[0-9][0-9]-*.toml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- the shipped method


def test_default_folder_is_the_repository_modules():
    assert Path(modules_dir()).resolve() == MODULES.resolve()
    assert len(MODULE_FILES) == 10


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.name)
def test_every_module_file_loads_on_its_own(path):
    with path.open("rb") as fh:
        module = Module.model_validate(tomllib.load(fh))
    # file 01-*.toml holds module m01 with order 1, and so on
    number = int(path.name[:2])
    assert module.id == f"m{number:02d}"
    assert module.order == number


def test_method_toml_loads_on_its_own():
    with (MODULES / "method.toml").open("rb") as fh:
        settings = MethodSettings.model_validate(tomllib.load(fh))
    assert settings.pillars.green_weight + settings.pillars.thriving_weight == pytest.approx(1)
    assert settings.module_score.indicator_weight + settings.module_score.action_weight == pytest.approx(1)
    assert len(settings.levels) == 4
    assert [lv.min_score for lv in settings.levels] == sorted(lv.min_score for lv in settings.levels)
    level_ids = {lv.id for lv in settings.levels}
    assert all(p.level in level_ids for p in settings.prerequisites)


def test_default_method_has_ten_modules_in_order(method):
    assert method.is_default
    assert [m.id for m in method.modules] == [f"m{i:02d}" for i in range(1, 11)]
    assert [m.order for m in method.modules] == list(range(1, 11))
    assert len({m.slug for m in method.modules}) == 10


def test_indicator_and_action_counts(method):
    total = 0
    for m in method.modules:
        assert 3 <= len(m.indicators) <= 6, f"{m.id} has {len(m.indicators)} indicators"
        assert len(m.actions) >= 5, f"{m.id} has {len(m.actions)} actions"
        total += len(m.indicators)
    assert total >= 40
    ids = [i.id for m in method.modules for i in m.indicators] + [a.id for m in method.modules for a in m.actions]
    assert len(ids) == len(set(ids)), "indicator and action ids are unique across the method"


def test_every_module_has_english_and_chinese_names(method):
    for m in method.modules:
        assert m.name.en.strip() and m.name.zh.strip()
        assert CJK.search(m.name.zh), f"{m.id}: Chinese name {m.name.zh!r} has no Chinese characters"
        assert not CJK.search(m.name.en), f"{m.id}: English name {m.name.en!r} contains Chinese characters"
        assert m.name.get("en") == m.name.en and m.name.get("zh") == m.name.zh
        assert m.key_concept.en and m.key_concept.zh
        for ind in m.indicators:
            assert ind.name.en and CJK.search(ind.name.zh), ind.id


def test_every_computed_indicator_formula_exists(method):
    for m in method.modules:
        for ind in m.indicators:
            if ind.formula != "reported":
                assert ind.formula in FORMULAS, f"{ind.id}: formula {ind.formula!r} is not in FORMULAS"
            else:
                assert ind.reported and ind.help is not None, f"{ind.id}: reported indicator without help"
    check_formulas(method)  # does not raise


def test_every_green_component_formula_exists(method):
    components = method.settings.green.components
    assert components
    for c in components:
        assert c.formula in GREEN_FORMULAS, f"green component {c.id}: formula {c.formula!r} is not in GREEN_FORMULAS"
    assert sum(c.weight for c in components) == pytest.approx(1)


def test_indicator_actions_name_actions_of_the_same_module(method):
    for m in method.modules:
        action_ids = {a.id for a in m.actions}
        for ind in m.indicators:
            if ind.action:
                assert ind.action in action_ids


def test_explicit_copy_of_modules_is_not_default(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(MODULES, folder)
    custom = load_method(folder)
    default = load_method()
    assert not custom.is_default and default.is_default
    assert custom.digest == default.digest, "same file bytes, same digest"
    assert custom.settings == default.settings and custom.modules == default.modules


# --------------------------------------------------------------------------- malformed method folders


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _drop_help(path: Path, indicator_id: str) -> None:
    """Remove the help line of one indicator block."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f'id = "{indicator_id}"\n')
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("[["):
            raise AssertionError(f"{indicator_id} has no help line")
        if lines[i].startswith("help = "):
            del lines[i]
            break
    path.write_text("".join(lines), encoding="utf-8")


def _band_outside_range(d: Path) -> None:
    # m01_onsite_renewables runs from 0 to 100 %; a band at 120 % lies outside it
    _edit(d / "01-green-buildings-energy.toml", "bands = [[8.0, 30.0]]", "bands = [[120.0, 30.0]]")


def _direction_contradicts_ends(d: Path) -> None:
    # m02_building_reuse: 0 points at 0 %, full points at 50 %, so it cannot be lower_is_better
    _edit(
        d / "02-clean-construction.toml",
        'direction = "higher_is_better"\nformula = "building_reuse_share_pct"',
        'direction = "lower_is_better"\nformula = "building_reuse_share_pct"',
    )


def _missing_help(d: Path) -> None:
    _drop_help(d / "03-complete-neighbourhood.toml", "m03_life_circle_coverage")


def _pillars_not_one(d: Path) -> None:
    _edit(d / "method.toml", "green_weight = 0.5", "green_weight = 0.6")


def _unknown_prerequisite_level(d: Path) -> None:
    _edit(d / "method.toml", 'level = "advanced"', 'level = "platinum"')


def _invalid_toml(d: Path) -> None:
    _edit(d / "05-connected-places.toml", "order = 5\n", "order = = 5\n")


BREAKAGES = {
    "band-outside-range": (_band_outside_range, "01-green-buildings-energy.toml", "band"),
    "direction-contradicts-ends": (_direction_contradicts_ends, "02-clean-construction.toml", "direction"),
    "reported-without-help": (_missing_help, "03-complete-neighbourhood.toml", "help"),
    "pillar-weights-not-one": (_pillars_not_one, "method.toml", "green_weight + thriving_weight"),
    "unknown-prerequisite-level": (_unknown_prerequisite_level, "method.toml", "platinum"),
    "invalid-toml": (_invalid_toml, "05-connected-places.toml", "TOML"),
}


def broken_folder(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / f"broken-{case}"
    shutil.copytree(MODULES, folder)
    BREAKAGES[case][0](folder)
    return folder


@pytest.mark.parametrize("case", list(BREAKAGES))
def test_malformed_method_raises_method_error_naming_the_file(tmp_path, case):
    folder = broken_folder(tmp_path, case)
    _, file_name, fragment = BREAKAGES[case]
    with pytest.raises(MethodError) as info:
        load_method(folder)
    message = str(info.value)
    assert message.startswith(file_name), message
    assert fragment in message, message


def test_unbroken_copy_loads(tmp_path):
    """Control for the cases above: the copy itself is valid."""
    folder = tmp_path / "ok"
    shutil.copytree(MODULES, folder)
    assert len(load_method(folder).modules) == 10


def test_missing_folder_and_missing_method_toml(tmp_path):
    with pytest.raises(MethodError, match="not found"):
        load_method(tmp_path / "nowhere")
    folder = tmp_path / "no-settings"
    shutil.copytree(MODULES, folder)
    (folder / "method.toml").unlink()
    with pytest.raises(MethodError, match="method.toml"):
        load_method(folder)


def test_unknown_formula_in_custom_method_is_a_method_error(tmp_path, factors):
    from assessment.checks import validate_input
    from assessment.emissions.account import emissions_account
    from assessment.scoring.score import score_all

    folder = tmp_path / "bad-formula"
    shutil.copytree(MODULES, folder)
    _edit(folder / "04-people-centred-mobility.toml", 'formula = "active_mode_share_pct"', 'formula = "active_mode_shares_pct"')
    custom = load_method(folder)
    loaded = validate_input(SAMPLES / "riverside-retrofit.json", custom, factors=factors)
    with pytest.raises(MethodError, match="active_mode_shares_pct"):
        score_all(loaded.model, emissions_account(loaded.model, factors), custom)


@pytest.mark.parametrize("case", list(BREAKAGES))
def test_cli_assess_with_broken_method_exits_2_and_writes_nothing(tmp_path, case):
    folder = broken_folder(tmp_path, case)
    _, file_name, fragment = BREAKAGES[case]
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["assess", str(SAMPLES / "riverside-retrofit.json"), "--json", str(out), "--method", str(folder)])
    assert result.exit_code == 2, result.output
    assert "the method folder is not valid" in result.output
    assert file_name in result.output and fragment in result.output, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name], "nothing else was written"
