"""Find people's names in free text: the ``name`` kind of the privacy guard (:mod:`.pii`).

Names are only *warned* about (a reporter may confirm that they are staff or public figures),
so the rules aim at high recall for client names with few alarms on ordinary report text.

How a word is judged (only capitalised words can be names; all-caps acronyms, words with digits,
camel-case brands such as "OmaKanta" and compound prefixes such as "Satu-" never are):

1. Voikko's proper-noun classes, in any inflection: ``etunimi`` (first name), ``sukunimi``
   (surname), ``paikannimi`` (place) and ``nimi`` (other proper noun). A word Voikko also reads as
   a common word ("Onni", "Toivo", "Satu", "Mäki", "Järvinen") is *ambiguous*.
2. Lists written for this module: common Finland-Swedish and Swedish first names
   (:data:`SWEDISH_FIRST_NAMES`) and first names of people with a foreign background that Voikko
   does not know (:data:`OTHER_FIRST_NAMES`), also inflected ("Mikaelas", "Fatimalle",
   "Omarin"); Swedish surname patterns (-ström, -berg, -qvist, -lund, -gren, -sson …) for words
   Voikko does not know. :data:`AMBIGUOUS_FIRST_NAMES` are also ordinary words ("Sten", "Inga",
   "Per", "Will"), and :data:`FINNISH_WORD_NAMES` are words Voikko knows only as ordinary words
   ("Into", "Usko", "Lumi"). A name with a Swedish genitive -s that Voikko does not know in that
   form ("Virtanens", "Sannas") is the name; an English possessive ("Ahmed's") is cut off.
   A place that Voikko knows only as such but that ends in -nen like a surname ("Nieminen") is
   a surname, unless it is one of the municipalities in :data:`NEN_MUNICIPALITIES`.
   :data:`FINNISH_SURNAME_WORDS` are common surnames that Voikko knows only as ordinary words or
   places ("Kivi", "Koski", "Mäkelä"): they become ambiguous (or place/name) words.
3. Organisation, service and system names that Voikko reads as names ("Wilma", "Hilma",
   "Elisa", "Varma"; :data:`NOT_PEOPLE`), function words and person words ("Familjen",
   "Asiakas") are never names.

How words become findings:

* A first name followed by a surname, a place name, an unknown capitalised word or another
  first name is one name ("Aino Salonen", "Anna-Maija Nieminen", "Mohamed Abdi"), and so is an
  unambiguous first name before any capitalised word ("Kaisa Rinne"): ``high``. An initial
  before a surname ("O. Nurmi") is a name too.
* A first name or surname with no other reading is a name on its own, wherever it is
  ("Tuulalle voi soittaa", "Soitin Virtaselle"): ``medium``. In Swedish and English text a
  surname at the start of a sentence needs a context ("Lång kö …" is an adjective).
* An ambiguous word is a name when it is capitalised inside a sentence ("nuoren Onnin kanssa",
  "Ota yhteyttä Toivoon"), or at the start of a sentence only with a name-like context:
  ``low``. "Onni oli, että …", "Toivoa herättää …", "Satu kertoo …" and "Mäki oli liukas" are
  not names; "Onni kertoi …" and "Tuulin koulunkäynti …" are. So are an ambiguous first name
  whose clause says it is a person, by a copula and an age or a person noun ("Into on
  14-vuotias", "Usko oli ryhmän ainoa poika", "Bo är 9 år"; not "Into oli suuri", "Usko on
  lapsen turva"), one listed with a found name ("Toivo ja Aino Jokinen"), and a surname whose
  other reading is only an adjective followed by a verb ("Mäkinen ei saapunut"; not "Mäki oli
  liukas").
* In Finnish text, words Voikko does not know next to each other or to a name are one
  foreign name ("Somchai Boonmee", "Nguyen Thi Lan", "Anjum Rashidin"), unless both are
  English words ("Housing First").
* A name word in the allative or ablative before a finite verb, in Finnish, is a person
  ("Kivelle voi soittaa", "Mäkelältä tuli viesti", "Oksanalle luvattiin tulkki"), and so is a
  place/name word in those cases inside a sentence ("Saimme Mäkelältä tiedon"), unless listed
  with other places ("lapsia Koskelta ja Marttilasta").
* A name found once makes its other forms in the same text names ("Usko Rautiainen … Uskon
  naapuri", "Perhe Koskinen … Koskisten lapsi"). A surname in an inner local case is a place
  ("asuu Koskelassa"), and a town's name before a verb only a person does is a person ("Koski
  kertoi"; not "Salo päätti").
* A first name joined by a hyphen to a kinship word is a name ("Eino-vaari",
  "Liisa-mummolle", "Anna-moster"), like "Onni-niminen".
* In Swedish and English text a surname at the start of a sentence is a name in the genitive
  before a noun ("Lindqvists granne", "Korhonen's application").
* An unknown capitalised word, or a place name in the nominative, is a name only in a
  name-like context, ``low``: after a person word or a title ("asiakas X", "äiti X",
  "sosiaaliohjaaja X", "Klienten X", "Terveisin X", "Nimi: X"), before a verb of speech or a
  kinship or personal-affairs word after a genitive ("X kertoi", "Eelin äiti", "Mikaelas
  mamma", "X:n hakemus"), before an age or an identifier ("X, 7 v", "X (0509…"), in
  "X-niminen", or joined by "ja"/"och"/a comma to another name. After a Swedish or English
  preposition of place ("i Pargas") it is a place.
* Place names alone ("Salon Halikossa", "Kaarinan"), organisation names ("Kela", "FPA",
  "TE-palvelut", "Takuusäätiön", "Omakannan"), titles, capitalised ordinary words at the start
  of a sentence, plural first names ("Martat") and full names or surnames followed by an
  institution or street word ("Mikael Agricolan koulu", "Toivolan nuorisotalo", "Aleksis Kiven
  päivä", "Mikaelin seurakunta") or an organisation ("Mannerheimin Lastensuojeluliiton",
  "Aleksis Kiven Seura") are never names. A first name alone before a school or a home keeps
  its warning ("Eetun koulussa"), and any name before a home or a house of its own ("Ville
  Rannan kodin", "Virtasen kotiin", "Anderssons hem"): only a compound ("lastenkoti",
  "nuorisotalo") is an institution. A name before an open compound's head ("Lapin Helmi
  -hanke", "Microsoft Teams -palaverit") names a thing.

Offsets are Python ``str`` offsets (``end`` exclusive) and cover the whole word with its case
ending ("Virtaselle", "Hannu Laaksoselta"). Only capitalised words are analysed; Voikko analyses
are cached per word form (``functools.lru_cache``) and every thread has its own Voikko handle
(Voikko is not thread-safe). Without Voikko only the lists, the surname patterns and the
contexts work, and recall for Finnish names drops sharply.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from havainto.lib.language import STOP_WORDS, VOIKKO_AVAILABLE, Token, detect_language, tokenize

try:
    import libvoikko
except ImportError:  # pragma: no cover - depends on the machine
    libvoikko = None
try:
    import simplemma
except ImportError:  # pragma: no cover - depends on the machine
    simplemma = None

HIGH = "high"
MEDIUM = "medium"
LOW = "low"

CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A person's name: ``text[start:end]``, with a confidence and the rule that found it."""

    start: int
    end: int
    confidence: str
    rule: str


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


#: Common first names in Finland-Swedish and Swedish use (nominative). Finnish names come from
#: Voikko; several of these are there too, which does no harm.
SWEDISH_FIRST_NAMES = _words(
    """
    adam agnes agneta albin alexander alf alfred alice alma alva amanda anders andreas ann
    ann-christin ann-marie ann-sofi anna anna-karin anne anneli annette annika anton arvid astrid
    august axel barbro bengt benjamin bertil birger birgitta björn bo boris bror brita britt
    britt-marie börje camilla carina carl carl-johan caroline cecilia charlotta charlotte
    christer christian christina christoffer claes dan daniel david ebba ebbe edvin einar elias
    elin elisabet elisabeth ella ellen elsa emelie emil emilia emma erik erika erland ester eva
    eva-lena evert filip folke frida fredrik freja gerd greta gun gun-britt gunilla gunnar
    gunnel gunvor gustaf gustav göran gösta hanna hans harald hedvig helena helene henrik
    henrika hilda holger hugo håkan ida inga inger ingrid ingegerd ingmar ines irene isak ivar
    jakob jan jan-erik jenny joakim johan johanna johannes john jonas jonathan josefin julia
    kaj kajsa karin karl karl-erik karl-johan katarina kent kerstin kjell kristian kristina
    kristoffer krister lars lars-erik lasse leif lena lennart leo liam lilian lina linda linnea
    linus lisa lotta louise ludvig lukas madeleine magnus maja malin malte margareta margit
    maria marianne marie markus marcus mats matilda matts mattias max melvin mikael mikaela moa
    monica nils nils-erik nina noah nora olle olof oliver oskar otto ove patrik peder per peter
    pia ragnar ragnhild rasmus rebecka robin roger rolf rune saga sara sebastian selma signe
    simon siv sixten sofia solveig staffan stefan stella sten stig stina sune susanne svante
    sven tage theo therese thomas tobias tom tomas tor torsten tove tyra ulf ulla ulla-britt
    ulrika valter vendela vera viktor vilhelm viola wilhelm william yngve åke åsa
    """
)

#: Common first names of people with a foreign background in Finland (Somali, Arabic, Kurdish,
#: Persian, Russian, Estonian, Turkish, Vietnamese …) that Voikko does not know, in the Latin
#: spellings used in Finland. Found in Finnish inflection too ("Fatimalle", "Omarin").
OTHER_FIRST_NAMES = _words(
    """
    fatima fatuma amina aisha ayan hodan hawa halima khadija maryam mariam zainab zahra
    leyla layla nadia noor nour hiba rania yasmin yasmine samira salma asma ikram sahra
    fardowsa farhia hamdi deeqa sagal sadia shukri nasra
    mohamed mohammed muhammad mohamud mahmoud ahmed ahmad abdi abdullahi abdullah abdirahman
    abdulkadir hassan hussein hussain ibrahim ismail yusuf yousef youssef omar umar jamal
    khalid hamid samir said amir reza mehdi karim rashid tariq bilal mustafa osman farah
    hamza idris yasin zakaria ayub sharmarke warsame
    olena oksana iryna tetiana tetyana nataliia olha yuliia viktoriia anastasiia kateryna
    khrystyna svitlana halyna liudmyla mariia andrii oleksandr oleksii serhii dmytro mykola
    volodymyr vasyl taras bohdan yurii ihor maksym vitalii artem denys artjom artyom maksim
    nikita kirill mihail mikhail jevgeni evgeny jevgenia timur ruslan
    dmitri dmitry aleksandr aleksei alexei sergei sergey igor ivan vladimir nikolai andrei
    oleg pavel juri yuri olga irina tatjana tatiana svetlana jelena elena natalia natalja
    vanja vanya sasha sasja nadja nadezhda
    oksana anastasia jekaterina ekaterina galina ljudmila valentina marina darja daria
    kristjan jaanus toomas tiit margus mart kadri kersti liis triin
    mehmet ayse fatma elif zeynep emre murat kemal huseyin ozan ali
    wang zhang chen yang huang zhao zhou zhu guo gao luo zheng liang xie deng cao peng zeng
    xiao tian dong yuan cai jiang cheng shen yao liu wei jun mei ming hui jie ling xin yan
    ying hong fang jing lei qiang xiu
    linh minh anh thuy huong tuan quang thi ngoc duc thanh hoang huy hanh phuong trang
    lan hoa mai nguyet dung hung van
    somchai somsak supaporn siriporn malee nittaya kanya wanida sompong araya ratana
    yonas tesfaye dawit yohannes filmon semhar selam senait mehari abraham haile mulugeta
    pena jonttu kake tepa jope rike hessu jamppa jonde masa jaska topi repe mikke kaitsu jokke
    veke nipa pertsa jussa keke petsku hanski jallu tuukka jonne santtu villu kaisu liisu
    pate nisse pelle bosse kicki janne putte majken lillemor viggo reiska jonttu
    nasrin parisa shirin mahsa niloofar farzaneh fereshteh soraya yalda zeinab sima arash
    babak dariush farid habib jawad mohsen hossein
    deepa arjun priya rahul anil sunita ravi sanjay anita kavita rajesh suresh ramesh lakshmi
    meena neha pooja vikram amit
    """
)

