"""The docs users read stay true to the code."""

from dagster_project.lib.contract_docs import render_sources_doc
from dagster_project.lib.settings import REPO_ROOT


def test_sources_doc_is_generated_from_the_current_contracts():
    committed = (REPO_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert committed == render_sources_doc(), "docs/sources.md is stale: run `profitlens docs`"
