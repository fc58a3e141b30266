{{
    config(
        materialized='incremental',
        unique_key=['order_number', 'line_number'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__sales_order_lines'), ['order_number', 'line_number']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
