{#
    A join clause that turns every element of the array column `array_column` into a
    row, exposed as `element_column` (rows with an empty array drop out). DuckDB and
    Trino: cross join unnest(...); Spark: lateral view explode(...).
#}
{% macro cross_join_unnest(array_column, element_column) -%}
    {{ return(adapter.dispatch('cross_join_unnest')(array_column, element_column)) }}
{%- endmacro %}

{% macro default__cross_join_unnest(array_column, element_column) -%}
    cross join unnest({{ array_column }}) as unnested_elements ({{ element_column }})
{%- endmacro %}

{% macro spark__cross_join_unnest(array_column, element_column) -%}
    lateral view explode({{ array_column }}) unnested_elements as {{ element_column }}
{%- endmacro %}
