"""Date formatting: every format character of tinyframe.utils.dateformat, on dates, times and datetimes.

The expected outputs were probed against Django 5.2 with TIME_ZONE = "UTC" (the
zone tinyframe assumes for naive datetimes).
"""

import datetime as dt
import functools
import zoneinfo

import pytest

from tinyframe.utils.dateformat import format, time_format

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

DATETIME_CASES = [
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'd', '04'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'D', 'Thu'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'j', '4'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'l', 'Thursday'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'N', 'July'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'S', 'th'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'w', '4'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'z', '186'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'W', '27'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'm', '07'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'n', '7'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'M', 'Jul'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'b', 'jul'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'E', 'July'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'F', 'July'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'y', '24'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'Y', '2024'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'L', 'True'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'o', '2024'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 't', '31'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'a', 'p.m.'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'A', 'PM'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'f', '3:05'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'g', '3'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'G', '15'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'h', '03'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'H', '15'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'i', '05'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 's', '09'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'u', '123456'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'P', '3:05 p.m.'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'c', '2024-07-04T15:05:09.123456'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'r', 'Thu, 04 Jul 2024 15:05:09 +0000'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'U', '1720105509'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'e', ''),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'O', '+0000'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'T', 'UTC'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'Z', '0'),
    (dt.datetime(2024, 7, 4, 15, 5, 9, 123456), 'I', '0'),
    (dt.datetime(2021, 1, 1, 0, 0), 'd', '01'),
    (dt.datetime(2021, 1, 1, 0, 0), 'D', 'Fri'),
    (dt.datetime(2021, 1, 1, 0, 0), 'j', '1'),
    (dt.datetime(2021, 1, 1, 0, 0), 'l', 'Friday'),
    (dt.datetime(2021, 1, 1, 0, 0), 'N', 'Jan.'),
    (dt.datetime(2021, 1, 1, 0, 0), 'S', 'st'),
    (dt.datetime(2021, 1, 1, 0, 0), 'w', '5'),
    (dt.datetime(2021, 1, 1, 0, 0), 'z', '1'),
    (dt.datetime(2021, 1, 1, 0, 0), 'W', '53'),
    (dt.datetime(2021, 1, 1, 0, 0), 'm', '01'),
    (dt.datetime(2021, 1, 1, 0, 0), 'n', '1'),
    (dt.datetime(2021, 1, 1, 0, 0), 'M', 'Jan'),
    (dt.datetime(2021, 1, 1, 0, 0), 'b', 'jan'),
    (dt.datetime(2021, 1, 1, 0, 0), 'E', 'January'),
    (dt.datetime(2021, 1, 1, 0, 0), 'F', 'January'),
    (dt.datetime(2021, 1, 1, 0, 0), 'y', '21'),
    (dt.datetime(2021, 1, 1, 0, 0), 'Y', '2021'),
    (dt.datetime(2021, 1, 1, 0, 0), 'L', 'False'),
    (dt.datetime(2021, 1, 1, 0, 0), 'o', '2020'),
    (dt.datetime(2021, 1, 1, 0, 0), 't', '31'),
    (dt.datetime(2021, 1, 1, 0, 0), 'a', 'a.m.'),
    (dt.datetime(2021, 1, 1, 0, 0), 'A', 'AM'),
    (dt.datetime(2021, 1, 1, 0, 0), 'f', '12'),
    (dt.datetime(2021, 1, 1, 0, 0), 'g', '12'),
    (dt.datetime(2021, 1, 1, 0, 0), 'G', '0'),
    (dt.datetime(2021, 1, 1, 0, 0), 'h', '12'),
    (dt.datetime(2021, 1, 1, 0, 0), 'H', '00'),
    (dt.datetime(2021, 1, 1, 0, 0), 'i', '00'),
    (dt.datetime(2021, 1, 1, 0, 0), 's', '00'),
    (dt.datetime(2021, 1, 1, 0, 0), 'u', '000000'),
    (dt.datetime(2021, 1, 1, 0, 0), 'P', 'midnight'),
    (dt.datetime(2021, 1, 1, 0, 0), 'c', '2021-01-01T00:00:00'),
    (dt.datetime(2021, 1, 1, 0, 0), 'r', 'Fri, 01 Jan 2021 00:00:00 +0000'),
    (dt.datetime(2021, 1, 1, 0, 0), 'U', '1609459200'),
    (dt.datetime(2021, 1, 1, 0, 0), 'e', ''),
    (dt.datetime(2021, 1, 1, 0, 0), 'O', '+0000'),
    (dt.datetime(2021, 1, 1, 0, 0), 'T', 'UTC'),
    (dt.datetime(2021, 1, 1, 0, 0), 'Z', '0'),
    (dt.datetime(2021, 1, 1, 0, 0), 'I', '0'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'd', '11'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'D', 'Thu'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'j', '11'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'l', 'Thursday'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'N', 'March'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'S', 'th'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'w', '4'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'z', '70'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'W', '10'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'm', '03'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'n', '3'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'M', 'Mar'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'b', 'mar'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'E', 'March'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'F', 'March'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'y', '99'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'Y', '1999'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'L', 'False'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'o', '1999'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 't', '31'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'a', 'p.m.'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'A', 'PM'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'f', '12:30'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'g', '12'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'G', '12'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'h', '12'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'H', '12'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'i', '30'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 's', '01'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'u', '000000'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'P', '12:30 p.m.'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'c', '1999-03-11T12:30:01'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'r', 'Thu, 11 Mar 1999 12:30:01 +0000'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'U', '921155401'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'e', ''),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'O', '+0000'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'T', 'UTC'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'Z', '0'),
    (dt.datetime(1999, 3, 11, 12, 30, 1), 'I', '0'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'd', '29'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'D', 'Thu'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'j', '29'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'l', 'Thursday'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'N', 'Feb.'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'S', 'th'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'w', '4'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'z', '60'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'W', '9'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'm', '02'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'n', '2'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'M', 'Feb'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'b', 'feb'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'E', 'February'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'F', 'February'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'y', '24'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'Y', '2024'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'L', 'True'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'o', '2024'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 't', '29'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'a', 'p.m.'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'A', 'PM'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'f', '11:59'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'g', '11'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'G', '23'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'h', '11'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'H', '23'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'i', '59'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 's', '59'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'u', '000000'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'P', '11:59 p.m.'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'c', '2024-02-29T23:59:59'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'r', 'Thu, 29 Feb 2024 23:59:59 +0000'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'U', '1709251199'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'e', ''),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'O', '+0000'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'T', 'UTC'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'Z', '0'),
    (dt.datetime(2024, 2, 29, 23, 59, 59), 'I', '0'),
    (dt.datetime(5, 12, 22, 1, 1), 'd', '22'),
    (dt.datetime(5, 12, 22, 1, 1), 'D', 'Thu'),
    (dt.datetime(5, 12, 22, 1, 1), 'j', '22'),
    (dt.datetime(5, 12, 22, 1, 1), 'l', 'Thursday'),
    (dt.datetime(5, 12, 22, 1, 1), 'N', 'Dec.'),
    (dt.datetime(5, 12, 22, 1, 1), 'S', 'nd'),
    (dt.datetime(5, 12, 22, 1, 1), 'w', '4'),
    (dt.datetime(5, 12, 22, 1, 1), 'z', '356'),
    (dt.datetime(5, 12, 22, 1, 1), 'W', '51'),
    (dt.datetime(5, 12, 22, 1, 1), 'm', '12'),
    (dt.datetime(5, 12, 22, 1, 1), 'n', '12'),
    (dt.datetime(5, 12, 22, 1, 1), 'M', 'Dec'),
    (dt.datetime(5, 12, 22, 1, 1), 'b', 'dec'),
    (dt.datetime(5, 12, 22, 1, 1), 'E', 'December'),
    (dt.datetime(5, 12, 22, 1, 1), 'F', 'December'),
    (dt.datetime(5, 12, 22, 1, 1), 'y', '05'),
    (dt.datetime(5, 12, 22, 1, 1), 'Y', '0005'),
    (dt.datetime(5, 12, 22, 1, 1), 'L', 'False'),
    (dt.datetime(5, 12, 22, 1, 1), 'o', '5'),
    (dt.datetime(5, 12, 22, 1, 1), 't', '31'),
    (dt.datetime(5, 12, 22, 1, 1), 'a', 'a.m.'),
    (dt.datetime(5, 12, 22, 1, 1), 'A', 'AM'),
    (dt.datetime(5, 12, 22, 1, 1), 'f', '1:01'),
    (dt.datetime(5, 12, 22, 1, 1), 'g', '1'),
    (dt.datetime(5, 12, 22, 1, 1), 'G', '1'),
    (dt.datetime(5, 12, 22, 1, 1), 'h', '01'),
    (dt.datetime(5, 12, 22, 1, 1), 'H', '01'),
    (dt.datetime(5, 12, 22, 1, 1), 'i', '01'),
    (dt.datetime(5, 12, 22, 1, 1), 's', '00'),
    (dt.datetime(5, 12, 22, 1, 1), 'u', '000000'),
    (dt.datetime(5, 12, 22, 1, 1), 'P', '1:01 a.m.'),
    (dt.datetime(5, 12, 22, 1, 1), 'c', '0005-12-22T01:01:00'),
    (dt.datetime(5, 12, 22, 1, 1), 'r', 'Thu, 22 Dec 0005 01:01:00 +0000'),
    (dt.datetime(5, 12, 22, 1, 1), 'U', '-61978690740'),
    (dt.datetime(5, 12, 22, 1, 1), 'e', ''),
    (dt.datetime(5, 12, 22, 1, 1), 'O', '+0000'),
    (dt.datetime(5, 12, 22, 1, 1), 'T', 'UTC'),
    (dt.datetime(5, 12, 22, 1, 1), 'Z', '0'),
    (dt.datetime(5, 12, 22, 1, 1), 'I', '0'),
]