#: Words tried as Finnish case endings on unknown words before looking a name up in the lists.
_NAME_ENDINGS = (
    "lle",
    "lla",
    "llä",
    "lta",
    "ltä",
    "ssa",
    "ssä",
    "sta",
    "stä",
    "ksi",
    "ille",
    "illa",
    "ilta",
    "issa",
    "ista",
    "iin",
    "ia",
    "iä",
    "in",
    "n",
    "a",
    "ä",
    "s",
)

#: First names that are also ordinary words (Swedish, English, Finnish); at the start of a
#: sentence they need more evidence ("Sten och grus", "Inga beslut", "Per månad", "Will it").
AMBIGUOUS_FIRST_NAMES = _words(
    """
    sten bo stig björn tom per max gun lina saga inga axel mark viola alma moa nora ros tor kaj
    ebbe siv vera signe rune
    will bill art rose may june april grace hope joy faith victor pat sue don ray rob jack
    frank dean gene chase hunter page wade mason ward bishop sandy drew said marina mart
    van lan mai hung dung
    """
)

#: Finnish first names that are ordinary words Voikko knows only as such ("Into", "Usko",
#: "Lumi"): ambiguous, by the base form of their common-noun reading, in any inflection.
FINNISH_WORD_NAMES = _words(
    """
    into usko armas ilo sisu aava lumi kaisla valo pilvi vilja usva halla kuura tuisku nuppu
    sointu
    """
)

#: Common Finnish surnames that Voikko knows only as ordinary words or places, or not at all
#: ("Kivi", "Koski", "Mäkelä", "Peltola", "Ilola"). Found in any inflection by the base form of
#: a Voikko reading ("Kivelle", "Mäkelältä") or by a case ending; they keep their other
#: readings, so they are names only where a name-word would be (see the module docstring).
FINNISH_SURNAME_WORDS = _words(
    """
    haka hakkola hirvi honka ilola ilves järvi karhu kataja kettu kivi kokko korpi koski
    kukkola kuusi lahti lampi lepola leppä luoto marttila mikkola
    myllymäki mäenpää mäkelä mäkiranta palo palomäki pelto peltola pihlaja rinne
    ruotsalainen salmela salmi salo savela sillanpää susi syrjälä taipale tammi tuomi valkama
    ylikoski ylitalo kivimäki toivola kantola kuusela mäntylä uotila
    """
)

#: Organisations, services and systems that Voikko reads as people's names or that look like
#: them. Compared with Voikko base forms and with the word itself (lower-case).
NOT_PEOPLE = _words(
    """
    kela fpa wilma hilma elisa telia omakanta kanta valvira avi thl stm tyks hus keva varma
    ilmarinen elo fennia veritas tapiola pohjola mehiläinen attendo esperi terveystalo
    pihlajalinna coronaria apotti pegasos effica lifecare omni mll ehyt takuusäätiö
    sininauha sininauhasäätiö vamlas kompassi kanta-palvelut suomi.fi vero verohallinto
    duodecim oma-asiakas omaolo whatsapp telegram facebook instagram tiktok snapchat teams
    heka sato lumo kojamo hoas toas avara vvo ara y-säätiö
    parkinson alzheimer crohn asperger tourette huntington hodgkin bechterew sjögren
    vasso socca pikassos kosek poske verso talentia soste tehy jhl stea ely sosped migri dvv
    mun sun meiän teiän traficom kuntaliitto varha pirha eksote eloisa hyvaks soite hyvaep
    pohde lapha vakehyva keusote siun kymenhva satasote luvn
    """
)

# Words before a name that say a person follows ("asiakas Onni", "äiti Laura", "Klienten X").
_PERSON_BEFORE = _words(
    """
    asiakas asiakkaan asiakkaalle asiakkaalta asiakasta potilas potilaan potilaalle
    äiti äidin äidille äidiltä isä isän isälle isältä lapsi lapsen lapselle lapselta
    poika pojan pojalle tytär tyttären tyttärelle nuori nuoren nuorelle nuorelta
    veli veljen veljelle sisko siskon siskolle sisar sisaren mummo mummon mummolle mummu
    isoäiti isoäidin isoisä isoisän vaari vaarin ukki ukin pappa papan mamma mamman
    puoliso puolison puolisolle vaimo vaimon vaimolle mies miehen miehelle aviomies
    aviomiehen avopuoliso avopuolison naapuri naapurin herra rouva neiti nimeltä nimeltään
    huoltaja huoltajan sijaisäiti sijaisisä sijaislapsi sijaislapsen oppilas oppilaan asukas
    asukkaan vuokralainen vuokralaisen omainen omaisen tyttöystävä poikaystävä kaveri kaverin
    ystävä ystävän vauva vauvan henkilö henkilön
    klienten klientens klient kunden kundens kund patienten patientens patient mamma mamman
    pappa pappan modern fadern
    mor far dottern sonen barnet pojken flickan familjen herr fru fröken maken hustrun sambon
    mormor farmor morfar farfar brodern systern grannen eleven heter
    client mother father son daughter child mr mrs ms miss named called patient resident
    terveisin t. hälsningar mvh regards nimi namn name
    soitin soita soitimme tapasin ring ringde ringa träffade call met
    tyttärensä poikansa lapsensa lapsiaan miehensä vaimonsa puolisonsa äitinsä isänsä
    siskonsa veljensä dotter son bror syster hustru husband wife brother sister student
    opiskelija studerande pupil vuotias vuotiaan vuotiaalle vuotiaalta vuotiasta åriga årige
    """
)

# Endings of titles and job names before a name ("sosiaaliohjaaja Maija", "johtaja X").
_TITLE_BEFORE = re.compile(
    r"""
    (?:työntekijä|ohjaaja|hoitaja|lääkäri|johtaja|edustaja|neuvoja|valvoja|päällikkö|
       esihenkilö|koordinaattori|kuraattori|opettaja|psykologi|terapeutti|sihteeri|
       asiantuntija|tarkastaja|virkailija|käsittelijä|kätilö|diakoni|pappi|valmentaja|
       arbetare|handläggare|kurator|ledare|chef|direktör|sköterska|läkare|rådgivare)
    (?:n)?$
    """,
    re.VERBOSE,
)

# Words after a name that say it is a person acting or speaking ("Onni kertoi").
_VERB_AFTER = _words(
    """
    kertoi kertoo kertonut sanoi sanoo kysyi kysyy totesi toteaa soitti soittaa pyysi pyytää
    vastasi toivoi toivoo ilmoitti valitti itki huusi halusi haluaa lupasi muutti asuu asui
    odottaa odotti pelkää pelkäsi kieltäytyi kävi joutui menehtyi sairastui nukkui nukkuu
    yöpyi yöpyy heräsi kaatui kuoli söi sov sover somnade åt grät dog föll slept sleeps
    died fell cried ate
    berättade berättar sade sa säger ringde frågade bad vill ville bor flyttade
    said says told called asked lives moved wants wanted
    """
)

# Verbs only a person does: they make even a town's name a person's ("Salo sanoi").
_SPEECH_VERBS = _words(
    """
    kertoi sanoi kysyi soitti itki huusi pyysi valitti pelkää pelkäsi berättade sade sa frågade
    ringde grät said told asked cried
    """
)

# Verbs that make a sentence-initial ambiguous word a person: past tense only, since "Satu
# kertoo …" (a fairy tale tells) is ordinary Finnish.
_PAST_VERBS = frozenset(
    w for w in _VERB_AFTER if w.endswith(("i", "ui", "yi", "nut", "nyt", "ade", "de", "ed"))
)

# Kinship and similar words after a genitive name ("Roopen isä", "Minnan lapset", "Mikaelas
# mamma", "Järvisen perhe", "Onnin kanssa").
_KIN_AFTER = _words(
    """
    äiti äidin äidille äidiltä äitiä isä isän isälle isältä isää lapsi lapset lapsen lapsille
    lasten poika pojan pojat tytär tyttären tyttäret vanhemmat vanhempien vanhempi mummo mummu
    isoäiti isoisä vaari ukki veli veljen sisko siskon sisar puoliso puolison mies miehen vaimo
    vaimon avopuoliso perhe perheen perheessä perheelle perheeltä perhettä luona luokse luota
    kanssa kotona asunto asunnossa hakemus hakemuksen hakemukset päätös päätöksen koulunkäynti
    koulumatka koulutie velat velka tuki tuet tulot eläke vuokra vuokrat lääkitys hoito vointi
    tilanne tilanteesta sijoitus sijoituksen asiakkuus kotikäynti kotikäynnit etuudet etuus
    opinnot työpaikka terveys kuntoutus jälkihuolto huoltajuus tapaamiset huostaanotto kohdalla
    mamma pappa mor far barn son dotter bror syster familj man fru sambo mormor farmor hem
    mother father son daughter children wife husband family
    """
)

# Function words of every language (sentence-initial "De", "Några", "These" are no names).
_FUNCTION_WORDS = STOP_WORDS["fi"] | STOP_WORDS["sv"] | STOP_WORDS["en"]

# Prepositions of place before an unknown word make it a place ("äldre i Pargas berättar").
_PLACE_PREPOSITIONS = _words("i på från till vid inom utanför mot kring in at from to near around")

# Words before a saint's name in a place name ("S:t Karins", "St. Mårtens", "Pyhän Henrikin").
_SAINT = _words("s:t st sankt sankta pyhän pyhä saint san santa")

# Words that join names in a list ("Venla ja Aatu").
_JOINERS = _words("ja sekä tai och eller and or eli alias aka")  # "Tuomas eli Tumppi"

