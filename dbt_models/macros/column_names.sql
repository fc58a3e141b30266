{#
    The lower-case column names of an existing table, by one query in the calling context.
    adapter.get_columns_in_relation() returns the same names, but dbt builds a fresh context
    of every macro for each adapter call: tens of milliseconds of its single Python thread,
    paid by every incremental model each night.
#}
{% macro column_names(relation) -%}
    {%- set names_query -%}
        select lower(column_name) from (describe {{ relation }})
    {%- endset -%}
    {{ return(run_query(names_query).columns[0].values() | list) }}
{%- endmacro %}
