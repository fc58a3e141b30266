"""TEMPORARY: a stand-in `published_warehouse` until tests/conftest.py provides the real one.

Delete this whole file once tests/conftest.py has the session-scoped `published_warehouse`
fixture (a published profitlens.duckdb built from generated demo data): a fixture here would
shadow it for tests/dashboards.

It writes a small published snapshot with the marts the app reads (columns as in the model):
six months of orders, customers billed in CNY and USD (reporting currency CNY), a partly
cancelled order and a wholly cancelled one, and an order on the unknown customer member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

REPORTING_CURRENCY = "CNY"
FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2024, 6, 30)
USD_TO_CNY = Decimal("7.1800")


def _key(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_DDL = """
create schema marts;

create table marts.dim_dates (
    date_day date primary key,
    year_number integer,
    quarter_number integer,
    month_number integer,
    month_name varchar,
    year_month varchar,
    month_start_date date,
    iso_week_number integer,
    day_of_week_number integer,
    day_name varchar,
    is_weekend boolean
);

create table marts.dim_customers (
    customer_key varchar primary key,
    erp_customer_number varchar,
    crm_account_id varchar,
    customer_name varchar,
    crm_account_name varchar,
    industry varchar,
    region varchar,
    city varchar,
    country_code varchar,
    sales_org varchar,
    payment_terms varchar,
    credit_limit_amount decimal(18, 2),
    currency_code varchar,
    is_unknown_member boolean
);

create table marts.dim_products (
    product_key varchar primary key,
    product_number varchar,
    product_name varchar,
    category_name varchar,
    product_line_name varchar,
    base_unit varchar,
    net_weight_kg decimal(18, 3),
    list_price_amount decimal(18, 2),
    standard_cost_amount decimal(18, 2),
    currency_code varchar,
    is_unknown_member boolean
);

create table marts.fct_order_lines (
    order_line_key varchar primary key,
    customer_key varchar,
    product_key varchar,
    order_number varchar,
    line_number integer,
    erp_customer_number varchar,
    product_number varchar,
    crm_opportunity_id varchar,
    sales_org varchar,
    plant_code varchar,
    currency_code varchar,
    reporting_currency_code varchar,
    line_status varchar,
    quantity decimal(18, 3),
    unit_price_amount decimal(18, 2),
    gross_revenue_amount decimal(18, 2),
    discount_amount decimal(18, 2),
    net_revenue_amount decimal(18, 2),
    fx_rate_to_reporting decimal(18, 6),
    gross_revenue_amount_rc decimal(18, 2),
    discount_amount_rc decimal(18, 2),
    net_revenue_amount_rc decimal(18, 2),
    standard_cost_amount_rc decimal(18, 2),
    gross_margin_amount_rc decimal(18, 2),
    is_cancelled boolean,
    order_date date,
    requested_date date,
    promised_date date
);

insert into marts.dim_dates
select
    day::date as date_day,
    year(day) as year_number,
    quarter(day) as quarter_number,
    month(day) as month_number,
    monthname(day) as month_name,
    strftime(day, '%Y-%m') as year_month,
    date_trunc('month', day)::date as month_start_date,
    weekofyear(day) as iso_week_number,
    isodow(day) as day_of_week_number,
    dayname(day) as day_name,
    isodow(day) in (6, 7) as is_weekend
