with

source as (
    select * from {{ source('erp', 'erp__invoice_lines') }}
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
        _batch as source_batch
    from latest_versions
)

select * from renamed
