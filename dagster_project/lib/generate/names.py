"""Company names as Chinese ERPs and English-speaking CRM users write them."""

from __future__ import annotations

import numpy as np

# (Chinese, pinyin) pairs; a name is city + brand + industry + legal form.
CITIES = [
    ("深圳", "Shenzhen"),
    ("上海", "Shanghai"),
    ("苏州", "Suzhou"),
    ("宁波", "Ningbo"),
    ("东莞", "Dongguan"),
    ("杭州", "Hangzhou"),
    ("天津", "Tianjin"),
    ("青岛", "Qingdao"),
    ("成都", "Chengdu"),
    ("武汉", "Wuhan"),
    ("无锡", "Wuxi"),
    ("厦门", "Xiamen"),
    ("佛山", "Foshan"),
    ("常州", "Changzhou"),
    ("合肥", "Hefei"),
    ("重庆", "Chongqing"),
]
BRANDS = [
    ("华信", "Huaxin"),
    ("宏达", "Hongda"),
    ("永盛", "Yongsheng"),
    ("金鹏", "Jinpeng"),
    ("恒通", "Hengtong"),
    ("鑫源", "Xinyuan"),
    ("博远", "Boyuan"),
    ("天瑞", "Tianrui"),
    ("中科", "Zhongke"),
    ("瑞丰", "Ruifeng"),
    ("海川", "Haichuan"),
    ("正泰", "Zhengtai"),
    ("远航", "Yuanhang"),
    ("新锐", "Xinrui"),
    ("嘉禾", "Jiahe"),
    ("华通", "Huatong"),
    ("腾飞", "Tengfei"),
    ("安捷", "Anjie"),
    ("明阳", "Mingyang"),
    ("凯达", "Kaida"),
    ("富华", "Fuhua"),
    ("东方", "Dongfang"),
    ("联创", "Lianchuang"),
    ("万达", "Wanda"),
]
INDUSTRIES = [
    ("电子", "Electronics", "Electronics"),
    ("机械", "Machinery", "Machinery"),
    ("汽车部件", "Auto Parts", "Automotive"),
    ("新能源", "New Energy", "Energy"),
    ("自动化", "Automation", "Industrial Automation"),
    ("精密", "Precision", "Machinery"),
    ("医疗器械", "Medical Devices", "Healthcare"),
    ("家电", "Appliances", "Consumer Goods"),
]
LEGAL_FORMS = [("有限公司", "Co., Ltd."), ("股份有限公司", "Corp.")]


def company_names(
    rng: np.random.Generator, count: int, city_in_name: bool = True
) -> dict[str, np.ndarray]:
    """Chinese legal name, English name, city and industry for `count` companies.

    Registered names are unique, so names are drawn without replacement while the
    vocabulary allows (city x brand x industry x legal form: 6,144 names; without the city,
    for companies abroad: 384); beyond that, names repeat (large scales only).
    """
    space = (len(CITIES) if city_in_name else 1, len(BRANDS), len(INDUSTRIES), len(LEGAL_FORMS))
    total = int(np.prod(space))
    drawn = rng.choice(total, count, replace=count > total)
    city, brand, industry, legal = np.unravel_index(drawn, space)
    if not city_in_name:
        city = rng.integers(0, len(CITIES), count)
    cities_cn = np.array([c[0] for c in CITIES])
    cities_en = np.array([c[1] for c in CITIES])
    brands_cn = np.array([b[0] for b in BRANDS])
    brands_en = np.array([b[1] for b in BRANDS])
    industries_cn = np.array([i[0] for i in INDUSTRIES])
    industries_en = np.array([i[1] for i in INDUSTRIES])
    sectors = np.array([i[2] for i in INDUSTRIES])
    legal_cn = np.array([f[0] for f in LEGAL_FORMS])
    legal_en = np.array([f[1] for f in LEGAL_FORMS])
    name_cn = np.char.add(
        np.char.add(np.char.add(cities_cn[city], brands_cn[brand]), industries_cn[industry]),
        legal_cn[legal],
    )
    name_en = np.char.add(
        np.char.add(
            np.char.add(np.char.add(cities_en[city], " "), brands_en[brand]),
            np.char.add(" ", industries_en[industry]),
        ),
        np.char.add(" ", legal_en[legal]),
    )
    return {
        "name_cn": name_cn,
        "name_en": name_en,
        "city_cn": cities_cn[city],
        "city_en": cities_en[city],
        "industry": sectors[industry],
    }


# Simplified -> traditional for every character the names above use that differs.
TRADITIONAL = str.maketrans(
    {
        "华": "華",
        "电": "電",
        "东": "東",
        "机": "機",
        "达": "達",
        "鹏": "鵬",
        "远": "遠",
        "丰": "豐",
        "锐": "銳",
        "腾": "騰",
        "飞": "飛",
        "阳": "陽",
        "凯": "凱",
        "联": "聯",
        "创": "創",
        "万": "萬",
        "车": "車",
        "动": "動",
        "医": "醫",
        "疗": "療",
        "苏": "蘇",
        "宁": "寧",
        "岛": "島",
        "汉": "漢",
        "无": "無",
        "锡": "錫",
        "厦": "廈",
        "门": "門",
        "庆": "慶",
        "恒": "恆",
        "圳": "圳",
        "业": "業",
        "爱": "愛",
        "协": "協",
        "实": "實",
    }
)
_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"})
_SUFFIX_VARIANTS_EN = {
    "Co., Ltd.": ("Co., Ltd.", "Co Ltd", "Company Limited", "Ltd.", ""),
    "Corp.": ("Corp.", "Corporation", "Co., Ltd.", ""),
}


def crm_name_variant(rng: np.random.Generator, name_cn: str, name_en: str, english: bool) -> str:
    """How sales typed the customer's name: English or Chinese, with everyday variations."""
    if english:
        for suffix, variants in _SUFFIX_VARIANTS_EN.items():
            if name_en.endswith(suffix):
                base = name_en[: -len(suffix)].strip()
                choice = variants[int(rng.integers(0, len(variants)))]
                name = f"{base} {choice}".strip() if choice else base
                break
        else:
            name = name_en
        if rng.random() < 0.15:
            name = name.upper()
        return name
    name = name_cn
    roll = rng.random()
    if roll < 0.25:  # legal form left out
        name = name.removesuffix("股份有限公司").removesuffix("有限公司")
    elif roll < 0.4:  # typed in traditional characters (Hong Kong / Taiwan offices)
        name = name.translate(TRADITIONAL)
    elif roll < 0.5:  # city put in full-width brackets after the brand
        for city_cn, _ in CITIES:
            if name.startswith(city_cn):
                name = name[len(city_cn) :].replace("有限公司", f"（{city_cn}）有限公司", 1)
                break
    if rng.random() < 0.1:
        name = name.translate(_FULL_WIDTH)
    return name


def crm_duplicate_variant(rng: np.random.Generator, name: str) -> str:
    """A second account for the same customer, created by another rep with another spelling."""
    variants = [
        name.upper(),
        name.replace(",", ""),
        name.replace(" Co., Ltd.", " Ltd"),
        name.translate(_FULL_WIDTH),
        name + " ",
        name.removesuffix("有限公司"),
    ]
    return variants[int(rng.integers(0, len(variants)))].strip() or name
