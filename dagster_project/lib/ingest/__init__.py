"""Ingest: every export row loaded into raw.<system>__<entity> or quarantined with its reason.

Plain functions (no Dagster): `load_entity` loads one entity's new and changed files,
`ledger_verdict` checks that the ledger balances. Modules:

- landing.py: batch folders, `_SUCCESS`, which files exist
- fingerprint.py: the checksum pass and file-level checks
- stage.py / transcode.py: DuckDB's readers by the contract (GB18030 through a pipe)
- sql.py / rules.py: the row rules, in order, and their reasons
- lines.py: physical line numbers of rejected rows
- load.py: the transaction that replaces a file's rows, and the ledger
- tables.py: raw tables, raw._loads, raw._rejects
"""

from dagster_project.lib.ingest.landing import SUCCESS_MARKER, complete_batches, discover
from dagster_project.lib.ingest.ledger import LedgerVerdict, ledger_verdict
from dagster_project.lib.ingest.load import EntityLoad, FileLoad, load_all, load_entity
from dagster_project.lib.ingest.rules import FileProblem, Rule
from dagster_project.lib.ingest.tables import (
    LOADS_TABLE,
    METADATA_COLUMNS,
    RAW_SCHEMA,
    REJECTS_TABLE,
    ensure_tables,
    raw_table,
)

__all__ = [
    "EntityLoad",
    "FileLoad",
    "FileProblem",
    "LOADS_TABLE",
    "LedgerVerdict",
    "METADATA_COLUMNS",
    "RAW_SCHEMA",
    "REJECTS_TABLE",
    "Rule",
    "SUCCESS_MARKER",
    "complete_batches",
    "discover",
    "ensure_tables",
    "ledger_verdict",
    "load_all",
    "load_entity",
    "raw_table",
]
