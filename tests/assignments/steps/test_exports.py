"""The board and measures as CSV (read back), the chart as SVG (parsed), the timeline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from sqlalchemy import select

from assignments.steps import measures
from assignments.steps.chart import measure_chart
from assignments.steps.models import Measure, MeasureState, MeasureUpdate
from cohorts.models import Cohort
from lms.auth.models import User
from lms.csvfile import read_csv
from lms.dates import berlin_today
from lms.extensions import db
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import accept_recommendations, add_measure, decision
from tests.workbooks import XLSX_TYPE, read_sheet

steps_world = steps_factories.steps_world
SVG = "{http://www.w3.org/2000/svg}"


def _with_measures(app, world) -> list[int]:
    accept_recommendations(app, world)
    presentation = decision(app, world, days_ago=70)
    ids = [add_measure(app, world, presentation, title) for title in
           ("Clearingstelle", "=HYPERLINK(\"x\")", "Dolmetscherpool")]
    with app.test_request_context():
        actor = db.session.get(User, world["hamm1"].id)
        measures.add_update(db.session.get(Measure, ids[0]), MeasureState.IN_PROGRESS, "",
                            berlin_today() - timedelta(days=35), actor=actor)
        measures.add_update(db.session.get(Measure, ids[0]), MeasureState.IMPLEMENTED, "",
                            berlin_today(), actor=actor)
        measures.add_update(db.session.get(Measure, ids[2]), MeasureState.DROPPED, "zu teuer",
                            berlin_today(), actor=actor)
        db.session.commit()
    return ids


def test_board_csv_reads_back(app, steps_world, client_for):
    _with_measures(app, steps_world)
    response = client_for(steps_world["organiser"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}/board.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    header, rows = read_csv(response.data)
    assert len(header) == 2 + 2 * 4
    by_name = {row[0]: row for row in rows}
    assert set(by_name) == {"Hamm", "Duisburg"}
    assert by_name["Hamm"][1] == "05915000"
    assert by_name["Duisburg"][2] in {"not started", "nicht begonnen"}


def test_measures_csv_is_excel_safe(app, steps_world, client_for):
    _with_measures(app, steps_world)
    response = client_for(steps_world["lecturer"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}/measures.csv")
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    _header, rows = read_csv(response.data)
    assert len(rows) == 3
    assert {row[2] for row in rows} == {"Clearingstelle", '=HYPERLINK("x")', "Dolmetscherpool"}
    assert all(row[6] == "Rat der Stadt" and row[8] == "TOP 7, DS 17/0421" for row in rows)


def test_board_and_measures_as_workbooks_keep_codes_dates_and_text(app, steps_world,
                                                                   client_for):
    _with_measures(app, steps_world)
    client = client_for(steps_world["organiser"])
    base = f"/assignments/steps/cohorts/{steps_world.cohort.id}"
    board = client.get(f"{base}/board.xlsx")
    assert board.status_code == 200 and board.mimetype == XLSX_TYPE
    codes = [cell for cell in read_sheet(board.data)["B"][1:]]
    assert {cell.value for cell in codes} == {"05915000", "05112000"}  # leading zeros kept
    assert all(cell.data_type == "s" for cell in codes)
    sheet = read_sheet(client.get(f"{base}/measures.xlsx").data)
    titles = sheet["C"][1:]
    assert {cell.value for cell in titles} == {"Clearingstelle", '=HYPERLINK("x")',
                                               "Dolmetscherpool"}
    assert all(cell.data_type == "s" for cell in titles)  # text, never a formula
    assert {cell.value for cell in sheet["E"][1:]} == {None}  # no due date: an empty cell
    meetings = sheet["H"][1:]
    assert all(cell.is_date and cell.number_format == "DD.MM.YYYY" for cell in meetings)


def test_board_page_links_both_formats(app, steps_world, client_for):
    page = client_for(steps_world["organiser"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}").get_data(as_text=True)
    for name in ("board", "measures"):
        for extension in ("xlsx", "csv"):
            assert f"/{name}.{extension}" in page


def test_chart_counts_states_at_month_ends(app, steps_world):
    _with_measures(app, steps_world)
    with app.app_context():
        chart = measure_chart(db.session.get(Cohort, steps_world.cohort.id))
    assert chart is not None
    assert chart.months[-1] >= berlin_today()
    last = dict(zip(chart.states, chart.counts[-1], strict=True))
    assert last == {MeasureState.PLANNED: 1, MeasureState.IN_PROGRESS: 0,
                    MeasureState.IMPLEMENTED: 1, MeasureState.DROPPED: 1}
    counted = [row for row in chart.counts if sum(row)]  # from the decision's month on
    assert all(sum(row) == 3 for row in counted)
    assert counted[0][0] == 3  # all planned in the month of the decision


def test_no_chart_without_measures(app, steps_world):
    with app.app_context():
        assert measure_chart(db.session.get(Cohort, steps_world.cohort.id)) is None


def test_a_historical_cohorts_chart_covers_its_period_and_half_a_year(app, steps_world):
    _with_measures(app, steps_world)
    with app.app_context():
        cohort = db.session.get(Cohort, steps_world.cohort.id)
        first_note = min(db.session.scalars(select(MeasureUpdate.noted_on)))
        cohort.starts_on, cohort.ends_on = first_note - timedelta(days=400), \
            first_note - timedelta(days=40)
        chart = measure_chart(cohort, today=first_note + timedelta(days=3000))
    assert chart is not None
    first, last = chart.months[0], chart.months[-1]
    assert (first.year, first.month) == (cohort.starts_on.year, cohort.starts_on.month)
    after_end = cohort.ends_on + timedelta(days=183)
    assert (last.year, last.month) == (after_end.year, after_end.month)
    assert len(chart.months) <= 21  # 13 to 14 months of the cohort, 6 after it


def test_board_svg_parses_as_xml_with_title_desc_and_table(app, steps_world, client_for):
    _with_measures(app, steps_world)
    page = client_for(steps_world["lecturer"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}").get_data(as_text=True)
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    svg = ET.fromstring(page[start:end])
    assert svg.tag == f"{SVG}svg"
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    bars = svg.findall(f"{SVG}rect")
    assert bars and all(float(bar.get("height")) > 0 for bar in bars)
    assert "<caption>" in page[end:]


def test_timeline_in_date_order(app, steps_world, client_for):
    _with_measures(app, steps_world)
    page = client_for(steps_world["hamm1"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}/municipalities/"
        f"{steps_world.hamm.id}/timeline").get_data(as_text=True)
    days = [date.fromisoformat(day) for day in
            re.findall(r'datetime="(\d{4}-\d\d-\d\d)"', page)]
    assert len(days) >= 6
    assert days == sorted(days)
    assert "Rat der Stadt" in page and "Clearingstelle" in page


def test_a_measure_has_a_target_date_not_a_due_date(app, steps_world, client_for):
    """Measures are planned ("Zieldatum"); only handing in work has an "Abgabetermin"."""
    _with_measures(app, steps_world)
    response = client_for(steps_world["lecturer"]).get(
        f"/assignments/steps/cohorts/{steps_world.cohort.id}/measures.csv",
        headers={"Accept-Language": "de"})
    header, _rows = read_csv(response.data)
    assert header[4] == "Zieldatum" and "Abgabetermin" not in header
