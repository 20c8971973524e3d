"""The built-in filters, table by table: (template, context, expected output) triples probed against Django 5.2."""

import datetime as dt
import decimal
import time

import pytest

from tinyframe.template import defaultfilters
from tinyframe.template.defaultfilters import register, stringfilter, truncatewords
from tinyframe.test.utils import override_settings
from tinyframe.utils.safestring import SafeData
from tinyframe.utils.safestring import mark_safe as safe


class Obj:
    """An object with attributes, for filters that look attributes up (dictsort)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


# Each row: (template, context, what Django 5.2 renders).
class Unprintable:
    """A value whose repr() fails, as a half-built object's can."""

    def __repr__(self):
        raise ValueError("no repr")


FILTER_CASES = [
    ('{{ v|add:"2" }}', {"v": 1}, '3'),
    ('{{ v|add:"2" }}', {"v": "3"}, '5'),
    ('{{ v|add:w }}', {"v": [1], "w": [2, "<"]}, '[1, 2, &#x27;&lt;&#x27;]'),
    ('{{ v|add:"b" }}', {"v": "a"}, 'ab'),
    ('{{ v|add:1 }}', {"v": 1.5}, '2'),
    ('{{ v|addslashes }}', {"v": "I'm \"here\" \\o/"}, 'I\\&#x27;m \\&quot;here\\&quot; \\\\o/'),
    ('{{ v|capfirst }}', {"v": "élan <vital>"}, 'Élan &lt;vital&gt;'),
    ('{{ v|capfirst }}', {"v": ""}, ''),
    ('[{{ v|center:"7" }}]', {"v": "ab"}, '[   ab  ]'),
    ('[{{ v|center:"7" }}]', {"v": "abc"}, '[  abc  ]'),
    ('[{{ v|ljust:"5" }}]', {"v": "<"}, '[&lt;    ]'),
    ('[{{ v|rjust:"5" }}]', {"v": "<"}, '[    &lt;]'),
    ('[{{ v|rjust:"1" }}]', {"v": "long"}, '[long]'),
    ('{{ v|cut:" " }}', {"v": "a b c"}, 'abc'),
    ('{{ v|cut:";" }}', {"v": safe("&amp;")}, '&amp;amp'),
    ('{{ v|cut:"a" }}', {"v": safe("&amp;<b>")}, '&mp;<b>'),
    ('{{ v|date }}', {"v": dt.date(2024, 7, 4)}, 'July 4, 2024'),
    ('{{ v|date }}', {"v": dt.datetime(2024, 7, 4, 15, 5)}, 'July 4, 2024'),
    ('{{ v|date:"D d M Y" }}', {"v": dt.date(2024, 9, 1)}, 'Sun 01 Sep 2024'),
    ('{{ v|date:"jS F Y H:i" }}', {"v": dt.datetime(2024, 3, 22, 9, 7)}, '22nd March 2024 09:07'),
    ('{{ v|date:"l, N jS, P" }}', {"v": dt.datetime(2024, 9, 12, 12, 0)}, 'Thursday, Sept. 12th, noon'),
    ('{{ v|date:"SHORT_DATE_FORMAT" }}', {"v": dt.date(2024, 1, 4)}, '01/04/2024'),
    ('{{ v|date:"SHORT_DATETIME_FORMAT" }}', {"v": dt.datetime(2024, 1, 4, 0, 0)}, '01/04/2024 midnight'),
    ('{{ v|date:"DATETIME_FORMAT" }}', {"v": dt.datetime(2024, 1, 4, 18, 30)}, 'Jan. 4, 2024, 6:30 p.m.'),
    ('{{ v|date:"YEAR_MONTH_FORMAT" }}', {"v": dt.date(2024, 1, 4)}, 'January 2024'),
    ('{{ v|date:"MONTH_DAY_FORMAT" }}', {"v": dt.date(2024, 1, 4)}, 'January 4'),
    ('{{ v|date:"c" }}', {"v": dt.datetime(2024, 1, 4, 18, 30, tzinfo=dt.timezone.utc)}, '2024-01-04T18:30:00+00:00'),
    ('{{ v|date:"H:i" }}', {"v": dt.time(13, 5)}, '13:05'),
    ('{{ v|date:"\\\\Y\\\\e\\\\s Y" }}', {"v": dt.date(2024, 1, 4)}, 'Yes 2024'),
    ('{{ v|default:"nothing" }}', {"v": 0}, 'nothing'),
    ('{{ v|default:"nothing" }}', {"v": []}, 'nothing'),
    ('{{ v|default:"nothing" }}', {"v": "x"}, 'x'),
    ('{{ missing|default:"nothing" }}', {}, 'nothing'),
    ('{{ v|default:"<b>literal</b>" }}', {"v": ""}, '<b>literal</b>'),
    ('{{ v|default:w }}', {"v": None, "w": "<i>"}, '&lt;i&gt;'),
    ('{{ v|default_if_none:"none" }}', {"v": None}, 'none'),
    ('{{ v|default_if_none:"none" }}', {"v": 0}, '0'),
    ('{{ v|default_if_none:"none" }}', {"v": ""}, ''),
    ('{% for p in v|dictsort:"age" %}{{ p.name }} {% endfor %}', {"v": [{"name": "b", "age": 30}, {"name": "a", "age": 20}, {"name": "c", "age": 25}]}, 'a c b '),
    ('{% for p in v|dictsortreversed:"age" %}{{ p.name }} {% endfor %}', {"v": [{"name": "b", "age": 30}, {"name": "a", "age": 20}, {"name": "c", "age": 25}]}, 'b c a '),
    ('{% for p in v|dictsort:"author.name" %}{{ p.title }} {% endfor %}', {"v": [{"title": "x", "author": {"name": "zed"}}, {"title": "y", "author": Obj(name="amy")}]}, 'y x '),
    ('{% for p in v|dictsort:"name" %}{{ p.name }} {% endfor %}', {"v": [Obj(name="b"), Obj(name="a")]}, 'a b '),
    ('{% for p in v|dictsort:0 %}{{ p.1 }} {% endfor %}', {"v": [(2, "two"), (1, "one")]}, 'one two '),
    ('{{ v|divisibleby:"3" }}', {"v": 21}, 'True'),
    ('{{ v|divisibleby:"3" }}', {"v": "22"}, 'False'),
    ('{{ v|escape }}', {"v": "<b>&amp;</b>"}, '&lt;b&gt;&amp;amp;&lt;/b&gt;'),
    ('{{ v|escape|escape }}', {"v": "<&>"}, '&lt;&amp;&gt;'),
    ('{{ v|force_escape }}', {"v": safe("<b>")}, '&lt;b&gt;'),
    ('{% autoescape off %}{{ v|escape }}{% endautoescape %}', {"v": "<b>'q'"}, '&lt;b&gt;&#x27;q&#x27;'),
    ('{% autoescape off %}{{ v|force_escape|force_escape }}{% endautoescape %}', {"v": "&"}, '&amp;amp;'),
    ('{{ v|filesizeformat }}', {"v": 0}, '0\xa0bytes'),
    ('{{ v|filesizeformat }}', {"v": 1}, '1\xa0byte'),
    ('{{ v|filesizeformat }}', {"v": 1023}, '1023\xa0bytes'),
    ('{{ v|filesizeformat }}', {"v": 1024}, '1.0\xa0KB'),
    ('{{ v|filesizeformat }}', {"v": 1536}, '1.5\xa0KB'),
    ('{{ v|filesizeformat }}', {"v": 5 * 1024 ** 2}, '5.0\xa0MB'),
    ('{{ v|filesizeformat }}', {"v": 1024 ** 3 - 1}, '1024.0\xa0MB'),
    ('{{ v|filesizeformat }}', {"v": 3 * 1024 ** 3}, '3.0\xa0GB'),
    ('{{ v|filesizeformat }}', {"v": 1024 ** 4}, '1.0\xa0TB'),
    ('{{ v|filesizeformat }}', {"v": 2 * 1024 ** 5}, '2.0\xa0PB'),
    ('{{ v|filesizeformat }}', {"v": 1024 ** 6}, '1024.0\xa0PB'),
    ('{{ v|filesizeformat }}', {"v": -2048}, '-2.0\xa0KB'),
    ('{{ v|filesizeformat }}', {"v": "2048"}, '2.0\xa0KB'),
    ('{{ v|first }}', {"v": ["<a>", "b"]}, '&lt;a&gt;'),
    ('{{ v|first }}', {"v": "xyz"}, 'x'),
    ('{{ v|last }}', {"v": ["a", "<b>"]}, '&lt;b&gt;'),
    ('{{ v|last }}', {"v": "xyz"}, 'z'),
    ('{{ v|floatformat }}', {"v": 34.23234}, '34.2'),
    ('{{ v|floatformat }}', {"v": 34.0}, '34'),
    ('{{ v|floatformat }}', {"v": 34.26}, '34.3'),
    ('{{ v|floatformat:3 }}', {"v": 34.23234}, '34.232'),
    ('{{ v|floatformat:"3" }}', {"v": 34.0}, '34.000'),
    ('{{ v|floatformat:"-3" }}', {"v": 34.0}, '34'),
    ('{{ v|floatformat:"-3" }}', {"v": 34.26}, '34.260'),
    ('{{ v|floatformat:"0" }}', {"v": 34.5}, '35'),
    ('{{ v|floatformat:"0" }}', {"v": 35.5}, '36'),
    ('{{ v|floatformat:"0" }}', {"v": -0.5}, '-1'),
    ('{{ v|floatformat:"2" }}', {"v": 2.675}, '2.68'),
    ('{{ v|floatformat:"2" }}', {"v": "2.675"}, '2.68'),
    ('{{ v|floatformat:"1" }}', {"v": -0.04}, '0.0'),
    ('{{ v|floatformat:"2g" }}', {"v": 1234567.891}, '1,234,567.89'),
    ('{{ v|floatformat:"g" }}', {"v": 1234}, '1,234'),
    ('{{ v|floatformat:"-2g" }}', {"v": -1234.5}, '-1,234.50'),
    ('{{ v|floatformat:"2u" }}', {"v": 1234.5}, '1234.50'),
    ('{{ v|floatformat:"ug" }}', {"v": 1234.5}, '1234.5'),
    ('{{ v|floatformat:"2" }}', {"v": "1e10"}, '10000000000.00'),
    ('{{ v|floatformat:"20" }}', {"v": 1.1}, '1.10000000000000000000'),
    ('{{ v|floatformat:"2" }}', {"v": decimal.Decimal("123456789012345678901234567890.555")}, '123456789012345678901234567890.56'),
    ('{{ v|floatformat }}', {"v": True}, '1'),
    ('{{ v|truncatechars_html:7 }}', {"v": safe("<p>Hello <b>world</b></p>")}, '<p>Hello <b>…</b></p>'),
    ('{{ v|truncatechars_html:7 }}', {"v": "<p>Hello <b>world</b></p>"}, '&lt;p&gt;Hello &lt;b&gt;…&lt;/b&gt;&lt;/p&gt;'),
    ('{{ v|truncatewords_html:1 }}', {"v": safe("<p>Hello <b>world</b></p>")}, '<p>Hello <b> …</b></p>'),
    ('{{ v|truncatewords_html:1 }}', {"v": "<p>Hello <b>world</b></p>"}, '&lt;p&gt;Hello &lt;b&gt; …&lt;/b&gt;&lt;/p&gt;'),
    ('{{ v|truncatewords_html:0 }}', {"v": safe("<p>Hello</p>")}, ''),
    ('{% autoescape off %}{{ v|truncatechars_html:4 }}{% endautoescape %}', {"v": "<i>a&amp;b c</i>"}, '<i>a&amp;b…</i>'),
    ('{{ v|truncatechars_html:3 }}', {"v": 12345}, '12…'),
    ('{{ v|join:", " }}', {"v": ["a", "<b>", "c"]}, 'a, &lt;b&gt;, c'),
    ('{{ v|join:" <br> " }}', {"v": ["a", "b"]}, 'a <br> b'),
    ('{{ v|join:w }}', {"v": ["a", "b"], "w": safe("<br>")}, 'a<br>b'),
    ('{{ v|join:"," }}', {"v": [safe("<i>"), "<b>"]}, '<i>,&lt;b&gt;'),
    ('{{ v|join:"," }}', {"v": [1, 2]}, '1,2'),
    ('{{ v|join:"-" }}', {"v": "abc"}, 'a-b-c'),
    ('{% autoescape off %}{{ v|join:", " }}{% endautoescape %}', {"v": ["a", "<b>"]}, 'a, <b>'),
    ('{{ v|length }}', {"v": [1, 2, 3]}, '3'),
    ('{{ v|length }}', {"v": "four"}, '4'),
    ('{{ v|length }}', {"v": {"a": 1}}, '1'),
    ('{{ missing|length }}', {}, '0'),
    ('{{ v|linebreaks }}', {"v": "Dear <you>,\nhello.\n\nBye"}, '<p>Dear &lt;you&gt;,<br>hello.</p>\n\n<p>Bye</p>'),
    ('{{ v|linebreaks }}', {"v": "a\r\nb\r\n\r\nc"}, '<p>a<br>b</p>\n\n<p>c</p>'),
    ('{{ v|linebreaks }}', {"v": safe("<i>x</i>\n\ny")}, '<p><i>x</i></p>\n\n<p>y</p>'),
    ('{% autoescape off %}{{ v|linebreaks }}{% endautoescape %}', {"v": "<i>x</i>\ny"}, '<p><i>x</i><br>y</p>'),
    ('{{ v|linebreaksbr }}', {"v": "a<\r\nb\rc\nd"}, 'a&lt;<br>b<br>c<br>d'),
    ('{{ v|linebreaksbr }}', {"v": safe("<i>\nx")}, '<i><br>x'),
    ('{{ v|linenumbers }}', {"v": "one\n<two>\nthree"}, '1. one\n2. &lt;two&gt;\n3. three'),
    ('{{ v|linenumbers }}', {"v": "x\n" * 10}, '01. x\n02. x\n03. x\n04. x\n05. x\n06. x\n07. x\n08. x\n09. x\n10. x\n11. '),
    ('{{ v|lower }}', {"v": "HeLLo <B>"}, 'hello &lt;b&gt;'),
    ('{{ v|upper }}', {"v": "hello <b>"}, 'HELLO &lt;B&gt;'),
    ('{{ v|safe|upper }}', {"v": "&amp;"}, '&amp;AMP;'),
    ('{{ v|safe|lower }}', {"v": "<B>X</B>"}, '<b>x</b>'),
    ('{{ v|title }}', {"v": "they're bill's friends from the UK, 1st and 2ND"}, 'They&#x27;re Bill&#x27;s Friends From The Uk, 1st And 2nd'),
    ('{{ v|title }}', {"v": "JOHN O'REILLY"}, 'John O&#x27;Reilly'),
    ('{{ v|make_list }}', {"v": "ab<"}, '[&#x27;a&#x27;, &#x27;b&#x27;, &#x27;&lt;&#x27;]'),
    ('{{ v|make_list }}', {"v": 123}, '[&#x27;1&#x27;, &#x27;2&#x27;, &#x27;3&#x27;]'),
    ('{% for c in v|make_list %}[{{ c }}]{% endfor %}', {"v": "abc"}, '[a][b][c]'),
    ('{{ v }} vote{{ v|pluralize }}', {"v": 1}, '1 vote'),
    ('{{ v }} vote{{ v|pluralize }}', {"v": 2}, '2 votes'),
    ('{{ v }} vote{{ v|pluralize }}', {"v": 0}, '0 votes'),
    ('class{{ v|pluralize:"es" }}', {"v": 3}, 'classes'),
    ('class{{ v|pluralize:"es" }}', {"v": 1}, 'class'),
    ('cherr{{ v|pluralize:"y,ies" }}', {"v": 1}, 'cherry'),
    ('cherr{{ v|pluralize:"y,ies" }}', {"v": 2}, 'cherries'),
    ('item{{ v|pluralize }}', {"v": [1]}, 'item'),
    ('item{{ v|pluralize }}', {"v": [1, 2]}, 'items'),
    ('item{{ v|pluralize }}', {"v": "1"}, 'item'),
    ('item{{ v|pluralize }}', {"v": 1.0}, 'item'),
    ('item{{ v|pluralize }}', {"v": 1.5}, 'items'),
    ('{{ v|slice:":2" }}', {"v": "abcdef"}, 'ab'),
    ('{{ v|slice:"-2:" }}', {"v": [1, 2, 3]}, '[2, 3]'),
    ('{{ v|slice:"::2" }}', {"v": "abcdef"}, 'ace'),
    ('{{ v|slice:"1:-1" }}', {"v": "abcdef"}, 'bcde'),
    ('{{ v|slice:"2" }}', {"v": "abcdef"}, 'ab'),
    ('{{ v|slice:":2"|join:"," }}', {"v": ["<a>", "b", "c"]}, '&lt;a&gt;,b'),
    ('{{ v|slugify }}', {"v": " Ça va? Très bien! "}, 'ca-va-tres-bien'),
    ('{{ v|slugify }}', {"v": "__Hello--World__"}, 'hello-world'),
    ('{{ v|slugify }}', {"v": "It's 5 o'clock"}, 'its-5-oclock'),
    ('{{ v|slugify }}', {"v": "日本語 text"}, 'text'),
    ('{{ v|striptags }}', {"v": "<p class=\"x\">Hello <b>world</b>!</p>"}, 'Hello world!'),
    ('{{ v|striptags }}', {"v": "<b>a &amp; b</b> 1 < 2"}, 'a &amp;amp; b 1 &lt; 2'),
    ('{{ v|striptags }}', {"v": "<scr<script>ipt>alert(1)</script>"}, 'ipt&gt;alert(1)'),
    ('{{ v|striptags|safe }}', {"v": "<p>x<br/>y</p>"}, 'xy'),
    ('{{ v|time }}', {"v": dt.time(15, 5)}, '3:05 p.m.'),
    ('{{ v|time }}', {"v": dt.time(0, 0)}, 'midnight'),
    ('{{ v|time }}', {"v": dt.time(12, 0)}, 'noon'),
    ('{{ v|time:"H:i:s" }}', {"v": dt.datetime(2024, 1, 4, 7, 8, 9)}, '07:08:09'),
    ('{{ v|time:"g:i A" }}', {"v": dt.time(0, 30)}, '12:30 AM'),
    ('{{ v|time:"TIME_FORMAT" }}', {"v": dt.time(9, 30)}, '9:30 a.m.'),
    ('{{ v|truncatechars:9 }}', {"v": "Joel is a slug"}, 'Joel is …'),
    ('{{ v|truncatechars:"20" }}', {"v": "Joel is a slug"}, 'Joel is a slug'),
    ('{{ v|truncatechars:1 }}', {"v": "Joel"}, '…'),
    ('{{ v|truncatechars:0 }}', {"v": "Joel"}, ''),
    ('{{ v|truncatechars:5 }}', {"v": "<b>is bold</b>"}, '&lt;b&gt;i…'),
    ('{{ v|truncatewords:2 }}', {"v": "Joel is a slug"}, 'Joel is …'),
    ('{{ v|truncatewords:"4" }}', {"v": "Joel is a slug"}, 'Joel is a slug'),
    ('{{ v|truncatewords:"10" }}', {"v": "  Joel   is\n a slug "}, 'Joel is a slug'),
    ('{{ v|truncatewords:0 }}', {"v": "Joel is a slug"}, ''),
    ('{{ v|truncatewords:1 }}', {"v": "<b>Joel</b> is"}, '&lt;b&gt;Joel&lt;/b&gt; …'),
    ('{{ v|urlencode }}', {"v": "/a b/café?x=1&y=<"}, '/a%20b/caf%C3%A9%3Fx%3D1%26y%3D%3C'),
    ('{{ v|urlencode:"" }}', {"v": "/a b/"}, '%2Fa%20b%2F'),
    ('{{ v|urlencode:"/?=&" }}', {"v": "/a b/?x=1&y=2"}, '/a%20b/?x=1&amp;y=2'),
    ('<a href="?q={{ v|urlencode }}">', {"v": "\"><script>"}, '<a href="?q=%22%3E%3Cscript%3E">'),
    ('{{ v|iriencode }}', {"v": "/café/?a=1&b=<"}, '/caf%C3%A9/?a=1&amp;b=%3C'),
    ('{{ v|urlize }}', {"v": "see http://example.com/a?b=1&c=2. <b>"}, 'see <a href="http://example.com/a?b=1&amp;c=2" rel="nofollow">http://example.com/a?b=1&amp;c=2</a>. &lt;b&gt;'),
    ('{{ v|urlize }}', {"v": "www.example.org and mail me@example.com"}, '<a href="http://www.example.org" rel="nofollow">www.example.org</a> and mail <a href="mailto:me@example.com">me@example.com</a>'),
    ('{{ v|urlize }}', {"v": "(http://example.com/a)"}, '(<a href="http://example.com/a" rel="nofollow">http://example.com/a</a>)'),
    ('{{ v|urlize }}', {"v": "javascript:alert(1) example.com/x"}, 'javascript:alert(1) <a href="http://example.com/x" rel="nofollow">example.com/x</a>'),
    ('{{ v|urlize }}', {"v": "http://example.com/\"onmouseover=\"alert(1)"}, '<a href="http://example.com/" rel="nofollow">http://example.com/</a>&quot;onmouseover=&quot;alert(1)'),
    ('{% autoescape off %}{{ v|urlize }}{% endautoescape %}', {"v": "<b>http://example.com</b>"}, '<b><a href="http://example.com" rel="nofollow">http://example.com</a></b>'),
    ('{{ v|urlizetrunc:15 }}', {"v": "http://example.com/a/long/path"}, '<a href="http://example.com/a/long/path" rel="nofollow">http://example…</a>'),
    ('{{ v|wordcount }}', {"v": " a  b\nc "}, '3'),
    ('{{ v|wordcount }}', {"v": ""}, '0'),
    ('{{ v|wordwrap:10 }}', {"v": "The quick brown fox jumps over the lazy dog"}, 'The quick\nbrown fox\njumps over\nthe lazy\ndog'),
    ('{{ v|wordwrap:"3" }}', {"v": "averylongword <b>"}, 'averylongword\n&lt;b&gt;'),
    ('{{ v|yesno }}', {"v": True}, 'yes'),
    ('{{ v|yesno }}', {"v": False}, 'no'),
    ('{{ v|yesno }}', {"v": None}, 'maybe'),
    ('{{ v|yesno:"yeah,nope" }}', {"v": None}, 'nope'),
    ('{{ v|yesno:"yeah,nope,dunno" }}', {"v": None}, 'dunno'),
    ('{{ v|yesno:"yeah,nope,dunno" }}', {"v": []}, 'nope'),
    ('{{ v|yesno:"<y>,<n>" }}', {"v": 1}, '&lt;y&gt;'),
    ('{{ v|safe }}', {"v": "<b>bold</b>"}, '<b>bold</b>'),
    ('{{ v|safeseq|join:"" }}', {"v": ["<b>", "<i>"]}, '<b><i>'),
    ('{{ v|join:"" }}', {"v": ["<b>", "<i>"]}, '&lt;b&gt;&lt;i&gt;'),
    ('{% autoescape off %}{{ v|escapeseq|join:"," }}{% endautoescape %}', {"v": ["<a>", safe("<b>"), 1]}, '&lt;a&gt;,<b>,1'),
    ('{{ v|stringformat:"03d" }}', {"v": 7}, '007'),
    ('{{ v|stringformat:".2f" }}', {"v": 3.14159}, '3.14'),
    ('{{ v|stringformat:"s" }}', {"v": (1, "<")}, '(1, &#x27;&lt;&#x27;)'),
    ('{{ v|stringformat:"E" }}', {"v": 1000}, '1.000000E+03'),
    ('<script>var s = "{{ v|escapejs }}";</script>', {"v": "\";alert(1);//</script>"}, '<script>var s = "\\u0022\\u003Balert(1)\\u003B//\\u003C/script\\u003E";</script>'),
    ('{{ v|json_script:"data" }}', {"v": {"title": "</script><b>&"}}, '<script id="data" type="application/json">{"title": "\\u003C/script\\u003E\\u003Cb\\u003E\\u0026"}</script>'),
    ('{{ v|json_script }}', {"v": [1, "a"]}, '<script type="application/json">[1, "a"]</script>'),
    ('{{ v|unordered_list }}', {"v": ["States", ["Kansas", ["Lawrence", "Topeka"], "<Illinois>"]]}, '\t<li>States\n\t<ul>\n\t\t<li>Kansas\n\t\t<ul>\n\t\t\t<li>Lawrence</li>\n\t\t\t<li>Topeka</li>\n\t\t</ul>\n\t\t</li>\n\t\t<li>&lt;Illinois&gt;</li>\n\t</ul>\n\t</li>'),
    ('{{ v|unordered_list }}', {"v": ["a", "b"]}, '\t<li>a</li>\n\t<li>b</li>'),
    ('{% autoescape off %}{{ v|unordered_list }}{% endautoescape %}', {"v": ["<a>", ["<b>"]]}, '\t<li><a>\n\t<ul>\n\t\t<li><b></li>\n\t</ul>\n\t</li>'),
    ('{{ v|get_digit:"2" }}', {"v": 12345}, '4'),
    ('{{ v|get_digit:"9" }}', {"v": 12345}, '0'),
    ('{{ v|phone2numeric }}', {"v": "1-800-FLOWERS"}, '1-800-3569377'),
    ('{{ v|random }}', {"v": ["only"]}, 'only'),
    ('{{ v|lower|capfirst|truncatewords:2 }}', {"v": "HELLO BIG <WORLD>"}, 'Hello big …'),
    ('{{ v|striptags|truncatechars:8|upper }}', {"v": "<p>hello world</p>"}, 'HELLO W…'),
    ('{{ v|default:"none"|upper }}', {"v": None}, 'NONE'),
    ('{{ v|cut:"-"|slugify }}', {"v": "a-b c"}, 'ab-c'),
    # timesince and timeuntil: outputs from Django 5.2 for the same values.
    ('{{ a|timesince:b }}', {"a": dt.datetime(2024, 1, 1), "b": dt.datetime(2024, 3, 15, 6)}, '2\xa0months, 2\xa0weeks'),
    ('{{ b|timeuntil:a }}', {"a": dt.datetime(2024, 1, 1), "b": dt.datetime(2024, 3, 15, 6)}, '2\xa0months, 2\xa0weeks'),
    ('{{ a|timeuntil:b }}', {"a": dt.datetime(2024, 1, 1), "b": dt.datetime(2024, 3, 15, 6)}, '0\xa0minutes'),
    ('{{ a|timesince:b }}', {"a": dt.date(2024, 1, 1), "b": dt.datetime(2024, 1, 2, 7, 30)}, '1\xa0day, 7\xa0hours'),
    ('{{ v|pprint }}', {"v": {"b": [1, "x<"], "a": (2,)}}, '{&#x27;a&#x27;: (2,), &#x27;b&#x27;: [1, &#x27;x&lt;&#x27;]}'),
]

