with

source as (
    select * from {{ source('tms', 'tms__shipments') }}
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
        _batch as source_batch
    from latest_versions
)

select * from renamed
