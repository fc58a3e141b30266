{#
    Places: one row per country and city named by a customer's address, a plant or a
    shipment's destination (cities as the systems write them, usually Chinese).
#}

with

customers as (
    select * from {{ ref('dim_customers') }}
),

plants as (
    select * from {{ ref('dim_plants') }}
),

shipments as (
    select * from {{ ref('stg_tms__shipments') }}
),

places_unioned as (
    select country_code, city from customers where country_code is not null
    union
    select country_code, city from plants where country_code is not null
    union
    select destination_country_code as country_code, destination_city as city
    from shipments
    where destination_country_code is not null
),

places_keyed as (
    select
        {{ generate_surrogate_key(['country_code', 'city']) }} as geography_key,
        country_code,
        city,
        case country_code
            when 'CN' then 'China'
            when 'HK' then 'Hong Kong'
            when 'TW' then 'Taiwan'
            when 'SG' then 'Singapore'
            when 'JP' then 'Japan'
            when 'KR' then 'South Korea'
            when 'VN' then 'Vietnam'
            when 'TH' then 'Thailand'
            when 'MY' then 'Malaysia'
            when 'IN' then 'India'
            when 'DE' then 'Germany'
            when 'FR' then 'France'
            when 'IT' then 'Italy'
            when 'NL' then 'Netherlands'
            when 'GB' then 'United Kingdom'
            when 'US' then 'United States'
            when 'MX' then 'Mexico'
            when 'BR' then 'Brazil'
            else country_code
        end as country_name,
        country_code = 'CN' as is_domestic,
        false as is_unknown_member
    from places_unioned
),

unknown_member as (
    select
        {{ unknown_member_key() }} as geography_key,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as city,
        'Unknown' as country_name,
        false as is_domestic,
        true as is_unknown_member
),

final as (
    select * from places_keyed
    union all
    select * from unknown_member
)

select * from final
