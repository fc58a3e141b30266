{#
    Fails for every row of the model where the SQL boolean `expression` is not true
    (dbt_utils.expression_is_true, which cannot be installed here).
#}
{% test expression_is_true(model, expression) %}

with

validation_errors as (
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
)

select * from validation_errors

{% endtest %}
