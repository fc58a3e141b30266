{#
    Surrogate key of a dimension row found by a fact: generate_surrogate_key of
    `field_list`, or the unknown member's key when `found_column` (a column of the
    looked-up dimension row, or the natural key itself) is null.
#}
{% macro dimension_key(field_list, found_column) -%}
    case
        when {{ found_column }} is null then {{ unknown_member_key() }}
        else {{ generate_surrogate_key(field_list) }}
    end
{%- endmacro %}
