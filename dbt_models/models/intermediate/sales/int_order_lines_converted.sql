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
    ERP order lines with their header, golden customer and revenue in document and
    reporting currency (rate of the order date). Cancelled lines (the line or its whole
    order) keep their row with every revenue measure 0.
#}

with

sales_order_lines as not materialized (
    select * from {{ ref('stg_erp__sales_order_lines') }}
),

sales_orders as not materialized (
    select * from {{ ref('stg_erp__sales_orders') }}
),

customers_matched as not materialized (
    select * from {{ ref('int_customers_matched') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

erp_fx_rates as (
    select * from {{ ref('stg_erp__fx_rates') }}
),
{% if cutoff %}
orders_to_refresh as (
    select order_number from sales_order_lines
    where {{ batch_loaded_since(cutoff) }}
    union
    select order_number from sales_orders
    where {{ batch_loaded_since(cutoff) }}
    union
    select sales_orders.order_number
    from sales_orders
    inner join erp_fx_rates
        on sales_orders.order_date = erp_fx_rates.rate_date
    where {{ batch_loaded_since(cutoff, 'erp_fx_rates') }}
    union
    select stored_lines.order_number
    from {{ this }} as stored_lines
    left join customers_matched
        on customers_matched.source_system = 'erp'
        and stored_lines.erp_customer_number = customers_matched.source_id
    where stored_lines.customer_id is distinct from customers_matched.customer_number
),
{% endif %}
lines_joined as (
    select
        sales_order_lines.order_number,
        sales_order_lines.line_number,
        sales_orders.erp_customer_number,
        customers_matched.customer_number as customer_id,
        sales_order_lines.product_number,
        sales_orders.crm_opportunity_id,
        sales_orders.sales_org,
        sales_order_lines.plant_code,
        sales_order_lines.currency_code,
        sales_order_lines.line_status,
        sales_orders.order_status,
        sales_order_lines.quantity,
        sales_order_lines.unit_price_amount,
        sales_order_lines.discount_pct,
        sales_order_lines.net_amount,
        (
            sales_order_lines.line_status = 'CANCELLED'
            or coalesce(sales_orders.order_status, '') = 'CANCELLED'
        ) as is_cancelled,
        sales_orders.order_date,
        sales_order_lines.requested_date,
        sales_order_lines.promised_date,
        greatest(
            cast(sales_order_lines.source_batch as date),
            coalesce(cast(sales_orders.source_batch as date), cast('1900-01-01' as date))
        ) as source_batch_date
    from sales_order_lines
    left join sales_orders
        on sales_order_lines.order_number = sales_orders.order_number
    left join customers_matched
        on customers_matched.source_system = 'erp'
        and sales_orders.erp_customer_number = customers_matched.source_id
    {%- if cutoff %}
    where sales_order_lines.order_number in (select order_number from orders_to_refresh)
    {%- endif %}
),

fx_rates_looked_up as (
    -- same currency needs no rate; any other conversion without a rate on the
    -- order date stays NULL, so that the not_null tests on the *_rc columns fail
    select
        lines_joined.*,
        case
            when lines_joined.currency_code = {{ reporting_currency() }}
                then cast(1 as decimal(18, 10))
            else fx_rates.fx_rate_to_reporting
        end as fx_rate_to_reporting
    from lines_joined
    left join fx_rates
        on lines_joined.order_date = fx_rates.rate_date
        and lines_joined.currency_code = fx_rates.currency_code
),

revenue_computed as (
    select
        *,
        cast(round(quantity * unit_price_amount, 2) as decimal(18, 2)) as list_revenue_amount,
        {{ to_reporting_currency('round(quantity * unit_price_amount, 2)', 'fx_rate_to_reporting') }}
            as list_revenue_amount_rc,
        {{ to_reporting_currency('net_amount', 'fx_rate_to_reporting') }} as net_amount_rc
    from fx_rates_looked_up
),

final as (
    select
        -- keys
        {{ generate_surrogate_key(['order_number', 'line_number']) }} as order_line_key,
        order_number,
        line_number,
        erp_customer_number,
        customer_id,
        product_number,
        crm_opportunity_id,

        -- strings
        sales_org,
        plant_code,
        currency_code,
        line_status,
        order_status,

        -- numerics
        quantity,
        unit_price_amount,
        discount_pct,
        case when is_cancelled then 0 else list_revenue_amount end as gross_revenue_amount,
        case when is_cancelled then 0 else list_revenue_amount - net_amount end
            as discount_amount,
        case when is_cancelled then 0 else net_amount end as net_revenue_amount,
        fx_rate_to_reporting,
        case when is_cancelled then 0 else list_revenue_amount_rc end as gross_revenue_amount_rc,
        case when is_cancelled then 0 else list_revenue_amount_rc - net_amount_rc end
            as discount_amount_rc,
        case when is_cancelled then 0 else net_amount_rc end as net_revenue_amount_rc,

        -- booleans
        is_cancelled,

        -- dates
        order_date,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as order_month_date,
        requested_date,
        promised_date,
        source_batch_date
    from revenue_computed
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
