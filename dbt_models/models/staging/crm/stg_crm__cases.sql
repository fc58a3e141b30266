with

source as (
    select * from {{ source('crm', 'crm__cases') }}
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
        _batch as source_batch
    from latest_versions
)

select * from renamed
