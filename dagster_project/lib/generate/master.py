"""Master data of the demo company: customers (ERP and CRM), products and daily FX rates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.lib.generate.ids import salesforce_ids, zero_padded
from dagster_project.lib.generate.names import company_names

CURRENCIES = np.array(["CNY", "USD", "EUR"])
_CURRENCY_SHARE = [0.7, 0.2, 0.1]
_FOREIGN = {
    "USD": [("US", "Chicago", "Americas"), ("SG", "Singapore", "APAC"), ("VN", "Ho Chi Minh City", "APAC")],
    "EUR": [("DE", "Stuttgart", "Europe"), ("FR", "Lyon", "Europe"), ("IT", "Milan", "Europe")],
}
_SALES_ORG = {"CNY": "CN01", "USD": "HK01", "EUR": "DE01"}
_REGION_BY_CITY = {
    "深圳": "South China", "东莞": "South China", "佛山": "South China", "厦门": "South China",
    "上海": "East China", "苏州": "East China", "宁波": "East China", "杭州": "East China",
    "无锡": "East China", "常州": "East China", "合肥": "East China",
    "天津": "North China", "青岛": "North China",
    "成都": "West China", "重庆": "West China", "武汉": "Central China",
}
_CATEGORIES = [
    ("Controllers", "工业控制器"), ("Sensors", "传感器"), ("Drives", "伺服驱动器"),
    ("Enclosures", "控制柜"), ("Cables", "工业线缆"),
]
PLANTS = np.array(["SZ01", "SH01", "SU01"])


def pareto_weights(rng: np.random.Generator, count: int, exponent: float = 1.16) -> np.ndarray:
    """Sampling weights where a few members carry most of the volume (about 80/20)."""
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


@dataclass
class Customers:
    erp: pd.DataFrame  # typed like the erp.customers contract
    crm: pd.DataFrame  # typed like the crm.accounts contract
    currency: np.ndarray  # per ERP customer
    crm_account_id: np.ndarray  # per ERP customer; None where sales has no account
    owner_id: np.ndarray  # per ERP customer
    weights: np.ndarray  # order share per ERP customer


def customers(rng: np.random.Generator, count: int, first_day: np.datetime64,
              export_day: np.datetime64) -> Customers:
    names = company_names(rng, count)
    currency = rng.choice(CURRENCIES, count, p=_CURRENCY_SHARE)
    foreign = currency != "CNY"
    country = np.full(count, "CN", dtype=object)
    city = names["city_cn"].astype(object)
    region = np.array([_REGION_BY_CITY[c] for c in names["city_cn"]], dtype=object)
    for code, places in _FOREIGN.items():
        rows = np.flatnonzero(currency == code)
        picks = rng.integers(0, len(places), len(rows))
        country[rows] = [places[p][0] for p in picks]
        city[rows] = [places[p][1] for p in picks]
        region[rows] = [places[p][2] for p in picks]
    erp_name = np.where(foreign, names["name_en"], names["name_cn"])
    number = zero_padded(np.arange(10001, 10001 + count), 10)
    has_tax_id = ~foreign & (rng.random(count) < 0.8)
    tax_id = np.where(has_tax_id, np.char.add("91", zero_padded(rng.integers(0, 10**15, count), 16)), None)
    created = first_day - rng.integers(30, 2000, count).astype("timedelta64[D]")
    erp = pd.DataFrame({
        "customer_number": number,
        "customer_name": erp_name,
        "tax_id": tax_id,
        "city": city,
        "country": country,
        "sales_org": [_SALES_ORG[c] for c in currency],
        "payment_terms": rng.choice(["NT30", "NT60", "NT90", "PREPAY"], count, p=[0.45, 0.35, 0.15, 0.05]),
        "credit_limit": rng.choice([100_000, 250_000, 500_000, 1_000_000, 5_000_000], count) * 100,
        "currency": currency,
        "created_on": created,
        "changed_on": created + rng.integers(0, 400, count).astype("timedelta64[D]"),
    })

    # Sales keeps an account for most customers; it fills in the ERP number for only part of them,
    # and some accounts are prospects that never ordered.
    has_account = rng.random(count) < 0.88
    reps = salesforce_ids("005", np.arange(1, max(5, count // 200) + 1) * 7919)
    owner = np.array(reps, dtype=object)[rng.integers(0, len(reps), count)]
    prospects = max(1, count // 10)
    account_count = int(has_account.sum()) + prospects
    account_ids = np.array(salesforce_ids("001", rng.permutation(10**7)[:account_count] + 10**6), dtype=object)
    crm_account_id = np.full(count, None, dtype=object)
    crm_account_id[has_account] = account_ids[: has_account.sum()]
    prospect_names = company_names(rng, prospects)
    english = foreign | (rng.random(count) < 0.6)
    account_name = np.where(english, names["name_en"], names["name_cn"])[has_account]
    created_at = _random_times(rng, first_day - np.timedelta64(900, "D"), first_day, account_count)
    crm = pd.DataFrame({
        "Id": account_ids,
        "Name": np.concatenate([account_name, prospect_names["name_en"]]),
        "Industry": np.concatenate([names["industry"][has_account], prospect_names["industry"]]),
        "Region__c": np.concatenate([region[has_account], ["East China"] * prospects]),
        "OwnerId": np.concatenate([owner[has_account], owner[:prospects]]),
        "ERP_Customer_Number__c": np.concatenate([
            np.where(rng.random(int(has_account.sum())) < 0.7, number[has_account], None),
            [None] * prospects,
        ]),
        "BillingCity": np.concatenate([
            np.where(foreign, city, names["city_en"])[has_account], prospect_names["city_en"],
        ]),
        "BillingCountry": np.concatenate([country[has_account], ["CN"] * prospects]),
        "CreatedDate": created_at,
        "LastModifiedDate": _later_times(rng, created_at, export_day),
    })
    return Customers(erp, crm, currency, crm_account_id, owner, pareto_weights(rng, count))


@dataclass
class Products:
    erp: pd.DataFrame  # typed like the erp.products contract
    weights: np.ndarray
    list_price_cents: np.ndarray
    standard_cost_cents: np.ndarray
    is_by_weight: np.ndarray
    plant: np.ndarray


def products(rng: np.random.Generator, count: int, first_day: np.datetime64) -> Products:
    category = rng.integers(0, len(_CATEGORIES), count)
    line = rng.integers(0, 3, count)
    model = rng.integers(100, 999, count)
    line_letter = np.array(["A", "B", "C"])[line]
    category_en = np.array([c[0] for c in _CATEGORIES])[category]
    category_cn = np.array([c[1] for c in _CATEGORIES])[category]
    by_weight = rng.random(count) < 0.1
    list_price = np.clip(np.round(rng.lognormal(np.log(800), 0.9, count) * 100), 500, 5_000_000).astype(np.int64)
    standard_cost = np.round(list_price * rng.uniform(0.5, 0.78, count)).astype(np.int64)
    created = first_day - rng.integers(30, 1500, count).astype("timedelta64[D]")
    erp = pd.DataFrame({
        "product_number": np.char.add("FG-", (100000 + np.arange(count)).astype(str)),
        "product_name": np.char.add(np.char.add(category_cn, " "), np.char.add(line_letter, model.astype(str))),
        "category": category_en,
        "product_line": np.char.add(np.char.add(category_en, " "), line_letter),
        "base_unit": np.where(by_weight, "KG", "PC"),
        "net_weight_kg": np.where(by_weight, 1000, np.round(rng.lognormal(np.log(2.5), 0.8, count) * 1000)).astype(np.int64),
        "list_price": list_price,
        "standard_cost": standard_cost,
        "currency": "CNY",
        "created_on": created,
        "changed_on": created + rng.integers(0, 300, count).astype("timedelta64[D]"),
    })
    return Products(erp, pareto_weights(rng, count), list_price, standard_cost, by_weight,
                    PLANTS[rng.integers(0, len(PLANTS), count)])


def fx_rates_to_cny(rng: np.random.Generator, days: int) -> dict[str, np.ndarray]:
    """Daily rates (scaled by 1e6) of each foreign currency into CNY: a gentle random walk."""
    rates = {}
    for code, start in (("USD", 7.10), ("EUR", 7.80)):
        walk = start * np.exp(np.cumsum(rng.normal(0, 0.003, days)))
        rates[code] = np.round(walk * 1_000_000).astype(np.int64)
    rates["CNY"] = np.full(days, 1_000_000, dtype=np.int64)
    return rates


def _random_times(rng: np.random.Generator, low: np.datetime64, high: np.datetime64, count: int) -> np.ndarray:
    span = int((high - low) / np.timedelta64(1, "s"))
    return np.datetime64(low, "s") + rng.integers(0, span, count).astype("timedelta64[s]")


def _later_times(rng: np.random.Generator, after: np.ndarray, before: np.datetime64) -> np.ndarray:
    span = (np.datetime64(before, "s") - after).astype(np.int64)
    return after + (rng.random(len(after)) * span).astype(np.int64).astype("timedelta64[s]")
