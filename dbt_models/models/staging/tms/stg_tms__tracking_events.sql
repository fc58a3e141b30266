with

source as (
    select * from {{ source('tms', 'tms__tracking_events') }}
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
        _batch as source_batch
    from latest_versions
)

select * from renamed
