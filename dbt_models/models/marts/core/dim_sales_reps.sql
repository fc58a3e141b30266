with

users as not materialized (
    select * from {{ ref('stg_crm__users') }}
),

reps_with_managers as (
    select
        {{ generate_surrogate_key(['users.crm_user_id']) }} as sales_rep_key,
        {{ dimension_key(['managers.crm_user_id'], 'managers.crm_user_id') }}
            as manager_sales_rep_key,
        users.crm_user_id,
        users.crm_manager_id,
        users.user_name as sales_rep_name,
        users.team_name,
        managers.user_name as manager_name,
        users.is_active,
        false as is_unknown_member
    from users
    left join users as managers
        on users.crm_manager_id = managers.crm_user_id
),

unknown_member as (
    select
        {{ unknown_member_key() }} as sales_rep_key,
        {{ unknown_member_key() }} as manager_sales_rep_key,
        cast(null as {{ dbt.type_string() }}) as crm_user_id,
        cast(null as {{ dbt.type_string() }}) as crm_manager_id,
        'Unknown sales rep' as sales_rep_name,
        'Unknown' as team_name,
        cast(null as {{ dbt.type_string() }}) as manager_name,
        false as is_active,
        true as is_unknown_member
),

final as (
    select * from reps_with_managers
    union all
    select * from unknown_member
)

select * from final
