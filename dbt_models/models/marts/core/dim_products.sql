with

products as (
    select * from {{ ref('stg_erp__products') }}
),

products_keyed as (
    select
        {{ generate_surrogate_key(['product_number']) }} as product_key,
        product_number,
        product_name,
        category_name,
        product_line_name,
        base_unit,
        net_weight_kg,
        list_price_amount,
        standard_cost_amount,
        currency_code,
        false as is_unknown_member
    from products
),

unknown_member as (
    select
        {{ unknown_member_key() }} as product_key,
        cast(null as {{ dbt.type_string() }}) as product_number,
        'Unknown product' as product_name,
        'Unknown' as category_name,
        'Unknown' as product_line_name,
        cast(null as {{ dbt.type_string() }}) as base_unit,
        cast(null as decimal(12, 3)) as net_weight_kg,
        cast(null as decimal(18, 2)) as list_price_amount,
        cast(null as decimal(18, 2)) as standard_cost_amount,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        true as is_unknown_member
),

final as (
    select * from products_keyed
    union all
    select * from unknown_member
)

select * from final
