with

source as (
    select * from {{ source('crm', 'crm__opportunity_line_items') }}
),

latest_versions as (
    {{ select_latest_version('source', ['id'], ['lastmodifieddate']) }}
),

renamed as (
    select
        -- ids
        id as crm_opportunity_line_item_id,
        opportunityid as crm_opportunity_id,
        productcode as product_number,

        -- numerics
        quantity as quantity,  -- alias: DuckDB would keep the header's case (Quantity)
        unitprice as unit_price_amount,
        totalprice as total_price_amount,

        -- timestamps
        createddate as created_at,
        lastmodifieddate as last_modified_at,

        -- load metadata
        _batch as source_batch
    from latest_versions
)

select * from renamed
