"""ERP exports, as a Chinese ERP (SAP/Kingdee-like) writes them.

GB18030-encoded CSV, dates as YYYYMMDD, customer and order numbers with leading zeros
(so they are strings, never numbers), Chinese names.
"""

from dagster_project.contracts.model import CURRENCY_CODES, Column, Entity, System

_CHANGED_ON = Column(
    "changed_on", "DATE", "Date of the record's last change (YYYYMMDD)", "20250203", nullable=False
)


def _money(name: str, meaning: str, example: str, nullable: bool = False) -> Column:
    return Column(name, "DECIMAL(18,2)", meaning, example, nullable=nullable, non_negative=True)


def _currency(meaning: str = "Currency (ISO 4217)", example: str = "CNY") -> Column:
    return Column(
        "currency", "VARCHAR", meaning, example, nullable=False, allowed_values=CURRENCY_CODES
    )


def _number(name: str, meaning: str, example: str, nullable: bool = False) -> Column:
    return Column(name, "VARCHAR", meaning, example, nullable=nullable)


PLANTS = Entity(
    name="plants",
    description="Production and shipping plants; full every night.",
    load="snapshot",
    primary_key=("plant",),
    columns=(
        _number("plant", "Plant code", "SZ01"),
        Column("plant_name", "VARCHAR", "Plant name", "深圳工厂", nullable=False),
        Column("city", "VARCHAR", "City", "深圳", nullable=False),
        Column("country", "VARCHAR", "Country (ISO 3166 alpha-2)", "CN", nullable=False),
        _number("company_code", "Legal entity the plant belongs to", "1000"),
    ),
)

CUSTOMERS = Entity(
    name="customers",
    description="Sold-to customers of the ERP; one row per customer, full every night.",
    load="snapshot",
    primary_key=("customer_number",),
    columns=(
        _number(
            "customer_number", "ERP customer number, 10 digits with leading zeros", "0000012345"
        ),
        Column(
            "customer_name",
            "VARCHAR",
            "Legal name as on invoices (usually Chinese)",
            "深圳华信电子有限公司",
            nullable=False,
        ),
        Column(
            "tax_id",
            "VARCHAR",
            "Unified social credit code (18 characters), when known",
            "91440300MA5EXAMPLE",
        ),
        Column("city", "VARCHAR", "City of the sold-to address", "深圳"),
        Column("country", "VARCHAR", "Country (ISO 3166 alpha-2)", "CN", nullable=False),
        _number("sales_org", "Sales organisation that serves the customer", "CN01"),
        Column(
            "payment_terms",
            "VARCHAR",
            "Payment terms key",
            "NT60",
            nullable=False,
            allowed_values=("NT30", "NT60", "NT90", "PREPAY"),
        ),
        _money(
            "credit_limit", "Credit limit in the customer's currency", "500000.00", nullable=True
        ),
        _currency("Customer's order currency (ISO 4217)"),
        Column(
            "created_on",
            "DATE",
            "Date the customer was created (YYYYMMDD)",
            "20230411",
            nullable=False,
        ),
        _CHANGED_ON,
    ),
)

PRODUCTS = Entity(
    name="products",
    description=(
        "Finished goods the company sells, with their current standard cost; full every night."
    ),
    load="snapshot",
    primary_key=("product_number",),
    columns=(
        _number("product_number", "Material number of the finished good", "FG-100234"),
        Column(
            "product_name",
            "VARCHAR",
            "Product name (usually Chinese)",
            "工业控制器 A200",
            nullable=False,
        ),
        Column(
            "category",
            "VARCHAR",
            "Product category (top of the hierarchy)",
            "Controllers",
            nullable=False,
        ),
        Column(
            "product_line",
            "VARCHAR",
            "Product line within the category",
            "Controllers A",
            nullable=False,
        ),
        Column(
            "base_unit",
            "VARCHAR",
            "Unit of measure of quantities",
            "PC",
            nullable=False,
            allowed_values=("PC", "KG"),
        ),
        Column(
            "net_weight_kg",
            "DECIMAL(12,3)",
            "Net weight of one base unit in kg",
            "2.450",
            nullable=False,
            non_negative=True,
        ),
        _money("list_price", "List price per base unit in currency", "1280.00"),
        _money(
            "standard_cost",
            "Current standard cost per base unit in currency (from the BOM)",
            "812.40",
        ),
        _currency("Currency of list price and standard cost (company currency)"),
        Column(
            "created_on",
            "DATE",
            "Date the material was created (YYYYMMDD)",
            "20220105",
            nullable=False,
        ),
        _CHANGED_ON,
    ),
)

