with

source as (
    select * from {{ source('mes', 'mes__production_orders') }}
),

latest_versions as (
    {{ select_latest_version('source', ['production_order_id'], ['updated_at']) }}
),

renamed as (
    select
        -- ids
        production_order_id,
        product_number,
        plant as plant_code,
        sales_order_number as order_number,
        sales_order_line as order_line_number,

        -- strings
        order_type as production_order_type,
        status as production_order_status,

        -- numerics
        planned_quantity,
        produced_quantity,
        scrap_quantity,

        -- dates
        planned_start_date,

        -- timestamps
        actual_start_at,
        actual_finish_at,
        updated_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
