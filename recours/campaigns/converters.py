"""A campaign's address in a URL: a slug that is not one of the site's own first path
segments. Because the site's own paths cannot match it, the campaigns' URLs are tried
first, and the hot public reads resolve without walking every other URL pattern."""

import re

from recours.campaigns.models import RESERVED_SLUGS


class CampaignSlugConverter:
    regex = r"(?!(?:{})/)[-a-zA-Z0-9_]+".format("|".join(sorted(map(re.escape, RESERVED_SLUGS))))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
