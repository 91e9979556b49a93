"""Characters that hide text from a reader and from a check.

A zero-width space between the digits of '07700 900123' shows nothing, yet hides the number from
the anonymisation guard's patterns; a bidi override reorders what a reader sees. The reader
refuses every such character (frontmatter.INVISIBLE).
"""

from __future__ import annotations

__all__ = ["INVISIBLE"]

# Characters that show nothing: Unicode's format characters (zero-width spaces and joiners, soft
# hyphen, bidi marks and overrides, tag characters...) and its other default-ignorable code points
# (U+034F, the Hangul fillers), but not the format characters that draw a sign (U+0600..0605).
# The reader refuses them (frontmatter.INVISIBLE); the guard drops any that reach a page.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
             "\u3164\ufeff\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
             "\U000e0000-\U000e00ff\U000e01f0-\U000e0fff")
