{{
    config(
        materialized='incremental',
        unique_key=['tracking_event_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('tms', 'tms__tracking_events'), ['event_id']) }}
),

latest_versions as (
    -- events are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['event_id']) }}
),

renamed as (
    select
        -- ids
        event_id as tracking_event_id,
        shipment_id,

        -- strings
        event_type,
        location as event_location,

        -- timestamps
        event_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
