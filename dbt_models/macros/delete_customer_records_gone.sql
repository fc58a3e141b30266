{#
    Post-hook of int_customer_names_normalized: on an incremental run, removes the records
    that are no longer in either source (an account dropped from the latest CRM snapshot,
    a customer dropped from the ERP snapshot), as a full refresh would not have them.
#}
{% macro delete_customer_records_gone() -%}
    {%- if execute and is_incremental() -%}
        delete from {{ this }} as stored
        where not exists (
            select 1 from {{ ref('stg_crm__accounts') }} as accounts
            where stored.source_system = 'crm' and stored.source_id = accounts.crm_account_id
        )
        and not exists (
            select 1 from {{ ref('stg_erp__customers') }} as customers
            where stored.source_system = 'erp'
                and stored.source_id = customers.erp_customer_number
        )
    {%- endif -%}
{%- endmacro %}
