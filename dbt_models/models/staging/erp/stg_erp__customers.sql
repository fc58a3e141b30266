with

source as not materialized (
    select * from {{ source('erp', 'erp__customers') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        customer_number as erp_customer_number,

        -- strings
        customer_name,
        tax_id,
        city,
        country as country_code,
        sales_org,
        payment_terms,
        currency as currency_code,

        -- numerics
        credit_limit as credit_limit_amount,

        -- dates
        created_on as created_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
