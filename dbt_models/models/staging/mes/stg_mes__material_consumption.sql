with

source as (
    select * from {{ source('mes', 'mes__material_consumption') }}
),

latest_versions as (
    -- postings are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['consumption_id']) }}
),

renamed as (
    select
        -- ids
        consumption_id as material_consumption_id,
        production_order_id,
        component_number,

        -- strings
        currency as currency_code,

        -- numerics
        quantity as consumed_quantity,
        cost_amount,

        -- timestamps
        posted_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
