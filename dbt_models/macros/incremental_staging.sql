{#
    The raw rows a delta staging model recomputes, as a select over `source_relation`
    (the model's source()).

    First build and --full-refresh: every row. Incremental run: every version of each
    record (key_columns, as named in the raw table) that the ingest loaded since the
    model last ran (`_loaded_at` after the newest `source_loaded_at` the model holds),
    so select_latest_version() sees the record's whole history and the model replaces
    it by key (delete+insert on its unique_key).

    A re-delivered file replaces its rows in raw: a record it no longer holds leaves
    no new row to find. When the ledger shows such a reload since the last run, the
    model recomputes every row; clear_staging_on_reload() (a pre-hook) empties the
    table first, so a vanished record is gone as it is after a full refresh.
#}
{% macro select_source_rows_to_refresh(source_relation, key_columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    select * from {{ source_relation }}
    {%- if staging_refreshes_by_key(source_relation) %}
    semi join (
        select distinct {{ keys }}
        from {{ source_relation }}
        where _loaded_at > (
            select coalesce(max(source_loaded_at), '-infinity'::timestamptz) from {{ this }}
        )
    ) as records_loaded_since_last_run using ({{ keys }})
    {%- endif %}
{%- endmacro %}


{#
    True when an incremental run of this staging model may recompute only the records
    loaded since its last run: the table exists, holds source_loaded_at, and no file of
    its source was re-delivered (loaded again) since then.
#}
{% macro staging_refreshes_by_key(source_relation) -%}
    {#- in a unit test the source is a fixture (a CTE): the model reads all of it -#}
    {%- if source_relation.is_cte or not (execute and is_incremental()) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if 'source_loaded_at' not in column_names(this) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(not export_file_reloaded_after(
        'select max(source_loaded_at) from ' ~ this, source_relation.identifier
    )) }}
{%- endmacro %}


{#
    Pre-hook of the delta staging models: empties the table before an incremental run
    that recomputes every row because a source file was re-delivered (see
    select_source_rows_to_refresh).

    The hook runs after the model's SQL was compiled and reads the decision from it: the
    compiled SQL names records_loaded_since_last_run exactly when the run refreshes by key.
    Asking the warehouse again would cost two more queries per staging model each night.
#}
{% macro clear_staging_on_reload() -%}
    {%- if execute and is_incremental() and model.config.materialized == 'incremental' -%}
        {%- if 'records_loaded_since_last_run' not in model.compiled_code -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
