"""The host's calendar: one page and the iCalendar feeds, fed by every plugin's source.

``ical`` turns calendar events into RFC 5545 (pure functions); ``feeds`` answers feed
requests over HTTP (validators, 304), from ``cache`` while ``stamp`` says nothing changed;
``tokens`` and ``models`` keep the secret of each person's feed address; ``events``
gathers and labels what the sources yield; ``summary`` keeps what a person's whole
calendar holds; ``layout`` puts it into months, weeks and lists; ``forms`` reads the
filters; ``views`` is the blueprint.

A feed for any other selection (a congress's agenda, say) is a view that collects its
events and hands them to ``feeds.calendar_response``.
"""
