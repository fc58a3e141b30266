{{
    config(
        materialized='incremental',
        unique_key=['inspection_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('mes', 'mes__quality_inspections'), ['inspection_id']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
