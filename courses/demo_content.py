"""The texts of the demo course: seven modules, written for the demo, in German.

German prose uses typographic en dashes, hence the file-wide exception below.

Kept apart from ``courses.demo`` (which writes them to the database) because they are
long. Times are Berlin local time, as an organiser would type them.
"""

# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass

COURSE_TITLE = "Integrationsmanagement und Systemdesign"

COURSE_DESCRIPTION = """\
Der Zertifikatslehrgang **„Integrationsmanagement und Systemdesign“** wird von der
Landeskoordinierungsstelle der Kommunalen Integrationszentren NRW (LaKI) gemeinsam mit
einer Hochschulakademie durchgeführt. Er richtet sich an Verantwortliche aus
Kommunalverwaltungen sowie an Mediatorinnen und Mediatoren, die in ihrer Kommune ein
System zum Umgang mit Konflikten in der Integrationsarbeit aufbauen wollen.

Jede teilnehmende Kommune entsendet zwei verantwortliche Personen. Gemeinsam tragen sie
den Lehrgang Schritt für Schritt in die Praxis:

1. **Bestandsaufnahme** der vorhandenen Integrationsstrukturen und -prozesse,
2. **Empfehlungen** für die eigene Kommune,
3. Vorstellung der Empfehlungen in den zuständigen **Gremien** (Rat, Ausschüsse),
4. **Umsetzung** der beschlossenen Maßnahmen.

Die erste Studiengruppe mit sechs Kommunen beginnt im Mai 2017. Ab 2018 kommen zehn
weitere Kommunen in einem verkürzten Verfahren hinzu. Drei Kongresse stellen die
Ergebnisse zur Diskussion; daraus entsteht das „Handbuch Integration“ für alle Kreise und
kreisfreien Städte in Nordrhein-Westfalen.
"""

CERTIFICATE_REQUIREMENTS = """\
Das Zertifikat erhält, wer

- an mindestens 80 Prozent der Präsenztermine teilgenommen hat,
- zu jedem Modul die Modularbeit fristgerecht abgegeben hat und diese als bestanden
  bewertet wurde,
- gemeinsam mit der zweiten verantwortlichen Person der Kommune die Bestandsaufnahme und
  die Empfehlungen vorgelegt hat und
- die Vorstellung der Empfehlungen in einem kommunalen Gremium nachweist (Einladung,
  Tagesordnung oder Protokollauszug).

Fehlzeiten können nach Absprache mit der Lehrgangsleitung durch eine schriftliche
Ausarbeitung ausgeglichen werden.
"""

# Places of the sessions (realistic, written for the demo).
DORTMUND = "Akademie im Harenberg-Haus, Königswall 21, 44137 Dortmund"
DUESSELDORF = "Tagungszentrum der Akademie, Völklinger Straße 49, 40221 Düsseldorf"
GELSENKIRCHEN = "Wissenschaftspark Gelsenkirchen, Munscheidstraße 14, 45886 Gelsenkirchen"
MUENSTER = "Akademie Franz Hitze Haus, Kardinal-von-Galen-Ring 50, 48149 Münster"
ONLINE = "https://konferenz.example.org/lehrgang-integrationsmanagement"


@dataclass(frozen=True)
class DemoSession:
    #: stable key, e.g. "konflikt-2017"; see ``courses.demo`` for how the cohorts plugin uses it
    key: str
    title: str
    starts: str  # "2017-05-18 10:00", Berlin time
    ends: str
    location: str = ""
    online_url: str = ""
    notes: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class DemoMaterial:
    title: str
    #: a file name (the file is generated) or an https address
    source: str
    #: lines of a generated PDF or text file
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoModule:
    title: str
    summary: str
    objectives: str
    content: str
    author_email: str
    sessions: tuple[DemoSession, ...]
    materials: tuple[DemoMaterial, ...] = ()


def _sessions(key: str, first: tuple[str, str, str], second: tuple[str, str, str],
              **extra: str) -> tuple[DemoSession, ...]:
    """One session for cohort 2017 and one for cohort 2018: (start, end, place) each."""
    return (
        DemoSession(f"{key}-2017", "Studiengruppe 2017", first[0], first[1], first[2]),
        DemoSession(f"{key}-2018", "Studiengruppe 2018", second[0], second[1], second[2],
                    **extra),
    )


