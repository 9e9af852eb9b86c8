import pytest

from tasks.registry import JobKind, job_kind_register

CALLS: list[dict] = []


def _record(**arguments):
    CALLS.append(arguments)
    if arguments.get("fail"):
        raise ConnectionError("the mail server is away")


job_kind_register(
    JobKind(name="tests.record", run=_record, describe=lambda arguments: "Record a call")
)


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()
