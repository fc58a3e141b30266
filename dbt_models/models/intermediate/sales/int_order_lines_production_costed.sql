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
    Standard and actual production cost of every ERP order line (docs/model.md, rule 1),
    in the reporting currency.

    standard: quantity x the standard cost version valid on the order date (else the
      product's current standard cost), converted at the order date's rate.
    actual, first that applies:
      cancelled               0 (the line is not sold);
      work_order              the actual cost of the completed make-to-order work
                              order(s) made for the line;
      period_average          quantity x the product's average actual cost per good
                              unit of the order month (completed work orders of any
                              type, by month of completion);
      earlier_period_average  the same, of the nearest earlier month with production;
      standard_cost           the standard cost (no production of the product yet).
    production variance = actual - standard.

    Incremental: a run recomputes the lines that changed in the look-back window or got
    a new FX rate on their order date, the lines of work orders that changed, the later
    lines of a product whose nearest month with production is now a changed work order's
    month, and lines whose work order cost, month average or standard cost no longer
    match what they carry.
#}

with

order_lines as not materialized (
    select * from {{ ref('int_order_lines_converted') }}
),

production_orders as not materialized (
    select * from {{ ref('int_production_orders_costed') }}
),

standard_cost_versions as not materialized (
    select * from {{ ref('stg_erp__standard_cost_versions') }}
),

products as not materialized (
    select * from {{ ref('stg_erp__products') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

erp_fx_rates as (
    select * from {{ ref('stg_erp__fx_rates') }}
),

work_orders_by_line as (
    select
        order_number,
        order_line_number as line_number,
        min(production_order_id) as production_order_id,
        sum(case when is_completed then 1 else 0 end) as completed_work_order_count,
        sum(case when is_completed then actual_cost_amount_rc else 0 end)
            as work_order_cost_amount_rc,
        max(source_batch_date) as source_batch_date
    from production_orders
    where is_make_to_order
        and order_number is not null
    group by order_number, order_line_number
),

production_months_costed as (
    select
        product_number,
        cast({{ dbt.date_trunc('month', 'actual_finish_date') }} as date) as production_month_date,
        cast(sum(actual_cost_amount_rc) / sum(produced_quantity) as decimal(18, 6))
            as average_unit_cost_amount_rc,
        max(source_batch_date) as source_batch_date
    from production_orders
    where is_completed
        and produced_quantity > 0
        and actual_finish_date is not null
    group by product_number, cast({{ dbt.date_trunc('month', 'actual_finish_date') }} as date)
),
{% if cutoff %}
work_orders_changed as (
    select *
    from production_orders
    where source_batch_date >= cast('{{ cutoff }}' as date)
),

lines_to_refresh as (
    select order_line_key from order_lines
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    select order_lines.order_line_key
    from order_lines
    inner join erp_fx_rates
        on order_lines.order_date = erp_fx_rates.rate_date
    where {{ batch_loaded_since(cutoff, 'erp_fx_rates') }}
    union
    select {{ generate_surrogate_key(['order_number', 'order_line_number']) }}
    from work_orders_changed
    where is_make_to_order and order_number is not null
    union
    -- a month that gains production becomes the nearest costed month of the product's
    -- later lines costed from an earlier month or at standard; lines whose month average
    -- moved or vanished carry the old figure and are found below
    select stored_lines.order_line_key
    from {{ this }} as stored_lines
    inner join work_orders_changed
        on stored_lines.product_number = work_orders_changed.product_number
        and stored_lines.order_date
        >= cast({{ dbt.date_trunc('month', 'work_orders_changed.actual_finish_date') }} as date)
        and coalesce(stored_lines.production_cost_month_date, '-infinity'::date)
        < cast({{ dbt.date_trunc('month', 'work_orders_changed.actual_finish_date') }} as date)
    where stored_lines.production_cost_basis in ('period_average', 'earlier_period_average',
        'standard_cost')
        and work_orders_changed.is_completed
        and work_orders_changed.produced_quantity > 0
    union
    select stored_lines.order_line_key
    from {{ this }} as stored_lines
    left join work_orders_by_line
        on stored_lines.order_number = work_orders_by_line.order_number
        and stored_lines.line_number = work_orders_by_line.line_number
    left join production_months_costed
        on stored_lines.product_number = production_months_costed.product_number
        and stored_lines.production_cost_month_date = production_months_costed.production_month_date
    left join standard_cost_versions
        on stored_lines.product_number = standard_cost_versions.product_number
        and stored_lines.order_date
        between standard_cost_versions.valid_from_date and standard_cost_versions.valid_to_date
    left join products
        on stored_lines.product_number = products.product_number
    where (
        stored_lines.production_cost_basis = 'work_order'
        and stored_lines.actual_production_cost_amount_rc
        is distinct from work_orders_by_line.work_order_cost_amount_rc
    )
        or stored_lines.average_unit_cost_amount_rc
        is distinct from production_months_costed.average_unit_cost_amount_rc
        or stored_lines.standard_unit_cost is distinct from coalesce(
            standard_cost_versions.standard_cost_amount, products.standard_cost_amount
        )
),
{% endif %}
order_lines_in_scope as (
    select * from order_lines
    {%- if cutoff %}
    where order_line_key in (select order_line_key from lines_to_refresh)
    {%- endif %}
),

standard_costs_looked_up as (
    select
        order_lines.order_line_key,
        order_lines.order_number,
        order_lines.line_number,
        order_lines.product_number,
        order_lines.quantity,
        order_lines.is_cancelled,
        order_lines.order_date,
        order_lines.order_month_date,
        products.product_number is not null as is_product_in_master,
        coalesce(
            standard_cost_versions.standard_cost_amount, products.standard_cost_amount
        ) as standard_unit_cost,
        coalesce(standard_cost_versions.currency_code, products.currency_code)
            as standard_cost_currency_code
    from order_lines_in_scope as order_lines
    left join products
        on order_lines.product_number = products.product_number
    left join standard_cost_versions
        on order_lines.product_number = standard_cost_versions.product_number
        and order_lines.order_date
        between standard_cost_versions.valid_from_date and standard_cost_versions.valid_to_date
),

standard_costs_converted as (
    select
        standard_costs_looked_up.*,
        case
            when standard_costs_looked_up.is_cancelled
                or standard_costs_looked_up.standard_unit_cost is null
                then cast(0 as decimal(18, 2))
            else {{ to_reporting_currency(
                'standard_costs_looked_up.quantity * standard_costs_looked_up.standard_unit_cost',
                fx_rate_to_reporting(
                    'standard_costs_looked_up.standard_cost_currency_code',
                    'fx_rates.fx_rate_to_reporting'
                )
            ) }}
        end as standard_cost_amount_rc
    from standard_costs_looked_up
    left join fx_rates
        on standard_costs_looked_up.order_date = fx_rates.rate_date
        and standard_costs_looked_up.standard_cost_currency_code = fx_rates.currency_code
),

lines_needing_average as (
    select
        standard_costs_converted.*
    from standard_costs_converted
    left join work_orders_by_line
        on standard_costs_converted.order_number = work_orders_by_line.order_number
        and standard_costs_converted.line_number = work_orders_by_line.line_number
    where not standard_costs_converted.is_cancelled
        and coalesce(work_orders_by_line.completed_work_order_count, 0) = 0
),

product_months_unioned as (
    select distinct
        product_number,
        order_month_date as month_date
    from lines_needing_average
    union
    select
        product_number,
        production_month_date as month_date
    from production_months_costed
),

product_months_carried_forward as (
    -- the latest month with production up to each month (portable: max over a window)
    select
        product_months_unioned.product_number,
        product_months_unioned.month_date,
        max(production_months_costed.production_month_date) over (
            partition by product_months_unioned.product_number
            order by product_months_unioned.month_date
            rows between unbounded preceding and current row
        ) as costed_month_date
    from product_months_unioned
    left join production_months_costed
        on product_months_unioned.product_number = production_months_costed.product_number
        and product_months_unioned.month_date = production_months_costed.production_month_date
),

averages_looked_up as (
    select
        lines_needing_average.order_number,
        lines_needing_average.line_number,
        product_months_carried_forward.costed_month_date,
        production_months_costed.average_unit_cost_amount_rc,
        production_months_costed.source_batch_date
    from lines_needing_average
    inner join product_months_carried_forward
        on lines_needing_average.product_number = product_months_carried_forward.product_number
        and lines_needing_average.order_month_date = product_months_carried_forward.month_date
    inner join production_months_costed
        on product_months_carried_forward.product_number = production_months_costed.product_number
        and product_months_carried_forward.costed_month_date
        = production_months_costed.production_month_date
),

actual_costs_chosen as (
    select
        standard_costs_converted.order_line_key,
        standard_costs_converted.order_number,
        standard_costs_converted.line_number,
        standard_costs_converted.product_number,
        standard_costs_converted.order_date,
        work_orders_by_line.production_order_id,
        case
            when standard_costs_converted.is_cancelled then 'cancelled'
            when work_orders_by_line.completed_work_order_count > 0 then 'work_order'
            when averages_looked_up.costed_month_date = standard_costs_converted.order_month_date
                then 'period_average'
            when averages_looked_up.costed_month_date is not null then 'earlier_period_average'
            else 'standard_cost'
        end as production_cost_basis,
        standard_costs_converted.standard_unit_cost,
        standard_costs_converted.standard_cost_currency_code,
        averages_looked_up.average_unit_cost_amount_rc,
        standard_costs_converted.standard_cost_amount_rc,
        case
            when standard_costs_converted.is_cancelled then cast(0 as decimal(18, 2))
            when work_orders_by_line.completed_work_order_count > 0
                then work_orders_by_line.work_order_cost_amount_rc
            when averages_looked_up.costed_month_date is not null
                then cast(round(
                    standard_costs_converted.quantity
                    * averages_looked_up.average_unit_cost_amount_rc,
                    2
                ) as decimal(18, 2))
            else standard_costs_converted.standard_cost_amount_rc
        end as actual_production_cost_amount_rc,
        standard_costs_converted.is_product_in_master,
        work_orders_by_line.order_number is not null as is_make_to_order,
        averages_looked_up.costed_month_date as production_cost_month_date,
        case
            when standard_costs_converted.is_cancelled then null
            when work_orders_by_line.completed_work_order_count > 0
                then work_orders_by_line.source_batch_date
            else averages_looked_up.source_batch_date
        end as source_batch_date
    from standard_costs_converted
    left join work_orders_by_line
        on standard_costs_converted.order_number = work_orders_by_line.order_number
        and standard_costs_converted.line_number = work_orders_by_line.line_number
    left join averages_looked_up
        on standard_costs_converted.order_number = averages_looked_up.order_number
        and standard_costs_converted.line_number = averages_looked_up.line_number
),

lines_costed as (
    select
        -- keys
        order_line_key,
        order_number,
        line_number,
        product_number,
        production_order_id,

        -- strings
        production_cost_basis,
        standard_cost_currency_code,

        -- numerics
        standard_unit_cost,
        average_unit_cost_amount_rc,
        standard_cost_amount_rc,
        actual_production_cost_amount_rc,
        actual_production_cost_amount_rc - standard_cost_amount_rc
            as production_variance_amount_rc,

        -- booleans
        is_product_in_master,
        is_make_to_order,

        -- dates
        order_date,
        production_cost_month_date,
        source_batch_date
    from actual_costs_chosen
),

final as (
    -- every line of a product from a changed month on is recomputed; only lines whose
    -- figures moved are written
    {{ select_new_or_changed_rows(
        'lines_costed',
        'order_line_key',
        columns=['order_number', 'line_number', 'product_number', 'production_order_id',
                 'production_cost_basis', 'standard_cost_currency_code', 'standard_unit_cost',
                 'average_unit_cost_amount_rc', 'standard_cost_amount_rc',
                 'actual_production_cost_amount_rc', 'production_variance_amount_rc',
                 'is_product_in_master', 'is_make_to_order', 'order_date',
                 'production_cost_month_date', 'source_batch_date'],
    ) }}
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
