{{
    config(
        materialized='incremental',
        unique_key=['production_order_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('mes', 'mes__production_orders'), ['production_order_id']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['production_order_id'], ['updated_at']) }}
),

renamed as (
    select
        -- ids
        production_order_id,
        product_number,
        plant as plant_code,
        sales_order_number as order_number,
        sales_order_line as order_line_number,

        -- strings
        order_type as production_order_type,
        status as production_order_status,

        -- numerics
        planned_quantity,
        produced_quantity,
        scrap_quantity,

        -- dates
        planned_start_date,

        -- timestamps
        actual_start_at,
        actual_finish_at,
        updated_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
