{{
    config(
        materialized='incremental',
        unique_key='invoice_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('stg_erp__fx_rates') }}

{#
    Receivables: one row per ERP invoice with what was paid against it, the open
    balance, days to pay and its aging as of the latest ERP export (as_of_date, kept on
    open invoices only: a settled invoice no longer ages).

    Incremental: the invoices recomputed are those changed or paid since the last build,
    the open ones (they age every night) and stored_rows_to_refresh().
#}

with

{% if cutoff %}
invoices_to_refresh as (
    {{ changed_since_last_build(ref('stg_erp__invoices'), 'invoice_number') }}
    union
    {{ changed_since_last_build(ref('stg_erp__payments'), 'invoice_number') }}
    union
    select invoice_number from {{ this }} where open_amount > 0
    union
    select invoice_number from {{ this }}
    where invoice_key in (
        {{ stored_rows_to_refresh(
            'invoice_key', 'invoice_date', cutoff,
            {'customer_key': 'customer_id', 'currency_key': 'currency_code'},
        ) | indent(8) }}
    )
),
{% endif %}
invoices as (
    select * from {{ ref('stg_erp__invoices') }}
    {%- if cutoff %}
    where invoice_number in (select invoice_number from invoices_to_refresh)
    {%- endif %}
),

payments as (
    select * from {{ ref('stg_erp__payments') }}
    {%- if cutoff %}
    where invoice_number in (select invoice_number from invoices_to_refresh)
    {%- endif %}
),

customers_matched as (
    select * from {{ ref('int_customers_matched') }}
),

fx_rates as not materialized (
    select * from {{ ref('int_fx_rates_rebased') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

currencies as (
    select * from {{ ref('dim_currencies') }}
),

latest_export as (
    -- over every invoice and payment, not only those recomputed
    select max(batch_date) as as_of_date
    from (
        select cast(source_batch as date) as batch_date from {{ ref('stg_erp__invoices') }}
        union all
        select cast(source_batch as date) as batch_date from {{ ref('stg_erp__payments') }}
    ) as batches
),

payments_converted as (
    select
        payments.invoice_number,
        payments.payment_date,
        payments.payment_amount,
        {{ to_reporting_currency(
            'payments.payment_amount',
            fx_rate_to_reporting('payments.currency_code', 'fx_rates.fx_rate_to_reporting')
        ) }} as payment_amount_rc,
        cast(payments.source_batch as date) as source_batch_date
    from payments
    left join fx_rates
        on payments.payment_date = fx_rates.rate_date
        and payments.currency_code = fx_rates.currency_code
),

payments_summed as (
    select
        invoice_number,
        count(*) as payment_count,
        sum(payment_amount) as paid_amount,
        sum(payment_amount_rc) as paid_amount_rc,
        max(payment_date) as last_payment_date,
        max(source_batch_date) as source_batch_date
    from payments_converted
    group by invoice_number
),

invoices_joined as (
    select
        invoices.*,
        customers_matched.customer_number as customer_id,
        {{ fx_rate_to_reporting('invoices.currency_code', 'fx_rates.fx_rate_to_reporting') }}
            as fx_rate_to_reporting,
        coalesce(payments_summed.payment_count, 0) as payment_count,
        coalesce(payments_summed.paid_amount, 0) as paid_amount,
        coalesce(payments_summed.paid_amount_rc, 0) as paid_amount_rc,
        payments_summed.last_payment_date,
        case
            when invoices.invoice_status = 'CANCELLED' then cast(0 as decimal(18, 2))
            else greatest(
                invoices.gross_amount - coalesce(payments_summed.paid_amount, 0),
                cast(0 as decimal(18, 2))
            )
        end as open_amount,
        latest_export.as_of_date,
        greatest(
            cast(invoices.source_batch as date),
            coalesce(payments_summed.source_batch_date, cast('1900-01-01' as date))
        ) as inputs_source_batch_date
    from invoices
    cross join latest_export
    left join customers_matched
        on customers_matched.source_system = 'erp'
        and invoices.erp_customer_number = customers_matched.source_id
    left join fx_rates
        on invoices.invoice_date = fx_rates.rate_date
        and invoices.currency_code = fx_rates.currency_code
    left join payments_summed
        on invoices.invoice_number = payments_summed.invoice_number
),

invoices_aged as (
    select
        *,
        open_amount = 0 and invoice_status <> 'CANCELLED' as is_paid,
        case
            when open_amount > 0 and as_of_date > due_date
                then {{ dbt.datediff('due_date', 'as_of_date', 'day') }}
            else 0
        end as days_overdue
    from invoices_joined
),

invoices_final as (
    select
        -- keys
        {{ generate_surrogate_key(['invoices_aged.invoice_number']) }} as invoice_key,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(currencies.currency_key, {{ unknown_member_key() }}) as currency_key,
        invoices_aged.invoice_number,
        invoices_aged.erp_customer_number,
        invoices_aged.customer_id,

        -- strings
        invoices_aged.currency_code,
        {{ reporting_currency() }} as reporting_currency_code,
        invoices_aged.invoice_status,
        case
            when invoices_aged.invoice_status = 'CANCELLED' then 'cancelled'
            when invoices_aged.is_paid then 'paid'
            when invoices_aged.days_overdue = 0 then 'not_due'
            when invoices_aged.days_overdue <= 30 then '1-30'
            when invoices_aged.days_overdue <= 60 then '31-60'
            when invoices_aged.days_overdue <= 90 then '61-90'
            else '90+'
        end as aging_bucket,

        -- numerics: document currency
        invoices_aged.net_amount,
        invoices_aged.tax_amount,
        invoices_aged.gross_amount,
        cast(invoices_aged.paid_amount as decimal(18, 2)) as paid_amount,
        cast(invoices_aged.open_amount as decimal(18, 2)) as open_amount,

        -- numerics: reporting currency
        invoices_aged.fx_rate_to_reporting,
        {{ to_reporting_currency('invoices_aged.net_amount', 'invoices_aged.fx_rate_to_reporting') }}
            as net_amount_rc,
        cast(
            {{ to_reporting_currency('invoices_aged.gross_amount', 'invoices_aged.fx_rate_to_reporting') }}
            - {{ to_reporting_currency('invoices_aged.net_amount', 'invoices_aged.fx_rate_to_reporting') }}
            as decimal(18, 2)
        ) as tax_amount_rc,
        {{ to_reporting_currency('invoices_aged.gross_amount', 'invoices_aged.fx_rate_to_reporting') }}
            as gross_amount_rc,
        cast(invoices_aged.paid_amount_rc as decimal(18, 2)) as paid_amount_rc,
        {{ to_reporting_currency('invoices_aged.open_amount', 'invoices_aged.fx_rate_to_reporting') }}
            as open_amount_rc,

        -- numerics: days
        invoices_aged.payment_count,
        {{ dbt.datediff('invoices_aged.invoice_date', 'invoices_aged.due_date', 'day') }}
            as payment_terms_days,
        case
            when invoices_aged.is_paid
                then {{ dbt.datediff('invoices_aged.invoice_date', 'invoices_aged.last_payment_date', 'day') }}
        end as days_to_pay,
        invoices_aged.days_overdue,

        -- booleans
        invoices_aged.is_paid,
        invoices_aged.days_overdue > 0 as is_overdue,
        coalesce(invoices_aged.is_paid and invoices_aged.last_payment_date > invoices_aged.due_date, false)
            as is_paid_late,

        -- dates
        invoices_aged.invoice_date,
        invoices_aged.due_date,
        case when invoices_aged.is_paid then invoices_aged.last_payment_date end as paid_date,
        case when invoices_aged.open_amount > 0 then invoices_aged.as_of_date end as as_of_date,
        invoices_aged.inputs_source_batch_date as source_batch_date
    from invoices_aged
    left join customers
        on {{ customer_version_valid_on(
            'invoices_aged.customer_id', 'invoices_aged.invoice_date'
        ) }}
    left join currencies
        on invoices_aged.currency_code = currencies.currency_code
),

final as (
    {{ select_new_or_changed_rows('invoices_final', 'invoice_key') }}
)

select * from final
