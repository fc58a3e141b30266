{#
    A fixed spine (2000-2049) built with dbt's cross-database date_spine, cut down
    to whole calendar years: from the year before the first ERP order to the year
    after the last one (invoices fall due, payments and shipments arrive after the
    order; work orders and opportunities start before it), stretched to the
    expected close dates of CRM opportunities. A fact date outside it fails that
    fact's references_resolve test.
#}

with

sales_orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

date_spine as (
    {{ dbt.date_spine(
        datepart="day",
        start_date="cast('2000-01-01' as date)",
        end_date="cast('2049-12-31' as date)"
    ) }}
),

business_date_bounds as (
    select
        {{ dbt.dateadd('year', -1, 'min(order_date)') }} as first_date,
        {{ dbt.dateadd('year', 1, 'max(order_date)') }} as last_date
    from sales_orders
    union all
    select
        min(close_date) as first_date,
        max(close_date) as last_date
    from opportunities
),

years_in_use as (
    select
        min(extract(year from first_date)) as first_year,
        max(extract(year from last_date)) as last_year
    from business_date_bounds
),

calendar_days as (
    select cast(date_spine.date_day as date) as date_day
    from date_spine
    inner join years_in_use
        on extract(year from date_spine.date_day)
        between years_in_use.first_year and years_in_use.last_year
),

date_parts_added as (
    select
        date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        -- ISO 8601 week; ISO day of week counted from Monday 1900-01-01 (1 = Monday)
        cast(extract(week from date_day) as integer) as iso_week_number,
        cast(
            mod({{ dbt.datediff("cast('1900-01-01' as date)", "date_day", "day") }}, 7) + 1
            as integer
        ) as day_of_week_number,
        cast({{ dbt.date_trunc("month", "date_day") }} as date) as month_start_date
    from calendar_days
),

final as (
    select
        date_day,
        year_number,
        quarter_number,
        month_number,
        case month_number
            when 1 then 'January'
            when 2 then 'February'
            when 3 then 'March'
            when 4 then 'April'
            when 5 then 'May'
            when 6 then 'June'
            when 7 then 'July'
            when 8 then 'August'
            when 9 then 'September'
            when 10 then 'October'
            when 11 then 'November'
            when 12 then 'December'
        end as month_name,
        {{ dbt.concat([
            "cast(year_number as " ~ dbt.type_string() ~ ")",
            "'-'",
            "lpad(cast(month_number as " ~ dbt.type_string() ~ "), 2, '0')"
        ]) }} as year_month,
        month_start_date,
        iso_week_number,
        day_of_week_number,
        case day_of_week_number
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as day_name,
        day_of_week_number in (6, 7) as is_weekend
    from date_parts_added
)

select * from final
