"""The built-in filters: ``{{ value|filter:"argument" }}``.

How it works: each filter is a plain function ``filter(value, argument)``
registered on ``register``, the ``Library`` every template loads as a builtin.
The flags given at registration tell the engine how the filter treats HTML
(see ``tinyframe.template.library``):

    is_safe=True            the filter adds no HTML characters, so a safe value stays
                            safe after it ({{ html|safe|lower }} is still safe)
    needs_autoescape=True   the filter builds HTML itself and is passed
                            autoescape=True/False to know whether to escape its input
    expects_localtime=True  date values are converted to local time first (date, time)

``stringfilter`` turns the value into a string before the filter sees it, keeping
its safe mark. The shared rule of all filters: bad input from a template never
crashes a page where a sensible answer exists — a filter returns ``""`` or the
value unchanged, as Django's do. The text work itself lives in
``tinyframe.utils.text``, ``tinyframe.utils.html`` and ``tinyframe.utils.dateformat``.
"""

import datetime
import random as random_module
import re
import types
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import wraps
from operator import itemgetter
from pprint import pformat
from urllib.parse import quote

from tinyframe.conf import settings
from tinyframe.template.library import Library
from tinyframe.utils import dateformat
from tinyframe.utils import html as html_utils
from tinyframe.utils import text as text_utils
from tinyframe.utils.encoding import iri_to_uri
from tinyframe.utils.html import avoid_wrapping, conditional_escape
from tinyframe.utils.safestring import SafeData, mark_safe
from tinyframe.utils.timesince import timesince, timeuntil

register = Library()


def stringfilter(function):
    """Decorate a filter so it receives ``str(value)``; a safe input keeps its mark.

    When the registered filter is ``is_safe`` and its input was safe, its result
    is marked safe too: the filter promised not to add HTML characters.
    ``_decorated_function`` is the function inside (Django's name): the
    library gives it the flags the filter is registered with, and a compiled
    template calls it directly, after ``str()`` (``CodeBuilder.filter_call``).
    """

    @wraps(function)
    def string_filter(value, *args, **kwargs):
        value = str(value)  # str() of a SafeString is the SafeString itself
        result = function(value, *args, **kwargs)
        if isinstance(value, SafeData) and getattr(string_filter, "is_safe", False):
            result = mark_safe(result)
        return result

    string_filter._decorated_function = function
    return string_filter


# --- strings ----------------------------------------------------------------


