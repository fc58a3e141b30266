{{
    config(
        materialized='incremental',
        unique_key='order_line_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('int_customers_matched') }}, {{ ref('stg_erp__fx_rates') }}

{#
    The central fact: one row per ERP sales order line, from opportunity to cash, with
    its profitability (docs/model.md): net revenue - actual production cost = CM1;
    CM1 - allocated freight - allocated cost-to-serve = CM2. Every amount in the
    reporting currency (*_rc) besides the document currency.

    Incremental: only the lines whose inputs changed since the last build are recomputed
    (lines_to_refresh), then written where their figures moved (macros/incremental_changes.sql).
#}

with

{#- the order-line tables this fact joins: CTE name -> intermediate model -#}
{%- set line_inputs = {
    'order_lines': 'int_order_lines_converted',
    'order_lines_production_costed': 'int_order_lines_production_costed',
    'order_lines_shipped': 'int_order_lines_shipped',
    'order_lines_invoiced': 'int_order_lines_invoiced',
    'order_lines_cost_to_serve': 'int_order_lines_cost_to_serve_allocated',
} %}
{% if cutoff %}
lines_to_refresh as (
    -- lines an intermediate model recomputed since the last build
    {%- for line_input in line_inputs.values() %}
    {{ changed_since_last_build(ref(line_input), 'order_line_key', 'refreshed_at') }}
    union
    {%- endfor %}
    {{ stored_rows_to_refresh(
        'order_line_key', 'order_date', cutoff,
        {'customer_key': 'customer_id', 'product_key': 'product_number',
         'sales_rep_key': 'crm_opportunity_id', 'plant_key': 'plant_code',
         'currency_key': 'currency_code'},
    ) }}
    union
    -- lines of an opportunity that changed (its owner is the line's sales rep)
    select stored_lines.order_line_key
    from {{ this }} as stored_lines
    inner join {{ ref('stg_crm__opportunities') }} as changed_opportunities
        on stored_lines.crm_opportunity_id = changed_opportunities.crm_opportunity_id
    where changed_opportunities.source_loaded_at > {{ last_build_started_at_constant() }}
),
{% endif %}
{%- for cte_name, line_input in line_inputs.items() %}
{{ cte_name }} as (
    select * from {{ ref(line_input) }}
    {%- if cutoff %}
    where order_line_key in (select order_line_key from lines_to_refresh)
    {%- endif %}
),
{% endfor %}
opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

sales_reps as not materialized (
    select * from {{ ref('dim_sales_reps') }}
),

plants as (
    select * from {{ ref('dim_plants') }}
),

carriers as (
    select * from {{ ref('dim_carriers') }}
),

geographies as (
    select * from {{ ref('dim_geographies') }}
),

currencies as (
    select * from {{ ref('dim_currencies') }}
),

lines_joined as (
    select
        order_lines.*,
        order_lines_production_costed.production_order_id,
        order_lines_production_costed.production_cost_basis,
        order_lines_production_costed.standard_cost_amount_rc,
        order_lines_production_costed.actual_production_cost_amount_rc,
        order_lines_production_costed.production_variance_amount_rc,
        order_lines_production_costed.is_product_in_master,
        order_lines_production_costed.is_make_to_order,
        order_lines_shipped.delivery_number,
        order_lines_shipped.shipment_id,
        order_lines_shipped.carrier_id,
        order_lines_shipped.destination_country_code,
        order_lines_shipped.destination_city,
        coalesce(order_lines_shipped.delivered_quantity, 0) as delivered_quantity,
        coalesce(order_lines_shipped.shipped_weight_kg, 0) as shipped_weight_kg,
        coalesce(order_lines_shipped.freight_cost_amount_rc, 0) as freight_cost_amount_rc,
        order_lines_shipped.shipped_date,
        order_lines_shipped.delivered_date,
        order_lines_invoiced.invoice_number,
        coalesce(order_lines_invoiced.invoiced_quantity, 0) as invoiced_quantity,
        coalesce(order_lines_invoiced.invoiced_net_amount, 0) as invoiced_net_amount,
        coalesce(order_lines_invoiced.invoiced_gross_amount, 0) as invoiced_gross_amount,
        coalesce(order_lines_invoiced.paid_amount, 0) as paid_amount,
        coalesce(order_lines_invoiced.open_receivable_amount, 0) as open_receivable_amount,
        coalesce(order_lines_invoiced.invoiced_net_amount_rc, 0) as invoiced_net_amount_rc,
        coalesce(order_lines_invoiced.paid_amount_rc, 0) as paid_amount_rc,
        coalesce(order_lines_invoiced.is_fully_paid, false) as is_fully_paid,
        order_lines_invoiced.invoiced_date,
        order_lines_invoiced.paid_date,
        coalesce(order_lines_cost_to_serve.case_count, 0) as case_count,
        coalesce(order_lines_cost_to_serve.cost_to_serve_amount_rc, 0) as cost_to_serve_amount_rc,
        opportunities.crm_owner_id as opportunity_owner_id,
        greatest(
            order_lines.source_batch_date,
            coalesce(order_lines_production_costed.source_batch_date, cast('1900-01-01' as date)),
            coalesce(order_lines_shipped.source_batch_date, cast('1900-01-01' as date)),
            coalesce(order_lines_invoiced.source_batch_date, cast('1900-01-01' as date))
        ) as inputs_source_batch_date
    from order_lines
    left join order_lines_production_costed
        on order_lines.order_number = order_lines_production_costed.order_number
        and order_lines.line_number = order_lines_production_costed.line_number
    left join order_lines_shipped
        on order_lines.order_number = order_lines_shipped.order_number
        and order_lines.line_number = order_lines_shipped.line_number
    left join order_lines_invoiced
        on order_lines.order_number = order_lines_invoiced.order_number
        and order_lines.line_number = order_lines_invoiced.line_number
    left join order_lines_cost_to_serve
        on order_lines.order_number = order_lines_cost_to_serve.order_number
        and order_lines.line_number = order_lines_cost_to_serve.line_number
    left join opportunities
        on order_lines.crm_opportunity_id = opportunities.crm_opportunity_id
),

dimensions_looked_up as (
    select
        lines_joined.*,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(products.product_key, {{ unknown_member_key() }}) as product_key,
        coalesce(
            opportunity_owners.sales_rep_key,
            account_owners.sales_rep_key,
            {{ unknown_member_key() }}
        ) as sales_rep_key,
        coalesce(plants.plant_key, {{ unknown_member_key() }}) as plant_key,
        coalesce(carriers.carrier_key, {{ unknown_member_key() }}) as carrier_key,
        coalesce(
            destinations.geography_key, customers.geography_key, {{ unknown_member_key() }}
        ) as ship_to_geography_key,
        coalesce(currencies.currency_key, {{ unknown_member_key() }}) as currency_key,
        customers.customer_key is not null as is_customer_in_master
    from lines_joined
    left join customers
        on {{ customer_version_valid_on('lines_joined.customer_id', 'lines_joined.order_date') }}
    left join products
        on lines_joined.product_number = products.product_number
    left join sales_reps as opportunity_owners
        on lines_joined.opportunity_owner_id = opportunity_owners.crm_user_id
    left join sales_reps as account_owners
        on customers.account_owner_id = account_owners.crm_user_id
    left join plants
        on lines_joined.plant_code = plants.plant_code
    left join carriers
        on lines_joined.carrier_id = carriers.carrier_id
    left join geographies as destinations
        on lines_joined.destination_country_code = destinations.country_code
        and lines_joined.destination_city = destinations.city
    left join currencies
        on lines_joined.currency_code = currencies.currency_code
),

measures_computed as (
    select
        *,
        net_revenue_amount_rc - standard_cost_amount_rc as gross_margin_amount_rc,
        net_revenue_amount_rc - actual_production_cost_amount_rc as cm1_amount_rc,
        net_revenue_amount_rc - actual_production_cost_amount_rc
        - freight_cost_amount_rc - cost_to_serve_amount_rc as cm2_amount_rc
    from dimensions_looked_up
),

order_lines_final as (
    select
        -- keys
        {{ generate_surrogate_key(['order_number', 'line_number']) }} as order_line_key,
        customer_key,
        product_key,
        sales_rep_key,
        plant_key,
        carrier_key,
        ship_to_geography_key,
        currency_key,
        order_number,
        line_number,
        erp_customer_number,
        customer_id,
        product_number,
        crm_opportunity_id,
        production_order_id,
        delivery_number,
        shipment_id,
        invoice_number,

        -- strings
        sales_org,
        plant_code,
        currency_code,
        {{ reporting_currency() }} as reporting_currency_code,
        line_status,
        order_status,
        production_cost_basis,

        -- numerics: quantities
        quantity,
        cast(delivered_quantity as decimal(18, 3)) as delivered_quantity,
        cast(invoiced_quantity as decimal(18, 3)) as invoiced_quantity,
        cast(shipped_weight_kg as decimal(18, 3)) as shipped_weight_kg,
        case_count,

        -- numerics: document currency
        unit_price_amount,
        discount_pct,
        gross_revenue_amount,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        net_revenue_amount,
        cast(invoiced_net_amount as decimal(18, 2)) as invoiced_net_amount,
        cast(invoiced_gross_amount as decimal(18, 2)) as invoiced_gross_amount,
        cast(paid_amount as decimal(18, 2)) as paid_amount,
        cast(open_receivable_amount as decimal(18, 2)) as open_receivable_amount,

        -- numerics: reporting currency
        fx_rate_to_reporting,
        gross_revenue_amount_rc,
        cast(discount_amount_rc as decimal(18, 2)) as discount_amount_rc,
        net_revenue_amount_rc,
        standard_cost_amount_rc,
        cast(gross_margin_amount_rc as decimal(18, 2)) as gross_margin_amount_rc,
        cast(actual_production_cost_amount_rc as decimal(18, 2)) as actual_production_cost_amount_rc,
        cast(production_variance_amount_rc as decimal(18, 2)) as production_variance_amount_rc,
        cast(cm1_amount_rc as decimal(18, 2)) as cm1_amount_rc,
        freight_cost_amount_rc,
        cast(cost_to_serve_amount_rc as decimal(18, 2)) as cost_to_serve_amount_rc,
        cast(cm2_amount_rc as decimal(18, 2)) as cm2_amount_rc,
        cast(invoiced_net_amount_rc as decimal(18, 2)) as invoiced_net_amount_rc,
        cast(paid_amount_rc as decimal(18, 2)) as paid_amount_rc,

        -- numerics: delivery
        {{ dbt.datediff('promised_date', 'shipped_date', 'day') }} as days_shipped_after_promise,

        -- booleans
        is_cancelled,
        is_make_to_order,
        is_product_in_master,
        is_customer_in_master,
        shipped_date is not null as is_shipped,
        coalesce(shipped_date <= promised_date, false) as is_shipped_on_time,
        not is_cancelled and delivered_quantity >= quantity as is_delivered_in_full,
        is_fully_paid,

        -- dates
        order_date,
        requested_date,
        promised_date,
        shipped_date,
        delivered_date,
        invoiced_date,
        paid_date,
        inputs_source_batch_date as source_batch_date
    from measures_computed
),

final as (
    {{ select_new_or_changed_rows('order_lines_final', 'order_line_key') }}
)

select * from final
