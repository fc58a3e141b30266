{{
    config(
        materialized='incremental',
        unique_key=['crm_account_id', 'batch_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ clear_attribute_changes_to_recompute() }}",
    )
}}

{#
    The export nights on which a CRM account's tracked attributes (industry, region, owner)
    changed, from the nightly snapshots (macros/attribute_changes.sql): the input of the
    type-2 history (int_customers_historized). A missing value and an empty one count as
    the same state.
#}

with

{{ select_attribute_changes(
    ref('stg_crm__account_snapshots'),
    'crm_account_id',
    ['industry', 'region', 'crm_owner_id'],
    state=dbt.concat([
        "coalesce(industry, '')", "'|'",
        "coalesce(region, '')", "'|'",
        "coalesce(crm_owner_id, '')",
    ]),
) }}

select * from changes
