{#
    Company freight in the marts equals the carriers' charges to the cent, in the
    reporting currency (each charge converted at the rate of its billing day and
    rounded): in fct_shipments, and on the order lines plus the freight of shipments
    that carried no ERP delivery (rule 2 puts every other cent on a line). Returns a
    row on mismatch.
#}

with

fct_shipments as (
    select * from {{ ref('fct_shipments') }}
),

fct_order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

freight_charges as (
    select * from {{ ref('stg_tms__freight_charges') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

source_total as (
    select
        sum(
            round(
                freight_charges.charge_amount
                * case
                    when freight_charges.currency_code = {{ reporting_currency() }} then 1
                    else fx_rates.fx_rate_to_reporting
                end,
                2
            )
        ) as freight_cost_amount_rc
    from freight_charges
    left join fx_rates
        on {{ business_date('freight_charges.billed_at') }} = fx_rates.rate_date
        and freight_charges.currency_code = fx_rates.currency_code
),

shipments_total as (
    select
        sum(freight_cost_amount_rc) as freight_cost_amount_rc,
        sum(case when not is_freight_allocated then freight_cost_amount_rc else 0 end)
            as unallocated_freight_cost_amount_rc
    from fct_shipments
),

order_lines_total as (
    select sum(freight_cost_amount_rc) as freight_cost_amount_rc
    from fct_order_lines
),

final as (
    select
        source_total.freight_cost_amount_rc as source_freight_cost_amount_rc,
        shipments_total.freight_cost_amount_rc as shipments_freight_cost_amount_rc,
        order_lines_total.freight_cost_amount_rc as order_lines_freight_cost_amount_rc,
        shipments_total.unallocated_freight_cost_amount_rc
    from source_total
    cross join shipments_total
    cross join order_lines_total
    where coalesce(source_total.freight_cost_amount_rc, 0)
        is distinct from coalesce(shipments_total.freight_cost_amount_rc, 0)
        or coalesce(source_total.freight_cost_amount_rc, 0)
        is distinct from coalesce(order_lines_total.freight_cost_amount_rc, 0)
        + coalesce(shipments_total.unallocated_freight_cost_amount_rc, 0)
)

select * from final
