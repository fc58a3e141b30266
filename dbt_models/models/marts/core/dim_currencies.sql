with

fx_rates as not materialized (
    select * from {{ ref('stg_erp__fx_rates') }}
),

currency_codes as (
    select from_currency_code as currency_code from fx_rates
    union
    select to_currency_code as currency_code from fx_rates
    union
    select 'CNY' as currency_code
    union
    select {{ reporting_currency() }} as currency_code
),

currencies_keyed as (
    select
        {{ generate_surrogate_key(['currency_code']) }} as currency_key,
        currency_code,
        case currency_code
            when 'CNY' then 'Chinese yuan renminbi'
            when 'USD' then 'US dollar'
            when 'EUR' then 'Euro'
            when 'HKD' then 'Hong Kong dollar'
            when 'JPY' then 'Japanese yen'
            when 'GBP' then 'Pound sterling'
            else currency_code
        end as currency_name,
        currency_code = 'CNY' as is_company_currency,
        currency_code = {{ reporting_currency() }} as is_reporting_currency,
        false as is_unknown_member
    from currency_codes
),

unknown_member as (
    select
        {{ unknown_member_key() }} as currency_key,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        'Unknown currency' as currency_name,
        false as is_company_currency,
        false as is_reporting_currency,
        true as is_unknown_member
),

final as (
    select * from currencies_keyed
    union all
    select * from unknown_member
)

select * from final