# An institution word after a full name or a surname makes it part of a place or organisation
# name ("Mikael Agricolan koulu", "Toivolan nuorisotalo", "Aleksis Kiven päivä"), not a person.
# Stems may end a compound ("perhekeskuksessa"); the word must be the stem plus a case ending.
_INSTITUTION_STEMS = (
    "koulu",
    "lukio",
    "opisto",
    "kirjasto",
    "keskus",
    "keskuks",
    "museo",
    "museum",
    "teatteri",
    "sairaala",
    "kirko",
    "kirkko",
    "seurakunna",
    "seurakunta",
    "säätiö",
    "yhdistys",
    "yhdistykse",
    "asema",
    "neuvola",
    "päiväkoti",
    "päiväkodi",
    "instituutti",
    "instituuti",
    "hanke",
    "hankkee",
    "talo",
    "koti",
    "kodi",
    "sjukhus",
    "skola",
    "kyrka",
    "bibliotek",
    "stiftelse",
    "förening",
    "hem",
    "gård",
    # Organisations: "Mannerheimin Lastensuojeluliiton", "Martha-förbundet". "liitto" and "seura"
    # only as the head of a compound ("Kalevalaseuran"): "Virtasen liitto" may be a marriage,
    # and "Niemisen seurassa" is in Nieminen's company.
    "[a-zåäö]liitto",
    "[a-zåäö]liito",
    "järjestö",
    # A town's unit or office: "Salon toimipisteessä", "Porin virastotalossa".
    "toimipiste",
    "toimipistee",
    "virasto",
    "[a-zåäö]seura",
    "förbund",
    "sällskap",
    # A residents' room ("Kankaan asukastupaan"); not any "-tuva" ("joutuvat").
    "(?:asukas|kylä|nuoriso|seniori|perhe|kansalais|kohtaamis|kahvi|yhteisö)(?:tup|tuva)",
)
_CASE_ENDINGS = (
    "",
    "n",
    "ssa",
    "ssä",
    "sta",
    "stä",
    "lla",
    "llä",
    "lta",
    "ltä",
    "lle",
    "a",
    "ä",
    "aan",
    "ään",
    "un",
    "on",
    "in",
    "en",
    "et",
    "ien",
    "jen",
    "ksi",
    "na",
    "nä",
    "t",
    # Swedish genitives and definite forms: "barnskyddsförbunds", "stiftelsens", "förbundets".
    "s",
    "ens",
    "ets",
)
_ENDINGS_RE = "(?:" + "|".join(e for e in _CASE_ENDINGS if e) + ")?$"
_INSTITUTION_WORD = re.compile("(?:" + "|".join(_INSTITUTION_STEMS) + ")" + _ENDINGS_RE)
# Institutions named after a saint or a person even with a first name alone ("Mikaelin
# seurakunta", "Marian sairaala"); a school or a home may be a child's own ("Eetun koulussa").
_SAINTLY_WORD = re.compile(
    "(?:seurakunn|seurakunt|kirko|kirkko|sairaala|säätiö|yhdistykse|yhdistys|instituut|museo|"
    "teatteri|församling|kyrka|sjukhus|stiftelse|[a-zåäö]liitto|[a-zåäö]liito|[a-zåäö]seura|"
    "järjestö|förbund|sällskap)" + _ENDINGS_RE
)
# A society or a union as a word of its own names one only when capitalised.
_SOCIETY_WORD = re.compile("(?:seura|liitto|liito)" + _ENDINGS_RE)
# A home or a house on its own after a name is that person's ("Ville Rannan kodin", "Menin
# Virtasen kotiin", "Anderssons hem"); only a compound names an institution ("lastenkoti",
# "Toivolan nuorisotalo").
_HOME_WORD = re.compile("(?:koti|kodi|koto|talo|hem|gård)" + _ENDINGS_RE)
# A street's name ends in one of these, also as the head of a compound ("Paavo Nurmen
# puistotien palvelutalossa", "Topeliuksen esplanadilla", "Runebergs strandväg").
# Only the heads of street names: "koulupolku" and "hoitopolku" are metaphors ("Ville
# Niskasen koulupolku"), so a compound needs one of the first parts streets have.
_STREET_WORD = re.compile(
    "(?:puisto|ranta|maan|valta|pohjois|etelä|itä|länsi|strand|park|norra|södra|östra|västra)?"
    "(?:katu|kadu|tie|kuja|raitti|väylä|puistikko|esplanadi|bulevardi|gata|gatan|väg|vägen|"
    "gränd|allé|esplanad)" + _ENDINGS_RE
)
# Words that follow a person's name in the name of a street, a day or a company, exactly.
_NAMED_THING = _words(
    """
    katu kadun kadulla kadulle kadulta tie tien tiellä tielle tieltä kuja kujan kujalla
    puisto puiston puistossa aukio aukiolla tori torilla silta sillalla päivä päivän päivänä
    päivää päivälle päivältä päivät viikko viikon viikolla week vecka veckan palkinto palkinnon
    säätiö ry oy oyj ab rf ky gatan vägen
    dag dagen torttu tortut
    torttuja torttua patsas patsaan patsaalla alue alueen alueella alueilla alueelle alueelta
    alueiden kaupunginosa kaupunginosan kaupunginosassa kaupunginosissa lähiö lähiön lähiössä
    kylä kylän kylässä kylään kylästä kylällä byn
    lähiöissä området områdena stadsdel stadsdelen
    league foundation society association institute
    """
)

# Swedish surname endings, for capitalised words Voikko does not know ("Holmström", "Eriksson").
_SWEDISH_SURNAME = re.compile(
    r"""
    [a-zåäöé]{2,}
    (?:ström|strom|berg|bergh|qvist|kvist|quist|lund|gren|sson|holm|blom|blad|dahl|roos|stedt|
       stam|bäck|vall|sjö|löf|löv|feldt|felt|hjelm|skog|lind|sköld|hammar|stierna|crantz|krantz)
    s?$
    """,
    re.VERBOSE,
)
# Endings no Swedish or English word has: such a surname needs no context at the start of a
# sentence ("Sundqvist har inte betalat"), unlike "Lång" or "Berg".
_SWEDISH_DISTINCTIVE = re.compile(r"(?:qvist|kvist|quist|ström|[bcdfghjklmnpqstvwxz]sson)s?$")
# East Slavic surname endings, for capitalised words Voikko does not know ("Kovalenko",
# "Bondarchuk", "Petrova"): Ukrainian and Russian surnames are common among clients in Finland.
_SLAVIC_SURNAME = re.compile(r"[a-z]{3,}(?:enko|chuk|iuk|yuk|skyi|skyy|ova)(?:n|lle|lta|a|s)?$")
# Other words that end like a surname: "-son" only after a consonant other than r ("Person").
_SWEDISH_SON = re.compile(r"[a-zåäö]{2,}[bcdfghjklmnpqstvwxz]son$")
_NOT_SURNAMES = _words(
    """
    stockholm göteborg helsingborg lund ekenäs mariehamn jakobstad borgå lovisa kristinestad
    närpes vörå kimito nykarleby karleby kronoby larsmo pedersöre malax korsholm vasa
    sibbo kyrkslätt ingå raseborg hangö grankulla esbo vanda pargas nagu korpo houtskär iniö
    dragsfjärd västanfjärd kimitoön salo åbo tammerfors helsingfors uleåborg björneborg
    luxemburg hamburg salzburg edinburgh strasbourg
    """
)

#: Swedish names of places in Finland (and a few abroad), which Voikko does not know: places,
#: also in the genitive ("Gustavs", "Nystads"); one that is also a name stays ambiguous.
SWEDISH_PLACE_NAMES = _NOT_SURNAMES | _words(
    """
    nystad gustavs nådendal reso masku nousis virmo pemar sagu letala kimitoön lojo sjundeå
    mörskom lappträsk pyttis lahtis träskända kervo tusby hyvinge tavastehus villmanstrand
    fredrikshamn kotka nyslott joensuu kajana karis pojo tenala snappertuna bromarv esse
    kaskö korsnäs oravais maxmo replot vallgrund munsala jeppo terjärv kållby purmo
    mariehamn jomala finström saltvik sund vårdö lemland lumparland föglö kökar sottunga
    kumlinge brändö geta hammarland eckerö övermark pörtom tjöck lappfjärd sideby
    """
)

# Finnish surnames unknown to Voikko: -nen and its inflected -se- stem ("Pekkarisen").
_FINNISH_SURNAME = re.compile(r"[a-zåäö]{3,}(?:nen|sen|selle|sellä|sella|seltä|selta|sestä|sesta)$")

# ---------------------------------------------------------------------------------------------
# Voikko
# ---------------------------------------------------------------------------------------------

_local = threading.local()


