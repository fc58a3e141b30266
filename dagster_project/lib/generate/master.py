"""Master data of the demo company: plants, customers (ERP and CRM), reps, products, carriers, FX.

Everything is a dict of numpy arrays with the contract's column names (see writer.py for the
value conventions). Money is in integer cents, quantities in thousandths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.lib.generate import names
from dagster_project.lib.generate.ids import salesforce_ids, zero_padded

CURRENCIES = np.array(["CNY", "USD", "EUR"])
_CURRENCY_SHARE = [0.7, 0.2, 0.1]
_FOREIGN = {
    "USD": [
        ("US", "Chicago", "Americas"),
        ("SG", "Singapore", "APAC"),
        ("VN", "Ho Chi Minh City", "APAC"),
    ],
    "EUR": [("DE", "Stuttgart", "Europe"), ("FR", "Lyon", "Europe"), ("IT", "Milan", "Europe")],
}
_SALES_ORG = {"CNY": "CN01", "USD": "HK01", "EUR": "DE01"}
_REGION_BY_CITY = {
    "深圳": "South China",
    "东莞": "South China",
    "佛山": "South China",
    "厦门": "South China",
    "上海": "East China",
    "苏州": "East China",
    "宁波": "East China",
    "杭州": "East China",
    "无锡": "East China",
    "常州": "East China",
    "合肥": "East China",
    "天津": "North China",
    "青岛": "North China",
    "成都": "West China",
    "重庆": "West China",
    "武汉": "Central China",
}
REGIONS = (
    "South China",
    "East China",
    "North China",
    "West China",
    "Central China",
    "APAC",
    "Americas",
    "Europe",
)
PAYMENT_TERM_DAYS = {"NT30": 30, "NT60": 60, "NT90": 90, "PREPAY": 0}
_CATEGORIES = [
    ("Controllers", "工业控制器"),
    ("Sensors", "传感器"),
    ("Drives", "伺服驱动器"),
    ("Enclosures", "控制柜"),
    ("Cables", "工业线缆"),
]
_COMPONENTS = [
    ("PCB 主板", "PC"),
    ("铝合金外壳", "PC"),
    ("电源模块", "PC"),
    ("连接器", "PC"),
    ("铜线", "KG"),
    ("塑料粒子", "KG"),
    ("螺丝套件", "PC"),
    ("线缆护套", "M"),
]
PLANTS = {
    "plant": np.array(["SZ01", "SH01", "SU01"]),
    "plant_name": np.array(["深圳工厂", "上海工厂", "苏州工厂"]),
    "city": np.array(["深圳", "上海", "苏州"]),
    "country": np.array(["CN", "CN", "CN"]),
    "company_code": np.array(["1000", "1000", "2000"]),
}
# Cost per machine and labour hour at each plant (cents), in plant order.
MACHINE_RATE_CENTS = np.array([18000, 21000, 16500])
LABOUR_RATE_CENTS = np.array([6500, 7500, 6000])
CARRIERS = {
    "carrier_id": np.array(
        ["SF-EXPRESS", "DEPPON", "ZTO-FREIGHT", "COSCO", "DHL-AIR", "CHINA-RAIL"]
    ),
    "carrier_name": np.array(
        [
            "SF Express",
            "Deppon Logistics",
            "ZTO Freight",
            "COSCO Shipping",
            "DHL Global Forwarding",
            "China Railway Express",
        ]
    ),
    "mode": np.array(["ROAD", "ROAD", "ROAD", "SEA", "AIR", "RAIL"]),
    "country": np.array(["CN", "CN", "CN", "CN", "DE", "CN"]),
}


def pareto_weights(rng: np.random.Generator, count: int, exponent: float = 1.16) -> np.ndarray:
    """Sampling weights where a few members carry most of the volume (about 80/20)."""
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


def random_times(rng: np.random.Generator, low, high, count: int) -> np.ndarray:
    low, high = np.datetime64(low, "s"), np.datetime64(high, "s")
    span = max(1, int((high - low) / np.timedelta64(1, "s")))
    return low + rng.integers(0, span, count).astype("timedelta64[s]")


@dataclass
class Reps:
    users: dict  # crm.users records
    rep_ids: np.ndarray  # the reps who own accounts
    rep_region: np.ndarray


def reps(rng: np.random.Generator, count: int, first_day: np.datetime64) -> Reps:
    """Reps by region team, a manager per team, one head of sales."""
    regions = np.array(REGIONS)
    rep_region = regions[np.arange(count) % len(regions)]
    ids = salesforce_ids("005", np.arange(1, count + len(regions) + 2) * 7919)
    head, managers, rep_ids = ids[0], ids[1 : len(regions) + 1], ids[len(regions) + 1 :]
    manager_of_region = dict(zip(regions, managers, strict=False))
    given = np.array(["Wei", "Fang", "Jing", "Lei", "Min", "Tao", "Yan", "Hui", "Jun", "Ling"])
    family = np.array(["Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"])
    total = len(ids)
    name = np.char.add(
        np.char.add(given[rng.integers(0, 10, total)], " "), family[rng.integers(0, 10, total)]
    )
    team = np.concatenate(
        [["Sales Leadership"], [f"{r} Sales" for r in regions], [f"{r} Sales" for r in rep_region]]
    )
    created = random_times(rng, first_day - np.timedelta64(2000, "D"), first_day, total)
    users = {
        "Id": ids,
        "Name": name,
        "Email": np.char.add(
            np.char.lower(np.char.replace(name, " ", ".")),
            np.char.add(np.char.add(".", np.arange(total).astype(str)), "@example.com"),
        ),
        "Team__c": team,
        "ManagerId": np.concatenate(
            [[None], [head] * len(regions), [manager_of_region[r] for r in rep_region]]
        ),
        "IsActive": rng.random(total) < 0.95,
        "CreatedDate": created,
        "LastModifiedDate": created + np.timedelta64(3600, "s"),
    }
    return Reps(users, rep_ids, rep_region)


@dataclass
class Customers:
    erp: dict  # erp.customers records (as of the initial extract)
    accounts: dict  # crm.accounts records, duplicates and prospects included
    contacts: dict  # crm.contacts records
    identity: dict  # truth: source system, source id -> customer number it really is
    currency: np.ndarray  # per ERP customer
    account_id: np.ndarray  # per ERP customer: its main CRM account, None where sales has none
    owner_id: np.ndarray  # per ERP customer
    weights: np.ndarray  # share of orders per ERP customer
    is_difficult: np.ndarray  # heavy discounts, complaints and expedited freight: loss-makers
    late_payment_days: np.ndarray  # how late each customer usually pays
    term_changes: tuple[np.ndarray, np.ndarray, np.ndarray]  # (customer, batch index, new terms)


def customers(
    rng: np.random.Generator,
    count: int,
    first_day: np.datetime64,
    export_day: np.datetime64,
    sales: Reps,
    batch_count: int,
    duplicate_rate: float,
) -> Customers:
    currency = rng.choice(CURRENCIES, count, p=_CURRENCY_SHARE)
    foreign = currency != "CNY"
    prospects = max(1, count // 12)
    # Domestic customers and prospects come from one draw, so a prospect never has a
    # customer's name; customers abroad trade under names without a Chinese city.
    home = int((~foreign).sum())
    domestic = names.company_names(rng, home + prospects)
    abroad = names.company_names(rng, count - home, city_in_name=False)
    company = {}
    for key in domestic:
        values = np.empty(count, dtype=object)
        values[~foreign] = domestic[key][:home]
        values[foreign] = abroad[key]
        company[key] = values
    prospect_names = {key: values[home:] for key, values in domestic.items()}
    country = np.full(count, "CN", dtype=object)
    city = company["city_cn"].astype(object)
    region = np.array([_REGION_BY_CITY[c] for c in company["city_cn"]], dtype=object)
    for code, places in _FOREIGN.items():
        rows = np.flatnonzero(currency == code)
        picks = rng.integers(0, len(places), len(rows))
        country[rows] = [places[p][0] for p in picks]
        city[rows] = [places[p][1] for p in picks]
        region[rows] = [places[p][2] for p in picks]
    # Foreign customers trade under their English name, without the Chinese city in it.
    english_name = np.array(
        [
            name.partition(" ")[2] if abroad_ else name
            for name, abroad_ in zip(company["name_en"], foreign, strict=False)
        ],
        dtype=object,
    )
    number = zero_padded(np.arange(10001, 10001 + count), 10)
    tax_id = np.char.add("91", zero_padded(rng.integers(0, 10**15, count), 16)).astype(object)
    erp_has_tax_id = ~foreign & (rng.random(count) < 0.85)
    created = first_day - rng.integers(30, 2000, count).astype("timedelta64[D]")
    terms = rng.choice(list(PAYMENT_TERM_DAYS), count, p=[0.45, 0.35, 0.15, 0.05])
    erp = {
        "customer_number": number,
        "customer_name": np.where(foreign, english_name, company["name_cn"]).astype(object),
        "tax_id": np.where(erp_has_tax_id, tax_id, None),
        "city": city,
        "country": country,
        "sales_org": np.array([_SALES_ORG[c] for c in currency]),
        "payment_terms": terms,
        "credit_limit": rng.choice([100_000, 250_000, 500_000, 1_000_000, 5_000_000], count) * 100,
        "currency": currency,
        "created_on": created,
        "changed_on": np.minimum(
            created + rng.integers(0, 400, count).astype("timedelta64[D]"), first_day
        ),
    }

    # CRM: an account for most customers, named as sales typed it; the ERP number is filled in
    # for only part of them, the tax id for others; some customers have a duplicate account.
    region_reps = {r: sales.rep_ids[sales.rep_region == r] for r in REGIONS}
    owner = np.array(
        [region_reps[r][int(rng.integers(0, len(region_reps[r])))] for r in region], dtype=object
    )
    has_account = rng.random(count) < 0.9
    main = np.flatnonzero(has_account)
    duplicated = main[rng.random(len(main)) < duplicate_rate]
    account_count = len(main) + len(duplicated) + prospects
    account_ids = salesforce_ids("001", rng.permutation(10**7)[:account_count] + 10**6)
    english = foreign | (rng.random(count) < 0.55)
    main_names = np.array(
        [
            names.crm_name_variant(rng, company["name_cn"][i], english_name[i], bool(english[i]))
            for i in main
        ],
        dtype=object,
    )
    duplicate_names = np.array(
        [names.crm_duplicate_variant(rng, n) for n in main_names[np.isin(main, duplicated)]],
        dtype=object,
    )
    rows = np.concatenate([main, duplicated])  # customer behind each non-prospect account
    erp_number_filled = np.concatenate(
        [rng.random(len(main)) < 0.6, np.zeros(len(duplicated), bool)]
    )
    tax_filled = ~foreign[rows] & (rng.random(len(rows)) < 0.35)
    billing_city = np.where(foreign, city, company["city_en"])
    created_at = random_times(rng, first_day - np.timedelta64(900, "D"), first_day, account_count)
    accounts = {
        "Id": account_ids,
        "Name": np.concatenate([main_names, duplicate_names, prospect_names["name_en"]]),
        "Industry": np.concatenate([company["industry"][rows], prospect_names["industry"]]),
        "Region__c": np.concatenate([region[rows], rng.choice(REGIONS[:5], prospects)]),
        "OwnerId": np.concatenate([owner[rows], rng.choice(sales.rep_ids, prospects)]),
        "ERP_Customer_Number__c": np.concatenate(
            [np.where(erp_number_filled, number[rows], None), [None] * prospects]
        ),
        "Tax_ID__c": np.concatenate([np.where(tax_filled, tax_id[rows], None), [None] * prospects]),
        "BillingCity": np.concatenate([billing_city[rows], prospect_names["city_en"]]),
        "BillingCountry": np.concatenate([country[rows], ["CN"] * prospects]),
        "CreatedDate": created_at,
        "LastModifiedDate": np.minimum(
            created_at + rng.integers(0, 400 * 86400, account_count).astype("timedelta64[s]"),
            np.datetime64(first_day, "s"),
        ),
    }
    account_of_customer = np.full(count, None, dtype=object)
    account_of_customer[main] = account_ids[: len(main)]
    identity = {
        "source_system": np.array(["erp"] * count + ["crm"] * account_count),
        "source_id": np.concatenate([number, account_ids]),
        "true_customer_number": np.concatenate([number, number[rows], [None] * prospects]),
    }

    is_difficult = rng.random(count) < 0.04
    changed = rng.choice(
        count, size=min(count, max(1, count // 100) * max(0, batch_count - 1)), replace=False
    )
    return Customers(
        erp=erp,
        accounts=accounts,
        contacts=_contacts(rng, account_ids, first_day),
        identity=identity,
        currency=currency,
        account_id=account_of_customer,
        owner_id=owner,
        weights=pareto_weights(rng, count),
        is_difficult=is_difficult,
        late_payment_days=np.where(
            is_difficult, rng.integers(20, 60, count), rng.integers(-5, 15, count)
        ),
        term_changes=(
            changed,
            rng.integers(1, max(2, batch_count), len(changed)),
            rng.choice(list(PAYMENT_TERM_DAYS)[:3], len(changed)),
        ),
    )


def customers_as_of(customers: Customers, batch_index: int, batch_day: np.datetime64) -> dict:
    """The ERP customer snapshot of one night: terms renegotiated since the first extract."""
    records = dict(customers.erp)
    who, when, terms = customers.term_changes
    applied = who[when <= batch_index]
    if len(applied):
        records["payment_terms"] = records["payment_terms"].copy()
        records["changed_on"] = records["changed_on"].copy()
        records["payment_terms"][applied] = terms[when <= batch_index]
        records["changed_on"][who[when == batch_index]] = batch_day
    return records


def _contacts(rng: np.random.Generator, account_ids: np.ndarray, first_day: np.datetime64) -> dict:
    per_account = rng.integers(1, 4, len(account_ids))
    account = np.repeat(account_ids, per_account)
    count = len(account)
    first = np.array(
        ["Wei", "Fang", "Na", "Qiang", "Xiu", "Jie", "Ming", "Li", "Anna", "Peter", "Marco"]
    )
    last = np.array(
        ["Zhang", "Wang", "Li", "Liu", "Chen", "Sun", "Ma", "Zhu", "Hu", "Guo", "Smith", "Rossi"]
    )
    given, family = (
        first[rng.integers(0, len(first), count)],
        last[rng.integers(0, len(last), count)],
    )
    created = random_times(rng, first_day - np.timedelta64(800, "D"), first_day, count)
    return {
        "Id": salesforce_ids("003", rng.permutation(10**7)[:count] + 2 * 10**7),
        "AccountId": account,
        "FirstName": given,
        "LastName": family,
        "Title": rng.choice(
            ["Purchasing Manager", "Buyer", "Plant Manager", "Quality Engineer", "CFO"], count
        ),
        "Email": np.char.add(
            np.char.add(np.char.lower(given), "."),
            np.char.add(
                np.char.lower(family),
                np.char.add(np.arange(count).astype(str), "@customer.example.com"),
            ),
        ),
        "Phone": np.char.add("+86 ", rng.integers(10**9, 10**10, count).astype(str)),
        "CreatedDate": created,
        "LastModifiedDate": created + np.timedelta64(600, "s"),
    }


@dataclass
class Products:
    erp: dict  # erp.products records
    bom: dict  # erp.bill_of_materials records
    cost_versions: dict  # erp.standard_cost_versions records
    weights: np.ndarray
    list_price_cents: np.ndarray
    standard_cost_cents_by_year: dict[int, np.ndarray]
    material_cents: np.ndarray  # current standard material cost per unit
    machine_hours_milli: np.ndarray  # standard machine hours per unit, thousandths
    labour_hours_milli: np.ndarray
    is_by_weight: np.ndarray
    is_make_to_order: np.ndarray
    plant_index: np.ndarray
    weight_grams: np.ndarray


def products(
    rng: np.random.Generator, count: int, first_day: np.datetime64, export_day: np.datetime64
) -> Products:
    category = rng.integers(0, len(_CATEGORIES), count)
    line_letter = np.array(["A", "B", "C"])[rng.integers(0, 3, count)]
    category_en = np.array([c[0] for c in _CATEGORIES])[category]
    category_cn = np.array([c[1] for c in _CATEGORIES])[category]
    by_weight = rng.random(count) < 0.1
    plant = rng.integers(0, len(PLANTS["plant"]), count)
    number = np.char.add("FG-", (100000 + np.arange(count)).astype(str))

    # Bill of materials: 3-6 components from a shared pool; material cost is what they add up to.
    pool = max(24, count * 2)
    component_price = np.round(rng.lognormal(np.log(40), 1.0, pool) * 100).astype(np.int64) + 10
    component_kind = rng.integers(0, len(_COMPONENTS), pool)
    per_product = rng.integers(3, 7, count)
    bom_product = np.repeat(np.arange(count), per_product)
    bom_component = rng.integers(0, pool, len(bom_product))
    # one row per product and component: the same component twice becomes one line
    pair = bom_product.astype(np.int64) * pool + bom_component
    _, first_of_pair = np.unique(pair, return_index=True)
    keep = np.sort(first_of_pair)
    bom_product, bom_component = bom_product[keep], bom_component[keep]
    quantity_per = rng.choice([5000, 10000, 20000, 40000], len(bom_product))  # scaled by 1e4
    material = (
        np.bincount(
            bom_product,
            weights=quantity_per * component_price[bom_component] / 10000,
            minlength=count,
        )
        .round()
        .astype(np.int64)
    )
    machine_hours = rng.integers(50, 1500, count)  # thousandths of an hour per unit
    labour_hours = rng.integers(100, 2500, count)
    current_cost = (
        material
        + _hours_cost(machine_hours, MACHINE_RATE_CENTS[plant])
        + _hours_cost(labour_hours, LABOUR_RATE_CENTS[plant])
    )
    list_price = np.round(current_cost / rng.uniform(0.55, 0.75, count)).astype(np.int64)
    kinds = np.array([c[0] for c in _COMPONENTS])[component_kind]
    units = np.array([c[1] for c in _COMPONENTS])[component_kind]
    bom = {
        "product_number": number[bom_product],
        "component_number": np.char.add("RM-", (200000 + bom_component).astype(str))[...],
        "component_name": kinds[bom_component],
        "quantity_per": quantity_per,
        "component_unit": units[bom_component],
        "component_standard_price": component_price[bom_component],
    }

    # One standard cost version a year; costs were a few percent lower in earlier years.
    years = np.arange(
        first_day.astype("datetime64[Y]").astype(int) + 1970,
        export_day.astype("datetime64[Y]").astype(int) + 1971,
    )
    cost_by_year, versions = (
        {},
        {
            k: []
            for k in (
                "product_number",
                "valid_from",
                "valid_to",
                "material_cost",
                "labour_cost",
                "overhead_cost",
                "standard_cost",
                "currency",
            )
        },
    )
    for offset, year in enumerate(years[::-1]):
        factor = 1 / (1.03**offset)
        mat = np.round(material * factor).astype(np.int64)
        lab = np.round(_hours_cost(labour_hours, LABOUR_RATE_CENTS[plant]) * factor).astype(
            np.int64
        )
        ovh = np.round(_hours_cost(machine_hours, MACHINE_RATE_CENTS[plant]) * factor).astype(
            np.int64
        )
        cost_by_year[int(year)] = mat + lab + ovh
        versions["product_number"].append(number)
        versions["valid_from"].append(np.full(count, np.datetime64(f"{year}-01-01")))
        versions["valid_to"].append(
            np.full(count, np.datetime64("9999-12-31" if offset == 0 else f"{year}-12-31"))
        )
        versions["material_cost"].append(mat)
        versions["labour_cost"].append(lab)
        versions["overhead_cost"].append(ovh)
        versions["standard_cost"].append(mat + lab + ovh)
        versions["currency"].append(np.full(count, "CNY"))
    created = first_day - rng.integers(30, 1500, count).astype("timedelta64[D]")
    weight_grams = np.where(
        by_weight, 1_000_000, np.round(rng.lognormal(np.log(2.5), 0.8, count) * 1000 * 1000)
    )
    erp = {
        "product_number": number,
        "product_name": np.char.add(
            np.char.add(category_cn, " "),
            np.char.add(line_letter, rng.integers(100, 999, count).astype(str)),
        ),
        "category": category_en,
        "product_line": np.char.add(np.char.add(category_en, " "), line_letter),
        "base_unit": np.where(by_weight, "KG", "PC"),
        "net_weight_kg": (weight_grams // 1000).astype(np.int64),  # DECIMAL(12,3): grams
        "list_price": list_price,
        "standard_cost": cost_by_year[int(years[-1])],
        "currency": np.full(count, "CNY"),
        "created_on": created,
        "changed_on": np.minimum(
            created + rng.integers(0, 300, count).astype("timedelta64[D]"), first_day
        ),
    }
    return Products(
        erp=erp,
        bom=bom,
        cost_versions={k: np.concatenate(v) for k, v in versions.items()},
        weights=pareto_weights(rng, count),
        list_price_cents=list_price,
        standard_cost_cents_by_year=cost_by_year,
        material_cents=material,
        machine_hours_milli=machine_hours,
        labour_hours_milli=labour_hours,
        is_by_weight=by_weight,
        is_make_to_order=rng.random(count) < 0.6,
        plant_index=plant,
        weight_grams=(weight_grams // 1000).astype(np.int64),
    )


def standard_cost_cents(products: Products, product: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Standard cost per unit valid on each day (versions run calendar year by calendar year)."""
    year = day.astype("datetime64[Y]").astype(int) + 1970
    cost = np.zeros(len(product), dtype=np.int64)
    for version_year, costs in products.standard_cost_cents_by_year.items():
        rows = year == version_year
        cost[rows] = costs[product[rows]]
    return cost


