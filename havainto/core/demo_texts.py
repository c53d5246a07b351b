"""The texts of the demo reports: base observations in Finnish and Swedish, written for the demo.

Every observation is invented. None is taken from a real report, and none names a person,
a street or anything else that could identify a client. :mod:`havainto.core.demo` varies them
(municipality, season, numbers, sentence order, extra sentences) and checks every generated text
with the privacy guard before anything is stored.

Placeholders in titles, sentences, causes, effects and proposals:

``{kunta}`` / ``{kunnan}`` / ``{kunnassa}``
    the municipality in the nominative, genitive and locative ("Turku", "Turun", "Turussa");
``{kommun}``
    the municipality's Swedish name;
``{keskuksessa}`` / ``{keskukseen}`` / ``{centrum}``
    the county's main town ("Turussa", "Turkuun", "Åbo");
``{kausi}``
    the season of the report date ("syksyn aikana", "under hösten");
``{n}``, ``{kk}``, ``{vk}``, ``{km}``
    numbers drawn from the observation's ranges (clients, months, weeks, kilometres).
"""

from dataclasses import dataclass
from typing import Any

PROBLEM = "problem"
GOOD = "good_practice"
WEAK = "weak_signal"

# The emerging topic planted in the latest two quarters: food aid for working families.
EMERGING_KEYWORDS = ("ruoka-apu", "ruoka-avu", "ruokajono", "matbank", "mathjälp")


@dataclass(frozen=True)
class Observation:
    """One base observation. Sentences starting with "?" may be left out of a variant."""

    key: str
    language: str
    kind: str
    service_line: str
    theme: str
    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    client_groups: tuple[str, ...]
    support_needs: tuple[int, ...]
    sectors: tuple[str, ...]
    recurrence: tuple[str, ...] = ()
    causes: str = ""
    effects: str = ""
    proposal: str = ""
    level: str = ""
    # "any", "urban", "rural" or "archipelago": where in the county the observation fits.
    where: str = "any"
    # "" for both demo organisations, otherwise the only one it fits.
    org: str = ""
    # Months (1–12) in which the observation is plausible; empty for all year.
    months: tuple[int, ...] = ()
    # Number placeholders: (name, lowest, highest).
    numbers: tuple[tuple[str, int, int], ...] = ()
    # Reporter roles that fit; empty for the service line's usual mix.
    roles: tuple[str, ...] = ()
    emerging: bool = False


def _fi(key: str, kind: str, line: str, theme: str, **fields: Any) -> Observation:
    return Observation(key=key, language="fi", kind=kind, service_line=line, theme=theme, **fields)


def _sv(key: str, kind: str, line: str, theme: str, **fields: Any) -> Observation:
    return Observation(key=key, language="sv", kind=kind, service_line=line, theme=theme, **fields)


# ---------------------------------------------------------------------------------------------
# Finnish
# ---------------------------------------------------------------------------------------------