# Bad input: Django returns "" or the value unchanged, and so must tinyframe.
BAD_INPUT_CASES = [
    ('[{{ v|add:"x" }}]', {"v": 1}, '[]'),
    ('[{{ v|add:"2" }}]', {"v": None}, '[]'),
    ('[{{ v|add:w }}]', {"v": [1], "w": 2}, '[]'),
    ('[{{ v|date:"Y" }}]', {"v": None}, '[]'),
    ('[{{ v|date:"Y" }}]', {"v": ""}, '[]'),
    ('[{{ v|date:"Y" }}]', {"v": "2024-01-01"}, '[]'),
    ('[{{ v|date:"Y" }}]', {"v": 5}, '[]'),
    ('[{{ v|date:"Y" }}]', {"v": dt.time(1, 2)}, '[]'),
    ('[{{ missing|date:"Y" }}]', {}, '[]'),
    ('[{{ v|time:"H" }}]', {"v": dt.date(2024, 1, 1)}, '[]'),
    ('[{{ v|time:"Y" }}]', {"v": dt.time(1, 2)}, '[]'),
    ('[{{ v|time }}]', {"v": "noon"}, '[]'),
    ('[{{ v|dictsort:"a" }}]', {"v": {"a": 1}}, '[]'),
    ('[{{ v|dictsort:"a" }}]', {"v": None}, '[]'),
    ('[{{ v|dictsort:"a" }}]', {"v": [{"a": 1}, {"b": 2}]}, '[]'),
    ('[{{ v|dictsort:"a" }}]', {"v": [{"a": 1}, {"a": "x"}]}, '[]'),
    ('[{{ v|dictsort:"_private" }}]', {"v": [{"_private": 1}]}, '[]'),
    ('[{{ v|dictsort:"a._b" }}]', {"v": [{"a": {"_b": 1}}]}, '[]'),
    ('[{{ v|dictsortreversed:"a" }}]', {"v": 5}, '[]'),
    ('[{{ v|dictsortreversed:"a" }}]', {"v": {"a": 1}}, '[]'),
    ('[{{ v|filesizeformat }}]', {"v": "lots"}, '[0\xa0bytes]'),
    ('[{{ v|filesizeformat }}]', {"v": None}, '[0\xa0bytes]'),
    ('[{{ v|first }}]', {"v": []}, '[]'),
    ('[{{ v|first }}]', {"v": ""}, '[]'),
    ('[{{ v|last }}]', {"v": []}, '[]'),
    ('{{ v|truncatewords_html:"x" }}', {"v": safe("<p>Hello <b>world</b></p>")}, '<p>Hello <b>world</b></p>'),
    ('{{ v|truncatechars_html:"x" }}', {"v": "<p>Hi</p>"}, '&lt;p&gt;Hi&lt;/p&gt;'),
    ('[{{ v|floatformat }}]', {"v": "abc"}, '[]'),
    ('[{{ v|floatformat }}]', {"v": None}, '[]'),
    ('[{{ v|floatformat }}]', {"v": [1]}, '[]'),
    ('[{{ v|floatformat:"x" }}]', {"v": 1.5}, '[1.5]'),
    ('[{{ v|floatformat:"2" }}]', {"v": float("nan")}, '[nan]'),
    ('[{{ v|floatformat:"2" }}]', {"v": float("inf")}, '[inf]'),
    ('[{{ v|join:"," }}]', {"v": 5}, '[5]'),
    ('[{{ v|join:"," }}]', {"v": None}, '[None]'),
    ('[{% autoescape off %}{{ v|join:"," }}{% endautoescape %}]', {"v": [1, 2]}, '[[1, 2]]'),
    ('[{{ v|length }}]', {"v": 5}, '[0]'),
    ('[{{ v|length }}]', {"v": None}, '[0]'),
    ('[{{ v|pluralize }}]', {"v": "many"}, '[]'),
    ('[{{ v|pluralize }}]', {"v": object()}, '[]'),
    ('[{{ v|pluralize:"a,b,c" }}]', {"v": 2}, '[]'),
    ('[{{ v|random }}]', {"v": []}, '[]'),
    ('[{{ v|slice:"x" }}]', {"v": "abc"}, '[abc]'),
    ('[{{ v|slice:"1:x" }}]', {"v": [1, 2]}, '[[1, 2]]'),
    ('[{{ v|slice:"1" }}]', {"v": 5}, '[5]'),
    ('[{{ v|slice:"::0" }}]', {"v": "abc"}, '[abc]'),
    ('[{{ v|stringformat:"d" }}]', {"v": "seven"}, '[]'),
    ('[{{ v|stringformat:"s" }}]', {"v": None}, '[None]'),
    ('[{{ v|truncatechars:"x" }}]', {"v": "keep me"}, '[keep me]'),
    ('[{{ v|truncatewords:"x" }}]', {"v": "keep me"}, '[keep me]'),
    ('[{{ v|truncatewords:2 }}]', {"v": None}, '[None]'),
    ('[{{ v|get_digit:"1" }}]', {"v": "abc"}, '[abc]'),
    ('[{{ v|get_digit:"x" }}]', {"v": 123}, '[123]'),
    ('[{{ v|get_digit:"0" }}]', {"v": 123}, '[123]'),
    ('[{{ v|yesno:"onlyone" }}]', {"v": True}, '[True]'),
    ('[{{ v|unordered_list }}]', {"v": []}, '[]'),
    ('[{{ v|upper }}]', {"v": None}, '[NONE]'),
    ('[{{ v|lower }}]', {"v": 5}, '[5]'),
    ('[{{ v|capfirst }}]', {"v": None}, '[None]'),
    ('[{{ v|linebreaks }}]', {"v": None}, '[<p>None</p>]'),
    ('[{{ v|wordcount }}]', {"v": None}, '[1]'),
    ('[{{ v|slugify }}]', {"v": None}, '[none]'),
    ('[{{ v|striptags }}]', {"v": 5}, '[5]'),
    ('[{{ v|urlize }}]', {"v": None}, '[None]'),
    ('[{{ v|escape }}]', {"v": None}, '[None]'),
    ('[{{ v|cut:"x" }}]', {"v": 5}, '[5]'),
    ('[{{ missing|upper|default:"fallback" }}]', {}, '[fallback]'),
    ('[{{ v|timesince:b }}]', {"v": None, "b": dt.datetime(2024, 1, 1)}, '[]'),
    ('[{{ v|timeuntil:b }}]', {"v": "", "b": dt.datetime(2024, 1, 1)}, '[]'),
    ('[{{ v|timesince:b }}]', {"v": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), "b": dt.datetime(2024, 2, 1)}, '[]'),
    # Django raises AttributeError for text; a filter given bad input says nothing instead.
    ('[{{ v|timesince:b }}]', {"v": "yesterday", "b": dt.datetime(2024, 1, 1)}, '[]'),
    ('[{{ v|pprint }}]', {"v": Unprintable()}, '[Error in formatting: ValueError: no repr]'),
]

