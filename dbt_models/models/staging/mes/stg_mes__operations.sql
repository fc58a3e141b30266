with

source as (
    select * from {{ source('mes', 'mes__operations') }}
),

latest_versions as (
    -- operations are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['production_order_id', 'operation_seq']) }}
),

renamed as (
    select
        -- ids
        production_order_id,
        operation_seq as operation_sequence,

        -- strings
        work_center,
        currency as currency_code,

        -- numerics
        machine_hours,
        labour_hours,
        machine_rate as machine_rate_amount,
        labour_rate as labour_rate_amount,

        -- timestamps
        finished_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