@register.filter(is_safe=True)
@stringfilter
def addslashes(value):
    """Put a backslash before quotes and backslashes: for strings in CSV or JavaScript."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")


@register.filter(is_safe=True)
@stringfilter
def capfirst(value):
    """Upper-case the first character only."""
    return text_utils.capfirst(value)


@register.filter("escapejs")
@stringfilter
def escapejs_filter(value):
    """Escape text for a JavaScript string literal."""
    return html_utils.escapejs(value)


@register.filter(is_safe=True)
def json_script(value, element_id=None):
    """Output the value as JSON in a ``<script type="application/json">`` element."""
    return html_utils.json_script(value, element_id)


# The most digits (plus the size of the exponent) floatformat rounds; see floatformat.
MAX_FLOATFORMAT_DIGITS = 200


@register.filter(is_safe=True)
def floatformat(text, arg=-1):
    """Round a number to a number of decimal places given by ``arg``.

    ``"2"`` always shows two places; ``"-2"`` shows up to two places but none
    for a whole number; no argument is ``"-1"``; ``"0"`` rounds to a whole
    number. A trailing ``g`` groups thousands (``1,234.5``); a trailing ``u``
    (no localization) is accepted as in Django, where it also turns grouping
    off. Halves round away from zero (2.675 -> 2.68, as written, not as the
    float is stored). Returns "" for what is not a number. A number too long
    to round cheaply (over 200 digits and exponent, like ``1e200``) is shown
    as it came, as in Django.
    """
    group_thousands = False
    if isinstance(arg, str):
        flags = arg[-2:] if arg[-2:] in ("gu", "ug") else arg[-1:] if arg[-1:] in ("g", "u") else ""
        # "u" (unlocalized) takes grouping from the settings, which group nothing
        # by default: "ug" groups nothing, as in Django.
        group_thousands = flags == "g"
        arg = arg[: len(arg) - len(flags)] or -1
    try:
        number = Decimal(str(text))
    except InvalidOperation:
        try:
            number = Decimal(str(float(text)))
        except (ValueError, InvalidOperation, TypeError):
            return ""
    try:
        places = int(arg)
    except ValueError:
        return str(text)
    if not number.is_finite():
        return str(text)
    # A bound against denial of service, at Django's figure: rounding or
    # printing a number of a million digits takes seconds (and int() of it
    # raises past 4,300 digits), so past MAX_FLOATFORMAT_DIGITS digits and
    # exponent together the value is shown as it came ("1e+200").
    _, digits, exponent = number.as_tuple()
    if len(digits) + abs(exponent) > MAX_FLOATFORMAT_DIGITS:
        return str(text)
    if places <= 0 and number == number.to_integral_value():
        return mark_safe(_format_number(str(int(number)), group_thousands))
    # Enough precision that quantize() never fails on a long number.
    precision = max(28, len(digits) + abs(exponent) + abs(places) + 1)
    rounded = number.quantize(Decimal(1).scaleb(-abs(places)), ROUND_HALF_UP, Context(prec=precision))
    if not rounded:
        rounded = abs(rounded)  # -0.00 shows as 0.00
    return mark_safe(_format_number(f"{rounded:f}", group_thousands))


def _format_number(number: str, group_thousands: bool) -> str:
    """Insert a comma between groups of three digits when asked: '-1234.5' -> '-1,234.5'."""
    if not group_thousands:
        return number
    sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
    whole, point, fraction = number.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + point + fraction


@register.filter(is_safe=True)
@stringfilter
def iriencode(value):
    """Percent-encode an IRI (a URL with non-ASCII characters) for use in a URL."""
    return iri_to_uri(value)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def linenumbers(value, autoescape=True):
    """Number every line: ``01. first line``, padded to the width of the last number."""
    lines = value.split("\n")
    width = len(str(len(lines)))
    if autoescape and not isinstance(value, SafeData):
        lines = [html_utils.escape(line) for line in lines]
    return mark_safe("\n".join(f"{number:0{width}d}. {line}" for number, line in enumerate(lines, 1)))


@register.filter(is_safe=True)
@stringfilter
def lower(value):
    """Lower-case the value."""
    return value.lower()


@register.filter(is_safe=False)
@stringfilter
def make_list(value):
    """The value as a list of its characters ('123' -> ['1', '2', '3'])."""
    return list(value)


@register.filter(is_safe=True)
@stringfilter
def slugify(value):
    """Make a URL slug: lower-case ASCII words joined by hyphens."""
    return text_utils.slugify(value)


@register.filter(is_safe=True)
def stringformat(value, arg):
    """Format the value with a printf-style specifier, without its '%' ('03d', '.2f', 's').

    Returns "" when the specifier does not fit the value.
    """
    if isinstance(value, tuple):
        value = str(value)  # a tuple would be taken as several arguments
    try:
        return f"%{arg}" % value
    except (ValueError, TypeError):
        return ""


@register.filter(is_safe=True)
@stringfilter
def title(value):
    """Capitalize each word, without the quirks of str.title ("they're" stays "They're", "1st" stays "1st")."""
    titled = re.sub(r"([a-z])'([A-Z])", lambda match: match[0].lower(), value.title())
    return re.sub(r"\d([A-Z])", lambda match: match[0].lower(), titled)


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value, arg):
    """Cut the value to at most ``arg`` characters, "…" included."""
    try:
        length = int(arg)
    except ValueError:
        return value
    return text_utils.Truncator(value).chars(length)


@register.filter(is_safe=True)
@stringfilter
def truncatechars_html(value, arg):
    """Cut HTML to ``arg`` characters of text, "…" included, closing the tags left open.

    Tags do not count and an entity (``&amp;``) is one character; the value is
    returned unchanged when ``arg`` is not a whole number.
    """
    try:
        length = int(arg)
    except ValueError:
        return value
    return text_utils.Truncator(value).chars(length, html=True)


@register.filter(is_safe=True)
@stringfilter
def truncatewords(value, arg):
    """Keep the first ``arg`` words of the value, ending with " …" when some were dropped.

    Exercise 03.4. ``arg`` comes from the template as a string ("3"): convert
    it with ``int()`` and return the value unchanged when that fails. Split the
    value on whitespace (``value.split()``). When there are more words than
    ``arg``, join the first ``arg`` words with single spaces and add " …" (a
    space, then the one-character ellipsis "…"); otherwise return all the words
    joined by single spaces. ``Truncator(value).words(length, truncate=" …")``
    in ``tinyframe.utils.text`` does exactly this.
    """
    try:
        length = int(arg)
    except ValueError:
        return value
    return text_utils.Truncator(value).words(length, truncate=" …")


@register.filter(is_safe=True)
@stringfilter
def truncatewords_html(value, arg):
    """Keep the first ``arg`` words of the HTML's text, then " …", closing the tags left open."""
    try:
        length = int(arg)
    except ValueError:
        return value
    return text_utils.Truncator(value).words(length, truncate=" …", html=True)


