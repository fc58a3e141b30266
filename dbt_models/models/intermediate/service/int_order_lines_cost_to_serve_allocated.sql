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
    Cost-to-serve of the CRM cases on the ERP order lines that receive it
    (docs/model.md, rule 3; the target of each case is chosen in int_cases_costed).
    Grain: one receiving order line.

    The cases aimed at the same lines are pooled - all cases of an order, all
    customer-level cases of a golden customer and month - and each pool is split over
    its lines by net revenue (reporting currency); shares are rounded to the cent with
    the remainder on the line with the most revenue, so that the lines receive exactly
    the cost of the allocated cases.

    Incremental: a pool's lines are those of one golden customer and one month (an
    order's lines share its customer and month), so a run recomputes every pool of the
    customer-months whose lines arrived in the look-back window or got a new FX rate,
    that changed cases are aimed at, that a line left or joined by moving to another
    customer, and whose lines no longer carry the cost of the cases aimed at them (an
    open case costs more every night; a case moves when its month gains or loses
    lines). Lines of those months that no longer receive anything are written with 0.
#}

with

cases as not materialized (
    select * from {{ ref('int_cases_costed') }}
),

order_lines as not materialized (
    select * from {{ ref('int_order_lines_converted') }}
),

erp_fx_rates as (
    select * from {{ ref('stg_erp__fx_rates') }}
),
{% if cutoff %}
case_costs_aimed as (
    -- each allocated case with the customer and month of the lines it is aimed at: an
    -- order's lines share the order's customer and month
    select
        order_months.customer_id,
        order_months.order_month_date as month_date,
        cases.case_cost_amount_rc,
        cases.source_batch_date
    from cases
    inner join (
        select distinct order_number, customer_id, order_month_date
        from order_lines
        where order_number in (
            select order_number from cases where allocation_basis = 'order'
        )
    ) as order_months
        on cases.order_number = order_months.order_number
    where cases.allocation_basis = 'order'
    union all
    select customer_id, target_month_date, case_cost_amount_rc, source_batch_date
    from cases
    where allocation_basis not in ('order', 'unallocated')
),

customer_months_to_refresh as (
    select customer_id, order_month_date as month_date from order_lines
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    select order_lines.customer_id, order_lines.order_month_date
    from order_lines
    inner join erp_fx_rates
        on order_lines.order_date = erp_fx_rates.rate_date
    where {{ batch_loaded_since(cutoff, 'erp_fx_rates') }}
    union
    select customer_id, month_date from case_costs_aimed
    where source_batch_date >= cast('{{ cutoff }}' as date)
    union
    -- lines that moved to another golden customer: the old customer's month and the new
    select order_lines.customer_id, order_lines.order_month_date
    from {{ this }} as stored_lines
    inner join order_lines
        on stored_lines.order_line_key = order_lines.order_line_key
    where stored_lines.customer_id is distinct from order_lines.customer_id
    union
    select stored_lines.customer_id, order_lines.order_month_date
    from {{ this }} as stored_lines
    inner join order_lines
        on stored_lines.order_line_key = order_lines.order_line_key
    where stored_lines.customer_id is distinct from order_lines.customer_id
    union
    -- months whose lines no longer carry the cost of the cases aimed at them: a case that
    -- costs more (open cases, every night) or moved to another month
    select
        coalesce(aimed.customer_id, carried.customer_id),
        coalesce(aimed.month_date, carried.month_date)
    from (
        select customer_id, month_date, sum(case_cost_amount_rc) as cost_amount_rc
        from case_costs_aimed
        group by customer_id, month_date
    ) as aimed
    full join (
        select
            stored_lines.customer_id,
            order_lines.order_month_date as month_date,
            sum(stored_lines.cost_to_serve_amount_rc) as cost_amount_rc
        from {{ this }} as stored_lines
        inner join order_lines
            on stored_lines.order_line_key = order_lines.order_line_key
        group by stored_lines.customer_id, order_lines.order_month_date
    ) as carried
        on aimed.customer_id = carried.customer_id
        and aimed.month_date = carried.month_date
    where coalesce(aimed.cost_amount_rc, 0) <> coalesce(carried.cost_amount_rc, 0)
),

