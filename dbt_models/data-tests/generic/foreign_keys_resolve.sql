{#
    Fails for every foreign key value of `model` that its dimension does not hold: one row
    per (column_name, key_value) with the number of rows carrying it. `references` maps
    each key column to {to: <model name>, field: <key column there>}; NULL keys are not
    checked (not_null constraints cover the columns that must be set).

    One test per fact instead of one relationships test per key: the same checks, but a
    night runs a handful of nodes instead of dozens (dbt's cost per test node is larger
    than DuckDB's cost of the anti-join).
#}
{% test foreign_keys_resolve(model, references) %}

{%- for column, target in references.items() %}
select
    '{{ column }}' as column_name,
    cast(checked.{{ column }} as varchar) as key_value,
    count(*) as row_count
from {{ model }} as checked
anti join {{ ref(target.to) }} as referenced
    on checked.{{ column }} = referenced.{{ target.field }}
where checked.{{ column }} is not null
group by all
{% if not loop.last %}union all{% endif %}
{%- endfor %}

{% endtest %}
