{{
    config(
        materialized='incremental',
        unique_key=['source_system', 'source_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_customer_records_gone() }}",
    )
}}

{#
    Customer names and cities of both systems folded into comparable keys:

    1. full-width forms -> half-width, traditional -> simplified characters (seed
       traditional_chinese_characters), lower case, punctuation -> spaces;
    2. Chinese words -> their Latin alias (seed customer_name_aliases), longest first,
       one alias per pass, alias_passes passes (a name holds city, brand and industry,
       sometimes a bracketed city: 6 passes leave room);
    3. the record's own city dropped from its name (CRM names often carry it, a
       bracketed city moves it: '华信机械（杭州）有限公司');
    4. legal-form suffixes stripped from the end (seed legal_form_suffixes), longest
       first, suffix_passes times, remembering the legal form they prove;
    5. spaces removed, so that 'Hong Da' and 'Hongda' compare equal.

    Incremental (delete+insert by record): the folding runs only for the records that are
    new or whose inputs differ from the stored row; a post-hook removes the records gone
    from both sources. After editing a seed, run --full-refresh.
#}

{%- set alias_passes = 6 -%}
{%- set suffix_passes = 3 -%}

with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

customers as (
    select * from {{ ref('stg_erp__customers') }}
),

customer_name_aliases as (
    select * from {{ ref('customer_name_aliases') }}
),

traditional_chinese_characters as (
    select * from {{ ref('traditional_chinese_characters') }}
),

legal_form_suffixes as (
    select * from {{ ref('legal_form_suffixes') }}
),

source_records_unioned as (
    select
        'crm' as source_system,
        crm_account_id as source_id,
        erp_customer_number as claimed_erp_customer_number,
        account_name as source_name,
        billing_city as source_city,
        billing_country_code as source_country_code,
        tax_id as source_tax_id
    from accounts

    union all

    select
        'erp' as source_system,
        erp_customer_number as source_id,
        cast(null as {{ dbt.type_string() }}) as claimed_erp_customer_number,
        customer_name as source_name,
        city as source_city,
        country_code as source_country_code,
        tax_id as source_tax_id
    from customers
),

source_records_prepared as (
    select
        source_system,
        source_id,
        nullif(trim(claimed_erp_customer_number), '') as claimed_erp_customer_number,
        source_name,
        source_city,
        upper(trim(source_country_code)) as country_code,
        nullif(upper(replace(replace(trim(source_tax_id), ' ', ''), '-', '')), '') as tax_id
    from source_records_unioned
),

records_to_fold as (
    select * from source_records_prepared
    {%- if is_incremental() %}
    -- new records and records whose inputs changed (NULL-safe)
    where not exists (
        select 1
        from {{ this }} as stored
        where stored.source_system = source_records_prepared.source_system
            and stored.source_id = source_records_prepared.source_id
            {%- for column in ['claimed_erp_customer_number', 'source_name', 'source_city',
                               'country_code', 'tax_id'] %}
            and stored.{{ column }} is not distinct from source_records_prepared.{{ column }}
            {%- endfor %}
    )
    {%- endif %}
),

character_pairs_aggregated as (
    -- translate() takes the pairs as two strings of equal length, in the same order
    select
        coalesce(
            {{ dbt.listagg('traditional_character', "''", 'order by traditional_character') }}, ''
        ) as traditional_characters,
        coalesce(
            {{ dbt.listagg('simplified_character', "''", 'order by traditional_character') }}, ''
        ) as simplified_characters
    from traditional_chinese_characters
    where {{ dbt.length('traditional_character') }} = 1
        and {{ dbt.length('simplified_character') }} = 1
),

aliases_folded as (
    select
        trim(name_zh) as name_zh,
        ' ' || {{ collapse_spaces(fold_punctuation('lower(' ~ fold_full_width('name_latin') ~ ')')) }}
        || ' ' as name_latin_padded
    from customer_name_aliases
    where trim(name_zh) <> ''
),

suffixes_folded as (
    select
        {{ collapse_spaces(fold_punctuation('lower(' ~ fold_full_width('legal_form_suffix') ~ ')')) }}
            as suffix_text,
        language,
        nullif(trim(legal_form), '') as legal_form
    from legal_form_suffixes
),

texts_stacked as (
    -- names and cities are folded the same way: one row per record and text
    select
        source_system,
        source_id,
        'name' as text_role,
        source_name as original_text
    from records_to_fold

    union all

    select
        source_system,
        source_id,
        'city' as text_role,
        source_city as original_text
    from records_to_fold
),

texts_folded as (
    select
        texts_stacked.source_system,
        texts_stacked.source_id,
        texts_stacked.text_role,
        {{ fold_punctuation(
            'lower(translate('
            ~ fold_full_width('texts_stacked.original_text')
            ~ ', character_pairs_aggregated.traditional_characters'
            ~ ', character_pairs_aggregated.simplified_characters))'
        ) }} as folded_text
    from texts_stacked
    cross join character_pairs_aggregated
),

{% for pass_number in range(1, alias_passes + 1) %}
{%- set previous_texts = 'texts_folded' if loop.first else 'aliases_replaced_' ~ (pass_number - 1) %}
aliases_found_{{ pass_number }} as (
    -- the longest alias left in each text
    select
        texts.source_system,
        texts.source_id,
        texts.text_role,
        aliases_folded.name_zh,
        aliases_folded.name_latin_padded,
        row_number() over (
            partition by texts.source_system, texts.source_id, texts.text_role
            order by {{ dbt.length('aliases_folded.name_zh') }} desc, aliases_folded.name_zh
        ) as alias_rank
    from {{ previous_texts }} as texts
    inner join aliases_folded
        on {{ dbt.position('aliases_folded.name_zh', 'texts.folded_text') }} > 0
),

aliases_replaced_{{ pass_number }} as (
    select
        texts.source_system,
        texts.source_id,
        texts.text_role,
        coalesce(
            replace(texts.folded_text, aliases_found.name_zh, aliases_found.name_latin_padded),
            texts.folded_text
        ) as folded_text
    from {{ previous_texts }} as texts
    left join aliases_found_{{ pass_number }} as aliases_found
        on texts.source_system = aliases_found.source_system
        and texts.source_id = aliases_found.source_id
        and texts.text_role = aliases_found.text_role
        and aliases_found.alias_rank = 1
),
{% endfor %}

texts_pivoted as (
    select
        source_system,
        source_id,
        max(case when text_role = 'name' then {{ collapse_spaces('folded_text') }} end)
            as normalized_name,
        max(case when text_role = 'city' then {{ collapse_spaces('folded_text') }} end)
            as normalized_city
    from aliases_replaced_{{ alias_passes }}
    group by source_system, source_id
),

own_city_removed_from_names as (
    select
        source_system,
        source_id,
        normalized_city,
        case
            when coalesce(normalized_city, '') = '' then normalized_name
            else {{ collapse_spaces(
                "replace(' ' || normalized_name || ' ', ' ' || normalized_city || ' ', ' ')"
            ) }}
        end as name_text,
        cast(null as {{ dbt.type_string() }}) as legal_form
    from texts_pivoted
),

{% for pass_number in range(1, suffix_passes + 1) %}
{%- set previous_names = 'own_city_removed_from_names' if loop.first
    else 'suffixes_stripped_' ~ (pass_number - 1) %}
suffixes_found_{{ pass_number }} as (
    -- the longest legal-form suffix the name ends with (other than Chinese: whole words)
    select
        names.source_system,
        names.source_id,
        suffixes_folded.suffix_text,
        suffixes_folded.legal_form,
        row_number() over (
            partition by names.source_system, names.source_id
            order by {{ dbt.length('suffixes_folded.suffix_text') }} desc, suffixes_folded.suffix_text
        ) as suffix_rank
    from {{ previous_names }} as names
    inner join suffixes_folded
        on names.name_text like '%' || suffixes_folded.suffix_text
        and (
            suffixes_folded.language = 'zh'
            or names.name_text = suffixes_folded.suffix_text
            or names.name_text like '% ' || suffixes_folded.suffix_text
        )
),

suffixes_stripped_{{ pass_number }} as (
    select
        names.source_system,
        names.source_id,
        names.normalized_city,
        case
            when suffixes_found.suffix_text is null then names.name_text
            else trim(substring(
                names.name_text,
                1,
                {{ dbt.length('names.name_text') }} - {{ dbt.length('suffixes_found.suffix_text') }}
            ))
        end as name_text,
        -- 'Corp.' or 股份 anywhere in the suffixes makes it a joint-stock company
        case
            when 'joint_stock' in (names.legal_form, suffixes_found.legal_form) then 'joint_stock'
            else coalesce(names.legal_form, suffixes_found.legal_form)
        end as legal_form
    from {{ previous_names }} as names
    left join suffixes_found_{{ pass_number }} as suffixes_found
        on names.source_system = suffixes_found.source_system
        and names.source_id = suffixes_found.source_id
        and suffixes_found.suffix_rank = 1
),
{% endfor %}

final as (
    select
        records_to_fold.source_system,
        records_to_fold.source_id,
        records_to_fold.claimed_erp_customer_number,

        records_to_fold.source_name,
        records_to_fold.source_city,
        records_to_fold.country_code,
        records_to_fold.tax_id,
        names.name_text as normalized_name,
        nullif(replace(names.name_text, ' ', ''), '') as name_key,
        nullif(replace(names.normalized_city, ' ', ''), '') as city_key,
        names.legal_form
    from records_to_fold
    inner join suffixes_stripped_{{ suffix_passes }} as names
        on records_to_fold.source_system = names.source_system
        and records_to_fold.source_id = names.source_id
)

select * from final
