"""Finding dependencies nobody recorded, between items of different teams.

Every pair of backlog items gets six signals:

- lexical: TF-IDF cosine over identifier-aware words (rare technical terms weigh most);
- semantic: cosine of sentence embeddings (MiniLM, or the lexical fallback);
- sequence: items created close together (same key prefix, near key numbers) are more often
  linked: -log(1 + |number difference|), a weak prior, zero across key prefixes;
- mention: one text names the other's key ("see PAY-12");
- system: one text names the other item's team or one of its systems (`team_systems`);
- cue: a dependency phrase ("blocked until", "needs the ... from", "after ... is deployed",
  "depends on", "requires") is followed by words of the other item's title, key or team.

lexical, semantic and sequence are standardised per item: z(i, j) = z-score of the pair among
i's pairs + z-score among j's pairs, so an item similar to everything does not crowd out the
rest. The score is the weighted sum (`Weights`); mentions are weighted to come first. The
direction (who consumes) comes from cue phrases when the text states it; otherwise the later
created item is taken as the consumer, and `direction_known` is False.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.embedding import (
    Embedder,
    EmbeddingCache,
    Progress,
    embed_texts,
    load_embedder,
)
from trainmaster.intelligence.text import CueDirection, find_cues, mentioned_keys, parse_key, tokens

ItemId = int | str
SIGNALS = ("lexical", "semantic", "sequence", "mention", "system", "cue")
_STANDARDISED = ("lexical", "semantic", "sequence")
_BLOCK_CELLS = 2_000_000
_ALNUM = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class BacklogText:
    """The text of one backlog item, as the finder reads it."""

    id: ItemId
    key: str
    team: str
    title: str
    description: str = ""

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}" if self.description else self.title


@dataclass(frozen=True)
class Suggestion:
    consumer_id: ItemId
    provider_id: ItemId
    score: float
    reasons: list[str] = field(hash=False)
    direction_known: bool = False


@dataclass(frozen=True)
class Weights:
    lexical: float = 0.5
    semantic: float = 1.0
    sequence: float = 0.5
    mention: float = 10.0
    system: float = 1.0
    cue: float = 1.0

    def without(self, signal: str) -> Weights:
        return Weights(**{s: (0.0 if s == signal else getattr(self, s)) for s in SIGNALS})


class PairSignals:
    """All six signals for the pairs of one backlog, computed in row blocks on demand."""

    def __init__(self, items: Sequence[BacklogText], embeddings: np.ndarray | None,
                 team_systems: Mapping[str, Sequence[str]] | None = None) -> None:
        _check_items(items)
        self.items = list(items)
        self.n = len(self.items)
        texts = [i.text for i in self.items]
        self.tfidf, self.vocabulary, self.idf = _fit_tfidf(texts)
        self.terms = np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__))
        self.embeddings = embeddings
        self.teams = sorted({i.team for i in self.items})
        team_pos = {t: n for n, t in enumerate(self.teams)}
        self.team_of = np.array([team_pos[i.team] for i in self.items], dtype=np.int64)
        keys = [parse_key(i.key) for i in self.items]
        prefix_pos = {p: n for n, p in enumerate(sorted({k[0] for k in keys if k}))}
        self.prefix = np.array([prefix_pos[k[0]] if k else -1 for k in keys], dtype=np.int64)
        self.number = np.array([k[1] if k else 0 for k in keys], dtype=np.float64)
        self.mention = _mention_matrix(self.items)
        self.team_names = _team_names(self.teams, team_systems or {})
        self.names_team = _names_team(texts, self.team_names)
        self.needs, self.provides = _cue_matrices(self)
        self.cue_any = self.needs.maximum(self.provides).tocsr()
        self.cue_any_t = self.cue_any.T.tocsr()
        self.stats = {s: _row_stats(self, s) for s in _STANDARDISED if self.has(s)}

    def has(self, signal: str) -> bool:
        return signal != "semantic" or self.embeddings is not None

    def raw(self, signal: str, rows: np.ndarray) -> np.ndarray:
        """Unstandardised values for `rows` x all items (NaN where a signal does not apply)."""
        if signal == "lexical":
            return (self.tfidf[rows] @ self.tfidf.T).toarray()
        if signal == "semantic" and self.embeddings is not None:
            return self.embeddings[rows] @ self.embeddings.T
        if signal == "sequence":
            gap = np.abs(self.number[rows, None] - self.number[None, :])
            own = self.prefix[rows, None]
            same = (own == self.prefix[None, :]) & (own >= 0)
            return np.where(same, -np.log1p(gap), np.nan)
        if signal == "mention":
            return self.mention[rows].toarray()
        if signal == "system":
            a = self.names_team[rows][:, self.team_of]
            b = self.names_team[:, self.team_of[rows]].T
            other_team = self.team_of[rows, None] != self.team_of[None, :]
            return (np.maximum(a, b) & other_team).astype(np.float32)
        if signal == "cue":
            return np.maximum(self.cue_any[rows].toarray(), self.cue_any_t[rows].toarray())
        raise Invalid(f"unknown signal {signal!r}", field="signal")

    def blocks(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Each available signal for `rows` x all items, standardised where it applies."""
        out = {}
        for signal in SIGNALS:
            if not self.has(signal):
                continue
            values = self.raw(signal, rows)
            if signal in self.stats:
                values = _standardise(values, rows, *self.stats[signal])
            out[signal] = np.nan_to_num(values, nan=0.0).astype(np.float32)
        return out

    @staticmethod
    def combine(blocks: Mapping[str, np.ndarray], weights: Weights) -> np.ndarray:
        total = np.zeros_like(next(iter(blocks.values())))
        for signal, values in blocks.items():
            w = getattr(weights, signal)
            if w:
                total += w * values
        return total

    def row_blocks(self) -> Iterator[np.ndarray]:
        step = max(1, _BLOCK_CELLS // max(self.n, 1))
        for start in range(0, self.n, step):
            yield np.arange(start, min(start + step, self.n))


def _fit_tfidf(texts: Sequence[str]) -> tuple[sp.csr_matrix, dict[str, int], np.ndarray]:
    """Row-normalised TF-IDF (sub-linear counts); an empty vocabulary gives zero rows."""
    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no text has a single word left after stop words
        return sp.csr_matrix((len(texts), 0), dtype=np.float32), {}, np.zeros(0)
    return (sp.csr_matrix(matrix, dtype=np.float32), dict(vectorizer.vocabulary_),
            vectorizer.idf_)


def _check_items(items: Sequence[BacklogText]) -> None:
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise Invalid("each backlog item must appear once", field="items")


def _mention_matrix(items: Sequence[BacklogText]) -> sp.csr_matrix:
    pos = {i.key: n for n, i in enumerate(items)}
    pairs = [(a, pos[k]) for a, item in enumerate(items)
             for k in mentioned_keys(item.text) if k in pos and pos[k] != a]
    rows = [p[0] for p in pairs] + [p[1] for p in pairs]
    cols = [p[1] for p in pairs] + [p[0] for p in pairs]
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                      shape=(len(items), len(items)))
    m.data[:] = 1.0
    return m


