"""The library's front door: assess a validated input (or a file) into an AssessmentResult.

Pure apart from reading the input file: emissions and scores are computed from
the validated model, the method and the factor library only, so scenarios and
batch runs call the same functions. ``from assessment import assess`` gives
:func:`assess`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assessment import __version__
from assessment.checks import validate_input
from assessment.emissions.account import emissions_account
from assessment.emissions.factors import FactorSet, load_factors
from assessment.emissions.regions import country_code
from assessment.emissions.uncertainty import account_ranges, scaled_range, with_ranges
from assessment.io.limits import DEFAULT_LIMITS, Limits
from assessment.io.load import LoadedInput
from assessment.model.access import AccessMeasurement
from assessment.model.enums import GwpSet
from assessment.model.method import Method, load_method
from assessment.model.results import AssessmentResult, InputInfo, MethodInfo, ProfileSummary
from assessment.scenarios.advice import advisor
from assessment.scenarios.plan import plan
from assessment.scoring.score import score_all


def with_gwp_set(loaded: LoadedInput, gwp: str | GwpSet | None) -> LoadedInput:
    """The input with its profile's GWP set replaced (``--gwp``); the same input when ``gwp`` is None."""
    if gwp is None:
        return loaded
    profile = loaded.model.profile.model_copy(update={"gwp_set": GwpSet(gwp)})
    return dataclasses.replace(loaded, model=loaded.model.model_copy(update={"profile": profile}))


def assess(
    loaded: LoadedInput,
    method: Method | None = None,
    factors: FactorSet | None = None,
    gwp: str | GwpSet | None = None,
    access: AccessMeasurement | None = None,
) -> AssessmentResult:
    """Emissions account, module scores, pillars, rating and scenarios of one input that passed
    :func:`assessment.checks.validate_input` (with the same method and factors). ``gwp`` (AR5 or AR6) overrides the
    profile's GWP set; every calculation (account, scenarios, advice) uses the factors recombined with it. ``access``
    is the walking-access measurement whose values ``loaded`` already holds (``nzn assess --osm``), kept in the result."""
    method = method or load_method()
    loaded = with_gwp_set(loaded, gwp)
    m = loaded.model
    factors = (factors or load_factors()).with_gwp(m.profile.gwp_set.value)
    account = emissions_account(m, factors)
    account = account.model_copy(
        update={
            "line_items": [li.model_copy(update={"source_ref": loaded.where(li.source_loc)}) for li in account.line_items],
            "removal_items": [r.model_copy(update={"source_ref": loaded.where(r.source_loc)}) for r in account.removal_items],
            "offset_items": [o.model_copy(update={"source_ref": loaded.where(o.source_loc)}) for o in account.offset_items],
            "overrides": [o.model_copy(update={"source_ref": loaded.where(o.source_loc)}) for o in account.overrides],
        }
    )
    ranges = account_ranges(account, m.profile.grid_region.value, m.profile.reporting_year, m.profile.population, method.uncertainty)
    account = with_ranges(account, ranges)
    projection, scenarios = None, []
    if m.scenario_measures:
        projection, scenarios = plan(m, method, factors, where=loaded.where)
        scenarios = [
            s.model_copy(update={"range_at_target": scaled_range(ranges.net_relative, s.years[-1].net_tco2e)}) if s.years else s
            for s in scenarios
        ]
    scored = score_all(m, account, method, where=loaded.where, advise=advisor(m, method, factors, scenarios))
    s = method.settings
    p = m.profile
    return AssessmentResult(
        toolkit_version=__version__,
        factors_version=factors.version,
        method=MethodInfo(
            method_id=s.method_id,
            version=s.version,
            name=s.name.en,
            folder="default" if method.is_default else Path(method.folder).name,
            is_default=method.is_default,
            digest=method.digest,
        ),
        input=InputInfo(file_name=Path(loaded.path).name, sha256=loaded.sha256, format=loaded.format),
        profile=ProfileSummary(
            neighbourhood_id=p.neighbourhood_id,
            name=p.name,
            city=p.city,
            country=p.country,
            country_code=country_code(p),
            reporting_year=p.reporting_year,
            population=p.population,
            gfa_m2=p.gfa_total_m2,
            prepared_by=p.prepared_by,
        ),
        emissions=account,
        modules=scored.modules,
        pillars=scored.pillars,
        overall=scored.overall,
        projection=projection,
        scenarios=scenarios,
        access=access,
    )


def assess_file(
    path: str | Path, method_dir: str | Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[LoadedInput, AssessmentResult]:
    """Read, validate and assess one input file."""
    method = load_method(method_dir)
    factors = load_factors()
    loaded = validate_input(path, method, limits, factors)
    return loaded, assess(loaded, method, factors)


def results_json(result: AssessmentResult) -> str:
    """The results JSON: deterministic (same input, same bytes)."""
    return result.model_dump_json(indent=2) + "\n"
