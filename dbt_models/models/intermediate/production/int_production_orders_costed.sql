{{
    config(
        materialized='incremental',
        unique_key='production_order_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
{%- set in_scope = (
    'where production_order_id in (select production_order_id from work_orders_to_refresh)'
    if cutoff else ''
) %}

{#
    MES work orders with their actual and standard cost in the reporting currency.

    Actual cost (exactly as the demo generator's truth, lib/generate/production.py):
    material issued (material_consumption.cost_amount) plus, per operation,
    round(machine_hours * machine_rate, 2) + round(labour_hours * labour_rate, 2).
    Costs are summed per work order and currency, then converted at the rate of the
    business day the work order finished (costs are booked when it completes; one still
    running: the day of its last posting), so that the company total in CNY is the
    exported cents exactly.

    Standard cost: the ERP standard cost version valid on the planned start date
    (else the product's current standard cost, total only), per unit times the planned
    quantity (plan) and times the good quantity produced (standard cost of output).

    Incremental: a run recomputes the work orders any of whose MES records arrived in
    the look-back window, whose finish or planned start date got a new FX rate, or whose
    standard cost changed.
#}

with

production_orders as not materialized (
    select * from {{ ref('stg_mes__production_orders') }}
),

operations as not materialized (
    select * from {{ ref('stg_mes__operations') }}
),

material_consumption as not materialized (
    select * from {{ ref('stg_mes__material_consumption') }}
),

scrap as not materialized (
    select * from {{ ref('stg_mes__scrap') }}
),

quality_inspections as not materialized (
    select * from {{ ref('stg_mes__quality_inspections') }}
),

standard_cost_versions as not materialized (
    select * from {{ ref('stg_erp__standard_cost_versions') }}
),

products as not materialized (
    select * from {{ ref('stg_erp__products') }}
),

fx_rates as not materialized (
    select * from {{ ref('int_fx_rates_rebased') }}
),

erp_fx_rates as (
    select * from {{ ref('stg_erp__fx_rates') }}
),
{% if cutoff %}
work_orders_to_refresh as (
    {%- for relation in ['production_orders', 'operations', 'material_consumption', 'scrap', 'quality_inspections'] %}
    select production_order_id from {{ relation }}
    where {{ batch_loaded_since(cutoff) }}
    union
    {%- endfor %}
    select stored_work_orders.production_order_id
    from {{ this }} as stored_work_orders
    inner join erp_fx_rates
        on erp_fx_rates.rate_date in (
            stored_work_orders.actual_finish_date, stored_work_orders.planned_start_date
        )
    where {{ batch_loaded_since(cutoff, 'erp_fx_rates') }}
    union
    select stored_work_orders.production_order_id
    from {{ this }} as stored_work_orders
    left join standard_cost_versions
        on stored_work_orders.product_number = standard_cost_versions.product_number
        and stored_work_orders.planned_start_date
        between standard_cost_versions.valid_from_date and standard_cost_versions.valid_to_date
    left join products
        on stored_work_orders.product_number = products.product_number
    where stored_work_orders.standard_unit_cost is distinct from coalesce(
        standard_cost_versions.standard_cost_amount, products.standard_cost_amount
    )
),
{% endif %}
production_orders_in_scope as (
    select * from production_orders {{ in_scope }}
),

operations_in_scope as (
    select * from operations {{ in_scope }}
),

material_consumption_in_scope as (
    select * from material_consumption {{ in_scope }}
),

scrap_in_scope as (
    select * from scrap {{ in_scope }}
),

quality_inspections_in_scope as (
    select * from quality_inspections {{ in_scope }}
),

production_order_ids as (
    -- work orders of the MES export, and those only their postings know (the work order
    -- record arrives later): booked cost is never dropped
    select production_order_id from production_orders_in_scope
    union
    select production_order_id from material_consumption_in_scope
    union
    select production_order_id from operations_in_scope
),

production_orders_dated as (
    select
        production_order_ids.production_order_id,
        production_orders_in_scope.product_number,
        production_orders_in_scope.plant_code,
        production_orders_in_scope.order_number,
        production_orders_in_scope.order_line_number,
        production_orders_in_scope.production_order_type,
        production_orders_in_scope.production_order_status,
        coalesce(production_orders_in_scope.planned_quantity, 0) as planned_quantity,
        coalesce(production_orders_in_scope.produced_quantity, 0) as produced_quantity,
        coalesce(production_orders_in_scope.scrap_quantity, 0) as scrap_quantity,
        production_orders_in_scope.planned_start_date,
        production_orders_in_scope.actual_start_at,
        production_orders_in_scope.actual_finish_at,
        production_orders_in_scope.source_batch,
        {{ business_date('production_orders_in_scope.actual_start_at') }} as actual_start_date,
        {{ business_date('production_orders_in_scope.actual_finish_at') }} as actual_finish_date
    from production_order_ids
    left join production_orders_in_scope
        on production_order_ids.production_order_id = production_orders_in_scope.production_order_id
),

cost_postings as (
    select
        production_order_id,
        currency_code,
        posted_at as booked_at,
        cost_amount as material_cost_amount,
        cast(0 as decimal(18, 2)) as machine_cost_amount,
        cast(0 as decimal(18, 2)) as labour_cost_amount,
        cast(0 as decimal(18, 3)) as machine_hours,
        cast(0 as decimal(18, 3)) as labour_hours,
        source_batch
    from material_consumption_in_scope

    union all

    select
        production_order_id,
        currency_code,
        finished_at as booked_at,
        cast(0 as decimal(18, 2)) as material_cost_amount,
        cast(round(machine_hours * machine_rate_amount, 2) as decimal(18, 2)) as machine_cost_amount,
        cast(round(labour_hours * labour_rate_amount, 2) as decimal(18, 2)) as labour_cost_amount,
        machine_hours,
        labour_hours,
        source_batch
    from operations_in_scope
),

cost_postings_summed as (
    select
        production_order_id,
        currency_code,
        cast(sum(material_cost_amount) as decimal(18, 2)) as material_cost_amount,
        cast(sum(machine_cost_amount) as decimal(18, 2)) as machine_cost_amount,
        cast(sum(labour_cost_amount) as decimal(18, 2)) as labour_cost_amount,
        cast(sum(machine_hours) as decimal(18, 3)) as machine_hours,
        cast(sum(labour_hours) as decimal(18, 3)) as labour_hours,
        max(booked_at) as last_booked_at,
        max(cast(source_batch as date)) as source_batch_date
    from cost_postings
    group by production_order_id, currency_code
),

cost_postings_converted as (
    -- booked cost is converted on the day the work order finished (costs are booked
    -- when it completes); a work order still running, on its last posting's day
    select
        cost_postings_summed.*,
        {{ fx_rate_to_reporting(
            'cost_postings_summed.currency_code', 'fx_rates.fx_rate_to_reporting'
        ) }} as fx_rate_to_reporting
    from cost_postings_summed
    left join production_orders_dated
        on cost_postings_summed.production_order_id = production_orders_dated.production_order_id
    left join fx_rates
        on coalesce(
            production_orders_dated.actual_finish_date,
            {{ business_date('cost_postings_summed.last_booked_at') }},
            production_orders_dated.actual_start_date,
            production_orders_dated.planned_start_date
        ) = fx_rates.rate_date
        and cost_postings_summed.currency_code = fx_rates.currency_code
),

actual_costs_summed as (
    select
        production_order_id,
        cast(sum({{ to_reporting_currency('material_cost_amount', 'fx_rate_to_reporting') }})
            as decimal(18, 2)) as actual_material_cost_amount_rc,
        cast(sum({{ to_reporting_currency('machine_cost_amount', 'fx_rate_to_reporting') }})
            as decimal(18, 2)) as actual_machine_cost_amount_rc,
        cast(sum({{ to_reporting_currency('labour_cost_amount', 'fx_rate_to_reporting') }})
            as decimal(18, 2)) as actual_labour_cost_amount_rc,
        cast(sum(machine_hours) as decimal(18, 3)) as machine_hours,
        cast(sum(labour_hours) as decimal(18, 3)) as labour_hours,
        max(source_batch_date) as source_batch_date
    from cost_postings_converted
    group by production_order_id
),

scrap_summed as (
    select
        scrap_in_scope.production_order_id,
        cast(sum(
            {{ to_reporting_currency(
                'scrap_in_scope.scrap_cost_amount',
                fx_rate_to_reporting('scrap_in_scope.currency_code', 'fx_rates.fx_rate_to_reporting')
            ) }}
        ) as decimal(18, 2)) as recorded_scrap_cost_amount_rc,
        max(cast(scrap_in_scope.source_batch as date)) as source_batch_date
    from scrap_in_scope
    left join fx_rates
        on {{ business_date('scrap_in_scope.recorded_at') }} = fx_rates.rate_date
        and scrap_in_scope.currency_code = fx_rates.currency_code
    group by scrap_in_scope.production_order_id
),

inspections_summed as (
    select
        production_order_id,
        count(*) as inspection_count,
        cast(sum(case when inspection_result = 'FAIL' then 1 else 0 end) as bigint)
            as failed_inspection_count,
        cast(sum(sample_size) as bigint) as inspected_quantity,
        cast(sum(defect_count) as bigint) as defect_count,
        max(cast(source_batch as date)) as source_batch_date
    from quality_inspections_in_scope
    group by production_order_id
),

standard_costs_looked_up as (
    select
        production_orders_dated.production_order_id,
        standard_cost_versions.material_cost_amount as standard_material_unit_cost,
        standard_cost_versions.labour_cost_amount as standard_labour_unit_cost,
        standard_cost_versions.overhead_cost_amount as standard_machine_unit_cost,
        coalesce(
            standard_cost_versions.standard_cost_amount, products.standard_cost_amount
        ) as standard_unit_cost,
        coalesce(standard_cost_versions.currency_code, products.currency_code)
            as standard_cost_currency_code
    from production_orders_dated
    left join standard_cost_versions
        on production_orders_dated.product_number = standard_cost_versions.product_number
        and production_orders_dated.planned_start_date
        between standard_cost_versions.valid_from_date and standard_cost_versions.valid_to_date
    left join products
        on production_orders_dated.product_number = products.product_number
),

standard_rates_looked_up as (
    select
        production_orders_dated.production_order_id,
        production_orders_dated.planned_quantity,
        production_orders_dated.produced_quantity,
        standard_costs_looked_up.standard_material_unit_cost,
        standard_costs_looked_up.standard_machine_unit_cost,
        standard_costs_looked_up.standard_labour_unit_cost,
        standard_costs_looked_up.standard_unit_cost,
        standard_costs_looked_up.standard_cost_currency_code,
        {{ fx_rate_to_reporting(
            'standard_costs_looked_up.standard_cost_currency_code',
            'planned_rates.fx_rate_to_reporting'
        ) }} as planned_fx_rate_to_reporting,
        {{ fx_rate_to_reporting(
            'standard_costs_looked_up.standard_cost_currency_code',
            'output_rates.fx_rate_to_reporting'
        ) }} as output_fx_rate_to_reporting
    from production_orders_dated
    inner join standard_costs_looked_up
        on production_orders_dated.production_order_id = standard_costs_looked_up.production_order_id
    left join fx_rates as planned_rates
        on production_orders_dated.planned_start_date = planned_rates.rate_date
        and standard_costs_looked_up.standard_cost_currency_code = planned_rates.currency_code
    left join fx_rates as output_rates
        on coalesce(
            production_orders_dated.actual_finish_date, production_orders_dated.planned_start_date
        ) = output_rates.rate_date
        and standard_costs_looked_up.standard_cost_currency_code = output_rates.currency_code
),

standard_costs_converted as (
    select
        production_order_id,
        standard_unit_cost,
        standard_cost_currency_code,
        {{ to_reporting_currency(
            'planned_quantity * standard_material_unit_cost', 'planned_fx_rate_to_reporting'
        ) }} as planned_material_cost_amount_rc,
        {{ to_reporting_currency(
            'planned_quantity * standard_machine_unit_cost', 'planned_fx_rate_to_reporting'
        ) }} as planned_machine_cost_amount_rc,
        {{ to_reporting_currency(
            'planned_quantity * standard_labour_unit_cost', 'planned_fx_rate_to_reporting'
        ) }} as planned_labour_cost_amount_rc,
        {{ to_reporting_currency(
            'planned_quantity * standard_unit_cost', 'planned_fx_rate_to_reporting'
        ) }} as planned_cost_amount_rc,
        {{ to_reporting_currency(
            'produced_quantity * standard_unit_cost', 'output_fx_rate_to_reporting'
        ) }} as standard_cost_of_output_amount_rc
    from standard_rates_looked_up
),

final as (
    select
        -- keys
        production_orders_dated.production_order_id,
        production_orders_dated.product_number,
        production_orders_dated.plant_code,
        production_orders_dated.order_number,
        production_orders_dated.order_line_number,

        -- strings
        production_orders_dated.production_order_type,
        production_orders_dated.production_order_status,

        -- numerics
        production_orders_dated.planned_quantity,
        production_orders_dated.produced_quantity,
        production_orders_dated.scrap_quantity,
        coalesce(actual_costs_summed.machine_hours, 0) as machine_hours,
        coalesce(actual_costs_summed.labour_hours, 0) as labour_hours,
        standard_costs_converted.standard_unit_cost,
        standard_costs_converted.standard_cost_currency_code,
        standard_costs_converted.planned_material_cost_amount_rc,
        standard_costs_converted.planned_machine_cost_amount_rc,
        standard_costs_converted.planned_labour_cost_amount_rc,
        standard_costs_converted.planned_cost_amount_rc,
        standard_costs_converted.standard_cost_of_output_amount_rc,
        coalesce(actual_costs_summed.actual_material_cost_amount_rc, 0)
            as actual_material_cost_amount_rc,
        coalesce(actual_costs_summed.actual_machine_cost_amount_rc, 0)
            as actual_machine_cost_amount_rc,
        coalesce(actual_costs_summed.actual_labour_cost_amount_rc, 0)
            as actual_labour_cost_amount_rc,
        cast(
            coalesce(actual_costs_summed.actual_material_cost_amount_rc, 0)
            + coalesce(actual_costs_summed.actual_machine_cost_amount_rc, 0)
            + coalesce(actual_costs_summed.actual_labour_cost_amount_rc, 0)
            as decimal(18, 2)
        ) as actual_cost_amount_rc,
        coalesce(scrap_summed.recorded_scrap_cost_amount_rc, 0) as recorded_scrap_cost_amount_rc,
        coalesce(inspections_summed.inspection_count, 0) as inspection_count,
        coalesce(inspections_summed.failed_inspection_count, 0) as failed_inspection_count,
        coalesce(inspections_summed.inspected_quantity, 0) as inspected_quantity,
        coalesce(inspections_summed.defect_count, 0) as defect_count,

        -- booleans
        coalesce(production_orders_dated.production_order_type = 'MTO', false) as is_make_to_order,
        coalesce(production_orders_dated.production_order_status = 'COMPLETED', false)
            as is_completed,
        production_orders_dated.product_number is not null as has_work_order_record,

        -- dates
        production_orders_dated.planned_start_date,
        production_orders_dated.actual_start_date,
        production_orders_dated.actual_finish_date,
        greatest(
            coalesce(cast(production_orders_dated.source_batch as date), cast('1900-01-01' as date)),
            coalesce(actual_costs_summed.source_batch_date, cast('1900-01-01' as date)),
            coalesce(scrap_summed.source_batch_date, cast('1900-01-01' as date)),
            coalesce(inspections_summed.source_batch_date, cast('1900-01-01' as date))
        ) as source_batch_date,

        -- timestamps
        production_orders_dated.actual_start_at,
        production_orders_dated.actual_finish_at
    from production_orders_dated
    left join actual_costs_summed
        on production_orders_dated.production_order_id = actual_costs_summed.production_order_id
    left join scrap_summed
        on production_orders_dated.production_order_id = scrap_summed.production_order_id
    left join inspections_summed
        on production_orders_dated.production_order_id = inspections_summed.production_order_id
    left join standard_costs_converted
        on production_orders_dated.production_order_id = standard_costs_converted.production_order_id
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
