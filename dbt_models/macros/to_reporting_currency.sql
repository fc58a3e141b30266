{#
    Converts an amount with a rate into the reporting currency, rounded to the cent.
    The amount is widened first so that large amounts times a 10-decimal rate
    cannot overflow DECIMAL(18, x) arithmetic. A NULL rate gives NULL (never a
    silent fallback): the not_null tests on the *_rc columns then fail the build.
#}
{% macro to_reporting_currency(amount, fx_rate) -%}
    cast(round(cast({{ amount }} as decimal(38, 6)) * {{ fx_rate }}, 2) as decimal(18, 2))
{%- endmacro %}
