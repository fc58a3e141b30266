{#
    Every ERP order line is in fct_order_lines exactly once, and the net revenue of
    the lines that are not cancelled (neither the line nor its order) equals the
    net amount of the same lines in staging, to the cent. Returns a row on mismatch.
#}

with

fct_order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

sales_order_lines as (
    select * from {{ ref('stg_erp__sales_order_lines') }}
),

sales_orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
),

mart_totals as (
    select
        count(*) as line_count,
        coalesce(sum(case when not is_cancelled then net_revenue_amount end), 0)
            as net_revenue_amount
    from fct_order_lines
),

staging_totals as (
    select
        count(*) as line_count,
        coalesce(
            sum(
                case
                    when sales_order_lines.line_status <> 'CANCELLED'
                        and coalesce(sales_orders.order_status, '') <> 'CANCELLED'
                        then sales_order_lines.net_amount
                end
            ),
            0
        ) as net_revenue_amount
    from sales_order_lines
    left join sales_orders
        on sales_order_lines.order_number = sales_orders.order_number
),

totals_compared as (
    select
        mart_totals.line_count as mart_line_count,
        staging_totals.line_count as staging_line_count,
        mart_totals.net_revenue_amount as mart_net_revenue_amount,
        staging_totals.net_revenue_amount as staging_net_revenue_amount
    from mart_totals
    cross join staging_totals
),

final as (
    select * from totals_compared
    where mart_line_count <> staging_line_count
        or round(mart_net_revenue_amount, 2) <> round(staging_net_revenue_amount, 2)
)

select * from final
