"""The plugin's one blueprint; the view modules (``views``, ``work``, grading) add routes."""

from flask import Blueprint

bp = Blueprint("assignments", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")
