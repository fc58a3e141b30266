{{
    config(
        materialized='incremental',
        unique_key=['erp_customer_number', 'batch_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ clear_attribute_changes_to_recompute() }}",
    )
}}

{#
    The export nights on which an ERP customer's tracked attributes (payment_terms)
    changed, from the nightly snapshots (macros/attribute_changes.sql): the input of the
    type-2 history (int_customers_historized).
#}

with

{{ select_attribute_changes(
    ref('stg_erp__customer_snapshots'),
    'erp_customer_number',
    ['payment_terms'],
    state='payment_terms',
) }}

select * from changes
