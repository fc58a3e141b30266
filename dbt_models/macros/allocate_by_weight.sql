{#
    The allocation used by the cost rules (docs/model.md): each amount of `amounts`
    (a mapping output column -> SQL expression, the same on every row of a group) is
    split over the rows of each `partition_by` group in proportion to `weight`; each
    share is rounded to the cent and the rounding remainder is put on the row with the
    largest weight (ties: the first row by `tie_breaker`), so that the shares of a
    group add up to the amount exactly. A group whose weights sum to zero (or less) is
    split equally.

    Expands to three CTEs, <name>_weighted, <name>_rounded and <name>; <name> has the
    columns of `relation` plus one DECIMAL(18, 2) column per amount. Several amounts
    with the same weights share the window passes. Portable SQL: window functions, no
    qualify.
#}
{% macro allocate_by_weight(name, relation, partition_by, amounts, weight, tie_breaker) -%}
{%- set partition = partition_by | join(', ') -%}
{{ name }}_weighted as (
    select
        *,
        sum({{ weight }}) over (partition by {{ partition }}) as allocation_total_weight,
        count(*) over (partition by {{ partition }}) as allocation_row_count,
        row_number() over (
            partition by {{ partition }}
            order by {{ weight }} desc, {{ tie_breaker | join(', ') }}
        ) as allocation_weight_rank
    from {{ relation }}
),

{{ name }}_rounded as (
    select
        *,
        {%- for column_name, amount in amounts.items() %}
        cast(round(
            case
                when allocation_total_weight > 0
                    then {{ amount }} * {{ weight }} / allocation_total_weight
                else {{ amount }} / allocation_row_count
            end,
            2
        ) as decimal(18, 2)) as {{ column_name }}_rounded_share{{ "," if not loop.last }}
        {%- endfor %}
    from {{ name }}_weighted
),

{{ name }} as (
    select
        *,
        {%- for column_name, amount in amounts.items() %}
        cast(
            {{ column_name }}_rounded_share
            + case
                when allocation_weight_rank = 1
                    then {{ amount }} - sum({{ column_name }}_rounded_share) over (
                        partition by {{ partition }}
                    )
                else 0
            end
            as decimal(18, 2)
        ) as {{ column_name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ name }}_rounded
)
{%- endmacro %}
