with

source as (
    select * from {{ source('erp', 'erp__fx_rates') }}
),

versions_ranked as (
    -- fx_rates has no change date: a rate re-sent in a later batch replaces the earlier one
    select
        *,
        row_number() over (
            partition by rate_date, from_currency, to_currency
            order by _batch desc
        ) as version_rank
    from source
),

renamed as (
    select
        -- strings
        from_currency as from_currency_code,
        to_currency as to_currency_code,

        -- numerics
        rate as fx_rate,

        -- dates
        rate_date,

        -- load metadata
        _batch as source_batch
    from versions_ranked
    where version_rank = 1
)

select * from renamed
