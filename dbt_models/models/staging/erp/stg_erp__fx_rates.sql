with

source as (
    select * from {{ source('erp', 'erp__fx_rates') }}
),

latest_versions as (
    -- fx_rates has no change date: a rate re-sent in a later batch replaces the earlier one
    {{ select_latest_version('source', ['rate_date', 'from_currency', 'to_currency']) }}
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
    from latest_versions
)

select * from renamed
