{#
    The rows of the latest export batch of a snapshot entity, as a select over
    `relation` (a CTE or relation holding the raw rows with their load columns).

    A snapshot export holds every record each night, so the latest batch is the
    current state: a record missing from it is gone. The ingest rejects repeated keys
    within a file, so the result has one row per key.
#}
{% macro select_latest_snapshot(relation) -%}
    select * from {{ relation }}
    where _batch = (select max(_batch) from {{ relation }})
{%- endmacro %}
