{{
    config(
        materialized='incremental',
        unique_key='order_line_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}

{#
    What happened to each delivered ERP order line on its way to the customer: the
    delivery items that issued it, the TMS shipment that carried them, and its share
    of that shipment's freight (docs/model.md, rule 2).

    Freight of a shipment (int_shipments_freight_converted) is split over the order
    lines it carried in proportion to their weight, delivered quantity x the product's
    net weight; each share is rounded to the cent and the remainder goes to the
    heaviest line, so that the shares add up to the shipment's freight exactly. A
    shipment whose lines weigh nothing is split equally. A line is on one delivery
    and one shipment in the ERP and TMS flows; should it be on several, its shares add
    up.

    Incremental: a run recomputes the lines whose delivery items arrived in the
    look-back window or whose product's net weight changed, and every line of a shipment
    that arrived, was billed or tracked in it or whose freight no longer matches its
    lines' shares - a shipment's split is always computed over all its lines. A line
    keeps the product and unit weight it was computed with (product_net_weight_kg; null
    when its items name several products, so that such a line is recomputed every run):
    a weight change is then found by comparing the products, not by weighing every
    delivery item again.
#}

with

deliveries as (
    select * from {{ ref('stg_erp__deliveries') }}
),

shipment_deliveries as (
    select * from {{ ref('stg_tms__shipment_deliveries') }}
),

shipments as not materialized (
    select * from {{ ref('stg_tms__shipments') }}
),

shipments_freight as not materialized (
    select * from {{ ref('int_shipments_freight_converted') }}
),

shipments_tracked as not materialized (
    select * from {{ ref('int_shipments_tracked') }}
),

products as not materialized (
    select * from {{ ref('stg_erp__products') }}
),

delivery_items as (
    -- weighed below, once the items in scope are known
    select
        deliveries.delivery_number,
        deliveries.delivery_item,
        deliveries.order_number,
        deliveries.order_line_number as line_number,
        deliveries.product_number,
        deliveries.delivered_quantity,
        deliveries.goods_issue_date,
        shipment_deliveries.shipment_id,
        cast(deliveries.source_batch as date) as source_batch_date
    from deliveries
    left join shipment_deliveries
        on deliveries.delivery_number = shipment_deliveries.delivery_number
),
{% if cutoff %}
shipments_to_refresh as (
    select shipment_id from shipments
    where {{ batch_loaded_since(cutoff) }}
    union
    select shipment_id from shipments_freight
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    select shipment_id from shipments_tracked
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    select shipments_freight.shipment_id
    from shipments_freight
    left join (
        select shipment_id, sum(freight_cost_amount_rc) as freight_cost_amount_rc
        from {{ this }}
        group by shipment_id
    ) as stored_shipments
        on shipments_freight.shipment_id = stored_shipments.shipment_id
    where shipments_freight.freight_cost_amount_rc
        is distinct from coalesce(stored_shipments.freight_cost_amount_rc, 0)
),

lines_to_refresh as (
    select order_number, line_number from delivery_items
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    select delivery_items.order_number, delivery_items.line_number
    from delivery_items
    inner join shipments_to_refresh
        on delivery_items.shipment_id = shipments_to_refresh.shipment_id
    union
    {%- if 'product_net_weight_kg' in column_names(this) %}
    select stored_lines.order_number, stored_lines.line_number
    from {{ this }} as stored_lines
    left join products
        on stored_lines.product_number = products.product_number
    where stored_lines.product_net_weight_kg
        is distinct from coalesce(products.net_weight_kg, 0)
    {%- else %}
    -- a table built before lines kept their unit weight: every line, once
    select order_number, line_number from {{ this }}
    {%- endif %}
),

lines_in_scope as (
    -- the lines to refresh and every other line of the shipments they travel on: a new
    -- line on a shipment moves the others' shares
    select order_number, line_number from lines_to_refresh
    union
    select delivery_items.order_number, delivery_items.line_number
    from delivery_items
    where delivery_items.shipment_id in (
        select delivery_items.shipment_id
        from delivery_items
        inner join lines_to_refresh
            on delivery_items.order_number = lines_to_refresh.order_number
            and delivery_items.line_number = lines_to_refresh.line_number
    )
),

line_items_in_scope as (
    -- every delivery item of those lines
    select delivery_items.*
    from delivery_items
    inner join lines_in_scope
        on delivery_items.order_number = lines_in_scope.order_number
        and delivery_items.line_number = lines_in_scope.line_number
),

shipment_items_in_scope as (
    -- every delivery item of the shipments those items travelled on: a split needs them all
    select delivery_items.*
    from delivery_items
    where delivery_items.shipment_id in (select shipment_id from line_items_in_scope)
),
{% else %}
line_items_in_scope as (
    select * from delivery_items
),

shipment_items_in_scope as (
    select * from delivery_items
),
{% endif %}
line_items as (
    -- weight = delivered quantity x the product's net weight (0 when unknown)
    select
        line_items_in_scope.*,
        coalesce(products.net_weight_kg, 0) as product_net_weight_kg,
        cast(line_items_in_scope.delivered_quantity * coalesce(products.net_weight_kg, 0)
            as decimal(18, 3)) as shipped_weight_kg
    from line_items_in_scope
    left join products
        on line_items_in_scope.product_number = products.product_number
),

shipment_items as (
    select
        shipment_items_in_scope.*,
        cast(shipment_items_in_scope.delivered_quantity * coalesce(products.net_weight_kg, 0)
            as decimal(18, 3)) as shipped_weight_kg,
        shipments_freight.freight_cost_amount_rc as shipment_freight_cost_amount_rc
    from shipment_items_in_scope
    inner join shipments_freight
        on shipment_items_in_scope.shipment_id = shipments_freight.shipment_id
    left join products
        on shipment_items_in_scope.product_number = products.product_number
),

{{ allocate_by_weight(
    name='freight_allocated',
    relation='shipment_items',
    partition_by=['shipment_id'],
    amounts={'freight_cost_amount_rc': 'shipment_freight_cost_amount_rc'},
    weight='shipped_weight_kg',
    tie_breaker=['order_number', 'line_number', 'delivery_number', 'delivery_item'],
) }},

shipments_batches as (
    -- every input of a shipment's split: the shipment, its charges and its deliveries
    select
        shipment_items_in_scope.shipment_id,
        max(shipment_items_in_scope.source_batch_date) as source_batch_date
    from shipment_items_in_scope
    where shipment_items_in_scope.shipment_id is not null
    group by shipment_items_in_scope.shipment_id
),

items_summed_by_line as (
    select
        line_items.order_number,
        line_items.line_number,
        min(line_items.delivery_number) as delivery_number,
        min(line_items.shipment_id) as shipment_id,
        count(distinct line_items.shipment_id) as shipment_count,
        sum(line_items.delivered_quantity) as delivered_quantity,
        sum(line_items.shipped_weight_kg) as shipped_weight_kg,
        min(line_items.goods_issue_date) as shipped_date,
        min(line_items.product_number) as product_number,
        case
            when count(distinct coalesce(line_items.product_number, '')) = 1
                then min(line_items.product_net_weight_kg)
        end as product_net_weight_kg,
        max(greatest(
            line_items.source_batch_date,
            coalesce(shipments_batches.source_batch_date, cast('1900-01-01' as date)),
            coalesce(shipments_freight.source_batch_date, cast('1900-01-01' as date)),
            coalesce(cast(shipments.source_batch as date), cast('1900-01-01' as date)),
            coalesce(shipments_tracked.source_batch_date, cast('1900-01-01' as date))
        )) as source_batch_date
    from line_items
    left join shipments_batches
        on line_items.shipment_id = shipments_batches.shipment_id
    left join shipments_freight
        on line_items.shipment_id = shipments_freight.shipment_id
    left join shipments
        on line_items.shipment_id = shipments.shipment_id
    left join shipments_tracked
        on line_items.shipment_id = shipments_tracked.shipment_id
    group by line_items.order_number, line_items.line_number
),

freight_summed_by_line as (
    select
        order_number,
        line_number,
        cast(sum(freight_cost_amount_rc) as decimal(18, 2)) as freight_cost_amount_rc
    from freight_allocated
    group by order_number, line_number
),

final as (
    select
        -- keys
        {{ generate_surrogate_key([
            'items_summed_by_line.order_number', 'items_summed_by_line.line_number'
        ]) }} as order_line_key,
        items_summed_by_line.order_number,
        items_summed_by_line.line_number,
        items_summed_by_line.delivery_number,
        items_summed_by_line.shipment_id,
        shipments.carrier_id,
        items_summed_by_line.product_number,

        -- strings
        shipments.destination_country_code,
        shipments.destination_city,

        -- numerics
        items_summed_by_line.shipment_count,
        items_summed_by_line.delivered_quantity,
        items_summed_by_line.shipped_weight_kg,
        items_summed_by_line.product_net_weight_kg,
        coalesce(freight_summed_by_line.freight_cost_amount_rc, 0) as freight_cost_amount_rc,

        -- dates
        items_summed_by_line.shipped_date,
        {{ business_date('shipments_tracked.delivered_at') }} as delivered_date,
        items_summed_by_line.source_batch_date
    from items_summed_by_line
    left join freight_summed_by_line
        on items_summed_by_line.order_number = freight_summed_by_line.order_number
        and items_summed_by_line.line_number = freight_summed_by_line.line_number
    left join shipments
        on items_summed_by_line.shipment_id = shipments.shipment_id
    left join shipments_tracked
        on items_summed_by_line.shipment_id = shipments_tracked.shipment_id
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