FINNISH: tuple[Observation, ...] = (
    # Poverty and income
    _fi(
        "fi-hobbies",
        PROBLEM,
        "family_services",
        "poverty_income",
        titles=(
            "Lasten harrastukset jäävät pois perheen talouden vuoksi",
            "Pienituloisten perheiden lapset putoavat harrastusten ulkopuolelle",
            "Harrastusmaksut karsivat lapsia pois kavereiden porukasta {kunnassa}",
        ),
        sentences=(
            "Perhetyössä näkyy {kausi} entistä useammin, että lapsen harrastus on lopetettu "
            "rahan vuoksi.",
            "Vanhemmat kertovat karsineensa ensin omista menoistaan ja vasta viimeisenä lasten "
            "harrastuksista.",
            "Harrastusmaksujen lisäksi ongelmana ovat varusteet ja kuljetukset, joihin ei saa "
            "tukea mistään.",
            "Lapset kertovat jäävänsä kavereiden porukasta, kun eivät pääse mukaan samoihin "
            "ryhmiin.",
            "?Ehkäisevää toimeentulotukea myönnetään harrastuksiin vaihtelevasti, eivätkä perheet "
            "aina tiedä, että sitä voi hakea.",
        ),
        client_groups=("children", "families"),
        support_needs=(3, 4, 7),
        sectors=("social_care", "municipality_other", "ngo"),
        recurrence=("recurring", "increasing"),
        causes="Elinkustannusten nousu ja pienituloisuus; harrastusmaksut ovat nousseet "
        "samaan aikaan, kun perheiden tulot eivät ole.",
        effects="Ehkäisevä toimeentulotuki auttaa, kun perhe osaa hakea sitä, mutta hakemus "
        "koetaan raskaaksi.",
        proposal="Kunnan vapaa-aikapalvelut ja hyvinvointialue sopivat yhteisestä "
        "harrastustakuusta pienituloisten perheiden lapsille, ja ehkäisevän toimeentulotuen "
        "linjaukset harrastuksiin tehdään näkyviksi.",
        level="municipality",
    ),
    _fi(
        "fi-pensioners-medicine",
        PROBLEM,
        "elderly_services",
        "poverty_income",
        titles=(
            "Pienituloisten eläkeläisten rahat eivät riitä lääkkeisiin",
            "Lääkkeiden alkuomavastuu ylittää takuueläkeläisten maksukyvyn",
        ),
        sentences=(
            "Ikääntyneiden asiakasohjauksessa tavataan {kausi} yhä useammin pienellä "
            "takuueläkkeellä eläviä, joille lääkkeiden omavastuut ovat ylivoimaisia.",
            "Lääkekaton täyttymistä odotellessa osa jättää lääkkeitä hakematta tai jakaa "
            "annoksia itse.",
            "Toimeentulotukea ei haeta, koska hakeminen koetaan nöyryyttävänä tai liian vaikeana.",
            "?Ongelma tulee esiin usein vasta, kun terveydentila on jo heikentynyt.",
        ),
        client_groups=("older_people",),
        support_needs=(3, 8),
        sectors=("kela", "health_care", "social_care"),
        recurrence=("recurring",),
        causes="Lääkekaton alkuomavastuu osuu vuoden alkuun, jolloin myös muut laskut kasautuvat.",
        proposal="Maksusitoumusmahdollisuudesta tiedotetaan apteekeissa ja kotihoidossa, ja "
        "lääkkeiden alkuomavastuun porrastamista esitetään valtakunnallisesti.",
        level="national",
    ),
    _fi(
        "fi-single-parents",
        PROBLEM,
        "family_services",
        "poverty_income",
        titles=(
            "Yksinhuoltajaperheiden talous ei kestä yllättäviä menoja",
            "Yksi yllättävä lasku kaataa yksinhuoltajan talouden",
        ),
        sentences=(
            "Perhesosiaalityössä on {kausi} tullut vastaan useita yksinhuoltajaperheitä, joiden "
            "talous kaatuu ensimmäiseen yllättävään menoon.",
            "Rikkoutunut pesukone tai lapsen silmälasit voivat johtaa maksamattomiin laskuihin "
            "ja perintään.",
            "Vanhemmat tekevät usein osa-aikatyötä, jolloin tulot vaihtelevat kuukaudesta "
            "toiseen ja etuuksien yhteensovitus viivästyy.",
            "?Tilanne kuormittaa vanhempaa ja näkyy myös lasten arjessa.",
        ),
        client_groups=("families", "children"),
        support_needs=(3, 7, 10),
        sectors=("kela", "social_care"),
        recurrence=("recurring", "increasing"),
        causes="Vaihtelevat tulot ja etuuksien jälkikäteinen tarkistus tekevät taloudesta "
        "ennakoimattoman.",
        effects="Täydentävä toimeentulotuki ja talousneuvonta auttavat, mutta tulevat usein "
        "liian myöhään.",
        proposal="Perhekeskuksiin matalan kynnyksen talousneuvontaa ja nopea menettely "
        "ehkäisevään toimeentulotukeen äkillisissä menoissa.",
        level="service_line",
    ),
    # Housing costs
    _fi(
        "fi-rent-limits",
        PROBLEM,
        "adult_social_work",
        "housing_costs",
        titles=(
            "Kohtuulliset asumismenot jäävät jälkeen vuokratasosta",
            "Asiakkaat maksavat osan vuokrasta perusosasta",
            "Vuokran ja hyväksyttyjen asumismenojen erotus kasvaa {kunnassa}",
        ),
        sentences=(
            "Aikuissosiaalityössä on {kausi} ollut {n} asiakasta, joiden vuokra ylittää Kelan "
            "kohtuullisina pitämät asumismenot.",
            "Erotus maksetaan perusosasta, jolloin muihin välttämättömiin menoihin jää entistä "
            "vähemmän.",
            "Edullisempaa asuntoa ei ole tarjolla, ja muutto toiselle paikkakunnalle katkaisisi "
            "työ- tai hoitosuhteet.",
            "?Asiakkaille ehdotetaan muuttoa, vaikka kaupungin vuokra-asuntojen jonot ovat pitkät.",
        ),
        client_groups=("working_age", "families"),
        support_needs=(2, 3),
        sectors=("kela", "housing"),
        recurrence=("recurring", "increasing"),
        causes="Vapaarahoitteisten vuokrien nousu ja yleisen asumistuen leikkaukset.",
        effects="Harkinnanvarainen toimeentulotuki paikkaa tilannetta vain tilapäisesti.",
        proposal="Kohtuullisten asumismenojen rajat tarkistetaan vuosittain paikallista "
        "vuokratasoa vastaaviksi, ja vuokrataloyhtiön kanssa sovitaan asuntokiintiö "
        "sosiaalityön asiakkaille.",
        level="municipality",
        where="urban",
        numbers=(("n", 5, 16),),
    ),
    _fi(
        "fi-energy-bills",
        PROBLEM,
        "adult_social_work",
        "housing_costs",
        titles=(
            "Sähkö- ja lämmityslaskut kasautuvat talvella",
            "Sähkölämmitteisissä taloissa asuvat pienituloiset vaikeuksissa",
        ),
        sentences=(
            "Talvikuukausina sosiaalityöhön tulee asiakkaita, joiden sähkö- tai lämmityslasku "
            "on kasvanut moninkertaiseksi.",
            "Erityisesti sähkölämmitteisissä omakotitaloissa asuvat pienituloiset ovat "
            "vaikeuksissa.",
            "Osa pitää asunnon lämpötilan niin alhaisena, että se vaikuttaa jo terveyteen.",
            "?Sähkön katkaisu uhkaa, jos laskuja ei saada maksuun.",
        ),
        client_groups=("working_age", "older_people", "families"),
        support_needs=(2, 3),
        sectors=("kela", "housing", "social_care"),
        recurrence=("recurring",),
        causes="Energian hinnan vaihtelu ja vanha, huonosti eristetty asuntokanta.",
        proposal="Energiakustannuksiin laaditaan selkeä ohje toimeentulotuessa, ja "
        "energiayhtiöiden kanssa sovitaan maksusuunnitelmista ennen katkaisua.",
        level="county",
        where="rural",
        months=(11, 12, 1, 2, 3),
    ),
    _fi(
        "fi-young-deposit",
        PROBLEM,
        "youth_services",
        "housing_costs",
        titles=(
            "Nuorten ensimmäinen oma asunto kaatuu vuokravakuuteen",
            "Vuokravakuus estää nuorten itsenäistymisen",
        ),
        sentences=(
            "Nuorten palveluissa on {kausi} ollut useita nuoria, joiden ensimmäinen "
            "vuokrasopimus on kaatunut vuokravakuuteen.",
            "Vakuus on tavallisesti kahden kuukauden vuokra, eikä nuorella ole säästöjä eikä "
            "vanhempia, jotka voisivat auttaa.",
            "Kelan maksusitoumus vakuuteen ei kaikille vuokranantajille kelpaa.",
            "?Nuoret jäävät asumaan tuttavien luo tai palaavat kotiin, jossa tilanne on jo "
            "valmiiksi kuormittunut.",
        ),
        client_groups=("youth",),
        support_needs=(2, 3, 4),
        sectors=("kela", "housing"),
        recurrence=("recurring",),
        proposal="Kaupungin vuokrataloyhtiö hyväksyy Kelan maksusitoumuksen vakuutena, ja "
        "nuorille tarjotaan tukiasuntoja ensimmäisen vuoden ajaksi.",
        level="municipality",
        where="urban",
    ),
    # Homelessness
    _fi(
        "fi-hidden-homeless",
        PROBLEM,
        "adult_social_work",
        "homelessness",
        titles=(
            "Piiloasunnottomuus maaseudulla",
            "Asunnottomuus näkyy myös pienissä kunnissa",
        ),
        sentences=(
            "{kunnassa} ei virallisesti ole asunnottomia, mutta asiakastyössä tapaamme {kausi} "
            "ihmisiä, jotka asuvat sukulaisten nurkissa, mökeillä tai asuntovaunuissa.",
            "Kunnassa ei ole tilapäismajoitusta, ja lähin ensisuoja on {keskuksessa}.",
            "Asunnottomuus jää tilastoihin merkitsemättä, koska ihmiset eivät ilmoittaudu "
            "asunnottomiksi.",
            "?Talvella tilanteet muuttuvat nopeasti vaarallisiksi.",
        ),
        client_groups=("working_age", "youth"),
        support_needs=(2, 4, 6),
        sectors=("housing", "social_care", "municipality_other"),
        recurrence=("recurring",),
        causes="Vuokra-asuntojen vähyys pienissä kunnissa ja tilapäismajoituksen "
        "keskittyminen kaupunkiin.",
        proposal="Jokaiseen kuntaan sovitaan vähintään yksi kriisimajoitusmahdollisuus ja "
        "asunnottomuuden kirjaamiseen yhteinen käytäntö.",
        level="county",
        where="rural",
    ),
    _fi(
        "fi-prison-release",
        PROBLEM,
        "adult_social_work",
        "homelessness",
        titles=(
            "Vankilasta vapautuvat jäävät ilman asuntoa",
            "Vapautuminen ilman asuntoa lisää retkahtamisen riskiä",
        ),
        sentences=(
            "Vankilasta vapautuvat asiakkaat tulevat sosiaalityöhön usein vasta "
            "vapautumispäivänä, eikä asuntoa ole järjestetty.",
            "Yhteistyö Rikosseuraamuslaitoksen kanssa ei toimi ennakoivasti, vaikka "
            "vapautumisen ajankohta tiedetään kuukausia etukäteen.",
            "Ensimmäiset yöt vietetään tilapäismajoituksessa tai ulkona, mikä lisää "
            "retkahtamisen riskiä.",
            "?Viime kuukausina tällaisia tilanteita on ollut {n}.",
        ),
        client_groups=("working_age",),
        support_needs=(2, 4, 8),
        sectors=("police_justice", "housing", "social_care"),
        recurrence=("recurring",),
        effects="Asumisneuvonta auttaa, kun se pääsee mukaan ajoissa.",
        proposal="Vapautumissuunnitelmaan lisätään velvoite ottaa yhteyttä hyvinvointialueen "
        "sosiaalityöhön vähintään kaksi kuukautta ennen vapautumista.",
        level="national",
        where="urban",
        numbers=(("n", 2, 6),),
    ),
    _fi(
        "fi-eviction-prevention",
        GOOD,
        "substance_mental_health",
        "homelessness",
        titles=(
            "Asumisneuvojan jalkautuminen ehkäisi häätöjä",
            "Varhainen yhteydenotto vuokrarästeihin toimii",
        ),
        sentences=(
            "Asumisneuvoja on {kausi} kiertänyt vuokrataloyhtiön kanssa kohteissa, joissa "
            "vuokrarästejä on alkanut kertyä.",
            "Kun yhteys otetaan jo ensimmäisen rästin kohdalla, maksusuunnitelma saadaan tehtyä "
            "ennen häätöprosessia.",
            "Asiakkaat ovat kokeneet, että heitä lähestytään auttaen eikä uhaten.",
            "?Vuokranantajan mukaan häätöhakemuksia on tehty selvästi vähemmän kuin edellisenä "
            "vuonna.",
        ),
        client_groups=("working_age",),
        support_needs=(2, 3, 8),
        sectors=("housing", "social_care"),
        effects="Häätöjen ehkäisy tulee selvästi edullisemmaksi kuin asunnottomuuden hoito "
        "jälkikäteen.",
        proposal="Toimintamalli laajennetaan koko hyvinvointialueelle ja kaikkien kuntien "
        "vuokrataloyhtiöihin.",
        level="county",
        where="urban",
    ),
    # Debt
    _fi(
        "fi-quick-loans",
        PROBLEM,
        "adult_social_work",
        "debt",
        titles=(
            "Nuorten aikuisten pikavippikierre",
            "Sovelluksella otetut kulutusluotot velkaannuttavat nuoria aikuisia",
        ),
        sentences=(
            "Nuorilla aikuisilla asiakkailla on {kausi} ollut paljon kulutusluottoja ja "
            "osamaksuja, jotka on otettu sovelluksessa muutamassa minuutissa.",
            "Velkoja on tyypillisesti useita pieniä, ja perintäkulut ovat moninkertaistaneet "
            "alkuperäisen summan.",
            "Maksuhäiriömerkintä estää asunnon ja joskus jopa puhelinliittymän saamisen.",
            "?Moni ei hae apua, koska häpeää tilannettaan.",
        ),
        client_groups=("youth", "working_age"),
        support_needs=(3, 4),
        sectors=("legislation", "social_care", "ngo"),
        recurrence=("increasing",),
        causes="Luottojen helppo saatavuus ja markkinointi sosiaalisessa mediassa.",
        proposal="Kulutusluottojen myöntämistä ja markkinointia nuorille tiukennetaan, ja "
        "talous- ja velkaneuvonta tuodaan osaksi nuorten palveluja.",
        level="national",
    ),
    _fi(
        "fi-client-fees",
        PROBLEM,
        "adult_social_work",
        "debt",
        titles=(
            "Asiakasmaksut menevät ulosottoon",
            "Asiakasmaksujen alentamismahdollisuutta ei tunneta",
        ),
        sentences=(
            "Sosiaali- ja terveydenhuollon asiakasmaksuja siirtyy perintään ja ulosottoon "
            "asiakkailla, joilla olisi ollut oikeus maksujen alentamiseen.",
            "Maksukattoa ja alentamismahdollisuutta ei tunneta, eikä laskussa kerrota niistä "
            "ymmärrettävästi.",
            "Useat asiakkaat ovat kertoneet jättäneensä hoitokäynnin väliin, koska pelkäävät "
            "uutta laskua.",
            "?Ulosotto kohdistuu usein juuri niihin, joiden tulot ovat pienimmät.",
        ),
        client_groups=("working_age", "older_people"),
        support_needs=(3, 8),
        sectors=("health_care", "social_care"),
        recurrence=("recurring",),
        proposal="Asiakasmaksujen alentaminen otetaan järjestelmällisesti puheeksi ennen "
        "perintää, ja laskuihin lisätään selkokielinen ohje.",
        level="county",
    ),
    _fi(
        "fi-debt-advice-desk",
        GOOD,
        "adult_social_work",
        "debt",
        titles=(
            "Talousneuvojan vastaanotto sosiaalitoimiston aulassa",
            "Yhteisvastaanotto talous- ja velkaneuvonnan kanssa",
        ),
        sentences=(
            "Kokeilimme {kausi} talous- ja velkaneuvonnan kanssa yhteistä vastaanottoa, jossa "
            "talousneuvoja päivysti kerran viikossa sosiaalitoimiston aulassa.",
            "Asiakkaat pääsivät samalla käynnillä sekä sosiaalityöntekijän että talousneuvojan "
            "luo ilman erillistä ajanvarausta.",
            "Kokeilun aikana {n} asiakasta sai tehtyä maksusuunnitelman tai "
            "velkajärjestelyhakemuksen.",
            "?Aiemmin moni jäi pois, kun lähete ohjasi toiseen paikkaan.",
        ),
        client_groups=("working_age",),
        support_needs=(3,),
        sectors=("police_justice", "social_care"),
        proposal="Yhteisvastaanotto vakiinnutetaan ja laajennetaan pienempiin kuntiin "
        "etäyhteydellä.",
        level="service_line",
        numbers=(("n", 8, 25),),
    ),
    # Benefits and Kela
    _fi(
        "fi-kela-delays",
        PROBLEM,
        "adult_social_work",
        "benefits_kela",
        titles=(
            "Perustoimeentulotuen käsittelyajat venyvät",
            "Asiakkaat tulevat sosiaalityöhön ilman rahaa Kelan päätöstä odottaessaan",
        ),
        sentences=(
            "Kelan perustoimeentulotuen käsittely on {kausi} venynyt, ja asiakkaat tulevat "
            "sosiaalityöhön ilman rahaa.",
            "Hakemuksiin pyydetään lisäselvityksiä, joita asiakas ei ymmärrä tai joita hänen on "
            "vaikea hankkia.",
            "Sillä välin vuokra jää maksamatta ja lääkkeet hakematta.",
            "?Sosiaalityössä joudutaan myöntämään kiireellistä toimeentulotukea tilanteissa, "
            "jotka olisivat ratkenneet nopealla Kelan päätöksellä.",
        ),
        client_groups=("working_age", "families"),
        support_needs=(3,),
        sectors=("kela", "social_care"),
        recurrence=("recurring", "increasing"),
        effects="Kiireellinen toimeentulotuki estää pahimmat seuraukset, mutta vie paljon "
        "työaikaa.",
        proposal="Hyvinvointialueen ja Kelan yhteistyöryhmä sopii nopeasta menettelystä "
        "kiireellisiin tilanteisiin ja selkeyttää lisäselvityspyyntöjä.",
        level="county",
    ),
    _fi(
        "fi-kela-notices",
        PROBLEM,
        "adult_social_work",
        "benefits_kela",
        titles=(
            "Kelan ilmoitukset sosiaalihuollon tarpeesta eivät tavoita asiakasta",
            "Ilmoituksista sosiaalityön tarpeesta puuttuu tilanteen kuvaus",
        ),
        sentences=(
            "Kelasta tulee ilmoituksia sosiaalihuollon tarpeesta, mutta niissä on usein vain "
            "yhteystiedot ilman kuvausta asiakkaan tilanteesta.",
            "Kun otamme yhteyttä, asiakas ei tiedä, miksi häneen ollaan yhteydessä, ja "
            "kieltäytyy palvelusta.",
            "{kausi} ilmoituksista vain pieni osa johti asiakkuuteen.",
            "?Ilmoitusten käsittely vie paljon työaikaa.",
        ),
        client_groups=("working_age",),
        support_needs=(3, 4),
        sectors=("kela", "social_care"),
        recurrence=("recurring",),
        proposal="Kela ja hyvinvointialue sopivat yhteisestä ilmoituspohjasta ja siitä, että "
        "asiakkaalle kerrotaan ilmoituksesta ja sen syystä.",
        level="county",
    ),
    _fi(
        "fi-kela-liaison",
        GOOD,
        "adult_social_work",
        "benefits_kela",
        titles=(
            "Kelan nimetty yhteyshenkilö nopeutti ratkaisuja",
            "Suora yhteys Kelaan kiireellisissä asioissa",
        ),
        sentences=(
            "Alueellamme on {kausi} ollut käytössä Kelan nimetty yhteyshenkilö, jonka kanssa "
            "sosiaalityöntekijä voi sopia asiakkaan asiasta suoraan.",
            "Esimerkiksi vuokranmaksuun liittyvät kiireelliset tilanteet ovat ratkenneet "
            "päivissä eikä viikoissa.",
            "Asiakkaan ei tarvitse kertoa tilannettaan useaan kertaan eri luukuilla.",
            "?Yhteistyö on lisännyt molempien osapuolten ymmärrystä toistensa työstä.",
        ),
        client_groups=("working_age", "families"),
        support_needs=(3,),
        sectors=("kela", "social_care"),
        proposal="Nimetyn yhteyshenkilön malli vakiinnutetaan kaikkiin palvelulinjoihin.",
        level="county",
    ),
    _fi(
        "fi-students-income",
        PROBLEM,
        "student_welfare",
        "benefits_kela",
        titles=(
            "Opiskelijan tuet eivät riitä elämiseen",
            "Toisen asteen opiskelijoita ohjataan opintolainaan",
        ),
        sentences=(
            "Toisen asteen opiskelijat kertovat kuraattorille, että opintotuki ja asumislisä "
            "eivät riitä elämiseen, kun kotoa ei saa taloudellista tukea.",
            "Toimeentulotukea hakiessa opiskelijaa ohjataan nostamaan opintolainaa, vaikka moni "
            "pelkää velkaantumista.",
            "Osa tekee opintojen ohessa niin paljon töitä, että opinnot viivästyvät tai "
            "keskeytyvät.",
            "?{kausi} tällaisia keskusteluja on ollut {n}.",
        ),
        client_groups=("youth",),
        support_needs=(3, 4),
        sectors=("kela", "education", "legislation"),
        recurrence=("recurring",),
        proposal="Itsenäisesti asuvien toisen asteen opiskelijoiden tukijärjestelmä arvioidaan "
        "valtakunnallisesti.",
        level="national",
        numbers=(("n", 3, 10),),
        roles=("school_social_worker",),
    ),
    # Access to services
    _fi(
        "fi-youth-mh-queue",
        PROBLEM,
        "substance_mental_health",
        "service_access",
        titles=(
            "Nuorten mielenterveyspalveluihin jonotetaan kuukausia",
            "Nuorten mielenterveyshoidon jonot pitenevät",
        ),
        sentences=(
            "Nuorten mielenterveyspalveluihin on {kausi} jonotettu jopa {kk} kuukautta.",
            "Jonotusaikana tilanteet pahenevat, ja osa nuorista päätyy päivystykseen.",
            "Sosiaalityössä tuemme nuoria, joiden hoito kuuluisi terveydenhuoltoon, ilman "
            "riittävää osaamista.",
            "?Vanhemmat ovat uupuneita ja kokevat jääneensä yksin.",
        ),
        client_groups=("youth", "families"),
        support_needs=(7, 8, 10),
        sectors=("health_care", "social_care"),
        recurrence=("increasing",),
        proposal="Perusterveydenhuoltoon lisätään nuorten mielenterveystyön resursseja, ja "
        "jonotusajalle nimetään tukihenkilö.",
        level="county",
        numbers=(("kk", 3, 7),),
    ),
    _fi(
        "fi-disability-decisions",
        PROBLEM,
        "disability_services",
        "service_access",
        titles=(
            "Vammaispalvelupäätökset viivästyvät",
            "Vammaispalveluhakemusten käsittelyajat ylittyvät",
        ),
        sentences=(
            "Vammaispalveluhakemusten käsittely on {kausi} kestänyt selvästi yli lakisääteisen "
            "ajan.",
            "Perheet odottavat päätöstä esimerkiksi henkilökohtaisesta avusta tai asunnon "
            "muutostöistä kuukausia.",
            "Viivästys siirtää vastuun läheisille, jotka joutuvat jäämään pois töistä.",
            "?Asiakkaat eivät saa tietoa siitä, missä vaiheessa heidän asiansa on.",
        ),
        client_groups=("disabled", "carers"),
        support_needs=(8, 9, 10),
        sectors=("social_care",),
        recurrence=("recurring", "increasing"),
        proposal="Vammaispalvelujen käsittelyjonoille laaditaan purkusuunnitelma, ja "
        "asiakkaille kerrotaan arvioitu käsittelyaika.",
        level="service_line",
    ),
    _fi(
        "fi-phone-hours",
        PROBLEM,
        "adult_social_work",
        "service_access",
        titles=(
            "Sosiaalityön puhelinaikaan ei pääse läpi",
            "Takaisinsoittopyynnöt ruuhkautuvat",
        ),
        sentences=(
            "Asiakkaat kertovat soittaneensa sosiaalityön puhelinaikaan useana päivänä "
            "pääsemättä läpi.",
            "Takaisinsoittopyyntöjä on kertynyt {kausi} niin paljon, että niihin vastataan vasta "
            "useiden päivien kuluttua.",
            "Kiireelliset asiat hoidetaan lopulta päivystyksen kautta.",
            "?Ilmiö kuormittaa myös henkilöstöä, joka pahoittelee samaa asiaa päivittäin.",
        ),
        client_groups=("working_age", "older_people"),
        support_needs=(1, 3),
        sectors=("social_care",),
        recurrence=("recurring",),
        proposal="Puhelinpalvelu ja chat yhdistetään yhdeksi palveluksi, jossa kiireelliset "
        "asiat tunnistetaan heti.",
        level="service_line",
    ),
    _fi(
        "fi-walk-in",
        GOOD,
        "adult_social_work",
        "service_access",
        titles=(
            "Avovastaanotto ilman ajanvarausta madalsi kynnystä",
            "Sosiaaliohjauksen avovastaanotto {kunnassa}",
        ),
        sentences=(
            "{kunnassa} on {kausi} kokeiltu sosiaaliohjauksen avovastaanottoa kahtena "
            "aamupäivänä viikossa.",
            "Asiakas voi tulla paikalle ilman ajanvarausta, ja asia hoituu usein saman tien.",
            "Vastaanotolla on käynyt paljon ihmisiä, jotka eivät olisi soittaneet tai asioineet "
            "verkossa.",
            "?Myös työntekijät kokevat, että kiireelliset tilanteet tunnistetaan aiemmin.",
        ),
        client_groups=("working_age", "older_people", "immigrants"),
        support_needs=(1, 3, 4),
        sectors=("social_care",),
        proposal="Avovastaanotto vakiinnutetaan ja laajennetaan myös pienempiin kuntiin.",
        level="service_line",
    ),
    # Coordination
    _fi(
        "fi-discharge",
        PROBLEM,
        "elderly_services",
        "service_coordination",
        titles=(
            "Kotiutus sairaalasta ilman tietoa sosiaalihuollolle",
            "Iäkkäät kotiutetaan ennen kuin kotona on apua",
        ),
        sentences=(
            "Iäkkäitä asiakkaita kotiutetaan sairaalasta niin, ettei kotihoito tai sosiaalityö "
            "saa siitä tietoa etukäteen.",
            "Kotona ei ole apuvälineitä, lääkkeitä tai ketään auttamassa ensimmäisinä päivinä.",
            "{kausi} on ollut {n} tilannetta, joissa asiakas on palannut päivystykseen muutaman "
            "päivän sisällä.",
            "?Omaiset joutuvat selvittämään asioita monesta eri paikasta.",
        ),
        client_groups=("older_people", "carers"),
        support_needs=(1, 8, 10),
        sectors=("health_care", "social_care"),
        recurrence=("recurring",),
        proposal="Kotiutuskäytäntöön lisätään ilmoitus sosiaalihuoltoon ja kotiutuksen "
        "tarkistuslista.",
        level="county",
        numbers=(("n", 3, 9),),
    ),
    _fi(
        "fi-multi-problem",
        PROBLEM,
        "adult_social_work",
        "service_coordination",
        titles=(
            "Monialaista tukea tarvitsevat putoavat palvelujen väliin",
            "Kukaan ei ota kokonaisvastuuta monen palvelun asiakkaasta",
        ),
        sentences=(
            "Asiakkaat, joilla on samanaikaisesti päihde-, mielenterveys- ja taloushuolia, "
            "kulkevat palvelusta toiseen ilman, että kukaan ottaa kokonaisvastuuta.",
            "Jokainen taho hoitaa oman osuutensa ja ohjaa asiakkaan eteenpäin.",
            "Asiakas joutuu kertomaan tarinansa yhä uudelleen ja väsyy.",
            "?Yhteisiä asiakassuunnitelmia tehdään harvoin, koska tietojärjestelmät eivät tue "
            "sitä.",
        ),
        client_groups=("working_age",),
        support_needs=(4, 8),
        sectors=("social_care", "health_care", "employment"),
        recurrence=("recurring",),
        proposal="Monialaista tukea tarvitseville nimetään vastuutyöntekijä ja yhteinen "
        "asiakassuunnitelma, johon kaikki palvelut sitoutuvat.",
        level="county",
    ),
    _fi(
        "fi-family-centre-team",
        GOOD,
        "family_services",
        "service_coordination",
        titles=(
            "Perhekeskuksen monialainen tiimi toimii",
            "Perheet saavat avun yhdestä paikasta",
        ),
        sentences=(
            "Perhekeskuksessa on {kausi} kokoontunut viikoittain monialainen tiimi, jossa "
            "neuvola, varhaiskasvatus, perhetyö ja perheneuvola käsittelevät perheiden "
            "tilanteita yhdessä perheen luvalla.",
            "Perheet saavat avun yhdestä paikasta, eikä heitä ohjata luukulta toiselle.",
            "Tiimin kautta perheitä on ohjattu kevyempiin palveluihin ennen kuin tilanne on "
            "ehtinyt kriisiytyä.",
            "?Työntekijät tuntevat nyt toistensa palvelut paremmin.",
        ),
        client_groups=("families", "children"),
        support_needs=(7, 10),
        sectors=("social_care", "health_care", "education"),
        proposal="Malli levitetään kaikkiin perhekeskuksiin.",
        level="service_line",
    ),
    # Exclusion and loneliness
    _fi(
        "fi-lonely-rural-old",
        PROBLEM,
        "elderly_services",
        "exclusion_loneliness",
        titles=(
            "Ikääntyneiden yksinäisyys haja-asutusalueilla",
            "Kotihoidon käynti on viikon ainoa kohtaaminen",
        ),
        sentences=(
            "Haja-asutusalueella asuvat ikääntyneet kertovat, että viikon ainoa kontakti voi "
            "olla kotihoidon käynti.",
            "Kylien kaupat ja pankit ovat sulkeneet, eikä julkista liikennettä juuri ole.",
            "{kausi} kotihoidon työntekijät ovat huomanneet masennusoireiden lisääntyneen.",
            "?Järjestöjen toimintaa on lähinnä kuntakeskuksessa, jonne yksin asuvat eivät pääse.",
        ),
        client_groups=("older_people",),
        support_needs=(4, 8, 9),
        sectors=("social_care", "ngo", "municipality_other"),
        recurrence=("recurring",),
        proposal="Kyliin järjestetään säännöllisiä kohtaamispaikkoja ja kuljetus niihin "
        "yhdessä järjestöjen kanssa.",
        level="municipality",
        where="rural",
    ),
    _fi(
        "fi-withdrawn-young",
        WEAK,
        "youth_services",
        "exclusion_loneliness",
        titles=(
            "Nuoret aikuiset vetäytyvät kotiin",
            "Kuukausia kotona ilman kasvokkaisia kontakteja",
        ),
        sentences=(
            "Nuorten palveluissa on {kausi} tavattu aiempaa useammin nuoria aikuisia, jotka ovat "
            "olleet kotona kuukausia ilman opiskelu- tai työpaikkaa.",
            "He käyvät ulkona harvoin ja asioivat lähes pelkästään verkossa.",
            "Osa kertoo, ettei heillä ole yhtään ystävää, jonka kanssa tavata kasvokkain.",
            "?Ilmiö on vasta alkanut näkyä, mutta se toistuu eri työntekijöiden asiakkailla.",
        ),
        client_groups=("youth",),
        support_needs=(4, 8, 9),
        sectors=("social_care", "health_care", "employment"),
        recurrence=("new", "increasing"),
        proposal="Etsivää nuorisotyötä ja kotiin vietävää tukea lisätään, ja ilmiötä seurataan "
        "nuorten palveluissa.",
        level="service_line",
    ),
    _fi(
        "fi-library-meeting",
        GOOD,
        "elderly_services",
        "exclusion_loneliness",
        titles=(
            "Kirjaston kohtaamispaikka tavoitti yksinäisiä",
            "Avoin kohtaamispaikka ikääntyneille {kunnassa}",
        ),
        sentences=(
            "Kirjaston tiloissa on {kausi} toiminut kerran viikossa avoin kohtaamispaikka, jossa "
            "järjestöjen vapaaehtoiset ja seniorineuvoja ovat paikalla.",
            "Paikalle tulee myös ihmisiä, jotka eivät ole minkään palvelun asiakkaita.",
            "Seniorineuvoja on saanut ohjattua useita kävijöitä tarvitsemiensa palvelujen piiriin.",
            "?Kävijät kertovat odottavansa tapaamista koko viikon.",
        ),
        client_groups=("older_people",),
        support_needs=(4,),
        sectors=("ngo", "municipality_other", "social_care"),
        proposal="Kohtaamispaikalle turvataan jatkorahoitus, ja mallia tarjotaan muillekin "
        "kunnille.",
        level="municipality",
    ),
    # Intergenerational disadvantage
    _fi(
        "fi-intergenerational",
        PROBLEM,
        "child_protection",
        "intergenerational",
        titles=(
            "Lastensuojelun asiakkuus siirtyy sukupolvelta toiselle",
            "Jälkihuollosta vanhemmuuteen ilman tukea",
        ),
        sentences=(
            "Lastensuojelussa tapaamme {kausi} yhä useammin vanhempia, jotka ovat itse olleet "
            "lastensuojelun asiakkaina lapsuudessaan.",
            "Vanhemmilla on kokemuksia sijoituksista ja katkenneista ihmissuhteista, ja "
            "luottamus viranomaisiin on heikko.",
            "Tuki tulee usein vasta, kun tilanne on jo kriisiytynyt.",
            "?Jälkihuollon päätyttyä nuoret aikuiset jäävät ilman tukea juuri siinä vaiheessa, "
            "kun heistä tulee vanhempia.",
        ),
        client_groups=("families", "children", "youth"),
        support_needs=(4, 7),
        sectors=("social_care",),
        recurrence=("recurring",),
        causes="Ylisukupolvinen huono-osaisuus: köyhyys, puuttuvat tukiverkot ja vanhempien "
        "omat lapsuuden kokemukset kasautuvat.",
        proposal="Jälkihuollossa olleille nuorille vanhemmille tarjotaan perhekeskuksessa oma "
        "tukipolku, ja jälkihuollon päättymisvaiheeseen lisätään siirtymätukea.",
        level="service_line",
    ),
    _fi(
        "fi-parents-school-fear",
        PROBLEM,
        "student_welfare",
        "intergenerational",
        titles=(
            "Vanhempien omat koulukokemukset näkyvät lasten koulunkäynnissä",
            "Koulun ja kodin yhteistyö katkeaa",
        ),
        sentences=(
            "Koulukuraattorin työssä näkyy, että vanhemmat, joilla on itsellään huonoja "
            "kokemuksia koulusta, välttelevät yhteydenpitoa kouluun.",
            "Tapaamisiin ei tulla eikä viesteihin vastata, mikä tulkitaan helposti "
            "välinpitämättömyydeksi.",
            "Kun vanhempia tavataan kotona tai neutraalissa paikassa, yhteistyö usein sujuu.",
            "?Lapset jäävät ilman tukea, jos koulun ja kodin välit katkeavat.",
        ),
        client_groups=("children", "families"),
        support_needs=(4, 7),
        sectors=("education", "social_care"),
        recurrence=("recurring",),
        proposal="Kouluille ohje yhteistyöstä vanhempien kanssa, joilla on kielteisiä "
        "koulukokemuksia, ja kuraattoreille mahdollisuus kotikäynteihin.",
        level="unit",
        roles=("school_social_worker",),
    ),
    # Parenting and families
    _fi(
        "fi-parent-exhaustion",
        PROBLEM,
        "family_services",
        "parenting_family",
        titles=(
            "Vanhempien uupuminen ja kotipalvelun puute",
            "Lapsiperheiden kotipalvelua ei saa ajoissa",
        ),
        sentences=(
            "Perheet hakevat {kausi} apua vanhempien uupumiseen, mutta lapsiperheiden "
            "kotipalvelua saa vain muutamaksi kerraksi ja pitkän odotuksen jälkeen.",
            "Erityisesti monikkoperheet ja perheet, joissa on pitkäaikaissairas lapsi, jäävät "
            "ilman käytännön apua.",
            "Uupuminen näkyy riitelynä, vetäytymisenä ja jaksamattomuutena arjen asioissa.",
            "?Osa perheistä päätyy lastensuojelun asiakkaiksi, vaikka varhainen kotipalvelu "
            "olisi riittänyt.",
        ),
        client_groups=("families", "children"),
        support_needs=(1, 7, 10),
        sectors=("social_care",),
        recurrence=("recurring", "increasing"),
        proposal="Lapsiperheiden kotipalvelun resursseja lisätään ja myöntämisen kriteerit "
        "yhtenäistetään koko alueella.",
        level="county",
    ),
    _fi(
        "fi-screen-time",
        WEAK,
        "family_services",
        "parenting_family",
        titles=(
            "Pienten lasten ruutuaika huolettaa",
            "Laitteet arjen rauhoittajina pikkulapsiperheissä",
        ),
        sentences=(
            "Neuvolan ja perheneuvolan yhteisissä tapaamisissa on {kausi} noussut esiin, että "
            "vanhemmat eivät tiedä, miten rajata pienten lasten ruutuaikaa.",
            "Vanhemmat kertovat käyttävänsä laitteita rauhoittamiseen, koska uupuneena muuta "
            "keinoa ei löydy.",
            "Varhaiskasvatuksessa ilmiö näkyy keskittymisvaikeuksina ja leikin köyhtymisenä.",
            "?Kyse on vielä yksittäisistä havainnoista, mutta niitä tulee eri työntekijöiltä.",
        ),
        client_groups=("children", "families"),
        support_needs=(7,),
        sectors=("education", "health_care", "social_care"),
        recurrence=("new", "increasing"),
        proposal="Neuvolaan ja varhaiskasvatukseen yhteinen materiaali ja vanhempainilta "
        "mediakasvatuksesta.",
        level="service_line",
    ),
    _fi(
        "fi-fathers-group",
        GOOD,
        "family_services",
        "parenting_family",
        titles=(
            "Isien vertaisryhmä perhekeskuksessa",
            "Iltaryhmä tavoitti isät, jotka eivät ole muualla mukana",
        ),
        sentences=(
            "Perhekeskuksessa käynnistettiin {kausi} isien vertaisryhmä, joka kokoontuu iltaisin "
            "lasten kanssa.",
            "Ryhmään on tullut myös isiä, jotka eivät ole aiemmin olleet mukana missään "
            "palvelussa.",
            "Keskusteluissa on käsitelty jaksamista, parisuhdetta ja kasvatusta.",
            "?Osa isistä on ryhmän kautta uskaltanut hakea apua myös omiin huoliinsa.",
        ),
        client_groups=("families",),
        support_needs=(4, 7, 10),
        sectors=("social_care", "ngo"),
        proposal="Isien ryhmä vakiinnutetaan perhekeskusten toimintaan yhdessä järjestöjen kanssa.",
        level="service_line",
    ),
    # Custody and divorce
    _fi(
        "fi-custody-long",
        PROBLEM,
        "family_services",
        "custody_disputes",
        titles=(
            "Pitkittyneet huoltoriidat kuormittavat lapsia",
            "Olosuhdeselvitysten jonot venyvät",
        ),
        sentences=(
            "Perheasioiden sovittelussa ja olosuhdeselvityksissä on {kausi} ollut useita "
            "perheitä, joiden riita lapsen huollosta ja tapaamisista on jatkunut vuosia.",
            "Lapset joutuvat kertomaan mielipiteensä monelle eri työntekijälle ja kokevat "
            "olevansa vastuussa vanhempien ratkaisuista.",
            "Tuomioistuinprosessit kestävät pitkään, ja sillä välin tapaamiset toteutuvat "
            "epäsäännöllisesti.",
            "?Olosuhdeselvitysten jonot ovat venyneet {kk} kuukauteen.",
        ),
        client_groups=("children", "families"),
        support_needs=(6, 7),
        sectors=("police_justice", "social_care"),
        recurrence=("recurring",),
        proposal="Lapsen kuulemisesta vastaa yksi työntekijä koko prosessin ajan, ja "
        "olosuhdeselvitysten jonoa puretaan lisäresurssilla.",
        level="service_line",
        numbers=(("kk", 4, 9),),
    ),
    _fi(
        "fi-supervised-meetings",
        PROBLEM,
        "family_services",
        "custody_disputes",
        titles=(
            "Valvottuja tapaamisia ei ole tarjolla riittävästi",
            "Pitkä matka valvottuihin tapaamisiin",
        ),
        sentences=(
            "Tuomioistuin määrää yhä useammin lapsen ja vanhemman tapaamiset valvotuiksi, mutta "
            "valvottuja tapaamisia järjestetään vain {keskuksessa} ja rajatusti.",
            "Pitkä matka ja jonot johtavat siihen, että tapaamisia toteutuu harvoin.",
            "Lapsen suhde etävanhempaan voi katketa kokonaan.",
            "?Järjestön ylläpitämä tapaamispaikka ei pysty vastaamaan kasvaneeseen kysyntään.",
        ),
        client_groups=("children", "families"),
        support_needs=(7,),
        sectors=("police_justice", "ngo", "social_care"),
        recurrence=("increasing",),
        proposal="Valvottuja tapaamisia lisätään alueellisesti, ja tapaamispaikkoja "
        "järjestetään myös kuntakeskuksiin.",
        level="county",
        where="rural",
    ),
    # Violence
    _fi(
        "fi-shelter-distance",
        PROBLEM,
        "adult_social_work",
        "violence",
        titles=(
            "Turvakotiin on pitkä matka",
            "Lähisuhdeväkivaltaa kokeneet jäävät kotiin etäisyyden vuoksi",
        ),
        sentences=(
            "Lähisuhdeväkivaltaa kokenut asiakas joutuu lähtemään turvakotiin {keskukseen}, mikä "
            "tarkoittaa irtautumista työstä, lasten koulusta ja tukiverkostosta.",
            "Moni jää siksi kotiin väkivallan keskelle.",
            "{kausi} tällaisia tilanteita on ollut useampia kuin aiemmin.",
            "?Kunnassa ei ole paikkaa, josta akuutissa tilanteessa saisi turvallisen majoituksen.",
        ),
        client_groups=("families", "working_age", "children"),
        support_needs=(5, 6),
        sectors=("social_care", "police_justice", "ngo"),
        recurrence=("recurring",),
        proposal="Kuntakeskuksiin perustetaan turva-asuntoja, ja kuljetus turvakotiin "
        "järjestetään viiveettä.",
        level="county",
        where="rural",
    ),
    _fi(
        "fi-youth-violence-videos",
        WEAK,
        "youth_services",
        "violence",
        titles=(
            "Nuorten väkivaltaa kuvataan ja levitetään somessa",
            "Väkivaltavideot nöyryyttävät uhria uudelleen",
        ),
        sentences=(
            "Nuorten palveluissa ja kouluilla on {kausi} havaittu, että nuorten välistä "
            "väkivaltaa kuvataan ja levitetään sosiaalisessa mediassa.",
            "Uhri joutuu kohtaamaan nöyryytyksen uudelleen aina, kun video kiertää.",
            "Nuoret eivät kerro tapahtuneesta aikuisille, koska pelkäävät kostoa.",
            "?Ilmiö näyttää lisääntyvän, vaikka yksittäisiä tapauksia on vielä vähän.",
        ),
        client_groups=("youth", "children"),
        support_needs=(5, 7),
        sectors=("police_justice", "education", "social_care"),
        recurrence=("new", "increasing"),
        proposal="Koulujen, poliisin ja nuorisotyön yhteinen toimintamalli videoiden "
        "poistamiseen ja uhrien tukemiseen.",
        level="county",
        where="urban",
    ),
    _fi(
        "fi-elder-abuse",
        PROBLEM,
        "elderly_services",
        "violence",
        titles=(
            "Ikääntyneiden taloudellinen kaltoinkohtelu läheisen taholta",
            "Iäkkään rahoja käytetään ilman lupaa",
        ),
        sentences=(
            "Ikääntyneiden sosiaalityöhön tulee {kausi} aiempaa enemmän huoli-ilmoituksia, "
            "joissa aikuinen lapsi käyttää iäkkään vanhempansa rahoja tai painostaa tätä.",
            "Iäkäs ei halua tehdä rikosilmoitusta omasta lapsestaan ja kieltäytyy usein avusta.",
            "Pankit ja edunvalvonta reagoivat hitaasti.",
            "?Tilanteiden selvittäminen vie paljon aikaa, eikä niihin ole selkeää toimintamallia.",
        ),
        client_groups=("older_people", "carers"),
        support_needs=(5, 8, 10),
        sectors=("police_justice", "legislation", "social_care"),
        recurrence=("increasing",),
        proposal="Iäkkäiden kaltoinkohteluun puuttumiseen laaditaan yhteinen toimintamalli "
        "pankkien, poliisin ja edunvalvonnan kanssa.",
        level="county",
    ),
    # Schooling
    _fi(
        "fi-school-absence",
        PROBLEM,
        "student_welfare",
        "schooling",
        titles=(
            "Koulupoissaolot pitkittyvät",
            "Pitkät poissaolot ja vaikea paluu luokkaan",
        ),
        sentences=(
            "Kuraattorin työssä on {kausi} ollut {n} oppilasta, joiden poissaolot ovat jatkuneet "
            "viikkoja.",
            "Taustalla on usein ahdistusta, kiusaamista tai vuorokausirytmin kääntymistä.",
            "Kun oppilas on ollut pitkään poissa, paluu luokkaan tuntuu ylivoimaiselta.",
            "?Erityisopetuksen ja terveydenhuollon tuki tulee usein liian myöhään.",
        ),
        client_groups=("children", "youth"),
        support_needs=(7, 8),
        sectors=("education", "health_care", "social_care"),
        recurrence=("increasing",),
        proposal="Poissaoloille sovitaan yhteinen raja, jonka ylittyessä oppilashuoltoryhmä "
        "kokoontuu heti, ja kouluihin lisätään joustavia opetusmuotoja.",
        level="municipality",
        numbers=(("n", 4, 12),),
        months=(1, 2, 3, 4, 5, 8, 9, 10, 11, 12),
        roles=("school_social_worker",),
    ),
    _fi(
        "fi-school-transition",
        PROBLEM,
        "student_welfare",
        "schooling",
        titles=(
            "Siirtymä toiselle asteelle katkaisee tuen",
            "Tieto tuen tarpeesta ei siirry toiselle asteelle",
        ),
        sentences=(
            "Perusopetuksessa saatu tuki ei siirry toiselle asteelle, koska tiedonsiirto jää "
            "sattumanvaraiseksi.",
            "Nuori aloittaa uudessa oppilaitoksessa ilman, että kukaan tietää hänen tarpeistaan.",
            "Syyslukukauden aikana osa keskeyttää opinnot jo ensimmäisinä viikkoina.",
            "?Tilanne koskee erityisesti nuoria, joilla on oppimisvaikeuksia tai huolia kotona.",
        ),
        client_groups=("youth",),
        support_needs=(7, 9),
        sectors=("education", "social_care"),
        recurrence=("recurring",),
        proposal="Kaikille tuen tarpeessa oleville nuorille järjestetään nivelvaiheessa "
        "siirtopalaveri nuoren ja huoltajan luvalla.",
        level="municipality",
        months=(9, 10, 11, 12),
        roles=("school_social_worker",),
    ),
    _fi(
        "fi-kurator-visits",
        GOOD,
        "student_welfare",
        "schooling",
        titles=(
            "Kuraattorin säännölliset luokkakäynnit",
            "Tuttu kuraattori madaltaa kynnystä",
        ),
        sentences=(
            "Koulussa kokeiltiin {kausi} mallia, jossa kuraattori kävi jokaisella luokalla "
            "säännöllisesti ja esittäytyi oppilaille.",
            "Kynnys tulla juttelemaan madaltui selvästi, ja yhteydenottoja tuli aiempaa "
            "varhaisemmassa vaiheessa.",
            "Oppilaiden mukaan tuttua aikuista on helpompi lähestyä.",
            "?Malli ei vaatinut lisäresursseja, vain aikataulujen uudelleenjärjestelyä.",
        ),
        client_groups=("children", "youth"),
        support_needs=(7,),
        sectors=("education",),
        proposal="Malli otetaan käyttöön kaikissa alueen kouluissa.",
        level="service_line",
        months=(1, 2, 3, 4, 5, 8, 9, 10, 11, 12),
        roles=("school_social_worker",),
    ),
    # Mental health and substances
    _fi(
        "fi-young-drugs",
        PROBLEM,
        "substance_mental_health",
        "mental_health_substances",
        titles=(
            "Nuorten huumeiden käyttö ja hoitoon pääsy",
            "Alaikäisten päihdehoitoon ei pääse ajoissa",
        ),
        sentences=(
            "{kausi} nuorten päihdetyöhön on ohjautunut aiempaa nuorempia, joilla on kokemusta "
            "useista eri huumausaineista.",
            "Aineita tilataan sovellusten kautta, ja hinnat ovat laskeneet.",
            "Nuorten päihdehoitoon pääsy kestää viikkoja, eikä katkaisuhoitopaikkoja alaikäisille "
            "ole riittävästi.",
            "?Vanhemmat ottavat yhteyttä hädissään, mutta heille ei ole tarjota omaa tukea.",
        ),
        client_groups=("youth", "families"),
        support_needs=(7, 8, 10),
        sectors=("health_care", "police_justice", "social_care"),
        recurrence=("increasing",),
        proposal="Alaikäisten päihdehoidon paikkoja lisätään, ja vanhemmille järjestetään "
        "vertaistukea yhdessä järjestöjen kanssa.",
        level="county",
    ),
    _fi(
        "fi-dual-diagnosis",
        PROBLEM,
        "substance_mental_health",
        "mental_health_substances",
        titles=(
            "Päihde- ja mielenterveysasiakkaat pompotellaan palvelusta toiseen",
            "Kaksoisdiagnoosiasiakkaat jäävät ilman hoitoa",
        ),
        sentences=(
            "Asiakkaita, joilla on sekä päihde- että mielenterveysongelma, ohjataan psykiatrialta "
            "päihdepalveluihin ja takaisin.",
            "Psykiatrinen hoito edellyttää päihteettömyyttä, ja päihdepalvelut mielenterveyden "
            "vakautta.",
            "Asiakas jää lopulta kokonaan ilman hoitoa.",
            "?Sosiaalityöntekijöiden arvio ei vaikuta hoitopaikan valintaan.",
        ),
        client_groups=("working_age",),
        support_needs=(8,),
        sectors=("health_care", "social_care"),
        recurrence=("recurring",),
        proposal="Mielenterveys- ja päihdepalvelut toteutetaan saman tiimin vastuulla, ja "
        "hoitoon pääsyn kriteerit yhtenäistetään.",
        level="county",
    ),
    _fi(
        "fi-gambling",
        WEAK,
        "adult_social_work",
        "mental_health_substances",
        titles=(
            "Rahapelaaminen näkyy velkaantumisena",
            "Verkkopelaamisen velat paljastuvat talousselvittelyssä",
        ),
        sentences=(
            "Talousasioiden selvittelyssä on {kausi} paljastunut useita asiakkaita, joiden "
            "velkojen taustalla on verkossa pelaaminen.",
            "Pelaaminen tapahtuu usein ulkomaisilla sivustoilla, joilla ei ole rajoituksia.",
            "Asiakkaat eivät itse tunnista pelaamista ongelmaksi, ennen kuin velat ovat "
            "kasvaneet suuriksi.",
            "?Peliongelmiin erikoistunutta apua on alueella niukasti.",
        ),
        client_groups=("working_age", "youth"),
        support_needs=(3, 8),
        sectors=("health_care", "legislation", "social_care"),
        recurrence=("new", "increasing"),
        proposal="Rahapelihaittojen tunnistaminen lisätään talousneuvonnan ja sosiaalityön "
        "kysymyksiin, ja hoitoon ohjaus selkeytetään.",
        level="service_line",
    ),
    _fi(
        "fi-low-threshold-mh",
        GOOD,
        "substance_mental_health",
        "mental_health_substances",
        titles=(
            "Matalan kynnyksen mielenterveyspiste",
            "Apua ilman lähetettä samana päivänä",
        ),
        sentences=(
            "{kunnassa} avattu matalan kynnyksen mielenterveyspiste on {kausi} tavoittanut "
            "ihmisiä, jotka eivät ole aiemmin hakeneet apua.",
            "Pisteeseen voi tulla ilman lähetettä, ja ensimmäinen keskustelu käydään yleensä "
            "samana päivänä.",
            "Moni on saanut avun muutamalla käynnillä, eikä pidempää hoitoa ole tarvittu.",
            "?Työntekijöiden arvion mukaan päivystyskäyntejä on tullut vähemmän.",
        ),
        client_groups=("working_age", "youth"),
        support_needs=(8,),
        sectors=("health_care", "social_care"),
        proposal="Matalan kynnyksen piste vakinaistetaan, ja vastaava toiminta järjestetään "
        "muihinkin kuntiin.",
        level="county",
    ),
    # Employment
    _fi(
        "fi-employment-reform",
        PROBLEM,
        "adult_social_work",
        "employment",
        titles=(
            "Työllisyyspalvelujen uudistus näkyy asiakkaissa",
            "Karenssit siirtävät asiakkaita toimeentulotuelle",
        ),
        sentences=(
            "Työllisyyspalvelujen uudistuksen jälkeen asiakkaat eivät tiedä, kuka heidän "
            "asiaansa hoitaa.",
            "Työnhakuvelvoitteiden laiminlyönnistä seuranneet karenssit siirtävät asiakkaita "
            "toimeentulotuelle.",
            "Pitkään työttömänä olleille ei ole riittävästi kuntouttavaa työtoimintaa tai "
            "palkkatukipaikkoja.",
            "?Yhteistyö työllisyyspalvelujen kanssa hakee vielä muotoaan.",
        ),
        client_groups=("working_age",),
        support_needs=(3, 4),
        sectors=("employment", "kela", "social_care"),
        recurrence=("recurring",),
        proposal="Työllisyysalueen ja hyvinvointialueen yhteistyöstä sovitaan kirjallisesti, "
        "ja karenssin uhatessa asiakas ohjataan heti sosiaaliohjaukseen.",
        level="municipality",
    ),
    _fi(
        "fi-rehab-work",
        PROBLEM,
        "adult_social_work",
        "employment",
        titles=(
            "Kuntouttavan työtoiminnan paikkoja on liian vähän",
            "Pitkäaikaistyöttömät odottavat kuntouttavaa työtoimintaa {kunnassa}",
        ),
        sentences=(
            "{kunnassa} kuntouttavan työtoiminnan paikkoja on {kausi} ollut tarjolla vain "
            "muutama, ja niihin on jonoa.",
            "Pitkäaikaistyöttömät asiakkaat odottavat kuukausia ilman mitään toimintaa.",
            "Toiminta on keskittynyt kuntakeskukseen, jonne matka ilman autoa on hankala.",
            "?Odottaminen heikentää motivaatiota, eikä paikka kiinnosta enää, kun se vihdoin "
            "vapautuu.",
        ),
        client_groups=("working_age",),
        support_needs=(4, 9),
        sectors=("employment", "municipality_other", "social_care"),
        recurrence=("recurring",),
        proposal="Kuntouttavaa työtoimintaa järjestetään myös järjestöjen ja yritysten kanssa, "
        "ja matkakuluille sovitaan selkeä korvauskäytäntö.",
        level="municipality",
        where="rural",
    ),
    _fi(
        "fi-ips-coaching",
        GOOD,
        "substance_mental_health",
        "employment",
        titles=(
            "Yksilöllinen työhönvalmennus mielenterveyskuntoutujille",
            "Työhönvalmentaja tukee myös työpaikalla",
        ),
        sentences=(
            "Mielenterveyskuntoutujille on {kausi} tarjottu yksilöllistä työhönvalmennusta, "
            "jossa valmentaja etsii työpaikan yhdessä asiakkaan kanssa ja tukee myös "
            "työpaikalla.",
            "Jo {n} asiakasta on saanut palkkatyötä tai työkokeilupaikan.",
            "Asiakkaiden mukaan säännöllinen työ on parantanut arjen rytmiä ja itsetuntoa.",
            "?Yhteistyö työllisyyspalvelujen kanssa on sujunut hyvin.",
        ),
        client_groups=("working_age", "disabled"),
        support_needs=(4, 8, 9),
        sectors=("employment", "health_care"),
        proposal="Yksilöllinen työhönvalmennus vakinaistetaan osaksi mielenterveyspalveluja.",
        level="county",
        numbers=(("n", 3, 9),),
    ),
    # Immigrants and language groups
    _fi(
        "fi-interpreting",
        PROBLEM,
        "immigrant_services",
        "immigrants_language",
        titles=(
            "Tulkkausta ei saada ajoissa",
            "Lapsia käytetään tulkkeina kiireellisissä tilanteissa",
        ),
        sentences=(
            "Tulkkia on {kausi} ollut vaikea saada etenkin harvinaisempiin kieliin.",
            "Asiakastapaamisia siirretään, ja kiireellisissä tilanteissa tulkkina toimii "
            "asiakkaan oma lapsi tai tuttava.",
            "Tämä vaarantaa asiakkaan oikeusturvan ja asettaa lapsen kohtuuttomaan asemaan.",
            "?Etätulkkaus toimii osin, mutta yhteydet ja laitteet eivät aina riitä.",
        ),
        client_groups=("immigrants", "language_minorities", "children"),
        support_needs=(1, 4),
        sectors=("social_care", "health_care"),
        recurrence=("recurring",),
        proposal="Tulkkauspalvelujen hankintaan lisätään saatavuusvaatimukset, ja lasten "
        "käyttö tulkkeina kielletään ohjeella.",
        level="county",
        where="urban",
    ),
    _fi(
        "fi-immigrant-mothers",
        PROBLEM,
        "immigrant_services",
        "immigrants_language",
        titles=(
            "Kotona lasten kanssa olevien äitien kotoutuminen jää kesken",
            "Kotoutumiskoulutukseen ei pääse ilman lastenhoitoa",
        ),
        sentences=(
            "Pienten lasten kanssa kotona olevat maahanmuuttajaäidit jäävät "
            "kotoutumiskoulutuksen ulkopuolelle, koska lastenhoitoa ei ole järjestetty.",
            "Kielitaito ei kehity, ja äidit ovat asioinnissa riippuvaisia perheenjäsenistä.",
            "Kun lapset menevät kouluun, äidit eivät pysty seuraamaan heidän koulunkäyntiään.",
            "?{kausi} perhetyössä on tavattu useita tällaisia perheitä.",
        ),
        client_groups=("immigrants", "families"),
        support_needs=(4, 7),
        sectors=("employment", "education", "social_care"),
        recurrence=("recurring",),
        proposal="Kotoutumiskoulutukseen järjestetään lastenhoito, ja perhekeskuksiin "
        "perustetaan suomen kielen ryhmiä vanhemmille.",
        level="municipality",
    ),
    _fi(
        "fi-multilingual-desk",
        GOOD,
        "immigrant_services",
        "immigrants_language",
        titles=(
            "Monikielinen neuvonta kirjastossa",
            "Neuvontapiste auttaa asioinnissa omalla kielellä",
        ),
        sentences=(
            "Kirjaston monikielinen neuvontapiste on {kausi} auttanut maahanmuuttajia Kelan, "
            "verottajan ja hyvinvointialueen asioinnissa.",
            "Neuvojat puhuvat useita kieliä ja tuntevat palvelujärjestelmän.",
            "Sosiaalityöhön tulevat asiakkaat ovat valmistautuneempia, ja tarvittavat asiakirjat "
            "ovat mukana.",
            "?Väärinkäsityksiä ja turhia käyntejä on ollut vähemmän.",
        ),
        client_groups=("immigrants", "language_minorities"),
        support_needs=(4,),
        sectors=("municipality_other", "kela", "ngo"),
        proposal="Neuvontapisteen rahoitus turvataan yhdessä kunnan kanssa, ja mallia "
        "laajennetaan.",
        level="municipality",
        where="urban",
    ),
    _fi(
        "fi-seasonal-workers",
        WEAK,
        "immigrant_services",
        "immigrants_language",
        titles=(
            "Kausityöntekijöiden hätätilanteet",
            "Palkattomia kausityöntekijöitä sosiaalipäivystyksessä",
        ),
        sentences=(
            "{kausi} sosiaalipäivystykseen on otettu yhteyttä kausityöntekijöiden puolesta, "
            "joiden palkkoja on jäänyt maksamatta ja majoitus on puutteellinen.",
            "Työntekijät eivät tunne oikeuksiaan eivätkä puhu suomea tai englantia.",
            "Heillä ei ole kotikuntaa, joten sosiaalihuollon palvelut rajautuvat kiireelliseen "
            "apuun.",
            "?Tilanteita on vielä vähän, mutta ne ovat vakavia.",
        ),
        client_groups=("immigrants", "working_age"),
        support_needs=(3, 5, 6),
        sectors=("police_justice", "employment", "social_care"),
        recurrence=("new",),
        proposal="Työsuojeluviranomaisen, poliisin ja sosiaalipäivystyksen yhteinen "
        "toimintamalli työperäisen hyväksikäytön tilanteisiin.",
        level="national",
        where="rural",
        months=(5, 6, 7, 8, 9, 10),
    ),
    # Older people
    _fi(
        "fi-home-care-visits",
        PROBLEM,
        "elderly_services",
        "older_people",
        titles=(
            "Kotihoidon käynnit ovat liian lyhyitä",
            "Vaihtuvat työntekijät hämmentävät muistisairaita",
        ),
        sentences=(
            "Kotihoidon asiakkaat ja omaiset kertovat, että käynnit ovat {kausi} lyhentyneet ja "
            "työntekijät vaihtuvat jatkuvasti.",
            "Lääkkeet annetaan, mutta aikaa keskusteluun tai ulkoiluun ei ole.",
            "Muistisairaat asiakkaat hämmentyvät vaihtuvista työntekijöistä.",
            "?Omaiset joutuvat paikkaamaan puutteita ja uupuvat.",
        ),
        client_groups=("older_people", "carers"),
        support_needs=(1, 8, 10),
        sectors=("social_care", "health_care"),
        recurrence=("recurring", "increasing"),
        proposal="Kotihoidon henkilöstömitoitus tarkistetaan, ja asiakkaille nimetään omahoitaja.",
        level="county",
    ),
    _fi(
        "fi-carer-leave",
        PROBLEM,
        "elderly_services",
        "older_people",
        titles=(
            "Omaishoitajat eivät pääse vapaille",
            "Lyhytaikaishoitoa ei ole tarjolla läheltä",
        ),
        sentences=(
            "Omaishoitajat kertovat, etteivät käytä lakisääteisiä vapaitaan, koska "
            "hoidettavalle ei löydy sopivaa lyhytaikaishoitopaikkaa läheltä.",
            "Tarjottu paikka voi olla kymmenien kilometrien päässä, ja hoidettava ahdistuu "
            "vieraasta ympäristöstä.",
            "{kausi} usea omaishoitaja on uupunut niin, että hoitosuhde on ollut vaarassa päättyä.",
            "?Kotiin annettavaa sijaishoitoa on saatavilla vain vähän.",
        ),
        client_groups=("carers", "older_people", "disabled"),
        support_needs=(8, 10),
        sectors=("social_care",),
        recurrence=("recurring",),
        proposal="Omaishoidon vapaisiin lisätään kotiin annettavaa sijaishoitoa ja lähellä "
        "olevia lyhytaikaishoitopaikkoja.",
        level="county",
    ),
    _fi(
        "fi-preventive-visits",
        GOOD,
        "elderly_services",
        "older_people",
        titles=(
            "Hyvinvointia edistävät kotikäynnit",
            "Seniorineuvonnan kotikäynnit löytävät hakemattomat etuudet",
        ),
        sentences=(
            "Seniorineuvonta on {kausi} tehnyt hyvinvointia edistäviä kotikäyntejä 75 vuotta "
            "täyttäneille.",
            "Käynneillä on löytynyt asumisen esteitä, yksinäisyyttä ja etuuksia, joita ei ole "
            "haettu.",
            "Moni on saanut esimerkiksi eläkkeensaajan asumistuen tai apuvälineen.",
            "?Käynneistä on tullut kiitosta sekä asukkailta että omaisilta.",
        ),
        client_groups=("older_people",),
        support_needs=(1, 3, 4),
        sectors=("social_care", "kela"),
        proposal="Kotikäynnit laajennetaan kaikkiin kuntiin ja kohdennetaan erityisesti yksin "
        "asuviin.",
        level="county",
    ),
    _fi(
        "fi-phone-scams",
        WEAK,
        "elderly_services",
        "older_people",
        titles=(
            "Puhelin- ja verkkohuijaukset iäkkäillä",
            "Huijaukset muuttuvat uskottavammiksi",
        ),
        sentences=(
            "Ikääntyneiden asiakkaiden kanssa on {kausi} tullut esiin huijauksia, joissa soittaja "
            "esittäytyy pankin tai viranomaisen edustajaksi.",
            "Osa on menettänyt säästönsä, ja häpeä estää kertomasta asiasta.",
            "Huijaukset ovat muuttuneet uskottavammiksi, ja soittaja tietää usein asiakkaan "
            "taustatietoja.",
            "?Kotihoidon työntekijät ovat alkaneet kysyä asiasta asiakkailta.",
        ),
        client_groups=("older_people",),
        support_needs=(3, 5),
        sectors=("police_justice", "social_care"),
        recurrence=("new", "increasing"),
        proposal="Kotihoidolle ja seniorineuvonnalle materiaali huijausten tunnistamisesta ja "
        "ohje rikosilmoituksen tekemiseen.",
        level="service_line",
    ),
    # Digital services
    _fi(
        "fi-digital-older",
        PROBLEM,
        "elderly_services",
        "digital_exclusion",
        titles=(
            "Digitaalinen asiointi sulkee ikääntyneitä palvelujen ulkopuolelle",
            "Ilman pankkitunnuksia ei pääse asioimaan",
        ),
        sentences=(
            "Yhä useampi palvelu edellyttää verkkopankkitunnuksia ja älypuhelinta.",
            "Ikääntyneet asiakkaat, joilla niitä ei ole, pyytävät apua läheisiltä tai jättävät "
            "asian hoitamatta.",
            "Osa on antanut tunnuksensa toisen käyttöön, mikä altistaa taloudelliselle "
            "hyväksikäytölle.",
            "?{kausi} asiointiapua on kysytty sosiaaliohjauksesta aiempaa useammin.",
        ),
        client_groups=("older_people",),
        support_needs=(1, 4),
        sectors=("kela", "municipality_other", "social_care"),
        recurrence=("increasing",),
        proposal="Jokaiseen kuntaan henkilökohtaista asiointiapua ja mahdollisuus asioida "
        "ilman vahvaa sähköistä tunnistautumista.",
        level="national",
    ),
    _fi(
        "fi-paper-forms",
        PROBLEM,
        "adult_social_work",
        "digital_exclusion",
        titles=(
            "Paperihakemusten poistaminen vaikeuttaa asiointia",
            "Sähköiset lomakkeet jäävät puutteellisiksi",
        ),
        sentences=(
            "Lomakkeiden siirtyminen pelkästään sähköisiksi on {kausi} hankaloittanut asiointia "
            "niillä, joilla ei ole tietokonetta tai tulostinta.",
            "Liitteiden kuvaaminen puhelimella ei onnistu kaikilta.",
            "Hakemuksia jää puutteellisiksi, ja käsittely pitkittyy.",
            "?Sosiaaliohjaajien aika kuluu lomakkeiden täyttämiseen asiakkaan puolesta.",
        ),
        client_groups=("working_age", "older_people", "immigrants"),
        support_needs=(1, 3),
        sectors=("social_care", "kela"),
        recurrence=("recurring",),
        proposal="Paperiset lomakkeet säilytetään vaihtoehtona, ja palvelupisteisiin "
        "järjestetään asiointiapua.",
        level="county",
    ),
    _fi(
        "fi-digital-support",
        GOOD,
        "elderly_services",
        "digital_exclusion",
        titles=(
            "Digitukiverkosto kirjastoissa ja kylätaloilla",
            "Vapaaehtoiset digitukihenkilöt auttavat asioinnissa",
        ),
        sentences=(
            "Kunnan, järjestöjen ja hyvinvointialueen yhteinen digitukiverkosto on {kausi} "
            "tarjonnut asiointiapua kirjastoissa ja kylätaloilla.",
            "Vapaaehtoiset opastavat esimerkiksi Omakannan ja Kelan verkkoasioinnin käytössä.",
            "Asiakkaat saavat apua tutussa paikassa ilman ajanvarausta.",
            "?Sosiaaliohjaukseen tulee nyt vähemmän pelkkiä asiointiapupyyntöjä.",
        ),
        client_groups=("older_people", "immigrants"),
        support_needs=(1, 4),
        sectors=("ngo", "municipality_other"),
        proposal="Digitukiverkoston koordinointi vakinaistetaan hyvinvointialueen ja kuntien "
        "yhteistyönä.",
        level="municipality",
    ),
    # Transport and distances
    _fi(
        "fi-long-distances",
        PROBLEM,
        "adult_social_work",
        "transport_distance",
        titles=(
            "Pitkät matkat palveluihin ilman omaa autoa",
            "Käyntejä jää väliin matkakulujen vuoksi",
        ),
        sentences=(
            "{kunnassa} asuvalla asiakkaalla voi olla matkaa {keskukseen} jopa {km} kilometriä, "
            "eikä julkinen liikenne kulje sopivaan aikaan.",
            "Taksimatkojen omavastuut ovat pienituloiselle liian suuret, jos käyntejä on useita "
            "kuukaudessa.",
            "Asiakkaat peruvat käyntejä tai jättävät ne kokonaan väliin.",
            "?Etäasiointi ei sovi kaikkiin tilanteisiin.",
        ),
        client_groups=("working_age", "older_people"),
        support_needs=(1, 4, 9),
        sectors=("health_care", "municipality_other", "kela"),
        recurrence=("recurring",),
        proposal="Palveluja viedään liikkuvina palveluina kuntiin, ja matkakustannusten "
        "korvauskäytännöt selkeytetään.",
        level="county",
        where="rural",
    ),
    _fi(
        "fi-youth-transport",
        PROBLEM,
        "youth_services",
        "transport_distance",
        titles=(
            "Nuoret eivät pääse harrastuksiin ilman kyytiä",
            "Iltaisin ei kulje mitään",
        ),
        sentences=(
            "Maaseudulla asuvat nuoret eivät pääse harrastuksiin tai nuorisotiloille iltaisin, "
            "koska koulukyydit kulkevat vain päivällä.",
            "Vanhemmilla ei aina ole autoa tai mahdollisuutta kuljettaa.",
            "Nuoret viettävät illat kotona ruudun ääressä ja kokevat jäävänsä ulkopuolisiksi.",
            "?{kausi} asia on noussut esiin monissa nuorten kanssa käydyissä keskusteluissa.",
        ),
        client_groups=("youth", "children"),
        support_needs=(4, 7),
        sectors=("municipality_other", "education"),
        recurrence=("recurring",),
        proposal="Iltaisin kulkeva kutsuliikenne tai kimppakyytijärjestely nuorille yhdessä "
        "kunnan kanssa.",
        level="municipality",
        where="rural",
    ),
    _fi(
        "fi-service-bus",
        GOOD,
        "adult_social_work",
        "transport_distance",
        titles=(
            "Liikkuva palvelupiste kylillä",
            "Palvelubussi tavoittaa syrjäkylien asukkaat",
        ),
        sentences=(
            "Palvelubussi on {kausi} kiertänyt kylillä kerran viikossa, ja mukana on ollut "
            "sosiaaliohjaaja ja terveydenhoitaja.",
            "Asukkaat ovat voineet hoitaa asioitaan ilman pitkää matkaa {keskukseen}.",
            "Samalla on tavoitettu ihmisiä, jotka eivät ole olleet minkään palvelun piirissä.",
            "?Palvelubussiin on toivottu myös Kelan ja kunnan palveluja.",
        ),
        client_groups=("older_people", "working_age"),
        support_needs=(1, 4),
        sectors=("social_care", "health_care", "kela"),
        proposal="Palvelubussi vakinaistetaan ja sen reittejä laajennetaan kaikkiin kuntiin.",
        level="county",
        where="rural",
    ),
    _fi(
        "fi-archipelago-ferry",
        PROBLEM,
        "elderly_services",
        "transport_distance",
        titles=(
            "Saariston yhteysalusaikataulut rajoittavat kotihoitoa",
            "Lautta-aikataulut määräävät kotihoidon käynnit saaristossa",
        ),
        sentences=(
            "Saaristossa asuvien ikääntyneiden kotihoito on riippuvainen lautta- ja "
            "yhteysalusaikatauluista.",
            "Myrskyjen ja jäiden aikaan käyntejä jää väliin, eikä kiireellistä apua saada "
            "nopeasti.",
            "Omaiset asuvat usein mantereella ja järjestävät hoitoa etänä.",
            "?{kausi} kotihoidon työntekijät ovat joutuneet odottamaan yhteyksiä tuntikausia.",
        ),
        client_groups=("older_people", "carers"),
        support_needs=(1, 6, 8),
        sectors=("social_care", "health_care", "municipality_other"),
        recurrence=("recurring",),
        proposal="Saariston kotihoidolle omat resurssit saarille ja yhteistyö ensivasteen kanssa.",
        level="county",
        where="archipelago",
        org="varha",
    ),
    _fi(
        "fi-village-services",
        PROBLEM,
        "elderly_services",
        "transport_distance",
        titles=(
            "Kylien palvelut katoavat",
            "Syrjäkylillä asiointi jää kotihoidon varaan",
        ),
        sentences=(
            "Kunnan syrjäkylillä viimeinen kauppa ja apteekin palvelupiste ovat sulkeneet.",
            "Ikääntyneet asukkaat ovat riippuvaisia naapureiden ja omaisten kyydeistä.",
            "Kauppa-auto kulkee harvoin, ja lääkkeiden saaminen kotiin on vaikeaa.",
            "?{kausi} kotihoito on joutunut hoitamaan yhä enemmän asiointeja asukkaiden puolesta.",
        ),
        client_groups=("older_people",),
        support_needs=(1, 4),
        sectors=("municipality_other", "social_care", "health_care"),
        recurrence=("increasing",),
        proposal="Kuntien kanssa selvitetään kyläkohtaiset asiointipalvelut, kuten "
        "apteekkikuljetukset ja yhteiskuljetukset.",
        level="municipality",
        where="rural",
        org="kainuu",
    ),
    # Child protection and further
    _fi(
        "fi-staff-turnover",
        PROBLEM,
        "child_protection",
        "service_access",
        titles=(
            "Sosiaalityöntekijöiden vaihtuvuus lastensuojelussa",
            "Lapsilla on kolmas työntekijä vuoden sisällä",
        ),
        sentences=(
            "Lastensuojelun sosiaalityöntekijät ovat vaihtuneet {kausi} niin usein, että osalla "
            "lapsista on ollut kolmas työntekijä vuoden sisällä.",
            "Lapset ja vanhemmat joutuvat kertomaan asiansa aina uudelleen, ja luottamus kärsii.",
            "Sijaisia ei saada, ja avoimia tehtäviä on useita.",
            "?Jäljelle jääneiden työkuorma kasvaa, mikä lisää vaihtuvuutta entisestään.",
        ),
        client_groups=("children", "families"),
        support_needs=(7,),
        sectors=("social_care",),
        recurrence=("recurring",),
        proposal="Lastensuojelun työoloja parannetaan asiakasmäärien enimmäisrajalla, "
        "perehdytyksellä ja palkkauksella.",
        level="county",
    ),
    _fi(
        "fi-placement-shortage",
        PROBLEM,
        "child_protection",
        "service_access",
        titles=(
            "Sijaisperheitä ei löydy läheltä",
            "Lapsia sijoitetaan kauas omasta kotikunnasta",
        ),
        sentences=(
            "Lastensuojelussa on {kausi} ollut tilanteita, joissa lapselle ei löydy "
            "sijaisperhettä omalta alueelta.",
            "Lapsi joutuu vaihtamaan koulua ja menettää kaverinsa sijoituksen alkaessa.",
            "Yhteydenpito vanhempiin ja sisaruksiin vaikeutuu pitkien matkojen vuoksi.",
            "?Perhehoitajien rekrytointiin ei ole ollut riittävästi resursseja.",
        ),
        client_groups=("children",),
        support_needs=(7, 6),
        sectors=("social_care", "education"),
        recurrence=("recurring", "increasing"),
        proposal="Perhehoitajien rekrytointia ja valmennusta lisätään, ja perhehoidon "
        "palkkioita tarkistetaan.",
        level="county",
    ),
    _fi(
        "fi-young-carers",
        WEAK,
        "student_welfare",
        "parenting_family",
        titles=(
            "Nuoret omaishoitajina",
            "Kotona sairasta vanhempaa hoitavat nuoret jäävät näkymättömiin",
        ),
        sentences=(
            "Kuraattorin vastaanotolla on {kausi} ollut nuoria, jotka hoitavat kotona sairasta "
            "tai päihteitä käyttävää vanhempaa.",
            "Vastuu näkyy väsymyksenä, poissaoloina ja tekemättöminä koulutehtävinä.",
            "Nuoret eivät itse tunnista olevansa omaishoitajia, eikä palvelujärjestelmä ole "
            "huomannut heitä.",
            "?Ilmiötä ei ole aiemmin tunnistettu kouluissamme.",
        ),
        client_groups=("youth", "children", "carers"),
        support_needs=(7, 10),
        sectors=("education", "social_care", "health_care"),
        recurrence=("new",),
        proposal="Nuorten omaishoitajien tunnistaminen lisätään oppilashuollon ja aikuisten "
        "palvelujen kysymyksiin.",
        level="service_line",
        roles=("school_social_worker",),
    ),
    _fi(
        "fi-children-money-worries",
        WEAK,
        "family_services",
        "poverty_income",
        titles=(
            "Lapset huolehtivat perheen rahatilanteesta",
            "Alakouluikäiset kantavat huolta laskuista",
        ),
        sentences=(
            "Perhetyössä on {kausi} huomattu, että alakouluikäiset lapset puhuvat aiempaa "
            "enemmän perheen rahahuolista.",
            "Lapset kieltäytyvät retkistä ja syntymäpäiväkutsuista, jotta vanhemmille ei tulisi "
            "menoja.",
            "Osa lapsista kantaa huolta sähkölaskusta tai vuokrasta.",
            "?Havaintoja on useammalta työntekijältä, mutta ilmiö ei vielä näy tilastoissa.",
        ),
        client_groups=("children", "families"),
        support_needs=(3, 7),
        sectors=("social_care", "education"),
        recurrence=("new", "increasing"),
        proposal="Lasten kokemaa köyhyyttä seurataan kouluterveyskyselyn ja perhetyön "
        "havaintojen avulla, ja kouluissa vältetään maksullisia retkiä.",
        level="municipality",
    ),
    _fi(
        "fi-transport-decision",
        PROBLEM,
        "disability_services",
        "service_access",
        titles=(
            "Kuljetuspalvelupäätös ei huomioinut asiakkaan tilannetta",
            "Kielteinen kuljetuspalvelupäätös ilman asiakkaan kuulemista",
        ),
        sentences=(
            "Yksittäisessä asiakastilanteessa kuljetuspalveluhakemus hylättiin, vaikka asiakas "
            "ei pysty käyttämään julkista liikennettä.",
            "Päätöksen perustelut olivat yleisluontoisia, eikä asiakkaan omaa kuvausta "
            "liikkumisesta ollut otettu huomioon.",
            "Oikaisuvaatimuksen jälkeen päätös muuttui, mutta asiakas oli ollut kuukausia ilman "
            "palvelua.",
            "Raportoin tapauksesta, koska se kertoo arviointikäytännön ongelmasta.",
        ),
        client_groups=("disabled",),
        support_needs=(1, 9),
        sectors=("social_care",),
        recurrence=("single",),
        proposal="Kuljetuspalvelun arviointiin lisätään asiakkaan haastattelu ennen kielteistä "
        "päätöstä.",
        level="unit",
    ),
    _fi(
        "fi-crisis-night",
        PROBLEM,
        "adult_social_work",
        "service_access",
        titles=(
            "Sosiaalipäivystys ruuhkautuu öisin",
            "Yöllinen sosiaalipäivystys ei ehdi paikalle",
        ),
        sentences=(
            "Sosiaalipäivystykseen on {kausi} tullut öisin niin paljon tehtäviä, että "
            "kiireettömämpiin tilanteisiin ei ehditä lainkaan.",
            "Poliisi joutuu odottamaan sosiaalipäivystäjää tuntikausia esimerkiksi tilanteissa, "
            "joissa lapsi jää ilman huoltajaa.",
            "Päivystäjiä on yöllä yksi koko alueella, ja välimatkat ovat pitkiä.",
            "?Työntekijät kokevat, että turvallisuus ei toteudu.",
        ),
        client_groups=("children", "families", "working_age"),
        support_needs=(6, 5),
        sectors=("social_care", "police_justice"),
        recurrence=("recurring", "increasing"),
        proposal="Yöpäivystykseen lisätään toinen työntekijä ja yhteistyöstä poliisin kanssa "
        "sovitaan kirjallisesti.",
        level="county",
    ),
    _fi(
        "fi-disability-housing",
        PROBLEM,
        "disability_services",
        "housing_costs",
        titles=(
            "Vammaisten nuorten asumispalveluja ei ole lähellä",
            "Nuoret kehitysvammaiset asuvat pitkään lapsuudenkodissa",
        ),
        sentences=(
            "Kehitysvammaiset nuoret aikuiset asuvat {kausi} yhä pidempään lapsuudenkodissaan, "
            "koska omaa kotikuntaa lähellä olevia asumispalveluja ei ole.",
            "Ikääntyvät vanhemmat hoitavat aikuista lastaan voimiensa äärirajoilla.",
            "Tarjotut paikat ovat toisella paikkakunnalla, jolloin nuori menettäisi työtoiminnan "
            "ja ystävänsä.",
            "?Muutto tapahtuu usein vasta kriisissä, kun vanhempi sairastuu.",
        ),
        client_groups=("disabled", "carers"),
        support_needs=(2, 9, 10),
        sectors=("social_care", "housing"),
        recurrence=("recurring",),
        proposal="Asumispalvelujen suunnittelussa varataan paikkoja lähelle nuorten "
        "kotikuntaa, ja muutto valmistellaan ennakoiden.",
        level="county",
    ),
    _fi(
        "fi-personal-assistants",
        GOOD,
        "disability_services",
        "service_coordination",
        titles=(
            "Henkilökohtaisten avustajien varahenkilöpooli",
            "Sijaisavustajat saatiin nopeasti",
        ),
        sentences=(
            "Vammaispalveluissa otettiin {kausi} käyttöön henkilökohtaisten avustajien "
            "varahenkilöpooli.",
            "Kun oma avustaja sairastuu, sijainen saadaan yleensä saman päivän aikana.",
            "Asiakkaiden ei tarvitse enää perua töitä, opiskelua tai harrastuksia avustajan "
            "poissaolon vuoksi.",
            "?Myös avustajat kokevat työn jatkuvuuden parantuneen.",
        ),
        client_groups=("disabled",),
        support_needs=(9, 1),
        sectors=("social_care",),
        proposal="Varahenkilöpooli vakinaistetaan ja ulotetaan koko hyvinvointialueelle.",
        level="service_line",
    ),
    _fi(
        "fi-immigrant-youth-school",
        PROBLEM,
        "immigrant_services",
        "schooling",
        titles=(
            "Myöhään maahan tulleet nuoret putoavat koulutuksesta",
            "Oppivelvollisuuden jälkeen ei ole sopivaa koulutusta",
        ),
        sentences=(
            "Maahan vasta teini-iässä tulleet nuoret eivät ehdi oppia kieltä riittävästi ennen "
            "toisen asteen opintoja.",
            "Valmentavaan koulutukseen on {kausi} ollut jonoa, eikä sopivaa paikkaa löydy "
            "kaikille.",
            "Nuoret jäävät kotiin tai menevät pimeisiin töihin.",
            "?Perheet eivät tunne koulutusjärjestelmää eivätkä osaa hakea tukea.",
        ),
        client_groups=("immigrants", "youth"),
        support_needs=(4, 7),
        sectors=("education", "employment"),
        recurrence=("recurring",),
        proposal="Valmentavan koulutuksen paikkoja lisätään, ja niihin yhdistetään "
        "kielitukea ja ohjausta.",
        level="municipality",
        where="urban",
    ),
)


