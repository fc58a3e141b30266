{#
    Service: one row per CRM case (complaint or service request) with its time to
    close, its cost-to-serve and where that cost went (docs/model.md, rule 3), linked
    to the customer, the product and, where the case names them, the ERP order line of
    that product and the work order that made it.
#}

with

cases as not materialized (
    select * from {{ ref('int_cases_costed') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_converted') }}
),

production_orders as (
    select * from {{ ref('stg_mes__production_orders') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

products as (
    select * from {{ ref('dim_products') }}
),

sales_reps as (
    select * from {{ ref('dim_sales_reps') }}
),

order_lines_of_product as (
    -- the line of the named order that carries the named product (the first, should
    -- the order have several)
    select
        cases.crm_case_id,
        min(order_lines.line_number) as line_number
    from cases
    inner join order_lines
        on cases.order_number = order_lines.order_number
        and cases.product_number = order_lines.product_number
    group by cases.crm_case_id
),

work_orders_of_line as (
    select
        order_number,
        order_line_number,
        min(production_order_id) as production_order_id
    from production_orders
    where production_order_type = 'MTO'
    group by order_number, order_line_number
),

cases_final as (
    select
        -- keys
        {{ generate_surrogate_key(['cases.crm_case_id']) }} as case_key,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(products.product_key, {{ unknown_member_key() }}) as product_key,
        coalesce(sales_reps.sales_rep_key, {{ unknown_member_key() }}) as sales_rep_key,
        case
            when order_lines_of_product.line_number is not null
                then {{ generate_surrogate_key(['cases.order_number', 'order_lines_of_product.line_number']) }}
        end as order_line_key,
        case
            when work_orders_of_line.production_order_id is not null
                then {{ generate_surrogate_key(['work_orders_of_line.production_order_id']) }}
        end as production_order_key,
        cases.crm_case_id,
        cases.case_number,
        cases.crm_account_id,
        cases.customer_id,
        cases.order_number,
        order_lines_of_product.line_number,
        cases.product_number,
        work_orders_of_line.production_order_id,

        -- strings
        cases.case_type,
        cases.case_reason,
        cases.case_priority,
        cases.case_status,
        cases.allocation_basis as cost_allocation_basis,
        {{ reporting_currency() }} as reporting_currency_code,

        -- numerics
        cases.open_hours,
        cases.hours_to_close,
        cases.case_cost_amount_rc,
        case
            when cases.allocation_basis = 'unallocated' then cast(0 as decimal(18, 2))
            else cases.case_cost_amount_rc
        end as allocated_cost_amount_rc,
        case
            when cases.allocation_basis = 'unallocated' then cases.case_cost_amount_rc
            else cast(0 as decimal(18, 2))
        end as unallocated_cost_amount_rc,

        -- booleans
        cases.is_closed,
        cases.case_type = 'Complaint' as is_complaint,
        cases.is_order_in_erp,
        cases.allocation_basis <> 'unallocated' as is_cost_allocated,

        -- dates
        cases.created_date,
        cases.closed_date,
        cases.source_batch_date,

        -- timestamps
        cases.created_at,
        cases.closed_at
    from cases
    left join order_lines_of_product
        on cases.crm_case_id = order_lines_of_product.crm_case_id
    left join work_orders_of_line
        on cases.order_number = work_orders_of_line.order_number
        and order_lines_of_product.line_number = work_orders_of_line.order_line_number
    left join customers
        on {{ customer_version_valid_on('cases.customer_id', 'cases.created_date') }}
    left join products
        on cases.product_number = products.product_number
    left join sales_reps
        on customers.account_owner_id = sales_reps.crm_user_id
),

final as (
    select * from cases_final
)

select * from final
