{#
    Surrogate key of the "unknown" member that every dimension carries and that
    facts point at when a source id finds no dimension row (GitLab's convention):
    md5('-1') = '6bb61e3b7bce0931da574d19d1d82c88', written out so it is the same
    fixed value on every engine.
#}
{% macro unknown_member_key() -%}
    '6bb61e3b7bce0931da574d19d1d82c88'
{%- endmacro %}
