with

source as (
    select * from {{ source('crm', 'crm__accounts') }}
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
        _batch as source_batch
    from source
)

select * from renamed
