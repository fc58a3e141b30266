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


{#
    Join condition picking the dim_customers version (joined as `versions`) of the golden
    customer `customer_id_column` that was valid on `date_expression`: versions are
    inclusive at both ends (valid_to_date is the day before the next version starts).
#}
{% macro customer_version_valid_on(customer_id_column, date_expression, versions='customers') -%}
    {{ customer_id_column }} = {{ versions }}.customer_id
        and {{ date_expression }}
            between {{ versions }}.valid_from_date and {{ versions }}.valid_to_date
{%- endmacro %}
