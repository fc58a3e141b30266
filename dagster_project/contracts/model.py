"""The shape of an export contract: what a source system writes, column by column.

A contract is declared once per system (crm.py, erp.py, ...). The generator writes by it,
the loader reads by it, docs/sources.md shows it and the dbt sources match it.
Column types are DuckDB SQL types; the loader passes them to DuckDB's readers as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LoadMode = Literal["snapshot", "delta"]
CURRENCY_CODES = ("CNY", "USD", "EUR")
FileFormat = Literal["csv", "parquet", "jsonl"]


@dataclass(frozen=True)
class Column:
    name: str  # exactly as in the export's header
    type: str  # DuckDB type: VARCHAR, INTEGER, DECIMAL(18,2), DATE, TIMESTAMPTZ, BOOLEAN
    description: str
    example: str
    nullable: bool = True
    # Value rules beyond the type; a row that breaks one is quarantined with the rule's name.
    allowed_values: tuple[str, ...] = ()  # codes the column may hold (empty: any)
    non_negative: bool = False  # quantities and amounts that cannot be below zero


@dataclass(frozen=True)
class Entity:
    name: str  # plural, snake_case: the file is <name>.<ext>, the raw table <system>__<name>
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    load: LoadMode  # snapshot: each export holds every record; delta: only new and changed ones

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class System:
    name: str  # crm, erp, mes, tms
    description: str
    format: FileFormat
    entities: tuple[Entity, ...]
    encoding: str = "utf-8"  # Python codec name, e.g. utf-8-sig (UTF-8 with BOM) or gb18030
    date_format: str = "%Y-%m-%d"  # strftime format of DATE columns in text formats
    delimiter: str = ","  # CSV only
    timestamp_format: str = "%Y-%m-%dT%H:%M:%S%z"  # ISO 8601 with offset
    entity_by_name: dict[str, Entity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entity_by_name", {e.name: e for e in self.entities})

    def entity(self, name: str) -> Entity:
        try:
            return self.entity_by_name[name]
        except KeyError:
            raise KeyError(f"{self.name} has no entity {name!r}") from None

    def file_name(self, entity: Entity) -> str:
        return f"{entity.name}.{self.format}"

    def raw_table(self, entity: Entity) -> str:
        return f"{self.name}__{entity.name}"
