{#
    Incremental models, the project's way: every one of them replaces its recomputed rows
    by key (delete+insert) and appends the columns a new release adds
    (on_schema_change='append_new_columns'), and this materialization does only that.

    Where dbt-duckdb's materialization reads the columns of the new rows and of the table
    through two adapter calls per model (dbt builds a fresh context of every macro for each,
    tens of milliseconds of its single Python thread), the statement that writes the new
    rows also lists the columns the table lacks, and the rows are inserted by name. A first
    build or --full-refresh drops and creates the table in one transaction, like the table
    materialization (rebuild_table_in_place), instead of swapping it in by two renames.

    Other strategies and on_schema_change values stop the model with an error that names
    them: the project uses none, and a silent fallback would behave differently.
#}
{% materialization incremental, adapter='duckdb' %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set strategy = config.get('incremental_strategy') or 'delete+insert' -%}
    {%- set on_schema_change = config.get('on_schema_change') or 'ignore' -%}
    {%- set rebuild = existing_relation is none or existing_relation.is_view
        or should_full_refresh() -%}

    {%- if strategy not in ['delete+insert', 'append'] -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ model.unique_id ~ ": incremental_strategy '" ~ strategy ~ "' is not "
            ~ "supported by the project's incremental materialization "
            ~ "(macros/incremental_materialization.sql): use 'delete+insert' or 'append'."
        ) }}
    {%- endif -%}
    {%- if strategy == 'delete+insert' and not unique_key -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ model.unique_id ~ ": incremental_strategy 'delete+insert' needs a "
            ~ "unique_key (a column or a list of columns)."
        ) }}
    {%- endif -%}
    {%- if on_schema_change not in ['ignore', 'append_new_columns', 'fail'] -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ model.unique_id ~ ": on_schema_change '" ~ on_schema_change ~ "' is "
            ~ "not supported by the project's incremental materialization: use "
            ~ "'append_new_columns', 'fail' or 'ignore'."
        ) }}
    {%- endif -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- BEGIN happens here
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if rebuild %}
        {% do rebuild_table_in_place(existing_relation, target_relation) %}
    {% else %}
        {%- set new_rows = make_temp_relation(target_relation) -%}
        {%- set check_columns = on_schema_change != 'ignore' -%}
        {#- the columns the table lacks come back with the same statement: one query less -#}
        {% call statement('new_rows', fetch_result=check_columns) -%}
            {{ create_table_as(True, new_rows, compiled_code) }};
            {% if check_columns -%}
            {{ columns_missing_query(new_rows, target_relation) }}
            {%- endif %}
        {%- endcall %}
        {% if check_columns %}
            {% do add_new_columns(
                load_result('new_rows').table.rows, target_relation, on_schema_change
            ) %}
        {% endif %}
        {% call statement('main') -%}
            {% if strategy == 'delete+insert' %}
                {{ delete_rows_by_key(target_relation, new_rows, unique_key) }};
            {% endif %}
            insert into {{ target_relation }} by name select * from {{ new_rows }};
            drop table {{ new_rows }}
        {%- endcall %}
    {% endif %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#
    Deletes the rows of `target` whose key (a column or a list of columns) the rows of
    `new_rows` carry. A null key matches nothing, as in dbt's delete+insert.
#}
{% macro delete_rows_by_key(target, new_rows, unique_key) -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- if keys | length == 1 -%}
    delete from {{ target }}
    where {{ keys[0] }} in (select {{ keys[0] }} from {{ new_rows }})
    {%- else -%}
    delete from {{ target }} as stored_rows
    using {{ new_rows }} as new_rows
    where {% for key in keys -%}
        new_rows.{{ key }} = stored_rows.{{ key }}{% if not loop.last %} and {% endif %}
    {%- endfor %}
    {%- endif -%}
{%- endmacro %}


{#
    The columns the new rows hold and `target` lacks (`new_columns`: name and type, as
    columns_missing_query() lists them), added to `target` (append_new_columns), or an error
    naming them (fail). Columns the model no longer computes stay in the table
    and are left empty in the inserted rows. Adding a column empties the table's
    change_hash, so every stored row is rewritten the next time it is recomputed.
#}
{% macro columns_missing_query(new_rows, target) -%}
    select column_name, column_type
    from (describe {{ new_rows }})
    where lower(column_name) not in (
        select lower(column_name) from (describe {{ target }})
    )
{%- endmacro %}


{% macro add_new_columns(new_columns, target, on_schema_change) -%}
    {%- if new_columns and on_schema_change == 'fail' -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ model.unique_id ~ " computes columns its table " ~ target ~ " lacks ("
            ~ new_columns | map(attribute=0) | join(', ') ~ ") and on_schema_change is 'fail': "
            ~ "run it with --full-refresh, or set on_schema_change='append_new_columns'."
        ) }}
    {%- endif -%}
    {%- for column in new_columns -%}
        {% call statement('add_column_' ~ loop.index) -%}
            alter table {{ target }} add column {{ adapter.quote(column[0]) }} {{ column[1] }}
        {%- endcall %}
    {%- endfor -%}
    {%- set new_names = new_columns | map(attribute=0) | map('lower') | list -%}
    {%- if new_columns and 'change_hash' not in new_names
        and 'change_hash' in column_names(target) -%}
        {#- the stored hashes describe the rows without the new columns: a row whose hash
            still matched would keep them empty (select_new_or_changed_rows) -#}
        {% call statement('forget_change_hashes') -%}
            update {{ target }} set change_hash = null
        {%- endcall %}
    {%- endif -%}
{%- endmacro %}
