"""docs/sources.md, rendered from the contracts (a test fails when the committed file is stale)."""

from __future__ import annotations

from dagster_project.contracts import SYSTEMS, System

_ENCODING_NAMES = {"utf-8-sig": "UTF-8 with byte-order mark", "gb18030": "GB18030", "utf-8": "UTF-8"}


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
        "latest version of a record wins.",
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
        f"Format {system.format.upper()}, encoding {_ENCODING_NAMES.get(system.encoding, system.encoding)}, "
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
            f"| `{c.name}` | {c.type} | {'yes' if not c.nullable else 'no'} | {c.description} | `{c.example}` |"
            for c in entity.columns
        ]
        lines.append("")
    return lines
