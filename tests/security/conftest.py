import pytest
from django.contrib.auth.models import Group

from cms.roles import GROUP_NAMES, Role
from tests.factories import LearnerFactory, ManagerFactory, TrainerFactory, UserFactory


@pytest.fixture
def trainer(db):
    return TrainerFactory(username="trainer", preferred_language="en")


@pytest.fixture
def manager(db):
    return ManagerFactory(username="manager", preferred_language="fr")


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return user


@pytest.fixture
def other_learner(db):
    return LearnerFactory(username="other", preferred_language="ar")


@pytest.fixture
def learners_group(db):
    return Group.objects.get(name=GROUP_NAMES[Role.LEARNER])


def sign_in(client, username, password, language="en", **extra):
    return client.post(
        f"/{language}/account/sign-in/", {"username": username, "password": password}, **extra
    )