# Where Django raises, tinyframe raises the same exception.
RAISING_CASES = [
    ('{{ v|center:"x" }}', {"v": "ab"}, ValueError),
    ('{{ v|ljust:"wide" }}', {"v": "ab"}, ValueError),
    ('{{ v|rjust:"wide" }}', {"v": "ab"}, ValueError),
    ('{{ v|divisibleby:"x" }}', {"v": 4}, ValueError),
    ('{{ v|divisibleby:"0" }}', {"v": 4}, ZeroDivisionError),
    ('{{ v|wordwrap:"x" }}', {"v": "ab"}, ValueError),
    ('{{ v|urlizetrunc:"x" }}', {"v": "http://a.com"}, ValueError),
    ('{{ v|date:"H:i" }}', {"v": dt.date(2024, 1, 4)}, TypeError),
    ('{{ v|first }}', {"v": None}, TypeError),
]


def test_filter(check_renderings):
    """Each built-in filter gives Django's output, escaped (or not) as Django escapes it."""
    check_renderings(FILTER_CASES)


def test_filter_with_bad_input_does_not_crash(check_renderings):
    """A filter given a value or argument it cannot use returns "" or the value unchanged, never an error."""
    check_renderings(BAD_INPUT_CASES)


@pytest.mark.parametrize("template, context, error", RAISING_CASES)
def test_filter_errors_that_django_raises_too(render, template, context, error):
    """Where the template itself is wrong (a width that is not a number, a time format for a date), the error shows."""
    with pytest.raises(error):
        render(template, context)


