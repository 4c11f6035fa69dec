"""The official list of NRW municipalities, loading it, and organisers' own municipalities."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from cohorts.models import Municipality, MunicipalityKind
from cohorts.municipalities import MunicipalityDetails, load_reference_list, reference_list
from lms.csvfile import read_csv
from lms.extensions import db
from lms.i18n import collation_key
from tests.cohorts.conftest import snapshot


def test_reference_list_holds_the_53_districts_and_district_free_cities():
    rows = reference_list()
    assert len(rows) == 53
    assert len({row.ags for row in rows}) == 53
    assert len({row.name for row in rows}) == 53
    assert Counter(row.kind for row in rows) == {MunicipalityKind.KREISFREIE_STADT: 22,
                                                 MunicipalityKind.KREIS: 31}
    assert Counter(row.region for row in rows) == {
        "Düsseldorf": 15, "Köln": 11, "Münster": 8, "Detmold": 7, "Arnsberg": 12}
    assert all(row.ags.startswith("05") and len(row.ags) == 8 and row.ags.isdigit()
               for row in rows)
    by_name = {row.name: row for row in rows}
    assert by_name["Hamm"].ags == "05915000"
    assert by_name["Duisburg"].ags == "05112000"
    assert by_name["StädteRegion Aachen"].kind is MunicipalityKind.KREIS


def test_loading_is_idempotent_and_keeps_contact_data(app):
    with app.app_context():
        assert load_reference_list() == 53
        hamm = db.session.scalars(select(Municipality).where(Municipality.name == "Hamm")).one()
        hamm.contact_name = "Frau Beispiel"
        db.session.commit()
        assert load_reference_list() == 0
        db.session.commit()
        assert db.session.scalar(select(func.count(Municipality.id))) == 53
        hamm = db.session.scalars(select(Municipality).where(Municipality.name == "Hamm")).one()
        assert hamm.contact_name == "Frau Beispiel"
        assert hamm.reference


def test_cli_loads_the_list(app):
    result = app.test_cli_runner().invoke(args=["lms", "cohorts", "load-municipalities"])
    assert result.exit_code == 0, result.output
    assert "53" in result.output
    again = app.test_cli_runner().invoke(args=["lms", "cohorts", "load-municipalities"])
    assert "0 municipalities" in again.output


def test_organiser_loads_the_list_and_adds_a_town(app, client, login, organiser):
    login(organiser)
    response = client.post("/municipalities/reference")
    assert response.status_code == 302
    page = client.get("/municipalities/?q=hamm").get_data(as_text=True)
    assert "05915000" in page and "Hamm" in page

    response = client.post("/municipalities/new", data={
        "ags": "05978024", "name": "Unna (Stadt)", "kind": "kreisangehoerige_stadt",
        "region": "Arnsberg", "contact_name": "", "contact_email": "", "contact_phone": "",
        "address": ""})
    assert response.status_code == 302
    with app.app_context():
        town = db.session.scalars(select(Municipality).where(Municipality.ags == "05978024")).one()
        assert town.kind is MunicipalityKind.KREISANGEHOERIGE_STADT
        assert not town.reference


def test_bad_municipalities_are_refused(app, client, login, organiser, municipalities):
    login(organiser)
    before = snapshot(app)
    for data, message in [
        ({"ags": "5915000", "name": "Zu kurz"}, "eight digits"),
        ({"ags": "0591500A", "name": "Buchstabe"}, "eight digits"),
        ({"ags": "05915000", "name": "Doppelt"}, "already exists"),
    ]:
        response = client.post("/municipalities/new", headers={"Accept-Language": "en"},
                               data={"kind": "gemeinde", **data})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_official_fields_stay_but_contact_data_changes(app, client, login, organiser,
                                                       municipalities):
    login(organiser)
    hamm = municipalities["Hamm"]
    response = client.post(f"/municipalities/{hamm.id}", data={
        "ags": "01234567", "name": "Hammtown", "kind": "gemeinde", "region": "X",
        "contact_name": "Kai Kontakt", "contact_email": "kai@hamm.de",
        "contact_phone": "02381 17-0", "address": "Theodor-Heuss-Platz 16, 59065 Hamm"})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(Municipality, hamm.id)
        assert (stored.ags, stored.name, stored.kind) == ("05915000", "Hamm",
                                                          MunicipalityKind.KREISFREIE_STADT)
        assert stored.contact_email == "kai@hamm.de"


def test_organisers_edit_their_own_municipalities_fully(app, client, login, organiser,
                                                        create_municipality):
    town = create_municipality("Werne", "05978036")
    login(organiser)
    response = client.post(f"/municipalities/{town.id}", data={
        "ags": "05978036", "name": "Werne an der Lippe", "kind": "kreisangehoerige_stadt",
        "region": "Arnsberg", "contact_email": "keine-adresse"})
    assert response.status_code == 200  # the malformed email is refused
    response = client.post(f"/municipalities/{town.id}", data={
        "ags": "05978036", "name": "Werne an der Lippe", "kind": "kreisangehoerige_stadt",
        "region": "Arnsberg", "contact_email": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Municipality, town.id).name == "Werne an der Lippe"


def test_details_dataclass_defaults():
    details = MunicipalityDetails("05915000", "Hamm", MunicipalityKind.KREISFREIE_STADT)
    assert details.contact_email == ""


# --- order: as German readers expect --------------------------------------------------------

GERMAN_ORDER = ["Köln", "Krefeld", "Kreis Minden-Lübbecke", "Kreis Wesel", "Märkischer Kreis"]


def test_the_collation_reads_umlauts_as_their_base_letters():
    names = ["Kreis Minden-Lübbecke", "Kreis Wesel", "Märkischer Kreis", "Köln", "Krefeld"]
    assert sorted(names) != GERMAN_ORDER  # by code point, "ö" comes after every letter
    assert sorted(names, key=collation_key) == GERMAN_ORDER
    assert collation_key("Straße") == collation_key("STRASSE")


def _order(text: str) -> list[str]:
    return sorted(GERMAN_ORDER, key=text.index)


def test_lists_selects_and_exports_sort_municipalities_the_german_way(
        app, client, login, organiser, municipalities, cohort):
    assert _order(client.get(f"/apply/{cohort.id}").get_data(as_text=True)) == GERMAN_ORDER
    login(organiser)
    assert _order(client.get("/municipalities/").get_data(as_text=True)) == GERMAN_ORDER
    _header, rows = read_csv(client.get("/municipalities/export.csv").data)
    names = [row[1] for row in rows]
    assert [name for name in names if name in GERMAN_ORDER] == GERMAN_ORDER
    assert names == sorted(names, key=collation_key)


def test_a_renamed_municipality_takes_its_new_place(app, municipalities):
    with app.app_context():
        town = db.session.get(Municipality, municipalities["Köln"].id)
        town.name = "Über-Stadt"
        db.session.commit()
        assert db.session.scalar(select(Municipality.sort_name).where(
            Municipality.id == town.id)) == "uber-stadt"
