// Reads an iCalendar feed from stdin with Mozilla's ical.js (the parser in Thunderbird)
// and prints its events as JSON, one object per VEVENT in the order of the file:
//   {"uid", "sequence", "status", "all_day", "start", "end"}
// Timed starts and ends are UTC instants ("2017-05-18T08:00:00Z"), computed by ical.js from
// the feed's own VTIMEZONE; all-day ones are dates ("2017-12-07", the end exclusive).
// A TZID that no VTIMEZONE of the feed defines is an error (exit 1): ical.js would read
// such a time as floating and every client would place it differently.
// Used by tests/calendar/icaljs.py; ical.js comes from package-lock.json (`npm ci`).
import ICAL from "ical.js";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function moment(time, what, uid) {
  if (time === null) {
    throw new Error(`${uid}: no ${what}`);
  }
  if (time.isDate) {
    return time.toString();
  }
  const tzid = time.zone ? time.zone.tzid : "floating";
  if (tzid === "floating") {
    throw new Error(`${uid}: ${what} ${time.toString()} names a time zone the feed does not define`);
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

const calendar = new ICAL.Component(ICAL.parse(await readStdin()));
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    all_day: event.startDate.isDate,
    start: moment(event.startDate, "DTSTART", event.uid),
    end: moment(event.endDate, "DTEND", event.uid),
  };
});
process.stdout.write(JSON.stringify(events) + "\n");