{% endif %}
receiving_lines as (
    select
        order_line_key,
        order_number,
        line_number,
        customer_id,
        order_month_date,
        net_revenue_amount_rc
    from order_lines
    where not is_cancelled
        and net_revenue_amount_rc > 0
        {%- if cutoff %}
        and exists (
            select 1 from customer_months_to_refresh
            where customer_months_to_refresh.customer_id = order_lines.customer_id
                and customer_months_to_refresh.month_date = order_lines.order_month_date
        )
        {%- endif %}
),

pools_summed as (
    select
        case when allocation_basis = 'order' then order_number end as pool_order_number,
        case when allocation_basis <> 'order' then customer_id end as pool_customer_id,
        target_month_date as pool_month_date,
        count(*) as case_count,
        sum(case_cost_amount_rc) as pool_cost_amount_rc,
        max(source_batch_date) as pool_source_batch_date
    from cases
    where allocation_basis <> 'unallocated'
    group by
        case when allocation_basis = 'order' then order_number end,
        case when allocation_basis <> 'order' then customer_id end,
        target_month_date
),

pool_lines as (
    select
        {{ dbt.concat([
            "'order:'", "pools_summed.pool_order_number",
        ]) }} as pool_id,
        pools_summed.case_count,
        pools_summed.pool_cost_amount_rc,
        pools_summed.pool_source_batch_date,
        receiving_lines.order_line_key,
        receiving_lines.order_number,
        receiving_lines.line_number,
        receiving_lines.customer_id,
        receiving_lines.net_revenue_amount_rc
    from pools_summed
    inner join receiving_lines
        on pools_summed.pool_order_number = receiving_lines.order_number

    union all

    select
        {{ dbt.concat([
            "'customer:'", "pools_summed.pool_customer_id",
            "'|'", "cast(pools_summed.pool_month_date as " ~ dbt.type_string() ~ ")",
        ]) }} as pool_id,
        pools_summed.case_count,
        pools_summed.pool_cost_amount_rc,
        pools_summed.pool_source_batch_date,
        receiving_lines.order_line_key,
        receiving_lines.order_number,
        receiving_lines.line_number,
        receiving_lines.customer_id,
        receiving_lines.net_revenue_amount_rc
    from pools_summed
    inner join receiving_lines
        on pools_summed.pool_customer_id = receiving_lines.customer_id
        and pools_summed.pool_month_date = receiving_lines.order_month_date
),

{{ allocate_by_weight(
    name='pools_split',
    relation='pool_lines',
    partition_by=['pool_id'],
    amounts={'cost_to_serve_amount_rc': 'pool_cost_amount_rc'},
    weight='net_revenue_amount_rc',
    tie_breaker=['order_number', 'line_number'],
) }},

lines_allocated as (
    select
        -- keys
        order_line_key,
        order_number,
        line_number,
        customer_id,

        -- numerics
        cast(sum(case_count) as bigint) as case_count,
        cast(sum(cost_to_serve_amount_rc) as decimal(18, 2)) as cost_to_serve_amount_rc,

        -- dates
        max(pool_source_batch_date) as source_batch_date
    from pools_split
    group by order_line_key, order_number, line_number, customer_id
),
{% if cutoff %}
lines_no_longer_allocated as (
    -- lines of those months that received cost before and receive none now
    select
        stored_lines.order_line_key,
        stored_lines.order_number,
        stored_lines.line_number,
        order_lines.customer_id,
        cast(0 as bigint) as case_count,
        cast(0 as decimal(18, 2)) as cost_to_serve_amount_rc,
        cast('{{ cutoff }}' as date) as source_batch_date
    from {{ this }} as stored_lines
    left join order_lines
        on stored_lines.order_line_key = order_lines.order_line_key
    left join lines_allocated
        on stored_lines.order_line_key = lines_allocated.order_line_key
    where exists (
            select 1 from customer_months_to_refresh
            where customer_months_to_refresh.customer_id
                in (stored_lines.customer_id, order_lines.customer_id)
                and customer_months_to_refresh.month_date = order_lines.order_month_date
        )
        and lines_allocated.order_line_key is null
        and stored_lines.case_count > 0
),
{% endif %}
lines_recomputed as (
    select * from lines_allocated
    {%- if cutoff %}
    union all
    select * from lines_no_longer_allocated
    {%- endif %}
),

final as (
    -- a customer's pools are recomputed whole; only lines whose figures moved are written
    {{ select_new_or_changed_rows(
        'lines_recomputed',
        'order_line_key',
        columns=['order_number', 'line_number', 'customer_id', 'case_count',
                 'cost_to_serve_amount_rc', 'source_batch_date'],
    ) }}
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
