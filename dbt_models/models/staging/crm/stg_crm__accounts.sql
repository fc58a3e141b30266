with

source as not materialized (
    select * from {{ source('crm', 'crm__accounts') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        id as crm_account_id,
        nullif(trim(erp_customer_number__c), '') as erp_customer_number,
        ownerid as crm_owner_id,

        -- strings
        name as account_name,
        industry as industry,  -- alias: DuckDB would keep the header's case (Industry)
        region__c as region,
        nullif(trim(tax_id__c), '') as tax_id,
        billingcity as billing_city,
        billingcountry as billing_country_code,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
