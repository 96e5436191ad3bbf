"""Sentence embeddings: the packaged model, the lexical fallback and the content cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from trainmaster.intelligence.embedding import (
    Embedder,
    EmbeddingCache,
    LexicalEmbedder,
    MiniLmEmbedder,
    ModelUnavailable,
    embed_texts,
    load_embedder,
)


@pytest.fixture(scope="module")
def minilm() -> MiniLmEmbedder:
    return MiniLmEmbedder()


def test_packaged_model_gives_normalised_384_dimension_vectors(minilm: MiniLmEmbedder):
    vectors = minilm.embed(["Refund endpoint in the payments API", ""])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_packaged_model_puts_similar_sentences_closer(minilm: MiniLmEmbedder):
    a, b, c = minilm.embed(["The cat sits on the mat", "A kitten is sitting on a rug",
                            "Quarterly revenue grew by ten percent"])
    assert a @ b > 0.5
    assert a @ b > a @ c + 0.4
    assert b @ c < 0.2


def test_packaged_model_matches_on_meaning_not_shared_words(minilm: MiniLmEmbedder):
    query, paraphrase, lookalike = minilm.embed([
        "Users cannot log in after the password reset",
        "Sign-in fails once people change their credentials",
        "Reset the build cache after the users page changes"])
    assert query @ paraphrase > query @ lookalike


def test_vectors_do_not_depend_on_the_batch(minilm: MiniLmEmbedder):
    alone = minilm.embed(["Short text"])
    batched = minilm.embed(["Short text", "A much longer text that forces padding " * 5])
    assert alone[0] == pytest.approx(batched[0], abs=1e-4)


def test_lexical_fallback_is_normalised_deterministic_and_word_based():
    lexical = LexicalEmbedder()
    a, b, c = lexical.embed(["HDFS sink writes parquet", "parquet files from the hdfs sink",
                             "Dark mode for the checkout page"])
    assert float(np.linalg.norm(a)) == pytest.approx(1.0, abs=1e-5)
    assert a @ b > 0.5 > abs(a @ c)
    assert LexicalEmbedder().embed(["HDFS sink writes parquet"])[0] == pytest.approx(a)


def test_a_model_that_cannot_load_falls_back_to_the_lexical_embedder(tmp_path: Path):
    broken = tmp_path / "model.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable):
        MiniLmEmbedder(model_path=broken)
    with pytest.raises(ModelUnavailable):
        MiniLmEmbedder(model_path=tmp_path / "missing.onnx")
    embedder = load_embedder(model_path=broken)
    assert isinstance(embedder, LexicalEmbedder)
    assert isinstance(embedder, Embedder)


class CountingEmbedder:
    """A real embedder that records which texts it was asked to embed."""

    def __init__(self) -> None:
        self.inner = LexicalEmbedder()
        self.model_id = self.inner.model_id
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.embed(texts)


def test_only_new_or_changed_texts_are_embedded_again(tmp_path: Path):
    embedder, cache = CountingEmbedder(), EmbeddingCache()
    first = embed_texts(embedder, ["alpha beta", "gamma delta", "alpha beta"], cache)
    assert sorted(embedder.seen) == ["alpha beta", "gamma delta"]
    embedder.seen.clear()
    second = embed_texts(embedder, ["gamma delta", "alpha beta changed"], cache)
    assert embedder.seen == ["alpha beta changed"]
    assert second[0] == pytest.approx(first[1])
    cache.save(tmp_path / "cache.npz")
    embedder.seen.clear()
    embed_texts(embedder, ["alpha beta", "alpha beta changed"],
                EmbeddingCache.load(tmp_path / "cache.npz"))
    assert embedder.seen == []


def test_the_cache_is_keyed_by_model_as_well_as_text():
    assert EmbeddingCache.key("m1", "text") != EmbeddingCache.key("m2", "text")
    assert EmbeddingCache.load(Path("/nonexistent/cache.npz")).vectors == {}


def test_progress_hears_each_batch():
    heard: list[tuple[str, int, int]] = []
    embed_texts(LexicalEmbedder(), [f"text {i}" for i in range(5)], None,
                lambda stage, done, total: heard.append((stage, done, total)), batch_size=2)
    assert heard == [("embedding", 2, 5), ("embedding", 4, 5), ("embedding", 5, 5)]
