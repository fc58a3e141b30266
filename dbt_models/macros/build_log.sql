{#
    The build log: one row per `dbt build`/`dbt run` in meta.dbt_builds (on-run-end), so
    that an incremental model can tell whether an export file was re-delivered since the
    last build that updated every model, and when the last build compacted the tables.
#}
{% macro create_build_log() -%}
    create schema if not exists meta;
    create table if not exists meta.dbt_builds (
        invocation_id varchar,
        started_at timestamptz,
        finished_at timestamptz,
        models_run integer,
        all_models_succeeded boolean
    );
    alter table meta.dbt_builds add column if not exists compacted boolean
{%- endmacro %}


{#
    Compaction of deleted rows, once every var('compact_every_days') days.

    An incremental model replaces its recomputed rows (delete+insert). DuckDB's
    checkpoint then vacuums: it rewrites the row groups holding deleted rows, which means
    every row group of a large fact (scale 1: about 2 s of a night, on one core, after the
    last model). Deleted rows cost only space and a little scan time until then, and a
    vacuum reclaims everything deleted since the last one in a single rewrite, so the
    nights in between skip it (max_vacuum_tasks = 0) and one build in the period pays it.
    A build compacts when no build recorded in meta.dbt_builds compacted within the period
    (a first build, or one after the period, does).
#}
{% macro set_compaction_for_build() -%}
    {%- if execute and not compaction_due() -%}
        set global max_vacuum_tasks = 0
    {%- endif -%}
{%- endmacro %}


{% macro compaction_due() -%}
    {#- the hook before this one created the log and its column: hooks run in turn -#}
    {%- set last_compaction_query -%}
        select count(*) = 0
        from {{ adapter.quote(target.database) }}.meta.dbt_builds
        where compacted
            and started_at > {{ dbt.dateadd(
                'day', -1 * var('compact_every_days') | int, refresh_stamp()
            ) }}
    {%- endset -%}
    {{ return(run_query(last_compaction_query).columns[0].values()[0]) }}
{%- endmacro %}


{#
    all_models_succeeded is true when every model was built and no data test of severity
    error failed (nor was skipped): the next night then tests and recomputes only what
    arrived after this build started. A test that fails without stopping a model (a check
    on several models, such as references, blocks only the models downstream of all of
    them) must still make the next night look at the same rows again.
#}
{% macro record_build(results) -%}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set models_ok = [] -%}
        {%- set blocking_tests_failed = [] -%}
        {%- for result in results -%}
            {%- if result.node.resource_type == 'model' -%}
                {%- do models_ok.append(result.status == 'success') -%}
            {%- elif result.node.resource_type == 'test'
                and result.status in ('fail', 'error', 'skipped') -%}
                {%- do blocking_tests_failed.append(result.node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ create_build_log() }};
        insert into meta.dbt_builds values (
            '{{ invocation_id }}',
            cast('{{ run_started_at.isoformat() }}' as timestamptz),
            current_timestamp,
            {{ models_ok | length }},
            {{ 'true' if models_ok and false not in models_ok and not blocking_tests_failed
                else 'false' }},
            cast(current_setting('max_vacuum_tasks') as integer) > 0
        );
    {%- endif -%}
{%- endmacro %}


{#
    True when an export file was loaded again (re-delivered with new content) after the
    start of the last build in which every model succeeded, or when there is no such
    build: rows may then have vanished from raw, which a run over recent batches cannot
    see, so incremental models recompute every row (incremental_cutoff() is none).
#}
{% macro source_redelivered_since_last_build() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set reloads = reloads_since_last_build_query() -%}
    {%- if reloads is none -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(run_query(reloads).columns[0].values()[0] > 0) }}
{%- endmacro %}


{#
    The query counting the export files re-delivered since the start of the last build in
    which every model succeeded (see source_redelivered_since_last_build), for a caller that
    asks it together with something else in one query; none when there is no build log.
#}
{% macro reloads_since_last_build_query() -%}
    {%- set log = adapter.get_relation(database=target.database, schema='meta',
        identifier='dbt_builds') -%}
    {%- if log is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(reloads_query(
        'select max(started_at) from ' ~ log ~ ' where all_models_succeeded'
    )) }}
{%- endmacro %}


{#
    The ingest's ledger of export files (raw._loads, one row per file and load; written by
    the ingest assets, so not a dbt source: it is not a table the models are built from).
#}
{% macro ingest_ledger() -%}
    {{ adapter.quote(target.database) }}.raw._loads
{%- endmacro %}



{#
    True when the ledger shows an export file loaded again (a re-delivered, changed file
    whose rows replaced the earlier ones) after the time `since_query` selects (no time:
    ever); only files of the raw table `raw_table` when given.
#}
{% macro export_file_reloaded_after(since_query, raw_table=none) -%}
    {{ return(run_query(reloads_query(since_query, raw_table)).columns[0].values()[0] > 0) }}
{%- endmacro %}


{#
    The query behind export_file_reloaded_after: the number of such reloads.
#}
{% macro reloads_query(since_query, raw_table=none) -%}
    {%- set query -%}
        select count(*)
        from {{ ingest_ledger() }} as reload
        where reload.status = 'loaded'
            {%- if raw_table %}
            and reload.system || '__' || reload.entity = '{{ raw_table }}'
            {%- endif %}
            and reload.finished_at > coalesce(({{ since_query }}), '-infinity'::timestamptz)
            and exists (
                select 1
                from {{ ingest_ledger() }} as earlier_load
                where earlier_load.source_file = reload.source_file
                    and earlier_load.status = 'loaded'
                    and earlier_load.finished_at < reload.finished_at
            )
    {%- endset -%}
    {{ return(query) }}
{%- endmacro %}


{#
    When the last build in which every model succeeded started (-infinity when none did):
    a row stamped later (refreshed_at, or staging's source_loaded_at) changed since, and
    the incremental models downstream recompute what depends on it.
#}
{% macro last_build_started_at() -%}
    coalesce(
        (
            select max(started_at)
            from {{ adapter.quote(target.database) }}.meta.dbt_builds
            where all_models_succeeded
        ),
        '-infinity'::timestamptz
    )
{%- endmacro %}


{#
    last_build_started_at() as a constant of the model's connection, for the filters of an
    incremental run: incremental_cutoff() stores it in a DuckDB variable with the query that
    computes the cutoff. DuckDB filters a table on a constant while scanning it (skipping
    row groups by their min/max and reading the other columns of matching rows only); on the
    subquery it reads the stamp and key of every row first (fct_order_lines: 1.04 -> 0.87 s).
    Use it only where incremental_cutoff() ran in the same model, in an incremental run:
    elsewhere the variable is null and nothing would pass the filter.
#}
{% macro last_build_started_at_constant() -%}
    getvariable('profitlens_last_build_started_at')
{%- endmacro %}


{#
    The time stamp of this run, for the refreshed_at column of the incremental
    intermediate models: the facts recompute the rows refreshed after the last build.
#}
{% macro refresh_stamp() -%}
    cast('{{ run_started_at.isoformat() }}' as timestamptz)
{%- endmacro %}



{#
    Pre-hook of an incremental model whose rows can vanish with their source records:
    empties the table before a run that recomputes every row because an export file was
    re-delivered (incremental_cutoff() is none), so it ends as a full refresh would.
#}
{% macro clear_when_source_redelivered() -%}
    {%- if execute and is_incremental() and source_redelivered_since_last_build() -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
