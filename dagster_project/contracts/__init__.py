"""The export contracts of every source system: the single source of truth for file shapes."""

from dagster_project.contracts.crm import CRM
from dagster_project.contracts.erp import ERP
from dagster_project.contracts.mes import MES
from dagster_project.contracts.model import Column, Entity, System
from dagster_project.contracts.tms import TMS

SYSTEMS: tuple[System, ...] = (CRM, ERP, MES, TMS)


def system(name: str) -> System:
    for candidate in SYSTEMS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no source system {name!r}; known: {', '.join(s.name for s in SYSTEMS)}")


__all__ = ["Column", "Entity", "System", "SYSTEMS", "system", "CRM", "ERP", "MES", "TMS"]
