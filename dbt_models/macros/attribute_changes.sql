{#
    The nights on which a snapshotted record's tracked attributes changed, as a select over
    `snapshots` (a snapshot staging model: one row per record and export night, with
    batch_date and source_loaded_at): a record's first night, and every night whose `state`
    (an expression over the tracked attributes) is distinct from the night before it.

    The type-2 history windows over these rows instead of over every night's copy of every
    record, whose count grows by a whole snapshot a night. An incremental run reads only the
    nights loaded since the last successful build, each record's last change before them
    (the state they are compared with; written again unchanged) and nothing else. It
    recomputes every record (attribute_changes_recompute_all) on a first build, after a
    re-delivered export file, and when a night arrives older than one already processed:
    the changes after it would move.
#}
{% macro select_attribute_changes(snapshots, key, attributes, state) -%}
    {%- set columns = [key] + attributes -%}
    {%- if attribute_changes_recompute_all(snapshots) %}
nights as (
    select {{ columns | join(', ') }}, batch_date
    from {{ snapshots }}
),
    {%- else %}
new_nights as (
    select {{ columns | join(', ') }}, batch_date
    from {{ snapshots }}
    where source_loaded_at > {{ last_build_started_at() }}
),

states_before as (
    -- each record's last change before its first new night
    select {% for column in columns %}kept.{{ column }}, {% endfor %}kept.batch_date
    from {{ this }} as kept
    inner join (
        select {{ key }}, min(batch_date) as first_new_date
        from new_nights
        group by {{ key }}
    ) as first_new_nights
        on kept.{{ key }} = first_new_nights.{{ key }}
        and kept.batch_date < first_new_nights.first_new_date
    qualify row_number() over (partition by kept.{{ key }} order by kept.batch_date desc) = 1
),

nights as (
    select * from new_nights
    union all
    select * from states_before
),
    {%- endif %}

nights_compared as (
    select
        *,
        {{ state }} as state,
        lag({{ state }}) over (partition by {{ key }} order by batch_date) as previous_state,
        row_number() over (partition by {{ key }} order by batch_date) as night_number
    from nights
),

changes as (
    select {{ columns | join(', ') }}, batch_date
    from nights_compared
    where night_number = 1
        or state is distinct from previous_state
)
{%- endmacro %}


{#
    True when select_attribute_changes() must recompute every record: not an incremental
    run, an export file re-delivered since the last successful build, or a snapshot night
    loaded since then that is older than a night loaded before it.
#}
{% macro attribute_changes_recompute_all(snapshots) -%}
    {%- if snapshots.is_cte or not (execute and is_incremental()) -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set reloads = reloads_since_last_build_query() -%}
    {%- if reloads is none -%}
        {{ return(true) }}
    {%- endif -%}
    {#- one query for both reasons: a re-delivered file, a late night -#}
    {%- set recompute_query -%}
        select ({{ reloads }}) > 0 or exists (
            select 1
            from {{ snapshots }} as new_night
            where new_night.source_loaded_at > {{ last_build_started_at() }}
                and new_night.batch_date < (
                    select max(processed.batch_date)
                    from {{ snapshots }} as processed
                    where processed.source_loaded_at <= {{ last_build_started_at() }}
                )
        )
    {%- endset -%}
    {{ return(run_query(recompute_query).columns[0].values()[0]) }}
{%- endmacro %}


{#
    Pre-hook of the attribute change models: empties the table before an incremental run
    that recomputes every record, so that a change that no longer is one is gone. The hook
    runs after the model's SQL was compiled and reads the decision from it: only a run that
    keeps the stored changes names states_before (as clear_staging_on_reload does).
#}
{% macro clear_attribute_changes_to_recompute() -%}
    {%- if execute and is_incremental() and 'states_before' not in model.compiled_code -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
