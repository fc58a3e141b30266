"""docs/ingest_rules.md explains every rule and file problem the code can report."""

from dagster_project.lib.ingest import FileProblem, Rule
from dagster_project.lib.ingest.rules import FILE_PROBLEM_DESCRIPTIONS, RULE_DESCRIPTIONS
from dagster_project.lib.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "ingest_rules.md"


def _table_names(text: str, heading: str) -> list[str]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]


def test_the_doc_lists_every_row_rule_in_the_order_they_apply():
    names = _table_names(DOC.read_text(encoding="utf-8"), "## Row rules")
    assert names == [str(rule) for rule in Rule]
    assert set(RULE_DESCRIPTIONS) == set(Rule)


def test_the_doc_lists_every_file_problem():
    names = _table_names(DOC.read_text(encoding="utf-8"), "## File problems")
    assert names == [str(problem) for problem in FileProblem]
    assert set(FILE_PROBLEM_DESCRIPTIONS) == set(FileProblem)
