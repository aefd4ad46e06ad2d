"""Place names as people type them: without accents, hyphens or the leading article
("le mans", "Le Mans" and "Mans" are one), "St" for "Saint"."""

import re
import unicodedata

ARTICLE = re.compile(r"^(?:le|la|les|l) (?=.)")


def normalised(name: str) -> str:
    name = name.replace("\u00ad", "")  # soft hyphens copied from web pages
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"\bst\b", "saint", name)
    return ARTICLE.sub("", " ".join(re.sub(r"[-'’ ]+", " ", name).split()))
