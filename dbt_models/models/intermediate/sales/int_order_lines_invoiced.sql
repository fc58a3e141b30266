{{
    config(
        materialized='incremental',
        unique_key='order_line_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}

{#
    What was invoiced and paid for each ERP order line. Grain: one order line with at
    least one line on a posted invoice.

    Invoiced net amounts are the invoice lines' own, converted at the rate of the
    invoice date. An invoice's gross amount (net + VAT), what was paid against it
    (each payment converted at the rate of its payment date) and so its open balance
    are split over its lines by net amount, rounded to the cent with the remainder on
    the largest line, so the lines add up to fct_invoices exactly.

    Incremental: a run recomputes the lines of the invoices that (or whose lines or
    payments) arrived in the look-back window or got a new FX rate on their invoice or
    payment date, over all the invoices billing those lines.
#}

with

invoice_lines as not materialized (
    select * from {{ ref('stg_erp__invoice_lines') }}
),

invoices as not materialized (
    select * from {{ ref('stg_erp__invoices') }}
),

payments as not materialized (
    select * from {{ ref('stg_erp__payments') }}
),

fx_rates as not materialized (
    select * from {{ ref('int_fx_rates_rebased') }}
),

erp_fx_rates as (
    select * from {{ ref('stg_erp__fx_rates') }}
),
{% if cutoff %}
fx_dates_changed as (
    select distinct rate_date from erp_fx_rates
    where {{ batch_loaded_since(cutoff) }}
),

invoices_to_refresh as (
    select invoice_number from invoices
    where {{ batch_loaded_since(cutoff) }}
        or invoice_date in (select rate_date from fx_dates_changed)
    union
    select invoice_number from invoice_lines
    where {{ batch_loaded_since(cutoff) }}
    union
    select invoice_number from payments
    where {{ batch_loaded_since(cutoff) }}
        or payment_date in (select rate_date from fx_dates_changed)
),

lines_to_refresh as (
    select distinct
        invoice_lines.order_number as refresh_order_number,
        invoice_lines.order_line_number as refresh_line_number
    from invoice_lines
    inner join invoices_to_refresh
        on invoice_lines.invoice_number = invoices_to_refresh.invoice_number
),

invoices_in_scope as (
    -- every invoice billing a line to refresh
    select distinct invoice_lines.invoice_number
    from invoice_lines
    inner join lines_to_refresh
        on invoice_lines.order_number = lines_to_refresh.refresh_order_number
        and invoice_lines.order_line_number = lines_to_refresh.refresh_line_number
),
{% endif %}
payments_summed as (
    select
        payments.invoice_number,
        count(*) as payment_count,
        sum(payments.payment_amount) as paid_amount,
        sum({{ to_reporting_currency(
            'payments.payment_amount',
            fx_rate_to_reporting('payments.currency_code', 'fx_rates.fx_rate_to_reporting')
        ) }}) as paid_amount_rc,
        max(payments.payment_date) as last_payment_date,
        max(cast(payments.source_batch as date)) as source_batch_date
    from payments
    left join fx_rates
        on payments.payment_date = fx_rates.rate_date
        and payments.currency_code = fx_rates.currency_code
    {%- if cutoff %}
    where payments.invoice_number in (select invoice_number from invoices_in_scope)
    {%- endif %}
    group by payments.invoice_number
),

invoice_items as (
    select
        invoice_lines.invoice_number,
        invoice_lines.invoice_line_number,
        invoice_lines.order_number,
        invoice_lines.order_line_number as line_number,
        invoice_lines.quantity,
        invoice_lines.net_amount,
        {{ to_reporting_currency(
            'invoice_lines.net_amount',
            fx_rate_to_reporting('invoices.currency_code', 'fx_rates.fx_rate_to_reporting')
        ) }} as net_amount_rc,
        invoices.gross_amount as invoice_gross_amount,
        coalesce(payments_summed.paid_amount, 0) as invoice_paid_amount,
        coalesce(payments_summed.paid_amount_rc, 0) as invoice_paid_amount_rc,
        coalesce(payments_summed.payment_count, 0) as invoice_payment_count,
        coalesce(payments_summed.paid_amount, 0) >= invoices.gross_amount as is_invoice_paid,
        payments_summed.last_payment_date,
        invoices.invoice_date,
        greatest(
            cast(invoice_lines.source_batch as date),
            cast(invoices.source_batch as date),
            coalesce(payments_summed.source_batch_date, cast('1900-01-01' as date))
        ) as source_batch_date
    from invoice_lines
    inner join invoices
        on invoice_lines.invoice_number = invoices.invoice_number
    left join payments_summed
        on invoice_lines.invoice_number = payments_summed.invoice_number
    left join fx_rates
        on invoices.invoice_date = fx_rates.rate_date
        and invoices.currency_code = fx_rates.currency_code
    where invoices.invoice_status = 'POSTED'
    {%- if cutoff %}
        and invoices.invoice_number in (select invoice_number from invoices_in_scope)
    {%- endif %}
),

{{ allocate_by_weight(
    name='invoice_amounts_split',
    relation='invoice_items',
    partition_by=['invoice_number'],
    amounts={
        'gross_amount': 'invoice_gross_amount',
        'paid_amount': 'invoice_paid_amount',
        'paid_amount_rc': 'invoice_paid_amount_rc',
    },
    weight='net_amount',
    tie_breaker=['invoice_line_number'],
) }},

lines_summed as (
    select
        -- keys
        {{ generate_surrogate_key(['order_number', 'line_number']) }} as order_line_key,
        order_number,
        line_number,
        min(invoice_number) as invoice_number,

        -- numerics
        count(distinct invoice_number) as invoice_count,
        cast(sum(quantity) as decimal(18, 3)) as invoiced_quantity,
        cast(sum(net_amount) as decimal(18, 2)) as invoiced_net_amount,
        cast(sum(gross_amount) as decimal(18, 2)) as invoiced_gross_amount,
        cast(sum(paid_amount) as decimal(18, 2)) as paid_amount,
        cast(sum(gross_amount - paid_amount) as decimal(18, 2)) as open_receivable_amount,
        cast(sum(net_amount_rc) as decimal(18, 2)) as invoiced_net_amount_rc,
        cast(sum(paid_amount_rc) as decimal(18, 2)) as paid_amount_rc,

        -- booleans
        min(case when is_invoice_paid then 1 else 0 end) = 1 as is_fully_paid,

        -- dates
        min(invoice_date) as invoiced_date,
        case
            when min(case when is_invoice_paid then 1 else 0 end) = 1 then max(last_payment_date)
        end as paid_date,
        max(source_batch_date) as source_batch_date
    from invoice_amounts_split
    {%- if cutoff %}
    inner join lines_to_refresh
        on invoice_amounts_split.order_number = lines_to_refresh.refresh_order_number
        and invoice_amounts_split.line_number = lines_to_refresh.refresh_line_number
    {%- endif %}
    group by order_number, line_number
),
{% if cutoff %}
lines_no_longer_invoiced as (
    -- a line whose only invoice was cancelled: stored amounts are reset to nothing
    select
        {{ generate_surrogate_key([
            'lines_to_refresh.refresh_order_number', 'lines_to_refresh.refresh_line_number'
        ]) }} as order_line_key,
        lines_to_refresh.refresh_order_number as order_number,
        lines_to_refresh.refresh_line_number as line_number,
        cast(null as {{ dbt.type_string() }}) as invoice_number,
        cast(0 as bigint) as invoice_count,
        cast(0 as decimal(18, 3)) as invoiced_quantity,
        cast(0 as decimal(18, 2)) as invoiced_net_amount,
        cast(0 as decimal(18, 2)) as invoiced_gross_amount,
        cast(0 as decimal(18, 2)) as paid_amount,
        cast(0 as decimal(18, 2)) as open_receivable_amount,
        cast(0 as decimal(18, 2)) as invoiced_net_amount_rc,
        cast(0 as decimal(18, 2)) as paid_amount_rc,
        false as is_fully_paid,
        cast(null as date) as invoiced_date,
        cast(null as date) as paid_date,
        cast('{{ cutoff }}' as date) as source_batch_date
    from lines_to_refresh
    left join lines_summed
        on lines_to_refresh.refresh_order_number = lines_summed.order_number
        and lines_to_refresh.refresh_line_number = lines_summed.line_number
    where lines_summed.order_number is null
),
{% endif %}
final as (
    select * from lines_summed
    {%- if cutoff %}
    union all
    select * from lines_no_longer_invoiced
    {%- endif %}
)

-- when the row was last recomputed: the facts downstream refresh what changed
select *, {{ refresh_stamp() }} as refreshed_at from final
