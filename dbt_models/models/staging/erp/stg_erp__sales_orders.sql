{{
    config(
        materialized='incremental',
        unique_key=['order_number'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__sales_orders'), ['order_number']) }}
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
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
