with

source as not materialized (
    select * from {{ source('erp', 'erp__products') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        product_number,

        -- strings
        product_name,
        category as category_name,
        product_line as product_line_name,
        base_unit,
        currency as currency_code,

        -- numerics
        net_weight_kg,
        list_price as list_price_amount,
        standard_cost as standard_cost_amount,

        -- dates
        created_on as created_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
