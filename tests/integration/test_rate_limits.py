"""Rate limits on sign-up and sign-in on the real local cloud: a flood from one IP is cut off with 429 after the
limit and nothing beyond it is stored or mailed; an address is limited on its own; a known and an unknown address
get the same answers, below the limit and over it."""

from __future__ import annotations

import time

import requests
from cloudtest import wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.people import organisers
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers

EDITION = "gd2024"
PER_IP, PER_ADDRESS = 30, 5  # the defaults (GD_RATE_LIMIT_IP 30/600, GD_RATE_LIMIT_ADDRESS 5/3600)


def within_one_window(needed_s: float, *window_s: int) -> None:
    """Wait until the next ``needed_s`` seconds fall in one fixed window of each length: a test that crosses a
    window's end would see the counts start again (as they should)."""
    def room() -> bool:
        now = time.time()
        return all(window - now % window > needed_s for window in window_s)

    wait_for(room, timeout_s=needed_s + 5, what=f"{needed_s:.0f} s left in the rate limit's windows")


def _form(n: int, email: str | None = None) -> dict[str, str]:
    return {"name": f"Scoorder {n}", "email": email or f"scorer{n}@example.org", "organisation": "Gemeente Zeist",
            "background": "KCC", "language": "nl", "consent": "yes"}


def test_300_sign_ups_from_one_ip_are_cut_off_after_the_limit(fresh: LocalCloud) -> None:
    url = fresh.url("scoring-http") + "/scorers/signup"
    within_one_window(240, 600)
    with requests.Session() as client:
        answers = [client.post(url, data=_form(n), timeout=30) for n in range(300)]
    assert [a.status_code for a in answers] == [200] * PER_IP + [429] * (300 - PER_IP)
    over = answers[-1]
    assert 0 < int(over.headers["Retry-After"]) <= 600
    assert "Even geduld" in over.text and "Probeer het over" in over.text and 'lang="nl"' in over.text
    stored = scorers.all_scorers(db(), EDITION)
    assert sorted(s["email"] for s in stored) == sorted(f"scorer{n}@example.org" for n in range(PER_IP))
    assert not read_mailbox(fresh.maildir)  # a sign-up mails nobody until approval, and nothing over the limit
    counters = [d.to_dict() for d in db().collection("rate_limits").stream()]
    assert not [c for c in counters if "example.org" in str(c)]  # hashed: no address in the counters
    ip = [c for c in counters if c["kind"] == "ip"]
    assert len(ip) == 1 and ip[0]["count"] == 300 and ip[0]["expires_at"] > ip[0]["window_start"]
    english = requests.post(url + "?lang=en", data=_form(999), timeout=30)
    assert english.status_code == 429 and "Please try again in" in english.text


def test_a_known_and_an_unknown_address_get_the_same_answers(fresh: LocalCloud) -> None:
    url = fresh.url("scoring-http") + "/scorers/signup"
    within_one_window(60, 600, 3600)
    assert requests.post(url, data=_form(0, "known@example.org"), timeout=30).status_code == 200
    known = [requests.post(url, data=_form(1, "KNOWN@example.org"), timeout=30) for _ in range(PER_ADDRESS)]
    unknown = [requests.post(url, data=_form(2, "new@example.org"), timeout=30) for _ in range(PER_ADDRESS + 1)]
    # the known address had one sign-up before: it is refused one request earlier, with the very same page
    assert [a.status_code for a in known] == [200] * (PER_ADDRESS - 1) + [429]
    assert [a.status_code for a in unknown] == [200] * PER_ADDRESS + [429]
    assert known[0].text == unknown[0].text and known[-1].text == unknown[-1].text
    assert sorted(s["email"] for s in scorers.all_scorers(db(), EDITION)) == ["known@example.org", "new@example.org"]


def test_sign_in_link_requests_are_limited_per_address_known_or_not(fresh: LocalCloud) -> None:
    organisers.add(db(), email="kim@vng.test", name="Kim Coördinator", role="coordinator", by=None)
    url = fresh.url("scoring-http") + "/organiser/login"
    within_one_window(90, 600, 3600)
    asked = {email: [requests.post(url, data={"email": email}, timeout=30) for _ in range(PER_ADDRESS + 2)]
             for email in ("kim@vng.test", "nobody@example.org")}
    for answers in asked.values():
        assert [a.status_code for a in answers] == [200] * PER_ADDRESS + [429] * 2
        # the address's window (an hour), not the IP's (10 minutes): fixed windows on the clock, so in an hour's
        # last 10 minutes both end together and the check is that it is the hour's end, whatever the time of day
        hour_left = 3600 - time.time() % 3600
        assert abs(int(answers[-1].headers["Retry-After"]) - hour_left) <= 5
    kim, nobody = asked["kim@vng.test"], asked["nobody@example.org"]
    assert kim[0].text == nobody[0].text and kim[-1].text == nobody[-1].text
    wait_for(lambda: [m for m in read_mailbox(fresh.maildir) if m.to == "kim@vng.test"], what="Kim's sign-in mail")
    assert not [m for m in read_mailbox(fresh.maildir) if m.to == "nobody@example.org"]
    # the IP's own limit still holds for everyone behind it: 14 requests so far, 16 more, then 429 for any address
    more = [requests.post(url, data={"email": f"o{n}@example.org"}, timeout=30) for n in range(PER_IP - 14 + 1)]
    assert [a.status_code for a in more] == [200] * (PER_IP - 14) + [429]