DATE_CASES = [
    (dt.date(2024, 2, 29), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '29|Thu|29|Thursday|Feb.|th|4|60|9|02|2|Feb|feb|February|February|24|2024|True|2024|29|2024-02-29|Thu, 29 Feb 2024 00:00:00 +0000|1709164800|'),
    (dt.date(2023, 1, 1), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '01|Sun|1|Sunday|Jan.|st|0|1|52|01|1|Jan|jan|January|January|23|2023|False|2022|31|2023-01-01|Sun, 01 Jan 2023 00:00:00 +0000|1672531200|'),
    (dt.date(2010, 10, 13), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '13|Wed|13|Wednesday|Oct.|th|3|286|41|10|10|Oct|oct|October|October|10|2010|False|2010|31|2010-10-13|Wed, 13 Oct 2010 00:00:00 +0000|1286928000|'),
    (dt.date(2010, 5, 22), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '22|Sat|22|Saturday|May|nd|6|142|20|05|5|May|may|May|May|10|2010|False|2010|31|2010-05-22|Sat, 22 May 2010 00:00:00 +0000|1274486400|'),
    (dt.date(2010, 5, 23), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '23|Sun|23|Sunday|May|rd|0|143|20|05|5|May|may|May|May|10|2010|False|2010|31|2010-05-23|Sun, 23 May 2010 00:00:00 +0000|1274572800|'),
    (dt.date(2010, 5, 21), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '21|Fri|21|Friday|May|st|5|141|20|05|5|May|may|May|May|10|2010|False|2010|31|2010-05-21|Fri, 21 May 2010 00:00:00 +0000|1274400000|'),
    (dt.date(2010, 5, 11), 'd|D|j|l|N|S|w|z|W|m|n|M|b|E|F|y|Y|L|o|t|c|r|U|I', '11|Tue|11|Tuesday|May|th|2|131|19|05|5|May|may|May|May|10|2010|False|2010|31|2010-05-11|Tue, 11 May 2010 00:00:00 +0000|1273536000|'),
]

