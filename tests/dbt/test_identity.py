"""Golden customers: CRM accounts matched to ERP customers, measured against the generator's truth.

The demo data of `make run` (scale 0.02, seed 42) is generated, ingested and built up to
int_customers_matched in a temporary folder. The generator writes who every CRM account
really is (<landing>_truth/customer_identity.csv: true_customer_number, empty for
prospects). Definitions:

    precision = correct matches / matches made (accounts given an ERP customer)
    recall    = correct matches / accounts that have a true ERP customer

Run with `pytest tests/dbt/test_identity.py -rP` to see the figures per rule.
"""

from __future__ import annotations

import csv
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.generate import generate
from tests.dbt.dbt_cli import ingest, run_dbt

pytestmark = pytest.mark.slow

DEFAULT_SCALE, DEFAULT_SEED = 0.02, 42  # what `make run` generates
RULES = ("erp_number", "tax_id", "name_city", "crm_only")


def dbt_build(database: Path, work_dir: Path, *select: str) -> subprocess.CompletedProcess:
    """`dbt build` of the selection into `database`; target and logs stay in `work_dir`."""
    return run_dbt(
        database, work_dir, "build", "--indirect-selection", "cautious", "--select", *select
    )


class Crosswalk:
    """int_customers_matched joined to the truth, one entry per CRM account."""

    def __init__(self, database: Path, truth_csv: Path) -> None:
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute(
                "select source_system, source_id, customer_number, erp_customer_number, "
                "match_rule from intermediate.int_customers_matched"
            ).fetchall()
            self.erp_customers = {
                row[0] for row in con.execute(
                    "select erp_customer_number from staging.stg_erp__customers"
                ).fetchall()
            }  # fmt: skip
            self.crm_accounts = {
                row[0]
                for row in con.execute(
                    "select crm_account_id from staging.stg_crm__accounts"
                ).fetchall()
            }
        self.rows = rows
        with open(truth_csv, encoding="utf-8", newline="") as handle:
            self.truth = {
                (row["source_system"], row["source_id"]): row["true_customer_number"] or None
                for row in csv.DictReader(handle)
            }

    def accounts(self) -> list[tuple[str, str, str | None, str | None, str]]:
        """(account id, rule, matched ERP customer, true ERP customer, golden customer)."""
        return [
            (source_id, rule, erp_number, self.truth[("crm", source_id)], golden)
            for system, source_id, golden, erp_number, rule in self.rows
            if system == "crm"
        ]

    def figures(self) -> dict[str, Counter]:
        by_rule: dict[str, Counter] = defaultdict(Counter)
        for _, rule, matched, true, _ in self.accounts():
            for key in (rule, "all"):
                counts = by_rule[key]
                counts["accounts"] += 1
                counts["with_true_customer"] += true is not None
                counts["matches"] += matched is not None
                counts["correct"] += matched is not None and matched == true
                counts["prospects_matched"] += matched is not None and true is None
                counts["wrong_customer"] += matched is not None and true not in (None, matched)
                counts["missed"] += matched is None and true is not None
        return by_rule

    def report(self) -> str:
        figures = self.figures()
        total_true = figures["all"]["with_true_customer"]
        lines = [
            f"{'rule':<11} {'accounts':>8} {'matches':>7} {'correct':>7} {'wrong':>5} "
            f"{'prospect':>8} {'missed':>6} {'precision':>9} {'recall share':>12}"
        ]
        for rule in (*RULES, "all"):
            counts = figures[rule]
            precision = counts["correct"] / counts["matches"] if counts["matches"] else float("nan")
            lines.append(
                f"{rule:<11} {counts['accounts']:>8} {counts['matches']:>7} {counts['correct']:>7} "
                f"{counts['wrong_customer']:>5} {counts['prospects_matched']:>8} "
                f"{counts['missed']:>6} {precision:>9.4f} {counts['correct'] / total_true:>12.4f}"
            )
        lines.append(
            "recall share: correct matches of the rule / accounts that have a true ERP customer "
            f"({total_true}); 'missed' = accounts with a true ERP customer left crm_only"
        )
        return "\n".join(lines)


@pytest.fixture(scope="module")
def crosswalk(tmp_path_factory) -> Crosswalk:
    root = tmp_path_factory.mktemp("identity")
    result = generate(root / "landing", scale=DEFAULT_SCALE, seed=DEFAULT_SEED)
    database = root / "build.duckdb"
    ingest(result.landing_dir, database)
    built = dbt_build(database, root, "+int_customers_matched")
    assert built.returncode == 0, built.stdout[-5000:]
    return Crosswalk(database, result.truth_dir / "customer_identity.csv")


def test_precision_and_recall_of_crm_to_erp_matching_are_at_least_98_percent(crosswalk):
    report = crosswalk.report()
    print("\nCRM -> ERP matching on the default demo data (scale 0.02, seed 42):\n" + report)
    counts = crosswalk.figures()["all"]
    precision = counts["correct"] / counts["matches"]
    recall = counts["correct"] / counts["with_true_customer"]
    assert precision >= 0.98, report
    assert recall >= 0.98, report


def test_the_keys_sales_filled_in_are_trusted_and_never_wrong(crosswalk):
    figures = crosswalk.figures()
    for rule in ("erp_number", "tax_id"):
        assert figures[rule]["matches"] > 0
        assert figures[rule]["correct"] == figures[rule]["matches"], crosswalk.report()


def test_every_source_record_has_exactly_one_golden_customer(crosswalk):
    keys = [(system, source_id) for system, source_id, *_ in crosswalk.rows]
    assert len(keys) == len(set(keys))
    assert {source_id for system, source_id in keys if system == "erp"} == crosswalk.erp_customers
    assert {source_id for system, source_id in keys if system == "crm"} == crosswalk.crm_accounts


def test_erp_customers_are_never_merged(crosswalk):
    erp_rows = [row for row in crosswalk.rows if row[0] == "erp"]
    assert all(
        golden == source_id and rule == "erp_self" for _, source_id, golden, _, rule in erp_rows
    )
    goldens = Counter(golden for _, _, golden, _, _ in erp_rows)
    assert max(goldens.values()) == 1


def test_duplicate_accounts_are_merged_into_one_golden_customer(crosswalk):
    goldens_by_true_customer = defaultdict(list)
    for _, _, _, true, golden in crosswalk.accounts():
        if true is not None:
            goldens_by_true_customer[true].append(golden)
    duplicated = {true: golds for true, golds in goldens_by_true_customer.items() if len(golds) > 1}
    assert duplicated, "the demo data has no customer with duplicate CRM accounts"
    merged = [true for true, golds in duplicated.items() if set(golds) == {true}]
    assert len(merged) / len(duplicated) >= 0.8, (len(merged), len(duplicated))


def test_prospects_get_crm_only_golden_ids(crosswalk):
    prospects = [row for row in crosswalk.accounts() if row[1] == "crm_only"]
    assert prospects
    assert all(
        golden.startswith("CRM-") and matched is None for _, _, matched, _, golden in prospects
    )
    true_prospects = [row for row in crosswalk.accounts() if row[3] is None]
    assert sum(row[1] == "crm_only" for row in true_prospects) / len(true_prospects) >= 0.8