MODULES: tuple[DemoModule, ...] = (
    DemoModule(
        title="Grundlagen des Konfliktmanagements in der Integrationsarbeit",
        summary="Wie Konflikte in der Einwanderungsgesellschaft entstehen, wie sie eskalieren "
                "und warum eine Kommune sie nicht nur aushalten, sondern gestalten kann.",
        objectives="""\
Nach diesem Modul können Sie

- Konflikte im Integrationsbereich nach Gegenstand, Beteiligten und Eskalationsstufe
  beschreiben,
- zwischen Sach-, Beziehungs-, Werte- und Verteilungskonflikten unterscheiden,
- typische Konfliktfelder Ihrer Kommune benennen und einer ersten Einschätzung unterziehen.
""",
        content="""\
## Konflikte gehören zur Integration

Wo Menschen mit unterschiedlichen Erfahrungen, Sprachen und Erwartungen zusammenleben,
entstehen Konflikte. Das ist zunächst kein Zeichen gescheiterter Integration, sondern
häufig ein Zeichen dafür, dass Teilhabe tatsächlich stattfindet: Wer mitreden will, meldet
Ansprüche an – auf Räume, auf Anerkennung, auf Mitsprache. Die kommunale
Integrationsarbeit steht deshalb nicht vor der Frage, *ob* es Konflikte gibt, sondern *wie*
mit ihnen umgegangen wird.

In der Praxis begegnen uns Konflikte auf sehr verschiedenen Ebenen: der Streit um Lärm im
Hinterhof einer Wohnanlage, die Auseinandersetzung um einen Gebetsraum, Spannungen
zwischen Elterngruppen in einer Kita oder die kontroverse Debatte im Rat über den Standort
einer Unterkunft für Geflüchtete. Gemeinsam ist ihnen, dass sie selten nur ein Thema
haben. Hinter dem sichtbaren Anlass liegen oft Fragen von Zugehörigkeit, Fairness und
Anerkennung.

## Konfliktarten unterscheiden

Für eine erste Einordnung hat sich eine einfache Unterscheidung bewährt:

| Konfliktart | Worum es geht | Beispiel aus der Kommune |
|:--|:--|:--|
| Sachkonflikt | unterschiedliche Sicht auf Fakten, Wege | Welche Sprachkurse werden gefördert? |
| Verteilungskonflikt | knappe Ressourcen | Belegung der Turnhalle, Fördermittel |
| Beziehungskonflikt | Vertrauen, Respekt, Kränkungen | Zerwürfnis zwischen Verein und Verwaltung |
| Wertekonflikt | Überzeugungen, Identität | Kleiderordnung, religiöse Praxis im Schwimmbad |

Diese Typen treten selten rein auf. Ein Verteilungskonflikt um Räume kann zum
Beziehungskonflikt werden, wenn sich eine Gruppe dauerhaft benachteiligt fühlt. Je klarer
Sie die Anteile auseinanderhalten, desto gezielter können Sie ein passendes Verfahren
wählen.

## Eskalation verstehen

Konflikte folgen einer eigenen Dynamik. Das Stufenmodell nach Friedrich Glasl beschreibt,
wie sich Parteien von der Verhärtung über Debatte und Taten bis hin zu Drohstrategien und
gegenseitiger Schädigung bewegen. Für die kommunale Praxis ist vor allem eine Einsicht
wichtig: Auf den frühen Stufen können die Beteiligten einen Konflikt noch selbst oder mit
moderierender Hilfe lösen; auf den mittleren Stufen braucht es Mediation oder andere
strukturierte Verfahren; auf den späten Stufen sind Machteingriffe – etwa durch Ordnungsamt
oder Polizei – oft nicht mehr zu vermeiden.

Ein gutes Konfliktmanagement setzt deshalb früh an. Es schafft Orte, an denen Spannungen
angesprochen werden können, bevor sie sich verhärten, und es sorgt dafür, dass die
Verwaltung Signale aus Quartieren, Schulen und Vereinen überhaupt wahrnimmt.

## Die Rolle der Kommune

Die Kommune ist in vielen Konflikten nicht neutrale Beobachterin, sondern selbst Partei:
als Eigentümerin von Gebäuden, als Genehmigungsbehörde, als Arbeitgeberin oder als
Geldgeberin. Diese Mehrfachrolle ist kein Hindernis, muss aber offen benannt werden.
Glaubwürdig wird kommunales Konfliktmanagement erst, wenn klar ist, wer in welchem
Verfahren welche Rolle hat – und wer unabhängig vermittelt.

Im weiteren Lehrgang entwickeln Sie daraus Schritt für Schritt ein System: Sie lernen
Verfahren der Konfliktbearbeitung kennen, analysieren die Strukturen Ihrer Kommune und
entwerfen ein Konfliktmanagementsystem, das zu ihr passt.
""",
        author_email="dozent@example.org",
        sessions=_sessions(
            "konflikt",
            ("2017-05-18 10:00", "2017-05-19 16:00", DORTMUND),
            ("2018-02-22 09:30", "2018-02-22 17:00", DORTMUND),
            notes="Verkürztes Verfahren: Auftakt und Grundlagen an einem Tag.",
        ),
        materials=(
            DemoMaterial("Leitfaden Konfliktanalyse", "Leitfaden-Konfliktanalyse.pdf", (
                "Leitfaden Konfliktanalyse",
                "",
                "1. Worum geht es? Anlass, Gegenstand, Vorgeschichte.",
                "2. Wer ist beteiligt? Parteien, Betroffene, Unterstützer.",
                "3. Welche Interessen stehen hinter den Positionen?",
                "4. Auf welcher Eskalationsstufe befindet sich der Konflikt?",
                "5. Welche Rolle hat die Kommune selbst?",
                "6. Welche Verfahren kommen in Frage?",
            )),
            DemoMaterial("Kommunale Integrationszentren in NRW",
                         "https://www.kommunale-integrationszentren-nrw.de/"),
        ),
    ),
    DemoModule(
        title="Mediation und Verfahren der Konfliktbearbeitung",
        summary="Mediation, Moderation, Schlichtung und Beteiligungsverfahren: was sie "
                "leisten, wo ihre Grenzen liegen und wann welches Verfahren passt.",
        objectives="""\
Nach diesem Modul können Sie

- den Ablauf einer Mediation in ihren Phasen erläutern,
- interessenorientiert fragen und Positionen von Interessen unterscheiden,
- für einen Konfliktfall begründet ein passendes Verfahren auswählen,
- einschätzen, wann eine externe Mediatorin oder ein externer Mediator hinzugezogen werden
  sollte.
""",
        content="""\
## Was Mediation ist – und was nicht

Mediation ist ein vertrauliches, strukturiertes Verfahren, in dem die Konfliktparteien mit
Unterstützung einer allparteilichen dritten Person eigenverantwortlich eine Lösung
erarbeiten. Die Mediatorin entscheidet nicht, sie schlägt in der Regel auch keine Lösung
vor. Sie sorgt dafür, dass alle gehört werden, dass hinter den Positionen die Interessen
sichtbar werden und dass die Beteiligten Optionen entwickeln, die für alle tragfähig sind.

Mediation ist freiwillig. Wer zur Teilnahme gedrängt wird, wird sich kaum ernsthaft auf
das Verfahren einlassen. Für die kommunale Praxis bedeutet das: Mediation kann angeboten,
nahegelegt und gut erreichbar gemacht werden, aber sie kann behördliche Entscheidungen nicht
ersetzen, wo Rechtsansprüche oder Gefahrenabwehr im Spiel sind.

## Die Phasen einer Mediation

1. **Auftrag und Rahmen:** Wer nimmt teil, was ist vertraulich, welche Regeln gelten?
2. **Themensammlung:** Welche Punkte sollen besprochen werden?
3. **Interessenklärung:** Was ist den Beteiligten wichtig, und warum?
4. **Optionen entwickeln:** Welche Lösungen sind denkbar – zunächst ohne Bewertung?
5. **Bewerten und verhandeln:** Welche Optionen tragen alle mit?
6. **Vereinbarung:** Was wird konkret verabredet, und wie wird es überprüft?

Die dritte Phase ist das Herzstück. Aus der Forderung „Die Jugendlichen müssen um 20 Uhr
vom Spielplatz verschwinden“ wird im Gespräch oft das Interesse „Ich brauche abends Ruhe,
weil ich früh zur Schicht muss“. Auf dieser Ebene werden Lösungen möglich, die vorher
niemand gesehen hat.

## Andere Verfahren

Nicht jeder Konflikt braucht eine Mediation. Eine **Moderation** genügt, wenn die
Beteiligten grundsätzlich miteinander sprechen können und vor allem Struktur brauchen. Eine
**Schlichtung** ist sinnvoll, wenn die Parteien einen Vorschlag einer anerkannten Person
wünschen. **Beteiligungsverfahren** wie Bürgerdialoge oder Runde Tische eignen sich, wenn
viele Menschen betroffen sind und die Kommune eine Entscheidung vorbereitet. Und
**Beschwerdestellen** sorgen dafür, dass Einzelne ihre Anliegen überhaupt an die richtige
Stelle bringen können.

> Das passende Verfahren ergibt sich aus der Eskalationsstufe, der Zahl der Beteiligten und
> der Frage, wer am Ende entscheidet.

## Interkulturelle Aspekte

In interkulturellen Konflikten spielen unterschiedliche Vorstellungen von Höflichkeit,
Direktheit, Hierarchie und Gesichtswahrung eine Rolle. Kulturelle Zuschreibungen helfen dabei
wenig; hilfreich ist eine fragende Haltung. Oft lohnt es sich, Schlüsselpersonen aus den
Communities einzubeziehen, mit Sprachmittlung zu arbeiten und Co-Mediationsteams zu bilden,
die unterschiedliche Perspektiven mitbringen.
""",
        author_email="dozentin.mediation@example.org",
        sessions=_sessions(
            "mediation",
            ("2017-06-29 10:00", "2017-06-30 16:00", DUESSELDORF),
            ("2018-03-22 09:30", "2018-03-22 17:00", DUESSELDORF),
        ),
        materials=(
            DemoMaterial("Phasenmodell der Mediation – Übersicht", "Phasen-der-Mediation.txt", (
                "Phasenmodell der Mediation",
                "",
                "1. Auftrag und Rahmen",
                "2. Themensammlung",
                "3. Interessenklärung",
                "4. Optionen entwickeln",
                "5. Bewerten und verhandeln",
                "6. Vereinbarung",
            )),
        ),
    ),
    DemoModule(
        title="Integrationsmanagement in der Kommune",
        summary="Integration als Querschnittsaufgabe: Zuständigkeiten, Netzwerke und "
                "Steuerung zwischen Verwaltung, Politik und Zivilgesellschaft.",
        objectives="""\
Nach diesem Modul können Sie

- die Akteure kommunaler Integrationsarbeit und ihre Aufträge beschreiben,
- Integration als Querschnittsaufgabe in der Verwaltung verorten,
- Steuerungsinstrumente wie Integrationskonzepte, Monitoring und Netzwerke einschätzen.
""",
        content="""\
## Integration ist Querschnittsaufgabe

Integration lässt sich keinem einzelnen Amt zuordnen. Sie findet in der Kita und in der
Schule statt, im Jobcenter und in der Ausländerbehörde, im Sportverein, im Wohnquartier und
im Gesundheitsamt. Kommunales Integrationsmanagement bedeutet deshalb vor allem,
Zuständigkeiten zu verbinden: Informationen müssen fließen, Angebote aufeinander abgestimmt
werden, und es braucht eine Stelle, die den Überblick behält.

In Nordrhein-Westfalen übernehmen die Kommunalen Integrationszentren in den Kreisen und
kreisfreien Städten diese koordinierende Rolle. Sie arbeiten mit den Fachämtern, mit
Migrantenorganisationen, Wohlfahrtsverbänden, Bildungsträgern und Integrationsräten
zusammen und werden landesweit von der LaKI unterstützt.

## Akteure und ihre Logiken

Wer Integration steuern will, muss die unterschiedlichen Handlungslogiken kennen:

- **Verwaltung** handelt nach Recht und Zuständigkeit, in Hierarchien und Verfahren.
- **Politik** entscheidet in Gremien, nach Mehrheiten und mit Blick auf die Öffentlichkeit.
- **Zivilgesellschaft** arbeitet oft ehrenamtlich, flexibel und nah an den Menschen.
- **Migrantenorganisationen** sind Interessenvertretung, Anlaufstelle und Brücke zugleich.

Viele Konflikte in der Integrationsarbeit sind in Wahrheit Konflikte zwischen diesen
Logiken: Die Initiative will schnell helfen, die Verwaltung muss Vergaberecht beachten; der
Integrationsrat fordert Mitsprache, der Fachausschuss sieht sich nicht zuständig.

## Steuerungsinstrumente

Ein **Integrationskonzept** beschreibt Ziele, Handlungsfelder und Verantwortlichkeiten und
wird idealerweise vom Rat beschlossen. Ein **Integrationsmonitoring** macht Entwicklungen
sichtbar – etwa Bildungsabschlüsse, Beschäftigung oder Einbürgerungen – und schafft eine
gemeinsame Datengrundlage. **Netzwerke und Arbeitskreise** sorgen für Austausch, brauchen
aber klare Aufträge, damit sie nicht zu reinen Informationsrunden werden.

## Konfliktmanagement als Teil der Steuerung

Ein kommunales Konfliktmanagementsystem ergänzt diese Instrumente. Es beantwortet die
Frage, was geschieht, wenn es knirscht: Wer nimmt Beschwerden auf? Wer entscheidet, ob ein
Fall moderiert, mediiert oder entschieden wird? Wie fließen Erfahrungen aus Konflikten
zurück in die Planung? Die folgenden Module geben darauf Antworten.
""",
        author_email="dozent@example.org",
        sessions=_sessions(
            "integration",
            ("2017-09-14 10:00", "2017-09-15 16:00", GELSENKIRCHEN),
            ("2018-04-26 09:30", "2018-04-26 17:00", GELSENKIRCHEN),
        ),
    ),
    DemoModule(
        title="Systemdesign: Konfliktmanagementsysteme entwerfen",
        summary="Vom Einzelfall zum System: Bausteine, Anlaufstellen und Eskalationswege eines "
                "kommunalen Konfliktmanagementsystems.",
        objectives="""\
Nach diesem Modul können Sie

- die Bausteine eines Konfliktmanagementsystems benennen,
- Anlaufstellen, Verfahren und Eskalationswege für Ihre Kommune skizzieren,
- Qualitätskriterien für ein solches System anwenden.
""",
        content="""\
## Vom Einzelfall zum System

Die meisten Kommunen haben Erfahrung mit Konflikten – aber oft nur als Einzelfälle, die
von engagierten Personen gelöst werden. Geht diese Person in den Ruhestand oder wechselt
die Stelle, geht auch das Wissen verloren. Ein **Konfliktmanagementsystem** macht aus
Einzelfallwissen eine verlässliche Struktur: Es legt fest, wo Konflikte gemeldet werden,
wer sie einschätzt, welche Verfahren zur Verfügung stehen und wie daraus gelernt wird.

## Die Bausteine

1. **Anlaufstellen:** niedrigschwellige Orte, an die sich Bürgerinnen und Bürger,
   Einrichtungen und Mitarbeitende wenden können – persönlich, telefonisch, online.
2. **Clearing:** eine Stelle, die Fälle einschätzt und entscheidet, welches Verfahren
   passt.
3. **Verfahren:** ein abgestuftes Angebot von Beratung über Moderation und Mediation bis
   zur formalen Entscheidung.
4. **Pool von Mediatorinnen und Mediatoren:** qualifizierte, unabhängige Personen, die bei
   Bedarf angefragt werden können.
5. **Rückkopplung:** Auswertung der Fälle, damit wiederkehrende Ursachen in Planung und
   Politik ankommen.

## Gestaltungsprinzipien

Gute Systeme folgen einigen einfachen Prinzipien. Sie setzen **früh** an und bieten
niedrigschwellige Verfahren vor formalen. Sie bieten **Rückwege**: Wer in ein formales
Verfahren gegangen ist, kann zu einem konsensorientierten zurückkehren. Sie sind
**transparent** – alle wissen, wohin sie sich wenden können. Und sie sind **getragen**:
Politik und Verwaltungsspitze stehen erkennbar dahinter.

## Das System passt zur Kommune

Ein Kreis mit vielen kleinen Gemeinden braucht andere Strukturen als eine Großstadt mit
starken Stadtteilen. Darum beginnt jedes Systemdesign mit einer gründlichen
Bestandsaufnahme – Thema des nächsten Moduls. Erst wenn klar ist, was es schon gibt und wo
Lücken sind, lässt sich ein System entwerfen, das nicht neben, sondern mit den vorhandenen
Strukturen arbeitet.
""",
        author_email="dozentin.system@example.org",
        sessions=_sessions(
            "system",
            ("2017-11-09 10:00", "2017-11-10 16:00", MUENSTER),
            ("2018-06-21 09:30", "2018-06-21 17:00", MUENSTER),
        ),
    ),
    DemoModule(
        title="Bestandsaufnahme: Strukturen und Prozesse der Kommune analysieren",
        summary="Was gibt es schon, wer ist beteiligt, wo hakt es? Methoden für eine "
                "gründliche Analyse der Integrationsstrukturen Ihrer Kommune.",
        objectives="""\
Nach diesem Modul können Sie

- eine Bestandsaufnahme der Integrationsstrukturen Ihrer Kommune planen und durchführen,
- Akteurslandkarten, Prozessanalysen und Interviews einsetzen,
- die Ergebnisse so aufbereiten, dass daraus Empfehlungen entstehen können.
""",
        content="""\
## Warum eine Bestandsaufnahme?

Bevor eine Kommune ein Konfliktmanagementsystem aufbaut, muss sie wissen, wo sie steht.
Die Bestandsaufnahme ist der erste Praxisschritt des Lehrgangs und die Grundlage für alles
Weitere. Sie beantwortet drei Fragen: Welche Strukturen und Angebote gibt es bereits? Wie
laufen die Prozesse tatsächlich – nicht nur auf dem Papier? Und wo entstehen Konflikte,
die bisher nicht gut bearbeitet werden?

## Methoden

**Akteurslandkarte.** Tragen Sie alle Stellen zusammen, die mit Integration und mit
Konflikten befasst sind: Ämter, Träger, Vereine, Migrantenorganisationen, Schulen,
Polizei, Wohnungsgesellschaften. Markieren Sie, wer mit wem zusammenarbeitet und wo
Verbindungen fehlen.

**Prozessanalyse.** Wählen Sie zwei oder drei typische Fälle aus und zeichnen Sie nach,
welchen Weg sie genommen haben: Wer hat den Konflikt bemerkt? Wer wurde informiert? Wer hat
entschieden? Wie lange hat es gedauert? Oft zeigen sich dabei Brüche, die niemandem bewusst
waren.

**Leitfadeninterviews.** Sprechen Sie mit Schlüsselpersonen innerhalb und außerhalb der
Verwaltung. Fragen Sie nach Erfahrungen, nicht nach Meinungen: „Erzählen Sie von einem
Konflikt, den Sie zuletzt erlebt haben.“

**Dokumentenanalyse.** Sichten Sie Integrationskonzept, Ratsbeschlüsse, Jahresberichte und
Beschwerdestatistiken.

## Arbeiten im Tandem

Die beiden verantwortlichen Personen Ihrer Kommune führen die Bestandsaufnahme gemeinsam
durch. Teilen Sie die Interviews auf, werten Sie aber gemeinsam aus – zwei Blickwinkel
schützen vor vorschnellen Schlüssen. Planen Sie für die Bestandsaufnahme etwa drei Monate
ein.

## Ergebnis

Am Ende steht ein Bericht von zehn bis fünfzehn Seiten mit Akteurslandkarte,
Prozessbeschreibungen und einer Einschätzung der Stärken und Lücken. Er wird als
Modularbeit eingereicht und ist die Grundlage für die Empfehlungen im nächsten Schritt.
""",
        author_email="dozentin.system@example.org",
        sessions=(
            DemoSession("analyse-2017", "Studiengruppe 2017", "2018-01-18 10:00",
                        "2018-01-19 16:00", DORTMUND,
                        notes="Abgesagt wegen des Sturmtiefs Friederike; Ersatztermin am "
                              "01. und 02.02.2018.",
                        cancelled=True),
            DemoSession("analyse-2017-ersatz", "Studiengruppe 2017 (Ersatztermin)",
                        "2018-02-01 10:00", "2018-02-02 16:00", DORTMUND),
            DemoSession("analyse-2018", "Studiengruppe 2018", "2018-08-30 09:30",
                        "2018-08-30 17:00", DORTMUND),
        ),
        materials=(
            DemoMaterial("Arbeitsblatt Bestandsaufnahme", "Arbeitsblatt-Bestandsaufnahme.pdf", (
                "Arbeitsblatt Bestandsaufnahme",
                "",
                "Akteure: Wer ist mit Integration und Konflikten befasst?",
                "Prozesse: Welchen Weg nehmen typische Fälle?",
                "Interviews: Mit wem sprechen wir bis wann?",
                "Dokumente: Konzept, Beschlüsse, Berichte, Statistiken",
                "Stärken und Lücken: erste Einschätzung im Tandem",
            )),
            DemoMaterial("Checkliste Akteurslandkarte", "Checkliste-Akteurslandkarte.txt", (
                "Checkliste Akteurslandkarte",
                "",
                "[ ] Fachämter (Soziales, Jugend, Schule, Ordnung, Ausländerbehörde)",
                "[ ] Kommunales Integrationszentrum",
                "[ ] Integrationsrat",
                "[ ] Wohlfahrtsverbände und freie Träger",
                "[ ] Migrantenorganisationen und Moscheegemeinden",
                "[ ] Schulen und Kitas",
                "[ ] Polizei und Wohnungsgesellschaften",
            )),
        ),
    ),
    DemoModule(
        title="Empfehlungen entwickeln und in die Gremien bringen",
        summary="Aus der Analyse werden Empfehlungen, aus Empfehlungen Beschlüsse: wie Sie "
                "Vorlagen schreiben und Ihre Ergebnisse in Rat und Ausschüssen vertreten.",
        objectives="""\
Nach diesem Modul können Sie

- aus Ihrer Bestandsaufnahme begründete, umsetzbare Empfehlungen ableiten,
- eine Beschlussvorlage für Rat oder Ausschuss entwerfen,
- die Gremienarbeit Ihrer Kommune so planen, dass die Empfehlungen Gehör finden.
""",
        content="""\
## Von der Analyse zur Empfehlung

Eine gute Empfehlung ist **konkret**, **begründet** und **umsetzbar**. „Die Kommune soll
Konflikte besser bearbeiten“ ist keine Empfehlung. „Die Kommune richtet im Kommunalen
Integrationszentrum eine Clearingstelle für Konflikte ein, die mit einer halben Stelle
ausgestattet wird und auf einen Pool von fünf Mediatorinnen und Mediatoren zurückgreifen
kann“ ist eine.

Jede Empfehlung sollte auf einen Befund der Bestandsaufnahme verweisen, Kosten und Aufwand
benennen und sagen, wer verantwortlich wäre. Priorisieren Sie: Drei gut begründete
Empfehlungen überzeugen mehr als fünfzehn lose Vorschläge.

## Die Gremien kennen

Bevor Sie eine Vorlage schreiben, klären Sie den Weg: Welcher Ausschuss ist fachlich
zuständig? Muss der Integrationsrat beteiligt werden? Entscheidet der Rat oder genügt ein
Ausschussbeschluss? Wie sind die Fristen für Vorlagen, und wer zeichnet sie in der
Verwaltung mit? In Kreisen kommt hinzu, dass Kreistag und kreisangehörige Gemeinden
unterschiedliche Zuständigkeiten haben.

## Die Beschlussvorlage

Eine Vorlage besteht in der Regel aus dem **Beschlussvorschlag**, der **Sachdarstellung**
und den **finanziellen Auswirkungen**. Der Beschlussvorschlag steht am Anfang und ist so
formuliert, dass er ohne die Begründung verständlich ist. Die Sachdarstellung fasst die
Bestandsaufnahme knapp zusammen und leitet die Empfehlungen her.

## Überzeugen, nicht überrumpeln

Sprechen Sie vor der Sitzung mit den Fraktionen und mit dem Integrationsrat. Bieten Sie an,
die Ergebnisse in einer Sitzung vorzustellen, und bringen Sie Beispiele mit: Ein gut
erzählter Fall aus der eigenen Kommune wirkt stärker als jede Statistik. Rechnen Sie damit,
dass Empfehlungen verändert oder vertagt werden – auch das ist Teil des Verfahrens. Halten
Sie das Ergebnis der Beratung fest; es wird im Lehrgang als Gremienbeschluss dokumentiert.
""",
        author_email="dozent@example.org",
        sessions=_sessions(
            "gremien",
            ("2018-03-15 10:00", "2018-03-16 16:00", DUESSELDORF),
            ("2018-10-11 09:30", "2018-10-11 17:00", ""),
            online_url=ONLINE,
            notes="Online-Termin: Der Link wird eine Woche vorher freigeschaltet.",
        ),
        materials=(
            DemoMaterial("Muster einer Beschlussvorlage", "Muster-Beschlussvorlage.pdf", (
                "Muster einer Beschlussvorlage",
                "",
                "Beschlussvorschlag:",
                "Der Ausschuss empfiehlt dem Rat, im Kommunalen Integrationszentrum",
                "eine Clearingstelle für Konflikte einzurichten.",
                "",
                "Sachdarstellung: Ergebnisse der Bestandsaufnahme, Empfehlungen",
                "Finanzielle Auswirkungen: Personal- und Sachkosten je Jahr",
            )),
        ),
    ),
    DemoModule(
        title="Umsetzung und Verstetigung der Maßnahmen",
        summary="Beschlossen ist nicht umgesetzt: Projektplanung, Monitoring und die "
                "dauerhafte Verankerung des Konfliktmanagements in der Kommune.",
        objectives="""\
Nach diesem Modul können Sie

- beschlossene Maßnahmen in einen Umsetzungsplan mit Meilensteinen übersetzen,
- den Stand der Umsetzung dokumentieren und berichten,
- Bedingungen für eine dauerhafte Verankerung benennen und gestalten.
""",
        content="""\
## Beschlossen ist nicht umgesetzt

Mit dem Gremienbeschluss beginnt die eigentliche Arbeit. Jetzt muss aus einer Empfehlung
eine Maßnahme werden, mit Verantwortlichen, Zeitplan und Budget. Erfahrungsgemäß scheitern
Vorhaben selten am fehlenden Willen, sondern an unklaren Zuständigkeiten und daran, dass
das Tagesgeschäft alles andere verdrängt.

## Ein Umsetzungsplan

Legen Sie für jede beschlossene Maßnahme fest:

- **Ziel:** Was soll in einem Jahr anders sein?
- **Verantwortung:** Wer führt, wer arbeitet mit?
- **Meilensteine:** Welche Schritte sind bis wann erledigt?
- **Ressourcen:** Welche Stellenanteile, welche Mittel stehen zur Verfügung?
- **Nachweis:** Woran erkennen wir, dass der Schritt erledigt ist?

Im Lehrgang dokumentieren Sie den Stand jeder Maßnahme als Umsetzungsschritt. So entsteht
ein Bild über alle Kommunen hinweg, das auf den Kongressen vorgestellt wird.

## Monitoring und Lernen

Ein Konfliktmanagementsystem lebt davon, dass es aus Fällen lernt. Werten Sie deshalb
regelmäßig aus: Wie viele Anfragen gab es, aus welchen Bereichen, mit welchem Ergebnis?
Welche Ursachen kehren wieder? Berichten Sie einmal im Jahr im zuständigen Ausschuss – das
hält das Thema auf der Tagesordnung und sichert die Unterstützung der Politik.

## Verstetigung

Nach dem Lehrgang soll das System weiterlaufen. Dazu gehören eine dauerhafte
Stellenausstattung, eine Verankerung im Integrationskonzept, die regelmäßige Fortbildung
des Mediationspools und der Austausch mit anderen Kommunen. Die Erfahrungen aller
beteiligten Kommunen fließen in das „Handbuch Integration“, das allen Kreisen und
kreisfreien Städten in Nordrhein-Westfalen zur Verfügung gestellt wird.
""",
        author_email="dozent@example.org",
        sessions=_sessions(
            "umsetzung",
            ("2018-06-07 10:00", "2018-06-08 16:00", GELSENKIRCHEN),
            ("2018-11-29 09:30", "2018-11-29 17:00", GELSENKIRCHEN),
        ),
    ),
)
