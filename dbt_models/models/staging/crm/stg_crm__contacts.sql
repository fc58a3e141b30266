with

source as not materialized (
    select * from {{ source('crm', 'crm__contacts') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        id as crm_contact_id,
        accountid as crm_account_id,

        -- strings
        firstname as first_name,
        lastname as last_name,
        title as job_title,
        email as email,  -- alias: DuckDB would keep the header's case (Email)
        phone as phone_number,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
