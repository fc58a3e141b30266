with

plants as (
    select * from {{ ref('stg_erp__plants') }}
),

plants_keyed as (
    select
        {{ generate_surrogate_key(['plant_code']) }} as plant_key,
        {{ dimension_key(['country_code', 'city'], 'country_code') }} as geography_key,
        plant_code,
        plant_name,
        city,
        country_code,
        company_code,
        false as is_unknown_member
    from plants
),

unknown_member as (
    select
        {{ unknown_member_key() }} as plant_key,
        {{ unknown_member_key() }} as geography_key,
        cast(null as {{ dbt.type_string() }}) as plant_code,
        'Unknown plant' as plant_name,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as company_code,
        true as is_unknown_member
),

final as (
    select * from plants_keyed
    union all
    select * from unknown_member
)

select * from final
