{#
    Text folding used to compare names across systems (see intermediate/customers).
    Only translate(), replace(), lower() and trim(): the same on DuckDB, Trino and Spark.
#}

{#- Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space to their
    half-width forms. The full-width apostrophe and backslash are left to
    fold_punctuation, which turns them into spaces. -#}
{% macro fold_full_width(text) -%}
    translate(
        {{ text }},
        '　！＂＃＄％＆（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
        ' !"#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~'
    )
{%- endmacro %}

{#- Punctuation (ASCII, full-width leftovers and CJK) to spaces. -#}
{% macro fold_punctuation(text) -%}
    {%- set punctuation = '.,;:!?()[]{}<>-_/&+*#@"~`|^=%$·、。《》「」『』【】・＇＼' -%}
    translate({{ text }}, '{{ punctuation }}', '{{ " " * (punctuation | length) }}')
{%- endmacro %}

{#- Runs of spaces to one space (runs of up to 32), trimmed. -#}
{% macro collapse_spaces(text) -%}
    trim(replace(replace(replace(replace(replace({{ text }}, '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))
{%- endmacro %}
