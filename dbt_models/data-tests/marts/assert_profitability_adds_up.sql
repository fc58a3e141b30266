{#
    Customer, product and order profitability add up to the same company total: CM2
    summed per customer, per product and per order equals the sum over all order
    lines, every cost-to-serve cent the cases allocated is on a line, and CM2 is net
    revenue less actual production cost, freight and cost-to-serve on every line.
    Returns a row per broken invariant.
#}

with

fct_order_lines as (
    select * from {{ ref('fct_order_lines') }}
),

fct_cases as (
    select * from {{ ref('fct_cases') }}
),

company_total as (
    select
        sum(cm2_amount_rc) as cm2_amount_rc,
        sum(cost_to_serve_amount_rc) as cost_to_serve_amount_rc
    from fct_order_lines
),

by_customer as (
    select sum(cm2_amount_rc) as cm2_amount_rc
    from (
        select customer_key, sum(cm2_amount_rc) as cm2_amount_rc
        from fct_order_lines
        group by customer_key
    ) as customers_summed
),

by_product as (
    select sum(cm2_amount_rc) as cm2_amount_rc
    from (
        select product_key, sum(cm2_amount_rc) as cm2_amount_rc
        from fct_order_lines
        group by product_key
    ) as products_summed
),

by_order as (
    select sum(cm2_amount_rc) as cm2_amount_rc
    from (
        select order_number, sum(cm2_amount_rc) as cm2_amount_rc
        from fct_order_lines
        group by order_number
    ) as orders_summed
),

cases_total as (
    select sum(allocated_cost_amount_rc) as allocated_cost_amount_rc
    from fct_cases
),

lines_broken as (
    select count(*) as line_count
    from fct_order_lines
    where cm2_amount_rc <> net_revenue_amount_rc - actual_production_cost_amount_rc
        - freight_cost_amount_rc - cost_to_serve_amount_rc
        or cm1_amount_rc <> net_revenue_amount_rc - actual_production_cost_amount_rc
),

invariants as (
    select 'cm2 by customer' as invariant, by_customer.cm2_amount_rc as actual_amount,
        company_total.cm2_amount_rc as expected_amount
    from by_customer cross join company_total
    union all
    select 'cm2 by product', by_product.cm2_amount_rc, company_total.cm2_amount_rc
    from by_product cross join company_total
    union all
    select 'cm2 by order', by_order.cm2_amount_rc, company_total.cm2_amount_rc
    from by_order cross join company_total
    union all
    select 'cost-to-serve allocated by cases', cases_total.allocated_cost_amount_rc,
        company_total.cost_to_serve_amount_rc
    from cases_total cross join company_total
    union all
    select 'lines whose margins do not add up', lines_broken.line_count, 0
    from lines_broken
),

final as (
    select * from invariants
    where coalesce(actual_amount, 0) <> coalesce(expected_amount, 0)
)

select * from final
