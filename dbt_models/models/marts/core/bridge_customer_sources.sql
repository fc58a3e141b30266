with

customers_matched as (
    select * from {{ ref('int_customers_matched') }}
),

customer_names as (
    select * from {{ ref('int_customer_names_normalized') }}
),

customers_historized as (
    select * from {{ ref('int_customers_historized') }}
),

primary_accounts as (
    select distinct
        customer_number,
        primary_crm_account_id
    from customers_historized
),

final as (
    select
        -- keys
        {{ generate_surrogate_key([
            'customers_matched.source_system',
            'customers_matched.source_id',
        ]) }} as customer_source_key,
        {{ generate_surrogate_key(['customers_matched.customer_number']) }}
            as customer_durable_key,
        customers_matched.customer_number as customer_id,
        customers_matched.source_system,
        customers_matched.source_id,
        customers_matched.erp_customer_number,

        -- strings
        customer_names.source_name,
        customer_names.source_city,
        customer_names.country_code,
        customers_matched.match_rule,

        -- numerics
        customers_matched.match_confidence,

        -- booleans
        coalesce(
            customers_matched.source_system = 'crm'
            and customers_matched.source_id = primary_accounts.primary_crm_account_id,
            false
        ) as is_primary_crm_account,
        customers_matched.is_confirmed_by_orders
    from customers_matched
    left join customer_names
        on customers_matched.source_system = customer_names.source_system
        and customers_matched.source_id = customer_names.source_id
    left join primary_accounts
        on customers_matched.customer_number = primary_accounts.customer_number
)

select * from final