# ---------------------------------------------------------------------------------------------
# Swedish
# ---------------------------------------------------------------------------------------------

SWEDISH: tuple[Observation, ...] = (
    _sv(
        "sv-rent-limits",
        PROBLEM,
        "adult_social_work",
        "housing_costs",
        titles=(
            "Hyrorna stiger snabbare än stödet",
            "Boendekostnaderna äter upp grunddelen",
        ),
        sentences=(
            "Inom socialt arbete för vuxna möter vi {kausi} klienter vars hyra överstiger det "
            "som FPA godkänner som skäliga boendeutgifter.",
            "Mellanskillnaden betalas av grunddelen, och då räcker pengarna inte till andra "
            "nödvändiga utgifter.",
            "Billigare bostäder finns knappt i {kommun}, och köerna till stadens hyresbostäder "
            "är långa.",
            "?Flera klienter har redan skulder för obetalda hyror.",
        ),
        client_groups=("working_age", "families"),
        support_needs=(2, 3),
        sectors=("kela", "housing"),
        recurrence=("recurring", "increasing"),
        causes="Hyrorna på den fria marknaden har stigit medan det allmänna bostadsbidraget "
        "har skurits ned.",
        proposal="Gränserna för skäliga boendeutgifter ses över årligen så att de motsvarar den "
        "lokala hyresnivån.",
        level="municipality",
        where="urban",
    ),
    _sv(
        "sv-service-in-swedish",
        PROBLEM,
        "elderly_services",
        "immigrants_language",
        titles=(
            "Äldre får inte service på svenska",
            "Hemvården saknar svenskspråkig personal",
        ),
        sentences=(
            "Svenskspråkiga äldre i {kommun} berättar att de inte får service på sitt "
            "modersmål i hemvården eller på hälsocentralen.",
            "Vid minnessjukdom försvinner ofta det andra språket, och då blir det svårt att "
            "förstå vården.",
            "Anhöriga får tolka, vilket belastar dem.",
            "?Bristen på svenskspråkig personal har blivit tydligare {kausi}.",
        ),
        client_groups=("older_people", "language_minorities", "carers"),
        support_needs=(1, 8, 10),
        sectors=("social_care", "health_care"),
        recurrence=("recurring", "increasing"),
        proposal="Välfärdsområdet kartlägger personalens språkkunskaper och garanterar "
        "svenskspråkig hemvård i de tvåspråkiga kommunerna.",
        level="county",
    ),
    _sv(
        "sv-hidden-poverty",
        PROBLEM,
        "elderly_services",
        "poverty_income",
        titles=(
            "Fattigdomen bland svenskspråkiga äldre syns inte",
            "Äldre med liten pension avstår från medicin och tandvård",
        ),
        sentences=(
            "Bland äldre svenskspråkiga klienter möter vi fattigdom som inte syns utåt.",
            "Det finns en föreställning om att finlandssvenskar klarar sig bättre, och därför "
            "söker många inte hjälp.",
            "Klienter med liten pension avstår från mediciner och tandvård för att få pengarna "
            "att räcka.",
            "?Skammen gör att situationen upptäcks först när hälsan redan har försämrats.",
        ),
        client_groups=("older_people", "language_minorities"),
        support_needs=(3, 8),
        sectors=("kela", "social_care", "health_care"),
        recurrence=("recurring",),
        proposal="Uppsökande verksamhet och information om förmåner på svenska, i samarbete "
        "med församlingar och föreningar.",
        level="county",
    ),
    _sv(
        "sv-archipelago",
        PROBLEM,
        "elderly_services",
        "transport_distance",
        titles=(
            "Förbindelsebåtarnas tidtabeller styr vården i skärgården",
            "Hemvårdsbesök i skärgården ställs in",
        ),
        sentences=(
            "I skärgården i {kommun} är hemvården beroende av färjor och förbindelsebåtar.",
            "{kausi} har flera besök ställts in på grund av väder eller ändrade turlistor.",
            "Äldre som bor ensamma på öarna kan bli utan hjälp i flera dagar.",
            "?Anhöriga bor ofta på fastlandet och har svårt att ordna stöd.",
        ),
        client_groups=("older_people", "carers"),
        support_needs=(1, 8),
        sectors=("social_care", "municipality_other"),
        recurrence=("recurring",),
        proposal="Egen hemvårdspersonal på de större öarna och samarbete med den frivilliga "
        "brandkåren om första hjälpen.",
        level="county",
        where="archipelago",
    ),
    _sv(
        "sv-custody",
        PROBLEM,
        "family_services",
        "custody_disputes",
        titles=(
            "Långa vårdnadstvister belastar barnen",
            "Köerna till vårdnadsutredningar växer",
        ),
        sentences=(
            "På familjecentret möter vi {kausi} familjer där tvisten om vårdnad och umgänge har "
            "pågått i åratal.",
            "Barnen hörs av många olika yrkespersoner och känner sig ansvariga för föräldrarnas "
            "beslut.",
            "Köerna till utredningar om vårdnad har blivit flera månader långa.",
            "?Under tiden blir umgänget oregelbundet.",
        ),
        client_groups=("children", "families"),
        support_needs=(6, 7),
        sectors=("police_justice", "social_care"),
        recurrence=("recurring",),
        proposal="Samma arbetstagare följer barnet genom hela processen, och köerna till "
        "utredningarna avvecklas med tilläggsresurser.",
        level="service_line",
    ),
    _sv(
        "sv-parent-exhaustion",
        PROBLEM,
        "family_services",
        "parenting_family",
        titles=(
            "Utmattade föräldrar får inte hemservice",
            "Hemservice för barnfamiljer räcker inte till",
        ),
        sentences=(
            "Barnfamiljer i {kommun} ber om hjälp på grund av utmattning, men hemservice för "
            "barnfamiljer beviljas bara för några besök och efter lång väntan.",
            "Särskilt familjer med ett långtidssjukt barn blir utan praktisk hjälp.",
            "Utmattningen syns som konflikter och orkeslöshet i vardagen.",
            "?En del familjer blir klienter inom barnskyddet fast tidigt stöd hade räckt.",
        ),
        client_groups=("families", "children"),
        support_needs=(1, 7, 10),
        sectors=("social_care",),
        recurrence=("recurring", "increasing"),
        proposal="Resurserna för hemservice till barnfamiljer utökas och kriterierna görs "
        "enhetliga i hela välfärdsområdet.",
        level="county",
    ),
    _sv(
        "sv-school-absence",
        PROBLEM,
        "student_welfare",
        "schooling",
        titles=(
            "Långvarig skolfrånvaro ökar",
            "Svårt att komma tillbaka efter lång frånvaro",
        ),
        sentences=(
            "Skolkuratorn har {kausi} haft flera elever vars frånvaro har pågått i veckor.",
            "Bakom frånvaron finns ofta ångest, mobbning eller en omvänd dygnsrytm.",
            "Ju längre frånvaron pågår, desto svårare blir det att komma tillbaka till klassen.",
            "?Stöd från specialundervisningen och hälsovården kommer ofta för sent.",
        ),
        client_groups=("children", "youth"),
        support_needs=(7, 8),
        sectors=("education", "health_care", "social_care"),
        recurrence=("increasing",),
        proposal="En gemensam gräns för frånvaro, som leder till att elevhälsan sammanträder "
        "direkt.",
        level="municipality",
        months=(1, 2, 3, 4, 5, 8, 9, 10, 11, 12),
        roles=("school_social_worker",),
    ),
    _sv(
        "sv-digital",
        PROBLEM,
        "adult_social_work",
        "digital_exclusion",
        titles=(
            "Digitala tjänster stänger ute",
            "Elektroniska blanketter saknas på svenska",
        ),
        sentences=(
            "Allt fler tjänster förutsätter nätbankskoder och smarttelefon.",
            "Klienter som saknar dem får be anhöriga om hjälp eller låter bli att sköta ärendet.",
            "Elektroniska blanketter finns inte alltid på svenska, eller så är översättningen "
            "bristfällig.",
            "?{kausi} har socialhandledningen fått fler förfrågningar om hjälp med ärenden än "
            "tidigare.",
        ),
        client_groups=("older_people", "language_minorities", "working_age"),
        support_needs=(1, 4),
        sectors=("kela", "social_care", "municipality_other"),
        recurrence=("increasing",),
        proposal="Pappersblanketter behålls som alternativ, och alla elektroniska tjänster "
        "granskas på svenska före publicering.",
        level="county",
    ),
    _sv(
        "sv-youth-mental-health",
        PROBLEM,
        "youth_services",
        "service_access",
        titles=(
            "Unga väntar länge på psykiatrisk vård",
            "Vård på svenska för unga är svår att få",
        ),
        sentences=(
            "Unga i {kommun} har {kausi} fått vänta upp till {kk} månader på vård inom "
            "mentalvården.",
            "Under väntetiden förvärras situationen, och en del hamnar på jouren.",
            "Vård på svenska är ännu svårare att få, och de unga hänvisas till finskspråkig "
            "terapi.",
            "?Föräldrarna är utmattade och känner sig ensamma.",
        ),
        client_groups=("youth", "families", "language_minorities"),
        support_needs=(7, 8, 10),
        sectors=("health_care", "social_care"),
        recurrence=("increasing",),
        proposal="Mer resurser till ungas mentalvård i primärvården och en stödperson under "
        "väntetiden.",
        level="county",
        numbers=(("kk", 3, 7),),
    ),
    _sv(
        "sv-shelter-distance",
        PROBLEM,
        "adult_social_work",
        "violence",
        titles=(
            "Skyddshemmet ligger långt borta",
            "Krishjälp på svenska saknas kvällar och veckoslut",
        ),
        sentences=(
            "En klient som utsatts för våld i en nära relation måste ofta åka till skyddshemmet "
            "i {centrum}, vilket betyder att kontakten med arbetet, barnens skola och "
            "nätverket bryts.",
            "Många stannar därför kvar hemma.",
            "Svenskspråkig krishjälp är svår att få på kvällar och veckoslut.",
            "?{kausi} har sådana situationer varit fler än tidigare.",
        ),
        client_groups=("families", "working_age", "children"),
        support_needs=(5, 6),
        sectors=("social_care", "police_justice", "ngo"),
        recurrence=("recurring",),
        proposal="Skyddsbostäder i kommuncentrumen och tillgång till krishjälp på svenska "
        "dygnet runt.",
        level="county",
        where="rural",
    ),
    _sv(
        "sv-kela-delays",
        PROBLEM,
        "adult_social_work",
        "benefits_kela",
        titles=(
            "FPA:s handläggning av utkomststöd drar ut på tiden",
            "Klienter står utan pengar i väntan på beslut",
        ),
        sentences=(
            "Handläggningen av det grundläggande utkomststödet hos FPA har {kausi} dragit ut på "
            "tiden.",
            "Klienterna får begäran om tilläggsutredningar som de inte förstår, ofta enbart på "
            "finska.",
            "Under tiden blir hyran obetald och medicinerna oavhämtade.",
            "?Socialarbetet beviljar brådskande utkomststöd i situationer som ett snabbt beslut "
            "hade löst.",
        ),
        client_groups=("working_age", "language_minorities"),
        support_needs=(3,),
        sectors=("kela", "social_care"),
        recurrence=("recurring",),
        proposal="Välfärdsområdet och FPA kommer överens om ett snabbt förfarande i brådskande "
        "fall och om att begäran om utredning alltid skickas på klientens språk.",
        level="county",
    ),
    _sv(
        "sv-open-family-centre",
        GOOD,
        "family_services",
        "parenting_family",
        titles=(
            "Öppen mottagning på familjecentret",
            "Föräldrar får hjälp utan tidsbokning",
        ),
        sentences=(
            "Familjecentret i {kommun} har {kausi} haft öppen mottagning en eftermiddag i "
            "veckan, där föräldrar kan komma utan tidsbokning.",
            "Familjerådgivare, hälsovårdare och familjearbetare finns på plats samtidigt.",
            "Föräldrarna får hjälp på en gång och behöver inte berätta sin historia flera gånger.",
            "?Många har fått stöd innan situationen hunnit bli akut.",
        ),
        client_groups=("families", "children"),
        support_needs=(7, 10),
        sectors=("social_care", "health_care"),
        proposal="Öppen mottagning införs vid alla familjecenter i välfärdsområdet.",
        level="service_line",
    ),
    _sv(
        "sv-village-meeting",
        GOOD,
        "elderly_services",
        "exclusion_loneliness",
        titles=(
            "Mötesplats för äldre i byn",
            "Veckoträffen i byagården bryter ensamheten",
        ),
        sentences=(
            "I byagården har en mötesplats för äldre träffats varje vecka {kausi}, ordnad av "
            "föreningar tillsammans med seniorrådgivningen.",
            "Där dricker man kaffe, motionerar och får hjälp med ärenden.",
            "Flera deltagare har hänvisats till tjänster som de inte kände till.",
            "?Deltagarna säger att veckans träff är det som håller dem igång.",
        ),
        client_groups=("older_people",),
        support_needs=(4,),
        sectors=("ngo", "municipality_other", "social_care"),
        proposal="Mötesplatsernas finansiering tryggas och modellen sprids till andra byar.",
        level="municipality",
        where="rural",
    ),
    _sv(
        "sv-kurator-visits",
        GOOD,
        "student_welfare",
        "schooling",
        titles=(
            "Kuratorn finns i klassrummet",
            "Regelbundna klassbesök sänker tröskeln",
        ),
        sentences=(
            "I skolan har kuratorn {kausi} besökt alla klasser regelbundet och presenterat sig "
            "för eleverna.",
            "Tröskeln att ta kontakt har sjunkit tydligt, och eleverna hör av sig i ett tidigare "
            "skede.",
            "Lärarna upplever att de får stöd snabbare.",
            "?Modellen krävde inga extra resurser, bara en ny planering av scheman.",
        ),
        client_groups=("children", "youth"),
        support_needs=(7,),
        sectors=("education",),
        proposal="Modellen tas i bruk i alla skolor i välfärdsområdet.",
        level="service_line",
        months=(1, 2, 3, 4, 5, 8, 9, 10, 11, 12),
        roles=("school_social_worker",),
    ),
    _sv(
        "sv-withdrawn-young",
        WEAK,
        "youth_services",
        "exclusion_loneliness",
        titles=(
            "Unga vuxna drar sig undan",
            "Månader hemma utan att träffa någon",
        ),
        sentences=(
            "{kausi} har vi mött fler unga vuxna som har suttit hemma i månader utan studie- "
            "eller arbetsplats.",
            "De går sällan ut och sköter nästan allt via nätet.",
            "Några berättar att de inte har en enda vän att träffa.",
            "?Fenomenet är nytt för oss men återkommer hos olika arbetstagare.",
        ),
        client_groups=("youth",),
        support_needs=(4, 8),
        sectors=("social_care", "health_care"),
        recurrence=("new",),
        proposal="Mer uppsökande ungdomsarbete och hembesök, och fenomenet följs upp inom "
        "tjänsterna för unga.",
        level="service_line",
    ),
    _sv(
        "sv-scams",
        WEAK,
        "elderly_services",
        "older_people",
        titles=(
            "Bedrägerier mot äldre",
            "Falska samtal från banken lurar äldre",
        ),
        sentences=(
            "Inom äldreomsorgen har vi {kausi} stött på bedrägerier där den som ringer utger sig "
            "för att vara från banken eller en myndighet.",
            "Några klienter har förlorat sina besparingar, och skammen gör att de inte berättar "
            "om det.",
            "Bedragarna verkar veta mycket om klienterna.",
            "?Ännu handlar det om enstaka fall, men de har blivit fler.",
        ),
        client_groups=("older_people",),
        support_needs=(3, 5),
        sectors=("police_justice", "social_care"),
        recurrence=("new", "increasing"),
        proposal="Material för hemvården om hur man känner igen bedrägerier och hur man gör en "
        "brottsanmälan.",
        level="service_line",
    ),
    _sv(
        "sv-children-money",
        WEAK,
        "family_services",
        "poverty_income",
        titles=(
            "Barn oroar sig för familjens ekonomi",
            "Lågstadiebarn tackar nej till kalas för att spara",
        ),
        sentences=(
            "I familjearbetet har vi {kausi} märkt att barn i lågstadieåldern pratar mer om "
            "familjens pengabekymmer.",
            "Barnen tackar nej till utflykter och kalas för att föräldrarna inte ska få utgifter.",
            "Några oroar sig för elräkningen eller hyran.",
            "?Iakttagelserna kommer från flera arbetstagare men syns ännu inte i statistiken.",
        ),
        client_groups=("children", "families"),
        support_needs=(3, 7),
        sectors=("social_care", "education"),
        recurrence=("new",),
        proposal="Barnfattigdomen följs upp, och skolorna undviker avgiftsbelagda utflykter.",
        level="municipality",
    ),
)


