"""Second factor: enrolment, verification, recovery codes, enforcement for staff."""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import twofactor
from security.models import AuditEntry

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/en/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/en/account/two-factor/", {"token": code_for(device)})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def test_enrolment_shows_an_inline_svg_qr_code_and_no_image_request(client, site, learner):
    client.force_login(learner)
    page = client.get("/en/account/two-factor/").content.decode()
    assert "<svg" in page and "<img" not in page.split("<main", 1)[1]
    assert "otpauth" not in page  # the secret is in the QR code and typed key only


def test_a_wrong_first_code_does_not_enrol(client, site, learner):
    client.force_login(learner)
    client.get("/en/account/two-factor/")
    response = client.post("/en/account/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_a_learner_enrols_and_gets_ten_recovery_codes(client, site, learner):
    client.force_login(learner)
    device, codes = enrol(client)
    assert device.confirmed and len(codes) == 10
    assert AuditEntry.objects.filter(action="2fa_enrolled").exists()


def test_after_the_password_a_user_with_a_device_must_give_a_code(client, site, learner, password):
    client.force_login(learner)
    _, codes = enrol(client)
    client.logout()
    sign_in(client, "learner", password)
    response = client.get("/en/learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/two-factor/verify/?next=")
    wrong = client.post("/en/account/two-factor/verify/", {"token": "123456", "next": "/en/"})
    assert wrong.status_code == 200
    time.sleep(1.1)  # a wrong code throttles every device of the user for a second
    ok = client.post("/en/account/two-factor/verify/", {"token": codes[0], "next": "/en/learning/"})
    assert ok.status_code == 302 and ok["Location"] == "/en/learning/"
    assert client.get("/en/learning/").status_code == 200


def test_a_recovery_code_works_once(client, site, learner, password):
    client.force_login(learner)
    _, codes = enrol(client)
    for expected in (302, 200):
        client.logout()
        sign_in(client, "learner", password)
        response = client.post("/en/account/two-factor/verify/", {"token": codes[0]})
        assert response.status_code == expected
    assert StaticToken.objects.count() == 9


def test_verify_refuses_an_open_redirect(client, site, learner):
    client.force_login(learner)
    _, codes = enrol(client)
    client.logout()
    client.force_login(learner)
    response = client.post(
        "/en/account/two-factor/verify/", {"token": codes[1], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/"


@pytest.mark.parametrize("path", ["/admin/", "/fr/reports/"])
def test_staff_without_a_device_are_sent_to_enrol_when_required(
    client, site, manager, settings, path
):
    settings.TADRIB_REQUIRE_STAFF_2FA = True
    client.force_login(manager)
    response = client.get(path)
    assert response.status_code == 302
    assert "/account/two-factor/?next=" in response["Location"]


def test_staff_reach_the_admin_with_a_password_alone_when_not_required(client, site, trainer):
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200


def test_learners_are_not_asked_to_enrol_when_staff_are(client, site, learner, settings):
    settings.TADRIB_REQUIRE_STAFF_2FA = True
    client.force_login(learner)
    assert client.get("/en/learning/").status_code == 200


def test_enforced_staff_reach_the_admin_after_enrolling(client, site, trainer, settings):
    settings.TADRIB_REQUIRE_STAFF_2FA = True
    client.force_login(trainer)
    enrol(client)
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_remove_the_factor_while_required(client, site, trainer, settings):
    settings.TADRIB_REQUIRE_STAFF_2FA = True
    client.force_login(trainer)
    enrol(client)
    client.post("/en/account/two-factor/remove/")
    assert TOTPDevice.objects.filter(user=trainer).exists()


def test_a_learner_can_turn_the_factor_off(client, site, learner):
    client.force_login(learner)
    enrol(client)
    client.post("/en/account/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=learner).exists()
    assert twofactor.recovery_codes_left(user=learner) == 0
