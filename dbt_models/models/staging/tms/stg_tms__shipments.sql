{{
    config(
        materialized='incremental',
        unique_key=['shipment_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('tms', 'tms__shipments'), ['shipment_id']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['shipment_id'], ['updated_at']) }}
),

renamed as (
    select
        -- ids
        shipment_id,
        carrier_id,
        origin_plant as origin_plant_code,

        -- strings
        destination_city,
        destination_country as destination_country_code,

        -- lists
        delivery_numbers,

        -- numerics
        gross_weight_kg,

        -- timestamps
        planned_delivery_at,
        shipped_at,
        updated_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