# ---------------------------------------------------------------------------------------------
# The emerging topic: food aid for working families (grows in the latest two quarters)
# ---------------------------------------------------------------------------------------------

EMERGING: tuple[Observation, ...] = (
    _fi(
        "fi-food-aid-signal",
        WEAK,
        "adult_social_work",
        "poverty_income",
        titles=(
            "Työssäkäyviä lapsiperheitä ruoka-avun jonoissa",
            "Ruokajonoissa aiempaa enemmän työssäkäyviä vanhempia",
            "Ruoka-apu tavoittaa yhä useammin palkansaajaperheitä {kunnassa}",
        ),
        sentences=(
            "Seurakunnan ja järjestöjen ruoka-avun jakelussa {kunnassa} on {kausi} näkynyt "
            "aiempaa enemmän lapsiperheitä, joissa ainakin toinen vanhempi käy töissä.",
            "Vanhemmat kertovat, että palkka menee vuokraan, sähköön ja varhaiskasvatusmaksuihin.",
            "Toimeentulotukea ei haeta, koska moni luulee, ettei työssäkäyvä voi saada sitä.",
            "?Ruokajonossa asiointi koetaan häpeällisenä, ja lapset jätetään usein kotiin.",
        ),
        client_groups=("families", "working_age", "children"),
        support_needs=(3, 7),
        sectors=("ngo", "social_care", "kela"),
        recurrence=("new", "increasing"),
        causes="Asumisen ja energian hinnat ovat nousseet samaan aikaan, kun pienipalkkaisten "
        "tulot eivät ole nousseet.",
        proposal="Selvitetään yhdessä järjestöjen kanssa, keitä ruoka-apu tavoittaa, ja viedään "
        "toimeentulotuen neuvontaa ruoka-avun jakopisteisiin.",
        level="county",
        emerging=True,
    ),
    _fi(
        "fi-food-aid-families",
        PROBLEM,
        "family_services",
        "poverty_income",
        titles=(
            "Ruoka-apu paikkaa pienipalkkaisten perheiden arkea",
            "Työssäkäyvät perheet turvautuvat ruoka-apuun kuun lopussa",
        ),
        sentences=(
            "Perhetyön asiakkaina on {kausi} ollut {n} perhettä, jotka käyvät säännöllisesti "
            "ruoka-avussa, vaikka molemmat vanhemmat ovat töissä.",
            "Osa-aikatyö ja vaihtelevat työvuorot tekevät tuloista epävarmoja, eikä etuuksien "
            "yhteensovitus pysy perässä.",
            "Kuukauden viimeisellä viikolla vanhemmat kertovat seisovansa ruokajonossa ennen "
            "työvuoroa.",
            "?Vanhemmat pelkäävät, että lapsia kiusataan, jos asia tulee tietoon.",
        ),
        client_groups=("families", "children", "working_age"),
        support_needs=(3, 7, 10),
        sectors=("ngo", "kela", "employment"),
        recurrence=("increasing",),
        proposal="Pienituloisten työssäkäyvien perheiden toimeentulo otetaan mukaan "
        "hyvinvointialueen ja kuntien yhteiseen köyhyysohjelmaan.",
        level="county",
        numbers=(("n", 3, 8),),
        emerging=True,
    ),
    _sv(
        "sv-food-aid-signal",
        WEAK,
        "adult_social_work",
        "poverty_income",
        titles=(
            "Fler arbetande barnfamiljer i matbankens kö",
            "Matbanken når allt fler familjer med lön",
        ),
        sentences=(
            "Vid matbanken i {kommun} har det {kausi} synts allt fler barnfamiljer där minst en "
            "förälder arbetar.",
            "Föräldrarna berättar att lönen går till hyra, el och dagvårdsavgifter.",
            "Många söker inte utkomststöd eftersom de tror att den som arbetar inte kan få det.",
            "?Att stå i kö för mathjälp känns skamligt, och barnen lämnas ofta hemma.",
        ),
        client_groups=("families", "working_age", "children"),
        support_needs=(3, 7),
        sectors=("ngo", "social_care", "kela"),
        recurrence=("new", "increasing"),
        proposal="Rådgivning om utkomststöd ordnas vid matbankens utdelning tillsammans med "
        "församlingen.",
        level="county",
        emerging=True,
    ),
    _sv(
        "sv-food-aid-families",
        PROBLEM,
        "family_services",
        "poverty_income",
        titles=(
            "Mathjälp har blivit vardag för lågavlönade familjer",
            "Arbetande föräldrar hämtar mathjälp i slutet av månaden",
        ),
        sentences=(
            "I familjearbetet har vi {kausi} mött flera familjer som regelbundet hämtar "
            "mathjälp fast båda föräldrarna arbetar.",
            "Deltidsarbete och oregelbundna skift gör inkomsterna osäkra.",
            "Den sista veckan i månaden går föräldrarna till matbanken före arbetsskiftet.",
            "?De är rädda att barnen blir mobbade om det blir känt.",
        ),
        client_groups=("families", "children", "working_age"),
        support_needs=(3, 7, 10),
        sectors=("ngo", "kela", "employment"),
        recurrence=("increasing",),
        proposal="Utkomsten för lågavlönade arbetande familjer tas med i välfärdsområdets "
        "program mot fattigdom.",
        level="county",
        emerging=True,
    ),
)


