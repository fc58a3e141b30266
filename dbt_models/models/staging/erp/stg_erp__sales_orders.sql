with

source as (
    select * from {{ source('erp', 'erp__sales_orders') }}
),

versions_ranked as (
    select
        *,
        row_number() over (
            partition by order_number
            order by changed_on desc, _batch desc
        ) as version_rank
    from source
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
    from versions_ranked
    where version_rank = 1
)

select * from renamed
