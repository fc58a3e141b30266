"""Every model built on a model waits for that model's column checks (dbt build).

A test on several models (a check whose references reach other models) holds back only the
models built on all of them (dbt's rule for tests with several parents). So a model's
`<model>_columns_valid` test names a referenced model only when everything built on the
model is built on it too; otherwise that reference goes in `<model>_references_resolve`
(data-tests/generic/columns_valid.sql). This reads the project's graph and says which check
would let which model through.
"""

from __future__ import annotations

import json
from collections import defaultdict

from dagster_project.defs.dbt.resources import ensure_manifest

BUILT_TYPES = {"model", "seed", "snapshot"}


def _descendants(children: dict[str, set[str]], node: str) -> set[str]:
    seen: set[str] = set()
    stack = [node]
    while stack:
        for child in children[stack.pop()] - seen:
            seen.add(child)
            stack.append(child)
    return seen


def test_every_model_built_on_a_model_waits_for_its_column_checks():
    manifest = json.loads(ensure_manifest().read_text())
    nodes = manifest["nodes"]
    children: dict[str, set[str]] = defaultdict(set)
    for node_id, node in nodes.items():
        for parent in node.get("depends_on", {}).get("nodes", []):
            children[parent].add(node_id)

    column_checks = {
        node_id: node
        for node_id, node in nodes.items()
        if node["resource_type"] == "test" and node["name"].endswith("_columns_valid")
    }
    assert len(column_checks) > 40, "the project's column checks were not found"

    let_through = []
    for check in column_checks.values():
        model = check["attached_node"]
        built_on_model = {
            node_id
            for node_id in _descendants(children, model)
            if nodes.get(node_id, {}).get("resource_type") in BUILT_TYPES
        }
        for other in check["depends_on"]["nodes"]:
            not_waiting = built_on_model - _descendants(children, other) - {other}
            if other != model and not_waiting:
                let_through.append(
                    f"{check['name']} references {_name(other)}, so dbt build lets "
                    f"{', '.join(sorted(map(_name, not_waiting)))} (built on {_name(model)}, "
                    f"not on {_name(other)}) run before it: move the references to "
                    f"{_name(other)} into {_name(model)}_references_resolve"
                )
    assert not let_through, "\n".join(let_through)


def _name(node_id: str) -> str:
    return node_id.rsplit(".", 1)[-1]