# ---------------------------------------------------------------------------------------------
# Variation: leads, extra sentences, seasons
# ---------------------------------------------------------------------------------------------

LEADS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        PROBLEM: (
            "Haluan nostaa esiin asian, joka on toistunut asiakastyössä {kausi}.",
            "Raportoin ilmiöstä, joka on kuormittanut asiakastyötä {kunnassa}.",
            "Tämä havainto on koottu tiimin yhteisestä keskustelusta.",
        ),
        GOOD: (
            "Haluan jakaa hyvän kokemuksen omasta yksiköstämme.",
            "Tässä käytäntö, joka on toiminut meillä yllättävän hyvin.",
        ),
        WEAK: (
            "Kirjaan ylös heikon signaalin, jonka olen huomannut {kausi}.",
            "Tämä on vasta orastava ilmiö, mutta haluan tuoda sen näkyviin.",
        ),
    },
    "sv": {
        PROBLEM: (
            "Jag vill lyfta fram något som har återkommit i klientarbetet {kausi}.",
            "Den här iakttagelsen bygger på en diskussion i vårt team.",
        ),
        GOOD: ("Jag vill dela en god erfarenhet från vår enhet.",),
        WEAK: ("Jag vill notera en svag signal som jag har lagt märke till {kausi}.",),
    },
}

EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        PROBLEM: (
            "Sama ilmiö on noussut esiin myös tiimin yhteisissä asiakaskäsittelyissä.",
            "Kollegat muista yksiköistä ovat kertoneet samansuuntaisista kokemuksista.",
            "Nostan asian esiin, jotta se otettaisiin huomioon seuraavan vuoden suunnittelussa.",
            "Asiasta keskusteltiin yksikön kehittämispäivässä, ja siellä toivottiin, että "
            "havainto viedään eteenpäin.",
            "Tilanne kuormittaa asiakkaiden lisäksi myös työntekijöitä.",
            "Asiakkaat ovat itse toivoneet, että asiasta kerrotaan päättäjille.",
            "Olemme yrittäneet ratkaista asiaa yksikön sisällä, mutta ratkaisu vaatii muiden "
            "toimijoiden mukaantuloa.",
        ),
        GOOD: (
            "Kokemukset ovat olleet hyviä sekä asiakkaiden että työntekijöiden näkökulmasta.",
            "Toimintatapa ei ole vaatinut merkittäviä lisäresursseja, vaan lähinnä uudenlaista "
            "työnjakoa.",
            "Haluan jakaa kokemuksen, jotta muutkin yksiköt voisivat hyödyntää sitä.",
            "Asiakaspalaute on ollut poikkeuksellisen myönteistä.",
        ),
        WEAK: (
            "En ole varma, onko kyse pysyvästä muutoksesta, mutta haluan kirjata havainnon ylös.",
            "Määrät ovat vielä pieniä, mutta suunta näyttää selvältä.",
            "Olisi hyvä tietää, näkyykö sama ilmiö muualla alueella.",
        ),
    },
    "sv": {
        PROBLEM: (
            "Samma fenomen har kommit upp också i teamets gemensamma klientgenomgångar.",
            "Kolleger i andra enheter har berättat om liknande erfarenheter.",
            "Situationen belastar inte bara klienterna utan också personalen.",
            "Vi har försökt lösa saken inom enheten, men det kräver att också andra aktörer "
            "kommer med.",
        ),
        GOOD: (
            "Erfarenheterna har varit goda både för klienterna och för personalen.",
            "Jag delar erfarenheten så att också andra enheter kan ha nytta av den.",
        ),
        WEAK: (
            "Jag är inte säker på om det är en bestående förändring, men vill notera den.",
            "Det vore bra att veta om samma sak syns på andra håll i välfärdsområdet.",
        ),
    },
}

