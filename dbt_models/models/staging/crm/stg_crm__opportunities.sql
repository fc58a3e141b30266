{{
    config(
        materialized='incremental',
        unique_key=['crm_opportunity_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('crm', 'crm__opportunities'), ['id']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['id'], ['lastmodifieddate']) }}
),

renamed as (
    select
        -- ids
        id as crm_opportunity_id,
        accountid as crm_account_id,
        ownerid as crm_owner_id,

        -- strings
        name as opportunity_name,
        stagename as stage_name,
        forecastcategoryname as forecast_category_name,
        currencyisocode as currency_code,

        -- numerics
        amount as opportunity_amount,
        probability as probability_pct,

        -- booleans
        isclosed as is_closed,
        iswon as is_won,

        -- dates
        closedate as close_date,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
