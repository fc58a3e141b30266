with

carriers as (
    select * from {{ ref('stg_tms__carriers') }}
),

carriers_keyed as (
    select
        {{ generate_surrogate_key(['carrier_id']) }} as carrier_key,
        carrier_id,
        carrier_name,
        transport_mode,
        country_code,
        false as is_unknown_member
    from carriers
),

unknown_member as (
    select
        {{ unknown_member_key() }} as carrier_key,
        cast(null as {{ dbt.type_string() }}) as carrier_id,
        'Unknown carrier' as carrier_name,
        cast(null as {{ dbt.type_string() }}) as transport_mode,
        cast(null as {{ dbt.type_string() }}) as country_code,
        true as is_unknown_member
),

final as (
    select * from carriers_keyed
    union all
    select * from unknown_member
)

select * from final