# Season phrases by month (1–12): two alternatives per season.
SEASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "winter": ("talven aikana", "tänä talvena"),
        "spring": ("kevään aikana", "tänä keväänä"),
        "summer": ("kesän aikana", "tänä kesänä"),
        "autumn": ("syksyn aikana", "tänä syksynä"),
    },
    "sv": {
        "winter": ("under vintern", "i vinter"),
        "spring": ("under våren", "i vår"),
        "summer": ("under sommaren", "i sommar"),
        "autumn": ("under hösten", "i höst"),
    },
}


def season_of(month: int) -> str:
    if month in (12, 1, 2):
        return "winter"
    if month in (3, 4, 5):
        return "spring"
    if month in (6, 7, 8):
        return "summer"
    return "autumn"


# Finnish genitive and locative of every demo municipality (by Statistics Finland number).
FI_FORMS: dict[str, tuple[str, str]] = {
    # Varsinais-Suomi
    "019": ("Auran", "Aurassa"),
    "202": ("Kaarinan", "Kaarinassa"),
    "322": ("Kemiönsaaren", "Kemiönsaarella"),
    "284": ("Kosken", "Koskella"),
    "304": ("Kustavin", "Kustavissa"),
    "400": ("Laitilan", "Laitilassa"),
    "423": ("Liedon", "Liedossa"),
    "430": ("Loimaan", "Loimaalla"),
    "480": ("Marttilan", "Marttilassa"),
    "481": ("Maskun", "Maskussa"),
    "503": ("Mynämäen", "Mynämäellä"),
    "529": ("Naantalin", "Naantalissa"),
    "538": ("Nousiaisten", "Nousiaisissa"),
    "561": ("Oripään", "Oripäässä"),
    "577": ("Paimion", "Paimiossa"),
    "445": ("Paraisten", "Paraisilla"),
    "631": ("Pyhärannan", "Pyhärannalla"),
    "636": ("Pöytyän", "Pöytyällä"),
    "680": ("Raision", "Raisiossa"),
    "704": ("Ruskon", "Ruskolla"),
    "734": ("Salon", "Salossa"),
    "738": ("Sauvon", "Sauvossa"),
    "761": ("Someron", "Somerolla"),
    "833": ("Taivassalon", "Taivassalossa"),
    "853": ("Turun", "Turussa"),
    "895": ("Uudenkaupungin", "Uudessakaupungissa"),
    "918": ("Vehmaan", "Vehmaalla"),
    # Kainuu
    "105": ("Hyrynsalmen", "Hyrynsalmella"),
    "205": ("Kajaanin", "Kajaanissa"),
    "290": ("Kuhmon", "Kuhmossa"),
    "578": ("Paltamon", "Paltamossa"),
    "620": ("Puolangan", "Puolangalla"),
    "697": ("Ristijärven", "Ristijärvellä"),
    "765": ("Sotkamon", "Sotkamossa"),
    "777": ("Suomussalmen", "Suomussalmella"),
}

