import re

from lms.auth.models import Role


def test_dashboard_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_organiser_signs_in_and_sees_people(client, login, organiser, create_user):
    create_user("someone@example.org", Role.LECTURER, name="Someone Else")
    login(organiser)
    page = client.get("/admin/people", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    assert "Someone Else" in page.get_data(as_text=True)


def test_only_the_most_specific_menu_entry_is_current(client, login, organiser):
    login(organiser)
    page = client.get("/assignments/steps/").get_data(as_text=True)
    # the navigation is drawn twice, as a bar and as the phone's menu; each marks one entry
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
    assert current == ["/assignments/steps/"] * 2
    overview = client.get("/").get_data(as_text=True)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', overview) == ["/"] * 2


def test_an_id_no_database_can_hold_is_no_page(client, login, organiser):
    login(organiser)
    for path in ("/congresses/99999999999999999999999",
                 "/assignments/submissions/99999999999999999999999/grade",
                 "/course/modules/2147483648"):
        assert client.get(path).status_code == 404, path
