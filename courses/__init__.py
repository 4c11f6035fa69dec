"""Course plugin: the programme, its modules, sessions, materials and congresses."""

from lms.plugins import Plugin

plugin = Plugin(name="courses")
