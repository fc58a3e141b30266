with

source as not materialized (
    select * from {{ source('erp', 'erp__plants') }}
),

latest_snapshot as (
    {{ select_latest_snapshot('source') }}
),

renamed as (
    select
        -- ids
        plant as plant_code,
        company_code,

        -- strings
        plant_name,
        city,
        country as country_code,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_snapshot
)

select * from renamed
