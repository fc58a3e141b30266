{{
    config(
        materialized='incremental',
        unique_key=['invoice_number'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__invoices'), ['invoice_number']) }}
),

latest_versions as (
    {{ select_latest_version('source', ['invoice_number'], ['changed_on']) }}
),

renamed as (
    select
        -- ids
        invoice_number,
        customer_number as erp_customer_number,

        -- strings
        currency as currency_code,
        invoice_status,

        -- numerics
        net_amount,
        tax_amount,
        gross_amount,

        -- dates
        invoice_date,
        due_date,
        changed_on as changed_date,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
