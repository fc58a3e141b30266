"""Files rendered from the contracts: docs/sources.md and the dbt sources of each system.

`profitlens docs` writes them; a test fails when a committed file is stale, so neither the
page users export by nor the dbt sources can drift from what the loader reads.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dagster_project.contracts import SYSTEMS, System
from dagster_project.lib.settings import DBT_PROJECT_DIR, REPO_ROOT

# Load metadata the ingest adds after the contract's columns (see lib/ingest).
RAW_METADATA_COLUMNS = (
    (
        "_batch",
        "varchar",
        "Export folder the row came from (its date, YYYY-MM-DD); later folders are newer.",
    ),
    (
        "_load_id",
        "bigint",
        "The raw._loads row of the load that wrote the row: its file (source_file), checksum "
        "and run.",
    ),
    ("_loaded_at", "timestamp with time zone", "When the row was loaded."),
)

_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with byte-order mark",
    "gb18030": "GB18030",
    "utf-8": "UTF-8",
}


def render_sources_doc() -> str:
    out = [
        "# Source exports",
        "",
        "<!-- Generated from dagster_project/contracts/ by `profitlens docs`; do not edit. -->",
        "",
        "What each source system exports and ProfitLens reads. Put each night's files in",
        "`<landing>/<system>/<export date YYYY-MM-DD>/<file>`. Columns must appear in the order",
        "given, with exactly these header names. *Snapshot* files hold every record each time;",
        "*delta* files hold the records created or changed since the previous export, and the",
        "latest version of a record wins. When every file of a folder is written, the export",
        "job writes an empty `_SUCCESS` file into it: ProfitLens loads only complete folders.",
        "Rows and files that break a contract are quarantined, never lost: see",
        "[ingest_rules.md](ingest_rules.md).",
        "",
    ]
    for system in SYSTEMS:
        out += _system_section(system)
    return "\n".join(out).rstrip() + "\n"


def _system_section(system: System) -> list[str]:
    lines = [
        f"## {system.name.upper()}",
        "",
        system.description,
        "",
        f"Format {system.format.upper()}, "
        f"encoding {_ENCODING_NAMES.get(system.encoding, system.encoding)}, "
        f"delimiter `{system.delimiter}`, dates `{system.date_format}`, "
        f"timestamps `{system.timestamp_format}` (ISO 8601 with offset).",
        "",
    ]
    for entity in system.entities:
        lines += [
            f"### `{system.file_name(entity)}` ({entity.load})",
            "",
            entity.description,
            "",
            f"Key: {', '.join(f'`{k}`' for k in entity.primary_key)}. "
            f"Loaded into `raw.{system.raw_table(entity)}`.",
            "",
            "| column | type | required | meaning | example |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| `{c.name}` | {c.type} | {'yes' if not c.nullable else 'no'} "
            f"| {c.description} | `{c.example}` |"
            for c in entity.columns
        ]
        lines.append("")
    return lines


def dbt_sources_path(system: System) -> Path:
    return DBT_PROJECT_DIR / "models" / "staging" / system.name / f"_{system.name}__sources.yml"


def render_dbt_sources(system: System) -> str:
    tables = []
    for entity in system.entities:
        columns = [
            {
                "name": c.name,
                "data_type": c.type.lower(),
                "description": c.description + ("" if c.nullable else ". Required."),
            }
            for c in entity.columns
        ] + [
            {"name": name, "data_type": sql_type, "description": text}
            for name, sql_type, text in RAW_METADATA_COLUMNS
        ]
        tables.append(
            {
                "name": system.raw_table(entity),
                "description": f"{entity.description} Key: {', '.join(entity.primary_key)}. "
                f"Load: {entity.load}.",
                "columns": columns,
            }
        )
    document = {
        "version": 2,
        "sources": [
            {
                "name": system.name,
                "description": f"{system.description} Raw tables loaded by the ingest assets from "
                f"<landing>/{system.name}/<batch>/<entity>.{system.format}.",
                "schema": "raw",
                "tables": tables,
            }
        ],
    }
    header = "# Generated from dagster_project/contracts/ by `profitlens docs`; do not edit.\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def rendered_files() -> dict[Path, str]:
    """Every file `profitlens docs` writes, with its content."""
    files = {REPO_ROOT / "docs" / "sources.md": render_sources_doc()}
    files.update({dbt_sources_path(system): render_dbt_sources(system) for system in SYSTEMS})
    return files
