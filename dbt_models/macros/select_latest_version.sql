{#
    The latest version of every record of a delta export, as a select over `relation`
    (a CTE or relation holding the raw rows with their load columns).

    One row per key_columns: the version with the latest change_columns (in the order
    given, each descending), then the latest export batch (_batch). That is one row: a
    batch holds one file per entity and the ingest rejects a key repeated within a file.
    Immutable entities pass no change column: a record sent again in a later batch
    replaces the earlier copy. The result keeps every column of `relation`
    plus version_rank (always 1). Portable: row_number() in a subquery, no `qualify`.
#}
{% macro select_latest_version(relation, key_columns, change_columns=[]) -%}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by
                    {%- for column in change_columns %}
                    {{ column }} desc,
                    {%- endfor %}
                    _batch desc
            ) as version_rank
        from {{ relation }}
    ) as versions_ranked
    where version_rank = 1
{%- endmacro %}
