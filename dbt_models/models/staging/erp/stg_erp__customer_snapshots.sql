{{
    config(
        materialized='incremental',
        unique_key=['erp_customer_number', 'source_batch'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    -- every night's snapshot is kept: a run adds the nights loaded since the last one
    {{ select_source_rows_to_refresh(source('erp', 'erp__customers'), ['customer_number', '_batch']) }}
),

renamed as (
    select
        -- ids
        customer_number as erp_customer_number,

        -- strings
        customer_name,
        tax_id,
        city,
        country as country_code,
        sales_org,
        payment_terms,
        currency as currency_code,

        -- numerics
        credit_limit as credit_limit_amount,

        -- dates
        cast(_batch as date) as batch_date,
        created_on as created_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from source
)

select * from renamed
