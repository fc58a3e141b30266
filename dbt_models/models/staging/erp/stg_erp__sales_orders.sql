with

source as (
    select * from {{ source('erp', 'erp__sales_orders') }}
),

latest_versions as (
    {{ select_latest_version('source', ['order_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        order_number,
        customer_number as erp_customer_number,
        crm_opportunity_id,

        -- strings
        sales_org,
        currency as currency_code,
        order_status,

        -- dates
        order_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