@register.filter(is_safe=False)
@stringfilter
def upper(value):
    """Upper-case the value. Not is_safe: "&amp;" would become the broken entity "&AMP;"."""
    return value.upper()


@register.filter(is_safe=False)
@stringfilter
def urlencode(value, safe=None):
    """Percent-encode the value for a URL; "/" is kept unless ``safe`` says otherwise ("" encodes it too)."""
    if safe is None:
        return quote(value)
    return quote(value, safe=safe)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def urlize(value, autoescape=True):
    """Turn URLs and email addresses in the text into links (rel="nofollow")."""
    return mark_safe(html_utils.urlize(value, nofollow=True, autoescape=autoescape))


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def urlizetrunc(value, limit, autoescape=True):
    """Like urlize, shortening the text of each link to ``limit`` characters."""
    return mark_safe(
        html_utils.urlize(value, trim_url_limit=int(limit), nofollow=True, autoescape=autoescape)
    )


@register.filter(is_safe=False)
@stringfilter
def wordcount(value):
    """The number of words."""
    return len(value.split())


@register.filter(is_safe=True)
@stringfilter
def wordwrap(value, arg):
    """Wrap lines at ``arg`` characters."""
    return text_utils.wrap(value, int(arg))


@register.filter(is_safe=True)
@stringfilter
def ljust(value, arg):
    """Left-align the value in a field ``arg`` characters wide."""
    return value.ljust(int(arg))


@register.filter(is_safe=True)
@stringfilter
def rjust(value, arg):
    """Right-align the value in a field ``arg`` characters wide."""
    return value.rjust(int(arg))


@register.filter(is_safe=True)
@stringfilter
def center(value, arg):
    """Center the value in a field ``arg`` characters wide."""
    return value.center(int(arg))


@register.filter
@stringfilter
def cut(value, arg):
    """Remove every occurrence of ``arg``.

    A safe value stays safe, except when ";" is cut: that can break an entity
    ("&amp;" -> "&amp"), so the result is escaped again.
    """
    safe = isinstance(value, SafeData)
    value = value.replace(arg, "")
    if safe and arg != ";":
        return mark_safe(value)
    return value


@register.filter(is_safe=True)
def pprint(value):
    """``pprint.pformat`` of the value, for debugging; a failure is reported, not raised."""
    try:
        return pformat(value)
    except Exception as error:
        return f"Error in formatting: {error.__class__.__name__}: {error}"


# --- HTML -------------------------------------------------------------------


@register.filter("escape", is_safe=True)
@stringfilter
def escape_filter(value):
    """Escape the value for HTML (once: a safe or already escaped value is left alone)."""
    return conditional_escape(value)


@register.filter(is_safe=True)
@stringfilter
def force_escape(value):
    """Escape the value for HTML now, even if it is marked safe."""
    return html_utils.escape(value)


@register.filter("linebreaks", is_safe=True, needs_autoescape=True)
@stringfilter
def linebreaks_filter(value, autoescape=True):
    """Wrap paragraphs (separated by blank lines) in <p>, and turn other newlines into <br>."""
    autoescape = autoescape and not isinstance(value, SafeData)
    return html_utils.linebreaks(value, autoescape)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def linebreaksbr(value, autoescape=True):
    """Turn every newline into <br>."""
    escaping = autoescape and not isinstance(value, SafeData)
    value = re.sub(r"\r\n|\r", "\n", value)
    if escaping:
        value = html_utils.escape(value)
    return mark_safe(value.replace("\n", "<br>"))


@register.filter(is_safe=True)
@stringfilter
def safe(value):
    """Mark the value safe: it will not be escaped. Only for HTML you trust."""
    return mark_safe(value)


@register.filter(is_safe=True)
def escapeseq(value):
    """Escape every item of a sequence (unless safe): for a join while auto-escaping is off."""
    return [conditional_escape(item) for item in value]


@register.filter(is_safe=True)
def safeseq(value):
    """Mark every item of a sequence safe (for a join that follows)."""
    return [mark_safe(item) for item in value]


@register.filter(is_safe=True)
@stringfilter
def striptags(value):
    """Remove HTML tags. The text left is escaped on output like any other."""
    return html_utils.strip_tags(value)


# --- lists ------------------------------------------------------------------


