{#
    ERP rates are quoted into the company currency CNY (USD->CNY, EUR->CNY). Any
    currency converts to the reporting currency through CNY:
        rate(x -> reporting) = rate(x -> CNY) / rate(reporting -> CNY),
    with rate(CNY -> CNY) = 1. A day without a rate for x or for the reporting
    currency gets no row: facts then find no rate and fail their not_null tests.
#}

with

fx_rates as not materialized (
    select * from {{ ref('stg_erp__fx_rates') }}
),

rates_to_cny as (
    select
        from_currency_code as currency_code,
        fx_rate as rate_to_cny,
        rate_date
    from fx_rates
    where to_currency_code = 'CNY'

    union all

    select distinct
        'CNY' as currency_code,
        cast(1 as decimal(18, 6)) as rate_to_cny,
        rate_date
    from fx_rates
),

reporting_currency_rates as (
    select
        rate_to_cny as reporting_rate_to_cny,
        rate_date
    from rates_to_cny
    where currency_code = {{ reporting_currency() }}
),

rates_rebased_to_reporting as (
    select
        rates_to_cny.currency_code,
        {{ reporting_currency() }} as reporting_currency_code,
        cast(
            rates_to_cny.rate_to_cny / reporting_currency_rates.reporting_rate_to_cny
            as decimal(18, 10)
        ) as fx_rate_to_reporting,
        rates_to_cny.rate_date
    from rates_to_cny
    inner join reporting_currency_rates
        on rates_to_cny.rate_date = reporting_currency_rates.rate_date
),

final as (
    select * from rates_rebased_to_reporting
)

select * from final
