{{
    config(
        materialized='incremental',
        unique_key=['production_order_id', 'operation_sequence'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook='{{ clear_staging_on_reload() }}',
    )
}}

with

source as (
    {{ select_source_rows_to_refresh(source('mes', 'mes__operations'), ['production_order_id', 'operation_seq']) }}
),

latest_versions as (
    -- operations are immutable: a record sent again in a later batch replaces the copy
    {{ select_latest_version('source', ['production_order_id', 'operation_seq']) }}
),

renamed as (
    select
        -- ids
        production_order_id,
        operation_seq as operation_sequence,

        -- strings
        work_center,
        currency as currency_code,

        -- numerics
        machine_hours,
        labour_hours,
        machine_rate as machine_rate_amount,
        labour_rate as labour_rate_amount,

        -- timestamps
        finished_at,

        -- load metadata
        _batch as source_batch,
        _loaded_at as source_loaded_at
    from latest_versions
)

select * from renamed
