with

source as (
    select * from {{ source('mes', 'mes__quality_inspections') }}
),

latest_versions as (
    -- inspections are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['inspection_id']) }}
),

renamed as (
    select
        -- ids
        inspection_id,
        production_order_id,
        product_number,

        -- strings
        result as inspection_result,
        nullif(trim(defect_code), '') as defect_code,

        -- numerics
        sample_size,
        defect_count,

        -- timestamps
        inspected_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
