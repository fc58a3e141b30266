"""GB18030 exports arrive intact: streamed through a pipe, transcoded chunk by chunk."""

import random

from dagster_project.contracts import ERP
from dagster_project.lib.ingest.transcode import TranscodingPipes
from tests.ingest.conftest import load, raw_rows, row

CUSTOMERS = ERP.entity("customers")
NAMES = [
    "深圳华信电子有限公司",
    "上海瑞丰新能源股份有限公司",
    "華南電器 (繁體)",
    "ＡＢＣ全角有限公司",
    "𠀀𠀁 extension-B 字",  # four-byte GB18030 sequences
    "€ and · and —",
    'quoted "name", with comma',
]


def test_gb18030_names_arrive_intact(con, landing):
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, i, customer_name=n) for i, n in enumerate(NAMES)])
    load(con, landing, ERP, CUSTOMERS)
    assert [n for (n,) in raw_rows(con, ERP, CUSTOMERS, "customer_name")] == NAMES


def test_a_large_gb18030_file_streams_across_chunk_boundaries(con, landing):
    rng = random.Random(1)
    alphabet = "深圳华信电子有限公司上海瑞丰新能源股份華南電器𠀀€"
    names = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(40_000)
    ]
    rows = [row(CUSTOMERS, i, customer_name=n) for i, n in enumerate(names)]
    path = landing.csv(ERP, CUSTOMERS, rows)
    assert path.stat().st_size > 3 * (1 << 20)  # several transcoding chunks
    result = load(con, landing, ERP, CUSTOMERS)
    assert result.rows_loaded == len(names)
    loaded = dict(raw_rows(con, ERP, CUSTOMERS, "customer_number, customer_name"))
    assert loaded == {r["customer_number"]: r["customer_name"] for r in rows}


def test_a_pure_ascii_gb18030_file_is_read_by_duckdb_directly(con, landing, monkeypatch):
    piped = []
    real = TranscodingPipes.__init__
    monkeypatch.setattr(
        TranscodingPipes,
        "__init__",
        lambda self, sources, encoding: piped.extend(sources) or real(self, sources, encoding),
    )
    ascii_row = row(CUSTOMERS, 1, customer_name="Huaxin Electronics", city="Shenzhen")
    landing.csv(ERP, CUSTOMERS, [ascii_row])
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], batch="2026-01-16")
    assert load(con, landing, ERP, CUSTOMERS).rows_loaded == 2
    assert [path.parent.name for path, _ in piped] == ["2026-01-16"]  # only the Chinese one


def test_a_transcoding_failure_rejects_the_file_and_never_hangs(con, landing, monkeypatch):
    def broken(self, source, sink):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(TranscodingPipes, "_stream", broken)
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 1)])
    landing.csv(ERP, CUSTOMERS, [row(CUSTOMERS, 2)], batch="2026-01-16")
    result = load(con, landing, ERP, CUSTOMERS)
    assert result.files_rejected == 2 and result.rows_loaded == 0
    assert "could not be transcoded to UTF-8: RuntimeError('disk on fire')" in (
        result.rejected_files[0].message
    )