TIME_CASES = [
    (dt.time(0, 0), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'a.m.|AM|12|12|0|12|00|00|00|000000|midnight||||'),
    (dt.time(12, 0), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'p.m.|PM|12|12|12|12|12|00|00|000000|noon||||'),
    (dt.time(0, 30), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'a.m.|AM|12:30|12|0|12|00|30|00|000000|12:30 a.m.||||'),
    (dt.time(12, 1), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'p.m.|PM|12:01|12|12|12|12|01|00|000000|12:01 p.m.||||'),
    (dt.time(23, 59, 59, 1), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'p.m.|PM|11:59|11|23|11|23|59|59|000001|11:59 p.m.||||'),
    (dt.time(13, 0, tzinfo=PARIS), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'p.m.|PM|1|1|13|01|13|00|00|000000|1 p.m.||||'),
    (dt.time(9, 5), 'a|A|f|g|G|h|H|i|s|u|P|e|O|T|Z', 'a.m.|AM|9:05|9|9|09|09|05|00|000000|9:05 a.m.||||'),
]

AWARE_CASES = [
    (dt.datetime(2024, 7, 4, 15, 5, 9, tzinfo=PARIS), 'e|O|T|Z|I|c|r|U|P', 'CEST|+0200|CEST|7200|1|2024-07-04T15:05:09+02:00|Thu, 04 Jul 2024 15:05:09 +0200|1720098309|3:05 p.m.'),
    (dt.datetime(2024, 1, 4, 15, 5, tzinfo=PARIS), 'e|O|T|Z|I|c|r|U|P', 'CET|+0100|CET|3600|0|2024-01-04T15:05:00+01:00|Thu, 04 Jan 2024 15:05:00 +0100|1704377100|3:05 p.m.'),
    (dt.datetime(2024, 1, 4, 15, 5, tzinfo=dt.timezone.utc), 'e|O|T|Z|I|c|r|U|P', 'UTC|+0000|UTC|0|0|2024-01-04T15:05:00+00:00|Thu, 04 Jan 2024 15:05:00 +0000|1704380700|3:05 p.m.'),
    (dt.datetime(2024, 1, 4, 15, 5, tzinfo=dt.timezone(dt.timedelta(hours=-3, minutes=-30))), 'e|O|T|Z|I|c|r|U|P', 'UTC-03:30|-0330|UTC-03:30|-12600|0|2024-01-04T15:05:00-03:30|Thu, 04 Jan 2024 15:05:00 -0330|1704393300|3:05 p.m.'),
    (dt.datetime(2024, 11, 3, 1, 30, tzinfo=NEW_YORK), 'e|O|T|Z|I|c|r|U|P', '|||||2024-11-03T01:30:00-04:00|Sun, 03 Nov 2024 01:30:00 -0400|1730611800|1:30 a.m.'),
    (dt.datetime(2024, 3, 10, 2, 30, tzinfo=NEW_YORK), 'e|O|T|Z|I|c|r|U|P', '|||||2024-03-10T02:30:00-05:00|Sun, 10 Mar 2024 02:30:00 -0500|1710055800|2:30 a.m.'),
    (dt.datetime(2024, 11, 3, 1, 30), 'e|O|T|Z|I|c|r|U|P', '|+0000|UTC|0|0|2024-11-03T01:30:00|Sun, 03 Nov 2024 01:30:00 +0000|1730597400|1:30 a.m.'),
]


