with

erp_customers as (
    select * from {{ ref('stg_erp__customers') }}
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

crm_accounts_ranked as (
    -- several accounts may point at one ERP customer: the most recently modified
    -- wins, ties broken by the highest account id
    select
        *,
        row_number() over (
            partition by erp_customer_number
            order by last_modified_at desc, crm_account_id desc
        ) as account_rank
    from crm_accounts
    where erp_customer_number is not null
),

customers_enriched as (
    select
        {{ generate_surrogate_key(['erp_customers.erp_customer_number']) }} as customer_key,
        erp_customers.erp_customer_number,
        crm_accounts_ranked.crm_account_id,
        erp_customers.customer_name,
        crm_accounts_ranked.account_name as crm_account_name,
        crm_accounts_ranked.industry,
        crm_accounts_ranked.region,
        erp_customers.city,
        erp_customers.country_code,
        erp_customers.sales_org,
        erp_customers.payment_terms,
        erp_customers.credit_limit_amount,
        erp_customers.currency_code,
        false as is_unknown_member
    from erp_customers
    left join crm_accounts_ranked
        on erp_customers.erp_customer_number = crm_accounts_ranked.erp_customer_number
        and crm_accounts_ranked.account_rank = 1
),

unknown_member as (
    select
        {{ unknown_member_key() }} as customer_key,
        cast(null as {{ dbt.type_string() }}) as erp_customer_number,
        cast(null as {{ dbt.type_string() }}) as crm_account_id,
        'Unknown customer' as customer_name,
        'Unknown customer' as crm_account_name,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as sales_org,
        cast(null as {{ dbt.type_string() }}) as payment_terms,
        cast(null as decimal(18, 2)) as credit_limit_amount,
        cast(null as {{ dbt.type_string() }}) as currency_code,
        true as is_unknown_member
),

final as (
    select * from customers_enriched
    union all
    select * from unknown_member
)

select * from final
