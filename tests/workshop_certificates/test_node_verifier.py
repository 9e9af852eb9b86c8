"""A workshop credential verifies with the independent Node verifier, as a course's does, and
any change to any of its fields (the dates and the venue's wording included) fails it."""

import pytest

from tests.certificates.node_verifier import node_verify, node_verify_all
from tests.certificates.test_node_verifier import _paths, _tampered, issuer_documents

pytestmark = pytest.mark.django_db


def test_a_workshop_credential_verifies_in_node(completed, client):
    credential = completed.credential
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "LearningProgram"
    result = node_verify(credential, documents=issuer_documents(client, credential))
    assert result["verified"], result["error"]


def test_changing_any_field_of_a_workshop_credential_fails(completed, client):
    credential = completed.credential
    documents = issuer_documents(client, credential)
    paths = list(_paths(credential))
    assert ("credentialSubject", "activityStartDate") in paths
    results = node_verify_all([_tampered(credential, p) for p in paths], documents=documents)
    assert [path for path, result in zip(paths, results, strict=True) if result["verified"]] == []
    assert node_verify(credential, documents=documents)["verified"]
