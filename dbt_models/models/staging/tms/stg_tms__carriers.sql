with

source as not materialized (
    select * from {{ source('tms', 'tms__carriers') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        carrier_id,

        -- strings
        carrier_name,
        mode as transport_mode,
        country as country_code,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