# --- floatformat: a bound against huge numbers ----------------------------------------------

# Django 5.2's output: a number whose digits and exponent add up to more than
# 200 is shown as it came, so "1e200" costs nothing to render.
FLOATFORMAT_BOUND_CASES = [
    (1e200, -1, "1e+200"),
    (1e200, "2", "1e+200"),
    (decimal.Decimal("1e200"), "-2g", "1E+200"),
    ("1e200", "2", "1e200"),
    (decimal.Decimal("1e-300"), "2", "1E-300"),
    (10**200, "2", str(10**200)),
    ("9" * 201, "g", "9" * 201),
    (1.5e199, "-2", "15" + "0" * 198),
    ("9" * 200, "0", "9" * 200),
    ("0." + "0" * 198 + "1", "2", "0.00"),
    ("0." + "0" * 199 + "1", "2", "0." + "0" * 199 + "1"),
]


@pytest.mark.parametrize("value, argument, expected", FLOATFORMAT_BOUND_CASES)
def test_floatformat_shows_very_long_numbers_as_they_came(value, argument, expected):
    """Past 200 digits and exponent together, floatformat returns the value as text, as Django does."""
    got = defaultfilters.floatformat(value, argument)
    assert got == expected, f"floatformat({str(value)[:30]!r}..., {argument!r}) returned {got[:40]!r}; expected {expected[:40]!r}"


