{#
    Golden customers with type-2 history (int_customers_historized): one row per
    customer version. Tracked (type 2): payment_terms (ERP), industry, region and
    account owner (primary CRM account). Current values on every version (type 1):
    names, address, sales organisation, currency, credit limit.
#}

with

customers_historized as (
    select * from {{ ref('int_customers_historized') }}
),

customers_matched as (
    select * from {{ ref('int_customers_matched') }}
),

erp_customers as (
    select * from {{ ref('stg_erp__customers') }}
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

crm_accounts_counted as (
    select
        customer_number,
        count(*) as crm_account_count
    from customers_matched
    where source_system = 'crm'
    group by customer_number
),

versions_enriched as (
    select
        {{ generate_surrogate_key([
            'customers_historized.customer_number',
            'customers_historized.valid_from_date',
        ]) }} as customer_key,
        {{ generate_surrogate_key(['customers_historized.customer_number']) }}
            as customer_durable_key,
        {{ dimension_key(
            [
                'coalesce(erp_customers.country_code, crm_accounts.billing_country_code)',
                'coalesce(erp_customers.city, crm_accounts.billing_city)',
            ],
            'coalesce(erp_customers.country_code, crm_accounts.billing_country_code)'
        ) }} as geography_key,
        {{ dimension_key(['users.crm_user_id'], 'users.crm_user_id') }}
            as account_owner_sales_rep_key,
        customers_historized.customer_number as customer_id,
        erp_customers.erp_customer_number,
        customers_historized.primary_crm_account_id,
        coalesce(erp_customers.customer_name, crm_accounts.account_name) as customer_name,
        crm_accounts.account_name as crm_account_name,
        case when erp_customers.erp_customer_number is null then 'crm' else 'erp' end
            as customer_source,
        customers_historized.industry,
        customers_historized.region,
        customers_historized.crm_owner_id as account_owner_id,
        users.user_name as account_owner_name,
        customers_historized.payment_terms,
        coalesce(erp_customers.city, crm_accounts.billing_city) as city,
        coalesce(erp_customers.country_code, crm_accounts.billing_country_code) as country_code,
        erp_customers.sales_org,
        erp_customers.currency_code,
        erp_customers.tax_id,
        erp_customers.credit_limit_amount,
        coalesce(crm_accounts_counted.crm_account_count, 0) as crm_account_count,
        customers_historized.version_number,
        erp_customers.erp_customer_number is null as is_prospect,
        customers_historized.is_current,
        false as is_unknown_member,
        customers_historized.valid_from_date,
        customers_historized.valid_to_date
    from customers_historized
    left join erp_customers
        on customers_historized.customer_number = erp_customers.erp_customer_number
    left join crm_accounts
        on customers_historized.primary_crm_account_id = crm_accounts.crm_account_id
    left join users
        on customers_historized.crm_owner_id = users.crm_user_id
    left join crm_accounts_counted
        on customers_historized.customer_number = crm_accounts_counted.customer_number
),

unknown_member as (
    select
        {{ unknown_member_key() }} as customer_key,
        {{ unknown_member_key() }} as customer_durable_key,
        {{ unknown_member_key() }} as geography_key,
        {{ unknown_member_key() }} as account_owner_sales_rep_key,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as erp_customer_number,
        cast(null as {{ dbt.type_string() }}) as primary_crm_account_id,
        'Unknown customer' as customer_name,
        'Unknown customer' as crm_account_name,
        'unknown' as customer_source,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as account_owner_id,
        cast(null as {{ dbt.type_string() }}) as account_owner_name,
        cast(null as {{ dbt.type_string() }}) as payment_terms,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as sales_org,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        cast(null as {{ dbt.type_string() }}) as tax_id,
        cast(null as decimal(18, 2)) as credit_limit_amount,
        cast(0 as bigint) as crm_account_count,
        cast(1 as bigint) as version_number,
        false as is_prospect,
        true as is_current,
        true as is_unknown_member,
        cast('1900-01-01' as date) as valid_from_date,
        cast('9999-12-31' as date) as valid_to_date
),

final as (
    select * from versions_enriched
    union all
    select * from unknown_member
)

select * from final
