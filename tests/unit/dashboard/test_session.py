import flask

from dashboard.app import create_app
from dashboard.session import demo_key, demo_users
from dashboard.viewer import ANONYMOUS, current_viewer
from queries.scope import Viewer

# The switch is posted by the app's own page: same origin, with the session's form token.
SAME_SITE = {"Origin": "http://localhost"}


def _switch(client, data: dict, **headers):
    """Post to /bekijk-als as the page does, with the session's CSRF token."""
    client.get("/login")
    with client.session_transaction() as session:
        token = session["csrf"]
    return client.post(
        "/bekijk-als", data={"csrf": token, **data}, headers={**SAME_SITE, **headers}
    )


def test_no_session_means_anonymous(app):
    with app.server.test_request_context("/"):
        assert current_viewer() == ANONYMOUS
        flask.session["viewer"] = {"role": "koning", "medewerker_id": "1"}
        assert current_viewer() == ANONYMOUS
    assert current_viewer() == ANONYMOUS


def test_demo_users_come_from_the_loaded_data(app):
    with app.server.test_request_context("/"):
        users = {u.key: u.viewer for u in demo_users()}
        assert users["jeugdzorgwerker"] == Viewer("jeugdzorgwerker", "1001")
        assert users["praktijkbegeleider"] == Viewer("praktijkbegeleider", "2001")
        assert users["beheerder"] == Viewer("beheerder")
        assert "teammanager" not in users  # the sample has none
        assert demo_key(Viewer("praktijkbegeleider", "2001")) == "praktijkbegeleider"


def test_bekijk_als_stores_the_viewer_and_sends_home(app):
    client = app.server.test_client()
    response = _switch(client, {"gebruiker": "jeugdzorgwerker"}, Accept="application/json")
    assert response.json == {"home": "/mijn-caseload"}
    assert client.get("/").headers["Location"] == "/mijn-caseload"
    form_post = _switch(client, {"gebruiker": "beheerder"})
    assert form_post.status_code == 303 and form_post.headers["Location"] == "/datakwaliteit"
    with client.session_transaction() as session:
        assert session["viewer"] == {"role": "beheerder", "medewerker_id": None}


def test_bekijk_als_refuses_unknown_users_and_forged_roles(app):
    client = app.server.test_client()
    assert _switch(client, {"gebruiker": "manager2"}).status_code == 400
    assert _switch(client, {"role": "manager"}).status_code == 400
    assert client.get("/").status_code == 401  # still anonymous: no way in


def test_without_demo_there_is_no_viewer_switch(sample_url):
    app = create_app(sample_url, demo=False)
    client = app.server.test_client()
    assert _switch(client, {"gebruiker": "manager"}).status_code == 404
