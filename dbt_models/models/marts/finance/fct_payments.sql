{{
    config(
        materialized='incremental',
        unique_key='payment_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('stg_erp__fx_rates') }}

{#
    Cash received: one row per ERP incoming payment, with the invoice it clears, how
    many days after invoicing and after the due date it came.

    Incremental: the payments recomputed are those changed since the last build, those
    of a changed invoice and stored_rows_to_refresh().
#}

with

payments as (
    select * from {{ ref('stg_erp__payments') }}
    {%- if cutoff %}
    where payment_number in (
        {{ changed_since_last_build(ref('stg_erp__payments'), 'payment_number') }}
        union
        select payment_number from {{ ref('stg_erp__payments') }}
        where invoice_number in (
            {{ changed_since_last_build(ref('stg_erp__invoices'), 'invoice_number') }}
        )
        union
        select payment_number from {{ this }}
        where payment_key in (
            {{ stored_rows_to_refresh(
                'payment_key', 'payment_date', cutoff,
                {'customer_key': 'customer_id', 'currency_key': 'currency_code'},
            ) | indent(12) }}
        )
    )
    {%- endif %}
),

invoices as (
    select * from {{ ref('stg_erp__invoices') }}
),

customers_matched as (
    select * from {{ ref('int_customers_matched') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

currencies as (
    select * from {{ ref('dim_currencies') }}
),

payments_joined as (
    select
        payments.*,
        customers_matched.customer_number as customer_id,
        invoices.invoice_number is not null as is_invoice_in_erp,
        invoices.invoice_date,
        invoices.due_date,
        {{ fx_rate_to_reporting('payments.currency_code', 'fx_rates.fx_rate_to_reporting') }}
            as fx_rate_to_reporting,
        greatest(
            cast(payments.source_batch as date),
            coalesce(cast(invoices.source_batch as date), cast('1900-01-01' as date))
        ) as inputs_source_batch_date
    from payments
    left join invoices
        on payments.invoice_number = invoices.invoice_number
    left join customers_matched
        on customers_matched.source_system = 'erp'
        and payments.erp_customer_number = customers_matched.source_id
    left join fx_rates
        on payments.payment_date = fx_rates.rate_date
        and payments.currency_code = fx_rates.currency_code
),

payments_final as (
    select
        -- keys
        {{ generate_surrogate_key(['payments_joined.payment_number']) }} as payment_key,
        case
            when payments_joined.is_invoice_in_erp
                then {{ generate_surrogate_key(['payments_joined.invoice_number']) }}
        end as invoice_key,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(currencies.currency_key, {{ unknown_member_key() }}) as currency_key,
        payments_joined.payment_number,
        payments_joined.invoice_number,
        payments_joined.erp_customer_number,
        payments_joined.customer_id,

        -- strings
        payments_joined.currency_code,
        {{ reporting_currency() }} as reporting_currency_code,

        -- numerics
        payments_joined.payment_amount,
        payments_joined.fx_rate_to_reporting,
        {{ to_reporting_currency('payments_joined.payment_amount', 'payments_joined.fx_rate_to_reporting') }}
            as payment_amount_rc,
        {{ dbt.datediff('payments_joined.invoice_date', 'payments_joined.payment_date', 'day') }}
            as days_after_invoice,
        {{ dbt.datediff('payments_joined.due_date', 'payments_joined.payment_date', 'day') }}
            as days_after_due,

        -- booleans
        payments_joined.is_invoice_in_erp,
        coalesce(payments_joined.payment_date > payments_joined.due_date, false) as is_late,

        -- dates
        payments_joined.payment_date,
        payments_joined.invoice_date,
        payments_joined.due_date,
        payments_joined.inputs_source_batch_date as source_batch_date
    from payments_joined
    left join customers
        on {{ customer_version_valid_on(
            'payments_joined.customer_id', 'payments_joined.payment_date'
        ) }}
    left join currencies
        on payments_joined.currency_code = currencies.currency_code
),

final as (
    {{ select_new_or_changed_rows('payments_final', 'payment_key') }}
)

select * from final