def _hours_cost(hours_milli: np.ndarray, rate_cents: np.ndarray) -> np.ndarray:
    return (hours_milli * rate_cents + 500) // 1000


def fx_rates_to_cny(
    rng: np.random.Generator, first_day: np.datetime64, days: int
) -> dict[str, np.ndarray]:
    """Daily rates (scaled by 1e6) of each currency into CNY, indexed by day offset."""
    rates = {}
    for code, start in (("USD", 7.10), ("EUR", 7.80)):
        walk = start * np.exp(np.cumsum(rng.normal(0, 0.003, days)))
        rates[code] = np.round(walk * 1_000_000).astype(np.int64)
    rates["CNY"] = np.full(days, 1_000_000, dtype=np.int64)
    return rates


def fx_records(fx_to_cny: dict[str, np.ndarray], first_day: np.datetime64) -> dict:
    days = len(fx_to_cny["CNY"])
    dates = first_day + np.arange(days).astype("timedelta64[D]")
    foreign = [code for code in fx_to_cny if code != "CNY"]
    return {
        "rate_date": np.tile(dates, len(foreign)),
        "from_currency": np.repeat(np.array(foreign), days),
        "to_currency": np.full(days * len(foreign), "CNY"),
        "rate": np.concatenate([fx_to_cny[code] for code in foreign]),
    }