def _voikko() -> Any:
    """This thread's Voikko handle (Voikko objects must not be shared between threads)."""
    handle = getattr(_local, "voikko", None)
    if handle is None:
        handle = _local.voikko = libvoikko.Voikko("fi")
    return handle


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What Voikko and the lists say about one capitalised word form."""

    first: bool = False  # a first name (singular)
    first_plural: bool = False  # only plural first-name readings ("Martat")
    last: bool = False  # a surname
    place: bool = False  # a place or other proper name (not a person)
    place_nominative: bool = False  # a place reading in the nominative
    common: bool = False  # also an ordinary word
    noun: bool = False  # also a common noun ("Laine", "Mäki"), not only an adjective or verb
    known: bool = False  # any reading at all
    genitive: bool = False  # a genitive reading (for "Roopen isä")
    excluded: bool = False  # an organisation or system name
    function: bool = False  # a function word or a person word ("De", "Familjen")
    swedish: bool = False  # found through the Swedish list or surname patterns
    outer_case: bool = False  # an allative or ablative reading ("Kivelle", "Mäkelältä")
    listed_surname: bool = False  # a surname only through FINNISH_SURNAME_WORDS
    inner_case: bool = False  # only readings in the inner local cases ("Koskelassa")

    @property
    def name(self) -> bool:
        return self.first or self.last


_PROPER_PLACE_CLASSES = frozenset({"paikannimi", "nimi"})
# The allative and the ablative: the cases of whom one calls, writes or hears from ("Soitin
# Kivelle", "Mäkelältä tuli viesti"). Towns mostly take the inner cases ("Lahteen", "Salosta").
_OUTER_CASES = frozenset({"ulkotulento", "ulkoeronto"})
_OUTER_ENDINGS = ("lle", "lta", "ltä")
# Where: a surname in this case is a place ("asuu Koskelassa").
# (Only the inessive: "huoli Hämäläisistä" is about people, "yhteyttä Virtaseen" to one.)
_INNER_CASES = frozenset({"sisaolento"})
# Every local case: towns listed in them with a name word make it a town ("Koskelta ja
# Pihlajamäestä").
_LOCAL_CASES = frozenset(
    {"sisaolento", "sisaeronto", "sisatulento", "ulkoolento", "ulkoeronto", "ulkotulento"}
)
# Months among the English first names that are words: never names ("in May and June").
_MONTHS = frozenset({"may", "june", "april"})
_ENGLISH_MONTHS = _MONTHS | _words(
    "january february march july august september october november december"
)


def _readings(word: str) -> list[dict[str, str]]:
    if not VOIKKO_AVAILABLE or libvoikko is None:
        return []
    return _voikko().analyze(word)


@functools.lru_cache(maxsize=CACHE_SIZE)
def word_classes(word: str) -> tuple[tuple[str, str], ...]:
    """(CLASS, SIJAMUOTO) of every Voikko reading of ``word``; empty without Voikko. Cached."""
    return tuple((r.get("CLASS", ""), r.get("SIJAMUOTO", "")) for r in _readings(word))


@functools.lru_cache(maxsize=CACHE_SIZE)
def word_info(word: str) -> WordInfo:
    """Classify a capitalised word form (without colon inflection). Cached; thread-safe."""
    lower = word.lower()
    if lower in NOT_PEOPLE:
        return WordInfo(excluded=True, known=True)
    if lower in _PERSON_BEFORE or (lower in _FUNCTION_WORDS and lower not in FINNISH_WORD_NAMES):
        # "Familjen Holmström": the person word is not part of the name; "De", "Några". (English
        # "into" is a function word, but "Into" is also a Finnish first name.)
        return WordInfo(known=True, common=True, function=True)
    readings = _readings(word)
    bases = {r.get("BASEFORM", "").lower() for r in readings}
    if bases & NOT_PEOPLE or (not readings and _listed_stem(lower, NOT_PEOPLE)):
        return WordInfo(excluded=True, known=True)  # also "Hekan", unknown to Voikko
    first = last = place = place_nom = common = genitive = noun = False
    first_singular = False
    name_genitive = any(
        r.get("CLASS") in ("etunimi", "sukunimi") and r.get("SIJAMUOTO") == "omanto"
        for r in readings
    )
    for reading in readings:
        cls = reading.get("CLASS", "")
        if reading.get("SIJAMUOTO") == "omanto":
            genitive = True
        if cls == "etunimi":
            first = True
            if reading.get("NUMBER") != "plural":
                first_singular = True
        elif cls == "sukunimi":
            last = True
        elif cls == "paikannimi" and _is_surname_shaped_place(reading.get("BASEFORM", "")):
            last = True  # "Nieminen": a village to Voikko, a surname to everyone else
        elif cls in _PROPER_PLACE_CLASSES:
            place = True
            if reading.get("SIJAMUOTO") == "nimento":
                place_nom = True
        elif reading.get("SIJAMUOTO") == "keinonto" and cls == "nimisana" and name_genitive:
            pass  # "Onnin" is "with luck" only in archaic Finnish: the name's genitive
        else:
            common = True
            noun = noun or cls == "nimisana"
            if reading.get("BASEFORM", "").lower() in FINNISH_WORD_NAMES:
                first = first_singular = True
    known = bool(readings)
    outer = any(r.get("SIJAMUOTO") in _OUTER_CASES for r in readings)
    inner = bool(readings) and all(r.get("SIJAMUOTO") in _INNER_CASES for r in readings)
    listed_surname = False
    if not last and (lower in FINNISH_SURNAME_WORDS or bases & FINNISH_SURNAME_WORDS):
        last = listed_surname = True  # "Kivelle", "Mäkelältä": keeps its other readings
    elif not known and _listed_stem(lower, FINNISH_SURNAME_WORDS):
        last = known = listed_surname = True  # "Ilolalle", "Hakkolan": Voikko knows neither
        outer = lower.endswith(_OUTER_ENDINGS)
    swedish = False
    if lower in _LISTED_FIRST_NAMES:
        first = first_singular = swedish = True
        known = True
    elif not known and (stem := _inflected_listed_name(lower)):
        # Inflected: Swedish genitive "Mikaelas", Finnish "Fatimalle", "Omarin".
        first = first_singular = swedish = True
        genitive = lower.endswith(("s", "n"))
        known = True
        lower = stem
    elif not (first or last) and (stem := _listed_stem(lower, _LISTED_FIRST_NAMES, 4)):
        # "Oksanalle" is also "oksa" (a branch) in the essive and allative to Voikko: a first
        # name that is also a word form, like "Onni".
        first = first_singular = common = True
        outer = lower.endswith(_OUTER_ENDINGS)
        lower = stem
    if lower in AMBIGUOUS_FIRST_NAMES:
        common = True
        if lower not in _MONTHS:
            # "Grace", "Hope": English first names that are words are ambiguous first names.
            first = first_singular = known = True
    if not known and "-" in word:
        return _hyphenated_info(word)
    if not known and _ordinary_unknown_word(lower):
        return WordInfo(known=True, common=True)
    if not known and lower.endswith("s") and len(lower) > 4:
        # Swedish genitive of a Finnish name: "Virtanens granne", "Niemisens", "Sannas".
        base = word_info(word[:-1])
        if base.name and not (base.common or base.place or base.excluded):
            return dataclasses.replace(base, genitive=True, swedish=True)
    surname_like = _SWEDISH_SURNAME.search(lower) or _SWEDISH_SON.search(lower)
    if not known and lower not in _NOT_SURNAMES and surname_like:
        last = swedish = known = True
        genitive = lower.endswith("s")
    elif not known and _SLAVIC_SURNAME.fullmatch(lower):
        last = known = True
    written = word.lower()
    if written in SWEDISH_PLACE_NAMES or (
        written.endswith("s") and written[:-1] in SWEDISH_PLACE_NAMES
    ):
        place = place_nom = known = True  # "i Nystad och Gustavs"
    return WordInfo(
        first=first_singular,
        first_plural=first and not first_singular,
        last=last,
        place=place,
        place_nominative=place_nom,
        common=common,
        noun=noun,
        known=known,
        genitive=genitive,
        swedish=swedish,
        outer_case=outer,
        listed_surname=listed_surname,
        inner_case=inner,
    )


_LISTED_FIRST_NAMES = SWEDISH_FIRST_NAMES | OTHER_FIRST_NAMES


def _ordinary_unknown_word(lower: str) -> bool:
    """A word Voikko does not know that is still no name: a title or a person word in the
    Swedish genitive ("Socialhandledaren", "Pojkens"; person words themselves are handled by
    `word_info`), or a compound whose head is a participle of an ordinary verb
    ("Huostaanotetun" = huostaan + otetun)."""
    if _TITLE_BEFORE.search(lower):
        return True
    if lower.endswith("s") and lower[:-1] in _PERSON_BEFORE:
        return True
    if len(lower) < 9:
        return False
    for cut in range(4, len(lower) - 4):
        tail_readings = _readings(lower[cut:])
        if any("PARTICIPLE" in r for r in tail_readings) and _readings(lower[:cut]):
            return True
    return False


#: Municipalities (present and merged) whose names end in -nen like a Finnish surname.
NEN_MUNICIPALITIES = _words(
    """
    huittinen ikaalinen jokioinen joroinen kaskinen kauniainen kaustinen kiikoinen kuhmoinen
    nousiainen oulainen parainen pornainen siikainen uurainen ahlainen askainen karinainen
    kiukainen luopioinen mietoinen oravainen sumiainen
    """
)


def _is_surname_shaped_place(base: str) -> bool:
    """A place that Voikko knows only as such but that is shaped like a Finnish surname in -nen
    ("Nieminen"): such names are far more often people's than villages'. Municipalities are
    left as places ("Kaustinen", "Kuhmoisissa")."""
    lower = base.lower()
    return lower.endswith("nen") and lower not in NEN_MUNICIPALITIES


def _inflected_listed_name(lower: str) -> str | None:
    """The listed first name of an inflected form, also with a clitic ("Fatimalle",
    "Zahrakin", "Omarinkin")."""
    bare = _without_clitic(lower)
    if bare != lower and bare in _LISTED_FIRST_NAMES:
        return bare
    return _listed_stem(bare, _LISTED_FIRST_NAMES)


def _without_clitic(lower: str) -> str:
    """The word without a clitic, if it has one after at least three letters ("zahrakin")."""
    for clitic in _CLITICS:
        if lower.endswith(clitic) and len(lower) - len(clitic) >= 3:
            return lower[: -len(clitic)]
    return lower


def _listed_stem(lower: str, listed: frozenset[str], shortest: int = 3) -> str | None:
    """The listed name that ``lower`` is an inflected form of, if any."""
    for ending in _NAME_ENDINGS:
        stem = lower[: -len(ending)]
        if lower.endswith(ending) and len(stem) >= shortest and stem in listed:
            return stem
    return None


def _hyphenated_info(word: str) -> WordInfo:
    """An unknown hyphenated word is a name if every part is a capitalised name ("Marja-Terttu",
    "Lindholm-Virtanen"); otherwise it tells nothing."""
    parts = word.split("-")
    if not all(p[:1].isupper() and p[1:].islower() for p in parts if p) or "" in parts:
        return WordInfo(known=True, common=True)
    infos = [word_info(p) for p in parts]
    if any(i.excluded for i in infos):
        return WordInfo(known=True, common=True)
    # "Bo-Göran", "Toivo-Matti": first names joined are a name even when each is also a word.
    if not all(i.name and not i.common for i in infos) and not all(i.first for i in infos):
        return WordInfo(known=True, common=True)
    last = infos[-1]
    return WordInfo(
        first=all(i.first for i in infos),
        last=last.last,
        known=True,
        genitive=last.genitive,
        swedish=any(i.swedish for i in infos),
    )


# ---------------------------------------------------------------------------------------------
# Tokens and their categories
# ---------------------------------------------------------------------------------------------

# Categories of a word (see the module docstring).
NONE = "none"  # cannot be a name
COMMON = "common"  # a capitalised ordinary word
STRONG = "strong"  # a first name or surname with no other reading
AMBIGUOUS = "ambiguous"  # a first name or surname that is also an ordinary word
PLACE_NAME = "place_name"  # a place name that is also a first name or surname
PLACE = "place"  # a place or other proper name only
UNKNOWN = "unknown"  # a capitalised word Voikko does not know

_OPENERS = " \t\u00a0\"'“”‘’«»([{–—•*·-"
_SENTENCE_END = ".!?:;…"


@dataclass(slots=True)
class _Word:
    token: Token
    core: str  # without colon inflection ("Tl:n" → "Tl")
    info: WordInfo
    category: str
    sentence_start: bool
    # Where the written word ends: after "'s" in "Ahmed's", whose token is "Ahmed". Contexts
    # after the word start here.
    written_end: int = -1

    def __post_init__(self) -> None:
        if self.written_end < 0:
            self.written_end = self.token.end


def _is_sentence_start(text: str, pos: int) -> bool:
    """True if nothing but opening punctuation lies between ``pos`` and a sentence break."""
    i = pos - 1
    while i >= 0:
        if text[i] == "\n":
            return True
        if text[i] not in _OPENERS:
            if text[i] == "." and _ABBREVIATION_BEFORE.search(text, max(0, i - 8), i + 1):
                return False  # "esim. Reiska", "mm. Kela": an abbreviation's full stop
            return text[i] in _SENTENCE_END
        i -= 1
    return True


_ABBREVIATION_BEFORE = re.compile(
    r"(?i:\b(?:esim|mm|ns|ks|vrt|yms|tms|jne|bl\.a|t\.ex|e\.g|eg)\.)$"
)


def _category(info: WordInfo) -> str:
    if info.excluded:
        return NONE
    if not info.known:
        return UNKNOWN
    if info.name and info.place:
        return PLACE_NAME
    if info.name and info.common:
        return AMBIGUOUS
    if info.name:
        return STRONG
    if info.place:
        return PLACE
    return COMMON  # ordinary words, and plural first names ("Martat")


def _word_made_name(text: str, w: _Word) -> bool:
    """A capitalised ordinary word that the text makes a name: "nimi on Tähti", "herra Salo",
    "Tähti (6 v) on sijoitettu"."""
    if w.category != COMMON or w.core.lower() in _CLAUSE_WORDS:
        return False  # "Moni 18-vuotias asiakas": a quantifier, not a name given an age
    if _named_before(text, w.token.start):
        return True
    # Only a noun in the nominative is given an age ("Tähti (6 v)"; "Esimerkiksi 86-vuotias
    # Aune" is "for example").
    nominative = w.info.noun and any(case == "nimento" for _cls, case in word_classes(w.core))
    age = _ONE_AGE_AFTER.match(text, w.written_end) if nominative else None
    # "Talo, 12 v vanha" is the age of a thing.
    return age is not None and not _THING_AGE.match(text, age.end())


def _finnish_word_only_ambiguous(w: _Word) -> bool:
    """A listed (Swedish or foreign) first name that is ambiguous only through a Finnish word
    or place reading: outside Finnish text it is a plain name ("Maria Santos has waited",
    "Linnea Ek")."""
    lower = w.core.lower()
    if lower in SWEDISH_PLACE_NAMES or lower.removesuffix("s") in SWEDISH_PLACE_NAMES:
        return False  # "i Nystad och Gustavs": a place in Swedish too
    return (
        w.category in (AMBIGUOUS, PLACE_NAME)
        and w.info.first
        and lower not in AMBIGUOUS_FIRST_NAMES
        and (lower in _LISTED_FIRST_NAMES or bool(_listed_stem(lower, _LISTED_FIRST_NAMES, 4)))
    )


_QUOTES = "\"'“”‘’«»"


def _lower_case_candidate(text: str, w: _Word) -> bool:
    """A lower-case word that may be a hasty note's name; not one in quotes or the head of a
    compound ("’lean’-juomia": a slang word, though "Lean" is a first name to Voikko)."""
    core = w.core.replace("-", "")  # "jukka-pekka", "anne-mari"
    if not (w.category == NONE and len(core) > 2 and core.isalpha() and core.islower()):
        return False
    before = text[w.token.start - 1 : w.token.start]
    after = text[w.token.end : w.token.end + 1]
    return not (before and before in _QUOTES) and not (after and after in _QUOTES + "-")


def _lower_case_name(w: _Word) -> _Word:
    """A word written in lower case in hasty Finnish notes ("soita leenalle", "jenna
    virtanen"): a name when Voikko knows it only as a first name or surname (no ordinary
    reading, no place). Ambiguous words ("toivo", "koski") stay words. Not in Swedish or
    English text, where many ordinary words are Finnish names to Voikko ("ville", "job")."""
    info = word_info("-".join(part.capitalize() for part in w.core.split("-")))
    if _category(info) != STRONG or info.swedish:
        return w
    return dataclasses.replace(w, info=info, category=STRONG)


# Finite verbs of Swedish and English that follow a subject: with them a lower-case word after
# a person word is that person's name ("klienten stig har sovit", "client john was").
_SUBJECT_VERBS = _VERB_AFTER | _words(
    """
    har hade är var kom kommer fick får ska skulle kan kunde behöver behövde måste slutade
    sover sov bodde is was has had got gets will would can could cannot needs needed must
    does did doesn't didn't isn't wasn't came comes stopped slept
    """
)


def _lower_case_after_person(
    text: str, w: _Word, nxt: _Word | None, language: Callable[[], str]
) -> bool:
    """A first name written in lower case right after a person word, in any language: "isä
    ahmed ei saanut", "klienten stig har sovit", "hos britt-marie". A word of the text's
    language needs a verb or a surname after it too ("pojken ville inte" is a boy who did not
    want to)."""
    lower = w.core.lower()
    if lower in _FUNCTION_WORDS:
        return False
    previous = _previous_word(text, w.token.start)
    if previous not in _PERSON_BEFORE and previous not in ("hos", "luona"):
        return False
    parts = lower.split("-")
    if lower not in _LISTED_FIRST_NAMES and not all(
        part in _LISTED_FIRST_NAMES or word_info(part.capitalize()).first for part in parts
    ):
        return False
    lang = language()
    if len(parts) > 1 or not (_known_word(lower, lang) or (lang == "fi" and _is_verb(lower))):
        return True
    following = _next_word(text, w.token.end)
    verb = _finite_verb(following) if lang == "fi" else following in _SUBJECT_VERBS
    return verb or (nxt is not None and _lower_case_surname(text, w, nxt, language))


# A bracket after a word that says who it is: "ritva (Kallion äiti)", "emil (9 v)".
_WHO_IN_BRACKETS = re.compile(r"[ \u00a0]*\(([^()]{1,40})\)")
_WHO_WORDS = _words(
    """
    äiti isä poika tytär mummo mummu vaari ukki isoäiti isoisä veli sisko sisar puoliso vaimo
    mies avopuoliso lapsi asiakas oppilas naapuri mamma pappa mor far son dotter bror syster
    mormor farmor morfar farfar klient elev granne mother father son daughter wife husband
    client pupil neighbour neighbor
    """
)
_BRACKET_AGE = re.compile(r"\d{1,3}[ \u00a0]*(?:v\b|v\.|-?vuotias|år\b|-årig|years?\b)")


def _lower_case_in_brackets(text: str, w: _Word) -> bool:
    """A first name or surname in lower case in a hasty note, whatever else the word is, when
    a bracket says it is a person: "perheellä (koivisto)", "elev (emil)", "ritva (Kallion
    äiti)", "emil (9 v)"."""
    info = word_info("-".join(part.capitalize() for part in w.core.split("-")))
    if not (info.first or info.last) or w.core.lower() in _FUNCTION_WORDS:
        return False
    if (
        text[w.token.start - 1 : w.token.start] == "("
        and text[w.token.end : w.token.end + 1] == ")"
    ):
        before = _previous_word(text, w.token.start)
        return before in _PERSON_BEFORE or before.startswith(("perhe", "famil", "elev", "oppila"))
    inside = _WHO_IN_BRACKETS.match(text, w.token.end)
    if inside is None:
        return False
    words = set(re.findall(r"\w+", inside[1].lower()))
    return bool(words & _WHO_WORDS) or bool(_BRACKET_AGE.search(inside[1]))


