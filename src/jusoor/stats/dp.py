"""A differentially private synthetic release, in the spirit of Microsoft's synthetic data
showcase (the method of CTDC's synthetic data): noisy marginals, then records drawn to match them.

1. Each record is read as one value per attribute (`release.yaml`, `synthetic`), each over a
   public domain (never taken from the data): a value outside it is read as unknown ("").
2. Every two-way marginal of the attributes is counted and measured with OpenDP's discrete
   Laplace mechanism; adding or removing one person changes each marginal by 1 (L1), so with
   m marginals each gets epsilon/m and the release is epsilon-DP (pure: delta = 0) by basic
   composition. OpenDP's own privacy map checks the spend.
3. Post-processing (free under DP): counts under what noise alone reaches are dropped (the
   showcase's thresholding), the joint table over the values left is fitted to the noisy
   marginals by iterative proportional fitting, the release size is the mean of the noisy
   marginals' raw totals (unbiased), and records are drawn from the fitted table.

Utility (`utility`): the mean absolute error and total variation distance of the one- and
two-way marginals of the synthetic records against the original ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from jusoor.cases.htcds.columns import CASE_STATUSES, columns, htcds_choices
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats import release_rules
from jusoor.stats.kanon import text
from jusoor.stats.release_rules import LIST_SEPARATOR

MIN_EPSILON, MAX_EPSILON = 0.1, 10.0
METHOD = "dp-marginals-ipf"
MECHANISM = "discrete Laplace on two-way marginal counts (OpenDP make_laplace), basic composition"
IPF_ROUNDS = 30
UNKNOWN = ""


def check_epsilon(epsilon: float) -> float:
    if not MIN_EPSILON <= epsilon <= MAX_EPSILON:
        raise Invalid(
            "epsilon",
            _("epsilon must be between %(low)s and %(high)s, not %(epsilon)s.",
              low=MIN_EPSILON, high=MAX_EPSILON, epsilon=epsilon),
        )  # fmt: skip
    return epsilon


def domains(present: set[str]) -> dict[str, tuple[str, ...]]:
    """The public domain of each synthetic attribute the rows carry (unknown last)."""
    by_name = {c.column: c for c in columns()}
    out: dict[str, tuple[str, ...]] = {}
    for column, kind in release_rules.rules().synthetic.items():
        if column not in present:
            continue
        if kind == "subregion":
            values: tuple[str, ...] = release_rules.subregions()
        elif kind == "status":
            values = tuple(CASE_STATUSES)
        elif column in by_name:
            values = htcds_choices(by_name[column])
        else:
            continue
        out[column] = (*values, UNKNOWN)
    return out


def read_value(kind: str, value: Any, domain: Sequence[str]) -> str:
    first = text(value).split(LIST_SEPARATOR)[0]
    if kind == "subregion" and first and first not in domain:  # a synthetic row is coded
        first = release_rules.subregion(first)
    return first if first in domain else UNKNOWN


@dataclass(frozen=True)
class SyntheticRelease:
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    metadata: dict[str, Any]


def encode(rows: Sequence[Mapping[str, Any]], doms: Mapping[str, Sequence[str]]) -> np.ndarray:
    """The rows as indices into the attributes' domains (one column per attribute)."""
    kinds = release_rules.rules().synthetic
    index = {c: {v: i for i, v in enumerate(d)} for c, d in doms.items()}
    return np.array(
        [[index[c][read_value(kinds[c], row.get(c), d)] for c, d in doms.items()] for row in rows],
        dtype=np.int64,
    ).reshape(len(rows), len(doms))


def synthesise(
    rows: Sequence[Mapping[str, Any]], *, epsilon: float, seed: int | None = None
) -> SyntheticRelease:
    """An epsilon-DP synthetic release of `rows` (see the module's docstring)."""
    check_epsilon(epsilon)
    # With no rows, every configured attribute (a release of an empty node is noise alone).
    present = {column for row in rows for column in row} or set(release_rules.rules().synthetic)
    doms = domains(present)
    if len(doms) < 2:
        raise Invalid("attributes", _("A synthetic release needs at least two attributes."))
    names = tuple(doms)
    shape = tuple(len(d) for d in doms.values())
    data = encode(rows, doms)
    pairs = list(combinations(range(len(names)), 2))
    raw, spent = _noisy_marginals(data, shape, pairs, epsilon)
    # The noise has mean zero, so the raw sums estimate the number of records without bias.
    size = max(0, round(float(np.mean([m.sum() for m in raw.values()]))))
    noisy = {pair: _denoised(m, len(pairs) / epsilon) for pair, m in raw.items()}
    support = _support(shape, noisy)
    small = {(a, b): m[np.ix_(support[a], support[b])] for (a, b), m in noisy.items()}
    joint = _fit(tuple(len(s) for s in support), small)
    rng = np.random.default_rng(seed)
    mass = joint.sum()
    flat = joint.ravel() / mass if mass > 0 else np.full(joint.size, 1 / joint.size)
    cells = np.unravel_index(rng.choice(joint.size, size=size, p=flat), joint.shape)
    synthetic = [
        {name: doms[name][int(support[a][cells[a][r]])] for a, name in enumerate(names)}
        for r in range(size)
    ]
    metadata = {
        "method": METHOD,
        "mechanism": MECHANISM,
        "epsilon": epsilon,
        "epsilon_spent": spent,
        "delta": 0,
        "k": None,
        "attributes": list(names),
        "marginals": [[names[a], names[b]] for a, b in pairs],
        "domains": {name: list(d) for name, d in doms.items()},
        "records": size,
    }
    return SyntheticRelease(columns=names, rows=synthetic, metadata=metadata)


