"""The docs users read and the dbt sources stay true to the contracts."""

import pytest

from dagster_project.lib.contract_docs import rendered_files
from dagster_project.lib.settings import REPO_ROOT


@pytest.mark.parametrize(
    "path", sorted(rendered_files()), ids=lambda p: str(p.relative_to(REPO_ROOT))
)
def test_files_generated_from_the_contracts_are_current(path):
    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    assert committed == rendered_files()[path], f"{path} is stale: run `profitlens docs`"
