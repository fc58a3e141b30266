{#
    The rate from `currency_column` to the reporting currency: 1 when they are the
    same (no rate needed), else `rate_column` (a looked-up
    int_fx_rates_rebased.fx_rate_to_reporting; NULL when the ERP has no rate that day).
#}
{% macro fx_rate_to_reporting(currency_column, rate_column) -%}
    case
        when {{ currency_column }} = {{ reporting_currency() }} then cast(1 as decimal(18, 10))
        else {{ rate_column }}
    end
{%- endmacro %}
