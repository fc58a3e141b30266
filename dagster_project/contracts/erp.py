"""ERP exports, as a Chinese ERP (SAP/Kingdee-like) writes them.

GB18030-encoded CSV, dates as YYYYMMDD, customer and order numbers with leading zeros
(so they are strings, never numbers), Chinese names.
"""

from dagster_project.contracts.model import Column, Entity, System

_CHANGED_ON = Column("changed_on", "DATE", "Date of the record's last change (YYYYMMDD)", "20250203", nullable=False)

CUSTOMERS = Entity(
    name="customers",
    description="Sold-to customers of the ERP; one row per customer, full every night.",
    load="snapshot",
    primary_key=("customer_number",),
    columns=(
        Column("customer_number", "VARCHAR", "ERP customer number, 10 digits with leading zeros", "0000012345", nullable=False),
        Column("customer_name", "VARCHAR", "Legal name as on invoices (usually Chinese)", "深圳华信电子有限公司", nullable=False),
        Column("tax_id", "VARCHAR", "Unified social credit code (18 characters), when known", "91440300MA5EXAMPLE"),
        Column("city", "VARCHAR", "City of the sold-to address", "深圳"),
        Column("country", "VARCHAR", "Country (ISO 3166 alpha-2)", "CN", nullable=False),
        Column("sales_org", "VARCHAR", "Sales organisation that serves the customer", "CN01", nullable=False),
        Column("payment_terms", "VARCHAR", "Payment terms key: NT30, NT60, NT90 or PREPAY", "NT60", nullable=False),
        Column("credit_limit", "DECIMAL(18,2)", "Credit limit in the customer's currency", "500000.00"),
        Column("currency", "VARCHAR", "Customer's order currency (ISO 4217)", "CNY", nullable=False),
        Column("created_on", "DATE", "Date the customer was created (YYYYMMDD)", "20230411", nullable=False),
        _CHANGED_ON,
    ),
)

PRODUCTS = Entity(
    name="products",
    description="Finished goods the company sells, with their current standard cost; full every night.",
    load="snapshot",
    primary_key=("product_number",),
    columns=(
        Column("product_number", "VARCHAR", "Material number of the finished good", "FG-100234", nullable=False),
        Column("product_name", "VARCHAR", "Product name (usually Chinese)", "工业控制器 A200", nullable=False),
        Column("category", "VARCHAR", "Product category (top of the hierarchy)", "Controllers", nullable=False),
        Column("product_line", "VARCHAR", "Product line within the category", "Controllers A", nullable=False),
        Column("base_unit", "VARCHAR", "Unit of measure of quantities: PC or KG", "PC", nullable=False),
        Column("net_weight_kg", "DECIMAL(12,3)", "Net weight of one base unit in kg", "2.450", nullable=False),
        Column("list_price", "DECIMAL(18,2)", "List price per base unit in currency", "1280.00", nullable=False),
        Column("standard_cost", "DECIMAL(18,2)", "Standard cost per base unit in currency (from the BOM)", "812.40", nullable=False),
        Column("currency", "VARCHAR", "Currency of list price and standard cost (company currency)", "CNY", nullable=False),
        Column("created_on", "DATE", "Date the material was created (YYYYMMDD)", "20220105", nullable=False),
        _CHANGED_ON,
    ),
)

SALES_ORDERS = Entity(
    name="sales_orders",
    description="Sales order headers; each export holds those created or changed that day.",
    load="delta",
    primary_key=("order_number",),
    columns=(
        Column("order_number", "VARCHAR", "Sales order number, 10 digits with leading zeros", "0010004711", nullable=False),
        Column("customer_number", "VARCHAR", "Sold-to customer number", "0000012345", nullable=False),
        Column("order_date", "DATE", "Order date (YYYYMMDD)", "20250405", nullable=False),
        Column("currency", "VARCHAR", "Document currency of the order (ISO 4217)", "USD", nullable=False),
        Column("sales_org", "VARCHAR", "Sales organisation", "CN01", nullable=False),
        Column("crm_opportunity_id", "VARCHAR", "CRM opportunity the order came from, when recorded", "0065g00000KlMnOAAV"),
        Column("order_status", "VARCHAR", "OPEN, COMPLETED or CANCELLED", "COMPLETED", nullable=False),
        _CHANGED_ON,
    ),
)

SALES_ORDER_LINES = Entity(
    name="sales_order_lines",
    description=(
        "Sales order lines; each export holds those created or changed that day. "
        "net_amount = round(quantity * unit_price * (1 - discount_pct / 100), 2)."
    ),
    load="delta",
    primary_key=("order_number", "line_number"),
    columns=(
        Column("order_number", "VARCHAR", "Sales order number", "0010004711", nullable=False),
        Column("line_number", "INTEGER", "Line item number: 10, 20, 30 ...", "10", nullable=False),
        Column("product_number", "VARCHAR", "Material number ordered", "FG-100234", nullable=False),
        Column("quantity", "DECIMAL(18,3)", "Ordered quantity in the product's base unit", "40.000", nullable=False),
        Column("unit_price", "DECIMAL(18,2)", "Price per base unit before discount, document currency", "1280.00", nullable=False),
        Column("discount_pct", "DECIMAL(5,2)", "Line discount in percent", "7.50", nullable=False),
        Column("net_amount", "DECIMAL(18,2)", "Net value of the line after discount, document currency", "47360.00", nullable=False),
        Column("currency", "VARCHAR", "Document currency (ISO 4217)", "USD", nullable=False),
        Column("plant", "VARCHAR", "Delivering plant", "SZ01", nullable=False),
        Column("requested_date", "DATE", "Delivery date the customer asked for (YYYYMMDD)", "20250420"),
        Column("promised_date", "DATE", "Delivery date confirmed to the customer (YYYYMMDD)", "20250425"),
        Column("line_status", "VARCHAR", "OPEN, DELIVERED or CANCELLED", "DELIVERED", nullable=False),
        _CHANGED_ON,
    ),
)

FX_RATES = Entity(
    name="fx_rates",
    description="Daily exchange rates into the company currency (CNY); each export holds that day's rates.",
    load="delta",
    primary_key=("rate_date", "from_currency", "to_currency"),
    columns=(
        Column("rate_date", "DATE", "Day the rate applies to (YYYYMMDD)", "20250405", nullable=False),
        Column("from_currency", "VARCHAR", "Currency converted from (ISO 4217)", "USD", nullable=False),
        Column("to_currency", "VARCHAR", "Currency converted to (ISO 4217)", "CNY", nullable=False),
        Column("rate", "DECIMAL(18,6)", "Units of to_currency for one unit of from_currency", "7.184500", nullable=False),
    ),
)

ERP = System(
    name="erp",
    description="Enterprise resource planning: customers, products, orders, costs, invoices, payments.",
    format="csv",
    encoding="gb18030",
    date_format="%Y%m%d",
    entities=(CUSTOMERS, PRODUCTS, SALES_ORDERS, SALES_ORDER_LINES, FX_RATES),
)
