{#
    Fails for every combination of the given columns that occurs more than once
    (the composite-key uniqueness test of dbt_utils, which cannot be installed here).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

validation_errors as (
    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from validation_errors

{% endtest %}
