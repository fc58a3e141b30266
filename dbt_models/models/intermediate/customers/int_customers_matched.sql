{#
    Golden customer of every CRM account and ERP customer. The ERP customer master is
    the master of record: every ERP customer is its own golden customer ('erp_self'),
    so two ERP customers are never merged. Each CRM account takes the first rule that
    finds it exactly one ERP customer:

    erp_number  ERP_Customer_Number__c names an ERP customer that exists;
    tax_id      Tax_ID__c equals the tax id of exactly one ERP customer;
    name_city   normalized name, city and country equal those of the ERP customer
                (int_customer_names_normalized) and the legal forms do not contradict
                each other, and either
                - exactly one ERP customer qualifies and, if the account's won
                  opportunities became ERP orders, some were ordered under it, or
                - several qualify and the account's won opportunities were ordered
                  under exactly one of them (ERP sales orders carry the CRM
                  opportunity id), or
                - the ERP has no customer of that name and city at all, but CRM
                  accounts with the same name, city and country were matched by
                  erp_number or tax_id to exactly one ERP customer (a CRM duplicate
                  of an account sales linked to the ERP; legal forms and orders must
                  not contradict it);
    crm_only    nothing found: a prospect. Prospects with the same name, city and
                country are one golden customer, 'CRM-' + the lowest account id;
                an account whose name fits several ERP customers stays on its own.
#}

with

customer_names as not materialized (
    select * from {{ ref('int_customer_names_normalized') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

sales_orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
),

crm_accounts as (
    select * from customer_names
    where source_system = 'crm'
),

erp_customers as (
    select * from customer_names
    where source_system = 'erp'
),

matched_by_erp_number as (
    select
        crm_accounts.source_id as crm_account_id,
        erp_customers.source_id as erp_customer_number
    from crm_accounts
    inner join erp_customers
        on crm_accounts.claimed_erp_customer_number = erp_customers.source_id
),

erp_tax_ids_unique as (
    select
        tax_id,
        min(source_id) as erp_customer_number
    from erp_customers
    where tax_id is not null
    group by tax_id
    having count(*) = 1
),

matched_by_tax_id as (
    select
        crm_accounts.source_id as crm_account_id,
        erp_tax_ids_unique.erp_customer_number
    from crm_accounts
    inner join erp_tax_ids_unique
        on crm_accounts.tax_id = erp_tax_ids_unique.tax_id
),

opportunities_ordered as (
    -- the ERP customers each account's won opportunities were ordered under
    select distinct
        opportunities.crm_account_id,
        sales_orders.erp_customer_number
    from opportunities
    inner join sales_orders
        on opportunities.crm_opportunity_id = sales_orders.crm_opportunity_id
),

accounts_with_orders as (
    select distinct crm_account_id
    from opportunities_ordered
),

erp_name_city_groups as (
    -- ERP customers per name, city, country and legal form. An account's candidates are
    -- counted from these groups, not listed pair by pair: many customers share a name
    -- and city, and the pairs grow with the square of the customers (scale 10: 52M)
    select
        name_key,
        city_key,
        country_code,
        legal_form,
        count(*) as customer_count,
        min(source_id) as first_erp_customer_number
    from erp_customers
    group by name_key, city_key, country_code, legal_form
),

name_city_candidates_counted as (
    -- the number of ERP customers whose name, city and country equal the account's and
    -- whose legal form does not contradict it; the first of them (the only one when
    -- there is one)
    select
        crm_accounts.source_id as crm_account_id,
        cast(sum(erp_name_city_groups.customer_count) as bigint) as candidate_count,
        min(erp_name_city_groups.first_erp_customer_number) as erp_customer_number
    from crm_accounts
    inner join erp_name_city_groups
        on crm_accounts.name_key = erp_name_city_groups.name_key
        and crm_accounts.city_key = erp_name_city_groups.city_key
        and crm_accounts.country_code = erp_name_city_groups.country_code
        and (
            crm_accounts.legal_form is null
            or erp_name_city_groups.legal_form is null
            or crm_accounts.legal_form = erp_name_city_groups.legal_form
        )
    group by crm_accounts.source_id
),

ordered_name_city_candidates as (
    -- the candidates the account's won opportunities were ordered under
    select
        crm_accounts.source_id as crm_account_id,
        erp_customers.source_id as erp_customer_number
    from opportunities_ordered
    inner join crm_accounts
        on opportunities_ordered.crm_account_id = crm_accounts.source_id
    inner join erp_customers
        on opportunities_ordered.erp_customer_number = erp_customers.source_id
    where crm_accounts.name_key = erp_customers.name_key
        and crm_accounts.city_key = erp_customers.city_key
        and crm_accounts.country_code = erp_customers.country_code
        and (
            crm_accounts.legal_form is null
            or erp_customers.legal_form is null
            or crm_accounts.legal_form = erp_customers.legal_form
        )
),

matched_by_name_city as (
    -- the only candidate of an account without orders
    select
        name_city_candidates_counted.crm_account_id,
        name_city_candidates_counted.erp_customer_number,
        false as is_ordered_under
    from name_city_candidates_counted
    left join accounts_with_orders
        on name_city_candidates_counted.crm_account_id = accounts_with_orders.crm_account_id
    where accounts_with_orders.crm_account_id is null
        and name_city_candidates_counted.candidate_count = 1

    union all

    -- the only candidate the account's orders went to
    select
        crm_account_id,
        min(erp_customer_number) as erp_customer_number,
        true as is_ordered_under
    from ordered_name_city_candidates
    group by crm_account_id
    having count(*) = 1
),

accounts_linked_strongly as (
    -- the winning strong match of each account: its ERP number, else its tax id
    select
        crm_account_id,
        erp_customer_number
    from matched_by_erp_number

    union all

    select
        matched_by_tax_id.crm_account_id,
        matched_by_tax_id.erp_customer_number
    from matched_by_tax_id
    left join matched_by_erp_number
        on matched_by_tax_id.crm_account_id = matched_by_erp_number.crm_account_id
    where matched_by_erp_number.crm_account_id is null
),

crm_names_linked_strongly as (
    -- names (with city and country) of CRM accounts that sales linked to one ERP customer
    select
        crm_accounts.name_key,
        crm_accounts.city_key,
        crm_accounts.country_code,
        min(accounts_linked_strongly.erp_customer_number) as erp_customer_number
    from crm_accounts
    inner join accounts_linked_strongly
        on crm_accounts.source_id = accounts_linked_strongly.crm_account_id
    where crm_accounts.name_key is not null
    group by crm_accounts.name_key, crm_accounts.city_key, crm_accounts.country_code
    having count(distinct accounts_linked_strongly.erp_customer_number) = 1
),

erp_names as (
    -- every name, city and country the ERP knows, whatever the legal form
    select distinct
        name_key,
        city_key,
        country_code
    from erp_customers
),

matched_as_crm_duplicates as (
    -- only names the ERP does not know: otherwise name_city decides (and may refuse)
    select
        crm_accounts.source_id as crm_account_id,
        crm_names_linked_strongly.erp_customer_number
    from crm_accounts
    inner join crm_names_linked_strongly
        on crm_accounts.name_key = crm_names_linked_strongly.name_key
        and crm_accounts.city_key = crm_names_linked_strongly.city_key
        and crm_accounts.country_code = crm_names_linked_strongly.country_code
    inner join erp_customers
        on crm_names_linked_strongly.erp_customer_number = erp_customers.source_id
    left join erp_names
        on crm_accounts.name_key = erp_names.name_key
        and crm_accounts.city_key = erp_names.city_key
        and crm_accounts.country_code = erp_names.country_code
    left join accounts_with_orders
        on crm_accounts.source_id = accounts_with_orders.crm_account_id
    left join opportunities_ordered
        on crm_accounts.source_id = opportunities_ordered.crm_account_id
        and crm_names_linked_strongly.erp_customer_number = opportunities_ordered.erp_customer_number
    where erp_names.name_key is null
        and (
            crm_accounts.legal_form is null
            or erp_customers.legal_form is null
            or crm_accounts.legal_form = erp_customers.legal_form
        )
        and (
            accounts_with_orders.crm_account_id is null
            or opportunities_ordered.crm_account_id is not null
        )
),

crm_accounts_matched as (
    select
        crm_accounts.source_id,
        crm_accounts.name_key,
        crm_accounts.city_key,
        crm_accounts.country_code,
        coalesce(
            matched_by_erp_number.erp_customer_number,
            matched_by_tax_id.erp_customer_number,
            matched_by_name_city.erp_customer_number,
            matched_as_crm_duplicates.erp_customer_number
        ) as erp_customer_number,
        case
            when matched_by_erp_number.crm_account_id is not null then 'erp_number'
            when matched_by_tax_id.crm_account_id is not null then 'tax_id'
            when matched_by_name_city.crm_account_id is not null then 'name_city'
            when matched_as_crm_duplicates.crm_account_id is not null then 'name_city'
            else 'crm_only'
        end as match_rule,
        case
            when matched_by_erp_number.crm_account_id is not null then 1.00
            when matched_by_tax_id.crm_account_id is not null then 0.95
            when matched_by_name_city.is_ordered_under then 0.90
            when matched_by_name_city.crm_account_id is not null then 0.80
            when matched_as_crm_duplicates.crm_account_id is not null then 0.75
        end as match_confidence,
        coalesce(name_city_candidates_counted.candidate_count, 0) as name_candidate_count
    from crm_accounts
    left join matched_by_erp_number
        on crm_accounts.source_id = matched_by_erp_number.crm_account_id
    left join matched_by_tax_id
        on crm_accounts.source_id = matched_by_tax_id.crm_account_id
    left join matched_by_name_city
        on crm_accounts.source_id = matched_by_name_city.crm_account_id
    left join matched_as_crm_duplicates
        on crm_accounts.source_id = matched_as_crm_duplicates.crm_account_id
    left join name_city_candidates_counted
        on crm_accounts.source_id = name_city_candidates_counted.crm_account_id
),

orders_confirmed as (
    select
        crm_accounts_matched.*,
        opportunities_ordered.crm_account_id is not null as is_confirmed_by_orders
    from crm_accounts_matched
    left join opportunities_ordered
        on crm_accounts_matched.source_id = opportunities_ordered.crm_account_id
        and crm_accounts_matched.erp_customer_number = opportunities_ordered.erp_customer_number
),

prospects_grouped as (
    select
        *,
        case
            when match_rule = 'crm_only' and name_candidate_count = 0 and name_key is not null
                then {{ dbt.concat([
                    "'name:'", "name_key",
                    "'|city:'", "coalesce(city_key, '')",
                    "'|country:'", "coalesce(country_code, '')",
                ]) }}
            else {{ dbt.concat(["'account:'", "source_id"]) }}
        end as prospect_group
    from orders_confirmed
),

crm_accounts_resolved as (
    select
        'crm' as source_system,
        source_id,
        coalesce(
            erp_customer_number,
            {{ dbt.concat(["'CRM-'", "min(source_id) over (partition by prospect_group)"]) }}
        ) as customer_number,
        erp_customer_number,
        match_rule,
        match_confidence,
        name_candidate_count,
        is_confirmed_by_orders
    from prospects_grouped
),

erp_customers_resolved as (
    select
        'erp' as source_system,
        source_id,
        source_id as customer_number,
        source_id as erp_customer_number,
        'erp_self' as match_rule,
        1.00 as match_confidence,
        cast(null as integer) as name_candidate_count,
        false as is_confirmed_by_orders
    from erp_customers
),

sources_unioned as (
    select * from erp_customers_resolved
    union all
    select * from crm_accounts_resolved
),

final as (
    select
        -- keys
        source_system,
        source_id,
        customer_number,
        erp_customer_number,

        -- strings
        match_rule,

        -- numerics
        cast(match_confidence as decimal(3, 2)) as match_confidence,
        name_candidate_count,

        -- booleans
        is_confirmed_by_orders
    from sources_unioned
)

select * from final
