with

source as (
    select * from {{ source('erp', 'erp__sales_order_lines') }}
),

versions_ranked as (
    select
        *,
        row_number() over (
            partition by order_number, line_number
            order by changed_on desc, _batch desc
        ) as version_rank
    from source
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
    from versions_ranked
    where version_rank = 1
)

select * from renamed
