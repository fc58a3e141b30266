"""The export contracts of every source system: the single source of truth for file shapes."""

from dagster_project.contracts.crm import CRM
from dagster_project.contracts.erp import ERP
from dagster_project.contracts.model import Column, Entity, System

SYSTEMS: tuple[System, ...] = (CRM, ERP)


def system(name: str) -> System:
    for candidate in SYSTEMS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no source system {name!r}; known: {', '.join(s.name for s in SYSTEMS)}")


__all__ = ["Column", "Entity", "System", "SYSTEMS", "system"]
