{{ config(materialized='table') }}

{#
    CRM cases with their golden customer, their cost-to-serve in the reporting
    currency and where that cost goes (docs/model.md, rule 3).

        case cost = var('cost_per_case') + var('cost_per_case_hour') x hours open,

    hours open counted from creation to closing, or for a case still open to the end
    of the business day of the latest CRM export batch (so a rebuild of the same
    exports gives the same figures; an open case costs more every night).

    The cost goes to ERP order lines that are not cancelled and carry net revenue
    ("receiving lines"), first that applies (allocation_basis):
      order                   the receiving lines of the ERP order the case names;
      customer_month          its golden customer's receiving lines ordered in the
                              month the case was opened;
      customer_earlier_month  ... else in the nearest earlier month with such lines;
      customer_later_month    ... else in the nearest later month;
      unallocated             no receiving line: the customer never bought (e.g. a
                              CRM-only prospect). The cost stays on the case.
    int_order_lines_cost_to_serve_allocated splits it over the lines.
#}

with

cases as not materialized (
    select * from {{ ref('stg_crm__cases') }}
),

customers_matched as not materialized (
    select * from {{ ref('int_customers_matched') }}
),

sales_orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_converted') }}
),

latest_export as (
    select
        max(cast(source_batch as date)) as latest_batch_date
    from cases
),

receiving_lines as (
    select
        order_number,
        customer_id,
        order_month_date
    from order_lines
    where not is_cancelled
        and net_revenue_amount_rc > 0
),

orders_receiving as (
    select distinct order_number
    from receiving_lines
),

customer_months_receiving as (
    select distinct
        customer_id,
        order_month_date
    from receiving_lines
    where customer_id is not null
),

cases_linked as (
    select
        cases.*,
        latest_export.latest_batch_date,
        coalesce(account_customers.customer_number, order_customers.customer_number)
            as customer_id,
        sales_orders.order_number is not null as is_order_in_erp,
        orders_receiving.order_number is not null as is_order_receiving,
        {{ business_date('cases.created_at') }} as created_date,
        greatest(
            {{ hours_between(
                'cases.created_at',
                'coalesce(cases.closed_at, '
                ~ business_day_end_at('latest_export.latest_batch_date') ~ ')'
            ) }},
            cast(0 as decimal(18, 2))
        ) as open_hours
    from cases
    cross join latest_export
    left join customers_matched as account_customers
        on account_customers.source_system = 'crm'
        and cases.crm_account_id = account_customers.source_id
    left join sales_orders
        on cases.order_number = sales_orders.order_number
    left join customers_matched as order_customers
        on order_customers.source_system = 'erp'
        and sales_orders.erp_customer_number = order_customers.source_id
    left join orders_receiving
        on cases.order_number = orders_receiving.order_number
),

cases_dated as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as created_month_date
    from cases_linked
),

customer_months_found as (
    select
        cases_dated.crm_case_id,
        max(
            case
                when customer_months_receiving.order_month_date <= cases_dated.created_month_date
                    then customer_months_receiving.order_month_date
            end
        ) as earlier_month_date,
        min(
            case
                when customer_months_receiving.order_month_date > cases_dated.created_month_date
                    then customer_months_receiving.order_month_date
            end
        ) as later_month_date
    from cases_dated
    inner join customer_months_receiving
        on cases_dated.customer_id = customer_months_receiving.customer_id
    where not cases_dated.is_order_receiving
    group by cases_dated.crm_case_id
),

cases_targeted as (
    select
        cases_dated.*,
        case
            when cases_dated.is_order_receiving then 'order'
            when customer_months_found.earlier_month_date = cases_dated.created_month_date
                then 'customer_month'
            when customer_months_found.earlier_month_date is not null
                then 'customer_earlier_month'
            when customer_months_found.later_month_date is not null
                then 'customer_later_month'
            else 'unallocated'
        end as allocation_basis,
        case
            when not cases_dated.is_order_receiving
                then coalesce(
                    customer_months_found.earlier_month_date,
                    customer_months_found.later_month_date
                )
        end as target_month_date
    from cases_dated
    left join customer_months_found
        on cases_dated.crm_case_id = customer_months_found.crm_case_id
),

final as (
    select
        -- keys
        crm_case_id,
        case_number,
        crm_account_id,
        customer_id,
        case when is_order_in_erp then order_number end as order_number,
        order_number as crm_order_number,
        product_number,

        -- strings
        case_type,
        case_reason,
        case_priority,
        case_status,
        allocation_basis,

        -- numerics
        open_hours,
        case when closed_at is not null then open_hours end as hours_to_close,
        cast(
            round(
                cast({{ var('cost_per_case') }} as decimal(18, 2))
                + cast({{ var('cost_per_case_hour') }} as decimal(18, 2)) * open_hours,
                2
            ) as decimal(18, 2)
        ) as case_cost_amount_rc,

        -- booleans
        closed_at is not null as is_closed,
        is_order_in_erp,

        -- dates
        created_date,
        created_month_date,
        {{ business_date('closed_at') }} as closed_date,
        target_month_date,
        case
            when closed_at is null then latest_batch_date
            else cast(source_batch as date)
        end as source_batch_date,

        -- timestamps
        created_at,
        closed_at
    from cases_targeted
)

select * from final
