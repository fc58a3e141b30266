{#
    Business dates from UTC timestamps, in the company's time zone (var
    business_time_zone, Asia/Shanghai): ERP dates are local dates and the exports are
    cut at local midnight, so a freight charge billed at 2025-04-30T17:00Z is billed on
    2025-05-01 and converted at that day's rate.
#}
{% macro business_date(timestamp) -%}
    {{ return(adapter.dispatch('business_date')(timestamp)) }}
{%- endmacro %}

{% macro default__business_date(timestamp) -%}
    cast(({{ timestamp }}) at time zone '{{ var("business_time_zone") }}' as date)
{%- endmacro %}

{% macro spark__business_date(timestamp) -%}
    to_date(from_utc_timestamp({{ timestamp }}, '{{ var("business_time_zone") }}'))
{%- endmacro %}

{#
    The instant (timestamp with time zone) at which the business day `date` ends: local
    midnight after it. An export batch named after day D holds what happened up to then.
#}
{% macro business_day_end_at(date) -%}
    {{ return(adapter.dispatch('business_day_end_at')(date)) }}
{%- endmacro %}

{% macro default__business_day_end_at(date) -%}
    (cast({{ dbt.dateadd('day', 1, date) }} as timestamp) at time zone '{{ var("business_time_zone") }}')
{%- endmacro %}

{% macro trino__business_day_end_at(date) -%}
    with_timezone(cast({{ dbt.dateadd('day', 1, date) }} as timestamp), '{{ var("business_time_zone") }}')
{%- endmacro %}

{% macro spark__business_day_end_at(date) -%}
    to_utc_timestamp(cast({{ dbt.dateadd('day', 1, date) }} as timestamp), '{{ var("business_time_zone") }}')
{%- endmacro %}

{#
    Hours from `start_at` to `end_at` (timestamps), counted in whole minutes and rounded
    to the hundredth, as DECIMAL(18, 2).
#}
{% macro hours_between(start_at, end_at) -%}
    cast(round({{ dbt.datediff(start_at, end_at, 'minute') }} / 60.0, 2) as decimal(18, 2))
{%- endmacro %}
