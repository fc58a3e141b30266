{{
    config(
        materialized='incremental',
        unique_key=['payment_number'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__payments'), ['payment_number']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['payment_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        payment_number,
        customer_number as erp_customer_number,
        invoice_number,

        -- strings
        currency as currency_code,

        -- numerics
        amount as payment_amount,

        -- dates
        payment_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
