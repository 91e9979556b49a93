"""The built-in vocabularies of the contract: regions, harm categories and child age bands.

Ids are what partnerships write in front matter; labels are what people read on the site.
Harm categories follow the Panel's Annual Report 2020, Tables 2 (deaths) and 3 (serious harm).
"""

from __future__ import annotations

REGIONS: dict[str, str] = {
    "north-east": "North East",
    "north-west": "North West",
    "yorkshire-and-the-humber": "Yorkshire and the Humber",
    "east-midlands": "East Midlands",
    "west-midlands": "West Midlands",
    "east-of-england": "East of England",
    "london": "London",
    "south-east": "South East",
    "south-west": "South West",
}

DEATHS = "deaths"
SERIOUS_HARM = "serious-harm"
HARM_GROUPS: dict[str, str] = {DEATHS: "Deaths", SERIOUS_HARM: "Serious harm"}

HARM: dict[str, tuple[str, str]] = {
    "overt-filicide": ("Overt filicide", DEATHS),
    "covert-filicide": ("Covert filicide", DEATHS),
    "fatal-physical-abuse": ("Fatal physical abuse", DEATHS),
    "severe-persistent-cruelty": ("Severe, persistent child cruelty", DEATHS),
    "extreme-neglect": ("Extreme neglect or deprivational abuse", DEATHS),
    "extra-familial-homicide": ("Extra-familial child homicide", DEATHS),
    "extra-familial-fatal-assault": ("Extra-familial fatal assault", DEATHS),
    "sudi": ("Sudden unexpected death in infancy (SUDI)", DEATHS),
    "suicide": ("Suicide", DEATHS),
    "other-maltreatment-death": ("Other death related to maltreatment", DEATHS),
    "physical-abuse": ("Non-fatal physical abuse", SERIOUS_HARM),
    "neglect": ("Non-fatal neglect", SERIOUS_HARM),
    "emotional-abuse": ("Emotional abuse", SERIOUS_HARM),
    "sexual-abuse-intra-familial": ("Child sexual abuse (intra-familial)", SERIOUS_HARM),
    "sexual-abuse-extra-familial": ("Child sexual abuse (extra-familial)", SERIOUS_HARM),
    "sexual-exploitation": ("Child sexual exploitation", SERIOUS_HARM),
    "criminal-exploitation": ("Criminal exploitation", SERIOUS_HARM),
    "young-person-perpetrator": ("Young person perpetrator", SERIOUS_HARM),
    "risk-taking-behaviour": ("Other risk-taking or violent behaviour", SERIOUS_HARM),
    "other-serious-harm": ("Other non-fatal incident", SERIOUS_HARM),
}

CHILD_AGES: dict[str, str] = {
    "under-1": "Under 1",
    "1-5": "1 to 5",
    "6-10": "6 to 10",
    "11-15": "11 to 15",
    "16-17": "16 to 17",
}

REVIEW_TYPES: dict[str, str] = {"local": "Local review", "national": "National review"}
PUBLICATION = {"full": "Full report", "improvements-only": "Improvements to be made only"}
BRIEFING_FORMATS = {"seven-minute": "7-minute briefing", "practice": "Practice briefing",
                    "thematic": "Thematic briefing"}
THEME_GROUPS = {"practice": "Key practice theme", "topic": "Topic"}


def harm_label(harm_id: str) -> str:
    return HARM[harm_id][0]


def harm_group(harm_id: str) -> str:
    return HARM[harm_id][1]
