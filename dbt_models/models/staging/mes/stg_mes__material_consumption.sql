{{
    config(
        materialized='incremental',
        unique_key=['material_consumption_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('mes', 'mes__material_consumption'), ['consumption_id']) }}
),

latest_versions as (
    -- postings are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['consumption_id']) }}
),

renamed as (
    select
        -- ids
        consumption_id as material_consumption_id,
        production_order_id,
        component_number,

        -- strings
        currency as currency_code,

        -- numerics
        quantity as consumed_quantity,
        cost_amount,

        -- timestamps
        posted_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