@pytest.mark.slow  # megabytes of hostile input: a DoS bound, run by the full suite
@pytest.mark.parametrize(
    "value",
    [
        pytest.param("9" * 1_000_000, id="a-million-digit-string"),
        pytest.param(decimal.Decimal("9" * 1_000_000), id="a-million-digit-Decimal"),
        pytest.param("1e999999999", id="a-huge-exponent"),
        pytest.param("0." + "0" * 1_000_000 + "1", id="a-million-decimal-places"),
    ],
)
def test_floatformat_on_a_million_digits_answers_at_once(render, value):
    """{{ v|floatformat }} on a million digits renders the value unchanged in well under a second (it took 22 s)."""
    # Processor time, not the clock: a busy machine must not fail a bound on our own work.
    started = time.process_time()
    got = render("{{ v|floatformat:2 }}", {"v": value})
    elapsed = time.process_time() - started
    assert got == str(value), f"floatformat changed a {len(str(value)):,}-character number: {got[:40]!r}..."
    assert elapsed < 0.5, f"rendering floatformat on {len(str(value)):,} characters took {elapsed:.2f}s"


# --- truncatewords (exercise 03.4) ---------------------------------------------------------


@pytest.mark.exercise("03.4")
@pytest.mark.parametrize(
    "value, argument, expected",
    [
        ("Joel is a slug", "2", "Joel is …"),
        ("Joel is a slug", "3", "Joel is a …"),
        ("Joel is a slug", "4", "Joel is a slug"),
        ("Joel is a slug", "10", "Joel is a slug"),
        ("  Joel   is\n a slug ", "10", "Joel is a slug"),
        ("one\ttwo\nthree four", "3", "one two three …"),
        ("Joel is a slug", "0", ""),
        ("Joel is a slug", 1, "Joel …"),
        ("", "3", ""),
    ],
)
def test_truncatewords(value, argument, expected):
    """truncatewords keeps the first N words, joined by single spaces, adding ' …' only when words were dropped."""
    got = truncatewords(value, argument)
    assert got == expected, f"truncatewords({value!r}, {argument!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.exercise("03.4")
