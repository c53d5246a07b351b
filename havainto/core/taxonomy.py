"""The default vocabularies shipped with Havainto (havainto/data/taxonomy.json)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"

# taxonomy.json key → VocabularyKind value
VOCABULARY_KEYS = {
    "observation_types": "observation_type",
    "support_needs_shl11": "support_need",
    "sectors": "sector",
    "client_groups": "client_group",
    "reporter_roles": "reporter_role",
    "recurrence": "recurrence",
    "clients_affected": "clients_affected",
    "proposal_levels": "proposal_level",
}


@cache
def taxonomy() -> dict[str, Any]:
    with TAXONOMY_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)