def _lower_case_surname(text: str, first: _Word, nxt: _Word, language: Callable[[], str]) -> bool:
    """The lower-case word after a lower-case first name is its surname when it is shaped
    like one or is no word of the text's language ("mariam osman", "johanna björklund",
    "gunnel backman")."""
    lower = nxt.core.lower()
    if not (_lower_case_candidate(text, nxt) and _adjacent(text, first, nxt)):
        return False
    if lower in _FUNCTION_WORDS or "-" in lower:
        return False
    info = word_info(nxt.core.capitalize())
    if info.last and not info.common:
        return True
    if info.common:
        return False  # "lapsen ainoa turvallinen aikuinen": an adjective in -nen
    if _SWEDISH_SURNAME.search(lower) or _FINNISH_SURNAME.search(lower):
        return True
    lang = language()
    return not (_known_word(lower, lang) or (lang == "fi" and _is_verb(lower)))


def _shape_ok(core: str) -> bool:
    """Capitalised, not an acronym, no digits, no capitals inside (except after a hyphen)."""
    if len(core) < 2 or not core[0].isupper() or not core[1:2].islower():
        return False
    if any(c.isdigit() or c == "_" for c in core):
        return False
    return all(not c.isupper() or core[i - 1] == "-" for i, c in enumerate(core) if i > 0)


_NOT_A_NAME = WordInfo()


# An English possessive ("Ahmed's", "Jones'"), with either apostrophe.
_POSSESSIVE = re.compile(r"['\u2019]s?$")

# Kinship words (any inflection) that follow a first name with a hyphen: "Eino-vaari",
# "Liisa-mummolle", "Pekka-sedän", "Aino-tyttö", "Anna-moster".
_KIN_TITLE = re.compile(
    r"""
    (?:vaari|ukki|ukin|pappa|papa|mummo|mummi|mummu|täti|tädi|setä|sedä|eno|isä|äiti|äidi|
       isi|iskä|äiskä|poika|poja|tyttö|tytö|veli|velje|sisko|sisar|serkku|serku|kummi|kumme|
       mamma|farmor|farfar|mormor|morfar|moster|faster|morbror|farbror|tant|onkel|
       vaimo|vaimoi|mies|mieh|puoliso|puolisoi|lapsi|lapse|
       grandma|grandpa|aunt|uncle)
    """,
    re.VERBOSE,
)


def _word(text: str, token: Token) -> _Word:
    if not token.text[0].isupper():
        return _Word(token, token.text, _NOT_A_NAME, NONE, False)
    core = token.text.split(":", 1)[0]
    start_of_sentence = _is_sentence_start(text, token.start)
    possessive = _POSSESSIVE.search(core)
    if possessive:
        # "Ahmed's residence permit", "Lindqvist's": the name without the English possessive.
        core = core[: possessive.start()]
        name = Token(core, token.start, token.start + len(core), "word")
        if not _shape_ok(core):
            return _Word(name, core, WordInfo(), NONE, start_of_sentence, token.end)
        info = dataclasses.replace(word_info(core), genitive=True)
        return _Word(name, core, info, _category(info), start_of_sentence, token.end)
    if not _shape_ok(core) or text[token.end : token.end + 1] in ("-", "\u2010", "\u2011"):
        # "Satu- ja lorutuokiot": a compound prefix, not a word of its own.
        return _Word(token, core, WordInfo(), NONE, start_of_sentence)
    if "-" in core and not core.split("-")[-1][:1].isupper():
        head, tail = core.rsplit("-", 1)
        if tail.lower().startswith("nimi") and "-" not in head and not word_info(head).excluded:
            # "Onni-niminen poika", "Xiomara-nimisen": whatever the word, it is a name here.
            named = Token(head, token.start, token.start + len(head), "word")
            return _Word(named, head, WordInfo(first=True, known=True), STRONG, start_of_sentence)
        head_info = word_info(head)
        kin = _KIN_TITLE.match(tail.lower())
        # Any capitalised word but a place ("Tiinu-tyttö", though "tiinu" is a tub).
        if kin and (head_info.first or not head_info.place) and not head_info.excluded:
            # "Eino-vaari", "Maija-tädille", "Onni-poika": a first name made a kinship title.
            named = Token(head, token.start, token.start + len(head), "word")
            return _Word(named, head, WordInfo(first=True, known=True), STRONG, start_of_sentence)
        # "Telegram-kanavilta", "TE-palvelut": a compound with a common head.
        return _Word(token, core, WordInfo(known=True, common=True), COMMON, start_of_sentence)
    info = word_info(core)
    return _Word(token, core, info, _category(info), start_of_sentence)


# ---------------------------------------------------------------------------------------------
# Contexts
# ---------------------------------------------------------------------------------------------

_AGE_AFTER = re.compile(
    r"[ \u00a0]*[,(]?[ \u00a0]*\d{1,3}[ \u00a0]*(?:v\b|v\.|-?vuotia|år\b|-årig)"
    r"|[ \u00a0]*(?:,[ \u00a0]*\d{1,2}[ \u00a0]*,|\([ \u00a0]*\d{1,2}[ \u00a0]*\))"  # "Hope, 16, …"
)
# One person's age right after a word (not "5-vuotiaat", children of that age).
_ONE_AGE_AFTER = re.compile(
    r"[ \u00a0]*[,(]?[ \u00a0]*\d{1,3}[ \u00a0]*(?:v\b|v\.|-?vuotias\b|år\b|-årig\b)"
)
_THING_AGE = re.compile(r"[ \u00a0]*(?:vanh|gammal|old)", re.IGNORECASE)
# A relative pronoun of persons after a name: "esim. Reiska, joka asui …", "Viggo, som".
_WHO_AFTER = re.compile(
    r"[ \u00a0]*,[ \u00a0]*(joka|jonka|jota|jolle|jolta|jolla|som|who|whose)\b", re.IGNORECASE
)
# A street and a house number right after a word: where that person lives ("Lindroos på
# Esplanaden 2 A 5 har igen blivit utan el").
_HOME_AFTER = re.compile(
    r"[ \u00a0]+(?:på|i|at|on|in)[ \u00a0]+[A-ZÅÄÖ][\w-]+[ \u00a0]+\d{1,3}(?![\d.:])"
)
_ID_AFTER = re.compile(r"[ \u00a0]*[,(][ \u00a0]*(?:\d{6}|\+?\d[\d ]{6,}|p\.|puh|tfn|tel)")


