"""Who a visitor is: the address the trusted proxies report, which a client cannot make up."""

from __future__ import annotations

import pytest

from magistral_debugger.ui.public.visitor import Visitor, forwarded_address


@pytest.mark.parametrize(
    "values, hops, expected",
    [
        ([], 1, "10.0.0.9"),  # no proxy on the way: the peer
        (["203.0.113.7"], 1, "203.0.113.7"),
        # a client that sends its own header: the proxy appends the address it really came from
        (["6.6.6.6, 203.0.113.7"], 1, "203.0.113.7"),
        (["6.6.6.6", "203.0.113.7"], 1, "203.0.113.7"),  # the same, as two header lines
        (["6.6.6.6, 203.0.113.7, 10.1.1.1"], 2, "203.0.113.7"),  # two proxies: the outer one's entry
        (["6.6.6.6"], 0, "10.0.0.9"),  # no trusted proxy: the header is the client's own words
    ],
)
def test_the_address_is_the_one_the_outermost_trusted_proxy_wrote(values, hops, expected):
    assert forwarded_address(values, "10.0.0.9", hops) == expected


def test_a_visitor_counts_under_its_session_and_its_address():
    assert Visitor("abc", "203.0.113.7").keys() == ("session:abc", "address:203.0.113.7")
    assert Visitor("", "203.0.113.7").keys() == ("address:203.0.113.7",)
