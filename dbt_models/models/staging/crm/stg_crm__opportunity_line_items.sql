{{
    config(
        materialized='incremental',
        unique_key=['crm_opportunity_line_item_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('crm', 'crm__opportunity_line_items'), ['id']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