# A title or a naming phrase right before a capitalised word makes it a name whatever else the
# word is ("Herra Salolle" is no town, "nimi on Tähti" no star, "heter Lilja").
_NAMED_BEFORE = re.compile(
    r"""(?ix)
    (?:\b(?:herra|herralle|herran|rouva|rouvalle|rouvan|neiti|herr|fru|fröken|mr|mrs|ms)\.?
     |(?P<owner>\w+)\s+(?:nimi|nimensä|namn|name)\s+(?:on|oli|är|var|is|was)
     |\b(?:nimeltään|heter|hette|named|kallas|kutsutaan|kutsuvat)
     |\bkutsu\w*\s+(?:häntä|heitä|minua|meitä|itseään)
     |\b(?:call|calls|called|kallar|kallade)\s+(?:her|him|them|henne|honom|dem))
    [ \u00a0]+$
    """
)
# Whose name "nimi on" gives: a person's ("Lapsen nimi on Tähti"), not a town's or a group's.
_NAME_OWNERS = _words(
    """
    hänen heidän hans hennes deras his her their lapsen pojan tytön tyttären vauvan nuoren
    äidin isän asiakkaan oppilaan veljen siskon sisaren miehen naisen vaimon puolison
    barnets pojkens flickans klientens elevens mammans pappans child's boy's girl's client's
    """
)


def _named_before(text: str, start: int) -> bool:
    match = _NAMED_BEFORE.search(text[max(0, start - 40) : start])
    return bool(match) and (not match["owner"] or match["owner"].lower() in _NAME_OWNERS)


# One of these may stand between a word and the name after it: "äiti (Laura", "Nimi: Kaisa",
# "client 'Mo'".
_MARKS_BEFORE = "(:,'\"‘’“”«»"


def _previous_word(text: str, start: int) -> str:
    """The word before ``start`` (lower-case, with a final full stop), skipping spaces and one
    bracket, comma or colon: "äiti (Laura", "Nimi: Kaisa", "t. Maija"."""
    i = start - 1
    while i >= 0 and text[i] in " \u00a0":
        i -= 1
    if i >= 0 and text[i] in _MARKS_BEFORE:
        i -= 1
        while i >= 0 and text[i] in " \u00a0":
            i -= 1
    end = i + 1
    while i >= 0 and (text[i].isalnum() or text[i] in "_." and i == end - 1):
        i -= 1
    return text[i + 1 : end].lower()


def _next_word(text: str, end: int) -> str:
    m = re.match(r"[ \u00a0]+([\w-]+)", text[end : end + 60])
    return m.group(1).lower() if m else ""


def _person_before(text: str, start: int) -> bool:
    word = _previous_word(text, start)
    if not word:
        return False
    before = text[:start].rstrip(" \u00a0" + _MARKS_BEFORE)
    written = before[len(before) - len(word) :]
    if written[:1].isupper() and not _is_sentence_start(text, len(before) - len(word)):
        # "the Child Welfare Act": a capitalised person word inside a sentence is part of a
        # title, unless it is an honorific ("Mr Salo", "Rouva Laine").
        return word.rstrip(".") in _HONORIFICS
    # A full stop ends a sentence unless the word itself is a listed abbreviation ("t.").
    return word in _PERSON_BEFORE or (not word.endswith(".") and bool(_TITLE_BEFORE.search(word)))


# An open compound: a name, a space and a hyphenated lower-case head ("Lapin Helmi -hanke",
# "Microsoft Teams -palaverit"). A kinship word or "-niminen" after it keeps the person.
_COMPOUND_AFTER = re.compile(
    r"[ \u00a0]+[-\u2010\u2011\u2013](?!(?:niminen|nimi|vaari|mummo|täti|setä|eno)\w*)[a-zåäö]"
)

# Nouns of things that are given names: a name right after one names the thing.
_THING_BEFORE = _words(
    """
    hanke hankkeen hankkeessa projekti projektin projekt projektet ryhmä ryhmän ryhmässä kerho
    kerhon kerhossa nuorisotalo nuorisotalon talo talon palvelutalo palvelutalon palveluauto
    palveluauton museo museum säätiö yhdistys förening kampanja kampanjan kampanj campaign
    project programme ohjelma ohjelman verkosto nätverk network gruppen gruppe
    """
)

# Heads of compounds that name a unit or a thing given a name: "Sijaishuoltoyksikkö Tammi",
# "asumisyksikkö Kotiranta", "Boendeenheten Eken". A family home is named after its family.
_THING_HEAD = re.compile(
    "[a-zåäö]*(?:yksikkö|yksikön|yksikössä|asumispalvelu|enhet|enheten|boende|boendet|"
    "hoitokoti|lastenkoti|vastaanottokeskus|ryhmäkoti|ryhmäkodin|ryhmäkodissa|tukikoti)"
)


def _thing_before(text: str, start: int) -> bool:
    word = _previous_word(text, start)
    return word in _THING_BEFORE or (
        _THING_HEAD.fullmatch(word) is not None and not word.startswith(("perhe", "familje"))
    )


# Person words that are capitalised before a name: honorifics and letter closings.
_HONORIFICS = _words(
    """
    herra rouva neiti herr fru fröken mr mrs ms miss terveisin hälsningar mvh regards t
    """
)

# Other names listed before a shared institution word: "Mikaelin ja Martin seurakunnat".
_LISTED_NAMES = re.compile(r"(?:[ \u00a0]*(?:,|ja|och|sekä|tai|eller)[ \u00a0]+[A-ZÅÄÖ][\w:]*)*")


def _institution_after(text: str, end: int, *, first_name_alone: bool = False) -> bool:
    listed = _LISTED_NAMES.match(text, end)
    after = listed.end() if listed else end
    word = _next_word(text, after)
    if word in _NAMED_THING:
        return True
    if _STREET_WORD.fullmatch(word) and not first_name_alone:
        return True  # but "Ahmedin koulutie" is Ahmed's way to school
    if _SOCIETY_WORD.fullmatch(word) and text[after:].lstrip(" \u00a0")[:1].isupper():
        return True  # "Aleksis Kiven Seura", but "Virtasen liitto" (a marriage), "Liisan seurassa"
    if _HOME_WORD.fullmatch(word):
        return False
    pattern = _SAINTLY_WORD if first_name_alone else _INSTITUTION_WORD
    return pattern.search(word) is not None


def _may_be_subject(w: _Word) -> bool:
    """A word before a verb is its subject only in the nominative: "Aamulla soitti …" is "in
    the morning … called". Words Voikko does not read (foreign names) may be."""
    if w.core.lower() in _LISTED_FIRST_NAMES:
        return True  # "Oksana kertoi": a listed name as written, whatever Voikko reads
    classes = word_classes(w.core)
    return not classes or any(case == "nimento" for _cls, case in classes)


def _context_after(text: str, w: _Word, end: int, *, verbs: frozenset[str]) -> bool:
    """A verb of speech, a kinship word after a genitive, a name in the possessive before a
    noun, an age or an identifier."""
    word = _next_word(text, end)
    if word in verbs and _may_be_subject(w):
        return True
    genitive = w.info.genitive or (not w.info.known and w.core.endswith(("n", "s")))
    if word in _KIN_AFTER and genitive:
        return True
    # "Lindqvists granne", "Ahmed's residence permit": a Swedish -s genitive or an English
    # possessive of a name before a lower-case noun (a Finnish -n genitive is too often a place's).
    possessive = w.written_end != w.token.end or (w.info.swedish and w.core.endswith("s"))
    lower_case_after = text[end:].lstrip(" \u00a0")[:1].islower()
    noun_after = bool(word) and word not in _FUNCTION_WORDS and lower_case_after
    if possessive and w.info.genitive and w.info.name and noun_after:
        return True
    if w.written_end != w.token.end and w.category == UNKNOWN and noun_after:
        # "Deepa's rent": an English possessive of a word English does not know.
        return not _known_word(w.core, "en")
    home = (w.info.first or w.info.last) and _HOME_AFTER.match(text, end)
    who = _WHO_AFTER.match(text, end)
    # "joka" and "som" are also a thing's: only a word no language knows is a person by them
    # ("Eastern Europe, who came" is the people of a place).
    foreign = w.category == UNKNOWN and not any(_known_word(w.core, lang) for lang in ("en", "sv"))
    if who and (foreign or (who[1].lower() in ("who", "whose") and w.info.name)):
        return True
    return bool(_AGE_AFTER.match(text, end) or _ID_AFTER.match(text, end) or home)


# A copula after a word: "Into on …", "Usko oli …", "Bo är …", "Hope was …". The rest of the
# clause (up to a punctuation mark) is the predicate.
_COPULA_AFTER = re.compile(
    r"[ \u00a0]+(?:on|oli|olisi|ei[ \u00a0]+(?:ole|ollut)|är|var|blir|blev|is|was)"
    r"(?P<predicate>(?:[ \u00a0]+[^\s,.;:!?()\[\]\"”]+){1,6})"
)
# Words that end a predicate: a new clause begins ("Onni oli että lapsi pääsi kouluun"), or a
# quantifier begins the real subject ("Armas on meille jokainen asiakas").
_CLAUSE_WORDS = _words(
    """
    että kun koska jos jotta vaikka mutta ja sekä tai eli joka jonka mikä kuin
    att som när eftersom om men och eller då
    that when because if but and or who which than
    jokainen jokaiselle kaikki moni monelle joku jokin kukaan harva muutama
    varje alla många någon every each all many some
    """
)
# An age as the predicate: "14-vuotias", "kolmevuotias", "7-årig" (one word); "9 v", "8 år",
# "12 years old" (a number and a unit).
_AGE_WORD = re.compile(r"(?:vuotias|vuotiaana|årig|åring)$")
_AGE_NUMBER = re.compile(r"\d{1,3}[ \u00a0]*(?:v\b|v\.|år\b|years?[ \u00a0-]old)")

#: Nouns for a person (Voikko base forms; also heads of compounds: "sijaislapsi",
#: "koululaispoika"). As a singular nominative or essive predicate they make the subject a
#: person: "Usko oli ryhmän ainoa poika", "Into on perheen nuorin lapsi".
PERSON_NOUNS = _words(
    """
    poika tyttö lapsi vauva taapero koululainen nuorukainen teini mies nainen äiti isä
    isoäiti isoisä mummo mummu vaari ukki pappa tytär veli sisko sisar serkku asiakas oppilas
    opiskelija eläkeläinen yksinhuoltaja omaishoitaja potilas asukas vanhus leski orpo
    esikoinen kuopus
    """
)
# Swedish and English person nouns, as written (singular only: "barn" is also a plural).
_PERSON_WORDS = _words(
    """
    pojke pojken flicka flickan son sonen dotter dottern mamma mamman pappa pappan elev eleven
    klient klienten pensionär pensionären ensamstående änka änkling tonåring
    boy girl son daughter child pupil student client mother father widow pensioner teenager
    """
)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _is_person_noun(word: str) -> bool:
    """A singular nominative or essive person noun ("poika", "asiakkaana", "sijaislapsi")."""
    if word in _PERSON_WORDS:
        return True
    for reading in _readings(word):
        if reading.get("NUMBER") != "singular" or reading.get("SIJAMUOTO") not in (
            "nimento",
            "olento",
        ):
            continue
        base = reading.get("BASEFORM", "").lower()
        if any(base.endswith(noun) for noun in PERSON_NOUNS):
            return True
    return False


