with

shipments as (
    select * from {{ ref('stg_tms__shipments') }}
),

deliveries_unnested as (
    select
        shipments.shipment_id,
        unnested_elements.delivery_number,
        shipments.source_loaded_at
    from shipments
    {{ cross_join_unnest('shipments.delivery_numbers', 'delivery_number') }}
),

final as (
    -- a delivery number listed twice on one shipment is one bridge row
    select distinct
        -- ids
        shipment_id,
        delivery_number,

        -- load metadata
        source_loaded_at
    from deliveries_unnested
)

select * from final
