{#
    The rows of `relation` (the model's computed rows, a CTE) that an incremental run
    writes into the existing table (delete+insert on the key), with their change_hash:

    - rows whose key the table does not hold yet;
    - rows whose change_hash differs from the stored row's. change_hash is DuckDB's 64-bit
      hash() of every compared column, in order, NULLs included, so a change in any column
      of the model's contract changes it. This catches changes that reach a row from
      elsewhere: an allocation whose group gained a row, a new dimension version, a
      corrected standard cost or FX rate, a case or invoice that ages overnight.

    A row whose hash is unchanged is not written: writing it would change nothing, and it
    keeps its refreshed_at, so the models downstream do not recompute it either. Comparing
    one stored column instead of the whole stored row matters: the rows compared lie all
    over the table, and DuckDB reads every column of every row group they fall in.

    `columns` names the compared columns of a model without a contract (default: the
    contract's, less the key and change_hash). Outside incremental runs (first build,
    --full-refresh), and when the stored table lacks change_hash or a compared column (a
    new release added one: on_schema_change appends it empty, and an unchanged hash must
    not keep it empty), every computed row is returned. A DuckDB that hashes differently
    changes every hash: the rows a night computes are then rewritten once. Two different
    rows share a hash with a chance of one in 2^64. Rows are never deleted: the source
    keys of the facts only ever grow.
#}
{% macro select_new_or_changed_rows(relation, unique_key, columns=none) -%}
    {%- set stored_columns = column_names(this) if is_incremental() and execute else [] -%}
    {%- set all_columns = columns if columns is not none else model.columns.keys() | list -%}
    {%- set compared = [] -%}
    {%- set missing_columns = [] -%}
    {%- for column_name in all_columns if column_name not in [unique_key, 'change_hash'] -%}
        {%- do compared.append(column_name) -%}
        {%- if column_name | lower not in stored_columns -%}
            {%- do missing_columns.append(column_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set hashed_rows -%}
        select *, hash({{ compared | join(', ') }}) as change_hash from {{ relation }}
    {%- endset -%}
    {%- if not compared -%}
    {#- a unit test's model has no contract: its rows as computed -#}
    select * from {{ relation }}
    {%- elif is_incremental() and 'change_hash' in stored_columns and not missing_columns -%}
    select computed_rows.*
    from ({{ hashed_rows }}) as computed_rows
    left join (
        -- only the stored rows compared: the hash table stays as small as the computed rows
        select {{ unique_key }}, change_hash from {{ this }}
        where {{ unique_key }} in (select {{ unique_key }} from {{ relation }})
    ) as stored_rows
        on computed_rows.{{ unique_key }} = stored_rows.{{ unique_key }}
    where stored_rows.{{ unique_key }} is null
        or stored_rows.change_hash is distinct from computed_rows.change_hash
    {%- else -%}
    {{ hashed_rows }}
    {%- endif -%}
{%- endmacro %}


{#
    The oldest export batch date an incremental run looks at: the newest
    `batch_column` the model's table holds, less var('incremental_lookback_days').
    None on a first build, on --full-refresh and after an export file was re-delivered
    (source_redelivered_since_last_build()): everything is computed, so a model can
    write `{% set cutoff = incremental_cutoff() %} ... {% if cutoff %} filter {% endif %}`.
    In an incremental run it also stores last_build_started_at_constant() for the filters.
#}
{% macro incremental_cutoff(batch_column='source_batch_date') -%}
    {%- set reloads = reloads_since_last_build_query() if execute and is_incremental() else none -%}
    {%- if not reloads -%}
        {{ return(none) }}
    {%- endif -%}
    {#- one query for every answer: dbt's cost per query is paid by 14 models a night -#}
    {%- set cutoff_query -%}
        set variable profitlens_last_build_started_at = {{ last_build_started_at() }};
        select case when ({{ reloads }}) = 0 then cast({{ dbt.dateadd(
            'day', -1 * var('incremental_lookback_days') | int, 'max(' ~ batch_column ~ ')'
        ) }} as date) end
        from {{ this }}
    {%- endset -%}
    {%- set cutoff = run_query(cutoff_query).columns[0].values()[0] -%}
    {{ return(cutoff) }}
{%- endmacro %}


{#
    The rows of a staging model (`alias`: its name in the query, none when unambiguous)
    loaded from an export batch dated `cutoff` (incremental_cutoff()) or later.

    source_batch is the batch folder's name, which the ingest accepts only as a real
    YYYY-MM-DD date (lib/ingest/landing.py), so comparing the text compares the dates.
    Compared as text, DuckDB skips the row groups whose min/max lie before the cutoff
    (rows are appended batch by batch); cast to a date, it casts and tests every row
    (int_production_orders_costed: 0.66 -> 0.47 s).
#}
{% macro batch_loaded_since(cutoff, alias=none) -%}
    {{ alias ~ '.' if alias else '' }}source_batch >= '{{ cutoff }}'
{%- endmacro %}


{#
    Keys (`key_column`) of the stored fact rows an incremental run recomputes whatever
    their own inputs did, as a union of selects over {{ this }}:

    - rows inside the look-back window (source_batch_date >= cutoff);
    - rows pointing at the unknown member of a dimension although they name a member
      (`unknown_members`: {dimension key column: natural key column}): the customer,
      product, ... may have arrived since;
    - rows of a customer version opened in the window (type-2 change of the customer
      the row's `date_column` falls into);
    - rows whose source customer (`rematch`: source system and the fact's column holding
      its id; none to skip) now maps to another golden customer;
    - rows dated on a day whose FX rates were loaded since the last build.

    The fact must hold customer_id, source_batch_date and the `date_column` its customer
    version and FX rate are looked up with.
#}
{% macro stored_rows_to_refresh(
    key_column, date_column, cutoff, unknown_members, rematch=('erp', 'erp_customer_number')
) -%}
    select {{ key_column }} from {{ this }}
    where source_batch_date >= cast('{{ cutoff }}' as date)
        {%- for dimension_key, natural_key in unknown_members.items() %}
        or ({{ dimension_key }} = {{ unknown_member_key() }} and {{ natural_key }} is not null)
        {%- endfor %}
    union
    select stored_rows.{{ key_column }}
    from {{ this }} as stored_rows
    inner join {{ ref('dim_customers') }} as customer_versions
        on stored_rows.customer_id = customer_versions.customer_id
    where customer_versions.valid_from_date >= cast('{{ cutoff }}' as date)
        and stored_rows.{{ date_column }} >= customer_versions.valid_from_date
    {%- if rematch %}
    union
    select stored_rows.{{ key_column }}
    from {{ this }} as stored_rows
    left join {{ ref('int_customers_matched') }} as customers_matched
        on customers_matched.source_system = '{{ rematch[0] }}'
        and stored_rows.{{ rematch[1] }} = customers_matched.source_id
    where stored_rows.customer_id is distinct from customers_matched.customer_number
    {%- endif %}
    union
    select stored_rows.{{ key_column }}
    from {{ this }} as stored_rows
    inner join {{ ref('stg_erp__fx_rates') }} as changed_rates
        on stored_rows.{{ date_column }} = changed_rates.rate_date
    where changed_rates.source_loaded_at > {{ last_build_started_at_constant() }}
{%- endmacro %}


{#
    Values of `column` in the rows of `relation` stamped (`stamp_column`: refreshed_at
    of an intermediate model, source_loaded_at of a staging model) after the last build
    (an incremental run only: see last_build_started_at_constant()).
#}
{% macro changed_since_last_build(relation, column, stamp_column='source_loaded_at') -%}
    select {{ column }} from {{ relation }}
    where {{ stamp_column }} > {{ last_build_started_at_constant() }}
{%- endmacro %}