@pytest.mark.parametrize("argument", ["many", "", "2.5"])
def test_truncatewords_with_a_bad_argument_returns_the_value(argument):
    """An argument that is not a whole number leaves the value as it was."""
    got = truncatewords("Joel is a slug", argument)
    assert got == "Joel is a slug", f"truncatewords('Joel is a slug', {argument!r}) returned {got!r}; expected it unchanged"


@pytest.mark.exercise("03.4")
def test_truncatewords_in_a_template(render):
    """{{ text|truncatewords:"3" }} in a template shortens, then escapes the result."""
    got = render('{{ text|truncatewords:"3" }}', {"text": "Hello <big> wide world of templates"})
    assert got == "Hello &lt;big&gt; wide …", f"rendering truncatewords:\"3\" gave {got!r}; expected 'Hello &lt;big&gt; wide …'"
    got = render("{{ text|truncatewords:3 }}", {"text": safe("<b>Hello</b> wide world of templates")})
    assert got == "<b>Hello</b> wide world …", f"a safe value must stay safe through truncatewords; got {got!r}"


# --- flags, stringfilter and settings ----------------------------------------------------------


def test_every_issue_listed_filter_is_registered():
    """The built-in library registers every filter the chapter promises, under Django's names."""
    promised = (
        "add capfirst center cut date default default_if_none dictsort divisibleby escape filesizeformat first "
        "floatformat join last length linebreaks linebreaksbr ljust lower make_list pluralize random rjust safe "
        "slice slugify striptags time timesince timeuntil title truncatechars truncatechars_html truncatewords "
        "truncatewords_html upper urlencode urlize urlizetrunc wordcount yesno pprint"
    ).split()
    missing = [name for name in promised if name not in register.filters]
    assert not missing, f"these filters are not registered: {missing}"


