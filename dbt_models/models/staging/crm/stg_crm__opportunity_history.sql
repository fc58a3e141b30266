{{
    config(
        materialized='incremental',
        unique_key=['crm_opportunity_history_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('crm', 'crm__opportunity_history'), ['id']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
