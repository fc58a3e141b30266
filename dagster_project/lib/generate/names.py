"""Company names as Chinese ERPs and English-speaking CRM users write them."""

from __future__ import annotations

import numpy as np

# (Chinese, pinyin) pairs; a name is city + brand + industry + legal form.
CITIES = [
    ("深圳", "Shenzhen"), ("上海", "Shanghai"), ("苏州", "Suzhou"), ("宁波", "Ningbo"),
    ("东莞", "Dongguan"), ("杭州", "Hangzhou"), ("天津", "Tianjin"), ("青岛", "Qingdao"),
    ("成都", "Chengdu"), ("武汉", "Wuhan"), ("无锡", "Wuxi"), ("厦门", "Xiamen"),
    ("佛山", "Foshan"), ("常州", "Changzhou"), ("合肥", "Hefei"), ("重庆", "Chongqing"),
]
BRANDS = [
    ("华信", "Huaxin"), ("宏达", "Hongda"), ("永盛", "Yongsheng"), ("金鹏", "Jinpeng"),
    ("恒通", "Hengtong"), ("鑫源", "Xinyuan"), ("博远", "Boyuan"), ("天瑞", "Tianrui"),
    ("中科", "Zhongke"), ("瑞丰", "Ruifeng"), ("海川", "Haichuan"), ("正泰", "Zhengtai"),
    ("远航", "Yuanhang"), ("新锐", "Xinrui"), ("嘉禾", "Jiahe"), ("华通", "Huatong"),
    ("腾飞", "Tengfei"), ("安捷", "Anjie"), ("明阳", "Mingyang"), ("凯达", "Kaida"),
    ("富华", "Fuhua"), ("东方", "Dongfang"), ("联创", "Lianchuang"), ("万达", "Wanda"),
]
INDUSTRIES = [
    ("电子", "Electronics", "Electronics"), ("机械", "Machinery", "Machinery"),
    ("汽车部件", "Auto Parts", "Automotive"), ("新能源", "New Energy", "Energy"),
    ("自动化", "Automation", "Industrial Automation"), ("精密", "Precision", "Machinery"),
    ("医疗器械", "Medical Devices", "Healthcare"), ("家电", "Appliances", "Consumer Goods"),
]
LEGAL_FORMS = [("有限公司", "Co., Ltd."), ("股份有限公司", "Corp.")]


def company_names(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    """Chinese legal name, English name, city and industry for `count` companies."""
    city = rng.integers(0, len(CITIES), count)
    brand = rng.integers(0, len(BRANDS), count)
    industry = rng.integers(0, len(INDUSTRIES), count)
    legal = (rng.random(count) < 0.2).astype(int)
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
