with

source as (
    select * from {{ source('erp', 'erp__payments') }}
),

latest_versions as (
    {{ select_latest_version('source', ['payment_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        payment_number,
        customer_number as erp_customer_number,
        invoice_number,

        -- strings
        currency as currency_code,

        -- numerics
        amount as payment_amount,

        -- dates
        payment_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
