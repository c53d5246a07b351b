# ruff: noqa: T201
"""Recall and precision of the product's search on the development queries.

    .venv/bin/python scripts/eval_search.py [--reports FILE.jsonl] [--queries FILE.jsonl] [-v]

Runs `havainto search --reports FILE` (the product's own indexing and matching in a throw-away
SQLite database) with every query of havainto/analysis/data/dev_queries.jsonl on stdin, and
compares the ids it returns with the judged relevant ids: recall and precision per query,
micro-averaged over all (query, report) pairs, and the macro mean over queries.

How the relevant ids were judged (not with the product's analyser, or the gold would be
circular): for every query the word forms in ../shared/eval/reports.jsonl (title, description,
proposal) that share the query word's stem were listed with a regular expression and then
accepted or rejected by reading, by one rule: a report is relevant when it contains an inflected
form of the query word or a compound that has the word as a part (toimeentulotuki:
perustoimeentulotuen; asuminen: asumistuki, palveluasumisen; lapsi: lastensuojelu). Other
derivations do not count (asuminen: not asuu or asunto; velka: not velkaantuminen; koulu: not
koulutus; sähkö: not sähköinen), except that a quality noun in -(U)Us/-(Y)ys also covers the
adjective it is made from (yksinäisyys: yksinäisiä; työttömyys: työttömiä). A query of several
words: relevant to every word. Each query's entry records its rule ("rule") and the accepted
forms ("forms"); "language" is the language of the query word (Finnish queries were judged over
reports in every language: "Kelan" counts in an English report too).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = PROJECT / "havainto" / "analysis" / "data" / "dev_queries.jsonl"
DEFAULT_REPORTS = PROJECT.parent / "shared" / "eval" / "reports.jsonl"


def run_search(reports: Path, queries: list[str]) -> dict[str, list[str]]:
    command = [sys.executable, "-m", "havainto.manage", "search", "--reports", str(reports)]
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        command,
        input="".join(f"{query}\n" for query in queries),
        capture_output=True,
        encoding="utf-8",
        check=True,
        cwd=PROJECT,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {answer["query"]: answer["ids"] for answer in answers}


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("-v", "--verbose", action="store_true", help="List misses and extras.")
    args = parser.parse_args()

    entries = [
        json.loads(line) for line in args.queries.read_text("utf-8").splitlines() if line.strip()
    ]
    found = run_search(args.reports, [entry["query"] for entry in entries])

    total_tp = total_fp = total_fn = 0
    recalls, precisions = [], []
    print(f"{'query':<26}{'relevant':>9}{'found':>7}{'recall':>8}{'precision':>11}")
    for entry in entries:
        relevant = set(entry["relevant"])
        answer = found.get(entry["query"], [])
        hits = set(answer)
        tp, fp, fn = len(hits & relevant), len(hits - relevant), len(relevant - hits)
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        recall, precision = ratio(tp, tp + fn), ratio(tp, tp + fp)
        recalls.append(recall)
        precisions.append(precision)
        flag = "" if recall >= 0.95 and precision >= 0.95 else "  <"
        print(
            f"{entry['query']:<26}{len(relevant):>9}{len(hits):>7}{recall:>8.3f}"
            f"{precision:>11.3f}{flag}"
        )
        if args.verbose and (fp or fn):
            print(f"    missed: {sorted(relevant - hits)}")
            print(f"    extra:  {sorted(hits - relevant)}")
    print()
    print(
        f"{len(entries)} queries, {total_tp + total_fn} relevant pairs: "
        f"micro recall {ratio(total_tp, total_tp + total_fn):.3f}, "
        f"micro precision {ratio(total_tp, total_tp + total_fp):.3f}; "
        f"macro recall {sum(recalls) / len(recalls):.3f}, "
        f"macro precision {sum(precisions) / len(precisions):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
