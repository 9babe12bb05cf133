"""The roles are listed once, in `permissions.yaml`: `ROLES` is read from it, and every role has a
label (and no label names a role that does not exist)."""

from __future__ import annotations

from importlib import resources

import yaml

from jusoor.core.permissions import ROLES, matrix
from jusoor.web import labels


def test_roles_in_code_are_the_yaml_roles_in_their_order() -> None:
    text = resources.files("jusoor.core").joinpath("permissions.yaml").read_text("utf-8")
    assert tuple(yaml.safe_load(text)["roles"]) == ROLES == matrix().roles
    assert len(set(ROLES)) == len(ROLES) == 10


def test_every_role_has_a_label_and_every_label_a_role() -> None:
    assert set(labels._ROLES) == set(ROLES)
    choices = labels.role_choices()
    assert [role for role, _ in choices] == list(ROLES)
    assert all(label != role for role, label in choices)
