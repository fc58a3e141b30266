with

source as (
    select * from {{ source('tms', 'tms__freight_charges') }}
),

latest_versions as (
    -- charges are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['charge_id']) }}
),

renamed as (
    select
        -- ids
        charge_id as freight_charge_id,
        shipment_id,

        -- strings
        charge_type,
        currency as currency_code,

        -- numerics
        amount as charge_amount,

        -- timestamps
        billed_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
