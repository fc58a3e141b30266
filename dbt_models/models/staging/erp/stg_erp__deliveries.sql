{{
    config(
        materialized='incremental',
        unique_key=['delivery_number', 'delivery_item'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__deliveries'), ['delivery_number', 'delivery_item']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['delivery_number', 'delivery_item'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        delivery_number,
        delivery_item,
        order_number,
        order_line_number,
        product_number,

        -- strings
        plant as plant_code,

        -- numerics
        delivered_quantity,

        -- dates
        goods_issue_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
