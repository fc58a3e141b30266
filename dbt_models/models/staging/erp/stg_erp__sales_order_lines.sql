with

source as (
    select * from {{ source('erp', 'erp__sales_order_lines') }}
),

latest_versions as (
    {{ select_latest_version('source', ['order_number', 'line_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        order_number,
        line_number,
        product_number,

        -- strings
        plant as plant_code,
        currency as currency_code,
        line_status,

        -- numerics
        quantity,
        unit_price as unit_price_amount,
        discount_pct,
        net_amount,

        -- dates
        requested_date,
        promised_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