def check_format(function, value, format_string: str, expected: str) -> None:
    got = function(value, format_string)
    assert got == expected, f"{function.__name__}({value!r}, {format_string!r}) returned {got!r}; expected {expected!r}"


def test_each_format_character_on_a_datetime(check_rows):
    """Each format character of a naive datetime gives what Django's gives."""
    check_rows(DATETIME_CASES, functools.partial(check_format, format))


def test_date_format_characters_on_a_date(check_rows):
    """The date characters work on a date; c, r and U take midnight UTC; I (summer time) is empty."""
    check_rows(DATE_CASES, functools.partial(check_format, format))


def test_time_format_characters_on_a_time(check_rows):
    """The time characters work on a time; a time never shows a zone (e O T Z are empty)."""
    check_rows(TIME_CASES, functools.partial(check_format, time_format))


def test_time_zones(check_rows):
    """An aware datetime shows its zone; an ambiguous or skipped wall-clock time shows none; naive means UTC."""
    check_rows(AWARE_CASES, functools.partial(check_format, format))


@pytest.mark.parametrize(
    "format_string, expected",
    [
        (r"\Y\e\s Y", "Yes 2024"),
        ("jS \\o\\f F", "4th of July"),
        ("Y\\", "2024\\"),
        ("B Q x !", "B Q x !"),
        ("", ""),
        (r"\\Y", "\\2024"),
        ("100% {Y} %d", "100% {2024} %04"),  # %, braces: copied as they are
        (r"\%Y", "%2024"),
    ],
)
def test_backslash_escapes_a_character(format_string, expected):
    """A backslash makes the next character literal; characters that are not specifiers are copied."""
    got = format(dt.date(2024, 7, 4), format_string)
    assert got == expected, f"format(date(2024, 7, 4), {format_string!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize("specifier", list("aAefgGhHiOPsTuZ"))
def test_time_specifiers_are_refused_for_dates(specifier):
    """A date has no time of day: a time specifier in its format is a TypeError naming the character."""
    with pytest.raises(TypeError, match=f"time-related format specifiers \\(found '{specifier}'\\)"):
        format(dt.date(2024, 1, 1), specifier)


def test_a_refused_format_is_refused_each_time():
    """A format is read once and kept, but a wrong one is not kept: the second use raises too."""
    for _ in range(2):
        with pytest.raises(TypeError, match="found 'H'"):
            format(dt.date(2024, 1, 1), "Y-m-d H")
    assert format(dt.datetime(2024, 1, 1, 9), "Y-m-d H") == "2024-01-01 09"


def test_date_specifiers_are_refused_by_time_format():
    """time_format takes only time specifiers, even for a datetime."""
    with pytest.raises(TypeError, match="date-related format specifiers \\(found 'Y'\\)"):
        time_format(dt.datetime(2024, 1, 1, 10, 0), "H:i Y")
    assert time_format(dt.datetime(2024, 1, 1, 10, 0), "H:i") == "10:00"


@pytest.mark.parametrize("value", ["2024-01-01", 5, None])
def test_values_that_are_not_dates_are_refused(value):
    """format() and time_format() raise TypeError for a value that is not a date or a time."""
    with pytest.raises(TypeError, match="needs a date or a datetime"):
        format(value, "Y")
    with pytest.raises(TypeError, match="needs a time or a datetime"):
        time_format(value, "H")