def _person_predicate(text: str, end: int) -> bool:
    """A copula and a predicate saying the subject is a person: an age or a person noun
    ("Into on 14-vuotias", "Usko oli koko kevään ainoa poika", "Bo är pensionär")."""
    m = _COPULA_AFTER.match(text, end)
    if m is None:
        return False
    words = m["predicate"].split()
    for k, word in enumerate(words):
        lower = word.lower()
        if lower in _CLAUSE_WORDS or _is_verb(lower):
            return False  # a new clause or an infinitive: "Ilo on nähdä lapsi iloisena"
        if _AGE_WORD.search(lower) or _AGE_NUMBER.match(" ".join(words[k : k + 3])):
            return True
        if word.islower() and _is_person_noun(lower):
            return True
    return False


@functools.lru_cache(maxsize=CACHE_SIZE)
def _finite_verb(word: str, *, passive: bool = False) -> bool:
    """A finite verb in the third person ("jäi", "saapui") or the negation verb ("ei"); with
    ``passive``, also the passive ("soitettiin": Voikko's person 4)."""
    persons = ("3", "4") if passive else ("3",)
    return any(
        r.get("CLASS") == "kieltosana"
        or (r.get("CLASS") == "teonsana" and r.get("PERSON") in persons)
        for r in _readings(word)
    )


@functools.lru_cache(maxsize=CACHE_SIZE)
def _is_verb(word: str) -> bool:
    """Only verb readings, other than a form of "olla" ("ollut"), per Voikko."""
    readings = _readings(word)
    return bool(readings) and all(
        r.get("CLASS") == "teonsana" and r.get("BASEFORM") != "olla" for r in readings
    )


# ---------------------------------------------------------------------------------------------
# Finding names
# ---------------------------------------------------------------------------------------------

_FIRSTISH = frozenset({STRONG, AMBIGUOUS, PLACE_NAME})
_FOLLOWER = frozenset({STRONG, AMBIGUOUS, PLACE_NAME, PLACE, UNKNOWN})
_MAX_PARTS = 4


def _adjacent(text: str, left: _Word, right: _Word) -> bool:
    return text[left.token.end : right.token.start] in (" ", "\u00a0")


def _starts_full_name(w: _Word) -> bool:
    """Can this word be the first part of "First Last"?"""
    if w.category in _FIRSTISH and w.info.first:
        return True
    if w.category == STRONG:
        return True  # a surname, before a foreign name or a first name (see _continues_name)
    # A foreign first name Voikko does not know, before a known surname ("Fatima Virtanen").
    return w.category == UNKNOWN


@functools.lru_cache(maxsize=CACHE_SIZE)
def _known_word(word: str, lang: str) -> bool:
    """A word of ``lang`` ("sv", "en") in simplemma's dictionary: English phrases in Finnish
    text, Swedish words in Swedish text are not foreign names. Without simplemma, known.
    Finnish asks Voikko, the authority on Finnish here (and loading simplemma's Finnish
    dictionary would cost a process 2 s on its first lower-case note)."""
    if lang == "fi" and _voikko() is not None:
        return bool(_readings(word.lower()))
    return simplemma is None or simplemma.is_known(word.lower(), lang=lang)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _known_compound(word: str, lang: str) -> bool:
    """A long word whose last part is a word of ``lang``: "Sysselsättningstjänsterna". Names
    are shorter than twelve letters as a rule ("Kristoffersson" has no such part)."""
    lower = word.lower()
    return len(lower) >= 12 and any(
        _known_word(lower[cut:], lang) for cut in range(4, len(lower) - 5)
    )


# Lower-case particles inside a name ("Rowena dela Cruz", "Ahmed al Hakim", "Jan van Dijk").
_PARTICLES = _words("dela de del della da das dos do du van von der den ter al el bin ibn bint abu")


def _name_particle(text: str, words: list[_Word], j: int) -> bool:
    """A particle after word ``j`` and a capitalised name word after it, all adjacent."""
    if j + 2 >= len(words) or words[j + 1].token.text not in _PARTICLES:
        return False
    after = words[j + 2]
    return (
        _adjacent(text, words[j], words[j + 1])
        and _adjacent(text, words[j + 1], after)
        and after.category in _FOLLOWER
    )


def _ends_full_name(nxt: _Word) -> bool:
    """Can ``nxt`` be the third or fourth part of a name: a first name or surname, or a word
    Voikko does not know ("Nguyen Thi Lan", "Ali Hassan Abdi", "Anna Maria Lindqvist")?"""
    return nxt.category == UNKNOWN or (nxt.category in _FIRSTISH and nxt.info.name)


def _continues_name(first: _Word, nxt: _Word, language: Callable[[], str]) -> bool:
    """Can ``nxt`` follow ``first`` in a full name?"""
    if nxt.category == COMMON and first.category == STRONG and first.info.first:
        # A capitalised ordinary word after an unambiguous first name is a surname that is
        # also a word ("Kaisa Rinne", "Pekka Kivi").
        return not nxt.info.function
    if nxt.category not in _FOLLOWER:
        return False
    if first.category == UNKNOWN:
        # A foreign first name before a known surname or another name ("Anjum Rashidin"); in
        # Finnish text also two unknown words ("Somchai Boonmee"): capitals inside a Finnish
        # sentence are proper names, and other names (projects, brands) are caught after.
        if nxt.category in (STRONG, AMBIGUOUS) and nxt.info.last:
            return True
        # Elsewhere an unknown word is as often a Swedish or English verb ("Kontakta Birgitta"),
        # but two words that language does not know are a foreign name ("Yonas Tesfaye
        # väntar"; not "Rädda Barnen").
        if language() != "fi":
            lang = language()
            return nxt.category == UNKNOWN and not (
                _known_word(first.core, lang) or _known_word(nxt.core, lang)
            )
        if nxt.category in _FIRSTISH and nxt.info.name:
            return True
        if nxt.category != UNKNOWN:
            return False
        # "Housing First", "Hope Street": English words in a Finnish text are not a name.
        return not (_known_word(first.core, "en") and _known_word(nxt.core, "en"))
    if not first.info.first:
        # A surname: before a foreign name ("Mohamed Abdi") or a first name ("Virtanen Matti").
        return nxt.category == UNKNOWN or (nxt.category == STRONG and nxt.info.first)
    if nxt.category == PLACE:
        # A place name after a first name is a surname ("Aino Nieminen"), unless the first word
        # is itself also a place ("Kaarinan Piikkiössä") or an ordinary word at the start of a
        # sentence followed by a place in a local case ("Tuuli Turussa").
        if first.category == PLACE_NAME:
            return False
        if first.category == AMBIGUOUS and first.sentence_start:
            return nxt.info.place_nominative
        return True
    if nxt.category == UNKNOWN:
        if first.category == STRONG or not first.sentence_start:
            return True
        # "Mart Kask käy töissä", "Grace Mwangi, grace.mwangi@…": a first name before a word
        # neither the text's language nor English knows.
        return not (_known_word(nxt.core, language()) or _known_word(nxt.core, "en"))
    return True


def find_names(text: str, lang: str | None = None) -> list[NameMatch]:
    """The people's names in ``text``, sorted and not overlapping.

    ``lang`` ("fi", "sv", "en") is detected when not given; in Swedish and English text a
    surname at the start of a sentence needs a context ("Lång kö …" is an adjective).
    """
    words = [_word(text, t) for t in tokenize(text) if t.kind == "word"]

    @functools.cache
    def language() -> str:
        return lang or detect_language(text)

    if any(_lower_case_candidate(text, w) for w in words) and language() == "fi":
        words = [_lower_case_name(w) if _lower_case_candidate(text, w) else w for w in words]
    for k, w in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) else None
        if _lower_case_candidate(text, w) and (
            _lower_case_after_person(text, w, nxt, language) or _lower_case_in_brackets(text, w)
        ):
            w.info = dataclasses.replace(word_info(w.core.capitalize()), first=True, known=True)
            w.category = STRONG
            if nxt is not None and _lower_case_surname(text, w, nxt, language):
                # "pupil mariam osman", "eleven johanna björklund"
                nxt.info = dataclasses.replace(word_info(nxt.core.capitalize()), known=True)
                nxt.category = UNKNOWN
    if any(_finnish_word_only_ambiguous(w) for w in words) and language() != "fi":
        # "Oksana Melnyk från Charkiv": "oksana" is a Finnish word form, but not in Swedish.
        for w in words:
            if _finnish_word_only_ambiguous(w):
                w.category = STRONG
    if any(w.core.lower() in _ENGLISH_MONTHS for w in words) and language() == "en":
        for w in words:
            if w.core.lower() in _ENGLISH_MONTHS:
                w.category = NONE  # "in August"
    for prev, w in zip(words, words[1:], strict=False):
        gap = text[prev.token.end : w.token.start]
        if prev.token.text.lower() in _SAINT and gap.strip(" \u00a0") in ("", "."):
            w.category = NONE  # "S:t Karins", "Pyhän Henrikin aukio": a place, not a person
    if not any(w.category not in (NONE, COMMON) or _word_made_name(text, w) for w in words):
        return []

    taken = [False] * len(words)
    found: list[NameMatch] = []

    def add(first: int, last: int, confidence: str, rule: str) -> None:
        start, end = words[first].token.start, words[last].token.end
        for k in range(first, last + 1):
            taken[k] = True
        end_of_word = words[last].written_end
        # "Mikael Agricolan koulu", "Toivolan nuorisotalo", "Mikaelin seurakunta": an
        # institution, not a person. A first name alone before a school or a home keeps its
        # warning ("Eetun koulussa" is Eetu's school).
        alone = first == last and words[first].info.first
        if _COMPOUND_AFTER.match(text, end_of_word):
            return  # "Lapin Helmi -hanke", "Housing First -malli": the head is a thing
        if any(words[k].core.lower() in _NAMED_THING for k in range(first + 1, last + 1)):
            return  # "the Mannerheim League for Child Welfare"
        # "rouva Laaksosen palvelutalon käytävällä": a title makes a person of any name.
        if _thing_before(text, start):
            return  # "nuorisotalo Lemminkäinen", "palveluauto Lähi-Lempi", "Projektet Tove"
        titled = _named_before(text, start)
        if titled or not _institution_after(text, end_of_word, first_name_alone=alone):
            found.append(NameMatch(start, end, confidence, rule))

    # 1. Full names: "First Last", "First Middle Last", "Last First", "O. Nurmi".
    for i, w in enumerate(words):
        if taken[i]:
            continue
        if _is_initial(text, w) and i + 1 < len(words):
            nxt = words[i + 1]
            if (
                text[w.token.end : nxt.token.start] == ". "
                and nxt.category in _FOLLOWER
                and (nxt.info.last or nxt.category in (UNKNOWN, PLACE, PLACE_NAME))
            ):
                add(i, i + 1, MEDIUM, "initial+surname")
            continue
        j = i
        while j - i + 1 < _MAX_PARTS:
            if _name_particle(text, words, j) and (j > i or w.category in _FOLLOWER):
                j += 2  # "Rowena dela Cruz", "Fatima al Hakim"
            elif (
                j + 1 < len(words)
                and _adjacent(text, words[j], words[j + 1])
                # "Heikki Aho Tuula-vaimonsa": a name made a kinship title stands alone.
                and text[words[j + 1].token.end : words[j + 1].token.end + 1] != "-"
                and (
                    (j == i and _starts_full_name(w) and _continues_name(w, words[j + 1], language))
                    or (j > i and _ends_full_name(words[j + 1]))
                )
            ):
                j += 1
            else:
                break
        if j > i:
            add(i, j, HIGH, "full name")

    # 2. Single words.
    for i in range(len(words)):
        if taken[i]:
            continue
        if _word_made_name(text, words[i]):
            add(i, i, LOW, "a word named or given an age")
            continue
        if words[i].category in (NONE, COMMON):
            continue
        rule = _single_word_rule(text, words, i, language)
        if rule is not None:
            confidence, reason = rule
            add(i, i, confidence, reason)

    # 3. Unknown words joined to a found name by "ja"/"och"/a comma ("Venla ja Fatima"), and
    # first names that are also words at the start of a sentence ("Toivo ja Aino Jokinen").
    named = {k for k, flag in enumerate(taken) if flag}
    for i, w in enumerate(words):
        if taken[i]:
            continue
        unknown = w.category == UNKNOWN and not w.sentence_start
        if not unknown and not (w.category in (AMBIGUOUS, PLACE_NAME) and w.info.first):
            continue
        if _previous_word(text, w.token.start) in _PLACE_PREPOSITIONS:
            continue  # "her sister in Sweden, Maria Engström"
        if any(k in named for k in _listed_with(text, words, i)):
            add(i, i, LOW, "listed with a name")

    # 4. The same name again in another form: "Usko Rautiainen … Uskon naapuri", "Vauva Rauha
    # … Rauhan isosisko", "Perhe Koskinen … Koskisten lapsi".
    bases = set().union(*(_name_bases(w.core) for k, w in enumerate(words) if taken[k]))
    for i, w in enumerate(words):
        if taken[i] or w.category in (NONE, COMMON) or not bases:
            continue
        town = w.info.place and any(
            case in _LOCAL_CASES for _cls, case in word_classes(w.core)
        )  # "Petri Salo muutti Salosta"
        if _name_bases(w.core) & bases and not (w.info.last and w.info.inner_case) and not town:
            add(i, i, LOW, "the same name again")

    found.sort(key=lambda m: m.start)
    return found