def _item_resolver(arg):
    """A sort key function for dictsort: ``"author.name"`` looks up keys, then attributes."""
    try:
        float(arg)
    except ValueError:
        if arg.startswith("_") or "._" in arg:
            raise AttributeError("Access to private variables is forbidden.") from None
        parts = arg.split(".")

        def resolve(item):
            for part in parts:
                try:
                    item = item[part]
                except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                    item = getattr(item, part)
            return item

        return resolve
    return itemgetter(arg)


@register.filter(is_safe=False)
def dictsort(value, arg):
    """Sort a list of dicts or objects by a key or attribute; "" when they cannot be sorted."""
    if isinstance(value, dict):
        return ""
    try:
        return sorted(value, key=_item_resolver(arg))
    except (AttributeError, TypeError):
        return ""


@register.filter(is_safe=False)
def dictsortreversed(value, arg):
    """Like dictsort, largest first."""
    if isinstance(value, dict):
        return ""
    try:
        return sorted(value, key=_item_resolver(arg), reverse=True)
    except (AttributeError, TypeError):
        return ""


@register.filter(is_safe=False)
def first(value):
    """The first item, or "" for an empty sequence."""
    try:
        return value[0]
    except IndexError:
        return ""


@register.filter(is_safe=True, needs_autoescape=True)
def join(value, arg, autoescape=True):
    """Join the items with ``arg``, escaping items and separator when auto-escaping.

    A value that cannot be joined (not a sequence, or not of strings when not
    escaping) is returned unchanged.
    """
    try:
        if autoescape:
            joined = conditional_escape(arg).join([conditional_escape(item) for item in value])
        else:
            joined = arg.join(value)
    except TypeError:
        return value
    return mark_safe(joined)


@register.filter(is_safe=True)
def last(value):
    """The last item, or "" for an empty sequence."""
    try:
        return value[-1]
    except IndexError:
        return ""


@register.filter(is_safe=False)
def length(value):
    """The length of the value, or 0 for a value without one."""
    try:
        return len(value)
    except (ValueError, TypeError):
        return 0


@register.filter(is_safe=True)
def random(value):
    """A random item of the sequence, or "" when it is empty."""
    try:
        return random_module.choice(value)
    except IndexError:
        return ""


@register.filter("slice", is_safe=True)
def slice_filter(value, arg):
    """Slice with Python's syntax: ``"2"``, ``":2"``, ``"1:-1"``, ``"::2"``; bad slices return the value."""
    try:
        bounds = [int(part) if part else None for part in str(arg).split(":")]
        return value[slice(*bounds)]
    except (ValueError, TypeError, KeyError):
        return value


def _items_with_children(items):
    """Pair each item with the list that follows it, if any: ['a', ['b'], 'c'] -> (a, [b]), (c, None)."""
    items = list(items)
    index = 0
    while index < len(items):
        item, children = items[index], None
        if index + 1 < len(items) and isinstance(items[index + 1], (list, tuple, types.GeneratorType)):
            children = items[index + 1]
            index += 1
        yield item, children
        index += 1


@register.filter(is_safe=True, needs_autoescape=True)
def unordered_list(value, autoescape=True):
    """Render nested lists as <li> items (without the outer <ul>): ['a', ['b']] nests b under a."""
    escaper = conditional_escape if autoescape else (lambda item: item)

    def render_items(items, depth):
        indent = "\t" * depth
        lines = []
        for item, children in _items_with_children(items):
            sublist = ""
            if children:
                sublist = f"\n{indent}<ul>\n{render_items(children, depth + 1)}\n{indent}</ul>\n{indent}"
            lines.append(f"{indent}<li>{escaper(item)}{sublist}</li>")
        return "\n".join(lines)

    return mark_safe(render_items(value, 1))


# --- numbers ----------------------------------------------------------------


@register.filter(is_safe=False)
def add(value, arg):
    """Add ``arg``: as integers when both are, else with + (lists, strings); "" when neither works."""
    try:
        return int(value) + int(arg)
    except (ValueError, TypeError):
        try:
            return value + arg
        except Exception:  # any type may refuse +, with any exception
            return ""


@register.filter(is_safe=False)
def divisibleby(value, arg):
    """Whether the value is divisible by ``arg``."""
    return int(value) % int(arg) == 0


@register.filter(is_safe=False)
def get_digit(value, arg):
    """The ``arg``-th digit from the right (1 is the last); the value unchanged if it is not a number."""
    try:
        position = int(arg)
        number = int(value)
    except ValueError:
        return value
    if position < 1:
        return value
    try:
        return int(str(number)[-position])
    except IndexError:
        return 0


