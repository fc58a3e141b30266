with

source as not materialized (
    select * from {{ source('erp', 'erp__standard_cost_versions') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        product_number,

        -- strings
        currency as currency_code,

        -- numerics
        material_cost as material_cost_amount,
        labour_cost as labour_cost_amount,
        overhead_cost as overhead_cost_amount,
        standard_cost as standard_cost_amount,

        -- dates
        valid_from as valid_from_date,
        valid_to as valid_to_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
