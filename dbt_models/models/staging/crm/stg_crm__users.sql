with

source as not materialized (
    select * from {{ source('crm', 'crm__users') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        id as crm_user_id,
        managerid as crm_manager_id,

        -- strings
        name as user_name,
        email as email,  -- alias: DuckDB would keep the header's case (Email)
        team__c as team_name,

        -- booleans
        isactive as is_active,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
