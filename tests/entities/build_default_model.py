"""Rebuild the person model Jusoor ships with (`entities.resolution.default_model`) from the
project's synthetic generator: `PYTHONPATH=src:. python -m tests.entities.build_default_model`."""

from __future__ import annotations

from jusoor.entities.resolution.default_model import PATH, PEOPLE, SEED, build
from jusoor.synth.person_files import DEFAULT_REGION, generate_person_files


def main() -> None:
    build(generate_person_files(PEOPLE, seed=SEED).records, DEFAULT_REGION)
    print(PATH)


if __name__ == "__main__":
    main()
