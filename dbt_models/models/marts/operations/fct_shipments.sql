{{
    config(
        materialized='incremental',
        unique_key='shipment_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('stg_tms__freight_charges') }}, {{ ref('stg_tms__tracking_events') }}
-- depends_on: {{ ref('stg_erp__fx_rates') }}

{#
    Transport: one row per TMS shipment (or freight bill without a shipment record),
    with its freight cost in the reporting currency, weight, carrier, and whether it
    arrived on time (carrier's planned delivery) and in full (every order line it
    carried delivered in the ordered quantity).

    Incremental: the shipments recomputed are those whose shipment record, freight
    charges, tracking events, deliveries or carried order lines changed since the last
    build, those billed on a day whose FX rates changed, and stored_rows_to_refresh().
#}

with

shipments as not materialized (
    select * from {{ ref('stg_tms__shipments') }}
),

shipment_deliveries as not materialized (
    select * from {{ ref('stg_tms__shipment_deliveries') }}
),

deliveries as not materialized (
    select * from {{ ref('stg_erp__deliveries') }}
),

shipments_freight as not materialized (
    select * from {{ ref('int_shipments_freight_converted') }}
),

shipments_tracked as (
    select * from {{ ref('int_shipments_tracked') }}
),

order_lines as not materialized (
    select * from {{ ref('int_order_lines_converted') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

carriers as (
    select * from {{ ref('dim_carriers') }}
),

plants as (
    select * from {{ ref('dim_plants') }}
),

geographies as (
    select * from {{ ref('dim_geographies') }}
),

{% if cutoff %}
shipments_to_refresh as (
    {{ changed_since_last_build(ref('stg_tms__shipments'), 'shipment_id') }}
    union
    {{ changed_since_last_build(ref('stg_tms__freight_charges'), 'shipment_id') }}
    union
    {{ changed_since_last_build(ref('stg_tms__tracking_events'), 'shipment_id') }}
    union
    -- changed deliveries and changed order lines apart: each filter then applies before
    -- the joins, instead of joining every delivery to test either
    select shipment_deliveries.shipment_id
    from deliveries
    inner join shipment_deliveries
        on deliveries.delivery_number = shipment_deliveries.delivery_number
    where deliveries.source_loaded_at > {{ last_build_started_at_constant() }}
    union
    select shipment_deliveries.shipment_id
    from order_lines
    inner join deliveries
        on order_lines.order_number = deliveries.order_number
        and order_lines.line_number = deliveries.order_line_number
    inner join shipment_deliveries
        on deliveries.delivery_number = shipment_deliveries.delivery_number
    where order_lines.refreshed_at > {{ last_build_started_at_constant() }}
    union
    select shipments_freight.shipment_id
    from shipments_freight
    inner join {{ ref('stg_erp__fx_rates') }} as changed_rates
        on changed_rates.rate_date
            between shipments_freight.first_billed_date and shipments_freight.last_billed_date
    where changed_rates.source_loaded_at > {{ last_build_started_at_constant() }}
    union
    select shipment_id from {{ this }}
    where shipment_key in (
        {{ stored_rows_to_refresh(
            'shipment_key', 'shipped_date', cutoff,
            {'customer_key': 'customer_id', 'carrier_key': 'carrier_id',
             'origin_plant_key': 'origin_plant_code'},
            rematch=none,
        ) | indent(8) }}
    )
),
{% endif %}
shipment_ids as (
    select shipment_id
    from (
        select shipment_id from shipments
        union
        select shipment_id from shipments_freight
    ) as shipments_and_freight_bills
    {%- if cutoff %}
    where shipment_id in (select shipment_id from shipments_to_refresh)
    {%- endif %}
),

lines_carried as (
    select
        shipment_deliveries.shipment_id,
        count(distinct deliveries.delivery_number) as delivery_count,
        count(*) as delivery_item_count,
        count(distinct deliveries.order_number) as order_count,
        sum(deliveries.delivered_quantity) as delivered_quantity,
        sum(order_lines.quantity) as ordered_quantity,
        min(case when deliveries.delivered_quantity >= order_lines.quantity then 1 else 0 end)
            as all_lines_in_full,
        min(order_lines.promised_date) as earliest_promised_date,
        min(order_lines.customer_id) as customer_id,
        min(order_lines.order_date) as first_order_date,
        max(cast(deliveries.source_batch as date)) as source_batch_date
    from shipment_deliveries
    inner join deliveries
        on shipment_deliveries.delivery_number = deliveries.delivery_number
    left join order_lines
        on deliveries.order_number = order_lines.order_number
        and deliveries.order_line_number = order_lines.line_number
    {%- if cutoff %}
    where shipment_deliveries.shipment_id in (select shipment_id from shipment_ids)
    {%- endif %}
    group by shipment_deliveries.shipment_id
),

shipments_joined as (
    select
        shipment_ids.shipment_id,
        shipments.carrier_id,
        shipments.origin_plant_code,
        shipments.destination_country_code,
        shipments.destination_city,
        shipments.gross_weight_kg,
        shipments.shipped_at,
        shipments.planned_delivery_at,
        shipments_tracked.picked_up_at,
        shipments_tracked.delivered_at,
        coalesce(shipments_tracked.exception_count, 0) as exception_count,
        coalesce(lines_carried.delivery_count, 0) as delivery_count,
        coalesce(lines_carried.delivery_item_count, 0) as delivery_item_count,
        coalesce(lines_carried.order_count, 0) as order_count,
        coalesce(lines_carried.delivered_quantity, 0) as delivered_quantity,
        coalesce(lines_carried.ordered_quantity, 0) as ordered_quantity,
        lines_carried.all_lines_in_full,
        lines_carried.earliest_promised_date,
        lines_carried.customer_id,
        coalesce(shipments_freight.freight_charge_count, 0) as freight_charge_count,
        coalesce(shipments_freight.base_freight_amount_rc, 0) as base_freight_amount_rc,
        coalesce(shipments_freight.fuel_surcharge_amount_rc, 0) as fuel_surcharge_amount_rc,
        coalesce(shipments_freight.accessorial_charge_amount_rc, 0)
            as accessorial_charge_amount_rc,
        coalesce(shipments_freight.freight_cost_amount_rc, 0) as freight_cost_amount_rc,
        shipments_freight.last_billed_date,
        {{ business_date('shipments.shipped_at') }} as shipped_date,
        greatest(
            coalesce(cast(shipments.source_batch as date), cast('1900-01-01' as date)),
            coalesce(shipments_freight.source_batch_date, cast('1900-01-01' as date)),
            coalesce(shipments_tracked.source_batch_date, cast('1900-01-01' as date)),
            coalesce(lines_carried.source_batch_date, cast('1900-01-01' as date))
        ) as source_batch_date
    from shipment_ids
    left join shipments
        on shipment_ids.shipment_id = shipments.shipment_id
    left join shipments_freight
        on shipment_ids.shipment_id = shipments_freight.shipment_id
    left join shipments_tracked
        on shipment_ids.shipment_id = shipments_tracked.shipment_id
    left join lines_carried
        on shipment_ids.shipment_id = lines_carried.shipment_id
),

dimensions_looked_up as (
    select
        shipments_joined.*,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(carriers.carrier_key, {{ unknown_member_key() }}) as carrier_key,
        coalesce(plants.plant_key, {{ unknown_member_key() }}) as origin_plant_key,
        coalesce(geographies.geography_key, {{ unknown_member_key() }})
            as destination_geography_key
    from shipments_joined
    left join customers
        on {{ customer_version_valid_on(
            'shipments_joined.customer_id', 'shipments_joined.shipped_date'
        ) }}
    left join carriers
        on shipments_joined.carrier_id = carriers.carrier_id
    left join plants
        on shipments_joined.origin_plant_code = plants.plant_code
    left join geographies
        on shipments_joined.destination_country_code = geographies.country_code
        and shipments_joined.destination_city = geographies.city
),

shipments_final as (
    select
        -- keys
        {{ generate_surrogate_key(['shipment_id']) }} as shipment_key,
        carrier_key,
        origin_plant_key,
        destination_geography_key,
        customer_key,
        shipment_id,
        customer_id,

        -- strings
        carrier_id,
        origin_plant_code,
        {{ reporting_currency() }} as reporting_currency_code,

        -- numerics
        gross_weight_kg,
        delivery_count,
        delivery_item_count,
        order_count,
        cast(ordered_quantity as decimal(18, 3)) as ordered_quantity,
        cast(delivered_quantity as decimal(18, 3)) as delivered_quantity,
        cast(exception_count as bigint) as exception_count,
        freight_charge_count,
        cast(base_freight_amount_rc as decimal(18, 2)) as base_freight_amount_rc,
        cast(fuel_surcharge_amount_rc as decimal(18, 2)) as fuel_surcharge_amount_rc,
        cast(accessorial_charge_amount_rc as decimal(18, 2)) as accessorial_charge_amount_rc,
        cast(freight_cost_amount_rc as decimal(18, 2)) as freight_cost_amount_rc,
        case
            when gross_weight_kg > 0 then cast(freight_cost_amount_rc / gross_weight_kg as decimal(18, 4))
        end as freight_cost_per_kg_amount_rc,
        {{ hours_between('shipped_at', 'delivered_at') }} as transit_hours,

        -- booleans
        shipped_at is not null as has_shipment_record,
        delivery_count > 0 as is_freight_allocated,
        delivered_at is not null as is_delivered,
        coalesce(delivered_at <= planned_delivery_at, false) as is_on_time,
        coalesce(all_lines_in_full = 1, false) as is_in_full,
        coalesce(
            delivered_at <= planned_delivery_at and all_lines_in_full = 1, false
        ) as is_on_time_in_full,
        coalesce(
            {{ business_date('delivered_at') }} <= earliest_promised_date, false
        ) as is_delivered_by_promised_date,

        -- dates
        shipped_date,
        {{ business_date('planned_delivery_at') }} as planned_delivery_date,
        {{ business_date('delivered_at') }} as delivered_date,
        earliest_promised_date as promised_date,
        last_billed_date as billed_date,
        source_batch_date,

        -- timestamps
        shipped_at,
        planned_delivery_at,
        picked_up_at,
        delivered_at
    from dimensions_looked_up
),

final as (
    {{ select_new_or_changed_rows('shipments_final', 'shipment_key') }}
)

select * from final
