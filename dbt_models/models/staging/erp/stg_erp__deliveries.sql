with

source as (
    select * from {{ source('erp', 'erp__deliveries') }}
),

latest_versions as (
    {{ select_latest_version('source', ['delivery_number', 'delivery_item'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        delivery_number,
        delivery_item,
        order_number,
        order_line_number,
        product_number,

        -- strings
        plant as plant_code,

        -- numerics
        delivered_quantity,

        -- dates
        goods_issue_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