@register.filter(is_safe=True)
def filesizeformat(bytes_):
    """A number of bytes for people: '1 byte', '13 bytes', '1.5 MB', '2.0 GB' (with a non-breaking space)."""
    try:
        size = int(bytes_)
    except (TypeError, ValueError, UnicodeDecodeError):
        return avoid_wrapping("0 bytes")
    sign = "-" if size < 0 else ""
    size = abs(size)
    if size < 1024:
        text = f"{size} byte" if size == 1 else f"{size} bytes"
    else:
        for exponent, unit in enumerate(("KB", "MB", "GB", "TB", "PB"), start=1):
            if size < 1024 ** (exponent + 1) or unit == "PB":
                text = f"{round(size / 1024 ** exponent, 1):.1f} {unit}"
                break
    return avoid_wrapping(sign + text)


@register.filter(is_safe=False)
def pluralize(value, arg="s"):
    """A plural suffix: "" for 1, "s" otherwise; ``"es"`` or ``"y,ies"`` choose the suffixes.

    The value may be a number, a numeric string or a sequence (its length
    counts). "" for anything else, or for more than two suffixes.
    """
    if "," not in arg:
        arg = "," + arg
    suffixes = arg.split(",")
    if len(suffixes) > 2:
        return ""
    singular, plural = suffixes
    try:
        return singular if float(value) == 1 else plural
    except ValueError:  # a string that is not a number
        return ""
    except TypeError:  # not a string or a number: maybe a sequence
        try:
            return singular if len(value) == 1 else plural
        except TypeError:
            return ""


@register.filter(is_safe=True)
def phone2numeric(value):
    """Turn the letters of a phone number into keypad digits."""
    return text_utils.phone2numeric(value)


# --- dates ------------------------------------------------------------------

# The names a date or time filter accepts in place of a format string.
FORMAT_SETTINGS = frozenset({
    "DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
})


def _format_string(arg, default_setting: str) -> str:
    """The format to use: ``arg``, the setting it names, or the default setting."""
    name = arg or default_setting
    if name in FORMAT_SETTINGS:
        return getattr(settings, name)
    return name


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date or datetime (``"N j, Y"``, or a setting name like ``"SHORT_DATE_FORMAT"``).

    "" for a value that is not a date. A time specifier in the format of a
    plain date is a TypeError, as in Django: the template is wrong, not the data.
    """
    if value is None or value == "":
        return ""
    format_string = _format_string(arg, "DATE_FORMAT")
    if isinstance(value, datetime.date):
        return dateformat.format(value, format_string)
    if isinstance(value, datetime.time):
        try:
            return dateformat.time_format(value, format_string)
        except TypeError:
            return ""
    return ""


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    """Format the time of a time or datetime (``"H:i"``; default ``TIME_FORMAT``); "" for anything else."""
    if not isinstance(value, (datetime.time, datetime.datetime)):
        return ""
    try:
        return dateformat.time_format(value, _format_string(arg, "TIME_FORMAT"))
    except TypeError:
        return ""


@register.filter("timesince", is_safe=False)
def timesince_filter(value, arg=None):
    """How long ago ``value`` was, before ``arg`` or now: ``"2 days, 3 hours"``; "" if it can't tell."""
    return time_in_words(timesince, value, arg)


@register.filter("timeuntil", is_safe=False)
def timeuntil_filter(value, arg=None):
    """How long until ``value``, from ``arg`` or now: ``"4 weeks"``; "" if it can't tell."""
    return time_in_words(timeuntil, value, arg)


def time_in_words(count, value, arg) -> str:
    """``count(value, arg)`` (timesince or timeuntil), or "" for no value or one it cannot count."""
    if not value:
        return ""
    try:
        return count(value, arg or None)
    except (ValueError, TypeError):  # not a date, or one aware and one naive datetime
        return ""


# --- logic ------------------------------------------------------------------


@register.filter(is_safe=False)
def default(value, arg):
    """``arg`` when the value is false (None, "", 0, []...), else the value."""
    return value or arg


@register.filter(is_safe=False)
def default_if_none(value, arg):
    """``arg`` when the value is None, else the value."""
    if value is None:
        return arg
    return value


@register.filter(is_safe=False)
def yesno(value, arg="yes,no,maybe"):
    """Map true / false / None to the words of ``arg``: ``"yeah,no,maybe"``.

    With two words, None takes the second. Fewer than two: the value unchanged.
    """
    words = arg.split(",")
    if len(words) < 2:
        return value
    if len(words) == 3:
        yes, no, maybe = words
    else:  # two words, or too many: None shares the "no" word
        yes, no, maybe = words[0], words[1], words[1]
    if value is None:
        return maybe
    return yes if value else no
