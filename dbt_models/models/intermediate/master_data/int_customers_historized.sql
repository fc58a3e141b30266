{{ config(materialized='table') }}

{#
    Type-2 history of the golden customers' tracked attributes, from the nights on which
    they changed in the snapshots of either system (macros/attribute_changes.sql):

    - ERP (int_erp_customer_changes): payment_terms;
    - CRM (int_crm_account_changes) of the customer's primary account: industry,
      region and the owning sales rep.

    The primary account of a golden customer is its CRM account matched with the
    highest confidence (ties: the lowest account id); for a CRM-only prospect, the
    lowest account id of its group. A version starts on every batch date on which a
    tracked attribute of either side differs from the night before; the first version
    of every customer is valid from 1900-01-01, so that orders older than the first
    snapshot find it. valid_to_date is the day before the next version starts
    (9999-12-31 on the current version).
#}

with

customers_matched as not materialized (
    select * from {{ ref('int_customers_matched') }}
),

erp_customer_changes as (
    select * from {{ ref('int_erp_customer_changes') }}
),

crm_account_changes as (
    select * from {{ ref('int_crm_account_changes') }}
),

golden_customers as (
    select distinct customer_number
    from customers_matched
),

crm_accounts_ranked as (
    select
        customer_number,
        source_id as crm_account_id,
        row_number() over (
            partition by customer_number
            order by match_confidence desc nulls last, source_id
        ) as account_rank
    from customers_matched
    where source_system = 'crm'
),

primary_accounts as (
    select
        customer_number,
        crm_account_id
    from crm_accounts_ranked
    where account_rank = 1
),

erp_changes as (
    select
        customers_matched.customer_number,
        erp_customer_changes.payment_terms,
        erp_customer_changes.batch_date as changed_on_date
    from erp_customer_changes
    inner join customers_matched
        on customers_matched.source_system = 'erp'
        and erp_customer_changes.erp_customer_number = customers_matched.source_id
),

erp_islands as (
    select
        customer_number,
        payment_terms,
        changed_on_date as island_start_date,
        coalesce(
            lead(changed_on_date) over (partition by customer_number order by changed_on_date),
            cast('9999-12-31' as date)
        ) as island_end_date
    from erp_changes
),

crm_changes as (
    select
        primary_accounts.customer_number,
        crm_account_changes.industry,
        crm_account_changes.region,
        crm_account_changes.crm_owner_id,
        crm_account_changes.batch_date as changed_on_date
    from crm_account_changes
    inner join primary_accounts
        on crm_account_changes.crm_account_id = primary_accounts.crm_account_id
),

crm_islands as (
    select
        customer_number,
        industry,
        region,
        crm_owner_id,
        changed_on_date as island_start_date,
        coalesce(
            lead(changed_on_date) over (partition by customer_number order by changed_on_date),
            cast('9999-12-31' as date)
        ) as island_end_date
    from crm_changes
),

version_starts as (
    select customer_number, changed_on_date from erp_changes
    union
    select customer_number, changed_on_date from crm_changes
),

versions_with_states as (
    -- attributes of each side as of the version's first night; a side that has no
    -- snapshot yet (or no match at all) contributes nulls
    select
        version_starts.customer_number,
        version_starts.changed_on_date,
        erp_islands.payment_terms,
        crm_islands.industry,
        crm_islands.region,
        crm_islands.crm_owner_id
    from version_starts
    left join erp_islands
        on version_starts.customer_number = erp_islands.customer_number
        and version_starts.changed_on_date >= erp_islands.island_start_date
        and version_starts.changed_on_date < erp_islands.island_end_date
    left join crm_islands
        on version_starts.customer_number = crm_islands.customer_number
        and version_starts.changed_on_date >= crm_islands.island_start_date
        and version_starts.changed_on_date < crm_islands.island_end_date
),

versions_numbered as (
    select
        *,
        row_number() over (
            partition by customer_number order by changed_on_date
        ) as version_number,
        lead(changed_on_date) over (
            partition by customer_number order by changed_on_date
        ) as next_changed_on_date
    from versions_with_states
),

versions_without_snapshot as (
    -- golden customers missing from every snapshot (not possible from the exports,
    -- but the crosswalk and the snapshots are built separately): one open version
    select
        golden_customers.customer_number,
        cast(null as date) as changed_on_date,
        cast(null as {{ dbt.type_string() }}) as payment_terms,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as crm_owner_id,
        cast(1 as bigint) as version_number,
        cast(null as date) as next_changed_on_date
    from golden_customers
    left join version_starts
        on golden_customers.customer_number = version_starts.customer_number
    where version_starts.customer_number is null
),

versions_unioned as (
    select * from versions_numbered
    union all
    select * from versions_without_snapshot
),

final as (
    select
        -- keys
        versions_unioned.customer_number,
        primary_accounts.crm_account_id as primary_crm_account_id,

        -- strings
        versions_unioned.payment_terms,
        versions_unioned.industry,
        versions_unioned.region,
        versions_unioned.crm_owner_id,

        -- numerics
        versions_unioned.version_number,

        -- booleans
        versions_unioned.next_changed_on_date is null as is_current,

        -- dates
        case
            when versions_unioned.version_number = 1 then cast('1900-01-01' as date)
            else versions_unioned.changed_on_date
        end as valid_from_date,
        case
            when versions_unioned.next_changed_on_date is null then cast('9999-12-31' as date)
            else cast(
                {{ dbt.dateadd('day', -1, 'versions_unioned.next_changed_on_date') }} as date
            )
        end as valid_to_date
    from versions_unioned
    left join primary_accounts
        on versions_unioned.customer_number = primary_accounts.customer_number
)

select * from final
