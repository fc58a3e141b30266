{{
    config(
        materialized='incremental',
        unique_key='shipment_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ clear_when_source_redelivered() }}",
    )
}}

{%- set cutoff = incremental_cutoff() %}
-- depends_on: {{ ref('stg_erp__fx_rates') }}

{#
    Freight cost of every shipment in the reporting currency: each carrier charge
    converted at the rate of its billing day (business date of billed_at) and rounded
    to the cent, then summed per shipment - the way the demo generator's truth sums
    freight. Shipments known only from their charges are kept, so that no charge is
    lost.

    Incremental: a night sums again, from all their charges, the shipments whose charges
    changed since the last build or were billed on a day whose FX rates were loaded since;
    after a re-delivered file the table is emptied and rebuilt (a shipment may have lost
    every charge).
#}

with

freight_charges as (
    select * from {{ ref('stg_tms__freight_charges') }}
    {%- if cutoff %}
    where shipment_id in (
        {{ changed_since_last_build(ref('stg_tms__freight_charges'), 'shipment_id') }}
        union
        select charges.shipment_id
        from {{ ref('stg_tms__freight_charges') }} as charges
        inner join {{ ref('stg_erp__fx_rates') }} as changed_rates
            on {{ business_date('charges.billed_at') }} = changed_rates.rate_date
        where changed_rates.source_loaded_at > {{ last_build_started_at_constant() }}
    )
    {%- endif %}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_rebased') }}
),

charges_dated as (
    select
        *,
        {{ business_date('billed_at') }} as billed_date
    from freight_charges
),

charges_converted as (
    select
        charges_dated.shipment_id,
        charges_dated.charge_type,
        charges_dated.billed_date,
        charges_dated.source_batch,
        {{ to_reporting_currency(
            'charges_dated.charge_amount',
            fx_rate_to_reporting('charges_dated.currency_code', 'fx_rates.fx_rate_to_reporting')
        ) }} as charge_amount_rc
    from charges_dated
    left join fx_rates
        on charges_dated.billed_date = fx_rates.rate_date
        and charges_dated.currency_code = fx_rates.currency_code
),

final as (
    select
        -- keys
        shipment_id,

        -- numerics
        count(*) as freight_charge_count,
        sum(case when charge_type = 'BASE' then charge_amount_rc else 0 end)
            as base_freight_amount_rc,
        sum(case when charge_type = 'FUEL_SURCHARGE' then charge_amount_rc else 0 end)
            as fuel_surcharge_amount_rc,
        sum(case when charge_type = 'ACCESSORIAL' then charge_amount_rc else 0 end)
            as accessorial_charge_amount_rc,
        sum(charge_amount_rc) as freight_cost_amount_rc,

        -- dates
        min(billed_date) as first_billed_date,
        max(billed_date) as last_billed_date,
        max(cast(source_batch as date)) as source_batch_date
    from charges_converted
    group by shipment_id
)

select * from final
