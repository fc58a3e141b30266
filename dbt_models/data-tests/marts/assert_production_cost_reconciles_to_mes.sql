{#
    Company actual production cost in the marts (fct_production_orders) equals what the
    MES booked, to the cent, in the reporting currency: every material issue plus, per
    operation, round(machine_hours * machine_rate, 2) + round(labour_hours *
    labour_rate, 2), per work order and currency converted at the rate of the day the
    work order finished (else of its last posting). Returns a row on mismatch.
#}

with

fct_production_orders as (
    select * from {{ ref('fct_production_orders') }}
),

production_orders as (
    select * from {{ ref('stg_mes__production_orders') }}
),

material_consumption as (
    select * from {{ ref('stg_mes__material_consumption') }}
),

operations as (
    select * from {{ ref('stg_mes__operations') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

postings as (
    select production_order_id, currency_code, posted_at as booked_at, cost_amount
    from material_consumption
    union all
    select
        production_order_id,
        currency_code,
        finished_at as booked_at,
        round(machine_hours * machine_rate_amount, 2) + round(labour_hours * labour_rate_amount, 2)
            as cost_amount
    from operations
),

postings_summed as (
    -- summed before the work orders are joined: the join then meets one row per work
    -- order and currency instead of every posting
    select
        production_order_id,
        currency_code,
        sum(cost_amount) as cost_amount,
        max(booked_at) as last_booked_at
    from postings
    group by production_order_id, currency_code
),

postings_by_work_order as (
    select
        postings_summed.production_order_id,
        postings_summed.currency_code,
        postings_summed.cost_amount,
        coalesce(
            {{ business_date('production_orders.actual_finish_at') }},
            {{ business_date('postings_summed.last_booked_at') }},
            {{ business_date('production_orders.actual_start_at') }},
            production_orders.planned_start_date
        ) as conversion_date
    from postings_summed
    left join production_orders
        on postings_summed.production_order_id = production_orders.production_order_id
),

source_total as (
    select
        sum(
            round(
                postings_by_work_order.cost_amount
                * case
                    when postings_by_work_order.currency_code = {{ reporting_currency() }} then 1
                    else fx_rates.fx_rate_to_reporting
                end,
                2
            )
        ) as actual_cost_amount_rc
    from postings_by_work_order
    left join fx_rates
        on postings_by_work_order.conversion_date = fx_rates.rate_date
        and postings_by_work_order.currency_code = fx_rates.currency_code
),

mart_total as (
    select sum(actual_cost_amount_rc) as actual_cost_amount_rc
    from fct_production_orders
),

final as (
    select
        source_total.actual_cost_amount_rc as source_actual_cost_amount_rc,
        mart_total.actual_cost_amount_rc as mart_actual_cost_amount_rc
    from source_total
    cross join mart_total
    where coalesce(source_total.actual_cost_amount_rc, 0)
        is distinct from coalesce(mart_total.actual_cost_amount_rc, 0)
)

select * from final