def _team_names(teams: Sequence[str], systems: Mapping[str, Sequence[str]]) -> list[list[str]]:
    return [[t.lower(), *(s.lower() for s in systems.get(t, ()))] for t in teams]


def _names_team(texts: Sequence[str], team_names: Sequence[Sequence[str]]) -> np.ndarray:
    """n x teams: 1 where the text names the team or one of its systems (whole words)."""
    out = np.zeros((len(texts), len(team_names)), dtype=bool)
    padded = [f" {' '.join(_words(t))} " for t in texts]
    for t, names in enumerate(team_names):
        needles = [f" {' '.join(_words(name))} " for name in names if _words(name)]
        out[:, t] = [any(n in text for n in needles) for text in padded]
    return out


def _words(text: str) -> list[str]:
    return _ALNUM.findall(text.lower())


def _cue_matrices(signals: PairSignals) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """needs[i, j] / provides[i, j]: how strongly a cue phrase in i's text points at j (0-1).

    Strength is 1 when the words after the cue name j's key, 0.5 when they name j's team or
    system, else the share of the cue words' IDF weight found in j's title (kept from 0.3).
    """
    vocab, idf = signals.vocabulary, signals.idf
    titles = _binary_terms([i.title for i in signals.items], vocab)
    pos = {i.key: n for n, i in enumerate(signals.items)}
    found: dict[CueDirection, list[tuple[int, int, float]]] = {d: [] for d in CueDirection}
    for a, item in enumerate(signals.items):
        for cue in find_cues(item.text):
            found[cue.direction].extend(_cue_targets(signals, a, cue.target, pos, titles,
                                                     vocab, idf))
    return (_sparse(found[CueDirection.NEEDS], signals.n),
            _sparse(found[CueDirection.PROVIDES], signals.n))


def _binary_terms(texts: Sequence[str], vocab: Mapping[str, int]) -> sp.csc_matrix:
    """texts x vocabulary, 1 where the text uses the term (column-sliced, hence CSC)."""
    rows: list[int] = []
    cols: list[int] = []
    for r, text in enumerate(texts):
        found = {vocab[w] for w in tokens(text) if w in vocab}
        rows.extend([r] * len(found))
        cols.extend(found)
    return sp.csc_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                         shape=(len(texts), len(vocab)))


