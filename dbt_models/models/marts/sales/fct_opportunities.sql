{{
    config(
        materialized='incremental',
        unique_key='opportunity_key',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('stg_erp__fx_rates') }}

{#
    Pipeline: one row per CRM opportunity with its amount (also weighted by
    probability, for the forecast), outcome, time spent in each stage (from the
    opportunity history) and what the ERP booked for it (orders carrying the
    opportunity id), for forecast-vs-actual.

    Incremental: the opportunities recomputed are the open ones (they age every night),
    those whose record, stage history or quotes changed since the last build, those
    whose ERP order lines were refreshed, and stored_rows_to_refresh().
#}

{%- set open_stages = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation'] -%}

with

{% if cutoff %}
opportunities_to_refresh as (
    {{ changed_since_last_build(ref('stg_crm__opportunities'), 'crm_opportunity_id') }}
    union
    {{ changed_since_last_build(ref('stg_crm__opportunity_history'), 'crm_opportunity_id') }}
    union
    {{ changed_since_last_build(ref('stg_crm__quotes'), 'crm_opportunity_id') }}
    union
    select crm_opportunity_id from {{ ref('int_order_lines_converted') }}
    where refreshed_at > {{ last_build_started_at_constant() }} and crm_opportunity_id is not null
    union
    select crm_opportunity_id from {{ this }}
    where not is_closed
        or opportunity_key in (
            {{ stored_rows_to_refresh(
                'opportunity_key', 'close_date', cutoff,
                {'customer_key': 'customer_id', 'currency_key': 'currency_code'},
                rematch=('crm', 'crm_account_id'),
            ) | indent(12) }}
        )
),
{% endif %}
opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    {%- if cutoff %}
    where crm_opportunity_id in (select crm_opportunity_id from opportunities_to_refresh)
    {%- endif %}
),

opportunity_history as (
    select * from {{ ref('stg_crm__opportunity_history') }}
    {%- if cutoff %}
    where crm_opportunity_id in (select crm_opportunity_id from opportunities_to_refresh)
    {%- endif %}
),

quotes as (
    select * from {{ ref('stg_crm__quotes') }}
    {%- if cutoff %}
    where crm_opportunity_id in (select crm_opportunity_id from opportunities_to_refresh)
    {%- endif %}
),

customers_matched as (
    select * from {{ ref('int_customers_matched') }}
),

order_lines as (
    select * from {{ ref('int_order_lines_converted') }}
),

fx_rates as not materialized (
    select * from {{ ref('int_fx_rates_rebased') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

sales_reps as (
    select * from {{ ref('dim_sales_reps') }}
),

currencies as (
    select * from {{ ref('dim_currencies') }}
),

latest_export as (
    -- over every opportunity, not only those recomputed
    select
        max(cast(source_batch as date)) as latest_batch_date
    from {{ ref('stg_crm__opportunities') }}
),

rate_dates_available as (
    select
        min(rate_date) as first_rate_date,
        max(rate_date) as last_rate_date
    from fx_rates
),

stage_periods as (
    -- each history record's stage lasts until the next record; the last one of an
    -- open opportunity until the end of the latest export day
    select
        opportunity_history.crm_opportunity_id,
        opportunity_history.stage_name,
        opportunity_history.created_at as entered_at,
        coalesce(
            lead(opportunity_history.created_at) over (
                partition by opportunity_history.crm_opportunity_id
                order by opportunity_history.created_at, opportunity_history.crm_opportunity_history_id
            ),
            case
                when not opportunities.is_closed
                    then {{ business_day_end_at('latest_export.latest_batch_date') }}
            end
        ) as left_at,
        cast(opportunity_history.source_batch as date) as source_batch_date
    from opportunity_history
    inner join opportunities
        on opportunity_history.crm_opportunity_id = opportunities.crm_opportunity_id
    cross join latest_export
),

stage_durations as (
    select
        crm_opportunity_id,
        count(*) as stage_change_count,
        {%- for stage in open_stages %}
        cast(round(
            sum(case when stage_name = '{{ stage }}' then {{ hours_between('entered_at', 'left_at') }} else 0 end)
            / 24, 2
        ) as decimal(18, 2)) as days_in_{{ stage | lower }},
        {%- endfor %}
        max(source_batch_date) as source_batch_date
    from stage_periods
    group by crm_opportunity_id
),

quotes_counted as (
    select
        crm_opportunity_id,
        count(*) as quote_count,
        sum(case when quote_status = 'Accepted' then 1 else 0 end) as accepted_quote_count,
        max(cast(source_batch as date)) as source_batch_date
    from quotes
    group by crm_opportunity_id
),

orders_booked as (
    select
        crm_opportunity_id,
        count(distinct order_number) as order_count,
        sum(net_revenue_amount_rc) as ordered_net_revenue_amount_rc,
        min(order_date) as first_order_date
    from order_lines
    where crm_opportunity_id is not null
    {%- if cutoff %}
        and crm_opportunity_id in (select crm_opportunity_id from opportunities_to_refresh)
    {%- endif %}
    group by crm_opportunity_id
),

opportunities_joined as (
    select
        opportunities.*,
        customers_matched.customer_number as customer_id,
        {{ business_date('opportunities.created_at') }} as created_date,
        {{ fx_rate_to_reporting('opportunities.currency_code', 'fx_rates.fx_rate_to_reporting') }}
            as fx_rate_to_reporting,
        coalesce(stage_durations.stage_change_count, 0) as stage_change_count,
        {%- for stage in open_stages %}
        coalesce(stage_durations.days_in_{{ stage | lower }}, 0) as days_in_{{ stage | lower }},
        {%- endfor %}
        coalesce(quotes_counted.quote_count, 0) as quote_count,
        coalesce(quotes_counted.accepted_quote_count, 0) as accepted_quote_count,
        coalesce(orders_booked.order_count, 0) as order_count,
        coalesce(orders_booked.ordered_net_revenue_amount_rc, 0) as ordered_net_revenue_amount_rc,
        orders_booked.first_order_date,
        latest_export.latest_batch_date,
        greatest(
            cast(opportunities.source_batch as date),
            coalesce(stage_durations.source_batch_date, cast('1900-01-01' as date)),
            coalesce(quotes_counted.source_batch_date, cast('1900-01-01' as date))
        ) as inputs_source_batch_date
    from opportunities
    cross join latest_export
    cross join rate_dates_available
    left join customers_matched
        on customers_matched.source_system = 'crm'
        and opportunities.crm_account_id = customers_matched.source_id
    left join fx_rates
        -- the close date's rate; an expected close date beyond the rates the ERP has
        -- (or before them) takes the nearest day with rates
        on fx_rates.rate_date = case
            when opportunities.close_date > rate_dates_available.last_rate_date
                then rate_dates_available.last_rate_date
            when opportunities.close_date < rate_dates_available.first_rate_date
                then rate_dates_available.first_rate_date
            else opportunities.close_date
        end
        and opportunities.currency_code = fx_rates.currency_code
    left join stage_durations
        on opportunities.crm_opportunity_id = stage_durations.crm_opportunity_id
    left join quotes_counted
        on opportunities.crm_opportunity_id = quotes_counted.crm_opportunity_id
    left join orders_booked
        on opportunities.crm_opportunity_id = orders_booked.crm_opportunity_id
),

opportunities_final as (
    select
        -- keys
        {{ generate_surrogate_key(['opportunities_joined.crm_opportunity_id']) }} as opportunity_key,
        coalesce(customers.customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(sales_reps.sales_rep_key, {{ unknown_member_key() }}) as sales_rep_key,
        coalesce(currencies.currency_key, {{ unknown_member_key() }}) as currency_key,
        opportunities_joined.crm_opportunity_id,
        opportunities_joined.crm_account_id,
        opportunities_joined.customer_id,

        -- strings
        opportunities_joined.opportunity_name,
        opportunities_joined.stage_name,
        opportunities_joined.forecast_category_name,
        case
            when opportunities_joined.is_won then 'won'
            when opportunities_joined.is_closed then 'lost'
            else 'open'
        end as pipeline_status,
        opportunities_joined.currency_code,
        {{ reporting_currency() }} as reporting_currency_code,

        -- numerics
        opportunities_joined.opportunity_amount,
        opportunities_joined.probability_pct,
        opportunities_joined.fx_rate_to_reporting,
        {{ to_reporting_currency(
            'opportunities_joined.opportunity_amount', 'opportunities_joined.fx_rate_to_reporting'
        ) }} as opportunity_amount_rc,
        {{ to_reporting_currency(
            'opportunities_joined.opportunity_amount * coalesce(opportunities_joined.probability_pct, 0) / 100',
            'opportunities_joined.fx_rate_to_reporting'
        ) }} as weighted_amount_rc,
        case
            when opportunities_joined.is_won
                then {{ to_reporting_currency(
                    'opportunities_joined.opportunity_amount', 'opportunities_joined.fx_rate_to_reporting'
                ) }}
            else cast(0 as decimal(18, 2))
        end as won_amount_rc,
        cast(opportunities_joined.ordered_net_revenue_amount_rc as decimal(18, 2))
            as ordered_net_revenue_amount_rc,
        opportunities_joined.order_count,
        opportunities_joined.quote_count,
        cast(opportunities_joined.accepted_quote_count as bigint) as accepted_quote_count,
        opportunities_joined.stage_change_count,
        {%- for stage in open_stages %}
        opportunities_joined.days_in_{{ stage | lower }},
        {%- endfor %}
        {{ dbt.datediff(
            'opportunities_joined.created_date',
            'case when opportunities_joined.is_closed then opportunities_joined.close_date'
            ~ ' else opportunities_joined.latest_batch_date end',
            'day'
        ) }} as days_open,

        -- booleans
        opportunities_joined.is_closed,
        opportunities_joined.is_won,
        opportunities_joined.is_closed and not opportunities_joined.is_won as is_lost,
        opportunities_joined.order_count > 0 as has_erp_order,

        -- dates
        opportunities_joined.created_date,
        opportunities_joined.close_date,
        opportunities_joined.first_order_date,
        opportunities_joined.inputs_source_batch_date as source_batch_date,

        -- timestamps
        opportunities_joined.created_at,
        opportunities_joined.last_modified_at
    from opportunities_joined
    left join customers
        on {{ customer_version_valid_on(
            'opportunities_joined.customer_id', 'opportunities_joined.close_date'
        ) }}
    left join sales_reps
        on opportunities_joined.crm_owner_id = sales_reps.crm_user_id
    left join currencies
        on opportunities_joined.currency_code = currencies.currency_code
),

final as (
    {{ select_new_or_changed_rows('opportunities_final', 'opportunity_key') }}
)

select * from final
