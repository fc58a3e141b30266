with

source as (
    select * from {{ source('crm', 'crm__opportunity_history') }}
),

latest_versions as (
    -- history records are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['id']) }}
),

renamed as (
    select
        -- ids
        id as crm_opportunity_history_id,
        opportunityid as crm_opportunity_id,

        -- strings
        stagename as stage_name,

        -- numerics
        amount as opportunity_amount,
        probability as probability_pct,

        -- dates
        closedate as close_date,

        -- timestamps
        createddate as created_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