def _cue_targets(signals: PairSignals, a: int, target: str, pos: Mapping[str, int],
                 titles: sp.csc_matrix, vocab: Mapping[str, int], idf: np.ndarray,
                 ) -> list[tuple[int, int, float]]:
    out = [(a, pos[k], 1.0) for k in mentioned_keys(target) if k in pos and pos[k] != a]
    named = _names_team([target], signals.team_names)[0]
    for t in np.flatnonzero(named):
        out.extend((a, int(b), 0.5) for b in np.flatnonzero(signals.team_of == t))
    cols = sorted({vocab[w] for w in tokens(target) if w in vocab})
    if cols:
        weights = idf[cols] / idf[cols].sum()
        share = titles[:, cols] @ weights
        out.extend((a, int(b), float(share[b])) for b in np.flatnonzero(share >= 0.3) if b != a)
    return out


def _sparse(entries: list[tuple[int, int, float]], n: int) -> sp.csr_matrix:
    if not entries:
        return sp.csr_matrix((n, n), dtype=np.float32)
    rows, cols, vals = zip(*entries, strict=True)
    m = sp.coo_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float32).tocsr()
    m.sum_duplicates()
    m.data = np.minimum(m.data, 1.0)
    return m


def _row_stats(signals: PairSignals, signal: str) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each item's pairs (itself left out)."""
    mean, std = np.zeros(signals.n), np.zeros(signals.n)
    for rows in signals.row_blocks():
        values = signals.raw(signal, rows).astype(np.float64)
        values[np.arange(rows.size), rows] = np.nan
        counts = np.maximum((~np.isnan(values)).sum(axis=1), 1)
        mean[rows] = np.nansum(values, axis=1) / counts
        std[rows] = np.sqrt(np.maximum(np.nansum(values**2, axis=1) / counts - mean[rows]**2, 0))
    return mean, std


def _standardise(values: np.ndarray, rows: np.ndarray, mean: np.ndarray, std: np.ndarray,
                 ) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        own = (values - mean[rows, None]) / std[rows, None]
        other = (values - mean[None, :]) / std[None, :]
    own[~np.isfinite(own)] = 0.0
    other[~np.isfinite(other)] = 0.0
    out = own + other
    out[np.isnan(values)] = np.nan
    out[np.arange(rows.size), rows] = 0.0
    return out


# --- suggestions --------------------------------------------------------------------------

def build_signals(items: Sequence[BacklogText], embedder: Embedder | None = None,
                  cache: EmbeddingCache | None = None, progress: Progress | None = None,
                  team_systems: Mapping[str, Sequence[str]] | None = None) -> PairSignals:
    """Embed what the cache lacks, then prepare the pair signals of `items`."""
    embedder = embedder or load_embedder()
    vectors = embed_texts(embedder, [i.text for i in items], cache, progress)
    return PairSignals(items, vectors, team_systems)


def suggest(items: Sequence[BacklogText],
            existing_links: Iterable[tuple[ItemId, ItemId]] = (),
            rejected_pairs: Iterable[tuple[ItemId, ItemId]] = (),
            top_k: int = 20, progress: Progress | None = None, *,
            embedder: Embedder | None = None, cache: EmbeddingCache | None = None,
            team_systems: Mapping[str, Sequence[str]] | None = None,
            weights: Weights | None = None, min_score: float = 3.0) -> list[Suggestion]:
    """The `top_k` likeliest unrecorded dependencies between items of different teams.

    Pairs already linked (either way) and rejected pairs (either order) are never proposed,
    nor pairs without a checkable reason (only the direction line).
    `team_systems` maps a team to the names of systems it owns ("payments API"). Scores are
    in standardised units; pairs under `min_score` are left out.
    """
    if top_k < 1:
        raise Invalid("must be at least 1", field="top_k")
    if not items:
        return []
    signals = build_signals(items, embedder, cache, progress, team_systems)
    weights = weights or Weights()
    pos = {item.id: n for n, item in enumerate(signals.items)}
    pairs = [(pos[a], pos[b]) for a, b in (*existing_links, *rejected_pairs)
             if a in pos and b in pos]
    banned = _sparse([(a, b, 1.0) for a, b in pairs] + [(b, a, 1.0) for a, b in pairs],
                     signals.n)
    best: list[tuple[float, int, int]] = []
    blocks = list(signals.row_blocks())
    for done, rows in enumerate(blocks, start=1):
        best.extend(_block_best(signals, rows, weights, banned, 2 * top_k, min_score))
        best = sorted(best, reverse=True)[:2 * top_k]
        if progress:
            progress("scoring", done, len(blocks))
    found = (_suggestion(signals, i, j, score) for score, i, j in best)
    return [s for s in found if len(s.reasons) > 1][:top_k]


