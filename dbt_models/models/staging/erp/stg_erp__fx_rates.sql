{{
    config(
        materialized='incremental',
        unique_key=['rate_date', 'from_currency_code', 'to_currency_code'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__fx_rates'), ['rate_date', 'from_currency', 'to_currency']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