BILL_OF_MATERIALS = Entity(
    name="bill_of_materials",
    description="Components that go into one base unit of each finished good; full every night.",
    load="snapshot",
    primary_key=("product_number", "component_number"),
    columns=(
        _number("product_number", "Finished good", "FG-100234"),
        _number("component_number", "Component material number", "RM-200017"),
        Column("component_name", "VARCHAR", "Component name", "铝合金外壳", nullable=False),
        Column(
            "quantity_per",
            "DECIMAL(12,4)",
            "Quantity of the component per base unit of the product",
            "2.0000",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "component_unit",
            "VARCHAR",
            "Unit of the component quantity",
            "PC",
            nullable=False,
            allowed_values=("PC", "KG", "M"),
        ),
        _money(
            "component_standard_price",
            "Standard price of one component unit, company currency",
            "35.20",
        ),
    ),
)

STANDARD_COST_VERSIONS = Entity(
    name="standard_cost_versions",
    description=(
        "Standard cost of each finished good over time (a new version each costing run); full "
        "every night."
    ),
    load="snapshot",
    primary_key=("product_number", "valid_from"),
    columns=(
        _number("product_number", "Finished good", "FG-100234"),
        Column(
            "valid_from",
            "DATE",
            "First day the version applies (YYYYMMDD)",
            "20250101",
            nullable=False,
        ),
        Column(
            "valid_to",
            "DATE",
            "Last day the version applies (YYYYMMDD; 99991231 while current)",
            "20251231",
            nullable=False,
        ),
        _money("material_cost", "Material cost per base unit", "640.00"),
        _money("labour_cost", "Labour cost per base unit", "92.40"),
        _money("overhead_cost", "Machine and overhead cost per base unit", "80.00"),
        _money("standard_cost", "Total standard cost per base unit", "812.40"),
        _currency("Company currency (ISO 4217)"),
    ),
)

SALES_ORDERS = Entity(
    name="sales_orders",
    description="Sales order headers; each export holds those created or changed that day.",
    load="delta",
    primary_key=("order_number",),
    columns=(
        _number("order_number", "Sales order number, 10 digits with leading zeros", "0010004711"),
        _number("customer_number", "Sold-to customer number", "0000012345"),
        Column("order_date", "DATE", "Order date (YYYYMMDD)", "20250405", nullable=False),
        _currency("Document currency of the order (ISO 4217)", "USD"),
        _number("sales_org", "Sales organisation", "CN01"),
        Column(
            "crm_opportunity_id",
            "VARCHAR",
            "CRM opportunity the order came from, when recorded",
            "0065g00000KlMnOAAV",
        ),
        Column(
            "order_status",
            "VARCHAR",
            "Order status",
            "COMPLETED",
            nullable=False,
            allowed_values=("OPEN", "COMPLETED", "CANCELLED"),
        ),
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
        _number("order_number", "Sales order number", "0010004711"),
        Column(
            "line_number",
            "INTEGER",
            "Line item number: 10, 20, 30 ...",
            "10",
            nullable=False,
            non_negative=True,
        ),
        _number("product_number", "Material number ordered", "FG-100234"),
        Column(
            "quantity",
            "DECIMAL(18,3)",
            "Ordered quantity in the product's base unit",
            "40.000",
            nullable=False,
            non_negative=True,
        ),
        _money("unit_price", "Price per base unit before discount, document currency", "1280.00"),
        Column(
            "discount_pct",
            "DECIMAL(5,2)",
            "Line discount in percent",
            "7.50",
            nullable=False,
            non_negative=True,
        ),
        _money("net_amount", "Net value of the line after discount, document currency", "47360.00"),
        _currency("Document currency (ISO 4217)", "USD"),
        _number("plant", "Delivering plant", "SZ01"),
        Column(
            "requested_date", "DATE", "Delivery date the customer asked for (YYYYMMDD)", "20250420"
        ),
        Column(
            "promised_date",
            "DATE",
            "Delivery date confirmed to the customer (YYYYMMDD)",
            "20250425",
        ),
        Column(
            "line_status",
            "VARCHAR",
            "Line status",
            "DELIVERED",
            nullable=False,
            allowed_values=("OPEN", "DELIVERED", "CANCELLED"),
        ),
        _CHANGED_ON,
    ),
)

DELIVERIES = Entity(
    name="deliveries",
    description="Outbound delivery items (goods issue against an order line); deltas.",
    load="delta",
    primary_key=("delivery_number", "delivery_item"),
    columns=(
        _number("delivery_number", "Delivery number", "0080012345"),
        Column(
            "delivery_item",
            "INTEGER",
            "Item within the delivery: 10, 20 ...",
            "10",
            nullable=False,
            non_negative=True,
        ),
        _number("order_number", "Sales order delivered", "0010004711"),
        Column(
            "order_line_number",
            "INTEGER",
            "Sales order line delivered",
            "10",
            nullable=False,
            non_negative=True,
        ),
        _number("product_number", "Material delivered", "FG-100234"),
        _number("plant", "Shipping plant", "SZ01"),
        Column(
            "delivered_quantity",
            "DECIMAL(18,3)",
            "Quantity issued, base unit",
            "40.000",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "goods_issue_date",
            "DATE",
            "Date the goods left the plant (YYYYMMDD)",
            "20250424",
            nullable=False,
        ),
        _CHANGED_ON,
    ),
)

