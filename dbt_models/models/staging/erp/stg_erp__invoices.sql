with

source as (
    select * from {{ source('erp', 'erp__invoices') }}
),

latest_versions as (
    {{ select_latest_version('source', ['invoice_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        invoice_number,
        customer_number as erp_customer_number,

        -- strings
        currency as currency_code,
        invoice_status,

        -- numerics
        net_amount,
        tax_amount,
        gross_amount,

        -- dates
        invoice_date,
        due_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
