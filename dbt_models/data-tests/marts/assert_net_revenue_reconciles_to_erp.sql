{#
    Company net revenue in the marts equals the ERP order lines to the cent, in the
    reporting currency: every line that is not cancelled (neither the line nor its
    order), its net amount converted at the rate of its order date and rounded per
    line. Returns a row on mismatch.
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

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

source_total as (
    select
        sum(
            round(
                sales_order_lines.net_amount
                * case
                    when sales_order_lines.currency_code = {{ reporting_currency() }} then 1
                    else fx_rates.fx_rate_to_reporting
                end,
                2
            )
        ) as net_revenue_amount_rc
    from sales_order_lines
    inner join sales_orders
        on sales_order_lines.order_number = sales_orders.order_number
    left join fx_rates
        on sales_orders.order_date = fx_rates.rate_date
        and sales_order_lines.currency_code = fx_rates.currency_code
    where sales_order_lines.line_status <> 'CANCELLED'
        and sales_orders.order_status <> 'CANCELLED'
),

mart_total as (
    select sum(net_revenue_amount_rc) as net_revenue_amount_rc
    from fct_order_lines
),

final as (
    select
        source_total.net_revenue_amount_rc as source_net_revenue_amount_rc,
        mart_total.net_revenue_amount_rc as mart_net_revenue_amount_rc
    from source_total
    cross join mart_total
    where source_total.net_revenue_amount_rc is distinct from mart_total.net_revenue_amount_rc
)

select * from final