# Clitics that may follow a name's case ending ("Latekin", "Liisallekaan").
_CLITICS = ("kaan", "kään", "kin", "han", "hän", "pa", "pä", "ko", "kö")


@functools.lru_cache(maxsize=CACHE_SIZE)
def _name_bases(word: str) -> frozenset[str]:
    """The base forms of a capitalised word (lower case): Voikko's, a listed name's, or for a
    word Voikko does not know the word with a clitic and a case ending taken off ("Hoxhan",
    "Hoxhat" → hoxha; "Rowenas" → rowena; "Latekin" → late)."""
    lower = word.lower()
    # With and without what may be a clitic ("Hoxhan" is no "Hox" + -han).
    forms = {lower} | {
        lower[: -len(clitic)]
        for clitic in _CLITICS
        if lower.endswith(clitic) and len(lower) - len(clitic) >= 3
    }
    bases = {r.get("BASEFORM", "").lower() for r in _readings(word)} - {""}
    for form in forms:
        stem = _listed_stem(form, _LISTED_FIRST_NAMES) or _listed_stem(form, FINNISH_SURNAME_WORDS)
        bases |= {stem} if stem else set()
    if not bases:
        bases = forms | {
            form[: -len(ending)]
            for form in forms
            for ending in (*_NAME_ENDINGS, "t", "it", "ien", "jen", "iden", "iä")
            if form.endswith(ending) and len(form) - len(ending) >= 3
        }
    return frozenset(bases)


def _listed_with(text: str, words: list[_Word], i: int) -> list[int]:
    """Indexes of the words listed together with word ``i``: "X, Y", "X ja Y", "Y och X"."""
    result = []
    for step in (-1, 1):
        k = i + step
        if not 0 <= k < len(words):
            continue
        left, right = sorted((i, k))
        if text[words[left].token.end : words[right].token.start].strip(" \u00a0") == ",":
            result.append(k)
        elif words[k].token.text.lower() in _JOINERS and 0 <= k + step < len(words):
            gaps = (
                text[words[min(i, k + step)].token.end : words[k].token.start],
                text[words[k].token.end : words[max(i, k + step)].token.start],
            )
            if all(gap.strip(" \u00a0") == "" for gap in gaps):
                result.append(k + step)
    return result


def _is_initial(text: str, w: _Word) -> bool:
    core = w.token.text
    return len(core) == 1 and core.isupper() and text[w.token.end : w.token.end + 1] == "."


def _single_word_rule(
    text: str, words: list[_Word], i: int, language: Callable[[], str]
) -> tuple[str, str] | None:
    w = words[i]
    if w.info.last and not w.info.first and w.info.inner_case:
        return None  # "asuu kaverin luona Koskelassa": a place (people take the outer cases)
    if w.category == STRONG and w.info.first:
        return MEDIUM, "first name"
    if w.category in (PLACE, PLACE_NAME, UNKNOWN, AMBIGUOUS) and _named_before(text, w.token.start):
        return LOW, "after a title or a naming phrase"
    if w.category == AMBIGUOUS and not w.sentence_start:
        return LOW, "capitalised name word inside a sentence"
    end = w.written_end
    before = _person_before(text, w.token.start)
    # At the start of a sentence a verb after an unknown word says little ("Flera säger"), and
    # after an ambiguous one only a past tense does ("Onni kertoi", not "Satu kertoo").
    verbs = _VERB_AFTER
    if w.sentence_start:
        # An unknown word that is no word of the text's language is a name before a past verb
        # of a person ("Pena kävi", "Kake pyysi", "Lisen ringde"; not "Flera sade").
        unknown_elsewhere = (
            w.category == UNKNOWN
            and language() != "fi"
            and (_known_word(w.core, language()) or _known_compound(w.core, language()))
        )
        if unknown_elsewhere:
            # A word of the text's own language starting a sentence: only an age or an
            # identifier after it makes it a name ("Ulrik, 45, …"), no verb or kinship word
            # ("Flera sade", "Meddelanden man lämnar" is not a husband's).
            if _AGE_AFTER.match(text, end) or _ID_AFTER.match(text, end):
                return LOW, "unknown word in a name context"
            return None
        verbs = _PAST_VERBS
    after = _context_after(text, w, end, verbs=verbs)
    if w.category == STRONG:
        distinctive = _SWEDISH_DISTINCTIVE.search(w.core.lower())
        if w.sentence_start and not (before or after or distinctive) and language() != "fi":
            return None
        return MEDIUM, "surname"
    if w.category == AMBIGUOUS:  # at the start of a sentence (see above)
        if before or after:
            return LOW, "name word in a name context"
        if w.info.last and not w.info.noun and _finite_verb(_next_word(text, end)):
            # "Mäkinen ei saapunut", "Lehtinen jäi pois": a surname that is otherwise only an
            # adjective ("mäkinen", hilly) is a person when a verb follows it directly.
            return LOW, "surname before a verb"
        if w.info.first and _person_predicate(text, end):
            return LOW, "name word said to be a person"
        if _called_by_name(text, w, language):
            return LOW, "name word in the case of whom one calls"
        return None
    if w.category == PLACE_NAME:
        # "asiakas Lahden päihdeyksikössä": a town in the genitive after a person word, when
        # only the list of surnames made the town a name.
        listed_town = w.info.listed_surname and not (w.info.place_nominative or w.info.outer_case)
        if (before and not listed_town) or (after and not w.info.place_nominative):
            return LOW, "place/name word in a name context"
        if (
            w.info.first
            and w.info.genitive
            and _next_word(text, end) in _WHO_WORDS | _words("dotter son dottern sonen")
        ):
            return LOW, "first name before a family word"  # "Gustavs dotter ringde"
        if w.info.last and _next_word(text, end) in _SPEECH_VERBS:
            return LOW, "surname before a verb of speech"  # "Salo sanoi", not "Salo päätti"
        # "Saimme Mäkelältä tiedon", but not "42 lasta Koskelta ja Marttilasta" (towns).
        # Listed with places, or moving between them ("muutti Koskelta Turkuun").
        around = [k for k in (i - 1, i + 1) if 0 <= k < len(words) and words[k].category != NONE]
        near = [k for k in around if _adjacent(text, *sorted((words[i], words[k]), key=_start_of))]
        listed_places = any(_place_like(words[k]) for k in [*_listed_with(text, words, i), *near])
        outer = not w.sentence_start and w.info.outer_case
        called = outer or _called_by_name(text, w, language)
        if called and not listed_places and language() == "fi":
            return LOW, "name word in the case of whom one calls"
        if w.info.first and _person_predicate(text, end):
            return LOW, "name word said to be a person"
        return None
    if w.category == PLACE:
        if before and w.info.place_nominative:
            return LOW, "place name after a person word"
        return None
    if w.category == UNKNOWN:
        aged = _AGE_AFTER.match(text, end) is not None  # "Familjen till Viggo (10)"
        if _previous_word(text, w.token.start) in _PLACE_PREPOSITIONS and not aged:
            return None
        if before or after or _person_predicate(text, end):
            return LOW, "unknown word in a name context"
        # Not in Swedish text, whose definite plurals end the same way ("Barnen").
        surname_like = _FINNISH_SURNAME.search(w.core.lower())
        if not w.sentence_start and surname_like and language() == "fi":
            return LOW, "surname-like unknown word"
        return None
    return None


def _start_of(w: _Word) -> int:
    return w.token.start


def _place_like(w: _Word) -> bool:
    """A place, or a word in a local case that is no person's name ("Pihlajamäestä")."""
    if w.category in (PLACE, PLACE_NAME):
        return True
    if w.info.name:
        return False
    return any(case in _LOCAL_CASES for _cls, case in word_classes(w.core))


def _called_by_name(text: str, w: _Word, language: Callable[[], str]) -> bool:
    """A name word in the allative or ablative before a finite verb, in Finnish: "Kivelle voi
    soittaa", "Mäkelältä tuli viesti", "Oksanalle luvattiin tulkki". A place or a thing in these
    cases rarely begins such a sentence ("Järvelle tuli jäätä" is the price)."""
    return (
        w.info.outer_case
        and _finite_verb(_next_word(text, w.written_end), passive=True)
        and not _person_noun_reading(w.core)  # "Asukkaille pitäisi …" (Asukas is a surname)
        and language() == "fi"
    )


@functools.lru_cache(maxsize=CACHE_SIZE)
def _person_noun_reading(word: str) -> bool:
    """An ordinary noun for a person among the readings ("Asukkaille": asukas)."""
    return any(
        r.get("CLASS") == "nimisana" and r.get("BASEFORM", "").lower() in PERSON_NOUNS
        for r in _readings(word)
    )
