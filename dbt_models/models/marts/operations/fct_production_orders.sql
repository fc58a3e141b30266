{{
    config(
        materialized='incremental',
        unique_key='production_order_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}

{#
    Production: one row per MES work order, planned (standard) against actual
    material, machine and labour cost, scrap and yield, linked to the ERP order line a
    make-to-order work order was made for.

    Incremental: the work orders recomputed are those int_production_orders_costed
    refreshed since the last build, those of an order line int_order_lines_converted
    refreshed (customer, order date), those in the look-back window or on an unknown
    member, and those whose customer opened a new version.
#}

with

{% if cutoff %}
production_orders_to_refresh as (
    {{ changed_since_last_build(
        ref('int_production_orders_costed'), 'production_order_id', 'refreshed_at'
    ) }}
    union
    select production_orders.production_order_id
    from {{ ref('int_production_orders_costed') }} as production_orders
    inner join {{ ref('int_order_lines_converted') }} as order_lines
        on production_orders.order_number = order_lines.order_number
        and production_orders.order_line_number = order_lines.line_number
    left join {{ ref('dim_customers') }} as customer_versions
        on order_lines.customer_id = customer_versions.customer_id
        and customer_versions.valid_from_date >= cast('{{ cutoff }}' as date)
        and order_lines.order_date >= customer_versions.valid_from_date
    where order_lines.refreshed_at > {{ last_build_started_at_constant() }}
        or customer_versions.customer_id is not null
    union
    select production_order_id from {{ this }}
    where source_batch_date >= cast('{{ cutoff }}' as date)
        or (product_key = {{ unknown_member_key() }} and product_number is not null)
        or (plant_key = {{ unknown_member_key() }} and plant_code is not null)
),
{% endif %}
production_orders as (
    select * from {{ ref('int_production_orders_costed') }}
    {%- if cutoff %}
    where production_order_id in (select production_order_id from production_orders_to_refresh)
    {%- endif %}
),

order_lines as (
    select * from {{ ref('int_order_lines_converted') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

plants as (
    select * from {{ ref('dim_plants') }}
),

production_orders_joined as (
    select
        production_orders.*,
        case
            when order_lines.order_number is not null
                then {{ generate_surrogate_key([
                    'production_orders.order_number', 'production_orders.order_line_number'
                ]) }}
        end as order_line_key,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(products.product_key, {{ unknown_member_key() }}) as product_key,
        coalesce(plants.plant_key, {{ unknown_member_key() }}) as plant_key,
        order_lines.order_date
    from production_orders
    left join order_lines
        on production_orders.order_number = order_lines.order_number
        and production_orders.order_line_number = order_lines.line_number
    left join customers
        on {{ customer_version_valid_on('order_lines.customer_id', 'order_lines.order_date') }}
    left join products
        on production_orders.product_number = products.product_number
    left join plants
        on production_orders.plant_code = plants.plant_code
),

production_orders_final as (
    select
        -- keys
        {{ generate_surrogate_key(['production_order_id']) }} as production_order_key,
        order_line_key,
        customer_key,
        product_key,
        plant_key,
        production_order_id,
        order_number,
        order_line_number,
        product_number,

        -- strings
        plant_code,
        production_order_type,
        production_order_status,
        {{ reporting_currency() }} as reporting_currency_code,

        -- numerics: quantities and time
        planned_quantity,
        produced_quantity,
        scrap_quantity,
        case
            when produced_quantity + scrap_quantity > 0
                then cast(produced_quantity / (produced_quantity + scrap_quantity) as decimal(9, 6))
        end as yield_ratio,
        cast(machine_hours as decimal(18, 3)) as machine_hours,
        cast(labour_hours as decimal(18, 3)) as labour_hours,
        inspection_count,
        cast(failed_inspection_count as bigint) as failed_inspection_count,
        cast(inspected_quantity as bigint) as inspected_quantity,
        cast(defect_count as bigint) as defect_count,

        -- numerics: reporting currency
        standard_unit_cost as standard_unit_cost_amount,
        planned_material_cost_amount_rc,
        planned_machine_cost_amount_rc,
        planned_labour_cost_amount_rc,
        planned_cost_amount_rc,
        standard_cost_of_output_amount_rc,
        cast(actual_material_cost_amount_rc as decimal(18, 2)) as actual_material_cost_amount_rc,
        cast(actual_machine_cost_amount_rc as decimal(18, 2)) as actual_machine_cost_amount_rc,
        cast(actual_labour_cost_amount_rc as decimal(18, 2)) as actual_labour_cost_amount_rc,
        cast(actual_cost_amount_rc as decimal(18, 2)) as actual_cost_amount_rc,
        cast(recorded_scrap_cost_amount_rc as decimal(18, 2)) as recorded_scrap_cost_amount_rc,
        cast(
            case
                when is_completed then actual_cost_amount_rc - standard_cost_of_output_amount_rc
            end as decimal(18, 2)
        ) as production_variance_amount_rc,

        -- booleans
        is_make_to_order,
        is_completed,
        has_work_order_record,

        -- dates
        order_date,
        planned_start_date,
        actual_start_date,
        actual_finish_date,
        source_batch_date,

        -- timestamps
        actual_start_at,
        actual_finish_at
    from production_orders_joined
),

final as (
    {{ select_new_or_changed_rows('production_orders_final', 'production_order_key') }}
)

select * from final
