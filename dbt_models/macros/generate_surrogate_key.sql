{#
    Surrogate key from natural-key columns, the same as dbt_utils.generate_surrogate_key
    (same null placeholder and separator, so keys stay identical if dbt_utils is
    installed later): md5 of the columns cast to text and joined with '-'.
#}
{% macro generate_surrogate_key(field_list) -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append(
            "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_dbt_utils_surrogate_key_null_')"
        ) -%}
        {%- if not loop.last -%}
            {%- do fields.append("'-'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}
