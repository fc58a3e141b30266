"""CRM exports, as a Salesforce-like CRM writes them.

API field names as headers, 18-character record ids, ISO-8601 timestamps with offset,
UTF-8 CSV with a byte-order mark (as Excel users save it).
"""

from dagster_project.contracts.model import CURRENCY_CODES, Column, Entity, System

_ID = "18-character Salesforce record id"
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")


def _sf_id(name: str, what: str, example: str, nullable: bool = False) -> Column:
    return Column(name, "VARCHAR", f"{_ID} of {what}", example, nullable=nullable)


def _created_modified(what: str) -> tuple[Column, Column]:
    return (
        Column(
            "CreatedDate",
            "TIMESTAMPTZ",
            f"When the {what} was created",
            "2025-01-06T10:30:00+08:00",
            nullable=False,
        ),
        Column(
            "LastModifiedDate",
            "TIMESTAMPTZ",
            f"When the {what} last changed",
            "2025-03-28T15:45:12+08:00",
            nullable=False,
        ),
    )


USERS = Entity(
    name="users",
    description="Sales reps and their managers; one row per user, full every night.",
    load="snapshot",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the user", "0055g00000XyZaBAAV"),
        Column("Name", "VARCHAR", "Full name", "Li Wei", nullable=False),
        Column("Email", "VARCHAR", "Work e-mail", "li.wei@example.com"),
        Column("Team__c", "VARCHAR", "Sales team", "South China Key Accounts"),
        _sf_id(
            "ManagerId",
            "the user's manager (empty for heads of sales)",
            "0055g00000MgRaBAAV",
            nullable=True,
        ),
        Column(
            "IsActive",
            "BOOLEAN",
            "Whether the user can still log in (true/false)",
            "true",
            nullable=False,
        ),
        *_created_modified("user"),
    ),
)

ACCOUNTS = Entity(
    name="accounts",
    description="Customer accounts as sales sees them; one row per account, full every night.",
    load="snapshot",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the account", "0015g00000AbCdEAAV"),
        Column(
            "Name",
            "VARCHAR",
            "Account name as typed by sales",
            "Shenzhen Huaxin Electronics Co., Ltd.",
            nullable=False,
        ),
        Column("Industry", "VARCHAR", "Industry picklist value", "Electronics"),
        Column("Region__c", "VARCHAR", "Sales region", "South China"),
        _sf_id(
            "OwnerId", "the sales rep who owns the account", "0055g00000XyZaBAAV", nullable=True
        ),
        Column(
            "ERP_Customer_Number__c",
            "VARCHAR",
            "ERP customer number, when sales filled it in",
            "0000012345",
        ),
        Column(
            "Tax_ID__c",
            "VARCHAR",
            "Unified social credit code, when sales filled it in",
            "91440300MA5EXAMPLE",
        ),
        Column("BillingCity", "VARCHAR", "Billing city", "Shenzhen"),
        Column("BillingCountry", "VARCHAR", "Billing country (ISO 3166 alpha-2)", "CN"),
        *_created_modified("account"),
    ),
)

CONTACTS = Entity(
    name="contacts",
    description="People at customer accounts; one row per contact, full every night.",
    load="snapshot",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the contact", "0035g00000CoNtAAAV"),
        _sf_id("AccountId", "the contact's account", "0015g00000AbCdEAAV"),
        Column("FirstName", "VARCHAR", "Given name", "Wei"),
        Column("LastName", "VARCHAR", "Family name", "Zhang", nullable=False),
        Column("Title", "VARCHAR", "Job title", "Purchasing Manager"),
        Column("Email", "VARCHAR", "E-mail", "zhang.wei@huaxin.example.com"),
        Column("Phone", "VARCHAR", "Phone number as typed", "+86 755 1234 5678"),
        *_created_modified("contact"),
    ),
)

OPPORTUNITIES = Entity(
    name="opportunities",
    description=(
        "Sales opportunities; each export holds those created or changed since the last one."
    ),
    load="delta",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the opportunity", "0065g00000KlMnOAAV"),
        _sf_id("AccountId", "the account", "0015g00000AbCdEAAV"),
        Column(
            "Name", "VARCHAR", "Opportunity name", "Huaxin - control units 2025", nullable=False
        ),
        Column(
            "StageName",
            "VARCHAR",
            "Sales stage",
            "Closed Won",
            nullable=False,
            allowed_values=STAGES,
        ),
        Column(
            "Amount",
            "DECIMAL(18,2)",
            "Expected amount in CurrencyIsoCode",
            "125000.00",
            non_negative=True,
        ),
        Column(
            "CurrencyIsoCode",
            "VARCHAR",
            "Currency of Amount (ISO 4217)",
            "CNY",
            nullable=False,
            allowed_values=CURRENCY_CODES,
        ),
        Column(
            "CloseDate",
            "DATE",
            "Expected or actual close date (YYYY-MM-DD)",
            "2025-03-31",
            nullable=False,
        ),
        Column(
            "Probability", "INTEGER", "Win probability in percent (0-100)", "90", non_negative=True
        ),
        Column(
            "ForecastCategoryName",
            "VARCHAR",
            "Forecast category",
            "Commit",
            allowed_values=("Pipeline", "Best Case", "Commit", "Closed", "Omitted"),
        ),
        Column(
            "IsClosed",
            "BOOLEAN",
            "Whether the opportunity is closed (true/false)",
            "true",
            nullable=False,
        ),
        Column("IsWon", "BOOLEAN", "Whether it was won (true/false)", "true", nullable=False),
        _sf_id("OwnerId", "the owning sales rep", "0055g00000XyZaBAAV", nullable=True),
        *_created_modified("opportunity"),
    ),
)

