"""The layering contracts (pyproject.toml, [tool.importlinter]) hold, and catch what they forbid."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[3]
CONFIG = read_configuration(str(ROOT / "pyproject.toml"))
CONTRACT_TYPES = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}
ENGINE = "The eligibility engine imports no Django and no other xinzhi module"
ACYCLIC = "No import cycles between apps"
TIERS = "Apps in tiers: demo and CLI, domain apps, api, accounts, core, shared machinery"
INSIDE = "Inside each app: interfaces → services / selectors → models"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(
        "xinzhi", include_external_packages=True, exclude_type_checking_imports=True, cache_dir=None
    )


def broken_contracts(graph: grimp.ImportGraph) -> set[str]:
    broken = set()
    for options in CONFIG["contracts_options"]:
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"],
            session_options=CONFIG["session_options"],
            contract_options=options,
        )
        if not contract.check(copy.deepcopy(graph), verbose=False).kept:
            broken.add(options["name"])
    return broken


def test_lint_imports_passes_on_the_code_base() -> None:
    result = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_contracts_hold_on_the_graph(graph: grimp.ImportGraph) -> None:
    assert {o["name"] for o in CONFIG["contracts_options"]} == {ENGINE, ACYCLIC, TIERS, INSIDE}
    assert broken_contracts(graph) == set()


@pytest.mark.parametrize(
    ("importer", "imported", "broken"),
    [
        # The engine stays usable without a database.
        ("xinzhi.eligibility.engine", "django", {ENGINE}),
        ("xinzhi.eligibility.facts", "xinzhi.enterprises.models", {ENGINE, TIERS}),
        # The cycles this contract set was written against: core ⇄ enterprises (the home
        # overview), core ⇄ accounts (scoping, the navigation rules), attraction ⇄ demo.
        ("xinzhi.core.selectors", "xinzhi.enterprises.selectors", {ACYCLIC, TIERS}),
        ("xinzhi.core.scoping", "xinzhi.accounts.choices", {ACYCLIC, TIERS}),
        ("xinzhi.attraction.demo", "xinzhi.demo.generator", {TIERS}),
        # Domain apps use each other one way only (calls → attraction → enterprises).
        ("xinzhi.enterprises.selectors", "xinzhi.calls.models", {ACYCLIC}),
        # The API root mounts the apps' routers by dotted path and imports none of them.
        ("xinzhi.api.api", "xinzhi.calls.api", {TIERS}),
        # accounts knows no domain app (its rules duck-type them).
        ("xinzhi.accounts.permissions", "xinzhi.calls.models", {ACYCLIC, TIERS}),
        # Inside an app: never upward.
        ("xinzhi.enterprises.models", "xinzhi.enterprises.services", {INSIDE}),
        ("xinzhi.calls.services", "xinzhi.calls.forms", {INSIDE}),
        ("xinzhi.cultivation.selectors", "xinzhi.cultivation.views", {INSIDE}),
        ("xinzhi.attraction.views", "xinzhi.attraction.api", {INSIDE}),
    ],
)
def test_each_forbidden_import_breaks_its_contract(
    graph: grimp.ImportGraph, importer: str, imported: str, broken: set[str]
) -> None:
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported)
    assert broken_contracts(changed) == broken


def test_imports_for_type_hints_only_and_tests_are_not_dependencies(
    graph: grimp.ImportGraph,
) -> None:
    # core names accounts' User in type hints, and core's tests drive every app.
    assert "xinzhi.accounts.models" in grimp.build_graph(
        "xinzhi", cache_dir=None
    ).find_modules_directly_imported_by("xinzhi.core.scoping")
    changed = copy.deepcopy(graph)
    changed.add_import(importer="xinzhi.core.tests.test_scoping", imported="xinzhi.calls.models")
    assert broken_contracts(changed) == set()
