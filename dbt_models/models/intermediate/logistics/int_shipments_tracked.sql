{{
    config(
        materialized='incremental',
        unique_key='shipment_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ clear_when_source_redelivered() }}",
    )
}}

{%- set cutoff = incremental_cutoff() %}

{#
    Where each shipment got to, from the carrier's tracking events: pick-up, delivery
    (the last DELIVERED event) and exceptions.

    Incremental: a night summarises again, from all their events, the shipments whose
    tracking events changed since the last build; after a re-delivered file the table is
    emptied and rebuilt (a shipment may have lost every event).
#}

with

tracking_events as (
    select * from {{ ref('stg_tms__tracking_events') }}
    {%- if cutoff %}
    where shipment_id in (
        {{ changed_since_last_build(ref('stg_tms__tracking_events'), 'shipment_id') }}
    )
    {%- endif %}
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