# The county's main town: (locative, illative, Swedish name).
CENTRES: dict[str, tuple[str, str, str]] = {
    "varha": ("Turussa", "Turkuun", "Åbo"),
    "kainuu": ("Kajaanissa", "Kajaaniin", "Kajana"),
}


# ---------------------------------------------------------------------------------------------
# What the reporter is told on the receipt page
# ---------------------------------------------------------------------------------------------

FORWARDED_TO: dict[str, dict[str, str]] = {
    "fi": {
        "unit": "yksikön esihenkilölle",
        "service_line": "palvelulinjan johtoryhmälle",
        "county": "hyvinvointialueen sosiaalisen raportoinnin työryhmälle",
        "municipality": "{kunnan} hyvinvointiryhmälle",
        "national": "hyvinvointialueen johdolle valtakunnallista vaikuttamistyötä varten",
        "": "palvelulinjan johtoryhmälle",
    },
    "sv": {
        "unit": "enhetens förman",
        "service_line": "tjänstelinjens ledningsgrupp",
        "county": "välfärdsområdets arbetsgrupp för social rapportering",
        "municipality": "kommunens välfärdsgrupp i {kommun}",
        "national": "välfärdsområdets ledning för påverkansarbete på nationell nivå",
        "": "tjänstelinjens ledningsgrupp",
    },
}

FORWARDED: dict[str, tuple[str, ...]] = {
    "fi": (
        "Kiitos havainnosta. Se on välitetty {to} käsiteltäväksi.",
        "Havaintosi on luettu ja välitetty {to}. Kerromme täällä, kun asiasta on päätetty.",
    ),
    "sv": (
        "Tack för din iakttagelse. Den har skickats vidare till {to} för behandling.",
        "Din rapport har lästs och skickats vidare till {to}. Vi berättar här när något har "
        "beslutats.",
    ),
}

ANSWERED: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        PROBLEM: (
            "Havainto käsiteltiin palvelulinjan johtoryhmässä. Asiasta on pyydetty selvitys "
            "yhteistyökumppaneilta, ja se on mukana seuraavassa puolivuotiskoosteessa.",
            "Samasta aiheesta on tullut useita raportteja eri puolilta aluetta. Ne on koottu "
            "yhteen ja esitelty hyvinvointialueen johdolle.",
            "Kiitos tärkeästä havainnosta. Asia on otettu huomioon ensi vuoden talousarvion "
            "valmistelussa.",
            "Asiasta on keskusteltu yhteistyöryhmässä, ja toimintaohjetta päivitetään. Kiitos, "
            "että nostit asian esiin.",
        ),
        GOOD: (
            "Kiitos hyvän käytännön jakamisesta! Toimintamalli esitellään esihenkilöiden "
            "seuraavassa kehittämispäivässä.",
            "Kuvaus on lisätty hyvinvointialueen hyvien käytäntöjen koosteeseen, jotta muut "
            "yksiköt voivat hyödyntää sitä.",
        ),
        WEAK: (
            "Kiitos signaalista. Seuraamme ilmiötä ja olemme pyytäneet muita yksiköitä "
            "kertomaan, näkyykö sama heillä.",
            "Havainto on kirjattu seurattavien ilmiöiden listalle, ja siihen palataan "
            "seuraavassa koosteessa.",
        ),
    },
    "sv": {
        PROBLEM: (
            "Iakttagelsen behandlades i tjänstelinjens ledningsgrupp. Vi har bett "
            "samarbetsparterna om en utredning, och frågan tas med i nästa halvårsrapport.",
            "Flera rapporter om samma sak har kommit från olika delar av välfärdsområdet. De har "
            "sammanställts och presenterats för ledningen.",
            "Tack för en viktig iakttagelse. Frågan har beaktats i beredningen av nästa års "
            "budget.",
        ),
        GOOD: (
            "Tack för att du delade en god praxis! Modellen presenteras på nästa utvecklingsdag "
            "för förmän.",
        ),
        WEAK: (
            "Tack för signalen. Vi följer fenomenet och har bett andra enheter berätta om de ser "
            "samma sak.",
        ),
    },
}

CLOSED: dict[str, tuple[str, ...]] = {
    "fi": (
        "Käsittely on päättynyt. Havainto on mukana sosiaalisessa raportissa, joka esiteltiin "
        "aluehallitukselle.",
        "Havainto on käsitelty, ja se näkyy hyvinvointialueen julkaisemassa koosteessa. Kiitos "
        "osallistumisesta!",
        "Asia on siirtynyt osaksi palvelulinjan kehittämissuunnitelmaa, ja raportin käsittely "
        "päätetään tähän.",
    ),
    "sv": (
        "Behandlingen har avslutats. Iakttagelsen ingår i den sociala rapport som presenterades "
        "för välfärdsområdets styrelse.",
        "Iakttagelsen har behandlats och syns i välfärdsområdets publicerade sammanställning. "
        "Tack för att du deltog!",
    ),
}


# ---------------------------------------------------------------------------------------------
# Units of the demo organisations
# ---------------------------------------------------------------------------------------------

# (key, service line, municipality, name in Finnish, in Swedish, in English). An empty Swedish or
# English name is made from the service line and the municipality ("Socialt arbete för vuxna,
# Salo").
# fmt: off
UNITS: dict[str, tuple[tuple[str, str, str, str, str, str], ...]] = {
    "varha": (
        ("ast-turku", "adult_social_work", "853", "Aikuissosiaalityö, Turku", "", ""),
        ("ast-salo", "adult_social_work", "734", "Aikuissosiaalityö, Salo", "", ""),
        ("ast-parainen", "adult_social_work", "445", "Aikuissosiaalityö, Parainen", "", ""),
        ("ast-loimaa", "adult_social_work", "430", "Aikuissosiaalityö, Loimaa", "", ""),
        ("ast-uusikaupunki", "adult_social_work", "895", "Aikuissosiaalityö, Uusikaupunki", "",
         ""),
        ("lsu-turku", "child_protection", "853", "Lastensuojelun avohuolto, Turku",
         "Barnskyddets öppenvård, Åbo", "Child protection, community care, Turku"),
        ("lsu-salo", "child_protection", "734", "Lastensuojelun avohuolto, Salo",
         "Barnskyddets öppenvård, Salo", "Child protection, community care, Salo"),
        ("lsu-raisio", "child_protection", "680", "Lastensuojelun avohuolto, Raisio",
         "Barnskyddets öppenvård, Reso", "Child protection, community care, Raisio"),
        ("pk-kaarina", "family_services", "202", "Perhekeskus Kaarina",
         "Familjecentret Kaarina", "Family centre, Kaarina"),
        ("pk-parainen", "family_services", "445", "Perhekeskus Parainen",
         "Familjecentret Pargas", "Family centre, Parainen"),
        ("pk-loimaa", "family_services", "430", "Perhekeskus Loimaa",
         "Familjecentret Loimaa", "Family centre, Loimaa"),
        ("pk-turku", "family_services", "853", "Perheneuvola, Turku",
         "Familjerådgivningen, Åbo", "Family counselling, Turku"),
        ("nuo-turku", "youth_services", "853", "Nuorten sosiaalityö, Turku",
         "Socialt arbete för unga, Åbo", "Social work for young people, Turku"),
        ("nuo-salo", "youth_services", "734", "Nuorten palvelut, Salo", "", ""),
        ("nuo-naantali", "youth_services", "529", "Nuorten palvelut, Naantali", "", ""),
        ("vam-turku", "disability_services", "853", "Vammaispalvelut, Turku", "", ""),
        ("vam-salo", "disability_services", "734", "Vammaispalvelut, Salo", "", ""),
        ("ika-turku", "elderly_services", "853", "Ikääntyneiden sosiaalityö, Turku",
         "Socialt arbete för äldre, Åbo", "Social work for older people, Turku"),
        ("ika-kemionsaari", "elderly_services", "322", "Kotihoito ja asiakasohjaus, Kemiönsaari",
         "Hemvård och klienthandledning, Kimitoön", "Home care and client guidance, Kemiönsaari"),
        ("ika-parainen", "elderly_services", "445", "Ikääntyneiden palvelut, Parainen",
         "Äldreomsorgen, Pargas", "Services for older people, Parainen"),
        ("ika-uusikaupunki", "elderly_services", "895", "Seniorineuvonta, Uusikaupunki",
         "Seniorrådgivningen, Nystad", "Senior advice, Uusikaupunki"),
        ("mtp-turku", "substance_mental_health", "853",
         "Mielenterveys- ja päihdepalvelut, Turku", "", ""),
        ("mtp-salo", "substance_mental_health", "734", "Matalan kynnyksen vastaanotto, Salo",
         "Lågtröskelmottagningen, Salo", "Low-threshold clinic, Salo"),
        ("mam-turku", "immigrant_services", "853", "Maahanmuuttajapalvelut, Turku", "", ""),
        ("mam-salo", "immigrant_services", "734", "Maahanmuuttajapalvelut, Salo", "", ""),
        ("oph-turku", "student_welfare", "853", "Opiskeluhuollon kuraattorit, Turku",
         "Skolkuratorerna, Åbo", "School social workers, Turku"),
        ("oph-parainen", "student_welfare", "445", "Kuraattoripalvelut, Parainen",
         "Kuratorstjänsterna, Pargas", "School social workers, Parainen"),
        ("oph-laitila", "student_welfare", "400", "Opiskeluhuolto, Laitila", "", ""),
        ("oph-kemionsaari", "student_welfare", "322", "Opiskeluhuolto, Kemiönsaari", "", ""),
    ),
    "kainuu": (
        ("ast-kajaani", "adult_social_work", "205", "Aikuissosiaalityö, Kajaani", "", ""),
        ("ast-kuhmo", "adult_social_work", "290", "Aikuissosiaalityö, Kuhmo", "", ""),
        ("ast-suomussalmi", "adult_social_work", "777", "Aikuissosiaalityö, Suomussalmi", "", ""),
        ("lsu-kajaani", "child_protection", "205", "Lastensuojelun avohuolto, Kajaani",
         "Barnskyddets öppenvård, Kajana", "Child protection, community care, Kajaani"),
        ("lsu-sotkamo", "child_protection", "765", "Lastensuojelun avohuolto, Sotkamo",
         "Barnskyddets öppenvård, Sotkamo", "Child protection, community care, Sotkamo"),
        ("pk-kajaani", "family_services", "205", "Perhekeskus Kajaani",
         "Familjecentret Kajana", "Family centre, Kajaani"),
        ("pk-suomussalmi", "family_services", "777", "Perhekeskus Suomussalmi",
         "Familjecentret Suomussalmi", "Family centre, Suomussalmi"),
        ("nuo-kajaani", "youth_services", "205", "Nuorten palvelut, Kajaani", "", ""),
        ("vam-kajaani", "disability_services", "205", "Vammaispalvelut, Kajaani", "", ""),
        ("ika-kajaani", "elderly_services", "205", "Ikääntyneiden palvelut, Kajaani", "", ""),
        ("ika-kuhmo", "elderly_services", "290", "Kotihoito, Kuhmo",
         "Hemvården, Kuhmo", "Home care, Kuhmo"),
        ("ika-puolanka", "elderly_services", "620", "Kotihoito ja asiakasohjaus, Puolanka",
         "Hemvård och klienthandledning, Puolanka", "Home care and client guidance, Puolanka"),
        ("mtp-kajaani", "substance_mental_health", "205",
         "Mielenterveys- ja päihdepalvelut, Kajaani", "", ""),
        ("mam-kajaani", "immigrant_services", "205", "Maahanmuuttajapalvelut, Kajaani", "", ""),
        ("oph-kajaani", "student_welfare", "205", "Opiskeluhuolto, Kajaani", "", ""),
        ("oph-sotkamo", "student_welfare", "765", "Opiskeluhuolto, Sotkamo", "", ""),
    ),
}
# fmt: on