def _block_best(signals: PairSignals, rows: np.ndarray, weights: Weights, banned: sp.csr_matrix,
                top_k: int, min_score: float) -> list[tuple[float, int, int]]:
    scores = PairSignals.combine(signals.blocks(rows), weights)
    cols = np.arange(signals.n)
    usable = (cols[None, :] > rows[:, None]) & (signals.team_of[rows, None] != signals.team_of)
    usable &= (scores >= min_score) & (banned[rows].toarray() == 0)
    flat = np.where(usable, scores, -np.inf).ravel()
    want = min(top_k, int(usable.sum()))
    if want == 0:
        return []
    top = np.argpartition(-flat, want - 1)[:want]
    return [(float(flat[c]), int(rows[c // signals.n]), int(c % signals.n)) for c in top]


def _suggestion(signals: PairSignals, i: int, j: int, score: float) -> Suggestion:
    consumer, provider, known, why = direction(signals, i, j)
    reasons = explain(signals, consumer, provider) + [why]
    return Suggestion(signals.items[consumer].id, signals.items[provider].id, round(score, 3),
                      reasons, known)


def direction(signals: PairSignals, i: int, j: int) -> tuple[int, int, bool, str]:
    """(consumer, provider, stated in the text?, why) for the pair of positions i, j."""
    i_needs = signals.needs[i, j] + signals.provides[j, i]
    j_needs = signals.needs[j, i] + signals.provides[i, j]
    a, b = signals.items[i], signals.items[j]
    if i_needs > j_needs:
        return i, j, True, f"direction: the text says {a.key} waits for {b.key}"
    if j_needs > i_needs:
        return j, i, True, f"direction: the text says {b.key} waits for {a.key}"
    ki, kj = parse_key(a.key), parse_key(b.key)
    if ki and kj and ki[0] == kj[0] and ki[1] != kj[1]:
        later, earlier = (i, j) if ki[1] > kj[1] else (j, i)
        return later, earlier, False, (f"direction not stated: guessed from creation order "
                                       f"({signals.items[later].key} is newer)")
    return i, j, False, "direction not stated: check who needs whom"


def explain(signals: PairSignals, i: int, j: int) -> list[str]:
    """Reasons a person can check, strongest evidence first."""
    a, b = signals.items[i], signals.items[j]
    z = {k: float(v[0, j]) for k, v in signals.blocks(np.array([i])).items()}
    reasons = []
    for x, y in ((a, b), (b, a)):
        if y.key in mentioned_keys(x.text):
            reasons.append(f"{x.key} mentions {y.key}")
    reasons += _cue_reasons(signals, i, j) + _cue_reasons(signals, j, i)
    if z.get("system"):
        reasons.append(f"one names the other's team or system ({a.team} / {b.team})")
    shared = shared_terms(signals, i, j)
    if z.get("lexical", 0.0) >= 1.0 and shared:
        reasons.append("shared rare terms: " + ", ".join(shared))
    vectors = signals.embeddings
    cosine = float(vectors[i] @ vectors[j]) if vectors is not None else 0.0
    if z.get("semantic", 0.0) >= 1.0 and cosine >= 0.3:
        reasons.append(f"similar meaning (embedding cosine {cosine:.2f})")
    if z.get("sequence", 0.0) >= 1.0:
        reasons.append(f"created close together ({a.key}, {b.key})")
    return reasons


def _cue_reasons(signals: PairSignals, i: int, j: int) -> list[str]:
    if not (signals.needs[i, j] or signals.provides[i, j]):
        return []
    a, b = signals.items[i], signals.items[j]
    said = [f'"{c.phrase} {c.target}"' for c in find_cues(a.text)]
    return [f"{a.key} says {'; '.join(said[:2])}, which points at {b.key}"]


def shared_terms(signals: PairSignals, i: int, j: int, limit: int = 5) -> list[str]:
    """The words both texts use, rarest-and-most-used first."""
    row_i, row_j = signals.tfidf[i], signals.tfidf[j]
    common = np.intersect1d(row_i.indices, row_j.indices)
    if common.size == 0:
        return []
    weight = row_i[:, common].toarray()[0] * row_j[:, common].toarray()[0]
    return [str(signals.terms[c]) for c in common[np.argsort(-weight)][:limit]]
