"""CRM exports, as a Salesforce-like CRM writes them.

API field names as headers, 18-character record ids, ISO-8601 timestamps with offset,
UTF-8 CSV with a byte-order mark (as Excel users save it).
"""

from dagster_project.contracts.model import Column, Entity, System

_ID = "18-character Salesforce record id"

ACCOUNTS = Entity(
    name="accounts",
    description="Customer accounts as sales sees them; one row per account, full every night.",
    load="snapshot",
    primary_key=("Id",),
    columns=(
        Column("Id", "VARCHAR", f"{_ID} of the account", "0015g00000AbCdEAAV", nullable=False),
        Column("Name", "VARCHAR", "Account name as typed by sales", "Shenzhen Huaxin Electronics Co., Ltd.", nullable=False),
        Column("Industry", "VARCHAR", "Industry picklist value", "Electronics"),
        Column("Region__c", "VARCHAR", "Sales region", "South China"),
        Column("OwnerId", "VARCHAR", f"{_ID} of the sales rep who owns the account", "0055g00000XyZaBAAV"),
        Column("ERP_Customer_Number__c", "VARCHAR", "ERP customer number, when sales filled it in", "0000012345"),
        Column("BillingCity", "VARCHAR", "Billing city", "Shenzhen"),
        Column("BillingCountry", "VARCHAR", "Billing country (ISO 3166 alpha-2)", "CN"),
        Column("CreatedDate", "TIMESTAMPTZ", "When the account was created", "2023-04-11T09:12:44+08:00", nullable=False),
        Column("LastModifiedDate", "TIMESTAMPTZ", "When the account last changed", "2025-02-03T17:01:09+08:00", nullable=False),
    ),
)

OPPORTUNITIES = Entity(
    name="opportunities",
    description="Sales opportunities; each export holds those created or changed since the last one.",
    load="delta",
    primary_key=("Id",),
    columns=(
        Column("Id", "VARCHAR", f"{_ID} of the opportunity", "0065g00000KlMnOAAV", nullable=False),
        Column("AccountId", "VARCHAR", f"{_ID} of the account", "0015g00000AbCdEAAV", nullable=False),
        Column("Name", "VARCHAR", "Opportunity name", "Huaxin - control units 2025", nullable=False),
        Column("StageName", "VARCHAR", "Sales stage: Prospecting, Qualification, Proposal, Negotiation, Closed Won, Closed Lost", "Closed Won", nullable=False),
        Column("Amount", "DECIMAL(18,2)", "Expected amount in CurrencyIsoCode", "125000.00"),
        Column("CurrencyIsoCode", "VARCHAR", "Currency of Amount (ISO 4217)", "CNY", nullable=False),
        Column("CloseDate", "DATE", "Expected or actual close date (YYYY-MM-DD)", "2025-03-31", nullable=False),
        Column("Probability", "INTEGER", "Win probability in percent (0-100)", "90"),
        Column("ForecastCategoryName", "VARCHAR", "Pipeline, Best Case, Commit, Closed or Omitted", "Commit"),
        Column("IsClosed", "BOOLEAN", "Whether the opportunity is closed (true/false)", "true", nullable=False),
        Column("IsWon", "BOOLEAN", "Whether it was won (true/false)", "true", nullable=False),
        Column("OwnerId", "VARCHAR", f"{_ID} of the owning sales rep", "0055g00000XyZaBAAV"),
        Column("CreatedDate", "TIMESTAMPTZ", "When the opportunity was created", "2025-01-06T10:30:00+08:00", nullable=False),
        Column("LastModifiedDate", "TIMESTAMPTZ", "When the opportunity last changed", "2025-03-28T15:45:12+08:00", nullable=False),
    ),
)

CRM = System(
    name="crm",
    description="Customer relationship management: accounts, contacts, sales pipeline and cases.",
    format="csv",
    encoding="utf-8-sig",
    date_format="%Y-%m-%d",
    entities=(ACCOUNTS, OPPORTUNITIES),
)
