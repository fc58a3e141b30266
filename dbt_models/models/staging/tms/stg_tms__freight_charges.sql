{{
    config(
        materialized='incremental',
        unique_key=['freight_charge_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('tms', 'tms__freight_charges'), ['charge_id']) }}
),

latest_versions as (
    -- charges are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['charge_id']) }}
),

renamed as (
    select
        -- ids
        charge_id as freight_charge_id,
        shipment_id,

        -- strings
        charge_type,
        currency as currency_code,

        -- numerics
        amount as charge_amount,

        -- timestamps
        billed_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
