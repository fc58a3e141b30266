"""Build as soon as a source system finishes an export folder (it writes `_SUCCESS` last).

The cursor is the set of complete folders already seen ('<system>/<batch>'); a new one starts
the `build_warehouse` job. Ingest is incremental, so a build only reads the new folders. The
nightly schedule builds regardless.
"""

import hashlib
import json

import dagster as dg

from dagster_project.lib.ingest import complete_batches
from dagster_project.lib.settings import load_settings


@dg.sensor(
    job_name="build_warehouse",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts build_warehouse when an export folder gets its _SUCCESS marker.",
)
def new_export_folders(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    complete = complete_batches(load_settings().landing_dir)
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    new = [batch for batch in complete if batch not in seen]
    if not new:
        return dg.SkipReason(f"no new complete export folder ({len(complete)} seen)")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key="exports-" + hashlib.sha256("\n".join(new).encode()).hexdigest()[:16],
                tags={"profitlens/new_exports": _describe(new)},
            )
        ],
        cursor=json.dumps(sorted(seen | set(complete))),
    )


def _describe(batches: list[str]) -> str:
    if len(batches) <= 4:
        return ", ".join(batches)
    return f"{batches[0]} ... {batches[-1]} ({len(batches)} folders)"