OPPORTUNITY_HISTORY = Entity(
    name="opportunity_history",
    description=(
        "One row per change of an opportunity's stage, amount or close date (OpportunityHistory);"
        " deltas."
    ),
    load="delta",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the history record", "0085g00000HiStAAAV"),
        _sf_id("OpportunityId", "the opportunity", "0065g00000KlMnOAAV"),
        Column(
            "StageName",
            "VARCHAR",
            "Stage from this moment on",
            "Proposal",
            nullable=False,
            allowed_values=STAGES,
        ),
        Column(
            "Amount", "DECIMAL(18,2)", "Amount from this moment on", "120000.00", non_negative=True
        ),
        Column(
            "Probability",
            "INTEGER",
            "Probability in percent from this moment on",
            "50",
            non_negative=True,
        ),
        Column("CloseDate", "DATE", "Expected close date from this moment on", "2025-03-31"),
        Column(
            "CreatedDate",
            "TIMESTAMPTZ",
            "When the change was made",
            "2025-02-11T11:02:00+08:00",
            nullable=False,
        ),
    ),
)

OPPORTUNITY_LINE_ITEMS = Entity(
    name="opportunity_line_items",
    description="Products on an opportunity; deltas.",
    load="delta",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the line item", "00k5g00000LiNeAAAV"),
        _sf_id("OpportunityId", "the opportunity", "0065g00000KlMnOAAV"),
        Column(
            "ProductCode",
            "VARCHAR",
            "ERP material number of the product",
            "FG-100234",
            nullable=False,
        ),
        Column(
            "Quantity",
            "DECIMAL(18,3)",
            "Quantity in the product's base unit",
            "40.000",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "UnitPrice",
            "DECIMAL(18,2)",
            "Quoted unit price in the opportunity's currency",
            "1250.00",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "TotalPrice",
            "DECIMAL(18,2)",
            "Quantity x UnitPrice",
            "50000.00",
            nullable=False,
            non_negative=True,
        ),
        *_created_modified("line item"),
    ),
)

QUOTES = Entity(
    name="quotes",
    description="Quotes sent to customers for an opportunity; deltas.",
    load="delta",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the quote", "0Q05g00000QuOtAAAV"),
        _sf_id("OpportunityId", "the opportunity", "0065g00000KlMnOAAV"),
        Column(
            "QuoteNumber",
            "VARCHAR",
            "Quote number shown to the customer",
            "Q-00012345",
            nullable=False,
        ),
        Column(
            "Status",
            "VARCHAR",
            "Quote status",
            "Accepted",
            nullable=False,
            allowed_values=("Draft", "Presented", "Accepted", "Denied"),
        ),
        Column(
            "GrandTotal",
            "DECIMAL(18,2)",
            "Total of the quote in CurrencyIsoCode",
            "118750.00",
            nullable=False,
            non_negative=True,
        ),
        Column(
            "CurrencyIsoCode",
            "VARCHAR",
            "Currency (ISO 4217)",
            "CNY",
            nullable=False,
            allowed_values=CURRENCY_CODES,
        ),
        Column("ExpirationDate", "DATE", "Date the offer expires (YYYY-MM-DD)", "2025-04-30"),
        *_created_modified("quote"),
    ),
)

CASES = Entity(
    name="cases",
    description="Complaints and service requests from customers; deltas.",
    load="delta",
    primary_key=("Id",),
    columns=(
        _sf_id("Id", "the case", "5005g00000CaSeAAAV"),
        Column(
            "CaseNumber", "VARCHAR", "Case number shown to the customer", "00012345", nullable=False
        ),
        _sf_id("AccountId", "the customer's account", "0015g00000AbCdEAAV"),
        Column("ProductCode", "VARCHAR", "ERP material number concerned, when known", "FG-100234"),
        Column(
            "ERP_Order_Number__c", "VARCHAR", "ERP sales order concerned, when known", "0010004711"
        ),
        Column(
            "Type",
            "VARCHAR",
            "Complaint or Service Request",
            "Complaint",
            nullable=False,
            allowed_values=("Complaint", "Service Request"),
        ),
        Column("Reason", "VARCHAR", "Reason picklist value", "Defective part", nullable=False),
        Column(
            "Priority",
            "VARCHAR",
            "Low, Medium, High or Critical",
            "High",
            nullable=False,
            allowed_values=("Low", "Medium", "High", "Critical"),
        ),
        Column(
            "Status",
            "VARCHAR",
            "New, Working, Escalated or Closed",
            "Closed",
            nullable=False,
            allowed_values=("New", "Working", "Escalated", "Closed"),
        ),
        Column(
            "ClosedDate",
            "TIMESTAMPTZ",
            "When the case was closed (empty while open)",
            "2025-03-02T16:20:00+08:00",
        ),
        *_created_modified("case"),
    ),
)

CRM = System(
    name="crm",
    description="Customer relationship management: accounts, contacts, sales pipeline and cases.",
    format="csv",
    encoding="utf-8-sig",
    date_format="%Y-%m-%d",
    entities=(
        USERS,
        ACCOUNTS,
        CONTACTS,
        OPPORTUNITIES,
        OPPORTUNITY_HISTORY,
        OPPORTUNITY_LINE_ITEMS,
        QUOTES,
        CASES,
    ),
)
