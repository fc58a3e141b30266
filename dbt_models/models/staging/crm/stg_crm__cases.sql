{{
    config(
        materialized='incremental',
        unique_key=['crm_case_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('crm', 'crm__cases'), ['id']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['id'], ['lastmodifieddate']) }}
),

renamed as (
    select
        -- ids
        id as crm_case_id,
        casenumber as case_number,
        accountid as crm_account_id,
        nullif(trim(productcode), '') as product_number,
        nullif(trim(erp_order_number__c), '') as order_number,

        -- strings
        type as case_type,
        reason as case_reason,
        priority as case_priority,
        status as case_status,

        -- timestamps
        closeddate as closed_at,
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
