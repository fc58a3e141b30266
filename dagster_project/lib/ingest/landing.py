"""The landing folder: <landing>/<system>/<batch>/<entity>.<ext>, complete when `_SUCCESS` is there.

A batch is an ISO date folder (later = newer). A source system writes `_SUCCESS` into the folder
last, when every file is complete; a folder without it is still being written and is not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.contracts import SYSTEMS, Entity, System

SUCCESS_MARKER = "_SUCCESS"
_BATCH_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ExportFile:
    system: System
    entity: Entity
    batch: str
    path: Path  # absolute

    @property
    def batch_date(self) -> dt.date:
        return dt.date.fromisoformat(self.batch)


@dataclass
class Discovery:
    """What the landing folder holds for one entity."""

    files: list[ExportFile] = field(default_factory=list)  # in complete folders, oldest first
    missing: list[ExportFile] = field(default_factory=list)  # complete folder without the file
    incomplete_batches: list[str] = field(default_factory=list)  # no _SUCCESS yet
    ignored_folders: list[str] = field(default_factory=list)  # not named YYYY-MM-DD


def batch_folders(landing_dir: Path, system: System) -> tuple[list[Path], list[str]]:
    """The system's batch folders, oldest first, and the names of folders that are not batches."""
    root = Path(landing_dir) / system.name
    if not root.is_dir():
        return [], []
    folders, ignored = [], []
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if _is_batch_name(child.name):
            folders.append(child)
        else:
            ignored.append(child.name)
    return folders, ignored


def discover(landing_dir: Path, system: System, entity: Entity) -> Discovery:
    found = Discovery()
    folders, found.ignored_folders = batch_folders(landing_dir, system)
    name = system.file_name(entity)
    for folder in folders:
        if not (folder / SUCCESS_MARKER).exists():
            found.incomplete_batches.append(folder.name)
            continue
        export = ExportFile(system, entity, folder.name, (folder / name).resolve())
        (found.files if export.path.is_file() else found.missing).append(export)
    return found


def complete_batches(landing_dir: Path) -> list[str]:
    """Every complete export folder as '<system>/<batch>', for the sensor's cursor."""
    complete = []
    for system in SYSTEMS:
        folders, _ = batch_folders(landing_dir, system)
        complete += [f"{system.name}/{f.name}" for f in folders if (f / SUCCESS_MARKER).exists()]
    return sorted(complete)


def _is_batch_name(name: str) -> bool:
    if not _BATCH_NAME.fullmatch(name):
        return False
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True