def _noisy_marginals(
    data: np.ndarray, shape: tuple[int, ...], pairs: list[tuple[int, int]], epsilon: float
) -> tuple[dict[tuple[int, int], np.ndarray], float]:
    # OpenDP's own modules, imported here: `opendp.prelude` pulls scikit-learn in (4 s at every
    # start of the console and the app), and only a release needs the library.
    from opendp.domains import atom_domain, vector_domain
    from opendp.measurements import make_laplace
    from opendp.metrics import l1_distance
    from opendp.mod import enable_features

    enable_features("contrib")
    scale = len(pairs) / epsilon
    laplace = make_laplace(vector_domain(atom_domain(T=int)), l1_distance(T=int), scale=scale)
    per_marginal = float(laplace.map(1))  # type: ignore[no-untyped-call]  # one person: L1 = 1
    spent = per_marginal * len(pairs)
    if spent > epsilon * (1 + 1e-9):
        raise AssertionError("the privacy spend exceeds the budget")
    noisy: dict[tuple[int, int], np.ndarray] = {}
    for a, b in pairs:
        counts = np.zeros((shape[a], shape[b]), dtype=np.int64)
        np.add.at(counts, (data[:, a], data[:, b]), 1)
        released = np.array(laplace([int(n) for n in counts.ravel()]), dtype=np.float64)
        noisy[(a, b)] = released.reshape(counts.shape)
    return noisy, spent


def _denoised(noisy: np.ndarray, scale: float) -> np.ndarray:
    """Post-processing as the synthetic data showcase does: a count under the level noise alone
    reaches in about one empty cell of the marginal is dropped (else empty cells, clipped at 0,
    add records that never existed), negative counts become 0."""
    threshold = scale * np.log(max(noisy.size, 2))
    return np.where(noisy >= threshold, noisy, 0.0)


def _support(shape: tuple[int, ...], noisy: Mapping[tuple[int, int], np.ndarray]) -> list[Any]:
    """Per attribute, the values with some noisy mass (the fit runs over these only); an
    attribute with none keeps its whole domain."""
    mass = [np.zeros(n) for n in shape]
    for (a, b), m in noisy.items():
        mass[a] += m.sum(axis=1)
        mass[b] += m.sum(axis=0)
    return [np.flatnonzero(m > 0) if (m > 0).any() else np.arange(len(m)) for m in mass]


def _fit(shape: tuple[int, ...], marginals: Mapping[tuple[int, int], np.ndarray]) -> np.ndarray:
    """Iterative proportional fitting of the joint table to the noisy two-way marginals."""
    joint = np.ones(shape, dtype=np.float64)
    axes = range(len(shape))
    for _round in range(IPF_ROUNDS):
        for (a, b), target in marginals.items():
            others = tuple(i for i in axes if i not in (a, b))
            current = joint.sum(axis=others)
            ratio = np.divide(target, current, out=np.zeros_like(target), where=current > 0)
            expand = [slice(None) if i in (a, b) else np.newaxis for i in axes]
            joint *= ratio[tuple(expand)]
    return joint


def utility(
    original: Sequence[Mapping[str, Any]], synthetic: Sequence[Mapping[str, Any]]
) -> dict[str, float]:
    """Mean absolute error (in records, on the original's scale) and total variation distance of
    the one- and two-way marginals of `synthetic` against `original`."""
    doms = domains({column for row in original for column in row})
    shape = tuple(len(d) for d in doms.values())
    real, fake = encode(original, doms), encode(synthetic, doms)
    out: dict[str, float] = {}
    for width in (1, 2):
        errors, distances = [], []
        for group in combinations(range(len(shape)), width):
            p, q = _share(real, shape, group), _share(fake, shape, group)
            errors.append(float(np.mean(np.abs(p - q))) * len(real))
            distances.append(0.5 * float(np.abs(p - q).sum()))
        out[f"mae_{width}way"] = float(np.mean(errors))
        out[f"tvd_{width}way"] = float(np.mean(distances))
    return out


def _share(data: np.ndarray, shape: tuple[int, ...], group: tuple[int, ...]) -> np.ndarray:
    counts = np.zeros(tuple(shape[i] for i in group), dtype=np.float64)
    if len(data):
        np.add.at(counts, tuple(data[:, i] for i in group), 1)
    total = counts.sum()
    return counts / total if total else counts
