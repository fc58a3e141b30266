{{
    config(
        materialized='incremental',
        unique_key=['crm_account_id', 'source_batch'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    -- every night's snapshot is kept: a run adds the nights loaded since the last one
    {{ select_source_rows_to_refresh(source('crm', 'crm__accounts'), ['id', '_batch']) }}
),

renamed as (
    select
        -- ids
        id as crm_account_id,
        nullif(trim(erp_customer_number__c), '') as erp_customer_number,
        ownerid as crm_owner_id,

        -- strings
        name as account_name,
        industry as industry,
        region__c as region,
        nullif(trim(tax_id__c), '') as tax_id,
        billingcity as billing_city,
        billingcountry as billing_country_code,

        -- dates
        cast(_batch as date) as batch_date,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from source
)

select * from renamed
