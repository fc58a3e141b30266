{#
    The product master, conformed across the systems: the ERP material number is the
    product id everywhere (CRM line items and cases carry it as ProductCode, MES work
    orders and inspections as product_number). Hierarchy: category -> product line ->
    product (SKU). Flags tell where else a product occurs and how it is made.
#}

with

products as (
    select * from {{ ref('stg_erp__products') }}
),

bill_of_materials as (
    select * from {{ ref('stg_erp__bill_of_materials') }}
),

production_orders as (
    select * from {{ ref('stg_mes__production_orders') }}
),

opportunity_line_items as (
    select * from {{ ref('stg_crm__opportunity_line_items') }}
),

cases as (
    select * from {{ ref('stg_crm__cases') }}
),

components_counted as (
    select
        product_number,
        count(*) as bom_component_count
    from bill_of_materials
    group by product_number
),

production_types_found as (
    select
        product_number,
        max(case when production_order_type = 'MTO' then 1 else 0 end) as has_make_to_order,
        max(case when production_order_type = 'MTS' then 1 else 0 end) as has_make_to_stock
    from production_orders
    group by product_number
),

crm_products_found as (
    select distinct product_number from opportunity_line_items
    union
    select distinct product_number from cases where product_number is not null
),

products_keyed as (
    select
        {{ generate_surrogate_key(['products.product_number']) }} as product_key,
        products.product_number,
        products.product_name,
        products.product_line_name,
        products.category_name,
        {{ dbt.concat(["products.category_name", "' / '", "products.product_line_name"]) }}
            as product_line_path,
        products.base_unit,
        products.currency_code,
        case
            when production_types_found.has_make_to_order = 1 then 'make_to_order'
            when production_types_found.has_make_to_stock = 1 then 'make_to_stock'
        end as production_strategy,
        products.net_weight_kg,
        products.list_price_amount,
        products.standard_cost_amount,
        coalesce(components_counted.bom_component_count, 0) as bom_component_count,
        crm_products_found.product_number is not null as is_in_crm,
        production_types_found.product_number is not null as is_in_mes,
        false as is_unknown_member,
        products.created_date
    from products
    left join components_counted
        on products.product_number = components_counted.product_number
    left join production_types_found
        on products.product_number = production_types_found.product_number
    left join crm_products_found
        on products.product_number = crm_products_found.product_number
),

unknown_member as (
    select
        {{ unknown_member_key() }} as product_key,
        cast(null as {{ dbt.type_string() }}) as product_number,
        'Unknown product' as product_name,
        'Unknown' as product_line_name,
        'Unknown' as category_name,
        'Unknown / Unknown' as product_line_path,
        cast(null as {{ dbt.type_string() }}) as base_unit,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        cast(null as {{ dbt.type_string() }}) as production_strategy,
        cast(null as decimal(12, 3)) as net_weight_kg,
        cast(null as decimal(18, 2)) as list_price_amount,
        cast(null as decimal(18, 2)) as standard_cost_amount,
        cast(0 as bigint) as bom_component_count,
        false as is_in_crm,
        false as is_in_mes,
        true as is_unknown_member,
        cast(null as date) as created_date
),

final as (
    select * from products_keyed
    union all
    select * from unknown_member
)

select * from final
