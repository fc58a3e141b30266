{{
    config(
        materialized='incremental',
        unique_key=['invoice_number', 'invoice_line_number'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('erp', 'erp__invoice_lines'), ['invoice_number', 'invoice_line']) }}
),

latest_versions as (
    -- invoice lines carry no change date: a line sent again in a later batch replaces it
    {{ select_latest_version('source', ['invoice_number', 'invoice_line']) }}
),

renamed as (
    select
        -- ids
        invoice_number,
        invoice_line as invoice_line_number,
        order_number,
        order_line_number,
        delivery_number,
        product_number,

        -- strings
        currency as currency_code,

        -- numerics
        quantity,
        net_amount,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
