{{ config(materialized='table') }}

{#
    Where each shipment got to, from the carrier's tracking events: pick-up, delivery
    (the last DELIVERED event) and exceptions.
#}

with

tracking_events as (
    select * from {{ ref('stg_tms__tracking_events') }}
),

final as (
    select
        -- keys
        shipment_id,

        -- numerics
        count(*) as tracking_event_count,
        sum(case when event_type = 'EXCEPTION' then 1 else 0 end) as exception_count,

        -- dates
        max(cast(source_batch as date)) as source_batch_date,

        -- timestamps
        min(case when event_type = 'PICKED_UP' then event_at end) as picked_up_at,
        max(case when event_type = 'DELIVERED' then event_at end) as delivered_at,
        max(event_at) as last_event_at
    from tracking_events
    group by shipment_id
)

select * from final
