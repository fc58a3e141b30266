{#
    Every column check of one model in one test: one row per problem found, (check_name,
    column_name, value, row_count, severity), so the failing rows say what is wrong where.

    - unique: columns whose non-null values occur once, or lists of columns whose
      combination occurs once (a composite key: nulls count as values);
    - not_null: columns without nulls;
    - accepted_values: {column: [allowed values]}; nulls are not checked;
    - references: {column: {to: <model or seed>, field: <key column there>}}, every non-null
      value found in the referenced model (a foreign key);
    - warn_references: the same, severity warn: references that may arrive a night late.

    The test fails when it finds a problem of severity error and only warns when every
    problem is a warning (error_if below), so warnings share the model's test node.

    A model declares up to three: <model>_columns_valid (its own columns and the references
    that hold back nothing more), <model>_references_resolve (references to a model that
    something built on this one is not built on: dbt build lets a test on several models
    hold back only the models built on all of them, and a failed key check must hold back
    everything built from its model; tests/dbt/test_check_hold_back.py guards the rule) and
    <model>_references_resolve_warn (warn_references that cannot share <model>_columns_valid
    by the same rule).

    A few tests per model instead of one per column and kind: the same checks, but dbt's cost
    per test node (compiling, logging: tens of milliseconds of its single Python thread) is
    paid 78 times a night instead of 173. The `where` config of a test (staging: the rows
    loaded since the last build) filters the checked model, never the referenced one.

    dbt counts failing rows: here one row per problem (a column, a duplicate key, a missing
    value), with the number of rows it concerns in row_count.
#}
{% test columns_valid(
    model, unique=[], not_null=[], accepted_values={}, references={}, warn_references={}
) %}
{#- fails on a problem of severity error; only warns when every problem found is a warning -#}
{{ config(error_if="!= 0 and count(case when severity = 'error' then 1 end) != 0") }}

{%- set text = dbt.type_string() -%}
{%- set checks = [] -%}

{%- for key in unique -%}
    {%- set columns = [key] if key is string else key -%}
    {%- set value -%}
        {%- if columns | length == 1 -%}
            cast({{ columns[0] }} as {{ text }})
        {%- else -%}
            {%- set parts = [] -%}
            {%- for column in columns -%}
                {%- if not loop.first %}{% do parts.append("' | '") %}{% endif -%}
                {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ text ~ "), 'NULL')") -%}
            {%- endfor -%}
            {{ dbt.concat(parts) }}
        {%- endif -%}
    {%- endset -%}
    {%- set check -%}
select
    'unique' as check_name,
    '{{ columns | join(", ") }}' as column_name,
    {{ value }} as value,
    count(*) as row_count,
    'error' as severity
from {{ model }}
{%- if columns | length == 1 %}
where {{ columns[0] }} is not null
{%- endif %}
group by {{ columns | join(", ") }}
having count(*) > 1
    {%- endset -%}
    {%- do checks.append(check) -%}
{%- endfor -%}

{%- for column in not_null -%}
    {%- set check -%}
select
    'not_null' as check_name,
    '{{ column }}' as column_name,
    cast(null as {{ text }}) as value,
    count(*) as row_count,
    'error' as severity
from {{ model }}
where {{ column }} is null
having count(*) > 0
    {%- endset -%}
    {%- do checks.append(check) -%}
{%- endfor -%}

{%- for column, values in accepted_values.items() -%}
    {%- if not values -%}
        {{ exceptions.raise_compiler_error(
            "columns_valid on " ~ model ~ ": accepted_values of " ~ column ~ " lists no value"
        ) }}
    {%- endif -%}
    {%- set check -%}
select
    'accepted_values' as check_name,
    '{{ column }}' as column_name,
    cast({{ column }} as {{ text }}) as value,
    count(*) as row_count,
    'error' as severity
from {{ model }}
where {{ column }} not in (
    {%- for value in values %}'{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
)
group by {{ column }}
    {%- endset -%}
    {%- do checks.append(check) -%}
{%- endfor -%}

{%- for severity, targets in [('error', references), ('warn', warn_references)] -%}
{%- for column, target in targets.items() -%}
    {%- set check -%}
select
    'references' as check_name,
    '{{ column }}' as column_name,
    cast(checked.{{ column }} as {{ text }}) as value,
    count(*) as row_count,
    '{{ severity }}' as severity
from (select {{ column }} from {{ model }}) as checked
left join {{ ref(target.to) }} as referenced
    on checked.{{ column }} = referenced.{{ target.field }}
where checked.{{ column }} is not null
    and referenced.{{ target.field }} is null
group by checked.{{ column }}
    {%- endset -%}
    {%- do checks.append(check) -%}
{%- endfor -%}
{%- endfor -%}

{%- if not checks -%}
    {{ exceptions.raise_compiler_error(
        "columns_valid on " ~ model ~ " names no check: give unique, not_null, "
        ~ "accepted_values, references or warn_references"
    ) }}
{%- endif -%}

{{ checks | join("\nunion all\n") }}

{% endtest %}
