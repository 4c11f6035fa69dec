"""The yardstick of ``make bench``: a bare Flask page that reads a 50x20 table from SQLite
and renders it with Jinja, served the same way as the app. No sign-in, translation,
ORM or CSRF: what one request costs on this machine without the programme."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from flask import Flask, render_template_string

ROWS, COLUMNS = 50, 20
DATABASE = Path(os.environ.get("LMS_BENCH_BARE_DB", "/tmp/lms-bench-bare.sqlite3"))

TEMPLATE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Tabelle</title>
</head><body><nav><ul>{% for label in nav %}<li><a href="#">{{ label }}</a></li>{% endfor %}
</ul></nav><main><h1>Tabelle</h1><table><thead><tr>{% for name in names %}<th>{{ name }}</th>
{% endfor %}</tr></thead><tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>
{% endfor %}</tr>{% endfor %}</tbody></table></main></body></html>"""


def create_table(path: Path = DATABASE) -> None:
    """The table the page reads, made anew."""
    path.unlink(missing_ok=True)
    columns = ", ".join(f"c{n} TEXT" for n in range(COLUMNS))
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE TABLE cells ({columns})")
        connection.executemany(
            f"INSERT INTO cells VALUES ({', '.join('?' * COLUMNS)})",
            [[f"Zeile {row}, Spalte {column}" for column in range(COLUMNS)]
             for row in range(ROWS)])


app = Flask(__name__)


@app.route("/")
def table() -> str:
    with sqlite3.connect(DATABASE) as connection:
        cursor = connection.execute("SELECT * FROM cells")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    return render_template_string(TEMPLATE, names=names, rows=rows,
                                  nav=["Übersicht", "Lehrgang", "Kalender", "Aufgaben"])
