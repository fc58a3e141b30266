{#
    The reporting currency (var reporting_currency, from PROFITLENS_REPORTING_CURRENCY,
    default CNY) as an upper-case SQL string literal.
#}
{% macro reporting_currency() -%}
    '{{ var("reporting_currency") | trim | upper }}'
{%- endmacro %}