INVOICES = Entity(
    name="invoices",
    description="Customer invoices (headers); deltas.",
    load="delta",
    primary_key=("invoice_number",),
    columns=(
        _number("invoice_number", "Invoice number", "0090054321"),
        _number("customer_number", "Billed customer", "0000012345"),
        Column("invoice_date", "DATE", "Invoice date (YYYYMMDD)", "20250425", nullable=False),
        Column("due_date", "DATE", "Payment due date (YYYYMMDD)", "20250624", nullable=False),
        _money("net_amount", "Net amount, document currency", "47360.00"),
        _money("tax_amount", "VAT amount, document currency", "6156.80"),
        _money("gross_amount", "net_amount + tax_amount", "53516.80"),
        _currency("Document currency (ISO 4217)", "USD"),
        Column(
            "invoice_status",
            "VARCHAR",
            "POSTED or CANCELLED",
            "POSTED",
            nullable=False,
            allowed_values=("POSTED", "CANCELLED"),
        ),
        _CHANGED_ON,
    ),
)

INVOICE_LINES = Entity(
    name="invoice_lines",
    description="Invoice items, each billing (part of) a delivered order line; deltas.",
    load="delta",
    primary_key=("invoice_number", "invoice_line"),
    columns=(
        _number("invoice_number", "Invoice number", "0090054321"),
        Column(
            "invoice_line",
            "INTEGER",
            "Item within the invoice: 10, 20 ...",
            "10",
            nullable=False,
            non_negative=True,
        ),
        _number("order_number", "Sales order billed", "0010004711"),
        Column(
            "order_line_number",
            "INTEGER",
            "Sales order line billed",
            "10",
            nullable=False,
            non_negative=True,
        ),
        _number("delivery_number", "Delivery billed", "0080012345"),
        _number("product_number", "Material billed", "FG-100234"),
        Column(
            "quantity",
            "DECIMAL(18,3)",
            "Billed quantity, base unit",
            "40.000",
            nullable=False,
            non_negative=True,
        ),
        _money("net_amount", "Net amount of the item, document currency", "47360.00"),
        _currency("Document currency (ISO 4217)", "USD"),
    ),
)

PAYMENTS = Entity(
    name="payments",
    description="Incoming payments cleared against invoices; deltas.",
    load="delta",
    primary_key=("payment_number",),
    columns=(
        _number("payment_number", "Payment document number", "1400012345"),
        _number("customer_number", "Paying customer", "0000012345"),
        _number("invoice_number", "Invoice the payment clears", "0090054321"),
        Column(
            "payment_date",
            "DATE",
            "Value date of the payment (YYYYMMDD)",
            "20250618",
            nullable=False,
        ),
        _money("amount", "Amount paid, document currency", "53516.80"),
        _currency("Currency of the payment (ISO 4217)", "USD"),
        _CHANGED_ON,
    ),
)

FX_RATES = Entity(
    name="fx_rates",
    description=(
        "Daily exchange rates into the company currency (CNY); each export holds that day's rates."
    ),
    load="delta",
    primary_key=("rate_date", "from_currency", "to_currency"),
    columns=(
        Column(
            "rate_date", "DATE", "Day the rate applies to (YYYYMMDD)", "20250405", nullable=False
        ),
        Column(
            "from_currency",
            "VARCHAR",
            "Currency converted from (ISO 4217)",
            "USD",
            nullable=False,
            allowed_values=CURRENCY_CODES,
        ),
        Column(
            "to_currency",
            "VARCHAR",
            "Currency converted to (ISO 4217)",
            "CNY",
            nullable=False,
            allowed_values=CURRENCY_CODES,
        ),
        Column(
            "rate",
            "DECIMAL(18,6)",
            "Units of to_currency for one unit of from_currency",
            "7.184500",
            nullable=False,
            non_negative=True,
        ),
    ),
)

ERP = System(
    name="erp",
    description=(
        "Enterprise resource planning: customers, products, orders, costs, invoices, payments."
    ),
    format="csv",
    encoding="gb18030",
    date_format="%Y%m%d",
    entities=(
        PLANTS,
        CUSTOMERS,
        PRODUCTS,
        BILL_OF_MATERIALS,
        STANDARD_COST_VERSIONS,
        SALES_ORDERS,
        SALES_ORDER_LINES,
        DELIVERIES,
        INVOICES,
        INVOICE_LINES,
        PAYMENTS,
        FX_RATES,
    ),
)
