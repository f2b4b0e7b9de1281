"""The sample news site's articles, as data.

The same records drive the rendered pages and the tests' expectations, so a test can check every
paragraph survives extraction without anyone copying text by hand. The "Tagesblatt" and its
stories are invented; the Putin/Xi story follows the project's seed scrape, a WordPress (tagDiv
theme) page, to reproduce that theme's boilerplate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class SampleArticle:
    path: str
    title: str
    section: str
    authors: tuple[str, ...]
    published: str
    paragraphs: tuple[str, ...]
    language: str = "de"
    modified: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    #: markup style: "wordpress" (tagDiv theme), "html5" (article element) or "divsoup" (React-like)
    style: str = "html5"
    #: how the crawler finds it: "home", "section", "section-page-2", "feed", "sitemap", "redirect"
    found_via: tuple[str, ...] = ("section",)
    #: how the page is served: "plain", "gzip", "chunked", "latin-1", "bogus-charset",
    #: "cp1252-undeclared" (no charset anywhere), "cp1252-as-utf8" (labelled UTF-8, is not)
    served: str = "plain"
    #: served only when the server runs with faults enabled
    fault: bool = False
    #: forbidden by robots.txt: the crawler must never fetch it
    disallowed: bool = False
    related_paths: tuple[str, ...] = field(default=())

    @property
    def is_archivable(self) -> bool:
        return not self.disallowed


SITE_NAME = "Tagesblatt"

SECTIONS = {
    "politik": "Politik",
    "wirtschaft": "Wirtschaft",
    "kultur": "Kultur",
}

ARTICLES: tuple[SampleArticle, ...] = (
    SampleArticle(
        path="/politik/2024/05/16/putin-xi-militaerische-koordinierung/",
        title=(
            "Wladimir Putin und Xi Jinping vereinbaren eine Ausweitung der militärischen "
            "Koordinierung zwischen Russland und China"
        ),
        section="politik",
        authors=("Lena Hoffmann",),
        published="2024-05-16T14:05:00+02:00",
        modified="2024-05-16T18:20:00+02:00",
        tags=("Russland", "China", "Ukraine"),
        description="China und Russland wollen ihre militärischen Beziehungen intensivieren.",
        style="wordpress",
        found_via=("home", "section", "feed", "sitemap"),
        related_paths=("/politik/2024/05/15/putin-reise-peking-bedeutung/",),
        paragraphs=(
            "China und Russland haben am Donnerstag zugesagt, ihre militärischen Beziehungen zu "
            "intensivieren, obwohl der Westen Druck auf Peking ausübt, Moskau vom Vormarsch in der "
            "Ukraine abzuhalten.",
            "In einer gemeinsamen Pressekonferenz in Peking sagte der chinesische Präsident Xi "
            "Jinping, er und der zu Besuch kommende russische Staatschef Wladimir Putin seien sich "
            "einig, dass „eine politische Lösung der Ukraine-Krise die richtige Richtung ist“. Xi "
            "sagte auch, China wolle „eine konstruktive Rolle“ bei der Wiederherstellung des "
            "Friedens auf dem europäischen Kontinent spielen.",
            "Das Treffen zwischen Xi und Putin fand kurz nach der Rückkehr des chinesischen "
            "Präsidenten von seinem ersten Europabesuch seit fünf Jahren statt. Während des "
            "Besuchs wurde Xi vom französischen Präsidenten Emmanuel Macron aufgefordert, seinen "
            "Einfluss auf Russland zu nutzen, um den Krieg in der Ukraine zu beenden.",
            "In einer am Donnerstag veröffentlichten gemeinsamen Erklärung sagten Peking und "
            "Moskau, sie würden „das gegenseitige militärische Vertrauen und die Zusammenarbeit "
            "weiter vertiefen“, indem sie den Umfang gemeinsamer Militärübungen ausweiten und "
            "regelmäßige gemeinsame See- und Luftpatrouillen durchführen.",
            "Der Erklärung zufolge werden China und Russland in Bereichen wie künstlicher "
            "Intelligenz, Telekommunikation, Open-Source-Technologien sowie Cyber- und "
            "Datensicherheit zusammenarbeiten – Bereichen, von denen angenommen wird, dass sie "
            "Auswirkungen auf die Sicherheit haben.",
            "Bei seinem Besuch in Kiew Anfang dieser Woche kündigte US-Außenminister Antony "
            "Blinken zusätzliche Militärhilfe in Höhe von 2 Milliarden US-Dollar für die Ukraine "
            "an. Doch die amerikanische Hilfe wird die Ukraine möglicherweise erst Anfang Juli "
            "erreichen.",
        ),
    ),
    SampleArticle(
        path="/politik/2024/05/15/putin-reise-peking-bedeutung/",
        title="Ein Besuch von ungewöhnlicher Bedeutung? Warum Putins Reise nach Peking zählt",
        section="politik",
        authors=("Lena Hoffmann", "Markus Brandt"),
        published="2024-05-15T09:00:00+02:00",
        tags=("Russland", "China"),
        description="Was Moskau und Peking voneinander erwarten.",
        style="wordpress",
        found_via=("section",),
        paragraphs=(
            "Wladimir Putins erste Auslandsreise nach seiner Wiedereinführung ins Amt führt ihn "
            "nach Peking. Beobachter sehen darin ein deutliches Signal, wie sehr Moskau inzwischen "
            "auf wirtschaftliche und politische Unterstützung aus China angewiesen ist.",
            "Der Handel zwischen beiden Ländern hat seit Beginn des Krieges in der Ukraine "
            "Rekordwerte erreicht. Russland liefert Öl und Gas, China exportiert Maschinen, "
            "Fahrzeuge und Elektronik, die westliche Hersteller nicht mehr liefern dürfen.",
            "Für Peking ist die Beziehung dennoch ein Balanceakt. Die chinesische Führung möchte "
            "die Exportmärkte in Europa und den Vereinigten Staaten nicht gefährden und vermeidet "
            "deshalb offene Waffenlieferungen an Moskau.",
        ),
    ),
    SampleArticle(
        path="/politik/klimaschutzgesetz-haefen-bundestag-a-20240514.html",
        title="Bundestag beschließt Klimaschutzgesetz für die Häfen",
        section="politik",
        authors=("Anna Weber",),
        published="2024-05-14T17:45:00+02:00",
        tags=("Klimaschutz", "Hafen"),
        description="Landstrom wird für große Schiffe Pflicht.",
        found_via=("home", "section", "feed", "sitemap"),
        paragraphs=(
            "Der Bundestag hat am Dienstagabend ein Gesetz beschlossen, das den Klimaschutz in "
            "den deutschen Seehäfen verbindlich regelt. Große Container- und Kreuzfahrtschiffe "
            "müssen künftig während der Liegezeit Landstrom nutzen, statt ihre Dieselgeneratoren "
            "laufen zu lassen.",
            "Die Hafenbetreiber erhalten dafür bis 2028 Fördermittel in Höhe von insgesamt 1,2 "
            "Milliarden Euro. Mit dem Geld sollen Anschlüsse an den Kaikanten gebaut und die "
            "Stromnetze in den Hafengebieten verstärkt werden.",
            "Umweltverbände begrüßten den Beschluss, kritisierten aber die langen "
            "Übergangsfristen. Der Verband der Reeder warnte dagegen vor steigenden Kosten, die am "
            "Ende die Verbraucher tragen müssten.",
            "Der Bundesrat soll sich im Juni mit dem Gesetz befassen. Eine Zustimmung der Länder "
            "gilt als wahrscheinlich, da vor allem die Küstenländer seit Jahren auf eine "
            "bundesweite Regelung gedrängt hatten.",
        ),
    ),
    SampleArticle(
        path="/politik/kommunalwahl-briefwahl-rekord-a-20240510.html",
        title="Kommunalwahl: Briefwahl erreicht neuen Rekord",
        section="politik",
        authors=("Jonas Becker",),
        published="2024-05-10T08:15:00+02:00",
        tags=("Wahlen",),
        description="Fast jeder zweite Wähler stimmt per Brief ab.",
        found_via=("section-page-2",),
        paragraphs=(
            "Bei der Kommunalwahl in drei Wochen werden so viele Menschen wie noch nie per Brief "
            "abstimmen. Nach Angaben der Wahlämter haben bereits 46 Prozent der Wahlberechtigten "
            "ihre Unterlagen beantragt.",
            "Die Städte stocken deshalb das Personal für die Auszählung auf. Allein in der "
            "Landeshauptstadt werden am Wahlabend mehr als 3000 Helferinnen und Helfer im Einsatz "
            "sein, um die Stimmzettel rechtzeitig zu zählen.",
            "Politikwissenschaftler sehen in der Entwicklung keinen Nachteil für die Demokratie. "
            "Wichtig sei allein, dass die Fristen für die Rücksendung bekannt seien und die "
            "Wahlbriefe rechtzeitig bei den Ämtern einträfen.",
        ),
    ),
    SampleArticle(
        path="/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html",
        title="Hamburger Hafen investiert Millionen in Landstrom",
        section="wirtschaft",
        authors=("Anna Weber", "Jonas Becker"),
        published="2024-05-13T11:30:00+02:00",
        tags=("Hafen", "Energie"),
        description="Neue Anlagen an vier Terminals.",
        style="divsoup",
        found_via=("home", "section", "sitemap"),
        served="gzip",
        paragraphs=(
            "Der Hamburger Hafen baut seine Landstromversorgung deutlich aus. Bis Ende des "
            "nächsten Jahres sollen alle vier Containerterminals Anschlüsse erhalten, an denen "
            "Schiffe während der Liegezeit mit Strom aus erneuerbaren Quellen versorgt werden.",
            "Die Hafenverwaltung beziffert die Kosten auf rund 180 Millionen Euro. Ein Teil davon "
            "wird aus Bundesmitteln finanziert, den Rest tragen die Terminalbetreiber und die "
            "Stadt gemeinsam.",
            "Nach Berechnungen der Umweltbehörde könnten so jährlich bis zu 40.000 Tonnen "
            "Kohlendioxid eingespart werden. Anwohner in den hafennahen Stadtteilen hoffen zudem "
            "auf weniger Lärm und sauberere Luft.",
        ),
    ),
    SampleArticle(
        path="/wirtschaft/inflation-sinkt-im-mai-a-20240512.html",
        title="Inflation sinkt im Mai auf 2,2 Prozent",
        section="wirtschaft",
        authors=("Markus Brandt",),
        published="2024-05-12T10:00:00+02:00",
        tags=("Konjunktur",),
        description="Die Teuerung schwächt sich weiter ab.",
        # reached only through the old address /alt/inflation-mai, which redirects here
        found_via=("redirect",),
        paragraphs=(
            "Die Inflation in Deutschland ist im Mai weiter gesunken. Nach einer ersten Schätzung "
            "des Statistischen Bundesamtes lagen die Verbraucherpreise um 2,2 Prozent höher als "
            "ein Jahr zuvor.",
            "Vor allem Energie war günstiger als im Vorjahr. Nahrungsmittel verteuerten sich "
            "dagegen erneut, wenn auch langsamer als in den Monaten zuvor. Dienstleistungen "
            "bleiben der größte Preistreiber.",
            "Ökonomen rechnen damit, dass die Europäische Zentralbank im Juni erstmals seit "
            "Jahren die Leitzinsen senkt. Eine Mehrheit im Rat hatte zuletzt Signale in diese "
            "Richtung gegeben.",
        ),
    ),
    SampleArticle(
        path="/wirtschaft/2024/05/16/reedereien-meiden-rotes-meer/",
        title="Reedereien meiden weiter das Rote Meer",
        section="wirtschaft",
        authors=("Jonas Becker",),
        published="2024-05-16T07:30:00+02:00",
        tags=("Schifffahrt",),
        description="Umwege um Afrika verlängern die Lieferzeiten.",
        found_via=("sitemap",),
        paragraphs=(
            "Die großen Containerreedereien schicken ihre Schiffe weiterhin um das Kap der Guten "
            "Hoffnung. Die Route durch das Rote Meer und den Suezkanal gilt wegen der Angriffe auf "
            "Handelsschiffe als zu gefährlich.",
            "Der Umweg verlängert die Fahrt von Asien nach Nordeuropa um bis zu zwei Wochen. Die "
            "Frachtraten für einen Standardcontainer haben sich seit Jahresbeginn mehr als "
            "verdoppelt.",
            "Für die Häfen an der Nordsee bedeutet das unregelmäßige Ankünfte. Mehrere Schiffe "
            "treffen oft gleichzeitig ein, was die Abfertigung an den Terminals erschwert.",
        ),
    ),
    SampleArticle(
        path="/kultur/2024/05/14/filmfest-eroeffnet-mit-hafendrama/",
        title="Filmfest eröffnet mit einem Hafendrama",
        section="kultur",
        authors=("Sophie Krüger",),
        published="2024-05-14T20:00:00+02:00",
        tags=("Film",),
        description="Ein Film über Hafenarbeiter eröffnet das Festival.",
        found_via=("feed",),
        paragraphs=(
            "Mit einem Drama über drei Generationen von Hafenarbeitern ist am Dienstagabend das "
            "Internationale Filmfest eröffnet worden. Die Regisseurin war mit ihrem gesamten "
            "Ensemble angereist.",
            "Der Film erzählt von einer Familie, deren Arbeit durch die Automatisierung der "
            "Terminals überflüssig wird. Das Publikum feierte die Vorführung mit minutenlangem "
            "Applaus.",
            "Bis Sonntag laufen mehr als 120 Filme aus 40 Ländern. Karten für die meisten "
            "Vorstellungen sind noch an den Kassen der Festivalkinos erhältlich.",
        ),
    ),
    SampleArticle(
        path="/kultur/festival-cannes-ouverture.html",
        title="Le festival de Cannes s'ouvre sous le signe de la mer",
        section="kultur",
        authors=("Claire Dubois",),
        published="2024-05-14T19:00:00+02:00",
        language="fr",
        tags=("Cinéma",),
        description="Ouverture du festival avec un film sur les ports.",
        found_via=("section",),
        served="latin-1",
        paragraphs=(
            "Le soixante-dix-septième festival de Cannes s'est ouvert mardi soir avec un film "
            "consacré aux dockers de Marseille. La cérémonie d'ouverture a été saluée par une "
            "longue ovation du public présent dans le grand théâtre.",
            "Vingt-deux films sont en compétition cette année pour la Palme d'or. Le jury, présidé "
            "par une réalisatrice américaine, rendra son verdict le samedi vingt-cinq mai.",
            "Les organisateurs ont renforcé la sécurité autour du palais des festivals. Les "
            "spectateurs sont invités à arriver en avance pour éviter les files d'attente.",
        ),
    ),
    SampleArticle(
        path="/kultur/harbour-marathon-record-field-a-20240511.html",
        title="Harbour city marathon draws a record field",
        section="kultur",
        authors=("Daniel Moore",),
        published="2024-05-11T16:00:00+02:00",
        language="en",
        tags=("Sport",),
        description="More than 18,000 runners registered.",
        found_via=("section", "feed"),
        served="chunked",
        paragraphs=(
            "More than eighteen thousand runners have registered for Sunday's harbour city "
            "marathon, the largest field since the race was first held forty years ago.",
            "Organisers have added a second start wave and extra water stations along the "
            "waterfront, where temperatures are expected to climb above twenty degrees by noon.",
            "Several roads around the old port will be closed from early morning, and the ferry "
            "service across the harbour will run a reduced timetable until the evening.",
        ),
    ),
    SampleArticle(
        path="/intern/redaktionskonferenz-protokoll/",
        title="Protokoll der Redaktionskonferenz",
        section="politik",
        authors=("Lena Hoffmann",),
        published="2024-05-16T08:00:00+02:00",
        found_via=("home",),
        disallowed=True,
        paragraphs=(
            "Dieses Protokoll ist nur für die Redaktion bestimmt und darf von Crawlern nicht "
            "abgerufen werden. Die robots.txt der Seite verbietet den Pfad ausdrücklich.",
            "Themen der Konferenz waren die Planung der Wahlberichterstattung und die Besetzung "
            "der Spätschicht am Wochenende.",
            "Die nächste Konferenz findet am Montag um zehn Uhr im großen Besprechungsraum statt.",
        ),
    ),
    SampleArticle(
        path="/faults/fehlerhaftes-html-a-20240509.html",
        title="Stadtrat vertagt Entscheidung über neue Fähre",
        section="politik",
        authors=("Jonas Becker",),
        published="2024-05-09T12:00:00+02:00",
        found_via=("home",),
        fault=True,
        style="broken",
        paragraphs=(
            "Der Stadtrat hat die Entscheidung über die Anschaffung einer neuen Hafenfähre um "
            "einen Monat vertagt. Mehrere Fraktionen verlangten zusätzliche Angebote von Werften.",
            "Die alte Fähre ist seit mehr als dreißig Jahren im Einsatz und fällt immer häufiger "
            "aus. Pendler klagen über lange Wartezeiten an den Anlegern im Berufsverkehr.",
            "Die Verwaltung will bis zur nächsten Sitzung einen Vergleich von Diesel-, Hybrid- "
            "und Elektroantrieben vorlegen, einschließlich der Kosten für die Ladeinfrastruktur.",
        ),
    ),
    SampleArticle(
        path="/faults/unbekannter-zeichensatz-a-20240508.html",
        title="Neue Radwege entlang der Elbe geplant",
        section="politik",
        authors=("Sophie Krüger",),
        published="2024-05-08T09:30:00+02:00",
        found_via=("home",),
        fault=True,
        served="bogus-charset",
        paragraphs=(
            "Entlang der Elbe sollen in den kommenden zwei Jahren elf Kilometer neue Radwege "
            "entstehen. Die Planungen sehen breite, vom Autoverkehr getrennte Spuren vor.",
            "Anwohner können die Entwürfe ab Montag im Bezirksamt einsehen und bis Ende Juni "
            "Einwände und Vorschläge einreichen, über die der Bezirk öffentlich berät.",
            "Die Kosten von rund zwölf Millionen Euro teilen sich Stadt und Land. Baubeginn für "
            "den ersten Abschnitt ist im Frühjahr des kommenden Jahres geplant.",
        ),
    ),
    SampleArticle(
        path="/faults/ohne-zeichensatz-a-20240507.html",
        title="Fähre nach Finkenwerder fährt wieder öfter",
        section="politik",
        authors=("Jonas Becker",),
        published="2024-05-07T08:15:00+02:00",
        found_via=("home",),
        fault=True,
        served="cp1252-undeclared",
        paragraphs=(
            "Die Fährlinie 62 fährt ab Juni wieder im Zehn-Minuten-Takt – „endlich“, sagen "
            "Pendlerinnen, die morgens in Övelgönne auf das Schiff warten.",
            "Der Betreiber begründet die Rückkehr zum dichteren Fahrplan mit zwei neuen Schiffen, "
            "die größer sind und weniger Diesel verbrauchen als die älteren Fähren.",
            "Für die Sommermonate sind zusätzliche Abendfahrten geplant; die Preise bleiben "
            "unverändert, auch für Fahrräder, die weiterhin kostenlos mitfahren.",
        ),
    ),
    SampleArticle(
        path="/faults/falscher-zeichensatz-a-20240506.html",
        title="Schülerinnen gewinnen Wettbewerb für Meeresforschung",
        section="politik",
        authors=("Anna Weber",),
        published="2024-05-06T11:00:00+02:00",
        found_via=("home",),
        fault=True,
        served="cp1252-as-utf8",
        paragraphs=(
            "Drei Schülerinnen aus Altona haben den bundesweiten Wettbewerb „Meer erforschen“ "
            "gewonnen – mit einem Gerät, das Mikroplastik in Flusswasser zählt.",
            "Die Jury lobte, dass das Gerät günstig zu bauen sei und über Monate zuverlässig "
            "messe; es soll nun an mehreren Stellen der Elbe getestet werden.",
            "Das Preisgeld von fünftausend Euro wollen die drei in größere Sensoren stecken, "
            "sagte eine von ihnen bei der Übergabe im Rathaus.",
        ),
    ),
)


def article_by_path(path: str) -> SampleArticle | None:
    return next((a for a in ARTICLES if a.path == path), None)


def articles(*, faults: bool) -> list[SampleArticle]:
    """The articles a server with or without faults serves."""
    return [a for a in ARTICLES if faults or not a.fault]


#: the article the demo's second crawl finds corrected
CORRECTED_PATH = "/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html"


def corrected(served: list[SampleArticle], when: str) -> list[SampleArticle]:
    """The site after its editors corrected one article (a figure, the headline with it, and a
    correction note), modified at ``when``: what a later crawl archives as version 2."""
    fixed = []
    for article in served:
        if article.path == CORRECTED_PATH:
            article = replace(
                article,
                title=article.title.replace("Millionen", "210 Millionen Euro"),
                paragraphs=(
                    *(p.replace("180 Millionen", "210 Millionen") for p in article.paragraphs),
                    "Korrektur: In einer früheren Fassung hieß es, die Anlagen kosteten rund "
                    "180 Millionen Euro.",
                ),
                modified=when,
            )
        fixed.append(article)
    return fixed
