"""The error tree: one base, one class per failure a user must tell apart."""

import pytest

import fj


@pytest.mark.parametrize(
    "cls",
    [
        fj.AuthError,
        fj.NotFoundError,
        fj.RateLimitError,
        fj.ServerError,
        fj.UnavailableError,
        fj.BadResponseError,
    ],
)
def test_every_error_is_an_fj_error_with_status_and_request_id(cls):
    err = cls("the API said no", status=418, request_id="req-1")
    assert isinstance(err, fj.FJError)
    assert err.status == 418
    assert err.request_id == "req-1"
    assert str(err) == "the API said no (request id req-1)"


def test_message_without_request_id_is_the_message():
    assert str(fj.FJError("plain")) == "plain"


def test_the_public_surface_is_importable_from_fj():
    from fj import FJClient, load_sessions, sessions_frame

    frame = sessions_frame({"statusCode": 200, "data": [], "message": "", "status": "SUCCESS"})
    assert list(frame.columns)[0] == "session_id"
    assert callable(load_sessions) and callable(FJClient)
