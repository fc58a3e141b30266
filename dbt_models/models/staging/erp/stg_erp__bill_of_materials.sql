with

source as not materialized (
    select * from {{ source('erp', 'erp__bill_of_materials') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        product_number,
        component_number,

        -- strings
        component_name,
        component_unit,

        -- numerics
        quantity_per,
        component_standard_price as component_standard_price_amount,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
