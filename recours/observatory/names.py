"""Place names as people type them: without accents or hyphens, "St" for "Saint"."""

import re
import unicodedata


def normalised(name: str) -> str:
    name = name.replace("\u00ad", "")  # soft hyphens copied from web pages
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"\bst\b", "saint", name)
    return " ".join(re.sub(r"[-'’ ]+", " ", name).split())
