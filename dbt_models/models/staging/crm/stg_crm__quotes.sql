{{
    config(
        materialized='incremental',
        unique_key=['crm_quote_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('crm', 'crm__quotes'), ['id']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['id'], ['lastmodifieddate']) }}
),

renamed as (
    select
        -- ids
        id as crm_quote_id,
        opportunityid as crm_opportunity_id,
        quotenumber as quote_number,

        -- strings
        status as quote_status,
        currencyisocode as currency_code,

        -- numerics
        grandtotal as grand_total_amount,

        -- dates
        expirationdate as expiration_date,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
