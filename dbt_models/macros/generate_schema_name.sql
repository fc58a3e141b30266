{#
    Use a model's custom schema as it is (staging, intermediate, marts) instead of
    dbt's default <target_schema>_<custom_schema>: the warehouse has one build
    target, and the app and SQL users read marts.<table>.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
