"""Names of the simulated train: portfolio, ARTs, teams (birds) and people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainmaster.domain.errors import Invalid

PORTFOLIO_NAME = "Digital Banking"
SOLUTION_TRAIN_NAME = "Digital Banking Solution Train"
EMAIL_DOMAIN = "example.com"


@dataclass(frozen=True)
class ArtProfile:
    name: str
    key: str
    timezone: str
    holidays: str  # a key of workdays.HOLIDAY_RULES


# Every zone lies between UTC-6 and UTC+8: a working hour keeps its local date in UTC.
ART_PROFILES = (
    ArtProfile("Payments ART", "PAY", "Europe/Berlin", "de"),
    ArtProfile("Lending ART", "LEND", "Europe/London", "uk"),
    ArtProfile("Cards ART", "CARD", "America/New_York", "us"),
    ArtProfile("Onboarding ART", "ONB", "Europe/Paris", "fr"),
    ArtProfile("Mobile ART", "MOB", "Asia/Kolkata", "in"),
    ArtProfile("Data ART", "DATA", "Europe/Berlin", "de"),
    ArtProfile("Treasury ART", "TRSY", "America/Chicago", "us"),
    ArtProfile("Customer Care ART", "CARE", "Europe/London", "uk"),
    ArtProfile("Trading ART", "TRD", "Asia/Singapore", "sg"),
    ArtProfile("Wealth ART", "WLTH", "Europe/Paris", "fr"),
    ArtProfile("Insurance ART", "INS", "America/New_York", "us"),
    ArtProfile("Compliance ART", "COMP", "Europe/Berlin", "de"),
)

BIRDS = (
    "Osprey", "Kestrel", "Falcon", "Heron", "Merlin", "Harrier", "Condor", "Puffin",
    "Albatross", "Avocet", "Bittern", "Bunting", "Buzzard", "Chaffinch", "Cormorant", "Crane",
    "Curlew", "Dipper", "Dunlin", "Eagle", "Egret", "Eider", "Fulmar", "Gannet", "Goldcrest",
    "Goldfinch", "Goshawk", "Grebe", "Greenfinch", "Grouse", "Guillemot", "Hobby", "Hoopoe",
    "Ibis", "Jackdaw", "Jay", "Kingfisher", "Kite", "Kittiwake", "Lapwing", "Lark", "Linnet",
    "Magpie", "Mallard", "Martin", "Nightingale", "Nightjar", "Nuthatch", "Oriole", "Owl",
    "Partridge", "Pelican", "Peregrine", "Petrel", "Pipit", "Plover", "Quail", "Raven",
    "Razorbill", "Redstart", "Redwing", "Robin", "Rook", "Sanderling", "Sandpiper",
    "Shearwater", "Shrike", "Siskin", "Skylark", "Snipe", "Sparrowhawk", "Starling",
    "Stonechat", "Stork", "Swallow", "Swift", "Tern", "Thrush", "Treecreeper", "Turnstone",
    "Wagtail", "Warbler", "Waxwing", "Wheatear", "Whimbrel", "Woodcock", "Woodpecker", "Wren",
    "Wryneck", "Yellowhammer", "Flamingo", "Toucan", "Macaw", "Hornbill", "Cassowary", "Kiwi",
    "Kookaburra", "Lyrebird", "Roadrunner", "Vulture", "Spoonbill", "Goldeneye", "Merganser",
    "Shoveler", "Teal", "Wigeon", "Pintail", "Gadwall", "Bluethroat", "Firecrest", "Crossbill",
    "Hawfinch", "Brambling", "Dotterel", "Godwit", "Greenshank", "Knot", "Phalarope",
    "Ptarmigan", "Capercaillie",
)

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hannah", "Ivan", "Julia",
    "Karim", "Lena", "Marco", "Nina", "Omar", "Paula", "Quentin", "Rosa", "Samir", "Tanja",
    "Uwe", "Vera", "Wei", "Xenia", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri", "Emma",
    "Farid", "Gabriel", "Helga", "Ines", "Jonas", "Katja", "Lukas", "Maria", "Niklas", "Olga",
    "Pedro", "Rahul", "Sofia", "Tobias", "Ulrike", "Viktor", "Wiebke", "Yara", "Zeynep", "Amir",
    "Bjorn", "Chiara", "Daniel", "Eva", "Fatima", "Georg", "Hiro", "Isabel", "Jan", "Kai",
    "Leila", "Mateo", "Noor", "Oskar", "Priya", "Rafael", "Sara", "Timo", "Uma", "Valentin",
    "Wanda", "Yannick", "Ahmed", "Beatriz", "Chen", "Diana", "Emil", "Frida", "Hugo", "Ingrid",
    "Jakob", "Kemal", "Laura", "Mia", "Nils", "Paul", "Ravi", "Svenja", "Theo", "Lucia", "Max",
    "Ana", "Leon", "Ida", "Moritz", "Petra", "Ali", "Mei", "Lars", "Sven", "Jana", "Tom",
    "Marta", "Igor", "Rita", "Erik", "Nora", "Finn", "Lea", "Alice", "Bob", "Jon",
)

LAST_NAMES = (
    "Schmidt", "Mueller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krueger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
    "Koehler", "Maier", "Herrmann", "Walter", "Peters", "Kaiser", "Fuchs", "Scholz", "Vogel",
    "Jung", "Berger", "Frank", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht",
    "Schuster", "Simon", "Ludwig", "Boehm", "Winter", "Kraus", "Martin", "Vogt", "Smith",
    "Jones", "Brown", "Taylor", "Wilson", "Evans", "Thomas", "Johnson", "Roberts", "Walker",
    "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood",
    "Harris", "Clarke", "Jackson", "Garcia", "Rossi", "Russo", "Ferrari", "Esposito",
    "Bianchi", "Romano", "Colombo", "Ricci", "Novak", "Kowalski", "Nowak", "Wisniewski",
    "Dubois", "Moreau", "Laurent", "Lefebvre", "Leroy", "Fernandez", "Lopez", "Martinez",
    "Sanchez", "Perez", "Gomez", "Silva", "Santos", "Costa", "Pereira", "Yilmaz", "Kaya",
    "Demir", "Sahin", "Celik", "Patel", "Sharma", "Singh", "Kumar", "Gupta", "Nguyen", "Tran",
    "Kim", "Lee", "Park", "Wang", "Li", "Zhang", "Liu", "Jensen", "Hansen", "Larsen",
    "Nielsen", "Andersen", "Johansson", "Lindqvist", "Berg", "Dahl", "Haugen", "Virtanen",
    "Korhonen", "Novotny", "Horvath", "Nagy", "Popescu", "Petrov", "Murphy", "Kelly", "Byrne",
)


def art_profile(index: int) -> ArtProfile:
    """The profile of the index-th ART; beyond the list, names and keys get a number."""
    base = ART_PROFILES[index % len(ART_PROFILES)]
    round_ = index // len(ART_PROFILES)
    if round_ == 0:
        return base
    return ArtProfile(f"{base.name} {round_ + 1}", f"{base.key}{round_ + 1}", base.timezone,
                      base.holidays)


def team_name(index: int) -> str:
    """Bird names across the portfolio; beyond the list they get a number."""
    bird = BIRDS[index % len(BIRDS)]
    round_ = index // len(BIRDS)
    return bird if round_ == 0 else f"{bird} {round_ + 1}"


def email(first: str, last: str) -> str:
    return f"{first}.{last}@{EMAIL_DOMAIN}".lower()


class NamePool:
    """Unique first + last names across the whole portfolio, drawn without replacement."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._order = rng.permutation(len(FIRST_NAMES) * len(LAST_NAMES))
        self._next = 0
        self._used: set[tuple[str, str]] = set()

    def take(self) -> tuple[str, str]:
        while self._next < len(self._order):
            code = int(self._order[self._next])
            self._next += 1
            name = (FIRST_NAMES[code // len(LAST_NAMES)], LAST_NAMES[code % len(LAST_NAMES)])
            if name not in self._used:
                self._used.add(name)
                return name
        raise Invalid("the train has more people than the name lists can name", field="teams")

    def take_with_first(self, first: str) -> tuple[str, str]:
        """A name with the given first name (for the people the user journeys name)."""
        for code in self._rng.permutation(len(LAST_NAMES)):
            name = (first, LAST_NAMES[int(code)])
            if name not in self._used:
                self._used.add(name)
                return name
        return self.take()
