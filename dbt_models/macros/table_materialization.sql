{#
    Table models are rebuilt in place: the old table is dropped and the new one created
    inside one transaction, where dbt-duckdb creates it under a temporary name and renames
    the old table away and the new one into place. Each rename is an adapter call for which
    dbt builds a fresh context of every macro, about 30 ms of its single Python thread;
    two dozen tables a night made that a second of the night.

    Safe here because a build writes its own file (DESIGN.md principle 5): no reader can
    see the table missing, and a failed statement rolls the transaction back to the old
    table. Contracts are enforced by create_table_as as before. No foreign keys are
    declared (dbt-duckdb rebuilds such tables in place too).
#}
{% materialization table, adapter='duckdb' %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- BEGIN happens here
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% do rebuild_table_in_place(existing_relation, target_relation) %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#
    The model's table dropped (when it exists) and created from its compiled SQL, inside the
    caller's transaction: the table materialization, and the incremental one on a first
    build or --full-refresh.
#}
{% macro rebuild_table_in_place(existing_relation, target_relation) -%}
    {% if existing_relation is not none %}
        {% call statement('drop_existing') -%}
            drop {{ existing_relation.type }} if exists {{ existing_relation }}
        {%- endcall %}
    {% endif %}
    {% call statement('main') -%}
        {{ create_table_as(False, target_relation, compiled_code) }}
    {%- endcall %}
{%- endmacro %}