from range(date '2023-01-01', date '2025-12-31', interval 1 day) as days(day);
"""

_CUSTOMERS = [
    # erp number, name, region, city, country, sales org, currency
    ("C1001", "Shanghai Precision Parts Co.", "East China", "Shanghai", "CN", "CN01", "CNY"),
    ("C1002", "Hangzhou Motion Systems Ltd.", "East China", "Hangzhou", "CN", "CN01", "CNY"),
    ("C1003", "Shenzhen Bright Electronics", "South China", "Shenzhen", "CN", "CN01", "CNY"),
    ("C1004", "Beijing Northern Machinery", "North China", "Beijing", "CN", "CN01", "CNY"),
    ("C1005", "Chengdu Westline Automation", "West China", "Chengdu", "CN", "CN01", "CNY"),
    ("C1006", "Wuhan Yangtze Fluid Power", "Central China", "Wuhan", "CN", "CN01", "CNY"),
    ("C1007", "Suzhou Micro Motors", "East China", "Suzhou", "CN", "CN01", "CNY"),
    ("C2001", "Acme Industrial Supply Inc.", "North America", "Chicago", "US", "US01", "USD"),
    ("C2002", "Great Lakes Robotics LLC", "North America", "Detroit", "US", "US01", "USD"),
    ("C2003", "Pacific Drive Components", "North America", "San Jose", "US", "US01", "USD"),
    ("C2004", "Rhein Antriebstechnik GmbH", "Europe", "Cologne", "DE", "US01", "USD"),
    ("C2005", "Nordic Conveyor AB", "Europe", "Gothenburg", "SE", "US01", "USD"),
]

_PRODUCTS = [
    # number, name, category, line, list price (CNY), standard cost (CNY)
    ("P-100", "Servo motor 400 W", "Motors", "Servo", Decimal("1850.00"), Decimal("1120.00")),
    ("P-110", "Servo motor 1 kW", "Motors", "Servo", Decimal("3600.00"), Decimal("2310.00")),
    (
        "P-200",
        "Planetary gearbox 10:1",
        "Gearboxes",
        "Precision",
        Decimal("980.00"),
        Decimal("540.00"),
    ),
    (
        "P-210",
        "Planetary gearbox 50:1",
        "Gearboxes",
        "Precision",
        Decimal("1420.00"),
        Decimal("830.00"),
    ),
    ("P-300", "Linear guide 1 m", "Linear motion", "Guides", Decimal("460.00"), Decimal("255.00")),
    (
        "P-400",
        "Motion controller 4-axis",
        "Controls",
        "Controllers",
        Decimal("5200.00"),
        Decimal("2980.00"),
    ),
]


def _build_marts(path: Path) -> None:
    rng = random.Random(20240630)
    unknown_customer_key = _key("customer", "unknown")
    customers = [
        (
            _key("customer", number),
            number,
            f"CRM-{number}",
            name,
            name.upper(),
            "Machinery",
            region,
            city,
            country,
            sales_org,
            "NET30",
            Decimal("500000.00"),
            currency,
            False,
        )
        for number, name, region, city, country, sales_org, currency in _CUSTOMERS
    ]
    customers.append(
        (unknown_customer_key, None, None, "Unknown customer", None, None, None, None, None, None,
         None, None, None, True)
    )  # fmt: skip
    products = [
        (_key("product", number), number, name, category, line, "PC", Decimal("2.500"), price,
         cost, "CNY", False)
        for number, name, category, line, price, cost in _PRODUCTS
    ]  # fmt: skip

    order_lines = []
    days = (LAST_DAY - FIRST_DAY).days
    for order_index in range(90):
        order_number = f"SO-{4500000 + order_index}"
        order_date = FIRST_DAY + dt.timedelta(days=rng.randint(0, days))
        if order_index == 0:
            order_date = FIRST_DAY  # the data's range is exactly FIRST_DAY..LAST_DAY
        if order_index == 1:
            order_date = LAST_DAY
        if order_index == 2:
            customer = None  # ERP customer that matched nothing: the unknown member
        else:
            customer = _CUSTOMERS[rng.randrange(len(_CUSTOMERS))]
        currency = customer[6] if customer else "CNY"
        fx_rate = USD_TO_CNY if currency == "USD" else Decimal("1")
        wholly_cancelled = order_index == 3
        for line_number in range(1, rng.randint(1, 4) + 1):
            number, _, _, _, list_price_cny, standard_cost_cny = _PRODUCTS[
                rng.randrange(len(_PRODUCTS))
            ]
            cancelled = wholly_cancelled or (order_index == 4 and line_number == 1)
            quantity = Decimal(rng.randint(1, 40))
            unit_price = _cents(list_price_cny / fx_rate)
            gross = _cents(quantity * unit_price)
            discount = _cents(gross * Decimal(rng.choice([0, 0, 2, 5, 10])) / 100)
            net = gross - discount
            gross_rc, discount_rc = _cents(gross * fx_rate), _cents(discount * fx_rate)
            net_rc = gross_rc - discount_rc
            cost_rc = _cents(quantity * standard_cost_cny)
            if cancelled:
                gross = discount = net = gross_rc = discount_rc = net_rc = cost_rc = Decimal(0)
            erp_number = customer[0] if customer else "C9999"
            order_lines.append(
                (
                    _key("order_line", order_number, line_number),
                    _key("customer", customer[0]) if customer else unknown_customer_key,
                    _key("product", number),
                    order_number,
                    line_number,
                    erp_number,
                    number,
                    f"OPP-{order_index:05d}",
                    customer[5] if customer else "CN01",
                    "PL01",
                    currency,
                    REPORTING_CURRENCY,
                    "cancelled" if cancelled else "open",
                    quantity,
                    unit_price,
                    gross,
                    discount,
                    net,
                    fx_rate,
                    gross_rc,
                    discount_rc,
                    net_rc,
                    cost_rc,
                    net_rc - cost_rc,
                    cancelled,
                    order_date,
                    order_date + dt.timedelta(days=14),
                    order_date + dt.timedelta(days=21),
                )
            )

    with duckdb.connect(str(path)) as connection:
        connection.execute(_DDL)
        connection.executemany(
            f"insert into marts.dim_customers values ({', '.join(['?'] * 14)})", customers
        )
        connection.executemany(
            f"insert into marts.dim_products values ({', '.join(['?'] * 11)})", products
        )
        connection.executemany(
            f"insert into marts.fct_order_lines values ({', '.join(['?'] * 28)})", order_lines
        )


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TEMPORARY stand-in (see module docstring): path of a published profitlens.duckdb."""
    path = tmp_path_factory.mktemp("warehouse") / "profitlens.duckdb"
    _build_marts(path)
    return path