def test_stringfilter_keeps_safety_only_for_safe_filters():
    """stringfilter passes str(value) on; a safe input gives a safe output only if the filter is_safe."""

    @stringfilter
    def shout(value):
        return value.upper()

    assert shout(5) == "5"
    assert not isinstance(shout(safe("<b>")), SafeData), "a filter not flagged is_safe must not mark its result safe"
    shout.is_safe = True
    assert isinstance(shout(safe("<b>")), SafeData), "an is_safe filter keeps a safe input safe"
    assert not isinstance(shout("<b>"), SafeData), "an unsafe input stays unsafe"


def test_date_formats_come_from_settings(render):
    """{{ value|date }} uses DATE_FORMAT; a setting's name as the argument uses that setting."""
    day = dt.datetime(2024, 7, 4, 9, 30)
    with override_settings(DATE_FORMAT="d/m/Y", SHORT_DATE_FORMAT="Y.m.d", TIME_FORMAT="H:i"):
        assert render("{{ v|date }}", {"v": day}) == "04/07/2024"
        assert render('{{ v|date:"SHORT_DATE_FORMAT" }}', {"v": day}) == "2024.07.04"
        assert render("{{ v|time }}", {"v": day}) == "09:30"


def test_random_picks_an_item(render):
    """random returns one of the items."""
    items = ["a", "b", "c"]
    for _ in range(10):
        got = render("{{ v|random }}", {"v": items})
        assert got in items, f"random over {items} gave {got!r}"


def test_filters_are_plain_functions():
    """A built-in filter can be called directly, as Python, with the value and its argument."""
    assert defaultfilters.floatformat(3.14159, "2") == "3.14"
    assert defaultfilters.pluralize(2, "y,ies") == "ies"
    assert defaultfilters.slice_filter([1, 2, 3], ":2") == [1, 2]
    assert defaultfilters.escape_filter("<") == "&lt;"
    assert defaultfilters.linebreaks_filter("a\nb") == "<p>a<br>b</p>"
