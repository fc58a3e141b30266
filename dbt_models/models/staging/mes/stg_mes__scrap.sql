{{
    config(
        materialized='incremental',
        unique_key=['scrap_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('mes', 'mes__scrap'), ['scrap_id']) }}
),

latest_versions as (
    -- scrap records are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['scrap_id']) }}
),

renamed as (
    select
        -- ids
        scrap_id,
        production_order_id,

        -- strings
        reason_code as scrap_reason_code,
        currency as currency_code,

        -- numerics
        quantity as scrap_quantity,
        cost_amount as scrap_cost_amount,

        -- timestamps
        recorded_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
